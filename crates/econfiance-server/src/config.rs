//! The server's configuration and command line: `serve`, and the admin commands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The reference e-confiance platform server (sandbox) and its admin commands.
#[derive(Debug, Parser)]
#[command(name = "econfiance-server", version, about)]
pub struct Cli {
    /// Folder for the server's data: database, TLS certificate and key, server key.
    #[arg(
        long,
        env = "ECONFIANCE_SERVER_DATA",
        default_value = "sandbox-data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// The database: `postgres://user:password@host:5432/name` for PostgreSQL (add
    /// `?sslmode=verify-full` for TLS), or nothing for the SQLite file in the data folder.
    #[arg(
        long,
        env = "ECONFIANCE_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The server's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTPS API and landing pages.
    Serve(ServeArgs),
    /// Set the platform status shown by `GET /v1/status`.
    Status {
        /// operational, degraded or outage.
        state: StateArg,
        /// The incident, in French.
        #[arg(long)]
        fr: Option<String>,
        /// The incident, in English.
        #[arg(long)]
        en: Option<String>,
    },
    /// Create (or reset) the sandbox's demo company and demo user.
    SeedDemo,
    /// Demo requests: list them, open an account from one.
    Demo {
        /// What to do.
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Support tickets: list, show a conversation, answer (by mail), close.
    Tickets {
        /// What to do.
        #[command(subcommand)]
        action: TicketAction,
    },
    /// Reviews of an account's company: seed many, add one (which the app notifies).
    Reviews {
        /// What to do.
        #[command(subcommand)]
        action: ReviewAction,
    },
    /// Create an account (with its own company).
    CreateUser {
        /// The account's e-mail.
        email: String,
        /// A password (otherwise the account logs in by link until one is set).
        #[arg(long, env = "ECONFIANCE_NEW_USER_PASSWORD")]
        password: Option<String>,
        /// fr or en.
        #[arg(long, default_value = "fr")]
        locale: String,
        /// Fill in the first-login form with example information (the account then opens
        /// on the dashboard instead of the onboarding form).
        #[arg(long)]
        onboarded: bool,
    },
    /// Add a person to the team of the company `owner` owns, with a role (their account is
    /// made, without a company of its own, when the e-mail has none).
    AddMember {
        /// An owner of the company.
        owner: String,
        /// The person's e-mail.
        email: String,
        /// owner, manager or reader.
        #[arg(long, value_parser = ["owner", "manager", "reader"])]
        role: String,
        /// A password for a new account (otherwise it logs in by link).
        #[arg(long, env = "ECONFIANCE_NEW_USER_PASSWORD")]
        password: Option<String>,
        /// Fill in the new account's first-login form (its own details) with examples.
        #[arg(long)]
        onboarded: bool,
    },
}

/// `reviews …` commands.
#[derive(Debug, Subcommand)]
pub enum ReviewAction {
    /// Add N realistic French reviews over the last two years (up to 100,000).
    Seed {
        /// The account whose company gets them.
        email: String,
        /// How many.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        count: u32,
        /// Seed of the generator (same seed, same reviews).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Add one published review now, or some days ago (the app shows a notification for it).
    Add {
        /// The account whose company gets it.
        email: String,
        /// Stars, 1 to 5.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(i64).range(1..=5))]
        rating: i64,
        /// Title (generated if absent).
        #[arg(long)]
        title: Option<String>,
        /// Text (generated if absent).
        #[arg(long)]
        body: Option<String>,
        /// Author's display name (generated if absent).
        #[arg(long)]
        author: Option<String>,
        /// Written this many days ago (Paris calendar days, at the same time of day) rather
        /// than now.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=3650))]
        days_ago: u16,
    },
}

/// `demo …` commands.
#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// List demo requests by slot.
    List,
    /// Open the account of a demo request and send the welcome mail.
    Open {
        /// The demo request's id (from `demo list`).
        id: String,
        /// The plan: starter, standard (annual) or pro, premium (monthly).
        #[arg(long, value_enum, default_value = "standard")]
        plan: PlanArg,
        /// Public base URL for the links in the welcome mail.
        #[arg(
            long,
            env = "ECONFIANCE_PUBLIC_URL",
            default_value = "https://127.0.0.1:8443"
        )]
        public_url: String,
        /// SMTP server for the welcome mail (default: the sandbox outbox).
        #[arg(long, env = "ECONFIANCE_SMTP_URL")]
        smtp_url: Option<String>,
    },
}

