//! The TypeScript declarations of the IPC types, generated from Rust, must match the file
//! checked in at `ui/src/lib/bindings.ts`. `UPDATE_BINDINGS=1 cargo test -p econfiance-client
//! --test bindings` rewrites it.

use std::path::PathBuf;

use econfiance_api::account::{
    Commitment, CompanyInfo, Contract, DeletionTerms, DemoBooked, DemoDay, DemoRequestBody,
    DemoSlot, DemoSlots, FieldError, Me, OnboardingBody, OnboardingCompany, OnboardingPerson,
    PersonInfo, Plan, Ticket, TicketAuthor, TicketCategory, TicketCreated, TicketMessage,
};
use econfiance_api::alerts::AlertSettings;
use econfiance_api::auth::SessionInfo;
use econfiance_api::establishments::{Establishment, EstablishmentBody};
use econfiance_api::invitations::{
    CsvCustomer, CsvLine, CsvPreview, EstablishmentQuery, Invitation, InvitationOutcome,
    InvitationPage, InvitationQuery, InvitationResult, InvitationState, InvitationSummary,
    InvitationsSent, LineProblem, LineProblemCode, NewInvitation, ReviewLink,
};
use econfiance_api::reviews::{
    EventKind, EventPage, MonthPoint, PointStatus, Reply, Review, ReviewEvent, ReviewPage,
    ReviewQuery, ReviewSource, ReviewStatus, Summary, TrustIndex, TrustPoint,
};
use econfiance_api::team::{Abilities, CompanyChoice, Member, MemberInvitation, Role, Team};
use econfiance_api::templates::{ReplyTemplate, TemplateBody, Topic};
use econfiance_api::{ErrorBody, ErrorCode, PlatformState, PlatformStatus};
use econfiance_client::api::invitations::QrFormat;
use econfiance_client::diagnose::{CheckLine, CheckStatus, ConnectionReport};
use econfiance_client::ipc::{AppInfo, KeyringMode, LinkEvent, LinkSent, SessionView};
use econfiance_client::ipc::{
    AppPreferences, AvailableUpdate, CacheCleared, DashboardSnapshot, LastKnownDashboard,
    LegalPage, SupportOutcome, Theme, UpdateCheck, UpdateInstall,
};
use econfiance_client::notify::NotificationChoice;
use econfiance_client::replies::{Suggestion, TopicRule};
use econfiance_client::support::{SupportDraft, SupportRequest, UnsentTicket};
use econfiance_client::Language;
use ts_rs::{Config, TS};

fn generate() -> String {
    let cfg = Config::default();
    let mut out = String::from(
        "// Generated from the Rust IPC types by crates/econfiance-client/tests/bindings.rs.\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p econfiance-client --test bindings`.\n\n",
    );
    for decl in [
        FieldError::decl(&cfg),
        ErrorCode::decl(&cfg),
        ErrorBody::decl(&cfg),
        PlatformState::decl(&cfg),
        PlatformStatus::decl(&cfg),
        Language::decl(&cfg),
        AppInfo::decl(&cfg),
        KeyringMode::decl(&cfg),
        SessionView::decl(&cfg),
        LinkSent::decl(&cfg),
        LinkEvent::decl(&cfg),
        SessionInfo::decl(&cfg),
        DemoSlot::decl(&cfg),
        DemoDay::decl(&cfg),
        DemoSlots::decl(&cfg),
        DemoRequestBody::decl(&cfg),
        DemoBooked::decl(&cfg),
        CompanyInfo::decl(&cfg),
        PersonInfo::decl(&cfg),
        Me::decl(&cfg),
        OnboardingCompany::decl(&cfg),
        OnboardingPerson::decl(&cfg),
        OnboardingBody::decl(&cfg),
        CheckStatus::decl(&cfg),
        CheckLine::decl(&cfg),
        ConnectionReport::decl(&cfg),
        CacheCleared::decl(&cfg),
        LegalPage::decl(&cfg),
        UpdateCheck::decl(&cfg),
        AvailableUpdate::decl(&cfg),
        UpdateInstall::decl(&cfg),
        Theme::decl(&cfg),
        SupportDraft::decl(&cfg),
        UnsentTicket::decl(&cfg),
        SupportRequest::decl(&cfg),
        SupportOutcome::decl(&cfg),
        TicketCategory::decl(&cfg),
        TicketCreated::decl(&cfg),
        Ticket::decl(&cfg),
        Plan::decl(&cfg),
        Commitment::decl(&cfg),
        Contract::decl(&cfg),
        DeletionTerms::decl(&cfg),
        ReviewStatus::decl(&cfg),
        ReviewSource::decl(&cfg),
        Reply::decl(&cfg),
        Review::decl(&cfg),
        ReviewQuery::decl(&cfg),
        ReviewPage::decl(&cfg),
        MonthPoint::decl(&cfg),
        Summary::decl(&cfg),
        PointStatus::decl(&cfg),
        TrustPoint::decl(&cfg),
        TrustIndex::decl(&cfg),
        EventKind::decl(&cfg),
        ReviewEvent::decl(&cfg),
        EventPage::decl(&cfg),
        DashboardSnapshot::decl(&cfg),
        LastKnownDashboard::decl(&cfg),
        NotificationChoice::decl(&cfg),
        AppPreferences::decl(&cfg),
        NewInvitation::decl(&cfg),
        InvitationOutcome::decl(&cfg),
        InvitationResult::decl(&cfg),
        InvitationsSent::decl(&cfg),
        LineProblemCode::decl(&cfg),
        LineProblem::decl(&cfg),
        CsvCustomer::decl(&cfg),
        CsvLine::decl(&cfg),
        CsvPreview::decl(&cfg),
        InvitationState::decl(&cfg),
        Invitation::decl(&cfg),
        InvitationQuery::decl(&cfg),
        EstablishmentQuery::decl(&cfg),
        InvitationPage::decl(&cfg),
        InvitationSummary::decl(&cfg),
        ReviewLink::decl(&cfg),
        QrFormat::decl(&cfg),
        TicketAuthor::decl(&cfg),
        AlertSettings::decl(&cfg),
        TicketMessage::decl(&cfg),
        Establishment::decl(&cfg),
        EstablishmentBody::decl(&cfg),
        Role::decl(&cfg),
        Abilities::decl(&cfg),
        CompanyChoice::decl(&cfg),
        Member::decl(&cfg),
        MemberInvitation::decl(&cfg),
        Team::decl(&cfg),
        Topic::decl(&cfg),
        ReplyTemplate::decl(&cfg),
        TemplateBody::decl(&cfg),
        Suggestion::decl(&cfg),
        TopicRule::decl(&cfg),
    ] {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn typescript_bindings_are_up_to_date() {
    // At run time: the target folder may be shared by several checkouts.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let path = manifest.join("../../ui/src/lib/bindings.ts");
    let generated = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    // A Windows checkout may have CRLF line ends (.gitattributes asks for LF; a user's
    // `core.autocrlf` can still win): the comparison is of the text, not of line ends.
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p econfiance-client --test bindings`"
    );
}
