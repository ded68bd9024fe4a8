//! The types that cross the IPC bridge between the Rust shell and the UI.
//!
//! TypeScript declarations for them (and for the `econfiance-api` types the UI sees) are
//! generated into `ui/src/lib/bindings.ts` by the `typescript_bindings_are_up_to_date` test,
//! which fails when the checked-in file is stale (`UPDATE_BINDINGS=1` rewrites it).

use econfiance_api::ErrorBody;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Language;

/// What the UI needs to know about the running app at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    /// The app's version (`Cargo.toml`).
    pub version: String,
    /// The language in use: the saved choice, else the OS locale's.
    pub language: Language,
    /// The platform server the app talks to (shown in the help, never secret).
    pub server_url: String,
}

/// The outcome of a deep link, as the UI receives it (event `deep-link`, or from the
/// buffer drained at start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkEvent {
    /// The link answers a request this app made.
    Accepted {
        /// The request it answers.
        request_id: String,
    },
    /// The link was refused; nothing changed. Show the message.
    Rejected {
        /// Why, for people.
        error: ErrorBody,
    },
}

/// The name of the event that carries a [`LinkEvent`] to the UI.
pub const LINK_EVENT: &str = "deep-link";
