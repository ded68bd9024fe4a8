//! The OpenAPI document, generated from the handlers and the `econfiance-api` types,
//! served at `/v1/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        crate::support::create,
        crate::support::list,
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
    ),
    modifiers(&BearerAuth)
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

/// `GET /v1/openapi.json`.
pub fn router() -> Router<AppContext> {
    Router::new().route(
        "/v1/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
