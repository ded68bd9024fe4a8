//! The installers people download from the `/download` page (see [`crate::landing`]): which
//! system a browser runs (from its User-Agent), the current release's downloads with their
//! sizes read from disk, and `GET /download/files/{file}`, which serves only the files the
//! current release lists, as attachments with their installer's Content-Type.
//!
//! What people install is not what the updater fetches (an NSIS `.exe` or a `.dmg`, not an
//! `.app.tar.gz`), so `release.json` (see [`crate::updates`]) lists them apart, beside the
//! updater's platforms; the field is optional, and an older `release.json` has no downloads:
//!
//! ```json
//! "downloads": [
//!   { "os": "windows", "kind": "nsis", "arch": "x86_64", "file": "e-confiance_0.2.0_x64-setup.exe" },
//!   { "os": "windows", "kind": "msi", "arch": "x86_64", "file": "e-confiance_0.2.0_x64_fr-FR.msi" },
//!   { "os": "macos", "kind": "dmg", "arch": "universal", "file": "e-confiance_0.2.0_universal.dmg" },
//!   { "os": "linux", "kind": "deb", "arch": "x86_64", "file": "e-confiance_0.2.0_amd64.deb" }
//! ]
//! ```
//!
//! Each entry is read on its own: a wrong one (unknown `os` or `kind`, a kind of another
//! system, a file name that leaves the folder, a file missing on disk) is logged and left
//! out, and never stops the update feed that reads the same file.

use std::path::Path;

use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::{ApiError, Lang};
use crate::extract::RequestLang;
use crate::updates::{self, PublishedRelease};
use crate::AppContext;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new().route("/download/files/{file}", get(file))
}

/// A desktop system the app is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    /// Windows 10 and 11.
    Windows,
    /// macOS.
    Macos,
    /// Linux.
    Linux,
}

impl Os {
    /// Every system, in the order the page lists them.
    pub const ALL: [Os; 3] = [Os::Windows, Os::Macos, Os::Linux];

    /// Its name, as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Os::Windows => "Windows",
            Os::Macos => "macOS",
            Os::Linux => "Linux",
        }
    }
}

/// The kind of installer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstallerKind {
    /// Windows setup program (`.exe`), for people installing it themselves.
    Nsis,
    /// Windows Installer package, for IT departments deploying it.
    Msi,
    /// macOS disk image.
    Dmg,
    /// Debian / Ubuntu package.
    Deb,
    /// Fedora / Red Hat / openSUSE package.
    Rpm,
    /// Self-contained Linux program.
    Appimage,
}

impl InstallerKind {
    /// The system it installs on.
    pub fn os(self) -> Os {
        match self {
            InstallerKind::Nsis | InstallerKind::Msi => Os::Windows,
            InstallerKind::Dmg => Os::Macos,
            InstallerKind::Deb | InstallerKind::Rpm | InstallerKind::Appimage => Os::Linux,
        }
    }

    /// Its order among its system's installers: the first one published is the one offered.
    fn rank(self) -> u8 {
        match self {
            InstallerKind::Nsis | InstallerKind::Dmg | InstallerKind::Deb => 0,
            InstallerKind::Msi | InstallerKind::Rpm => 1,
            InstallerKind::Appimage => 2,
        }
    }

    /// The Content-Type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            InstallerKind::Nsis => "application/vnd.microsoft.portable-executable",
            InstallerKind::Msi => "application/x-msi",
            InstallerKind::Dmg => "application/x-apple-diskimage",
            InstallerKind::Deb => "application/vnd.debian.binary-package",
            InstallerKind::Rpm => "application/x-rpm",
            InstallerKind::Appimage => "application/vnd.appimage",
        }
    }

    /// What it is, for people.
    pub fn label(self, lang: Lang) -> String {
        match self {
            InstallerKind::Nsis => lang.pick("programme d'installation (.exe)", "installer (.exe)"),
            InstallerKind::Msi => lang.pick(
                "paquet MSI (.msi), pour le déploiement par le service informatique",
                "MSI package (.msi), for IT deployment",
            ),
            InstallerKind::Dmg => lang.pick("image disque (.dmg)", "disk image (.dmg)"),
            InstallerKind::Deb => lang.pick(
                "paquet .deb (Debian, Ubuntu)",
                ".deb package (Debian, Ubuntu)",
            ),
            InstallerKind::Rpm => lang.pick(
                "paquet .rpm (Fedora, Red Hat, openSUSE)",
                ".rpm package (Fedora, Red Hat, openSUSE)",
            ),
            InstallerKind::Appimage => lang.pick(
                "AppImage (toutes distributions)",
                "AppImage (any distribution)",
            ),
        }
    }
}

