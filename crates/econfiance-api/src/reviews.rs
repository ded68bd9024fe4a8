//! The company dashboard's wire types: reviews (with the dates, status and source that
//! French law asks review sites to show), the reply, flags, the period summary, the trust
//! index and the events feed that drives notifications.
//!
//! - `GET /v1/dashboard/summary?from&to` → [`Summary`];
//! - `GET /v1/reviews?…` ([`ReviewQuery`]) → [`ReviewPage`]; `GET /v1/reviews/{id}` →
//!   [`Review`];
//! - `PUT /v1/reviews/{id}/reply` ([`ReplyBody`]) → [`Review`]; `DELETE` the same;
//! - `POST /v1/reviews/{id}/flags` ([`FlagBody`]) → 204;
//! - `GET /v1/reviews/export.csv?…` → CSV (UTF-8 with BOM, `;`-separated);
//! - `GET /v1/reviews/events?after` → [`EventPage`];
//! - `GET /v1/company/trust-index` → [`TrustIndex`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

/// A reply is at most this many characters (Unicode scalar values: what owners count).
pub const MAX_REPLY_CHARS: usize = 4096;
/// A page holds at most this many reviews.
pub const MAX_PAGE: u32 = 200;

/// Moderation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for moderation.
    Pending,
    /// Public.
    Published,
    /// Refused (with a reason).
    Rejected,
}

impl ReviewStatus {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Published => "published",
            ReviewStatus::Rejected => "rejected",
        }
    }
}

/// How the review came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewSource {
    /// After an invitation sent by the company (verified purchase).
    Invitation,
    /// Left spontaneously.
    Organic,
    /// Imported from elsewhere.
    Import,
}

/// The company's public reply to a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Reply {
    /// The text.
    pub body: String,
    /// First written (RFC 3339).
    pub created_at: String,
    /// Last edited (RFC 3339), if it was.
    pub updated_at: Option<String>,
    /// Who wrote it last: the member's name (or e-mail); none for replies written before
    /// teams.
    pub author: Option<String>,
}

/// A review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Review {
    /// Id.
    pub id: String,
    /// 1 to 5 stars.
    pub rating: u8,
    /// Title.
    pub title: String,
    /// Text (from the public: show it as text, never as HTML).
    pub body: String,
    /// Language (`fr`, `en`…).
    pub language: String,
    /// The author's display name.
    pub author_name: String,
    /// Date of the experience (`YYYY-MM-DD`).
    pub experience_date: String,
    /// Submitted (RFC 3339).
    pub submitted_at: String,
    /// Published (RFC 3339), once it is.
    pub published_at: Option<String>,
    /// Last updated (RFC 3339), if it was.
    pub updated_at: Option<String>,
    /// Moderation status.
    pub status: ReviewStatus,
    /// Why it was rejected.
    pub rejection_reason: Option<String>,
    /// Verified purchase or experience.
    pub verified: bool,
    /// How it came.
    pub source: ReviewSource,
    /// The company's reply.
    pub reply: Option<Reply>,
    /// How many times the company flagged it.
    pub flags: u32,
}

/// Filters of the review list and of the CSV export (all optional).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Stars to keep, comma-separated (`1,2`).
    #[param(pattern = "^[1-5](,[1-5])*$")]
    #[schema(pattern = "^[1-5](,[1-5])*$")]
    pub stars: Option<String>,
    /// Status.
    pub status: Option<ReviewStatus>,
    /// `true`: answered only; `false`: waiting for an answer only.
    pub answered: Option<bool>,
    /// Submitted on or after (`YYYY-MM-DD`).
    #[param(format = Date)]
    #[schema(format = Date)]
    pub from: Option<String>,
    /// Submitted on or before (`YYYY-MM-DD`).
    #[param(format = Date)]
    #[schema(format = Date)]
    pub to: Option<String>,
    /// One establishment's reviews only (all of them when absent).
    #[ts(optional)]
    #[param(max_length = 64)]
    #[schema(max_length = 64)]
    pub establishment: Option<String>,
    /// Full-text search (accents and case ignored).
    pub q: Option<String>,
    /// Where the previous page ended (from [`ReviewPage::next_cursor`]).
    pub cursor: Option<String>,
    /// Page size (default 50, at most [`MAX_PAGE`]).
    #[ts(type = "number | null")]
    #[param(minimum = 1, maximum = 200)]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

