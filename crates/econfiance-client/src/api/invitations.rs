//! The invitations' endpoints: inviting customers, checking a CSV of them, each
//! invitation's state, the figures, and the shareable review link with its QR code.

use econfiance_api::invitations::{
    CsvPreview, InvitationPage, InvitationQuery, InvitationSummary, InvitationsBody,
    InvitationsSent, NewInvitation, ReviewLink,
};
use reqwest::Method;

use super::call::Call;

/// `POST /v1/invitations`.
pub fn send(customers: Vec<NewInvitation>) -> Call<InvitationsSent> {
    Call::to(Method::POST, "/v1/invitations").json(&InvitationsBody { customers })
}

/// `POST /v1/invitations/csv`: a CSV file's bytes, checked line by line (nothing sent).
pub fn check_csv(bytes: Vec<u8>) -> Call<CsvPreview> {
    Call::to(Method::POST, "/v1/invitations/csv").bytes(bytes)
}

/// `GET /v1/invitations`, newest first.
pub fn list(query: &InvitationQuery) -> Call<InvitationPage> {
    Call::get("/v1/invitations").params(query)
}

/// `GET /v1/invitations/summary`.
pub fn summary() -> Call<InvitationSummary> {
    Call::get("/v1/invitations/summary")
}

/// `GET /v1/review-link`.
pub fn review_link() -> Call<ReviewLink> {
    Call::get("/v1/review-link")
}

/// The review link's QR code as a file: `png` or `svg`.
pub fn qr_code(format: QrFormat) -> Call<Vec<u8>> {
    Call::file(match format {
        QrFormat::Png => "/v1/review-link/qr.png",
        QrFormat::Svg => "/v1/review-link/qr.svg",
    })
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
