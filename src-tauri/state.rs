//! The app's state: the client parts of `econfiance-client`, built once at start, and the
//! two ways commands reach them (the session manager; an API call with the access token).

use std::sync::{Arc, Mutex, OnceLock, RwLock};

use econfiance_api::auth::DeviceInfo;
use econfiance_client::session::SessionManager;
use econfiance_client::vault::{Vault, KEYRING_SERVICE};

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
    /// The login flows and session (absent when the server configuration is unusable),
    /// made on first use: opening the vault probes the OS keyring (three D-Bus calls), which
    /// must not hold up the window (see [`AppState::session`]).
    session: OnceLock<Option<Arc<SessionManager>>>,
    /// The settings as read when the app started (tray icon, theme); later changes are
    /// read from the file.
    pub settings_at_start: Settings,
    /// Keeps the log writer alive (dropping it flushes the file).
    _log_guard: Mutex<Option<LogGuard>>,
    /// Tells `--clear-cache` that the app runs (released when the process ends).
    _running: Option<econfiance_client::storage::RunningLock>,
}

impl AppState {
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
            Err(e) => tracing::error!(code = e.code(), error = %e, "server configuration unusable"),
        }
        Ok(Self {
            api,
            dirs,
            language: RwLock::new(language),
            inbox: LinkInbox::default(),
            session: OnceLock::new(),
            settings_at_start: settings,
            _log_guard: Mutex::new(guard),
            _running: running,
        })
    }

    /// The login flows and session, made on first use (the vault's keyring probe); setup
    /// starts it on a background thread so that it is ready when the page asks.
    pub fn session(&self) -> Option<Arc<SessionManager>> {
        self.session
            .get_or_init(|| {
                self.api.as_ref().ok().map(|api| {
                    let vault = Vault::open(KEYRING_SERVICE);
                    Arc::new(
                        SessionManager::new(api.clone(), vault, this_device())
                            .with_account_files(self.dirs.clone()),
                    )
                })
            })
            .clone()
    }

    /// The language in use.
    pub fn language(&self) -> Language {
        *self
            .language
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// How this computer introduces itself to the platform (landing page, "Mes appareils").
fn this_device() -> DeviceInfo {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .chars()
        .take(100)
        .collect::<String>();
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "windows" => "Windows",
        "macos" => "macOS",
        other => other,
    };
    DeviceInfo {
        name: if name.trim().is_empty() {
            "Ordinateur".to_owned()
        } else {
            name
        },
        os: os.to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// The session manager, or the configuration error that prevents it.
pub fn manager(state: &AppState) -> Result<Arc<SessionManager>, econfiance_api::ErrorBody> {
    match (state.session(), &state.api) {
        (Some(manager), _) => Ok(manager),
        (None, Err(e)) => Err(e.to_body(state.language())),
        (None, Ok(_)) => Err(ClientError::NotLoggedIn.to_body(state.language())),
    }
}

/// Calls the API with this session's access token (refreshed once if it was refused), and
/// turns any failure into the `{code, message}` the UI shows.
pub async fn authed<T, F, Fut>(state: &AppState, call: F) -> Result<T, econfiance_api::ErrorBody>
where
    F: Fn(ApiClient, econfiance_api::Secret<String>) -> Fut,
    Fut: std::future::Future<Output = Result<T, ClientError>>,
{
    let lang = state.language();
    let manager = manager(state)?;
    let api = state.api.as_ref().map_err(|e| e.to_body(lang))?.clone();
    manager
        .with_access(lang, |access| call(api.clone(), access))
        .await
        .map_err(|e| e.to_body(lang))
}
