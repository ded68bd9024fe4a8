//! What the app remembers and shows about itself, in the real window: the window's size
//! comes back after a restart (tauri-plugin-window-state); the About box shows the version,
//! opens the platform's legal pages in the user's browser (the OS's https handler, here a
//! recording one) and lists the licences generated from the lock files.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::Duration;

use econfiance_e2e::{click, log_in_with_password, Result, Signing, TestEnv, WAIT};
use fantoccini::Locator;

const OWNER: &str = "hugo@garage-exemple.fr";
const PASSWORD: &str = "dix renards courent vite";

/// Makes a recording "browser" the world's https handler: it appends each URL it is asked
/// to open to the returned file.
fn install_recording_browser(env: &TestEnv) -> Result<std::path::PathBuf> {
    let record = env.artifacts.join("browser-opened.txt");
    std::fs::write(&record, b"")?;
    let apps = env.data_home().join("applications");
    std::fs::create_dir_all(&apps)?;
    let script = env.artifacts.join("recording-browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            record.display()
        ),
    )?;
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
    std::fs::write(
        apps.join("recording-browser.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=Recording browser\nExec={} %u\n\
             MimeType=x-scheme-handler/https;x-scheme-handler/http;\n",
            script.display()
        ),
    )?;
    for scheme in ["https", "http"] {
        let status = env
            .command("xdg-mime")
            .args([
                "default",
                "recording-browser.desktop",
                &format!("x-scheme-handler/{scheme}"),
            ])
            .status()?;
        assert!(status.success(), "xdg-mime default for {scheme}");
    }
    Ok(record)
}

#[tokio::test]
async fn the_about_box_opens_the_legal_pages_and_lists_licences() -> Result<()> {
    let env = TestEnv::start("about")?;
    let record = install_recording_browser(&env)?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, OWNER, PASSWORD).await?;
    click(&app, "nav-settings").await?;
    let version = env
        .wait_for_text(
            &app,
            "[data-testid=about-version]",
            env!("CARGO_PKG_VERSION"),
        )
        .await?;
    assert!(version.contains("e-confiance"), "{version}");

    // Each legal page opens in the browser, at the platform's address, and exists there.
    for (testid, path, title) in [
        (
            "legal-terms",
            "/legal/cgu",
            "Conditions générales d'utilisation",
        ),
        (
            "legal-privacy",
            "/legal/confidentialite",
            "Politique de confidentialité",
        ),
        (
            "legal-legal_notice",
            "/legal/mentions-legales",
            "Mentions légales",
        ),
    ] {
        click(&app, testid).await?;
        let wanted = format!("{}{path}", env.server_url);
        let mut opened = String::new();
        for _ in 0..100 {
            opened = std::fs::read_to_string(&record)?;
            if opened.lines().any(|l| l == wanted) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            opened.lines().any(|l| l == wanted),
            "the browser was asked for {wanted}; it got: {opened:?}"
        );
        let page = env
            .https()?
            .get(&wanted)
            .header("accept-language", "fr")
            .send()
            .await?;
        assert_eq!(page.status().as_u16(), 200, "{wanted}");
        assert!(
            page.text().await?.contains(title),
            "{wanted} is the {title} page"
        );
    }
    assert!(app
        .find_all(Locator::Css("[data-testid=about-error]"))
        .await?
        .is_empty());

    // The licences, loaded when opened: the crates and npm packages the app ships.
    click(&app, "licences").await?;
    app.execute(
        "document.querySelector('[data-testid=licences]').open = true",
        vec![],
    )
    .await?;
    let table = app
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid=licences-table]"))
        .await?;
    let rows = table.find_all(Locator::Css("tr")).await?.len();
    assert!(rows > 100, "only {rows} licences listed");
    let text = table.text().await?;
    for name in ["tauri", "reqwest", "svelte", "uplot"] {
        assert!(text.contains(name), "{name} is listed");
    }
    assert!(text.contains("MIT"), "licences are named");
    env.screenshot("01-about")?;
    Ok(())
}

#[tokio::test]
async fn the_window_comes_back_at_the_size_it_was_closed_at() -> Result<()> {
    let env = TestEnv::start("window_state")?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    app.set_window_size(930, 640).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (w, h) = app.get_window_size().await?;
    assert_eq!((w, h), (930, 640), "the size was applied");

    // Closed as with the window's close button: the app ends and saves its window.
    assert_eq!(env.close_app_window()?, 1);
    for _ in 0..100 {
        if env.app_process_count()? == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        env.app_process_count()?,
        0,
        "closing the window ended the app"
    );
    let _ = app.close().await;
    let saved = env
        .config_home()
        .join("fr.econfiance.desktop/.window-state.json");
    let state = std::fs::read_to_string(&saved).map_err(|e| format!("{}: {e}", saved.display()))?;
    assert!(state.contains("930"), "saved: {state}");

    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    assert_eq!(
        app.get_window_size().await?,
        (930, 640),
        "the size came back"
    );
    Ok(())
}

/// The update check in the real window, with this development build (not installed from a
/// package, so it points to a manual install): up to date while nothing is published; a
/// release published on the server is announced with its version, date and notes. The
/// package's download, signature check and install are tested with the installed .deb
/// (`installed_package.rs`).
#[tokio::test]
async fn the_about_box_checks_for_updates_and_shows_the_release_notes() -> Result<()> {
    let env = TestEnv::start("update_check")?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, OWNER, PASSWORD).await?;
    click(&app, "nav-settings").await?;

    click(&app, "update-check").await?;
    env.wait_for_text(
        &app,
        "[data-testid=update-latest]",
        "Vous utilisez la dernière version",
    )
    .await?;

    let package = env.artifacts.join("package.deb");
    std::fs::write(
        &package,
        b"!<arch>\ndebian-binary   not installed by this test",
    )?;
    env.publish_update(
        "9.1.0",
        "Réponses aux avis plus rapides.\nExport CSV par période.",
        &package,
        Signing::Genuine,
    )?;
    click(&app, "update-check").await?;
    let announced = env
        .wait_for_text(&app, "[data-testid=update-available]", "9.1.0")
        .await?;
    assert!(announced.contains("publiée le"), "{announced}");
    let notes = env
        .wait_for_text(&app, "[data-testid=update-notes]", "Export CSV par période")
        .await?;
    assert!(notes.contains("Réponses aux avis plus rapides"), "{notes}");
    env.wait_for_text(
        &app,
        "[data-testid=update-manual]",
        "pas été installée depuis un paquet",
    )
    .await?;
    assert!(
        app.find_all(Locator::Css("[data-testid=update-install]"))
            .await?
            .is_empty(),
        "no install button on a copy that cannot install itself"
    );
    env.screenshot("01-update-available")?;
    Ok(())
}
