//! The app's connection check ("Problème de connexion ?") against the real server over
//! HTTPS: each failure is told as what it is — a name that cannot be found, a server that
//! is down, a certificate that is not trusted, a clock that is off — with what to do.

use econfiance_integration as support;

use econfiance_client::diagnose::{check_server, CheckLine, CheckStatus};
use econfiance_client::{ApiClient, BuildProfile, Config, Language};
use support::{start, Harness};

fn client(url: &str, ca: Option<std::path::PathBuf>) -> ApiClient {
    let config = Config::from_values(BuildProfile::Release, Some(url), ca).expect("config");
    ApiClient::new(config).expect("client")
}

fn trusted(h: &Harness) -> ApiClient {
    client(
        &h.url,
        Some(h.ctx.config.data_dir.join("tls/sandbox-cert.pem")),
    )
}

fn find<'a>(lines: &'a [CheckLine], id: &str) -> &'a CheckLine {
    lines
        .iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("no `{id}` line in {lines:?}"))
}

#[tokio::test]
async fn a_healthy_server_passes_every_step() {
    let h = start().await;
    let lines = check_server(&trusted(&h), Language::Fr).await;
    for id in ["server", "clock", "platform"] {
        assert_eq!(find(&lines, id).status, CheckStatus::Passed, "{lines:?}");
    }
}

#[tokio::test]
async fn a_server_that_is_down_is_told_as_such() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let lines = check_server(
        &client(&format!("https://127.0.0.1:{port}"), None),
        Language::Fr,
    )
    .await;
    let server = find(&lines, "server");
    assert_eq!(server.status, CheckStatus::Failed);
    assert!(
        server.message.contains("ne répond pas"),
        "{}",
        server.message
    );
    assert!(server
        .advice
        .as_deref()
        .unwrap_or_default()
        .contains("Réessayez"));
    assert_eq!(find(&lines, "platform").status, CheckStatus::Warning);
}

#[tokio::test]
async fn a_name_that_cannot_be_found_is_told_as_such() {
    let lines = check_server(&client("https://serveur.invalid", None), Language::En).await;
    let server = find(&lines, "server");
    assert_eq!(server.status, CheckStatus::Failed);
    assert!(
        server.message.contains("cannot be found"),
        "{}",
        server.message
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_told_as_such() {
    let h = start().await;
    // Without the sandbox's certificate, the client trusts only the usual roots.
    let lines = check_server(&client(&h.url, None), Language::Fr).await;
    let server = find(&lines, "server");
    assert_eq!(server.status, CheckStatus::Failed);
    assert!(server.message.contains("certificat"), "{}", server.message);
    assert!(server
        .advice
        .as_deref()
        .unwrap_or_default()
        .contains("heure"));
}

#[tokio::test]
async fn a_clock_ten_minutes_off_fails_and_says_which_way() {
    let h = start().await;
    // The platform's clock runs 10 minutes behind this computer's: this one is ahead.
    h.clock.advance(-600);
    let lines = check_server(&trusted(&h), Language::Fr).await;
    let clock = find(&lines, "clock");
    assert_eq!(clock.status, CheckStatus::Failed, "{clock:?}");
    assert!(
        clock.message.contains("en avance d'environ 10 min"),
        "{}",
        clock.message
    );
    assert!(clock
        .advice
        .as_deref()
        .unwrap_or_default()
        .contains("automatiquement"));

    h.clock.advance(1200);
    let lines = check_server(&trusted(&h), Language::En).await;
    assert!(find(&lines, "clock").message.contains("10 min behind"));
}

#[tokio::test]
async fn an_incident_is_told_with_its_message() {
    let h = start().await;
    econfiance_server::status::set(
        &h.ctx.db,
        econfiance_api::PlatformState::Outage,
        Some("Maintenance jusqu'à 14 h."),
        Some("Maintenance until 2 pm."),
        h.clock.now(),
    )
    .await
    .expect("status declared");
    let lines = check_server(&trusted(&h), Language::Fr).await;
    let platform = find(&lines, "platform");
    assert_eq!(platform.status, CheckStatus::Failed);
    assert!(
        platform.message.contains("Maintenance jusqu'à 14 h."),
        "{}",
        platform.message
    );
}
