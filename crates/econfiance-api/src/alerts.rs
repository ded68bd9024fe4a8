//! E-mail alerts: a mail for each new review at or below a rating, and a weekly digest,
//! each chosen per user; every such mail carries a link to stop them.
//!
//! - `GET /v1/me/alerts` → [`AlertSettings`];
//! - `PUT /v1/me/alerts` ([`AlertSettings`]) → [`AlertSettings`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A user's e-mail alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct AlertSettings {
    /// A mail for each new review with at most this many stars (1–5); none when null.
    #[serde(default, deserialize_with = "crate::whole::option_u8_whole")]
    #[schema(minimum = 1, maximum = 5)]
    pub max_rating: Option<u8>,
    /// A mail every Monday morning: the week's new reviews, their average, the reviews
    /// still unanswered.
    pub weekly_digest: bool,
}
