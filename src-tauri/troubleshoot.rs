//! "Problème de connexion ?": the connection check (with the OS-specific scheme test and
//! its repair) and "Vider le cache" (WebKit's data cleared through WebKit, waited for).

use econfiance_api::ErrorBody;
use econfiance_client::diagnose::{self, ConnectionReport, SchemeState};
use econfiance_client::ipc::CacheCleared;
use econfiance_client::vault::{self, OsKeyring, KEYRING_SERVICE};
use econfiance_client::{cache, ClientError, Language};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::AppState;

/// Whether `econfiance://` opens this app, as the OS says.
fn scheme_state<R: Runtime>(_app: &AppHandle<R>) -> SchemeState {
    #[cfg(any(target_os = "linux", windows))]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        match _app.deep_link().is_registered("econfiance") {
            Ok(true) => return SchemeState::Registered,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %e, "could not ask the OS about econfiance://");
                return SchemeState::Unknown;
            }
        }
        if installed_package_handles_scheme() {
            return SchemeState::Registered;
        }
        SchemeState::NotRegistered
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    SchemeState::Unknown
}

/// Whether an installed package's own entry (`e-confiance.desktop`, from the .deb or .rpm)
/// is the OS's handler of `econfiance://`.
#[cfg(any(target_os = "linux", windows))]
pub fn installed_package_handles_scheme() -> bool {
    #[cfg(target_os = "linux")]
    {
        linux_default_handler().as_deref() == Some(PACKAGE_DESKTOP_ENTRY)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// The desktop entry the Linux packages install (named after the product).
#[cfg(target_os = "linux")]
const PACKAGE_DESKTOP_ENTRY: &str = "e-confiance.desktop";

#[cfg(target_os = "linux")]
fn linux_default_handler() -> Option<String> {
    let out = std::process::Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/econfiance"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_owned())
}

async fn report<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> ConnectionReport {
    let lang = state.language();
    let mut lines = match &state.api {
        Ok(api) => diagnose::check_server(api, lang).await,
        Err(e) => vec![econfiance_client::diagnose::CheckLine {
            id: "server".into(),
            status: diagnose::CheckStatus::Failed,
            message: e.message(lang),
            advice: None,
            repairable: false,
        }],
    };
    let probe =
        tauri::async_runtime::spawn_blocking(|| vault::probe(&OsKeyring::new(KEYRING_SERVICE)))
            .await
            .unwrap_or_else(|e| Err(ClientError::KeyringUnavailable(e.to_string())));
    lines.push(diagnose::keyring_line(&probe, lang));
    lines.push(diagnose::scheme_line(&scheme_state(app), lang));
    lines.push(diagnose::cache_line(cache_size(state).await, lang));
    ConnectionReport { lines }
}

/// Runs the connection check.
#[tauri::command]
pub async fn connection_check<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<ConnectionReport, ErrorBody> {
    let report = report(&app, &state).await;
    for line in &report.lines {
        tracing::info!(check = %line.id, status = ?line.status, "connection check");
    }
    Ok(report)
}

/// Registers `econfiance://` for this app again, then checks again.
#[tauri::command]
pub async fn repair_scheme<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<ConnectionReport, ErrorBody> {
    #[cfg(any(target_os = "linux", windows))]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Err(e) = app.deep_link().register("econfiance") {
            tracing::warn!(error = %e, "repairing econfiance:// failed");
            let lang = state.language();
            return Err(ErrorBody::new(
                "scheme_repair_failed",
                lang.pick(
                    "Impossible d'associer les liens econfiance:// à l'application. Réinstallez-la, ou saisissez le code reçu par e-mail.",
                    "Could not associate econfiance:// links with the app. Reinstall it, or type the code from the e-mail.",
                ),
            ));
        }
        tracing::info!("econfiance:// registered again");
    }
    Ok(report(&app, &state).await)
}

