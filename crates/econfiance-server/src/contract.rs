//! The company's contract, and deletion requests (not self-service: a support ticket is
//! opened and the answer says when deletion can take effect and what the options are).
//! Starter and Standard carry a 12-month commitment; Pro and Premium are monthly.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use econfiance_api::account::{
    Commitment, Contract, DeletionRequestBody, DeletionTerms, Plan, TicketCategory,
};
use jiff::civil::Date;

use crate::auth::sessions::AuthSession;
use crate::calendar::paris_today;
use crate::error::{db, ApiError, Lang};
use crate::extract::{ApiJson, ClientAddress};
use crate::support::open_ticket;
use crate::AppContext;
use econfiance_api::team::Action;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/company/contract", get(contract))
        .route("/v1/company/deletion-requests", post(deletion_request))
}

/// Parses a stored plan.
pub fn parse_plan(text: &str) -> Plan {
    match text {
        "starter" => Plan::Starter,
        "pro" => Plan::Pro,
        "premium" => Plan::Premium,
        _ => Plan::Standard,
    }
}

/// The end of the commitment period running on `today` for a contract started on `start`:
/// the next anniversary (yearly or monthly) strictly after today.
pub fn period_end(start: Date, commitment: Commitment, today: Date) -> Date {
    let step = match commitment {
        Commitment::Annual => jiff::Span::new().years(1),
        Commitment::Monthly => jiff::Span::new().months(1),
    };
    let mut end = start.checked_add(step).unwrap_or(start);
    let mut n = 1i64;
    while end <= today && n < 2400 {
        n += 1;
        let span = match commitment {
            Commitment::Annual => jiff::Span::new().years(n),
            Commitment::Monthly => jiff::Span::new().months(n),
        };
        end = start.checked_add(span).unwrap_or(end);
    }
    end
}

/// The contract of the session's company (there is no way to name another company).
pub async fn load(ctx: &AppContext, company_id: &str, lang: Lang) -> Result<Contract, ApiError> {
    let (plan, started_at, created_at): (String, Option<i64>, i64) = sqlx::query_as(
        "SELECT c.plan, c.contract_started_at, c.created_at FROM companies c WHERE c.id = $1",
    )
    .bind(company_id)
    .fetch_optional(&ctx.db)
    .await
    .map_err(db(lang))?
    .ok_or_else(|| ApiError::not_found(lang))?;
    let plan = parse_plan(&plan);
    let commitment = plan.commitment();
    let start = paris_today(started_at.unwrap_or(created_at));
    let end = period_end(start, commitment, paris_today(ctx.clock.now()));
    Ok(Contract {
        plan,
        commitment,
        started_on: start.to_string(),
        commitment_ends_on: end.to_string(),
    })
}

#[utoipa::path(tag = "contract", get, path = "/v1/company/contract", security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: only an owner sees the contract and asks for deletion.", body = econfiance_api::ErrorBody), (status = 200, body = Contract),
        (status = 404, description = "`not_found`: the account has no company yet (its first-login form is not filled in).", body = econfiance_api::ErrorBody)))]
/// The company's plan and commitment.
pub async fn contract(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Contract>, ApiError> {
    auth.require(Action::Contract)?;
    load(&ctx, &auth.company_id, auth.lang).await.map(Json)
}

fn french_date(date: &str) -> String {
    // YYYY-MM-DD → DD/MM/YYYY
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => date.to_owned(),
    }
}

#[utoipa::path(tag = "contract", post, path = "/v1/company/deletion-requests", request_body = DeletionRequestBody, security(("bearer" = [])),
    responses((status = 403, description = "`forbidden`: only an owner sees the contract and asks for deletion.", body = econfiance_api::ErrorBody), (status = 201, body = DeletionTerms),
        (status = 404, description = "`not_found`: the account has no company yet (its first-login form is not filled in).", body = econfiance_api::ErrorBody),
        (status = 429, description = "`rate_limited`: this account sent its support messages for the hour; `Retry-After` says when to try again.", body = econfiance_api::ErrorBody)))]
