//! "Vider le cache": what counts as cache, how big it is, and removing it from disk.
//!
//! Cache is everything that can be fetched again: the app's cache folder, and WebKit's
//! storage and HTTP cache — which, on Linux, WebKit keeps in the app's data folder beside
//! the app's own files. So the rule is by exclusion: in the data folder, everything but
//! the app's own subfolder ([`AppDirs::user_files`]) and the logs is the webview's.
//! Settings, drafts and unsent messages live in the app's subfolder and are never touched;
//! secrets are in the keyring, not in any folder.
//!
//! While the app runs, the webview's data is cleared through WebKit itself (the shell
//! waits for it); [`remove_from_disk`] is for `e-confiance --clear-cache`, when no webview
//! holds those files.

use std::path::{Path, PathBuf};

use crate::storage::AppDirs;

/// Files and folders that make up the cache.
pub fn entries(dirs: &AppDirs) -> Vec<PathBuf> {
    let keep = [dirs.user_files(), dirs.logs.clone()];
    let mut found = children(&dirs.cache);
    found.extend(
        children(&dirs.data)
            .into_iter()
            .filter(|p| !keep.iter().any(|k| k == p)),
    );
    found
}

/// Bytes the cache takes on disk.
pub fn size(dirs: &AppDirs) -> u64 {
    entries(dirs).iter().map(|p| size_of(p)).sum()
}

/// Removes the app's cache folder's contents only (safe while the webview runs: WebKit
/// keeps nothing there on Linux). Returns the bytes freed.
pub fn clear_app_cache_folder(dirs: &AppDirs) -> u64 {
    remove_all(children(&dirs.cache))
}

/// Removes every cache entry ([`entries`]) from disk. Only when the app is not running.
/// Returns the bytes freed.
pub fn remove_from_disk(dirs: &AppDirs) -> u64 {
    remove_all(entries(dirs))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> (tempfile::TempDir, AppDirs) {
        let root = tempfile::tempdir().expect("tempdir");
        let dirs = AppDirs {
            data: root.path().join("data/fr.econfiance.desktop"),
            cache: root.path().join("cache/fr.econfiance.desktop"),
            logs: root.path().join("data/fr.econfiance.desktop/logs"),
        };
        let write = |p: PathBuf, n: usize| {
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, vec![b'x'; n]).expect("write");
        };
        write(dirs.settings_file(), 10);
        write(dirs.user_files().join("support-draft.json"), 20);
        write(dirs.logs.join("e-confiance.log"), 30);
        write(dirs.data.join("WebKitCache/Version 17/Records/a"), 1000);
        write(dirs.data.join("storage/localstorage.sqlite3"), 2000);
        write(dirs.data.join("hsts-storage.sqlite"), 300);
        write(dirs.cache.join("thumbnails/b"), 4000);
        (root, dirs)
    }

    #[test]
    fn the_cache_is_everything_but_the_users_files_and_the_logs() {
        let (_root, dirs) = world();
        assert_eq!(size(&dirs), 1000 + 2000 + 300 + 4000);
        let freed = remove_from_disk(&dirs);
        assert_eq!(freed, 7300);
        assert_eq!(size(&dirs), 0);
        assert!(dirs.settings_file().exists(), "settings kept");
        assert!(
            dirs.user_files().join("support-draft.json").exists(),
            "draft kept"
        );
        assert!(dirs.logs.join("e-confiance.log").exists(), "logs kept");
        assert!(!dirs.data.join("WebKitCache").exists());
    }

    #[test]
    fn clearing_the_app_cache_folder_leaves_the_webviews_data_to_webkit() {
        let (_root, dirs) = world();
        assert_eq!(clear_app_cache_folder(&dirs), 4000);
        assert!(dirs.data.join("storage/localstorage.sqlite3").exists());
    }

    #[test]
    fn missing_folders_are_an_empty_cache() {
        let dirs = AppDirs {
            data: PathBuf::from("/nonexistent/a"),
            cache: PathBuf::from("/nonexistent/b"),
            logs: PathBuf::from("/nonexistent/c"),
        };
        assert_eq!(size(&dirs), 0);
        assert_eq!(remove_from_disk(&dirs), 0);
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
