//! The list of the company's reviews: filters, accent-folded full-text search and cursor
//! paging that stays stable while reviews arrive (`GET /v1/reviews`); the CSV export reads
//! with the same filters.
//!
//! Search runs on each engine's own index. SQLite's FTS5 (`unicode61 remove_diacritics`)
//! matches each typed word as a prefix of a word of the review, as written. PostgreSQL's
//! `fr_unaccent` configuration removes accents and then stems in French, so a typed word
//! also finds the other forms of its stem ("livraisons" finds "livraison", which SQLite's
//! prefix does not).

use axum::extract::State;
use axum::Json;
use econfiance_api::reviews::{ReviewPage, ReviewQuery, ReviewStatus, MAX_PAGE};

use super::row::{Row, COLUMNS};
use crate::auth::sessions::AuthSession;
use crate::db::{Dialect, Pool};
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiQuery;
use crate::AppContext;

/// The filters, checked and ready to bind (None: no filter).
#[derive(Debug, Default)]
pub(super) struct Filters {
    stars: Option<String>,
    status: Option<&'static str>,
    answered: Option<i64>,
    from: Option<i64>,
    until: Option<i64>,
    words: Vec<String>,
    establishment: Option<String>,
}

pub(super) fn parse_filters(q: &ReviewQuery, lang: Lang) -> Result<Filters, ApiError> {
    // Exactly the document's pattern, `^[1-5](,[1-5])*$`: no spaces, no empty list.
    let stars = match q.stars.as_deref() {
        None => None,
        Some(text) => {
            let parts: Vec<&str> = text.split(',').collect();
            if !parts
                .iter()
                .all(|p| matches!(*p, "1" | "2" | "3" | "4" | "5"))
            {
                return Err(ApiError::invalid(
                    lang,
                    "Le filtre d'étoiles doit être une liste de 1 à 5, par exemple 1,2.",
                    "The stars filter must be a list of 1 to 5, for example 1,2.",
                ));
            }
            Some(format!(",{},", parts.join(",")))
        }
    };
    let day = |text: &Option<String>, next: bool| -> Result<Option<i64>, ApiError> {
        match text.as_deref() {
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
    if q.establishment
        .as_deref()
        .is_some_and(|e| e.chars().count() > MAX_ESTABLISHMENT_ID)
    {
        return Err(bad_establishment(lang));
    }
    if matches!(q.limit, Some(n) if !(1..=MAX_PAGE).contains(&n)) {
        return Err(ApiError::invalid(
            lang,
            &format!("Une page compte de 1 à {MAX_PAGE} avis."),
            &format!("A page holds 1 to {MAX_PAGE} reviews."),
        ));
    }
    Ok(Filters {
        stars,
        status: q.status.map(ReviewStatus::as_str),
        answered: q.answered.map(i64::from),
        from: day(&q.from, false)?,
        until: day(&q.to, true)?,
        words: q.q.as_deref().map(search_words).unwrap_or_default(),
        establishment: q.establishment.clone(),
    })
}

/// An establishment id is at most this long (the document's `maxLength`).
pub const MAX_ESTABLISHMENT_ID: usize = 64;

/// 400 for an establishment filter that cannot be an id.
pub fn bad_establishment(lang: Lang) -> ApiError {
    ApiError::invalid(
        lang,
        "Cet établissement n'existe pas. Choisissez-en un dans la liste, ou « Tous les établissements ».",
        "This establishment does not exist. Choose one from the list, or \"All establishments\".",
    )
}

/// Start of a Paris day (or of the next one) as Unix seconds.
pub fn paris_day_start(date: &str, next: bool) -> Option<i64> {
    let mut day = crate::calendar::iso_date(date)?;
    if next {
        day = day.tomorrow().ok()?;
    }
    let zoned = day
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").ok()?)
        .ok()?;
    Some(zoned.timestamp().as_second())
}

/// The words of what people type (letters and digits only, at most 12).
pub fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_owned)
        .collect()
}

/// The search as the engine's query: every word must appear, as a prefix; accents and case
/// ignored by the index. SQLite: an FTS5 query whose quotes make any punctuation plain text.
/// PostgreSQL: a `tsquery` of quoted prefix lexemes joined by `&`.
pub fn fts_query(words: &[String], dialect: Dialect) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let quoted = words.iter().map(|w| match dialect {
        Dialect::Sqlite => format!("\"{}\"*", w.replace('"', "\"\"")),
        Dialect::Postgres => format!("'{}':*", w.replace('\\', "").replace('\'', "''")),
    });
    Some(match dialect {
        Dialect::Sqlite => quoted.collect::<Vec<_>>().join(" "),
        Dialect::Postgres => quoted.collect::<Vec<_>>().join(" & "),
    })
}

/// The filter of [`Filters`] as SQL, `$1`–`$9` (`$9`: [`AuthSession::limited_to`]); the search is each engine's own index.
fn where_clause(dialect: Dialect) -> String {
    let search = match dialect {
        Dialect::Sqlite => "r.seq IN (SELECT rowid FROM reviews_fts WHERE reviews_fts MATCH $7)",
        Dialect::Postgres => "r.search @@ to_tsquery('fr_unaccent', $7)",
    };
    format!("{WHERE}\n    AND ($7 IS NULL OR {search})")
}

