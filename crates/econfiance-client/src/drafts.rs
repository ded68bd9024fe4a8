//! Reply drafts: what the owner typed in a review's reply box, kept in the app's own folder
//! ([`AppDirs::user_files`]) as it is typed — across restarts, while offline, and when a
//! send fails. "Vider le cache" never touches them; a reply that is sent removes its draft.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::storage::{write_atomically, AppDirs};
use crate::ClientError;

/// The drafts of one account, by review id.
#[derive(Debug, Clone)]
pub struct ReplyDrafts {
    path: PathBuf,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    drafts: BTreeMap<String, String>,
}

impl ReplyDrafts {
    /// The drafts of the app whose folders are `dirs`.
    pub fn new(dirs: &AppDirs) -> Self {
        Self {
            path: dirs.reply_drafts(),
        }
    }

    fn read(&self) -> File {
        std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn write(&self, file: &File) -> Result<(), ClientError> {
        let bytes = serde_json::to_vec_pretty(file).map_err(|e| ClientError::Storage {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        write_atomically(&self.path, &bytes)
    }

    /// The draft of review `id` (empty when none).
    pub fn get(&self, id: &str) -> String {
        self.read().drafts.get(id).cloned().unwrap_or_default()
    }

    /// Keeps `text` as the draft of review `id` (an empty text removes it).
    pub fn set(&self, id: &str, text: &str) -> Result<(), ClientError> {
        let mut file = self.read();
        if text.trim().is_empty() {
            if file.drafts.remove(id).is_none() {
                return Ok(());
            }
        } else {
            file.drafts.insert(id.to_owned(), text.to_owned());
        }
        self.write(&file)
    }

    /// The ids of the reviews that have a draft.
    pub fn ids(&self) -> Vec<String> {
        self.read().drafts.into_keys().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_kept_per_review_and_removed_when_emptied() {
        let root = tempfile::tempdir().expect("tempdir");
        let dirs = AppDirs {
            data: root.path().join("data"),
            cache: root.path().join("cache"),
            logs: root.path().join("logs"),
        };
        let drafts = ReplyDrafts::new(&dirs);
        assert_eq!(drafts.get("rv_1"), "");
        drafts.set("rv_1", "Merci pour votre avis").expect("kept");
        drafts.set("rv_2", "Désolé pour le retard").expect("kept");
        let again = ReplyDrafts::new(&dirs);
        assert_eq!(again.get("rv_1"), "Merci pour votre avis");
        assert_eq!(again.ids(), ["rv_1", "rv_2"]);
        again.set("rv_1", "  ").expect("removed");
        assert_eq!(again.ids(), ["rv_2"]);
        assert!(dirs.user_files().join("reply-drafts.json").exists());
    }
}