/// `tickets …` commands.
#[derive(Debug, Subcommand)]
pub enum TicketAction {
    /// List tickets, newest first.
    List,
    /// Show a ticket's conversation, oldest message first.
    Show {
        /// The ticket's reference.
        reference: String,
    },
    /// Answer a ticket; the answer is mailed to its contact.
    Answer {
        /// The ticket's reference.
        reference: String,
        /// The answer.
        message: String,
        /// SMTP server (default: the sandbox outbox).
        #[arg(long, env = "ECONFIANCE_SMTP_URL")]
        smtp_url: Option<String>,
    },
    /// Close a ticket.
    Close {
        /// The ticket's reference.
        reference: String,
    },
}

/// A plan on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlanArg {
    /// Annual.
    Starter,
    /// Annual.
    Standard,
    /// Monthly.
    Pro,
    /// Monthly.
    Premium,
}

/// A platform state on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StateArg {
    /// Everything works.
    Operational,
    /// Partly working.
    Degraded,
    /// Down.
    Outage,
}

/// How mail leaves the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MailMode {
    /// Sandbox only: keep mails in the database, browsable at /dev/mailbox.
    Outbox,
    /// Send through the SMTP server of `--smtp-url`.
    Smtp,
}

/// Flags of `serve`.
#[derive(Debug, Clone, Parser)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        env = "ECONFIANCE_SERVER_LISTEN",
        default_value = "127.0.0.1:8443"
    )]
    pub listen: SocketAddr,

    /// Host names and addresses the generated certificate is valid for.
    #[arg(
        long = "hostname",
        env = "ECONFIANCE_SERVER_HOSTNAMES",
        value_delimiter = ',',
        default_value = "127.0.0.1,localhost,::1"
    )]
    pub hostnames: Vec<String>,

    /// Public base URL of this server, used in e-mails (default: https://<listen address>).
    #[arg(long, env = "ECONFIANCE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Sandbox mode: allows the outbox mail mode and the /dev/mailbox page.
    #[arg(long, env = "ECONFIANCE_SANDBOX")]
    pub sandbox: bool,

    /// The server key (32 random bytes, which digest every stored secret): the same file for
    /// every instance on one database. Default: `server.key` in the data folder, created at
    /// the first start.
    #[arg(long, env = "ECONFIANCE_SERVER_KEY_FILE")]
    pub server_key_file: Option<PathBuf>,

    /// The folder update releases are published in (`release.json` and its packages):
    /// storage every instance reads. Default: `updates/` in the data folder.
    #[arg(long, env = "ECONFIANCE_UPDATES_DIR")]
    pub updates_dir: Option<PathBuf>,

    /// outbox (sandbox only) or smtp; the sandbox defaults to outbox, otherwise smtp.
    #[arg(long, env = "ECONFIANCE_MAIL_MODE", value_enum)]
    pub mail_mode: Option<MailMode>,

    /// SMTP server, e.g. `smtp://user:pass@mail.example.fr:587?tls=required` (STARTTLS),
    /// `smtps://…:465` (TLS) or `smtp://127.0.0.1:2525` (plain, for local capture).
    #[arg(long, env = "ECONFIANCE_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Requests one e-mail may make at once (login and reset links, password attempts).
    #[arg(long, env = "ECONFIANCE_LIMIT_PER_EMAIL_BURST", default_value_t = 5)]
    pub limit_per_email_burst: u32,

    /// Then one more request per e-mail every this many seconds.
    #[arg(
        long,
        env = "ECONFIANCE_LIMIT_PER_EMAIL_EVERY_SECS",
        default_value_t = 60
    )]
    pub limit_per_email_every_secs: u64,

    /// Seconds between two links of the same kind for one e-mail ("Renvoyer" cooldown).
    #[arg(long, env = "ECONFIANCE_RESEND_COOLDOWN_SECS", default_value_t = 30)]
    pub resend_cooldown_secs: u64,

    /// Seconds between two looks for review alerts and the weekly digest to send.
    #[arg(long, env = "ECONFIANCE_ALERTS_EVERY_SECS", default_value_t = 15)]
    pub alerts_every_secs: u64,

    /// Auth requests one client address may make at once.
    #[arg(long, env = "ECONFIANCE_LIMIT_PER_IP_BURST", default_value_t = 60)]
    pub limit_per_ip_burst: u32,

    /// Then one more per address every this many milliseconds.
    #[arg(long, env = "ECONFIANCE_LIMIT_PER_IP_EVERY_MS", default_value_t = 500)]
    pub limit_per_ip_every_ms: u64,

    /// Demos one client address may book in a day.
    #[arg(long, env = "ECONFIANCE_LIMIT_DEMOS_PER_ADDRESS", default_value_t = 3)]
    pub limit_demos_per_address: i64,

    /// Support messages one client address may send in an hour.
    #[arg(
        long,
        env = "ECONFIANCE_LIMIT_TICKETS_PER_ADDRESS",
        default_value_t = 5
    )]
    pub limit_tickets_per_address: i64,

    /// Invitations one company may send in 24 hours.
    #[arg(
        long,
        env = "ECONFIANCE_LIMIT_INVITATIONS_PER_DAY",
        default_value_t = 1000
    )]
    pub limit_invitations_per_day: i64,

    /// Review forms (invitation or shared link) one client address may send in an hour.
    #[arg(
        long,
        env = "ECONFIANCE_LIMIT_REVIEW_FORMS_PER_ADDRESS",
        default_value_t = 10
    )]
    pub limit_review_forms_per_address: u32,

    /// Sandbox only, for the end-to-end tests' secret scan: append every secret the server
    /// issues or receives (codes, tokens, PKCE verifiers, passwords) to this file.
    #[arg(long, hide = true)]
    pub sandbox_secrets_witness: Option<PathBuf>,

    /// Load balancers and proxies whose `X-Forwarded-For` is believed, comma-separated
    /// addresses or networks (e.g. `10.0.0.0/8`); nobody's by default.
    #[arg(long, env = "ECONFIANCE_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: crate::client_address::TrustedProxies,

    /// Sender of the platform's mails.
    #[arg(
        long,
        env = "ECONFIANCE_MAIL_FROM",
        default_value = "e-confiance <no-reply@e-confiance.fr>"
    )]
    pub mail_from: String,
}

