//! A review as stored: the columns every query reads, their conversion to the API's
//! [`Review`], and one review of a company by id.

use crate::db::Pool;
use econfiance_api::reviews::{Reply, Review, ReviewSource, ReviewStatus};

use crate::auth::sessions::AuthSession;
use crate::clock::rfc3339;
use crate::error::{db, ApiError};

/// A review's row, with its reply and its number of flags ([`COLUMNS`]).
#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub(super) seq: i64,
    pub(super) id: String,
    pub(super) rating: i64,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) language: String,
    pub(super) author_name: String,
    pub(super) experience_date: String,
    pub(super) submitted_at: i64,
    pub(super) published_at: Option<i64>,
    pub(super) updated_at: Option<i64>,
    pub(super) status: String,
    pub(super) rejection_reason: Option<String>,
    /// 1 or 0 (a portable boolean: SQLite has none).
    pub(super) verified: i64,
    pub(super) source: String,
    pub(super) reply_body: Option<String>,
    pub(super) reply_created_at: Option<i64>,
    pub(super) reply_updated_at: Option<i64>,
    /// Who wrote the reply last: their name, else their e-mail.
    pub(super) reply_author: Option<String>,
    pub(super) flags: i64,
}

impl Row {
    pub(super) fn into_review(self) -> Review {
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
            verified: self.verified != 0,
            source: match self.source.as_str() {
                "invitation" => ReviewSource::Invitation,
                "import" => ReviewSource::Import,
                _ => ReviewSource::Organic,
            },
            reply: self.reply_body.map(|body| Reply {
                body,
                created_at: self.reply_created_at.map(rfc3339).unwrap_or_default(),
                updated_at: self.reply_updated_at.map(rfc3339),
                author: self.reply_author,
            }),
            flags: u32::try_from(self.flags).unwrap_or(0),
        }
    }
}

/// The columns of a [`Row`], from `reviews r`.
pub(super) const COLUMNS: &str = "r.seq, r.id, r.rating, r.title, r.body, r.language, r.author_name, r.experience_date,
    r.submitted_at, r.published_at, r.updated_at, r.status, r.rejection_reason, r.verified, r.source,
    r.reply_body, r.reply_created_at, r.reply_updated_at,
    (SELECT COALESCE(NULLIF(TRIM(COALESCE(a.first_name, '') || ' ' || COALESCE(a.last_name, '')), ''), a.email)
     FROM users a WHERE a.id = r.reply_author_id) AS reply_author,
    (SELECT COUNT(*) FROM review_flags f WHERE f.review_id = r.id) AS flags";

/// One review the session sees; "not found" for another company's, or for one of an
/// establishment a limited member is not given.
pub(super) async fn load(pool: &Pool, auth: &AuthSession, id: &str) -> Result<Review, ApiError> {
    let lang = auth.lang;
    let sql = format!(
        "SELECT {COLUMNS} FROM reviews r WHERE r.id = $1 AND r.company_id = $2 AND {}",
        crate::scope::visible("r.establishment_id", 3)
    );
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(&auth.company_id)
        .bind(auth.limited_to())
        .fetch_optional(pool)
        .await
        .map_err(db(lang))?
        .map(Row::into_review)
        .ok_or_else(|| ApiError::not_found(lang))
}
