//! The command line, for when the window cannot even be shown: `--clear-cache`,
//! `--safe-mode`, `--help`, `--version`; and, only in builds with the `bench` feature (the
//! benchmarks'), `--benchmark-page` (the UI's benchmark mode, see `ui/src/bench/`) and
//! `--start-tuning` (the start benchmark's baseline).
//! Links the OS passes (`econfiance://…`) are taken off the line first
//! ([`econfiance_client::platform::launch_args`]: macOS's `-psn_…` dropped, Windows' quotes
//! removed) and handed to [`crate::deep_links`].

// A command line talks to its terminal.
#![allow(clippy::print_stdout)]

use std::ffi::OsString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use clap::Parser;
use econfiance_client::cache;
use econfiance_client::platform::{self, Os};
use econfiance_client::storage::AppDirs;
use econfiance_client::Language;

/// The app's identifier (tauri.conf.json), which names its folders.
pub const IDENTIFIER: &str = "fr.econfiance.desktop";

static SAFE_MODE: AtomicBool = AtomicBool::new(false);
static BENCHMARK_PAGE: OnceLock<String> = OnceLock::new();
static START_TUNING: OnceLock<StartTuning> = OnceLock::new();
static START_LINKS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();

/// The links the app was started with (raw bytes, for the strict parser).
pub fn start_links() -> &'static [Vec<u8>] {
    START_LINKS.get().map(Vec::as_slice).unwrap_or_default()
}

/// Which start-up changes are on (hidden `--start-tuning`, for the start benchmark's
/// same-run baselines; BENCHMARKS.md, "The app alone against the sandbox server"): `all`
/// (the default, the app as shipped); `none`, as before any of them; `lazy-session`, the
/// session manager and its keyring probe made off the main thread — what shipped before
/// the others; each other value is `lazy-session` plus one change, to measure it alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StartTuning {
    All,
    None,
    LazySession,
    /// Last time's dashboard painted from the keyring and the cache folder, before the
    /// session is checked with the server.
    SnapshotFirst,
    /// A second launch hands its link to the running app before building anything
    /// ([`crate::handoff`]), rather than once Tauri and its plugins are up.
    EarlyHandoff,
}

impl StartTuning {
    /// The session manager (and its keyring probe) is made off the main thread.
    pub fn lazy_session(self) -> bool {
        self != Self::None
    }

    /// A second launch with a link hands it over before building anything.
    pub fn early_handoff(self) -> bool {
        matches!(self, Self::All | Self::EarlyHandoff)
    }

    /// The value's name, as the command line and the page's `tuning` query spell it.
    pub fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::None => "none",
            Self::LazySession => "lazy-session",
            Self::SnapshotFirst => "snapshot-first",
            Self::EarlyHandoff => "early-handoff",
        }
    }
}

/// The tuning asked for on the command line, if any (the page is told: `?tuning=…`).
pub fn start_tuning_asked() -> Option<StartTuning> {
    START_TUNING.get().copied()
}

/// The start-up changes in effect (see [`StartTuning`]).
pub fn start_tuning() -> StartTuning {
    START_TUNING.get().copied().unwrap_or(StartTuning::All)
}

/// The query of the UI's benchmark mode (`bench=100000&scroll=1`), when started with
/// `--benchmark-page`: fixture data in the page, nothing asked of the server.
pub fn benchmark_page() -> Option<&'static str> {
    BENCHMARK_PAGE.get().map(String::as_str)
}

/// Whether the page's performance marks are printed (`ECONFIANCE_PERF_MARKS=1`, or the
/// benchmark mode): the benchmarks read them from the app's standard output.
pub fn perf_marks() -> bool {
    benchmark_page().is_some()
        || std::env::var_os("ECONFIANCE_PERF_MARKS").is_some_and(|v| v == "1")
}

/// A benchmark query is names, numbers, `=` and `&`: nothing that could change the page.
#[cfg(feature = "bench")]
fn plain_query(query: &str) -> Result<String, &'static str> {
    if !query.is_empty()
        && query
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '&' | '_'))
    {
        Ok(query.to_owned())
    } else {
        Err("expected names and numbers joined by = and &, e.g. bench=100000&scroll=1")
    }
}

/// Whether the app runs with WebKit's rendering fallbacks (`--safe-mode`).
pub fn safe_mode() -> bool {
    SAFE_MODE.load(Ordering::Relaxed)
}

#[derive(Debug, Parser)]
#[command(
    name = "e-confiance",
    version,
    about = "e-confiance : vos avis clients et votre indice de confiance.\ne-confiance: your customer reviews and trust index.",
    after_help = "Sans option, ouvre l'application. / Without options, opens the app."
)]
struct Cli {
    /// Vide le cache (données du navigateur intégré, dossier de cache) puis quitte ; réglages, brouillons et session sont conservés. Fermez l'application avant. / Clears the cache then exits; settings, drafts and session are kept. Close the app first.
    #[arg(long)]
    clear_cache: bool,

    /// Démarre avec le rendu de secours de WebKit (pour une fenêtre blanche ou vide). / Starts with WebKit's rendering fallbacks (for a blank or empty window).
    #[arg(long)]
    safe_mode: bool,

    /// Opens the UI's benchmark mode with this query (fixture data; for scripts/bench-engines.sh).
    #[cfg(feature = "bench")]
    #[arg(long, hide = true, value_parser = plain_query)]
    benchmark_page: Option<String>,