/// Where mails go, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailConfig {
    /// Stored in the outbox table (sandbox).
    Outbox,
    /// Sent over SMTP.
    Smtp {
        /// The lettre transport URL.
        url: String,
        /// The sender.
        from: String,
    },
}

/// Rate limits and size limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Login/reset requests and password attempts one e-mail may make at once…
    pub per_email_burst: u32,
    /// …then one more every this many seconds.
    pub per_email_every_secs: u64,
    /// How many other client addresses, each at its own per-e-mail limit, still leave an
    /// e-mail's owner their allowance (the cap per e-mail is one more share than this).
    pub per_email_cap_addresses: u32,
    /// Seconds between two links of the same kind for one e-mail, from one client address
    /// ("Renvoyer").
    pub resend_cooldown_secs: u64,
    /// Seconds between two looks for review alerts and the weekly digest to send.
    pub alerts_every_secs: u64,
    /// Auth requests one client address may make at once…
    pub per_ip_burst: u32,
    /// …then one more every this many milliseconds.
    pub per_ip_every_ms: u64,
    /// Largest request body accepted, in bytes.
    pub body_bytes: usize,
    /// Demos one client address may book in a day.
    pub demos_per_address: i64,
    /// Support messages one client address may send in an hour.
    pub tickets_per_address: i64,
    /// Invitations one company may send in 24 hours.
    pub invitations_per_day: i64,
    /// Review forms one client address may send in an hour.
    pub review_forms_per_address: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_email_burst: 5,
            per_email_every_secs: 60,
            per_email_cap_addresses: 20,
            resend_cooldown_secs: 30,
            alerts_every_secs: 15,
            per_ip_burst: 60,
            per_ip_every_ms: 500,
            // A reply at its most characters, each written as a JSON escape pair (12 bytes).
            body_bytes: 64 * 1024,
            demos_per_address: 3,
            tickets_per_address: 5,
            // One full CSV (econfiance_api::invitations::MAX_BATCH).
            invitations_per_day: 1000,
            review_forms_per_address: 10,
        }
    }
}

