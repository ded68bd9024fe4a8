//! The app's IPC commands: each maps one call of `econfiance-client` to `{code, message}`.

use econfiance_api::{ErrorBody, PlatformStatus};
use econfiance_client::ipc::{AppInfo, LinkEvent};
use econfiance_client::storage::Settings;
use econfiance_client::Language;
use tauri::State;

use crate::AppState;

fn info(state: &AppState) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        language: state.language(),
        server_url: state
            .api
            .as_ref()
            .map(|api| api.config().server_url.to_string())
            .unwrap_or_default(),
    }
}

/// Version, language and server, for the UI at start.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    info(&state)
}

/// Switches the language and remembers the choice in the settings file.
#[tauri::command]
pub fn set_language(state: State<'_, AppState>, language: Language) -> Result<AppInfo, ErrorBody> {
    *state
        .language
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = language;
    let file = state.dirs.settings_file();
    let mut settings = Settings::load(&file);
    settings.language = Some(language);
    settings.save(&file).map_err(|e| {
        tracing::warn!(error = %e, "language not saved");
        e.to_body(language)
    })?;
    Ok(info(&state))
}

/// The platform's status, fetched from the server.
#[tauri::command]
pub async fn platform_status(state: State<'_, AppState>) -> Result<PlatformStatus, ErrorBody> {
    let lang = state.language();
    match &state.api {
        Ok(api) => api.status().await.map_err(|e| e.to_body(lang)),
        Err(e) => Err(e.to_body(lang)),
    }
}

/// Deep-link events that arrived before the UI was listening; from now on they are emitted.
#[tauri::command]
pub fn take_pending_links(state: State<'_, AppState>) -> Vec<LinkEvent> {
    state.inbox.drain_for_ui()
}