/// Ask for the account's deletion: opens a support ticket and says the terms.
pub async fn deletion_request(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<DeletionRequestBody>,
) -> Result<(StatusCode, Json<DeletionTerms>), ApiError> {
    let lang = auth.lang;
    auth.require(Action::Contract)?;
    if body
        .reason
        .as_deref()
        .is_some_and(|r| r.chars().count() > 2000)
    {
        return Err(ApiError::invalid(
            lang,
            "Le motif est trop long (2 000 caractères au plus) : raccourcissez-le.",
            "The reason is too long (2,000 characters at most): shorten it.",
        ));
    }
    let contract = load(&ctx, &auth.company_id, lang).await?;
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(&auth.user_id)
        .fetch_one(&ctx.db)
        .await
        .map_err(db(lang))?;
    let company = Some(auth.company_id.clone());
    let reason: String = body
        .reason
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let message = if reason.trim().is_empty() {
        "(aucun motif indiqué)".to_owned()
    } else {
        reason
    };
    let ticket = open_ticket(
        &ctx,
        Some((&auth.user_id, company.as_deref())),
        &email,
        TicketCategory::SuppressionCompte,
        &lang.pick(
            "Demande de suppression du compte",
            "Account deletion request",
        ),
        &message,
        None,
        client,
        lang,
    )
    .await?;
    let date = french_date(&contract.commitment_ends_on);
    let (terms, options) = match contract.commitment {
        Commitment::Annual => (
            match lang {
                Lang::Fr => format!("Votre formule {} comporte un engagement de 12 mois : la suppression pourra prendre effet à la fin de la période en cours, le {date}. Le support vous contacte sous 48 heures pour la confirmer.", plan_name(contract.plan)),
                Lang::En => format!("Your {} plan carries a 12-month commitment: deletion can take effect at the end of the current period, on {date}. Support will contact you within 48 hours to confirm it.", plan_name(contract.plan)),
            },
            vec![
                lang.pick("Garder votre compte jusqu'au terme, puis le supprimer automatiquement à cette date.", "Keep your account until the end of the term, then have it deleted automatically on that date."),
                lang.pick("Passer à une formule mensuelle (Pro ou Premium) à l'échéance, sans engagement.", "Switch to a monthly plan (Pro or Premium) at the end of the term, with no commitment."),
                lang.pick("Suspendre dès maintenant l'affichage public de vos avis jusqu'au terme.", "Suspend the public display of your reviews now until the end of the term."),
                lang.pick("Télécharger toutes vos données (Paramètres › Mon compte › Télécharger mes données) avant la suppression.", "Download all your data (Settings › My account › Download my data) before deletion."),
            ],
        ),
        Commitment::Monthly => (
            match lang {
                Lang::Fr => format!("Votre formule {} est mensuelle, sans engagement : la suppression prendra effet à la fin du mois en cours, le {date}. Le support vous contacte sous 48 heures pour la confirmer.", plan_name(contract.plan)),
                Lang::En => format!("Your {} plan is monthly, with no commitment: deletion will take effect at the end of the current month, on {date}. Support will contact you within 48 hours to confirm it.", plan_name(contract.plan)),
            },
            vec![
                lang.pick("Télécharger toutes vos données (Paramètres › Mon compte › Télécharger mes données) avant la suppression.", "Download all your data (Settings › My account › Download my data) before deletion."),
                lang.pick("Annuler cette demande en répondant au support avant cette date.", "Cancel this request by answering support before that date."),
            ],
        ),
    };
    Ok((
        StatusCode::CREATED,
        Json(DeletionTerms {
            ticket,
            effective_on: contract.commitment_ends_on.clone(),
            contract,
            terms,
            options,
        }),
    ))
}

fn plan_name(plan: Plan) -> &'static str {
    match plan {
        Plan::Starter => "Starter",
        Plan::Standard => "Standard",
        Plan::Pro => "Pro",
        Plan::Premium => "Premium",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).expect("date")
    }

    #[test]
    fn annual_commitments_end_on_the_next_anniversary() {
        assert_eq!(
            period_end(d(2026, 3, 15), Commitment::Annual, d(2026, 11, 27)),
            d(2027, 3, 15)
        );
        assert_eq!(
            period_end(d(2024, 3, 15), Commitment::Annual, d(2026, 11, 27)),
            d(2027, 3, 15)
        );
        assert_eq!(
            period_end(d(2025, 11, 27), Commitment::Annual, d(2026, 11, 27)),
            d(2027, 11, 27)
        );
    }

    #[test]
    fn monthly_commitments_end_on_the_next_monthly_anniversary() {
        assert_eq!(
            period_end(d(2026, 9, 10), Commitment::Monthly, d(2026, 11, 27)),
            d(2026, 12, 10)
        );
        assert_eq!(
            period_end(d(2026, 1, 31), Commitment::Monthly, d(2026, 2, 10)),
            d(2026, 2, 28)
        );
    }
}
