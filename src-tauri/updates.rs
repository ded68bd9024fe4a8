//! Updates of the app: the platform's feed is read by the app's one HTTP client (its trust
//! settings, timeouts and error messages), then Tauri's updater plugin picks the package for
//! this system, checks its signature against the public key built into the app, and
//! installs it (a package manager for .deb/.rpm, the installer on Windows, the bundle on
//! macOS). Nothing is installed whose signature does not verify.
//!
//! The key: release builds made for the platform set `ECONFIANCE_UPDATE_PUBKEY` at compile
//! time. Without it the app trusts the sandbox key (`packaging/updater/sandbox.key.pub`, its
//! private half is in the repository on purpose), and only for a server on this machine, so
//! that a build which forgot the platform key can never take updates from the network.

use std::sync::Mutex;

use econfiance_api::ErrorBody;
use econfiance_client::ipc::{AvailableUpdate, UpdateCheck, UpdateInstall};
use econfiance_client::{ClientError, UpdateFailure};
use tauri::utils::config::BundleType;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::AppState;

/// The sandbox's update key (minisign public key, base64 as the Tauri CLI writes it).
pub const SANDBOX_PUBKEY: &str = include_str!("../packaging/updater/sandbox.key.pub");

/// The key updates must be signed with, and whether it is the sandbox's.
fn trusted_key() -> (&'static str, bool) {
    match option_env!("ECONFIANCE_UPDATE_PUBKEY") {
        Some(key) if !key.trim().is_empty() => (key.trim(), false),
        _ => (SANDBOX_PUBKEY.trim(), true),
    }
}

/// The update found by the last check, kept for "Installer".
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<Update>>);

impl PendingUpdate {
    fn set(&self, update: Option<Update>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = update;
    }

    fn get(&self) -> Option<Update> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// How this copy was installed decides who installs an update.
fn install_mode(bundle: Option<BundleType>) -> UpdateInstall {
    match bundle {
        Some(_) => UpdateInstall::App,
        None => UpdateInstall::Manual,
    }
}

/// The first package of the manifest for `target` (`linux-x86_64`, or with a package type:
/// `linux-x86_64-deb`).
fn package_for_system(manifest: &serde_json::Value, target: &str) -> Option<String> {
    manifest
        .get("platforms")?
        .as_object()?
        .keys()
        .find(|key| *key == target || key.starts_with(&format!("{target}-")))
        .cloned()
}

/// Sorts an updater failure for the user. Any failure of the signature or of the package's
/// format is a refusal: nothing was installed.
fn updater_failure(error: &tauri_plugin_updater::Error) -> UpdateFailure {
    use tauri_plugin_updater::Error as E;
    tracing::warn!(error = %error, "update failed");
    match error {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion
        | E::InvalidUpdaterFormat => UpdateFailure::Refused,
        E::TargetNotFound(_) | E::TargetsNotFound(_) | E::UnsupportedOs | E::UnsupportedArch => {
            UpdateFailure::NotForThisSystem
        }
        E::Serialization(_) | E::Semver(_) | E::UrlParse(_) | E::FormatDate => {
            UpdateFailure::FeedUnreadable
        }
        _ => UpdateFailure::InstallFailed,
    }
}

/// An updater failure, told in the user's language.
fn failed(state: &AppState, failure: UpdateFailure) -> ErrorBody {
    state.fail(ClientError::Update(failure))
}

/// Asks the platform for a newer release; keeps it for [`install_update`].
#[tauri::command]
pub async fn check_for_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pending: State<'_, PendingUpdate>,
) -> Result<UpdateCheck, ErrorBody> {
    let api = state.api()?;
    let (key, sandbox_key) = trusted_key();
    if sandbox_key && !api.config().is_loopback_server() {
        return Err(failed(&state, UpdateFailure::NotConfigured));
    }
    let current = app.package_info().version.to_string();
    let target = tauri_plugin_updater::target()
        .ok_or_else(|| failed(&state, UpdateFailure::NotForThisSystem))?;
    let (os, arch) = target.split_once('-').unwrap_or((target.as_str(), ""));
    let feed = api
        .update_feed(os, arch, &current)
        .await
        .map_err(|e| state.fail(e))?;
    let update = match feed {
        None => None,
        Some(manifest) => {
            let feed_url = api
                .config()
                .endpoint(&format!("/updates/{os}/{arch}/{current}"));
            let mut builder = app.updater_builder().pubkey(key);
            // A copy that is not a package has no package type to pick by: it only announces
            // the release (any package for this system names its version and notes).
            if install_mode(tauri::utils::platform::bundle_type()) == UpdateInstall::Manual {
                if let Some(any) = package_for_system(&manifest, &target) {
                    builder = builder.target(any);
                }
            }
            let updater = builder
                .endpoints(vec![feed_url
                    .parse()
                    .map_err(|_| failed(&state, UpdateFailure::NotConfigured))?])
                .and_then(|builder| builder.build())
                .map_err(|e| failed(&state, updater_failure(&e)))?;
            updater
                .restore_update(manifest)
                .map_err(|e| failed(&state, updater_failure(&e)))?
        }
    };
    let available = update.as_ref().map(|u| AvailableUpdate {
        version: u.version.clone(),
        notes: u.body.clone().unwrap_or_default(),
        date: u.date.and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
        install: install_mode(tauri::utils::platform::bundle_type()),
    });
    tracing::info!(
        current,
        available = available.as_ref().map(|a| a.version.as_str()),
        "update check"
    );
    pending.set(update);
    Ok(UpdateCheck {
        current_version: current,
        available,
    })
}

