//! The sandbox's own pages: the outbox at /dev/mailbox (sandbox mode only) and the
//! download page, over real HTTPS.

use econfiance_server::config::MailConfig;
use econfiance_server::ServerConfig;
use serde_json::json;

async fn start(config: ServerConfig) -> (String, reqwest::Client, econfiance_server::AppContext) {
    let server = econfiance_server::bind(config).await.expect("bind");
    let url = format!("https://{}", server.local_addr().expect("addr"));
    let cert = std::fs::read(&server.cert_path).expect("cert");
    let ctx = server.ctx.clone();
    tokio::spawn(server.serve());
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).expect("pem"))
        .build()
        .expect("client");
    (url, http, ctx)
}

#[tokio::test]
async fn sandbox_outbox_shows_the_login_mail_with_its_https_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, http, ctx) = start(ServerConfig::sandbox(dir.path())).await;
    econfiance_server::admin::seed_demo(&ctx.db, ctx.clock.now())
        .await
        .expect("seed");
    let answer = http
        .post(format!("{url}/v1/auth/login-requests"))
        .json(&json!({"email": econfiance_server::admin::DEMO_EMAIL,
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
            "device": {"name": "PC-Accueil", "os": "Windows 11", "app_version": "0.1.0"}}))
        .send()
        .await
        .expect("send");
    assert_eq!(answer.status(), 202);
    let mut page = String::new();
    for _ in 0..100 {
        page = http
            .get(format!("{url}/dev/mailbox"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        if page.contains("Votre lien de connexion") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        page.contains("Votre lien de connexion e-confiance"),
        "{page}"
    );
    assert!(
        page.contains(&format!("<a href=\"{url}/auth/link?request=")),
        "{page}"
    );
    assert!(!page.contains("econfiance://"));
}

#[tokio::test]
async fn outside_sandbox_mode_there_is_no_mailbox_and_no_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = ServerConfig::sandbox(dir.path());
    config.sandbox = false;
    config.mail = MailConfig::Smtp {
        url: "smtp://127.0.0.1:9".into(),
        from: "e-confiance <no-reply@e-confiance.test>".into(),
    };
    let (url, http, _) = start(config).await;
    let status = http
        .get(format!("{url}/dev/mailbox"))
        .send()
        .await
        .expect("get")
        .status();
    assert_eq!(status, 404);
}

#[tokio::test]
async fn download_page_says_what_to_do_in_the_request_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, http, _) = start(ServerConfig::sandbox(dir.path())).await;
    let fr = http
        .get(format!("{url}/download"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        fr.contains("Télécharger e-confiance") && fr.contains("Windows, macOS et Linux"),
        "{fr}"
    );
    let en = http
        .get(format!("{url}/download"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(en.contains("Download e-confiance"), "{en}");
}

#[tokio::test]
async fn a_link_with_a_damaged_code_gets_a_plain_explanation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, http, _) = start(ServerConfig::sandbox(dir.path())).await;
    let page = http
        .get(format!(
            "{url}/auth/link?request=rq_0123456789abcdef&code=<b>x</b>"
        ))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Ce lien est abîmé"), "{page}");
    assert!(!page.contains("<b>x</b>"));
}

#[tokio::test]
async fn legal_pages_exist_in_both_languages_with_the_strict_headers_and_others_are_404() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, http, _) = start(ServerConfig::sandbox(dir.path())).await;
    for (path, fr, en) in [
        (
            "/legal/cgu",
            "Conditions générales d'utilisation",
            "Terms of use",
        ),
        (
            "/legal/confidentialite",
            "Politique de confidentialité",
            "Privacy policy",
        ),
        (
            "/legal/mentions-legales",
            "Mentions légales",
            "Legal notice",
        ),
    ] {
        let answer = http.get(format!("{url}{path}")).send().await.expect("get");
        assert_eq!(answer.status(), 200, "{path}");
        let csp = answer
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        let page = answer.text().await.expect("html");
        assert!(page.contains(fr), "{path} in French: {page}");
        let page = http
            .get(format!("{url}{path}"))
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(page.contains(en), "{path} in English: {page}");
    }
    for path in ["/legal/", "/legal/cgv", "/legal/..%2Fdev%2Fmailbox"] {
        let status = http
            .get(format!("{url}{path}"))
            .send()
            .await
            .expect("get")
            .status();
        assert_eq!(status, 404, "{path}");
    }
}
