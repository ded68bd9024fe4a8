//! Support tickets: sent logged out (login problems) or logged in, answered within 48 hours.
//! A user only ever sees their own tickets. Admin commands list, answer (by mail) and close.

use axum::extract::{DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use econfiance_api::account::{
    Ticket, TicketAuthor, TicketBody, TicketCategory, TicketCreated, TicketMessage, TicketReplyBody,
};

use crate::auth::sessions::AuthSession;
use crate::clock::{paris_display, rfc3339};
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, ClientAddress};
use crate::mail;
use crate::validate::{Fields, FormError};
use crate::AppContext;

/// Support answers within this many seconds (48 hours).
pub const RESPONSE_SECONDS: i64 = 48 * 3600;
/// Largest diagnostics report accepted, in characters (the document's `maxLength`).
pub const MAX_DIAGNOSTICS_CHARS: usize = 64 * 1024;
/// The window of the per-address message cap (`Limits::tickets_per_address`): an hour.
pub const TICKET_WINDOW_SECONDS: i64 = 3600;

/// The tickets' route.
pub const TICKETS_PATH: &str = "/v1/support/tickets";

/// The body limit that fits the longest ticket: every text at its most characters, each
/// written as a JSON escape pair (12 bytes, the most one character takes in a JSON body).
pub const BODY_LIMIT: usize = 12 * (MAX_DIAGNOSTICS_CHARS + 5_000 + 200 + 254) + 4 * 1024;

/// Routes of this module, with their own body limit.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route(TICKETS_PATH, post(create).get(list))
        .route("/v1/support/tickets/{reference}/messages", post(follow_up))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// A session when the request carries a bearer token (which must then be valid); none
/// when it carries no Authorization header.
pub struct OptionalAuth(pub Option<AuthSession>);

impl FromRequestParts<AppContext> for OptionalAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        ctx: &AppContext,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            AuthSession::from_request_parts(parts, ctx)
                .await
                .map(|a| OptionalAuth(Some(a)))
        } else {
            Ok(OptionalAuth(None))
        }
    }
}

fn new_reference() -> String {
    let code = crypto::random_login_code().replace('-', "");
    format!("EC-{code}")
}

/// Opens a ticket and sends the confirmation mail. Used by the API and by deletion requests.
#[allow(clippy::too_many_arguments)]
pub async fn open_ticket(
    ctx: &AppContext,
    user: Option<(&str, Option<&str>)>,
    contact_email: &str,
    category: TicketCategory,
    subject: &str,
    message: &str,
    diagnostics: Option<&str>,
    client: std::net::IpAddr,
    lang: Lang,
) -> Result<TicketCreated, ApiError> {
    let now = ctx.clock.now();
    let respond_by = now + RESPONSE_SECONDS;
    let reference = new_reference();
    // Stored only while the sender has sent fewer than `tickets_per_address` messages in the
    // hour, counted in the same statement (so concurrent sends cannot exceed it). The sender
    // is the account when signed in (colleagues behind one office address do not use up
    // each other's allowance), else the client address, for its messages sent signed out.
    // One such statement per sender at a time.
    let sender = match user {
        Some(u) => format!("support-cap:user:{}", u.0),
        None => format!("support-cap:client:{client}"),
    };
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &sender)
        .await
        .map_err(db(lang))?;
    let stored = sqlx::query(
        "INSERT INTO support_tickets (reference, user_id, company_id, contact_email, locale, category, subject, message, diagnostics, created_at, respond_by, client)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
         WHERE (SELECT COUNT(*) FROM support_tickets
                WHERE created_at > $13
                  AND CASE WHEN $2 IS NULL THEN user_id IS NULL AND client = $12 ELSE user_id = $2 END) < $14",
    )
    .bind(&reference)
    .bind(user.map(|u| u.0))
    .bind(user.and_then(|u| u.1))
    .bind(contact_email)
    .bind(lang.as_locale())
    .bind(category.as_str())
    .bind(subject)
    .bind(message)
    .bind(diagnostics)
    .bind(now)
    .bind(respond_by)
    .bind(client.to_string())
    .bind(now - TICKET_WINDOW_SECONDS)
    .bind(ctx.config.limits.tickets_per_address)
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    if stored.rows_affected() == 0 {
        tracing::warn!(client = %client, "support messages per address reached");
        // Another message fits once the oldest one counted leaves the window.
        let oldest: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(created_at) FROM support_tickets
             WHERE created_at > $1
               AND CASE WHEN $2 IS NULL THEN user_id IS NULL AND client = $3 ELSE user_id = $2 END",
        )
        .bind(now - TICKET_WINDOW_SECONDS)
        .bind(user.map(|u| u.0))
        .bind(client.to_string())
        .fetch_one(&ctx.db)
        .await
        .map_err(db(lang))?;
        let wait = oldest.map_or(TICKET_WINDOW_SECONDS, |t| t + TICKET_WINDOW_SECONDS - now);
        return Err(ApiError::rate_limited(lang, wait.max(1).unsigned_abs()));
    }
    // The ticket stands even if its confirmation cannot be queued: said in the logs.
    if let Err(e) = ctx
        .mailer
        .send(mail::ticket_confirmation_mail(
            lang,
            contact_email,
            &reference,
            subject,
            &paris_display(respond_by, lang == Lang::En),
        ))
        .await
    {
        tracing::error!(ticket = %reference, error = %e, "the ticket's confirmation was not queued");
    }
    tracing::info!(ticket = %reference, category = category.as_str(), logged_in = user.is_some(), "support ticket opened");
    Ok(TicketCreated {
        reference,
        respond_by: rfc3339(respond_by),
    })
}

