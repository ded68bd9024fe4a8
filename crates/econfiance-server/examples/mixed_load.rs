//! Load test of the sandbox server on loopback with its real rate limits: `concurrency`
//! clients, each signed in as the owner of its own company, cycling for `seconds` through
//! a login-link request, a token refresh (rotating: each answer's token is the next
//! request's) and a reply to one of its reviews. Afterwards every acknowledged reply is read
//! back (a lost write is counted), and the server's resident memory is sampled every second.
//! Run by `scripts/bench-load.sh`, which writes the table to BENCHMARKS.md.
//!
//! Usage: `mixed_load <base-url> <ca-file> <seconds> <concurrency> <user-prefix> <password> <server-pid>`;
//! with several server instances, `<base-url>` and `<server-pid>` are comma-separated lists:
//! client `i` talks to instance `i mod n`, and memory is the instances' sum. Accounts `<user-prefix>0..<concurrency>@bench.test` must exist with that password and
//! have unanswered reviews. Exits non-zero if any request failed other than by a rate
//! limit, or a write was lost.

// A benchmark driver prints its table for the script that runs it.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[derive(Default, Clone)]
struct Stats {
    latencies_us: Vec<u64>,
    ok: u64,
    limited: u64,
    errors: u64,
}

impl Stats {
    fn merge(&mut self, other: &Stats) {
        self.latencies_us.extend(&other.latencies_us);
        self.ok += other.ok;
        self.limited += other.limited;
        self.errors += other.errors;
    }

    fn record(&mut self, status: Option<u16>, started: Instant, ok: bool) {
        self.latencies_us.push(started.elapsed().as_micros() as u64);
        match status {
            Some(429) => self.limited += 1,
            _ if ok => self.ok += 1,
            _ => self.errors += 1,
        }
    }

    fn line(&mut self, name: &str, seconds: f64) -> String {
        self.latencies_us.sort_unstable();
        let pct = |p: f64| {
            let n = self.latencies_us.len();
            if n == 0 {
                return 0.0;
            }
            self.latencies_us[((n as f64 - 1.0) * p).round() as usize] as f64 / 1000.0
        };
        format!(
            "| {name} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            self.ok,
            self.limited,
            self.errors,
            self.ok as f64 / seconds,
            pct(0.5),
            pct(0.9),
            pct(0.99)
        )
    }
}

#[derive(Default)]
struct Client {
    login_requests: Stats,
    refreshes: Stats,
    replies: Stats,
    /// The last acknowledged text of each review this client answered.
    acknowledged: HashMap<String, String>,
}

fn device() -> Value {
    json!({"name": "load", "os": "Linux", "app_version": "load"})
}

