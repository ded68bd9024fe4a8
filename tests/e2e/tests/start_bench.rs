//! Benchmark of the app alone against the real sandbox server (not a test: ignored by
//! `cargo test`, run by `scripts/bench-engines.sh` after the engine comparison). Release
//! build, Xvfb, the real keyring, 1,000 reviews:
//! - warm start: a stored session, the app started → the dashboard painted;
//! - a login link opened by the OS (`gio open` of the mail's link) → the dashboard painted,
//!   with the app running (the second process hands the link over and exits) and with it
//!   closed (the OS starts it with the link);
//! - beside two floors, measured in the same run: the network floor, the app's process start
//!   (`e-confiance --version`: the same binary and libraries, no window) plus two HTTPS round
//!   trips on loopback (a new TLS connection, then a second request on it) — what opening a
//!   link cannot do without; and the engine floor, the same binary spawned to paint an empty
//!   page in its window (`--benchmark-page floor`) — what the window and WebKit cost before
//!   any of the app's own work, once per round;
//! - each dashboard time is taken only once the frame it marks shows the seeded review
//!   count (the mark carries the count painted);
//! - the second process alone, as the OS starts it for a link while the app runs: spawn →
//!   exit, written by the launcher the handler's desktop entry runs.
//!
//! The times come from the page's marks (wall clock, printed with ECONFIANCE_PERF_MARKS=1).
//! Settings (environment): `BENCH_RUNS` (default 9), `BENCH_OUT` (one JSON object),
//! `BENCH_START_VARIANTS` (the app's hidden `--start-tuning` values to compare, alternated
//! round by round; default `all`, the app as shipped; `all@opt3` runs the build named `opt3`
//! in `BENCH_START_BINARIES`, e.g. `opt3=/path/to/e-confiance`).

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use econfiance_e2e::{
    app_binary, click, fill, find_mark, first_https_link, mark_detail, now_ms, Result, TestEnv,
};

const OWNER: &str = "bench@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";
/// The reviews seeded.
const REVIEWS: usize = 1000;

