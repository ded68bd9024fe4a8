//! What the app's client makes of a server that misbehaves, over real HTTPS on loopback: an
//! answer that never comes, a proxy's HTML error page, a maintenance answer, JSON cut short
//! or of the wrong shape, a connection dropped mid-answer. Each becomes an error with a
//! stable code and a message in both languages that says what to do — no panic, no raw
//! detail shown to the user. (The server down, a certificate not trusted or for another
//! host, a clock off: `client_connection_check.rs` and `client_status.rs`.)

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use econfiance_api::Secret;
use econfiance_client::{api, ApiClient, BuildProfile, ClientError, Config, Language};

/// A server that answers every route badly, each in its own way.
async fn hostile_server() -> (ApiClient, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = econfiance_server::tls::ensure_certificate(dir.path(), &["127.0.0.1".into()])
        .expect("a certificate");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
        .await
        .expect("tls");
    let app = Router::new()
        // Never answers in time.
        .route(
            "/v1/status",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "{}"
            }),
        )
        // A proxy in front of the platform, with its own error page.
        .route(
            "/v1/me",
            get(|| async {
                (
                    StatusCode::BAD_GATEWAY,
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
                )
            }),
        )
        // The platform's own maintenance answer.
        .route(
            "/v1/dashboard/summary",
            get(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "120")],
                    axum::Json(serde_json::json!({
                        "code": "maintenance",
                        "message": "La plateforme est en maintenance jusqu'à 14 h. Réessayez ensuite."
                    })),
                )
                    .into_response()
            }),
        )
        // JSON cut short.
        .route(
            "/v1/company/contract",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"plan": "standard", "commitm"#,
                )
            }),
        )
        // Valid JSON, not the expected shape.
        .route(
            "/v1/demo/slots",
            get(|| async { axum::Json(serde_json::json!([1, 2, 3])) }),
        )
        // A body announced longer than what comes: the connection ends mid-answer.
        .route(
            "/v1/company/trust-index",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::CONTENT_LENGTH, "5000"),
                    ],
                    r#"{"score": 87"#,
                )
            }),
        );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    tokio::spawn(
        axum_server::from_tcp_rustls(listener, tls)
            .expect("a TLS listener")
            .serve(app.into_make_service()),
    );
    let config = Config::from_values(
        BuildProfile::Release,
        Some(&format!("https://{addr}")),
        Some(files.cert.clone()),
    )
    .expect("config");
    let client = ApiClient::with_request_timeout(config, Duration::from_secs(2)).expect("client");
    (client, dir)
}

/// The error as the UI gets it, in both languages: a code, and a message that is neither
/// empty nor a raw technical detail.
fn told(error: &ClientError, code: &str, fr_hint: &str) {
    let fr = error.to_body(Language::Fr);
    let en = error.to_body(Language::En);
    assert_eq!(fr.code, code, "{error:?}");
    assert_eq!(en.code, code);
    assert!(fr.message.contains(fr_hint), "{}", fr.message);
    for message in [&fr.message, &en.message] {
        assert!(!message.trim().is_empty());
        for raw in [
            "nginx", "<html", "502 Bad", "EOF", "hyper", "reqwest", "serde",
        ] {
            assert!(
                !message.contains(raw),
                "a raw detail reached the user: {message}"
            );
        }
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_plainly() {
    let (client, _dir) = hostile_server().await;
    let started = Instant::now();
    let error = client.status().await.expect_err("no answer in time");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the request was not cut at its limit"
    );
    told(&error, "server_timeout", "Réessayez");
}

#[tokio::test]
async fn a_proxy_error_page_and_a_maintenance_answer_are_told_as_such() {
    let (client, _dir) = hostile_server().await;
    let access = Secret::new("token".to_owned());
    let error = client
        .send_as(&api::account::me(), &access)
        .await
        .expect_err("a 502 page");
    assert!(
        matches!(error, ClientError::Server { status: 502 }),
        "{error:?}"
    );
    told(&error, "server_error", "Réessayez");

    // The platform's own error body is shown as it is, with its delay.
    let error = client
        .send_as(&api::reviews::summary(None, None), &access)
        .await
        .expect_err("maintenance");
    let body = error.to_body(Language::Fr);
    assert_eq!(body.code, "maintenance");
    assert!(body.message.contains("14 h"), "{}", body.message);
    assert_eq!(body.retry_after, Some(120));
}

#[tokio::test]
async fn malformed_or_cut_answers_are_unexpected_not_fatal() {
    let (client, _dir) = hostile_server().await;
    let access = Secret::new("token".to_owned());
    let error = client
        .send_as(&api::account::contract(), &access)
        .await
        .expect_err("truncated JSON");
    told(&error, "unexpected_response", "Mettez l'application à jour");
    let error = client
        .send(&api::account::demo_slots())
        .await
        .expect_err("wrong shape");
    told(&error, "unexpected_response", "Mettez l'application à jour");
    let error = client
        .send_as(&api::reviews::trust_index(), &access)
        .await
        .expect_err("the connection ended mid-answer");
    // Cut mid-body: either a transport failure or an undecodable body, said plainly.
    let code = error.to_body(Language::Fr).code;
    assert!(
        matches!(code.as_str(), "unexpected_response" | "network_unreachable"),
        "{error:?}"
    );
}
