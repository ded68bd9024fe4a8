//! The window shown at the page's first meaningful frame, never blank: made hidden, shown
//! once the page says its first screen is built ([`window_ready`]), or after [`FALLBACK`]
//! if the page never says so (a page that failed to load is still shown, with its error).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

/// How long the window waits for the page before it is shown anyway.
pub const FALLBACK: Duration = Duration::from_secs(3);

/// Whether the window was made hidden and is not shown yet.
static WAITING: AtomicBool = AtomicBool::new(false);

/// The window was made hidden: it is shown by [`window_ready`], or after [`FALLBACK`].
pub fn wait_for_page<R: Runtime>(app: &AppHandle<R>) {
    WAITING.store(true, Ordering::SeqCst);
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(FALLBACK);
        let main = app.clone();
        let _ = app.run_on_main_thread(move || show(&main));
    });
}

/// The window was shown by other means (a link, the tray, a notification): the page's
/// word or the fallback must not show it again after the user hid it.
pub fn shown_otherwise() {
    WAITING.store(false, Ordering::SeqCst);
}

/// Shows the window if it still waits for the page (once: a window the user has since hidden
/// in the tray stays hidden).
fn show<R: Runtime>(app: &AppHandle<R>) {
    if WAITING.swap(false, Ordering::SeqCst) {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.show();
            let _ = window.set_focus();
        }
    }
}

/// The page's first screen is built (with last time's figures, when there are some): the
/// window is shown, if it was waiting for it.
#[tauri::command]
pub fn window_ready<R: Runtime>(app: AppHandle<R>) {
    show(&app);
}
