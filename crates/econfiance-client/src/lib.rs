//! Everything the e-confiance desktop app does that is not UI, testable without a window.
//!
//! The Tauri shell (`src-tauri/`) holds a [`desktop::Desktop`] made of these parts and maps
//! each command to one call here:
//!
//! - [`config`]: which server to talk to, and the HTTPS-only rule;
//! - [`api`]: the one HTTP client (timeouts, proxy, explicit trust of the sandbox certificate);
//! - [`error`]: [`ClientError`], with a stable code and a French/English message for people;
//! - [`language`]: French unless the OS speaks English, switchable;
//! - [`links`]: what happens to a deep link the OS delivers, and the buffer that holds links
//!   until the UI is ready;
//! - [`storage`]: where things are kept (data folder for what users make, cache folder only
//!   for what can be fetched again) and the settings file;
//! - [`logging`]: structured logs to the OS's log folder;
//! - [`pkce`]: PKCE verifier and challenge;
//! - [`platform`]: what differs between Linux, Windows and macOS, one plain function each;
//! - [`session`]: the login flows and the session (refresh one at a time, logout);
//! - [`vault`]: the OS keyring (session and pending requests), probed, memory fallback;
//! - [`ipc`]: the types that cross the IPC bridge, exported to TypeScript;
//! - [`desktop`]: what the app's commands share, each operation answering `{code, message}`;
//! - [`diagnose`]: the connection check of "Problème de connexion ?";
//! - [`cache`]: what "Vider le cache" clears, its size, clearing it from disk;
//! - [`notify`]: which new reviews are notified, and the notification's text;
//! - [`drafts`]: reply drafts, kept as they are typed;
//! - [`report`]: the monthly report, a page made to be printed or saved as PDF;
//! - [`replies`]: reply templates filled in for a review, and the suggested reply;
//! - [`support`]: the support message's draft, the outbox of unsent messages, and the
//!   redacted diagnostics report.

pub mod api;
pub mod cache;
pub mod config;
pub mod desktop;
pub mod diagnose;
pub mod drafts;
pub mod error;
pub mod ipc;
pub mod language;
pub mod links;
pub mod logging;
pub mod notify;
pub mod pkce;
pub mod platform;
pub mod replies;
pub mod report;
pub mod session;
pub mod storage;
pub mod support;
pub mod vault;

pub use api::ApiClient;
pub use config::{BuildProfile, Config};
pub use error::{ClientError, UpdateFailure};
pub use language::Language;
