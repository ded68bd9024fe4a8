//! The logged-in user's own account: `GET /v1/me` (is onboarding still needed?),
//! `PUT /v1/me/onboarding` (company and person, every field error at once), and
//! `GET /v1/me/export` (everything held about them and their company — reply templates and
//! e-mail alerts included: GDPR access and portability).

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use econfiance_api::account::{CompanyInfo, Me, OnboardingBody, PersonInfo};
use serde_json::{json, Value};

use crate::auth::sessions::AuthSession;
use crate::clock::rfc3339;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiJson;
use econfiance_api::team::{Action, Role};

use crate::validate::{is_valid_postal_code, is_valid_siret, normalise_website, Fields, FormError};
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/me", get(me))
        .route("/v1/me/onboarding", put(onboarding))
        .route("/v1/me/export", get(export))
}

#[derive(sqlx::FromRow)]
struct MeRow {
    id: String,
    email: String,
    locale: String,
    /// 1 or 0 (a portable boolean: SQLite has none).
    has_password: i64,
    onboarded_at: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    job_title: Option<String>,
    user_phone: Option<String>,
    legal_name: Option<String>,
    siret: Option<String>,
    address: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    website: Option<String>,
    sector: Option<String>,
    company_phone: Option<String>,
    role: String,
}

/// Reads the user's account view.
pub async fn load_me(
    ctx: &AppContext,
    user_id: &str,
    company_id: &str,
    lang: Lang,
) -> Result<Me, ApiError> {
    let row = sqlx::query_as::<_, MeRow>(
        "SELECT u.id, u.email, u.locale, CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, u.onboarded_at,
                u.first_name, u.last_name, u.job_title, u.phone AS user_phone,
                c.name AS legal_name, c.siret, c.address, c.postal_code, c.city, c.website, c.sector, c.phone AS company_phone,
                m.role
         FROM users u JOIN memberships m ON m.user_id = u.id JOIN companies c ON c.id = m.company_id
         WHERE u.id = $1 AND m.company_id = $2",
    )
    .bind(user_id)
    .bind(company_id)
    .fetch_one(&ctx.db)
    .await
    .map_err(db(lang))?;
    let role = Role::parse(&row.role).unwrap_or(Role::Reader);
    let companies = crate::team::companies_of(&ctx.db, user_id)
        .await
        .map_err(db(lang))?;
    let limited_establishments = crate::scope::is_limited(&ctx.db, company_id, user_id)
        .await
        .map_err(db(lang))?;
    Ok(Me {
        limited_establishments,
        company_id: company_id.to_owned(),
        company_onboarding_required: role == Role::Owner && row.siret.is_none(),
        role,
        can: role.abilities(),
        companies,
        user_id: row.id,
        email: row.email,
        locale: row.locale,
        onboarding_required: row.onboarded_at.is_none(),
        has_password: row.has_password != 0,
        person: PersonInfo {
            first_name: row.first_name,
            last_name: row.last_name,
            job_title: row.job_title,
            phone: row.user_phone,
        },
        company: CompanyInfo {
            legal_name: row.legal_name.unwrap_or_default(),
            siret: row.siret,
            address: row.address,
            postal_code: row.postal_code,
            city: row.city,
            website: row.website,
            sector: row.sector,
            phone: row.company_phone,
        },
    })
}

#[utoipa::path(tag = "account", get, path = "/v1/me", security(("bearer" = [])), responses((status = 200, body = Me)))]
/// The user's account, and whether onboarding is still needed.
pub async fn me(State(ctx): State<AppContext>, auth: AuthSession) -> Result<Json<Me>, ApiError> {
    load_me(&ctx, &auth.user_id, &auth.company_id, auth.lang)
        .await
        .map(Json)
}

