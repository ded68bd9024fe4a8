//! Answering faster and keeping the company right, in the real window against the real
//! server: the dashboard's period changing its figures (counted in Paris days, on a computer
//! in another zone), an e-mail alert for a 1-star review in the sandbox outbox, the
//! company's details edited (a wrong SIRET refused, then a right one kept), a reply from a
//! template published, and a suggested reply edited then published.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::Duration;

use econfiance_e2e::{
    choose, choose_text, click, fill, log_in_with_password, open_review, wait_for_number, Result,
    TestEnv,
};
use fantoccini::{Client, Locator};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

async fn value_of(app: &Client, testid: &str) -> Result<String> {
    Ok(app
        .find(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// A time zone whose calendar day is not Paris's right now, and that day against Paris's
/// (-1 or +1): 13 to 14 hours behind in Paris's morning, 12 to 13 hours ahead in its
/// afternoon. The platform counts its days in Paris time; an owner's computer may be
/// anywhere.
fn zone_on_another_day() -> Result<(&'static str, i64)> {
    let paris = jiff::Zoned::now().in_tz("Europe/Paris")?;
    Ok(if paris.hour() < 12 {
        ("Etc/GMT+12", -1)
    } else {
        ("Etc/GMT-14", 1)
    })
}

/// The server's count of new reviews over the 12 months ending `end` (the app's "12
/// derniers mois" when `end` is today).
async fn twelve_months(env: &TestEnv, access: &str, end: jiff::civil::Date) -> Result<u64> {
    let from = end.checked_sub(jiff::Span::new().days(364))?;
    let (_, summary) = env
        .api_get(
            &format!("/v1/dashboard/summary?from={from}&to={end}"),
            access,
        )
        .await?;
    Ok(summary["new_reviews"].as_u64().ok_or("new_reviews")?)
}

#[tokio::test]
async fn templates_suggestions_details_period_and_alerts_work_in_the_real_window() -> Result<()> {
    let (zone, shift) = zone_on_another_day()?;
    let env = TestEnv::start_with(
        "reply-tools",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("TZ", zone),
        ],
    )?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "600"])?;
    let unhappy = env
        .server_admin_output(&[
            "reviews",
            "add",
            MARIE,
            "--rating",
            "1",
            "--title",
            "Attente interminable",
            "--body",
            "Une heure d'attente au comptoir.",
            "--author",
            "Jean Dupont",
        ])?
        .trim()
        .to_owned();
    let probe = env.password_session(MARIE, PASSWORD).await?;
    let access = probe["access_token"].as_str().ok_or("access")?.to_owned();

    // 12 months on the computer's calendar (a day off Paris's) count another figure than
    // Paris's 12 months, or the period's check below could not tell them apart: the day
    // one has and the other lacks (today in Paris for a computer behind it, the period's
    // first day for one ahead) gets reviews until they differ.
    let (_, today) = env.api_get("/v1/dashboard/summary", &access).await?;
    let paris_today: jiff::civil::Date = today["to"].as_str().ok_or("to")?.parse()?;
    let computer_today = paris_today.checked_add(jiff::Span::new().days(shift))?;
    let days_ago = if shift < 0 { "0" } else { "364" };
    for _ in 0..5 {
        if twelve_months(&env, &access, paris_today).await?
            != twelve_months(&env, &access, computer_today).await?
        {
            break;
        }
        env.server_admin(&["reviews", "add", MARIE, "--days-ago", days_ago])?;
    }
    assert_ne!(
        twelve_months(&env, &access, paris_today).await?,
        twelve_months(&env, &access, computer_today).await?,
        "the computer's 12 months and Paris's differ"
    );

    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, MARIE, PASSWORD).await?;

    // The period: 12 months shows the server's figure for those dates (Paris days, whatever
    // the computer's zone), not 30 days'.
    let (_, thirty) = env.api_get("/v1/dashboard/summary", &access).await?;
    wait_for_number(
        &app,
        "kpi-new",
        thirty["new_reviews"].as_u64().ok_or("new")?,
    )
    .await?;
    choose(&app, "period-pick", "365").await?;
    let to = thirty["to"].as_str().ok_or("to")?.to_owned();
    let to_date: jiff::civil::Date = to.parse()?;
    let year_new = twelve_months(&env, &access, to_date).await?;
    assert!(
        year_new > thirty["new_reviews"].as_u64().unwrap_or(0),
        "{year_new} in 12 months, {thirty}"
    );
    wait_for_number(&app, "kpi-new", year_new).await?;
    env.screenshot("01-period-12-months")?;

    // Last month's report: a page saved where the owner chooses, holding the month's
    // figures; Chromium prints it to a PDF as a browser's "Save as PDF" does.
    let report = env.data_home().join("rapport.html");
    click(&app, "monthly-report").await?;
    env.answer_save_dialog("Enregistrer le rapport mensuel", &report)
        .await?;
    env.wait_for_text(&app, "[data-testid=report-notice]", "Rapport enregistré")
        .await?;
    let html = std::fs::read_to_string(&report)?;
    let first_of_month = to_date.first_of_month();
    let last = first_of_month.yesterday()?;
    let (_, month) = env
        .api_get(
            &format!(
                "/v1/dashboard/summary?from={}&to={last}",
                last.first_of_month()
            ),
            &access,
        )
        .await?;
    assert!(html.contains("— rapport de"), "{html}");
    assert!(
        html.contains(&format!("<td>{}</td>", month["new_reviews"])),
        "last month's new reviews ({}) in the report",
        month["new_reviews"]
    );
    let pdf = env.data_home().join("rapport.pdf");
    let printed = env
        .command("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", report.display()))
        .output()?;
    assert!(printed.status.success(), "{printed:?}");
    // The page as printed, kept with the screenshots.
    let shot = econfiance_e2e::artifacts_root().join("reply-tools/05-report.png");
    env.command("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=800,1000",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", report.display()))
        .output()?;
    let bytes = std::fs::read(&pdf)?;
    assert!(
        bytes.starts_with(b"%PDF-") && bytes.len() > 1000,
        "a PDF of {} bytes",
        bytes.len()
    );

    // E-mail alerts: 1-star reviews mailed, with the app closed or not.
    click(&app, "nav-settings").await?;
    choose(&app, "alert-level", "1").await?;
    for _ in 0..50 {
        let (_, alerts) = env.api_get("/v1/me/alerts", &access).await?;
        if alerts["max_rating"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    env.server_admin(&[
        "reviews",
        "add",
        MARIE,
        "--rating",
        "1",
        "--title",
        "Pain rassis",
        "--author",
        "Hugo",
    ])?;
    let alert = env.wait_for_mail(MARIE, "Nouvel avis 1 étoile").await?;
    assert!(alert.contains("Pain rassis"), "{alert}");
    assert!(alert.contains("/alertes/desabonnement/"), "a stop link");

    // The company's details: a wrong SIRET refused and nothing kept; a right one kept.
    fill(&app, "company.city", "Bordeaux").await?;
    fill(&app, "company.siret", "732 829 320 00075").await?;
    click(&app, "onboarding-submit").await?;
    env.wait_for_text(&app, "[data-testid=\"company.siret-error\"]", "SIRET")
        .await?;
    let (_, me) = env.api_get("/v1/me", &access).await?;
    assert_eq!(
        me["company"]["city"], "Lyon",
        "nothing kept from a refused form"
    );
    env.screenshot("02-siret-refused")?;
    fill(&app, "company.siret", "732 829 320 00074").await?;
    click(&app, "onboarding-submit").await?;
    env.wait_for_text(&app, "[data-testid=details-saved]", "enregistrées")
        .await?;
    let (_, me) = env.api_get("/v1/me", &access).await?;
    assert_eq!(me["company"]["city"], "Bordeaux");
    assert_eq!(me["company"]["siret"], "73282932000074");

    // A reply from a template, filled in for the review, published.
    click(&app, "nav-reviews").await?;
    open_review(&env, &app, "attente interminable", &unhappy).await?;
    app.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(
            "[data-testid=template-pick] option[value^=tpl]",
        ))
        .await?;
    choose_text(&app, "template-pick", "Avis négatif").await?;
    let mut reply = String::new();
    for _ in 0..50 {
        reply = value_of(&app, "reply-box").await?;
        if !reply.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reply.starts_with("Bonjour Jean,"), "{reply}");
    let company = me["company"]["legal_name"].as_str().ok_or("name")?;
    assert!(reply.contains(&format!("L'équipe {company}")), "{reply}");
    assert!(!reply.contains('{'), "every field filled: {reply}");
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "Réponse publiée")
        .await?;
    let (_, page) = env
        .api_get("/v1/reviews?q=attente%20interminable", &access)
        .await?;
    assert_eq!(page["items"][0]["reply"]["body"], reply.as_str());
    env.screenshot("03-template-published")?;

    // A suggested reply: not publishable as it is until edited; edited, published.
    let happy = env
        .server_admin_output(&[
            "reviews",
            "add",
            MARIE,
            "--rating",
            "5",
            "--title",
            "Accueil parfait",
            "--body",
            "Personnel souriant, et des prix doux.",
            "--author",
            "Lucie Martin",
        ])?
        .trim()
        .to_owned();
    open_review(&env, &app, "accueil parfait", &happy).await?;
    click(&app, "suggest-reply").await?;
    env.wait_for_text(&app, "[data-testid=suggestion-note]", "suggestion")
        .await?;
    let suggested = value_of(&app, "reply-box").await?;
    assert!(suggested.starts_with("Bonjour Lucie,"), "{suggested}");
    assert!(
        suggested.contains("accueil"),
        "the welcome's sentence: {suggested}"
    );
    assert!(
        suggested.contains("prix"),
        "the price's sentence: {suggested}"
    );
    let publish = app
        .find(Locator::Css("[data-testid=reply-publish]"))
        .await?;
    assert!(
        !publish.is_enabled().await?,
        "a suggestion as it is cannot be published"
    );
    env.screenshot("04-suggestion")?;
    app.find(Locator::Css("[data-testid=reply-box]"))
        .await?
        .send_keys(" À très bientôt !")
        .await?;
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "Réponse publiée")
        .await?;
    let (_, page) = env
        .api_get("/v1/reviews?q=accueil%20parfait", &access)
        .await?;
    let published = page["items"][0]["reply"]["body"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(published, format!("{suggested} À très bientôt !"));
    app.close().await?;
    Ok(())
}
