//! `POST /v1/auth/token`: login code (with PKCE verifier), password, refresh token.
//!
//! Refresh tokens rotate at each use. The successor of a token is derived from it (HMAC
//! under the server key), so presenting the immediately previous token again within
//! [`REFRESH_GRACE_SECONDS`] returns the very same successor — a crash between the rotation
//! and the app's keyring write does not log anyone out. Any other reuse revokes the session
//! (the whole family of tokens).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use econfiance_api::auth::{
    DeviceInfo, TokenRequest, TokenResponse, UserSummary, ACCESS_TOKEN_SECONDS,
    REFRESH_GRACE_SECONDS, REFRESH_TOKEN_SECONDS,
};
use econfiance_api::link::LoginCode;
use econfiance_api::Secret;

use super::requests::{self, Kind};
use super::{valid_device, valid_email};
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, ClientAddress};
use crate::AppContext;

#[utoipa::path(tag = "sign-in", post, path = "/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = econfiance_api::ErrorBody), (status = 401, body = econfiance_api::ErrorBody), (status = 429, body = econfiance_api::ErrorBody)))]
/// Exchange a grant for tokens.
pub async fn token(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let lang = Lang::from_headers(&headers);
    match body {
        TokenRequest::LoginCode {
            request_id,
            code,
            code_verifier,
        } => {
            // People type codes in many shapes; normalise before comparing. A code that
            // cannot be one still counts as a wrong attempt.
            let normalised = LoginCode::parse_typed(code.expose()).ok();
            let user_id = requests::redeem(
                &ctx,
                Kind::Login,
                &request_id,
                Some(normalised.as_ref().map_or("", |c| c.expose())),
                Some(code_verifier.expose()),
                lang,
            )
            .await?;
            let request = requests::find(&ctx, Kind::Login, &request_id)
                .await
                .map_err(db(lang))?
                .ok_or_else(|| ApiError::invalid_grant(lang))?;
            let device = DeviceInfo {
                name: request.device_name,
                os: request.device_os,
                app_version: request.app_version,
            };
            let tokens = start_session(&ctx, &user_id, &device, lang).await?;
            tracing::info!(user = %user_id, session = %tokens.session_id, "logged in with a login code");
            Ok(Json(tokens))
        }
        TokenRequest::Password {
            email,
            password,
            device,
        } => {
            ctx.witness.saw("password", password.expose());
            let email = valid_email(&email, lang)?;
            valid_device(&device, lang)?;
            crate::ratelimit::check_email(&ctx, "password", &email, client, lang).await?;
            let user: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT id, password_hash FROM users WHERE lower(email) = $1")
                    .bind(crate::auth::email_key(&email))
                    .fetch_optional(&ctx.db)
                    .await
                    .map_err(db(lang))?;
            // Unknown e-mails and accounts without a password cost the same argon2 work.
            let (user_id, hash) = match user {
                Some((id, Some(hash))) => (Some(id), hash),
                _ => (None, ctx.dummy_hash.as_ref().clone()),
            };
            let ok = verify_off_thread(password, hash).await;
            match (user_id, ok) {
                (Some(user_id), true) => {
                    let tokens = start_session(&ctx, &user_id, &device, lang).await?;
                    tracing::info!(user = %user_id, session = %tokens.session_id, "logged in with a password");
                    Ok(Json(tokens))
                }
                _ => Err(ApiError::invalid_credentials(lang)),
            }
        }
        TokenRequest::RefreshToken { refresh_token } => {
            refresh(&ctx, refresh_token.expose(), lang).await.map(Json)
        }
    }
}

/// Argon2 takes tens of milliseconds: keep it off the async workers.
pub async fn verify_off_thread(password: Secret<String>, hash: String) -> bool {
    tokio::task::spawn_blocking(move || crypto::verify_password(password.expose(), &hash))
        .await
        .unwrap_or(false)
}

/// Opens a session for `user_id` on `device` and issues its first tokens.
pub async fn start_session(
    ctx: &AppContext,
    user_id: &str,
    device: &DeviceInfo,
    lang: Lang,
) -> Result<TokenResponse, ApiError> {
    let now = ctx.clock.now();
    let session_id = crypto::random_id("se");
    let refresh = crypto::random_token::<32>();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::team::accept_invitations(&mut tx, user_id, now)
        .await
        .map_err(db(lang))?;
    let company_id = crate::team::first_company(&mut tx, user_id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::no_company(lang))?;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, device_name, device_os, app_version, created_at, last_used_at, expires_at, company_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&session_id)
    .bind(user_id)
    .bind(&device.name)
    .bind(&device.os)
    .bind(&device.app_version)
    .bind(now)
    .bind(now)
    .bind(now + REFRESH_TOKEN_SECONDS)
    .bind(&company_id)
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    sqlx::query("INSERT INTO refresh_tokens (digest, session_id, generation, issued_at) VALUES ($1, $2, 0, $3)")
        .bind(ctx.key.digest("refresh", &[&refresh]))
        .bind(&session_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    let access = insert_access_token(&mut tx, ctx, &session_id, now, lang).await?;
    tx.commit().await.map_err(db(lang))?;
    response(ctx, user_id, &session_id, access, refresh, lang).await
}

