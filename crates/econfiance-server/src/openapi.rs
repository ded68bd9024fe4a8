//! The OpenAPI document, generated from the handlers and the `econfiance-api` types,
//! served at `/v1/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppContext;

/// The API's description.
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
    components(schemas(
        econfiance_api::ErrorBody,
        econfiance_api::reviews::Review,
        econfiance_api::reviews::Reply,
        econfiance_api::reviews::ReviewPage,
        econfiance_api::reviews::ReviewStatus,
        econfiance_api::reviews::ReviewSource,
        econfiance_api::reviews::ReplyBody,
        econfiance_api::reviews::FlagBody,
        econfiance_api::reviews::Summary,
        econfiance_api::reviews::MonthPoint,
        econfiance_api::reviews::TrustIndex,
        econfiance_api::reviews::TrustPoint,
        econfiance_api::reviews::PointStatus,
        econfiance_api::reviews::EventPage,
        econfiance_api::reviews::ReviewEvent,
        econfiance_api::reviews::EventKind,
        econfiance_api::PlatformStatus,
        econfiance_api::PlatformState,
        econfiance_api::auth::DeviceInfo,
        econfiance_api::auth::LoginRequestBody,
        econfiance_api::auth::RequestCreated,
        econfiance_api::auth::TokenRequest,
        econfiance_api::auth::TokenResponse,
        econfiance_api::auth::UserSummary,
        econfiance_api::auth::SessionInfo,
        econfiance_api::auth::ResetRequestBody,
        econfiance_api::auth::ResetConfirmBody,
        econfiance_api::auth::PasswordChangeBody,
        econfiance_api::account::FieldError,
        econfiance_api::account::ValidationErrorBody,
        econfiance_api::account::DemoSlots,
        econfiance_api::account::DemoRequestBody,
        econfiance_api::account::DemoBooked,
        econfiance_api::account::Me,
        econfiance_api::account::OnboardingBody,
        econfiance_api::account::TicketBody,
        econfiance_api::account::TicketCreated,
        econfiance_api::account::Ticket,
        econfiance_api::account::Contract,
        econfiance_api::account::DeletionRequestBody,
        econfiance_api::account::DeletionTerms,
    )),
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