/// The resolved configuration of a serving server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Data folder.
    pub data_dir: PathBuf,
    /// The database's URL (None: the SQLite file in the data folder).
    pub database_url: Option<String>,
    /// The server key's file (None: in the data folder).
    pub server_key_file: Option<PathBuf>,
    /// The folder of update releases (None: in the data folder).
    pub updates_dir: Option<PathBuf>,
    /// Names in the generated certificate.
    pub hostnames: Vec<String>,
    /// Public base URL (None: derived from the bound address).
    pub public_url: Option<String>,
    /// Sandbox mode.
    pub sandbox: bool,
    /// Mail delivery.
    pub mail: MailConfig,
    /// Limits.
    pub limits: Limits,
    /// The sandbox's secret witness file (see [`crate::witness`]).
    pub secrets_witness: Option<PathBuf>,
    /// The proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: crate::client_address::TrustedProxies,
}

impl ServerConfig {
    /// A sandbox on a free loopback port with the outbox: what tests start from.
    pub fn sandbox(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            database_url: None,
            server_key_file: None,
            updates_dir: None,
            hostnames: vec!["127.0.0.1".into(), "localhost".into(), "::1".into()],
            public_url: None,
            sandbox: true,
            mail: MailConfig::Outbox,
            limits: Limits::default(),
            secrets_witness: None,
            trusted_proxies: Default::default(),
        }
    }

    /// The server key's file: the one configured, else `server.key` in the data folder.
    pub fn server_key_path(&self) -> PathBuf {
        self.server_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("server.key"))
    }

    /// The folder update releases are published in: the one configured, else `updates/` in
    /// the data folder.
    pub fn updates_path(&self) -> PathBuf {
        self.updates_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("updates"))
    }

    /// Resolves `serve`'s flags; refuses the outbox outside sandbox mode.
    pub fn from_args(
        data_dir: PathBuf,
        database_url: Option<String>,
        args: ServeArgs,
    ) -> Result<Self, ConfigError> {
        let mode = args.mail_mode.unwrap_or(if args.sandbox {
            MailMode::Outbox
        } else {
            MailMode::Smtp
        });
        if args.sandbox_secrets_witness.is_some() && !args.sandbox {
            return Err(ConfigError::WitnessOutsideSandbox);
        }
        let mail = match mode {
            MailMode::Outbox if !args.sandbox => return Err(ConfigError::OutboxOutsideSandbox),
            MailMode::Outbox => MailConfig::Outbox,
            MailMode::Smtp => MailConfig::Smtp {
                url: args.smtp_url.ok_or(ConfigError::SmtpUrlMissing)?,
                from: args.mail_from,
            },
        };
        Ok(Self {
            listen: args.listen,
            data_dir,
            database_url,
            server_key_file: args.server_key_file,
            updates_dir: args.updates_dir,
            hostnames: args.hostnames,
            public_url: args.public_url.map(|u| u.trim_end_matches('/').to_owned()),
            sandbox: args.sandbox,
            mail,
            limits: Limits {
                per_email_burst: args.limit_per_email_burst,
                per_email_every_secs: args.limit_per_email_every_secs,
                resend_cooldown_secs: args.resend_cooldown_secs,
                alerts_every_secs: args.alerts_every_secs.max(1),
                per_ip_burst: args.limit_per_ip_burst,
                per_ip_every_ms: args.limit_per_ip_every_ms,
                demos_per_address: args.limit_demos_per_address,
                tickets_per_address: args.limit_tickets_per_address,
                invitations_per_day: args.limit_invitations_per_day,
                review_forms_per_address: args.limit_review_forms_per_address,
                ..Limits::default()
            },
            secrets_witness: args.sandbox_secrets_witness,
            trusted_proxies: args.trusted_proxies,
        })
    }
}