#[utoipa::path(tag = "account", put, path = "/v1/me/onboarding", request_body = OnboardingBody, security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: the role (read only) may not change the company's details, nor a member who sees some establishments only.", body = econfiance_api::ErrorBody), (status = 200, body = Me), (status = 422, body = econfiance_api::account::ValidationErrorBody)))]
/// The first-login form: the company and the person.
pub async fn onboarding(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<OnboardingBody>,
) -> Result<Json<Me>, FormError> {
    let lang = auth.lang;
    let needs_company = company_onboarding_required(&ctx, &auth).await?;
    let mut f = Fields::default();
    let company = match &body.company {
        Some(c) => {
            auth.require(Action::EditCompany)?;
            // The company's name and address are every establishment's: not for a member
            // who sees some of them only.
            if auth.limited {
                return Err(ApiError::forbidden_limited(lang).into());
            }
            Some(company_fields(&mut f, c))
        }
        None => {
            if needs_company {
                f.error(
                    "company.legal_name",
                    "required",
                    "Les informations de l'entreprise sont demandées à sa première connexion.",
                    "The company's details are asked for at its first login.",
                );
            }
            None
        }
    };
    let p = &body.person;
    let first_name = f.text("person.first_name", &p.first_name, 100);
    let last_name = f.text("person.last_name", &p.last_name, 100);
    // The job title is asked of whoever gives the company's details; an invited colleague
    // gives only their name and phone.
    let job_title = if company.is_some() {
        Some(f.text("person.job_title", &p.job_title, 100))
    } else {
        f.optional_text("person.job_title", Some(&p.job_title), 100)
    };
    let person_phone = f.phone("person.phone", &p.phone);
    f.finish(lang)?;

    let now = ctx.clock.now();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    if let Some(c) = &company {
        sqlx::query(
            "UPDATE companies SET name = $1, siret = $2, address = $3, postal_code = $4, city = $5, website = $6, sector = $7, phone = $8
             WHERE id = $9",
        )
        .bind(&c.legal_name)
        .bind(&c.siret)
        .bind(&c.address)
        .bind(&c.postal_code)
        .bind(&c.city)
        .bind(&c.website)
        .bind(&c.sector)
        .bind(&c.phone)
        .bind(&auth.company_id)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
        // The main establishment takes the company's address, until it has one of its own.
        sqlx::query(
            "UPDATE establishments SET address = COALESCE(address, $1), postal_code = COALESCE(postal_code, $2),
                 city = COALESCE(city, $3) WHERE id = $4",
        )
        .bind(&c.address)
        .bind(&c.postal_code)
        .bind(&c.city)
        .bind(crate::establishments::main_of(&auth.company_id))
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    }
    sqlx::query(
        "UPDATE users SET first_name = $1, last_name = $2, job_title = $3, phone = $4, onboarded_at = COALESCE(onboarded_at, $5) WHERE id = $6",
    )
    .bind(&first_name)
    .bind(&last_name)
    .bind(&job_title)
    .bind(&person_phone)
    .bind(now)
    .bind(&auth.user_id)
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    Ok(Json(
        load_me(&ctx, &auth.user_id, &auth.company_id, lang).await?,
    ))
}

/// The company's part of the form, checked.
struct CompanyFields {
    legal_name: String,
    siret: String,
    address: String,
    postal_code: String,
    city: String,
    website: Option<String>,
    sector: String,
    phone: String,
}

fn company_fields(f: &mut Fields, c: &econfiance_api::account::OnboardingCompany) -> CompanyFields {
    let legal_name = f.text("company.legal_name", &c.legal_name, 200);
    let siret_raw = f.text("company.siret", &c.siret, 30);
    let siret: String = siret_raw.chars().filter(|ch| !ch.is_whitespace()).collect();
    if !siret_raw.is_empty() && !is_valid_siret(&siret) {
        f.error(
            "company.siret",
            "invalid_siret",
            "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres (ils figurent sur votre extrait Kbis ou votre avis de situation Insee).",
            "This SIRET number is not valid: check the 14 digits (they are on your Kbis extract or Insee notice).",
        );
    }
    let address = f.text("company.address", &c.address, 300);
    let postal_code = f.text("company.postal_code", &c.postal_code, 10);
    if !postal_code.is_empty() && !is_valid_postal_code(&postal_code) {
        f.error(
            "company.postal_code",
            "invalid_postal_code",
            "Ce code postal n'est pas un code postal français (5 chiffres, par exemple 75001).",
            "This is not a French postal code (5 digits, for example 75001).",
        );
    }
    let city = f.text("company.city", &c.city, 100);
    let website_raw = f.text("company.website", &c.website, 300);
    let website = normalise_website(&website_raw);
    if !website_raw.is_empty() && website.is_none() {
        f.error(
            "company.website",
            "invalid_website",
            "Cette adresse de site n'est pas valide : elle doit ressembler à www.votre-entreprise.fr.",
            "This website address is not valid: it should look like www.your-company.com.",
        );
    }
    let sector = f.text("company.sector", &c.sector, 100);
    let company_phone = f.phone("company.phone", &c.phone);
    CompanyFields {
        legal_name,
        siret,
        address,
        postal_code,
        city,
        website,
        sector,
        phone: company_phone,
    }
}