fn rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, urls, ca, seconds, concurrency, prefix, password, server_pids] = args.as_slice() else {
        return Err("usage: mixed_load <url> <ca-file> <seconds> <concurrency> <user-prefix> <password> <server-pid>".into());
    };
    let urls: Vec<String> = urls.split(',').map(str::to_owned).collect();
    let url = urls[0].clone();
    let seconds: u64 = seconds.parse()?;
    let concurrency: usize = concurrency.parse()?;
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(ca)?)?)
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()?;

    // Sign every client in (password, argon2) and list its unanswered reviews, before the clock.
    let mut sessions = Vec::new();
    for worker in 0..concurrency {
        let email = format!("{prefix}{worker}@bench.test");
        let tokens: Value = http
            .post(format!("{url}/v1/auth/token"))
            .json(&json!({"grant_type": "password", "email": email, "password": password, "device": device()}))
            .send()
            .await?
            .json()
            .await?;
        let access = tokens["access_token"]
            .as_str()
            .ok_or("no access token")?
            .to_owned();
        let refresh = tokens["refresh_token"]
            .as_str()
            .ok_or("no refresh token")?
            .to_owned();
        let page: Value = http
            .get(format!(
                "{url}/v1/reviews?answered=false&status=published&limit=200"
            ))
            .bearer_auth(&access)
            .send()
            .await?
            .json()
            .await?;
        let ids: Vec<String> = page["items"]
            .as_array()
            .ok_or("no reviews")?
            .iter()
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect();
        sessions.push((email, access, refresh, ids));
    }

    // Memory, every second, from the start of the load to its end.
    let pids: Vec<String> = server_pids.split(',').map(str::to_owned).collect();
    let sampling = tokio::spawn(async move {
        let mut samples = Vec::new();
        let end = Instant::now() + Duration::from_secs(seconds);
        while Instant::now() < end {
            let each: Option<Vec<u64>> = pids.iter().map(|pid| rss_kib(pid)).collect();
            if let Some(each) = each {
                samples.push(each.iter().sum());
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        samples
    });

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (worker, (email, mut access, mut refresh, ids)) in sessions.into_iter().enumerate() {
        let (http, url) = (http.clone(), urls[worker % urls.len()].clone());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::default();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let t0 = Instant::now();
                match n % 3 {
                    0 => {
                        let answer = http
                            .post(format!("{url}/v1/auth/login-requests"))
                            .json(&json!({"email": email, "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256", "device": device()}))
                            .send()
                            .await;
                        let status = answer.as_ref().ok().map(|a| a.status().as_u16());
                        client.login_requests.record(status, t0, status == Some(202));
                    }
                    1 => {
                        let answer = http
                            .post(format!("{url}/v1/auth/token"))
                            .json(&json!({"grant_type": "refresh_token", "refresh_token": refresh}))
                            .send()
                            .await;
                        let status = answer.as_ref().ok().map(|a| a.status().as_u16());
                        let body: Option<Value> = match answer {
                            Ok(a) if a.status().is_success() => a.json().await.ok(),
                            _ => None,
                        };
                        let rotated = body.as_ref().and_then(|b| {
                            Some((b["access_token"].as_str()?.to_owned(), b["refresh_token"].as_str()?.to_owned()))
                        });
                        client.refreshes.record(status, t0, rotated.is_some());
                        if let Some((a, r)) = rotated {
                            access = a;
                            refresh = r;
                        }
                    }
                    _ => {
                        let Some(id) = ids.get((n / 3) as usize % ids.len().max(1)) else {
                            n += 1;
                            continue;
                        };
                        let text = format!("Merci ! (client {worker}, écriture {n})");
                        let answer = http
                            .put(format!("{url}/v1/reviews/{id}/reply"))
                            .bearer_auth(&access)
                            .json(&json!({ "body": text }))
                            .send()
                            .await;
                        let status = answer.as_ref().ok().map(|a| a.status().as_u16());
                        let ok = status == Some(200);
                        client.replies.record(status, t0, ok);
                        if ok {
                            client.acknowledged.insert(id.clone(), text);
                        }
                    }
                }
                n += 1;
            }
            (client, access)
        }));
    }
    let mut clients = Vec::new();
    for t in tasks {
        clients.push(t.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let samples = sampling.await?;

    // No lost write: every acknowledged reply reads back as acknowledged.
    let (mut acknowledged, mut lost) = (0u64, 0u64);
    for (client, access) in &clients {
        for (id, text) in &client.acknowledged {
            acknowledged += 1;
            let review: Value = http
                .get(format!("{url}/v1/reviews/{id}"))
                .bearer_auth(access)
                .send()
                .await?
                .json()
                .await?;
            if review["reply"]["body"].as_str() != Some(text.as_str()) {
                lost += 1;
            }
        }
    }

    let (mut logins, mut refreshes, mut replies) =
        (Stats::default(), Stats::default(), Stats::default());
    for (c, _) in &clients {
        logins.merge(&c.login_requests);
        refreshes.merge(&c.refreshes);
        replies.merge(&c.replies);
    }
    println!("| request | ok | refused by a rate limit (429) | other errors | ok/s | median ms | p90 ms | p99 ms |");
    println!("|---|---|---|---|---|---|---|---|");
    println!("{}", logins.line("login-link request", elapsed));
    println!("{}", refreshes.line("token refresh (rotating)", elapsed));
    println!("{}", replies.line("reply written", elapsed));
    println!();
    println!(
        "Replies acknowledged (the last of each review): {acknowledged}; read back after the run: {}; lost: {lost}.",
        acknowledged - lost
    );
    let mib = |kib: u64| kib as f64 / 1024.0;
    if let (Some(first), Some(last), Some(peak)) =
        (samples.first(), samples.last(), samples.iter().max())
    {
        let quarter = |q: usize| samples[(samples.len() - 1) * q / 4];
        println!(
            "Server resident memory (VmRSS of every instance, summed, sampled every second, {} samples): start {:.1} MiB, at 25 / 50 / 75 % of the run {:.1} / {:.1} / {:.1} MiB, end {:.1} MiB, peak {:.1} MiB.",
            samples.len(),
            mib(*first),
            mib(quarter(1)),
            mib(quarter(2)),
            mib(quarter(3)),
            mib(*last),
            mib(*peak)
        );
    }
    let errors = logins.errors + refreshes.errors + replies.errors;
    if errors > 0 || lost > 0 {
        return Err(format!(
            "{errors} request(s) failed other than by a rate limit, {lost} write(s) lost"
        )
        .into());
    }
    Ok(())
}
