//! The Tauri hardening the app ships with, checked in its configuration files: a strict
//! content security policy, no remote origin for pages or IPC, the global `__TAURI__`
//! object off, and a capability that grants the window the app's own commands and an
//! allow-list of plugin permissions — no shell, no opener, no file system, no HTTP.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The checkout being tested (cargo sets it when running tests); the compile-time value can
/// name another checkout whose build the shared target folder reused.
fn repo() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn config() -> Value {
    json(&repo().join("tauri.conf.json"))
}

/// The CSP's directives, by name.
fn csp_directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_owned);
            let name = parts.next().unwrap_or_default();
            (name, parts.collect())
        })
        .collect()
}

#[test]
fn the_content_security_policy_is_strict() {
    let config = config();
    let security = &config["app"]["security"];
    let csp = security["csp"]
        .as_str()
        .expect("app.security.csp is a string");
    let directives = csp_directives(csp);
    let get = |name: &str| -> Vec<String> {
        directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("the CSP has no {name}: {csp}"))
    };
    assert_eq!(get("default-src"), ["'self'"]);
    assert_eq!(get("script-src"), ["'self'"], "scripts only from the app");
    assert_eq!(get("object-src"), ["'none'"]);
    assert_eq!(get("base-uri"), ["'none'"]);
    assert_eq!(get("frame-src"), ["'none'"]);
    assert_eq!(get("form-action"), ["'none'"]);
    // Nothing inline or evaluated, no remote origin anywhere: the only non-'self' sources
    // are the IPC channel and data: images (the chart's export).
    let allowed_elsewhere = ["ipc:", "http://ipc.localhost", "data:"];
    for (name, sources) in &directives {
        for source in sources {
            assert!(
                !source.contains("unsafe") && source != "*" && !source.starts_with("https:"),
                "{name} allows {source}"
            );
            assert!(
                source.starts_with('\'') || allowed_elsewhere.contains(&source.as_str()),
                "{name} allows the origin {source}"
            );
        }
    }
    assert_eq!(
        get("connect-src"),
        ["ipc:", "http://ipc.localhost"],
        "the page talks to the app only, never to a server"
    );
    assert!(
        security
            .get("dangerousDisableAssetCspModification")
            .is_none(),
        "Tauri's nonces for its own scripts stay on"
    );
    assert_eq!(security["freezePrototype"], Value::Bool(true));
}

#[test]
fn no_remote_origin_and_no_global_tauri_object() {
    let config = config();
    let app = &config["app"];
    assert_eq!(
        app["withGlobalTauri"],
        Value::Bool(false),
        "withGlobalTauri must be off (it hands the IPC to any injected script)"
    );
    for window in app["windows"].as_array().expect("windows") {
        if let Some(url) = window.get("url").and_then(Value::as_str) {
            assert!(
                !url.contains("://"),
                "window {} loads a remote page: {url}",
                window["label"]
            );
        }
    }
    assert!(
        app["security"]
            .get("dangerousRemoteDomainIpcAccess")
            .is_none(),
        "no remote domain gets the IPC"
    );
    // The dev server is loopback only; production pages come from the binary.
    if let Some(dev) = config["build"].get("devUrl").and_then(Value::as_str) {
        let url = url::Url::parse(dev).expect("devUrl is a URL");
        assert!(
            matches!(url.host_str(), Some("localhost" | "127.0.0.1")),
            "devUrl is not loopback: {dev}"
        );
    }
    assert!(
        !std::fs::read_to_string(repo().join("ui/index.html"))
            .expect("ui/index.html")
            .contains("://"),
        "the page loads nothing from elsewhere"
    );
}

#[test]
fn the_window_gets_only_the_apps_commands_and_an_allow_list_of_plugin_permissions() {
    let dir = repo().join("src-tauri/capabilities");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("capabilities folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [dir.join("default.json")],
        "one capability, reviewed here"
    );
    let capability = json(&files[0]);
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote URL gets any permission"
    );
    assert!(
        capability.get("webviews").is_none(),
        "only the main window's own webview"
    );
    // The plugin permissions the window may use: listening to the app's events. Nothing
    // else from a plugin: no dialog (file dialogs run from Rust, so the webview never names
    // a path), no shell, no opener (the app opens only the URLs it builds, in
    // `open_legal`), no fs, no http, no updater.
    let plugin_allow_list = ["core:event:allow-listen", "core:event:allow-unlisten"];
    let commands = app_commands();
    for permission in capability["permissions"].as_array().expect("permissions") {
        let id = permission
            .as_str()
            .expect("permissions are plain identifiers, with no scope to widen them");
        if let Some(command) = id.strip_prefix("allow-").filter(|_| !id.contains(':')) {
            assert!(
                commands.contains(&command.replace('-', "_")),
                "{id} names no command of the app"
            );
        } else {
            assert!(
                plugin_allow_list.contains(&id),
                "{id} is not in the allow-list of plugin permissions"
            );
        }
    }
}

#[test]
fn no_shell_plugin_and_the_opener_is_not_exposed() {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        !manifest.contains("tauri-plugin-shell"),
        "the shell plugin is not a dependency"
    );
    let package = json(&repo().join("ui/package.json"));
    for field in ["dependencies", "devDependencies"] {
        if let Some(deps) = package[field].as_object() {
            for name in deps.keys() {
                assert!(
                    !matches!(
                        name.as_str(),
                        "@tauri-apps/plugin-shell"
                            | "@tauri-apps/plugin-opener"
                            | "@tauri-apps/plugin-dialog"
                            | "@tauri-apps/plugin-fs"
                            | "@tauri-apps/plugin-http"
                    ),
                    "the UI depends on {name}"
                );
            }
        }
    }
}

/// The update feed is not signed, only the packages are: a feed could announce a new
/// version with an older, genuinely signed package. The updater takes a package only when
/// its signature names the version announced (packages signed without a version are
/// refused too). Shown for real by `tests/e2e/tests/installed_package.rs`.
#[test]
fn an_update_package_must_be_signed_for_the_version_it_is_announced_as() {
    assert_eq!(
        config()["plugins"]["updater"]["requireSignedVersion"],
        Value::Bool(true),
        "plugins.updater.requireSignedVersion"
    );
}

/// The commands of `src-tauri/command_list.rs` (the app's own, each with an `allow-`
/// permission that `build.rs` makes).
fn app_commands() -> Vec<String> {
    let list =
        std::fs::read_to_string(repo().join("src-tauri/command_list.rs")).expect("command_list.rs");
    let start = list.find("app_commands![").expect("the list") + "app_commands![".len();
    let end = start + list[start..].find(']').expect("the list's end");
    let commands: Vec<String> = list[start..end]
        .split(',')
        .filter_map(|entry| entry.split("::").nth(1))
        .map(|name| name.trim().to_owned())
        .collect();
    assert!(
        commands.len() > 10,
        "command_list.rs lists the commands: {commands:?}"
    );
    commands
}
