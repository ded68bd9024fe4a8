//! The server's configuration: flags, each with an environment variable and a sane default.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// The reference e-confiance platform server (sandbox).
#[derive(Debug, Clone, Parser)]
#[command(name = "econfiance-server", version, about)]
pub struct ServerConfig {
    /// Address to listen on (use port 0 to pick a free port).
    #[arg(
        long,
        env = "ECONFIANCE_SERVER_LISTEN",
        default_value = "127.0.0.1:8443"
    )]
    pub listen: SocketAddr,

    /// Folder for the server's data: its TLS certificate and key, `status.json`.
    #[arg(long, env = "ECONFIANCE_SERVER_DATA", default_value = "sandbox-data")]
    pub data_dir: PathBuf,

    /// Host names and addresses the generated certificate is valid for.
    #[arg(
        long = "hostname",
        env = "ECONFIANCE_SERVER_HOSTNAMES",
        value_delimiter = ',',
        default_value = "127.0.0.1,localhost,::1"
    )]
    pub hostnames: Vec<String>,
}