    /// Which start-up changes are on (for the start benchmark's baseline).
    #[cfg(feature = "bench")]
    #[arg(long, hide = true, value_enum)]
    start_tuning: Option<StartTuning>,

    /// Other arguments a launcher may add (links are taken off the line before).
    #[arg(value_parser = clap::value_parser!(OsString), hide = true)]
    rest: Vec<OsString>,
}

/// What `main` should do after the command line was read.
pub enum Next {
    /// Start the window.
    Run,
    /// Exit with this code (the command line did its job, or was wrong).
    Exit(i32),
}

/// Reads the command line. `--help`, `--version` and `--clear-cache` finish here, and so
/// does a launch with a link that the running app took ([`crate::handoff`]); `--safe-mode`
/// sets WebKit's fallbacks (before any thread or GTK starts) and goes on.
pub fn handle() -> Next {
    let launch = platform::launch_args(Os::current(), std::env::args_os());
    let _ = START_LINKS.set(launch.links);
    let cli = match Cli::try_parse_from(launch.options) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return Next::Exit(e.exit_code());
        }
    };
    if cli.clear_cache {
        return Next::Exit(clear_cache());
    }
    #[cfg(feature = "bench")]
    {
        if let Some(query) = cli.benchmark_page {
            let _ = BENCHMARK_PAGE.set(query);
        }
        if let Some(tuning) = cli.start_tuning {
            let _ = START_TUNING.set(tuning);
        }
    }
    // The OS opening a link while the app runs: handed over, nothing else to do.
    if !start_links().is_empty()
        && start_tuning().early_handoff()
        && crate::handoff::to_running_app()
    {
        return Next::Exit(0);
    }
    if cli.safe_mode {
        SAFE_MODE.store(true, Ordering::Relaxed);
        // Blank windows on some Linux graphics stacks come from accelerated compositing or
        // the DMA-BUF renderer; these turn both off (WebKit reads them at start).
        for (key, value) in [
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
            ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ] {
            std::env::set_var(key, value);
        }
    }
    Next::Run
}

fn clear_cache() -> i32 {
    let dirs = AppDirs::for_identifier(IDENTIFIER);
    let lang = dirs
        .as_ref()
        .and_then(|d| econfiance_client::storage::Settings::load(&d.settings_file()).language)
        .unwrap_or_else(|| Language::from_locale(sys_locale::get_locale().as_deref()));
    let outcome =
        cache::clear_with_app_closed(Os::current(), dirs.as_ref(), &AppDirs::home(), lang);
    report(&outcome.text, outcome.failed);
    i32::from(outcome.failed)
}

/// Tells `--clear-cache`'s result: on the terminal, or in a window where there is none
/// ([`platform::clear_cache_reports_in_a_window`]).
fn report(text: &str, is_error: bool) {
    if platform::clear_cache_reports_in_a_window(Os::current(), !cfg!(debug_assertions)) {
        show_in_a_window(text, is_error);
    } else if is_error {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
}

#[cfg(windows)]
fn show_in_a_window(text: &str, is_error: bool) {
    let level = if is_error {
        rfd::MessageLevel::Warning
    } else {
        rfd::MessageLevel::Info
    };
    rfd::MessageDialog::new()
        .set_title("e-confiance")
        .set_description(text)
        .set_level(level)
        .show();
}

#[cfg(not(windows))]
fn show_in_a_window(text: &str, is_error: bool) {
    if is_error {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "bench")]
    #[test]
    fn benchmark_queries_are_plain() {
        assert!(plain_query("bench=100000&scroll=1&idle=5000").is_ok());
        for bad in [
            "",
            "bench=1#x",
            "x=1&y=../../etc",
            "a b",
            "https://evil.example",
        ] {
            assert!(plain_query(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_first_launch_on_macos_and_a_windows_link_start_the_app() {
        let link = "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P";
        for (os, argv) in [
            (Os::MacOs, vec!["e-confiance", "-psn_0_1234567"]),
            (Os::Windows, vec![r"C:\e-confiance.exe", link]),
            (
                Os::Windows,
                vec![r"C:\e-confiance.exe", &format!("\"{link}\"")],
            ),
            (Os::Linux, vec!["e-confiance", link]),
        ] {
            let launch = platform::launch_args(os, argv.iter().map(OsString::from));
            let cli = Cli::try_parse_from(launch.options)
                .unwrap_or_else(|e| panic!("{os:?} {argv:?} refused: {e}"));
            assert!(!cli.clear_cache && cli.rest.is_empty(), "{os:?} {argv:?}");
        }
    }

    #[cfg(not(feature = "bench"))]
    #[test]
    fn the_benchmark_switches_are_not_in_the_product() {
        for switch in [
            ["e-confiance", "--benchmark-page", "bench=1"],
            ["e-confiance", "--start-tuning", "none"],
        ] {
            assert!(Cli::try_parse_from(switch).is_err(), "{switch:?} accepted");
        }
        assert_eq!(benchmark_page(), None);
        assert_eq!(start_tuning(), StartTuning::All);
    }

    #[cfg(feature = "bench")]
    #[test]
    fn start_tuning_is_read_from_the_command_line() {
        assert!(StartTuning::All.lazy_session() && !StartTuning::None.lazy_session());
        let parsed =
            Cli::try_parse_from(["e-confiance", "--start-tuning", "none"]).expect("parsed");
        assert_eq!(parsed.start_tuning, Some(StartTuning::None));
        assert!(Cli::try_parse_from(["e-confiance", "--start-tuning", "prefetch"]).is_err());
    }
}
