//! Load and timing benchmark of the auth API, against a running server on loopback.
//! Run through `scripts/bench-server.sh`, which starts a release server and writes the
//! results to BENCHMARKS.md.
//!
//! Why a Rust driver rather than a fixed-body tool (oha, wrk): a refresh token is single-use
//! (presenting one twice revokes the session), so every refresh request must carry the
//! token the previous answer returned.
//!
//! Usage: `auth_load <base-url> <ca-file> <seconds> <concurrency> <user-prefix> <password>`;
//! accounts `<user-prefix>0..<concurrency>@bench.test` must exist with that password.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[derive(Default)]
struct Stats {
    latencies_us: Vec<u64>,
    ok: u64,
    errors: u64,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.latencies_us.extend(other.latencies_us);
        self.ok += other.ok;
        self.errors += other.errors;
    }

    fn line(&mut self, name: &str, seconds: Option<f64>) -> String {
        self.latencies_us.sort_unstable();
        let pct = |p: f64| {
            let n = self.latencies_us.len();
            if n == 0 {
                return 0.0;
            }
            let idx = ((n as f64 - 1.0) * p).round() as usize;
            self.latencies_us[idx] as f64 / 1000.0
        };
        let rate = seconds.map_or("–".to_owned(), |s| format!("{:.0}", self.ok as f64 / s));
        format!(
            "| {name} | {} | {} | {rate} | {:.2} | {:.2} | {:.2} |",
            self.ok,
            self.errors,
            pct(0.5),
            pct(0.9),
            pct(0.99)
        )
    }
}

fn challenge() -> String {
    // A fixed, valid S256 challenge: the server only stores it.
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned()
}

fn device() -> Value {
    json!({"name": "bench", "os": "Linux", "app_version": "bench"})
}

