//! Asking customers for reviews. The company invites customers (one, or a CSV checked
//! line by line first); the platform mails each a personal link to the public review form
//! ([`form`]), at most once per e-mail and order in 30 days and never after they asked the
//! company to stop; each invitation's state (sent, opened, reviewed, refused by the mail
//! server, unsubscribed) is kept for the app. The company also has a shareable link to the
//! same form, with its QR code ([`link`]); reviews through it are not marked verified.
//!
//! - `csv_file`: reading a CSV of customers (encodings, separators, column names);
//! - [`form`]: the public pages (review form, unsubscribe), limited per client address;
//! - [`link`]: the shareable link and its QR code (SVG, PNG).
//!
//! Limits: invitations per company in 24 hours (`Limits::invitations_per_day`, counted and
//! stored in one transaction serialised per company), forms per client address
//! (`Limits::review_forms_per_address`), reviews through a shared link per company per day
//! ([`form::LINK_REVIEWS_PER_DAY`]).

use std::collections::HashSet;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Method;
use axum::routing::{get, post};
use axum::{Json, Router};
use econfiance_api::invitations::{
    CsvLine, CsvPreview, EstablishmentQuery, Invitation, InvitationOutcome, InvitationPage,
    InvitationQuery, InvitationResult, InvitationState, InvitationSummary, InvitationsBody,
    InvitationsSent, LineProblem, LineProblemCode, NewInvitation, INVITATION_DAYS, MAX_BATCH,
    MAX_CSV_BYTES,
};

use crate::auth::sessions::AuthSession;
use crate::calendar::paris_today;
use crate::clock::rfc3339;
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, ApiQuery};
use crate::validate::{Fields, FormError};
use crate::AppContext;
use econfiance_api::team::Action;

mod csv_file;
pub mod form;
pub mod link;

pub use csv_file::{decode, parse_date, read as read_csv, FileProblem, ReadFile};

/// The path of the invitations.
pub const INVITATIONS_PATH: &str = "/v1/invitations";
/// The path of the CSV check.
pub const CSV_PATH: &str = "/v1/invitations/csv";
/// The most bytes of a `POST /v1/invitations`: [`MAX_BATCH`] customers at their longest,
/// in plain characters (the app sends them so).
pub const BATCH_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The most bytes of a CSV sent for checking.
pub const CSV_BODY_LIMIT: usize = MAX_CSV_BYTES;
/// Seconds an invitation's link works, and during which its e-mail and order get no other.
pub const INVITATION_SECONDS: i64 = INVITATION_DAYS * 86_400;
/// The window of the company's invitation cap: 24 hours.
const DAY_SECONDS: i64 = 86_400;

/// Routes of the signed-in API.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route(
            INVITATIONS_PATH,
            post(send)
                .get(list)
                .layer(DefaultBodyLimit::max(BATCH_BODY_LIMIT)),
        )
        .route(
            CSV_PATH,
            post(check_csv).layer(DefaultBodyLimit::max(CSV_BODY_LIMIT)),
        )
        .route("/v1/invitations/summary", get(summary))
        .route("/v1/review-link", get(link::review_link))
        .route("/v1/review-link/qr.svg", get(link::qr_svg))
        .route("/v1/review-link/qr.png", get(link::qr_png))
}

/// The body limit of `method path` when it is one of this module's larger ones.
pub fn body_limit(method: &Method, path: &str) -> Option<usize> {
    match (method, path) {
        (&Method::POST, INVITATIONS_PATH) => Some(BATCH_BODY_LIMIT),
        (&Method::POST, CSV_PATH) => Some(CSV_BODY_LIMIT),
        _ => None,
    }
}

/// A customer checked: what is stored and mailed.
#[derive(Debug, Clone)]
struct Customer {
    name: String,
    email: String,
    order_ref: String,
    experience_date: Option<String>,
    lang: Lang,
}

