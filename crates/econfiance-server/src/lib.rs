//! The reference e-confiance platform server, the "sandbox".
//!
//! It serves the platform's HTTPS API on rustls (ring provider) with a certificate it
//! generates on first run and keeps in its data folder, so that the desktop app can be tried
//! and tested without a platform account. Production points the app at the platform's URL.
//!
//! - [`config`]: flags and environment;
//! - [`tls`]: the sandbox certificate (generated once, then reused);
//! - [`status`]: `GET /v1/status`;
//! - [`serve`]: binding and serving.

pub mod config;
pub mod status;
pub mod tls;

use std::net::SocketAddr;

use axum::Router;
use tower_http::trace::TraceLayer;

pub use config::ServerConfig;

/// Shared state of the request handlers.
#[derive(Debug, Clone)]
pub struct AppContext {
    /// The server's configuration.
    pub config: ServerConfig,
}

/// The whole API as one router (tests can call it without a socket).
pub fn router(ctx: AppContext) -> Router {
    Router::new()
        .merge(status::router())
        .layer(TraceLayer::new_for_http())
        .with_state(ctx)
}

/// A server bound to its address, ready to serve.
pub struct BoundServer {
    listener: std::net::TcpListener,
    tls: axum_server::tls_rustls::RustlsConfig,
    ctx: AppContext,
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
        let app = router(self.ctx);
        axum_server::from_tcp_rustls(self.listener, self.tls)?
            .serve(app.into_make_service())
            .await
    }
}

/// Prepares the data folder and certificate, and binds the listening socket.
pub async fn bind(config: ServerConfig) -> Result<BoundServer, tls::TlsError> {
    install_crypto_provider();
    std::fs::create_dir_all(&config.data_dir).map_err(tls::TlsError::Io)?;
    let files = tls::ensure_certificate(&config.data_dir, &config.hostnames)?;
    let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
        .await
        .map_err(tls::TlsError::Io)?;
    let listener = std::net::TcpListener::bind(config.listen).map_err(tls::TlsError::Io)?;
    listener.set_nonblocking(true).map_err(tls::TlsError::Io)?;
    Ok(BoundServer {
        listener,
        tls,
        ctx: AppContext { config },
        cert_path: files.cert,
    })
}

/// Installs rustls' ring provider for the process (idempotent).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