#[utoipa::path(tag = "support", post, path = "/v1/support/tickets", request_body = TicketBody, security((), ("bearer" = [])),
    responses((status = 401, description = "`unauthorized`: an access token was given and is not valid (signed out, send none).", body = econfiance_api::ErrorBody), (status = 429, description = "`rate_limited`: too many requests or messages from this address (signed out) or this account (signed in); `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 201, body = TicketCreated), (status = 422, body = econfiance_api::account::ValidationErrorBody)))]
/// Contact support, logged in or not.
pub async fn create(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    OptionalAuth(auth): OptionalAuth,
    ApiJson(body): ApiJson<TicketBody>,
) -> Result<(StatusCode, Json<TicketCreated>), FormError> {
    let lang = match (&auth, body.locale.as_deref()) {
        (Some(a), _) => a.lang,
        (None, Some(l)) => Lang::from_locale(l),
        (None, None) => Lang::from_headers(&headers),
    };
    let mut f = Fields::default();
    let subject = f.text("subject", &body.subject, 200);
    let message = f.text("message", &body.message, 5000);
    if let Some(d) = &body.diagnostics {
        if d.chars().count() > MAX_DIAGNOSTICS_CHARS {
            f.error(
                "diagnostics",
                "too_large",
                "Le rapport de diagnostic est trop long (65 536 caractères au plus).",
                "The diagnostics report is too long (65,536 characters at most).",
            );
        }
    }
    let account: Option<(String, Option<String>, String)> = match &auth {
        Some(a) => Some(
            sqlx::query_as("SELECT id, $1 AS company_id, email FROM users WHERE id = $2")
                .bind(&a.company_id)
                .bind(&a.user_id)
                .fetch_one(&ctx.db)
                .await
                .map_err(db(lang))?,
        ),
        None => None,
    };
    // Signed in, no `contact_email` means the account's; a given one must be an address.
    let contact = match (&account, body.contact_email.as_deref()) {
        (_, Some(email)) if !email.trim().is_empty() => f.email("contact_email", email),
        (Some(_), Some(blank)) => f.email("contact_email", blank),
        (Some((_, _, email)), None) => email.clone(),
        (None, _) => {
            f.error(
                "contact_email",
                "required",
                "Indiquez l'adresse e-mail à laquelle le support doit vous répondre.",
                "Give the e-mail address where support should answer you.",
            );
            String::new()
        }
    };
    if auth.is_none() && body.category != TicketCategory::Connexion {
        f.error(
            "category",
            "login_required",
            "Sans être connecté, vous pouvez signaler un problème de connexion. Pour les autres demandes, connectez-vous d'abord.",
            "Without logging in, you can report a login problem. For other requests, log in first.",
        );
    }
    f.finish(lang)?;
    crate::ratelimit::check_email(&ctx, "support", &contact, client, lang).await?;
    let user = account
        .as_ref()
        .map(|(id, company, _)| (id.as_str(), company.as_deref()));
    let created = open_ticket(
        &ctx,
        user,
        &contact,
        body.category,
        &subject,
        &message,
        body.diagnostics.as_deref(),
        client,
        lang,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The tickets of one user, newest first.
pub async fn tickets_of(
    ctx: &AppContext,
    user_id: &str,
    lang: Lang,
) -> Result<Vec<Ticket>, ApiError> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, String, String, String, i64, i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT reference, category, subject, message, status, created_at, respond_by, answer, answered_at
         FROM support_tickets WHERE user_id = $1 ORDER BY created_at DESC, reference",
    )
    .bind(user_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let follow_ups: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT m.reference, m.author, m.body, m.created_at FROM support_messages m
         JOIN support_tickets t ON t.reference = m.reference
         WHERE t.user_id = $1 ORDER BY m.seq",
    )
    .bind(user_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    Ok(rows
        .into_iter()
        .map(
            |(
                reference,
                category,
                subject,
                message,
                status,
                created,
                respond_by,
                answer,
                answered_at,
            )| Ticket {
                reference,
                category: parse_category(&category),
                subject,
                status,
                created_at: rfc3339(created),
                respond_by: rfc3339(respond_by),
                answer,
                answered_at: answered_at.map(rfc3339),
                messages: vec![TicketMessage {
                    author: TicketAuthor::Customer,
                    body: message.clone(),
                    created_at: rfc3339(created),
                }],
                message,
            },
        )
        .map(|mut ticket| {
            ticket.messages.extend(
                follow_ups
                    .iter()
                    .filter(|(reference, ..)| *reference == ticket.reference)
                    .map(|(_, author, body, at)| TicketMessage {
                        author: if author == "support" {
                            TicketAuthor::Support
                        } else {
                            TicketAuthor::Customer
                        },
                        body: body.clone(),
                        created_at: rfc3339(*at),
                    }),
            );
            ticket
        })
        .collect())
}

fn parse_category(text: &str) -> TicketCategory {
    match text {
        "connexion" => TicketCategory::Connexion,
        "bug" => TicketCategory::Bug,
        "facturation" => TicketCategory::Facturation,
        "suppression_compte" => TicketCategory::SuppressionCompte,
        _ => TicketCategory::Autre,
    }
}

#[utoipa::path(tag = "support", get, path = "/v1/support/tickets", security(("bearer" = [])), responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 200, body = Vec<Ticket>)))]
/// The user's own tickets, their status and answers.
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Vec<Ticket>>, ApiError> {
    tickets_of(&ctx, &auth.user_id, auth.lang).await.map(Json)
}

#[utoipa::path(tag = "support", post, path = "/v1/support/tickets/{reference}/messages", request_body = TicketReplyBody,
    params(("reference" = String, Path, description = "The ticket's reference")), security(("bearer" = [])),
    responses((status = 200, body = Ticket),
        (status = 409, description = "`ticket_closed`: the ticket is closed; open a new one.", body = econfiance_api::ErrorBody),
        (status = 422, body = econfiance_api::account::ValidationErrorBody),
        (status = 429, description = "`rate_limited`: this account sent its support messages for the hour; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody)))]
/// Adds the owner's message to one of their open tickets: it is open again, answered
/// within 48 hours. Another user's ticket is "not found".
pub async fn follow_up(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    axum::extract::Path(reference): axum::extract::Path<String>,
    ApiJson(body): ApiJson<TicketReplyBody>,
) -> Result<Json<Ticket>, FormError> {
    let lang = auth.lang;
    let mut f = Fields::default();
    let message = f.text("message", &body.message, 5000);
    f.finish(lang)?;
    let now = ctx.clock.now();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("support-cap:user:{}", auth.user_id))
        .await
        .map_err(db(lang))?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM support_tickets WHERE reference = $1 AND user_id = $2",
    )
    .bind(&reference)
    .bind(&auth.user_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db(lang))?;
    match status.as_deref() {
        None => return Err(ApiError::not_found(lang).into()),
        Some("closed") => return Err(ApiError::ticket_closed(lang).into()),
        Some(_) => {}
    }
    // The account's messages of the hour, new tickets and follow-ups together.
    let sent: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM support_tickets WHERE user_id = $1 AND created_at > $2)
              + (SELECT COUNT(*) FROM support_messages m JOIN support_tickets t ON t.reference = m.reference
                 WHERE t.user_id = $1 AND m.author = 'customer' AND m.created_at > $2)",
    )
    .bind(&auth.user_id)
    .bind(now - TICKET_WINDOW_SECONDS)
    .fetch_one(&mut *tx)
    .await
    .map_err(db(lang))?;
    if sent >= ctx.config.limits.tickets_per_address {
        return Err(ApiError::rate_limited(lang, TICKET_WINDOW_SECONDS.unsigned_abs()).into());
    }
    sqlx::query(
        "INSERT INTO support_messages (reference, author, body, created_at) VALUES ($1, 'customer', $2, $3)",
    )
    .bind(&reference)
    .bind(&message)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    sqlx::query("UPDATE support_tickets SET status = 'open', respond_by = $1 WHERE reference = $2")
        .bind(now + RESPONSE_SECONDS)
        .bind(&reference)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    tracing::info!(ticket = %reference, "support ticket followed up");
    let tickets = tickets_of(&ctx, &auth.user_id, lang).await?;
    let ticket = tickets
        .into_iter()
        .find(|t| t.reference == reference)
        .ok_or_else(|| ApiError::not_found(lang))?;
    Ok(Json(ticket))
}

/// Admin: a ticket's conversation, oldest first: (author, text, time).
pub async fn admin_conversation(
    pool: &crate::db::Pool,
    reference: &str,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT author, body, created_at FROM (
             SELECT 'customer' AS author, message AS body, created_at, 0 AS seq FROM support_tickets WHERE reference = $1
             UNION ALL
             SELECT author, body, created_at, seq FROM support_messages WHERE reference = $1
         ) conversation ORDER BY seq",
    )
    .bind(reference)
    .fetch_all(pool)
    .await
}

/// Admin: every ticket (reference, status, category, contact, subject), newest first.
pub async fn admin_list(
    pool: &crate::db::Pool,
) -> Result<Vec<(String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT reference, status, category, contact_email, subject FROM support_tickets ORDER BY created_at DESC")
        .fetch_all(pool)
        .await
}
