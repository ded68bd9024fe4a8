//! The app's IPC commands about the app, logging in and the account: each is one call into
//! the client's [`econfiance_client::desktop::Desktop`], which answers `{code, message}`.

use econfiance_api::account::{DemoBooked, DemoRequestBody, DemoSlots, Me, OnboardingBody};
use econfiance_api::auth::SessionInfo;
use econfiance_api::{ErrorBody, PlatformStatus, Secret};
use econfiance_client::api;
use econfiance_client::ipc::{AppInfo, LegalPage, LinkEvent, LinkSent, SessionView};
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
        safe_mode: crate::cli::safe_mode(),
        theme: Settings::load(&state.dirs.settings_file()).theme,
        clear_cache_offline: econfiance_client::platform::clear_cache_advice(
            econfiance_client::platform::Os::current(),
            &tauri::utils::platform::current_exe().unwrap_or_default(),
            state.language(),
        ),
    }
}

/// Version, language and server, for the UI at start.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    info(&state)
}

/// Switches the language and remembers the choice in the settings file.
#[tauri::command]
pub fn set_language<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    language: Language,
) -> Result<AppInfo, ErrorBody> {
    crate::preferences::retranslate_tray(&app, language);
    state.set_language(language)?;
    Ok(info(&state))
}

/// The platform's status, fetched from the server.
#[tauri::command]
pub async fn platform_status(state: State<'_, AppState>) -> Result<PlatformStatus, ErrorBody> {
    let api = state.api()?;
    api.status().await.map_err(|e| state.fail(e))
}

/// Deep-link events that arrived before the UI was listening; from now on they are emitted.
#[tauri::command]
pub fn take_pending_links(state: State<'_, AppState>) -> Vec<LinkEvent> {
    state.inbox.drain_for_ui()
}

/// Sends a magic link to `email` (the request is kept in the keyring).
#[tauri::command]
pub async fn request_login_link(
    state: State<'_, AppState>,
    email: String,
) -> Result<LinkSent, ErrorBody> {
    state.request_login_link(&email).await
}

/// Logs in with a code typed by hand (from the newest or an older mail).
#[tauri::command]
pub async fn submit_login_code(
    state: State<'_, AppState>,
    code: String,
) -> Result<SessionView, ErrorBody> {
    state.submit_login_code(&code).await
}

/// Logs in with e-mail and password.
#[tauri::command]
pub async fn password_login(
    state: State<'_, AppState>,
    email: String,
    password: String,
) -> Result<SessionView, ErrorBody> {
    state.password_login(&email, Secret::new(password)).await
}

/// The session kept from a previous run, if it is still valid.
#[tauri::command]
pub async fn current_session(state: State<'_, AppState>) -> Result<Option<SessionView>, ErrorBody> {
    state.current_session().await
}

/// Logs out: revokes the session on the server and deletes the account's local traces.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<(), ErrorBody> {
    state.logout().await
}

/// Sends a password-reset link to `email` (bound to this app like a login).
#[tauri::command]
pub async fn request_password_reset(
    state: State<'_, AppState>,
    email: String,
) -> Result<LinkSent, ErrorBody> {
    state.request_password_reset(&email).await
}

/// Sets the new password for the reset link the app received. Signs nobody in.
#[tauri::command]
pub async fn confirm_password_reset(
    state: State<'_, AppState>,
    password: String,
) -> Result<(), ErrorBody> {
    state.confirm_password_reset(Secret::new(password)).await
}

/// The free demo appointments.
#[tauri::command]
pub async fn demo_slots(state: State<'_, AppState>) -> Result<DemoSlots, ErrorBody> {
    state.public(api::account::demo_slots()).await
}

/// Books a demo ("Demander une démo").
#[tauri::command]
pub async fn request_demo(
    state: State<'_, AppState>,
    request: DemoRequestBody,
) -> Result<DemoBooked, ErrorBody> {
    state.request_demo(request).await
}

/// The account and company, as the server knows them.
#[tauri::command]
pub async fn me(state: State<'_, AppState>) -> Result<Me, ErrorBody> {
    state.me().await
}

/// Sends the first-login form.
#[tauri::command]
pub async fn submit_onboarding(
    state: State<'_, AppState>,
    form: OnboardingBody,
) -> Result<Me, ErrorBody> {
    state.submit_onboarding(&form).await
}

/// Changes the password; the account's other sessions end.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current: Option<String>,
    password: String,
) -> Result<(), ErrorBody> {
    let current = current.map(Secret::new);
    state.change_password(current, Secret::new(password)).await
}

/// "Mes appareils": the account's sessions.
#[tauri::command]
pub async fn sessions(state: State<'_, AppState>) -> Result<Vec<SessionInfo>, ErrorBody> {
    state.call(api::auth::sessions()).await
}

/// Ends one session of the account (another device).
#[tauri::command]
pub async fn revoke_session(state: State<'_, AppState>, id: String) -> Result<(), ErrorBody> {
    state.call(api::auth::revoke_session(&id)).await
}

/// Ends every other session of the account; returns how many ended.
#[tauri::command]
pub async fn revoke_other_sessions(state: State<'_, AppState>) -> Result<usize, ErrorBody> {
    state.revoke_other_sessions().await
}

/// The user agreed to switch to the account of the login link that arrived: logs the
/// current account out, then completes that link.
#[tauri::command]
pub async fn confirm_account_switch(state: State<'_, AppState>) -> Result<SessionView, ErrorBody> {
    state.confirm_account_switch().await
}

/// The user kept the current account: the waiting link is forgotten (it can be opened
/// again from the e-mail while it is valid).
#[tauri::command]
pub fn cancel_account_switch(state: State<'_, AppState>) {
    if let Some(manager) = state.session() {
        manager.cancel_switch();
    }
}

/// Opens one of the platform's legal pages (the About box) in the default browser. The UI
/// names a page, never a URL: the address is built here from the configured server, so
/// this cannot open anything else.
#[tauri::command]
pub fn open_legal<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    page: LegalPage,
) -> Result<(), ErrorBody> {
    use tauri_plugin_opener::OpenerExt;
    let url = state.api()?.config().endpoint(page.path());
    app.opener().open_url(&url, None::<&str>).map_err(|e| {
        tracing::warn!(error = %e, "the browser did not open");
        state.fail(econfiance_client::ClientError::BrowserNotOpened(url))
    })
}
