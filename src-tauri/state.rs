//! The app's state: the client parts of `econfiance-client`, built once at start.

use std::sync::{Mutex, RwLock};

use econfiance_client::links::LinkInbox;
use econfiance_client::logging::LogGuard;
use econfiance_client::storage::{AppDirs, Settings};
use econfiance_client::{ApiClient, BuildProfile, ClientError, Config, Language};
use tauri::{AppHandle, Manager, Runtime};

/// Everything the commands share.
pub struct AppState {
    /// The API client, or why it could not be built (shown to the user, not fatal).
    pub api: Result<ApiClient, ClientError>,
    /// The app's folders.
    pub dirs: AppDirs,
    /// The language in use.
    pub language: RwLock<Language>,
    /// Deep-link events waiting for the UI.
    pub inbox: LinkInbox,
    /// Keeps the log writer alive (dropping it flushes the file).
    _log_guard: Mutex<Option<LogGuard>>,
}

impl AppState {
    /// Resolves the folders, starts logging, reads settings and configuration.
    pub fn initialise<R: Runtime>(app: &AppHandle<R>) -> Result<Self, Box<dyn std::error::Error>> {
        let paths = app.path();
        let dirs = AppDirs {
            data: paths.app_data_dir()?,
            cache: paths.app_cache_dir()?,
            logs: paths.app_log_dir()?,
        };
        let guard = econfiance_client::logging::init(&dirs.logs, cfg!(debug_assertions));
        tracing::info!(version = env!("CARGO_PKG_VERSION"), "e-confiance starting");

        let settings = Settings::load(&dirs.settings_file());
        let language = settings
            .language
            .unwrap_or_else(|| Language::from_locale(sys_locale::get_locale().as_deref()));
        let api = Config::from_env(BuildProfile::current())
            .map_err(ClientError::from)
            .and_then(ApiClient::new);
        match &api {
            Ok(api) => tracing::info!(server = %api.config().server_url, "server configured"),
            Err(e) => tracing::error!(code = e.code(), error = %e, "server configuration unusable"),
        }
        Ok(Self {
            api,
            dirs,
            language: RwLock::new(language),
            inbox: LinkInbox::default(),
            _log_guard: Mutex::new(guard),
        })
    }

    /// The language in use.
    pub fn language(&self) -> Language {
        *self
            .language
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
