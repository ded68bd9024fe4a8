//! A second launch (the OS opening a link while the app runs) hands its arguments to the
//! running app before anything is built, and exits: on Linux a session-bus call to the
//! single-instance plugin's own object ([`platform::handoff`]), made before GTK, the
//! webview and the plugins start — what the plugin itself would do, later. Where it cannot
//! (the app is closed, no session bus, macOS and Windows), the launch goes on as before.

use econfiance_client::platform::{self, Handoff, Os};

/// Hands this launch's arguments to the running app; `true` once the running app took
/// them (the call returns after its handler ran), `false` if there is none to take them.
pub fn to_running_app() -> bool {
    match platform::handoff(Os::current(), crate::cli::IDENTIFIER) {
        Handoff::SessionBus {
            name,
            path,
            interface,
        } => over_session_bus(&name, &path, interface),
        Handoff::AfterBuild => false,
    }
}

#[cfg(target_os = "linux")]
fn over_session_bus(name: &str, path: &str, interface: &str) -> bool {
    // A running app that does not answer within this time (frozen): not handed over here;
    // the launch goes on to the plugin's own way.
    let bus = zbus::blocking::connection::Builder::session()
        .map(|b| b.method_timeout(std::time::Duration::from_secs(5)))
        .and_then(|b| b.build());
    let Ok(bus) = bus else {
        return false;
    };
    let argv: Vec<String> = std::env::args_os()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    // Nobody owns the name (the app is closed, or still starting): an error at once.
    bus.call_method(
        Some(name),
        path,
        Some(interface),
        "ExecuteCallback",
        &(argv, cwd.to_string_lossy().as_ref()),
    )
    .is_ok()
}

#[cfg(not(target_os = "linux"))]
fn over_session_bus(_name: &str, _path: &str, _interface: &str) -> bool {
    false
}
