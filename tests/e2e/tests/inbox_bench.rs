//! Benchmark of the review inbox in the real app (not a test: ignored by `cargo test`, run
//! by `scripts/bench-dashboard.sh`): for a company with N reviews, the time from a click on
//! "Avis" to the first rows painted, set beside the same first page fetched through the
//! app's backend alone (IPC + HTTPS + JSON, nothing rendered) in the same run; and the
//! app's memory (PSS of the app and its WebKit processes) idle on the inbox and while the
//! whole list is scrolled to its end.
//!
//! Settings (environment): `BENCH_REVIEWS` (comma-separated counts, default
//! `10000,100000`), `BENCH_RUNS` (openings per count, default 9), `BENCH_OUT` (JSON lines
//! written there, one per count).

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use econfiance_e2e::{click, log_in_with_password, pss_of_tree_kib, Result, TestEnv};
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Client;
use serde_json::{json, Value};

const OWNER: &str = "bench@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

/// Clicks "Avis" and resolves with the milliseconds until the first rows are painted
/// (rows in the document, then the next animation frame).
const OPEN_INBOX: &str = r#"
const done = arguments[arguments.length - 1];
const t0 = performance.now();
document.querySelector('[data-testid=nav-reviews]').click();
(function wait() {
  if (document.querySelector('[data-testid=review-row]')) {
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
  } else {
    requestAnimationFrame(wait);
  }
})();
"#;

/// The first page through the app's backend alone, as the inbox asks it.
const FETCH_FIRST_PAGE: &str = r#"
const done = arguments[arguments.length - 1];
const t0 = performance.now();
window.__TAURI_INTERNALS__
  .invoke('list_reviews', { query: { stars: null, status: null, answered: null, from: null,
    to: null, q: null, cursor: null, limit: 100 } })
  .then((page) => done([performance.now() - t0, page.items.length]), (e) => done([-1, String(e)]));
"#;

/// Scrolls the inbox to its end again and again, as a person dragging the scroll bar
/// down would, until the last of `arguments[0]` rows is shown (or nothing new comes for 15
/// s); resolves with [highest row index shown, milliseconds, scroll steps].
const SCROLL_ALL: &str = r#"
const [total, done] = [arguments[0], arguments[arguments.length - 1]];
const top = () => Math.max(-1, ...[...document.querySelectorAll('[data-testid=review-row]')]
  .map((r) => Number(r.id.slice('review-'.length))));
let pane = document.querySelector('[data-testid=review-row]');
while (pane && !['auto', 'scroll'].includes(getComputedStyle(pane).overflowY)) pane = pane.parentElement;
const t0 = performance.now();
let shown = top();
let since = t0;
let steps = 0;
(function step() {
  const now = top();
  if (now > shown) { shown = now; since = performance.now(); steps += 1; }
  if (shown + 1 >= total || performance.now() - since > 15000) {
    done([shown, performance.now() - t0, steps]);
    return;
  }
  pane.scrollTop = pane.scrollHeight;
  requestAnimationFrame(step);
})();
"#;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

async fn number(app: &Client, script: &str) -> Result<Value> {
    Ok(app.execute_async(script, vec![]).await?)
}

async fn bench_count(count: u64, runs: usize) -> Result<Value> {
    let env = TestEnv::start(&format!("bench-inbox-{count}"))?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    let seeded = Instant::now();
    env.server_admin(&["reviews", "seed", OWNER, "--count", &count.to_string()])?;
    let seed_secs = seeded.elapsed().as_secs_f64();
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, OWNER, PASSWORD).await?;
    env.wait_for_text(&app, "[data-testid=kpi-average]", "/5")
        .await?;

    let mut open_ms = Vec::new();
    let mut fetch_ms = Vec::new();
    for _ in 0..runs {
        click(&app, "nav-home").await?;
        env.wait_for_count(&app, "[data-testid=kpi-average]", 1)
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let fetched = number(&app, FETCH_FIRST_PAGE).await?;
        let ms = fetched[0].as_f64().unwrap_or(-1.0);
        if ms < 0.0 || fetched[1].as_u64() != Some(100) {
            return Err(format!("the backend's first page failed: {fetched}").into());
        }
        fetch_ms.push(ms);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let opened = number(&app, OPEN_INBOX).await?;
        open_ms.push(opened.as_f64().ok_or("no time from the page")?);
    }

    // Memory: idle on the inbox, then while the whole list is scrolled (sampled every
    // 250 ms by a thread while the page scrolls).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle_kib = env.app_memory_pss_kib()?;
    let roots = env.app_pids()?;
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(pss_of_tree_kib(&roots).unwrap_or(0));
                std::thread::sleep(Duration::from_millis(250));
            }
            peak
        })
    };
    app.update_timeouts(TimeoutConfiguration::new(
        Some(Duration::from_secs(3600)),
        None,
        None,
    ))
    .await?;
    let scrolled = app.execute_async(SCROLL_ALL, vec![json!(count)]).await;
    stop.store(true, Ordering::Relaxed);
    let peak_kib = sampler.join().map_err(|_| "the memory sampler failed")?;
    let scrolled = scrolled?;
    let shown = scrolled[0].as_i64().unwrap_or(-1);
    if shown + 1 != count as i64 {
        return Err(format!("scrolling stopped at row {shown} of {count}").into());
    }
    let scroll_secs = scrolled[1].as_f64().unwrap_or(0.0) / 1000.0;
    let steps = scrolled[2].as_u64().unwrap_or(0);
    let end_kib = env.app_memory_pss_kib()?;
    let peak_kib = peak_kib.max(end_kib);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let settled_kib = env.app_memory_pss_kib()?;
    env.screenshot("scrolled-to-end")?;

    Ok(json!({
        "reviews": count,
        "seed_s": seed_secs,
        "runs": runs,
        "open_to_rows_ms": open_ms.clone(),
        "open_to_rows_median_ms": median(&mut open_ms),
        "backend_first_page_median_ms": median(&mut fetch_ms),
        "idle_on_inbox_mib": idle_kib as f64 / 1024.0,
        "scroll_peak_mib": peak_kib as f64 / 1024.0,
        "scroll_end_mib": settled_kib as f64 / 1024.0,
        "scroll_all_s": scroll_secs,
        "scroll_steps": steps,
    }))
}

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-dashboard.sh"]
async fn inbox_opening_and_scrolling() -> Result<()> {
    let counts: Vec<u64> = std::env::var("BENCH_REVIEWS")
        .unwrap_or_else(|_| "10000,100000".to_owned())
        .split(',')
        .map(|c| c.trim().parse())
        .collect::<std::result::Result<_, _>>()?;
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let out = std::env::var("BENCH_OUT").unwrap_or_else(|_| "inbox-bench.jsonl".to_owned());
    let mut file = std::fs::File::create(&out)?;
    for count in counts {
        let line = bench_count(count, runs).await?;
        eprintln!("{line}");
        writeln!(file, "{line}")?;
    }
    Ok(())
}
