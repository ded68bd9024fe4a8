//! The login protocol's endpoints: login and reset requests, tokens, logout, sessions.

use econfiance_api::auth::{
    LoginRequestBody, RequestCreated, ResetConfirmBody, ResetRequestBody, SessionInfo,
    TokenRequest, TokenResponse,
};
use reqwest::Method;

use super::call::{segment, Call};

/// `POST /v1/auth/login-requests`.
pub fn login_request(body: &LoginRequestBody) -> Call<RequestCreated> {
    Call::to(Method::POST, "/v1/auth/login-requests").json(body)
}

/// `POST /v1/auth/password-resets`.
pub fn reset_request(body: &ResetRequestBody) -> Call<RequestCreated> {
    Call::to(Method::POST, "/v1/auth/password-resets").json(body)
}

/// `POST /v1/auth/password-resets/confirm` (no tokens come back: nobody is signed in).
pub fn reset_confirm(body: &ResetConfirmBody) -> Call<()> {
    Call::empty(Method::POST, "/v1/auth/password-resets/confirm").json(body)
}

/// `POST /v1/auth/token`.
pub fn token(body: &TokenRequest) -> Call<TokenResponse> {
    Call::to(Method::POST, "/v1/auth/token").json(body)
}

/// `POST /v1/auth/logout`.
pub fn logout() -> Call<()> {
    Call::empty(Method::POST, "/v1/auth/logout")
}

/// `GET /v1/auth/sessions`.
pub fn sessions() -> Call<Vec<SessionInfo>> {
    Call::get("/v1/auth/sessions")
}

/// `DELETE /v1/auth/sessions/{id}`.
pub fn revoke_session(id: &str) -> Call<()> {
    Call::empty(Method::DELETE, format!("/v1/auth/sessions/{}", segment(id)))
}
