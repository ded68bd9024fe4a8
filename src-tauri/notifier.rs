//! Desktop notifications of new reviews: a background task follows the server's events
//! feed while someone is logged in, and shows one notification per new review that the
//! user's choice keeps. Clicking it brings the window forward on that review.
//!
//! tauri-plugin-notification has no click event on desktop, so notifications go through
//! notify-rust, whose handle waits for the click on every OS (Linux: the notification
//! server's action; Windows: the toast's activation; macOS: the notification's response).
//! Each is sent under the app's identity ([`platform::notification_identity`]): Windows'
//! AppUserModelID (for an installed copy) and macOS's bundle identifier are the app's
//! identifier, which the installers give the Start menu shortcut and the bundle.

use std::time::Duration;

use econfiance_api::reviews::Review;
use econfiance_client::ipc::OPEN_REVIEW_EVENT;
use econfiance_client::platform::{self, Os};
use econfiance_client::{notify, Language};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::AppState;

/// How often the feed is asked, in seconds (`ECONFIANCE_EVENTS_POLL_SECS` changes it).
fn poll_every() -> Duration {
    let secs = std::env::var("ECONFIANCE_EVENTS_POLL_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(60)
        .clamp(1, 3600);
    Duration::from_secs(secs)
}

/// Starts following the events feed (for the life of the app).
pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let every = poll_every();
        let mut follower = notify::FeedFollower::default();
        loop {
            tokio::time::sleep(every).await;
            let Some(state) = app.try_state::<AppState>() else {
                continue;
            };
            for review in follower.next(&state).await {
                show(&app, &review, state.language());
            }
        }
    });
}

/// Shows the notification of `review`; a click opens it in the app.
fn show<R: Runtime>(app: &AppHandle<R>, review: &Review, lang: Language) {
    let (summary, body) = notify::text_for(review, lang);
    let id = review.id.clone();
    let app = app.clone();
    let label = lang.pick("Ouvrir l'avis", "Open the review").to_owned();
    tracing::info!(review = %id, "notifying a new review");
    // Waiting for the click blocks: one short-lived thread per notification.
    std::thread::spawn(move || {
        let exe = tauri::utils::platform::current_exe().unwrap_or_default();
        let identity = platform::notification_identity(Os::current(), crate::cli::IDENTIFIER, &exe);
        set_application(&identity);
        let mut notification = notify_rust::Notification::new();
        notification
            .appname(identity.app_name)
            .summary(&summary)
            .body(&body)
            .action("default", &label);
        set_app_id(&mut notification, &identity);
        match notification.show() {
            // Windows: a click on the toast's body is the "default" response, on its button
            // the action's key.
            #[cfg(windows)]
            Ok(handle) => {
                let _ = handle.wait_for_response(|response: &notify_rust::NotificationResponse| {
                    use notify_rust::NotificationResponse::{Action, Default};
                    if matches!(response, Default)
                        || matches!(response, Action(key) if key == "default")
                    {
                        open_review(&app, &id);
                    }
                });
            }
            // Linux: the action's key ("default" is also a click on the body); macOS: a click.
            #[cfg(not(windows))]
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    open_review(&app, &id);
                }
            }),
            Err(e) => tracing::warn!(error = %e, "notification not shown"),
        }
    });
}

/// Windows: the toast is sent as the AppUserModelID of the installed shortcut.
#[cfg(windows)]
fn set_app_id(
    notification: &mut notify_rust::Notification,
    identity: &platform::NotificationIdentity,
) {
    if let Some(id) = &identity.windows_app_id {
        notification.app_id(id);
    }
}

#[cfg(not(windows))]
fn set_app_id(_: &mut notify_rust::Notification, _: &platform::NotificationIdentity) {}

/// macOS: notifications are sent as the app's bundle (once per process).
#[cfg(target_os = "macos")]
fn set_application(identity: &platform::NotificationIdentity) {
    static SET: std::sync::Once = std::sync::Once::new();
    if let Some(bundle) = identity.macos_bundle_id.clone() {
        SET.call_once(move || {
            if let Err(e) = notify_rust::set_application(&bundle) {
                tracing::warn!(error = %e, "notifications not tied to the app's bundle");
            }
        });
    }
}

#[cfg(not(target_os = "macos"))]
fn set_application(_: &platform::NotificationIdentity) {}

/// Brings the window forward and asks the UI to open review `id`.
pub fn open_review<R: Runtime>(app: &AppHandle<R>, id: &str) {
    crate::deep_links::bring_forward(app);
    if let Err(e) = app.emit(OPEN_REVIEW_EVENT, id) {
        tracing::warn!(error = %e, "could not ask the UI to open a review");
    }
}
