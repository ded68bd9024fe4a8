//! The token vault: the OS keyring (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), or memory when there is no usable keyring.
//!
//! What is kept: the refresh token and ids of the session ([`StoredSession`]) and the
//! pending login and reset requests ([`PendingRequest`]: request id, PKCE verifier, e-mail,
//! expiry) — so that a link clicked after the app was closed still completes, and the link
//! of an older mail still works after "Renvoyer". The access token is never stored. Each
//! entry stays under Windows' limit of 2560 bytes per credential, counted as Windows counts
//! it (UTF-16, [`crate::platform::keyring_entry_bytes`]).
//!
//! A locked Secret Service collection answers "no entry" to reads on Linux, which would look
//! like "not logged in". So [`Vault::open`] first probes the keyring (write, read back,
//! delete) and, when that fails, says so plainly and keeps secrets in memory only — never
//! in a file.

use std::collections::HashMap;
use std::sync::Mutex;

use econfiance_api::secret::serialize_exposed;
use econfiance_api::Secret;
use serde::{Deserialize, Serialize};

use crate::ClientError;

/// The keyring service name of every entry.
pub const KEYRING_SERVICE: &str = "fr.econfiance.desktop";
/// Windows' limit for one credential.
pub const MAX_ENTRY_BYTES: usize = 2560;
/// How many pending requests are kept (newest first).
pub const MAX_PENDING: usize = 5;

const SESSION_ENTRY: &str = "session";
const PENDING_ENTRY: &str = "pending-requests";
const PROBE_ENTRY: &str = "probe";

/// Where secrets are kept: a store of small named strings.
pub trait SecretStore: Send + Sync {
    /// Reads an entry; `Ok(None)` when it does not exist.
    fn get(&self, name: &str) -> Result<Option<Secret<String>>, ClientError>;
    /// Writes an entry.
    fn set(&self, name: &str, value: &Secret<String>) -> Result<(), ClientError>;
    /// Deletes an entry (absent is fine).
    fn delete(&self, name: &str) -> Result<(), ClientError>;
}

impl<T: SecretStore> SecretStore for std::sync::Arc<T> {
    fn get(&self, name: &str) -> Result<Option<Secret<String>>, ClientError> {
        (**self).get(name)
    }
    fn set(&self, name: &str, value: &Secret<String>) -> Result<(), ClientError> {
        (**self).set(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), ClientError> {
        (**self).delete(name)
    }
}

/// The OS keyring, through the keyring crate with each OS's native backend.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
}

impl OsKeyring {
    /// Entries under `service` (tests use their own service name).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, ClientError> {
        keyring::Entry::new(&self.service, name).map_err(keyring_error)
    }
}

fn keyring_error(e: keyring::Error) -> ClientError {
    ClientError::KeyringUnavailable(e.to_string())
}

impl SecretStore for OsKeyring {
    fn get(&self, name: &str) -> Result<Option<Secret<String>>, ClientError> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, name: &str, value: &Secret<String>) -> Result<(), ClientError> {
        self.entry(name)?
            .set_password(value.expose())
            .map_err(keyring_error)
    }

    fn delete(&self, name: &str) -> Result<(), ClientError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// Secrets in memory only: used when the keyring is missing or locked.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Secret<String>>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Secret<String>>, ClientError> {
        Ok(self.lock().get(name).cloned())
    }

    fn set(&self, name: &str, value: &Secret<String>) -> Result<(), ClientError> {
        self.lock().insert(name.to_owned(), value.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), ClientError> {
        self.lock().remove(name);
        Ok(())
    }
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret<String>>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Writes, reads back and deletes a probe entry: `Ok` only when the keyring really keeps
/// secrets (a locked collection fails here instead of later reading as "no entry").
pub fn probe(store: &dyn SecretStore) -> Result<(), ClientError> {
    let value = Secret::new(format!("probe-{}", std::process::id()));
    store.set(PROBE_ENTRY, &value)?;
    let read = store.get(PROBE_ENTRY)?;
    store.delete(PROBE_ENTRY)?;
    match read {
        Some(v) if v == value => Ok(()),
        _ => Err(ClientError::KeyringUnavailable(
            "the keyring accepted a secret but did not give it back (locked collection?)".into(),
        )),
    }
}

/// The session kept between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    /// The server it belongs to.
    pub server: String,
    /// The account.
    pub user_id: String,
    /// Its e-mail.
    pub email: String,
    /// The server's session id.
    pub session_id: String,
    /// The refresh token.
    #[serde(serialize_with = "serialize_exposed")]
    pub refresh_token: Secret<String>,
}

