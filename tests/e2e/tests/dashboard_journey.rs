//! The company dashboard in the real app against the real server: the figures and trust
//! index, the review inbox (filters, search as you type), replying with a draft that
//! survives a restart, flagging — and reviews' text, written by the public, shown as text
//! in the real webview, never run as markup.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::Duration;

use econfiance_e2e::{click, fill, log_in_with_password, open_review, Result, TestEnv};
use fantoccini::{Client, Locator};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";
const SCRIPT_TITLE: &str = "<script>window.__pwned = 1</script>Colis abîmé";
const MARKUP_BODY: &str = "<img src=x onerror=\"window.__pwned = 2\"><b>Très</b> déçu";

async fn log_in(env: &TestEnv, app: &Client) -> Result<()> {
    log_in_with_password(env, app, MARIE, PASSWORD).await
}

/// Waits until the inbox says it found `expected` reviews ("2 001 avis trouvés").
async fn wait_for_total(app: &Client, expected: u64) -> Result<()> {
    let mut shown = String::new();
    for _ in 0..50 {
        shown = app
            .find(Locator::Css("[data-testid=review-total]"))
            .await?
            .text()
            .await?;
        if shown
            .replace(['\u{202f}', ' '], "")
            .starts_with(&format!("{expected}avis"))
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("the inbox shows {shown:?}, not {expected} reviews").into())
}

#[tokio::test]
async fn the_dashboard_shows_figures_and_the_inbox_answers_flags_and_keeps_drafts() -> Result<()> {
    let env = TestEnv::start("dashboard")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "2000"])?;
    let added = env.server_admin_output(&[
        "reviews",
        "add",
        MARIE,
        "--rating",
        "1",
        "--title",
        SCRIPT_TITLE,
        "--body",
        MARKUP_BODY,
        "--author",
        "<i>Zoé</i>",
    ])?;
    let id = added.trim().to_owned();
    let app = env.launch(&[]).await?;
    log_in(&env, &app).await?;

    // Figures in French formats, the trust index, the trend chart.
    let average = env
        .wait_for_text(&app, "[data-testid=kpi-average]", "/5")
        .await?;
    assert!(average.contains(','), "a decimal comma: {average}");
    env.wait_for_text(&app, "[data-testid=trust-score]", "75")
        .await?;
    env.wait_for_count(&app, "[data-testid=trend-chart] canvas", 1)
        .await?;
    env.screenshot("01-dashboard")?;

    // The inbox: 2,001 reviews; the 1-star filter; search as you type.
    click(&app, "nav-reviews").await?;
    env.wait_for_text(&app, "[data-testid=review-total]", "2\u{202f}001")
        .await
        .or(env
            .wait_for_text(&app, "[data-testid=review-total]", "2 001")
            .await)?;
    let probe = env.password_session(MARIE, PASSWORD).await?;
    let access = probe["access_token"].as_str().ok_or("access")?.to_owned();
    let (_, ones) = env.api_get("/v1/reviews?stars=1&limit=1", &access).await?;
    click(&app, "filter-star-1").await?;
    let expected = ones["total"].as_u64().ok_or("total")?;
    wait_for_total(&app, expected).await?;
    click(&app, "filter-star-1").await?;

    // Review text is shown as text: the script and the markup are plain characters.
    open_review(&env, &app, "colis abime", &id).await?;
    let title = app
        .find(Locator::Css("[data-testid=review-title]"))
        .await?
        .text()
        .await?;
    assert_eq!(title, SCRIPT_TITLE);
    let body = app
        .find(Locator::Css("[data-testid=review-body]"))
        .await?
        .text()
        .await?;
    assert_eq!(body, MARKUP_BODY);
    let injected = app
        .execute(
            "return [window.__pwned === undefined, document.querySelectorAll('[data-testid=review-detail] img, [data-testid=review-detail] script, [data-testid=review-detail] b').length]",
            vec![],
        )
        .await?;
    assert_eq!(
        injected,
        serde_json::json!([true, 0]),
        "nothing ran, no element was made"
    );
    env.screenshot("02-review-as-text")?;

    // A reply being typed is a draft on disk; it survives a restart.
    fill(
        &app,
        "reply-box",
        "Nous sommes désolés : un nouveau colis part demain.",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.close().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let app = env.launch(&[]).await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", MARIE)
        .await?;
    click(&app, "nav-reviews").await?;
    open_review(&env, &app, "colis abime", &id).await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "Brouillon")
        .await?;
    let kept = app
        .find(Locator::Css("[data-testid=reply-box]"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(
        kept.as_deref(),
        Some("Nous sommes désolés : un nouveau colis part demain.")
    );
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "Réponse publiée")
        .await?;
    let (_, page) = env.api_get("/v1/reviews?q=colis%20abime", &access).await?;
    assert_eq!(
        page["items"][0]["reply"]["body"],
        "Nous sommes désolés : un nouveau colis part demain."
    );

    // Flag it, with a reason.
    click(&app, "flag-open").await?;
    fill(&app, "flag-reason", "Ce client n'a jamais commandé").await?;
    click(&app, "flag-send").await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "signalé")
        .await?;
    let (_, page) = env.api_get("/v1/reviews?q=colis%20abime", &access).await?;
    assert_eq!(page["items"][0]["flags"], 1);
    env.screenshot("03-replied-and-flagged")?;
    app.close().await?;
    env.assert_no_secret_in_files(&[&access])?;
    Ok(())
}