/// Checks each customer as the form fields they are (`customers[3].email`…).
fn check_customers(
    customers: &[NewInvitation],
    today: jiff::civil::Date,
    lang: Lang,
) -> Result<Vec<Customer>, FormError> {
    let mut f = Fields::default();
    if customers.is_empty() || customers.len() > MAX_BATCH {
        f.error(
            "customers",
            "count",
            &format!("Invitez entre 1 et {MAX_BATCH} clients à la fois."),
            &format!("Invite between 1 and {MAX_BATCH} customers at once."),
        );
    }
    let mut checked = Vec::with_capacity(customers.len());
    for (i, c) in customers.iter().enumerate() {
        let field = |name: &str| format!("customers[{i}].{name}");
        let name = f.text(&field("name"), &c.name, 100);
        // A name is one line (it greets the customer in the mail).
        if c.name.contains(['\r', '\n']) {
            f.error(
                &field("name"),
                "invalid",
                "Le nom du client tient sur une ligne : retirez les retours à la ligne.",
                "The customer's name fits on one line: remove the line breaks.",
            );
        }
        let email = f.email(&field("email"), &c.email).to_lowercase();
        let order_ref = f
            .optional_text(&field("order_ref"), c.order_ref.as_deref(), 100)
            .unwrap_or_default();
        let experience_date = match c.experience_date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match parse_date(raw).filter(|d| *d <= today) {
                Some(date) => Some(date.to_string()),
                None => {
                    f.error(
                        &field("experience_date"),
                        "invalid_date",
                        "La date de l'expérience doit être une date passée, par exemple 28/11/2026.",
                        "The date of the experience must be a past date, for example 2026-11-28.",
                    );
                    None
                }
            },
        };
        let lang = match c.language.as_deref() {
            None | Some("fr") => Lang::Fr,
            Some("en") => Lang::En,
            Some(_) => {
                f.error(
                    &field("language"),
                    "invalid_language",
                    "La langue du client doit être « fr » ou « en ».",
                    "The customer's language must be \"fr\" or \"en\".",
                );
                Lang::Fr
            }
        };
        checked.push(Customer {
            name,
            email,
            order_ref,
            experience_date,
            lang,
        });
    }
    f.finish(lang)?;
    Ok(checked)
}

/// Why a customer would not be mailed now, in the company's history: unsubscribed, or
/// invited for the same order in the last 30 days.
async fn history_outcome(
    conn: &mut sqlx::AnyConnection,
    company: &str,
    email: &str,
    order_ref: &str,
    now: i64,
) -> Result<Option<InvitationOutcome>, sqlx::Error> {
    let unsubscribed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitation_unsubscribes WHERE company_id = $1 AND email = $2",
    )
    .bind(company)
    .bind(email)
    .fetch_one(&mut *conn)
    .await?;
    if unsubscribed > 0 {
        return Ok(Some(InvitationOutcome::Unsubscribed));
    }
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations
         WHERE company_id = $1 AND email = $2 AND order_ref = $3 AND created_at > $4",
    )
    .bind(company)
    .bind(email)
    .bind(order_ref)
    .bind(now - INVITATION_SECONDS)
    .fetch_one(&mut *conn)
    .await?;
    Ok((recent > 0).then_some(InvitationOutcome::AlreadyInvited))
}

/// The name customers know an establishment by (the company's, for its main one).
async fn establishment_name(
    ctx: &AppContext,
    establishment: &str,
    lang: Lang,
) -> Result<String, ApiError> {
    sqlx::query_scalar(
        "SELECT CASE WHEN e.id = 'et_' || c.id THEN c.name ELSE e.name END
         FROM establishments e JOIN companies c ON c.id = e.company_id WHERE e.id = $1",
    )
    .bind(establishment)
    .fetch_one(&ctx.db)
    .await
    .map_err(db(lang))
}

/// The establishment customers are asked about: the one named, else the main one; one the
/// session sees (404 otherwise) and open (409 when closed). A member limited to some
/// establishments names one.
pub async fn target_establishment(
    ctx: &AppContext,
    auth: &AuthSession,
    named: Option<&str>,
) -> Result<String, ApiError> {
    let lang = auth.lang;
    if named.is_some_and(|e| e.chars().count() > crate::reviews::MAX_ESTABLISHMENT_ID) {
        return Err(crate::reviews::bad_establishment(lang));
    }
    let id = match named {
        Some(id) => id.to_owned(),
        None if auth.limited => {
            return Err(ApiError::invalid(
                lang,
                "Choisissez l'établissement pour lequel vous invitez ces clients.",
                "Choose the establishment you invite these customers for.",
            ))
        }
        None => crate::establishments::main_of(&auth.company_id),
    };
    if crate::scope::establishment(ctx, auth, &id).await? {
        return Err(ApiError::establishment_closed(lang));
    }
    Ok(id)
}

