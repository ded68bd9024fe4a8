//! What a session sees of its company: every establishment, or, for a member limited to
//! some (`member_establishments`), those only. Every query of reviews, customer
//! invitations and review links adds [`visible`], so that a limited member's reviews,
//! export, dashboard, events feed, invitations and links hold nothing of the others.

use crate::auth::sessions::AuthSession;
use crate::db::Tx;
use crate::error::{db, ApiError};
use crate::AppContext;

/// SQL: `column` (an establishment id) is one the session sees. `$param` binds
/// [`AuthSession::limited_to`]: the limited member's id, or NULL for everyone else.
pub fn visible(column: &str, param: u8) -> String {
    format!(
        "(${param} IS NULL OR {column} IN \
         (SELECT me.establishment_id FROM member_establishments me WHERE me.user_id = ${param}))"
    )
}

/// Whether `user_id` is limited to some establishments of `company_id`.
pub async fn is_limited(
    pool: &crate::db::Pool,
    company_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM member_establishments WHERE company_id = $1 AND user_id = $2",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// `Ok(closed)` when `establishment_id` is one of the session's company that it sees;
/// 404 otherwise (another company's, or one the member is not given).
pub async fn establishment(
    ctx: &AppContext,
    auth: &AuthSession,
    establishment_id: &str,
) -> Result<bool, ApiError> {
    let closed: Option<Option<i64>> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT e.closed_at FROM establishments e WHERE e.id = $1 AND e.company_id = $2 AND {}",
        visible("e.id", 3)
    )))
    .bind(establishment_id)
    .bind(&auth.company_id)
    .bind(auth.limited_to())
    .fetch_optional(&ctx.db)
    .await
    .map_err(db(auth.lang))?;
    closed
        .map(|c| c.is_some())
        .ok_or_else(|| ApiError::not_found(auth.lang))
}

/// The establishments `user_id` is limited to in `company_id`, by name (none: all).
pub async fn of_member(
    tx: &mut Tx<'_>,
    company_id: &str,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT me.establishment_id FROM member_establishments me
         JOIN establishments e ON e.id = me.establishment_id
         WHERE me.company_id = $1 AND me.user_id = $2 ORDER BY e.name, e.id",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await
}

/// Limits `user_id` in `company_id` to `establishments` (none: every one), in `tx`.
pub async fn set_member(
    tx: &mut Tx<'_>,
    company_id: &str,
    user_id: &str,
    establishments: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM member_establishments WHERE company_id = $1 AND user_id = $2")
        .bind(company_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for id in establishments {
        sqlx::query(
            "INSERT INTO member_establishments (company_id, user_id, establishment_id) VALUES ($1, $2, $3)",
        )
        .bind(company_id)
        .bind(user_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
