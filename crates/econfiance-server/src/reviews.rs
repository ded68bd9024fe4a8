//! The review inbox of the logged-in user's company: the list (filters, accent-folded
//! full-text search, cursor paging that stays stable while reviews arrive), one review,
//! the public reply (create, edit, delete), flags, the CSV export with the same filters,
//! and the events feed the app's notifications follow.
//!
//! Every query names the company of the session: a review of another company is "not
//! found", whatever id is guessed.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use econfiance_api::reviews::{
    EventKind, EventPage, FlagBody, Reply, ReplyBody, Review, ReviewEvent, ReviewPage, ReviewQuery,
    ReviewSource, ReviewStatus, MAX_PAGE, MAX_REPLY_BYTES,
};
use serde::Deserialize;
use sqlx::SqlitePool;

use crate::auth::sessions::AuthSession;
use crate::clock::rfc3339;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiJson;
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/reviews", get(list))
        .route("/v1/reviews/export.csv", get(export))
        .route("/v1/reviews/events", get(events))
        .route("/v1/reviews/{id}", get(one))
        .route(
            "/v1/reviews/{id}/reply",
            put(put_reply).delete(delete_reply),
        )
        .route("/v1/reviews/{id}/flags", post(flag))
}

/// The company of `user_id`.
pub async fn company_of(pool: &SqlitePool, user_id: &str, lang: Lang) -> Result<String, ApiError> {
    sqlx::query_scalar("SELECT company_id FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_one(pool)
        .await
        .map_err(db(lang))
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    id: String,
    rating: i64,
    title: String,
    body: String,
    language: String,
    author_name: String,
    experience_date: String,
    submitted_at: i64,
    published_at: Option<i64>,
    updated_at: Option<i64>,
    status: String,
    rejection_reason: Option<String>,
    verified: bool,
    source: String,
    reply_body: Option<String>,
    reply_created_at: Option<i64>,
    reply_updated_at: Option<i64>,
    flags: i64,
}

impl Row {
    fn into_review(self) -> Review {
        Review {
            id: self.id,
            rating: u8::try_from(self.rating.clamp(1, 5)).unwrap_or(1),
            title: self.title,
            body: self.body,
            language: self.language,
            author_name: self.author_name,
            experience_date: self.experience_date,
            submitted_at: rfc3339(self.submitted_at),
            published_at: self.published_at.map(rfc3339),
            updated_at: self.updated_at.map(rfc3339),
            status: match self.status.as_str() {
                "published" => ReviewStatus::Published,
                "rejected" => ReviewStatus::Rejected,
                _ => ReviewStatus::Pending,
            },
            rejection_reason: self.rejection_reason,
            verified: self.verified,
            source: match self.source.as_str() {
                "invitation" => ReviewSource::Invitation,
                "import" => ReviewSource::Import,
                _ => ReviewSource::Organic,
            },
            reply: self.reply_body.map(|body| Reply {
                body,
                created_at: self.reply_created_at.map(rfc3339).unwrap_or_default(),
                updated_at: self.reply_updated_at.map(rfc3339),
            }),
            flags: u32::try_from(self.flags).unwrap_or(0),
        }
    }
}

const COLUMNS: &str = "r.seq, r.id, r.rating, r.title, r.body, r.language, r.author_name, r.experience_date,
    r.submitted_at, r.published_at, r.updated_at, r.status, r.rejection_reason, r.verified, r.source,
    r.reply_body, r.reply_created_at, r.reply_updated_at,
    (SELECT COUNT(*) FROM review_flags f WHERE f.review_id = r.id) AS flags";

/// The filters, checked and ready to bind (None: no filter).
#[derive(Debug, Default)]
struct Filters {
    stars: Option<String>,
    status: Option<&'static str>,
    answered: Option<i64>,
    from: Option<i64>,
    until: Option<i64>,
    fts: Option<String>,
}

fn parse_filters(q: &ReviewQuery, lang: Lang) -> Result<Filters, ApiError> {
    let stars =
        match q.stars.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => {
                let mut list = String::from(",");
                for part in text.split(',') {
                    match part.trim().parse::<u8>() {
                        Ok(n @ 1..=5) => list.push_str(&format!("{n},")),
                        _ => return Err(ApiError::invalid(
                            lang,
                            "Le filtre d'étoiles doit être une liste de 1 à 5, par exemple 1,2.",
                            "The stars filter must be a list of 1 to 5, for example 1,2.",
                        )),
                    }
                }
                Some(list)
            }
        };
    let day = |text: &Option<String>, next: bool| -> Result<Option<i64>, ApiError> {
        match text.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(t) => paris_day_start(t, next).map(Some).ok_or_else(|| {
                ApiError::invalid(
                    lang,
                    "Les dates s'écrivent AAAA-MM-JJ, par exemple 2026-11-27.",
                    "Dates are written YYYY-MM-DD, for example 2026-11-27.",
                )
            }),
        }
    };
    Ok(Filters {
        stars,
        status: q.status.map(ReviewStatus::as_str),
        answered: q.answered.map(i64::from),
        from: day(&q.from, false)?,
        until: day(&q.to, true)?,
        fts: q.q.as_deref().and_then(fts_query),
    })
}

