//! The events feed (`GET /v1/reviews/events`): new and updated reviews since a position,
//! which the app's notifications follow; and [`record`], the one way events are written.
//!
//! A reader keeps the highest position it saw and asks for what follows, so positions must
//! become visible in their order: an event committed after a higher one would never be
//! seen. PostgreSQL hands out positions when a row is inserted, not when it commits, so
//! a company's events are written one transaction at a time (an advisory lock held to the
//! commit); SQLite's single writer gives the same order.

use axum::extract::State;
use axum::Json;
use econfiance_api::reviews::{EventKind, EventPage, ReviewEvent};
use serde::Deserialize;

use super::row::load;
use crate::auth::sessions::AuthSession;
use crate::db::Tx;
use crate::error::{db, ApiError};
use crate::extract::ApiQuery;
use crate::AppContext;

/// Query of the events feed.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Events after this position; absent: none, just the newest position.
    after: Option<i64>,
}

#[utoipa::path(tag = "reviews", get, path = "/v1/reviews/events", params(EventsQuery), security(("bearer" = [])),
    responses((status = 200, body = EventPage)))]
/// New and updated reviews since `after` (at most 100), for notifications.
pub async fn events(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<Json<EventPage>, ApiError> {
    let lang = auth.lang;
    let company = auth.company_id.clone();
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM review_events WHERE company_id = $1")
            .bind(&company)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
    let last_seq = last.unwrap_or(0);
    let Some(after) = q.after else {
        return Ok(Json(EventPage {
            events: Vec::new(),
            last_seq,
        }));
    };
    let found: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT seq, kind, review_id FROM review_events WHERE company_id = $1 AND seq > $2 ORDER BY seq LIMIT 100",
    )
    .bind(&company)
    .bind(after)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let mut events = Vec::with_capacity(found.len());
    let mut seen = after;
    for (seq, kind, review_id) in found {
        seen = seq;
        if let Ok(review) = load(&ctx.db, &auth, &review_id).await {
            events.push(ReviewEvent {
                seq,
                kind: if kind == "review_updated" {
                    EventKind::ReviewUpdated
                } else {
                    EventKind::ReviewCreated
                },
                review,
            });
        }
    }
    Ok(Json(EventPage {
        events,
        last_seq: if seen > after {
            seen
        } else {
            last_seq.max(after)
        },
    }))
}

/// Writes `company_id`'s event `kind` (`review_created` or `review_updated`) for
/// `review_id` in `tx`, after any other transaction writing that company's events has
/// ended; returns its position.
pub async fn record(
    tx: &mut Tx<'_>,
    company_id: &str,
    kind: &str,
    review_id: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    crate::db::serialize_on(tx, &format!("review-events:{company_id}")).await?;
    sqlx::query_scalar(
        "INSERT INTO review_events (company_id, kind, review_id, created_at) VALUES ($1, $2, $3, $4) RETURNING seq",
    )
    .bind(company_id)
    .bind(kind)
    .bind(review_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}
