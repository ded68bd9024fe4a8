//! "Vider le cache": what counts as cache on each OS, how big it is, and removing it.
//!
//! Cache is everything that can be fetched again: the webview's storage and HTTP cache, and
//! the app's cache folder. Never cache: the app's own files ([`AppDirs::user_files`]:
//! settings, drafts, unsent messages), the logs, and — while the app runs — the files the
//! webview has open. Secrets are in the keyring, not in any folder. Where each OS puts
//! things (Tauri's folders for the identifier `fr.econfiance.desktop`):
//!
//! | | Linux | Windows | macOS |
//! |---|---|---|---|
//! | data (`app/` inside) | `~/.local/share/<id>` | `%APPDATA%\<id>` | `~/Library/Application Support/<id>` |
//! | cache folder | `~/.cache/<id>` | `%LOCALAPPDATA%\<id>` | `~/Library/Caches/<id>` |
//! | logs | `<data>/logs` | `%LOCALAPPDATA%\<id>\logs` | `~/Library/Logs/<id>` |
//! | webview data | in `<data>` (WebKitGTK) | `<cache folder>\EBWebView` (WebView2) | `~/Library/WebKit/<id>`, `<cache folder>/WebKit` |
//!
//! So the rule is by exclusion, per OS ([`plan`]). While the app runs, the webview's data
//! is cleared through the webview itself (the shell waits for it) and only what no webview
//! holds is deleted ([`Moment::AppRunning`]); `e-confiance --clear-cache` runs with the app
//! closed and deletes the webview's folders too ([`Moment::AppClosed`]).

use std::path::{Path, PathBuf};

use crate::platform::Os;
use crate::storage::AppDirs;

/// When the cache is cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// From the running app: the webview holds its folders (it clears them itself).
    AppRunning,
    /// With the app closed (`--clear-cache`): the webview's folders go too.
    AppClosed,
}

/// What a clear deletes and what it must keep, on one OS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Folders whose every child is cache, but those in `keep`.
    pub emptied: Vec<PathBuf>,
    /// Folders that are cache whole (deleted with their contents).
    pub removed: Vec<PathBuf>,
    /// Never deleted, wherever they are.
    pub keep: Vec<PathBuf>,
}

/// What "Vider le cache" deletes on `os` at `moment`, for the app folders `dirs` of the
/// user whose home is `home`.
pub fn plan(os: Os, dirs: &AppDirs, home: &Path, moment: Moment) -> Plan {
    let closed = moment == Moment::AppClosed;
    let mut keep = vec![dirs.user_files(), dirs.logs.clone()];
    let mut emptied = vec![dirs.cache.clone()];
    let mut removed = vec![];
    match os {
        // WebKitGTK keeps its storage and HTTP cache in the data folder.
        Os::Linux => {
            if closed {
                emptied.push(dirs.data.clone());
            }
        }
        // WebView2's live profile sits in the local folder, which is also the cache folder
        // and holds the logs: deleting it under a running webview breaks the window.
        Os::Windows => {
            let profile = dirs.cache.join("EBWebView");
            if closed {
                removed.push(profile);
            } else {
                keep.push(profile);
            }
        }
        // WKWebView keeps its website data under ~/Library/WebKit/<id> and its HTTP cache
        // under the cache folder's WebKit/.
        // The identifier names the folder; without it (or without an absolute home) the
        // path would be all apps' WebKit data, so nothing there is touched.
        Os::MacOs => {
            let identifier = dirs.cache.file_name().filter(|id| !id.is_empty());
            if closed {
                if let Some(identifier) = identifier.filter(|_| home.is_absolute()) {
                    removed.push(home.join("Library/WebKit").join(identifier));
                }
            } else {
                keep.push(dirs.cache.join("WebKit"));
            }
        }
    }
    Plan {
        emptied,
        removed,
        keep,
    }
}

