//! Contact support from anywhere, logged in or not; my tickets; my account (export of my
//! data, deletion request through support). A message that cannot be sent is kept.

use econfiance_api::account::{
    Contract, DeletionRequestBody, DeletionTerms, Ticket, TicketCategory,
};
use econfiance_api::{ErrorBody, Secret};
use econfiance_client::ipc::SupportOutcome;
use econfiance_client::support::{self, SupportDraft, SupportFiles, UnsentTicket};
use econfiance_client::{ApiClient, ClientError, Language};
use serde::Deserialize;
use tauri::State;

use crate::state::authed;
use crate::AppState;

fn files(state: &AppState) -> SupportFiles {
    SupportFiles::new(&state.dirs)
}

/// The support form as it was left.
#[tauri::command]
pub fn support_draft(state: State<'_, AppState>) -> SupportDraft {
    files(&state).draft()
}

/// Keeps the support form as it is typed (in the app's folder, not the cache).
#[tauri::command]
pub fn save_support_draft(
    state: State<'_, AppState>,
    draft: SupportDraft,
) -> Result<(), ErrorBody> {
    files(&state)
        .save_draft(&draft)
        .map_err(|e| e.to_body(state.language()))
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

/// A support message, as the form sends it.
#[derive(Debug, Deserialize)]
pub struct SupportRequest {
    category: TicketCategory,
    subject: String,
    message: String,
    contact_email: Option<String>,
    /// The report the user read, if they chose to join it (redacted again here).
    diagnostics: Option<String>,
}

async fn send(
    state: &AppState,
    api: &ApiClient,
    ticket: &UnsentTicket,
    lang: Language,
) -> Result<SupportOutcome, ClientError> {
    let body = ticket.body(lang.pick("fr", "en"));
    let session = state.session();
    let signed_in = match &session {
        Some(m) => m.signed_in().await.is_some(),
        None => false,
    };
    let created = match (&session, signed_in) {
        (Some(manager), true) => {
            manager
                .with_access(lang, |access: Secret<String>| {
                    let body = body.clone();
                    async move { api.create_ticket(Some(&access), &body, lang).await }
                })
                .await?
        }
        _ => api.create_ticket(None, &body, lang).await?,
    };
    Ok(SupportOutcome::Sent {
        reference: created.reference,
        respond_by: created.respond_by,
    })
}

/// Whether a failure means "try again later" (keep the message) rather than "fix it".
fn is_transient(e: &ClientError) -> bool {
    matches!(
        e,
        ClientError::NetworkUnreachable(_) | ClientError::Timeout | ClientError::Server { .. }
    )
}

/// Sends a message to support. If the platform cannot be reached, the message is kept on
/// this computer (and the draft cleared, since it is safe): nothing typed is lost.
#[tauri::command]
pub async fn send_support(
    state: State<'_, AppState>,
    request: SupportRequest,
) -> Result<SupportOutcome, ErrorBody> {
    let lang = state.language();
    let api = state.api.as_ref().map_err(|e| e.to_body(lang))?;
    let ticket = UnsentTicket::new(
        request.category,
        &request.subject,
        &request.message,
        request.contact_email.as_deref(),
        request.diagnostics.as_deref(),
    );
    let outcome = match send(&state, api, &ticket, lang).await {
        Ok(sent) => sent,
        Err(e) if is_transient(&e) => {
            files(&state).keep(ticket).map_err(|e| e.to_body(lang))?;
            tracing::info!(code = e.code(), "support message kept to send later");
            SupportOutcome::Kept {
                reason: e.message(lang),
            }
        }
        Err(e) => return Err(e.to_body(lang)),
    };
    // Clearing the draft removes its file, which a full disk does not refuse.
    files(&state)
        .save_draft(&SupportDraft::default())
        .map_err(|e| e.to_body(lang))?;
    Ok(outcome)
}

/// Messages kept because they could not be sent.
#[tauri::command]
pub fn unsent_support(state: State<'_, AppState>) -> Vec<UnsentTicket> {
    files(&state).unsent()
}

/// Sends the kept message `id` now; it stays kept if the platform still cannot be reached.
#[tauri::command]
pub async fn send_unsent_support(
    state: State<'_, AppState>,
    id: String,
) -> Result<SupportOutcome, ErrorBody> {
    let lang = state.language();
    let Some(ticket) = files(&state).unsent().into_iter().find(|t| t.id == id) else {
        return Err(ErrorBody::new(
            "not_found",
            lang.pick(
                "Ce message a déjà été envoyé.",
                "This message was already sent.",
            ),
        ));
    };
    let api = state.api.as_ref().map_err(|e| e.to_body(lang))?;
    match send(&state, api, &ticket, lang).await {
        Ok(sent) => {
            files(&state).forget(&id).map_err(|e| e.to_body(lang))?;
            Ok(sent)
        }
        Err(e) if is_transient(&e) => Ok(SupportOutcome::Kept {
            reason: e.message(lang),
        }),
        Err(e) => Err(e.to_body(lang)),
    }
}

/// Drops a kept message the user no longer wants to send.
#[tauri::command]
pub fn forget_unsent_support(state: State<'_, AppState>, id: String) -> Result<(), ErrorBody> {
    files(&state)
        .forget(&id)
        .map_err(|e| e.to_body(state.language()))
}

/// My tickets, their status and support's answers.
#[tauri::command]
pub async fn my_tickets(state: State<'_, AppState>) -> Result<Vec<Ticket>, ErrorBody> {
    let lang = state.language();
    authed(&state, |api, access| async move {
        api.tickets(&access, lang).await
    })
    .await
}

/// The company's contract (plan, commitment, end of the commitment period).
#[tauri::command]
pub async fn contract(state: State<'_, AppState>) -> Result<Contract, ErrorBody> {
    let lang = state.language();
    authed(&state, |api, access| async move {
        api.contract(&access, lang).await
    })
    .await
}

/// Asks support to delete the account (it is not self-service).
#[tauri::command]
pub async fn request_account_deletion(
    state: State<'_, AppState>,
    reason: Option<String>,
) -> Result<DeletionTerms, ErrorBody> {
    let lang = state.language();
    let body = DeletionRequestBody {
        reason: reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()),
    };
    authed(&state, |api, access| {
        let body = body.clone();
        async move { api.deletion_request(&access, &body, lang).await }
    })
    .await
}

/// Downloads everything the platform holds about me into `path` (chosen by the user in the
/// save dialog). Returns the bytes written.
#[tauri::command]
pub async fn export_my_data(state: State<'_, AppState>, path: String) -> Result<u64, ErrorBody> {
    let lang = state.language();
    let bytes = authed(&state, |api, access| async move {
        api.export(&access, lang).await
    })
    .await?;
    let path = std::path::PathBuf::from(path);
    econfiance_client::storage::write_atomically(&path, &bytes).map_err(|e| e.to_body(lang))?;
    tracing::info!(bytes = bytes.len(), "personal data exported");
    Ok(bytes.len() as u64)
}
