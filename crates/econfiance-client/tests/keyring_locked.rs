//! A locked OS keyring (Secret Service on Linux) is told plainly, and the vault then keeps
//! secrets in memory only. It locks the test keyring, so it runs in a session of its own:
//! `scripts/test.sh` starts a private `dbus-run-session` with an unlocked gnome-keyring for
//! this file alone.

use std::process::Command;

use econfiance_api::Secret;
use econfiance_client::vault::{probe, OsKeyring, StoredSession, Vault, VaultMode};

fn service(test: &str) -> String {
    format!("fr.econfiance.desktop.test-{test}-{}", std::process::id())
}

#[test]
#[ignore = "locks the session keyring: run alone by scripts/test.sh inside dbus-run-session"]
fn a_locked_keyring_is_told_plainly_and_the_vault_keeps_secrets_in_memory() {
    let service = service("locked");
    // Lock the default collection through the Secret Service API itself.
    let lock = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .stdout(std::process::Stdio::null())
        .status();
    let locked = lock.map(|s| s.success()).unwrap_or(false);
    assert!(locked, "could not lock the test keyring");
    let err = probe(&OsKeyring::new(&service)).expect_err("a locked keyring fails the probe");
    assert_eq!(err.code(), "keyring_unavailable");
    let vault = Vault::open(&service);
    assert!(
        matches!(vault.mode(), VaultMode::MemoryOnly { .. }),
        "{:?}",
        vault.mode()
    );
    let session = StoredSession {
        server: "s".into(),
        user_id: "u".into(),
        email: "e@x.fr".into(),
        session_id: "se".into(),
        refresh_token: Secret::new("memory-only-token".into()),
    };
    vault.save_session(&session).expect("memory keeps it");
    assert_eq!(vault.session().expect("read"), Some(session));
}
