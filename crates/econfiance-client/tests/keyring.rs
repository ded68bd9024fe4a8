//! The vault on the real OS keyring (Secret Service through gnome-keyring on Linux).
//!
//! These tests need an unlocked Secret Service on the session bus, so they are ignored by a
//! plain `cargo test`; `scripts/test.sh` runs them with `--ignored` inside a private
//! `dbus-run-session` with its own unlocked gnome-keyring and private XDG folders.

use std::process::Command;

use econfiance_api::Secret;
use econfiance_client::vault::{
    probe, OsKeyring, PendingKind, PendingRequest, StoredSession, Vault, VaultMode,
};

fn service(test: &str) -> String {
    format!("fr.econfiance.desktop.test-{test}-{}", std::process::id())
}

fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[ignore = "needs an unlocked Secret Service: run by scripts/test.sh inside dbus-run-session"]
fn the_real_keyring_passes_the_probe_and_keeps_the_session() {
    let service = service("session");
    assert!(probe(&OsKeyring::new(&service)).is_ok());
    let vault = Vault::open(&service);
    assert_eq!(vault.mode(), &VaultMode::Keyring);
    let session = StoredSession {
        server: "https://127.0.0.1:8443/".into(),
        user_id: "us_1".into(),
        email: "marie@exemple.fr".into(),
        session_id: "se_1".into(),
        refresh_token: Secret::new("refresh-token-for-keyring-test".into()),
    };
    vault.save_session(&session).expect("save");
    // Seen from outside the app, as the OS keeps it.
    let stored = secret_tool_lookup(&service, "session").expect("secret-tool finds the entry");
    assert!(stored.contains("refresh-token-for-keyring-test"));
    // A new vault (a restart) reads it back.
    assert_eq!(
        Vault::open(&service).session().expect("read"),
        Some(session)
    );
    vault.forget_session().expect("forget");
    assert_eq!(secret_tool_lookup(&service, "session"), None);
    assert_eq!(Vault::open(&service).session().expect("read"), None);
}

#[test]
#[ignore = "needs an unlocked Secret Service: run by scripts/test.sh inside dbus-run-session"]
fn pending_requests_survive_a_restart_in_the_real_keyring() {
    let service = service("pending");
    let vault = Vault::open(&service);
    vault
        .add_pending(
            PendingRequest {
                kind: PendingKind::Login,
                request_id: "rq_0123456789abcdef".into(),
                verifier: Secret::new("v".repeat(64)),
                email: "marie@exemple.fr".into(),
                expires_at: i64::MAX,
            },
            0,
        )
        .expect("add");
    let restarted = Vault::open(&service);
    assert!(restarted.is_pending("rq_0123456789abcdef", 0));
    let taken = restarted
        .take_pending(PendingKind::Login, "rq_0123456789abcdef", 0)
        .expect("take");
    assert_eq!(taken.map(|p| p.verifier), Some(Secret::new("v".repeat(64))));
    assert!(!Vault::open(&service).is_pending("rq_0123456789abcdef", 0));
}
