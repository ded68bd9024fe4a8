// Generated from the Rust IPC types by crates/econfiance-client/tests/bindings.rs.
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p econfiance-client --test bindings`.

export type FieldError = { 
/**
 * The field, e.g. `company.siret`.
 */
field: string, 
/**
 * Stable code, e.g. `invalid_siret`.
 */
code: string, 
/**
 * What is wrong, in French.
 */
message_fr: string, 
/**
 * What is wrong, in English.
 */
message_en: string, };

export type ErrorCode = "invalid_request" | "validation_failed" | "invalid_grant" | "code_expired" | "code_used" | "too_many_attempts" | "invalid_credentials" | "session_ended" | "unauthorized" | "weak_password" | "rate_limited" | "resend_too_soon" | "body_too_large" | "not_found" | "method_not_allowed" | "slot_taken" | "limit_reached" | "removed_from_team" | "forbidden" | "last_owner" | "only_company" | "already_member" | "establishment_closed" | "ticket_closed" | "internal_error" | "maintenance" | "config_invalid" | "ca_file_unusable" | "network_unreachable" | "server_timeout" | "tls_failed" | "server_error" | "unexpected_response" | "link_malformed" | "link_not_requested_here" | "keyring_unavailable" | "not_logged_in" | "storage_failed" | "file_unusable" | "browser_not_opened" | "preference_not_applied" | "scheme_repair_failed" | "cache_clear_failed" | "update_refused" | "update_not_for_this_system" | "update_feed_unreadable" | "update_install_failed" | "updates_not_configured" | "update_not_checked" | "update_manual" | "ipc_failed" | "benchmark_mode" | "unknown";

export type ErrorBody = { 
/**
 * Stable, snake_case, matched by programs (e.g. `link_not_requested_here`).
 */
code: ErrorCode, 
/**
 * What happened and what to do, in the user's language.
 */
message: string, 
/**
 * Seconds to wait before trying again (rate limits; also in `Retry-After`).
 */
retry_after?: number, 
/**
 * The wrong fields of a form (`validation_failed`), each with its own message.
 */
fields?: Array<FieldError>, };

export type PlatformState = "operational" | "degraded" | "outage";

export type PlatformStatus = { 
/**
 * Overall state.
 */
state: PlatformState, 
/**
 * The incident, in French, when there is one.
 */
message_fr: string | null, 
/**
 * The incident, in English, when there is one.
 */
message_en: string | null, 
/**
 * When the status was last set (RFC 3339, UTC).
 */
updated_at: string, };

export type Language = "fr" | "en";

export type AppInfo = { 
/**
 * The app's version (`Cargo.toml`).
 */
version: string, 
/**
 * The language in use: the saved choice, else the OS locale's.
 */
language: Language, 
/**
 * The platform server the app talks to (shown in the help, never secret).
 */
server_url: string, 
/**
 * Started with `--safe-mode` (WebKit's rendering fallbacks).
 */
safe_mode: boolean, 
/**
 * The colours chosen in the settings, applied at start.
 */
theme: Theme, 
/**
 * How to clear the cache on this OS when the window cannot open
 * ([`crate::platform::clear_cache_advice`]).
 */
clear_cache_offline: string, };

export type KeyringMode = "keyring" | "memory_only";

export type SessionView = { 
/**
 * The account's e-mail.
 */
email: string, 
/**
 * Where the session is kept.
 */
keyring: KeyringMode, };

export type LinkSent = { 
/**
 * The address it was sent to.
 */
email: string, 
/**
 * Seconds until the link and its code expire (a small number: JSON number in TS).
 */
expires_in: number, 
/**
 * Seconds before "Renvoyer" may ask again (the server's cooldown).
 */
resend_after: number, };

export type LinkEvent = { "type": "accepted", 
/**
 * The request it answers.
 */
request_id: string, } | { "type": "signed_in", 
/**
 * The new session.
 */
session: SessionView, } | { "type": "already_signed_in", 
/**
 * The session that goes on.
 */
session: SessionView, } | { "type": "switch_requested", 
/**
 * The account logged in now.
 */
current: string, 
/**
 * The account the link logs in.
 */
requested: string, } | { "type": "reset_requested", 
/**
 * The account whose password is being reset.
 */
email: string, } | { "type": "rejected", 
/**
 * Why, for people.
 */
error: ErrorBody, };

export type SessionInfo = { 
/**
 * The session's id.
 */
id: string, 
/**
 * Device name.
 */
device_name: string, 
/**
 * Operating system.
 */
os: string, 
/**
 * App version.
 */
app_version: string, 
/**
 * When the session started (RFC 3339, UTC).
 */
created_at: string, 
/**
 * When it was last used (RFC 3339, UTC).
 */
last_used_at: string, 
/**
 * Whether it is the session making this request.
 */
current: boolean, };

export type DemoSlot = { 
/**
 * Start (RFC 3339, UTC); send it back to book.
 */
start: string, 
/**
 * Start in Paris time, `HH:MM`.
 */
time_paris: string, };

export type DemoDay = { 
/**
 * The day, `YYYY-MM-DD` (Paris).
 */
date: string, 
/**
 * Its free slots.
 */
slots: Array<DemoSlot>, };

export type DemoSlots = { 
/**
 * Slot length in minutes.
 */
slot_minutes: number, 
/**
 * The next business days and their free slots.
 */
days: Array<DemoDay>, };

export type DemoRequestBody = { 
/**
 * Contact's name.
 */
name: string, 
/**
 * Company name.
 */
company: string, 
/**
 * Contact e-mail.
 */
email: string, 
/**
 * Contact phone (French).
 */
phone: string, 
/**
 * Chosen slot start, as listed.
 */
slot_start: string, 
/**
 * Optional message.
 */
message: string | null, 
/**
 * `fr` or `en`.
 */
locale: string | null, };

export type DemoBooked = { 
/**
 * The booking's id.
 */
id: string, 
/**
 * The slot (RFC 3339, UTC).
 */
slot_start: string, 
/**
 * The slot's end.
 */
slot_end: string, };

export type CompanyInfo = { 
/**
 * Raison sociale.
 */
legal_name: string, 
/**
 * SIRET (14 digits).
 */
siret: string | null, 
/**
 * Street address.
 */
address: string | null, 
/**
 * French postal code.
 */
postal_code: string | null, 
/**
 * City.
 */
city: string | null, 
/**
 * Website.
 */
website: string | null, 
/**
 * Business sector.
 */
sector: string | null, 
/**
 * Company phone.
 */
phone: string | null, };

export type PersonInfo = { 
/**
 * First name.
 */
first_name: string | null, 
/**
 * Last name.
 */
last_name: string | null, 
/**
 * Job title.
 */
job_title: string | null, 
/**
 * Phone.
 */
phone: string | null, };

export type Me = { 
/**
 * User id.
 */
user_id: string, 
/**
 * E-mail.
 */
email: string, 
/**
 * `fr` or `en`.
 */
locale: string, 
/**
 * Whether the first-login form must still be filled in.
 */
onboarding_required: boolean, 
/**
 * Whether the account has a password.
 */
has_password: boolean, 
/**
 * The person.
 */
person: PersonInfo, 
/**
 * The company the session acts for.
 */
company: CompanyInfo, 
/**
 * Its id.
 */
company_id: string, 
/**
 * Whether the first-login form must also ask for the company (its owner, before the
 * company's details were ever given); an invited colleague gives only their own.
 */
company_onboarding_required: boolean, 
/**
 * The person's role in that company.
 */
role: Role, 
/**
 * What that role may do.
 */
can: Abilities, 
/**
 * Every company the person belongs to (one, most often), by name.
 */
companies: Array<CompanyChoice>, 
/**
 * Whether the person sees only some of this company's establishments: then
 * "all establishments" means all of theirs, and they add none.
 */
limited_establishments: boolean, };

export type OnboardingCompany = { 
/**
 * Raison sociale.
 */
legal_name: string, 
/**
 * SIRET.
 */
siret: string, 
/**
 * Street address.
 */
address: string, 
/**
 * Postal code.
 */
postal_code: string, 
/**
 * City.
 */
city: string, 
/**
 * Website.
 */
website: string, 
/**
 * Sector.
 */
sector: string, 
/**
 * Company phone.
 */
phone: string, };

export type OnboardingPerson = { 
/**
 * First name.
 */
first_name: string, 
/**
 * Last name.
 */
last_name: string, 
/**
 * Job title (asked of a company's owner; optional for an invited colleague).
 */
job_title: string, 
/**
 * Phone.
 */
phone: string, };

export type OnboardingBody = { 
/**
 * The company: required at its owner's first login, absent when an invited colleague
 * gives only their own details; given later, it needs the right to change them.
 */
company: OnboardingCompany | null, 
/**
 * The person.
 */
person: OnboardingPerson, };

export type CheckStatus = "passed" | "warning" | "failed" | "info";

export type CheckLine = { 
/**
 * Stable id: `server`, `clock`, `platform`, `keyring`, `scheme`, `cache`.
 */
id: string, 
/**
 * How it went.
 */
status: CheckStatus, 
/**
 * What was found, for people.
 */
message: string, 
/**
 * What to do about it (absent when nothing is needed).
 */
advice: string | null, 
/**
 * Whether the app can repair it itself (the "Réparer" button).
 */
repairable: boolean, };

export type ConnectionReport = { 
/**
 * The lines.
 */
lines: Array<CheckLine>, };

export type CacheCleared = { 
/**
 * Bytes freed on disk.
 */
freed_bytes: number, 
/**
 * The same for people ("1,2 Mo").
 */
freed: string, 
/**
 * Whether the session was ended too.
 */
signed_out: boolean, };

export type LegalPage = "terms" | "privacy" | "legal_notice";

export type UpdateCheck = { 
/**
 * The version running.
 */
current_version: string, 
/**
 * The newer release, if the platform publishes one for this system.
 */
available: AvailableUpdate | null, };

export type AvailableUpdate = { 
/**
 * Its version.
 */
version: string, 
/**
 * Its release notes, in the user's language.
 */
notes: string, 
/**
 * Its publication date (RFC 3339), if given.
 */
date: string | null, 
/**
 * Whether this copy can install it itself.
 */
install: UpdateInstall, };

export type UpdateInstall = "app" | "manual";

export type Theme = "system" | "light" | "dark";

export type SupportDraft = { 
/**
 * `connexion`, `bug`, … (as the server names them).
 */
category: string, 
/**
 * Subject.
 */
subject: string, 
/**
 * The message.
 */
message: string, 
/**
 * Where support answers (needed when logged out).
 */
contact_email: string, };

export type UnsentTicket = { 
/**
 * Local id (to send or drop one).
 */
id: string, 
/**
 * When it was kept (RFC 3339).
 */
saved_at: string, 
/**
 * Category.
 */
category: TicketCategory, 
/**
 * Subject.
 */
subject: string, 
/**
 * The message.
 */
message: string, 
/**
 * Contact e-mail (logged out).
 */
contact_email: string | null, 
/**
 * The redacted diagnostics, if the user chose to join them.
 */
diagnostics: string | null, };

export type SupportRequest = { 
/**
 * What it is about.
 */
category: TicketCategory, 
/**
 * Subject.
 */
subject: string, 
/**
 * The message.
 */
message: string, 
/**
 * Where support answers when nobody is logged in.
 */
contact_email: string | null, 
/**
 * The report the user read, if they chose to join it (redacted again).
 */
diagnostics: string | null, };

export type SupportOutcome = { "type": "sent", 
/**
 * e.g. `EC-7K3M9Q`.
 */
reference: string, 
/**
 * RFC 3339.
 */
respond_by: string, } | { "type": "kept", 
/**
 * Why it could not be sent, for people.
 */
reason: string, };

export type TicketCategory = "connexion" | "bug" | "facturation" | "suppression_compte" | "autre";

export type TicketCreated = { 
/**
 * Reference to quote, e.g. `EC-7K3M9Q`.
 */
reference: string, 
/**
 * Support answers before this time (creation + 48 h, RFC 3339).
 */
respond_by: string, };

export type Ticket = { 
/**
 * Reference.
 */
reference: string, 
/**
 * Category.
 */
category: TicketCategory, 
/**
 * Subject.
 */
subject: string, 
/**
 * The message.
 */
message: string, 
/**
 * `open`, `answered` or `closed`.
 */
status: string, 
/**
 * Creation (RFC 3339).
 */
created_at: string, 
/**
 * Answer promised before (RFC 3339).
 */
respond_by: string, 
/**
 * Support's latest answer, once given.
 */
answer: string | null, 
/**
 * When it was answered.
 */
answered_at: string | null, 
/**
 * The conversation in order: the first message, then each follow-up and answer.
 */
messages: Array<TicketMessage>, };

export type Plan = "starter" | "standard" | "pro" | "premium";

export type Commitment = "annual" | "monthly";

export type Contract = { 
/**
 * The plan.
 */
plan: Plan, 
/**
 * Its commitment.
 */
commitment: Commitment, 
/**
 * Start date, `YYYY-MM-DD`.
 */
started_on: string, 
/**
 * End of the current commitment period, `YYYY-MM-DD`.
 */
commitment_ends_on: string, };

export type DeletionTerms = { 
/**
 * The support ticket opened for it.
 */
ticket: TicketCreated, 
/**
 * The contract it falls under.
 */
contract: Contract, 
/**
 * When deletion can take effect, `YYYY-MM-DD`.
 */
effective_on: string, 
/**
 * The terms, in the request's language.
 */
terms: string, 
/**
 * The options, in the request's language.
 */
options: Array<string>, };

export type ReviewStatus = "pending" | "published" | "rejected";

export type ReviewSource = "invitation" | "organic" | "import";

export type Reply = { 
/**
 * The text.
 */
body: string, 
/**
 * First written (RFC 3339).
 */
created_at: string, 
/**
 * Last edited (RFC 3339), if it was.
 */
updated_at: string | null, 
/**
 * Who wrote it last: the member's name (or e-mail); none for replies written before
 * teams.
 */
author: string | null, };

export type Review = { 
/**
 * Id.
 */
id: string, 
/**
 * 1 to 5 stars.
 */
rating: number, 
/**
 * Title.
 */
title: string, 
/**
 * Text (from the public: show it as text, never as HTML).
 */
body: string, 
/**
 * Language (`fr`, `en`…).
 */
language: string, 
/**
 * The author's display name.
 */
author_name: string, 
/**
 * Date of the experience (`YYYY-MM-DD`).
 */
experience_date: string, 
/**
 * Submitted (RFC 3339).
 */
submitted_at: string, 
/**
 * Published (RFC 3339), once it is.
 */
published_at: string | null, 
/**
 * Last updated (RFC 3339), if it was.
 */
updated_at: string | null, 
/**
 * Moderation status.
 */
status: ReviewStatus, 
/**
 * Why it was rejected.
 */
rejection_reason: string | null, 
/**
 * Verified purchase or experience.
 */
verified: boolean, 
/**
 * How it came.
 */
source: ReviewSource, 
/**
 * The company's reply.
 */
reply: Reply | null, 
/**
 * How many times the company flagged it.
 */
flags: number, };

export type ReviewQuery = { 
/**
 * Stars to keep, comma-separated (`1,2`).
 */
stars: string | null, 
/**
 * Status.
 */
status: ReviewStatus | null, 
/**
 * `true`: answered only; `false`: waiting for an answer only.
 */
answered: boolean | null, 
/**
 * Submitted on or after (`YYYY-MM-DD`).
 */
from: string | null, 
/**
 * Submitted on or before (`YYYY-MM-DD`).
 */
to: string | null, 
/**
 * One establishment's reviews only (all of them when absent).
 */
establishment?: string, 
/**
 * Full-text search (accents and case ignored).
 */
q: string | null, 
/**
 * Where the previous page ended (from [`ReviewPage::next_cursor`]).
 */
cursor: string | null, 
/**
 * Page size (default 50, at most [`MAX_PAGE`]).
 */
limit: number | null, };

export type ReviewPage = { 
/**
 * The reviews.
 */
items: Array<Review>, 
/**
 * The cursor of the next page, if there is one.
 */
next_cursor: string | null, 
/**
 * How many reviews match the filters.
 */
total: number, };

export type MonthPoint = { 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Reviews submitted that month.
 */
count: number, 
/**
 * Their average rating (None without reviews).
 */
average: number | null, };

export type Summary = { 
/**
 * Period start (`YYYY-MM-DD`, included).
 */
from: string, 
/**
 * Period end (`YYYY-MM-DD`, included).
 */
to: string, 
/**
 * Average rating of all published reviews (None without reviews).
 */
average: number | null, 
/**
 * All published reviews.
 */
count: number, 
/**
 * Published reviews by stars: index 0 is 1 star … index 4 is 5 stars.
 */
distribution: Array<number>, 
/**
 * Reviews submitted in the period.
 */
new_reviews: number, 
/**
 * Reviews submitted in the period just before, as long.
 */
previous_new_reviews: number, 
/**
 * Change in percent against the previous period (None when it had none).
 */
change_percent: number | null, 
/**
 * Average rating of the reviews submitted in the period and published (None without
 * any).
 */
period_average: number | null, 
/**
 * The same for the period just before, as long.
 */
previous_average: number | null, 
/**
 * The last 12 months.
 */
monthly: Array<MonthPoint>, 
/**
 * Share of published reviews with a reply, in percent.
 */
response_rate: number | null, 
/**
 * Median time to the reply, in hours.
 */
median_response_hours: number | null, 
/**
 * Published reviews without a reply.
 */
awaiting_answer: number, };

export type PointStatus = "passed" | "partial" | "failed" | "pending";

export type TrustPoint = { 
/**
 * `legal_information`, `ssl`, `after_sales`, `payment_delivery`, `marketplace`,
 * `online_presence`.
 */
key: string, 
/**
 * Its name, in the request's language.
 */
label: string, 
/**
 * State.
 */
status: PointStatus, 
/**
 * What it means, in the request's language.
 */
explanation: string, };

export type TrustIndex = { 
/**
 * Score in percent (0–100).
 */
score: number, 
/**
 * The control points.
 */
points: Array<TrustPoint>, };

export type EventKind = "review_created" | "review_updated";

export type ReviewEvent = { 
/**
 * Position in the feed (ask for events after it).
 */
seq: number, 
/**
 * Kind.
 */
kind: EventKind, 
/**
 * The review.
 */
review: Review, };

export type EventPage = { 
/**
 * Events after `after`, oldest first.
 */
events: Array<ReviewEvent>, 
/**
 * The newest position: ask for events after it next time.
 */
last_seq: number, };

export type DashboardSnapshot = { 
/**
 * The figures.
 */
summary: Summary | null, 
/**
 * The trust index.
 */
trust: TrustIndex | null, 
/**
 * The company's name, the dashboard's title.
 */
company_name: string | null, };

export type LastKnownDashboard = { 
/**
 * The account it belongs to.
 */
session: SessionView, 
/**
 * Its figures, as last shown.
 */
snapshot: DashboardSnapshot, };

export type NotificationChoice = "all" | "low_ratings" | "none";

export type AppPreferences = { 
/**
 * Which new reviews raise a desktop notification.
 */
notifications: NotificationChoice, 
/**
 * An icon in the system tray; closing the window then keeps the app running.
 */
tray: boolean, 
/**
 * Started at login (the OS's autostart entry exists).
 */
autostart: boolean, 
/**
 * Light, dark, or the OS's choice.
 */
theme: Theme, };

export type NewInvitation = { 
/**
 * The customer's name, as the mail greets them (1 to 100 characters).
 */
name: string, 
/**
 * The customer's e-mail.
 */
email: string, 
/**
 * The order or booking reference, if any (at most 100 characters).
 */
order_ref: string | null, 
/**
 * The date of the experience (`YYYY-MM-DD`, not in the future), if known.
 */
experience_date: string | null, 
/**
 * The customer's language (`fr` or `en`; default `fr`): the mail's and the form's.
 */
language: string | null, };

export type InvitationOutcome = "sent" | "already_invited" | "unsubscribed" | "duplicate";

export type InvitationResult = { 
/**
 * The customer's e-mail, as sent.
 */
email: string, 
/**
 * What became of it.
 */
outcome: InvitationOutcome, 
/**
 * The invitation's id, when it was sent.
 */
id: string | null, };

export type InvitationsSent = { 
/**
 * The results.
 */
results: Array<InvitationResult>, 
/**
 * How many were mailed.
 */
sent: number, };

export type LineProblemCode = "missing_name" | "invalid_email" | "no_consent" | "duplicate" | "already_invited" | "unsubscribed" | "invalid_date" | "too_long";

export type LineProblem = { 
/**
 * Matched by programs.
 */
code: LineProblemCode, 
/**
 * For people.
 */
message: string, };

export type CsvCustomer = { 
/**
 * The name (first and last name columns joined).
 */
name: string, 
/**
 * The e-mail.
 */
email: string, 
/**
 * The order reference, if any.
 */
order_ref: string | null, 
/**
 * The date of the experience (`YYYY-MM-DD` once read), if any.
 */
experience_date: string | null, 
/**
 * `fr` or `en`, when a language column says so.
 */
language: string | null, };

export type CsvLine = { 
/**
 * Its line number in the file (the header is line 1).
 */
line: number, 
/**
 * The customer, as read (a line with a problem may hold anything).
 */
customer: CsvCustomer, 
/**
 * What stops it from being sent, if anything.
 */
problem: LineProblem | null, };

export type CsvPreview = { 
/**
 * The lines (the header left out; empty lines skipped).
 */
lines: Array<CsvLine>, 
/**
 * The separator found (`;` or `,`).
 */
separator: string, 
/**
 * The encoding found (`utf-8` or `windows-1252`).
 */
encoding: string, 
/**
 * How many lines can be sent.
 */
ready: number, };

export type InvitationState = "sent" | "opened" | "reviewed" | "refused" | "unsubscribed";

export type Invitation = { 
/**
 * Id.
 */
id: string, 
/**
 * The customer's name.
 */
name: string, 
/**
 * The customer's e-mail.
 */
email: string, 
/**
 * The order reference, if any.
 */
order_ref: string | null, 
/**
 * The date of the experience, if given.
 */
experience_date: string | null, 
/**
 * Where it stands.
 */
state: InvitationState, 
/**
 * Sent (RFC 3339).
 */
sent_at: string, 
/**
 * The form first opened (RFC 3339), if it was.
 */
opened_at: string | null, 
/**
 * The review written (RFC 3339), if it was.
 */
reviewed_at: string | null, 
/**
 * The review's id, once written.
 */
review_id: string | null, 
/**
 * The establishment the customer is asked about.
 */
establishment_id: string, };

export type InvitationQuery = { 
/**
 * Where the previous page ended (from [`InvitationPage::next_cursor`]).
 */
cursor: string | null, 
/**
 * Page size (default 50, at most 200).
 */
limit: number | null, 
/**
 * Only this establishment's invitations (absent: every one the session sees).
 */
establishment?: string, };

export type EstablishmentQuery = { 
/**
 * One establishment (its id). Absent: for the summary, every one the session sees;
 * for the review link, the main one.
 */
establishment?: string, };

export type InvitationPage = { 
/**
 * The invitations.
 */
items: Array<Invitation>, 
/**
 * The cursor of the next page, if there is one.
 */
next_cursor: string | null, };

export type InvitationSummary = { 
/**
 * Sent.
 */
sent: number, 
/**
 * Of those, the form opened (reviewed ones included).
 */
opened: number, 
/**
 * Of those, reviewed.
 */
reviewed: number, 
/**
 * Of those, refused by the customer's mail server.
 */
refused: number, 
/**
 * Of those, unsubscribed.
 */
unsubscribed: number, 
/**
 * Share of the invitations sent that were reviewed, in percent (None when none was sent).
 */
response_rate: number | null, 
/**
 * Invitations the company may still send today.
 */
left_today: number, };

export type ReviewLink = { 
/**
 * The form's address.
 */
url: string, 
/**
 * Its QR code, as an SVG document.
 */
qr_svg: string, };

export type QrFormat = "png" | "svg";

export type TicketAuthor = "customer" | "support";

export type AlertSettings = { 
/**
 * A mail for each new review with at most this many stars (1–5); none when null.
 */
max_rating: number | null, 
/**
 * A mail every Monday morning: the week's new reviews, their average, the reviews
 * still unanswered.
 */
weekly_digest: boolean, };

export type TicketMessage = { 
/**
 * Who wrote it.
 */
author: TicketAuthor, 
/**
 * The text.
 */
body: string, 
/**
 * When (RFC 3339).
 */
created_at: string, };

export type Establishment = { 
/**
 * Id.
 */
id: string, 
/**
 * Name (as customers know it).
 */
name: string, 
/**
 * Street address.
 */
address: string | null, 
/**
 * Postal code.
 */
postal_code: string | null, 
/**
 * City.
 */
city: string | null, 
/**
 * Closed: its reviews stay, read-only.
 */
closed: boolean, 
/**
 * The company's first establishment (made with it).
 */
main: boolean, 
/**
 * Published reviews.
 */
reviews: number, 
/**
 * Their average rating.
 */
average: number | null, 
/**
 * Share of them answered, in percent (None without reviews): with the average, the
 * review-based side of the trust index, per establishment.
 */
response_rate: number | null, };

export type EstablishmentBody = { 
/**
 * Name.
 */
name: string, 
/**
 * Street address.
 */
address: string | null, 
/**
 * Postal code (French, 5 digits).
 */
postal_code: string | null, 
/**
 * City.
 */
city: string | null, 
/**
 * Closed (PUT only; a new establishment is open).
 */
closed: boolean, };

export type Role = "owner" | "manager" | "reader";

export type Abilities = { 
/**
 * Reply to reviews and flag them.
 */
answer: boolean, 
/**
 * Invite customers.
 */
invite_customers: boolean, 
/**
 * Change reply templates.
 */
edit_templates: boolean, 
/**
 * Change the company's details.
 */
edit_company: boolean, 
/**
 * Manage the team.
 */
manage_team: boolean, 
/**
 * See the contract and ask for deletion.
 */
contract: boolean, };

export type CompanyChoice = { 
/**
 * Its id.
 */
company_id: string, 
/**
 * Its name.
 */
name: string, 
/**
 * The person's role there.
 */
role: Role, };

export type Member = { 
/**
 * The person's id.
 */
user_id: string, 
/**
 * First and last name, when given.
 */
name: string | null, 
/**
 * E-mail.
 */
email: string, 
/**
 * Role.
 */
role: Role, 
/**
 * Last use of the app for this company (RFC 3339), if ever.
 */
last_active_at: string | null, 
/**
 * Member since (RFC 3339).
 */
joined_at: string, 
/**
 * The establishments they see, by id; empty: all of them (always, for an owner).
 */
establishments: Array<string>, };

export type MemberInvitation = { 
/**
 * Id.
 */
id: string, 
/**
 * E-mail invited.
 */
email: string, 
/**
 * Role offered.
 */
role: Role, 
/**
 * Last sent (RFC 3339).
 */
sent_at: string, 
/**
 * Expires (RFC 3339).
 */
expires_at: string, 
/**
 * Whether it has expired (the owner may send it again).
 */
expired: boolean, 
/**
 * The establishments offered, by id; empty: all of them.
 */
establishments: Array<string>, };

export type Team = { 
/**
 * Members, owners first, then by name.
 */
members: Array<Member>, 
/**
 * Invitations neither accepted nor withdrawn, newest first.
 */
invitations: Array<MemberInvitation>, };

export type Topic = "accueil" | "prix" | "delai" | "qualite";

export type ReplyTemplate = { 
/**
 * Id.
 */
id: string, 
/**
 * The owner's name for it ("Merci, avis positif").
 */
name: string, 
/**
 * Its text, with fields: `{prénom}`, `{entreprise}`, `{date}` (or `{first_name}`,
 * `{company}`).
 */
body: string, 
/**
 * The language it is written in (`fr` or `en`): suggestions use templates in the
 * review's language.
 */
language: string, 
/**
 * The lowest rating it suits (1–5).
 */
min_rating: number, 
/**
 * The highest rating it suits (1–5).
 */
max_rating: number, 
/**
 * When set, the template is one sentence about this topic, added to the suggested
 * reply of a review that mentions it; when not, it is a whole reply.
 */
topic: Topic | null, };

export type TemplateBody = { 
/**
 * Its name (1 to 80 characters).
 */
name: string, 
/**
 * Its text (1 to 4,096 characters).
 */
body: string, 
/**
 * `fr` or `en`.
 */
language: string, 
/**
 * The lowest rating it suits (1–5, default 1).
 */
min_rating: number, 
/**
 * The highest rating it suits (1–5, default 5, not below `min_rating`).
 */
max_rating: number, 
/**
 * A topic sentence rather than a whole reply.
 */
topic: Topic | null, };

export type Suggestion = { 
/**
 * The reply, fields filled in: to be edited or confirmed by the owner.
 */
text: string, 
/**
 * The whole-reply template it starts from.
 */
template_name: string, 
/**
 * The topics recognised in the review, each of which added its sentence.
 */
topics: Array<Topic>, };

export type TopicRule = { 
/**
 * The topic.
 */
topic: Topic, 
/**
 * Word beginnings, without accents ("accueil" also finds "accueillante").
 */
words: Array<string>, };
