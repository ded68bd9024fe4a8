//! Keyboard-only use and labels for screen readers, in the real window: every control the
//! user can reach on the dashboard, the inbox with a review open, the settings and the help
//! has an accessible name; the Tab key alone reaches the navigation, opens the inbox, reaches
//! the search field and a review, and Enter opens it.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use econfiance_e2e::{click, log_in_with_password, Result, TestEnv, WAIT};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{key::Key, Client, Locator};

const OWNER: &str = "lina@librairie-exemple.fr";
const PASSWORD: &str = "neuf hiboux lisent Colette";

/// Controls (visible, focusable or interactive) without an accessible name, as a screen
/// reader would compute it in the simple cases: aria-label, aria-labelledby, a <label>,
/// the text inside (buttons, links, options), then the title attribute. Also images
/// without alt and charts without a name.
const UNLABELLED: &str = r#"
const bad = [];
const named = (el) => {
  let name = el.getAttribute('aria-label') || '';
  const by = el.getAttribute('aria-labelledby');
  if (!name && by) name = by.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ');
  if (!name && el.labels && el.labels.length) name = [...el.labels].map((l) => l.textContent).join(' ');
  if (!name && !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) name = el.textContent || '';
  if (!name) name = el.getAttribute('title') || '';
  return name.trim() !== '';
};
const selector = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"]), '
  + '[role=button], [role=option], [role=listbox], [role=tab], [role=checkbox], [role=img], img, canvas, svg[role]';
let checked = 0;
for (const el of document.querySelectorAll(selector)) {
  const box = el.getBoundingClientRect();
  if ((box.width === 0 && box.height === 0) || el.type === 'hidden' || el.closest('[aria-hidden=true]')) continue;
  checked += 1;
  if (el.tagName === 'IMG' ? el.getAttribute('alt') === null : !named(el)) {
    bad.push(el.outerHTML.slice(0, 160));
  }
}
return [checked, bad];
"#;

async fn audit(app: &Client, view: &str) -> Result<usize> {
    let answer = app.execute(UNLABELLED, vec![]).await?;
    let checked = answer[0].as_u64().unwrap_or(0) as usize;
    let bad = answer[1].as_array().cloned().unwrap_or_default();
    assert!(
        bad.is_empty(),
        "{view}: controls without a name for screen readers: {bad:#?}"
    );
    Ok(checked)
}

/// The `data-testid` (or tag) of the focused element.
async fn focused(app: &Client) -> Result<String> {
    let v = app
        .execute(
            "const e = document.activeElement; return e ? (e.dataset.testid || e.id || e.tagName) : ''",
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Presses `key` on whatever has the focus, as a keyboard does (WebDriver actions; sending
/// keys to an element would focus it again first).
async fn press(app: &Client, key: Key) -> Result<()> {
    let key = char::from(key);
    app.perform_actions(
        KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key }),
    )
    .await?;
    Ok(())
}

/// Presses Tab until the element `testid` has the focus (at most `limit` times); returns
/// how many presses it took.
async fn tab_to(app: &Client, testid: &str, limit: usize) -> Result<usize> {
    let mut seen = Vec::new();
    for presses in 1..=limit {
        press(app, Key::Tab).await?;
        let now = focused(app).await?;
        if now == testid {
            return Ok(presses);
        }
        seen.push(now);
    }
    Err(format!("Tab never reached {testid} in {limit} presses; went through {seen:?}").into())
}

#[tokio::test]
async fn every_control_has_a_name_and_the_keyboard_alone_reaches_a_review() -> Result<()> {
    let env = TestEnv::start("accessibility")?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", OWNER, "--count", "300"])?;
    let app = env.launch(&[]).await?;

    env.wait_for_text(&app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    let mut checked = audit(&app, "login").await?;
    log_in_with_password(&env, &app, OWNER, PASSWORD).await?;
    env.wait_for_text(&app, "[data-testid=kpi-average]", "/5")
        .await?;
    env.wait_for_count(&app, "[data-testid=trend-chart] canvas", 1)
        .await?;
    checked += audit(&app, "dashboard").await?;
    // The chart is a picture; screen readers get its 12 months as a table.
    env.wait_for_count(&app, "[data-testid=trend-table] tbody tr", 12)
        .await?;

    // Keyboard only, from the top of the page: Tab to "Avis", Enter opens the inbox.
    app.execute(
        "document.activeElement?.blur(); window.scrollTo(0, 0)",
        vec![],
    )
    .await?;
    tab_to(&app, "nav-reviews", 30).await?;
    press(&app, Key::Enter).await?;
    app.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid=review-row]"))
        .await?;
    checked += audit(&app, "inbox").await?;
    // A row's stars are read as "4/5", not as a run of "★" characters.
    let row = app
        .find(Locator::Css("[data-testid=review-row]"))
        .await?
        .prop("textContent")
        .await?
        .unwrap_or_default();
    assert!(row.contains("/5"), "the rating in words: {row}");
    tab_to(&app, "review-search", 20).await?;
    // On to the first review, then Enter opens it.
    tab_to(&app, "review-row", 30).await?;
    press(&app, Key::Enter).await?;
    env.wait_for_count(&app, "[data-testid=review-detail]", 1)
        .await?;
    checked += audit(&app, "review detail").await?;
    // The reply editor is reachable from the review without the mouse.
    tab_to(&app, "reply-box", 20).await?;
    env.screenshot("01-reply-by-keyboard")?;

    click(&app, "nav-settings").await?;
    env.wait_for_count(&app, "[data-testid=pref-tray]", 1)
        .await?;
    checked += audit(&app, "settings").await?;
    click(&app, "nav-help").await?;
    env.wait_for_count(&app, "[data-testid=run-check]", 1)
        .await?;
    checked += audit(&app, "help").await?;
    assert!(checked > 40, "the audit saw only {checked} controls");
    Ok(())
}
