//! The figures of the company dashboard: the period summary (average, distribution, new
//! reviews against the previous period, the 12-month trend, response rate and time,
//! reviews waiting for an answer) and the trust index with its control points.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use econfiance_api::reviews::{MonthPoint, PointStatus, Summary, TrustIndex, TrustPoint};
use serde::Deserialize;

use crate::auth::sessions::AuthSession;
use crate::calendar::paris_today;
use crate::error::{db, ApiError};
use crate::extract::ApiQuery;
use crate::reviews::paris_day_start;
use crate::scope::visible;
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/dashboard/summary", get(summary))
        .route("/v1/company/trust-index", get(trust_index))
}

/// The period of the summary (default: the last 30 days, today included).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day, `YYYY-MM-DD`.
    #[param(format = Date)]
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[param(format = Date)]
    to: Option<String>,
    /// One establishment's figures only (all of them when absent: counts added up,
    /// averages weighted by review count, the median taken over every review).
    #[param(max_length = 64)]
    establishment: Option<String>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[utoipa::path(tag = "dashboard", get, path = "/v1/dashboard/summary", params(Period), security(("bearer" = [])),
    responses((status = 200, body = Summary), (status = 400, body = econfiance_api::ErrorBody)))]
/// The dashboard's figures for a period.
pub async fn summary(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Json<Summary>, ApiError> {
    let lang = auth.lang;
    let company = auth.company_id.clone();
    // Another company's establishment matches none of this company's reviews.
    let place = period.establishment.clone();
    // A member limited to some establishments counts theirs only.
    let limited = auth.limited_to().map(str::to_owned);
    if place
        .as_deref()
        .is_some_and(|e| e.chars().count() > crate::reviews::MAX_ESTABLISHMENT_ID)
    {
        return Err(crate::reviews::bad_establishment(lang));
    }
    let now = ctx.clock.now();
    let today = paris_today(now);
    let bad_date = || {
        ApiError::invalid(
            lang,
            "Les dates s'écrivent AAAA-MM-JJ, par exemple 2026-11-27.",
            "Dates are written YYYY-MM-DD, for example 2026-11-27.",
        )
    };
    let to: jiff::civil::Date = match period.to.as_deref() {
        Some(t) => crate::calendar::iso_date(t).ok_or_else(bad_date)?,
        None => today,
    };
    let from: jiff::civil::Date = match period.from.as_deref() {
        Some(f) => crate::calendar::iso_date(f).ok_or_else(bad_date)?,
        None => to
            .checked_sub(jiff::Span::new().days(29))
            .map_err(|_| bad_date())?,
    };
    if from > to {
        return Err(ApiError::invalid(
            lang,
            "Le début de la période est après sa fin.",
            "The period starts after it ends.",
        ));
    }
    let start = paris_day_start(&from.to_string(), false).ok_or_else(bad_date)?;
    let end = paris_day_start(&to.to_string(), true).ok_or_else(bad_date)?;
    let previous_start = start - (end - start);

    // Published reviews by stars, with how many are answered: one pass over an index.
    let by_stars: Vec<(i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT rating, COUNT(*), COUNT(reply_created_at) FROM reviews
         WHERE company_id = $1 AND status = 'published' AND ($2 IS NULL OR establishment_id = $2)
           AND {}
         GROUP BY rating",
        visible("establishment_id", 3)
    )))
    .bind(&company)
    .bind(place.as_deref())
    .bind(limited.as_deref())
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let mut distribution = vec![0u32; 5];
    let (mut count, mut stars_sum, mut answered) = (0i64, 0i64, 0i64);
    for (stars, n, with_reply) in by_stars {
        count += n;
        stars_sum += stars * n;
        answered += with_reply;
        if let Ok(i) = usize::try_from(stars - 1) {
            if i < 5 {
                distribution[i] = u32::try_from(n).unwrap_or(0);
            }
        }
    }
    let average = (count > 0).then(|| stars_sum as f64 / count as f64);
    let submitted_between = |a: i64, b: i64| {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM reviews WHERE company_id = $1 AND submitted_at >= $2 AND submitted_at < $3
             AND ($4 IS NULL OR establishment_id = $4) AND {}",
            visible("establishment_id", 5)
        )))
        .bind(company.clone())
        .bind(a)
        .bind(b)
        .bind(place.clone())
        .bind(limited.clone())
        .fetch_one(&ctx.db)
    };
    let average_between = |a: i64, b: i64| {
        sqlx::query_scalar::<_, Option<f64>>(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(AVG(rating) AS DOUBLE PRECISION) FROM reviews
             WHERE company_id = $1 AND status = 'published' AND submitted_at >= $2 AND submitted_at < $3
             AND ($4 IS NULL OR establishment_id = $4) AND {}",
            visible("establishment_id", 5)
        )))
        .bind(company.clone())
        .bind(a)
        .bind(b)
        .bind(place.clone())
        .bind(limited.clone())
        .fetch_one(&ctx.db)
    };
    let period_average = average_between(start, end).await.map_err(db(lang))?;
    let previous_average = average_between(previous_start, start)
        .await
        .map_err(db(lang))?;
    let new_reviews = submitted_between(start, end).await.map_err(db(lang))?;
    let previous = submitted_between(previous_start, start)
        .await
        .map_err(db(lang))?;

    // The last 12 months, oldest first, months without reviews included.
    let first_month = today
        .first_of_month()
        .checked_sub(jiff::Span::new().months(11))
        .unwrap_or(today);
    // Each month from its first Paris midnight to the next one (summer time included).
    let mut monthly = Vec::with_capacity(12);
    for i in 0..12 {
        let month = first_month
            .checked_add(jiff::Span::new().months(i))
            .unwrap_or(first_month);
        let next = month
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(month);
        let start = paris_day_start(&month.to_string(), false).ok_or_else(bad_date)?;
        let end = paris_day_start(&next.to_string(), false).ok_or_else(bad_date)?;
        let (n, avg): (i64, Option<f64>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), CAST(AVG(rating) AS DOUBLE PRECISION) FROM reviews
             WHERE company_id = $1 AND submitted_at >= $2 AND submitted_at < $3
             AND ($4 IS NULL OR establishment_id = $4) AND {}",
            visible("establishment_id", 5)
        )))
        .bind(&company)
        .bind(start)
        .bind(end)
        .bind(place.as_deref())
        .bind(limited.as_deref())
        .fetch_one(&ctx.db)
        .await
        .map_err(db(lang))?;
        monthly.push(MonthPoint {
            month: month.strftime("%Y-%m").to_string(),
            count: u32::try_from(n).unwrap_or(0),
            average: avg.map(round1),
        });
    }

    let median_seconds: Option<i64> = if answered > 0 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT reply_created_at - submitted_at FROM reviews
             WHERE company_id = $1 AND status = 'published' AND reply_created_at IS NOT NULL
               AND ($3 IS NULL OR establishment_id = $3) AND {}
             ORDER BY reply_created_at - submitted_at LIMIT 1 OFFSET $2",
            visible("establishment_id", 4)
        )))
        .bind(&company)
        .bind(answered / 2)
        .bind(place.as_deref())
        .bind(limited.as_deref())
        .fetch_optional(&ctx.db)
        .await
        .map_err(db(lang))?
    } else {
        None
    };

    Ok(Json(Summary {
        from: from.to_string(),
        to: to.to_string(),
        average: average.map(round1),
        count: u32::try_from(count).unwrap_or(0),
        distribution,
        new_reviews: u32::try_from(new_reviews).unwrap_or(0),
        previous_new_reviews: u32::try_from(previous).unwrap_or(0),
        change_percent: (previous > 0)
            .then(|| round1((new_reviews - previous) as f64 * 100.0 / previous as f64)),
        period_average: period_average.map(round1),
        previous_average: previous_average.map(round1),
        monthly,
        response_rate: (count > 0).then(|| round1(answered as f64 * 100.0 / count as f64)),
        median_response_hours: median_seconds.map(|s| round1(s as f64 / 3600.0)),
        awaiting_answer: u32::try_from(count - answered).unwrap_or(0),
    }))
}

