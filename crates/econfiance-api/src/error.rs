//! The error body every API answer and every IPC error uses: `{code, message}`.
//!
//! `code` is stable and machine-matched (by the UI, by the client); `message` is for people,
//! in the language of the request, and always says what happened and what to do next.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `{code, message}`: a stable code to match on, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable, snake_case, matched by programs (e.g. `link_not_requested_here`).
    pub code: String,
    /// What happened and what to do, in the user's language.
    pub message: String,
    /// Seconds to wait before trying again (rate limits; also in `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_after: Option<u64>,
    /// The wrong fields of a form (`validation_failed`), each with its own message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<crate::account::FieldError>>,
}

impl ErrorBody {
    /// A body with just a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            retry_after: None,
            fields: None,
        }
    }
}
