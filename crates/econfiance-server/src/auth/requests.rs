//! `POST /v1/auth/login-requests` and `POST /v1/auth/password-resets`.
//!
//! Both answer the same for known and unknown e-mails and do the same database work; only
//! known accounts get a mail, queued to the mail worker so the answer does not wait for it.

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use econfiance_api::auth::{
    LoginRequestBody, RequestCreated, ResetRequestBody, LOGIN_CODE_SECONDS, PKCE_METHOD,
};
use econfiance_api::link::{LoginCode, RequestId, ResetToken};
use econfiance_api::DeepLink;

use super::{valid_device, valid_email};
use crate::clock::rfc3339;
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, ClientAddress};
use crate::mail::{self, DeviceLine};
use crate::AppContext;

/// Which kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Magic-link login.
    Login,
    /// Password reset.
    Reset,
}

impl Kind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Login => "login",
            Kind::Reset => "reset",
        }
    }

    /// The HMAC purpose of the request's secret.
    pub fn purpose(self) -> &'static str {
        match self {
            Kind::Login => "login-code",
            Kind::Reset => "reset-token",
        }
    }
}

struct NewRequest<'a> {
    kind: Kind,
    email: &'a str,
    code_challenge: &'a str,
    code_challenge_method: &'a str,
    device: &'a econfiance_api::auth::DeviceInfo,
    locale: Option<&'a str>,
}

/// The [`NewRequest`] of `$kind` that `$body` asks for: the login and the reset bodies are
/// two types with the same fields.
macro_rules! new_request {
    ($kind:expr, $body:expr) => {
        NewRequest {
            kind: $kind,
            email: &$body.email,
            code_challenge: &$body.code_challenge,
            code_challenge_method: &$body.code_challenge_method,
            device: &$body.device,
            locale: $body.locale.as_deref(),
        }
    };
}

#[utoipa::path(tag = "sign-in", post, path = "/v1/auth/login-requests", request_body = LoginRequestBody,
    responses((status = 202, body = RequestCreated), (status = 400, body = econfiance_api::ErrorBody), (status = 429, body = econfiance_api::ErrorBody)))]
/// Ask for a magic link.
pub async fn create_login_request(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<LoginRequestBody>,
) -> Result<(StatusCode, axum::Json<RequestCreated>), ApiError> {
    create(&ctx, &headers, client, new_request!(Kind::Login, body)).await
}

#[utoipa::path(tag = "sign-in", post, path = "/v1/auth/password-resets", request_body = ResetRequestBody,
    responses((status = 202, body = RequestCreated), (status = 400, body = econfiance_api::ErrorBody), (status = 429, body = econfiance_api::ErrorBody)))]
/// Ask for a password-reset link.
pub async fn create_reset_request(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<ResetRequestBody>,
) -> Result<(StatusCode, axum::Json<RequestCreated>), ApiError> {
    create(&ctx, &headers, client, new_request!(Kind::Reset, body)).await
}