async fn login_request(http: &reqwest::Client, url: &str, email: &str) -> (bool, u64) {
    let started = Instant::now();
    let ok = http
        .post(format!("{url}/v1/auth/login-requests"))
        .json(&json!({"email": email, "code_challenge": challenge(), "code_challenge_method": "S256", "device": device()}))
        .send()
        .await
        .map(|r| r.status().as_u16() == 202)
        .unwrap_or(false);
    (ok, started.elapsed().as_micros() as u64)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, ca, seconds, concurrency, prefix, password] = args.as_slice() else {
        return Err(
            "usage: auth_load <url> <ca-file> <seconds> <concurrency> <user-prefix> <password>"
                .into(),
        );
    };
    let seconds: u64 = seconds.parse()?;
    let concurrency: usize = concurrency.parse()?;
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(ca)?)?)
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let url = Arc::new(url.clone());

    // 1. Timing of known and unknown e-mails: alternating, one at a time, 300 each.
    let mut known = Stats::default();
    let mut unknown = Stats::default();
    for i in 0..600 {
        let (stats, email) = if i % 2 == 0 {
            (
                &mut known,
                format!("{prefix}{}@bench.test", i % concurrency),
            )
        } else {
            (&mut unknown, format!("nobody{i}@bench.test"))
        };
        let (ok, us) = login_request(&http, &url, &email).await;
        stats.latencies_us.push(us);
        if ok {
            stats.ok += 1
        } else {
            stats.errors += 1
        }
    }

    // 1b. The same for a password login with a wrong password: a known e-mail is checked
    //     against its argon2 hash, an unknown one against a dummy hash (the same work).
    let mut known_password = Stats::default();
    let mut unknown_password = Stats::default();
    for i in 0..100 {
        let (stats, email) = if i % 2 == 0 {
            (
                &mut known_password,
                format!("{prefix}{}@bench.test", i % concurrency),
            )
        } else {
            (&mut unknown_password, format!("nobody-pw{i}@bench.test"))
        };
        let started = Instant::now();
        let refused = http
            .post(format!("{url}/v1/auth/token"))
            .json(&json!({"grant_type": "password", "email": email, "password": "not the password", "device": device()}))
            .send()
            .await
            .map(|r| r.status().as_u16() == 401)
            .unwrap_or(false);
        stats
            .latencies_us
            .push(started.elapsed().as_micros() as u64);
        if refused {
            stats.ok += 1
        } else {
            stats.errors += 1
        }
    }

    // 2. Login requests under load: `concurrency` clients for `seconds`.
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (http, url, prefix) = (http.clone(), url.clone(), prefix.clone());
        tasks.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let email = if n.is_multiple_of(2) {
                    format!("{prefix}{worker}@bench.test")
                } else {
                    format!("nobody-{worker}-{n}@bench.test")
                };
                let (ok, us) = login_request(&http, &url, &email).await;
                stats.latencies_us.push(us);
                if ok {
                    stats.ok += 1
                } else {
                    stats.errors += 1
                }
                n += 1;
            }
            stats
        }));
    }
    let started = Instant::now();
    let mut requests = Stats::default();
    for t in tasks {
        requests.merge(t.await?);
    }
    let requests_secs = started.elapsed().as_secs_f64();

    // 3. Token refresh under load: each client logs in once, then all rotate their
    //    tokens from the same instant for `seconds`.
    let start = tokio::time::Instant::now() + Duration::from_secs(3);
    let end = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (http, url, prefix, password) =
            (http.clone(), url.clone(), prefix.clone(), password.clone());
        tasks.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            let login: Value = match http
                .post(format!("{url}/v1/auth/token"))
                .json(&json!({"grant_type": "password", "email": format!("{prefix}{worker}@bench.test"), "password": password, "device": device()}))
                .send()
                .await
            {
                Ok(r) => r.json().await.unwrap_or(Value::Null),
                Err(_) => Value::Null,
            };
            let mut token = login["refresh_token"].as_str().unwrap_or_default().to_owned();
            if token.is_empty() {
                stats.errors += 1;
            }
            tokio::time::sleep_until(start).await;
            while tokio::time::Instant::now() < end && !token.is_empty() {
                let t0 = Instant::now();
                let answer: Option<Value> = match http
                    .post(format!("{url}/v1/auth/token"))
                    .json(&json!({"grant_type": "refresh_token", "refresh_token": token}))
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => r.json().await.ok(),
                    _ => None,
                };
                stats.latencies_us.push(t0.elapsed().as_micros() as u64);
                match answer.and_then(|a| a["refresh_token"].as_str().map(str::to_owned)) {
                    Some(next) => {
                        stats.ok += 1;
                        token = next;
                    }
                    None => {
                        stats.errors += 1;
                        token.clear();
                    }
                }
            }
            stats
        }));
    }
    let mut refresh = Stats::default();
    for t in tasks {
        refresh.merge(t.await?);
    }
    let refresh_secs = tokio::time::Instant::now()
        .duration_since(start)
        .as_secs_f64();

    let mut out = std::io::stdout().lock();
    use std::io::Write;
    writeln!(
        out,
        "| run | ok | errors | req/s | median ms | p90 ms | p99 ms |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    writeln!(
        out,
        "{}",
        requests.line(
            &format!("login requests, {concurrency} clients, {seconds} s"),
            Some(requests_secs)
        )
    )?;
    writeln!(
        out,
        "{}",
        refresh.line(
            &format!("token refresh, {concurrency} clients, {seconds} s"),
            Some(refresh_secs)
        )
    )?;
    writeln!(
        out,
        "{}",
        known.line("login request, known e-mail, one at a time (300)", None)
    )?;
    writeln!(
        out,
        "{}",
        unknown.line("login request, unknown e-mail, one at a time (300)", None)
    )?;
    writeln!(
        out,
        "{}",
        known_password.line("wrong password, known e-mail, one at a time (50)", None)
    )?;
    writeln!(
        out,
        "{}",
        unknown_password.line("wrong password, unknown e-mail, one at a time (50)", None)
    )?;
    let ratio = |known: &Stats, unknown: &Stats, p: f64| {
        let at = |v: &Vec<u64>| v[((v.len() as f64 - 1.0) * p).round() as usize] as f64;
        at(&known.latencies_us) / at(&unknown.latencies_us).max(1.0)
    };
    writeln!(out)?;
    writeln!(
        out,
        "Known ÷ unknown e-mail latency, same run: login requests median {:.2}, p90 {:.2}, p99 {:.2}; wrong passwords median {:.2}, p90 {:.2}, p99 {:.2}.",
        ratio(&known, &unknown, 0.5),
        ratio(&known, &unknown, 0.9),
        ratio(&known, &unknown, 0.99),
        ratio(&known_password, &unknown_password, 0.5),
        ratio(&known_password, &unknown_password, 0.9),
        ratio(&known_password, &unknown_password, 0.99)
    )?;
    Ok(())
}
