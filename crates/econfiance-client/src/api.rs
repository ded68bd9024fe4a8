//! The one HTTP client of the app: a single `reqwest::Client` (timeouts, connection pool,
//! proxy settings from the environment), the configured base URL, and one place that turns
//! transport failures into [`ClientError`]s.
//!
//! Trust: the system's usual roots (webpki), plus — only when configured through
//! `ECONFIANCE_CA_FILE` — the certificates of that PEM file. The sandbox server's
//! self-generated certificate is trusted that way and no other.

use std::time::Duration;

use econfiance_api::account::{
    Contract, DeletionRequestBody, DeletionTerms, DemoBooked, DemoRequestBody, DemoSlots, Me,
    OnboardingBody, Ticket, TicketBody, TicketCreated,
};
use econfiance_api::auth::{
    LoginRequestBody, PasswordChangeBody, RequestCreated, ResetConfirmBody, ResetRequestBody,
    SessionInfo, TokenRequest, TokenResponse,
};
use econfiance_api::reviews::{
    EventPage, FlagBody, ReplyBody, Review, ReviewPage, ReviewQuery, Summary, TrustIndex,
};
use econfiance_api::{ErrorBody, PlatformStatus, Secret};
use serde::de::DeserializeOwned;

use crate::{ClientError, Config, Language};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// An update package may take minutes on a slow line.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The largest update package accepted (a release package is a few MiB; a debug build's
/// about 100).
pub const MAX_PACKAGE_BYTES: usize = 512 * 1024 * 1024;

/// The app's client for the platform API.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: Config,
}

impl ApiClient {
    /// Builds the client. Fails when the CA file cannot be read or holds no certificate.
    pub fn new(config: Config) -> Result<Self, ClientError> {
        Self::with_request_timeout(config, REQUEST_TIMEOUT)
    }

    /// [`ApiClient::new`] with another limit for a whole request than the app's 15 s (the
    /// fault tests use a short one to show what a server that never answers becomes).
    pub fn with_request_timeout(
        config: Config,
        request_timeout: Duration,
    ) -> Result<Self, ClientError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(config.server_url.scheme() == "https")
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(request_timeout)
            .user_agent(concat!("e-confiance-desktop/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &config.ca_file {
            let ca_error = |reason: String| ClientError::CaFile {
                path: path.clone(),
                reason,
            };
            let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
            let certs =
                reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| ca_error(e.to_string()))?;
            if certs.is_empty() {
                return Err(ca_error("no certificate in the file".into()));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::Tls(e.to_string()))?;
        Ok(Self { http, config })
    }

    /// The configuration this client uses.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `GET /v1/status`: the platform's declared state and incident message.
    pub async fn status(&self) -> Result<PlatformStatus, ClientError> {
        self.send(
            self.http.get(self.config.endpoint("/v1/status")),
            Language::Fr,
        )
        .await
    }

