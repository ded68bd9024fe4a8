//! No keyring at all (no D-Bus session, so no Secret Service): the probe fails, the
//! connection check says so in plain words, and the vault keeps secrets in memory only.
//! This file holds one test so that pointing its process at a bus that does not exist
//! affects nothing else.

// The keyring behind it is the Secret Service on D-Bus: Linux's (Windows and macOS have no
// session bus to point elsewhere).
#![cfg(all(unix, not(target_os = "macos")))]

use econfiance_client::diagnose::{keyring_line, CheckStatus};
use econfiance_client::vault::{probe, OsKeyring, Vault, VaultMode};
use econfiance_client::Language;

#[test]
fn without_a_session_bus_the_keyring_is_reported_missing_and_secrets_stay_in_memory() {
    // A session bus address that leads nowhere: what a login without D-Bus looks like.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/econfiance-test/bus",
    );
    let service = format!("fr.econfiance.desktop.test-missing-{}", std::process::id());
    let probed = probe(&OsKeyring::new(&service));
    assert!(probed.is_err(), "no Secret Service can answer");

    let line = keyring_line(&probed, Language::Fr);
    assert_eq!(line.status, CheckStatus::Warning);
    assert!(
        line.message.contains("verrouillé ou absent"),
        "{}",
        line.message
    );
    assert!(line.advice.unwrap_or_default().contains("Déverrouillez"));

    let vault = Vault::open(&service);
    assert!(matches!(vault.mode(), VaultMode::MemoryOnly { .. }));
}
