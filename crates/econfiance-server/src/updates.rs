//! The desktop app's update feed, in the format of Tauri's updater plugin.
//!
//! A release is published by writing `release.json` in the updates folder (`<data-dir>/updates/`,
//! or `--updates-dir`: storage every instance reads) beside its packages
//! and their signatures (`scripts/publish-sandbox-update.sh` does it, signing with the
//! sandbox key). The file is read on every request, so publishing needs no restart:
//!
//! ```json
//! { "version": "0.2.0", "pub_date": "2026-11-27T10:00:00Z",
//!   "notes": { "fr": "…", "en": "…" },
//!   "platforms": { "linux-x86_64-deb": { "file": "e-confiance_0.2.0_amd64.deb" } },
//!   "downloads": [ { "os": "linux", "kind": "deb", "file": "e-confiance_0.2.0_amd64.deb" } ] }
//! ```
//!
//! `downloads` (optional) lists the installers people download from the `/download` page,
//! which are not all what the updater fetches: see [`crate::downloads`].
//!
//! - `GET /updates/{target}/{arch}/{current_version}`: 204 when the running version is the
//!   latest (or nothing is published), else the release with each package's absolute URL and
//!   its signature (the content of `<file>.sig`), notes in the request's language;
//! - `GET /updates/files/{file}`: a package named by the current release, nothing else.
//!
//! The server only relays signatures: the app checks them against the public key it was
//! built with, so a feed that serves altered packages cannot get them installed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::ApiError;
use crate::extract::RequestLang;
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/updates/files/{file}", get(package))
        .route("/updates/{target}/{arch}/{current_version}", get(latest))
}

/// `release.json` as published.
#[derive(Debug, Deserialize)]
pub struct PublishedRelease {
    /// The release's version (semver).
    pub version: String,
    /// RFC 3339 publication date.
    #[serde(default)]
    pub pub_date: Option<String>,
    /// Release notes by language (`fr`, `en`).
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
    /// Packages by updater target (`linux-x86_64-deb`, `windows-x86_64-nsis`, …).
    pub platforms: BTreeMap<String, PublishedPackage>,
    /// The installers of the download page (optional), read entry by entry by
    /// [`crate::downloads::listed`] so that a wrong entry never stops the update feed.
    #[serde(default)]
    pub downloads: serde_json::Value,
}

/// One published package.
#[derive(Debug, Deserialize)]
pub struct PublishedPackage {
    /// File name in the updates folder; its signature is `<file>.sig`.
    pub file: String,
}

/// The answer the updater plugin reads.
#[derive(Debug, Serialize)]
pub struct FeedRelease {
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub_date: Option<String>,
    notes: String,
    platforms: BTreeMap<String, FeedPackage>,
}

#[derive(Debug, Serialize)]
struct FeedPackage {
    url: String,
    signature: String,
}

/// The folder releases are published in (shared by every instance: see
/// [`crate::ServerConfig::updates_path`]).
pub fn folder(config: &crate::ServerConfig) -> PathBuf {
    config.updates_path()
}

/// Why the published release cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// `release.json` exists but cannot be read.
    #[error("{path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// `release.json` is not a release.
    #[error("{path}: {source}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: serde_json::Error,
    },
}

/// Reads `release.json` in `dir`: `Ok(None)` when nothing is published.
pub(crate) fn read_release(dir: &Path) -> Result<Option<PublishedRelease>, ReleaseError> {
    let path = dir.join("release.json");
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| ReleaseError::Malformed { path, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ReleaseError::Unreadable { path, source }),
    }
}

/// A file name that stays inside the updates folder.
pub(crate) fn plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && name != "release.json"
}

async fn latest(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
    UrlPath((_target, _arch, current_version)): UrlPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    let current =
        semver::Version::parse(current_version.trim_start_matches('v')).map_err(|_| {
            ApiError::invalid(
                lang,
                "Numéro de version illisible.",
                "Unreadable version number.",
            )
        })?;
    let dir = folder(&ctx.config);
    let release = read_release(&dir).map_err(|e| ApiError::internal(lang, e))?;
    let Some(release) = release else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let version = semver::Version::parse(release.version.trim_start_matches('v'))
        .map_err(|e| ApiError::internal(lang, format!("release.json: version: {e}")))?;
    if version <= current {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let mut platforms = BTreeMap::new();
    for (target, published) in &release.platforms {
        if !plain_file_name(&published.file) {
            return Err(ApiError::internal(
                lang,
                format!("release.json: file name {:?}", published.file),
            ));
        }
        let signature = std::fs::read_to_string(dir.join(format!("{}.sig", published.file)))
            .map_err(|e| ApiError::internal(lang, format!("{}.sig: {e}", published.file)))?;
        platforms.insert(
            target.clone(),
            FeedPackage {
                url: format!("{}/updates/files/{}", ctx.public_url, published.file),
                signature: signature.trim().to_owned(),
            },
        );
    }
    let notes = release
        .notes
        .get(lang.as_locale())
        .or_else(|| release.notes.get("fr"))
        .cloned()
        .unwrap_or_default();
    Ok(Json(FeedRelease {
        version: version.to_string(),
        pub_date: release.pub_date,
        notes,
        platforms,
    })
    .into_response())
}

async fn package(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
    UrlPath(file): UrlPath<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let dir = folder(&ctx.config);
    let release = read_release(&dir).map_err(|e| ApiError::internal(lang, e))?;
    let published = release.is_some_and(|r| r.platforms.values().any(|p| p.file == file));
    if !published || !plain_file_name(&file) {
        return Err(ApiError::not_found(lang));
    }
    let served = ServeFile::new(dir.join(&file))
        .oneshot(request)
        .await
        .map_err(|e| ApiError::internal(lang, e))?;
    Ok(served.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_served() {
        assert!(plain_file_name("e-confiance_0.2.0_amd64.deb"));
        for bad in [
            "",
            ".",
            "..",
            "../db.sqlite",
            "a/b",
            "a\\b",
            "a\nb",
            "release.json",
        ] {
            assert!(!plain_file_name(bad), "{bad:?} accepted");
        }
    }
}
