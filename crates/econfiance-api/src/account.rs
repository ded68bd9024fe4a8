//! The account lifecycle's wire types: demo booking, onboarding, support, contract and
//! deletion, and the personal-data export.
//!
//! - `GET /v1/demo/slots` → [`DemoSlots`]; `POST /v1/demo/requests` ([`DemoRequestBody`])
//!   → [`DemoBooked`];
//! - `GET /v1/me` → [`Me`]; `PUT /v1/me/onboarding` ([`OnboardingBody`]) → [`Me`];
//! - `POST /v1/support/tickets` ([`TicketBody`]) → [`TicketCreated`]; `GET /v1/support/tickets`
//!   → `Vec<`[`Ticket`]`>`;
//! - `GET /v1/company/contract` → [`Contract`]; `POST /v1/company/deletion-requests`
//!   ([`DeletionRequestBody`]) → [`DeletionTerms`];
//! - `GET /v1/me/export` → a JSON document of everything held about the user and company.
//!
//! Form errors come back all at once as a [`ValidationErrorBody`] (HTTP 422).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// One field's error, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct FieldError {
    /// The field, e.g. `company.siret`.
    pub field: String,
    /// Stable code, e.g. `invalid_siret`.
    pub code: String,
    /// What is wrong, in French.
    pub message_fr: String,
    /// What is wrong, in English.
    pub message_en: String,
}

/// Answer of a form with wrong fields: `{code: "validation_failed", message, fields}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ValidationErrorBody {
    /// Always `validation_failed`.
    pub code: crate::ErrorCode,
    /// A summary in the request's language.
    pub message: String,
    /// Every wrong field.
    pub fields: Vec<FieldError>,
}

/// One bookable demo slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DemoSlot {
    /// Start (RFC 3339, UTC); send it back to book.
    pub start: String,
    /// Start in Paris time, `HH:MM`.
    pub time_paris: String,
}

/// The free slots of one business day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DemoDay {
    /// The day, `YYYY-MM-DD` (Paris).
    pub date: String,
    /// Its free slots.
    pub slots: Vec<DemoSlot>,
}

/// Answer of `GET /v1/demo/slots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DemoSlots {
    /// Slot length in minutes.
    #[ts(type = "number")]
    pub slot_minutes: i64,
    /// The next business days and their free slots.
    pub days: Vec<DemoDay>,
}

/// Body of `POST /v1/demo/requests`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct DemoRequestBody {
    /// Contact's name.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Company name.
    #[schema(min_length = 1, max_length = 200)]
    pub company: String,
    /// Contact e-mail.
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub email: String,
    /// Contact phone (French).
    pub phone: String,
    /// Chosen slot start, as listed.
    pub slot_start: String,
    /// Optional message.
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub message: Option<String>,
    /// `fr` or `en`.
    #[serde(default)]
    pub locale: Option<String>,
}

/// Answer of a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DemoBooked {
    /// The booking's id.
    pub id: String,
    /// The slot (RFC 3339, UTC).
    pub slot_start: String,
    /// The slot's end.
    pub slot_end: String,
}

/// The company, as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct CompanyInfo {
    /// Raison sociale.
    pub legal_name: String,
    /// SIRET (14 digits).
    pub siret: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// French postal code.
    pub postal_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Business sector.
    pub sector: Option<String>,
    /// Company phone.
    pub phone: Option<String>,
}

/// The person, as they see themselves.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct PersonInfo {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// Answer of `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Me {
    /// User id.
    pub user_id: String,
    /// E-mail.
    pub email: String,
    /// `fr` or `en`.
    pub locale: String,
    /// Whether the first-login form must still be filled in.
    pub onboarding_required: bool,
    /// Whether the account has a password.
    pub has_password: bool,
    /// The person.
    pub person: PersonInfo,
    /// The company the session acts for.
    pub company: CompanyInfo,
    /// Its id.
    pub company_id: String,
    /// Whether the first-login form must also ask for the company (its owner, before the
    /// company's details were ever given); an invited colleague gives only their own.
    pub company_onboarding_required: bool,
    /// The person's role in that company.
    pub role: crate::team::Role,
    /// What that role may do.
    pub can: crate::team::Abilities,
    /// Every company the person belongs to (one, most often), by name.
    pub companies: Vec<crate::team::CompanyChoice>,
    /// Whether the person sees only some of this company's establishments: then
    /// "all establishments" means all of theirs, and they add none.
    pub limited_establishments: bool,
}

/// Company part of the onboarding form.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct OnboardingCompany {
    /// Raison sociale.
    #[schema(min_length = 1, max_length = 200)]
    pub legal_name: String,
    /// SIRET.
    #[schema(min_length = 1, max_length = 30)]
    pub siret: String,
    /// Street address.
    #[schema(min_length = 1, max_length = 300)]
    pub address: String,
    /// Postal code.
    #[schema(min_length = 1, max_length = 10)]
    pub postal_code: String,
    /// City.
    #[schema(min_length = 1, max_length = 100)]
    pub city: String,
    /// Website.
    #[schema(min_length = 1, max_length = 300)]
    pub website: String,
    /// Sector.
    #[schema(min_length = 1, max_length = 100)]
    pub sector: String,
    /// Company phone.
    pub phone: String,
}

