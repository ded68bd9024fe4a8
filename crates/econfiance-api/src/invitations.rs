//! Asking customers for reviews: invitations mailed by the platform, a CSV of customers
//! checked before anything is sent, each invitation's state, and the company's shareable
//! review link with its QR code.
//!
//! - `POST /v1/invitations` ([`InvitationsBody`]) → [`InvitationsSent`];
//! - `POST /v1/invitations/csv` (the file's bytes, `text/csv`) → [`CsvPreview`];
//! - `GET /v1/invitations?cursor&limit&establishment` ([`InvitationQuery`]) →
//!   [`InvitationPage`];
//! - `GET /v1/invitations/summary?establishment` → [`InvitationSummary`];
//! - `GET /v1/review-link?establishment` → [`ReviewLink`]; `GET /v1/review-link/qr.svg`
//!   and `qr.png` (the same query).
//!
//! Each invitation and each review link belongs to one establishment (the main one unless
//! told); a member limited to some establishments sees and makes only theirs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

/// At most this many customers in one `POST /v1/invitations`.
pub const MAX_BATCH: usize = 1000;
/// A CSV of customers is at most this many bytes.
pub const MAX_CSV_BYTES: usize = 1024 * 1024;
/// An invitation's form link works this many days, and no second invitation goes to the
/// same e-mail for the same order within them.
pub const INVITATION_DAYS: i64 = 30;

/// One customer to invite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct NewInvitation {
    /// The customer's name, as the mail greets them (1 to 100 characters).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The customer's e-mail.
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    /// The order or booking reference, if any (at most 100 characters).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub order_ref: Option<String>,
    /// The date of the experience (`YYYY-MM-DD`, not in the future), if known.
    #[serde(default)]
    #[schema(format = Date)]
    pub experience_date: Option<String>,
    /// The customer's language (`fr` or `en`; default `fr`): the mail's and the form's.
    #[serde(default)]
    #[schema(pattern = "^(fr|en)$")]
    pub language: Option<String>,
}

/// Body of `POST /v1/invitations`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct InvitationsBody {
    /// The customers (1 to [`MAX_BATCH`]).
    #[schema(min_items = 1, max_items = 1000)]
    pub customers: Vec<NewInvitation>,
    /// The establishment they are asked about (its id); absent: the main one. A member
    /// limited to some establishments names one of theirs.
    #[serde(default)]
    #[ts(optional)]
    #[schema(max_length = 64)]
    pub establishment: Option<String>,
}

/// What became of one customer of a `POST /v1/invitations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationOutcome {
    /// Mailed.
    Sent,
    /// Not mailed: this e-mail was invited for the same order less than 30 days ago.
    AlreadyInvited,
    /// Not mailed: this customer asked this company not to write to them again.
    Unsubscribed,
    /// Not mailed: the same e-mail and order came earlier in this list.
    Duplicate,
}

/// One customer's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct InvitationResult {
    /// The customer's e-mail, as sent.
    pub email: String,
    /// What became of it.
    pub outcome: InvitationOutcome,
    /// The invitation's id, when it was sent.
    pub id: Option<String>,
}

/// Answer of `POST /v1/invitations`: one result per customer, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct InvitationsSent {
    /// The results.
    pub results: Vec<InvitationResult>,
    /// How many were mailed.
    pub sent: u32,
}

/// One line of a CSV of customers, read and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct CsvLine {
    /// Its line number in the file (the header is line 1).
    pub line: u32,
    /// The customer, as read (a line with a problem may hold anything).
    pub customer: CsvCustomer,
    /// What stops it from being sent, if anything.
    pub problem: Option<LineProblem>,
}

/// A customer as a CSV line gives them: the fields of [`NewInvitation`], unchecked (send
/// the lines without a problem as they are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct CsvCustomer {
    /// The name (first and last name columns joined).
    pub name: String,
    /// The e-mail.
    pub email: String,
    /// The order reference, if any.
    pub order_ref: Option<String>,
    /// The date of the experience (`YYYY-MM-DD` once read), if any.
    pub experience_date: Option<String>,
    /// `fr` or `en`, when a language column says so.
    pub language: Option<String>,
}

impl From<CsvCustomer> for NewInvitation {
    fn from(c: CsvCustomer) -> Self {
        NewInvitation {
            name: c.name,
            email: c.email,
            order_ref: c.order_ref,
            experience_date: c.experience_date,
            language: c.language,
        }
    }
}