/// The processors an installer runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Arch {
    /// Intel and AMD, 64 bits.
    #[serde(rename = "x86_64")]
    X86_64,
    /// ARM 64 bits (Apple silicon on macOS).
    #[serde(rename = "aarch64")]
    Aarch64,
    /// Both (a macOS universal build).
    #[serde(rename = "universal")]
    Universal,
}

impl Arch {
    /// The processors, for people.
    pub fn label(self, os: Os, lang: Lang) -> String {
        match (self, os) {
            (Arch::Universal, _) => lang.pick("Apple silicon et Intel", "Apple silicon and Intel"),
            (Arch::Aarch64, Os::Macos) => "Apple silicon".to_owned(),
            (Arch::X86_64, Os::Macos) => "Intel".to_owned(),
            (Arch::Aarch64, _) => lang.pick("ARM 64 bits", "64-bit ARM"),
            (Arch::X86_64, _) => lang.pick("64 bits", "64-bit"),
        }
    }
}

/// One entry of `release.json`'s `downloads`.
#[derive(Debug, Clone, Deserialize)]
pub struct PublishedDownload {
    /// The system it installs on.
    pub os: Os,
    /// The kind of installer; it must be one of `os`'s.
    pub kind: InstallerKind,
    /// The processors it runs on, when it matters (`"universal"` for the macOS build).
    #[serde(default)]
    pub arch: Option<Arch>,
    /// Its file name in the updates folder.
    pub file: String,
}

/// The release's downloads that can be used: well formed, of the right system, with a
/// plain file name. Each wrong entry is logged and left out.
pub fn listed(release: &PublishedRelease) -> Vec<PublishedDownload> {
    let entries = match &release.downloads {
        serde_json::Value::Null => return Vec::new(),
        serde_json::Value::Array(entries) => entries,
        other => {
            tracing::error!(downloads = %other, "release.json: downloads is not a list");
            return Vec::new();
        }
    };
    entries
        .iter()
        .filter_map(
            |entry| match serde_json::from_value::<PublishedDownload>(entry.clone()) {
                Ok(d) if d.kind.os() != d.os => {
                    tracing::error!(%entry, "release.json: download of another system");
                    None
                }
                Ok(d) if !updates::plain_file_name(&d.file) => {
                    tracing::error!(%entry, "release.json: download file name");
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    tracing::error!(%entry, error = %e, "release.json: download entry");
                    None
                }
            },
        )
        .collect()
}

/// A download the page offers: a listed installer present on disk.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The system it installs on.
    pub os: Os,
    /// The kind of installer.
    pub kind: InstallerKind,
    /// The processors, when given.
    pub arch: Option<Arch>,
    /// Its file name.
    pub file: String,
    /// Its size in bytes, read from disk.
    pub size: u64,
}

impl Offer {
    /// Its address on this server (the file name percent-encoded).
    pub fn href(&self) -> String {
        format!("/download/files/{}", percent_encode(&self.file))
    }
}

/// The current release as the download page shows it.
#[derive(Debug, Clone)]
pub struct Available {
    /// The release's version.
    pub version: String,
    /// Its publication time (Unix seconds), when `release.json` gives a readable one.
    pub published_at: Option<i64>,
    /// Its downloads present on disk, by system then in the order they are offered.
    pub offers: Vec<Offer>,
}

impl Available {
    /// The offers for one system, the one to offer first at the head.
    pub fn for_os(&self, os: Os) -> impl Iterator<Item = &Offer> {
        self.offers.iter().filter(move |o| o.os == os)
    }
}

