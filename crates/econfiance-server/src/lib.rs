//! The reference e-confiance platform server, the "sandbox".
//!
//! It serves the platform's HTTPS API on rustls (ring provider) with a certificate it
//! generates on first run and keeps in its data folder, so that the desktop app can be tried
//! and tested without a platform account. Production points the app at the platform's URL.
//!
//! - [`config`]: command line, flags and environment;
//! - [`db`]: SQLite (embedded) or PostgreSQL through sqlx, with migrations for each;
//! - [`crypto`]: random secrets, keyed digests, PKCE, argon2id;
//! - [`auth`]: login and reset requests, the token endpoint, sessions, passwords;
//! - [`landing`]: the https pages mails link to (they open the app);
//! - [`demo`] (with [`calendar`]): demo slots and booking; [`account`]: me, onboarding,
//!   export; [`alerts`]: e-mail alerts for new reviews and the weekly digest; [`support`]: tickets; [`contract`]: plan, commitment, deletion requests;
//! - [`reviews`]: the review inbox (filters, search, paging, reply, flags, CSV, events);
//!   [`invitations`]: asking customers for reviews (invitations, CSV check, the public
//!   review form, the shareable link and its QR code); [`templates`]: reply templates;
//!   [`dashboard`]: the period summary and the trust index; [`fixtures`]: generated reviews;
//! - [`validate`]: form fields (SIRET, postal code, phone…), all errors in one answer;
//! - [`mail`]: mails, queued off the request path, over SMTP or into the sandbox outbox;
//! - [`ratelimit`]: per-address and per-e-mail limits;
//! - [`status`]: `GET /v1/status`; [`openapi`]: `GET /v1/openapi.json`;
//! - [`updates`]: the desktop app's update feed (Tauri updater format) and its packages;
//!   [`downloads`]: the installers of the download page, by system;
//! - [`admin`]: the admin commands; [`tls`]: the sandbox certificate; [`clock`]: time.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod auth;
pub mod calendar;
pub mod client_address;
pub mod clock;
pub mod config;
pub mod contract;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod downloads;
pub mod error;
pub mod establishments;
pub mod extract;
pub mod fixtures;
pub mod health;
pub mod invitations;
pub mod key_check;
pub mod landing;
pub mod mail;
pub mod mail_queue;
pub mod openapi;
pub mod ratelimit;
pub mod reviews;
pub mod scope;
pub mod status;
pub mod support;
pub mod team;
pub mod templates;
pub mod tls;
pub mod updates;
pub mod validate;
pub mod whole_body;
pub mod witness;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::db::Pool;
use axum::extract::DefaultBodyLimit;
use axum::Router;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use clock::Clock;
pub use config::ServerConfig;

/// Shared state of the request handlers.
#[derive(Debug, Clone)]
pub struct AppContext {
    /// The server's configuration.
    pub config: Arc<ServerConfig>,
    /// The database.
    pub db: Pool,
    /// The key that digests secrets.
    pub key: crypto::ServerKey,
    /// The time source.
    pub clock: Clock,
    /// The mail queue.
    pub mailer: mail_queue::MailQueue,
    /// Base URL of the pages in mails, without a trailing slash.
    pub public_url: String,
    /// The rate limits' state, in the database (shared by every instance).
    pub limiter: ratelimit::Limiter,
    /// An argon2id hash of a random password: unknown e-mails are verified against it so
    /// that they cost the same work as known ones.
    pub dummy_hash: Arc<String>,
    /// The sandbox's secret witness (nothing, unless configured): see [`witness`].
    pub witness: witness::Witness,
    /// Set when the server shuts down: readiness then answers 503.
    pub draining: health::Draining,
}

/// A request body read whole (up to the body limit) and thrown away, or not readable.
type BodyRead = Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>;

