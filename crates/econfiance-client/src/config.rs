//! Which server the app talks to, and how it trusts it.
//!
//! Two settings, from the environment (later also from the settings file):
//! `ECONFIANCE_SERVER_URL` and `ECONFIANCE_CA_FILE`. Debug builds default to the sandbox
//! server on `https://127.0.0.1:8443`; release builds to the platform's production URL,
//! defined once here as [`PRODUCTION_SERVER_URL`]. HTTPS only: a release build refuses
//! `http://` entirely, a debug build accepts it for loopback addresses only.

use std::net::IpAddr;
use std::path::PathBuf;

use thiserror::Error;
use url::{Host, Url};

/// The platform's production API. The one place it is written.
pub const PRODUCTION_SERVER_URL: &str = "https://app.e-confiance.fr";
/// The sandbox server that `scripts/run.sh` starts, the default of debug builds.
pub const SANDBOX_SERVER_URL: &str = "https://127.0.0.1:8443";
/// Environment variable naming the server.
pub const ENV_SERVER_URL: &str = "ECONFIANCE_SERVER_URL";
/// Environment variable naming a PEM file of extra certificate authorities to trust.
pub const ENV_CA_FILE: &str = "ECONFIANCE_CA_FILE";

/// How the running binary was built; decides the defaults and whether loopback HTTP is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildProfile {
    /// A development build: sandbox by default, `http://` allowed to loopback.
    Debug,
    /// A build for users: production by default, HTTPS only.
    Release,
}

impl BuildProfile {
    /// The profile of the crate calling this (pass it from the app binary).
    pub const fn current() -> Self {
        if cfg!(debug_assertions) {
            BuildProfile::Debug
        } else {
            BuildProfile::Release
        }
    }
}

/// Where the app connects, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Base URL of the platform API, without a trailing slash.
    pub server_url: Url,
    /// Extra certificate authorities (PEM) to trust, e.g. the sandbox's own certificate.
    pub ca_file: Option<PathBuf>,
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// Not a URL.
    #[error("the server address `{0}` is not a valid URL")]
    InvalidUrl(String),
    /// `http://` where it is not allowed.
    #[error("the server address `{0}` uses plain http, which this build refuses")]
    InsecureScheme(String),
    /// Neither `https://` nor `http://`.
    #[error("the server address `{0}` must start with https://")]
    UnsupportedScheme(String),
    /// User info, query or fragment in the server address.
    #[error("the server address `{0}` must not carry a user name, query or fragment")]
    UnexpectedParts(String),
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env(profile: BuildProfile) -> Result<Self, ConfigError> {
        Self::from_values(
            profile,
            std::env::var(ENV_SERVER_URL).ok().as_deref(),
            std::env::var_os(ENV_CA_FILE).map(PathBuf::from),
        )
    }

    /// Builds and validates a configuration from explicit values (empty means unset).
    pub fn from_values(
        profile: BuildProfile,
        server_url: Option<&str>,
        ca_file: Option<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let raw = match server_url.map(str::trim) {
            Some(url) if !url.is_empty() => url,
            _ => match profile {
                BuildProfile::Debug => SANDBOX_SERVER_URL,
                BuildProfile::Release => PRODUCTION_SERVER_URL,
            },
        };
        let mut url = Url::parse(raw).map_err(|_| ConfigError::InvalidUrl(raw.to_owned()))?;
        match url.scheme() {
            "https" => {}
            "http" if profile == BuildProfile::Debug && is_loopback(&url) => {}
            "http" => return Err(ConfigError::InsecureScheme(raw.to_owned())),
            _ => return Err(ConfigError::UnsupportedScheme(raw.to_owned())),
        }
        if url.host().is_none() {
            return Err(ConfigError::InvalidUrl(raw.to_owned()));
        }
        if !url.username().is_empty()
            || url.password().is_some()
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err(ConfigError::UnexpectedParts(raw.to_owned()));
        }
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        let ca_file = ca_file.filter(|p| !p.as_os_str().is_empty());
        Ok(Config {
            server_url: url,
            ca_file,
        })
    }

    /// Whether the server is on this machine (the sandbox, in development and tests).
    pub fn is_loopback_server(&self) -> bool {
        is_loopback(&self.server_url)
    }

    /// The URL of an API path such as `/v1/status`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.server_url.as_str().trim_end_matches('/'), path)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BuildProfile::{Debug, Release};

    fn url(profile: BuildProfile, raw: Option<&str>) -> Result<String, ConfigError> {
        Config::from_values(profile, raw, None).map(|c| c.server_url.to_string())
    }

    #[test]
    fn debug_builds_default_to_the_sandbox() {
        assert_eq!(url(Debug, None), Ok("https://127.0.0.1:8443/".into()));
        assert_eq!(url(Debug, Some("  ")), Ok("https://127.0.0.1:8443/".into()));
    }

    #[test]
    fn release_builds_default_to_production() {
        assert_eq!(url(Release, None), Ok(format!("{PRODUCTION_SERVER_URL}/")));
    }

    #[test]
    fn https_is_accepted_everywhere() {
        for p in [Debug, Release] {
            assert_eq!(
                url(p, Some("https://api.example.fr/base/")),
                Ok("https://api.example.fr/base".into())
            );
        }
    }

    #[test]
    fn debug_builds_accept_http_to_loopback_only() {
        for raw in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:8080",
            "http://localhost:3000",
        ] {
            assert!(url(Debug, Some(raw)).is_ok(), "{raw}");
        }
        for raw in [
            "http://192.168.1.10",
            "http://example.fr",
            "http://localhost.evil.fr",
        ] {
            assert_eq!(
                url(Debug, Some(raw)),
                Err(ConfigError::InsecureScheme(raw.into()))
            );
        }
    }

    #[test]
    fn release_builds_refuse_http_even_to_loopback() {
        for raw in [
            "http://127.0.0.1:8443",
            "http://localhost",
            "http://example.fr",
        ] {
            assert_eq!(
                url(Release, Some(raw)),
                Err(ConfigError::InsecureScheme(raw.into()))
            );
        }
    }

    #[test]
    fn other_schemes_and_garbage_are_refused() {
        assert_eq!(
            url(Debug, Some("ftp://127.0.0.1")),
            Err(ConfigError::UnsupportedScheme("ftp://127.0.0.1".into()))
        );
        assert_eq!(
            url(Debug, Some("not a url")),
            Err(ConfigError::InvalidUrl("not a url".into()))
        );
        assert!(matches!(
            url(Debug, Some("https://user:pw@example.fr")),
            Err(ConfigError::UnexpectedParts(_))
        ));
        assert!(matches!(
            url(Debug, Some("https://example.fr/?x=1")),
            Err(ConfigError::UnexpectedParts(_))
        ));
    }

    #[test]
    fn endpoint_joins_paths_without_double_slashes() {
        let c = Config::from_values(Debug, Some("https://example.fr/api/"), None).expect("valid");
        assert_eq!(c.endpoint("/v1/status"), "https://example.fr/api/v1/status");
        let c = Config::from_values(Debug, Some("https://example.fr"), None).expect("valid");
        assert_eq!(c.endpoint("/v1/status"), "https://example.fr/v1/status");
    }

    #[test]
    fn empty_ca_file_means_none() {
        let c = Config::from_values(Debug, None, Some(PathBuf::new())).expect("valid");
        assert_eq!(c.ca_file, None);
    }
}
