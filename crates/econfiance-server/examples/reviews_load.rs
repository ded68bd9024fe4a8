//! Latency benchmark of the dashboard API (summary, first page of the inbox, a filtered
//! page, a search), one request at a time, against a running server on loopback. Run
//! through `scripts/bench-dashboard.sh`, which seeds the companies and writes the results
//! to BENCHMARKS.md.
//!
//! Usage: `reviews_load <base-url> <ca-file> <email> <password> <label> <iterations>`;
//! prints one Markdown table row per request kind, measured `iterations` times after 10
//! unmeasured warm-up requests. Any answer but 200 is counted as an error.

use std::time::Instant;

use serde_json::{json, Value};

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, ca, email, password, label, iterations] = args.as_slice() else {
        return Err(
            "usage: reviews_load <url> <ca-file> <email> <password> <label> <iterations>".into(),
        );
    };
    let iterations: usize = iterations.parse()?;
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(ca)?)?)
        .build()?;
    let login: Value = http
        .post(format!("{url}/v1/auth/token"))
        .json(
            &json!({"grant_type": "password", "email": email, "password": password,
            "device": {"name": "bench", "os": "Linux", "app_version": "bench"}}),
        )
        .send()
        .await?
        .json()
        .await?;
    let access = login["access_token"]
        .as_str()
        .ok_or_else(|| format!("password login refused: {login}"))?
        .to_owned();

    // What the app asks when the dashboard and the inbox open, when a filter is chosen,
    // and when a word is typed in the search box (100 rows per page, as the inbox asks).
    let kinds: [(&str, &str); 4] = [
        ("summary (30 days + 12 months)", "/v1/dashboard/summary"),
        ("first page (100 rows)", "/v1/reviews?limit=100"),
        (
            "filtered page: 1–2 stars, unanswered",
            "/v1/reviews?limit=100&stars=1,2&answered=false",
        ),
        (
            "search \"recommande\"",
            "/v1/reviews?limit=100&q=recommande",
        ),
    ];
    let mut out = String::new();
    for (name, path) in kinds {
        let target = format!("{url}{path}");
        let mut latencies = Vec::with_capacity(iterations);
        let mut errors = 0u64;
        let mut rows = 0u64;
        for i in 0..iterations + 10 {
            let started = Instant::now();
            let answer = http.get(&target).bearer_auth(&access).send().await;
            let body = match answer {
                Ok(r) if r.status().is_success() => r.bytes().await.ok(),
                _ => None,
            };
            let us = started.elapsed().as_micros() as u64;
            if i < 10 {
                continue;
            }
            match body {
                Some(b) => {
                    latencies.push(us);
                    let v: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
                    rows = v["total"].as_u64().unwrap_or(rows);
                }
                None => errors += 1,
            }
        }
        latencies.sort_unstable();
        let matched = if path.contains("/reviews") {
            rows.to_string()
        } else {
            "–".to_owned()
        };
        out.push_str(&format!(
            "| {label} | {name} | {matched} | {} | {errors} | {:.2} | {:.2} |\n",
            latencies.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
        ));
    }
    use std::io::Write;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}
