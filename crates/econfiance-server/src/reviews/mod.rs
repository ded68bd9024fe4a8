//! The review inbox of the logged-in user's company: the list (filters, accent-folded
//! full-text search, cursor paging that stays stable while reviews arrive), one review,
//! the public reply (create, edit, delete), flags, the CSV export with the same filters,
//! and the events feed the app's notifications follow.
//!
//! Every query names the company of the session: a review of another company is "not
//! found", whatever id is guessed.
//!
//! - `row`: a review as stored, its API form, one review by id;
//! - `listing`: filters, search and paging, `GET /v1/reviews`;
//! - `reply`: one review and the company's public reply;
//! - `flags`: flagging a review for the moderators;
//! - `csv`: the CSV export;
//! - `feed`: the events feed of new and updated reviews.

use axum::routing::{get, post, put};
use axum::Router;

use crate::AppContext;

mod csv;
pub mod feed;
mod flags;
mod listing;
mod reply;
mod row;

// The handlers keep their paths (`crate::reviews::list`…): the OpenAPI document names
// them so, and tags each operation with that module.
pub use csv::{__path_export, csv_cell, export};
pub use feed::{__path_events, events, EventsQuery};
pub use flags::{__path_flag, flag};
pub use listing::{
    __path_list, bad_establishment, fts_query, list, paris_day_start, search_words,
    MAX_ESTABLISHMENT_ID,
};
pub use reply::{__path_delete_reply, __path_one, __path_put_reply, delete_reply, one, put_reply};

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/reviews", get(list))
        .route("/v1/reviews/export.csv", get(export))
        .route("/v1/reviews/events", get(events))
        .route("/v1/reviews/{id}", get(one))
        .route(
            "/v1/reviews/{id}/reply",
            put(put_reply).delete(delete_reply),
        )
        .route("/v1/reviews/{id}/flags", post(flag))
}
