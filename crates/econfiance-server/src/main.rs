//! `econfiance-server`: runs the sandbox platform server, and its admin commands.

// The admin listings (`demo list`, `tickets list`) are the command's output on stdout.
#![allow(clippy::print_stdout)]

use clap::Parser;
use econfiance_api::account::Plan;
use econfiance_api::PlatformState;
use econfiance_server::config::ConfigError;
use econfiance_server::config::{
    Cli, Command, DemoAction, MailConfig, PlanArg, ReviewAction, StateArg, TicketAction,
};
use econfiance_server::mail::{Delivery, MailError};
use econfiance_server::{admin, db, status, Clock, ServerConfig};
use tracing_subscriber::EnvFilter;

/// Why a command failed, said on stderr.
#[derive(Debug, thiserror::Error)]
enum CliError {
    /// The command line.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// The server could not start.
    #[error("cannot start: {0}")]
    Start(#[from] econfiance_server::StartError),
    /// The server stopped.
    #[error("stopped: {0}")]
    Stopped(std::io::Error),
    /// The database.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// An admin command.
    #[error("{0}")]
    Admin(#[from] admin::AdminError),
    /// A mail.
    #[error("mail: {0}")]
    Mail(#[from] MailError),
    /// No account has this e-mail.
    #[error("no account {0}")]
    NoAccount(String),
}

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
    let mut cli = Cli::parse();
    // An empty ECONFIANCE_DATABASE_URL means the default, as an unset one does.
    cli.database_url = cli.database_url.filter(|url| !url.trim().is_empty());
    let result = match cli.command {
        Command::Serve(args) => {
            serve(ServerConfig::from_args(
                cli.data_dir,
                cli.database_url,
                args,
            ))
            .await
        }
        admin => match db::open(&cli.data_dir, cli.database_url.as_deref()).await {
            Ok(pool) => run_admin(&pool, admin).await,
            Err(e) => Err(e.into()),
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

/// Runs an admin command on the database of `pool`.
async fn run_admin(pool: &db::Pool, command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve(_) => unreachable!("serve is not an admin command"),
        Command::Status { state, fr, en } => {
            let state = match state {
                StateArg::Operational => PlatformState::Operational,
                StateArg::Degraded => PlatformState::Degraded,
                StateArg::Outage => PlatformState::Outage,
            };
            set_status(pool, state, fr.as_deref(), en.as_deref()).await
        }
        Command::Demo { action } => demo(pool, action).await,
        Command::Reviews { action } => reviews(pool, action).await,
        Command::Tickets { action } => tickets(pool, action).await,
        Command::CreateUser {
            email,
            password,
            locale,
            onboarded,
        } => create_user(pool, &email, password.as_deref(), &locale, onboarded).await,
        Command::AddMember {
            owner,
            email,
            role,
            password,
            onboarded,
        } => add_member(pool, &owner, &email, &role, password.as_deref(), onboarded).await,
        Command::SeedDemo => seed_demo(pool).await,
    }
}

async fn add_member(
    pool: &db::Pool,
    owner: &str,
    email: &str,
    role: &str,
    password: Option<&str>,
    onboarded: bool,
) -> Result<(), CliError> {
    let role =
        econfiance_api::team::Role::parse(role).unwrap_or(econfiance_api::team::Role::Reader);
    let now = Clock::default().now();
    let (id, held) = admin::add_member(pool, owner, email, role, password, onboarded, now)
        .await?
        .ok_or_else(|| CliError::NoAccount(owner.to_owned()))?;
    if held == role {
        eprintln!(
            "econfiance-server: {email} ({id}) is now {} of {owner}'s company",
            role.as_str()
        );
    } else {
        eprintln!(
            "econfiance-server: {email} ({id}) was already {} of {owner}'s company, and stays so (change roles in the app's team settings)",
            held.as_str()
        );
    }
    Ok(())
}

async fn set_status(
    pool: &db::Pool,
    state: PlatformState,
    fr: Option<&str>,
    en: Option<&str>,
) -> Result<(), CliError> {
    status::set(pool, state, fr, en, Clock::default().now()).await?;
    eprintln!("econfiance-server: status set");
    Ok(())
}

async fn create_user(
    pool: &db::Pool,
    email: &str,
    password: Option<&str>,
    locale: &str,
    onboarded: bool,
) -> Result<(), CliError> {
    let now = Clock::default().now();
    let id = admin::create_user(pool, email, password, locale, now).await?;
    if onboarded {
        admin::fill_onboarding(pool, &id, now).await?;
    }
    eprintln!("econfiance-server: account {id} created for {email}");
    Ok(())
}

async fn seed_demo(pool: &db::Pool) -> Result<(), CliError> {
    admin::seed_demo(pool, Clock::default().now()).await?;
    eprintln!(
        "econfiance-server: demo account ready: {} / {}",
        admin::DEMO_EMAIL,
        admin::DEMO_PASSWORD
    );
    Ok(())
}

async fn serve(config: Result<ServerConfig, ConfigError>) -> Result<(), CliError> {
    let server = econfiance_server::bind(config?).await?;
    let addr = server.local_addr().map_err(CliError::Stopped)?;
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
    // SIGTERM (what a platform's orchestrator sends) or Ctrl-C: finish what is in flight.
    server
        .serve_until(stop_signal(), econfiance_server::SHUTDOWN_GRACE)
        .await
        .map_err(CliError::Stopped)?;
    eprintln!("econfiance-server: stopped");
    Ok(())
}

/// Completes at the first SIGTERM or Ctrl-C (SIGINT).
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

fn delivery(pool: &crate::db::Pool, smtp_url: Option<String>) -> Result<Delivery, MailError> {
    let config = match smtp_url {
        Some(url) => MailConfig::Smtp {
            url,
            from: "e-confiance <no-reply@e-confiance.fr>".into(),
        },
        None => MailConfig::Outbox,
    };
    Delivery::new(config, pool.clone(), Clock::default())
}

async fn demo(pool: &db::Pool, action: DemoAction) -> Result<(), CliError> {
    match action {
        DemoAction::List => {
            let rows = admin::demo_requests(pool).await?;
            if rows.is_empty() {
                println!("no demo request");
            }
            for r in rows {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    r.id,
                    econfiance_server::clock::paris_display(r.slot_start, false),
                    r.company,
                    r.name,
                    r.email,
                    r.phone,
                    r.opened_user_id.as_deref().unwrap_or("not opened")
                );
            }
            Ok(())
        }
        DemoAction::Open {
            id,
            plan,
            public_url,
            smtp_url,
        } => {
            let plan = match plan {
                PlanArg::Starter => Plan::Starter,
                PlanArg::Standard => Plan::Standard,
                PlanArg::Pro => Plan::Pro,
                PlanArg::Premium => Plan::Premium,
            };
            let (user, mail) = admin::open_account_from_demo(
                pool,
                public_url.trim_end_matches('/'),
                &id,
                plan,
                Clock::default().now(),
            )
            .await?;
            delivery(pool, smtp_url)?.deliver(&mail).await?;
            eprintln!(
                "econfiance-server: account {user} opened; welcome mail sent to {}",
                mail.to
            );
            Ok(())
        }
    }
}

async fn reviews(pool: &db::Pool, action: ReviewAction) -> Result<(), CliError> {
    let company_of = |email: String| {
        let pool = pool.clone();
        async move {
            // The company the account owns (its first, if several).
            sqlx::query_scalar::<_, String>(
                "SELECT m.company_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE lower(u.email) = $1
                 ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, m.created_at LIMIT 1",
            )
                .bind(econfiance_server::auth::email_key(&email))
                .fetch_optional(&pool)
                .await?
                .ok_or(CliError::NoAccount(email))
        }
    };
    let now = Clock::default().now();
    match action {
        ReviewAction::Seed { email, count, seed } => {
            let company = company_of(email.clone()).await?;
            let started = std::time::Instant::now();
            econfiance_server::fixtures::seed_reviews(pool, &company, count, now, seed).await?;
            eprintln!(
                "econfiance-server: {count} reviews added for {email} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        ReviewAction::Add {
            email,
            rating,
            title,
            body,
            author,
            days_ago,
        } => {
            let company = company_of(email.clone()).await?;
            let id = econfiance_server::fixtures::add_review(
                pool,
                &company,
                econfiance_server::fixtures::NewReview {
                    rating,
                    title: title.as_deref(),
                    body: body.as_deref(),
                    author: author.as_deref(),
                },
                econfiance_server::clock::paris_days_before(now, days_ago),
            )
            .await?;
            println!("{id}");
            Ok(())
        }
    }
}

async fn tickets(pool: &db::Pool, action: TicketAction) -> Result<(), CliError> {
    match action {
        TicketAction::List => {
            for (reference, status, category, contact, subject) in
                econfiance_server::support::admin_list(pool).await?
            {
                println!("{reference}\t{status}\t{category}\t{contact}\t{subject}");
            }
            Ok(())
        }
        TicketAction::Show { reference } => {
            for (author, body, at) in
                econfiance_server::support::admin_conversation(pool, &reference).await?
            {
                println!(
                    "{}\t{author}\t{body}",
                    econfiance_server::clock::rfc3339(at)
                );
            }
            Ok(())
        }
        TicketAction::Answer {
            reference,
            message,
            smtp_url,
        } => {
            let mail =
                admin::answer_ticket(pool, &reference, &message, Clock::default().now()).await?;
            delivery(pool, smtp_url)?.deliver(&mail).await?;
            eprintln!(
                "econfiance-server: {reference} answered; mail sent to {}",
                mail.to
            );
            Ok(())
        }
        TicketAction::Close { reference } => {
            admin::close_ticket(pool, &reference, Clock::default().now()).await?;
            eprintln!("econfiance-server: {reference} closed");
            Ok(())
        }
    }
}
