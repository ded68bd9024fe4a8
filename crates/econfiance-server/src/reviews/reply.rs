//! One review of the company (`GET /v1/reviews/{id}`) and the company's public reply to
//! it: write, edit, delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use econfiance_api::reviews::{ReplyBody, Review, MAX_REPLY_CHARS};

use super::row::load;
use crate::auth::sessions::AuthSession;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiJson;
use crate::AppContext;
use econfiance_api::team::Action;

#[utoipa::path(tag = "reviews", get, path = "/v1/reviews/{id}", params(("id" = String, Path, description = "The review's id")), security(("bearer" = [])),
    responses((status = 200, body = Review), (status = 404, body = econfiance_api::ErrorBody)))]
/// One review of the company.
pub async fn one(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<Json<Review>, ApiError> {
    load(&ctx.db, &auth, &id).await.map(Json)
}

/// `Ok` when review `id` may be answered in this session: not found for another company's
/// or an establishment the member is not given, and 409 when its establishment is closed
/// (its reviews stay, read-only).
async fn answerable(ctx: &AppContext, auth: &AuthSession, id: &str) -> Result<(), ApiError> {
    let lang = auth.lang;
    let closed: Option<Option<i64>> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT e.closed_at FROM reviews r JOIN establishments e ON e.id = r.establishment_id
         WHERE r.id = $1 AND r.company_id = $2 AND {}",
        crate::scope::visible("r.establishment_id", 3)
    )))
    .bind(id)
    .bind(&auth.company_id)
    .bind(auth.limited_to())
    .fetch_optional(&ctx.db)
    .await
    .map_err(db(lang))?;
    match closed {
        None => Err(ApiError::not_found(lang)),
        Some(Some(_)) => Err(ApiError::establishment_closed(lang)),
        Some(None) => Ok(()),
    }
}

/// A reply's text, checked: 1 to 4096 characters as sent (what owners count, and what the
/// document's `maxLength` counts), not blank, no control characters but line breaks and
/// tabs. Returns it trimmed.
fn valid_reply(sent: &str, lang: Lang) -> Result<String, ApiError> {
    let length = sent.chars().count();
    let text = sent.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(
            lang,
            "La réponse est vide.",
            "The reply is empty.",
        ));
    }
    if length > MAX_REPLY_CHARS {
        return Err(ApiError::invalid(
            lang,
            &format!("La réponse est trop longue ({length} caractères, {MAX_REPLY_CHARS} au plus) : raccourcissez-la."),
            &format!("The reply is too long ({length} characters, {MAX_REPLY_CHARS} at most): shorten it."),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ApiError::invalid(
            lang,
            "La réponse contient des caractères non autorisés.",
            "The reply contains characters that are not allowed.",
        ));
    }
    Ok(text.to_owned())
}

#[utoipa::path(tag = "reviews", put, path = "/v1/reviews/{id}/reply", params(("id" = String, Path, description = "The review's id")), request_body = ReplyBody, security(("bearer" = [])),
    responses((status = 200, body = Review), (status = 409, description = "`establishment_closed`: the review's establishment is closed; its reviews are read-only.", body = econfiance_api::ErrorBody), (status = 403, description = "`forbidden`: the role (read only) may not answer.", body = econfiance_api::ErrorBody), (status = 400, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody)))]
/// Writes or edits the company's public reply.
pub async fn put_reply(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<Json<Review>, ApiError> {
    let lang = auth.lang;
    auth.require(Action::Answer)?;
    let text = valid_reply(&body.body, lang)?;
    let company = auth.company_id.clone();
    answerable(&ctx, &auth, &id).await?;
    let now = ctx.clock.now();
    let done = sqlx::query(
        "UPDATE reviews SET reply_body = $1,
             reply_updated_at = CASE WHEN reply_created_at IS NULL THEN NULL ELSE $2 END,
             reply_created_at = COALESCE(reply_created_at, $3),
             reply_author_id = $6
         WHERE id = $4 AND company_id = $5",
    )
    .bind(&text)
    .bind(now)
    .bind(now)
    .bind(&id)
    .bind(&company)
    .bind(&auth.user_id)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(lang));
    }
    tracing::info!(review = %id, "reply saved");
    load(&ctx.db, &auth, &id).await.map(Json)
}

#[utoipa::path(tag = "reviews", delete, path = "/v1/reviews/{id}/reply", params(("id" = String, Path, description = "The review's id")), security(("bearer" = [])),
    responses((status = 204), (status = 409, description = "`establishment_closed`: the review's establishment is closed; its reviews are read-only.", body = econfiance_api::ErrorBody), (status = 403, description = "`forbidden`: the role (read only) may not answer.", body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody)))]
/// Deletes the company's reply.
pub async fn delete_reply(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    auth.require(Action::Answer)?;
    let company = auth.company_id.clone();
    answerable(&ctx, &auth, &id).await?;
    let done = sqlx::query(
        "UPDATE reviews SET reply_body = NULL, reply_created_at = NULL, reply_updated_at = NULL, reply_author_id = NULL
         WHERE id = $1 AND company_id = $2",
    )
    .bind(&id)
    .bind(&company)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(lang));
    }
    Ok(StatusCode::NO_CONTENT)
}