#[utoipa::path(tag = "invitations", post, path = "/v1/invitations", request_body = InvitationsBody, security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody), (status = 200, body = InvitationsSent), (status = 422, body = econfiance_api::account::ValidationErrorBody),
        (status = 400, description = "`invalid_request`: a member limited to some establishments named none.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: the establishment is not the company's, or not one the member is given.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`establishment_closed`: the establishment is closed.", body = econfiance_api::ErrorBody),
        (status = 429, description = "`rate_limited`: the company's invitations for the last 24 hours would pass its limit; the message says how many are left.", body = econfiance_api::ErrorBody)))]
/// Invites customers to write a review: each is mailed a personal link to the review form,
/// unless invited for the same order in the last 30 days or unsubscribed (said per
/// customer). Nothing is sent when a customer's details are wrong (422, every error).
pub async fn send(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<InvitationsBody>,
) -> Result<Json<InvitationsSent>, FormError> {
    let lang = auth.lang;
    auth.require(Action::InviteCustomers)?;
    let now = ctx.clock.now();
    let customers = check_customers(&body.customers, paris_today(now), lang)?;
    let company = auth.company_id.clone();
    let establishment = target_establishment(&ctx, &auth, body.establishment.as_deref()).await?;
    let company_label = establishment_name(&ctx, &establishment, lang).await?;

    // Counted and stored in one transaction, one per company at a time: two sendings at
    // once cannot pass the cap together.
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("invitations:{company}"))
        .await
        .map_err(db(lang))?;
    let today_count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE company_id = $1 AND created_at > $2",
    )
    .bind(&company)
    .bind(now - DAY_SECONDS)
    .fetch_one(&mut *tx)
    .await
    .map_err(db(lang))?;
    let cap = ctx.config.limits.invitations_per_day;
    let left = (cap - today_count).max(0);

    let mut results = Vec::with_capacity(customers.len());
    let mut to_mail = Vec::new();
    let mut seen = HashSet::new();
    for c in &customers {
        let outcome = if !seen.insert((c.email.clone(), c.order_ref.clone())) {
            Some(InvitationOutcome::Duplicate)
        } else {
            history_outcome(&mut tx, &company, &c.email, &c.order_ref, now)
                .await
                .map_err(db(lang))?
        };
        if outcome.is_none() {
            to_mail.push(c);
        }
        results.push((c.email.clone(), outcome));
    }
    let asked = i64::try_from(to_mail.len()).unwrap_or(i64::MAX);
    if asked > left {
        // Enough room once the (asked - left) oldest of the window have left it; never,
        // for a list longer than the whole allowance.
        let wait = if asked > cap {
            DAY_SECONDS
        } else {
            let freeing: Option<i64> = sqlx::query_scalar(
                "SELECT created_at FROM invitations WHERE company_id = $1 AND created_at > $2
                 ORDER BY created_at LIMIT 1 OFFSET $3",
            )
            .bind(&company)
            .bind(now - DAY_SECONDS)
            .bind(asked - left - 1)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db(lang))?;
            freeing.map_or(DAY_SECONDS, |t| t + DAY_SECONDS - now)
        }
        .max(1);
        drop(tx);
        let message = match lang {
            Lang::Fr => format!("Votre entreprise peut envoyer {cap} invitations par période de 24 heures : il en reste {left} pour le moment, et cette liste en compte {asked}. Envoyez-en au plus {left}, ou réessayez plus tard."),
            Lang::En => format!("Your company may send {cap} invitations per 24 hours: {left} are left for now, and this list holds {asked}. Send {left} at most, or try again later."),
        };
        return Err(ApiError::rate_limited(lang, wait.unsigned_abs())
            .with_message(message)
            .into());
    }

    // Each invitation and its mail are stored together: an invitation is never left
    // without its mail.
    let mut ids = Vec::with_capacity(to_mail.len());
    for c in &to_mail {
        let id = crypto::random_id("iv");
        let token = crypto::random_token::<24>();
        sqlx::query(
            "INSERT INTO invitations (id, company_id, email, customer_name, order_ref, experience_date, locale, token_digest, created_at, expires_at, establishment_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(&company)
        .bind(&c.email)
        .bind(&c.name)
        .bind(&c.order_ref)
        .bind(c.experience_date.as_deref())
        .bind(c.lang.as_locale())
        .bind(form::token_digest(&ctx, &token))
        .bind(now)
        .bind(now + INVITATION_SECONDS)
        .bind(&establishment)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
        let mail = crate::mail::invitation_mail(
            c.lang,
            &c.email,
            &c.name,
            &company_label,
            &form::form_url(&ctx, &token),
            &form::unsubscribe_url(&ctx, &token),
        );
        ctx.mailer
            .send_invitation_in(
                &mut tx,
                mail,
                &id,
                Duration::from_secs(INVITATION_SECONDS.unsigned_abs()),
            )
            .await
            .map_err(|e| ApiError::internal(lang, format!("invitation mail: {e}")))?;
        ids.push(id);
    }
    tx.commit().await.map_err(db(lang))?;
    ctx.mailer.wake();
    let mut sent_ids = ids.into_iter();
    let results: Vec<InvitationResult> = results
        .into_iter()
        .map(|(email, outcome)| InvitationResult {
            email,
            outcome: outcome.unwrap_or(InvitationOutcome::Sent),
            id: if outcome.is_none() {
                sent_ids.next()
            } else {
                None
            },
        })
        .collect();
    let sent = u32::try_from(to_mail.len()).unwrap_or(u32::MAX);
    tracing::info!(company = %company, sent, asked = customers.len(), "invitations sent");
    Ok(Json(InvitationsSent { results, sent }))
}

