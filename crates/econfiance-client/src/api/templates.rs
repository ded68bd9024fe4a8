//! The reply templates' endpoints.

use econfiance_api::templates::{ReplyTemplate, TemplateBody};
use reqwest::Method;

use super::call::{segment, Call};

/// `GET /v1/reply-templates`.
pub fn list() -> Call<Vec<ReplyTemplate>> {
    Call::get("/v1/reply-templates")
}

/// `POST /v1/reply-templates`.
pub fn create(body: &TemplateBody) -> Call<ReplyTemplate> {
    Call::to(Method::POST, "/v1/reply-templates").json(body)
}

/// `PUT /v1/reply-templates/{id}`.
pub fn update(id: &str, body: &TemplateBody) -> Call<ReplyTemplate> {
    Call::to(Method::PUT, format!("/v1/reply-templates/{}", segment(id))).json(body)
}

/// `DELETE /v1/reply-templates/{id}`.
pub fn delete(id: &str) -> Call<()> {
    Call::empty(
        Method::DELETE,
        format!("/v1/reply-templates/{}", segment(id)),
    )
}
