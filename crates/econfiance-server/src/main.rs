//! `econfiance-server`: runs the sandbox platform server.

use clap::Parser;
use econfiance_server::ServerConfig;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ECONFIANCE_SERVER_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=debug")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = ServerConfig::parse();
    let server = match econfiance_server::bind(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("econfiance-server: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match server.local_addr() {
        // Scripts and tests read these two lines to find the port and the certificate.
        Ok(addr) => eprintln!("econfiance-server: listening on https://{addr}"),
        Err(e) => {
            eprintln!("econfiance-server: cannot read the bound address: {e}");
            return std::process::ExitCode::FAILURE;
        }
    }
    eprintln!(
        "econfiance-server: certificate {}",
        server.cert_path.display()
    );
    if let Err(e) = server.serve().await {
        eprintln!("econfiance-server: stopped: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
