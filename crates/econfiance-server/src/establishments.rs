//! A company's establishments (`econfiance_api::establishments`): listed with their
//! published reviews' figures, added, renamed, closed or reopened. The main one,
//! `et_<company id>`, is made with the company (a database trigger) and takes every review
//! that names no other; onboarding gives it the company's address.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use econfiance_api::establishments::{Establishment, EstablishmentBody, MAX_ESTABLISHMENTS};
use econfiance_api::team::Action;

use crate::auth::sessions::AuthSession;
use crate::crypto;
use crate::error::{db, ApiError};
use crate::extract::ApiJson;
use crate::validate::{is_valid_postal_code, Fields, FormError};
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/establishments", get(list).post(create))
        .route("/v1/establishments/{id}", put(update))
}

/// The main establishment of `company_id`.
pub fn main_of(company_id: &str) -> String {
    format!("et_{company_id}")
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    address: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    closed_at: Option<i64>,
    reviews: i64,
    answered: i64,
    average: Option<f64>,
}

impl Row {
    fn view(self, company_id: &str) -> Establishment {
        Establishment {
            main: self.id == main_of(company_id),
            id: self.id,
            name: self.name,
            address: self.address,
            postal_code: self.postal_code,
            city: self.city,
            closed: self.closed_at.is_some(),
            reviews: u32::try_from(self.reviews).unwrap_or(0),
            average: self.average.map(|a| (a * 10.0).round() / 10.0),
            response_rate: (self.reviews > 0).then(|| {
                (self.answered as f64 * 100.0 / self.reviews as f64 * 10.0).round() / 10.0
            }),
        }
    }
}

const SELECT: &str = "SELECT e.id, e.name, e.address, e.postal_code, e.city, e.closed_at,
    (SELECT COUNT(*) FROM reviews r WHERE r.establishment_id = e.id AND r.status = 'published') AS reviews,
    (SELECT COUNT(*) FROM reviews r WHERE r.establishment_id = e.id AND r.status = 'published' AND r.reply_created_at IS NOT NULL) AS answered,
    (SELECT CAST(AVG(r.rating) AS DOUBLE PRECISION) FROM reviews r WHERE r.establishment_id = e.id AND r.status = 'published') AS average
    FROM establishments e";

async fn one(ctx: &AppContext, company_id: &str, id: &str) -> Result<Option<Row>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE e.id = $1 AND e.company_id = $2"
    )))
    .bind(id)
    .bind(company_id)
    .fetch_optional(&ctx.db)
    .await
}

#[utoipa::path(tag = "establishments", get, path = "/v1/establishments", security(("bearer" = [])),
    responses((status = 200, body = Vec<Establishment>)))]
/// The company's establishments the session sees (a limited member's only), the main one
/// first, then by name (closed ones too).
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Vec<Establishment>>, ApiError> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE e.company_id = $1 AND {}
         ORDER BY CASE WHEN e.id = $2 THEN 0 ELSE 1 END, e.name, e.id",
        crate::scope::visible("e.id", 3)
    )))
    .bind(&auth.company_id)
    .bind(main_of(&auth.company_id))
    .bind(auth.limited_to())
    .fetch_all(&ctx.db)
    .await
    .map_err(db(auth.lang))?;
    Ok(Json(
        rows.into_iter().map(|r| r.view(&auth.company_id)).collect(),
    ))
}

/// The body's fields, checked: a name; a French postal code when given.
struct Checked {
    name: String,
    address: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
}

fn check(body: &EstablishmentBody, f: &mut Fields) -> Checked {
    let name = f.text("name", &body.name, 120);
    let address = f.optional_text("address", body.address.as_deref(), 300);
    let postal_code = f.optional_text("postal_code", body.postal_code.as_deref(), 10);
    if postal_code
        .as_deref()
        .is_some_and(|p| !is_valid_postal_code(p))
    {
        f.error(
            "postal_code",
            "invalid_postal_code",
            "Ce code postal n'est pas un code postal français (5 chiffres, par exemple 75001).",
            "This is not a French postal code (5 digits, for example 75001).",
        );
    }
    let city = f.optional_text("city", body.city.as_deref(), 100);
    Checked {
        name,
        address,
        postal_code,
        city,
    }
}

