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
//! Each link becomes a [`LinkEvent`]; the [`LinkInbox`](econfiance_client::links::LinkInbox)
//! buffers it until the UI has drained the inbox, then events are emitted live.

use econfiance_api::DeepLink;
use econfiance_client::ipc::{LinkEvent, LINK_EVENT};
use econfiance_client::links::{self, Delivery};
use econfiance_client::platform::{self, Os, WindowStep};
use std::ffi::OsString;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::session_view;
use crate::AppState;

/// Called at setup: registers the scheme (development builds on Linux and Windows, unless
/// an installed package's entry already handles it: a debug package must not leave a
/// per-user registration behind once uninstalled) and handles a link the app was started
/// with.
pub fn setup<R: Runtime>(app: &AppHandle<R>) {
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
