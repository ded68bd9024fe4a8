//! The company dashboard's commands: figures and trust index (with the last-known
//! snapshot shown at once at start), the review inbox, replies and their drafts, flags,
//! and the CSV export.

use econfiance_api::reviews::{Review, ReviewPage, ReviewQuery, Summary, TrustIndex};
use econfiance_api::ErrorBody;
use econfiance_client::drafts::ReplyDrafts;
use econfiance_client::ipc::DashboardSnapshot;
use econfiance_client::storage::write_atomically;
use tauri::State;

use crate::state::authed;
use crate::AppState;

/// Where the snapshot of the logged-in account is kept (the cache folder: it can always be
/// fetched again).
pub async fn snapshot_file(state: &AppState) -> Option<std::path::PathBuf> {
    let user = state.session()?.signed_in().await?.user_id;
    Some(state.dirs.dashboard_snapshot(&user))
}

async fn update_snapshot(state: &AppState, change: impl FnOnce(&mut DashboardSnapshot)) {
    let Some(path) = snapshot_file(state).await else {
        return;
    };
    let mut snapshot: DashboardSnapshot = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    change(&mut snapshot);
    if let Ok(bytes) = serde_json::to_vec(&snapshot) {
        // A snapshot that cannot be written only costs a slower next start.
        if let Err(e) = write_atomically(&path, &bytes) {
            tracing::warn!(error = %e, "dashboard snapshot not saved");
        }
    }
}

/// The last-known dashboard of the logged-in account, if any.
#[tauri::command]
pub async fn dashboard_snapshot(
    state: State<'_, AppState>,
) -> Result<DashboardSnapshot, ErrorBody> {
    let Some(path) = snapshot_file(&state).await else {
        return Ok(DashboardSnapshot::default());
    };
    Ok(std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default())
}

/// The figures of a period (default: the last 30 days).
#[tauri::command]
pub async fn dashboard_summary(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Summary, ErrorBody> {
    let lang = state.language();
    let summary = authed(&state, |api, access| {
        let (from, to) = (from.clone(), to.clone());
        async move {
            api.summary(&access, from.as_deref(), to.as_deref(), lang)
                .await
        }
    })
    .await?;
    if from.is_none() && to.is_none() {
        let kept = summary.clone();
        update_snapshot(&state, |s| s.summary = Some(kept)).await;
    }
    Ok(summary)
}

/// The trust index.
#[tauri::command]
pub async fn trust_index(state: State<'_, AppState>) -> Result<TrustIndex, ErrorBody> {
    let lang = state.language();
    let trust = authed(&state, |api, access| async move {
        api.trust_index(&access, lang).await
    })
    .await?;
    let kept = trust.clone();
    update_snapshot(&state, |s| s.trust = Some(kept)).await;
    Ok(trust)
}

/// A page of reviews.
#[tauri::command]
pub async fn list_reviews(
    state: State<'_, AppState>,
    query: ReviewQuery,
) -> Result<ReviewPage, ErrorBody> {
    let lang = state.language();
    authed(&state, |api, access| {
        let query = query.clone();
        async move { api.reviews(&access, &query, lang).await }
    })
    .await
}

/// One review (to open it from a notification).
#[tauri::command]
pub async fn get_review(state: State<'_, AppState>, id: String) -> Result<Review, ErrorBody> {
    let lang = state.language();
    authed(&state, |api, access| {
        let id = id.clone();
        async move { api.review(&access, &id, lang).await }
    })
    .await
}

/// Publishes (or edits) the reply to review `id`; its draft goes once it is saved.
#[tauri::command]
pub async fn save_reply(
    state: State<'_, AppState>,
    id: String,
    body: String,
) -> Result<Review, ErrorBody> {
    let lang = state.language();
    let drafts = ReplyDrafts::new(&state.dirs);
    // The text goes on disk before it leaves, so that a failed send loses nothing. A disk
    // that cannot take it (full, read-only) must not stop the send: the text is still in
    // the window, which says so (the draft's own save failed the same way).
    if let Err(e) = drafts.set(&id, &body) {
        tracing::warn!(error = %e, "reply draft not saved before sending");
    }
    let review = authed(&state, |api, access| {
        let (id, body) = (id.clone(), body.clone());
        async move { api.put_reply(&access, &id, &body, lang).await }
    })
    .await?;
    // Published: the draft is done with. Failing to remove it must not turn a published
    // reply into an error.
    if let Err(e) = drafts.set(&id, "") {
        tracing::warn!(error = %e, "sent reply's draft not removed");
    }
    Ok(review)
}

/// Deletes the reply to review `id`.
#[tauri::command]
pub async fn delete_reply(state: State<'_, AppState>, id: String) -> Result<(), ErrorBody> {
    let lang = state.language();
    authed(&state, |api, access| {
        let id = id.clone();
        async move { api.delete_reply(&access, &id, lang).await }
    })
    .await
}

/// Flags review `id` for the moderators.
#[tauri::command]
pub async fn flag_review(
    state: State<'_, AppState>,
    id: String,
    reason: String,
) -> Result<(), ErrorBody> {
    let lang = state.language();
    authed(&state, |api, access| {
        let (id, reason) = (id.clone(), reason.clone());
        async move { api.flag(&access, &id, &reason, lang).await }
    })
    .await
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
    ReplyDrafts::new(&state.dirs)
        .set(&id, &text)
        .map_err(|e| e.to_body(state.language()))
}

/// Saves the CSV of the reviews matching `query` to `path` (chosen in the save dialog).
#[tauri::command]
pub async fn export_reviews(
    state: State<'_, AppState>,
    query: ReviewQuery,
    path: String,
) -> Result<u64, ErrorBody> {
    let lang = state.language();
    let bytes = authed(&state, |api, access| {
        let query = query.clone();
        async move { api.export_reviews(&access, &query, lang).await }
    })
    .await?;
    write_atomically(std::path::Path::new(&path), &bytes).map_err(|e| e.to_body(lang))?;
    tracing::info!(bytes = bytes.len(), "reviews exported");
    Ok(bytes.len() as u64)
}