/// Start of a Paris day (or of the next one) as Unix seconds.
pub fn paris_day_start(date: &str, next: bool) -> Option<i64> {
    let mut day: jiff::civil::Date = date.parse().ok()?;
    if next {
        day = day.tomorrow().ok()?;
    }
    let zoned = day
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").ok()?)
        .ok()?;
    Some(zoned.timestamp().as_second())
}

/// What people type, as an FTS5 query: every word must appear (as a prefix), accents and
/// case ignored by the index's tokenizer. Quotes make any punctuation plain text.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

const WHERE: &str = "r.company_id = ?1
    AND (?2 IS NULL OR instr(?2, ',' || r.rating || ',') > 0)
    AND (?3 IS NULL OR r.status = ?3)
    AND (?4 IS NULL OR (?4 = 1 AND r.reply_body IS NOT NULL) OR (?4 = 0 AND r.reply_body IS NULL))
    AND (?5 IS NULL OR r.submitted_at >= ?5)
    AND (?6 IS NULL OR r.submitted_at < ?6)
    AND (?7 IS NULL OR r.seq IN (SELECT rowid FROM reviews_fts WHERE reviews_fts MATCH ?7))";

fn cursor_of(row: &Row) -> String {
    format!("{}_{}", row.submitted_at, row.seq)
}

fn parse_cursor(text: &str) -> Option<(i64, i64)> {
    let (a, b) = text.split_once('_')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

async fn fetch(
    pool: &SqlitePool,
    company: &str,
    f: &Filters,
    cursor: Option<(i64, i64)>,
    limit: Option<u32>,
) -> Result<Vec<Row>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reviews r WHERE {WHERE}
         AND (?8 IS NULL OR r.submitted_at < ?8 OR (r.submitted_at = ?8 AND r.seq < ?9))
         ORDER BY r.submitted_at DESC, r.seq DESC LIMIT ?10"
    );
    // The text is built from constants only; every value is bound.
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
        .bind(company)
        .bind(f.stars.as_deref())
        .bind(f.status)
        .bind(f.answered)
        .bind(f.from)
        .bind(f.until)
        .bind(f.fts.as_deref())
        .bind(cursor.map(|c| c.0))
        .bind(cursor.map(|c| c.1))
        .bind(limit.map(i64::from).unwrap_or(-1))
        .fetch_all(pool)
        .await
}

async fn count(pool: &SqlitePool, company: &str, f: &Filters) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM reviews r WHERE {WHERE}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(company)
        .bind(f.stars.as_deref())
        .bind(f.status)
        .bind(f.answered)
        .bind(f.from)
        .bind(f.until)
        .bind(f.fts.as_deref())
        .fetch_one(pool)
        .await
}

#[utoipa::path(get, path = "/v1/reviews", params(ReviewQuery), security(("bearer" = [])),
    responses((status = 200, body = ReviewPage), (status = 400, body = econfiance_api::ErrorBody)))]
/// The company's reviews, newest first, filtered and paged.
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Query(q): Query<ReviewQuery>,
) -> Result<Json<ReviewPage>, ApiError> {
    let lang = auth.lang;
    let company = company_of(&ctx.db, &auth.user_id, lang).await?;
    let filters = parse_filters(&q, lang)?;
    let cursor = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(parse_cursor(c).ok_or_else(|| {
            ApiError::invalid(
                lang,
                "Position de page invalide : rechargez la liste.",
                "Invalid page position: reload the list.",
            )
        })?),
    };
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let mut rows = fetch(&ctx.db, &company, &filters, cursor, Some(limit + 1))
        .await
        .map_err(db(lang))?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(cursor_of)
    } else {
        None
    };
    let total = count(&ctx.db, &company, &filters).await.map_err(db(lang))?;
    Ok(Json(ReviewPage {
        items: rows.into_iter().map(Row::into_review).collect(),
        next_cursor,
        total: u64::try_from(total).unwrap_or(0),
    }))
}

