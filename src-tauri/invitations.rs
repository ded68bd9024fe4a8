//! The invitations' commands: inviting customers, a CSV of them chosen in the OS's dialog
//! (run here: the webview never names a path) and checked line by line, the list and its
//! figures, and the shareable review link with its QR code saved where the user chooses.

use econfiance_api::invitations::{
    CsvPreview, EstablishmentQuery, InvitationPage, InvitationQuery, InvitationSummary,
    InvitationsSent, NewInvitation, ReviewLink,
};
use econfiance_api::ErrorBody;
use econfiance_client::api::invitations::{self, QrFormat};
use econfiance_client::desktop::SaveDialog;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::{choose_customer_file, choose_save_path};
use crate::AppState;

/// Invites customers about an establishment (null: the main one): each is mailed a link to the review form (unless invited for the same order in the last 30 days, or unsubscribed).
#[tauri::command]
pub async fn invite_customers(
    state: State<'_, AppState>,
    customers: Vec<NewInvitation>,
    establishment: Option<String>,
) -> Result<InvitationsSent, ErrorBody> {
    state
        .call(invitations::send(customers, establishment))
        .await
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

/// The invitations of the last 30 days of one establishment (null: every one the member sees): opened, reviewed, refused, unsubscribed, the response rate.
#[tauri::command]
pub async fn invitation_summary(
    state: State<'_, AppState>,
    establishment: Option<String>,
) -> Result<InvitationSummary, ErrorBody> {
    state
        .call(invitations::summary(&EstablishmentQuery { establishment }))
        .await
}

/// An establishment's shareable review link (null: the main one's), with its QR code (SVG).
#[tauri::command]
pub async fn review_link(
    state: State<'_, AppState>,
    establishment: Option<String>,
) -> Result<ReviewLink, ErrorBody> {
    state
        .call(invitations::review_link(&EstablishmentQuery {
            establishment,
        }))
        .await
}

/// Asks where to save an establishment's review link QR code (null: the main one's; the OS's dialog, run here), then saves it there; the bytes written, or nothing when the user cancelled.
#[tauri::command]
pub async fn save_review_qr<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: QrFormat,
    establishment: Option<String>,
) -> Result<Option<u64>, ErrorBody> {
    let dialog = match format {
        QrFormat::Png => SaveDialog::QrPng,
        QrFormat::Svg => SaveDialog::QrSvg,
    };
    let Some(path) = choose_save_path(&app, dialog, state.language()).await else {
        return Ok(None);
    };
    state
        .save_review_qr(format, establishment, &path)
        .await
        .map(Some)
}
