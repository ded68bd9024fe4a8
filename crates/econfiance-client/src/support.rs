//! Contacting support without losing a word: the message being typed is kept as a draft,
//! a message that could not be sent (server down) waits in an outbox until it can be, and
//! the optional diagnostics report is redacted — no token, no code, no review content —
//! before the user even sees it.
//!
//! Both files live in the app's own folder ([`AppDirs::user_files`]): "Vider le cache"
//! never touches them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use econfiance_api::account::{TicketBody, TicketCategory};
use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::storage::{write_atomically, AppDirs};
use crate::ClientError;

/// What the support form holds while it is being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SupportDraft {
    /// `connexion`, `bug`, … (as the server names them).
    pub category: String,
    /// Subject.
    pub subject: String,
    /// The message.
    pub message: String,
    /// Where support answers (needed when logged out).
    pub contact_email: String,
}

/// A message kept because it could not be sent yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnsentTicket {
    /// Local id (to send or drop one).
    pub id: String,
    /// When it was kept (RFC 3339).
    pub saved_at: String,
    /// Category.
    pub category: TicketCategory,
    /// Subject.
    pub subject: String,
    /// The message.
    pub message: String,
    /// Contact e-mail (logged out).
    pub contact_email: Option<String>,
    /// The redacted diagnostics, if the user chose to join them.
    pub diagnostics: Option<String>,
}

/// A support message, as the form sends it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SupportRequest {
    /// What it is about.
    pub category: TicketCategory,
    /// Subject.
    pub subject: String,
    /// The message.
    pub message: String,
    /// Where support answers when nobody is logged in.
    pub contact_email: Option<String>,
    /// The report the user read, if they chose to join it (redacted again).
    pub diagnostics: Option<String>,
}

impl SupportRequest {
    /// The message as it is sent, or kept when it cannot be.
    pub fn into_ticket(self) -> UnsentTicket {
        UnsentTicket::new(
            self.category,
            &self.subject,
            &self.message,
            self.contact_email.as_deref(),
            self.diagnostics.as_deref(),
        )
    }
}

impl UnsentTicket {
    /// A message to send, with a fresh local id and the time it was written; the
    /// diagnostics are redacted (again) here, whatever the caller passed.
    pub fn new(
        category: TicketCategory,
        subject: &str,
        message: &str,
        contact_email: Option<&str>,
        diagnostics: Option<&str>,
    ) -> Self {
        let mut random = [0u8; 8];
        let _ = getrandom::fill(&mut random);
        let id: String = random.iter().map(|b| format!("{b:02x}")).collect();
        Self {
            id: format!("local-{id}"),
            saved_at: jiff::Timestamp::now().to_string(),
            category,
            subject: subject.trim().to_owned(),
            message: message.trim().to_owned(),
            contact_email: contact_email
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty()),
            diagnostics: diagnostics.map(redact),
        }
    }

    /// The request body to send, in `locale`.
    pub fn body(&self, locale: &str) -> TicketBody {
        TicketBody {
            category: self.category,
            subject: self.subject.clone(),
            message: self.message.clone(),
            contact_email: self.contact_email.clone(),
            diagnostics: self.diagnostics.clone(),
            locale: Some(locale.to_owned()),
        }
    }
}

/// The draft and the outbox, in the app's folder.
#[derive(Debug, Clone)]
pub struct SupportFiles {
    draft: PathBuf,
    outbox: PathBuf,
}

impl SupportFiles {
    /// The files of the app whose folders are `dirs`.
    pub fn new(dirs: &AppDirs) -> Self {
        Self {
            draft: dirs.user_files().join("support-draft.json"),
            outbox: dirs.user_files().join("support-outbox.json"),
        }
    }

    /// The draft (empty when there is none or it cannot be read).
    pub fn draft(&self) -> SupportDraft {
        read_json(&self.draft).unwrap_or_default()
    }

    /// Saves the draft (an empty one removes the file).
    pub fn save_draft(&self, draft: &SupportDraft) -> Result<(), ClientError> {
        if *draft == SupportDraft::default() {
            return remove(&self.draft);
        }
        write_json(&self.draft, draft)
    }

    /// Messages waiting to be sent, oldest first.
    pub fn unsent(&self) -> Vec<UnsentTicket> {
        read_json(&self.outbox).unwrap_or_default()
    }

    /// Keeps `ticket` in the outbox.
    pub fn keep(&self, ticket: UnsentTicket) -> Result<(), ClientError> {
        let mut all = self.unsent();
        all.push(ticket);
        write_json(&self.outbox, &all)
    }