/// Kind of a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingKind {
    /// Magic-link login.
    Login,
    /// Password reset.
    Reset,
}

/// A request this app made and can still complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRequest {
    /// Login or reset.
    pub kind: PendingKind,
    /// The server's request id.
    pub request_id: String,
    /// The PKCE verifier.
    #[serde(serialize_with = "serialize_exposed")]
    pub verifier: Secret<String>,
    /// The e-mail it was made for.
    pub email: String,
    /// Expiry (Unix seconds).
    pub expires_at: i64,
}

/// Where the vault keeps secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultMode {
    /// The OS keyring works.
    Keyring,
    /// No usable keyring: memory only, until the app closes. The reason is for logs.
    MemoryOnly {
        /// Why the keyring was not used.
        reason: String,
    },
}

/// The token vault.
pub struct Vault {
    store: Box<dyn SecretStore>,
    mode: VaultMode,
    /// Whose keyring limits apply (the running OS; tests set the others).
    os: crate::platform::Os,
}

impl Vault {
    /// Probes the OS keyring under `service`; falls back to memory when it does not work.
    pub fn open(service: &str) -> Self {
        let keyring = OsKeyring::new(service);
        match probe(&keyring) {
            Ok(()) => Self {
                store: Box::new(keyring),
                mode: VaultMode::Keyring,
                os: crate::platform::Os::current(),
            },
            Err(e) => {
                tracing::warn!(error = %e, "keyring unavailable: secrets kept in memory only");
                Self {
                    store: Box::new(MemoryStore::default()),
                    mode: VaultMode::MemoryOnly {
                        reason: e.to_string(),
                    },
                    os: crate::platform::Os::current(),
                }
            }
        }
    }

    /// A vault over any store (tests).
    pub fn with_store(store: Box<dyn SecretStore>, mode: VaultMode) -> Self {
        Self {
            store,
            mode,
            os: crate::platform::Os::current(),
        }
    }

    /// The same vault under another OS's keyring limits (tests of those limits).
    pub fn limited_as(mut self, os: crate::platform::Os) -> Self {
        self.os = os;
        self
    }

    /// Where secrets go.
    pub fn mode(&self) -> &VaultMode {
        &self.mode
    }

    /// The stored session, if any.
    pub fn session(&self) -> Result<Option<StoredSession>, ClientError> {
        self.read_json(SESSION_ENTRY)
    }

    /// Stores the session (replacing any other).
    pub fn save_session(&self, session: &StoredSession) -> Result<(), ClientError> {
        self.write_json(SESSION_ENTRY, session)
    }

    /// Forgets the session.
    pub fn forget_session(&self) -> Result<(), ClientError> {
        self.store.delete(SESSION_ENTRY)
    }

    /// Pending requests not yet expired at `now`, newest first.
    pub fn pending(&self, now: i64) -> Result<Vec<PendingRequest>, ClientError> {
        let all: Vec<PendingRequest> = self.read_json(PENDING_ENTRY)?.unwrap_or_default();
        Ok(all.into_iter().filter(|p| p.expires_at > now).collect())
    }

    /// Adds a pending request: keeps the newest [`MAX_PENDING`] that fit the keyring's
    /// limit on this OS (long e-mail addresses on Windows, where the limit is counted in
    /// UTF-16, can leave room for fewer), drops expired ones.
    pub fn add_pending(&self, request: PendingRequest, now: i64) -> Result<(), ClientError> {
        let mut all = self.pending(now)?;
        all.retain(|p| p.request_id != request.request_id);
        all.insert(0, request);
        all.truncate(MAX_PENDING);
        while all.len() > 1 && !self.fits(&all) {
            all.pop();
        }
        self.write_json(PENDING_ENTRY, &all)
    }

