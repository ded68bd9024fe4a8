//! Where the app keeps things, and the settings file.
//!
//! The rule (design brief, "Where things are kept"):
//! - **secrets**: only the OS keyring and memory — never any folder here;
//! - **data folder** ([`AppDirs::data`]): what the user made or chose — settings, reply
//!   drafts, unsent support messages. Never cleared by "Vider le cache"; deleted for an
//!   account when it logs out;
//! - **cache folder** ([`AppDirs::cache`]) and webview storage: only what can be fetched
//!   again. Clearing it loses nothing the user made;
//! - **log folder** ([`AppDirs::logs`]): diagnostics, never a secret.
//!
//! On Linux WebKit also keeps its own storage and HTTP cache inside the data folder
//! (`localstorage/`, `WebKitCache/`), so the app's own files live in a subfolder of their
//! own ([`AppDirs::user_files`]) and a cache clear never deletes the data folder whole.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{ClientError, Language};

/// The app's folders, as the OS conventions give them (the shell resolves them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// The app data folder (e.g. `~/.local/share/fr.econfiance.desktop`).
    pub data: PathBuf,
    /// The cache folder (e.g. `~/.cache/fr.econfiance.desktop`).
    pub cache: PathBuf,
    /// The log folder (e.g. `~/.local/share/fr.econfiance.desktop/logs` on Linux).
    pub logs: PathBuf,
}

impl AppDirs {
    /// The folders of the app `identifier` by the same rules as Tauri's path resolver
    /// (for `e-confiance --clear-cache`, which runs without starting Tauri).
    pub fn for_identifier(identifier: &str) -> Option<Self> {
        let data = dirs::data_dir()?.join(identifier);
        let cache = dirs::cache_dir()?.join(identifier);
        let logs = if cfg!(target_os = "macos") {
            dirs::home_dir()?.join("Library/Logs").join(identifier)
        } else {
            dirs::data_local_dir()?.join(identifier).join("logs")
        };
        Some(Self { data, cache, logs })
    }

    /// The user's home folder (macOS's webview data lives under it; see [`crate::cache`]).
    pub fn home() -> PathBuf {
        dirs::home_dir().unwrap_or_default()
    }

    /// Where the app's own user-made files live: `<data>/app`.
    pub fn user_files(&self) -> PathBuf {
        self.data.join("app")
    }

    /// The settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.user_files().join("settings.json")
    }

    /// The last-known dashboard of account `user_id` (cache: fetched again when lost).
    pub fn dashboard_snapshot(&self, user_id: &str) -> PathBuf {
        self.cache.join(format!("dashboard-{user_id}.json"))
    }

    /// The reply drafts of the logged-in account.
    pub fn reply_drafts(&self) -> PathBuf {
        self.user_files().join("reply-drafts.json")
    }

    /// Deletes every local trace of account `user_id`: its dashboard snapshot and the reply
    /// drafts. What is already gone is not an error; what cannot be deleted is.
    pub fn forget_account(&self, user_id: &str) -> Result<(), ClientError> {
        for path in [self.dashboard_snapshot(user_id), self.reply_drafts()] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(ClientError::Storage {
                        path,
                        reason: e.to_string(),
                    })
                }
            }
        }
        Ok(())
    }
}

/// Held by the running app for its whole life: `e-confiance --clear-cache` refuses to
/// delete the webview's folders while a window (perhaps hidden in the tray) still uses them.
/// An OS file lock, so that a crashed app holds nothing.
#[derive(Debug)]
pub struct RunningLock {
    _file: std::fs::File,
}

impl RunningLock {
    /// The lock file, beside the user's files (never cleared).
    fn path(dirs: &AppDirs) -> PathBuf {
        dirs.user_files().join("running.lock")
    }