/// The control points, in the order shown, with their names and what they check.
pub const POINTS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "legal_information",
        "Mentions légales",
        "Legal information",
        "Raison sociale, SIRET et coordonnées visibles sur votre site.",
        "Company name, SIRET and contact details shown on your website.",
    ),
    (
        "ssl",
        "Site sécurisé (SSL)",
        "Secure website (SSL)",
        "Votre site est servi en HTTPS avec un certificat valide.",
        "Your website is served over HTTPS with a valid certificate.",
    ),
    (
        "after_sales",
        "Service après-vente",
        "After-sales service",
        "Un moyen de contact et des conditions de retour clairs.",
        "A way to reach you and clear return conditions.",
    ),
    (
        "payment_delivery",
        "Paiement et livraison",
        "Payment and delivery",
        "Moyens de paiement sûrs, délais et frais de livraison annoncés.",
        "Safe payment methods, delivery times and costs stated.",
    ),
    (
        "marketplace",
        "Places de marché",
        "Marketplaces",
        "Vos boutiques sur les places de marché sont identifiées et cohérentes.",
        "Your marketplace shops are identified and consistent.",
    ),
    (
        "online_presence",
        "Présence en ligne",
        "Online presence",
        "Votre entreprise est trouvable et cohérente sur internet (annuaires, réseaux).",
        "Your company can be found and is consistent online (directories, networks).",
    ),
];

#[utoipa::path(tag = "dashboard", get, path = "/v1/company/trust-index", security(("bearer" = [])),
    responses((status = 200, body = TrustIndex)))]
/// The trust index: its score and each control point.
pub async fn trust_index(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<TrustIndex>, ApiError> {
    let lang = auth.lang;
    let company = auth.company_id.clone();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT point, status FROM trust_points WHERE company_id = $1")
            .bind(&company)
            .fetch_all(&ctx.db)
            .await
            .map_err(db(lang))?;
    let mut total = 0.0;
    let points: Vec<TrustPoint> = POINTS
        .iter()
        .map(|(key, fr, en, why_fr, why_en)| {
            let status = match rows.iter().find(|(p, _)| p == key).map(|(_, s)| s.as_str()) {
                Some("passed") => PointStatus::Passed,
                Some("partial") => PointStatus::Partial,
                Some("failed") => PointStatus::Failed,
                _ => PointStatus::Pending,
            };
            total += match status {
                PointStatus::Passed => 1.0,
                PointStatus::Partial => 0.5,
                _ => 0.0,
            };
            TrustPoint {
                key: (*key).to_owned(),
                label: lang.pick(fr, en),
                status,
                explanation: lang.pick(why_fr, why_en),
            }
        })
        .collect();
    let score = (total * 100.0 / POINTS.len() as f64).round();
    Ok(Json(TrustIndex {
        score: score.clamp(0.0, 100.0) as u8,
        points,
    }))
}
