//! The app's Content Security Policy, enforced by the real webview: a `<script>` element
//! inserted into the app's page — inline, and with a remote `src` — never runs, and the
//! remote one is never even fetched. WebDriver's own scripts bypass the policy, so they
//! only insert the elements and read the side effects; the control case inserts the same
//! elements into a page without the policy, in the same webview, and there they run.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use econfiance_e2e::{Result, TestEnv};

/// Inserts an inline script and a remote one (`arguments[0]`); each would set its flag.
const INSERT_SCRIPTS: &str = r#"
    const inline = document.createElement("script");
    inline.textContent = "window.__inlineRan = true;";
    document.head.appendChild(inline);
    const remote = document.createElement("script");
    remote.src = arguments[0];
    document.head.appendChild(remote);
    return true;
"#;

/// `[inline ran, remote ran]`.
const SIDE_EFFECTS: &str = "return [window.__inlineRan === true, window.__remoteRan === true];";

/// A plain HTTP server on loopback: `/control.html` is a page without any policy; any other
/// address is a script setting `window.__remoteRan`. Returns the script's address and how
/// many times it was fetched.
fn remote_script_server() -> Result<(String, Arc<AtomicUsize>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/evil.js", listener.local_addr()?);
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let page = request.starts_with(b"GET /control.html");
            let (kind, body) = if page {
                (
                    "text/html",
                    "<!doctype html><html><head></head><body>control</body></html>",
                )
            } else {
                counted.fetch_add(1, Ordering::SeqCst);
                ("text/javascript", "window.__remoteRan = true;")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok((url, hits))
}

async fn side_effects(app: &fantoccini::Client) -> Result<(bool, bool)> {
    let answer = app.execute(SIDE_EFFECTS, vec![]).await?;
    let flags = answer.as_array().ok_or("no answer")?;
    Ok((
        flags.first().and_then(|f| f.as_bool()).unwrap_or(false),
        flags.get(1).and_then(|f| f.as_bool()).unwrap_or(false),
    ))
}

#[tokio::test]
async fn scripts_inserted_into_the_app_never_run_and_do_in_a_page_without_the_policy() -> Result<()>
{
    let env = TestEnv::start("content_policy")?;
    let (remote, hits) = remote_script_server()?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "h1", "Connexion à votre espace")
        .await?;

    // The app's page: neither script runs; the remote one is not fetched.
    app.execute(INSERT_SCRIPTS, vec![remote.clone().into()])
        .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        side_effects(&app).await?,
        (false, false),
        "a script inserted into the app's page ran"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the remote script was fetched"
    );
    env.screenshot("01-app-page-after-the-insertion")?;

    // The control: the same insertion in a page of the same webview without the policy
    // runs both, so the check above can see a script run.
    app.goto(&remote.replace("/evil.js", "/control.html"))
        .await?;
    env.wait_for_text(&app, "body", "control").await?;
    app.execute(INSERT_SCRIPTS, vec![remote.into()]).await?;
    let mut ran = (false, false);
    for _ in 0..50 {
        ran = side_effects(&app).await?;
        if ran == (true, true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        ran,
        (true, true),
        "the control page did not run the scripts"
    );
    assert!(
        hits.load(Ordering::SeqCst) >= 1,
        "the control fetched nothing"
    );
    Ok(())
}
