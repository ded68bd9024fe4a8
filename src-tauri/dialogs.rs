//! The OS's file dialogs, run from Rust: the webview asks for an export, never names a
//! path, and the app writes only where the user chose.

use std::path::PathBuf;

use econfiance_client::desktop::SaveDialog;
use econfiance_client::Language;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

/// Asks where to save `file`; `None` when the user cancelled.
pub async fn choose_save_path<R: Runtime>(
    app: &AppHandle<R>,
    file: SaveDialog,
    lang: Language,
) -> Option<PathBuf> {
    let (sender, chosen) = tokio::sync::oneshot::channel();
    let (filter, extensions) = file.filter();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(file.title(lang))
        .set_file_name(file.file_name(lang))
        .add_filter(filter, extensions);
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog.save_file(move |path| {
        let _ = sender.send(path);
    });
    chosen.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// Asks which CSV of customers to read; `None` when the user cancelled.
pub async fn choose_customer_file<R: Runtime>(
    app: &AppHandle<R>,
    lang: Language,
) -> Option<PathBuf> {
    let (sender, chosen) = tokio::sync::oneshot::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(lang.pick(
            "Choisir le fichier de vos clients (CSV)",
            "Choose your customers' file (CSV)",
        ))
        .add_filter("CSV", &["csv", "txt"]);
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog.pick_file(move |path| {
        let _ = sender.send(path);
    });
    chosen.await.ok().flatten().and_then(|p| p.into_path().ok())
}