/// The whole application as one router (tests can call it without a socket).
pub fn router(ctx: AppContext) -> Router {
    let limits = ctx.config.limits.clone();
    let per_address = |group: &'static str| {
        axum::middleware::from_fn_with_state((ctx.clone(), group), ratelimit::per_address)
    };
    // Bodies read whole before any answer (whole_body.rs): inside the per-address limits,
    // so that a client they refuse has nothing read.
    let whole = || axum::middleware::from_fn_with_state(limits.body_bytes, whole_body::read_first);
    let auth = auth::router().layer(whole()).layer(per_address("auth"));
    // What anyone may call without an account: limited per client address, as auth is.
    let public = Router::new()
        .merge(status::router())
        .merge(openapi::router())
        .merge(demo::router())
        .merge(support::router())
        .merge(updates::router())
        .merge(downloads::router())
        .merge(landing::router(ctx.config.sandbox))
        .merge(landing::with_page_headers(invitations::form::router()))
        .merge(landing::with_page_headers(alerts::pages()))
        .layer(whole())
        .layer(per_address("public"));
    let signed_in = Router::new()
        .merge(account::router())
        .merge(alerts::router())
        .merge(contract::router())
        .merge(reviews::router())
        .merge(dashboard::router())
        .merge(invitations::router())
        .merge(templates::router())
        .merge(team::router())
        .merge(establishments::router())
        .merge(health::router())
        .layer(whole());
    Router::new()
        .merge(public)
        .merge(auth)
        .merge(signed_in)
        // Unknown addresses and methods get the API's `{code, message}` too, not an empty
        // body; their bodies are read first too (whatever their size, nothing is kept).
        .fallback(
            |extract::RequestLang(lang): extract::RequestLang, _body: BodyRead| async move {
                error::ApiError::not_found(lang)
            },
        )
        .method_not_allowed_fallback(
            |extract::RequestLang(lang): extract::RequestLang, _body: BodyRead| async move {
                error::ApiError::method_not_allowed(lang)
            },
        )
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            date_from_clock,
        ))
        // Outermost: who the client is, before any limit counts it.
        .layer(axum::middleware::from_fn_with_state(
            ctx.config.trusted_proxies.clone(),
            client_address::resolve,
        ))
        .with_state(ctx)
}

/// The span of an HTTP request in the logs: its method and its address with the values of
/// `code`, `token` and `request` replaced (a landing page's address holds a login code or
/// a reset token), whatever the log level.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        uri = %redacted_uri(request.uri()),
        version = ?request.version(),
    )
}

