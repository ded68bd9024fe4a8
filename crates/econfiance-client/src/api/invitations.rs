//! The invitations' endpoints: inviting customers, checking a CSV of them, each
//! invitation's state, the figures, and the shareable review link with its QR code.

use econfiance_api::invitations::{
    CsvPreview, EstablishmentQuery, InvitationPage, InvitationQuery, InvitationSummary,
    InvitationsBody, InvitationsSent, NewInvitation, ReviewLink,
};
use reqwest::Method;

use super::call::Call;

/// `POST /v1/invitations`: the customers, asked about `establishment` (none: the main one).
pub fn send(customers: Vec<NewInvitation>, establishment: Option<String>) -> Call<InvitationsSent> {
    Call::to(Method::POST, "/v1/invitations").json(&InvitationsBody {
        customers,
        establishment,
    })
}

/// `POST /v1/invitations/csv`: a CSV file's bytes, checked line by line (nothing sent).
pub fn check_csv(bytes: Vec<u8>) -> Call<CsvPreview> {
    Call::to(Method::POST, "/v1/invitations/csv").bytes(bytes)
}

/// `GET /v1/invitations`, newest first.
pub fn list(query: &InvitationQuery) -> Call<InvitationPage> {
    Call::get("/v1/invitations").params(query)
}

/// `GET /v1/invitations/summary`: of one establishment, or of every one the session sees.
pub fn summary(query: &EstablishmentQuery) -> Call<InvitationSummary> {
    Call::get("/v1/invitations/summary").params(query)
}

/// `GET /v1/review-link`: an establishment's (none: the main one).
pub fn review_link(query: &EstablishmentQuery) -> Call<ReviewLink> {
    Call::get("/v1/review-link").params(query)
}

/// An establishment's review link QR code as a file: `png` or `svg`.
pub fn qr_code(format: QrFormat, query: &EstablishmentQuery) -> Call<Vec<u8>> {
    Call::file(match format {
        QrFormat::Png => "/v1/review-link/qr.png",
        QrFormat::Svg => "/v1/review-link/qr.svg",
    })
    .params(query)
}

/// A QR code file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum QrFormat {
    /// An image, for documents and receipts.
    Png,
    /// A drawing, to print at any size.
    Svg,
}
