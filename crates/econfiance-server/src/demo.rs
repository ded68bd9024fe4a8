//! Demo booking ("Demander une démo"): the free 30-minute slots of the next ten business
//! days, and booking one — at most once, even under concurrent requests (a unique index
//! decides) — with a confirmation mail carrying an .ics invitation.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use econfiance_api::account::{DemoBooked, DemoDay, DemoRequestBody, DemoSlot, DemoSlots};

use crate::calendar::{self, SLOT_MINUTES};
use crate::clock::{paris_display, rfc3339};
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, ClientAddress};
use crate::mail;
use crate::validate::{Fields, FormError};
use crate::AppContext;

/// The window of the per-address booking cap (`Limits::demos_per_address`): a day.
pub const BOOKING_WINDOW_SECONDS: i64 = 24 * 3600;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/demo/slots", get(slots))
        .route("/v1/demo/requests", post(book))
}

async fn taken(ctx: &AppContext, from: i64, to: i64) -> Result<HashSet<i64>, sqlx::Error> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT slot_start FROM demo_requests WHERE slot_start BETWEEN $1 AND $2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&ctx.db)
    .await?;
    Ok(rows.into_iter().collect())
}

#[utoipa::path(tag = "demo", get, path = "/v1/demo/slots", responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 200, body = DemoSlots)))]
/// The free demo slots.
pub async fn slots(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
) -> Result<Json<DemoSlots>, ApiError> {
    let lang = Lang::from_headers(&headers);
    let offered = calendar::offered_slots(ctx.clock.now());
    let (from, to) = bounds(&offered);
    let taken = taken(&ctx, from, to).await.map_err(db(lang))?;
    let days = offered
        .into_iter()
        .map(|(date, starts)| DemoDay {
            date: date.to_string(),
            slots: starts
                .into_iter()
                .filter(|s| !taken.contains(s))
                .map(|s| DemoSlot {
                    start: rfc3339(s),
                    time_paris: calendar::paris_hhmm(s),
                })
                .collect(),
        })
        .collect();
    Ok(Json(DemoSlots {
        slot_minutes: SLOT_MINUTES,
        days,
    }))
}

fn bounds(offered: &[(jiff::civil::Date, Vec<i64>)]) -> (i64, i64) {
    let all = offered.iter().flat_map(|(_, s)| s.iter().copied());
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for s in all {
        lo = lo.min(s);
        hi = hi.max(s);
    }
    (lo, hi)
}

#[utoipa::path(tag = "demo", post, path = "/v1/demo/requests", request_body = DemoRequestBody,
    responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 201, body = DemoBooked), (status = 409, body = econfiance_api::ErrorBody),
        (status = 422, body = econfiance_api::account::ValidationErrorBody)))]
