//! Flags: a review the company asks the moderators to look at, with a reason.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use econfiance_api::reviews::FlagBody;

use super::row::load;
use crate::auth::sessions::AuthSession;
use crate::error::{db, ApiError};
use crate::extract::ApiJson;
use crate::AppContext;
use econfiance_api::team::Action;

#[utoipa::path(tag = "reviews", post, path = "/v1/reviews/{id}/flags", params(("id" = String, Path, description = "The review's id")), request_body = FlagBody, security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody), (status = 204), (status = 400, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody)))]
/// Flags a review for the moderators, with a reason.
pub async fn flag(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FlagBody>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    auth.require(Action::Answer)?;
    let reason = body.reason.trim();
    if reason.is_empty() || body.reason.chars().count() > 500 {
        return Err(ApiError::invalid(
            lang,
            "Expliquez en quelques mots pourquoi vous signalez cet avis (500 caractères au plus).",
            "Explain in a few words why you flag this review (500 characters at most).",
        ));
    }
    let company = auth.company_id.clone();
    load(&ctx.db, &auth, &id).await?;
    sqlx::query(
        "INSERT INTO review_flags (review_id, company_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&company)
    .bind(&auth.user_id)
    .bind(reason)
    .bind(ctx.clock.now())
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    tracing::info!(review = %id, "review flagged");
    Ok(StatusCode::NO_CONTENT)
}
