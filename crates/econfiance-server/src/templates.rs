//! Reply templates (`/v1/reply-templates`): each company's own, written and named by its
//! owner, starting from a set of starter templates in French and English written the first
//! time the list is asked for. A company sees and changes only its own; another company's
//! template is "not found".

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use econfiance_api::templates::{
    ReplyTemplate, TemplateBody, Topic, MAX_BODY_CHARS, MAX_NAME_CHARS, MAX_TEMPLATES,
};

use crate::auth::sessions::AuthSession;
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiJson;
use crate::validate::{Fields, FormError};
use crate::AppContext;
use econfiance_api::team::Action;

mod starters;

/// The templates' path.
pub const TEMPLATES_PATH: &str = "/v1/reply-templates";

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route(TEMPLATES_PATH, get(list).post(create))
        .route("/v1/reply-templates/{id}", put(update).delete(remove))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    body: String,
    language: String,
    min_rating: i64,
    max_rating: i64,
    topic: Option<String>,
}

impl From<Row> for ReplyTemplate {
    fn from(r: Row) -> Self {
        ReplyTemplate {
            id: r.id,
            name: r.name,
            body: r.body,
            language: r.language,
            min_rating: u8::try_from(r.min_rating.clamp(1, 5)).unwrap_or(1),
            max_rating: u8::try_from(r.max_rating.clamp(1, 5)).unwrap_or(5),
            topic: r.topic.as_deref().and_then(Topic::parse),
        }
    }
}

/// A template's fields checked, each wrong one named.
fn check(body: &TemplateBody, lang: Lang) -> Result<TemplateBody, FormError> {
    let mut f = Fields::default();
    let name = f.text("name", &body.name, MAX_NAME_CHARS);
    if body.name.contains(['\r', '\n']) {
        f.error(
            "name",
            "invalid",
            "Le nom d'un modèle tient sur une ligne.",
            "A template's name fits on one line.",
        );
    }
    let text = f.text("body", &body.body, MAX_BODY_CHARS);
    if body.language != "fr" && body.language != "en" {
        f.error(
            "language",
            "invalid",
            "Choisissez la langue du modèle : français ou anglais.",
            "Choose the template's language: French or English.",
        );
    }
    let in_range = |n: u8| (1..=5).contains(&n);
    if !in_range(body.min_rating) || !in_range(body.max_rating) || body.min_rating > body.max_rating
    {
        f.error(
            "min_rating",
            "invalid",
            "Les notes vont de 1 à 5 étoiles, la plus basse d'abord.",
            "Ratings go from 1 to 5 stars, the lowest first.",
        );
    }
    f.finish(lang)?;
    Ok(TemplateBody {
        name,
        body: text,
        language: body.language.clone(),
        min_rating: body.min_rating,
        max_rating: body.max_rating,
        topic: body.topic,
    })
}

#[utoipa::path(tag = "templates", get, path = "/v1/reply-templates", security(("bearer" = [])),
    responses((status = 200, body = Vec<ReplyTemplate>),
        (status = 401, description = "`unauthorized`: no valid access token; renew it, or sign in again.", body = econfiance_api::ErrorBody)))]
/// The company's reply templates, by language then name; the starter templates are
/// written the first time.
pub async fn list(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Vec<ReplyTemplate>>, ApiError> {
    let lang = auth.lang;
    let company = auth.company_id.clone();
    seed_once(&ctx, &company, lang).await?;
    let rows = sqlx::query_as::<_, Row>(
        "SELECT id, name, body, language, min_rating, max_rating, topic FROM reply_templates
         WHERE company_id = $1 ORDER BY language, topic IS NOT NULL, min_rating DESC, name",
    )
    .bind(&company)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    Ok(Json(rows.into_iter().map(ReplyTemplate::from).collect()))
}

/// Writes the starter templates once per company: the flag and the rows in one
/// transaction, so that two first lists at once write them once.
async fn seed_once(ctx: &AppContext, company: &str, lang: Lang) -> Result<(), ApiError> {
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    let first = sqlx::query(
        "UPDATE companies SET templates_seeded = 1 WHERE id = $1 AND templates_seeded = 0",
    )
    .bind(company)
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?
    .rows_affected()
        == 1;
    if first {
        let now = ctx.clock.now();
        for s in starters::ALL {
            insert(&mut tx, company, &s.body(), now)
                .await
                .map_err(db(lang))?;
        }
    }
    tx.commit().await.map_err(db(lang))
}

async fn insert(
    tx: &mut crate::db::Tx<'_>,
    company: &str,
    t: &TemplateBody,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = crypto::random_id("tpl");
    sqlx::query(
        "INSERT INTO reply_templates (id, company_id, name, body, language, min_rating, max_rating, topic, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(company)
    .bind(&t.name)
    .bind(&t.body)
    .bind(&t.language)
    .bind(i64::from(t.min_rating))
    .bind(i64::from(t.max_rating))
    .bind(t.topic.map(Topic::as_str))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

#[utoipa::path(tag = "templates", post, path = "/v1/reply-templates", request_body = TemplateBody, security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody), (status = 201, body = ReplyTemplate),
        (status = 401, description = "`unauthorized`: no valid access token; renew it, or sign in again.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`limit_reached`: the company already has 100 templates; delete one first.", body = econfiance_api::ErrorBody),
        (status = 422, body = econfiance_api::account::ValidationErrorBody)))]
