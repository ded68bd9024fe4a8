//! Passwords: confirming a reset (from the app, PKCE-bound; the landing page's form uses
//! [`apply_reset`] without a verifier), changing one's password, and the strength rule.
//!
//! OWASP's forgot-password rules: the token is single-use and stored hashed; a reset ends
//! every session and sends a notification mail; nobody is signed in automatically.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use econfiance_api::auth::{PasswordChangeBody, ResetConfirmBody};

use super::requests::{self, Kind};
use super::sessions::{revoke_sessions, AuthSession};
use super::tokens::verify_off_thread;
use crate::clock::paris_display;
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiJson;
use crate::mail;
use crate::AppContext;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, in characters (argon2's cost grows with length).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Refuses passwords that are short or easy to guess (zxcvbn score below 3, with the
/// e-mail and the product's name as known words).
pub fn check_strength(password: &str, email: &str, lang: Lang) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::weak_password(lang, ""));
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            lang,
            "Ce mot de passe est trop long (256 caractères au plus).",
            "This password is too long (256 characters at most).",
        ));
    }
    let local = email.split('@').next().unwrap_or("");
    let estimate = zxcvbn::zxcvbn(password, &[email, local, "e-confiance", "econfiance"]);
    if (estimate.score() as u8) < 3 {
        return Err(ApiError::weak_password(lang, ""));
    }
    Ok(())
}

#[utoipa::path(tag = "password", post, path = "/v1/auth/password-resets/confirm", request_body = ResetConfirmBody,
    responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 204), (status = 400, body = econfiance_api::ErrorBody)))]
/// Set a new password from the app (PKCE verifier required). Signs nobody in.
pub async fn confirm_reset(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ResetConfirmBody>,
) -> Result<StatusCode, ApiError> {
    let lang = Lang::from_headers(&headers);
    let Some(verifier) = body.code_verifier.as_ref() else {
        return Err(ApiError::invalid(
            lang,
            "La confirmation vient d'une application qui n'a pas fait la demande. Rouvrez le lien depuis l'e-mail.",
            "The confirmation comes from an app that did not make the request. Open the link from the e-mail again.",
        ));
    };
    apply_reset(
        &ctx,
        &body.request_id,
        body.token.expose(),
        Some(verifier.expose()),
        body.new_password.expose(),
        lang,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the reset token (and verifier, when given), then the new password, spends the
/// token, sets the password, ends every session and pending link, and sends the
/// notification mail.
pub async fn apply_reset(
    ctx: &AppContext,
    request_id: &str,
    token: &str,
    verifier: Option<&str>,
    new_password: &str,
    lang: Lang,
) -> Result<(), ApiError> {
    ctx.witness.saw("password", new_password);
    if let Some(verifier) = verifier {
        ctx.witness.saw("code_verifier", verifier);
    }
    // The password's strength first, judged against the e-mail the request was made for
    // (what the requester typed, an account's or not: the answer tells nothing about an
    // account), so that a weak choice neither spends the token nor uses up one of its
    // tries; then the token is checked (a wrong one counts as a try) and spent.
    let request = requests::find(ctx, Kind::Reset, request_id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::invalid_grant(lang))?;
    check_strength(new_password, &request.email, lang)?;
    let user_id =
        requests::redeem(ctx, Kind::Reset, request_id, Some(token), verifier, lang).await?;
    set_password(ctx, &user_id, new_password, None, lang).await
}

#[utoipa::path(tag = "password", put, path = "/v1/me/password", request_body = PasswordChangeBody, security(("bearer" = [])),
    responses((status = 429, description = "`rate_limited`: too many requests from this address; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody), (status = 204), (status = 400, body = econfiance_api::ErrorBody), (status = 401, body = econfiance_api::ErrorBody)))]
/// Change one's password (the current one is required when there is one); other sessions end.
pub async fn change_password(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<PasswordChangeBody>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    ctx.witness.saw("password", body.new_password.expose());
    if let Some(current) = &body.current_password {
        ctx.witness.saw("password", current.expose());
    }
    let (email, hash): (String, Option<String>) =
        sqlx::query_as("SELECT email, password_hash FROM users WHERE id = $1")
            .bind(&auth.user_id)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
    // Accounts opened after a demo have no password yet: logged in, they may set a first
    // one without a current password (design brief, "Login protocol" §6).
    if let Some(hash) = hash {
        let current = body
            .current_password
            .clone()
            .unwrap_or_else(|| econfiance_api::Secret::new(String::new()));
        if !verify_off_thread(current, hash).await {
            return Err(ApiError::invalid_credentials(lang));
        }
    }
    check_strength(body.new_password.expose(), &email, lang)?;
    set_password(
        &ctx,
        &auth.user_id,
        body.new_password.expose(),
        Some(&auth.session_id),
        lang,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_password(
    ctx: &AppContext,
    user_id: &str,
    password: &str,
    keep_session: Option<&str>,
    lang: Lang,
) -> Result<(), ApiError> {
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || crypto::hash_password(&owned))
        .await
        .map_err(|e| ApiError::internal(lang, e))?
        .map_err(|e| ApiError::internal(lang, e))?;
    let now = ctx.clock.now();
    let (email, locale): (String, String) = sqlx::query_as(
        "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3 RETURNING email, locale",
    )
    .bind(&hash)
    .bind(now)
    .bind(user_id)
    .fetch_one(&ctx.db)
    .await
    .map_err(db(lang))?;
    revoke_sessions(ctx, user_id, None, keep_session, "password_changed")
        .await
        .map_err(db(lang))?;
    // Login and reset links still pending go with the old password: whoever read them in
    // the mailbox cannot use them afterwards.
    sqlx::query(
        "UPDATE auth_requests SET consumed_at = $1 WHERE user_id = $2 AND consumed_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    let mail_lang = Lang::from_locale(&locale);
    // The password is changed even if its notice cannot be queued: said in the logs.
    if let Err(e) = ctx
        .mailer
        .send(mail::password_changed_mail(
            mail_lang,
            &email,
            &paris_display(now, mail_lang == Lang::En),
            keep_session.is_none(),
        ))
        .await
    {
        tracing::error!(user = %user_id, error = %e, "the password-change notice was not queued");
    }
    tracing::info!(user = %user_id, "password changed; sessions ended");
    Ok(())
}