async fn insert_access_token(
    tx: &mut crate::db::Tx<'_>,
    ctx: &AppContext,
    session_id: &str,
    now: i64,
    lang: Lang,
) -> Result<String, ApiError> {
    let access = crypto::random_token::<32>();
    sqlx::query("INSERT INTO access_tokens (digest, session_id, expires_at) VALUES ($1, $2, $3)")
        .bind(ctx.key.digest("access", &[&access]))
        .bind(session_id)
        .bind(now + ACCESS_TOKEN_SECONDS)
        .execute(&mut **tx)
        .await
        .map_err(db(lang))?;
    Ok(access)
}

async fn response(
    ctx: &AppContext,
    user_id: &str,
    session_id: &str,
    access: String,
    refresh: String,
    lang: Lang,
) -> Result<TokenResponse, ApiError> {
    ctx.witness.saw("access_token", &access);
    ctx.witness.saw("refresh_token", &refresh);
    let (email, locale): (String, String) =
        sqlx::query_as("SELECT email, locale FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
    Ok(TokenResponse {
        access_token: Secret::new(access),
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token: Secret::new(refresh),
        refresh_expires_in: REFRESH_TOKEN_SECONDS,
        session_id: session_id.to_owned(),
        user: UserSummary {
            id: user_id.to_owned(),
            email,
            locale,
        },
    })
}

#[derive(sqlx::FromRow)]
struct RefreshRow {
    session_id: String,
    generation: i64,
    rotated_at: Option<i64>,
    user_id: String,
    session_expires_at: i64,
    revoked_at: Option<i64>,
    revoked_reason: Option<String>,
}

async fn refresh(ctx: &AppContext, presented: &str, lang: Lang) -> Result<TokenResponse, ApiError> {
    let now = ctx.clock.now();
    let row = sqlx::query_as::<_, RefreshRow>(
        "SELECT r.session_id, r.generation, r.rotated_at, s.user_id, s.expires_at AS session_expires_at, s.revoked_at, s.revoked_reason
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.digest = $1",
    )
    .bind(ctx.key.digest("refresh", &[presented]))
    .fetch_optional(&ctx.db)
    .await
    .map_err(db(lang))?;
    let Some(row) = row else {
        return Err(ApiError::session_ended(lang));
    };
    match row.revoked_reason.as_deref() {
        Some(crate::team::REMOVED_FROM_TEAM) => return Err(ApiError::removed_from_team(lang)),
        Some(crate::team::LEFT_TEAM) => return Err(ApiError::left_team(lang)),
        _ => {}
    }
    if row.revoked_at.is_some() || now >= row.session_expires_at {
        return Err(ApiError::session_ended(lang));
    }
    let successor = ctx.key.successor_token(presented);
    let successor_digest = ctx.key.digest("refresh", &[&successor]);
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;

    let rotated_now = if row.rotated_at.is_none() {
        sqlx::query(
            "UPDATE refresh_tokens SET rotated_at = $1 WHERE digest = $2 AND rotated_at IS NULL",
        )
        .bind(now)
        .bind(ctx.key.digest("refresh", &[presented]))
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?
        .rows_affected()
            == 1
    } else {
        false
    };

    if rotated_now {
        sqlx::query("INSERT INTO refresh_tokens (digest, session_id, generation, issued_at) VALUES ($1, $2, $3, $4)")
            .bind(&successor_digest)
            .bind(&row.session_id)
            .bind(row.generation + 1)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db(lang))?;
    } else {
        // The token was already rotated. Only its immediate successor being still current,
        // within the grace period, makes this a harmless retry.
        let rotated_at: i64 =
            sqlx::query_scalar("SELECT rotated_at FROM refresh_tokens WHERE digest = $1")
                .bind(ctx.key.digest("refresh", &[presented]))
                .fetch_one(&mut *tx)
                .await
                .map_err(db(lang))?;
        let successor_current: Option<i64> = sqlx::query_scalar(
            "SELECT generation FROM refresh_tokens WHERE digest = $1 AND session_id = $2 AND rotated_at IS NULL",
        )
        .bind(&successor_digest)
        .bind(&row.session_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db(lang))?;
        let within_grace = now - rotated_at <= REFRESH_GRACE_SECONDS;
        if !(within_grace && successor_current == Some(row.generation + 1)) {
            sqlx::query("UPDATE sessions SET revoked_at = $1, revoked_reason = 'refresh_token_reuse' WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(&row.session_id)
                .execute(&mut *tx)
                .await
                .map_err(db(lang))?;
            sqlx::query("DELETE FROM access_tokens WHERE session_id = $1")
                .bind(&row.session_id)
                .execute(&mut *tx)
                .await
                .map_err(db(lang))?;
            tx.commit().await.map_err(db(lang))?;
            tracing::warn!(session = %row.session_id, "refresh token reused: session revoked");
            return Err(ApiError::session_ended(lang));
        }
    }
    // Invitations that came while the person was logged in are accepted here (their next
    // look at their companies shows them), as at a login.
    crate::team::accept_invitations(&mut tx, &row.user_id, now)
        .await
        .map_err(db(lang))?;
    sqlx::query("UPDATE sessions SET last_used_at = $1, expires_at = $2 WHERE id = $3")
        .bind(now)
        .bind(now + REFRESH_TOKEN_SECONDS)
        .bind(&row.session_id)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    let access = insert_access_token(&mut tx, ctx, &row.session_id, now, lang).await?;
    tx.commit().await.map_err(db(lang))?;
    response(ctx, &row.user_id, &row.session_id, access, successor, lang).await
}
