//! The shell over Tauri's mock runtime: the app's real command list, called as the UI calls
//! them (IPC from the main window), with a client `Desktop` whose folders are temporary and
//! whose server configuration is missing. What the shell itself adds — registration,
//! argument names, `{code, message}` errors, the link queue and its events — is what these
//! tests reach. (The mock runtime does not enforce the capability; `tests/hardening.rs`
//! and `tests/generated_ipc.rs` check it.)

use econfiance_api::auth::DeviceInfo;
use econfiance_client::desktop::Desktop;
use econfiance_client::storage::{AppDirs, Settings};
use econfiance_client::vault::{MemoryStore, Vault, VaultMode};
use econfiance_client::{ClientError, Language};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

use crate::AppState;

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    dirs: AppDirs,
    _root: tempfile::TempDir,
}

/// The app's commands on the mock runtime, with the app's own configuration; no server.
fn app() -> App {
    app_with(Err(ClientError::Config(
        econfiance_client::config::ConfigError::InvalidUrl("(none)".into()),
    )))
}

/// The same, with the platform at `url` (a release build's rules: HTTPS only).
fn app_for(url: &str) -> App {
    let config = econfiance_client::Config::from_values(
        econfiance_client::BuildProfile::Release,
        Some(url),
        None,
    )
    .expect("config");
    app_with(econfiance_client::ApiClient::new(config))
}

fn app_with(api: Result<econfiance_client::ApiClient, ClientError>) -> App {
    let root = tempfile::tempdir().expect("tempdir");
    let dirs = AppDirs {
        data: root.path().join("data"),
        cache: root.path().join("cache"),
        logs: root.path().join("logs"),
    };
    let device = DeviceInfo {
        name: "PC-Test".into(),
        os: "Linux".into(),
        app_version: "0".into(),
    };
    let store = std::sync::Arc::new(MemoryStore::default());
    let opener = Box::new(move || Vault::with_store(Box::new(store.clone()), VaultMode::Keyring));
    let desktop = Desktop::new(api, dirs.clone(), Language::Fr, device, opener);
    let app = crate::with_commands(mock_builder())
        .manage(AppState::around(desktop))
        .manage(crate::updates::PendingUpdate::default())
        .build(tauri::generate_context!())
        .expect("the app on the mock runtime");
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window");
    App {
        _app: app,
        window,
        dirs,
        _root: root,
    }
}

/// Sends `command` with `args` from the main window, as the UI's `invoke` does.
fn invoke(app: &App, command: &str, args: Value) -> Result<Value, Value> {
    let url = if cfg!(windows) {
        "http://tauri.localhost"
    } else {
        "tauri://localhost"
    };
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: url.parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("json"))
}

#[test]
fn the_language_is_switched_over_ipc_and_remembered() {
    let app = app();
    let info = invoke(&app, "app_info", json!({})).expect("app_info");
    assert_eq!(info["language"], "fr");
    let info = invoke(&app, "set_language", json!({ "language": "en" })).expect("set_language");
    assert_eq!(info["language"], "en");
    assert_eq!(
        Settings::load(&app.dirs.settings_file()).language,
        Some(Language::En)
    );
}

#[test]
fn a_failure_reaches_the_ui_as_a_code_and_a_message_in_its_language() {
    let app = app();
    let error = invoke(&app, "current_session", json!({})).expect_err("no server configured");
    assert_eq!(error["code"], "config_invalid");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("ECONFIANCE_SERVER_URL")),
        "{error}"
    );
    invoke(&app, "set_language", json!({ "language": "en" })).expect("set_language");
    let error = invoke(&app, "me", json!({})).expect_err("no server configured");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("The configured")),
        "{error}"
    );
}

#[test]
fn a_reply_draft_is_kept_under_its_review_and_read_back() {
    let app = app();
    invoke(
        &app,
        "save_reply_draft",
        json!({ "id": "rv_1", "text": "Merci pour votre retour !" }),
    )
    .expect("saved");
    let draft = invoke(&app, "reply_draft", json!({ "id": "rv_1" })).expect("read");
    assert_eq!(draft, "Merci pour votre retour !");
    let other = invoke(&app, "reply_draft", json!({ "id": "rv_2" })).expect("read");
    assert_eq!(other, "");
}

#[test]
fn a_command_outside_the_list_is_refused() {
    let app = app();
    assert!(invoke(&app, "plugin:shell|execute", json!({})).is_err());
    assert!(invoke(&app, "not_a_command", json!({})).is_err());
}

#[test]
fn a_link_from_a_second_launch_is_decided_and_reaches_the_ui_as_an_event() {
    use tauri::Listener;
    let app = app();
    let handle = app.window.app_handle().clone();
    let (sender, events) = std::sync::mpsc::channel::<String>();
    handle.listen_any(econfiance_client::ipc::LINK_EVENT, move |event| {
        let _ = sender.send(event.payload().to_owned());
    });
    crate::deep_links::start_queue(&handle);
    // The UI is listening: it has drained what waited, so links now come as events.
    let waiting = invoke(&app, "take_pending_links", json!({})).expect("links");
    assert_eq!(waiting, json!([]));
    crate::deep_links::on_second_instance(
        &handle,
        vec![
            "e-confiance".into(),
            "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P".into(),
        ],
    );
    let payload = events
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("a link event");
    let event: Value = serde_json::from_str(&payload).expect("json");
    // Nothing was requested from this app: refused, and said so in the UI's words.
    assert_eq!(event["type"], "rejected", "{event}");
    assert_eq!(event["error"]["code"], "link_not_requested_here");
    assert!(
        event["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("n'a pas été demandé")),
        "{event}"
    );
}

#[test]
fn the_sandbox_update_key_is_refused_for_a_platform_that_is_not_this_computer() {
    if option_env!("ECONFIANCE_UPDATE_PUBKEY").is_some_and(|k| !k.trim().is_empty()) {
        // A build with the platform's own key: the sandbox key is not in it at all.
        return;
    }
    let far = app_for("https://plateforme.e-confiance.example");
    let error = invoke(&far, "check_for_update", json!({})).expect_err("refused");
    assert_eq!(error["code"], "updates_not_configured", "{error}");
    // On this computer (the sandbox) the key is accepted and the feed is asked: here
    // nothing listens, so the check fails on the network instead.
    let near = app_for("https://127.0.0.1:9");
    let error = invoke(&near, "check_for_update", json!({})).expect_err("nothing listens");
    assert_eq!(error["code"], "network_unreachable", "{error}");
}