#[utoipa::path(tag = "establishments", post, path = "/v1/establishments", request_body = EstablishmentBody, security(("bearer" = [])),
    responses((status = 201, body = Establishment),
        (status = 403, description = "`forbidden`: the role (read only) may not change this, or the member sees only some establishments.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`limit_reached`: the company has 200 establishments.", body = econfiance_api::ErrorBody),
        (status = 422, description = "`validation_failed`: a blank name, a postal code that is not French.", body = econfiance_api::account::ValidationErrorBody)))]
/// Add an establishment (open).
pub async fn create(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<EstablishmentBody>,
) -> Result<(StatusCode, Json<Establishment>), FormError> {
    let lang = auth.lang;
    auth.require(Action::EditCompany)?;
    if auth.limited {
        return Err(ApiError::forbidden_limited(lang).into());
    }
    let mut f = Fields::default();
    let c = check(&body, &mut f);
    f.finish(lang)?;
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("establishments:{}", auth.company_id))
        .await
        .map_err(db(lang))?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM establishments WHERE company_id = $1")
            .bind(&auth.company_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db(lang))?;
    if count >= MAX_ESTABLISHMENTS as i64 {
        return Err(ApiError::limit_reached(
            lang,
            &format!("Votre entreprise a déjà {MAX_ESTABLISHMENTS} établissements : fermez ceux qui n'existent plus, ou contactez le support."),
            &format!("Your company already has {MAX_ESTABLISHMENTS} establishments: close those that no longer exist, or contact support."),
        )
        .into());
    }
    let id = crypto::random_id("et");
    sqlx::query(
        "INSERT INTO establishments (id, company_id, name, address, postal_code, city, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&auth.company_id)
    .bind(&c.name)
    .bind(&c.address)
    .bind(&c.postal_code)
    .bind(&c.city)
    .bind(ctx.clock.now())
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    let row = one(&ctx, &auth.company_id, &id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::internal(lang, "the establishment just written is gone"))?;
    tracing::info!(company = %auth.company_id, establishment = %id, "establishment added");
    Ok((StatusCode::CREATED, Json(row.view(&auth.company_id))))
}

#[utoipa::path(tag = "establishments", put, path = "/v1/establishments/{id}", request_body = EstablishmentBody, security(("bearer" = [])),
    params(("id" = String, Path, description = "The establishment")),
    responses((status = 200, body = Establishment),
        (status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: the company has no establishment with this id, or the member is not given it.", body = econfiance_api::ErrorBody),
        (status = 422, description = "`validation_failed`: a blank name, a postal code that is not French.", body = econfiance_api::account::ValidationErrorBody)))]
/// Rename an establishment, change its address, close or reopen it (its reviews stay).
pub async fn update(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EstablishmentBody>,
) -> Result<Json<Establishment>, FormError> {
    let lang = auth.lang;
    auth.require(Action::EditCompany)?;
    crate::scope::establishment(&ctx, &auth, &id).await?;
    let mut f = Fields::default();
    let c = check(&body, &mut f);
    f.finish(lang)?;
    let now = ctx.clock.now();
    let changed = sqlx::query(
        "UPDATE establishments SET name = $1, address = $2, postal_code = $3, city = $4,
             closed_at = CASE WHEN $5 = 0 THEN NULL ELSE COALESCE(closed_at, $6) END
         WHERE id = $7 AND company_id = $8",
    )
    .bind(&c.name)
    .bind(&c.address)
    .bind(&c.postal_code)
    .bind(&c.city)
    .bind(i64::from(body.closed))
    .bind(now)
    .bind(&id)
    .bind(&auth.company_id)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?
    .rows_affected();
    if changed == 0 {
        return Err(ApiError::not_found(lang).into());
    }
    let row = one(&ctx, &auth.company_id, &id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    tracing::info!(company = %auth.company_id, establishment = %id, closed = body.closed, "establishment changed");
    Ok(Json(row.view(&auth.company_id)))
}