/// Files and folders on disk that `plan` deletes.
pub fn entries(plan: &Plan) -> Vec<PathBuf> {
    let kept = |p: &PathBuf| plan.keep.iter().any(|k| k == p || k.starts_with(p));
    let mut found: Vec<PathBuf> = plan
        .emptied
        .iter()
        .flat_map(|dir| children(dir))
        .filter(|p| !kept(p))
        .collect();
    found.extend(plan.removed.iter().filter(|p| p.exists()).cloned());
    found.sort();
    found.dedup();
    found
}

/// Bytes the whole cache takes on disk (what a clear with the app closed would free).
pub fn size(os: Os, dirs: &AppDirs, home: &Path) -> u64 {
    entries(&plan(os, dirs, home, Moment::AppClosed))
        .iter()
        .map(|p| size_of(p))
        .sum()
}

/// Removes what `moment` allows from disk. Returns the bytes freed.
pub fn clear(os: Os, dirs: &AppDirs, home: &Path, moment: Moment) -> u64 {
    remove_all(entries(&plan(os, dirs, home, moment)))
}

fn remove_all(paths: Vec<PathBuf>) -> u64 {
    let mut freed = 0;
    for path in paths {
        let bytes = size_of(&path);
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Ok(()) => freed += bytes,
            Err(e) => tracing::warn!(path = %path.display(), error = %e, "cache entry not removed"),
        }
    }
    freed
}

fn children(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|read| read.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Size of a file, or of a folder's files (symbolic links are not followed).
pub fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        children(path).iter().map(|p| size_of(p)).sum()
    } else {
        meta.len()
    }
}

/// "1,2 Mo" / "1.2 MB": a size for people.
pub fn human_size(bytes: u64, lang: crate::Language) -> String {
    let (unit_kb, unit_mb, unit_b) = match lang {
        crate::Language::Fr => ("Ko", "Mo", "octets"),
        crate::Language::En => ("KB", "MB", "bytes"),
    };
    let text = if bytes >= 1_000_000 {
        format!("{:.1} {unit_mb}", bytes as f64 / 1_000_000.0)
    } else if bytes >= 1_000 {
        format!("{:.0} {unit_kb}", bytes as f64 / 1_000.0)
    } else {
        format!("{bytes} {unit_b}")
    };
    match lang {
        crate::Language::Fr => text.replace('.', ","),
        crate::Language::En => text,
    }
}

/// What `--clear-cache` did (the app closed, run from a terminal or a shortcut), told for
/// people, and whether it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearedWithAppClosed {
    /// What happened and what to do next.
    pub text: String,
    /// Nothing or not everything was cleared.
    pub failed: bool,
}

