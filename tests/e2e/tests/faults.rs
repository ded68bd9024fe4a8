//! Faults the real app must survive: a server that misbehaves (a proxy's error page, JSON
//! it cannot read, no answer in time), a full disk under its data, cache and logs (small
//! tmpfs mounts filled to the last byte), and the app killed with SIGKILL in the middle of a
//! login. In each, the window goes on working, says what happened and what to do, and
//! keeps what was typed.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;

use econfiance_e2e::{click, fill, first_https_link, log_in_with_password, Result, TestEnv};
use fantoccini::Locator;

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";
const IDENTIFIER: &str = "fr.econfiance.desktop";

/// A small tmpfs mounted over one of the app's folders, unmounted when dropped. Mounting
/// needs root (the test command runs as root; elsewhere `sudo -n`).
struct Tmpfs {
    path: PathBuf,
}

fn privileged(args: &[&str]) -> Command {
    // `id -u` prints 0 for root.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let mut cmd = if root {
        Command::new(args[0])
    } else {
        let mut c = Command::new("sudo");
        c.args(["-n", args[0]]);
        c
    };
    cmd.args(&args[1..]);
    cmd
}

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Result<Self> {
        std::fs::create_dir_all(path)?;
        let target = path.to_str().ok_or("path")?;
        let status = privileged(&[
            "mount",
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size}"),
            "tmpfs",
            target,
        ])
        .status()?;
        if !status.success() {
            return Err(format!("cannot mount a tmpfs on {target} (root or sudo needed)").into());
        }
        Ok(Self {
            path: path.to_owned(),
        })
    }

    fn filler(&self) -> PathBuf {
        self.path.join("filler.bin")
    }

    /// Writes until the file system refuses: the next write of the app gets ENOSPC.
    fn fill(&self) -> Result<()> {
        let mut file = std::fs::File::create(self.filler())?;
        let block = vec![0u8; 4096];
        loop {
            if let Err(e) = file.write_all(&block).and_then(|()| file.flush()) {
                if e.raw_os_error() == Some(28) {
                    break;
                }
                return Err(e.into());
            }
        }
        // Single bytes too, up to the very last one.
        while file.write_all(&[0]).is_ok() {}
        Ok(())
    }

    fn free(&self) -> Result<()> {
        std::fs::remove_file(self.filler())?;
        Ok(())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        if let Some(target) = self.path.to_str() {
            let _ = privileged(&["umount", "-l", target]).status();
        }
    }
}

/// Opens the `n`-th review of the list that has no reply yet (a row without the ↩ mark).
async fn open_unanswered(app: &fantoccini::Client, n: usize) -> Result<()> {
    wait_for_rows(app).await?;
    let rows = app
        .find_all(Locator::Css("[data-testid=review-row]"))
        .await?;
    let mut seen = 0;
    for row in rows {
        if !row.text().await?.contains('↩') {
            if seen == n {
                row.click().await?;
                return Ok(());
            }
            seen += 1;
        }
    }
    Err(format!("fewer than {} reviews without a reply", n + 1).into())
}

async fn wait_for_rows(app: &fantoccini::Client) -> Result<()> {
    app.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=review-row]"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_full_disk_is_said_plainly_and_loses_no_typed_reply() -> Result<()> {
    let env = TestEnv::start("fault_full_disk")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "50"])?;
    // The app's data (settings, drafts, logs, the webview's storage) and cache folders, each
    // on a 16 MiB tmpfs.
    let data = Tmpfs::mount(&env.data_home().join(IDENTIFIER), "16m")?;
    let cache = Tmpfs::mount(&env.cache_home().join(IDENTIFIER), "16m")?;
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, MARIE, PASSWORD).await?;
    env.wait_for_text(&app, "[data-testid=kpi-average]", "/5")
        .await?;

    // Both disks full: logs, the dashboard's snapshot and drafts can no longer be written.
    data.fill()?;
    cache.fill()?;
    click(&app, "nav-reviews").await?;
    open_unanswered(&app, 0).await?;
    env.wait_for_count(&app, "[data-testid=review-detail]", 1)
        .await?;
    let reply = "Merci pour votre visite, à très bientôt à la boutique !";
    fill(&app, "reply-box", reply).await?;
    let said = env
        .wait_for_text(&app, "[data-testid=reply-draft-error]", "espace disque")
        .await?;
    assert!(said.contains("le texte reste ici"), "{said}");
    let kept = app
        .find(Locator::Css("[data-testid=reply-box]"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(
        kept.as_deref(),
        Some(reply),
        "the typed text is still there"
    );
    env.screenshot("01-draft-not-saved")?;

    // The window still works on a full disk: the reply is published.
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "Réponse publiée")
        .await?;

    // The same for a message to support: the draft cannot be kept, which is said; the
    // message is sent all the same.
    click(&app, "nav-help").await?;
    fill(&app, "support-subject", "Question sur mes avis").await?;
    fill(
        &app,
        "support-message",
        "Comment répondre à un avis signalé ?",
    )
    .await?;
    env.wait_for_text(&app, "[data-testid=support-draft-error]", "espace disque")
        .await?;
    click(&app, "support-send").await?;
    env.wait_for_text(&app, "[data-testid=support-reference]", "EC-")
        .await?;
    env.wait_for_count(&app, "[data-testid=support-error]", 0)
        .await?;
    click(&app, "nav-reviews").await?;

    // Space again: the next draft is kept, and the warning goes away.
    data.free()?;
    cache.free()?;
    open_unanswered(&app, 1).await?;
    env.wait_for_count(&app, "[data-testid=reply-draft-error]", 0)
        .await?;
    let second = "Nous sommes désolés, appelez-nous au 01 23 45 67 89.";
    fill(&app, "reply-box", second).await?;
    let drafts = env
        .data_home()
        .join(IDENTIFIER)
        .join("app/reply-drafts.json");
    let mut saved = String::new();
    for _ in 0..50 {
        saved = std::fs::read_to_string(&drafts).unwrap_or_default();
        if saved.contains("appelez-nous") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        saved.contains("appelez-nous"),
        "the draft was not saved: {saved}"
    );
    env.wait_for_count(&app, "[data-testid=reply-draft-error]", 0)
        .await?;
    app.close().await?;
    Ok(())
}

