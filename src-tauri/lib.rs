//! e-confiance Desktop: the thin Tauri shell over `econfiance-client`.
//!
//! It wires the plugins (single instance first, then deep links), resolves the OS folders,
//! starts logging, and exposes a few commands, each a call into `econfiance-client`.
//! Nothing here holds logic that needs a window to be tested.

pub mod cli;
mod commands;
#[cfg(feature = "cross-canary")]
mod cross_canary;
mod dashboard;
mod deep_links;
mod dialogs;
mod handoff;
mod invitations;
#[cfg(test)]
mod ipc_tests;
mod notifier;
mod preferences;
mod replies;
mod state;
mod support;
mod team;
mod troubleshoot;
mod updates;

use tauri::webview::PageLoadEvent;
use tauri::{Manager, Runtime};

pub use state::AppState;

/// Builds the app on any Tauri runtime (tests can use the mock runtime).
pub fn builder<R: Runtime>() -> tauri::Builder<R> {
    let builder = tauri::Builder::<R>::new()
        // Registered first: a second launch (e.g. the OS opening a link) hands its
        // arguments to the running app and exits.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            deep_links::on_second_instance(app, argv);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        // Opens the legal pages in the browser, from Rust only (no permission for the UI).
        .plugin(tauri_plugin_opener::init())
        // Window size, position and maximised state, restored at the next start (not its
        // visibility: a window hidden in the tray must come back visible).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .build(),
        )
        // Picks and verifies update packages and installs them (see updates.rs); the UI gets
        // none of its permissions, only the app's commands.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(|app| {
            let handle = app.handle().clone();
            open_main_window(&handle)?;
            let state = AppState::initialise(&handle)?;
            app.manage(state);
            app.manage(updates::PendingUpdate::default());
            // The keyring probe, off the main thread (which must get to the window).
            if cli::start_tuning().lazy_session() {
                let warm = handle.clone();
                std::thread::spawn(move || {
                    let _ = warm.state::<AppState>().session();
                });
            } else {
                let _ = handle.state::<AppState>().session();
            }
            deep_links::setup(&handle);
            let state = handle.state::<AppState>();
            if state.settings_at_start.tray {
                if let Err(e) = preferences::apply_tray(&handle, true, state.language()) {
                    tracing::warn!(error = %e, "tray icon not shown");
                }
            }
            preferences::apply_window_theme(&handle, state.settings_at_start.theme);
            notifier::start(handle.clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            // With the tray icon, closing the window keeps the app (and notifications) on.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if preferences::keeps_running(window.app_handle()) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .on_page_load(|webview, payload| {
            if payload.event() == PageLoadEvent::Started {
                // A new page (start or reload) must drain the inbox before events flow again.
                if let Some(state) = webview.try_state::<AppState>() {
                    state.inbox.ui_unloaded();
                }
            }
        });
    with_commands(builder)
}

/// `command_list.rs`'s entries, as Tauri's handler list.
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$command),*]
    };
}

/// Registers the app's IPC commands (the list in `command_list.rs`) on `builder`; the
/// tests register them on Tauri's mock runtime.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(include!("command_list.rs"))
}