/// Book a demo.
pub async fn book(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<DemoRequestBody>,
) -> Result<(StatusCode, Json<DemoBooked>), FormError> {
    let lang = body
        .locale
        .as_deref()
        .map(Lang::from_locale)
        .unwrap_or_else(|| Lang::from_headers(&headers));
    let mut f = Fields::default();
    let name = f.text("name", &body.name, 100);
    let company = f.text("company", &body.company, 200);
    let email = f.email("email", &body.email);
    let phone = f.phone("phone", &body.phone);
    let message = f.optional_text("message", body.message.as_deref(), 2000);
    let now = ctx.clock.now();
    let offered: HashSet<i64> = calendar::offered_slots(now)
        .into_iter()
        .flat_map(|(_, s)| s)
        .collect();
    let slot = jiff::Timestamp::from_str_rfc3339(&body.slot_start).filter(|s| offered.contains(s));
    if slot.is_none() {
        f.error(
            "slot_start",
            "slot_unavailable",
            "Ce créneau n'est pas proposé. Choisissez un créneau dans la liste.",
            "This slot is not offered. Choose a slot from the list.",
        );
    }
    f.finish(lang)?;
    let Some(slot) = slot else {
        return Err(ApiError::invalid(lang, "Créneau invalide.", "Invalid slot.").into());
    };
    crate::ratelimit::check_email(&ctx, "demo", &email, client, lang).await?;
    let id = crypto::random_id("dm");
    // Stored only while this address has booked fewer than `demos_per_address` demos in
    // a day, counted in the same statement, one statement per address at a time (so
    // concurrent bookings cannot exceed it).
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("demo-cap:{client}"))
        .await
        .map_err(db(lang))?;
    let inserted = sqlx::query(
        "INSERT INTO demo_requests (id, name, company, email, phone, slot_start, message, locale, created_at, client)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
         WHERE (SELECT COUNT(*) FROM demo_requests WHERE client = $11 AND created_at > $12) < $13",
    )
    .bind(&id)
    .bind(&name)
    .bind(&company)
    .bind(&email)
    .bind(&phone)
    .bind(slot)
    .bind(&message)
    .bind(lang.as_locale())
    .bind(now)
    .bind(client.to_string())
    .bind(client.to_string())
    .bind(now - BOOKING_WINDOW_SECONDS)
    .bind(ctx.config.limits.demos_per_address)
    .execute(&mut *tx)
    .await;
    let inserted = match inserted {
        Ok(done) => tx.commit().await.map(|()| done),
        Err(e) => Err(e),
    };
    match inserted {
        Ok(done) if done.rows_affected() == 0 => {
            tracing::warn!(client = %client, "demo bookings per address reached");
            // Another booking fits once the oldest one counted leaves the window.
            let oldest: Option<i64> = sqlx::query_scalar(
                "SELECT MIN(created_at) FROM demo_requests WHERE client = $1 AND created_at > $2",
            )
            .bind(client.to_string())
            .bind(now - BOOKING_WINDOW_SECONDS)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
            let wait = oldest.map_or(BOOKING_WINDOW_SECONDS, |t| t + BOOKING_WINDOW_SECONDS - now);
            return Err(ApiError::rate_limited(lang, wait.max(1).unsigned_abs()).into());
        }
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(ApiError::slot_taken(lang).into())
        }
        Err(e) => return Err(ApiError::internal(lang, e).into()),
    }
    let end = slot + SLOT_MINUTES * 60;
    let when = paris_display(slot, lang == Lang::En);
    let ics = invitation(&id, &name, &email, slot, end, now);
    // The booking stands even if its confirmation cannot be queued: said in the logs.
    if let Err(e) = ctx
        .mailer
        .send(mail::demo_confirmation_mail(
            lang, &email, &name, &when, ics,
        ))
        .await
    {
        tracing::error!(demo = %id, error = %e, "the demo's confirmation was not queued");
    }
    tracing::info!(demo = %id, "demo booked");
    Ok((
        StatusCode::CREATED,
        Json(DemoBooked {
            id,
            slot_start: rfc3339(slot),
            slot_end: rfc3339(end),
        }),
    ))
}

trait FromRfc3339 {
    fn from_str_rfc3339(text: &str) -> Option<i64>;
}

impl FromRfc3339 for jiff::Timestamp {
    fn from_str_rfc3339(text: &str) -> Option<i64> {
        text.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
    }
}

/// An iCalendar (RFC 5545) invitation for the demo.
pub fn invitation(id: &str, name: &str, email: &str, start: i64, end: i64, now: i64) -> String {
    let stamp = |unix: i64| {
        jiff::Timestamp::from_second(unix)
            .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
            .unwrap_or_default()
    };
    let cn: String = name
        .chars()
        .filter(|c| !matches!(c, '"' | ';' | ':' | ',') && !c.is_control())
        .collect();
    let email_clean: String = email.chars().filter(|c| !c.is_control()).collect();
    [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//e-confiance//Plateforme//FR".to_owned(),
        "METHOD:REQUEST".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{id}@e-confiance.fr"),
        format!("DTSTAMP:{}", stamp(now)),
        format!("DTSTART:{}", stamp(start)),
        format!("DTEND:{}", stamp(end)),
        format!("SUMMARY:{}", ics_text("Démonstration e-confiance")),
        format!("DESCRIPTION:{}", ics_text("Présentation de la plateforme d'avis clients e-confiance, par téléphone ou visioconférence.")),
        "ORGANIZER;CN=e-confiance:mailto:demo@e-confiance.fr".to_owned(),
        format!("ATTENDEE;CN=\"{cn}\";RSVP=TRUE:mailto:{email_clean}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ]
    .join("\r\n")
        + "\r\n"
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_is_valid_icalendar_with_utc_times() {
        let ics = invitation(
            "dm_x",
            "Marie \"Boss\"; Dupont",
            "marie@exemple.fr",
            1_795_766_400,
            1_795_768_200,
            1_795_700_000,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20261127T080000Z\r\n"));
        assert!(ics.contains("DTEND:20261127T083000Z\r\n"));
        assert!(ics.contains("ATTENDEE;CN=\"Marie Boss Dupont\";RSVP=TRUE:mailto:marie@exemple.fr"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }
}