/// Why a line of a CSV cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineProblemCode {
    /// No name.
    MissingName,
    /// Not an e-mail address.
    InvalidEmail,
    /// The consent column does not say yes.
    NoConsent,
    /// The same e-mail and order came on an earlier line.
    Duplicate,
    /// Invited for the same order less than 30 days ago.
    AlreadyInvited,
    /// The customer asked not to be written to again.
    Unsubscribed,
    /// The date is not a date, or is in the future.
    InvalidDate,
    /// A value is too long.
    TooLong,
}

/// A line's problem: its code, and what to do, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LineProblem {
    /// Matched by programs.
    pub code: LineProblemCode,
    /// For people.
    pub message: String,
}

/// Answer of `POST /v1/invitations/csv`: every line, with its problem; nothing is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct CsvPreview {
    /// The lines (the header left out; empty lines skipped).
    pub lines: Vec<CsvLine>,
    /// The separator found (`;` or `,`).
    pub separator: String,
    /// The encoding found (`utf-8` or `windows-1252`).
    pub encoding: String,
    /// How many lines can be sent.
    pub ready: u32,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    /// Mailed; the form not opened yet.
    Sent,
    /// The customer opened the form's page.
    Opened,
    /// The customer wrote a review.
    Reviewed,
    /// The customer's mail server refused the mail for good.
    Refused,
    /// The customer asked not to be written to again.
    Unsubscribed,
}

/// An invitation, as the company sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Invitation {
    /// Id.
    pub id: String,
    /// The customer's name.
    pub name: String,
    /// The customer's e-mail.
    pub email: String,
    /// The order reference, if any.
    pub order_ref: Option<String>,
    /// The date of the experience, if given.
    pub experience_date: Option<String>,
    /// Where it stands.
    pub state: InvitationState,
    /// Sent (RFC 3339).
    pub sent_at: String,
    /// The form first opened (RFC 3339), if it was.
    pub opened_at: Option<String>,
    /// The review written (RFC 3339), if it was.
    pub reviewed_at: Option<String>,
    /// The review's id, once written.
    pub review_id: Option<String>,
    /// The establishment the customer is asked about.
    pub establishment_id: String,
}

/// Paging of `GET /v1/invitations`.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct InvitationQuery {
    /// Where the previous page ended (from [`InvitationPage::next_cursor`]).
    pub cursor: Option<String>,
    /// Page size (default 50, at most 200).
    #[ts(type = "number | null")]
    #[param(minimum = 1, maximum = 200)]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Only this establishment's invitations (absent: every one the session sees).
    #[ts(optional)]
    #[param(max_length = 64)]
    #[schema(max_length = 64)]
    pub establishment: Option<String>,
}

/// Query of `GET /v1/invitations/summary` and `GET /v1/review-link` (and its QR codes).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EstablishmentQuery {
    /// One establishment (its id). Absent: for the summary, every one the session sees;
    /// for the review link, the main one.
    #[ts(optional)]
    #[param(max_length = 64)]
    #[schema(max_length = 64)]
    pub establishment: Option<String>,
}

/// A page of invitations, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct InvitationPage {
    /// The invitations.
    pub items: Vec<Invitation>,
    /// The cursor of the next page, if there is one.
    pub next_cursor: Option<String>,
}

/// `GET /v1/invitations/summary`: the invitations sent in the last 30 days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct InvitationSummary {
    /// Sent.
    pub sent: u32,
    /// Of those, the form opened (reviewed ones included).
    pub opened: u32,
    /// Of those, reviewed.
    pub reviewed: u32,
    /// Of those, refused by the customer's mail server.
    pub refused: u32,
    /// Of those, unsubscribed.
    pub unsubscribed: u32,
    /// Share of the invitations sent that were reviewed, in percent (None when none was sent).
    pub response_rate: Option<f64>,
    /// Invitations the company may still send today.
    pub left_today: u32,
}

/// `GET /v1/review-link`: an establishment's shareable review link (a shop counter, a
/// receipt); reviews written through it go to that establishment and are not marked
/// verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ReviewLink {
    /// The form's address.
    pub url: String,
    /// Its QR code, as an SVG document.
    pub qr_svg: String,
}
