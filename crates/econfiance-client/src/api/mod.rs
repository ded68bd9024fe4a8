//! The one HTTP client of the app: a single `reqwest::Client` (timeouts, connection pool,
//! proxy settings from the environment), the configured base URL, the language the user
//! chose (sent as `Accept-Language`), and one sender for every endpoint.
//!
//! Endpoints are [`Call`]s, made by the functions of [`auth`], [`account`], [`reviews`],
//! [`support`], [`team`], [`templates`] and [`updates`]; [`ApiClient::send`] sends one without a session,
//! [`ApiClient::send_as`] with an access token (the session manager's
//! [`crate::session::SessionManager::call`] picks the token and renews it).
//!
//! Trust: the system's usual roots (webpki), plus — only when configured through
//! `ECONFIANCE_CA_FILE` — the certificates of that PEM file. The sandbox server's
//! self-generated certificate is trusted that way and no other.

pub mod account;
mod answers;
pub mod auth;
mod call;
pub mod invitations;
pub mod reviews;
pub mod support;
pub mod team;
pub mod templates;
pub mod updates;

use std::time::Duration;

use econfiance_api::{PlatformStatus, Secret};

pub use answers::{decode_answer, parse_http_date, refuse_errors};
pub use call::Call;

use crate::language::LanguageSetting;
use crate::{ClientError, Config, Language};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The app's client for the platform API. Clones share the connection pool and the
/// language.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: Config,
    language: LanguageSetting,
}

impl ApiClient {
    /// Builds the client (speaking French until told otherwise). Fails when the CA file
    /// cannot be read or holds no certificate.
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
        Ok(Self {
            http,
            config,
            language: LanguageSetting::default(),
        })
    }

    /// The configuration this client uses.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The language of the server's messages (and of this client's).
    pub fn language(&self) -> Language {
        self.language.get()
    }

    /// The same client, reading its language from `language` (shared with the app).
    pub fn sharing_language(mut self, language: LanguageSetting) -> Self {
        self.language = language;
        self
    }

    /// Speaks `language` from now on (every clone of this client too).
    pub fn set_language(&self, language: Language) {
        self.language.set(language);
    }

    /// Sends a call that needs no session.
    pub async fn send<T>(&self, call: &Call<T>) -> Result<T, ClientError> {
        let response = self.checked(self.request(call)).await?;
        (call.read)(response).await
    }

    /// Sends a call on behalf of the session whose access token is `access`.
    pub async fn send_as<T>(
        &self,
        call: &Call<T>,
        access: &Secret<String>,
    ) -> Result<T, ClientError> {
        let request = self.request(call).bearer_auth(access.expose());
        let response = self.checked(request).await?;
        (call.read)(response).await
    }

    /// `GET /v1/status`: the platform's declared state and incident message.
    pub async fn status(&self) -> Result<PlatformStatus, ClientError> {
        self.send(&Call::get("/v1/status")).await
    }

    /// `GET /v1/status` with the server's `Date` header (Unix seconds), for the clock check.
    pub async fn status_with_date(&self) -> Result<(PlatformStatus, Option<i64>), ClientError> {
        let response = self
            .checked(self.http.get(self.config.endpoint("/v1/status")))
            .await?;
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date);
        let status = call::read_json::<PlatformStatus>(response).await?;
        Ok((status, date))
    }

    fn request<T>(&self, call: &Call<T>) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(call.method.clone(), self.config.endpoint(&call.path));
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        } else if let Some(bytes) = &call.bytes {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(bytes.clone());
        }
        request
    }

    /// Sends with the language header; turns error answers into [`ClientError`]s.
    async fn checked(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, ClientError> {
        let response = request
            .header(
                reqwest::header::ACCEPT_LANGUAGE,
                self.language().pick("fr-FR", "en-GB"),
            )
            .send()
            .await
            .map_err(answers::classify)?;
        refuse_errors(response).await
    }
}