/// `uri` with the values of its secret-bearing query parameters, and the token of an
/// invitation's review form in its path, replaced by `…`.
pub fn redacted_uri(uri: &axum::http::Uri) -> String {
    let path = redacted_path(uri.path());
    let Some(query) = uri.query() else {
        return path;
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if matches!(name, "code" | "token" | "request") => format!("{name}=…"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// `path` with the invitation token of `/avis/invitation/<token>…` replaced by `…`.
fn redacted_path(path: &str) -> String {
    const FORM: &str = "/avis/invitation/";
    match path.strip_prefix(FORM) {
        Some(rest) => {
            let after = rest.find('/').map_or("", |i| &rest[i..]);
            format!("{FORM}…{after}")
        }
        None => path.to_owned(),
    }
}

/// Every answer's `Date` comes from the server's clock (the one its expiries use), so that
/// a client's clock check compares against the time the server really works with.
async fn date_from_clock(
    axum::extract::State(ctx): axum::extract::State<AppContext>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    if let Ok(value) = axum::http::HeaderValue::from_str(&clock::http_date(ctx.clock.now())) {
        response
            .headers_mut()
            .insert(axum::http::header::DATE, value);
    }
    response
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// TLS files.
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsError),
    /// Files or socket.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// The database.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// The database's migrations.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Mail settings.
    #[error("mail: {0}")]
    Mail(#[from] mail::MailError),
    /// The dummy password hash (equal work for unknown e-mails) could not be made.
    #[error("password hashing: {0}")]
    Hash(argon2::password_hash::Error),
    /// A start-up task stopped.
    #[error("start-up task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The database belongs to another server key.
    #[error("{0}")]
    Key(#[from] key_check::KeyCheckError),
}

/// How long a shutdown waits for the requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// A server bound to its address, ready to serve.
pub struct BoundServer {
    listener: std::net::TcpListener,
    tls: axum_server::tls_rustls::RustlsConfig,
    /// The request handlers' state (tests use its clock and database).
    pub ctx: AppContext,
    /// Where the certificate the clients must trust is.
    pub cert_path: std::path::PathBuf,
}

impl BoundServer {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends.
    pub async fn serve(self) -> std::io::Result<()> {
        self.serve_until(std::future::pending(), SHUTDOWN_GRACE)
            .await
    }

    /// Serves until `shutdown` completes; then answers "not ready" to the load balancer,
    /// takes no new connection, and finishes the requests in flight (for at most `grace`)
    /// before returning.
    pub async fn serve_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
        grace: Duration,
    ) -> std::io::Result<()> {
        let handle = axum_server::Handle::new();
        let stopper = handle.clone();
        let draining = self.ctx.draining.clone();
        tokio::spawn(async move {
            shutdown.await;
            draining.start();
            tracing::info!("shutting down: finishing the requests in flight");
            stopper.graceful_shutdown(Some(grace));
        });
        let app = router(self.ctx);
        axum_server::from_tcp_rustls(self.listener, self.tls)?
            .handle(handle)
            .serve(app.into_make_service_with_connect_info::<SocketAddr>())
            .await
    }
}

/// Prepares the data folder, certificate, key, database and mail, and binds the socket.
pub async fn bind(config: ServerConfig) -> Result<BoundServer, StartError> {
    bind_with_clock(config, Clock::default()).await
}

/// [`bind`] with a given clock (tests move it forward).
pub async fn bind_with_clock(
    config: ServerConfig,
    clock: Clock,
) -> Result<BoundServer, StartError> {
    install_crypto_provider();
    std::fs::create_dir_all(&config.data_dir)?;
    let files = tls::ensure_certificate(&config.data_dir, &config.hostnames)?;
    let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key).await?;
    let key = crypto::ServerKey::load_or_create(&config.server_key_path())?;
    let db = db::open(&config.data_dir, config.database_url.as_deref()).await?;
    key_check::ensure_same_key(&db, &key).await?;
    let listener = std::net::TcpListener::bind(config.listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("https://{addr}"));
    let mailer = mail_queue::MailQueue::new(db.clone(), &key);
    mailer.spawn_worker(mail::Delivery::new(
        config.mail.clone(),
        db.clone(),
        clock.clone(),
    )?);
    let dummy = crypto::random_token::<24>();
    let dummy_hash = tokio::task::spawn_blocking(move || crypto::hash_password(&dummy))
        .await?
        .map_err(StartError::Hash)?;
    let limiter = ratelimit::Limiter::new(db.clone());
    limiter.prune_every_minute();
    // The witness writes secrets to a file: a sandbox's only, whatever the configuration says.
    let witness =
        witness::Witness::open(config.secrets_witness.as_deref().filter(|_| config.sandbox))?;
    let ctx = AppContext {
        limiter,
        config: Arc::new(config),
        db,
        key,
        clock,
        mailer,
        public_url,
        dummy_hash: Arc::new(dummy_hash),
        witness,
        draining: health::Draining::default(),
    };
    alerts::spawn_worker(
        ctx.clone(),
        Duration::from_secs(ctx.config.limits.alerts_every_secs),
    );
    Ok(BoundServer {
        listener,
        tls,
        ctx,
        cert_path: files.cert,
    })
}

/// Installs rustls' ring provider for the process (idempotent).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_address_keeps_its_path_and_loses_its_secrets() {
        let uri: axum::http::Uri = "/auth/link?request=rq_1&code=K7M4-QX2P&lang=en"
            .parse()
            .expect("uri");
        assert_eq!(redacted_uri(&uri), "/auth/link?request=…&code=…&lang=en");
        let uri: axum::http::Uri = "/auth/reset?token=abc".parse().expect("uri");
        assert_eq!(redacted_uri(&uri), "/auth/reset?token=…");
        let uri: axum::http::Uri = "/v1/status".parse().expect("uri");
        assert_eq!(redacted_uri(&uri), "/v1/status");
        let uri: axum::http::Uri = "/avis/invitation/AbC123_secret/desabonnement?lang=fr"
            .parse()
            .expect("uri");
        assert_eq!(
            redacted_uri(&uri),
            "/avis/invitation/…/desabonnement?lang=fr"
        );
        let uri: axum::http::Uri = "/avis/invitation/AbC123_secret".parse().expect("uri");
        assert_eq!(redacted_uri(&uri), "/avis/invitation/…");
    }
}
