//! The OpenAPI document, generated from the handlers and the `econfiance-api` types,
//! served at `/v1/openapi.json`: every route's parameters, bodies with the constraints the
//! server enforces, and every status it answers with its `{code, message}` body (the
//! contract test in the test command holds the server to it).

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::AppContext;

/// The API's description: the handlers, and the schemas of the bodies they name (utoipa
/// collects those, and the schemas they hold, so none is listed here).
#[derive(OpenApi)]
#[openapi(
    info(title = "e-confiance platform API", description = "The API the e-confiance desktop app talks to."),
    paths(
        crate::status::get_status,
        crate::auth::requests::create_login_request,
        crate::auth::requests::create_reset_request,
        crate::auth::passwords::confirm_reset,
        crate::auth::passwords::change_password,
        crate::auth::tokens::token,
        crate::auth::sessions::logout,
        crate::auth::sessions::list,
        crate::auth::sessions::revoke,
        crate::demo::slots,
        crate::demo::book,
        crate::account::me,
        crate::account::onboarding,
        crate::account::export,
        crate::alerts::settings,
        crate::alerts::change,
        crate::support::create,
        crate::support::list,
        crate::support::follow_up,
        crate::contract::contract,
        crate::contract::deletion_request,
        crate::reviews::list,
        crate::reviews::one,
        crate::reviews::put_reply,
        crate::reviews::delete_reply,
        crate::reviews::flag,
        crate::reviews::export,
        crate::reviews::events,
        crate::dashboard::summary,
        crate::dashboard::trust_index,
        crate::invitations::send,
        crate::invitations::check_csv,
        crate::invitations::list,
        crate::invitations::summary,
        crate::invitations::link::review_link,
        crate::invitations::link::qr_svg,
        crate::invitations::link::qr_png,
        crate::templates::list,
        crate::templates::create,
        crate::templates::update,
        crate::templates::remove,
        crate::team::team,
        crate::team::invite,
        crate::team::resend,
        crate::team::withdraw,
        crate::team::change_role,
        crate::team::remove,
        crate::team::leave,
        crate::team::switch_company,
        crate::establishments::list,
        crate::establishments::create,
        crate::establishments::update,
    ),
    tags(
        (name = "platform", description = "Whether the platform is up, or under maintenance."),
        (name = "sign-in", description = "Magic links, typed codes and passwords: getting tokens."),
        (name = "password", description = "Forgotten and changed passwords."),
        (name = "sessions", description = "The devices signed in to the account, and signing out."),
        (name = "demo", description = "Booking a demo before an account exists."),
        (name = "account", description = "The signed-in person, the first-login form and the data export."),
        (name = "support", description = "Asking support for help, signed in or not."),
        (name = "contract", description = "The plan, and asking for the account's deletion."),
        (name = "reviews", description = "The company's reviews, replies, flags, export and feed."),
        (name = "dashboard", description = "The dashboard's figures and the trust index."),
        (name = "invitations", description = "Asking customers for reviews: invitations, the CSV check, the shareable link and its QR code."),
        (name = "templates", description = "Reply templates: the company's own, with starters in French and English."),
        (name = "establishments", description = "The company's shops or sites, each with its own reviews."),
        (name = "team", description = "The company's members and their roles, colleagues invited by e-mail, and switching company."),
    ),
    modifiers(&BearerAuth, &CommonAnswers)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Adds the answers every operation of a kind can give, so that no handler can forget
/// them: 400 `invalid_request` where there is a body or a query, 413 `body_too_large`
/// where there is a body, 401 `unauthorized` where a token is required, 404 `not_found`
/// where the path names something. An answer a handler documents itself is kept as it is.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                add_common_answers(operation);
            }
        }
    }
}

fn add_common_answers(operation: &mut Operation) {
    let params = operation.parameters.as_deref().unwrap_or_default();
    let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
    let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let has_body = operation.request_body.is_some();
    let signed_in = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut answers = Vec::new();
    if has_body || has_query {
        answers.push(("400", "`invalid_request`: the body or a filter is malformed, of the wrong type or out of bounds."));
    }
    if has_body {
        answers.push((
            "413",
            "`body_too_large`: the body is larger than the server accepts.",
        ));
    }
    if signed_in {
        answers.push((
            "401",
            "`unauthorized`: no valid access token; renew it, or sign in again.",
        ));
    }
    if has_path {
        answers.push(("404", "`not_found`: nothing of that id for this account."));
    }
    for (status, description) in answers {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error_answer(description)));
    }
}

/// An error answer: `{code, message}` in JSON.
fn error_answer(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// `GET /v1/openapi.json`.
pub fn router() -> Router<AppContext> {
    Router::new().route(
        "/v1/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations() -> Vec<(String, Operation)> {
        let doc = ApiDoc::openapi();
        let mut all = Vec::new();
        for (path, item) in doc.paths.paths {
            for op in [item.get, item.put, item.post, item.delete, item.patch]
                .into_iter()
                .flatten()
            {
                all.push((path.clone(), op));
            }
        }
        all
    }

    #[test]
    fn every_path_parameter_is_declared() {
        for (path, op) in operations() {
            let declared: Vec<String> = op
                .parameters
                .iter()
                .flatten()
                .filter(|p| p.parameter_in == ParameterIn::Path)
                .map(|p| p.name.clone())
                .collect();
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(|c| c == '{' || c == '}');
                assert!(
                    declared.iter().any(|d| d == name),
                    "{path}: {name} undeclared"
                );
            }
        }
    }

    #[test]
    fn every_operation_has_a_readable_tag_and_its_common_answers() {
        let doc = ApiDoc::openapi();
        let known: Vec<String> = doc.tags.iter().flatten().map(|t| t.name.clone()).collect();
        for (path, op) in operations() {
            let tags = op.tags.clone().unwrap_or_default();
            assert_eq!(tags.len(), 1, "{path}: {tags:?}");
            assert!(
                known.contains(&tags[0]),
                "{path}: tag {} not described",
                tags[0]
            );
            let statuses: Vec<&String> = op.responses.responses.keys().collect();
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                assert!(statuses.iter().any(|s| *s == "401"), "{path}: {statuses:?}");
            }
            if op.request_body.is_some() {
                for status in ["400", "413"] {
                    assert!(
                        statuses.iter().any(|s| *s == status),
                        "{path}: {statuses:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn error_codes_are_listed_as_they_travel() {
        let json = serde_json::to_value(ApiDoc::openapi()).expect("json");
        let codes = &json["components"]["schemas"]["ErrorCode"]["enum"];
        assert!(
            codes
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "invalid_request")),
            "{codes}"
        );
        assert!(
            !codes
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "InvalidRequest")),
            "{codes}"
        );
    }
}
