//! Bearer authentication, logout, and the user's own sessions (list, revoke).

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use econfiance_api::auth::SessionInfo;
use econfiance_api::team::{Action, Role};

use crate::clock::rfc3339;
use crate::error::{db, ApiError, Lang};
use crate::AppContext;

/// A request authenticated by a valid access token, acting for the session's company
/// with the person's role there.
#[derive(Debug, Clone)]
pub struct AuthSession {
    /// The session.
    pub session_id: String,
    /// Its user.
    pub user_id: String,
    /// The company the session acts for.
    pub company_id: String,
    /// The person's role in it.
    pub role: Role,
    /// Whether the person sees only some of the company's establishments
    /// (`crate::scope`).
    pub limited: bool,
    /// The request's language.
    pub lang: Lang,
}

impl AuthSession {
    /// `Ok` when the session's role may do `action`, else the 403 that says who may.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.role.may(action) {
            Ok(())
        } else {
            Err(ApiError::forbidden(self.lang, action))
        }
    }

    /// The id to bind to [`crate::scope::visible`]: the person's when limited to some
    /// establishments, none when they see every one.
    pub fn limited_to(&self) -> Option<&str> {
        self.limited.then_some(self.user_id.as_str())
    }
}

impl FromRequestParts<AppContext> for AuthSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        ctx: &AppContext,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(&parts.headers);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or_else(|| ApiError::unauthorized(lang))?;
        let now = ctx.clock.now();
        // A session whose person is no longer a member of its company (removed meanwhile)
        // authenticates nothing.
        let found: Option<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT s.id, s.user_id, s.company_id, m.role,
               (SELECT COUNT(*) FROM member_establishments me WHERE me.company_id = s.company_id AND me.user_id = s.user_id)
             FROM access_tokens a
             JOIN sessions s ON s.id = a.session_id
             JOIN memberships m ON m.company_id = s.company_id AND m.user_id = s.user_id
             WHERE a.digest = $1 AND a.expires_at > $2 AND s.revoked_at IS NULL AND s.expires_at > $3",
        )
        .bind(ctx.key.digest("access", &[token]))
        .bind(now)
        .bind(now)
        .fetch_optional(&ctx.db)
        .await
        .map_err(db(lang))?;
        let (session_id, user_id, company_id, role, limits) =
            found.ok_or_else(|| ApiError::unauthorized(lang))?;
        let role = Role::parse(&role).ok_or_else(|| ApiError::unauthorized(lang))?;
        sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&session_id)
            .execute(&ctx.db)
            .await
            .map_err(db(lang))?;
        Ok(AuthSession {
            session_id,
            user_id,
            company_id,
            role,
            limited: limits > 0,
            lang,
        })
    }
}

/// Revokes sessions: one by id (of `user_id`), or all of a user but `keep`.
pub async fn revoke_sessions(
    ctx: &AppContext,
    user_id: &str,
    only: Option<&str>,
    keep: Option<&str>,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    let now = ctx.clock.now();
    let mut tx = crate::db::begin(&ctx.db).await?;
    let revoked = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2
         WHERE user_id = $3 AND revoked_at IS NULL AND ($4 IS NULL OR id = $5) AND ($6 IS NULL OR id <> $7)",
    )
    .bind(now)
    .bind(reason)
    .bind(user_id)
    .bind(only)
    .bind(only)
    .bind(keep)
    .bind(keep)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "DELETE FROM access_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NOT NULL)",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(revoked)
}

#[utoipa::path(tag = "sessions", post, path = "/v1/auth/logout", security(("bearer" = [])),
    responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 204), (status = 401, body = econfiance_api::ErrorBody)))]
/// End the current session.
pub async fn logout(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<StatusCode, ApiError> {
    revoke_sessions(&ctx, &auth.user_id, Some(&auth.session_id), None, "logout")
        .await
        .map_err(db(auth.lang))?;
    tracing::info!(session = %auth.session_id, "logged out");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(tag = "sessions", get, path = "/v1/auth/sessions", security(("bearer" = [])),
    responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 200, body = Vec<SessionInfo>), (status = 401, body = econfiance_api::ErrorBody)))]
/// The user's open sessions.
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Vec<SessionInfo>>, ApiError> {
    let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, device_name, device_os, app_version, created_at, last_used_at FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY last_used_at DESC",
    )
    .bind(&auth.user_id)
    .bind(ctx.clock.now())
    .fetch_all(&ctx.db)
    .await
    .map_err(db(auth.lang))?;
    Ok(Json(
        rows.into_iter()
            .map(
                |(id, device_name, os, app_version, created, used)| SessionInfo {
                    current: id == auth.session_id,
                    id,
                    device_name,
                    os,
                    app_version,
                    created_at: rfc3339(created),
                    last_used_at: rfc3339(used),
                },
            )
            .collect(),
    ))
}

#[utoipa::path(tag = "sessions", delete, path = "/v1/auth/sessions/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session to end")),
    responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 204), (status = 401, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody)))]
/// End one of the user's sessions (another company's session is "not found").
pub async fn revoke(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let revoked = revoke_sessions(&ctx, &auth.user_id, Some(&id), None, "revoked_by_user")
        .await
        .map_err(db(auth.lang))?;
    if revoked == 0 {
        return Err(ApiError::not_found(auth.lang));
    }
    Ok(StatusCode::NO_CONTENT)
}