impl ReviewQuery {
    /// The same filters with blank texts left out: an empty date or search box means no
    /// filter, and the server refuses an empty date.
    pub fn without_blanks(&self) -> ReviewQuery {
        let keep = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty());
        ReviewQuery {
            stars: keep(&self.stars),
            status: self.status,
            answered: self.answered,
            from: keep(&self.from),
            to: keep(&self.to),
            q: keep(&self.q),
            cursor: keep(&self.cursor),
            limit: self.limit,
            establishment: keep(&self.establishment),
        }
    }
}

/// A page of reviews, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ReviewPage {
    /// The reviews.
    pub items: Vec<Review>,
    /// The cursor of the next page, if there is one.
    pub next_cursor: Option<String>,
    /// How many reviews match the filters.
    #[ts(type = "number")]
    pub total: u64,
}

/// Body of `PUT /v1/reviews/{id}/reply`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct ReplyBody {
    /// The reply: 1 to [`MAX_REPLY_CHARS`] characters, no control characters but line
    /// breaks and tabs.
    #[schema(min_length = 1, max_length = 4096)]
    pub body: String,
}

/// Body of `POST /v1/reviews/{id}/flags`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct FlagBody {
    /// Why (e.g. "Faux avis : pas un client"): 1 to 500 characters.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct MonthPoint {
    /// `YYYY-MM`.
    pub month: String,
    /// Reviews submitted that month.
    pub count: u32,
    /// Their average rating (None without reviews).
    pub average: Option<f64>,
}

/// `GET /v1/dashboard/summary`: the published reviews of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Summary {
    /// Period start (`YYYY-MM-DD`, included).
    pub from: String,
    /// Period end (`YYYY-MM-DD`, included).
    pub to: String,
    /// Average rating of all published reviews (None without reviews).
    pub average: Option<f64>,
    /// All published reviews.
    pub count: u32,
    /// Published reviews by stars: index 0 is 1 star … index 4 is 5 stars.
    pub distribution: Vec<u32>,
    /// Reviews submitted in the period.
    pub new_reviews: u32,
    /// Reviews submitted in the period just before, as long.
    pub previous_new_reviews: u32,
    /// Change in percent against the previous period (None when it had none).
    pub change_percent: Option<f64>,
    /// Average rating of the reviews submitted in the period and published (None without
    /// any).
    #[serde(default)]
    pub period_average: Option<f64>,
    /// The same for the period just before, as long.
    #[serde(default)]
    pub previous_average: Option<f64>,
    /// The last 12 months.
    pub monthly: Vec<MonthPoint>,
    /// Share of published reviews with a reply, in percent.
    pub response_rate: Option<f64>,
    /// Median time to the reply, in hours.
    pub median_response_hours: Option<f64>,
    /// Published reviews without a reply.
    pub awaiting_answer: u32,
}

/// A control point's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PointStatus {
    /// Checked and fine.
    Passed,
    /// Partly fine.
    Partial,
    /// Not fine.
    Failed,
    /// Not checked yet.
    Pending,
}

/// One control point of the trust index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct TrustPoint {
    /// `legal_information`, `ssl`, `after_sales`, `payment_delivery`, `marketplace`,
    /// `online_presence`.
    pub key: String,
    /// Its name, in the request's language.
    pub label: String,
    /// State.
    pub status: PointStatus,
    /// What it means, in the request's language.
    pub explanation: String,
}

/// `GET /v1/company/trust-index`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct TrustIndex {
    /// Score in percent (0–100).
    pub score: u8,
    /// The control points.
    pub points: Vec<TrustPoint>,
}

/// Kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new review.
    ReviewCreated,
    /// A review changed (edited by its author, moderated).
    ReviewUpdated,
}

/// One event of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ReviewEvent {
    /// Position in the feed (ask for events after it).
    #[ts(type = "number")]
    pub seq: i64,
    /// Kind.
    pub kind: EventKind,
    /// The review.
    pub review: Review,
}

/// `GET /v1/reviews/events?after=N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct EventPage {
    /// Events after `after`, oldest first.
    pub events: Vec<ReviewEvent>,
    /// The newest position: ask for events after it next time.
    #[ts(type = "number")]
    pub last_seq: i64,
}