/// Adds a template.
pub async fn create(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<(StatusCode, Json<ReplyTemplate>), FormError> {
    let lang = auth.lang;
    auth.require(Action::EditTemplates)?;
    let t = check(&body, lang)?;
    let company = auth.company_id.clone();
    seed_once(&ctx, &company, lang).await?;
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("templates:{company}"))
        .await
        .map_err(db(lang))?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reply_templates WHERE company_id = $1")
            .bind(&company)
            .fetch_one(&mut *tx)
            .await
            .map_err(db(lang))?;
    if count >= MAX_TEMPLATES as i64 {
        return Err(ApiError::limit_reached(
            lang,
            &format!("Vous avez déjà {MAX_TEMPLATES} modèles : supprimez-en un pour en ajouter un autre."),
            &format!("You already have {MAX_TEMPLATES} templates: delete one to add another."),
        )
        .into());
    }
    let id = insert(&mut tx, &company, &t, ctx.clock.now())
        .await
        .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    Ok((
        StatusCode::CREATED,
        Json(one(&ctx, &company, &id, lang).await?),
    ))
}

async fn one(
    ctx: &AppContext,
    company: &str,
    id: &str,
    lang: Lang,
) -> Result<ReplyTemplate, ApiError> {
    sqlx::query_as::<_, Row>(
        "SELECT id, name, body, language, min_rating, max_rating, topic FROM reply_templates
         WHERE id = $1 AND company_id = $2",
    )
    .bind(id)
    .bind(company)
    .fetch_optional(&ctx.db)
    .await
    .map_err(db(lang))?
    .map(ReplyTemplate::from)
    .ok_or_else(|| ApiError::not_found(lang))
}

#[utoipa::path(tag = "templates", put, path = "/v1/reply-templates/{id}", request_body = TemplateBody, security(("bearer" = [])),
    params(("id" = String, Path, description = "The template")),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody), (status = 200, body = ReplyTemplate),
        (status = 401, description = "`unauthorized`: no valid access token; renew it, or sign in again.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: no such template in this company.", body = econfiance_api::ErrorBody),
        (status = 422, body = econfiance_api::account::ValidationErrorBody)))]
/// Changes a template.
pub async fn update(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<Json<ReplyTemplate>, FormError> {
    let lang = auth.lang;
    auth.require(Action::EditTemplates)?;
    let t = check(&body, lang)?;
    let company = auth.company_id.clone();
    let changed = sqlx::query(
        "UPDATE reply_templates SET name = $1, body = $2, language = $3, min_rating = $4, max_rating = $5, topic = $6, updated_at = $7
         WHERE id = $8 AND company_id = $9",
    )
    .bind(&t.name)
    .bind(&t.body)
    .bind(&t.language)
    .bind(i64::from(t.min_rating))
    .bind(i64::from(t.max_rating))
    .bind(t.topic.map(Topic::as_str))
    .bind(ctx.clock.now())
    .bind(&id)
    .bind(&company)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?
    .rows_affected();
    if changed == 0 {
        return Err(ApiError::not_found(lang).into());
    }
    Ok(Json(one(&ctx, &company, &id, lang).await?))
}

#[utoipa::path(tag = "templates", delete, path = "/v1/reply-templates/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "The template")),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change this.", body = econfiance_api::ErrorBody), (status = 204, description = "Deleted."),
        (status = 401, description = "`unauthorized`: no valid access token; renew it, or sign in again.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: no such template in this company.", body = econfiance_api::ErrorBody)))]
/// Deletes a template.
pub async fn remove(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    auth.require(Action::EditTemplates)?;
    let company = auth.company_id.clone();
    let gone = sqlx::query("DELETE FROM reply_templates WHERE id = $1 AND company_id = $2")
        .bind(&id)
        .bind(&company)
        .execute(&ctx.db)
        .await
        .map_err(db(lang))?
        .rows_affected();
    if gone == 0 {
        return Err(ApiError::not_found(lang));
    }
    Ok(StatusCode::NO_CONTENT)
}
