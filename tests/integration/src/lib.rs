//! Test harness: a real sandbox server over HTTPS on loopback, sending its mail over SMTP
//! to a real SMTP listener that captures it (and refuses, with a permanent 550, any
//! recipient whose address starts with `refused`), with a movable clock and captured logs.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use econfiance_server::config::{Limits, MailConfig};
use econfiance_server::{AppContext, Clock, ServerConfig};
use mail_parser::MimeHeaders;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A mail the SMTP listener received, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    /// Every envelope recipient (RCPT TO) of the message.
    pub recipients: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub raw: String,
    /// (file name, decoded text) of each attachment.
    pub attachments: Vec<(String, String)>,
}

/// A real SMTP listener on loopback that keeps every message.
#[derive(Clone, Default)]
pub struct SmtpCapture {
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpCapture {
    pub async fn start() -> (Self, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let addr = listener.local_addr().expect("addr");
        let capture = SmtpCapture::default();
        let mails = capture.mails.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let mails = mails.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read);
                    let _ = write.write_all(b"220 capture ESMTP\r\n").await;
                    let mut rcpt = String::new();
                    let mut recipients = Vec::new();
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            break;
                        }
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            b"250-capture\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            let to = line[8..].trim().trim_matches(['<', '>']).to_owned();
                            // A mailbox that does not exist, refused for good (5xx).
                            if to.starts_with("refused") {
                                let _ = write.write_all(b"550 5.1.1 no such mailbox\r\n").await;
                                continue;
                            }
                            rcpt = to;
                            recipients.push(rcpt.clone());
                            b"250 OK\r\n"
                        } else if upper.starts_with("DATA") {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            loop {
                                let mut l = String::new();
                                if lines.read_line(&mut l).await.unwrap_or(0) == 0 || l == ".\r\n" {
                                    break;
                                }
                                data.push_str(
                                    l.strip_prefix('.')
                                        .filter(|_| l.starts_with(".."))
                                        .unwrap_or(&l),
                                );
                            }
                            let mut mail = decode(&rcpt, &data);
                            mail.recipients = std::mem::take(&mut recipients);
                            mails.lock().expect("lock").push(mail);
                            b"250 OK queued\r\n"
                        } else if upper.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        (capture, addr)
    }

    pub fn all(&self) -> Vec<Mail> {
        self.mails.lock().expect("lock").clone()
    }

    pub fn count_to(&self, to: &str) -> usize {
        self.all()
            .iter()
            .filter(|m| m.to.eq_ignore_ascii_case(to))
            .count()
    }

    /// Waits for the `n`-th mail (1-based) to `to`.
    pub async fn nth_to(&self, to: &str, n: usize) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mails: Vec<Mail> = self
                .all()
                .into_iter()
                .filter(|m| m.to.eq_ignore_ascii_case(to))
                .collect();
            if mails.len() >= n {
                return mails[n - 1].clone();
            }
            assert!(
                Instant::now() < deadline,
                "no mail #{n} to {to} (have {}); the server's mail log:\n{}",
                mails.len(),
                captured_logs()
                    .lines()
                    .filter(|l| l.contains("mail"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn decode(to: &str, data: &str) -> Mail {
    let message = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .expect("a parsable mail");
    Mail {
        to: to.to_owned(),
        recipients: vec![to.to_owned()],
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html: message
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        raw: data.to_owned(),
        attachments: message
            .attachments()
            .map(|a| {
                (
                    a.attachment_name().unwrap_or_default().to_owned(),
                    String::from_utf8_lossy(a.contents()).into_owned(),
                )
            })
            .collect(),
    }
}

/// Every log line the server wrote in this test binary.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.get_or_init(Default::default).lock().expect("lock")).into_owned()
}

static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let buffer = LOGS.get_or_init(Default::default).clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || LogWriter(buffer.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

/// A running server, its SMTP capture and an HTTPS client that trusts it.
pub struct Harness {
    pub url: String,
    pub http: reqwest::Client,
    pub ctx: AppContext,
    pub smtp: SmtpCapture,
    pub clock: Clock,
    cert: Vec<u8>,
    _dir: tempfile::TempDir,
}

/// A server whose links can be asked again at once (tests of the cooldown set it).
pub async fn start() -> Harness {
    start_with(Limits {
        resend_cooldown_secs: 0,
        ..Limits::default()
    })
    .await
}

pub async fn start_with(limits: Limits) -> Harness {
    start_configured(|config| config.limits = limits).await
}

/// The PostgreSQL server the tests run the server on, when the test command started one:
/// `ECONFIANCE_TEST_POSTGRES`, an administrator's URL (`postgres://postgres@127.0.0.1:port/postgres`).
/// Unset, servers use the SQLite file in their data folder.
pub fn test_postgres() -> Option<String> {
    std::env::var("ECONFIANCE_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A new, empty database on the PostgreSQL server of `admin_url`; its URL.
pub async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("the test PostgreSQL server answers");
    let name = format!("t_{}", hex(&random_bytes::<8>()));
    // The name is ours: letters and digits only.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    let mut url = url::Url::parse(admin_url).expect("an URL");
    url.set_path(&name);
    url.to_string()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("randomness");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A sandbox server over HTTPS configured by `configure` (e.g. its trusted proxies), on a
/// fresh database of the test PostgreSQL server when there is one ([`test_postgres`]).
pub async fn start_configured(configure: impl FnOnce(&mut ServerConfig)) -> Harness {
    capture_logs();
    let dir = tempfile::tempdir().expect("tempdir");
    let (smtp, smtp_addr) = SmtpCapture::start().await;
    let mut config = ServerConfig::sandbox(dir.path());
    if let Some(admin) = test_postgres() {
        config.database_url = Some(fresh_postgres_database(&admin).await);
    }
    config.mail = MailConfig::Smtp {
        url: format!("smtp://{smtp_addr}"),
        from: "e-confiance <no-reply@e-confiance.test>".into(),
    };
    config.limits = Limits {
        resend_cooldown_secs: 0,
        ..Limits::default()
    };
    configure(&mut config);
    let clock = Clock::default();
    let server = econfiance_server::bind_with_clock(config, clock.clone())
        .await
        .expect("bind");
    let addr = server.local_addr().expect("addr");
    let cert = std::fs::read(&server.cert_path).expect("cert");
    let ctx = server.ctx.clone();
    tokio::spawn(server.serve());
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).expect("pem"))
        .build()
        .expect("client");
    Harness {
        url: format!("https://{addr}"),
        http,
        ctx,
        smtp,
        clock,
        cert,
        _dir: dir,
    }
}

impl Harness {
    /// The server's certificate (PEM), for clients other than [`Harness::http`].
    pub fn cert_pem(&self) -> &[u8] {
        &self.cert
    }

    /// Everything the database stores, as text. SQLite: the database file's bytes, its
    /// write-ahead log checkpointed first. PostgreSQL: every row of every table of the
    /// schema, as JSON.
    pub async fn stored_data(&self) -> String {
        use econfiance_server::db::Dialect;
        match Dialect::of(&self.ctx.db) {
            Dialect::Sqlite => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&self.ctx.db)
                    .await
                    .expect("checkpoint");
                let file = self
                    .ctx
                    .config
                    .data_dir
                    .join(econfiance_server::db::DB_FILE);
                String::from_utf8_lossy(&std::fs::read(file).expect("the database file"))
                    .into_owned()
            }
            Dialect::Postgres => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                )
                .fetch_all(&self.ctx.db)
                .await
                .expect("the tables");
                let mut all = String::new();
                for table in tables {
                    // Names from the catalogue, quoted.
                    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT to_jsonb(t)::text FROM \"{}\" t",
                        table.replace('"', "\"\"")
                    )))
                    .fetch_all(&self.ctx.db)
                    .await
                    .expect("the rows");
                    all.push_str(&rows.join("\n"));
                    all.push('\n');
                }
                // JSON shows binary columns in hex: their bytes too, as the SQLite file holds
                // them, so that a scan for a secret sees it there as well.
                let binary: Vec<(String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND data_type = 'bytea'",
                )
                .fetch_all(&self.ctx.db)
                .await
                .expect("the binary columns");
                for (table, column) in binary {
                    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
                    let values: Vec<Option<Vec<u8>>> = sqlx::query_scalar(sqlx::AssertSqlSafe(
                        format!("SELECT {} FROM {}", quote(&column), quote(&table)),
                    ))
                    .fetch_all(&self.ctx.db)
                    .await
                    .expect("the binary values");
                    for bytes in values.into_iter().flatten() {
                        all.push_str(&String::from_utf8_lossy(&bytes));
                        all.push('\n');
                    }
                }
                all
            }
        }
    }
}

