//! The e-confiance wire contract.
//!
//! Everything that crosses a boundary lives here, so that the platform server
//! (`econfiance-server`), the desktop client (`econfiance-client`) and the app's
//! IPC agree on one definition:
//!
//! - [`account`]: demo booking, onboarding, support, contract and deletion;
//! - [`alerts`]: e-mail alerts for new reviews and the weekly digest;
//! - [`auth`]: the login protocol's requests and answers;
//! - [`establishments`]: a company's shops or sites, each with its own reviews;
//! - [`reviews`]: the company dashboard — reviews, replies, flags, summary, trust index,
//!   events;
//! - [`invitations`]: asking customers for reviews — invitations, CSV preview, states,
//!   the shareable review link;
//! - [`team`]: the company's members and their roles, and colleagues invited by e-mail;
//! - [`templates`]: reply templates, and the topics the suggested reply recognises;
//! - [`whole`]: whole numbers read whether written `4` or `4.0`;
//! - [`link`]: the `econfiance://` deep-link formats, with a strict parser and a builder;
//! - [`secret`]: [`Secret`], the wrapper that keeps codes and tokens out of logs and JSON;
//! - [`status`]: the platform status served at `GET /v1/status`;
//! - [`error`]: the `{code, message}` error body every API and IPC error uses, and
//!   [`ErrorCode`], the one catalogue of its codes.

pub mod account;
pub mod alerts;
pub mod auth;
pub mod error;
pub mod establishments;
pub mod invitations;
pub mod link;
pub mod reviews;
pub mod secret;
pub mod status;
pub mod team;
pub mod templates;
pub mod whole;

pub use error::{ErrorBody, ErrorCode};
pub use link::{DeepLink, LinkError};
pub use secret::Secret;
pub use status::{PlatformState, PlatformStatus};