/// Reads the current release of `dir` (the updates folder) and the size of its downloads:
/// `Ok(None)` when nothing is published, `Err` when `release.json` cannot be read.
pub fn available(dir: &Path) -> Result<Option<Available>, updates::ReleaseError> {
    let Some(release) = updates::read_release(dir)? else {
        return Ok(None);
    };
    let mut offers: Vec<Offer> = listed(&release)
        .into_iter()
        .filter_map(|d| match std::fs::metadata(dir.join(&d.file)) {
            Ok(meta) if meta.is_file() => Some(Offer {
                os: d.os,
                kind: d.kind,
                arch: d.arch,
                file: d.file,
                size: meta.len(),
            }),
            Ok(_) => {
                tracing::error!(file = %d.file, "release.json: download is not a file");
                None
            }
            Err(e) => {
                tracing::error!(file = %d.file, error = %e, "release.json: download missing");
                None
            }
        })
        .collect();
    offers.sort_by_key(|o| (o.os, o.kind.rank()));
    let published_at = release
        .pub_date
        .as_deref()
        .and_then(|d| d.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_second());
    Ok(Some(Available {
        version: release.version.trim_start_matches('v').to_owned(),
        published_at,
        offers,
    }))
}

/// The system a browser runs on, from its User-Agent; `None` when it is not one the app is
/// built for (phones, tablets, ChromeOS) or cannot be told.
///
/// Every Mac browser says `Intel Mac OS X`, on Apple silicon too: the answer is macOS, and
/// the installer for it must run on both (a universal build).
pub fn os_from_user_agent(user_agent: &str) -> Option<Os> {
    let ua = user_agent.to_ascii_lowercase();
    // "cros " with its space: "microsoft" holds "cros".
    let mobile = [
        "android",
        "iphone",
        "ipad",
        "ipod",
        "like mac os x",
        "cros ",
        "mobile",
    ];
    if mobile.iter().any(|m| ua.contains(m)) {
        return None;
    }
    if ua.contains("windows") {
        Some(Os::Windows)
    } else if ua.contains("macintosh") || ua.contains("mac os x") {
        Some(Os::Macos)
    } else if ua.contains("linux") || ua.contains("x11") {
        Some(Os::Linux)
    } else {
        None
    }
}

/// A size for people, in decimal units: `12,3 Mo` in French, `12.3 MB` in English.
pub fn human_size(bytes: u64, lang: Lang) -> String {
    let units: [(&str, &str); 4] = [("Ko", "kB"), ("Mo", "MB"), ("Go", "GB"), ("To", "TB")];
    if bytes < 1000 {
        return format!("{bytes} {}", lang.pick("octets", "bytes"));
    }
    let mut unit: u128 = 1000;
    for (i, (fr, en)) in units.iter().enumerate() {
        let tenths = (u128::from(bytes) * 10 + unit / 2) / unit;
        if tenths < 10_000 || i == units.len() - 1 {
            let sep = lang.pick(",", ".");
            let name = lang.pick(fr, en);
            return format!("{}{sep}{} {name}", tenths / 10, tenths % 10);
        }
        unit *= 1000;
    }
    String::new()
}