/// The review count the dashboard must show (the seeded reviews that are published), as
/// the server tells it to the account signed in with its password.
async fn published_count(env: &TestEnv) -> Result<String> {
    let http = env.https()?;
    let token: serde_json::Value = http
        .post(format!("{}/v1/auth/token", env.server_url))
        .json(&serde_json::json!({
            "grant_type": "password", "email": OWNER, "password": PASSWORD,
            "device": {"name": "benchmark", "os": "Linux", "app_version": "0"},
        }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let access = token["access_token"].as_str().ok_or("no access token")?;
    let summary: serde_json::Value = http
        .get(format!("{}/v1/dashboard/summary", env.server_url))
        .bearer_auth(access)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let count = summary["count"].as_u64().ok_or("no count in the summary")?;
    Ok(count.to_string())
}

/// The time of the mark `name` in `log` after `after`, once its frame is known to show the
/// review count `expected` (not a blank or an error frame).
async fn painted_with_figures(log: &Path, name: &str, after: u128, expected: &str) -> Result<u128> {
    let t = wait_mark(log, name, after).await?;
    let count = mark_detail(log, name, after, "count");
    if count.as_deref() != Some(expected) {
        return Err(format!("`{name}` painted the count {count:?}, not {expected}").into());
    }
    Ok(t)
}

async fn wait_mark(log: &Path, name: &str, after: u128) -> Result<u128> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(t) = find_mark(log, name, after) {
            return Ok(t);
        }
        if Instant::now() > deadline {
            return Err(format!("no mark `{name}` in {}", log.display()).into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Asks the app on the login screen for a link and returns the deep link of the new mail.
async fn ask_link(env: &TestEnv, app: &fantoccini::Client, previous: &str) -> Result<String> {
    env.wait_for_text(app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(app, "email", OWNER).await?;
    click(app, "send-link").await?;
    env.wait_for_text(app, "[data-testid=sent-to]", OWNER)
        .await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mail = env.wait_for_mail(OWNER, "Votre lien de connexion").await?;
        let landing = first_https_link(&mail).ok_or("no link in the mail")?;
        if landing != previous {
            return Ok(landing);
        }
        if Instant::now() > deadline {
            return Err("no new login mail".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One variant measured: its name in the results, the app's `--start-tuning` value and
/// the build that runs.
struct Variant {
    name: String,
    tuning: String,
    binary: PathBuf,
}

/// The variants asked for: `BENCH_START_VARIANTS` (`all`, `lazy-session`, `all@opt3`…),
/// each `@build` found in `BENCH_START_BINARIES` (`opt3=/path/to/e-confiance,…`).
fn variants_asked() -> Result<Vec<Variant>> {
    let builds: HashMap<String, PathBuf> = std::env::var("BENCH_START_BINARIES")
        .unwrap_or_default()
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, path)| (name.to_owned(), PathBuf::from(path)))
        .collect();
    let mut variants = Vec::new();
    for name in std::env::var("BENCH_START_VARIANTS")
        .unwrap_or_else(|_| "all".into())
        .split(',')
    {
        let (tuning, binary) = match name.split_once('@') {
            None => (name, app_binary()?),
            Some((tuning, build)) => {
                let binary = builds
                    .get(build)
                    .ok_or_else(|| format!("no build `{build}` in BENCH_START_BINARIES"))?;
                (tuning, binary.clone())
            }
        };
        variants.push(Variant {
            name: name.to_owned(),
            tuning: tuning.to_owned(),
            binary,
        });
    }
    Ok(variants)
}

/// Where the launcher writes the second process's spawn and exit times, when the
/// environment of the `gio open` that starts it names this file.
const EXIT_LOG_VAR: &str = "ECONFIANCE_BENCH_EXIT_LOG";

/// Makes the app under test, with these start-up settings, the world's handler of
/// `econfiance://` (a release build does not register itself; its package does), through
/// a launcher that writes the process's spawn and exit times (ns) to `$EXIT_LOG_VAR`.
fn register_handler(env: &TestEnv, variant: &Variant) -> Result<()> {
    let launcher = env.data_home().join("econfiance-bench-launch");
    std::fs::write(
        &launcher,
        format!(
            "#!/bin/sh\nstart=$(date +%s%N)\n'{}' --start-tuning '{}' \"$@\"\ncode=$?\n\
             if [ -n \"${EXIT_LOG_VAR}\" ]; then echo \"$start $(date +%s%N)\" >> \"${EXIT_LOG_VAR}\"; fi\n\
             exit $code\n",
            variant.binary.display(),
            variant.tuning,
        ),
    )?;
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755))?;
    let apps = env.data_home().join("applications");
    std::fs::create_dir_all(&apps)?;
    std::fs::write(
        apps.join("econfiance-bench.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=e-confiance (benchmark)\n\
             Exec={} %u\n\
             MimeType=x-scheme-handler/econfiance;\nNoDisplay=true\n",
            launcher.display()
        ),
    )?;
    let status = env
        .command("xdg-mime")
        .args([
            "default",
            "econfiance-bench.desktop",
            "x-scheme-handler/econfiance",
        ])
        .status()?;
    if !status.success() {
        return Err("xdg-mime default failed".into());
    }
    Ok(())
}

/// Brings a freshly launched app to its login screen (logging out a stored session), then
/// waits out the server's "Renvoyer" cooldown (4 s in the test world) before a new link.
async fn to_login_screen(env: &TestEnv, app: &fantoccini::Client) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if !app
            .find_all(fantoccini::Locator::Css("[data-testid=logout]"))
            .await?
            .is_empty()
        {
            click(app, "logout").await?;
            break;
        }
        if !app
            .find_all(fantoccini::Locator::Css("[data-testid=email]"))
            .await?
            .is_empty()
        {
            break;
        }
        if Instant::now() > deadline {
            return Err("neither the login screen nor the dashboard".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    env.wait_for_count(app, "[data-testid=email]", 1).await?;
    tokio::time::sleep(Duration::from_millis(4500)).await;
    Ok(())
}

/// One variant's times, ms.
#[derive(Default)]
struct Times {
    running: Vec<f64>,
    handoff_exit: Vec<f64>,
    closed: Vec<f64>,
    warm: Vec<f64>,
    warm_fresh: Vec<f64>,
}

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-engines.sh"]
async fn start_and_links_against_the_sandbox() -> Result<()> {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    let out = std::env::var("BENCH_OUT").unwrap_or_else(|_| "start.json".into());
    // The app's `--start-tuning` values and builds to compare (`all` is the app as shipped).
    let variants = variants_asked()?;
    let env = TestEnv::start_with(
        "bench_start",
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", "fr_FR.UTF-8"),
            ("ECONFIANCE_PERF_MARKS", "1"),
            ("ECONFIANCE_LOG", "warn"),
        ],
    )?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    env.server_admin(&["reviews", "seed", OWNER, "--count", &REVIEWS.to_string()])?;
    let expected = published_count(&env).await?;
    let driver_log = env.artifacts.join("tauri-driver.log");
    let mut landing = String::new();
    let mut times: Vec<Times> = variants.iter().map(|_| Times::default()).collect();
    let mut engine_floor = Vec::new();

    // Rounds alternate the variants, each round measuring the three cases in turn.
    for round in 0..runs {
        engine_floor.push(engine_floor_once(&env, round).await?);
        for (variant, times) in variants.iter().zip(times.iter_mut()) {
            // A link opened while the app runs (on its login screen, having asked for it):
            // the second process hands it over and exits.
            register_handler(&env, variant)?;
            let app = env
                .launch_binary(&variant.binary, &["--start-tuning", &variant.tuning])
                .await?;
            to_login_screen(&env, &app).await?;
            landing = ask_link(&env, &app, &landing).await?;
            let link = env.deep_link_of_landing_page(&landing).await?;
            let exit_log = env.artifacts.join("second-process.log");
            let before = std::fs::read_to_string(&exit_log).unwrap_or_default();
            let t0 = now_ms();
            let status = env
                .command("gio")
                .env(EXIT_LOG_VAR, &exit_log)
                .args(["open", &link])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            assert!(status.success(), "gio open: {status}");
            let painted =
                painted_with_figures(&driver_log, "dashboard-painted", t0, &expected).await?;
            times.running.push((painted - t0) as f64);
            times
                .handoff_exit
                .push(second_process_ms(&exit_log, before.lines().count()).await?);

            // A link opened while the app is closed: the OS starts it with the link.
            to_login_screen(&env, &app).await?;
            landing = ask_link(&env, &app, &landing).await?;
            let link = env.deep_link_of_landing_page(&landing).await?;
            // Closed (the driver ends it): only the pending request stays, in the keyring.
            app.close().await?;
            env.kill_apps()?;
            let log = env
                .artifacts
                .join(format!("closed-{}-{round}.log", variant.name));
            let output = std::fs::File::create(&log)?;
            let t0 = now_ms();
            let status = env
                .command("gio")
                .args(["open", &link])
                .stdin(Stdio::null())
                .stdout(output.try_clone()?)
                .stderr(output)
                .status()?;
            assert!(status.success(), "gio open: {status}");
            let painted = painted_with_figures(&log, "dashboard-painted", t0, &expected).await?;
            times.closed.push((painted - t0) as f64);
            env.kill_apps()?;

            // Warm start: the session the last link opened is stored; the app started alone.
            let log = env
                .artifacts
                .join(format!("warm-{}-{round}.log", variant.name));
            let output = std::fs::File::create(&log)?;
            let t0 = now_ms();
            let _child = env
                .command(&variant.binary)
                .args(["--start-tuning", &variant.tuning])
                .stdin(Stdio::null())
                .stdout(output.try_clone()?)
                .stderr(output)
                .spawn()?;
            let painted = painted_with_figures(&log, "dashboard-painted", t0, &expected).await?;
            let fresh = wait_mark(&log, "dashboard-fresh", t0).await?;
            times.warm.push((painted - t0) as f64);
            times.warm_fresh.push((fresh - t0) as f64);
            env.kill_apps()?;
        }
    }
    finish(&env, runs, &variants, times, engine_floor, &out).await
}

/// The second process's spawn → exit, ms: the launcher's line after the first `known`
/// lines of `log` (it exits once the running app has the link, before or after the
/// dashboard is painted).
async fn second_process_ms(log: &Path, known: usize) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(line) = text.lines().nth(known) {
            let mut ns = line.split(' ').map(str::parse::<u128>);
            let (Some(Ok(start)), Some(Ok(end))) = (ns.next(), ns.next()) else {
                return Err(format!("not two times in {}: {line}", log.display()).into());
            };
            return Ok(end.saturating_sub(start) as f64 / 1e6);
        }
        if Instant::now() > deadline {
            return Err("the second process did not exit within 10 s".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The engine floor once: the app spawned on its empty page, to that page's first frame.
async fn engine_floor_once(env: &TestEnv, round: usize) -> Result<f64> {
    env.kill_apps()?;
    let log = env.artifacts.join(format!("floor-{round}.log"));
    let output = std::fs::File::create(&log)?;
    let t0 = now_ms();
    let _child = env
        .command(app_binary()?)
        .args(["--benchmark-page", "floor"])
        .stdin(Stdio::null())
        .stdout(output.try_clone()?)
        .stderr(output)
        .spawn()?;
    let painted = wait_mark(&log, "dashboard-painted", t0).await?;
    env.kill_apps()?;
    Ok((painted - t0) as f64)
}

async fn finish(
    env: &TestEnv,
    runs: usize,
    variants: &[Variant],
    times: Vec<Times>,
    mut engine_floor: Vec<f64>,
    out: &str,
) -> Result<()> {
    // The floor: the binary's process start, then two HTTPS round trips on loopback.
    let mut floor = Vec::new();
    let mut process_start = Vec::new();
    let mut round_trips = Vec::new();
    for _ in 0..runs.max(9) {
        let t = Instant::now();
        let status = Command::new(app_binary()?)
            .arg("--version")
            .stdout(Stdio::null())
            .status()?;
        assert!(status.success());
        let start = t.elapsed().as_secs_f64() * 1000.0;
        let http = env.https()?;
        let t = Instant::now();
        for _ in 0..2 {
            let answer = http
                .get(format!("{}/v1/status", env.server_url))
                .send()
                .await?;
            assert!(answer.status().is_success());
            answer.bytes().await?;
        }
        let trips = t.elapsed().as_secs_f64() * 1000.0;
        process_start.push(start);
        round_trips.push(trips);
        floor.push(start + trips);
    }

    let mut per_variant = serde_json::Map::new();
    for (variant, mut t) in variants.iter().zip(times) {
        // In the order measured (the medians below sort copies).
        let each = serde_json::json!({
            "warm": t.warm.clone(), "running": t.running.clone(), "closed": t.closed.clone(),
            "handoff_exit": t.handoff_exit.clone(),
        });
        per_variant.insert(
            variant.name.clone(),
            serde_json::json!({
                "warm_start_painted_ms": median(&mut t.warm),
                "warm_start_fresh_ms": median(&mut t.warm_fresh),
                "link_app_running_ms": median(&mut t.running),
                "handoff_exit_ms": median(&mut t.handoff_exit),
                "link_app_closed_ms": median(&mut t.closed),
                "each": each,
            }),
        );
    }
    let result = serde_json::json!({
        "runs": runs,
        "floor_ms": median(&mut floor),
        "floor_process_start_ms": median(&mut process_start),
        "floor_two_round_trips_ms": median(&mut round_trips),
        "engine_floor_each": engine_floor.clone(),
        "engine_floor_ms": median(&mut engine_floor),
        "variants": per_variant,
    });
    eprintln!("{result}");
    std::fs::write(out, result.to_string())?;
    Ok(())
}
