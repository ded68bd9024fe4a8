//! Structured logs (tracing) to the OS's log folder, for diagnostics and support.
//!
//! Logs never hold a secret: codes and tokens are [`econfiance_api::Secret`]s, which print
//! `<redacted>`, and deep links are logged through [`econfiance_api::DeepLink::describe`].
//! The level comes from `ECONFIANCE_LOG` (an `EnvFilter` directive), `info` by default.

use std::path::Path;

pub use tracing_appender::non_blocking::WorkerGuard as LogGuard;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// The log file's name prefix inside the log folder (a date suffix is added daily).
pub const LOG_FILE_PREFIX: &str = "e-confiance.log";

/// Starts logging to `log_dir` (and to stderr when `also_stderr`). Keep the returned guard
/// alive for the life of the app: dropping it flushes the file.
pub fn init(log_dir: &Path, also_stderr: bool) -> Option<LogGuard> {
    let filter =
        EnvFilter::try_from_env("ECONFIANCE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let (file_layer, guard) = match std::fs::create_dir_all(log_dir).and_then(|()| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(LOG_FILE_PREFIX)
            .max_log_files(7)
            .build(log_dir)
            .map_err(std::io::Error::other)
    }) {
        Ok(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (
                Some(fmt::layer().with_ansi(false).with_writer(writer)),
                Some(guard),
            )
        }
        // A full disk or a read-only home must not stop the app: log to stderr only.
        Err(_) => (None, None),
    };
    let stderr_layer = also_stderr.then(|| fmt::layer().with_writer(std::io::stderr));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    guard
}