#[utoipa::path(tag = "invitations", post, path = "/v1/invitations/csv",
    request_body(content = String, content_type = "application/octet-stream", description = "The CSV file's bytes, as read (UTF-8 with or without BOM, or Windows-1252; `;` or `,`)."),
    security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody), (status = 200, body = CsvPreview), (status = 422, description = "`validation_failed` on `file`: the file cannot be read as a list of customers (no e-mail or name column, too many lines, not CSV).", body = econfiance_api::account::ValidationErrorBody)))]
/// Reads a CSV of customers and checks every line — the file's own problems, and the
/// company's history (already invited, unsubscribed) — without sending anything.
pub async fn check_csv(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    body: Bytes,
) -> Result<Json<CsvPreview>, FormError> {
    let lang = auth.lang;
    auth.require(Action::InviteCustomers)?;
    let now = ctx.clock.now();
    let file = match read_csv(&body, paris_today(now), lang) {
        Ok(file) => file,
        Err(problem) => {
            let mut f = Fields::default();
            let code = match problem {
                FileProblem::Empty => "empty",
                FileProblem::MissingColumn { .. } => "missing_column",
                FileProblem::TooManyLines(_) => "too_many_lines",
                FileProblem::Malformed(_) => "malformed",
            };
            f.error(
                "file",
                code,
                &problem.message(Lang::Fr),
                &problem.message(Lang::En),
            );
            return Err(match f.finish(lang) {
                Err(rejection) => rejection.into(),
                Ok(()) => ApiError::internal(lang, "a file problem without its field").into(),
            });
        }
    };
    let company = auth.company_id.clone();
    let mut conn = ctx.db.acquire().await.map_err(db(lang))?;
    let mut lines = Vec::with_capacity(file.lines.len());
    for (line, customer, problem) in file.lines {
        let problem = match problem {
            Some(p) => Some(p),
            None => {
                let email = customer.email.trim().to_lowercase();
                let order = customer.order_ref.clone().unwrap_or_default();
                history_outcome(&mut conn, &company, &email, &order, now)
                    .await
                    .map_err(db(lang))?
                    .map(|outcome| history_problem(outcome, lang))
            }
        };
        lines.push(CsvLine {
            line,
            customer,
            problem,
        });
    }
    let ready = lines.iter().filter(|l| l.problem.is_none()).count();
    Ok(Json(CsvPreview {
        lines,
        separator: file.separator.to_string(),
        encoding: file.encoding.to_owned(),
        ready: u32::try_from(ready).unwrap_or(u32::MAX),
    }))
}

