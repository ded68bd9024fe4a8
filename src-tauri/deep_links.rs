//! Deep links from the OS to the UI.
//!
//! - Linux and Windows start the app with the URL as an argument. The first instance reads
//!   its own arguments (cold start); a later launch is caught by the single-instance plugin,
//!   which hands its arguments to the running app and exits. The raw argument text is parsed
//!   — not the plugin's pre-parsed URL — so that the strict parser sees exactly what was sent.
//! - macOS delivers URLs as events, through the deep-link plugin.
//!
//! Each link becomes a [`LinkEvent`]; the [`LinkInbox`](econfiance_client::links::LinkInbox)
//! buffers it until the UI has drained the inbox, then events are emitted live.

use econfiance_api::DeepLink;
use econfiance_client::ipc::{LinkEvent, LINK_EVENT};
use econfiance_client::links::{self, Delivery};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::session_view;
use crate::AppState;

/// Called at setup: registers the scheme (development builds on Linux and Windows, unless
/// an installed package's entry already handles it: a debug package must not leave a
/// per-user registration behind once uninstalled) and handles a link the app was started
/// with.
pub fn setup<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(all(debug_assertions, any(target_os = "linux", windows)))]
    if !crate::troubleshoot::installed_package_handles_scheme() {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Err(e) = app.deep_link().register_all() {
            tracing::warn!(error = %e, "could not register the econfiance:// scheme");
        }
    }
    #[cfg(not(target_os = "macos"))]
    {
        for arg in std::env::args_os().skip(1) {
            deliver_arg(app, &arg);
        }
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
            for url in event.urls() {
                deliver(&handle, url.as_str().as_bytes());
            }
        });
    }
}

/// A second launch: bring the window forward and handle the links it carried.
pub fn on_second_instance<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    for arg in argv.iter().skip(1) {
        deliver_arg(app, std::ffi::OsStr::new(arg));
    }
}

#[cfg(not(target_os = "macos"))]
fn deliver_arg<R: Runtime>(app: &AppHandle<R>, arg: &std::ffi::OsStr) {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(arg).to_vec();
    #[cfg(not(unix))]
    let bytes = arg.to_string_lossy().into_owned().into_bytes();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(16)]).into_owned();
    if links::is_link_candidate(&head) {
        deliver(app, &bytes);
    }
}

#[cfg(target_os = "macos")]
fn deliver_arg<R: Runtime>(_app: &AppHandle<R>, _arg: &std::ffi::OsStr) {}

fn deliver<R: Runtime>(app: &AppHandle<R>, raw: &[u8]) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let lang = state.language();
    let Some(manager) = state.session() else {
        // No usable server configuration: nothing can be pending.
        push(app, &state, links::handle_link(raw, |_| false, lang));
        return;
    };
    match links::accept_link(raw, |id| manager.is_pending(id.as_str())) {
        Ok(DeepLink::LoginCallback { request, code }) => {
            tracing::info!(request = %request, "completing a login from a link");
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let requested = manager.pending_login_email(request.as_str());
                let event = match (manager.signed_in().await, requested) {
                    (Some(current), Some(requested))
                        if current.email.eq_ignore_ascii_case(&requested) =>
                    {
                        // Already logged in as this account: keep the session, spend nothing.
                        if let Err(e) = manager.drop_pending_login(request.as_str()) {
                            tracing::warn!(error = %e, "could not forget the unused request");
                        }
                        LinkEvent::AlreadySignedIn {
                            session: session_view(&manager, &current),
                        }
                    }
                    (Some(current), Some(requested)) => {
                        if let Some(state) = app.try_state::<AppState>() {
                            *state
                                .pending_switch
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((
                                request.to_string(),
                                econfiance_api::Secret::new(code.expose().to_owned()),
                            ));
                        }
                        LinkEvent::SwitchRequested {
                            current: current.email,
                            requested,
                        }
                    }
                    _ => match manager
                        .complete_login(request.as_str(), code.expose(), lang)
                        .await
                    {
                        Ok(signed_in) => LinkEvent::SignedIn {
                            session: session_view(&manager, &signed_in),
                        },
                        Err(e) => LinkEvent::Rejected {
                            error: e.to_body(lang),
                        },
                    },
                };
                if let Some(state) = app.try_state::<AppState>() {
                    push(&app, &state, event);
                }
            });
        }
        Ok(DeepLink::PasswordReset { request, token }) => {
            match manager.pending_reset_email(request.as_str()) {
                Some(email) => {
                    tracing::info!(request = %request, "password reset link accepted");
                    *state
                        .pending_reset
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((
                        request.to_string(),
                        econfiance_api::Secret::new(token.expose().to_owned()),
                    ));
                    push(app, &state, LinkEvent::ResetRequested { email });
                }
                // A pending login with this id is not a pending reset.
                None => push(app, &state, links::handle_link(raw, |_| false, lang)),
            }
        }
        Err(_) => push(
            app,
            &state,
            links::handle_link(raw, |id| manager.is_pending(id.as_str()), lang),
        ),
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