/// How many notifications the monitor saw whose text contains `needle`.
fn notified(record: &std::path::Path, needle: &str) -> usize {
    std::fs::read_to_string(record)
        .unwrap_or_default()
        .split("member=Notify")
        .skip(1)
        .filter(|call| call.contains(needle))
        .count()
}

#[tokio::test]
async fn a_new_review_raises_a_notification_that_opens_it_and_the_choice_is_kept() -> Result<()> {
    let mut env = TestEnv::start_with(
        "notifications",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("ECONFIANCE_EVENTS_POLL_SECS", "1"),
        ],
    )?;
    let record = env.start_notification_server()?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "50"])?;
    let app = env.launch(&[]).await?;
    log_in(&env, &app).await?;
    // The app takes its place in the feed first: older reviews are not announced.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(notified(&record, "Nouvel avis"), 0, "nothing old announced");

    env.server_admin(&[
        "reviews",
        "add",
        MARIE,
        "--rating",
        "2",
        "--title",
        "Livraison en retard de huit jours",
        "--author",
        "Bruno",
    ])?;
    for _ in 0..100 {
        if notified(&record, "Livraison en retard de huit jours") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        notified(&record, "Livraison en retard de huit jours"),
        1,
        "the notification was sent on the session bus"
    );
    assert_eq!(notified(&record, "Nouvel avis ★★☆☆☆"), 1);
    env.screenshot("01-notification")?;

    // A click on the notification opens that review in the window.
    env.click_notification()?;
    env.wait_for_text(
        &app,
        "[data-testid=review-title]",
        "Livraison en retard de huit jours",
    )
    .await?;
    env.screenshot("02-opened-from-the-notification")?;

    // "3 étoiles et moins": a 5-star review is not announced, a 1-star one is.
    click(&app, "nav-settings").await?;
    click(&app, "notify-low_ratings").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    env.server_admin(&[
        "reviews",
        "add",
        MARIE,
        "--rating",
        "5",
        "--title",
        "Un délice absolu",
    ])?;
    env.server_admin(&[
        "reviews",
        "add",
        MARIE,
        "--rating",
        "1",
        "--title",
        "Jamais livré",
    ])?;
    for _ in 0..100 {
        if notified(&record, "Jamais livré") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(notified(&record, "Jamais livré"), 1);
    assert_eq!(
        notified(&record, "Un délice absolu"),
        0,
        "5 stars filtered out"
    );

    // Start at login: the OS autostart entry appears and goes (auto-launch writes under
    // $HOME/.config, whatever XDG_CONFIG_HOME says).
    let autostart = env
        .data_home()
        .parent()
        .ok_or("root")?
        .join("home/.config/autostart");
    click(&app, "pref-autostart").await?;
    let entries = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .map(|r| r.filter_map(|e| e.ok()).count())
            .unwrap_or(0)
    };
    for _ in 0..50 {
        if entries(&autostart) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(entries(&autostart), 1, "an autostart entry was written");
    click(&app, "pref-autostart").await?;
    for _ in 0..50 {
        if entries(&autostart) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(entries(&autostart), 0, "and removed");
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn the_inbox_works_from_the_keyboard_and_exports_the_filtered_reviews() -> Result<()> {
    let env = TestEnv::start("inbox_keyboard_export")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "300"])?;
    let app = env.launch(&[]).await?;
    log_in(&env, &app).await?;
    click(&app, "nav-reviews").await?;
    app.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=review-row]"))
        .await?;

    // Keyboard: the search field, then the list; arrows move through the reviews.
    app.find(Locator::Css("[data-testid=review-search]"))
        .await?
        .send_keys("livraison")
        .await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let first = app
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=review-row]"))
        .await?;
    first.send_keys("\u{E015}").await?; // ArrowDown
    env.wait_for_count(&app, "[data-testid=review-detail]", 1)
        .await?;
    let focused = app
        .execute(
            "return [document.activeElement.dataset.testid, document.activeElement.getAttribute('aria-selected')]",
            vec![],
        )
        .await?;
    assert_eq!(
        focused,
        serde_json::json!(["review-row", "true"]),
        "the arrow selected and focused a review"
    );
    let title_1 = app
        .find(Locator::Css("[data-testid=review-title]"))
        .await?
        .text()
        .await?;
    app.execute(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}))",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let selected = app
        .execute("return document.activeElement.id", vec![])
        .await?;
    assert_eq!(
        selected,
        serde_json::json!("review-1"),
        "the next review has the focus"
    );
    assert!(!title_1.is_empty());

    // Export of the 1- and 2-star reviews: the button asks where to save in the OS's own
    // dialog, run by the app from Rust (the page never names a path), answered as a user
    // does.
    app.execute(
        "const field = document.querySelector('[data-testid=review-search]');
         field.value = '';
         field.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![],
    )
    .await?;
    click(&app, "filter-star-1").await?;
    click(&app, "filter-star-2").await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let path = env.data_home().join("export-test.csv");
    click(&app, "export-csv").await?;
    env.answer_save_dialog("Enregistrer les avis", &path)
        .await?;
    env.wait_for_text(&app, "[data-testid=export-done]", "")
        .await?;
    let bytes = std::fs::read(&path)?;
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "Excel's UTF-8 mark");
    let text = String::from_utf8(bytes[3..].to_vec())?;
    let probe = env.password_session(MARIE, PASSWORD).await?;
    let (_, low) = env
        .api_get(
            "/v1/reviews?stars=1,2&limit=1",
            probe["access_token"].as_str().ok_or("access")?,
        )
        .await?;
    assert_eq!(
        (text.matches("\r\n").count() - 1) as u64,
        low["total"].as_u64().ok_or("total")?,
        "one line per 1- and 2-star review"
    );

    // The last-known dashboard is kept in the cache folder; logging out removes this
    // account's local data (the snapshot and reply drafts).
    let cache = env
        .data_home()
        .parent()
        .ok_or("root")?
        .join("cache/fr.econfiance.desktop");
    let snapshots = || {
        std::fs::read_dir(&cache)
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().starts_with("dashboard-"))
                    .count()
            })
            .unwrap_or(0)
    };
    assert_eq!(
        snapshots(),
        1,
        "the dashboard snapshot is in the cache folder"
    );
    fill(&app, "reply-box", "brouillon").await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let drafts = env
        .data_home()
        .join("fr.econfiance.desktop/app/reply-drafts.json");
    assert!(drafts.exists(), "the draft is on disk");
    click(&app, "logout").await?;
    env.wait_for_text(&app, "h1", "Connexion à votre espace")
        .await?;
    assert_eq!(snapshots(), 0, "logout removed the snapshot");
    assert!(!drafts.exists(), "logout removed the drafts");
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn under_the_posix_locale_the_window_and_the_chart_still_show() -> Result<()> {
    // WebKit reports navigator.language as "C" there; uPlot used to throw on it at load
    // and take the whole page down (a blank window).
    let env = TestEnv::start_with(
        "posix_locale",
        &[("LANG", "C.UTF-8"), ("LC_ALL", "C.UTF-8")],
    )?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "100"])?;
    let app = env.launch(&[]).await?;
    log_in(&env, &app).await?;
    env.wait_for_count(&app, "[data-testid=trend-chart] canvas", 1)
        .await?;
    let errors = app
        .execute("return window.__econfianceErrors", vec![])
        .await?;
    assert_eq!(errors, serde_json::json!([]), "no page error");
    env.screenshot("01-posix-locale-dashboard")?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn a_reply_that_cannot_be_sent_is_kept_and_dates_filter_the_inbox() -> Result<()> {
    let mut env = TestEnv::start("reply_offline")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", MARIE, "--count", "300"])?;
    let app = env.launch(&[]).await?;
    log_in(&env, &app).await?;
    click(&app, "nav-reviews").await?;
    app.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=review-row]"))
        .await?;

    // Dates: the first quarter of 2026, as the server counts it.
    let probe = env.password_session(MARIE, PASSWORD).await?;
    let access = probe["access_token"].as_str().ok_or("access")?.to_owned();
    let (_, quarter) = env
        .api_get("/v1/reviews?from=2026-01-01&to=2026-03-31&limit=1", &access)
        .await?;
    let expected = quarter["total"].as_u64().ok_or("total")?;
    app.execute(
        "for (const [id, v] of [['filter-from', '2026-01-01'], ['filter-to', '2026-03-31']]) {
           const el = document.querySelector(`[data-testid=${id}]`);
           el.value = v;
           el.dispatchEvent(new Event('input', {bubbles: true}));
           el.dispatchEvent(new Event('change', {bubbles: true}));
         }",
        vec![],
    )
    .await?;
    wait_for_total(&app, expected).await?;

    // The server goes down while a reply is sent: it is refused plainly, the text stays.
    click(&app, "review-row").await?;
    env.wait_for_count(&app, "[data-testid=review-detail]", 1)
        .await?;
    let reply = "<b>Merci</b> & à bientôt <script>window.__pwned = 3</script>";
    fill(&app, "reply-box", reply).await?;
    env.stop_server()?;
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-error]", "Impossible de joindre")
        .await?;
    let kept = app
        .find(Locator::Css("[data-testid=reply-box]"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some(reply), "the text is still there");
    env.screenshot("01-reply-kept-while-down")?;

    // Back up: the same text is published, as text.
    env.restart_server()?;
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-notice]", "Réponse publiée")
        .await?;
    let id = app
        .find(Locator::Css("[data-testid=review-row][aria-selected=true]"))
        .await?
        .attr("data-id")
        .await?
        .ok_or("selected id")?;
    let (_, review) = env.api_get(&format!("/v1/reviews/{id}"), &access).await?;
    assert_eq!(review["reply"]["body"], reply);
    let ran = app
        .execute("return window.__pwned === undefined", vec![])
        .await?;
    assert_eq!(ran, serde_json::json!(true), "the reply's markup never ran");
    app.close().await?;
    Ok(())
}