/// How the misbehaving server answers `GET /v1/status` (and everything else: 404).
const PROXY_ERROR_PAGE: u8 = 0;
const MALFORMED_JSON: u8 = 1;
const NO_ANSWER: u8 = 2;
const HEALTHY: u8 = 3;

/// An HTTPS server on loopback whose answers the test switches; returns its URL and the
/// certificate the app must trust.
async fn misbehaving_server(mode: Arc<AtomicU8>, dir: &Path) -> Result<(String, PathBuf)> {
    let files = econfiance_server::tls::ensure_certificate(dir, &["127.0.0.1".into()])?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key).await?;
    let app = axum::Router::new().route(
        "/v1/status",
        axum::routing::get(move || {
            let mode = mode.clone();
            async move {
                match mode.load(Ordering::SeqCst) {
                    PROXY_ERROR_PAGE => (
                        StatusCode::BAD_GATEWAY,
                        [(header::CONTENT_TYPE, "text/html")],
                        "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
                    )
                        .into_response(),
                    MALFORMED_JSON => (
                        [(header::CONTENT_TYPE, "application/json")],
                        r#"{"state": "operat"#,
                    )
                        .into_response(),
                    NO_ANSWER => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        StatusCode::GATEWAY_TIMEOUT.into_response()
                    }
                    _ => axum::Json(serde_json::json!({
                        "state": "operational", "message_fr": null, "message_en": null,
                        "updated_at": "2026-11-27T10:00:00Z"
                    }))
                    .into_response(),
                }
            }
        }),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let url = format!("https://{}", listener.local_addr()?);
    let server = axum_server::from_tcp_rustls(listener, tls)?;
    tokio::spawn(server.serve(app.into_make_service()));
    Ok((url, files.cert))
}

async fn retry_status(app: &fantoccini::Client) -> Result<()> {
    app.find(Locator::Css("[data-testid=platform-status] button.retry"))
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_misbehaving_server_is_explained_and_the_typed_address_stays() -> Result<()> {
    let mode = Arc::new(AtomicU8::new(PROXY_ERROR_PAGE));
    let dir = tempfile::tempdir()?;
    let (url, cert) = misbehaving_server(mode.clone(), dir.path()).await?;
    let cert = cert.display().to_string();
    let env = TestEnv::start_with(
        "fault_misbehaving_server",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("ECONFIANCE_SERVER_URL", &url),
            ("ECONFIANCE_CA_FILE", &cert),
        ],
    )?;
    let app = env.launch(&[]).await?;
    let error = "[data-testid=platform-status][data-state=error]";

    // A proxy's 502 page: the platform has a problem, try again later — no HTML shown.
    let said = env
        .wait_for_text(&app, error, "rencontre un problème")
        .await?;
    assert!(
        said.contains("Réessayez") && !said.contains("nginx"),
        "{said}"
    );
    fill(&app, "email", MARIE).await?;

    // JSON it cannot read: an unexpected answer, update the app or contact support.
    mode.store(MALFORMED_JSON, Ordering::SeqCst);
    retry_status(&app).await?;
    env.wait_for_text(&app, error, "réponse inattendue").await?;

    // No answer: after the request limit (15 s), the platform is not answering right now.
    mode.store(NO_ANSWER, Ordering::SeqCst);
    retry_status(&app).await?;
    app.wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(
            "[data-testid=platform-status][data-state=error]",
        ))
        .await?;
    env.wait_for_text(&app, error, "ne répond pas pour le moment")
        .await?;
    env.screenshot("01-no-answer")?;

    // All along, the window answered and the typed address stayed.
    let typed = app
        .find(Locator::Css("[data-testid=email]"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(typed.as_deref(), Some(MARIE));
    mode.store(HEALTHY, Ordering::SeqCst);
    retry_status(&app).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn a_login_cut_short_by_a_killed_app_completes_from_the_link() -> Result<()> {
    let env = TestEnv::start("fault_killed_mid_login")?;
    env.server_admin(&["create-user", MARIE, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(&app, "email", MARIE).await?;
    click(&app, "send-link").await?;
    env.wait_for_text(&app, "[data-testid=sent-to]", MARIE)
        .await?;
    let mail = env.wait_for_mail(MARIE, "Votre lien de connexion").await?;

    // Killed outright (no clean exit, no chance to save anything more).
    for pid in env.app_pids()? {
        let status = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()?;
        assert!(status.success(), "kill -KILL {pid}");
    }
    for _ in 0..50 {
        if env.app_process_count()? == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(env.app_process_count()?, 0, "the app is gone");
    // The driver's session outlived its app: end it (its answer does not matter).
    let _ = app.close().await;

    // The link of the mail starts it again (as the .desktop entry does): the pending request
    // and its verifier come back from the keyring, and the login completes.
    let landing = first_https_link(&mail).ok_or("no link in the mail")?;
    let deep_link = env.deep_link_of_landing_page(&landing).await?;
    let app = env.launch(&[&deep_link]).await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    env.screenshot("01-signed-in-after-kill")?;
    app.close().await?;
    Ok(())
}
