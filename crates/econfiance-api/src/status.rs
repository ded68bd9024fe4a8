//! The platform status served at `GET /v1/status`: is the platform working, and if not,
//! what the incident is, in French and English.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The state of the platform, as its operators declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlatformState {
    /// Everything works.
    Operational,
    /// Something is slow or partly unavailable; login may still work.
    Degraded,
    /// The platform is down.
    Outage,
}

/// Body of `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PlatformStatus {
    /// Overall state.
    pub state: PlatformState,
    /// The incident, in French, when there is one.
    pub message_fr: Option<String>,
    /// The incident, in English, when there is one.
    pub message_en: Option<String>,
    /// When the status was last set (RFC 3339, UTC).
    pub updated_at: String,
}
