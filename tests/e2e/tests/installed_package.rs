//! The Linux package as a user gets it: the .deb (a debug bundle, built by
//! `scripts/test.sh` and named by `ECONFIANCE_DEB`) is installed with dpkg; its desktop
//! entry makes it the handler of `econfiance://` before the app ever ran; a link from the
//! login mail, opened by the OS (`gio open`) while the installed app is closed, starts it
//! with the URL and logs it in (seen from outside: keyring, server); uninstalling leaves
//! nothing registered. Updates as the installed app gets them: a release whose package was
//! altered after signing is refused and nothing changes; the genuine one is downloaded,
//! verified and installed by the app (through sudo here; pkexec on a desktop).
//!
//! Ignored by a plain `cargo test` (it installs a system package: root, and the bundle
//! first); `scripts/test.sh` runs it with `--ignored`.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use econfiance_e2e::{click, fill, first_https_link, json_field, Result, Signing, TestEnv};

const PACKAGE: &str = "e-confiance";
const BINARY: &str = "/usr/bin/e-confiance";
const ENTRY: &str = "/usr/share/applications/e-confiance.desktop";
const OWNER: &str = "chloe@fleuriste-exemple.fr";
const PASSWORD: &str = "quatre merles sifflent en mai";

/// The package, installed for the test's length: removed (purged) when dropped, even when
/// the test fails, so that later tests do not find a system-wide handler.
struct Installed;

