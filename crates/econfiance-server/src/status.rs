//! `GET /v1/status`: the platform's state, as its operators declare it.
//!
//! Operators (and tests) declare an incident by writing `status.json` in the data folder,
//! a [`PlatformStatus`] document; without it the platform is operational. The file is read
//! on each request, so a change needs no restart.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use econfiance_api::{ErrorBody, PlatformState, PlatformStatus};
use time::format_description::well_known::Rfc3339;

use crate::AppContext;

/// The file an operator writes to declare an incident.
pub const STATUS_FILE: &str = "status.json";

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new().route("/v1/status", get(get_status))
}

async fn get_status(State(ctx): State<AppContext>) -> Response {
    let path = ctx.config.data_dir.join(STATUS_FILE);
    match tokio::fs::read(&path).await {
        Ok(bytes) => match serde_json::from_slice::<PlatformStatus>(&bytes) {
            Ok(status) => Json(status).into_response(),
            Err(e) => {
                tracing::error!(path = %path.display(), error = %e, "status.json is invalid");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(ErrorBody {
                        code: "internal_error".into(),
                        message: "Internal error / Erreur interne".into(),
                    }),
                )
                    .into_response()
            }
        },
        Err(_) => Json(operational()).into_response(),
    }
}

fn operational() -> PlatformStatus {
    PlatformStatus {
        state: PlatformState::Operational,
        message_fr: None,
        message_en: None,
        updated_at: time::OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default(),
    }
}
