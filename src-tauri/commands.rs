//! The app's IPC commands: each maps one call of `econfiance-client` to `{code, message}`.

use econfiance_api::account::{DemoBooked, DemoRequestBody, DemoSlots, Me, OnboardingBody};
use econfiance_api::auth::{RequestCreated, SessionInfo};
use econfiance_api::{ErrorBody, PlatformStatus};

use econfiance_api::Secret;
use econfiance_client::ipc::{AppInfo, LegalPage, LinkEvent, LinkSent, SessionView};
use econfiance_client::storage::Settings;
use econfiance_client::Language;
use tauri::State;

use crate::state::manager;
use crate::AppState;

/// What the UI learns of a login or reset link just sent.
fn link_sent(email: &str, created: RequestCreated) -> LinkSent {
    LinkSent {
        email: email.trim().to_owned(),
        expires_in: created.expires_in,
        resend_after: created.resend_after,
    }
}

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

/// Sends a magic link to `email` (the request is kept in the keyring).
#[tauri::command]
pub async fn request_login_link(
    state: State<'_, AppState>,
    email: String,
) -> Result<LinkSent, ErrorBody> {
    let lang = state.language();
    let manager = manager(&state)?;
    let created = manager
        .request_login_link(&email, lang)
        .await
        .map_err(|e| e.to_body(lang))?;
    Ok(link_sent(&email, created))
}

/// Logs in with a code typed by hand (from the newest or an older mail).
#[tauri::command]
pub async fn submit_login_code(
    state: State<'_, AppState>,
    code: String,
) -> Result<SessionView, ErrorBody> {
    let lang = state.language();
    let manager = manager(&state)?;
    let signed_in = manager
        .complete_with_typed_code(&code, lang)
        .await
        .map_err(|e| e.to_body(lang))?;
    Ok(manager.view(&signed_in))
}

/// Logs in with e-mail and password.
#[tauri::command]
pub async fn password_login(
    state: State<'_, AppState>,
    email: String,
    password: String,
) -> Result<SessionView, ErrorBody> {
    let lang = state.language();
    let manager = manager(&state)?;
    let signed_in = manager
        .login_with_password(&email, Secret::new(password), lang)
        .await
        .map_err(|e| e.to_body(lang))?;
    Ok(manager.view(&signed_in))
}

/// The session kept from a previous run, if it is still valid.
#[tauri::command]
pub async fn current_session(state: State<'_, AppState>) -> Result<Option<SessionView>, ErrorBody> {
    let lang = state.language();
    let manager = manager(&state)?;
    let restored = manager.restore(lang).await.map_err(|e| e.to_body(lang))?;
    Ok(restored.map(|s| manager.view(&s)))
}

/// Logs out: revokes the session on the server and forgets it here.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<(), ErrorBody> {
    let lang = state.language();
    // The account's local traces go with it (the client's one way out).
    manager(&state)?
        .logout(lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// Sends a password-reset link to `email` (bound to this app like a login).
#[tauri::command]
pub async fn request_password_reset(
    state: State<'_, AppState>,
    email: String,
) -> Result<LinkSent, ErrorBody> {
    let lang = state.language();
    let manager = manager(&state)?;
    let created = manager
        .request_password_reset(&email, lang)
        .await
        .map_err(|e| e.to_body(lang))?;
    Ok(link_sent(&email, created))
}

/// Sets the new password for the reset link the app received. Signs nobody in.
#[tauri::command]
pub async fn confirm_password_reset(
    state: State<'_, AppState>,
    password: String,
) -> Result<(), ErrorBody> {
    let lang = state.language();
    manager(&state)?
        .confirm_reset(Secret::new(password), lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// The free demo appointments.
#[tauri::command]
pub async fn demo_slots(state: State<'_, AppState>) -> Result<DemoSlots, ErrorBody> {
    let lang = state.language();
    let api = state.api.as_ref().map_err(|e| e.to_body(lang))?;
    api.demo_slots(lang).await.map_err(|e| e.to_body(lang))
}

/// Books a demo ("Demander une démo").
#[tauri::command]
pub async fn request_demo(
    state: State<'_, AppState>,
    request: DemoRequestBody,
) -> Result<DemoBooked, ErrorBody> {
    let lang = state.language();
    let api = state.api.as_ref().map_err(|e| e.to_body(lang))?;
    let request = DemoRequestBody {
        locale: Some(lang.pick("fr", "en").to_owned()),
        ..request
    };
    api.demo_request(&request, lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// The account and company, as the server knows them.
#[tauri::command]
pub async fn me(state: State<'_, AppState>) -> Result<Me, ErrorBody> {
    let lang = state.language();
    manager(&state)?.me(lang).await.map_err(|e| e.to_body(lang))
}

/// Sends the first-login form.
#[tauri::command]
pub async fn submit_onboarding(
    state: State<'_, AppState>,
    form: OnboardingBody,
) -> Result<Me, ErrorBody> {
    let lang = state.language();
    manager(&state)?
        .submit_onboarding(&form, lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// Changes the password; the account's other sessions end.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current: Option<String>,
    password: String,
) -> Result<(), ErrorBody> {
    let lang = state.language();
    manager(&state)?
        .change_password(current.map(Secret::new), Secret::new(password), lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// "Mes appareils": the account's sessions.
#[tauri::command]
pub async fn sessions(state: State<'_, AppState>) -> Result<Vec<SessionInfo>, ErrorBody> {
    let lang = state.language();
    manager(&state)?
        .sessions(lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// Ends one session of the account (another device).
#[tauri::command]
pub async fn revoke_session(state: State<'_, AppState>, id: String) -> Result<(), ErrorBody> {
    let lang = state.language();
    manager(&state)?
        .revoke_session(&id, lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// Ends every other session of the account; returns how many ended.
#[tauri::command]
pub async fn revoke_other_sessions(state: State<'_, AppState>) -> Result<usize, ErrorBody> {
    let lang = state.language();
    manager(&state)?
        .revoke_other_sessions(lang)
        .await
        .map_err(|e| e.to_body(lang))
}

/// The user agreed to switch to the account of the login link that arrived: logs the
/// current account out, then completes that link.
#[tauri::command]
pub async fn confirm_account_switch(state: State<'_, AppState>) -> Result<SessionView, ErrorBody> {
    let lang = state.language();
    let manager = manager(&state)?;
    let signed_in = manager
        .confirm_switch(lang)
        .await
        .map_err(|e| e.to_body(lang))?;
    Ok(manager.view(&signed_in))
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
    let lang = state.language();
    let api = state.api.as_ref().map_err(|e| e.to_body(lang))?;
    let url = api.config().endpoint(page.path());
    app.opener().open_url(&url, None::<&str>).map_err(|e| {
        tracing::warn!(error = %e, "the browser did not open");
        ErrorBody::new(
            "browser_not_opened",
            match lang {
                Language::Fr => format!("Le navigateur ne s'est pas ouvert. Copiez cette adresse dans votre navigateur : {url}"),
                Language::En => format!("The browser did not open. Copy this address into your browser: {url}"),
            },
        )
    })
}
