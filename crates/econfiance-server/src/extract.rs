//! Extractors that answer bad input with the API's `{code, message}` errors.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Lang};

/// `Json<T>` whose rejections are API errors: 413 `body_too_large` past the body limit,
/// 400 `invalid_request` for malformed or deeply nested JSON and wrong fields.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(req.headers());
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(reject(&rejection, lang)),
        }
    }
}

fn reject(rejection: &JsonRejection, lang: Lang) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::body_too_large(lang);
    }
    tracing::debug!(reason = %rejection.body_text(), "malformed request body");
    ApiError::invalid(
        lang,
        "La requête est mal formée. Mettez l'application à jour ; si cela continue, contactez le support.",
        "The request is malformed. Update the app; if it goes on, contact support.",
    )
}

/// `Query<T>` whose rejection is the API's 400 `invalid_request` (a value of the wrong
/// type, an unknown status, a number out of range), in the request's language.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(&parts.headers);
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(reject_query(&rejection, lang)),
        }
    }
}

fn reject_query(rejection: &QueryRejection, lang: Lang) -> ApiError {
    tracing::debug!(reason = %rejection.body_text(), "malformed query");
    ApiError::invalid(
        lang,
        "Un filtre de la demande n'est pas valide. Mettez l'application à jour ; si cela continue, contactez le support.",
        "A filter of the request is not valid. Update the app; if it goes on, contact support.",
    )
}

/// The language of the request, as an extractor.
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(Lang::from_headers(&parts.headers)))
    }
}

/// The client's address (behind a trusted proxy, the one it forwarded), as its rate limits
/// key it ([`crate::ratelimit::client_key`]); the
/// unspecified address when the router runs without connection info (a test calling it
/// directly).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let resolved = parts
            .extensions
            .get::<crate::client_address::ClientIp>()
            .map(|client| client.0);
        let peer = resolved
            .or_else(|| {
                parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|info| info.0.ip())
            })
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        Ok(ClientAddress(crate::ratelimit::client_key(peer)))
    }
}
