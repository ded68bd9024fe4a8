//! The company dashboard's commands: figures and trust index (with the last-known
//! snapshot shown at once at start), the review inbox, replies and their drafts, flags,
//! and the CSV export. Each is one call into the client's `Desktop`.

use econfiance_api::establishments::{Establishment, EstablishmentBody};
use econfiance_api::reviews::{Review, ReviewPage, ReviewQuery, Summary, TrustIndex};
use econfiance_api::ErrorBody;
use econfiance_client::api::reviews;
use econfiance_client::desktop::SaveDialog;
use econfiance_client::drafts::ReplyDrafts;
use econfiance_client::ipc::{DashboardSnapshot, LastKnownDashboard};
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::choose_save_path;

use crate::AppState;

/// The last-known dashboard of the logged-in account, if any.
#[tauri::command]
pub async fn dashboard_snapshot(
    state: State<'_, AppState>,
) -> Result<DashboardSnapshot, ErrorBody> {
    Ok(state.dashboard_snapshot().await)
}

/// Last time's dashboard of the session kept from a previous run, read on this computer
/// alone (no network), painted at start while the session is checked; null if none.
#[tauri::command]
pub async fn last_known_dashboard(
    state: State<'_, AppState>,
) -> Result<Option<LastKnownDashboard>, ErrorBody> {
    Ok(state.last_known_dashboard())
}

/// The figures of a period (default: the last 30 days), of one establishment or (null) all of them.
#[tauri::command]
pub async fn dashboard_summary(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    establishment: Option<String>,
) -> Result<Summary, ErrorBody> {
    state
        .dashboard_summary(from.as_deref(), to.as_deref(), establishment.as_deref())
        .await
}

/// The company's establishments (closed ones too), with their figures.
#[tauri::command]
pub async fn establishments(state: State<'_, AppState>) -> Result<Vec<Establishment>, ErrorBody> {
    state.call(reviews::establishments()).await
}

/// Adds an establishment.
#[tauri::command]
pub async fn create_establishment(
    state: State<'_, AppState>,
    establishment: EstablishmentBody,
) -> Result<Establishment, ErrorBody> {
    state
        .call(reviews::create_establishment(&establishment))
        .await
}

/// Renames an establishment, changes its address, closes or reopens it.
#[tauri::command]
pub async fn update_establishment(
    state: State<'_, AppState>,
    id: String,
    establishment: EstablishmentBody,
) -> Result<Establishment, ErrorBody> {
    state
        .call(reviews::update_establishment(&id, &establishment))
        .await
}

/// The trust index.
#[tauri::command]
pub async fn trust_index(state: State<'_, AppState>) -> Result<TrustIndex, ErrorBody> {
    state.trust_index().await
}

/// A page of reviews.
#[tauri::command]
pub async fn list_reviews(
    state: State<'_, AppState>,
    query: ReviewQuery,
) -> Result<ReviewPage, ErrorBody> {
    state.call(reviews::list(&query)).await
}

/// One review (to open it from a notification).
#[tauri::command]
pub async fn get_review(state: State<'_, AppState>, id: String) -> Result<Review, ErrorBody> {
    state.call(reviews::one(&id)).await
}

/// Publishes (or edits) the reply to review `id`; its draft goes once it is saved.
#[tauri::command]
pub async fn save_reply(
    state: State<'_, AppState>,
    id: String,
    body: String,
) -> Result<Review, ErrorBody> {
    state.save_reply(&id, &body).await
}

/// Deletes the reply to review `id`.
#[tauri::command]
pub async fn delete_reply(state: State<'_, AppState>, id: String) -> Result<(), ErrorBody> {
    state.call(reviews::delete_reply(&id)).await
}

/// Flags review `id` for the moderators.
#[tauri::command]
pub async fn flag_review(
    state: State<'_, AppState>,
    id: String,
    reason: String,
) -> Result<(), ErrorBody> {
    state.call(reviews::flag(&id, &reason)).await
}

/// The draft of the reply to review `id`.
#[tauri::command]
pub fn reply_draft(state: State<'_, AppState>, id: String) -> String {
    ReplyDrafts::new(&state.dirs).get(&id)
}

/// Keeps the reply being typed for review `id`.
#[tauri::command]
pub fn save_reply_draft(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<(), ErrorBody> {
    state.save_reply_draft(&id, &text)
}

/// Asks where to save the CSV of the reviews matching `query` (the OS's dialog, run here),
/// then saves it there; the bytes written, or nothing when the user cancelled.
#[tauri::command]
pub async fn export_reviews<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    query: ReviewQuery,
) -> Result<Option<u64>, ErrorBody> {
    let Some(path) = choose_save_path(&app, SaveDialog::Reviews, state.language()).await else {
        return Ok(None);
    };
    state.export_reviews(&query, &path).await.map(Some)
}

/// Asks where to save last month's report (figures, trust index, chart: a page to open in the browser, then print or save as PDF) of one establishment or (null) all those the person sees, then saves it there; the bytes written, or nothing when the user cancelled.
#[tauri::command]
pub async fn save_monthly_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    establishment: Option<String>,
) -> Result<Option<u64>, ErrorBody> {
    let Some(path) = choose_save_path(&app, SaveDialog::MonthlyReport, state.language()).await
    else {
        return Ok(None);
    };
    let today = econfiance_client::report::platform_today();
    state
        .save_monthly_report(today, establishment.as_deref(), &path)
        .await
        .map(Some)
}
