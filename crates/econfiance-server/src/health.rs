//! Health endpoints for a load balancer (outside the API and its rate limits):
//! `GET /health/live` answers 200 while the process serves; `GET /health/ready` answers 200
//! only when the database answers and carries every migration of this build, and 503 once
//! the server is shutting down (so that the balancer stops sending it new requests while
//! it finishes the ones in flight).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::AppContext;

/// Whether the server is shutting down (shared by every clone of the context).
#[derive(Debug, Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    /// From now on, readiness answers 503.
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Draining::start`] was called.
    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// `GET /health/live` and `GET /health/ready`.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route(
            "/health/live",
            get(|| async { Json(json!({"status": "live"})) }),
        )
        .route("/health/ready", get(ready))
}

async fn ready(State(ctx): State<AppContext>) -> (StatusCode, Json<Value>) {
    let not_ready = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "not_ready", "reason": reason})),
        )
    };
    if ctx.draining.is_on() {
        return not_ready("shutting down");
    }
    let applied: Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&ctx.db)
            .await;
    match applied {
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            not_ready("database unreachable")
        }
        Ok(n)
            if usize::try_from(n).unwrap_or(0)
                < crate::db::Dialect::of(&ctx.db).migrations().iter().count() =>
        {
            not_ready("database not migrated")
        }
        Ok(_) => (StatusCode::OK, Json(json!({"status": "ready"}))),
    }
}
