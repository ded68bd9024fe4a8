//! The client and the server together over real HTTPS on loopback: the sandbox certificate
//! is trusted only when configured, and the status (with an incident) reaches the client.

use std::path::{Path, PathBuf};

use econfiance_api::PlatformState;
use econfiance_client::{ApiClient, BuildProfile, ClientError, Config};
use econfiance_server::ServerConfig;

async fn start_server(data_dir: &Path) -> (String, PathBuf) {
    let config = ServerConfig::sandbox(data_dir);
    let server = econfiance_server::bind(config).await.expect("bind");
    let addr = server.local_addr().expect("addr");
    let cert = server.cert_path.clone();
    tokio::spawn(server.serve());
    (format!("https://{addr}"), cert)
}

fn client(url: &str, ca: Option<PathBuf>) -> ApiClient {
    let config = Config::from_values(BuildProfile::Release, Some(url), ca).expect("config");
    ApiClient::new(config).expect("client")
}

#[tokio::test]
async fn status_is_operational_over_https_with_the_configured_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, cert) = start_server(dir.path()).await;
    let status = client(&url, Some(cert)).status().await.expect("status");
    assert_eq!(status.state, PlatformState::Operational);
    assert_eq!(status.message_fr, None);
}

#[tokio::test]
async fn sandbox_certificate_is_refused_unless_configured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, _cert) = start_server(dir.path()).await;
    let err = client(&url, None)
        .status()
        .await
        .expect_err("untrusted certificate");
    assert!(matches!(err, ClientError::Tls(_)), "{err:?}");
    assert_eq!(err.code(), "tls_failed");
}

#[tokio::test]
async fn certificate_for_another_host_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = ServerConfig::sandbox(dir.path());
    config.hostnames = vec!["platform.example.fr".into()];
    let server = econfiance_server::bind(config).await.expect("bind");
    let addr = server.local_addr().expect("addr");
    let cert = server.cert_path.clone();
    tokio::spawn(server.serve());
    let err = client(&format!("https://{addr}"), Some(cert))
        .status()
        .await
        .expect_err("name mismatch");
    assert_eq!(err.code(), "tls_failed", "{err:?}");
}

#[tokio::test]
async fn declared_incident_reaches_the_client() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, cert) = start_server(dir.path()).await;
    // What `econfiance-server status degraded --fr … --en …` does.
    let pool = econfiance_server::db::open(dir.path(), None)
        .await
        .expect("db");
    econfiance_server::status::set(
        &pool,
        PlatformState::Degraded,
        Some("Envoi des e-mails ralenti"),
        Some("E-mail delivery delayed"),
        1_795_766_400,
    )
    .await
    .expect("set status");
    let status = client(&url, Some(cert)).status().await.expect("status");
    assert_eq!(status.state, PlatformState::Degraded);
    assert_eq!(
        status.message_fr.as_deref(),
        Some("Envoi des e-mails ralenti")
    );
    assert_eq!(status.updated_at, "2026-11-27T08:00:00Z");
}

#[tokio::test]
async fn server_down_is_network_unreachable() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let err = client(&format!("https://127.0.0.1:{port}"), None)
        .status()
        .await
        .expect_err("nothing listens");
    assert_eq!(err.code(), "network_unreachable", "{err:?}");
}

#[tokio::test]
async fn plain_http_server_url_is_refused_by_a_release_build() {
    let err = Config::from_values(BuildProfile::Release, Some("http://127.0.0.1:8443"), None)
        .expect_err("http refused");
    assert_eq!(ClientError::from(err).code(), "config_invalid");
}

#[tokio::test]
async fn unreadable_ca_file_is_reported() {
    let config = Config::from_values(
        BuildProfile::Debug,
        None,
        Some(PathBuf::from("/nonexistent/ca.pem")),
    )
    .expect("config");
    let err = ApiClient::new(config).expect_err("no such file");
    assert_eq!(err.code(), "ca_file_unusable");
}
