//! E-mail alerts: a mail for each new review at or below a user's chosen rating, and the
//! weekly digest (the week's new reviews, their average, the reviews still unanswered),
//! each per user preference (`/v1/me/alerts`), each with a link that stops them. A member
//! limited to some establishments hears of those only; a mail names the establishment.
//!
//! A new review is written with its pending alert ([`queue_review_alert`], in the review's
//! transaction). [`run_once`] — every few seconds on each instance — claims each pending
//! alert (one instance wins the `UPDATE … WHERE sent_at IS NULL`) and queues its mails in
//! the same transaction; then claims the week's digest by inserting its period into
//! `digest_runs` (one instance's insert wins, whatever the number of instances or
//! restarts) and queues every digest in that transaction.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use econfiance_api::alerts::AlertSettings;
use maud::html;

use crate::auth::sessions::AuthSession;
use crate::db::Tx;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, RequestLang};
use crate::landing::page;
use crate::AppContext;

/// The digest goes out from this Paris hour on Mondays.
const DIGEST_HOUR: i8 = 8;
/// A pending alert older than this is dropped, not mailed (the server was down for days).
const ALERT_MAX_AGE_SECONDS: i64 = 2 * 86_400;

/// The signed-in routes.
pub fn router() -> Router<AppContext> {
    Router::new().route("/v1/me/alerts", get(settings).put(change))
}

/// The public page that stops a user's alert mails.
pub fn pages() -> Router<AppContext> {
    Router::new().route(
        "/alertes/desabonnement/{user}/{mac}",
        get(stop_page).post(stop_sent),
    )
}

#[utoipa::path(tag = "account", get, path = "/v1/me/alerts", security(("bearer" = [])),
    responses((status = 200, body = AlertSettings)))]
/// The user's e-mail alerts.
pub async fn settings(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<AlertSettings>, ApiError> {
    let lang = auth.lang;
    let (max, digest): (Option<i64>, i64) =
        sqlx::query_as("SELECT alert_max_rating, weekly_digest FROM users WHERE id = $1")
            .bind(&auth.user_id)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
    Ok(Json(AlertSettings {
        max_rating: max.and_then(|m| u8::try_from(m).ok()),
        weekly_digest: digest != 0,
    }))
}

#[utoipa::path(tag = "account", put, path = "/v1/me/alerts", request_body = AlertSettings, security(("bearer" = [])),
    responses((status = 200, body = AlertSettings)))]
/// Changes the user's e-mail alerts.
pub async fn change(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<AlertSettings>,
) -> Result<Json<AlertSettings>, ApiError> {
    let lang = auth.lang;
    if body.max_rating.is_some_and(|m| !(1..=5).contains(&m)) {
        return Err(ApiError::invalid(
            lang,
            "Choisissez une note de 1 à 5 étoiles, ou aucune alerte.",
            "Choose a rating from 1 to 5 stars, or no alert.",
        ));
    }
    sqlx::query("UPDATE users SET alert_max_rating = $1, weekly_digest = $2 WHERE id = $3")
        .bind(body.max_rating.map(i64::from))
        .bind(i64::from(body.weekly_digest))
        .bind(&auth.user_id)
        .execute(&ctx.db)
        .await
        .map_err(db(lang))?;
    tracing::info!(max_rating = ?body.max_rating, digest = body.weekly_digest, "e-mail alerts changed");
    Ok(Json(body))
}

