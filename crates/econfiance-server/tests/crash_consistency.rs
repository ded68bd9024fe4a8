//! The sandbox server killed with SIGKILL while clients write replies: after a restart on
//! the same data every reply the server acknowledged (200) before dying is there, word for
//! word, and an SQLite file passes SQLite's integrity check; with two instances on one
//! database, one killed, the other serves on and holds every reply either acknowledged.
//! Killed while its mail server is down, the login mail it acknowledged is sent by the
//! next instance. The real binary, over HTTPS, on SQLite — or on PostgreSQL when the test
//! command runs the tests on one.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_econfiance-server");
const OWNER: &str = "marie@boulangerie-dupont.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

struct Server {
    child: Child,
    url: String,
    http: reqwest::Client,
}

/// The database the processes share: a fresh PostgreSQL database when the tests run on
/// one, else (None) the SQLite file in the data folder.
async fn database() -> Option<String> {
    match econfiance_integration::test_postgres() {
        Some(admin) => Some(econfiance_integration::fresh_postgres_database(&admin).await),
        None => None,
    }
}

fn admin(data: &Path, database: Option<&str>, args: &[&str]) {
    let status = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(database.map(|url| format!("--database-url={url}")))
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("the server's admin command runs");
    assert!(status.success(), "econfiance-server {args:?}: {status}");
}

/// Starts the server on `data` (mail into the sandbox outbox) and waits until it answers.
async fn serve(data: &Path, database: Option<&str>, listen: &str, log: &Path) -> Server {
    serve_mailing(data, database, listen, log, &["--mail-mode", "outbox"]).await
}