async fn create(
    ctx: &AppContext,
    headers: &HeaderMap,
    client: std::net::IpAddr,
    new: NewRequest<'_>,
) -> Result<(StatusCode, axum::Json<RequestCreated>), ApiError> {
    let lang = new
        .locale
        .map(Lang::from_locale)
        .unwrap_or_else(|| Lang::from_headers(headers));
    let email = valid_email(new.email, lang)?;
    valid_device(new.device, lang)?;
    if new.code_challenge_method != PKCE_METHOD || !crypto::is_s256_challenge(new.code_challenge) {
        return Err(ApiError::invalid(
            lang,
            "La demande de connexion est incomplète (PKCE S256 requis). Mettez l'application à jour.",
            "The login request is incomplete (PKCE S256 required). Update the app.",
        ));
    }
    let now = ctx.clock.now();
    // "Renvoyer" cooldown: one link of a kind per e-mail per period, from one client
    // address (another address asking for the same e-mail does not hold the owner back).
    // Unknown e-mails have rows too, so the answer says nothing about whether an account
    // exists. Checked here for a quick answer, and again when the request is stored.
    let cooldown = i64::try_from(ctx.config.limits.resend_cooldown_secs).unwrap_or(i64::MAX);
    let key = crate::auth::email_key(&email);
    resend_wait(ctx, &key, new.kind, client, now, cooldown, lang).await?;
    crate::ratelimit::check_email(ctx, new.kind.as_str(), &email, client, lang).await?;

    let expires_at = now + LOGIN_CODE_SECONDS;
    let id = crypto::random_id("rq");
    let secret = match new.kind {
        Kind::Login => crypto::random_login_code(),
        Kind::Reset => crypto::random_token::<32>(),
    };
    ctx.witness.saw(new.kind.as_str(), &secret);
    let digest = ctx.key.digest(new.kind.purpose(), &[&id, &secret]);

    let user: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, email, locale FROM users WHERE lower(email) = $1")
            .bind(crate::auth::email_key(&email))
            .fetch_optional(&ctx.db)
            .await
            .map_err(db(lang))?;
    let mail_lang = user
        .as_ref()
        .map(|u| Lang::from_locale(&u.2))
        .unwrap_or(lang);
    // Stored only if no request of this kind for this e-mail came from this address within
    // the cooldown, in one statement, one such statement at a time (so that requests
    // arriving together send one mail).
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(
        &mut tx,
        &format!("resend:{}:{key}:{client}", new.kind.as_str()),
    )
    .await
    .map_err(db(lang))?;
    let stored = sqlx::query(
        "INSERT INTO auth_requests (id, kind, email, user_id, secret_digest, code_challenge, device_name, device_os, app_version, locale, created_at, expires_at, client)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
         WHERE NOT EXISTS (SELECT 1 FROM auth_requests
                           WHERE lower(email) = $14 AND kind = $15 AND client = $16 AND created_at > $17)",
    )
    .bind(&id)
    .bind(new.kind.as_str())
    .bind(&email)
    .bind(user.as_ref().map(|u| u.0.clone()))
    .bind(&digest)
    .bind(new.code_challenge)
    .bind(new.device.name.trim())
    .bind(new.device.os.trim())
    .bind(new.device.app_version.trim())
    // The landing pages speak the requester's language: the account's (which would tell
    // that an account exists) is for its mail only.
    .bind(lang.as_locale())
    .bind(now)
    .bind(expires_at)
    .bind(client.to_string())
    .bind(&key)
    .bind(new.kind.as_str())
    .bind(client.to_string())
    .bind(if cooldown > 0 { now - cooldown } else { i64::MAX })
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    if stored.rows_affected() == 0 {
        resend_wait(ctx, &key, new.kind, client, now, cooldown, lang).await?;
        // Stored by a request that arrived at the same moment: the same wait.
        return Err(ApiError::resend_too_soon(lang, cooldown.unsigned_abs()));
    }

    // The mail is built, sealed and stored whether or not the account exists; an unknown
    // e-mail's is marked (inside its seal) not to be sent. Same work, same rows.
    let to = user.as_ref().map_or(email.as_str(), |u| u.1.as_str());
    let device = DeviceLine {
        name: new.device.name.trim(),
        os: new.device.os.trim(),
    };
    let mail = match new.kind {
        Kind::Login => mail::login_mail(
            mail_lang,
            to,
            &device,
            &login_landing_url(ctx, &id, &secret),
            &secret,
        ),
        Kind::Reset => mail::reset_mail(
            mail_lang,
            to,
            &device,
            &reset_landing_url(ctx, &id, &secret),
        ),
    };
    // Past the link's validity the mail is dropped unsent (the SMTP server was down).
    let valid_for = Duration::from_secs(u64::try_from(expires_at - now).unwrap_or(0));
    let queued = ctx
        .mailer
        .send_expiring(mail, user.is_some(), valid_for)
        .await;
    queued.map_err(|e| ApiError::internal(lang, e))?;
    tracing::info!(request = %id, kind = new.kind.as_str(), "auth request created");
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(RequestCreated {
            request_id: id,
            expires_at: rfc3339(expires_at),
            expires_in: LOGIN_CODE_SECONDS,
            resend_after: cooldown,
        }),
    ))
}

