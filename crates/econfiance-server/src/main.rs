//! `econfiance-server`: runs the sandbox platform server, and its admin commands.

use clap::Parser;
use econfiance_api::PlatformState;
use econfiance_server::config::{Cli, Command, StateArg};
use econfiance_server::{admin, db, status, Clock, ServerConfig};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ECONFIANCE_SERVER_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(ServerConfig::from_args(cli.data_dir, args)).await,
        Command::Status { state, fr, en } => {
            let state = match state {
                StateArg::Operational => PlatformState::Operational,
                StateArg::Degraded => PlatformState::Degraded,
                StateArg::Outage => PlatformState::Outage,
            };
            match db::open(&cli.data_dir).await {
                Ok(pool) => status::set(
                    &pool,
                    state,
                    fr.as_deref(),
                    en.as_deref(),
                    Clock::default().now(),
                )
                .await
                .map(|()| eprintln!("econfiance-server: status set"))
                .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
        Command::CreateUser {
            email,
            password,
            locale,
        } => match db::open(&cli.data_dir).await {
            Ok(pool) => admin::create_user(
                &pool,
                &email,
                password.as_deref(),
                &locale,
                Clock::default().now(),
            )
            .await
            .map(|id| eprintln!("econfiance-server: account {id} created for {email}"))
            .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Command::SeedDemo => match db::open(&cli.data_dir).await {
            Ok(pool) => admin::seed_demo(&pool, Clock::default().now())
                .await
                .map(|()| {
                    eprintln!(
                        "econfiance-server: demo account ready: {} / {}",
                        admin::DEMO_EMAIL,
                        admin::DEMO_PASSWORD
                    )
                })
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("econfiance-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: Result<ServerConfig, String>) -> Result<(), String> {
    let server = econfiance_server::bind(config?)
        .await
        .map_err(|e| format!("cannot start: {e}"))?;
    let addr = server.local_addr().map_err(|e| e.to_string())?;
    // Scripts and tests read these lines to find the port, the certificate and the pages.
    eprintln!("econfiance-server: listening on https://{addr}");
    eprintln!(
        "econfiance-server: certificate {}",
        server.cert_path.display()
    );
    if server.ctx.config.sandbox {
        eprintln!(
            "econfiance-server: sandbox outbox at {}/dev/mailbox",
            server.ctx.public_url
        );
    }
    server.serve().await.map_err(|e| format!("stopped: {e}"))
}
