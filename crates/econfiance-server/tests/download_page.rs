//! The download page over real HTTPS: the installer for the visitor's system (told by its
//! User-Agent) first, the others below with their size, version and date; what to do when
//! nothing is published; and `/download/files/`, which serves the release's downloads byte
//! for byte as attachments, and nothing else.

use econfiance_integration as support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

const EDGE_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/// Safari on an Apple silicon Mac: it says "Intel Mac OS X" all the same.
const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

const NSIS: &str = "e-confiance_0.2.0_x64-setup.exe";
const MSI: &str = "e-confiance_0.2.0_x64_fr-FR.msi";
const DMG: &str = "e-confiance_0.2.0_universal.dmg";
const DEB: &str = "e-confiance_0.2.0_amd64.deb";
const RPM: &str = "e-confiance-0.2.0-1.x86_64.rpm";
/// What the macOS updater fetches: published for the feed, not a download.
const APP_TAR: &str = "e-confiance_0.2.0_universal.app.tar.gz";

/// (os, kind, arch, file, size in bytes) of each download of a release.
type Download<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, u64);

/// Every download of version 0.2.0, with sizes that read differently in each language.
const ALL: [Download<'static>; 5] = [
    ("windows", "nsis", Some("x86_64"), NSIS, 12_345_678),
    ("windows", "msi", Some("x86_64"), MSI, 13_049_999),
    ("macos", "dmg", Some("universal"), DMG, 25_600_000),
    ("linux", "deb", Some("x86_64"), DEB, 9_870_000),
    ("linux", "rpm", Some("x86_64"), RPM, 10_020_000),
];