/// Records, in the transaction that stores review `review_id`, that its alerts are due.
pub async fn queue_review_alert(
    tx: &mut Tx<'_>,
    company_id: &str,
    review_id: &str,
    rating: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO review_alerts (review_id, company_id, rating, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(review_id)
    .bind(company_id)
    .bind(rating)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What one [`run_once`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Alert mails queued.
    pub alerts: usize,
    /// Digest mails queued (zero unless this run claimed the week's digest).
    pub digests: usize,
}

/// Runs the alerts every `every` for as long as the server lives.
pub fn spawn_worker(ctx: AppContext, every: Duration) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = run_once(&ctx).await {
                tracing::warn!(error = %e, "e-mail alerts: run failed; tried again later");
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// Queues the alerts of new reviews, then this week's digests if their time has come and
/// no instance has sent them yet.
pub async fn run_once(ctx: &AppContext) -> Result<RunReport, sqlx::Error> {
    let now = ctx.clock.now();
    let mut report = RunReport::default();
    let due: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT review_id, company_id, rating, created_at FROM review_alerts
         WHERE sent_at IS NULL ORDER BY created_at LIMIT 100",
    )
    .fetch_all(&ctx.db)
    .await?;
    for (review_id, company_id, rating, created_at) in due {
        let mut tx = crate::db::begin(&ctx.db).await?;
        let claimed = sqlx::query(
            "UPDATE review_alerts SET sent_at = $1 WHERE review_id = $2 AND sent_at IS NULL",
        )
        .bind(now)
        .bind(&review_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            continue;
        }
        if now - created_at <= ALERT_MAX_AGE_SECONDS {
            report.alerts += alert_mails(ctx, &mut tx, &company_id, &review_id, rating).await?;
        }
        tx.commit().await?;
    }
    report.digests = digests(ctx, now).await?;
    if report.alerts + report.digests > 0 {
        ctx.mailer.wake();
        tracing::info!(
            alerts = report.alerts,
            digests = report.digests,
            "e-mail alerts queued"
        );
    }
    Ok(report)
}

/// The stop link of `user_id`'s alert mails: the id and its keyed digest (nothing stored).
pub fn stop_link(ctx: &AppContext, user_id: &str) -> String {
    format!(
        "{}/alertes/desabonnement/{user_id}/{}",
        ctx.public_url,
        stop_mac(ctx, user_id)
    )
}

fn stop_mac(ctx: &AppContext, user_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(&ctx.key.digest("alerts-stop", &[user_id])[..18])
}

async fn alert_mails(
    ctx: &AppContext,
    tx: &mut Tx<'_>,
    company_id: &str,
    review_id: &str,
    rating: i64,
) -> Result<usize, sqlx::Error> {
    // The mail names the establishment, but for the main one (the company's name).
    let review: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT r.title, r.body, r.author_name,
                CASE WHEN e.id = 'et_' || c.id THEN c.name ELSE e.name END, e.id
         FROM reviews r JOIN companies c ON c.id = r.company_id
         JOIN establishments e ON e.id = r.establishment_id
         WHERE r.id = $1",
    )
    .bind(review_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((title, body, author, company, establishment)) = review else {
        return Ok(0);
    };
    // Members who asked for alerts and see the review's establishment.
    let users: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.locale FROM users u JOIN memberships m ON m.user_id = u.id
         WHERE m.company_id = $1 AND u.alert_max_rating IS NOT NULL AND u.alert_max_rating >= $2
           AND (NOT EXISTS (SELECT 1 FROM member_establishments me WHERE me.company_id = m.company_id AND me.user_id = u.id)
                OR EXISTS (SELECT 1 FROM member_establishments me WHERE me.company_id = m.company_id AND me.user_id = u.id
                           AND me.establishment_id = $3))",
    )
    .bind(company_id)
    .bind(rating)
    .bind(&establishment)
    .fetch_all(&mut **tx)
    .await?;
    for (user_id, email, locale) in &users {
        let mail = crate::mail::review_alert_mail(
            Lang::from_locale(locale),
            email,
            &company,
            rating,
            &title,
            &body,
            &author,
            &stop_link(ctx, user_id),
        );
        ctx.mailer
            .send_in(tx, mail)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    Ok(users.len())
}

/// This week's digest period (`2026-W49`), once its time has come (Monday 08:00, Paris).
pub fn digest_period(now: i64) -> Option<String> {
    let zoned = jiff::Timestamp::from_second(now)
        .ok()?
        .in_tz("Europe/Paris")
        .ok()?;
    let week = zoned.date().iso_week_date();
    let started = zoned.weekday() != jiff::civil::Weekday::Monday || zoned.hour() >= DIGEST_HOUR;
    started.then(|| format!("{}-W{:02}", week.year(), week.week()))
}

async fn digests(ctx: &AppContext, now: i64) -> Result<usize, sqlx::Error> {
    let Some(period) = digest_period(now) else {
        return Ok(0);
    };
    // Already sent this week (the usual case): a read, not a write every few seconds.
    let done: Option<i64> =
        sqlx::query_scalar("SELECT claimed_at FROM digest_runs WHERE period = $1")
            .bind(&period)
            .fetch_optional(&ctx.db)
            .await?;
    if done.is_some() {
        return Ok(0);
    }
    let mut tx = crate::db::begin(&ctx.db).await?;
    let claimed = sqlx::query(
        "INSERT INTO digest_runs (period, claimed_at) VALUES ($1, $2) ON CONFLICT (period) DO NOTHING",
    )
    .bind(&period)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(0);
    }
    let since = now - 7 * 86_400;
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.locale, c.id, c.name FROM users u
         JOIN memberships m ON m.user_id = u.id JOIN companies c ON c.id = m.company_id
         WHERE u.weekly_digest = 1 ORDER BY u.id, c.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (user_id, email, locale, company_id, company) in &rows {
        // A member limited to some establishments hears of theirs only, named as such.
        let theirs: Vec<String> = sqlx::query_scalar(
            "SELECT e.name FROM member_establishments m
             JOIN establishments e ON e.id = m.establishment_id
             WHERE m.company_id = $1 AND m.user_id = $2 ORDER BY e.name",
        )
        .bind(company_id)
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        let limited = (!theirs.is_empty()).then_some(user_id.as_str());
        let subject = econfiance_api::establishments::scoped_name(company, &theirs);
        let (new, average): (i64, Option<f64>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), CAST(AVG(CASE WHEN status = 'published' THEN rating END) AS DOUBLE PRECISION)
             FROM reviews WHERE company_id = $1 AND submitted_at >= $2 AND submitted_at < $3 AND {}",
            crate::scope::visible("establishment_id", 4)
        )))
        .bind(company_id)
        .bind(since)
        .bind(now)
        .bind(limited)
        .fetch_one(&mut *tx)
        .await?;
        let unanswered: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM reviews WHERE company_id = $1 AND status = 'published' AND reply_created_at IS NULL AND {}",
            crate::scope::visible("establishment_id", 2)
        )))
        .bind(company_id)
        .bind(limited)
        .fetch_one(&mut *tx)
        .await?;
        let mail = crate::mail::digest_mail(
            Lang::from_locale(locale),
            email,
            &subject,
            new,
            average,
            unanswered,
            &stop_link(ctx, user_id),
        );
        ctx.mailer
            .send_in(&mut tx, mail)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    tx.commit().await?;
    tracing::info!(period = %period, mails = rows.len(), "weekly digest claimed and queued");
    Ok(rows.len())
}