/// A PKCE pair (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let verifier = format!(
        "{}{}",
        URL_SAFE_NO_PAD.encode(rand_bytes()),
        URL_SAFE_NO_PAD.encode(rand_bytes())
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn rand_bytes() -> [u8; 24] {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).expect("random");
    b
}

pub fn device() -> Value {
    json!({"name": "PC-Accueil", "os": "Ubuntu 24.04", "app_version": "0.1.0"})
}

impl Harness {
    /// Moves the server's clock so that "now" is `unix`.
    /// An HTTPS client that connects from `ip` (loopback has many addresses: 127.0.0.2…),
    /// as another computer would.
    pub fn client_from(&self, ip: &str) -> reqwest::Client {
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&self.cert).expect("pem"))
            .local_address(Some(ip.parse().expect("an address")))
            .build()
            .expect("client")
    }

    /// POSTs `body` to `path` from `client`; the status and the `{code}` of the answer.
    pub async fn post_from(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: Value,
    ) -> (u16, Value) {
        let r = client
            .post(format!("{}{}", self.url, path))
            .json(&body)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    }

    pub fn set_now(&self, unix: i64) {
        self.clock.advance(unix - self.clock.now());
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut r = self.http.get(format!("{}{}", self.url, path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let r = r.send().await.expect("send");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    }

    pub async fn create_user(&self, email: &str, password: Option<&str>) -> String {
        econfiance_server::admin::create_user(&self.ctx.db, email, password, "fr", self.clock.now())
            .await
            .expect("user")
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value, reqwest::header::HeaderMap) {
        let r = self
            .http
            .post(format!("{}{}", self.url, path))
            .json(&body)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.json::<Value>().await.unwrap_or(Value::Null);
        (status, body, headers)
    }

    pub async fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut r = self
            .http
            .request(method, format!("{}{}", self.url, path))
            .bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.expect("send");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// Asks for a login link; returns (request_id, verifier).
    pub async fn login_request(&self, email: &str) -> (String, String) {
        let (verifier, challenge) = pkce();
        let (status, body, _) = self
            .post(
                "/v1/auth/login-requests",
                json!({"email": email, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()}),
            )
            .await;
        assert_eq!(status, 202, "{body}");
        (
            body["request_id"].as_str().expect("id").to_owned(),
            verifier,
        )
    }

    pub async fn exchange(&self, request_id: &str, code: &str, verifier: &str) -> (u16, Value) {
        let (s, b, _) = self
            .post(
                "/v1/auth/token",
                json!({"grant_type": "login_code", "request_id": request_id, "code": code, "code_verifier": verifier}),
            )
            .await;
        (s, b)
    }

    pub async fn refresh(&self, refresh_token: &str) -> (u16, Value) {
        let (s, b, _) = self
            .post(
                "/v1/auth/token",
                json!({"grant_type": "refresh_token", "refresh_token": refresh_token}),
            )
            .await;
        (s, b)
    }

    /// Full magic-link login of an existing account: returns the token answer.
    pub async fn login(&self, email: &str) -> Value {
        let before = self.smtp.count_to(email);
        let (id, verifier) = self.login_request(email).await;
        let mail = self.smtp.nth_to(email, before + 1).await;
        let (status, body) = self.exchange(&id, &code_in(&mail.text), &verifier).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// A new account for `email` (the owner of its own company), logged in: its access
    /// token.
    pub async fn owner(&self, email: &str) -> String {
        self.create_user(email, None).await;
        access(&self.login(email).await)
    }
}

/// The access token of a token answer.
pub fn access(tokens: &Value) -> String {
    tokens["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// The `XXXX-XXXX` code in a login mail.
pub fn code_in(text: &str) -> String {
    let marker = text
        .find("code dans l'application : ")
        .or_else(|| text.find("code in the app: "))
        .expect("code line");
    let rest = &text[marker..];
    let start = rest.find(": ").expect("colon") + 2;
    rest[start..start + 9].to_owned()
}

/// The first https link in a mail's text.
pub fn link_in(text: &str) -> String {
    let start = text.find("https://").expect("an https link");
    text[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

/// A query parameter of a URL.
pub fn param(url: &str, name: &str) -> String {
    let parsed = url::Url::parse(url).expect("url");
    parsed
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .expect("param")
}
