//! "Problème de connexion ?": the connection check (with the OS-specific scheme test and
//! its repair) and "Vider le cache" (WebKit's data cleared through WebKit, waited for).

use econfiance_api::ErrorBody;
use econfiance_client::diagnose::ConnectionReport;
use econfiance_client::ipc::CacheCleared;
use econfiance_client::platform::{self, HandlerFacts, HandlerVerdict, Os};
use econfiance_client::{ClientError, Language};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::AppState;

/// Whether `econfiance://` opens this app: what the OS says, read against this executable.
pub fn scheme_verdict() -> HandlerVerdict {
    let exe = tauri::utils::platform::current_exe().unwrap_or_default();
    platform::scheme_handler(&handler_facts(), &exe)
}

/// What this OS says opens `econfiance://` links.
#[cfg(target_os = "linux")]
fn handler_facts() -> HandlerFacts {
    let out = match std::process::Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/econfiance"])
        .output()
    {
        Ok(out) => out,
        Err(e) => return HandlerFacts::Unavailable(format!("xdg-mime: {e}")),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let default_entry = text.lines().next().map(|l| l.trim().to_owned());
    // The entry the deep-link plugin writes for this executable (a development build).
    let exe_name = tauri::utils::platform::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "e-confiance".into());
    HandlerFacts::Linux {
        default_entry,
        own_entry: format!("{exe_name}-handler.desktop"),
        package_entry: PACKAGE_DESKTOP_ENTRY.to_owned(),
    }
}

/// The desktop entry the Linux packages install (named after the product).
#[cfg(target_os = "linux")]
const PACKAGE_DESKTOP_ENTRY: &str = "e-confiance.desktop";

#[cfg(windows)]
fn handler_facts() -> HandlerFacts {
    use windows_registry::{CLASSES_ROOT, CURRENT_USER, LOCAL_MACHINE};
    const COMMAND: &str = r"Software\Classes\econfiance\shell\open\command";
    const CHOICE: &str =
        r"Software\Microsoft\Windows\Shell\Associations\UrlAssociations\econfiance\UserChoice";
    let read = |root: &windows_registry::Key, key: &str, value: &str| {
        root.open(key).and_then(|k| k.get_string(value)).ok()
    };
    let user_choice = read(CURRENT_USER, CHOICE, "ProgId").map(|prog_id| {
        let command = read(CLASSES_ROOT, &format!(r"{prog_id}\shell\open\command"), "");
        (prog_id, command)
    });
    HandlerFacts::Windows {
        user_choice,
        user: read(CURRENT_USER, COMMAND, ""),
        machine: read(LOCAL_MACHINE, COMMAND, ""),
    }
}

#[cfg(target_os = "macos")]
fn handler_facts() -> HandlerFacts {
    use objc2_app_kit::NSWorkspace;
    use objc2_foundation::{NSString, NSURL};
    // `…/e-confiance.app/Contents/MacOS/e-confiance` → `…/Contents/Info.plist`.
    let info = tauri::utils::platform::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("Info.plist")));
    let bundle_schemes = info
        .and_then(|path| plist::Value::from_file(path).ok())
        .map(|value| url_schemes(&value))
        .unwrap_or_default();
    // Launch Services' answer: the application that opens an econfiance:// URL.
    let launch_services = NSURL::URLWithString(&NSString::from_str("econfiance://auth/callback"))
        .and_then(|url| NSWorkspace::sharedWorkspace().URLForApplicationToOpenURL(&url))
        .and_then(|app| app.path())
        .map(|path| std::path::PathBuf::from(path.to_string()));
    HandlerFacts::MacOs {
        launch_services,
        bundle_schemes,
    }
}

/// `CFBundleURLTypes[*].CFBundleURLSchemes[*]` of an `Info.plist`.
#[cfg(target_os = "macos")]
fn url_schemes(info: &plist::Value) -> Vec<String> {
    info.as_dictionary()
        .and_then(|d| d.get("CFBundleURLTypes"))
        .and_then(plist::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_dictionary()?.get("CFBundleURLSchemes")?.as_array())
        .flatten()
        .filter_map(|s| s.as_string().map(str::to_owned))
        .collect()
}

/// Runs the connection check.
#[tauri::command]
pub async fn connection_check(state: State<'_, AppState>) -> Result<ConnectionReport, ErrorBody> {
    Ok(state.connection_check(scheme_verdict()).await)
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
            return Err(state.fail(ClientError::SchemeRepairFailed));
        }
        tracing::info!("econfiance:// registered again");
    }
    // macOS: the installed bundle declares the scheme; the check offers no repair there.
    #[cfg(target_os = "macos")]
    let _ = app;
    Ok(state.connection_check(scheme_verdict()).await)
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
    let before = state.cache_size().await;
    let window = app
        .get_webview_window("main")
        .ok_or_else(|| clear_failed(lang, "no main window".into()))?;
    clear_webview_data(&window, lang).await?;
    state
        .finish_clearing_cache(before, sign_out)
        .await
        .map_err(|e| state.fail(e))
}

/// The cache could not be cleared: logged with `reason`, told with the way out on this OS.
fn clear_failed(lang: Language, reason: String) -> ErrorBody {
    tracing::warn!(reason, "cache not cleared");
    let exe = tauri::utils::platform::current_exe().unwrap_or_default();
    let advice = platform::clear_cache_advice(Os::current(), &exe, lang);
    ClientError::CacheClearFailed { advice }.to_body(lang)
}

