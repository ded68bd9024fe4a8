//! The reply tools' commands: the company's reply templates, one filled in for a review,
//! the suggested reply, and the rules that make it (all in the client's `replies`).

use econfiance_api::reviews::Review;
use econfiance_api::templates::{ReplyTemplate, TemplateBody};
use econfiance_api::ErrorBody;
use econfiance_client::api::templates;
use econfiance_client::replies::{Suggestion, TopicRule};
use tauri::State;

use crate::AppState;

/// The company's reply templates (the starters the first time).
#[tauri::command]
pub async fn reply_templates(state: State<'_, AppState>) -> Result<Vec<ReplyTemplate>, ErrorBody> {
    state.call(templates::list()).await
}

/// Adds a reply template.
#[tauri::command]
pub async fn create_reply_template(
    state: State<'_, AppState>,
    template: TemplateBody,
) -> Result<ReplyTemplate, ErrorBody> {
    state.call(templates::create(&template)).await
}

/// Changes a reply template.
#[tauri::command]
pub async fn update_reply_template(
    state: State<'_, AppState>,
    id: String,
    template: TemplateBody,
) -> Result<ReplyTemplate, ErrorBody> {
    state.call(templates::update(&id, &template)).await
}

/// Deletes a reply template.
#[tauri::command]
pub async fn delete_reply_template(
    state: State<'_, AppState>,
    id: String,
) -> Result<(), ErrorBody> {
    state.call(templates::delete(&id)).await
}

/// A template's text with its fields filled in for a review.
#[tauri::command]
pub async fn fill_reply_template(
    state: State<'_, AppState>,
    template: ReplyTemplate,
    review: Review,
) -> Result<String, ErrorBody> {
    state.fill_reply_template(&template, &review).await
}

/// The suggested reply to a review, drafted from the company's templates (null when none suits its rating).
#[tauri::command]
pub async fn suggest_reply(
    state: State<'_, AppState>,
    review: Review,
) -> Result<Option<Suggestion>, ErrorBody> {
    state.suggest_reply(&review).await
}

/// The words that make a review mention each topic of the suggested reply: the owner's, else the app's.
#[tauri::command]
pub fn suggestion_rules(state: State<'_, AppState>) -> Vec<TopicRule> {
    state.suggestion_rules()
}

/// Keeps the owner's words for the topics given (an empty list brings the app's words back); the rules now in force.
#[tauri::command]
pub fn set_suggestion_rules(
    state: State<'_, AppState>,
    rules: Vec<TopicRule>,
) -> Result<Vec<TopicRule>, ErrorBody> {
    state.set_suggestion_rules(&rules)
}