/// Opens the main window from `tauri.conf.json` (`create: false` there, so that it is made
/// here: the benchmark mode opens the page with its query). The setup hook runs before the
/// event loop, so the page's first commands still find the app's state.
fn open_main_window<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<()> {
    let Some(mut config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
    else {
        return Ok(());
    };
    if let Some(url) = page_url(cli::benchmark_page(), cli::start_tuning_asked()) {
        config.url = tauri::WebviewUrl::App(url.into());
    }
    let window = tauri::WebviewWindowBuilder::from_config(app, &config)?.build()?;
    tune_webview(&window, &webview_tuning());
    if cli::perf_marks() {
        console_to_stdout(&window);
    }
    Ok(())
}

/// The page the window opens when the benchmarks ask for another than `index.html`: the
/// UI's benchmark mode (`--benchmark-page QUERY`), the engine floor's empty page
/// (`--benchmark-page floor`), or the app told which start-up changes are on
/// (`--start-tuning`).
fn page_url(benchmark: Option<&str>, tuning: Option<cli::StartTuning>) -> Option<String> {
    match (benchmark, tuning) {
        (Some("floor"), _) => Some("floor.html".into()),
        (Some(query), _) => Some(format!("index.html?{query}")),
        (None, Some(tuning)) => Some(format!("index.html?tuning={}", tuning.name())),
        (None, None) => None,
    }
}

/// Which of WebKitGTK's settings the app changes (`ECONFIANCE_WEBKIT_TUNING`: `all`, the
/// default; `none` keeps WebKit's own, e.g. for a machine where software rendering is slow;
/// `cache` or `accel` for one of them, to measure).
fn webview_tuning() -> String {
    std::env::var("ECONFIANCE_WEBKIT_TUNING").unwrap_or_else(|_| "all".into())
}

/// WebKitGTK's settings for a one-window app whose pages come from its own binary: the
/// "document viewer" cache model (no memory cache of pages and resources beyond the current
/// one) and, where GL is software only, no GPU compositing
/// ([`econfiance_client::platform::gpu_compositing_off`]). Measured in BENCHMARKS.md
/// ("Engines").
#[cfg(target_os = "linux")]
fn tune_webview<R: Runtime>(window: &tauri::WebviewWindow<R>, tuning: &str) {
    use econfiance_client::platform::{gpu_compositing_off, GraphicsFacts, Os};
    let cache = matches!(tuning, "cache" | "all");
    let accel = matches!(tuning, "accel" | "all")
        && gpu_compositing_off(Os::current(), GraphicsFacts::detect());
    let _ = window.with_webview(move |platform| {
        use webkit2gtk::{SettingsExt, WebContextExt, WebViewExt};
        let view = platform.inner();
        if cache {
            if let Some(context) = view.context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
        }
        if accel {
            if let Some(settings) = view.settings() {
                settings.set_hardware_acceleration_policy(
                    webkit2gtk::HardwareAccelerationPolicy::Never,
                );
            }
        }
    });
}

#[cfg(not(target_os = "linux"))]
fn tune_webview<R: Runtime>(_window: &tauri::WebviewWindow<R>, _tuning: &str) {}

/// WebKitGTK prints the page's console (where the performance marks go) to stdout.
#[cfg(target_os = "linux")]
fn console_to_stdout<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let _ = window.with_webview(|platform| {
        use webkit2gtk::{SettingsExt, WebViewExt};
        if let Some(settings) = platform.inner().settings() {
            settings.set_enable_write_console_messages_to_stdout(true);
        }
    });
}

#[cfg(not(target_os = "linux"))]
fn console_to_stdout<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// macOS: a click on the Dock icon while the window is hidden in the tray brings it back.
fn on_run_event<R: Runtime>(app: &tauri::AppHandle<R>, event: tauri::RunEvent) {
    #[cfg(target_os = "macos")]
    if let tauri::RunEvent::Reopen {
        has_visible_windows: false,
        ..
    } = event
    {
        deep_links::bring_forward(app);
    }
    let _ = (app, event);
}

/// Runs the desktop app until its last window closes.
pub fn run() {
    let app = builder::<tauri::Wry>().build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(on_run_event),
        Err(e) => {
            eprintln!("e-confiance: the app could not start: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmarks_pages_are_named_here_and_the_app_opens_index_html_otherwise() {
        assert_eq!(page_url(None, None), None);
        assert_eq!(page_url(Some("floor"), None).as_deref(), Some("floor.html"));
        assert_eq!(
            page_url(Some("bench=10&scroll=1"), Some(cli::StartTuning::All)).as_deref(),
            Some("index.html?bench=10&scroll=1")
        );
        assert_eq!(
            page_url(None, Some(cli::StartTuning::SnapshotFirst)).as_deref(),
            Some("index.html?tuning=snapshot-first")
        );
    }
}
