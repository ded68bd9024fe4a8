//! The login protocol's wire types (design brief, "Login protocol").
//!
//! - `POST /v1/auth/login-requests` ([`LoginRequestBody`] → [`RequestCreated`]): ask for a
//!   magic link, bound to the app by a PKCE challenge (S256).
//! - `POST /v1/auth/token` ([`TokenRequest`] → [`TokenResponse`]): exchange a login code
//!   (with the PKCE verifier), a password, or a refresh token.
//! - `POST /v1/auth/logout`, `GET /v1/auth/sessions` ([`SessionInfo`]),
//!   `DELETE /v1/auth/sessions/{id}`.
//! - `POST /v1/auth/password-resets` ([`ResetRequestBody`] → [`RequestCreated`]) and
//!   `POST /v1/auth/password-resets/confirm` ([`ResetConfirmBody`]).
//! - `PUT /v1/me/password` ([`PasswordChangeBody`]).
//!
//! Secrets travel as [`Secret`]s; the few fields that must carry one on the wire opt in
//! explicitly with [`serialize_exposed`](crate::secret::serialize_exposed).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::secret::{serialize_exposed, serialize_exposed_option};
use crate::Secret;

/// Access tokens live 15 minutes.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// Refresh tokens live 30 days, sliding.
pub const REFRESH_TOKEN_SECONDS: i64 = 30 * 24 * 3600;
/// A login code or reset token lives 15 minutes.
pub const LOGIN_CODE_SECONDS: i64 = 15 * 60;
/// After this many wrong codes, a request is dead.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// The previous refresh token may be presented again this long after its rotation.
pub const REFRESH_GRACE_SECONDS: i64 = 60;
/// The only PKCE method accepted.
pub const PKCE_METHOD: &str = "S256";

/// The device that asks: shown on the landing page and in the session list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceInfo {
    /// A name for people, e.g. the computer's host name ("PC-Accueil").
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The operating system, e.g. "Windows 11", "macOS 15", "Ubuntu 24.04".
    #[schema(min_length = 1, max_length = 100)]
    pub os: String,
    /// The app's version.
    #[schema(min_length = 1, max_length = 100)]
    pub app_version: String,
}

/// Body of `POST /v1/auth/login-requests`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequestBody {
    /// The account's e-mail address.
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub email: String,
    /// BASE64URL(SHA-256(code_verifier)), without padding.
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    pub code_challenge: String,
    /// Always `S256`.
    #[schema(pattern = "^S256$")]
    pub code_challenge_method: String,
    /// Which device asks.
    pub device: DeviceInfo,
    /// `fr` or `en`: the language of the e-mail when the address is unknown to the platform
    /// (a known account gets its own language).
    #[serde(default)]
    pub locale: Option<String>,
}

/// Answer of a login or reset request: the same whether the e-mail exists or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequestCreated {
    /// The request's id, for the exchange and to recognise the deep link.
    pub request_id: String,
    /// When the code or link expires (RFC 3339, UTC).
    pub expires_at: String,
    /// Seconds until expiry.
    pub expires_in: i64,
    /// Seconds before another link can be asked for this e-mail ("Renvoyer"); asking
    /// sooner is answered 429 with `Retry-After`.
    #[serde(default)]
    pub resend_after: i64,
}

/// Body of `POST /v1/auth/token`, by `grant_type`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "grant_type", rename_all = "snake_case")]
pub enum TokenRequest {
    /// The code from the e-mail (link or typed), with the PKCE verifier of the request.
    LoginCode {
        /// The login request.
        request_id: String,
        /// The one-time code, e.g. `K7M4-QX2P`.
        #[serde(serialize_with = "serialize_exposed")]
        #[schema(value_type = String)]
        code: Secret<String>,
        /// The PKCE verifier the app kept.
        #[serde(serialize_with = "serialize_exposed")]
        #[schema(value_type = String)]
        code_verifier: Secret<String>,
    },
    /// E-mail and password.
    Password {
        /// The account's e-mail.
        email: String,
        /// Its password.
        #[serde(serialize_with = "serialize_exposed")]
        #[schema(value_type = String)]
        password: Secret<String>,
        /// Which device logs in.
        device: DeviceInfo,
    },
    /// A refresh token, rotated by this exchange.
    RefreshToken {
        /// The refresh token.
        #[serde(serialize_with = "serialize_exposed")]
        #[schema(value_type = String)]
        refresh_token: Secret<String>,
    },
}