    /// Whether `value` fits one keyring entry on this vault's OS.
    fn fits<T: Serialize>(&self, value: &T) -> bool {
        serde_json::to_string(value).is_ok_and(|text| {
            crate::platform::keyring_entry_bytes(self.os, &text) <= MAX_ENTRY_BYTES
        })
    }

    /// Takes (removes and returns) the pending request `request_id` of `kind`.
    pub fn take_pending(
        &self,
        kind: PendingKind,
        request_id: &str,
        now: i64,
    ) -> Result<Option<PendingRequest>, ClientError> {
        let mut all = self.pending(now)?;
        let found = all
            .iter()
            .position(|p| p.kind == kind && p.request_id == request_id)
            .map(|i| all.remove(i));
        if found.is_some() {
            self.write_json(PENDING_ENTRY, &all)?;
        }
        Ok(found)
    }

    /// Whether `request_id` is pending (of any kind).
    pub fn is_pending(&self, request_id: &str, now: i64) -> bool {
        self.pending(now)
            .map(|all| all.iter().any(|p| p.request_id == request_id))
            .unwrap_or(false)
    }

    /// Forgets every pending request of `email` (after a login completes).
    pub fn forget_pending_of(&self, email: &str, now: i64) -> Result<(), ClientError> {
        let mut all = self.pending(now)?;
        all.retain(|p| !p.email.eq_ignore_ascii_case(email));
        self.write_json(PENDING_ENTRY, &all)
    }

    fn read_json<T: for<'de> Deserialize<'de>>(
        &self,
        name: &str,
    ) -> Result<Option<T>, ClientError> {
        match self.store.get(name)? {
            None => Ok(None),
            Some(text) => match serde_json::from_str(text.expose()) {
                Ok(value) => Ok(Some(value)),
                Err(e) => {
                    // A damaged entry is dropped rather than trusted.
                    tracing::warn!(entry = name, error = %e, "unreadable keyring entry dropped");
                    self.store.delete(name)?;
                    Ok(None)
                }
            },
        }
    }

