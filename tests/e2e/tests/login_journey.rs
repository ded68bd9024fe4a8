//! The desktop login journey in the real app window, against the real server: the magic
//! link from the e-mail delivered by the OS (`gio open`), the typed code, the session kept
//! in the real keyring across a restart (checked from outside with `secret-tool`), logout.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::Duration;

use econfiance_e2e::{app_binary, first_https_link, json_field, login_code, Result, TestEnv};
use fantoccini::Locator;

const MARIE: &str = "marie@boulangerie-exemple.fr";

async fn ask_for_a_link(env: &TestEnv, app: &fantoccini::Client) -> Result<String> {
    env.wait_for_text(app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    app.find(Locator::Css("[data-testid=email]"))
        .await?
        .send_keys(MARIE)
        .await?;
    app.find(Locator::Css("[data-testid=send-link]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(
        app,
        "[data-testid=check-mail] h1",
        "Vérifiez votre boîte mail",
    )
    .await?;
    env.wait_for_text(app, "[data-testid=sent-to]", MARIE)
        .await?;
    env.wait_for_mail(MARIE, "Votre lien de connexion").await
}

/// Switches the login screen to password mode and logs in with `password` (the e-mail
/// field must already hold the address).
async fn log_in_with_password(
    env: &TestEnv,
    app: &fantoccini::Client,
    password: &str,
) -> Result<()> {
    app.find(Locator::Css("[data-testid=toggle-password]"))
        .await?
        .click()
        .await?;
    env.wait_for_count(app, "[data-testid=password]", 1).await?;
    app.find(Locator::Css("[data-testid=password]"))
        .await?
        .send_keys(password)
        .await?;
    app.find(Locator::Css("[data-testid=password-login]"))
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test]
async fn magic_link_opened_by_the_os_logs_the_running_app_in_and_the_session_survives_a_restart(
) -> Result<()> {
    let env = TestEnv::start("login_magic_link")?;
    env.server_admin(&["create-user", MARIE, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    let mail = ask_for_a_link(&env, &app).await?;
    env.screenshot("01-check-your-mailbox")?;
    assert!(
        env.keyring_session_entry()?.is_none(),
        "no session before the link"
    );

    let landing = first_https_link(&mail).ok_or("no link in the mail")?;
    let deep_link = env.deep_link_of_landing_page(&landing).await?;
    assert!(
        deep_link.starts_with("econfiance://auth/callback?request="),
        "{deep_link}"
    );
    let code = login_code(&mail).ok_or("no code in the mail")?;
    let pending = env
        .keyring_entry("pending-requests")?
        .ok_or("the pending request is in the keyring")?;
    let verifier = json_field(&pending, "verifier")?;
    let status = env.gio_open(&deep_link)?;
    assert!(status.success(), "gio open failed: {status}");
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    env.screenshot("02-signed-in")?;
    assert_eq!(
        env.app_process_count()?,
        1,
        "the running app handled the link"
    );
    let entry = env
        .keyring_session_entry()?
        .ok_or("the session is in the keyring")?;
    assert!(entry.contains("refresh_token") && entry.contains(MARIE));
    let first_refresh = json_field(&entry, "refresh_token")?;

    // The same link again: used, refused plainly, still logged in. Launched as the OS
    // would, by a process that could open no window (no display backend): it hands the
    // link over before building anything, and exits.
    let status = env
        .command(app_binary()?)
        .env("GDK_BACKEND", "none-at-all")
        .arg(&deep_link)
        .status()?;
    assert!(status.success(), "the second launch failed: {status}");
    env.wait_for_text(&app, "[data-testid=link-message]", "n'a pas été demandé")
        .await?;
    app.close().await?;

    // A restart: the session comes back from the keyring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    app.find(Locator::Css("[data-testid=logout]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "h1", "Connexion à votre espace")
        .await?;
    assert!(
        env.keyring_session_entry()?.is_none(),
        "logout removed the keyring entry"
    );
    app.close().await?;

    // No secret of this whole journey reached a file: data, cache, settings, logs.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !env.files_containing(&["e-confiance starting"])?.is_empty(),
        "the scan does read the app's log files"
    );
    let code_without_dash = code.replace('-', "");
    let leaks = env.files_containing(&[&code, &code_without_dash, &verifier, &first_refresh])?;
    assert!(leaks.is_empty(), "a token or code was written to {leaks:?}");

    // The scan every scenario ends with reads the server's witness: it holds this
    // journey's code, verifier and refresh token (and the access tokens no test can see
    // otherwise), and a witnessed token planted in the app's data, as UTF-16, is found.
    let witnessed = env.witnessed_secrets()?;
    for secret in [&code, &verifier, &first_refresh] {
        assert!(
            witnessed.contains(secret),
            "the witness lacks a secret of the journey"
        );
    }
    let planted = env.data_home().join("planted-by-the-test.bin");
    let token = witnessed.last().ok_or("nothing witnessed")?;
    let utf16: Vec<u8> = token.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&planted, utf16)?;
    assert!(
        env.assert_no_secret_in_files(&[]).is_err(),
        "the end-of-scenario scan misses a witnessed token"
    );
    std::fs::remove_file(&planted)?;
    env.assert_no_secret_in_files(&[])?;
    Ok(())
}

#[tokio::test]
async fn a_typed_code_logs_in_and_a_wrong_one_is_explained() -> Result<()> {
    let env = TestEnv::start("login_typed_code")?;
    env.server_admin(&["create-user", MARIE, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    let mail = ask_for_a_link(&env, &app).await?;
    let code = login_code(&mail).ok_or("no code in the mail")?;
    let wrong = format!(
        "{}{}",
        if code.starts_with('A') { 'B' } else { 'A' },
        &code[1..]
    );
    let field = app.find(Locator::Css("[data-testid=code]")).await?;
    field.send_keys(&wrong).await?;
    app.find(Locator::Css("[data-testid=submit-code]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "[data-testid=code-error]", "n'est pas le bon")
        .await?;
    field.clear().await?;
    field.send_keys(&code.to_lowercase()).await?;
    app.find(Locator::Css("[data-testid=submit-code]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    env.screenshot("01-signed-in-by-code")?;
    app.close().await?;
    env.assert_no_secret_in_files(&[&code])?;
    Ok(())
}

#[tokio::test]
async fn a_link_clicked_while_the_app_is_closed_starts_it_and_completes_the_login() -> Result<()> {
    let env = TestEnv::start("login_cold_start")?;
    env.server_admin(&["create-user", MARIE, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    let mail = ask_for_a_link(&env, &app).await?;
    app.close().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(env.app_process_count()?, 0, "the app is closed");
    // What the .desktop entry does: the URL is the new process's argument. The pending
    // request (and its verifier) comes back from the keyring.
    let landing = first_https_link(&mail).ok_or("no link in the mail")?;
    let deep_link = env.deep_link_of_landing_page(&landing).await?;
    let app = env.launch(&[&deep_link]).await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    env.screenshot("01-cold-start-signed-in")?;
    app.close().await?;
    let code = login_code(&mail).ok_or("no code in the mail")?;
    env.assert_no_secret_in_files(&[&code])?;
    Ok(())
}

#[tokio::test]
async fn password_login_works_and_a_wrong_password_is_explained() -> Result<()> {
    let env = TestEnv::start("login_password")?;
    env.server_admin(&[
        "create-user",
        MARIE,
        "--onboarded",
        "--password",
        "trois tortues lisent Proust",
    ])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    app.find(Locator::Css("[data-testid=email]"))
        .await?
        .send_keys(MARIE)
        .await?;
    app.find(Locator::Css("[data-testid=toggle-password]"))
        .await?
        .click()
        .await?;
    env.wait_for_count(&app, "[data-testid=password]", 1)
        .await?;
    let password = app.find(Locator::Css("[data-testid=password]")).await?;
    password.send_keys("pas le bon").await?;
    app.find(Locator::Css("[data-testid=password-login]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "[data-testid=login-error]", "mot de passe incorrect")
        .await?;
    password.clear().await?;
    password.send_keys("trois tortues lisent Proust").await?;
    app.find(Locator::Css("[data-testid=password-login]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    app.close().await?;
    env.assert_no_secret_in_files(&["trois tortues lisent Proust"])?;
    Ok(())
}

#[tokio::test]
async fn with_the_keyring_locked_the_app_says_so_and_keeps_the_session_in_memory() -> Result<()> {
    let env = TestEnv::start("login_keyring_locked")?;
    env.server_admin(&[
        "create-user",
        MARIE,
        "--onboarded",
        "--password",
        "trois tortues lisent Proust",
    ])?;
    env.lock_keyring()?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    app.find(Locator::Css("[data-testid=email]"))
        .await?
        .send_keys(MARIE)
        .await?;
    log_in_with_password(&env, &app, "trois tortues lisent Proust").await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    env.wait_for_text(&app, "[data-testid=keyring-warning]", "trousseau de clés")
        .await?;
    env.screenshot("01-keyring-locked")?;
    assert!(
        env.keyring_session_entry()?.is_none(),
        "nothing reached the locked keyring"
    );
    app.close().await?;
    // Memory only means memory only: no session, token or password in any file.
    env.assert_no_secret_in_files(&["trois tortues lisent Proust", "refresh_token"])?;
    Ok(())
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_link_and_nobody_is_signed_in() -> Result<()> {
    let env = TestEnv::start("password_reset")?;
    env.server_admin(&[
        "create-user",
        MARIE,
        "--onboarded",
        "--password",
        "ancien mot de passe solide",
    ])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    app.find(Locator::Css("[data-testid=toggle-password]"))
        .await?
        .click()
        .await?;
    app.find(Locator::Css("[data-testid=forgot-password-link]"))
        .await?
        .click()
        .await?;
    // The form's screen is loaded on first use: waited for.
    econfiance_e2e::fill(&app, "reset-email", MARIE).await?;
    econfiance_e2e::click(&app, "reset-submit").await?;
    env.wait_for_text(
        &app,
        "[data-testid=reset-sent]",
        "Si un compte e-confiance existe",
    )
    .await?;

    let mail = env.wait_for_mail(MARIE, "Réinitialisation").await?;
    let landing = first_https_link(&mail).ok_or("no link in the mail")?;
    let deep_link = env.deep_link_of_landing_page(&landing).await?;
    assert!(
        deep_link.starts_with("econfiance://auth/reset?request="),
        "{deep_link}"
    );
    env.gio_open(&deep_link)?;
    env.wait_for_text(
        &app,
        "[data-testid=new-password] h1",
        "Nouveau mot de passe",
    )
    .await?;

    // A weak password is refused by the platform, and the link stays usable.
    let (new, again) = (
        app.find(Locator::Css("[data-testid=new-password-input]"))
            .await?,
        app.find(Locator::Css("[data-testid=confirm-password-input]"))
            .await?,
    );
    new.send_keys("motdepasse").await?;
    again.send_keys("motdepasse").await?;
    app.find(Locator::Css("[data-testid=save-password]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "[data-testid=new-password-error]", "trop facile")
        .await?;
    new.clear().await?;
    again.clear().await?;
    new.send_keys("trois tortues lisent Proust").await?;
    again.send_keys("trois tortues lisent Proust").await?;
    app.find(Locator::Css("[data-testid=save-password]"))
        .await?
        .click()
        .await?;
    // No automatic sign-in: back to the login screen, with what happened.
    env.wait_for_text(
        &app,
        "[data-testid=login-notice]",
        "Votre mot de passe a bien été changé",
    )
    .await?;
    env.screenshot("01-password-changed")?;
    assert!(
        env.keyring_session_entry()?.is_none(),
        "nobody was signed in"
    );

    // The reset link again: refused, and the new password works.
    env.gio_open(&deep_link)?;
    env.wait_for_text(&app, "[data-testid=link-message]", "n'a pas été demandé")
        .await?;
    // The address typed for the reset is still in the field.
    let email = app.find(Locator::Css("[data-testid=email]")).await?;
    assert_eq!(email.prop("value").await?.as_deref(), Some(MARIE));
    log_in_with_password(&env, &app, "trois tortues lisent Proust").await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    app.close().await?;
    let token = deep_link
        .split("token=")
        .nth(1)
        .ok_or("the reset link carries a token")?
        .to_owned();
    env.assert_no_secret_in_files(&[&token, "trois tortues lisent Proust"])?;
    Ok(())
}
