//! The update feed over real HTTPS: nothing published, an older and the current version, the
//! release notes in the asker's language, the packages it names and nothing else.

use econfiance_integration as support;

use serde_json::{json, Value};

fn publish(data_dir: &std::path::Path, version: &str, package: &[u8]) {
    let dir = data_dir.join("updates");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = format!("e-confiance_{version}_amd64.deb");
    std::fs::write(dir.join(&file), package).expect("package");
    std::fs::write(dir.join(format!("{file}.sig")), "c2lnbmF0dXJl\n").expect("sig");
    let release = json!({
        "version": version,
        "pub_date": "2026-11-27T10:00:00Z",
        "notes": {"fr": "Corrections et nouveautés.", "en": "Fixes and new features."},
        "platforms": {"linux-x86_64-deb": {"file": file}},
    });
    std::fs::write(dir.join("release.json"), release.to_string()).expect("release.json");
}

#[tokio::test]
async fn the_feed_announces_only_newer_releases_with_their_signed_packages() {
    let h = support::start().await;
    let (url, http, data_dir) = (&h.url, &h.http, h.ctx.config.data_dir.as_path());
    let check = |version: &str, lang: &str| {
        http.get(format!("{url}/updates/linux/x86_64/{version}"))
            .header("accept-language", lang)
            .send()
    };

    // Nothing published yet: up to date.
    assert_eq!(check("0.1.0", "fr").await.expect("get").status(), 204);

    // Published while running (read at each request, no restart).
    let package = b"!<arch>\ndebian-binary   the package bytes";
    publish(data_dir, "0.2.0", package);
    for current in ["0.2.0", "0.3.0", "v0.2.0"] {
        let answer = check(current, "fr").await.expect("get");
        assert_eq!(answer.status(), 204, "{current} is up to date");
    }

    let answer = check("0.1.0", "fr").await.expect("get");
    assert_eq!(answer.status(), 200);
    let feed: Value = answer.json().await.expect("json");
    assert_eq!(feed["version"], "0.2.0");
    assert_eq!(feed["notes"], "Corrections et nouveautés.");
    assert_eq!(feed["pub_date"], "2026-11-27T10:00:00Z");
    let deb = &feed["platforms"]["linux-x86_64-deb"];
    assert_eq!(deb["signature"], "c2lnbmF0dXJl");
    let package_url = deb["url"].as_str().expect("url");
    assert_eq!(
        package_url,
        format!("{url}/updates/files/e-confiance_0.2.0_amd64.deb")
    );

    let english: Value = check("0.1.0", "en")
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(english["notes"], "Fixes and new features.");

    let download = http.get(package_url).send().await.expect("get");
    assert_eq!(download.status(), 200);
    assert_eq!(&download.bytes().await.expect("bytes")[..], package);

    // Only the release's packages are served: not its signature file, not the manifest, not
    // the database beside the folder.
    for other in [
        "e-confiance_0.2.0_amd64.deb.sig",
        "release.json",
        "..%2Fecon.db",
        "e-confiance_0.1.0_amd64.deb",
    ] {
        let answer = http
            .get(format!("{url}/updates/files/{other}"))
            .send()
            .await
            .expect("get");
        assert_eq!(answer.status(), 404, "{other}");
    }

    // A version that is not one is refused with the usual error body.
    let answer = check("latest", "fr").await.expect("get");
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.expect("json");
    assert!(body["code"].is_string(), "{body}");
}