/// Answer of `POST /v1/auth/token`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// Bearer token for the API, valid [`ACCESS_TOKEN_SECONDS`].
    #[serde(serialize_with = "serialize_exposed")]
    #[schema(value_type = String)]
    pub access_token: Secret<String>,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The next refresh token (the one presented, if any, is now spent).
    #[serde(serialize_with = "serialize_exposed")]
    #[schema(value_type = String)]
    pub refresh_token: Secret<String>,
    /// Seconds until the refresh token expires unless used.
    pub refresh_expires_in: i64,
    /// The session these tokens belong to.
    pub session_id: String,
    /// Who is logged in.
    pub user: UserSummary,
}

/// The logged-in person, as token answers name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UserSummary {
    /// Stable id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// `fr` or `en`.
    pub locale: String,
}

/// One of the user's sessions (a logged-in device).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SessionInfo {
    /// The session's id.
    pub id: String,
    /// Device name.
    pub device_name: String,
    /// Operating system.
    pub os: String,
    /// App version.
    pub app_version: String,
    /// When the session started (RFC 3339, UTC).
    pub created_at: String,
    /// When it was last used (RFC 3339, UTC).
    pub last_used_at: String,
    /// Whether it is the session making this request.
    pub current: bool,
}

/// Body of `POST /v1/auth/password-resets`: like a login request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResetRequestBody {
    /// The account's e-mail address.
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub email: String,
    /// BASE64URL(SHA-256(code_verifier)).
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    pub code_challenge: String,
    /// Always `S256`.
    #[schema(pattern = "^S256$")]
    pub code_challenge_method: String,
    /// Which device asks.
    pub device: DeviceInfo,
    /// `fr` or `en`, for an unknown address.
    #[serde(default)]
    pub locale: Option<String>,
}

/// Body of `POST /v1/auth/password-resets/confirm`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResetConfirmBody {
    /// The reset request.
    pub request_id: String,
    /// The one-time token from the e-mail's link.
    #[serde(serialize_with = "serialize_exposed")]
    #[schema(value_type = String)]
    pub token: Secret<String>,
    /// The PKCE verifier: required from the app (the form in the browser has none and is
    /// served by the landing page instead).
    #[serde(default, serialize_with = "serialize_exposed_option")]
    #[schema(value_type = Option<String>)]
    pub code_verifier: Option<Secret<String>>,
    /// The new password: 10 to 256 characters, hard to guess.
    #[serde(serialize_with = "serialize_exposed")]
    #[schema(value_type = String, min_length = 10, max_length = 256)]
    pub new_password: Secret<String>,
}

/// Body of `PUT /v1/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordChangeBody {
    /// The current password; omitted when the account has none yet (opened after a demo).
    #[serde(default, serialize_with = "serialize_exposed_option")]
    #[schema(value_type = Option<String>)]
    pub current_password: Option<Secret<String>>,
    /// The new password: 10 to 256 characters, hard to guess.
    #[serde(serialize_with = "serialize_exposed")]
    #[schema(value_type = String, min_length = 10, max_length = 256)]
    pub new_password: Secret<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_request_carries_its_secrets_only_where_the_protocol_needs_them() {
        let request = TokenRequest::LoginCode {
            request_id: "rq_0123456789abcdef".into(),
            code: Secret::new("K7M4-QX2P".into()),
            code_verifier: Secret::new("v".repeat(43)),
        };
        let json = serde_json::to_string(&request).expect("serialise");
        assert!(json.contains("\"grant_type\":\"login_code\""), "{json}");
        assert!(json.contains("K7M4-QX2P"), "{json}");
        let debug = format!("{request:?}");
        assert!(!debug.contains("K7M4"), "{debug}");
        let back: TokenRequest = serde_json::from_str(&json).expect("deserialise");
        assert!(
            matches!(back, TokenRequest::LoginCode { code, .. } if code.expose() == "K7M4-QX2P")
        );
    }

    #[test]
    fn unknown_grant_types_are_refused() {
        let err = serde_json::from_str::<TokenRequest>(r#"{"grant_type":"implicit"}"#);
        assert!(err.is_err());
    }
}
