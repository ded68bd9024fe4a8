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
}