/// Percent-encodes all but the unreserved characters (RFC 3986), for a path segment or an
/// RFC 8187 `filename*`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `Content-Disposition: attachment` with the file's name (and its UTF-8 form when the
/// name is not plain ASCII).
fn attachment(file: &str) -> HeaderValue {
    let fallback: String = file
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut value = format!("attachment; filename=\"{fallback}\"");
    if fallback != file {
        value.push_str(&format!("; filename*=UTF-8''{}", percent_encode(file)));
    }
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn file(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
    UrlPath(file): UrlPath<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let dir = updates::folder(&ctx.config);
    let release = updates::read_release(&dir).map_err(|e| ApiError::internal(lang, e))?;
    let Some(download) = release
        .as_ref()
        .map(listed)
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.file == file)
    else {
        return Err(ApiError::not_found(lang));
    };
    let mut served = ServeFile::new(dir.join(&download.file))
        .oneshot(request)
        .await
        .map_err(|e| ApiError::internal(lang, e))?
        .into_response();
    match served.status() {
        StatusCode::NOT_FOUND => {
            tracing::error!(file = %download.file, "release.json names a download missing on disk");
            return Err(ApiError::not_found(lang));
        }
        status if status.is_success() || status == StatusCode::NOT_MODIFIED => {}
        _ => return Ok(served),
    }
    let headers = served.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(download.kind.content_type()),
    );
    headers.insert(header::CONTENT_DISPOSITION, attachment(&download.file));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(served)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDGE_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    const FIREFOX_WINDOWS: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const FIREFOX_MAC: &str =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0";
    const FIREFOX_UBUNTU: &str =
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const CHROME_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    const SAFARI_IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1";
    const OUTLOOK_WINDOWS: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; Microsoft Outlook 16.0)";
    const CHROME_OS: &str = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    #[test]
    fn the_user_agent_tells_the_desktop_system() {
        for (ua, os) in [
            (EDGE_WINDOWS, Some(Os::Windows)),
            (FIREFOX_WINDOWS, Some(Os::Windows)),
            (SAFARI_MAC, Some(Os::Macos)),
            (CHROME_MAC, Some(Os::Macos)),
            (FIREFOX_MAC, Some(Os::Macos)),
            (FIREFOX_UBUNTU, Some(Os::Linux)),
            (CHROME_LINUX, Some(Os::Linux)),
            (CHROME_ANDROID, None),
            (SAFARI_IPHONE, None),
            (SAFARI_IPAD, None),
            (CHROME_OS, None),
            (OUTLOOK_WINDOWS, Some(Os::Windows)),
            ("curl/8.5.0", None),
            ("", None),
        ] {
            assert_eq!(os_from_user_agent(ua), os, "{ua}");
        }
    }

    #[test]
    fn sizes_read_in_each_language() {
        for (bytes, fr, en) in [
            (0, "0 octets", "0 bytes"),
            (999, "999 octets", "999 bytes"),
            (1_000, "1,0 Ko", "1.0 kB"),
            (12_345, "12,3 Ko", "12.3 kB"),
            (999_949, "999,9 Ko", "999.9 kB"),
            (999_950, "1,0 Mo", "1.0 MB"),
            (12_345_678, "12,3 Mo", "12.3 MB"),
            (104_857_600, "104,9 Mo", "104.9 MB"),
            (1_250_000_000, "1,3 Go", "1.3 GB"),
            (u64::MAX, "18446744,1 To", "18446744.1 TB"),
        ] {
            assert_eq!(human_size(bytes, Lang::Fr), fr, "{bytes}");
            assert_eq!(human_size(bytes, Lang::En), en, "{bytes}");
        }
    }

    #[test]
    fn the_attachment_header_names_the_file_safely() {
        assert_eq!(
            attachment("e-confiance_0.2.0_x64-setup.exe"),
            "attachment; filename=\"e-confiance_0.2.0_x64-setup.exe\""
        );
        assert_eq!(
            attachment("é \"x\".deb"),
            "attachment; filename=\"_ _x_.deb\"; filename*=UTF-8''%C3%A9%20%22x%22.deb"
        );
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn wrong_entries_are_left_out_and_the_others_kept() {
        let release: PublishedRelease = serde_json::from_value(serde_json::json!({
            "version": "0.2.0",
            "platforms": {},
            "downloads": [
                {"os": "windows", "kind": "nsis", "file": "setup.exe"},
                {"os": "macos", "kind": "deb", "file": "wrong-system.deb"},
                {"os": "beos", "kind": "nsis", "file": "unknown.exe"},
                {"os": "linux", "kind": "deb", "file": "../econfiance.sqlite"},
                {"os": "linux", "kind": "deb", "file": "release.json"},
                {"os": "linux", "kind": "deb"},
                {"os": "macos", "kind": "dmg", "arch": "universal", "file": "app.dmg"},
            ],
        }))
        .expect("release");
        let files: Vec<_> = listed(&release).into_iter().map(|d| d.file).collect();
        assert_eq!(files, ["setup.exe", "app.dmg"]);

        let older: PublishedRelease =
            serde_json::from_value(serde_json::json!({"version": "0.1.0", "platforms": {}}))
                .expect("release without downloads");
        assert!(listed(&older).is_empty());
    }
}