/// "Vider le cache": WebKit's data (storage, HTTP cache, Cache API) cleared by WebKit and
/// waited for, then the app's cache folder; the session too when `sign_out`. Returns what
/// was freed; the UI reloads afterwards.
#[tauri::command]
pub async fn clear_cache<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    sign_out: bool,
) -> Result<CacheCleared, ErrorBody> {
    let lang = state.language();
    let before = cache_size(&state).await;
    let window = app
        .get_webview_window("main")
        .ok_or_else(|| clear_failed(lang, "no main window".into()))?;
    clear_webview_data(&window, lang).await?;
    let dirs = state.dirs.clone();
    tauri::async_runtime::spawn_blocking(move || cache::clear_app_cache_folder(&dirs))
        .await
        .map_err(|e| clear_failed(lang, e.to_string()))?;
    let after = cache_size(&state).await;
    let mut signed_out = false;
    if sign_out {
        if let Some(manager) = state.session() {
            manager.logout(lang).await.map_err(|e| e.to_body(lang))?;
            signed_out = true;
        }
    }
    let freed = before.saturating_sub(after);
    tracing::info!(freed, signed_out, "cache cleared");
    Ok(CacheCleared {
        freed_bytes: freed,
        freed: cache::human_size(freed, lang),
        signed_out,
    })
}

/// The cache's size, measured off the async workers (it walks folders).
async fn cache_size(state: &AppState) -> u64 {
    let dirs = state.dirs.clone();
    tauri::async_runtime::spawn_blocking(move || cache::size(&dirs))
        .await
        .unwrap_or_default()
}

/// The cache could not be cleared: logged with `reason`, told with the way out.
fn clear_failed(lang: Language, reason: String) -> ErrorBody {
    tracing::warn!(reason, "cache not cleared");
    ErrorBody::new(
        "cache_clear_failed",
        lang.pick(
            "Le cache n'a pas pu être vidé entièrement. Fermez l'application, puis lancez « e-confiance --clear-cache ».",
            "The cache could not be fully cleared. Close the app, then run \"e-confiance --clear-cache\".",
        ),
    )
}

/// How WebKit's clearing of the website data ended.
#[cfg(target_os = "linux")]
enum WebDataCleared {
    Done,
    Failed(String),
}

/// Clears the webview's browsing data and returns once it is gone. Tauri's
/// `clear_all_browsing_data` returns before WebKitGTK has finished (it passes an empty
/// callback), so on Linux the same WebKit call is made with a callback that is waited for.
async fn clear_webview_data<R: Runtime>(
    window: &tauri::WebviewWindow<R>,
    lang: Language,
) -> Result<(), ErrorBody> {
    #[cfg(target_os = "linux")]
    {
        use webkit2gtk::{WebViewExt, WebsiteDataManagerExtManual};
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<WebDataCleared>();
        window
            .with_webview(move |platform| {
                let webview = platform.inner();
                let Some(manager) = webview.website_data_manager() else {
                    let _ = done_tx.send(WebDataCleared::Failed("no website data manager".into()));
                    return;
                };
                manager.clear(
                    webkit2gtk::WebsiteDataTypes::ALL,
                    webkit2gtk::glib::TimeSpan::from_seconds(0),
                    None::<&webkit2gtk::gio::Cancellable>,
                    move |result| {
                        let _ = done_tx.send(match result {
                            Ok(()) => WebDataCleared::Done,
                            Err(e) => WebDataCleared::Failed(e.to_string()),
                        });
                    },
                );
            })
            .map_err(|e| clear_failed(lang, e.to_string()))?;
        match tokio::time::timeout(std::time::Duration::from_secs(30), done_rx).await {
            Ok(Ok(WebDataCleared::Done)) => Ok(()),
            Ok(Ok(WebDataCleared::Failed(e))) => Err(clear_failed(lang, e)),
            Ok(Err(_)) => Err(clear_failed(lang, "WebKit dropped the callback".into())),
            Err(_) => Err(clear_failed(lang, "WebKit did not finish in 30 s".into())),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Tauri's call elsewhere; whether WebView2 and WKWebView finish before it returns
        // has not been checked on those systems yet.
        window
            .clear_all_browsing_data()
            .map_err(|e| clear_failed(lang, e.to_string()))
    }
}