async fn load(pool: &SqlitePool, company: &str, id: &str, lang: Lang) -> Result<Review, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM reviews r WHERE r.id = ? AND r.company_id = ?");
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(company)
        .fetch_optional(pool)
        .await
        .map_err(db(lang))?
        .map(Row::into_review)
        .ok_or_else(|| ApiError::not_found(lang))
}

#[utoipa::path(get, path = "/v1/reviews/{id}", security(("bearer" = [])),
    responses((status = 200, body = Review), (status = 404, body = econfiance_api::ErrorBody)))]
/// One review of the company.
pub async fn one(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<Json<Review>, ApiError> {
    let company = company_of(&ctx.db, &auth.user_id, auth.lang).await?;
    load(&ctx.db, &company, &id, auth.lang).await.map(Json)
}

/// A reply's text, checked: 1 to 4096 bytes, no control characters but line breaks.
fn valid_reply(text: &str, lang: Lang) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(
            lang,
            "La réponse est vide.",
            "The reply is empty.",
        ));
    }
    if text.len() > MAX_REPLY_BYTES {
        return Err(ApiError::invalid(
            lang,
            &format!("La réponse est trop longue ({} octets, {MAX_REPLY_BYTES} au plus) : raccourcissez-la.", text.len()),
            &format!("The reply is too long ({} bytes, {MAX_REPLY_BYTES} at most): shorten it.", text.len()),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ApiError::invalid(
            lang,
            "La réponse contient des caractères non autorisés.",
            "The reply contains characters that are not allowed.",
        ));
    }
    Ok(text.to_owned())
}

#[utoipa::path(put, path = "/v1/reviews/{id}/reply", request_body = ReplyBody, security(("bearer" = [])),
    responses((status = 200, body = Review), (status = 400, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody)))]
/// Writes or edits the company's public reply.
pub async fn put_reply(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<Json<Review>, ApiError> {
    let lang = auth.lang;
    let text = valid_reply(&body.body, lang)?;
    let company = company_of(&ctx.db, &auth.user_id, lang).await?;
    let now = ctx.clock.now();
    let done = sqlx::query(
        "UPDATE reviews SET reply_body = ?,
             reply_updated_at = CASE WHEN reply_created_at IS NULL THEN NULL ELSE ? END,
             reply_created_at = COALESCE(reply_created_at, ?)
         WHERE id = ? AND company_id = ?",
    )
    .bind(&text)
    .bind(now)
    .bind(now)
    .bind(&id)
    .bind(&company)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(lang));
    }
    tracing::info!(review = %id, "reply saved");
    load(&ctx.db, &company, &id, lang).await.map(Json)
}

#[utoipa::path(delete, path = "/v1/reviews/{id}/reply", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = econfiance_api::ErrorBody)))]
/// Deletes the company's reply.
pub async fn delete_reply(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    let company = company_of(&ctx.db, &auth.user_id, lang).await?;
    let done = sqlx::query(
        "UPDATE reviews SET reply_body = NULL, reply_created_at = NULL, reply_updated_at = NULL
         WHERE id = ? AND company_id = ?",
    )
    .bind(&id)
    .bind(&company)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(lang));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/reviews/{id}/flags", request_body = FlagBody, security(("bearer" = [])),
    responses((status = 204), (status = 400, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody)))]
/// Flags a review for the moderators, with a reason.
pub async fn flag(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FlagBody>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::invalid(
            lang,
            "Expliquez en quelques mots pourquoi vous signalez cet avis (500 caractères au plus).",
            "Explain in a few words why you flag this review (500 characters at most).",
        ));
    }
    let company = company_of(&ctx.db, &auth.user_id, lang).await?;
    load(&ctx.db, &company, &id, lang).await?;
    sqlx::query(
        "INSERT INTO review_flags (review_id, company_id, user_id, reason, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&company)
    .bind(&auth.user_id)
    .bind(reason)
    .bind(ctx.clock.now())
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    tracing::info!(review = %id, "review flagged");
    Ok(StatusCode::NO_CONTENT)
}

/// One CSV cell: quoted, quotes doubled, and text that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return first) made inert with a `'`.
pub fn csv_cell(text: &str) -> String {
    let inert = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", inert.replace('"', "\"\""))
}

fn paris_date(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .ok()
        .and_then(|t| t.in_tz("Europe/Paris").ok())
        .map(|z| z.strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

#[utoipa::path(get, path = "/v1/reviews/export.csv", params(ReviewQuery), security(("bearer" = [])),
    responses((status = 200, description = "CSV, UTF-8 with BOM, `;`-separated", content_type = "text/csv")))]
