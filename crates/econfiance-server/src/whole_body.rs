//! Every request's body is read whole before the request is answered, whatever the answer.
//!
//! A request refused on its headers alone (no token, an unknown address, a limit reached)
//! would otherwise be answered with its body still arriving; the HTTP layer then closes the
//! connection after the answer, and a client that sends its next request on that kept-alive
//! connection finds it closed under it. Reading the body first keeps the connection usable.
//! The body is bounded by the route's limit (past it: 413 `body_too_large`, and the
//! connection closes) and by the request timeout, and read only once the per-address
//! limits let the request through (they refuse with nothing read).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, Lang};

/// The most bytes a body of `method path` may have: the support route's own limit for a
/// ticket sent (it carries a diagnostics report), the invitations' for a list of customers
/// or a CSV file, the server's limit everywhere else.
pub fn limit_for(method: &Method, path: &str, server_limit: usize) -> usize {
    if method == Method::POST && path == crate::support::TICKETS_PATH {
        crate::support::BODY_LIMIT
    } else {
        crate::invitations::body_limit(method, path).unwrap_or(server_limit)
    }
}

/// The middleware: reads the body (up to [`limit_for`] its path), then passes the request
/// on with the bytes read.
pub async fn read_first(
    State(server_limit): State<usize>,
    request: Request,
    next: Next,
) -> Response {
    let lang = Lang::from_headers(request.headers());
    let limit = limit_for(request.method(), request.uri().path(), server_limit);
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::body_too_large(lang).into_response();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        // Past the limit (a body without a length), or a client gone mid-body (the answer
        // then reaches nobody).
        Err(_) => ApiError::body_too_large(lang).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_sent_has_its_own_limit_and_every_other_request_the_servers() {
        assert_eq!(
            limit_for(&Method::POST, "/v1/support/tickets", 1000),
            crate::support::BODY_LIMIT
        );
        assert_eq!(limit_for(&Method::GET, "/v1/support/tickets", 1000), 1000);
        assert_eq!(limit_for(&Method::PUT, "/v1/me/password", 1000), 1000);
        assert_eq!(
            limit_for(&Method::POST, "/v1/support/tickets/x", 1000),
            1000
        );
        assert_eq!(
            limit_for(&Method::POST, "/v1/invitations/csv", 1000),
            econfiance_api::invitations::MAX_CSV_BYTES
        );
        assert_eq!(limit_for(&Method::GET, "/v1/invitations/csv", 1000), 1000);
    }
}