/// How the webview's clearing of its website data ended.
// WKWebView's completion handler reports no error: macOS never builds `Failed`.
#[cfg_attr(target_os = "macos", allow(dead_code))]
enum WebDataCleared {
    Done,
    Failed(String),
}

/// Clears the webview's browsing data and returns once the webview says it is gone: each
/// engine's own call, with a completion that is waited for (Tauri's
/// `clear_all_browsing_data` passes an empty completion on every OS and returns at once).
async fn clear_webview_data<R: Runtime>(
    window: &tauri::WebviewWindow<R>,
    lang: Language,
) -> Result<(), ErrorBody> {
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<WebDataCleared>();
    window
        .with_webview(move |platform| clear_engine_data(platform, done_tx))
        .map_err(|e| clear_failed(lang, e.to_string()))?;
    match tokio::time::timeout(std::time::Duration::from_secs(30), done_rx).await {
        Ok(Ok(WebDataCleared::Done)) => Ok(()),
        Ok(Ok(WebDataCleared::Failed(e))) => Err(clear_failed(lang, e)),
        Ok(Err(_)) => Err(clear_failed(
            lang,
            "the webview dropped the callback".into(),
        )),
        Err(_) => Err(clear_failed(
            lang,
            "the webview did not finish in 30 s".into(),
        )),
    }
}

type Done = tokio::sync::oneshot::Sender<WebDataCleared>;

/// WebKitGTK: the website data manager's `clear`, with its callback.
#[cfg(target_os = "linux")]
fn clear_engine_data(platform: tauri::webview::PlatformWebview, done: Done) {
    use webkit2gtk::{WebViewExt, WebsiteDataManagerExtManual};
    let webview = platform.inner();
    let Some(manager) = webview.website_data_manager() else {
        let _ = done.send(WebDataCleared::Failed("no website data manager".into()));
        return;
    };
    manager.clear(
        webkit2gtk::WebsiteDataTypes::ALL,
        webkit2gtk::glib::TimeSpan::from_seconds(0),
        None::<&webkit2gtk::gio::Cancellable>,
        move |result| {
            let _ = done.send(match result {
                Ok(()) => WebDataCleared::Done,
                Err(e) => WebDataCleared::Failed(e.to_string()),
            });
        },
    );
}

/// WebView2: the profile's `ClearBrowsingDataAll`, with its completion handler. The profile
/// folder (`EBWebView`) itself stays: the running webview holds it.
#[cfg(windows)]
#[allow(unsafe_code)] // WebView2's COM interface has no safe wrapper.
fn clear_engine_data(platform: tauri::webview::PlatformWebview, done: Done) {
    use webview2_com::ClearBrowsingDataCompletedHandler;
    use webview2_com::Microsoft::Web::WebView2::Win32::{ICoreWebView2Profile2, ICoreWebView2_13};
    use windows_core::Interface;
    let handler = ClearBrowsingDataCompletedHandler::create(Box::new(move |result| {
        let _ = done.send(match result {
            Ok(()) => WebDataCleared::Done,
            Err(e) => WebDataCleared::Failed(e.to_string()),
        });
        Ok(())
    }));
    // SAFETY: COM calls on the webview's own controller, on the thread Tauri runs
    // `with_webview` on (the webview's UI thread), as WebView2 requires; every interface
    // is reference-counted by the `windows` crate's wrappers.
    let started = unsafe {
        platform
            .controller()
            .CoreWebView2()
            .and_then(|webview| webview.cast::<ICoreWebView2_13>())
            .and_then(|webview| webview.Profile())
            .and_then(|profile| profile.cast::<ICoreWebView2Profile2>())
            .and_then(|profile| profile.ClearBrowsingDataAll(&handler))
    };
    if let Err(e) = started {
        // The handler, never handed to WebView2, is dropped with its sender: the caller
        // hears "dropped" and tells the user the way out.
        tracing::warn!(error = %e, "WebView2 refused to clear its data");
    }
}

/// WKWebView: the website data store's `removeDataOfTypes:modifiedSince:completionHandler:`
/// for every type since 1970, with its completion handler.
#[cfg(target_os = "macos")]
#[allow(unsafe_code)] // WebKit's Objective-C calls have no safe wrapper.
fn clear_engine_data(platform: tauri::webview::PlatformWebview, done: Done) {
    use objc2_foundation::NSDate;
    use objc2_web_kit::{WKWebView, WKWebsiteDataStore};
    let done = std::sync::Mutex::new(Some(done));
    let handler = block2::RcBlock::new(move || {
        if let Some(done) = done.lock().ok().and_then(|mut d| d.take()) {
            let _ = done.send(WebDataCleared::Done);
        }
    });
    // SAFETY: Tauri passes the live WKWebView of this window, on the main thread, for the
    // duration of this call; the store retains the handler until it has run.
    unsafe {
        let view: &WKWebView = &*platform.inner().cast::<WKWebView>();
        let Some(mtm) = objc2::MainThreadMarker::new() else {
            return;
        };
        let store = view.configuration().websiteDataStore();
        let types = WKWebsiteDataStore::allWebsiteDataTypes(mtm);
        let since = NSDate::dateWithTimeIntervalSince1970(0.0);
        store.removeDataOfTypes_modifiedSince_completionHandler(&types, &since, &handler);
    }
}