/// The filtered reviews as a CSV file that Excel opens as it is.
pub async fn export(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, ApiError> {
    let lang = auth.lang;
    let company = company_of(&ctx.db, &auth.user_id, lang).await?;
    let filters = parse_filters(&q, lang)?;
    let rows = fetch(&ctx.db, &company, &filters, None, None)
        .await
        .map_err(db(lang))?;
    let header = match lang {
        Lang::Fr => [
            "Date de soumission",
            "Date de l'expérience",
            "Date de publication",
            "Note",
            "Titre",
            "Avis",
            "Auteur",
            "Statut",
            "Motif du refus",
            "Vérifié",
            "Source",
            "Réponse",
            "Date de la réponse",
        ],
        Lang::En => [
            "Submitted",
            "Experience date",
            "Published",
            "Rating",
            "Title",
            "Review",
            "Author",
            "Status",
            "Rejection reason",
            "Verified",
            "Source",
            "Reply",
            "Replied",
        ],
    };
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.map(csv_cell).join(";"));
    out.push_str("\r\n");
    for r in rows {
        let cells = [
            paris_date(r.submitted_at),
            r.experience_date.clone(),
            r.published_at.map(paris_date).unwrap_or_default(),
            r.rating.to_string(),
            r.title.clone(),
            r.body.clone(),
            r.author_name.clone(),
            r.status.clone(),
            r.rejection_reason.clone().unwrap_or_default(),
            if r.verified {
                lang.pick("oui", "yes")
            } else {
                lang.pick("non", "no")
            },
            r.source.clone(),
            r.reply_body.clone().unwrap_or_default(),
            r.reply_created_at.map(paris_date).unwrap_or_default(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"avis-e-confiance.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// Query of the events feed.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EventsQuery {
    /// Events after this position; absent: none, just the newest position.
    after: Option<i64>,
}

#[utoipa::path(get, path = "/v1/reviews/events", params(EventsQuery), security(("bearer" = [])),
    responses((status = 200, body = EventPage)))]
/// New and updated reviews since `after` (at most 100), for notifications.
pub async fn events(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Query(q): Query<EventsQuery>,
) -> Result<Json<EventPage>, ApiError> {
    let lang = auth.lang;
    let company = company_of(&ctx.db, &auth.user_id, lang).await?;
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM review_events WHERE company_id = ?")
            .bind(&company)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
    let last_seq = last.unwrap_or(0);
    let Some(after) = q.after else {
        return Ok(Json(EventPage {
            events: Vec::new(),
            last_seq,
        }));
    };
    let found: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT seq, kind, review_id FROM review_events WHERE company_id = ? AND seq > ? ORDER BY seq LIMIT 100",
    )
    .bind(&company)
    .bind(after)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let mut events = Vec::with_capacity(found.len());
    let mut seen = after;
    for (seq, kind, review_id) in found {
        seen = seq;
        if let Ok(review) = load(&ctx.db, &company, &review_id, lang).await {
            events.push(ReviewEvent {
                seq,
                kind: if kind == "review_updated" {
                    EventKind::ReviewUpdated
                } else {
                    EventKind::ReviewCreated
                },
                review,
            });
        }
    }
    Ok(Json(EventPage {
        events,
        last_seq: if seen > after {
            seen
        } else {
            last_seq.max(after)
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_made_inert() {
        assert_eq!(csv_cell("Très bien"), "\"Très bien\"");
        assert_eq!(csv_cell("Il a dit \"bof\""), "\"Il a dit \"\"bof\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+33 6"), "\"'+33 6\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("-2"), "\"'-2\"");
        assert_eq!(csv_cell("a;b\nc"), "\"a;b\nc\"");
    }

    #[test]
    fn search_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("pain"), Some("\"pain\"*".into()));
        assert_eq!(
            fts_query("crème brûlée"),
            Some("\"crème\"* \"brûlée\"*".into())
        );
        assert_eq!(
            fts_query("a\" OR 1=1 --"),
            Some("\"a\"* \"OR\"* \"1\"* \"1\"*".into())
        );
    }

    #[test]
    fn paris_days_start_at_local_midnight() {
        // 27/11/2026 00:00 in Paris is 23:00 UTC the day before.
        assert_eq!(paris_day_start("2026-11-27", false), Some(1_795_734_000));
        assert_eq!(paris_day_start("2026-11-27", true), Some(1_795_820_400));
        assert_eq!(paris_day_start("27/11/2026", false), None);
    }
}
