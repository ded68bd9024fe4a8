//! The real app window under Xvfb, driven over WebDriver: the login screen, the platform
//! status from the real sandbox server, and deep links delivered by the OS (`gio open`).

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::Duration;

use econfiance_e2e::{Result, TestEnv};
use fantoccini::Locator;

const WELL_FORMED: &str = "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P";
const MALFORMED: &str = "econfiance://auth/callback?request=rq_0123456789abcdef&next=evil";
const REFUSED_NOT_HERE: &str = "[data-testid=link-message][data-code=link_not_requested_here]";
const REFUSED_MALFORMED: &str = "[data-testid=link-message][data-code=link_malformed]";

#[tokio::test]
async fn login_screen_renders_with_the_servers_status_and_validates_the_email() -> Result<()> {
    let env = TestEnv::start("login_screen")?;
    let app = env.launch(&[]).await?;

    env.wait_for_text(&app, "h1", "Connexion à votre espace")
        .await?;
    env.wait_for_text(
        &app,
        "[data-testid=platform-status][data-state=operational]",
        "tout fonctionne normalement",
    )
    .await?;

    let email = app.find(Locator::Css("[data-testid=email]")).await?;
    email.send_keys("marie@boulangerie").await?;
    app.find(Locator::Css("h1")).await?.click().await?;
    env.wait_for_text(
        &app,
        "[data-testid=email-help][data-check=invalid]",
        "n'est pas valide",
    )
    .await?;
    email.send_keys(".fr").await?;
    env.wait_for_text(&app, "[data-testid=email-help][data-check=valid]", "valide")
        .await?;
    env.screenshot("01-login-screen-fr")?;

    app.find(Locator::Css("[data-testid=language-switch]"))
        .await?
        .click()
        .await?;
    env.wait_for_text(&app, "h1", "Log in to your account")
        .await?;
    env.wait_for_text(
        &app,
        "[data-testid=platform-status]",
        "everything is working",
    )
    .await?;
    let typed = email.prop("value").await?;
    assert_eq!(
        typed.as_deref(),
        Some("marie@boulangerie.fr"),
        "switching language keeps what was typed"
    );
    env.screenshot("02-login-screen-en")?;
    app.close().await?;

    // The choice is remembered in the app data folder (not the cache), and used next time.
    let settings = env
        .data_home()
        .join("fr.econfiance.desktop/app/settings.json");
    let saved = std::fs::read_to_string(&settings)?;
    assert!(saved.contains("\"en\""), "{saved}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "h1", "Log in to your account")
        .await?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn english_os_locale_gives_english_and_an_incident_is_shown() -> Result<()> {
    let env = TestEnv::start_with(
        "english_incident",
        &[("LANG", "en_GB.UTF-8"), ("LC_ALL", "en_GB.UTF-8")],
    )?;
    env.server_admin(&[
        "status",
        "degraded",
        "--fr",
        "Envoi des e-mails ralenti.",
        "--en",
        "E-mail delivery is delayed.",
    ])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "h1", "Log in to your account")
        .await?;
    env.wait_for_text(
        &app,
        "[data-testid=platform-status][data-state=degraded]",
        "E-mail delivery is delayed.",
    )
    .await?;
    env.screenshot("01-incident-en")?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn server_down_is_said_plainly_with_a_retry() -> Result<()> {
    let env = TestEnv::start_with(
        "server_down",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            // Nothing listens on port 9 (discard) on loopback here.
            ("ECONFIANCE_SERVER_URL", "https://127.0.0.1:9"),
        ],
    )?;
    let app = env.launch(&[]).await?;
    let text = env
        .wait_for_text(
            &app,
            "[data-testid=platform-status][data-state=error]",
            "Impossible de joindre la plateforme",
        )
        .await?;
    assert!(text.contains("Vérifiez votre connexion internet"), "{text}");
    assert!(text.contains("Réessayer"), "{text}");
    env.screenshot("01-server-down")?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn deep_links_opened_by_the_os_reach_the_running_app_and_are_refused() -> Result<()> {
    let env = TestEnv::start("deep_link_running")?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    let email = app.find(Locator::Css("[data-testid=email]")).await?;
    email.send_keys("marie@boulangerie.fr").await?;
    assert_eq!(env.app_process_count()?, 1);

    let status = env.gio_open(WELL_FORMED)?;
    assert!(status.success(), "gio open failed: {status}");
    let text = env
        .wait_for_text(
            &app,
            REFUSED_NOT_HERE,
            "n'a pas été demandé depuis cette application",
        )
        .await?;
    assert!(
        !text.contains("K7M4"),
        "the code is never shown back: {text}"
    );

    let status = env.gio_open(MALFORMED)?;
    assert!(status.success(), "gio open failed: {status}");
    env.wait_for_text(&app, REFUSED_MALFORMED, "incomplet ou abîmé")
        .await?;
    env.screenshot("01-links-refused")?;

    // The second launches handed their URL over and exited: one process, one window.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        env.app_process_count()?,
        1,
        "a second app process is running"
    );
    assert_eq!(env.app_window_count()?, 1, "a second window appeared");
    // Nothing changed: still the login screen, with what was typed.
    env.wait_for_text(&app, "h1", "Connexion à votre espace")
        .await?;
    assert_eq!(
        email.prop("value").await?.as_deref(),
        Some("marie@boulangerie.fr")
    );
    app.close().await?;

    // The app's log file, in the OS log folder, tells what happened without the code.
    let logs = read_app_logs(&env)?;
    assert!(logs.contains("deep link refused"), "{logs}");
    assert!(logs.contains("link_not_requested_here"), "{logs}");
    assert!(
        !logs.contains("K7M4"),
        "the login code reached the log file"
    );
    Ok(())
}

#[tokio::test]
async fn a_link_that_starts_the_app_is_buffered_until_the_ui_listens() -> Result<()> {
    let env = TestEnv::start("deep_link_cold_start")?;
    // What the .desktop Exec line does: the URL is the app's argument.
    let app = env.launch(&[WELL_FORMED]).await?;
    env.wait_for_text(&app, REFUSED_NOT_HERE, "n'a pas été demandé")
        .await?;
    let banners = app
        .find_all(Locator::Css("[data-testid=link-message]"))
        .await?;
    assert_eq!(banners.len(), 1, "the buffered link is shown once");
    env.screenshot("01-cold-start-link")?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn malformed_links_each_get_a_clear_message_and_leave_the_app_working() -> Result<()> {
    let env = TestEnv::start("deep_link_malformed")?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    let long = format!("{WELL_FORMED}&pad={}", "A".repeat(10 * 1024));
    let bad_links = [
        "econfiance://auth/unknown?request=rq_0123456789abcdef&code=K7M4-QX2P",
        "econfiance://evil/callback?request=rq_0123456789abcdef&code=K7M4-QX2P",
        "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P&code=AAAA-BBBB",
        "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4%2DQX2P",
        "econfiance://user:pw@auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P",
        "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P#frag",
        "econfiance://auth/callback",
        long.as_str(),
    ];
    for (i, link) in bad_links.iter().enumerate() {
        let status = env.gio_open(link)?;
        assert!(status.success(), "gio open failed for link {i}: {status}");
        // Each refusal shows the malformed-link message; closing it leaves none behind.
        env.wait_for_text(&app, REFUSED_MALFORMED, "incomplet ou abîmé")
            .await?;
        app.find(Locator::Css("[data-testid=link-message] button"))
            .await?
            .click()
            .await?;
        env.wait_for_count(&app, "[data-testid=link-message]", 0)
            .await?;
    }
    // Still one responsive app on the login screen.
    assert_eq!(env.app_process_count()?, 1);
    env.wait_for_text(&app, "h1", "Connexion à votre espace")
        .await?;
    let email = app.find(Locator::Css("[data-testid=email]")).await?;
    email.send_keys("ok@exemple.fr").await?;
    assert_eq!(email.prop("value").await?.as_deref(), Some("ok@exemple.fr"));
    env.screenshot("01-after-malformed-links")?;
    app.close().await?;
    Ok(())
}

fn read_app_logs(env: &TestEnv) -> Result<String> {
    let dir = env.data_home().join("fr.econfiance.desktop/logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir)? {
        text.push_str(&std::fs::read_to_string(entry?.path())?);
    }
    Ok(text)
}

#[tokio::test]
async fn the_window_follows_a_dark_system_theme() -> Result<()> {
    let env = TestEnv::start_with(
        "dark_theme",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("GTK_THEME", "Adwaita:dark"),
        ],
    )?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    let colours = app
        .execute(
            "return [matchMedia('(prefers-color-scheme: dark)').matches, getComputedStyle(document.documentElement).backgroundColor]",
            vec![],
        )
        .await?;
    assert_eq!(
        colours,
        serde_json::json!([true, "rgb(18, 23, 35)"]),
        "the dark palette is in use"
    );
    env.screenshot("01-dark")?;
    app.close().await?;
    Ok(())
}

/// The page's background colour and whether the OS asks for dark.
async fn palette(app: &fantoccini::Client) -> Result<serde_json::Value> {
    Ok(app
        .execute(
            "return [matchMedia('(prefers-color-scheme: dark)').matches, getComputedStyle(document.documentElement).backgroundColor]",
            vec![],
        )
        .await?)
}

#[tokio::test]
async fn the_theme_chosen_in_the_settings_wins_over_the_system_and_is_kept() -> Result<()> {
    const OWNER: &str = "ines@epicerie-exemple.fr";
    const PASSWORD: &str = "cinq loutres nagent la nuit";
    const DARK: &str = "rgb(18, 23, 35)";
    const LIGHT: &str = "rgb(244, 246, 250)";
    let env = TestEnv::start_with(
        "theme_choice",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("GTK_THEME", "Adwaita:dark"),
        ],
    )?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    econfiance_e2e::log_in_with_password(&env, &app, OWNER, PASSWORD).await?;
    assert_eq!(palette(&app).await?, serde_json::json!([true, DARK]));

    // "Claire" under a dark system: light at once, and after a restart.
    econfiance_e2e::click(&app, "nav-settings").await?;
    econfiance_e2e::click(&app, "theme-light").await?;
    assert_eq!(palette(&app).await?, serde_json::json!([true, LIGHT]));
    env.screenshot("01-light-chosen")?;
    app.close().await?;
    env.kill_apps()?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", OWNER)
        .await?;
    assert_eq!(
        palette(&app).await?,
        serde_json::json!([true, LIGHT]),
        "the choice is kept"
    );

    // "Comme le système": dark again.
    econfiance_e2e::click(&app, "nav-settings").await?;
    econfiance_e2e::click(&app, "theme-system").await?;
    assert_eq!(palette(&app).await?, serde_json::json!([true, DARK]));
    app.close().await?;
    Ok(())
}