    /// Removes the kept message `id` (sent, or dropped by the user).
    pub fn forget(&self, id: &str) -> Result<(), ClientError> {
        let all: Vec<UnsentTicket> = self.unsent().into_iter().filter(|t| t.id != id).collect();
        if all.is_empty() {
            remove(&self.outbox)
        } else {
            write_json(&self.outbox, &all)
        }
    }
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes)
        .map_err(|e| tracing::warn!(path = %path.display(), error = %e, "support file unreadable"))
        .ok()
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), ClientError> {
    let bytes = serde_json::to_vec_pretty(value).map_err(|e| ClientError::Storage {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    write_atomically(path, &bytes)
}

fn remove(path: &Path) -> Result<(), ClientError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ClientError::Storage {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

/// What replaces a removed secret.
pub const REDACTED: &str = "[masqué]";

fn patterns() -> &'static [Regex] {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            // Values of secret-looking fields and parameters (code=…, "refresh_token": "…").
            r#"(?i)((?:code|token|verifier|password|secret|authorization|bearer)[a-z_]*["']?\s*[:=]\s*["']?)[^\s"'&,;]+"#,
            // Login codes as mailed (K7M4-QX2P) or typed without the dash.
            r"\b[A-Z2-9]{4}-?[A-Z2-9]{4}\b",
            // Long random strings: tokens, verifiers, digests.
            r"[A-Za-z0-9_\-]{24,}",
            // Anything quoted as a review, reply or message body in a log line.
            r#"(?i)((?:body|review|reply|message_text|text)\s*[:=]\s*)"[^"]*""#,
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// `text` without anything that could be a secret (tokens, codes, verifiers, passwords)
/// or a review's content.
pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    for (i, re) in patterns().iter().enumerate() {
        out = match i {
            0 | 3 => re
                .replace_all(&out, format!("${{1}}{REDACTED}"))
                .into_owned(),
            _ => re.replace_all(&out, REDACTED).into_owned(),
        };
    }
    out
}

/// The last `n` lines of the newest log file in `dirs.logs`.
pub fn recent_log_lines(dirs: &AppDirs, n: usize) -> Vec<String> {
    let newest = std::fs::read_dir(&dirs.logs).ok().and_then(|read| {
        read.filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("e-confiance.log")
            })
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
    });
    let Some(entry) = newest else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

/// The diagnostics report joined to a support message, already redacted: app version,
/// system, server, the connection check and the recent log lines.
pub fn diagnostics_report(
    version: &str,
    server: &str,
    keyring: &str,
    connection: &str,
    logs: &[String],
) -> String {
    let os = os_description();
    let text = format!(
        "e-confiance {version}\nSystème : {os}\nServeur : {server}\nTrousseau : {keyring}\n\n\
         Vérification de la connexion :\n{connection}\n\nJournal récent :\n{}\n",
        logs.join("\n")
    );
    redact(&text)
}

fn os_description() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_owned())
            })
        });
    match pretty {
        Some(name) => format!("{name} ({})", std::env::consts::ARCH),
        None => format!("{} ({})", std::env::consts::OS, std::env::consts::ARCH),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_removes_codes_tokens_and_review_text() {
        let text = r#"2026-11-27 INFO exchange code=K7M4-QX2P request=rq_0123
typed K7M4QX2P
refresh_token: "Zk9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg"
Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345
saved reply body="Merci pour votre avis, à bientôt !" for review 12
password=trois-tortues"#;
        let out = redact(text);
        for secret in [
            "K7M4-QX2P",
            "K7M4QX2P",
            "Zk9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg",
            "abcdefghijklmnopqrstuvwxyz012345",
            "Merci pour votre avis",
            "trois-tortues",
        ] {
            assert!(!out.contains(secret), "{secret} left in:\n{out}");
        }
        assert!(
            out.contains("2026-11-27 INFO exchange"),
            "ordinary text stays:\n{out}"
        );
        assert!(out.contains(REDACTED));
    }

    #[test]
    fn the_report_is_redacted_whole() {
        let report = diagnostics_report(
            "0.1.0",
            "https://127.0.0.1:8443/",
            "keyring",
            "[Passed] server: ok",
            &["token=abcdefghijklmnopqrstuvwxyz".to_owned()],
        );
        assert!(report.contains("e-confiance 0.1.0"));
        assert!(report.contains("[Passed] server: ok"));
        assert!(!report.contains("abcdefghijklmnopqrstuvwxyz"));
    }

    #[test]
    fn draft_and_outbox_survive_in_the_apps_folder() {
        let root = tempfile::tempdir().expect("tempdir");
        let dirs = AppDirs {
            data: root.path().join("data"),
            cache: root.path().join("cache"),
            logs: root.path().join("logs"),
        };
        let files = SupportFiles::new(&dirs);
        assert_eq!(files.draft(), SupportDraft::default());
        let draft = SupportDraft {
            category: "connexion".into(),
            subject: "Lien".into(),
            message: "Le lien ne s'ouvre pas".into(),
            contact_email: String::new(),
        };
        files.save_draft(&draft).expect("saved");
        assert_eq!(SupportFiles::new(&dirs).draft(), draft);
        assert!(dirs.user_files().join("support-draft.json").exists());
        files.save_draft(&SupportDraft::default()).expect("cleared");
        assert!(!dirs.user_files().join("support-draft.json").exists());

        let ticket = |id: &str| UnsentTicket {
            id: id.into(),
            saved_at: "2026-11-27T08:00:00Z".into(),
            category: TicketCategory::Connexion,
            subject: "s".into(),
            message: "m".into(),
            contact_email: Some("a@b.fr".into()),
            diagnostics: None,
        };
        files.keep(ticket("1")).expect("kept");
        files.keep(ticket("2")).expect("kept");
        assert_eq!(files.unsent().len(), 2);
        files.forget("1").expect("forgot");
        assert_eq!(files.unsent()[0].id, "2");
        files.forget("2").expect("forgot");
        assert!(files.unsent().is_empty());
    }
}
