//! What the app does beyond its window: which new reviews are notified, an icon in the
//! system tray (closing the window then keeps the app running, so notifications still
//! arrive), starting at login (tauri-plugin-autostart), and the e-mail alerts the platform
//! sends with the app closed.

use econfiance_api::ErrorBody;
use econfiance_client::ipc::{AppPreferences, Theme};
use econfiance_client::notify::NotificationChoice;
use econfiance_client::storage::Settings;
use econfiance_client::{ClientError, Language};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

use crate::AppState;

const TRAY_ID: &str = "main-tray";

fn current<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> AppPreferences {
    let settings = Settings::load(&state.dirs.settings_file());
    AppPreferences {
        notifications: settings.notifications,
        tray: settings.tray,
        autostart: app.autolaunch().is_enabled().unwrap_or(false),
        theme: settings.theme,
    }
}

fn save(state: &AppState, change: impl FnOnce(&mut Settings)) -> Result<(), ErrorBody> {
    let file = state.dirs.settings_file();
    let mut settings = Settings::load(&file);
    change(&mut settings);
    settings
        .save(&file)
        .map_err(|e| e.to_body(state.language()))
}

/// The current preferences.
#[tauri::command]
pub fn preferences<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> AppPreferences {
    current(&app, &state)
}

/// Chooses which new reviews are notified.
#[tauri::command]
pub fn set_notifications<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    choice: NotificationChoice,
) -> Result<AppPreferences, ErrorBody> {
    save(&state, |s| s.notifications = choice)?;
    Ok(current(&app, &state))
}

/// Light, dark or the OS's colours: remembered, and given to the window itself (its title
/// bar and native controls); the page applies its own palette from the answer.
#[tauri::command]
pub fn set_theme<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    theme: Theme,
) -> Result<AppPreferences, ErrorBody> {
    save(&state, |s| s.theme = theme)?;
    apply_window_theme(&app, theme);
    Ok(current(&app, &state))
}

/// Gives the theme to the main window (None: follow the OS).
pub fn apply_window_theme<R: Runtime>(app: &AppHandle<R>, theme: Theme) {
    if let Some(window) = app.get_webview_window("main") {
        let native = match theme {
            Theme::System => None,
            Theme::Light => Some(tauri::Theme::Light),
            Theme::Dark => Some(tauri::Theme::Dark),
        };
        if let Err(e) = window.set_theme(native) {
            tracing::warn!(error = %e, "window theme not applied");
        }
    }
}

/// Shows or removes the tray icon.
#[tauri::command]
pub fn set_tray<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<AppPreferences, ErrorBody> {
    let lang = state.language();
    apply_tray(&app, enabled, lang).map_err(|e| {
        tracing::warn!(error = %e, "tray icon not changed");
        state.fail(ClientError::PreferenceNotApplied("tray"))
    })?;
    save(&state, |s| s.tray = enabled)?;
    Ok(current(&app, &state))
}

/// Starts the app at login, or stops doing so.
#[tauri::command]
pub fn set_autostart<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<AppPreferences, ErrorBody> {
    let launcher = app.autolaunch();
    let done = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    done.map_err(|e| {
        tracing::warn!(error = %e, "autostart not changed");
        state.fail(ClientError::PreferenceNotApplied("autostart"))
    })?;
    Ok(current(&app, &state))
}

/// Shows the tray icon (made the first time) or hides it.
pub fn apply_tray<R: Runtime>(
    app: &AppHandle<R>,
    enabled: bool,
    lang: Language,
) -> tauri::Result<()> {
    // Turning it off hides the icon rather than removing it: on Linux a removed icon's
    // StatusNotifier object stays on the bus, and a new icon with the same id then never
    // shows (seen in tests/e2e/tests/tray_icon.rs).
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        return tray.set_visible(enabled);
    }
    if !enabled {
        return Ok(());
    }
    let menu = tray_menu(app, lang)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("e-confiance")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.show();
                    let _ = window.unminimize();
                    let _ = window.set_focus();
                }
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// The tray icon's menu, in `lang`.
fn tray_menu<R: Runtime>(app: &AppHandle<R>, lang: Language) -> tauri::Result<Menu<R>> {
    let open = MenuItem::with_id(
        app,
        "open",
        lang.pick("Ouvrir e-confiance", "Open e-confiance"),
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(
        app,
        "quit",
        lang.pick("Quitter", "Quit"),
        true,
        None::<&str>,
    )?;
    Menu::with_items(app, &[&open, &quit])
}

/// Writes the tray icon's menu again in `lang` (after a language switch).
pub fn retranslate_tray<R: Runtime>(app: &AppHandle<R>, lang: Language) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        if let Err(e) = tray_menu(app, lang).and_then(|menu| tray.set_menu(Some(menu))) {
            tracing::warn!(error = %e, "tray menu not translated");
        }
    }
}

/// Whether closing the window should hide it (the tray keeps the app running).
pub fn keeps_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<AppState>()
        .map(|s| Settings::load(&s.dirs.settings_file()).tray)
        .unwrap_or(false)
}

/// The user's e-mail alerts, kept by the platform: a mail for each new review at or below a rating, and the weekly digest.
#[tauri::command]
pub async fn email_alerts(
    state: State<'_, AppState>,
) -> Result<econfiance_api::alerts::AlertSettings, ErrorBody> {
    state.call(econfiance_client::api::account::alerts()).await
}

/// Changes the user's e-mail alerts.
#[tauri::command]
pub async fn set_email_alerts(
    state: State<'_, AppState>,
    alerts: econfiance_api::alerts::AlertSettings,
) -> Result<econfiance_api::alerts::AlertSettings, ErrorBody> {
    state
        .call(econfiance_client::api::account::set_alerts(&alerts))
        .await
}
