//! The account's and company's endpoints: who is logged in, the first-login form, the
//! password, the contract, deletion, the data export, and the demo appointments.

use econfiance_api::account::{
    Contract, DeletionRequestBody, DeletionTerms, DemoBooked, DemoRequestBody, DemoSlots, Me,
    OnboardingBody,
};
use econfiance_api::auth::PasswordChangeBody;
use reqwest::Method;

use super::call::Call;

/// `GET /v1/me`.
pub fn me() -> Call<Me> {
    Call::get("/v1/me")
}

/// `PUT /v1/me/onboarding`: the first-login form.
pub fn onboarding(body: &OnboardingBody) -> Call<Me> {
    Call::to(Method::PUT, "/v1/me/onboarding").json(body)
}

/// `PUT /v1/me/password` (the server ends the account's other sessions).
pub fn change_password(body: &PasswordChangeBody) -> Call<()> {
    Call::empty(Method::PUT, "/v1/me/password").json(body)
}

/// `GET /v1/me/export`: the JSON document, as the server sent it.
pub fn export() -> Call<Vec<u8>> {
    Call::file("/v1/me/export")
}

/// `GET /v1/company/contract`.
pub fn contract() -> Call<Contract> {
    Call::get("/v1/company/contract")
}

/// `POST /v1/company/deletion-requests`.
pub fn deletion_request(body: &DeletionRequestBody) -> Call<DeletionTerms> {
    Call::to(Method::POST, "/v1/company/deletion-requests").json(body)
}

/// `GET /v1/demo/slots`: the free demo appointments (no account needed).
pub fn demo_slots() -> Call<DemoSlots> {
    Call::get("/v1/demo/slots")
}

/// `POST /v1/demo/requests`: books a demo.
pub fn demo_request(body: &DemoRequestBody) -> Call<DemoBooked> {
    Call::to(Method::POST, "/v1/demo/requests").json(body)
}

/// `GET /v1/me/alerts`: the user's e-mail alerts.
pub fn alerts() -> Call<econfiance_api::alerts::AlertSettings> {
    Call::get("/v1/me/alerts")
}

/// `PUT /v1/me/alerts`.
pub fn set_alerts(
    settings: &econfiance_api::alerts::AlertSettings,
) -> Call<econfiance_api::alerts::AlertSettings> {
    Call::to(Method::PUT, "/v1/me/alerts").json(settings)
}
