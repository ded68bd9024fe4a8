//! The one HTTP client of the app: a single `reqwest::Client` (timeouts, connection pool,
//! proxy settings from the environment), the configured base URL, and one place that turns
//! transport failures into [`ClientError`]s.
//!
//! Trust: the system's usual roots (webpki), plus — only when configured through
//! `ECONFIANCE_CA_FILE` — the certificates of that PEM file. The sandbox server's
//! self-generated certificate is trusted that way and no other.

use std::time::Duration;

use econfiance_api::PlatformStatus;
use serde::de::DeserializeOwned;

use crate::{ClientError, Config};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The app's client for the platform API.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: Config,
}

impl ApiClient {
    /// Builds the client. Fails when the CA file cannot be read or holds no certificate.
    pub fn new(config: Config) -> Result<Self, ClientError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(config.server_url.scheme() == "https")
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
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
        self.get_json("/v1/status").await
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let response = self
            .http
            .get(self.config.endpoint(path))
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        if !status.is_success() {
            tracing::warn!(
                path,
                status = status.as_u16(),
                "server answered with an error"
            );
            return Err(ClientError::Server {
                status: status.as_u16(),
            });
        }
        response
            .json::<T>()
            .await
            .map_err(|e| ClientError::UnexpectedResponse(e.to_string()))
    }
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
