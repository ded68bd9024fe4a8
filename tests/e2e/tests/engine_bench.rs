//! Benchmark: the same UI bundle in this app's window and in Debian's Chromium with `--app`
//! (which stands for the Electron-based clients: the same engine). Not a test: ignored by
//! `cargo test`, run by `scripts/bench-engines.sh`.
//!
//! Both run the UI's benchmark mode (`index.html?bench=N&scroll=1`, `ui/src/bench/`): fixture
//! data through the UI's Backend interface, no server, no driver. The page marks, on the
//! wall clock, the dashboard's figures painted and the end of a scroll through all N reviews
//! of the inbox (it scrolls by itself after `idle` ms); each engine prints the marks (the
//! app with ECONFIANCE_PERF_MARKS, Chromium with --enable-logging). Per run, alternating
//! which engine goes first, each with a fresh profile, on the same Xvfb display, window
//! 1100×720:
//! - cold start: process spawned → dashboard painted;
//! - memory: PSS summed over the engine's whole process tree, idle on the dashboard, and
//!   after the scroll through all reviews.
//!
//! Chromium runs as the unprivileged user `econfiance-bench` (created by the script), so
//! that its sandbox stays on as on a user's machine; the app runs as the invoking user.
//! The bundle is served to Chromium over loopback HTTP (from the page cache after the first
//! run); the app serves it from its binary.
//!
//! Settings (environment): `BENCH_RUNS` (default 5), `BENCH_REVIEWS` (default 100000),
//! `BENCH_APP_VARIANTS` (the app's `ECONFIANCE_WEBKIT_TUNING` values to run, comma-separated;
//! default: the app as built),
//! `BENCH_OUT` (JSON lines, one per engine and run), `BENCH_DIST` (the built bundle,
//! default `ui/dist`).

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use econfiance_e2e::{
    app_binary, find_mark, mark_detail, now_ms, pss_of_tree_kib, Result, TestEnv,
};
use serde_json::json;

const CHROMIUM_USER: &str = "econfiance-bench";
/// How long the page stays idle on the dashboard before it scrolls (memory sampled in it).
const IDLE_MS: u64 = 6000;

fn wait_mark(log: &Path, name: &str, after: u128, limit: Duration) -> Result<u128> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(t) = find_mark(log, name, after) {
            return Ok(t);
        }
        if Instant::now() > deadline {
            return Err(format!("no mark `{name}` in {} within {limit:?}", log.display()).into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Serves the built bundle on a loopback port, as a plain static host would (tower-http's
/// `ServeDir`, on its own thread and runtime).
fn serve_bundle(dist: &Path) -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let app = axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dist));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                let _ = axum::serve(listener, app).await;
            }
        });
    });
    Ok(port)
}

fn user_ids(name: &str) -> Result<(u32, u32)> {
    let id = |flag: &str| -> Result<u32> {
        let out = Command::new("id").args([flag, name]).output()?;
        if !out.status.success() {
            return Err(format!("no user {name}: run scripts/bench-engines.sh").into());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    };
    Ok((id("-u")?, id("-g")?))
}

/// Kills a process group (the engine and every process it started).
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
}

/// This app in the benchmark mode, with a fresh profile; `engine` may name a WebKit tuning
/// (`app:<ECONFIANCE_WEBKIT_TUNING>`).
fn app_command(env: &TestEnv, engine: &str, profile: &Path, query: &str) -> Result<Command> {
    let p = |d: &str| profile.join(d);
    let mut cmd = env.command(app_binary()?);
    if let Some(tuning) = engine.strip_prefix("app:") {
        cmd.env("ECONFIANCE_WEBKIT_TUNING", tuning);
    }
    cmd.arg("--benchmark-page")
        .arg(query)
        // The app as users run it: WebKit's own compositing choice.
        .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE")
        .env("XDG_DATA_HOME", p("data"))
        .env("XDG_CACHE_HOME", p("cache"))
        .env("XDG_CONFIG_HOME", p("config"))
        .env("ECONFIANCE_LOG", "warn");
    Ok(cmd)
}

/// Debian's Chromium with `--app`, as the unprivileged bench user, with a fresh profile.
fn chromium_command(
    display: &str,
    profile: &Path,
    port: u16,
    query: &str,
    uid: u32,
    gid: u32,
) -> Command {
    let mut cmd = Command::new("chromium");
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("DISPLAY", display)
        .env("HOME", profile)
        .env("LANG", "fr_FR.UTF-8")
        .args([
            "--no-first-run",
            "--no-default-browser-check",
            "--password-store=basic",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1100,720",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.join("chromium").display()
        ))
        .arg(format!("--app=http://127.0.0.1:{port}/index.html?{query}"))
        .uid(uid)
        .gid(gid);
    cmd
}

struct Run {
    cold_start_ms: u128,
    /// Where the cold start went: spawn → the page's navigation, → its script running, →
    /// the app mounted, → the dashboard painted (from the page's own marks).
    to_navigation_ms: u128,
    navigation_to_script_ms: u128,
    script_to_mounted_ms: u128,
    mounted_to_painted_ms: u128,
    idle_pss_kib: u64,
    scrolled_pss_kib: u64,
    scroll_ms: u128,
}

