//! The invitations' commands: inviting customers, a CSV of them chosen in the OS's dialog
//! (run here: the webview never names a path) and checked line by line, the list and its
//! figures, and the shareable review link with its QR code saved where the user chooses.

use econfiance_api::invitations::{
    CsvPreview, InvitationPage, InvitationQuery, InvitationSummary, InvitationsSent, NewInvitation,
    ReviewLink,
};
use econfiance_api::ErrorBody;
use econfiance_client::api::invitations::{self, QrFormat};
use econfiance_client::desktop::SaveDialog;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::{choose_customer_file, choose_save_path};
use crate::AppState;

/// Invites customers: each is mailed a link to the review form (unless invited for the same order in the last 30 days, or unsubscribed).
#[tauri::command]
pub async fn invite_customers(
    state: State<'_, AppState>,
    customers: Vec<NewInvitation>,
) -> Result<InvitationsSent, ErrorBody> {
    state.call(invitations::send(customers)).await
}

/// Asks which CSV of customers to read (the OS's dialog, run here), then has the platform check every line; nothing is sent. Null when the user cancelled.
#[tauri::command]
pub async fn check_customer_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<CsvPreview>, ErrorBody> {
    let Some(path) = choose_customer_file(&app, state.language()).await else {
        return Ok(None);
    };
    state.check_customer_file(&path).await.map(Some)
}

/// A page of the company's invitations, newest first.
#[tauri::command]
pub async fn list_invitations(
    state: State<'_, AppState>,
    query: InvitationQuery,
) -> Result<InvitationPage, ErrorBody> {
    state.call(invitations::list(&query)).await
}

/// The invitations of the last 30 days: opened, reviewed, refused, unsubscribed, the response rate.
#[tauri::command]
pub async fn invitation_summary(
    state: State<'_, AppState>,
) -> Result<InvitationSummary, ErrorBody> {
    state.call(invitations::summary()).await
}

/// The company's shareable review link, with its QR code (SVG).
#[tauri::command]
pub async fn review_link(state: State<'_, AppState>) -> Result<ReviewLink, ErrorBody> {
    state.call(invitations::review_link()).await
}

/// Asks where to save the review link's QR code (the OS's dialog, run here), then saves it there; the bytes written, or nothing when the user cancelled.
#[tauri::command]
pub async fn save_review_qr<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: QrFormat,
) -> Result<Option<u64>, ErrorBody> {
    let dialog = match format {
        QrFormat::Png => SaveDialog::QrPng,
        QrFormat::Svg => SaveDialog::QrSvg,
    };
    let Some(path) = choose_save_path(&app, dialog, state.language()).await else {
        return Ok(None);
    };
    state.save_review_qr(format, &path).await.map(Some)
}