const WHERE: &str = "r.company_id = $1
    AND ($2 IS NULL OR instr($2, ',' || r.rating || ',') > 0)
    AND ($3 IS NULL OR r.status = $3)
    AND ($4 IS NULL OR ($4 = 1 AND r.reply_body IS NOT NULL) OR ($4 = 0 AND r.reply_body IS NULL))
    AND ($5 IS NULL OR r.submitted_at >= $5)
    AND ($6 IS NULL OR r.submitted_at < $6)
    AND ($8 IS NULL OR r.establishment_id = $8)
    AND ($9 IS NULL OR r.establishment_id IN
        (SELECT me.establishment_id FROM member_establishments me WHERE me.user_id = $9))";

fn cursor_of(row: &Row) -> String {
    format!("{}_{}", row.submitted_at, row.seq)
}

fn parse_cursor(text: &str) -> Option<(i64, i64)> {
    let (a, b) = text.split_once('_')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

pub(super) async fn fetch(
    pool: &Pool,
    auth: &AuthSession,
    f: &Filters,
    cursor: Option<(i64, i64)>,
    limit: Option<u32>,
) -> Result<Vec<Row>, sqlx::Error> {
    let dialect = Dialect::of(pool);
    let sql = format!(
        "SELECT {COLUMNS} FROM reviews r WHERE {}
         AND ($10 IS NULL OR r.submitted_at < $10 OR (r.submitted_at = $10 AND r.seq < $11))
         ORDER BY r.submitted_at DESC, r.seq DESC LIMIT $12",
        where_clause(dialect)
    );
    // The text is built from constants only; every value is bound.
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
        .bind(&auth.company_id)
        .bind(f.stars.as_deref())
        .bind(f.status)
        .bind(f.answered)
        .bind(f.from)
        .bind(f.until)
        .bind(fts_query(&f.words, dialect))
        .bind(f.establishment.as_deref())
        .bind(auth.limited_to())
        .bind(cursor.map(|c| c.0))
        .bind(cursor.map(|c| c.1))
        .bind(limit.map(i64::from).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await
}

async fn count(pool: &Pool, auth: &AuthSession, f: &Filters) -> Result<i64, sqlx::Error> {
    let dialect = Dialect::of(pool);
    let sql = format!(
        "SELECT COUNT(*) FROM reviews r WHERE {}",
        where_clause(dialect)
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(&auth.company_id)
        .bind(f.stars.as_deref())
        .bind(f.status)
        .bind(f.answered)
        .bind(f.from)
        .bind(f.until)
        .bind(fts_query(&f.words, dialect))
        .bind(f.establishment.as_deref())
        .bind(auth.limited_to())
        .fetch_one(pool)
        .await
}

#[utoipa::path(tag = "reviews", get, path = "/v1/reviews", params(ReviewQuery), security(("bearer" = [])),
    responses((status = 200, body = ReviewPage), (status = 400, body = econfiance_api::ErrorBody)))]
/// The company's reviews, newest first, filtered and paged.
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> Result<Json<ReviewPage>, ApiError> {
    let lang = auth.lang;
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
    let limit = q.limit.unwrap_or(50);
    let mut rows = fetch(&ctx.db, &auth, &filters, cursor, Some(limit + 1))
        .await
        .map_err(db(lang))?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(cursor_of)
    } else {
        None
    };
    let total = count(&ctx.db, &auth, &filters).await.map_err(db(lang))?;
    Ok(Json(ReviewPage {
        items: rows.into_iter().map(Row::into_review).collect(),
        next_cursor,
        total: u64::try_from(total).unwrap_or(0),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_a_safe_prefix_query_on_each_engine() {
        let q = |text: &str, dialect| fts_query(&search_words(text), dialect);
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            assert_eq!(q("  ", dialect), None);
            assert_eq!(q("' \" \\ --", dialect), None);
        }
        assert_eq!(q("pain", Dialect::Sqlite), Some("\"pain\"*".into()));
        assert_eq!(q("pain", Dialect::Postgres), Some("'pain':*".into()));
        assert_eq!(
            q("crème brûlée", Dialect::Sqlite),
            Some("\"crème\"* \"brûlée\"*".into())
        );
        assert_eq!(
            q("crème brûlée", Dialect::Postgres),
            Some("'crème':* & 'brûlée':*".into())
        );
        assert_eq!(
            q("a\" OR 1=1 --", Dialect::Sqlite),
            Some("\"a\"* \"OR\"* \"1\"* \"1\"*".into())
        );
        assert_eq!(
            q("a' | !b:*", Dialect::Postgres),
            Some("'a':* & 'b':*".into())
        );
        assert_eq!(search_words(&"mot ".repeat(20)).len(), 12);
    }

    #[test]
    fn paris_days_start_at_local_midnight() {
        // 27/11/2026 00:00 in Paris is 23:00 UTC the day before.
        assert_eq!(paris_day_start("2026-11-27", false), Some(1_795_734_000));
        assert_eq!(paris_day_start("2026-11-27", true), Some(1_795_820_400));
        assert_eq!(paris_day_start("27/11/2026", false), None);
    }
}