/// `--clear-cache`: refuses while the app runs (its lock is held), else clears everything
/// [`Moment::AppClosed`] allows and says how much was freed, or what is still in use.
pub fn clear_with_app_closed(
    os: Os,
    dirs: Option<&AppDirs>,
    home: &Path,
    lang: crate::Language,
) -> ClearedWithAppClosed {
    let failed = |fr: &str, en: &str| ClearedWithAppClosed {
        text: lang.pick(fr, en).to_owned(),
        failed: true,
    };
    let Some(dirs) = dirs else {
        return failed(
            "e-confiance : dossier personnel introuvable, rien n'a été vidé.",
            "e-confiance: home folder not found, nothing was cleared.",
        );
    };
    if crate::storage::RunningLock::held_elsewhere(dirs) {
        return failed(
            "e-confiance est encore ouverte (peut-être cachée dans la zone de notification, près de l'horloge) : quittez-la par le menu de son icône (« Quitter »), puis recommencez. Rien n'a été vidé.",
            "e-confiance is still open (perhaps hidden in the notification area, near the clock): quit it from its icon's menu (\"Quit\"), then try again. Nothing was cleared.",
        );
    }
    let freed = clear(os, dirs, home, Moment::AppClosed);
    let left = size(os, dirs, home);
    let size = human_size(freed, lang);
    let done = match lang {
        crate::Language::Fr => format!("e-confiance : cache vidé ({size} libérés). Vos réglages, brouillons et votre session sont conservés."),
        crate::Language::En => format!("e-confiance: cache cleared ({size} freed). Your settings, drafts and session are kept."),
    };
    if left > 0 {
        let busy = lang.pick(
            "Une partie du cache est encore utilisée : fermez l'application et recommencez.",
            "Part of the cache is still in use: close the app and try again.",
        );
        return ClearedWithAppClosed {
            text: format!("{done}\n{busy}"),
            failed: true,
        };
    }
    ClearedWithAppClosed {
        text: done,
        failed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tauri's folders for the app on `os`, under `root` (the user's home).
    fn dirs_on(os: Os, root: &Path) -> AppDirs {
        let id = "fr.econfiance.desktop";
        match os {
            Os::Linux => AppDirs {
                data: root.join(".local/share").join(id),
                cache: root.join(".cache").join(id),
                logs: root.join(".local/share").join(id).join("logs"),
            },
            Os::Windows => AppDirs {
                data: root.join("AppData/Roaming").join(id),
                cache: root.join("AppData/Local").join(id),
                logs: root.join("AppData/Local").join(id).join("logs"),
            },
            Os::MacOs => AppDirs {
                data: root.join("Library/Application Support").join(id),
                cache: root.join("Library/Caches").join(id),
                logs: root.join("Library/Logs").join(id),
            },
        }
    }

    fn write(p: &Path, n: usize) {
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, vec![b'x'; n]).expect("write");
    }

    /// An app's folders as each OS fills them: the user's files, logs, and the webview's.
    /// Returns the files that must survive and the webview's own.
    fn world(os: Os, root: &Path) -> (AppDirs, Vec<PathBuf>, Vec<PathBuf>) {
        let dirs = dirs_on(os, root);
        let kept = vec![
            dirs.settings_file(),
            dirs.user_files().join("support-draft.json"),
            dirs.user_files().join("reply-drafts.json"),
            dirs.logs.join("e-confiance.log"),
        ];
        let webview = match os {
            Os::Linux => vec![
                dirs.data.join("WebKitCache/Version 17/Records/a"),
                dirs.data.join("localstorage/http_localhost_0.localstorage"),
                dirs.data.join("hsts-storage.sqlite"),
            ],
            Os::Windows => vec![
                dirs.cache.join("EBWebView/Default/Cache/Cache_Data/data_0"),
                dirs.cache
                    .join("EBWebView/Default/Local Storage/leveldb/000003.log"),
            ],
            Os::MacOs => vec![
                root.join("Library/WebKit/fr.econfiance.desktop/WebsiteData/LocalStorage/a"),
                dirs.cache.join("WebKit/NetworkCache/Version 16/Records/b"),
            ],
        };
        for (i, p) in kept.iter().chain(&webview).enumerate() {
            write(p, 10 + i);
        }
        write(&dirs.cache.join("thumbnails/b"), 4000);
        (dirs, kept, webview)
    }

    #[test]
    fn the_command_line_refuses_while_the_app_runs_and_clears_once_it_is_closed() {
        let root = tempfile::tempdir().expect("tempdir");
        let (dirs, kept, webview) = world(Os::Linux, root.path());
        let running = crate::storage::RunningLock::acquire(&dirs)
            .expect("lock")
            .expect("free");
        // The lock is taken through another open file, as the running app's process holds it.
        let refused =
            clear_with_app_closed(Os::Linux, Some(&dirs), root.path(), crate::Language::En);
        assert!(refused.failed);
        assert!(refused.text.contains("still open"), "{}", refused.text);
        assert!(
            webview.iter().all(|p| p.exists()),
            "nothing cleared while it runs"
        );

        drop(running);
        let done = clear_with_app_closed(Os::Linux, Some(&dirs), root.path(), crate::Language::Fr);
        assert!(!done.failed, "{}", done.text);
        assert!(done.text.contains("cache vidé"), "{}", done.text);
        assert!(webview.iter().all(|p| !p.exists()));
        assert!(
            kept.iter().all(|p| p.exists()),
            "settings, drafts and logs stay"
        );

        let nowhere = clear_with_app_closed(Os::Linux, None, root.path(), crate::Language::Fr);
        assert!(nowhere.failed && nowhere.text.contains("rien n'a été vidé"));
    }

    #[test]
    fn with_the_app_closed_everything_but_the_users_files_and_logs_goes_on_every_os() {
        for os in Os::ALL {
            let root = tempfile::tempdir().expect("tempdir");
            let (dirs, kept, webview) = world(os, root.path());
            let before = size(os, &dirs, root.path());
            assert!(before >= 4000, "{os:?}: {before}");
            let freed = clear(os, &dirs, root.path(), Moment::AppClosed);
            assert_eq!(freed, before, "{os:?}");
            assert_eq!(size(os, &dirs, root.path()), 0, "{os:?}");
            for p in &kept {
                assert!(p.exists(), "{os:?}: {} must be kept", p.display());
            }
            for p in &webview {
                assert!(!p.exists(), "{os:?}: {} must be cleared", p.display());
            }
            assert!(!dirs.cache.join("thumbnails").exists(), "{os:?}");
        }
    }

    #[test]
    fn while_the_app_runs_the_webviews_live_folders_and_the_logs_stay() {
        for os in Os::ALL {
            let root = tempfile::tempdir().expect("tempdir");
            let (dirs, kept, webview) = world(os, root.path());
            let freed = clear(os, &dirs, root.path(), Moment::AppRunning);
            assert_eq!(freed, 4000, "{os:?}: only the app's own cache files");
            for p in kept.iter().chain(&webview) {
                assert!(
                    p.exists(),
                    "{os:?}: {} must stay while running",
                    p.display()
                );
            }
        }
    }

    #[test]
    fn the_plan_names_each_oss_webview_folders() {
        let root = Path::new("/home/marie");
        let win = plan(
            Os::Windows,
            &dirs_on(Os::Windows, root),
            root,
            Moment::AppRunning,
        );
        assert!(win.keep.iter().any(|p| p.ends_with("EBWebView")));
        assert!(win.keep.iter().any(|p| p.ends_with("logs")));
        let win = plan(
            Os::Windows,
            &dirs_on(Os::Windows, root),
            root,
            Moment::AppClosed,
        );
        assert!(win.removed.iter().any(|p| p.ends_with("EBWebView")));
        let mac = plan(
            Os::MacOs,
            &dirs_on(Os::MacOs, root),
            root,
            Moment::AppClosed,
        );
        assert!(mac
            .removed
            .contains(&root.join("Library/WebKit/fr.econfiance.desktop")));
        assert!(mac
            .emptied
            .contains(&root.join("Library/Caches/fr.econfiance.desktop")));
        // No identifier, or no home: never all of ~/Library/WebKit, nor a relative path.
        let odd = AppDirs {
            cache: PathBuf::from("/"),
            ..dirs_on(Os::MacOs, root)
        };
        assert!(plan(Os::MacOs, &odd, root, Moment::AppClosed)
            .removed
            .is_empty());
        let homeless = plan(
            Os::MacOs,
            &dirs_on(Os::MacOs, root),
            Path::new(""),
            Moment::AppClosed,
        );
        assert!(homeless.removed.is_empty());
        let linux = plan(
            Os::Linux,
            &dirs_on(Os::Linux, root),
            root,
            Moment::AppRunning,
        );
        assert_eq!(
            linux.emptied,
            vec![root.join(".cache/fr.econfiance.desktop")]
        );
    }

    #[test]
    fn missing_folders_are_an_empty_cache() {
        let dirs = AppDirs {
            data: PathBuf::from("/nonexistent/a"),
            cache: PathBuf::from("/nonexistent/b"),
            logs: PathBuf::from("/nonexistent/c"),
        };
        for os in Os::ALL {
            assert_eq!(size(os, &dirs, Path::new("/nonexistent")), 0);
            assert_eq!(
                clear(os, &dirs, Path::new("/nonexistent"), Moment::AppClosed),
                0
            );
        }
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        use crate::Language::{En, Fr};
        assert_eq!(human_size(1_234_567, Fr), "1,2 Mo");
        assert_eq!(human_size(1_234_567, En), "1.2 MB");
        assert_eq!(human_size(45_000, Fr), "45 Ko");
        assert_eq!(human_size(12, En), "12 bytes");
    }
}