fn history_problem(outcome: InvitationOutcome, lang: Lang) -> LineProblem {
    match outcome {
        InvitationOutcome::Unsubscribed => LineProblem {
            code: LineProblemCode::Unsubscribed,
            message: lang.pick(
                "Ce client a demandé à ne plus recevoir vos invitations : il ne sera pas sollicité.",
                "This customer asked not to receive your invitations: they will not be asked.",
            ),
        },
        _ => LineProblem {
            code: LineProblemCode::AlreadyInvited,
            message: lang.pick(
                "Ce client a déjà été invité pour cette commande il y a moins de 30 jours.",
                "This customer was already invited for this order less than 30 days ago.",
            ),
        },
    }
}

/// A stored invitation, as listed.
#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    id: String,
    customer_name: String,
    email: String,
    order_ref: String,
    experience_date: Option<String>,
    created_at: i64,
    opened_at: Option<i64>,
    reviewed_at: Option<i64>,
    review_id: Option<String>,
    refused_at: Option<i64>,
    unsubscribed_at: Option<i64>,
    establishment_id: Option<String>,
}

/// Where an invitation stands: a review outranks everything, then a stop, then a refusal.
fn state_of(row: &Row) -> InvitationState {
    if row.reviewed_at.is_some() {
        InvitationState::Reviewed
    } else if row.unsubscribed_at.is_some() {
        InvitationState::Unsubscribed
    } else if row.refused_at.is_some() {
        InvitationState::Refused
    } else if row.opened_at.is_some() {
        InvitationState::Opened
    } else {
        InvitationState::Sent
    }
}

#[utoipa::path(tag = "invitations", get, path = "/v1/invitations", params(InvitationQuery), security(("bearer" = [])),
    responses((status = 200, body = InvitationPage), (status = 400, body = econfiance_api::ErrorBody)))]
/// The invitations of the establishments the session sees (or of one), newest first, with
/// each one's state.
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<InvitationQuery>,
) -> Result<Json<InvitationPage>, ApiError> {
    let lang = auth.lang;
    if matches!(query.limit, Some(n) if !(1..=200).contains(&n)) {
        return Err(ApiError::invalid(
            lang,
            "Une page compte de 1 à 200 invitations.",
            "A page holds 1 to 200 invitations.",
        ));
    }
    let limit = i64::from(query.limit.unwrap_or(50));
    let before = match query.cursor.as_deref() {
        None | Some("") => i64::MAX,
        Some(c) => c.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::invalid(
                lang,
                "La page demandée n'existe pas. Rechargez la liste.",
                "The page asked for does not exist. Reload the list.",
            )
        })?,
    };
    if query
        .establishment
        .as_deref()
        .is_some_and(|e| e.chars().count() > crate::reviews::MAX_ESTABLISHMENT_ID)
    {
        return Err(crate::reviews::bad_establishment(lang));
    }
    let company = auth.company_id.clone();
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT seq, id, customer_name, email, order_ref, experience_date, created_at, opened_at,
                reviewed_at, review_id, refused_at, unsubscribed_at, establishment_id
         FROM invitations WHERE company_id = $1 AND seq < $2
           AND ($4 IS NULL OR establishment_id = $4) AND {}
         ORDER BY seq DESC LIMIT $3",
        crate::scope::visible("establishment_id", 5)
    )))
    .bind(&company)
    .bind(before)
    .bind(limit + 1)
    .bind(query.establishment.as_deref())
    .bind(auth.limited_to())
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let rows = &rows[..rows.len().min(usize::try_from(limit).unwrap_or(usize::MAX))];
    let next_cursor = more
        .then(|| rows.last().map(|r| r.seq.to_string()))
        .flatten();
    let items = rows
        .iter()
        .map(|r| Invitation {
            id: r.id.clone(),
            name: r.customer_name.clone(),
            email: r.email.clone(),
            order_ref: Some(r.order_ref.clone()).filter(|o| !o.is_empty()),
            experience_date: r.experience_date.clone(),
            state: state_of(r),
            sent_at: rfc3339(r.created_at),
            opened_at: r.opened_at.map(rfc3339),
            reviewed_at: r.reviewed_at.map(rfc3339),
            review_id: r.review_id.clone(),
            establishment_id: r.establishment_id.clone().unwrap_or_default(),
        })
        .collect();
    Ok(Json(InvitationPage { items, next_cursor }))
}

#[utoipa::path(tag = "invitations", get, path = "/v1/invitations/summary", params(EstablishmentQuery), security(("bearer" = [])),
    responses((status = 200, body = InvitationSummary), (status = 400, body = econfiance_api::ErrorBody)))]