    /// `GET /v1/status` with the server's `Date` header (Unix seconds), for the clock check.
    pub async fn status_with_date(&self) -> Result<(PlatformStatus, Option<i64>), ClientError> {
        let response = self
            .checked(
                self.http.get(self.config.endpoint("/v1/status")),
                Language::Fr,
            )
            .await?;
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date);
        let status = decode_success::<PlatformStatus>(response).await?;
        Ok((status, date))
    }

    /// `POST /v1/support/tickets`, logged in (`access`) or not.
    pub async fn create_ticket(
        &self,
        access: Option<&Secret<String>>,
        body: &TicketBody,
        lang: Language,
    ) -> Result<TicketCreated, ClientError> {
        let mut request = self
            .http
            .post(self.config.endpoint("/v1/support/tickets"))
            .json(body);
        if let Some(access) = access {
            request = request.bearer_auth(access.expose());
        }
        self.send(request, lang).await
    }

    /// `GET /v1/support/tickets`: one's own tickets.
    pub async fn tickets(
        &self,
        access: &Secret<String>,
        lang: Language,
    ) -> Result<Vec<Ticket>, ClientError> {
        self.send(
            self.http
                .get(self.config.endpoint("/v1/support/tickets"))
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `GET /updates/{target}/{arch}/{current}`: the release newer than `current`, in the
    /// updater plugin's manifest format, or `None` when the app is up to date (204).
    pub async fn update_feed(
        &self,
        target: &str,
        arch: &str,
        current: &str,
        lang: Language,
    ) -> Result<Option<serde_json::Value>, ClientError> {
        let path = format!("/updates/{target}/{arch}/{current}");
        let response = self
            .checked(self.http.get(self.config.endpoint(&path)), lang)
            .await?;
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        decode_success::<serde_json::Value>(response)
            .await
            .map(Some)
    }

    /// Downloads an update package named by the feed, at most [`MAX_PACKAGE_BYTES`], with
    /// the time a large download needs (over https only, like every request of this client).
    /// Its signature is checked by the caller.
    pub async fn download_package(&self, url: &url::Url) -> Result<Vec<u8>, ClientError> {
        let mut response = self
            .checked(
                self.http.get(url.clone()).timeout(DOWNLOAD_TIMEOUT),
                Language::Fr,
            )
            .await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if bytes.len() + chunk.len() > MAX_PACKAGE_BYTES {
                return Err(ClientError::UnexpectedResponse(
                    "update package larger than the limit".into(),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// `GET /v1/company/contract`.
    pub async fn contract(
        &self,
        access: &Secret<String>,
        lang: Language,
    ) -> Result<Contract, ClientError> {
        self.send(
            self.http
                .get(self.config.endpoint("/v1/company/contract"))
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `POST /v1/company/deletion-requests`.
    pub async fn deletion_request(
        &self,
        access: &Secret<String>,
        body: &DeletionRequestBody,
        lang: Language,
    ) -> Result<DeletionTerms, ClientError> {
        self.send(
            self.http
                .post(self.config.endpoint("/v1/company/deletion-requests"))
                .bearer_auth(access.expose())
                .json(body),
            lang,
        )
        .await
    }

    /// `GET /v1/me/export`: the JSON document, as the server sent it.
    pub async fn export(
        &self,
        access: &Secret<String>,
        lang: Language,
    ) -> Result<Vec<u8>, ClientError> {
        let response = self
            .checked(
                self.http
                    .get(self.config.endpoint("/v1/me/export"))
                    .bearer_auth(access.expose()),
                lang,
            )
            .await?;
        response.bytes().await.map(|b| b.to_vec()).map_err(classify)
    }

    /// `GET /v1/dashboard/summary` (default period: the last 30 days).
    pub async fn summary(
        &self,
        access: &Secret<String>,
        from: Option<&str>,
        to: Option<&str>,
        lang: Language,
    ) -> Result<Summary, ClientError> {
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(f) = from {
            query.push(("from", f));
        }
        if let Some(t) = to {
            query.push(("to", t));
        }
        self.send(
            self.http
                .get(self.config.endpoint("/v1/dashboard/summary"))
                .query(&query)
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `GET /v1/company/trust-index`.
    pub async fn trust_index(
        &self,
        access: &Secret<String>,
        lang: Language,
    ) -> Result<TrustIndex, ClientError> {
        self.send(
            self.http
                .get(self.config.endpoint("/v1/company/trust-index"))
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `GET /v1/reviews` with filters and paging.
    pub async fn reviews(
        &self,
        access: &Secret<String>,
        query: &ReviewQuery,
        lang: Language,
    ) -> Result<ReviewPage, ClientError> {
        self.send(
            self.http
                .get(self.config.endpoint("/v1/reviews"))
                .query(query)
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `GET /v1/reviews/{id}`.
    pub async fn review(
        &self,
        access: &Secret<String>,
        id: &str,
        lang: Language,
    ) -> Result<Review, ClientError> {
        let url = self
            .config
            .endpoint(&format!("/v1/reviews/{}", urlencode(id)));
        self.send(self.http.get(url).bearer_auth(access.expose()), lang)
            .await
    }

    /// `PUT /v1/reviews/{id}/reply`.
    pub async fn put_reply(
        &self,
        access: &Secret<String>,
        id: &str,
        body: &str,
        lang: Language,
    ) -> Result<Review, ClientError> {
        let url = self
            .config
            .endpoint(&format!("/v1/reviews/{}/reply", urlencode(id)));
        self.send(
            self.http
                .put(url)
                .bearer_auth(access.expose())
                .json(&ReplyBody {
                    body: body.to_owned(),
                }),
            lang,
        )
        .await
    }

    /// `DELETE /v1/reviews/{id}/reply`.
    pub async fn delete_reply(
        &self,
        access: &Secret<String>,
        id: &str,
        lang: Language,
    ) -> Result<(), ClientError> {
        let url = self
            .config
            .endpoint(&format!("/v1/reviews/{}/reply", urlencode(id)));
        self.send_empty(self.http.delete(url).bearer_auth(access.expose()), lang)
            .await
    }

    /// `POST /v1/reviews/{id}/flags`.
    pub async fn flag(
        &self,
        access: &Secret<String>,
        id: &str,
        reason: &str,
        lang: Language,
    ) -> Result<(), ClientError> {
        let url = self
            .config
            .endpoint(&format!("/v1/reviews/{}/flags", urlencode(id)));
        self.send_empty(
            self.http
                .post(url)
                .bearer_auth(access.expose())
                .json(&FlagBody {
                    reason: reason.to_owned(),
                }),
            lang,
        )
        .await
    }

    /// `GET /v1/reviews/export.csv` with the same filters as the list.
    pub async fn export_reviews(
        &self,
        access: &Secret<String>,
        query: &ReviewQuery,
        lang: Language,
    ) -> Result<Vec<u8>, ClientError> {
        let response = self
            .checked(
                self.http
                    .get(self.config.endpoint("/v1/reviews/export.csv"))
                    .query(query)
                    .bearer_auth(access.expose()),
                lang,
            )
            .await?;
        response.bytes().await.map(|b| b.to_vec()).map_err(classify)
    }

    /// `GET /v1/reviews/events?after=N` (without `after`: just the newest position).
    pub async fn review_events(
        &self,
        access: &Secret<String>,
        after: Option<i64>,
        lang: Language,
    ) -> Result<EventPage, ClientError> {
        let mut request = self
            .http
            .get(self.config.endpoint("/v1/reviews/events"))
            .bearer_auth(access.expose());
        if let Some(a) = after {
            request = request.query(&[("after", a)]);
        }
        self.send(request, lang).await
    }

    /// `POST /v1/auth/login-requests`.
    pub async fn login_request(
        &self,
        body: &LoginRequestBody,
        lang: Language,
    ) -> Result<RequestCreated, ClientError> {
        self.send(
            self.http
                .post(self.config.endpoint("/v1/auth/login-requests"))
                .json(body),
            lang,
        )
        .await
    }

    /// `POST /v1/auth/password-resets`.
    pub async fn reset_request(
        &self,
        body: &ResetRequestBody,
        lang: Language,
    ) -> Result<RequestCreated, ClientError> {
        self.send(
            self.http
                .post(self.config.endpoint("/v1/auth/password-resets"))
                .json(body),
            lang,
        )
        .await
    }

    /// `POST /v1/auth/password-resets/confirm` (no tokens come back: nobody is signed in).
    pub async fn reset_confirm(
        &self,
        body: &ResetConfirmBody,
        lang: Language,
    ) -> Result<(), ClientError> {
        self.send_empty(
            self.http
                .post(self.config.endpoint("/v1/auth/password-resets/confirm"))
                .json(body),
            lang,
        )
        .await
    }

    /// `POST /v1/auth/token`.
    pub async fn token(
        &self,
        body: &TokenRequest,
        lang: Language,
    ) -> Result<TokenResponse, ClientError> {
        self.send(
            self.http
                .post(self.config.endpoint("/v1/auth/token"))
                .json(body),
            lang,
        )
        .await
    }

    /// `POST /v1/auth/logout`.
    pub async fn logout(&self, access: &Secret<String>, lang: Language) -> Result<(), ClientError> {
        self.send_empty(
            self.http
                .post(self.config.endpoint("/v1/auth/logout"))
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `GET /v1/auth/sessions`.
    pub async fn sessions(
        &self,
        access: &Secret<String>,
        lang: Language,
    ) -> Result<Vec<SessionInfo>, ClientError> {
        self.send(
            self.http
                .get(self.config.endpoint("/v1/auth/sessions"))
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `DELETE /v1/auth/sessions/{id}`.
    pub async fn revoke_session(
        &self,
        access: &Secret<String>,
        id: &str,
        lang: Language,
    ) -> Result<(), ClientError> {
        let url = self
            .config
            .endpoint(&format!("/v1/auth/sessions/{}", urlencode(id)));
        self.send_empty(self.http.delete(url).bearer_auth(access.expose()), lang)
            .await
    }

    /// `GET /v1/me`.
    pub async fn me(&self, access: &Secret<String>, lang: Language) -> Result<Me, ClientError> {
        self.send(
            self.http
                .get(self.config.endpoint("/v1/me"))
                .bearer_auth(access.expose()),
            lang,
        )
        .await
    }

    /// `PUT /v1/me/onboarding`: the first-login form.
    pub async fn onboarding(
        &self,
        access: &Secret<String>,
        body: &OnboardingBody,
        lang: Language,
    ) -> Result<Me, ClientError> {
        self.send(
            self.http
                .put(self.config.endpoint("/v1/me/onboarding"))
                .bearer_auth(access.expose())
                .json(body),
            lang,
        )
        .await
    }

    /// `PUT /v1/me/password` (the server ends the account's other sessions).
    pub async fn change_password(
        &self,
        access: &Secret<String>,
        body: &PasswordChangeBody,
        lang: Language,
    ) -> Result<(), ClientError> {
        self.send_empty(
            self.http
                .put(self.config.endpoint("/v1/me/password"))
                .bearer_auth(access.expose())
                .json(body),
            lang,
        )
        .await
    }

    /// `GET /v1/demo/slots`: the free demo appointments (no account needed).
    pub async fn demo_slots(&self, lang: Language) -> Result<DemoSlots, ClientError> {
        self.send(self.http.get(self.config.endpoint("/v1/demo/slots")), lang)
            .await
    }

    /// `POST /v1/demo/requests`: books a demo.
    pub async fn demo_request(
        &self,
        body: &DemoRequestBody,
        lang: Language,
    ) -> Result<DemoBooked, ClientError> {
        self.send(
            self.http
                .post(self.config.endpoint("/v1/demo/requests"))
                .json(body),
            lang,
        )
        .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        lang: Language,
    ) -> Result<T, ClientError> {
        let response = self.checked(request, lang).await?;
        decode_success(response).await
    }

    async fn send_empty(
        &self,
        request: reqwest::RequestBuilder,
        lang: Language,
    ) -> Result<(), ClientError> {
        self.checked(request, lang).await.map(|_| ())
    }

    /// Sends with the language header; turns error answers into [`ClientError`]s.
    async fn checked(
        &self,
        request: reqwest::RequestBuilder,
        lang: Language,
    ) -> Result<reqwest::Response, ClientError> {
        let response = request
            .header(
                reqwest::header::ACCEPT_LANGUAGE,
                lang.pick("fr-FR", "en-GB"),
            )
            .send()
            .await
            .map_err(classify)?;
        refuse_errors(response).await
    }
}

/// Reads a server's answer as `T`: an error answer becomes the [`ClientError`] it says
/// (see [`refuse_errors`]), a success whose body is not a `T` is
/// [`ClientError::UnexpectedResponse`]. Every typed answer of [`ApiClient`] goes through
/// here (and the fuzz target `client_response`).
pub async fn decode_answer<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ClientError> {
    decode_success(refuse_errors(response).await?).await
}

async fn decode_success<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ClientError> {
    response
        .json::<T>()
        .await
        .map_err(|e| ClientError::UnexpectedResponse(e.to_string()))
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
    match serde_json::from_slice::<ErrorBody>(&body)
        .ok()
        .filter(|e| !e.code.trim().is_empty() && !e.message.trim().is_empty())
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

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Sorts a transport failure into what the user can act on.
fn classify(error: reqwest::Error) -> ClientError {
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
    tracing::warn!(code = result.code(), error = %result, "request failed");
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
