//! Asking a customer for a review, end to end: the owner invites a customer in the real
//! window; the customer's mail arrives in the sandbox's outbox; the customer opens the
//! form in a real browser (Debian's Chromium, headless, over its WebDriver) and sends it;
//! the review is in the owner's inbox, marked verified. Then a CSV with a bad line, chosen
//! in the OS's dialog, is shown line by line before anything is sent, and the review link's
//! QR code, saved where the owner chooses, decodes back to the link.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use econfiance_e2e::{click, fill, first_https_link, log_in_with_password, Result, TestEnv};
use fantoccini::{Client, ClientBuilder, Locator};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";
const CUSTOMER: &str = "helene.dupre@exemple.fr";

/// Debian's Chromium driven by its WebDriver (`chromedriver`), headless; ended on drop.
struct Browser {
    driver: Child,
    client: Client,
}

impl Browser {
    async fn start() -> Result<Self> {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            listener.local_addr()?.port()
        };
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        // The sandbox's certificate is its own: the browser is told to accept it, as a
        // customer's would be told by a real certificate.
        caps.insert("acceptInsecureCerts".into(), true.into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                // Root has no user namespace sandbox here; a phone-sized window.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,915", "--lang=fr-FR"],
            }),
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if std::time::Instant::now() > deadline => {
                    return Err(format!("chromedriver did not start: {e}").into())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Self { driver, client })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The page's heading once it reads `expected` (or the last one read, after 20 s). The
/// form's own heading is there until the browser has the answer's page: read across
/// that navigation, an element found on the form goes stale, which is retried.
async fn heading_becomes(web: &Client, expected: &str) -> Result<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(heading) = web.find(Locator::Css("h1")).await {
            if let Ok(text) = heading.text().await {
                if text == expected {
                    return Ok(text);
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(last)
}

/// Opens the dashboard's "Invitations" tab.
async fn open_invitations(env: &TestEnv, app: &Client) -> Result<()> {
    click(app, "nav-invitations").await?;
    env.wait_for_count(app, "[data-testid=invitations]", 1)
        .await
}

#[tokio::test]
async fn a_customer_invited_from_the_app_reviews_in_a_browser_and_the_review_is_verified(
) -> Result<()> {
    let env = TestEnv::start("invitations")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, MARIE, PASSWORD).await?;
    open_invitations(&env, &app).await?;

    // A wrong address is said beside its field; what was typed stays.
    fill(&app, "invite-name", "Hélène Dupré").await?;
    fill(&app, "invite-email", "helene@").await?;
    click(&app, "invite-send").await?;
    env.wait_for_text(
        &app,
        "#invite-email-error",
        "adresse e-mail n'est pas valide",
    )
    .await?;
    let kept = app
        .find(Locator::Css("[data-testid=invite-name]"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some("Hélène Dupré"));

    fill(&app, "invite-email", CUSTOMER).await?;
    fill(&app, "invite-order", "C-12").await?;
    click(&app, "invite-send").await?;
    env.wait_for_text(&app, "[data-testid=invite-result]", CUSTOMER)
        .await?;
    env.wait_for_text(&app, "[data-testid=invitation-state]", "Envoyée")
        .await?;

    // The customer's side: the mail, then the form in a real browser.
    let mail = env
        .wait_for_mail(CUSTOMER, "aimerait connaître votre avis")
        .await?;
    let link = first_https_link(&mail).ok_or("no link in the invitation")?;
    assert!(link.contains("/avis/invitation/"), "{link}");
    let browser = Browser::start().await?;
    let web = &browser.client;
    web.goto(&link).await?;
    web.find(Locator::Css("input[name=rating][value=\"5\"]"))
        .await?
        .click()
        .await?;
    web.find(Locator::Id("title"))
        .await?
        .send_keys("Un accueil chaleureux")
        .await?;
    web.find(Locator::Id("body"))
        .await?
        .send_keys("Baguette encore tiède et conseils avisés, merci !")
        .await?;
    // The date field of a real browser, set as the page's own script would.
    web.execute(
        "document.getElementById('experience_date').value = '2026-11-20'",
        vec![],
    )
    .await?;
    let author = web.find(Locator::Id("author")).await?.prop("value").await?;
    assert_eq!(author.as_deref(), Some("Hélène D."), "the suggested name");
    web.find(Locator::Css("input[name=consent]"))
        .await?
        .click()
        .await?;
    web.find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    assert_eq!(
        heading_becomes(web, "Merci pour votre avis").await?,
        "Merci pour votre avis"
    );
    drop(browser);

    // The owner's side: the invitation reviewed, the review verified in the inbox.
    click(&app, "nav-reviews").await?;
    click(&app, "nav-invitations").await?;
    env.wait_for_text(&app, "[data-testid=invitation-state]", "Avis reçu")
        .await?;
    click(&app, "nav-reviews").await?;
    let row = app
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=review-row]"))
        .await?;
    row.click().await?;
    env.wait_for_text(&app, "[data-testid=review-detail]", "Un accueil chaleureux")
        .await?;
    env.wait_for_text(&app, "[data-testid=review-detail]", "Avis vérifié")
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_csv_with_a_bad_line_is_shown_before_sending_and_the_qr_code_reads_back() -> Result<()> {
    let env = TestEnv::start("invitations_csv")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, MARIE, PASSWORD).await?;
    open_invitations(&env, &app).await?;

    // As Excel saves a CSV on a French Windows: Windows-1252, semicolons.
    let csv = env.data_home().join("clients.csv");
    std::fs::write(
        &csv,
        b"Pr\xE9nom;Nom;E-mail;Commande;Consentement\r\nL\xE9a;Bernard;lea@exemple.fr;A-1;oui\r\nBob;Sans;bob@;A-2;oui\r\n",
    )?;
    click(&app, "invite-file").await?;
    env.answer_open_dialog("Choisir le fichier de vos clients", &csv)
        .await?;
    env.wait_for_count(&app, "[data-testid=file-line]", 2)
        .await?;
    let problems = app
        .find_all(Locator::Css("[data-testid=file-line-problem]"))
        .await?;
    assert_eq!(problems[0].text().await?, "Prête");
    assert!(
        problems[1]
            .text()
            .await?
            .contains("adresse e-mail n'est pas valide"),
        "the bad line says why"
    );
    let names = app
        .find_all(Locator::Css("[data-testid=file-line] td:nth-child(2)"))
        .await?;
    assert_eq!(names[0].text().await?, "Léa Bernard", "Windows-1252 read");
    click(&app, "file-send").await?;
    env.wait_for_text(
        &app,
        "[data-testid=file-result]",
        "1 invitation(s) envoyée(s)",
    )
    .await?;
    env.wait_for_mail("lea@exemple.fr", "aimerait connaître votre avis")
        .await?;

    // The review link's QR code, saved where the owner chooses, decodes back to the link.
    let shown = env
        .wait_for_text(&app, "[data-testid=review-link]", "/avis/entreprise/")
        .await?;
    let png = env.data_home().join("qr.png");
    click(&app, "qr-png").await?;
    env.answer_save_dialog("Enregistrer le QR code", &png)
        .await?;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !png.exists() {
        if std::time::Instant::now() > deadline {
            return Err("the QR code was not saved".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png)?));
    let mut reader = decoder.read_info()?;
    let mut pixels = vec![0; reader.output_buffer_size().ok_or("png size")?];
    let info = reader.next_frame(&mut pixels)?;
    let (w, h) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    let (_, decoded) = grids.first().ok_or("no QR code found")?.decode()?;
    assert_eq!(decoded, shown.trim());
    Ok(())
}