/// Whether the session's person must give the company's details at first login: its
/// owner, while they were never given.
async fn company_onboarding_required(
    ctx: &AppContext,
    auth: &AuthSession,
) -> Result<bool, ApiError> {
    if auth.role != Role::Owner {
        return Ok(false);
    }
    let siret: Option<String> = sqlx::query_scalar("SELECT siret FROM companies WHERE id = $1")
        .bind(&auth.company_id)
        .fetch_one(&ctx.db)
        .await
        .map_err(db(auth.lang))?;
    Ok(siret.is_none())
}

#[utoipa::path(tag = "account", get, path = "/v1/me/export", security(("bearer" = [])), responses((status = 200, description = "Everything held about the user and their company, as JSON")))]
/// Everything the platform holds about the user and their company (no secret digests).
pub async fn export(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Value>, ApiError> {
    let lang = auth.lang;
    let me = load_me(&ctx, &auth.user_id, &auth.company_id, lang).await?;
    // The contract is the owners' to see (as on its own route).
    let contract = match auth.require(Action::Contract) {
        Ok(()) => Some(crate::contract::load(&ctx, &auth.company_id, lang).await?),
        Err(_) => None,
    };
    type SessionRow = (
        String,
        String,
        String,
        i64,
        i64,
        Option<i64>,
        Option<String>,
    );
    let sessions: Vec<SessionRow> = sqlx::query_as(
        "SELECT device_name, device_os, app_version, created_at, last_used_at, revoked_at, revoked_reason FROM sessions WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(&auth.user_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let tickets = crate::support::tickets_of(&ctx, &auth.user_id, lang).await?;
    let requests: Vec<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT kind, device_name, device_os, created_at, consumed_at FROM auth_requests WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(&auth.user_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let demos: Vec<(String, String, String, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT name, company, phone, slot_start, message, created_at FROM demo_requests WHERE lower(email) = $1",
    )
    .bind(crate::auth::email_key(&me.email))
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let templates: Vec<(String, String, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT t.name, t.body, t.language, t.min_rating, t.max_rating, t.topic FROM reply_templates t
         WHERE t.company_id = $1 ORDER BY t.language, t.name",
    )
    .bind(&auth.company_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let (alert_max_rating, weekly): (Option<i64>, i64) =
        sqlx::query_as("SELECT alert_max_rating, weekly_digest FROM users WHERE id = $1")
            .bind(&auth.user_id)
            .fetch_one(&ctx.db)
            .await
            .map_err(db(lang))?;
    Ok(Json(json!({
        "exported_at": rfc3339(ctx.clock.now()),
        "reply_templates": templates.into_iter().map(|(name, body, language, min, max, topic)| json!({
            "name": name, "body": body, "language": language, "min_rating": min, "max_rating": max, "topic": topic,
        })).collect::<Vec<_>>(),
        "email_alerts": {"max_rating": alert_max_rating, "weekly_summary": weekly != 0},
        "account": me,
        "contract": contract,
        "sessions": sessions.into_iter().map(|(name, os, version, created, used, revoked, reason)| json!({
            "device_name": name, "os": os, "app_version": version, "created_at": rfc3339(created),
            "last_used_at": rfc3339(used), "revoked_at": revoked.map(rfc3339), "revoked_reason": reason,
        })).collect::<Vec<_>>(),
        "login_and_reset_requests": requests.into_iter().map(|(kind, name, os, created, consumed)| json!({
            "kind": kind, "device_name": name, "os": os, "created_at": rfc3339(created), "used_at": consumed.map(rfc3339),
        })).collect::<Vec<_>>(),
        "support_tickets": tickets,
        "demo_requests": demos.into_iter().map(|(name, company, phone, slot, message, created)| json!({
            "name": name, "company": company, "phone": phone, "slot_start": rfc3339(slot), "message": message, "created_at": rfc3339(created),
        })).collect::<Vec<_>>(),
    })))
}
