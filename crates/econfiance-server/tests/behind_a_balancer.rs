//! Running behind a load balancer: the health endpoints it polls, and a shutdown that
//! finishes the requests in flight. (Client addresses behind a trusted proxy:
//! `public_routes.rs`.)

use std::time::Duration;

use econfiance_integration as support;

use econfiance_server::ServerConfig;
use serde_json::{json, Value};
use support::{device, pkce, start};

async fn get_json(http: &reqwest::Client, url: &str) -> (u16, Value) {
    let r = http.get(url).send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn readiness_needs_a_database_that_answers_with_every_migration() {
    let h = start().await;
    let ready = format!("{}/health/ready", h.url);
    assert_eq!(get_json(&h.http, &ready).await.0, 200);
    let (s, live) = get_json(&h.http, &format!("{}/health/live", h.url)).await;
    assert_eq!((s, live["status"].as_str()), (200, Some("live")));

    // A database behind this build's migrations is not ready.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&h.ctx.db)
    .await
    .expect("delete");
    let (s, body) = get_json(&h.http, &ready).await;
    assert_eq!(
        (s, body["reason"].as_str()),
        (503, Some("database not migrated")),
        "{body}"
    );

    // Nor is a database that does not answer (while the process still lives).
    h.ctx.db.close().await;
    let (s, body) = get_json(&h.http, &ready).await;
    assert_eq!(
        (s, body["reason"].as_str()),
        (503, Some("database unreachable")),
        "{body}"
    );
    assert_eq!(
        get_json(&h.http, &format!("{}/health/live", h.url)).await.0,
        200
    );
}

#[tokio::test]
async fn a_shutdown_finishes_the_request_in_flight_then_takes_no_new_one() {
    econfiance_server::install_crypto_provider();
    let dir = tempfile::tempdir().expect("dir");
    let server = econfiance_server::bind(ServerConfig::sandbox(dir.path()))
        .await
        .expect("bind");
    let url = format!("https://{}", server.local_addr().expect("addr"));
    let cert = std::fs::read(&server.cert_path).expect("cert");
    let draining = server.ctx.draining.clone();
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).expect("pem"))
        .build()
        .expect("client");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_until(
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(20),
    ));

    // A login request whose body is still arriving when the shutdown starts.
    let (_, challenge) = pkce();
    let body = json!({"email": "marie@exemple.fr", "code_challenge": challenge,
                      "code_challenge_method": "S256", "device": device()})
    .to_string();
    let (half, rest) = body.split_at(body.len() / 2);
    let (send_part, parts) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    send_part
        .send(Ok(half.as_bytes().to_vec()))
        .await
        .expect("part");
    let stream = futures::stream::unfold(parts, |mut parts| async move {
        parts.recv().await.map(|part| (part, parts))
    });
    let in_flight = tokio::spawn(
        http.post(format!("{url}/v1/auth/login-requests"))
            .header("content-type", "application/json")
            .header("content-length", body.len())
            .body(reqwest::Body::wrap_stream(stream))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).expect("stop");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(draining.is_on(), "readiness answers 503 from now on");
    assert!(
        !serving.is_finished(),
        "the server waits for the request in flight"
    );

    // The rest of the body: the request is answered in full.
    send_part
        .send(Ok(rest.as_bytes().to_vec()))
        .await
        .expect("rest");
    drop(send_part);
    let answer = in_flight
        .await
        .expect("task")
        .expect("an answer, not a cut connection");
    assert_eq!(answer.status().as_u16(), 202);

    // Then the server stops, and a new request finds nobody.
    tokio::time::timeout(Duration::from_secs(20), serving)
        .await
        .expect("stopped within the grace period")
        .expect("task")
        .expect("served");
    assert!(http.get(format!("{url}/v1/status")).send().await.is_err());
}
