//! Contact support from anywhere, logged in or not; my tickets; my account (export of my
//! data, deletion request through support). A message that cannot be sent is kept.

use econfiance_api::account::{Contract, DeletionTerms, Ticket};
use econfiance_api::ErrorBody;
use econfiance_client::api;
use econfiance_client::desktop::SaveDialog;
use econfiance_client::ipc::SupportOutcome;
use econfiance_client::support::{self, SupportDraft, SupportRequest, UnsentTicket};
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::choose_save_path;

use crate::AppState;

/// The support form as it was left.
#[tauri::command]
pub fn support_draft(state: State<'_, AppState>) -> SupportDraft {
    state.support_files().draft()
}

/// Keeps the support form as it is typed (in the app's folder, not the cache).
#[tauri::command]
pub fn save_support_draft(
    state: State<'_, AppState>,
    draft: SupportDraft,
) -> Result<(), ErrorBody> {
    state
        .support_files()
        .save_draft(&draft)
        .map_err(|e| state.fail(e))
}

/// The diagnostics report that would be joined, redacted, for the user to read first.
#[tauri::command]
pub async fn diagnostics_report(state: State<'_, AppState>) -> Result<String, ErrorBody> {
    let check = crate::troubleshoot::connection_check(state.clone()).await?;
    let keyring = match state.session().as_ref().map(|m| m.vault().mode()) {
        Some(econfiance_client::vault::VaultMode::Keyring) => "OS keyring",
        _ => "memory only",
    };
    let server = state
        .api
        .as_ref()
        .map(|a| a.config().server_url.to_string())
        .unwrap_or_default();
    Ok(support::diagnostics_report(
        env!("CARGO_PKG_VERSION"),
        &server,
        keyring,
        &check.to_text(),
        &support::recent_log_lines(&state.dirs, 40),
    ))
}

/// Sends a message to support. If the platform cannot be reached, the message is kept on
/// this computer (and the draft cleared, since it is safe): nothing typed is lost.
#[tauri::command]
pub async fn send_support(
    state: State<'_, AppState>,
    request: SupportRequest,
) -> Result<SupportOutcome, ErrorBody> {
    state.send_support(request).await
}

/// Messages kept because they could not be sent.
#[tauri::command]
pub fn unsent_support(state: State<'_, AppState>) -> Vec<UnsentTicket> {
    state.support_files().unsent()
}

/// Sends the kept message `id` now; it stays kept if the platform still cannot be reached.
#[tauri::command]
pub async fn send_unsent_support(
    state: State<'_, AppState>,
    id: String,
) -> Result<SupportOutcome, ErrorBody> {
    state.send_unsent_support(&id).await
}

/// Drops a kept message the user no longer wants to send.
#[tauri::command]
pub fn forget_unsent_support(state: State<'_, AppState>, id: String) -> Result<(), ErrorBody> {
    state.support_files().forget(&id).map_err(|e| state.fail(e))
}

/// My tickets, their status and support's answers.
#[tauri::command]
pub async fn my_tickets(state: State<'_, AppState>) -> Result<Vec<Ticket>, ErrorBody> {
    state.call(api::support::tickets()).await
}

/// Adds a message to one of the user's open tickets; the ticket with its whole conversation.
#[tauri::command]
pub async fn send_ticket_message(
    state: State<'_, AppState>,
    reference: String,
    message: String,
) -> Result<Ticket, ErrorBody> {
    state
        .call(api::support::follow_up(&reference, &message))
        .await
}

/// The company's contract (plan, commitment, end of the commitment period).
#[tauri::command]
pub async fn contract(state: State<'_, AppState>) -> Result<Contract, ErrorBody> {
    state.call(api::account::contract()).await
}

/// Asks support to delete the account (it is not self-service).
#[tauri::command]
pub async fn request_account_deletion(
    state: State<'_, AppState>,
    reason: Option<String>,
) -> Result<DeletionTerms, ErrorBody> {
    state.request_account_deletion(reason).await
}

/// Asks where to save everything the platform holds about me (the OS's dialog, run here),
/// then saves it there; the bytes written, or nothing when the user cancelled.
#[tauri::command]
pub async fn export_my_data<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<u64>, ErrorBody> {
    let Some(path) = choose_save_path(&app, SaveDialog::MyData, state.language()).await else {
        return Ok(None);
    };
    state.export_my_data(&path).await.map(Some)
}
