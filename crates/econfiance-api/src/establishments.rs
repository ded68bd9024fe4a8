//! Establishments: a company's shops or sites, each with its own reviews. Every company
//! has one from the start (named after it); its owner or manager adds, renames and closes
//! others. A closed establishment keeps its reviews, read-only. The dashboard, the inbox
//! and the export take an `establishment` filter; without it they cover them all (counts
//! add up, averages are weighted by review count, the median response time is taken over
//! every review).
//!
//! - `GET /v1/establishments` → `Vec<`[`Establishment`]`>`;
//! - `POST /v1/establishments` ([`EstablishmentBody`]) → [`Establishment`];
//! - `PUT /v1/establishments/{id}` ([`EstablishmentBody`]) → [`Establishment`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// What figures of some establishments only are named after: `Boulangerie Martin`, or
/// `Boulangerie Martin — Bellecour, Croix-Rousse` (empty `establishments`: all of them).
pub fn scoped_name(company: &str, establishments: &[String]) -> String {
    if establishments.is_empty() {
        company.to_owned()
    } else {
        format!("{company} — {}", establishments.join(", "))
    }
}

/// A company keeps at most this many establishments.
pub const MAX_ESTABLISHMENTS: usize = 200;

/// An establishment, with its published reviews' figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Establishment {
    /// Id.
    pub id: String,
    /// Name (as customers know it).
    pub name: String,
    /// Street address.
    pub address: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Closed: its reviews stay, read-only.
    pub closed: bool,
    /// The company's first establishment (made with it).
    pub main: bool,
    /// Published reviews.
    pub reviews: u32,
    /// Their average rating.
    pub average: Option<f64>,
    /// Share of them answered, in percent (None without reviews): with the average, the
    /// review-based side of the trust index, per establishment.
    pub response_rate: Option<f64>,
}

/// Body of `POST /v1/establishments` and `PUT /v1/establishments/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct EstablishmentBody {
    /// Name.
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// Street address.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    /// Postal code (French, 5 digits).
    #[serde(default)]
    #[schema(max_length = 10)]
    pub postal_code: Option<String>,
    /// City.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub city: Option<String>,
    /// Closed (PUT only; a new establishment is open).
    #[serde(default)]
    pub closed: bool,
}
