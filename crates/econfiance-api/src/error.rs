//! The error body every API answer and every IPC error uses: `{code, message}`.
//!
//! `code` is stable and machine-matched (by the UI, by the client); `message` is for people,
//! in the language of the request, and always says what happened and what to do next.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Declares [`ErrorCode`] from one table: each variant, its wire string and what it means.
macro_rules! catalogue {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal,)+) => {
        /// Every error code of the platform, the client and the app, in one catalogue:
        /// serialised as the snake_case strings programs match on (the UI receives the
        /// same union type, generated). A code this build does not know (a newer server's)
        /// reads as [`ErrorCode::Unknown`]; its message is still shown.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ #[serde(rename = $code)] $variant,)+
            /// A code this build does not know.
            #[serde(rename = "unknown", other)]
            Unknown,
        }

        impl ErrorCode {
            /// Every known code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as it travels.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

impl ErrorCode {
    /// Whether the session is over on the server (refresh refused for good): the client
    /// forgets it and the app returns to the login screen.
    pub const fn ends_session(self) -> bool {
        matches!(self, ErrorCode::SessionEnded | ErrorCode::RemovedFromTeam)
    }
}

/// The catalogue in the API's document: the wire strings, as they travel (the derive would
/// name the Rust variants). `unknown` is the client's reading of a newer code, never sent.
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(ErrorCode::ALL.iter().map(|code| code.as_str())))
            .description(Some("A stable, machine-matched error code."))
            .into()
    }
}

impl utoipa::ToSchema for ErrorCode {}

catalogue! {
    // The platform's (API answers).
    /// The body is malformed or a field is out of bounds.
    InvalidRequest = "invalid_request",
    /// A form's fields are wrong; `fields` says which.
    ValidationFailed = "validation_failed",
    /// Wrong code, wrong verifier, unknown or dead request.
    InvalidGrant = "invalid_grant",
    /// The code or link has expired.
    CodeExpired = "code_expired",
    /// The code or link was already used.
    CodeUsed = "code_used",
    /// Five wrong codes: the request is dead.
    TooManyAttempts = "too_many_attempts",
    /// Wrong e-mail or password (or no password set yet).
    InvalidCredentials = "invalid_credentials",
    /// The refresh token is unknown, expired, or its session was revoked.
    SessionEnded = "session_ended",
    /// No valid access token.
    Unauthorized = "unauthorized",
    /// The new password is too easy to guess.
    WeakPassword = "weak_password",
    /// Too many requests; see `Retry-After`.
    RateLimited = "rate_limited",
    /// A link was sent to this e-mail moments ago; `Retry-After` says when to ask again.
    ResendTooSoon = "resend_too_soon",
    /// The body is larger than the server accepts.
    BodyTooLarge = "body_too_large",
    /// Nothing here (or a kept message already sent).
    NotFound = "not_found",
    /// The address exists, but not for this method.
    MethodNotAllowed = "method_not_allowed",
    /// The demo appointment was taken meanwhile.
    SlotTaken = "slot_taken",
    /// A per-company limit (templates…) is reached; the message says what to remove.
    LimitReached = "limit_reached",
    /// The session ended because its person was removed from the company's team (a
    /// `session_ended` whose message says so).
    RemovedFromTeam = "removed_from_team",
    /// The session's role may not do this; the message says who may.
    Forbidden = "forbidden",
    /// The change would leave the company without an owner.
    LastOwner = "last_owner",
    /// This is the person's only company: they cannot leave it (their account's deletion
    /// goes through support).
    OnlyCompany = "only_company",
    /// The e-mail already belongs to a member of the company.
    AlreadyMember = "already_member",
    /// The review's establishment is closed: its reviews are read-only.
    EstablishmentClosed = "establishment_closed",
    /// The support ticket is closed: open a new request instead.
    TicketClosed = "ticket_closed",
    /// A failure on the server's side.
    InternalError = "internal_error",
    /// The platform is under maintenance; `Retry-After` says when to come back.
    Maintenance = "maintenance",
    // The client's (no answer, or not one it can use).
    /// The server address or CA file settings are wrong.
    ConfigInvalid = "config_invalid",
    /// The CA file cannot be read or holds no certificate.
    CaFileUnusable = "ca_file_unusable",
    /// No connection could be made.
    NetworkUnreachable = "network_unreachable",
    /// The server did not answer in time.
    ServerTimeout = "server_timeout",
    /// The TLS handshake failed.
    TlsFailed = "tls_failed",
    /// The server answered with an error status and no `{code, message}`.
    ServerError = "server_error",
    /// The server answered something the client does not understand.
    UnexpectedResponse = "unexpected_response",
    /// A deep link the parser refused.
    LinkMalformed = "link_malformed",
    /// A callback for a request this app did not make.
    LinkNotRequestedHere = "link_not_requested_here",
    /// The OS keyring is missing, locked or refused a secret.
    KeyringUnavailable = "keyring_unavailable",
    /// No session: log in first.
    NotLoggedIn = "not_logged_in",
    /// Reading or writing the app's own files failed.
    StorageFailed = "storage_failed",
    /// A file the user chose cannot be read, or is too large.
    FileUnusable = "file_unusable",
    // The app's (the desktop shell and the UI).
    /// The default browser did not open an address.
    BrowserNotOpened = "browser_not_opened",
    /// A setting could not be applied (tray, theme, autostart).
    PreferenceNotApplied = "preference_not_applied",
    /// `econfiance://` could not be associated with the app again.
    SchemeRepairFailed = "scheme_repair_failed",
    /// The cache could not be fully cleared.
    CacheClearFailed = "cache_clear_failed",
    /// An update package without a valid signature was refused.
    UpdateRefused = "update_refused",
    /// The new version is not published for this system.
    UpdateNotForThisSystem = "update_not_for_this_system",
    /// The update feed's answer cannot be read.
    UpdateFeedUnreadable = "update_feed_unreadable",
    /// The update could not be installed.
    UpdateInstallFailed = "update_install_failed",
    /// This copy cannot verify updates from this server.
    UpdatesNotConfigured = "updates_not_configured",
    /// Installing was asked before checking.
    UpdateNotChecked = "update_not_checked",
    /// This copy updates the way it was installed, not by itself.
    UpdateManual = "update_manual",
    /// The IPC bridge failed (an internal error of the app).
    IpcFailed = "ipc_failed",
    /// Not available in the benchmark mode's fixture data.
    BenchmarkMode = "benchmark_mode",
}

/// A code compares with the string it travels as (tests read answers as JSON).
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `{code, message}`: a stable code to match on, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable, snake_case, matched by programs (e.g. `link_not_requested_here`).
    pub code: ErrorCode,
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
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
            fields: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_travels_as_its_string_and_comes_back() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            let json = serde_json::to_string(code).expect("serialise");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(
                serde_json::from_str::<ErrorCode>(&json).expect("read"),
                *code
            );
        }
    }

    #[test]
    fn a_code_this_build_does_not_know_reads_as_unknown_and_keeps_its_message() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"code":"quota_exceeded","message":"Quota atteint."}"#)
                .expect("an error body from a newer server");
        assert_eq!(body.code, ErrorCode::Unknown);
        assert_eq!(body.message, "Quota atteint.");
    }
}