impl Installed {
    fn new(deb: &str) -> Result<Self> {
        let out = Command::new("dpkg").args(["-i", deb]).output()?;
        if !out.status.success() {
            let _ = Command::new("dpkg").args(["--purge", PACKAGE]).status();
            return Err(format!(
                "dpkg -i {deb} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(Installed)
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = Command::new("dpkg").args(["--purge", PACKAGE]).status();
    }
}

/// The installed package's version, as dpkg knows it.
fn installed_version() -> Result<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f", "${Version}", PACKAGE])
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The same package under another version number (what a release build would be, without
/// building one): unpacked, its control file's version changed, packed again.
fn repackage(deb: &str, version: &str, work: &Path) -> Result<std::path::PathBuf> {
    let tree = work.join("repackaged");
    let _ = std::fs::remove_dir_all(&tree);
    let run = |cmd: &mut Command| -> Result<()> {
        let out = cmd.output()?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr)).into())
        }
    };
    run(Command::new("dpkg-deb").arg("-R").arg(deb).arg(&tree))?;
    let control = tree.join("DEBIAN/control");
    let text = std::fs::read_to_string(&control)?;
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("Version:") {
                format!("Version: {version}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&control, text)?;
    let out = work.join(format!("e-confiance_{version}_amd64.deb"));
    run(Command::new("dpkg-deb")
        .args(["--root-owner-group", "-Zgzip", "-z1", "-b"])
        .arg(&tree)
        .arg(&out))?;
    std::fs::remove_dir_all(&tree)?;
    Ok(out)
}

fn default_handler(env: &TestEnv) -> Result<String> {
    let out = env
        .command("xdg-mime")
        .args(["query", "default", "x-scheme-handler/econfiance"])
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[tokio::test]
#[ignore = "installs the .deb system-wide: run by scripts/test.sh with ECONFIANCE_DEB"]
async fn the_deb_registers_econfiance_opens_a_link_when_closed_and_uninstalls_cleanly() -> Result<()>
{
    let deb = std::env::var("ECONFIANCE_DEB")
        .map_err(|_| "ECONFIANCE_DEB must name the .deb to install (scripts/test.sh builds it)")?;
    let installed = Installed::new(&deb)?;

    // What the package put in place.
    assert!(Path::new(BINARY).exists(), "{BINARY} installed");
    let entry = std::fs::read_to_string(ENTRY)?;
    assert!(
        entry.contains("Exec=e-confiance %u"),
        "the URL is passed: {entry}"
    );
    assert!(
        entry.contains("MimeType=x-scheme-handler/econfiance;"),
        "the scheme is declared: {entry}"
    );
    for size in [
        "16x16",
        "24x24",
        "32x32",
        "48x48",
        "64x64",
        "128x128",
        "256x256",
        "256x256@2",
        "512x512",
    ] {
        let icon = format!("/usr/share/icons/hicolor/{size}/apps/e-confiance.png");
        assert!(Path::new(&icon).exists(), "{icon} installed");
    }
    let cache = std::fs::read_to_string("/usr/share/applications/mimeinfo.cache")?;
    assert!(
        cache.contains("x-scheme-handler/econfiance=e-confiance.desktop"),
        "the desktop database knows the handler"
    );

    // A fresh user session (private folders) on this machine: the package is the handler
    // before the app ever ran.
    // The harness drives (and counts) the installed binary, not the one beside the tests.
    std::env::set_var("ECONFIANCE_APP_BIN", BINARY);
    let env = TestEnv::start_with(
        "installed_deb",
        &[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")],
    )?;
    assert_eq!(default_handler(&env)?, "e-confiance.desktop");

    // The installed app asks for a link, then is closed.
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(&app, "email", OWNER).await?;
    click(&app, "send-link").await?;
    // The app has kept its pending request (in the keyring) once it shows where it sent.
    env.wait_for_text(&app, "[data-testid=sent-to]", OWNER)
        .await?;
    let mail = env.wait_for_mail(OWNER, "Votre lien de connexion").await?;
    app.close().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(env.app_process_count()?, 0, "the app is closed");

    // The OS opens the mail's link: the installed app starts with it and logs in.
    let landing = first_https_link(&mail).ok_or("no link in the mail")?;
    let link = env.deep_link_of_landing_page(&landing).await?;
    let status = env.gio_open(&link)?;
    assert!(status.success(), "gio open: {status}");
    let mut entry = None;
    for _ in 0..200 {
        entry = env.keyring_session_entry()?;
        if entry.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The app's own log, kept with the test's artifacts (it holds no secret).
    let logs = env.data_home().join("fr.econfiance.desktop/logs");
    for file in std::fs::read_dir(&logs).into_iter().flatten().flatten() {
        let _ = std::fs::copy(file.path(), env.artifacts.join(file.file_name()));
    }
    let entry = entry.ok_or("the OS-started installed app saved a session")?;
    assert_eq!(json_field(&entry, "email")?, OWNER);
    assert_eq!(env.app_process_count()?, 1, "one app, started by the OS");
    let probe = env.password_session(OWNER, PASSWORD).await?;
    let (_, sessions) = env
        .api_get(
            "/v1/auth/sessions",
            probe["access_token"].as_str().ok_or("access")?,
        )
        .await?;
    let session = json_field(&entry, "session_id")?;
    assert!(
        sessions
            .as_array()
            .is_some_and(|l| l.iter().any(|s| s["id"] == session.as_str())),
        "the server lists the installed app's session: {sessions}"
    );
    env.screenshot("01-installed-app-started-by-the-link")?;
    // The installed app relies on its package's entry: no per-user handler written.
    let user_entries = env.data_home().join("applications");
    let written: Vec<_> = std::fs::read_dir(&user_entries)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "per-user entries: {written:?}");
    env.kill_apps()?;

    // Updates. The installed app, started again (its session is kept), looks for one.
    assert_eq!(installed_version()?, "0.1.0");
    let app = env.launch(&[]).await?;
    click(&app, "nav-settings").await?;
    let next = repackage(&deb, "0.1.1", &env.artifacts)?;

    // A feed announcing 0.1.1 with a genuine package signed for another version, then with
    // one signed for no version: each refused at install, nothing changed.
    for signing in [Signing::SignedAs("0.1.2"), Signing::SignedWithoutVersion] {
        env.publish_update("0.1.1", "Version de test.", &next, signing)?;
        click(&app, "update-check").await?;
        env.wait_for_count(&app, "[data-testid=update-error]", 0)
            .await?;
        env.wait_for_text(&app, "[data-testid=update-available]", "0.1.1")
            .await?;
        click(&app, "update-install").await?;
        env.wait_for_text(&app, "[data-testid=update-error]", "rien n'a été installé")
            .await?;
        assert_eq!(installed_version()?, "0.1.0", "{signing:?} was installed");
    }
    env.screenshot("02-update-signed-for-another-version-refused")?;

    // A package altered after it was signed: announced, refused at install, nothing changed.
    env.publish_update("0.1.1", "Version de test.", &next, Signing::Tampered)?;
    click(&app, "update-check").await?;
    env.wait_for_text(&app, "[data-testid=update-available]", "0.1.1")
        .await?;
    click(&app, "update-install").await?;
    let refused = env
        .wait_for_text(&app, "[data-testid=update-error]", "rien n'a été installé")
        .await?;
    assert!(refused.contains("signature"), "{refused}");
    env.screenshot("03-tampered-update-refused")?;
    assert_eq!(
        installed_version()?,
        "0.1.0",
        "the tampered package was not installed"
    );
    assert!(app
        .find_all(fantoccini::Locator::Css("[data-testid=update-installed]"))
        .await?
        .is_empty());

    // The genuine package: downloaded, verified, installed by the app.
    env.publish_update("0.1.1", "Version de test.", &next, Signing::Genuine)?;
    click(&app, "update-check").await?;
    env.wait_for_text(&app, "[data-testid=update-available]", "0.1.1")
        .await?;
    click(&app, "update-install").await?;
    let wait = Duration::from_secs(120);
    let started = std::time::Instant::now();
    while app
        .find_all(fantoccini::Locator::Css("[data-testid=update-installed]"))
        .await?
        .is_empty()
    {
        let errors = app
            .find_all(fantoccini::Locator::Css("[data-testid=update-error]"))
            .await?;
        if let Some(error) = errors.first() {
            return Err(format!("install failed: {}", error.text().await?).into());
        }
        if started.elapsed() > wait {
            return Err("the update was not installed within 2 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    env.wait_for_text(&app, "[data-testid=update-restart]", "Redémarrer")
        .await?;
    env.screenshot("04-update-installed")?;
    assert_eq!(
        installed_version()?,
        "0.1.1",
        "the app installed its update"
    );
    env.kill_apps()?;

    // Uninstalled: nothing left registered.
    drop(installed);
    assert!(!Path::new(BINARY).exists(), "{BINARY} removed");
    assert!(!Path::new(ENTRY).exists(), "{ENTRY} removed");
    let cache =
        std::fs::read_to_string("/usr/share/applications/mimeinfo.cache").unwrap_or_default();
    assert!(
        !cache.contains("econfiance"),
        "the desktop database forgot it"
    );
    assert_eq!(
        default_handler(&env)?,
        "",
        "no handler of econfiance:// is left"
    );
    let status = Command::new("dpkg-query")
        .args(["-W", PACKAGE])
        .output()?
        .status;
    assert!(!status.success(), "dpkg no longer knows the package");
    Ok(())
}
