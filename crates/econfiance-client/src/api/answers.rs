//! What the platform's answers become: an error answer the [`ClientError`] it says, a
//! transport failure the kind the user can act on (timeout, TLS, network), an HTTP date
//! the clock check's seconds.

use econfiance_api::ErrorBody;
use serde::de::DeserializeOwned;

use super::call::read_json;
use crate::ClientError;

/// Reads a server's answer as `T`: an error answer becomes the [`ClientError`] it says
/// (see [`refuse_errors`]), a success whose body is not a `T` is
/// [`ClientError::UnexpectedResponse`]. Every typed answer of [`ApiClient`] goes through
/// here (and the fuzz target `client_response`).
pub async fn decode_answer<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ClientError> {
    read_json(refuse_errors(response).await?).await
}

/// Passes a success through; turns an error answer into [`ClientError::Api`] (its
/// `{code, message}` body, `Retry-After`) or, when the body is not one,
/// [`ClientError::Server`].
pub async fn refuse_errors(response: reqwest::Response) -> Result<reqwest::Response, ClientError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let path = response.url().path().to_owned();
    let body = response.bytes().await.unwrap_or_default();
    // A validation answer is an ErrorBody with `fields` (ValidationErrorBody's shape).
    // An error body without a code or a message would leave the user with nothing to read:
    // it counts as no error body at all.
    // A code this build does not know is kept as `unknown` (its message is still shown);
    // an empty one is no code.
    let has_code = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("code")?.as_str().map(|c| !c.trim().is_empty()))
        .unwrap_or(false);
    match serde_json::from_slice::<ErrorBody>(&body)
        .ok()
        .filter(|e| has_code && !e.message.trim().is_empty())
    {
        Some(error) => {
            tracing::info!(path, status = status.as_u16(), code = %error.code, "the server refused");
            Err(ClientError::Api {
                status: status.as_u16(),
                code: error.code,
                message: error.message,
                retry_after: retry_after.or(error.retry_after),
                fields: error.fields,
            })
        }
        None => {
            tracing::warn!(
                path,
                status = status.as_u16(),
                "server answered with an error"
            );
            Err(ClientError::Server {
                status: status.as_u16(),
            })
        }
    }
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) as Unix seconds.
pub fn parse_http_date(text: &str) -> Option<i64> {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(text.trim())
        .ok()
        .map(|t| t.as_second())
}

/// Sorts a transport failure into what the user can act on.
pub(crate) fn classify(error: reqwest::Error) -> ClientError {
    let detail = error_chain(&error);
    let result = if error.is_timeout() {
        ClientError::Timeout
    } else if is_tls_failure(&error) {
        ClientError::Tls(detail)
    } else if error.is_decode() {
        ClientError::UnexpectedResponse(detail)
    } else {
        ClientError::NetworkUnreachable(detail)
    };
    tracing::warn!(code = %result.code(), error = %result, "request failed");
    result
}

fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if e.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        // I/O errors nest (hyper wraps tokio-rustls' error in another io::Error) and their
        // `source()` skips the wrapped error itself, so unwrap them by hand.
        let mut io = e.downcast_ref::<std::io::Error>();
        while let Some(inner) = io.and_then(std::io::Error::get_ref) {
            if inner.downcast_ref::<rustls::Error>().is_some() {
                return true;
            }
            io = inner.downcast_ref::<std::io::Error>();
        }
        current = e.source();
    }
    false
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    parts.join(": ")
}