fn updates_dir(data_dir: &Path) -> PathBuf {
    let dir = data_dir.join("updates");
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Publishes version 0.2.0 as scripts/publish-sandbox-update.sh does: the updater's
/// packages with their signatures, and the downloads (files of the given size).
fn publish(data_dir: &Path, downloads: &[Download<'_>]) {
    let dir = updates_dir(data_dir);
    for file in [DEB, APP_TAR] {
        std::fs::write(dir.join(file), b"updater package").expect("package");
        std::fs::write(dir.join(format!("{file}.sig")), "c2lnbmF0dXJl\n").expect("sig");
    }
    let mut listed = Vec::new();
    for (os, kind, arch, file, size) in downloads {
        let f = std::fs::File::create(dir.join(file)).expect("create");
        f.set_len(*size).expect("size");
        let mut entry = json!({"os": os, "kind": kind, "file": file});
        if let Some(arch) = arch {
            entry["arch"] = json!(arch);
        }
        listed.push(entry);
    }
    write_release(
        data_dir,
        json!({
            "version": "0.2.0",
            "pub_date": "2026-11-27T10:00:00Z",
            "notes": {"fr": "Corrections.", "en": "Fixes."},
            "platforms": {
                "linux-x86_64-deb": {"file": DEB},
                "darwin-aarch64-app": {"file": APP_TAR},
                "darwin-x86_64-app": {"file": APP_TAR},
            },
            "downloads": listed,
        }),
    );
}

fn write_release(data_dir: &Path, release: Value) {
    std::fs::write(
        updates_dir(data_dir).join("release.json"),
        release.to_string(),
    )
    .expect("release.json");
}

async fn download_page(h: &support::Harness, user_agent: Option<&str>, lang: &str) -> String {
    let mut request = h
        .http
        .get(format!("{}/download", h.url))
        .header("accept-language", lang);
    if let Some(ua) = user_agent {
        request = request.header("user-agent", ua);
    }
    let answer = request.send().await.expect("get");
    assert_eq!(answer.status(), 200);
    answer.text().await.expect("html")
}

/// The values of `attribute="…"` after each occurrence of `start`.
fn values_after(page: &str, start: &str) -> Vec<String> {
    page.match_indices(start)
        .filter_map(|(at, _)| {
            let rest = &page[at + start.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// The files offered as the main button(s).
fn buttons(page: &str) -> Vec<String> {
    values_after(page, "<a class=\"button\" href=\"/download/files/")
}

/// Every file the page links to, in order.
fn links(page: &str) -> Vec<String> {
    values_after(page, "href=\"/download/files/")
}

/// The text of a file's offer: from its link to the end of its block.
fn offer<'a>(page: &'a str, file: &str) -> &'a str {
    let at = page
        .find(&format!("href=\"/download/files/{file}\""))
        .unwrap_or_else(|| panic!("{file} not offered: {page}"));
    let rest = &page[at..];
    let end = ["</li>", "</div>"]
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Where a text is on the page.
fn position(page: &str, text: &str) -> usize {
    page.find(text)
        .unwrap_or_else(|| panic!("{text:?} not on the page: {page}"))
}

#[tokio::test]
async fn windows_edge_gets_the_setup_exe_first_and_the_msi_for_it_departments() {
    let h = support::start().await;
    publish(&h.ctx.config.data_dir, &ALL);
    let page = download_page(&h, Some(EDGE_WINDOWS), "fr-FR,fr;q=0.9").await;

    assert_eq!(buttons(&page), [NSIS], "{page}");
    let main = offer(&page, NSIS);
    assert!(main.contains("Télécharger pour Windows"), "{main}");
    assert!(main.contains("12,3 Mo"), "{main}");
    assert!(
        main.contains("version 0.2.0, publiée le 27 novembre 2026"),
        "{main}"
    );
    let msi = offer(&page, MSI);
    assert!(
        msi.contains("pour le déploiement par le service informatique") && msi.contains("13,0 Mo"),
        "{msi}"
    );
    // The MSI with the Windows offer, the other systems after, each with size and version.
    let others = position(&page, "Pour un autre système");
    assert!(position(&page, MSI) < others);
    for (file, size) in [(DMG, "25,6 Mo"), (DEB, "9,9 Mo"), (RPM, "10,0 Mo")] {
        assert!(position(&page, file) > others, "{file} under the others");
        let item = offer(&page, file);
        assert!(
            item.contains(size) && item.contains("version 0.2.0, publiée le 27 novembre 2026"),
            "{item}"
        );
    }
    assert_eq!(links(&page), [NSIS, MSI, DMG, DEB, RPM]);
}

#[tokio::test]
async fn windows_chrome_gets_the_setup_exe_in_english_too() {
    let h = support::start().await;
    publish(&h.ctx.config.data_dir, &ALL);
    let page = download_page(&h, Some(CHROME_WINDOWS), "en-GB,en;q=0.9").await;

    assert_eq!(buttons(&page), [NSIS], "{page}");
    let main = offer(&page, NSIS);
    assert!(
        main.contains("Download for Windows")
            && main.contains("12.3 MB")
            && main.contains("version 0.2.0, published 27 November 2026"),
        "{main}"
    );
    assert!(offer(&page, MSI).contains("for IT deployment"), "{page}");
    assert!(offer(&page, DMG).contains("25.6 MB"), "{page}");
    assert!(page.contains("For another system"), "{page}");
}

#[tokio::test]
async fn safari_on_an_apple_silicon_mac_gets_the_universal_dmg() {
    let h = support::start().await;
    publish(&h.ctx.config.data_dir, &ALL);
    let page = download_page(&h, Some(SAFARI_MAC), "fr-FR").await;

    assert_eq!(buttons(&page), [DMG], "{page}");
    let main = offer(&page, DMG);
    assert!(
        main.contains("Télécharger pour macOS")
            && main.contains("Apple silicon et Intel")
            && main.contains("25,6 Mo"),
        "{main}"
    );
    let others = position(&page, "Pour un autre système");
    for file in [NSIS, MSI, DEB, RPM] {
        assert!(position(&page, file) > others, "{file}");
    }
}

#[tokio::test]
async fn a_mac_is_offered_both_builds_when_there_is_no_universal_one() {
    let h = support::start().await;
    let (arm, intel) = ("e-confiance_0.2.0_aarch64.dmg", "e-confiance_0.2.0_x64.dmg");
    publish(
        &h.ctx.config.data_dir,
        &[
            ("macos", "dmg", Some("aarch64"), arm, 24_000_000),
            ("macos", "dmg", Some("x86_64"), intel, 25_000_000),
        ],
    );
    let page = download_page(&h, Some(SAFARI_MAC), "fr").await;
    assert_eq!(buttons(&page), [arm, intel], "{page}");
    assert!(
        offer(&page, arm).contains("macOS (Apple silicon)"),
        "{page}"
    );
    assert!(offer(&page, intel).contains("macOS (Intel)"), "{page}");
}

#[tokio::test]
async fn linux_firefox_gets_the_deb_with_the_rpm_beside() {
    let h = support::start().await;
    publish(&h.ctx.config.data_dir, &ALL);
    let page = download_page(&h, Some(FIREFOX_LINUX), "fr").await;

    assert_eq!(buttons(&page), [DEB], "{page}");
    let main = offer(&page, DEB);
    assert!(
        main.contains("Télécharger pour Linux") && main.contains("9,9 Mo"),
        "{main}"
    );
    let rpm = offer(&page, RPM);
    assert!(rpm.contains(".rpm") && rpm.contains("10,0 Mo"), "{rpm}");
    let others = position(&page, "Pour un autre système");
    assert!(position(&page, RPM) < others);
    for file in [NSIS, MSI, DMG] {
        assert!(position(&page, file) > others, "{file}");
    }
}

#[tokio::test]
async fn an_unknown_browser_sees_every_installer_and_none_preferred() {
    let h = support::start().await;
    publish(&h.ctx.config.data_dir, &ALL);
    for ua in [
        None,
        Some("curl/8.5.0"),
        Some(SAFARI_IPHONE),
        Some(CHROME_ANDROID),
    ] {
        let page = download_page(&h, ua, "fr").await;
        assert!(buttons(&page).is_empty(), "{ua:?}: {page}");
        assert!(!page.contains("class=\"button\""), "{ua:?}: {page}");
        assert!(!page.contains("Pour un autre système"), "{ua:?}: {page}");
        assert!(page.contains("Choisissez le programme d'installation"));
        assert_eq!(links(&page), [NSIS, MSI, DMG, DEB, RPM], "{ua:?}");
        for (_, _, _, file, _) in ALL {
            assert!(offer(&page, file).contains(" Mo · version 0.2.0"), "{file}");
        }
    }
}

#[tokio::test]
async fn with_no_release_published_the_page_says_so_and_links_nothing() {
    let h = support::start().await;
    let data_dir = h.ctx.config.data_dir.clone();
    let check = |page: String, lang: &str| {
        assert!(!page.contains("/download/files/"), "{lang}: {page}");
        assert!(!page.contains("class=\"button\""), "{lang}: {page}");
        if lang == "fr" {
            assert!(
                page.contains("aucune version n'est publiée")
                    && page.contains("Contactez votre conseiller e-confiance ou le support"),
                "{page}"
            );
        } else {
            assert!(
                page.contains("no version is published")
                    && page.contains("Contact your e-confiance adviser or e-confiance support"),
                "{page}"
            );
        }
    };
    // Nothing at all.
    check(download_page(&h, Some(EDGE_WINDOWS), "fr").await, "fr");
    check(download_page(&h, Some(EDGE_WINDOWS), "en").await, "en");

    // A release of before downloads existed: the feed serves it, the page has nothing.
    publish(&data_dir, &[]);
    let mut older: Value = serde_json::from_slice(
        &std::fs::read(data_dir.join("updates/release.json")).expect("read"),
    )
    .expect("json");
    older.as_object_mut().expect("object").remove("downloads");
    write_release(&data_dir, older);
    let feed = h
        .http
        .get(format!("{}/updates/linux/x86_64/0.1.0", h.url))
        .send()
        .await
        .expect("get");
    assert_eq!(feed.status(), 200);
    check(download_page(&h, Some(FIREFOX_LINUX), "fr").await, "fr");

    // A listed download missing on disk is not linked.
    publish(&data_dir, &ALL[..1]);
    std::fs::remove_file(data_dir.join("updates").join(NSIS)).expect("rm");
    check(download_page(&h, None, "en").await, "en");
}

#[tokio::test]
async fn a_system_without_its_installer_is_told_what_to_do() {
    let h = support::start().await;
    publish(&h.ctx.config.data_dir, &ALL[3..]);
    let page = download_page(&h, Some(EDGE_WINDOWS), "fr").await;
    assert!(buttons(&page).is_empty(), "{page}");
    assert!(
        page.contains("Aucun programme d'installation pour Windows n'est publié")
            && page.contains("Contactez votre conseiller e-confiance ou le support"),
        "{page}"
    );
    assert_eq!(links(&page), [DEB, RPM]);
    assert!(position(&page, DEB) > position(&page, "Pour un autre système"));

    let page = download_page(&h, Some(SAFARI_MAC), "en").await;
    assert!(
        page.contains("No installer for macOS is published yet.")
            && page.contains("Contact your e-confiance adviser"),
        "{page}"
    );
}

#[tokio::test]
async fn a_listed_installer_downloads_byte_for_byte_as_an_attachment() {
    let h = support::start().await;
    let data_dir = h.ctx.config.data_dir.clone();
    publish(&data_dir, &ALL);
    let installer: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(data_dir.join("updates").join(NSIS), &installer).expect("write");

    let page = download_page(&h, Some(EDGE_WINDOWS), "fr").await;
    assert!(
        offer(&page, NSIS).contains("200,0 Ko"),
        "size read from disk: {page}"
    );
    let href = format!("/download/files/{}", buttons(&page)[0]);
    let answer = h
        .http
        .get(format!("{}{href}", h.url))
        .send()
        .await
        .expect("get");
    assert_eq!(answer.status(), 200);
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        header("content-type"),
        "application/vnd.microsoft.portable-executable"
    );
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{NSIS}\"")
    );
    assert_eq!(header("content-length"), installer.len().to_string());
    assert_eq!(&answer.bytes().await.expect("bytes")[..], &installer[..]);

    for (file, content_type) in [
        (MSI, "application/x-msi"),
        (DMG, "application/x-apple-diskimage"),
        (DEB, "application/vnd.debian.binary-package"),
        (RPM, "application/x-rpm"),
    ] {
        let answer = h
            .http
            .get(format!("{}/download/files/{file}", h.url))
            .send()
            .await
            .expect("get");
        assert_eq!(answer.status(), 200, "{file}");
        let got = answer
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(got, content_type, "{file}");
        let disposition = answer
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(disposition.starts_with("attachment;"), "{file}");
    }
}

#[tokio::test]
async fn only_the_release_s_downloads_are_served_and_no_path_leaves_the_folder() {
    let h = support::start().await;
    let data_dir = h.ctx.config.data_dir.clone();
    std::fs::write(data_dir.join("secret.txt"), "not for download").expect("secret");
    publish(&data_dir, &ALL);
    // An older installer still on disk, no longer in the release.
    std::fs::write(
        data_dir.join("updates/e-confiance_0.1.0_x64-setup.exe"),
        "old",
    )
    .expect("old");
    // The release itself names files outside the folder, and a download of another system.
    let path = data_dir.join("updates/release.json");
    let mut release: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let downloads = release["downloads"].as_array_mut().expect("downloads");
    downloads.push(json!({"os": "linux", "kind": "deb", "file": "../secret.txt"}));
    downloads.push(json!({"os": "linux", "kind": "deb", "file": "../econfiance.sqlite"}));
    downloads.push(json!({"os": "linux", "kind": "deb", "file": "release.json"}));
    downloads.push(json!({"os": "macos", "kind": "nsis", "file": APP_TAR}));
    std::fs::write(&path, release.to_string()).expect("release.json");

    let signature = format!("{DEB}.sig");
    for refused in [
        APP_TAR,
        signature.as_str(),
        "release.json",
        "e-confiance_0.1.0_x64-setup.exe",
        "..%2Fsecret.txt",
        "..%2Feconfiance.sqlite",
        "..%5Csecret.txt",
        "%2E%2E%2Fsecret.txt",
        "nothing.exe",
    ] {
        let answer = h
            .http
            .get(format!("{}/download/files/{refused}", h.url))
            .send()
            .await
            .expect("get");
        assert_eq!(answer.status(), 404, "{refused}");
        let body = answer.text().await.expect("body");
        assert!(!body.contains("not for download"), "{refused}");
    }

    // The page links only the good entries, and the feed still works despite the bad ones.
    let page = download_page(&h, None, "fr").await;
    assert_eq!(links(&page), [NSIS, MSI, DMG, DEB, RPM], "{page}");
    let feed = h
        .http
        .get(format!("{}/updates/linux/x86_64/0.1.0", h.url))
        .send()
        .await
        .expect("get");
    assert_eq!(feed.status(), 200);
}

#[tokio::test]
async fn an_unreadable_release_gets_a_plain_message_and_no_link() {
    let h = support::start().await;
    let data_dir = h.ctx.config.data_dir.clone();
    publish(&data_dir, &ALL);
    std::fs::write(data_dir.join("updates/release.json"), "{\"version\": \"0.2").expect("write");
    for (lang, text) in [
        ("fr", "Le téléchargement est momentanément indisponible."),
        ("en", "Downloading is unavailable for the moment."),
    ] {
        let page = download_page(&h, Some(EDGE_WINDOWS), lang).await;
        assert!(page.contains(text), "{page}");
        assert!(!page.contains("/download/files/"), "{page}");
    }
    let answer = h
        .http
        .get(format!("{}/download/files/{NSIS}", h.url))
        .send()
        .await
        .expect("get");
    assert_eq!(answer.status(), 500);
}
