//! A request refused before its body is read (no token, an unknown address) leaves its
//! connection usable for the next one. A client that sent the headers before the body, got
//! its answer and sends its next request on the same kept-alive connection must not find
//! the connection closed under it: a server that answered after the headers alone and, with
//! the body not yet read, closed the connection after its answer, made the next request
//! fail ("EOF occurred in violation of protocol", seen by the contract test). The server
//! reads each body whole before answering.

use std::sync::Arc;
use std::time::Duration;

use econfiance_integration as support;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

type Tls = TlsStream<tokio::net::TcpStream>;

/// A TLS connection to the harness's server, trusting its certificate only.
async fn connect(h: &support::Harness) -> Tls {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(h.cert_pem()) {
        roots.add(cert.expect("pem")).expect("root");
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let addr: std::net::SocketAddr = h.url.trim_start_matches("https://").parse().expect("addr");
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    TlsConnector::from(Arc::new(config))
        .connect(ServerName::IpAddress(addr.ip().into()), tcp)
        .await
        .expect("handshake")
}

/// Reads one answer (headers, then as many body bytes as `content-length` says).
async fn read_answer(tls: &mut Tls, what: &str) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().expect("length"));
            if got.len() >= end + 4 + length {
                return String::from_utf8_lossy(&got[..end + 4 + length]).into_owned();
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(10), tls.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("{what}: no answer within 10 s"))
            .unwrap_or_else(|e| panic!("{what}: the connection failed ({e})"));
        assert!(n > 0, "{what}: the connection was closed before the answer");
        got.extend_from_slice(&buf[..n]);
    }
}

/// Sends `method path` with a JSON body, the headers first and the body after a pause, and
/// returns its answer; then asks for the status page on the same connection and returns
/// that answer too.
async fn refused_then_next(h: &support::Harness, method: &str, path: &str) -> (String, String) {
    let mut tls = connect(h).await;
    let body = serde_json::json!({
        "current_password": "ancien mot de passe",
        "new_password": "x".repeat(4_000),
    })
    .to_string();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAccept-Language: fr\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    tls.write_all(head.as_bytes()).await.expect("headers");
    tls.flush().await.expect("flush");
    // A client sending its body a moment after its headers (a slow link, a large body).
    tokio::time::sleep(Duration::from_millis(200)).await;
    tls.write_all(body.as_bytes()).await.expect("body");
    tls.flush().await.expect("flush");
    let first = read_answer(&mut tls, "the refused request").await;
    // The answer read, the connection goes back to the client's pool, and is used again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    tls.write_all(b"GET /v1/status HTTP/1.1\r\nHost: localhost\r\nAccept-Language: fr\r\n\r\n")
        .await
        .expect("next request");
    tls.flush().await.expect("flush");
    let next = read_answer(&mut tls, "the next request on the same connection").await;
    (first, next)
}

#[tokio::test]
async fn a_request_refused_for_want_of_a_token_leaves_its_connection_usable() {
    let h = support::start().await;
    let (first, next) = refused_then_next(&h, "PUT", "/v1/me/password").await;
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    assert!(first.contains("\"code\":\"unauthorized\""), "{first}");
    assert!(next.starts_with("HTTP/1.1 200"), "{next}");
}

#[tokio::test]
async fn a_request_to_an_unknown_address_leaves_its_connection_usable() {
    let h = support::start().await;
    let (first, next) = refused_then_next(&h, "POST", "/v1/nowhere").await;
    assert!(first.starts_with("HTTP/1.1 404"), "{first}");
    assert!(first.contains("\"code\":\"not_found\""), "{first}");
    assert!(next.starts_with("HTTP/1.1 200"), "{next}");
}

/// A client the per-address limit refuses has nothing of its body read: the 429 comes at
/// once, without waiting for a body that never comes (a server reading bodies first would
/// wait for it until its request timeout, and the read below would give up).
#[tokio::test]
async fn a_client_over_its_limit_is_refused_without_its_body_being_read() {
    let h = support::start_with(econfiance_server::config::Limits {
        per_ip_burst: 1,
        per_ip_every_ms: 600_000,
        resend_cooldown_secs: 0,
        ..econfiance_server::config::Limits::default()
    })
    .await;
    // The address's one request.
    let first = h
        .http
        .get(format!("{}/v1/status", h.url))
        .send()
        .await
        .expect("status");
    assert_eq!(first.status(), 200);
    let mut tls = connect(&h).await;
    // Headers announcing a body that is never sent.
    tls.write_all(
        b"POST /v1/demo/requests HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n",
    )
    .await
    .expect("headers");
    tls.flush().await.expect("flush");
    let answer = read_answer(&mut tls, "a request over the limit, its body never sent").await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
}