/// Runs one engine until the scroll is done; `spawn` starts it (in its own process group,
/// output to `log`).
/// Its time is taken only once the frame it marks shows all `reviews` in the review count
/// (not a blank or an error frame).
fn measure(log: &Path, reviews: u64, spawn: impl FnOnce() -> Result<Child>) -> Result<Run> {
    let t0 = now_ms();
    let mut child = spawn()?;
    let result = (|| -> Result<Run> {
        let painted = wait_mark(log, "dashboard-painted", t0, Duration::from_secs(60))?;
        let count = mark_detail(log, "dashboard-painted", t0, "count");
        if count.as_deref() != Some(reviews.to_string().as_str()) {
            return Err(format!("the dashboard painted the count {count:?}, not {reviews}").into());
        }
        // Idle on the dashboard: sampled 4 s after the paint, before the page scrolls.
        let idle_at = painted + 4000;
        let wait = idle_at.saturating_sub(now_ms());
        std::thread::sleep(Duration::from_millis(wait as u64));
        let idle_pss_kib = pss_of_tree_kib(&[child.id()])?;
        let started = wait_mark(log, "scroll-start", t0, Duration::from_secs(60))?;
        let done = wait_mark(log, "scrolled-all", t0, Duration::from_secs(900))?;
        std::thread::sleep(Duration::from_secs(1));
        let scrolled_pss_kib = pss_of_tree_kib(&[child.id()])?;
        let at = |name: &str| find_mark(log, name, 0).unwrap_or(0);
        let (navigation, script, mounted) = (
            at("navigation-start"),
            at("script-start"),
            at("app-mounted"),
        );
        Ok(Run {
            cold_start_ms: painted - t0,
            to_navigation_ms: navigation.saturating_sub(t0),
            navigation_to_script_ms: script.saturating_sub(navigation),
            script_to_mounted_ms: mounted.saturating_sub(script),
            mounted_to_painted_ms: painted.saturating_sub(mounted),
            idle_pss_kib,
            scrolled_pss_kib,
            scroll_ms: done - started,
        })
    })();
    kill_group(&mut child);
    result
}

#[test]
#[ignore = "benchmark: run by scripts/bench-engines.sh"]
fn engines_side_by_side() -> Result<()> {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let reviews: u64 = std::env::var("BENCH_REVIEWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let out = std::env::var("BENCH_OUT").unwrap_or_else(|_| "engines.jsonl".into());
    let dist = std::env::var("BENCH_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist"));
    let (uid, gid) = user_ids(CHROMIUM_USER)?;
    let env = TestEnv::start("bench_engines")?;
    let port = serve_bundle(&dist)?;
    let query = format!("bench={reviews}&scroll=1&idle={IDLE_MS}");
    let mut jsonl = std::fs::File::create(&out)?;

    let variants: Vec<String> = std::env::var("BENCH_APP_VARIANTS")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.split(',').map(|s| format!("app:{}", s.trim())).collect())
        .unwrap_or_else(|| vec!["app".to_owned()]);
    for run in 0..runs {
        let mut order: Vec<String> = variants.clone();
        order.push("chromium".to_owned());
        // Alternate which goes first.
        if run % 2 == 1 {
            order.reverse();
        }
        for engine in order {
            let engine = engine.as_str();
            let profile = tempfile::Builder::new()
                .prefix("econfiance-bench-profile-")
                .tempdir()?;
            std::os::unix::fs::chown(profile.path(), Some(uid), Some(gid))?;
            let log = env
                .artifacts
                .join(format!("{}-{run}.log", engine.replace(':', "-")));
            let output = std::fs::File::create(&log)?;
            let measured = measure(&log, reviews, || {
                let mut cmd = if engine == "chromium" {
                    chromium_command(&env.display, profile.path(), port, &query, uid, gid)
                } else {
                    app_command(&env, engine, profile.path(), &query)?
                };
                Ok(cmd
                    .stdin(Stdio::null())
                    .stdout(output.try_clone()?)
                    .stderr(output)
                    .process_group(0)
                    .spawn()?)
            })?;
            let line = json!({
                "engine": engine,
                "run": run,
                "reviews": reviews,
                "cold_start_ms": measured.cold_start_ms,
                "to_navigation_ms": measured.to_navigation_ms,
                "navigation_to_script_ms": measured.navigation_to_script_ms,
                "script_to_mounted_ms": measured.script_to_mounted_ms,
                "mounted_to_painted_ms": measured.mounted_to_painted_ms,
                "idle_pss_mib": measured.idle_pss_kib as f64 / 1024.0,
                "scrolled_pss_mib": measured.scrolled_pss_kib as f64 / 1024.0,
                "scroll_s": measured.scroll_ms as f64 / 1000.0,
            });
            eprintln!("{line}");
            writeln!(jsonl, "{line}")?;
            // Let the machine settle between runs.
            std::thread::sleep(Duration::from_secs(2));
        }
    }
    Ok(())
}