/// A `serve` command line that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The secret witness writes secrets to a file: the sandbox's tests' only.
    #[error(
        "--sandbox-secrets-witness is for the sandbox's tests only: add --sandbox, or leave it out"
    )]
    WitnessOutsideSandbox,
    /// The outbox keeps mails instead of sending them: the sandbox's only.
    #[error("--mail-mode outbox is for the sandbox only: add --sandbox, or use --mail-mode smtp --smtp-url …")]
    OutboxOutsideSandbox,
    /// SMTP mode without a server.
    #[error("--mail-mode smtp needs --smtp-url (or ECONFIANCE_SMTP_URL)")]
    SmtpUrlMissing,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn serve(args: &[&str]) -> Result<ServerConfig, ConfigError> {
        let cli = Cli::try_parse_from(
            ["econfiance-server", "serve"]
                .iter()
                .chain(args)
                .copied()
                .collect::<Vec<_>>(),
        )
        .expect("parses");
        match cli.command {
            Command::Serve(serve) => ServerConfig::from_args(cli.data_dir, cli.database_url, serve),
            _ => unreachable!("a serve command line"),
        }
    }

    #[test]
    fn instances_can_share_a_database_a_key_file_and_an_updates_folder() {
        let alone = serve(&["--sandbox"]).expect("a sandbox");
        assert_eq!(alone.database_url, None);
        assert_eq!(alone.server_key_path(), alone.data_dir.join("server.key"));
        assert_eq!(alone.updates_path(), alone.data_dir.join("updates"));
        let cli = Cli::try_parse_from([
            "econfiance-server",
            "--database-url",
            "postgres://econfiance@db.internal/econfiance",
            "serve",
            "--smtp-url",
            "smtp://127.0.0.1:2525",
            "--server-key-file",
            "/run/secrets/econfiance.key",
            "--updates-dir",
            "/mnt/releases",
        ])
        .expect("parses");
        let Command::Serve(args) = cli.command else {
            unreachable!("a serve command line")
        };
        let shared = ServerConfig::from_args(cli.data_dir, cli.database_url, args).expect("valid");
        assert_eq!(
            shared.database_url.as_deref(),
            Some("postgres://econfiance@db.internal/econfiance")
        );
        assert_eq!(
            shared.server_key_path(),
            PathBuf::from("/run/secrets/econfiance.key")
        );
        assert_eq!(shared.updates_path(), PathBuf::from("/mnt/releases"));
    }

    #[test]
    fn the_secret_witness_is_refused_outside_the_sandbox() {
        let smtp = ["--smtp-url", "smtp://127.0.0.1:2525"];
        let witness = ["--sandbox-secrets-witness", "/tmp/witness.jsonl"];
        let outside: Vec<&str> = smtp.iter().chain(&witness).copied().collect();
        assert_eq!(
            serve(&outside).err(),
            Some(ConfigError::WitnessOutsideSandbox)
        );
        let inside: Vec<&str> = witness.iter().copied().chain(["--sandbox"]).collect();
        let config = serve(&inside).expect("a sandbox may have one");
        assert!(config.secrets_witness.is_some());
        assert!(serve(&smtp).expect("no witness").secrets_witness.is_none());
    }
}
