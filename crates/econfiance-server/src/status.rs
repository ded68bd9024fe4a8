//! `GET /v1/status`: the platform's state as its operators declare it
//! (`econfiance-server status degraded --fr … --en …`); operational until declared.

use crate::db::Pool;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use econfiance_api::{PlatformState, PlatformStatus};

use crate::clock::rfc3339;
use crate::error::{db, ApiError};
use crate::extract::RequestLang;
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new().route("/v1/status", get(get_status))
}

#[utoipa::path(tag = "platform", get, path = "/v1/status", responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 200, body = PlatformStatus)))]
/// The platform's status.
pub async fn get_status(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
) -> Result<Json<PlatformStatus>, ApiError> {
    read(&ctx.db, ctx.clock.now())
        .await
        .map(Json)
        .map_err(db(lang))
}

/// Reads the declared status (operational when none was declared).
pub async fn read(pool: &Pool, now: i64) -> Result<PlatformStatus, sqlx::Error> {
    let row: Option<(String, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT state, message_fr, message_en, updated_at FROM platform_status WHERE id = 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((state, message_fr, message_en, updated_at)) => PlatformStatus {
            state: parse_state(&state),
            message_fr,
            message_en,
            updated_at: rfc3339(updated_at),
        },
        None => PlatformStatus {
            state: PlatformState::Operational,
            message_fr: None,
            message_en: None,
            updated_at: rfc3339(now),
        },
    })
}

/// Declares the status.
pub async fn set(
    pool: &Pool,
    state: PlatformState,
    message_fr: Option<&str>,
    message_en: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO platform_status (id, state, message_fr, message_en, updated_at) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, message_fr = excluded.message_fr,
         message_en = excluded.message_en, updated_at = excluded.updated_at",
    )
    .bind(state_name(state))
    .bind(message_fr)
    .bind(message_en)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

fn state_name(state: PlatformState) -> &'static str {
    match state {
        PlatformState::Operational => "operational",
        PlatformState::Degraded => "degraded",
        PlatformState::Outage => "outage",
    }
}

fn parse_state(name: &str) -> PlatformState {
    match name {
        "degraded" => PlatformState::Degraded,
        "outage" => PlatformState::Outage,
        _ => PlatformState::Operational,
    }
}
