//! "Problème de connexion ?" in the real app: the connection check and the repair of the
//! econfiance:// association, "Vider le cache" (webview data really gone, the session,
//! settings and drafts kept — unless sign-out is ticked), support messages sent logged
//! out, typed while the server is down and sent once it is back, a redacted diagnostics
//! report, and the command line of the built binary.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::process::Command;
use std::time::Duration;

use econfiance_e2e::{app_binary, click, fill, login_code, Result, TestEnv};
use fantoccini::{Client, Locator};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

async fn attr(app: &Client, css: &str, name: &str) -> Result<String> {
    Ok(app
        .find(Locator::Css(css))
        .await?
        .attr(name)
        .await?
        .unwrap_or_default())
}

async fn open_help_logged_out(env: &TestEnv, app: &Client) -> Result<()> {
    env.wait_for_text(app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    click(app, "help-link").await?;
    env.wait_for_text(app, "#help-title", "Problème de connexion")
        .await?;
    Ok(())
}

async fn js(app: &Client, script: &str) -> Result<serde_json::Value> {
    Ok(app.execute_async(script, vec![]).await?)
}

#[tokio::test]
async fn the_connection_check_tells_each_step_and_repairs_the_link_association() -> Result<()> {
    let mut env = TestEnv::start("connection_check")?;
    let app = env.launch(&[]).await?;
    open_help_logged_out(&env, &app).await?;
    click(&app, "run-check").await?;
    env.wait_for_count(&app, "[data-testid^=check-]", 6).await?;
    for id in ["server", "clock", "platform", "keyring", "scheme"] {
        assert_eq!(
            attr(&app, &format!("[data-testid=check-{id}]"), "data-status").await?,
            "passed",
            "{id}"
        );
    }
    env.wait_for_text(&app, "[data-testid=check-cache]", "Taille du cache")
        .await?;

    // Another program takes econfiance:// (or the association is lost): the check says so
    // and "Réparer" gives it back to this app.
    let applications = env.data_home().join("applications");
    std::fs::write(
        applications.join("other-browser.desktop"),
        "[Desktop Entry]\nType=Application\nName=Autre navigateur\nExec=true %u\nMimeType=x-scheme-handler/econfiance;\n",
    )?;
    let status = env
        .command("xdg-mime")
        .args([
            "default",
            "other-browser.desktop",
            "x-scheme-handler/econfiance",
        ])
        .status()?;
    assert!(status.success());
    let now = env
        .command("xdg-mime")
        .args(["query", "default", "x-scheme-handler/econfiance"])
        .output()?;
    assert_eq!(
        String::from_utf8_lossy(&now.stdout).trim(),
        "other-browser.desktop",
        "another program has econfiance:// now"
    );
    click(&app, "run-check").await?;
    env.wait_for_text(&app, "[data-testid=check-scheme]", "n'ouvrent pas")
        .await?;
    assert_eq!(
        attr(&app, "[data-testid=check-scheme]", "data-status").await?,
        "failed"
    );
    env.screenshot("01-scheme-not-registered")?;
    click(&app, "repair-scheme").await?;
    env.wait_for_text(&app, "[data-testid=check-scheme]", "ouvrent bien")
        .await?;
    let handler = env
        .command("xdg-mime")
        .args(["query", "default", "x-scheme-handler/econfiance"])
        .output()?;
    assert_eq!(
        String::from_utf8_lossy(&handler.stdout).trim(),
        "e-confiance-handler.desktop",
        "the OS sends econfiance:// to this app again"
    );
    env.screenshot("02-repaired")?;

    // With the server down, the check says which step fails, in plain words.
    env.stop_server()?;
    click(&app, "run-check").await?;
    env.wait_for_text(&app, "[data-testid=check-server]", "ne répond pas")
        .await?;
    assert_eq!(
        attr(&app, "[data-testid=check-server]", "data-status").await?,
        "failed"
    );
    env.screenshot("03-server-down")?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn clearing_the_cache_removes_webview_data_and_keeps_session_settings_and_drafts(
) -> Result<()> {
    let env = TestEnv::start("clear_cache")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(&app, "email", MARIE).await?;
    click(&app, "toggle-password").await?;
    env.wait_for_count(&app, "[data-testid=password]", 1)
        .await?;
    fill(&app, "password", PASSWORD).await?;
    click(&app, "password-login").await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    // A choice the user made (English) and a message being typed to support.
    click(&app, "nav-settings").await?;
    click(&app, "language-en").await?;
    env.wait_for_text(&app, "[data-testid=nav-help]", "Help")
        .await?;
    click(&app, "nav-help").await?;
    fill(
        &app,
        "support-message",
        "Brouillon à garder : le lien ne s'ouvre pas",
    )
    .await?;

    // Web data the webview keeps: local storage and IndexedDB. (The Cache API refuses the
    // app's tauri:// origin, and WebKit's HTTP cache stays empty: the UI loads nothing over
    // HTTP — assets come from the app, API calls go through Rust.)
    let filled = js(
        &app,
        r#"const done = arguments[arguments.length - 1];
        const fail = (e) => done({ error: String(e) });
        try {
          localStorage.setItem("probe", "x".repeat(200000));
          const idb = new Promise((resolve) => {
            const open = indexedDB.open("probe-db", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("s");
            open.onerror = () => resolve("indexeddb: " + open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction("s", "readwrite");
              tx.objectStore("s").put("y".repeat(100000), "k");
              tx.oncomplete = () => { open.result.close(); resolve("ok"); };
              tx.onerror = () => resolve("indexeddb tx: " + tx.error);
            };
          });
          idb.then((i) => done({ local: localStorage.getItem("probe").length, idb: i }), fail);
        } catch (e) { fail(e); }"#,
    )
    .await?;
    assert_eq!(filled["local"], 200000, "{filled}");
    assert_eq!(filled["idb"], "ok", "{filled}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let webkit = env.data_home().join("fr.econfiance.desktop");
    let storage_before = webview_bytes(&webkit);
    assert!(
        storage_before > 100_000,
        "the webview wrote its storage: {storage_before}"
    );
    let session_of = |entry: Option<String>| -> Result<String> {
        let value: serde_json::Value = serde_json::from_str(entry.ok_or("session")?.trim())?;
        Ok(value["session_id"].as_str().unwrap_or_default().to_owned())
    };
    let session_before = session_of(env.keyring_session_entry()?)?;

    click(&app, "clear-cache").await?;
    env.wait_for_text(&app, "[data-testid=cache-cleared]", "Cache cleared")
        .await?;
    env.screenshot("01-cache-cleared")?;
    // The window reloads and says what was freed.
    env.wait_for_text(&app, "[data-testid=cache-notice]", "freed")
        .await?;
    let after = js(
        &app,
        r#"const done = arguments[arguments.length - 1];
        const open = indexedDB.open("probe-db");
        open.onsuccess = () => {
          const names = Array.from(open.result.objectStoreNames);
          open.result.close();
          done({ local: localStorage.getItem("probe"), stores: names.length });
        };
        open.onerror = () => done({ local: localStorage.getItem("probe"), stores: -1 });"#,
    )
    .await?;
    assert_eq!(
        after["local"],
        serde_json::Value::Null,
        "local storage gone: {after}"
    );
    let storage_after = webview_bytes(&webkit);
    assert!(
        storage_after < storage_before / 2,
        "WebKit's storage folder shrank: {storage_before} → {storage_after}"
    );
    // Kept: the session (keyring), the settings (still English), the support draft.
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    assert_eq!(
        session_of(env.keyring_session_entry()?)?,
        session_before,
        "the same session goes on"
    );
    env.wait_for_text(&app, "[data-testid=nav-help]", "Help")
        .await?;
    click(&app, "nav-help").await?;
    env.wait_for_text(&app, "[data-testid=support-message]", "")
        .await?;
    for _ in 0..50 {
        let value = app
            .find(Locator::Css("[data-testid=support-message]"))
            .await?
            .prop("value")
            .await?;
        if value.as_deref() == Some("Brouillon à garder : le lien ne s'ouvre pas") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.find(Locator::Css("[data-testid=support-message]"))
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("Brouillon à garder : le lien ne s'ouvre pas"),
        "the draft survived"
    );

    // "Me déconnecter aussi": the session goes too.
    click(&app, "clear-sign-out").await?;
    click(&app, "clear-cache").await?;
    env.wait_for_text(&app, "[data-testid=cache-notice]", "logged out")
        .await?;
    env.wait_for_text(&app, "h1", "Log in").await?;
    assert!(env.keyring_session_entry()?.is_none(), "signed out");
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn support_is_reachable_logged_out_and_a_message_typed_offline_is_sent_later() -> Result<()> {
    let mut env = TestEnv::start("support_offline")?;
    env.server_admin(&["create-user", MARIE, "--onboarded"])?;
    let app = env.launch(&[]).await?;
    // A login link first, so that the logs hold the activity of a real request.
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(&app, "email", MARIE).await?;
    click(&app, "send-link").await?;
    env.wait_for_count(&app, "[data-testid=check-mail]", 1)
        .await?;
    let mail = env.wait_for_mail(MARIE, "Votre lien de connexion").await?;
    let code = login_code(&mail).ok_or("code")?;
    app.find(Locator::Css("[data-testid=check-mail] .link"))
        .await?
        .click()
        .await?;
    open_help_logged_out(&env, &app).await?;

    // Logged out, with the diagnostics, read before sending.
    fill(&app, "support-contact", MARIE).await?;
    fill(&app, "support-subject", "Je n'arrive pas à me connecter").await?;
    fill(
        &app,
        "support-message",
        "Le lien reçu par e-mail ne s'ouvre pas.",
    )
    .await?;
    click(&app, "support-diagnostics").await?;
    let preview = env
        .wait_for_text(
            &app,
            "[data-testid=diagnostics-preview]",
            "e-confiance 0.1.0",
        )
        .await?;
    assert!(
        preview.contains("Vérification de la connexion"),
        "{preview}"
    );
    assert!(preview.contains("Journal récent"), "{preview}");
    for secret in [code.as_str(), &code.replace('-', "")] {
        assert!(!preview.contains(secret), "the report holds the login code");
    }
    app.execute(
        "document.querySelector('[data-testid=diagnostics-preview]').scrollIntoView()",
        vec![],
    )
    .await?;
    env.screenshot("01-diagnostics-preview")?;
    click(&app, "support-send").await?;
    let reference = env
        .wait_for_text(&app, "[data-testid=support-reference]", "EC-")
        .await?;
    env.wait_for_text(&app, "[data-testid=support-sent]", "avant le")
        .await?;
    let tickets = env.server_admin_output(&["tickets", "list"])?;
    assert!(tickets.contains(reference.trim()), "{tickets}");
    assert!(tickets.contains(MARIE), "{tickets}");

    // The server goes down while a second message is typed: it is kept, not lost.
    env.stop_server()?;
    fill(&app, "support-subject", "Deuxième message").await?;
    fill(&app, "support-message", "Écrit pendant la panne.").await?;
    click(&app, "support-send").await?;
    env.wait_for_text(
        &app,
        "[data-testid=support-kept]",
        "enregistré sur cet ordinateur",
    )
    .await?;
    env.wait_for_count(&app, "[data-testid=unsent-ticket]", 1)
        .await?;
    env.screenshot("02-kept-while-down")?;
    let outbox = env
        .data_home()
        .join("fr.econfiance.desktop/app/support-outbox.json");
    assert!(
        std::fs::read_to_string(&outbox)?.contains("Écrit pendant la panne."),
        "kept in the app's data folder"
    );
    app.close().await?;

    // Later: the server is back, the app restarted; the kept message is sent from Help.
    env.restart_server()?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let app = env.launch(&[]).await?;
    open_help_logged_out(&env, &app).await?;
    env.wait_for_count(&app, "[data-testid=unsent-ticket]", 1)
        .await?;
    click(&app, "send-unsent").await?;
    env.wait_for_text(&app, "[data-testid=support-reference]", "EC-")
        .await?;
    env.wait_for_count(&app, "[data-testid=unsent-ticket]", 0)
        .await?;
    let tickets = env.server_admin_output(&["tickets", "list"])?;
    assert!(tickets.contains("Deuxième message"), "{tickets}");
    assert!(!outbox.exists(), "the outbox is emptied once sent");
    app.close().await?;
    env.assert_no_secret_in_files(&[&code])?;
    Ok(())
}

#[tokio::test]
async fn my_account_exports_my_data_and_asks_support_to_delete_the_account() -> Result<()> {
    let env = TestEnv::start("my_account")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(&app, "email", MARIE).await?;
    click(&app, "toggle-password").await?;
    env.wait_for_count(&app, "[data-testid=password]", 1)
        .await?;
    fill(&app, "password", PASSWORD).await?;
    click(&app, "password-login").await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    // "Télécharger mes données": the OS's save dialog, run by the app from Rust (the page
    // never names a path), answered as a user does.
    let export = env.data_home().join("mes-donnees.json");
    click(&app, "nav-settings").await?;
    click(&app, "export-data").await?;
    env.answer_save_dialog("Enregistrer mes donn", &export)
        .await?;
    env.wait_for_text(&app, "[data-testid=export-done]", "")
        .await?;
    let data: serde_json::Value = serde_json::from_slice(&std::fs::read(&export)?)?;
    assert!(
        data.to_string().contains(MARIE),
        "the export is about Marie"
    );
    assert!(
        !data.to_string().contains(PASSWORD),
        "and holds no password"
    );

    click(&app, "nav-settings").await?;
    click(&app, "delete-account").await?;
    env.wait_for_text(&app, "[data-testid=deletion-form]", "passe par le support")
        .await?;
    env.screenshot("01-deletion-terms")?;
    click(&app, "delete-send").await?;
    env.wait_for_text(&app, "[data-testid=deletion-sent]", "EC-")
        .await?;
    let tickets = env.server_admin_output(&["tickets", "list"])?;
    assert!(tickets.contains("suppression_compte"), "{tickets}");

    // The ticket shows in "Mes demandes" with support's answer once given.
    let reference = tickets
        .lines()
        .find(|l| l.contains("suppression_compte"))
        .and_then(|l| l.split('\t').next())
        .ok_or("reference")?
        .to_owned();
    // Support's answer is text, whatever it holds: shown as typed, never run as markup.
    let answer = "<img src=x onerror=\"window.__pwned = 5\"><b>Nous</b> vous rappelons demain.";
    env.server_admin(&["tickets", "answer", &reference, answer])?;
    click(&app, "nav-help").await?;
    env.wait_for_text(&app, "[data-testid=my-tickets]", answer)
        .await?;
    let safe = app
        .execute(
            "return [window.__pwned === undefined, \
             document.querySelectorAll('[data-testid=my-tickets] img, [data-testid=my-tickets] b').length]",
            vec![],
        )
        .await?;
    assert_eq!(
        safe,
        serde_json::json!([true, 0]),
        "the answer's markup ran"
    );

    // The request is a conversation: the owner adds a message, shown third, and support
    // sees it in order.
    fill(
        &app,
        "follow-up",
        "Merci, je serai disponible à partir de 14 h.",
    )
    .await?;
    click(&app, "follow-up-send").await?;
    env.wait_for_count(&app, "[data-testid=ticket-message]", 3)
        .await?;
    let said = app
        .execute(
            "return [...document.querySelectorAll('[data-testid=ticket-message] .text')].map(e => e.textContent)",
            vec![],
        )
        .await?;
    assert_eq!(said[1], serde_json::json!(answer));
    assert_eq!(
        said[2],
        serde_json::json!("Merci, je serai disponible à partir de 14 h.")
    );
    env.screenshot("02-conversation")?;
    let shown = env.server_admin_output(&["tickets", "show", &reference])?;
    let order: Vec<&str> = shown.lines().filter_map(|l| l.split('\t').nth(1)).collect();
    assert_eq!(order, ["customer", "support", "customer"], "{shown}");
    app.close().await?;
    Ok(())
}

#[test]
fn the_command_line_helps_versions_and_clears_the_cache_of_a_closed_app() -> Result<()> {
    let help = Command::new(app_binary()?).arg("--help").output()?;
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--clear-cache", "--safe-mode", "--help", "--version"] {
        assert!(text.contains(flag), "--help lists {flag}: {text}");
    }
    let version = Command::new(app_binary()?).arg("--version").output()?;
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        concat!("e-confiance ", env!("CARGO_PKG_VERSION"))
    );
    let wrong = Command::new(app_binary()?).arg("--nope").output()?;
    assert_eq!(wrong.status.code(), Some(2), "an unknown flag is refused");

    // A world where the app ran: WebKit's files beside the app's own.
    let root = tempfile::tempdir()?;
    let data = root.path().join("data/fr.econfiance.desktop");
    let cache = root.path().join("cache/fr.econfiance.desktop");
    for (path, bytes) in [
        (data.join("app/settings.json"), 20),
        (data.join("app/support-draft.json"), 30),
        (data.join("logs/e-confiance.log"), 40),
        (data.join("WebKitCache/Version 17/Records/x"), 5000),
        (data.join("storage/localstorage.sqlite3"), 7000),
        (cache.join("thumbnails/y"), 3000),
    ] {
        std::fs::create_dir_all(path.parent().ok_or("parent")?)?;
        std::fs::write(path, vec![b'x'; bytes])?;
    }
    let out = Command::new(app_binary()?)
        .arg("--clear-cache")
        .env("HOME", root.path().join("home"))
        .env("XDG_DATA_HOME", root.path().join("data"))
        .env("XDG_CACHE_HOME", root.path().join("cache"))
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .output()?;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("cache vidé (15 Ko libérés)"), "{said}");
    assert!(!data.join("WebKitCache").exists() && !data.join("storage").exists());
    assert!(!cache.join("thumbnails").exists());
    assert!(data.join("app/settings.json").exists(), "settings kept");
    assert!(data.join("app/support-draft.json").exists(), "draft kept");
    assert!(data.join("logs/e-confiance.log").exists(), "logs kept");
    Ok(())
}

#[tokio::test]
async fn safe_mode_starts_with_webkits_fallbacks() -> Result<()> {
    // The harness turns compositing off for every world; here it is on, so that only the
    // app's --safe-mode can turn it off.
    let env = TestEnv::start_with(
        "safe_mode",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "0"),
        ],
    )?;
    let app = env.launch(&["--safe-mode"]).await?;
    env.wait_for_text(&app, "[data-testid=footer]", "mode sans échec")
        .await?;
    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    env.screenshot("01-safe-mode")?;
    // WebKit's web process, started by the app, inherited the fallbacks.
    let mut found = false;
    for entry in std::fs::read_dir("/proc")? {
        let path = entry?.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if !comm.starts_with("WebKitWebProces") {
            continue;
        }
        let environ = std::fs::read(path.join("environ")).unwrap_or_default();
        let vars: Vec<&[u8]> = environ.split(|b| *b == 0).collect();
        let display = format!("DISPLAY={}", env.display);
        if vars.contains(&display.as_bytes())
            && vars.contains(&b"WEBKIT_DISABLE_COMPOSITING_MODE=1".as_slice())
            && vars.contains(&b"WEBKIT_DISABLE_DMABUF_RENDERER=1".as_slice())
        {
            found = true;
        }
    }
    assert!(
        found,
        "no WebKit web process of this app runs with the fallbacks"
    );
    app.close().await?;
    Ok(())
}

/// Bytes of WebKit's files in the app's data folder (all but the app's own and the logs).
fn webview_bytes(data: &std::path::Path) -> u64 {
    std::fs::read_dir(data)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .filter(|e| e.file_name() != "app" && e.file_name() != "logs")
                .map(|e| dir_size(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

fn dir_size(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| dir_size(&e.path())).sum())
        .unwrap_or(0)
}