/// Downloads the release found by the last check, verifies its signature and installs it.
/// Returns the installed version; the app runs the old one until restarted.
#[tauri::command]
pub async fn install_update(
    state: State<'_, AppState>,
    pending: State<'_, PendingUpdate>,
) -> Result<String, ErrorBody> {
    let api = state.api()?;
    let update = pending
        .get()
        .ok_or_else(|| failed(&state, UpdateFailure::NotChecked))?;
    if install_mode(tauri::utils::platform::bundle_type()) == UpdateInstall::Manual {
        return Err(failed(&state, UpdateFailure::Manual));
    }
    let bytes = api
        .download_package(&update.download_url)
        .await
        .map_err(|e| state.fail(e))?;
    tracing::info!(version = %update.version, bytes = bytes.len(), "update downloaded");
    let version = update.version.clone();
    // Verifying and installing block (the package manager asks for permission).
    tauri::async_runtime::spawn_blocking(move || update.install(&bytes))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "update task failed");
            failed(&state, UpdateFailure::InstallFailed)
        })?
        .map_err(|e| failed(&state, updater_failure(&e)))?;
    tracing::info!(version, "update installed");
    pending.set(None);
    Ok(version)
}

/// Restarts the app (after an update was installed).
#[tauri::command]
pub fn restart_app<R: Runtime>(app: AppHandle<R>) {
    tracing::info!("restarting after an update");
    app.restart();
}

#[cfg(test)]
mod tests {
    use super::*;
    use econfiance_api::ErrorCode;
    use econfiance_client::Language;

    #[test]
    fn only_packaged_copies_install_updates_themselves() {
        assert_eq!(install_mode(None), UpdateInstall::Manual);
        for bundle in [
            BundleType::Deb,
            BundleType::Rpm,
            BundleType::AppImage,
            BundleType::Nsis,
            BundleType::Msi,
            BundleType::App,
        ] {
            let name = format!("{bundle:?}");
            assert_eq!(install_mode(Some(bundle)), UpdateInstall::App, "{name}");
        }
    }

    #[test]
    fn a_copy_without_package_type_reads_any_package_of_its_system() {
        let manifest = serde_json::json!({"platforms": {
            "darwin-aarch64": {}, "linux-x86_64-deb": {}, "linux-x86_64-rpm": {}}});
        assert_eq!(
            package_for_system(&manifest, "linux-x86_64").as_deref(),
            Some("linux-x86_64-deb")
        );
        assert_eq!(package_for_system(&manifest, "linux-aarch64"), None);
        assert_eq!(package_for_system(&manifest, "linux-x86"), None);
        assert_eq!(
            package_for_system(&serde_json::json!({}), "linux-x86_64"),
            None
        );
    }

    #[test]
    fn signature_failures_are_refusals_that_install_nothing() {
        use tauri_plugin_updater::Error as E;
        for error in [
            E::MissingSignedVersion,
            E::InvalidUpdaterFormat,
            E::SignedVersionMismatch {
                signed: "0.1.0".into(),
                announced: "0.2.0".into(),
            },
            E::SignatureUtf8("x".into()),
        ] {
            let body = ClientError::Update(updater_failure(&error)).to_body(Language::Fr);
            assert_eq!(body.code, ErrorCode::UpdateRefused, "{error}");
            assert!(
                body.message.contains("rien n'a été installé"),
                "{}",
                body.message
            );
        }
        let body =
            ClientError::Update(updater_failure(&E::PackageInstallFailed)).to_body(Language::En);
        assert_eq!(body.code, ErrorCode::UpdateInstallFailed);
        assert!(body.message.contains("Nothing changed"), "{}", body.message);
    }

    #[test]
    fn without_a_platform_key_the_sandbox_key_is_trusted_and_marked_as_such() {
        let (key, sandbox) = trusted_key();
        if option_env!("ECONFIANCE_UPDATE_PUBKEY").is_none() {
            assert!(sandbox);
            assert_eq!(key, SANDBOX_PUBKEY.trim());
            assert!(!key.is_empty());
        } else {
            assert!(!sandbox);
        }
    }
}