/// Refuses (`resend_too_soon`, with the seconds left) when a request of `kind` for `key`
/// came from `client` less than `cooldown` seconds before `now`.
async fn resend_wait(
    ctx: &AppContext,
    key: &str,
    kind: Kind,
    client: std::net::IpAddr,
    now: i64,
    cooldown: i64,
    lang: Lang,
) -> Result<(), ApiError> {
    if cooldown <= 0 {
        return Ok(());
    }
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(created_at) FROM auth_requests WHERE lower(email) = $1 AND kind = $2 AND client = $3",
    )
    .bind(key)
    .bind(kind.as_str())
    .bind(client.to_string())
    .fetch_one(&ctx.db)
    .await
    .map_err(db(lang))?;
    match last.map(|last| last.saturating_add(cooldown) - now) {
        Some(wait) if wait > 0 => Err(ApiError::resend_too_soon(lang, wait.unsigned_abs())),
        _ => Ok(()),
    }
}

/// The https landing page of a login mail.
pub fn login_landing_url(ctx: &AppContext, id: &str, code: &str) -> String {
    format!("{}/auth/link?request={id}&code={code}", ctx.public_url)
}

/// The https landing page of a reset mail.
pub fn reset_landing_url(ctx: &AppContext, id: &str, token: &str) -> String {
    format!("{}/auth/reset?request={id}&token={token}", ctx.public_url)
}

/// The deep link a login landing page opens (None if the parts are malformed).
pub fn login_deep_link(id: &str, code: &str) -> Option<String> {
    Some(
        DeepLink::LoginCallback {
            request: RequestId::parse(id).ok()?,
            code: LoginCode::parse(code).ok()?,
        }
        .to_url(),
    )
}

/// The deep link a reset landing page opens (None if the parts are malformed).
pub fn reset_deep_link(id: &str, token: &str) -> Option<String> {
    Some(
        DeepLink::PasswordReset {
            request: RequestId::parse(id).ok()?,
            token: ResetToken::parse(token).ok()?,
        }
        .to_url(),
    )
}

/// A stored request, as the exchange and the landing pages read it.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredRequest {
    /// Id.
    pub id: String,
    /// The account, if the e-mail is known.
    pub user_id: Option<String>,
    /// Digest of the code or token.
    pub secret_digest: Vec<u8>,
    /// PKCE challenge.
    pub code_challenge: String,
    /// Device name.
    pub device_name: String,
    /// Device OS.
    pub device_os: String,
    /// App version.
    pub app_version: String,
    /// The requester's language (the landing pages speak it).
    pub locale: String,
    /// The e-mail as the requester typed it (an account's or not).
    pub email: String,
    /// Creation time.
    pub created_at: i64,
    /// Expiry time.
    pub expires_at: i64,
    /// Tries so far, counted before each is checked (the right one included).
    pub failed_attempts: i64,
    /// When it was used.
    pub consumed_at: Option<i64>,
}

/// Reads a request of `kind` by id.
pub async fn find(
    ctx: &AppContext,
    kind: Kind,
    id: &str,
) -> Result<Option<StoredRequest>, sqlx::Error> {
    sqlx::query_as::<_, StoredRequest>(
        "SELECT id, user_id, secret_digest, code_challenge, device_name, device_os, app_version, locale, email, created_at, expires_at, failed_attempts, consumed_at
         FROM auth_requests WHERE id = $1 AND kind = $2",
    )
    .bind(id)
    .bind(kind.as_str())
    .fetch_optional(&ctx.db)
    .await
}