/// Whether `mac` is `user`'s stop link's; the user's locale when it is.
async fn stop_target(ctx: &AppContext, user: &str, mac: &str) -> Result<Option<Lang>, sqlx::Error> {
    if !crate::crypto::digests_equal(mac.as_bytes(), stop_mac(ctx, user).as_bytes()) {
        return Ok(None);
    }
    let locale: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&ctx.db)
        .await?;
    Ok(locale.map(|l| Lang::from_locale(&l)))
}

fn stop_notice(lang: Lang, status: StatusCode, title: &str, text: &str) -> Response {
    (
        status,
        page(lang, title, html! { h1 { (title) } p { (text) } }),
    )
        .into_response()
}

fn unknown_link(lang: Lang) -> Response {
    stop_notice(
        lang,
        StatusCode::NOT_FOUND,
        &lang.pick("Lien inconnu", "Unknown link"),
        &lang.pick(
            "Ce lien ne correspond à aucun compte. Vérifiez qu'il est complet, tel qu'il figure dans l'e-mail, ou réglez vos alertes dans l'application (Paramètres › Notifications et démarrage).",
            "This link matches no account. Check that it is complete, as in the e-mail, or set your alerts in the app (Settings › Notifications and start).",
        ),
    )
}

fn failed(lang: Lang, e: &sqlx::Error) -> Response {
    tracing::error!(error = %e, "alert stop page: the database failed");
    stop_notice(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        &lang.pick("Service indisponible", "Service unavailable"),
        &lang.pick(
            "La page ne répond pas pour le moment. Réessayez dans quelques minutes : votre lien reste valable.",
            "The page is not answering right now. Try again in a few minutes: your link stays valid.",
        ),
    )
}

async fn stop_page(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Path((user, mac)): Path<(String, String)>,
) -> Response {
    let lang = match stop_target(&ctx, &user, &mac).await {
        Ok(Some(lang)) => lang,
        Ok(None) => return unknown_link(header_lang),
        Err(e) => return failed(header_lang, &e),
    };
    let title = lang.pick("Ne plus recevoir les alertes", "Stop alert e-mails");
    // A GET changes nothing (mail scanners open links): the button does.
    page(
        lang,
        &title,
        html! {
            h1 { (title) }
            p { (lang.pick("Vous ne recevrez plus d'e-mail pour les nouveaux avis ni le récapitulatif de la semaine. Vous pourrez les réactiver dans l'application (Paramètres › Notifications et démarrage). Confirmez :", "You will no longer get e-mails about new reviews nor the weekly digest. You can turn them on again in the app (Settings › Notifications and start). Confirm:")) }
            form method="post" { button.button type="submit" { (lang.pick("Ne plus recevoir ces e-mails", "Stop these e-mails")) } }
        },
    )
    .into_response()
}

async fn stop_sent(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Path((user, mac)): Path<(String, String)>,
) -> Response {
    let lang = match stop_target(&ctx, &user, &mac).await {
        Ok(Some(lang)) => lang,
        Ok(None) => return unknown_link(header_lang),
        Err(e) => return failed(header_lang, &e),
    };
    let stopped =
        sqlx::query("UPDATE users SET alert_max_rating = NULL, weekly_digest = 0 WHERE id = $1")
            .bind(&user)
            .execute(&ctx.db)
            .await;
    if let Err(e) = stopped {
        return failed(lang, &e);
    }
    tracing::info!("e-mail alerts stopped from a mail's link");
    stop_notice(
        lang,
        StatusCode::OK,
        &lang.pick("C'est noté", "Done"),
        &lang.pick(
            "Vous ne recevrez plus d'alerte ni de récapitulatif par e-mail. Vous pourrez les réactiver dans l'application (Paramètres › Notifications et démarrage).",
            "You will no longer get alerts nor digests by e-mail. You can turn them on again in the app (Settings › Notifications and start).",
        ),
    )
}