/// [`serve`], mail delivered as `mail` says.
async fn serve_mailing(
    data: &Path,
    database: Option<&str>,
    listen: &str,
    log: &Path,
    mail: &[&str],
) -> Server {
    let out = std::fs::File::create(log).expect("log file");
    let child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(database.map(|url| format!("--database-url={url}")))
        .args(["serve", "--sandbox", "--listen", listen])
        .args(mail)
        .env("ECONFIANCE_LIMIT_PER_IP_BURST", "100000")
        .env("ECONFIANCE_LIMIT_PER_EMAIL_BURST", "1000")
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("the server starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let (url, cert) = loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let url = text
            .lines()
            .find_map(|l| l.strip_prefix("econfiance-server: listening on "));
        let cert = text
            .lines()
            .find_map(|l| l.strip_prefix("econfiance-server: certificate "));
        if let (Some(url), Some(cert)) = (url, cert) {
            break (url.trim().to_owned(), PathBuf::from(cert.trim()));
        }
        assert!(
            Instant::now() < deadline,
            "the server did not start:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let pem = std::fs::read(cert).expect("the sandbox certificate");
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("pem"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    Server { child, url, http }
}

async fn login(server: &Server) -> String {
    let answer: Value = server
        .http
        .post(format!("{}/v1/auth/token", server.url))
        .json(
            &json!({"grant_type": "password", "email": OWNER, "password": PASSWORD,
                      "device": {"name": "PC-Accueil", "os": "Linux", "app_version": "0.1.0"}}),
        )
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("tokens");
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {answer}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replies_acknowledged_before_a_sigkill_are_all_there_after_a_restart() {
    sigkill_under_load(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_of_two_instances_killed_loses_no_acknowledged_reply_and_the_other_serves_on() {
    sigkill_under_load(true).await;
}

/// Eight writers answer reviews as fast as the server acknowledges; the server (or, with
/// `two`, one of two instances on the same database, each taking half the writers) is
/// killed mid-stream. Every acknowledged reply is then read back: from a restarted
/// server, or from the instance left, which kept serving its writers.
async fn sigkill_under_load(two: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let database = database().await;
    let database = database.as_deref();
    admin(
        &data,
        database,
        &["create-user", OWNER, "--onboarded", "--password", PASSWORD],
    );
    admin(
        &data,
        database,
        &["reviews", "seed", OWNER, "--count", "400"],
    );
    let listen = format!("127.0.0.1:{}", free_port());
    let mut server = serve(&data, database, &listen, &dir.path().join("first.log")).await;
    let other = if two {
        let listen = format!("127.0.0.1:{}", free_port());
        Some(serve(&data, database, &listen, &dir.path().join("other.log")).await)
    } else {
        None
    };
    let token = login(&server).await;
    let page: Value = server
        .http
        .get(format!(
            "{}/v1/reviews?answered=false&status=published&limit=200",
            server.url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("reviews")
        .json()
        .await
        .expect("a page");
    let ids: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    assert!(ids.len() >= 100, "only {} reviews to answer", ids.len());

    // Eight writers, each answering its own reviews as fast as the server acknowledges.
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut writers = Vec::new();
    for (w, chunk) in ids.chunks(ids.len().div_ceil(8)).enumerate() {
        // With two instances, the odd writers go to the one left running.
        let to = match &other {
            Some(other) if w % 2 == 1 => other,
            _ => &server,
        };
        let (http, url, token) = (to.http.clone(), to.url.clone(), token.clone());
        let (chunk, acknowledged) = (chunk.to_vec(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            for (i, id) in chunk.iter().enumerate() {
                let body = format!("Merci pour votre avis ! (rédacteur {w}, réponse {i})");
                let answer = http
                    .put(format!("{url}/v1/reviews/{id}/reply"))
                    .bearer_auth(&token)
                    .json(&json!({ "body": body }))
                    .send()
                    .await;
                match answer {
                    Ok(a) if a.status().is_success() => {
                        acknowledged.lock().expect("lock").push((id.clone(), body));
                    }
                    // The server died under this request: nothing was promised.
                    _ => break,
                }
            }
        }));
    }
    // Kill it mid-stream, once some replies are acknowledged and others are in flight.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().expect("lock").len() < 30 {
        assert!(Instant::now() < deadline, "the writers made no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("the server is gone");
    for writer in writers {
        writer.await.expect("a writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() < ids.len(),
        "the kill came after every write: nothing was tested"
    );

    if let Some(other) = &other {
        let size = ids.len().div_ceil(8);
        let theirs: Vec<&String> = ids
            .chunks(size)
            .enumerate()
            .filter(|(w, _)| w % 2 == 1)
            .flat_map(|(_, chunk)| chunk.iter())
            .collect();
        let served = acknowledged
            .iter()
            .filter(|(id, _)| theirs.contains(&id))
            .count();
        assert_eq!(
            served,
            theirs.len(),
            "the instance left running stopped serving its writers ({})",
            other.url
        );
    }

    // Restarted on the same data (or the instance left): consistent, nothing acknowledged
    // is lost.
    let mut server = match other {
        Some(other) => other,
        None => serve(&data, database, &listen, &dir.path().join("second.log")).await,
    };
    let token = login(&server).await;
    for (id, body) in &acknowledged {
        let review: Value = server
            .http
            .get(format!("{}/v1/reviews/{id}", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .expect("a review")
            .json()
            .await
            .expect("json");
        assert_eq!(
            review["reply"]["body"].as_str(),
            Some(body.as_str()),
            "an acknowledged reply is lost: {review}"
        );
    }
    server.child.kill().expect("stop");
    server.child.wait().expect("stopped");
    let pool = econfiance_server::db::open(&data, database)
        .await
        .expect("the database opens");
    if database.is_none() {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .expect("integrity check");
        assert_eq!(check, "ok");
    }
    let replies: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE reply_body IS NOT NULL")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert!(replies >= acknowledged.len() as i64);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_mail_acknowledged_before_a_sigkill_is_sent_by_the_next_instance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let database = database().await;
    let database = database.as_deref();
    admin(
        &data,
        database,
        &["create-user", OWNER, "--onboarded", "--password", PASSWORD],
    );
    // The first instance's mail server does not answer.
    let down = format!("smtp://127.0.0.1:{}", free_port());
    let mut first = serve_mailing(
        &data,
        database,
        &format!("127.0.0.1:{}", free_port()),
        &dir.path().join("first.log"),
        &["--mail-mode", "smtp", "--smtp-url", &down],
    )
    .await;
    let (_, challenge) = econfiance_integration::pkce();
    let answer = first
        .http
        .post(format!("{}/v1/auth/login-requests", first.url))
        .json(
            &json!({"email": OWNER, "code_challenge": challenge, "code_challenge_method": "S256",
                      "device": {"name": "PC-Accueil", "os": "Linux", "app_version": "0.1.0"}}),
        )
        .send()
        .await
        .expect("the login request");
    assert_eq!(answer.status(), 202, "the request is acknowledged");
    // Killed once its worker has tried and failed (a kill inside the claim would leave the
    // row leased for 5 minutes: delivered, but later than this test waits).
    let pool = econfiance_server::db::open(&data, database)
        .await
        .expect("the database");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let tried: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_queue WHERE attempts >= 1 AND claimed_until IS NULL",
        )
        .fetch_one(&pool)
        .await
        .expect("the queue");
        if tried == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the first instance never tried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("the server is gone");

    // The next instance, on the same data and a working mail server, sends it (after the
    // first attempt's retry delay, 10 s).
    let (capture, smtp) = econfiance_integration::SmtpCapture::start().await;
    let mut next = serve_mailing(
        &data,
        database,
        &format!("127.0.0.1:{}", free_port()),
        &dir.path().join("next.log"),
        &[
            "--mail-mode",
            "smtp",
            "--smtp-url",
            &format!("smtp://{smtp}"),
        ],
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue")
            .fetch_one(&pool)
            .await
            .expect("the queue");
        if (waiting == 0 && !capture.all().is_empty()) || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A second delivery would come within the worker's next polls.
    tokio::time::sleep(Duration::from_secs(2)).await;
    next.child.kill().expect("SIGKILL");
    let _ = next.child.wait();
    let mails = capture.all();
    assert_eq!(
        mails.len(),
        1,
        "the acknowledged mail is lost or sent twice"
    );
    assert!(
        mails[0].text.contains("/auth/link?request="),
        "not the login mail: {}",
        mails[0].text
    );
}