/// The invitations sent in the last 30 days: how many were opened, reviewed, refused,
/// unsubscribed; the response rate; how many more may go today.
pub async fn summary(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<EstablishmentQuery>,
) -> Result<Json<InvitationSummary>, ApiError> {
    let lang = auth.lang;
    if query
        .establishment
        .as_deref()
        .is_some_and(|e| e.chars().count() > crate::reviews::MAX_ESTABLISHMENT_ID)
    {
        return Err(crate::reviews::bad_establishment(lang));
    }
    let now = ctx.clock.now();
    let company = auth.company_id.clone();
    let (sent, opened, reviewed, refused, unsubscribed): (i64, i64, i64, i64, i64) =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), COUNT(opened_at), COUNT(reviewed_at), COUNT(refused_at), COUNT(unsubscribed_at)
             FROM invitations WHERE company_id = $1 AND created_at > $2
               AND ($3 IS NULL OR establishment_id = $3) AND {}",
            crate::scope::visible("establishment_id", 4)
        )))
        .bind(&company)
        .bind(now - 30 * DAY_SECONDS)
        .bind(query.establishment.as_deref())
        .bind(auth.limited_to())
        .fetch_one(&ctx.db)
        .await
        .map_err(db(lang))?;
    let today: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE company_id = $1 AND created_at > $2",
    )
    .bind(&company)
    .bind(now - DAY_SECONDS)
    .fetch_one(&ctx.db)
    .await
    .map_err(db(lang))?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Json(InvitationSummary {
        sent: count(sent),
        opened: count(opened),
        reviewed: count(reviewed),
        refused: count(refused),
        unsubscribed: count(unsubscribed),
        response_rate: (sent > 0).then(|| reviewed as f64 * 100.0 / sent as f64),
        left_today: count((ctx.config.limits.invitations_per_day - today).max(0)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(email: &str) -> NewInvitation {
        NewInvitation {
            name: "Jo".into(),
            email: email.into(),
            order_ref: None,
            experience_date: None,
            language: None,
        }
    }

    #[test]
    fn every_wrong_customer_field_is_named_with_its_line() {
        let today = jiff::civil::date(2026, 12, 1);
        let mut late = customer("b@exemple.fr");
        late.experience_date = Some("2027-01-01".into());
        let mut odd = customer("c@exemple.fr");
        odd.language = Some("de".into());
        let err = check_customers(&[customer("pas-un-email"), late, odd], today, Lang::Fr)
            .expect_err("three errors");
        let body = format!("{err:?}");
        for field in [
            "customers[0].email",
            "customers[1].experience_date",
            "customers[2].language",
        ] {
            assert!(body.contains(field), "{field} in {body}");
        }
        let mut two_lines = customer("d@exemple.fr");
        two_lines.name = "Jo\nBcc: x@y.z".into();
        let err = check_customers(&[two_lines], today, Lang::Fr).expect_err("a line break");
        assert!(format!("{err:?}").contains("customers[0].name"));
        let ok = check_customers(&[customer(" Jo@Exemple.FR ")], today, Lang::Fr).expect("valid");
        assert_eq!(ok[0].email, "jo@exemple.fr");
        assert!(check_customers(&[], today, Lang::Fr).is_err());
    }

    #[test]
    fn the_state_shown_is_the_furthest_one() {
        let mut row = Row {
            seq: 1,
            id: "iv".into(),
            customer_name: "Jo".into(),
            email: "jo@exemple.fr".into(),
            order_ref: String::new(),
            experience_date: None,
            created_at: 1,
            opened_at: None,
            reviewed_at: None,
            review_id: None,
            refused_at: None,
            unsubscribed_at: None,
            establishment_id: None,
        };
        assert_eq!(state_of(&row), InvitationState::Sent);
        row.opened_at = Some(2);
        assert_eq!(state_of(&row), InvitationState::Opened);
        row.refused_at = Some(3);
        assert_eq!(state_of(&row), InvitationState::Refused);
        row.unsubscribed_at = Some(4);
        assert_eq!(state_of(&row), InvitationState::Unsubscribed);
        row.reviewed_at = Some(5);
        assert_eq!(state_of(&row), InvitationState::Reviewed);
    }
}