/// Person part of the onboarding form.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct OnboardingPerson {
    /// First name.
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: String,
    /// Last name.
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: String,
    /// Job title (asked of a company's owner; optional for an invited colleague).
    #[schema(max_length = 100)]
    pub job_title: String,
    /// Phone.
    pub phone: String,
}

/// Body of `PUT /v1/me/onboarding`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct OnboardingBody {
    /// The company: required at its owner's first login, absent when an invited colleague
    /// gives only their own details; given later, it needs the right to change them.
    #[serde(default)]
    pub company: Option<OnboardingCompany>,
    /// The person.
    pub person: OnboardingPerson,
}

/// Support categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketCategory {
    /// Connexion (the only category open to people who cannot log in).
    Connexion,
    /// Bug.
    Bug,
    /// Facturation.
    Facturation,
    /// Suppression de compte.
    SuppressionCompte,
    /// Autre.
    Autre,
}

impl TicketCategory {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketCategory::Connexion => "connexion",
            TicketCategory::Bug => "bug",
            TicketCategory::Facturation => "facturation",
            TicketCategory::SuppressionCompte => "suppression_compte",
            TicketCategory::Autre => "autre",
        }
    }
}

/// Body of `POST /v1/support/tickets`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct TicketBody {
    /// Category.
    pub category: TicketCategory,
    /// Subject.
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// The message.
    #[schema(min_length = 1, max_length = 5000)]
    pub message: String,
    /// Where to answer: required when logged out.
    #[schema(format = Email, max_length = 254)]
    #[serde(default)]
    pub contact_email: Option<String>,
    /// An optional diagnostics report (redacted by the app), at most 65,536 characters.
    #[schema(max_length = 65536)]
    #[serde(default)]
    pub diagnostics: Option<String>,
    /// `fr` or `en` (logged out).
    #[serde(default)]
    pub locale: Option<String>,
}

/// Answer of a new ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct TicketCreated {
    /// Reference to quote, e.g. `EC-7K3M9Q`.
    pub reference: String,
    /// Support answers before this time (creation + 48 h, RFC 3339).
    pub respond_by: String,
}

/// A ticket, as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Ticket {
    /// Reference.
    pub reference: String,
    /// Category.
    pub category: TicketCategory,
    /// Subject.
    pub subject: String,
    /// The message.
    pub message: String,
    /// `open`, `answered` or `closed`.
    pub status: String,
    /// Creation (RFC 3339).
    pub created_at: String,
    /// Answer promised before (RFC 3339).
    pub respond_by: String,
    /// Support's latest answer, once given.
    pub answer: Option<String>,
    /// When it was answered.
    pub answered_at: Option<String>,
    /// The conversation in order: the first message, then each follow-up and answer.
    #[serde(default)]
    pub messages: Vec<TicketMessage>,
}

/// Who wrote a message of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketAuthor {
    /// The person who opened the ticket.
    Customer,
    /// The e-confiance team.
    Support,
}

/// One message of a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct TicketMessage {
    /// Who wrote it.
    pub author: TicketAuthor,
    /// The text.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Body of `POST /v1/support/tickets/{reference}/messages`: a follow-up to an open ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct TicketReplyBody {
    /// The message (1 to 5,000 characters).
    #[schema(min_length = 1, max_length = 5000)]
    pub message: String,
}

/// Plans of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    /// Annual, 12-month commitment.
    Starter,
    /// Annual, 12-month commitment.
    Standard,
    /// Monthly.
    Pro,
    /// Monthly.
    Premium,
}

impl Plan {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Starter => "starter",
            Plan::Standard => "standard",
            Plan::Pro => "pro",
            Plan::Premium => "premium",
        }
    }

    /// Starter and Standard are annual; Pro and Premium monthly.
    pub fn commitment(self) -> Commitment {
        match self {
            Plan::Starter | Plan::Standard => Commitment::Annual,
            Plan::Pro | Plan::Premium => Commitment::Monthly,
        }
    }
}

/// Commitment kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Commitment {
    /// 12 months.
    Annual,
    /// Month to month.
    Monthly,
}

/// Answer of `GET /v1/company/contract`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Contract {
    /// The plan.
    pub plan: Plan,
    /// Its commitment.
    pub commitment: Commitment,
    /// Start date, `YYYY-MM-DD`.
    pub started_on: String,
    /// End of the current commitment period, `YYYY-MM-DD`.
    pub commitment_ends_on: String,
}

/// Body of `POST /v1/company/deletion-requests`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct DeletionRequestBody {
    /// Why (optional): at most 2,000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// Answer of a deletion request: the ticket and the terms that apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeletionTerms {
    /// The support ticket opened for it.
    pub ticket: TicketCreated,
    /// The contract it falls under.
    pub contract: Contract,
    /// When deletion can take effect, `YYYY-MM-DD`.
    pub effective_on: String,
    /// The terms, in the request's language.
    pub terms: String,
    /// The options, in the request's language.
    pub options: Vec<String>,
}