/// Checks a request's secret and verifier without spending it; the account it is for.
/// Every try counts as an attempt (`failed_attempts` counts tries, the right one included); an unknown, used, dead or expired
/// request, or one for an unknown e-mail, is refused the same way a wrong secret is.
pub async fn verify(
    ctx: &AppContext,
    kind: Kind,
    request_id: &str,
    secret: Option<&str>,
    verifier: Option<&str>,
    lang: Lang,
) -> Result<String, ApiError> {
    let Some(request) = find(ctx, kind, request_id).await.map_err(db(lang))? else {
        return Err(ApiError::invalid_grant(lang));
    };
    let now = ctx.clock.now();
    if request.consumed_at.is_some() {
        return Err(ApiError::code_used(lang));
    }
    if request.failed_attempts >= econfiance_api::auth::MAX_CODE_ATTEMPTS {
        return Err(ApiError::too_many_attempts(lang));
    }
    if now >= request.expires_at {
        return Err(ApiError::code_expired(lang));
    }
    // The attempt is counted before anything is checked, in one statement: however many
    // tries arrive at once, no more than MAX_CODE_ATTEMPTS are ever checked.
    let attempt: Option<i64> = sqlx::query_scalar(
        "UPDATE auth_requests SET failed_attempts = failed_attempts + 1
         WHERE id = $1 AND failed_attempts < $2 AND consumed_at IS NULL RETURNING failed_attempts",
    )
    .bind(&request.id)
    .bind(econfiance_api::auth::MAX_CODE_ATTEMPTS)
    .fetch_optional(&ctx.db)
    .await
    .map_err(db(lang))?;
    let Some(attempt) = attempt else {
        // Spent or dead meanwhile (another try won the last attempt or the exchange).
        return Err(match find(ctx, kind, request_id).await.map_err(db(lang))? {
            Some(r) if r.consumed_at.is_some() => ApiError::code_used(lang),
            _ => ApiError::too_many_attempts(lang),
        });
    };
    // Both checks always run, so timing does not tell which one failed.
    let secret_ok = match secret {
        Some(s) => crypto::digests_equal(
            &ctx.key.digest(kind.purpose(), &[&request.id, s]),
            &request.secret_digest,
        ),
        None => false,
    };
    let verifier_ok = match verifier {
        Some(v) => crypto::pkce_matches(v, &request.code_challenge),
        // The browser form of a reset has no verifier: the token alone authorises it.
        None => kind == Kind::Reset,
    };
    match (&request.user_id, secret_ok && verifier_ok) {
        (Some(user_id), true) => Ok(user_id.clone()),
        _ => {
            tracing::warn!(request = %request.id, attempts = attempt, "wrong code or verifier");
            Err(if attempt >= econfiance_api::auth::MAX_CODE_ATTEMPTS {
                ApiError::too_many_attempts(lang)
            } else {
                ApiError::invalid_grant(lang)
            })
        }
    }
}

/// Spends a request that [`verify`] accepted: once (a second caller, or one after the
/// attempts ran out, gets `code_used`).
pub async fn consume(ctx: &AppContext, request_id: &str, lang: Lang) -> Result<(), ApiError> {
    let consumed = sqlx::query(
        "UPDATE auth_requests SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL AND failed_attempts <= $3",
    )
    .bind(ctx.clock.now())
    .bind(request_id)
    .bind(econfiance_api::auth::MAX_CODE_ATTEMPTS)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    if consumed.rows_affected() != 1 {
        // Another exchange won the race.
        return Err(ApiError::code_used(lang));
    }
    Ok(())
}

/// Checks a request's secret and verifier and spends it ([`verify`], then [`consume`]);
/// the account it is for.
pub async fn redeem(
    ctx: &AppContext,
    kind: Kind,
    request_id: &str,
    secret: Option<&str>,
    verifier: Option<&str>,
    lang: Lang,
) -> Result<String, ApiError> {
    if let Some(verifier) = verifier {
        ctx.witness.saw("code_verifier", verifier);
    }
    let user_id = verify(ctx, kind, request_id, secret, verifier, lang).await?;
    consume(ctx, request_id, lang).await?;
    Ok(user_id)
}