    /// Takes the lock for this process; `Ok(None)` when another process holds it.
    pub fn acquire(dirs: &AppDirs) -> std::io::Result<Option<Self>> {
        std::fs::create_dir_all(dirs.user_files())?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(Self::path(dirs))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// Whether a running app holds the lock (an unreadable lock counts as not running).
    pub fn held_elsewhere(dirs: &AppDirs) -> bool {
        if !Self::path(dirs).exists() {
            return false;
        }
        matches!(Self::acquire(dirs), Ok(None))
    }
}

/// Choices the user made that the app remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The language chosen in the app; `None` follows the OS.
    pub language: Option<Language>,
    /// Which new reviews raise a desktop notification.
    pub notifications: crate::notify::NotificationChoice,
    /// Whether the app keeps an icon in the system tray (and keeps running when its
    /// window is closed, so that notifications still arrive).
    pub tray: bool,
    /// Light, dark, or the OS's choice.
    pub theme: crate::ipc::Theme,
    /// The owner's own words for the topics of the suggested reply (the app's words for
    /// the topics not listed).
    pub topic_words: Vec<crate::replies::TopicRule>,
}

impl Settings {
    /// Reads the settings; a missing file means defaults. A damaged file also gives the
    /// defaults (and is logged) rather than stopping the app from starting.
    pub fn load(path: &Path) -> Settings {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "settings file unreadable, using defaults");
                Settings::default()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot read settings, using defaults");
                Settings::default()
            }
        }
    }

    /// Saves the settings atomically (a crash or a full disk never leaves half a file).
    pub fn save(&self, path: &Path) -> Result<(), ClientError> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| storage_error(path, e))?;
        write_atomically(path, &bytes)
    }
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| storage_error(dir, e))?;
    let mut tmp = tempfile_in(dir).map_err(|e| storage_error(dir, e))?;
    let result = tmp
        .1
        .write_all(bytes)
        .and_then(|()| tmp.1.sync_all())
        .and_then(|()| std::fs::rename(&tmp.0, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp.0);
        return Err(storage_error(path, e));
    }
    Ok(())
}

fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    for attempt in 0..100u32 {
        let path = dir.join(format!(".tmp-{}-{attempt}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}

fn storage_error(path: &Path, e: impl std::fmt::Display) -> ClientError {
    ClientError::Storage {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_app_is_seen_by_another_process_and_not_after_it_ends() {
        let root = tempfile::tempdir().expect("tempdir");
        let dirs = dirs(root.path());
        assert!(!RunningLock::held_elsewhere(&dirs), "nothing runs yet");
        let running = RunningLock::acquire(&dirs).expect("lock").expect("free");
        // Another open file description (as another process would have) cannot take it.
        assert!(RunningLock::held_elsewhere(&dirs));
        assert!(RunningLock::acquire(&dirs).expect("lock").is_none());
        drop(running);
        assert!(
            !RunningLock::held_elsewhere(&dirs),
            "released when the app ends"
        );
    }

    fn dirs(root: &Path) -> AppDirs {
        AppDirs {
            data: root.join("data"),
            cache: root.join("cache"),
            logs: root.join("logs"),
        }
    }

    #[test]
    fn settings_round_trip_through_the_data_folder() {
        let root = tempfile::tempdir().expect("tempdir");
        let dirs = dirs(root.path());
        let file = dirs.settings_file();
        assert!(file.starts_with(&dirs.data) && !file.starts_with(&dirs.cache));
        assert_eq!(Settings::load(&file), Settings::default());
        let chosen = Settings {
            language: Some(Language::En),
            notifications: crate::notify::NotificationChoice::LowRatings,
            tray: true,
            theme: crate::ipc::Theme::Dark,
            topic_words: vec![crate::replies::TopicRule {
                topic: econfiance_api::templates::Topic::Prix,
                words: vec!["remise".into()],
            }],
        };
        chosen.save(&file).expect("saved");
        assert_eq!(Settings::load(&file), chosen);
        // Nothing but the file itself is left behind.
        let names: Vec<_> = std::fs::read_dir(file.parent().expect("parent"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }

    #[test]
    fn damaged_settings_give_defaults() {
        let root = tempfile::tempdir().expect("tempdir");
        let file = dirs(root.path()).settings_file();
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(&file, b"{not json").expect("write");
        assert_eq!(Settings::load(&file), Settings::default());
    }

    #[test]
    fn saving_where_it_cannot_write_is_a_storage_error() {
        let root = tempfile::tempdir().expect("tempdir");
        let blocker = root.path().join("blocker");
        std::fs::write(&blocker, b"a file where a folder should be").expect("write");
        let err = Settings::default()
            .save(&blocker.join("settings.json"))
            .expect_err("cannot create a folder inside a file");
        assert_eq!(err.code(), "storage_failed");
    }
}
