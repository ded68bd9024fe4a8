//! The app's state: the client's [`Desktop`], built once at start from the OS folders, the
//! settings and the configuration, and the shell's own handles (log writer, running lock).

use std::sync::Mutex;

use econfiance_client::desktop::{this_device, Desktop};
use econfiance_client::logging::LogGuard;
use econfiance_client::platform::Os;
use econfiance_client::storage::{AppDirs, Settings};
use econfiance_client::vault::{Vault, KEYRING_SERVICE};
use econfiance_client::{ApiClient, BuildProfile, ClientError, Config, Language};
use tauri::{AppHandle, Manager, Runtime};

/// Everything the commands share: the client's [`Desktop`] (reached through `Deref`), and
/// what only the shell holds.
pub struct AppState {
    /// The API client, folders, language, link inbox and session.
    pub desktop: Desktop,
    /// The settings as read when the app started (tray icon, theme); later changes are
    /// read from the file.
    pub settings_at_start: Settings,
    /// Keeps the log writer alive (dropping it flushes the file).
    _log_guard: Mutex<Option<LogGuard>>,
    /// Tells `--clear-cache` that the app runs (released when the process ends).
    _running: Option<econfiance_client::storage::RunningLock>,
}

impl std::ops::Deref for AppState {
    type Target = Desktop;
    fn deref(&self) -> &Desktop {
        &self.desktop
    }
}

impl AppState {
    /// The state around a [`Desktop`] made elsewhere (the tests over the mock runtime).
    #[cfg(test)]
    pub fn around(desktop: Desktop) -> Self {
        Self {
            desktop,
            settings_at_start: Settings::default(),
            _log_guard: Mutex::new(None),
            _running: None,
        }
    }

    /// Resolves the folders, starts logging, reads settings and configuration.
    pub fn initialise<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Self> {
        let paths = app.path();
        let dirs = AppDirs {
            data: paths.app_data_dir()?,
            cache: paths.app_cache_dir()?,
            logs: paths.app_log_dir()?,
        };
        let guard = econfiance_client::logging::init(&dirs.logs, cfg!(debug_assertions));
        tracing::info!(version = env!("CARGO_PKG_VERSION"), "e-confiance starting");

        let running = econfiance_client::storage::RunningLock::acquire(&dirs)
            .inspect_err(|e| tracing::warn!(error = %e, "running lock not taken"))
            .ok()
            .flatten();
        let settings = Settings::load(&dirs.settings_file());
        let language = settings
            .language
            .unwrap_or_else(|| Language::from_locale(sys_locale::get_locale().as_deref()));
        let api = Config::from_env(BuildProfile::current())
            .map_err(ClientError::from)
            .and_then(ApiClient::new);
        match &api {
            Ok(api) => tracing::info!(server = %api.config().server_url, "server configured"),
            Err(e) => {
                tracing::error!(code = %e.code(), error = %e, "server configuration unusable")
            }
        }
        let open_vault = Box::new(|| Vault::open(KEYRING_SERVICE));
        let hostname = gethostname::gethostname();
        let device = this_device(&hostname.to_string_lossy(), Os::current());
        Ok(Self {
            desktop: Desktop::new(api, dirs, language, device, open_vault),
            settings_at_start: settings,
            _log_guard: Mutex::new(guard),
            _running: running,
        })
    }
}