    fn write_json<T: Serialize>(&self, name: &str, value: &T) -> Result<(), ClientError> {
        let text = serde_json::to_string(value)
            .map_err(|e| ClientError::KeyringUnavailable(e.to_string()))?;
        let os = self.os;
        let bytes = crate::platform::keyring_entry_bytes(os, &text);
        if bytes > MAX_ENTRY_BYTES {
            return Err(ClientError::KeyringUnavailable(format!(
                "entry {name} would be {bytes} bytes on {os:?}"
            )));
        }
        self.store.set(name, &Secret::new(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        Vault::with_store(Box::<MemoryStore>::default(), VaultMode::Keyring)
    }

    fn pending(id: &str, expires_at: i64) -> PendingRequest {
        PendingRequest {
            kind: PendingKind::Login,
            request_id: id.into(),
            verifier: Secret::new("v".repeat(64)),
            email: "marie@exemple.fr".into(),
            expires_at,
        }
    }

    #[test]
    fn pending_requests_keep_the_newest_five_and_drop_expired_ones() {
        let v = vault();
        for i in 0..7 {
            v.add_pending(pending(&format!("rq_{i:016}"), 1_000 + i), 0)
                .expect("add");
        }
        let ids: Vec<String> = v
            .pending(0)
            .expect("list")
            .into_iter()
            .map(|p| p.request_id)
            .collect();
        assert_eq!(ids.len(), MAX_PENDING);
        assert_eq!(ids[0], "rq_0000000000000006");
        assert_eq!(
            v.pending(1_004).expect("list").len(),
            2,
            "expired ones are not pending"
        );
    }

    #[test]
    fn a_pending_request_is_taken_once() {
        let v = vault();
        v.add_pending(pending("rq_a123456789abcdef", 900), 0)
            .expect("add");
        assert!(v.is_pending("rq_a123456789abcdef", 0));
        assert!(
            v.take_pending(PendingKind::Reset, "rq_a123456789abcdef", 0)
                .expect("take")
                .is_none(),
            "kind must match"
        );
        assert!(v
            .take_pending(PendingKind::Login, "rq_a123456789abcdef", 0)
            .expect("take")
            .is_some());
        assert!(v
            .take_pending(PendingKind::Login, "rq_a123456789abcdef", 0)
            .expect("take")
            .is_none());
    }

    #[test]
    fn entries_fit_windows_limit_and_the_session_round_trips() {
        let v = vault();
        for i in 0..MAX_PENDING {
            v.add_pending(pending(&format!("rq_{i:060}"), 9_999), 0)
                .expect("five long entries fit");
        }
        let session = StoredSession {
            server: "https://127.0.0.1:8443/".into(),
            user_id: "us_x".into(),
            email: "marie@exemple.fr".into(),
            session_id: "se_x".into(),
            refresh_token: Secret::new("r".repeat(43)),
        };
        v.save_session(&session).expect("save");
        assert_eq!(v.session().expect("read"), Some(session));
        v.forget_session().expect("forget");
        assert_eq!(v.session().expect("read"), None);
    }

    #[test]
    fn pending_requests_fit_windows_utf16_limit_even_with_long_addresses() {
        use crate::platform::Os;
        // The longest e-mail address the server accepts (254 characters).
        let email = format!("{}@{}.fr", "m".repeat(64), "e".repeat(186));
        assert_eq!(email.len(), 254);
        let long = |i: usize| PendingRequest {
            email: email.clone(),
            ..pending(&format!("rq_{i:016}"), 9_999)
        };
        for os in Os::ALL {
            let v = vault().limited_as(os);
            for i in 0..MAX_PENDING {
                v.add_pending(long(i), 0)
                    .expect("a new request is always kept");
            }
            let kept = v.pending(0).expect("list");
            assert_eq!(
                kept[0].request_id,
                format!("rq_{:016}", MAX_PENDING - 1),
                "{os:?}: the newest is kept"
            );
            let text = serde_json::to_string(&kept).expect("json");
            assert!(
                crate::platform::keyring_entry_bytes(os, &text) <= MAX_ENTRY_BYTES,
                "{os:?}: {} entries take {} bytes",
                kept.len(),
                crate::platform::keyring_entry_bytes(os, &text)
            );
            // Linux and macOS count UTF-8: all five fit; Windows counts UTF-16: fewer do.
            if os == Os::Windows {
                assert!(kept.len() < MAX_PENDING, "Windows kept {}", kept.len());
            } else {
                assert_eq!(kept.len(), MAX_PENDING, "{os:?}");
            }
        }
    }

    #[test]
    fn an_entry_over_windows_limit_is_refused_there_and_not_elsewhere() {
        use crate::platform::Os;
        let session = StoredSession {
            server: "https://127.0.0.1:8443/".into(),
            user_id: "us_x".into(),
            email: format!("{}@exemple.fr", "m".repeat(1_300)),
            session_id: "se_x".into(),
            refresh_token: Secret::new("r".repeat(43)),
        };
        assert!(vault().limited_as(Os::Linux).save_session(&session).is_ok());
        let err = vault()
            .limited_as(Os::Windows)
            .save_session(&session)
            .expect_err("over 2,560 UTF-16 bytes");
        assert_eq!(err.code(), "keyring_unavailable");
    }

    #[test]
    fn stored_session_debug_hides_the_token() {
        let session = StoredSession {
            server: "s".into(),
            user_id: "u".into(),
            email: "e".into(),
            session_id: "se".into(),
            refresh_token: Secret::new("REFRESH-SECRET".into()),
        };
        assert!(!format!("{session:?}").contains("REFRESH-SECRET"));
    }

    struct Forgetful;
    impl SecretStore for Forgetful {
        fn get(&self, _: &str) -> Result<Option<Secret<String>>, ClientError> {
            Ok(None)
        }
        fn set(&self, _: &str, _: &Secret<String>) -> Result<(), ClientError> {
            Ok(())
        }
        fn delete(&self, _: &str) -> Result<(), ClientError> {
            Ok(())
        }
    }

    #[test]
    fn a_keyring_that_forgets_what_it_was_given_fails_the_probe() {
        // What a locked Secret Service collection looks like on reads.
        let err = probe(&Forgetful).expect_err("must not pass");
        assert_eq!(err.code(), "keyring_unavailable");
        assert!(probe(&MemoryStore::default()).is_ok());
    }
}
