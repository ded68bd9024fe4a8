//! The rest of the account journey in the real app window, against the real server: the
//! demo request and the first login's onboarding, "Renvoyer" and its cooldown, "Mes
//! appareils" and a device revoked elsewhere, links for the account already logged in or
//! for another one, links the app did not ask for, and a cold start by the OS itself.
//! Each scenario ends with a scan of the app's folders for its secrets.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::Duration;

use econfiance_e2e::{click, fill, first_https_link, json_field, login_code, Result, TestEnv};
use fantoccini::{Client, Locator};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@fromagerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

/// Asks for a login link for `email` from the login screen; returns the mail's text.
async fn ask_for_a_link(env: &TestEnv, app: &Client, email: &str) -> Result<String> {
    env.wait_for_text(app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(app, "email", email).await?;
    click(app, "send-link").await?;
    env.wait_for_text(app, "[data-testid=sent-to]", email)
        .await?;
    env.wait_for_mail(email, "Votre lien de connexion").await
}

/// The econfiance:// URL of the login mail `mail`.
async fn deep_link_of(env: &TestEnv, mail: &str) -> Result<String> {
    let landing = first_https_link(mail).ok_or("no link in the mail")?;
    env.deep_link_of_landing_page(&landing).await
}

async fn password_login(env: &TestEnv, app: &Client, email: &str) -> Result<()> {
    env.wait_for_text(app, "h1", "Connexion à votre espace")
        .await?;
    fill(app, "email", email).await?;
    click(app, "toggle-password").await?;
    env.wait_for_count(app, "[data-testid=password]", 1).await?;
    fill(app, "password", PASSWORD).await?;
    click(app, "password-login").await?;
    env.wait_for_text(app, "[data-testid=signed-in-email]", email)
        .await?;
    Ok(())
}

/// Waits for a login mail to `email` whose code is not `previous`; returns it.
async fn wait_for_another_mail(env: &TestEnv, email: &str, previous: &str) -> Result<String> {
    for _ in 0..100 {
        let mail = env.wait_for_mail(email, "Votre lien de connexion").await?;
        if login_code(&mail).as_deref() != Some(previous) {
            return Ok(mail);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("no second mail".into())
}

#[tokio::test]
async fn a_demo_request_then_the_opened_account_logs_in_fills_onboarding_and_sees_its_dashboard(
) -> Result<()> {
    let env = TestEnv::start("demo_to_dashboard")?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    click(&app, "ask-demo").await?;
    env.wait_for_text(&app, "#demo-title", "Demander une démo")
        .await?;
    // Inline checks: a wrong phone is told before anything is sent.
    fill(&app, "demo-phone", "12").await?;
    fill(&app, "demo-name", "Paul Roux").await?;
    env.wait_for_text(&app, "[data-testid=demo-phone-error]", "pas valide")
        .await?;
    fill(&app, "demo-phone", "04 78 00 00 00").await?;
    fill(&app, "demo-company", "Fromagerie Exemple").await?;
    fill(&app, "demo-email", PAUL).await?;
    // The slot picker: the first day is shown; take its first free slot.
    let slot = app
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=demo-slot]"))
        .await?;
    let start = slot.attr("data-start").await?.ok_or("slot start")?;
    slot.click().await?;
    env.screenshot("01-demo-form")?;
    click(&app, "demo-submit").await?;
    env.wait_for_text(&app, "[data-testid=demo-booked] h1", "réservée")
        .await?;
    env.screenshot("02-demo-booked")?;
    env.wait_for_mail(PAUL, "Votre démonstration e-confiance est réservée")
        .await?;

    // The e-confiance team opens the account after the demo (admin CLI).
    let list = env.server_admin_output(&["demo", "list"])?;
    let line = list
        .lines()
        .find(|l| l.contains(PAUL))
        .ok_or_else(|| format!("the request is listed: {list}"))?;
    assert!(line.contains("Fromagerie Exemple"), "{line}");
    let id = line.split('\t').next().ok_or("an id")?;
    env.server_admin(&["demo", "open", id, "--public-url", &env.server_url])?;
    env.wait_for_mail(PAUL, "votre compte est ouvert").await?;
    assert!(!start.is_empty());

    // First login: the link from the mail, delivered by the OS.
    click(&app, "demo-back").await?;
    let mail = ask_for_a_link(&env, &app, PAUL).await?;
    let code = login_code(&mail).ok_or("code")?;
    env.gio_open(&deep_link_of(&env, &mail).await?)?;
    env.wait_for_text(&app, "#onboarding-title", "Bienvenue")
        .await?;
    // What the server knew is already there: the company named at the demo.
    let legal = app
        .find(Locator::Css("[data-testid=\"company.legal_name\"]"))
        .await?;
    assert_eq!(
        legal.prop("value").await?.as_deref(),
        Some("Fromagerie Exemple")
    );
    // A SIRET with a wrong check digit is told as soon as the field is left.
    fill(&app, "company.siret", "732 829 320 00075").await?;
    fill(&app, "company.address", "3 place du Marché").await?;
    env.wait_for_text(
        &app,
        "[data-testid=\"company.siret-error\"]",
        "SIRET n'est pas valide",
    )
    .await?;
    env.screenshot("03-onboarding-siret-error")?;
    fill(&app, "company.siret", "732 829 320 00074").await?;
    fill(&app, "company.postal_code", "69002").await?;
    fill(&app, "company.city", "Lyon").await?;
    fill(&app, "company.website", "www.fromagerie-exemple.fr").await?;
    fill(&app, "company.sector", "Crèmerie-fromagerie").await?;
    fill(&app, "company.phone", "04 78 00 00 00").await?;
    fill(&app, "person.first_name", "Paul").await?;
    fill(&app, "person.last_name", "Roux").await?;
    fill(&app, "person.job_title", "Gérant").await?;
    fill(&app, "person.phone", "06 12 34 56 78").await?;
    click(&app, "onboarding-submit").await?;
    env.wait_for_text(&app, "[data-testid=company-name]", "Fromagerie Exemple")
        .await?;
    env.wait_for_text(&app, "[data-testid=company-siret]", "73282932000074")
        .await?;
    env.wait_for_text(&app, "[data-testid=owner-name]", "Paul Roux")
        .await?;
    env.screenshot("04-dashboard")?;
    app.close().await?;

    // The server kept it: the next start opens on the dashboard, not the form.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=company-name]", "Fromagerie Exemple")
        .await?;
    app.close().await?;
    let entry = env.keyring_session_entry()?.ok_or("session kept")?;
    env.assert_no_secret_in_files(&[&code, &json_field(&entry, "refresh_token")?])?;
    Ok(())
}

#[tokio::test]
async fn renvoyer_waits_as_the_server_says_and_the_first_mails_code_still_logs_in() -> Result<()> {
    let env = TestEnv::start("resend_cooldown")?;
    env.server_admin(&["create-user", MARIE, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    let first = ask_for_a_link(&env, &app, MARIE).await?;
    let first_code = login_code(&first).ok_or("code")?;
    let resend = app.find(Locator::Css("[data-testid=resend]")).await?;
    // The server's cooldown (4 s in this world) is counted down on the button.
    let wait: u64 = resend
        .attr("data-wait")
        .await?
        .ok_or("data-wait")?
        .parse()?;
    assert!((1..=4).contains(&wait), "cooldown shown: {wait}");
    assert!(!resend.is_enabled().await?, "Renvoyer waits");
    env.screenshot("01-renvoyer-waits")?;
    for _ in 0..60 {
        if resend.is_enabled().await? {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(resend.is_enabled().await?, "Renvoyer comes back");

    // Meanwhile a link was asked for the same address elsewhere: the server refuses the
    // next one with Retry-After, and the button waits that long again.
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let r = env
        .https()?
        .post(format!("{}/v1/auth/login-requests", env.server_url))
        .json(
            &serde_json::json!({"email": MARIE, "code_challenge": challenge,
            "code_challenge_method": "S256",
            "device": {"name": "Autre", "os": "Windows", "app_version": "0.1.0"}}),
        )
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 202);
    let other = wait_for_another_mail(&env, MARIE, &first_code).await?;
    let other_code = login_code(&other).ok_or("code")?;
    resend.click().await?;
    env.wait_for_text(
        &app,
        "[data-testid=resend-error]",
        "vous pourrez en demander un autre",
    )
    .await?;
    let wait: u64 = resend
        .attr("data-wait")
        .await?
        .ok_or("data-wait")?
        .parse()?;
    assert!((1..=4).contains(&wait), "Retry-After shown: {wait}");
    env.screenshot("02-retry-after")?;
    for _ in 0..60 {
        if resend.is_enabled().await? {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    resend.click().await?;
    env.wait_for_text(&app, "[data-testid=resend-info]", "nouveau lien")
        .await?;
    let mut third = other.clone();
    for _ in 0..100 {
        third = env.wait_for_mail(MARIE, "Votre lien de connexion").await?;
        let c = login_code(&third);
        if c.as_deref() != Some(&first_code) && c.as_deref() != Some(&other_code) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let third_code = login_code(&third).ok_or("code")?;
    assert_ne!(third_code, first_code, "a new mail came");

    // The code of the first mail still logs in.
    fill(&app, "code", &first_code).await?;
    click(&app, "submit-code").await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    env.screenshot("03-signed-in-with-the-first-code")?;
    app.close().await?;
    env.assert_no_secret_in_files(&[&first_code, &third_code])?;
    Ok(())
}

#[tokio::test]
async fn my_devices_revokes_another_and_a_device_revoked_elsewhere_is_logged_out() -> Result<()> {
    let env = TestEnv::start("devices")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    password_login(&env, &app, MARIE).await?;
    let other = env.password_session(MARIE, PASSWORD).await?;
    let other_access = other["access_token"].as_str().ok_or("access")?.to_owned();

    // "Mes appareils" lists both; "Déconnecter" ends the other one on the server.
    click(&app, "nav-settings").await?;
    env.wait_for_count(&app, "[data-testid=device]", 2).await?;
    env.wait_for_text(&app, "[data-testid=devices]", "Autre ordinateur")
        .await?;
    env.screenshot("01-my-devices")?;
    click(&app, "revoke-device").await?;
    env.wait_for_text(&app, "[data-testid=devices-notice]", "déconnecté")
        .await?;
    env.wait_for_count(&app, "[data-testid=device]", 1).await?;
    let (status, _) = env.api_get("/v1/auth/sessions", &other_access).await?;
    assert_eq!(status, 401, "the revoked device's token no longer works");

    // "Tous les autres": two more devices, both ended at once.
    let a = env.password_session(MARIE, PASSWORD).await?;
    let b = env.password_session(MARIE, PASSWORD).await?;
    click(&app, "nav-home").await?;
    click(&app, "nav-settings").await?;
    env.wait_for_count(&app, "[data-testid=device]", 3).await?;
    click(&app, "revoke-others").await?;
    env.wait_for_text(&app, "[data-testid=devices-notice]", ": 2")
        .await?;
    for s in [&a, &b] {
        let access = s["access_token"].as_str().ok_or("access")?;
        assert_eq!(env.api_get("/v1/me", access).await?.0, 401);
    }

    // Now this device is revoked from another one: the app notices when it comes back
    // to the foreground, says so on the login screen, and forgets the session.
    let c = env.password_session(MARIE, PASSWORD).await?;
    let c_access = c["access_token"].as_str().ok_or("access")?.to_owned();
    let (_, sessions) = env.api_get("/v1/auth/sessions", &c_access).await?;
    let app_session = sessions
        .as_array()
        .and_then(|list| list.iter().find(|s| s["current"] == false))
        .and_then(|s| s["id"].as_str())
        .ok_or("the app's session is listed")?
        .to_owned();
    let r = env
        .https()?
        .delete(format!("{}/v1/auth/sessions/{app_session}", env.server_url))
        .bearer_auth(&c_access)
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 204);
    assert!(env.keyring_session_entry()?.is_some());
    app.execute("window.dispatchEvent(new Event('focus'))", vec![])
        .await?;
    env.wait_for_text(&app, "[data-testid=login-warning]", "session a été fermée")
        .await?;
    env.screenshot("02-revoked-elsewhere")?;
    assert!(
        env.keyring_session_entry()?.is_none(),
        "the ended session left the keyring"
    );
    app.close().await?;
    env.assert_no_secret_in_files(&[
        &other_access,
        &c_access,
        other["refresh_token"].as_str().unwrap_or_default(),
    ])?;
    Ok(())
}

#[tokio::test]
async fn settings_change_the_password_and_the_language() -> Result<()> {
    let env = TestEnv::start("settings")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    password_login(&env, &app, MARIE).await?;
    let other = env.password_session(MARIE, PASSWORD).await?;
    click(&app, "nav-settings").await?;
    env.wait_for_count(&app, "[data-testid=device]", 2).await?;
    // A wrong current password is explained; the right one changes it.
    fill(&app, "current-password", "pas le bon mot de passe").await?;
    fill(&app, "new-password", "un nouveau mot de passe solide").await?;
    fill(&app, "confirm-password", "un nouveau mot de passe solide").await?;
    click(&app, "save-password").await?;
    env.wait_for_count(&app, "[data-testid=password-error]", 1)
        .await?;
    fill(&app, "current-password", PASSWORD).await?;
    click(&app, "save-password").await?;
    env.wait_for_text(&app, "[data-testid=password-saved]", "enregistré")
        .await?;
    // The other device was logged out; this one goes on.
    let access = other["access_token"].as_str().ok_or("access")?;
    assert_eq!(env.api_get("/v1/me", access).await?.0, 401);
    env.wait_for_count(&app, "[data-testid=device]", 1).await?;
    env.password_session(MARIE, "un nouveau mot de passe solide")
        .await?;

    // Language: English now, and still after a restart.
    click(&app, "language-en").await?;
    env.wait_for_text(&app, "[data-testid=nav-settings]", "Settings")
        .await?;
    env.screenshot("01-settings-english")?;
    app.close().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=nav-settings]", "Settings")
        .await?;
    app.close().await?;
    env.assert_no_secret_in_files(&[PASSWORD, "un nouveau mot de passe solide", access])?;
    Ok(())
}

#[tokio::test]
async fn a_link_for_the_logged_in_account_just_shows_the_dashboard_and_another_asks_first(
) -> Result<()> {
    let env = TestEnv::start("switch_account")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["create-user", PAUL, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    let paul_mail = ask_for_a_link(&env, &app, PAUL).await?;
    app.find(Locator::Css("[data-testid=check-mail] .link"))
        .await?
        .click()
        .await?;
    let marie_mail = ask_for_a_link(&env, &app, MARIE).await?;
    app.find(Locator::Css("[data-testid=check-mail] .link"))
        .await?
        .click()
        .await?;
    password_login(&env, &app, MARIE).await?;
    let marie_session = json_field(
        &env.keyring_session_entry()?.ok_or("session")?,
        "session_id",
    )?;

    // Marie's own link: nothing to do, the same session goes on.
    env.gio_open(&deep_link_of(&env, &marie_mail).await?)?;
    env.wait_for_text(&app, "[data-testid=dashboard-notice]", "déjà connecté")
        .await?;
    assert_eq!(
        json_field(
            &env.keyring_session_entry()?.ok_or("session")?,
            "session_id"
        )?,
        marie_session,
        "no new session was opened"
    );

    // Paul's link: the app asks; "rester" changes nothing.
    let paul_link = deep_link_of(&env, &paul_mail).await?;
    env.gio_open(&paul_link)?;
    env.wait_for_text(&app, "[data-testid=switch-requested]", PAUL)
        .await?;
    env.screenshot("01-switch-asked")?;
    click(&app, "switch-cancel").await?;
    env.wait_for_count(&app, "[data-testid=switch-account]", 0)
        .await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    assert_eq!(
        json_field(&env.keyring_session_entry()?.ok_or("session")?, "email")?,
        MARIE
    );

    // The same link again, and this time the switch.
    env.gio_open(&paul_link)?;
    env.wait_for_text(&app, "[data-testid=switch-requested]", PAUL)
        .await?;
    click(&app, "switch-confirm").await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", PAUL)
        .await?;
    env.screenshot("02-switched")?;
    assert_eq!(
        json_field(&env.keyring_session_entry()?.ok_or("session")?, "email")?,
        PAUL
    );
    // Marie's session was logged out on the server, not just forgotten here.
    let probe = env.password_session(MARIE, PASSWORD).await?;
    let (_, sessions) = env
        .api_get(
            "/v1/auth/sessions",
            probe["access_token"].as_str().ok_or("access")?,
        )
        .await?;
    assert_eq!(
        sessions.as_array().map(Vec::len),
        Some(1),
        "only the probe's session is left: {sessions}"
    );
    app.close().await?;
    let codes = [
        login_code(&paul_mail).ok_or("code")?,
        login_code(&marie_mail).ok_or("code")?,
    ];
    env.assert_no_secret_in_files(&[&codes[0], &codes[1]])?;
    Ok(())
}

#[tokio::test]
async fn links_the_app_did_not_ask_for_are_refused_and_change_nothing() -> Result<()> {
    let env = TestEnv::start("links_refused")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(&app, "email", "texte en cours").await?;

    // A reset link for a request made elsewhere (a browser, an attacker's app).
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let r = env
        .https()?
        .post(format!("{}/v1/auth/password-resets", env.server_url))
        .json(
            &serde_json::json!({"email": MARIE, "code_challenge": challenge,
            "code_challenge_method": "S256",
            "device": {"name": "Autre", "os": "Windows", "app_version": "0.1.0"}}),
        )
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 202);
    let reset_mail = env.wait_for_mail(MARIE, "mot de passe").await?;
    let reset_landing = first_https_link(&reset_mail).ok_or("reset link")?;
    let page = env
        .https()?
        .get(&reset_landing)
        .send()
        .await?
        .text()
        .await?;
    let start = page
        .find("econfiance://auth/reset")
        .ok_or("the reset page offers the app")?;
    let end = start + page[start..].find('"').ok_or("href end")?;
    let reset_link = econfiance_e2e::unescape(&page[start..end]);
    env.gio_open(&reset_link)?;
    env.wait_for_text(&app, "[data-testid=link-message]", "n'a pas été demandé")
        .await?;
    assert_eq!(
        app.find_all(Locator::Css("#new-password")).await?.len(),
        0,
        "no new-password form for a reset the app did not ask for"
    );

    // A forged callback (well-formed, unknown request) and a replayed link.
    env.gio_open(
        "econfiance://auth/callback?request=rq_00000000000000000000000000&code=K7M4-QX2P",
    )?;
    env.wait_for_count(&app, "[data-testid=link-message]", 2)
        .await?;
    // (A link the app asked for, used once, then opened again.)
    // What was typed is still there.
    let typed = app.find(Locator::Css("[data-testid=email]")).await?;
    assert_eq!(
        typed.prop("value").await?.as_deref(),
        Some("texte en cours")
    );
    let mail = {
        fill(&app, "email", MARIE).await?;
        click(&app, "send-link").await?;
        env.wait_for_mail(MARIE, "Votre lien de connexion").await?
    };
    let link = deep_link_of(&env, &mail).await?;
    env.gio_open(&link)?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    let session = json_field(
        &env.keyring_session_entry()?.ok_or("session")?,
        "session_id",
    )?;
    env.gio_open(&link)?;
    env.wait_for_text(&app, "[data-testid=link-message]", "n'a pas été demandé")
        .await?;
    env.screenshot("01-replay-refused")?;
    assert_eq!(
        json_field(
            &env.keyring_session_entry()?.ok_or("session")?,
            "session_id"
        )?,
        session,
        "the replay changed nothing"
    );
    // The password was not changed by the foreign reset link.
    env.password_session(MARIE, PASSWORD).await?;
    app.close().await?;
    let code = login_code(&mail).ok_or("code")?;
    env.assert_no_secret_in_files(&[&code])?;
    Ok(())
}

#[tokio::test]
async fn the_os_starts_the_closed_app_for_a_link_and_it_logs_in_seen_from_outside() -> Result<()> {
    let env = TestEnv::start("gio_cold_start")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    // A first run registers econfiance:// for this (development) build and asks a link.
    let app = env.launch(&[]).await?;
    let mail = ask_for_a_link(&env, &app, MARIE).await?;
    app.close().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(env.app_process_count()?, 0, "the app is closed");
    let handler = env
        .command("xdg-mime")
        .args(["query", "default", "x-scheme-handler/econfiance"])
        .output()?;
    assert!(
        String::from_utf8_lossy(&handler.stdout).contains(".desktop"),
        "econfiance:// has a handler in this session"
    );

    // The OS opens the link: gio finds the handler and starts the app with the URL.
    let status = env.gio_open(&deep_link_of(&env, &mail).await?)?;
    assert!(status.success(), "gio open: {status}");
    // Seen from outside: the keyring gets the session, the server lists the device.
    let mut entry = None;
    for _ in 0..150 {
        entry = env.keyring_session_entry()?;
        if entry.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let entry = entry.ok_or("the OS-started app saved a session in the keyring")?;
    assert!(entry.contains(MARIE));
    assert_eq!(env.app_process_count()?, 1, "one app, started by the OS");
    let probe = env.password_session(MARIE, PASSWORD).await?;
    let (_, sessions) = env
        .api_get(
            "/v1/auth/sessions",
            probe["access_token"].as_str().ok_or("access")?,
        )
        .await?;
    let app_session = json_field(&entry, "session_id")?;
    assert!(
        sessions
            .as_array()
            .is_some_and(|l| l.iter().any(|s| s["id"] == app_session.as_str())),
        "the server lists the app's session: {sessions}"
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let shot = env.screenshot("01-started-by-the-os")?;
    assert!(std::fs::metadata(&shot)?.len() > 5_000, "a real screenshot");
    env.kill_apps()?;
    let code = login_code(&mail).ok_or("code")?;
    env.assert_no_secret_in_files(&[&code, &json_field(&entry, "refresh_token")?])?;
    Ok(())
}
