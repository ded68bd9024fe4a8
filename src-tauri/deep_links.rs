//! Deep links from the OS to the UI.
//!
//! - Linux and Windows start the app with the URL as an argument. The first instance reads
//!   its own arguments (cold start); a later launch is caught by the single-instance plugin,
//!   which hands its arguments to the running app and exits. The raw argument text is parsed
//!   — not the plugin's pre-parsed URL — so that the strict parser sees exactly what was sent.
//! - macOS delivers URLs as events, through the deep-link plugin.
//! - Every link brings the window forward ([`bring_forward`]).
//!
//! Which arguments are links is [`econfiance_client::platform::launch_args`]'s decision.
//!
//! What a link does is the client's decision ([`econfiance_client::session::SessionManager::receive_link`]),
//! made one link at a time in the order they arrive; the resulting [`LinkEvent`] waits in
//! the [`LinkInbox`](econfiance_client::links::LinkInbox) until the UI has drained it, then
//! events are emitted live.

use econfiance_client::ipc::{LinkEvent, LINK_EVENT};
use econfiance_client::links::Delivery;
use econfiance_client::platform::{self, Os, WindowStep};
use std::ffi::OsString;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::AppState;

/// Called at setup: registers the scheme (development builds on Linux and Windows, unless
/// an installed package's entry already handles it: a debug package must not leave a
/// per-user registration behind once uninstalled) and handles a link the app was started
/// with.
pub fn setup<R: Runtime>(app: &AppHandle<R>) {
    start_queue(app);
    #[cfg(all(debug_assertions, any(target_os = "linux", windows)))]
    if platform::development_build_registers(&crate::troubleshoot::scheme_verdict()) {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Err(e) = app.deep_link().register_all() {
            tracing::warn!(error = %e, "could not register the econfiance:// scheme");
        }
    }
    // Linux and Windows: the links on the command line (macOS passes none there).
    for link in crate::cli::start_links() {
        deliver(app, link);
    }
    #[cfg(target_os = "macos")]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Ok(Some(urls)) = app.deep_link().get_current() {
            for url in urls {
                deliver(app, url.as_str().as_bytes());
            }
        }
        let handle = app.clone();
        app.deep_link().on_open_url(move |event| {
            bring_forward(&handle);
            for url in event.urls() {
                deliver(&handle, url.as_str().as_bytes());
            }
        });
    }
}

/// A second launch: bring the window forward and handle the links it carried.
pub fn on_second_instance<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>) {
    bring_forward(app);
    let launch = platform::launch_args(Os::current(), argv.into_iter().map(OsString::from));
    for link in &launch.links {
        deliver(app, link);
    }
}

/// Shows the window, restored and focused ([`platform::bring_forward`]): a link, a
/// notification's click, the Dock icon.
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    for step in platform::bring_forward(Os::current()) {
        let _ = match step {
            WindowStep::ShowApp => show_app(app),
            WindowStep::Show => window.show(),
            WindowStep::Unminimize => window.unminimize(),
            WindowStep::Focus => window.set_focus(),
        };
    }
}

#[cfg(target_os = "macos")]
fn show_app<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    app.show()
}

#[cfg(not(target_os = "macos"))]
fn show_app<R: Runtime>(_app: &AppHandle<R>) -> tauri::Result<()> {
    Ok(())
}

/// Links are decided one at a time, in the order they arrive, by one task.
struct LinkQueue(tokio::sync::mpsc::UnboundedSender<Vec<u8>>);

/// Starts the task that hands each link to the client and the answer to the UI.
pub(crate) fn start_queue<R: Runtime>(app: &AppHandle<R>) {
    let (sender, mut links) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    app.manage(LinkQueue(sender));
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(raw) = links.recv().await {
            let Some(state) = app.try_state::<AppState>() else {
                continue;
            };
            let event = state.receive_link(&raw).await;
            push(&app, &state, event);
        }
    });
}

fn deliver<R: Runtime>(app: &AppHandle<R>, raw: &[u8]) {
    match app.try_state::<LinkQueue>() {
        Some(queue) => {
            if queue.0.send(raw.to_vec()).is_err() {
                tracing::warn!("a link arrived after the link task ended");
            }
        }
        None => tracing::warn!("a link arrived before the app was ready"),
    }
}

fn push<R: Runtime>(app: &AppHandle<R>, state: &AppState, event: LinkEvent) {
    if let Delivery::Emit(event) = state.inbox.receive(event) {
        emit(app, event);
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, event: LinkEvent) {
    if let Err(e) = app.emit(LINK_EVENT, event) {
        tracing::warn!(error = %e, "could not deliver a link event to the UI");
    }
}
