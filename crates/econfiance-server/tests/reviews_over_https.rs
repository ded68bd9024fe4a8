//! The review inbox and dashboard over HTTPS: every filter, paging that stays stable while
//! reviews arrive, accent-folded search, the reply's limits, flags, the CSV export's
//! escaping, the events feed, the summary, the trust index — and one company never
//! reaching another's reviews, whatever id it guesses.

use econfiance_integration as support;

use econfiance_server::db::Dialect;
use econfiance_server::fixtures::{add_review, seed_reviews, NewReview};
use reqwest::Method;
use serde_json::{json, Value};
use support::{start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@fromagerie-exemple.fr";

async fn company(h: &Harness, user: &str) -> String {
    sqlx::query_scalar("SELECT company_id FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&h.ctx.db)
        .await
        .expect("company")
}

/// A user with `n` seeded reviews: (access token, company id).
async fn owner_with_reviews(h: &Harness, email: &str, n: u32, seed: u64) -> (String, String) {
    let user = h.create_user(email, None).await;
    let company = company(h, &user).await;
    seed_reviews(&h.ctx.db, &company, n, h.clock.now(), seed)
        .await
        .expect("seeded");
    let tokens = h.login(email).await;
    (
        tokens["access_token"].as_str().expect("access").to_owned(),
        company,
    )
}

async fn page(h: &Harness, token: &str, query: &str) -> Value {
    let (s, body) = h.get(&format!("/v1/reviews?{query}"), Some(token)).await;
    assert_eq!(s, 200, "{query}: {body}");
    body
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn sql_count(h: &Harness, company: &str, condition: &'static str) -> u64 {
    let sql = format!("SELECT COUNT(*) FROM reviews WHERE company_id = $1 AND {condition}");
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(company)
        .fetch_one(&h.ctx.db)
        .await
        .expect("count");
    n as u64
}

#[tokio::test]
async fn every_filter_keeps_exactly_what_it_says() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 600, 1).await;

    let all = page(&h, &token, "limit=200").await;
    assert_eq!(all["total"], 600);
    assert_eq!(items(&all).len(), 200);

    let low = page(&h, &token, "stars=1,2&limit=200").await;
    assert_eq!(
        low["total"].as_u64(),
        Some(sql_count(&h, &company, "rating <= 2").await)
    );
    assert!(items(&low).iter().all(|r| r["rating"].as_u64() <= Some(2)));

    for status in ["published", "pending", "rejected"] {
        let p = page(&h, &token, &format!("status={status}&limit=200")).await;
        assert!(items(&p).iter().all(|r| r["status"] == status), "{status}");
        assert!(
            p["total"].as_u64() > Some(0),
            "the seed has {status} reviews"
        );
    }
    let rejected = page(&h, &token, "status=rejected").await;
    assert!(items(&rejected)
        .iter()
        .all(|r| r["rejection_reason"].is_string()));

    let waiting = page(&h, &token, "answered=false&status=published&limit=200").await;
    assert!(items(&waiting).iter().all(|r| r["reply"].is_null()));
    let answered = page(&h, &token, "answered=true&limit=200").await;
    assert!(items(&answered)
        .iter()
        .all(|r| r["reply"]["body"].is_string()));
    assert_eq!(
        answered["total"].as_u64(),
        Some(sql_count(&h, &company, "reply_body IS NOT NULL").await)
    );

    // Dates: a window of the seed's two years, by submission day (Paris).
    let window = page(&h, &token, "from=2026-01-01&to=2026-03-31&limit=200").await;
    for r in items(&window) {
        let day = &r["submitted_at"].as_str().expect("date")[..10];
        assert!(("2025-12-31".."2026-04-01").contains(&day), "{day}");
    }

    let (s, body) = h.get("/v1/reviews?stars=6", Some(&token)).await;
    assert_eq!((s, body["code"].as_str()), (400, Some("invalid_request")));
    let (s, _) = h.get("/v1/reviews?from=27/11/2026", Some(&token)).await;
    assert_eq!(s, 400);
    // What the document forbids is refused with `{code, message}`, not served: a page
    // size past its maximum or of zero, an unknown status, a value of the wrong type, a
    // stars list with spaces, an empty or padded date.
    for query in [
        "limit=201",
        "limit=0",
        "status=archived",
        "answered=1",
        "stars=1,%202",
        "from=",
        "to=%202026-01-01",
    ] {
        let (s, body) = h.get(&format!("/v1/reviews?{query}"), Some(&token)).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (400, Some("invalid_request")),
            "{query}: {body}"
        );
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{query}"
        );
    }
}

#[tokio::test]
async fn paging_is_stable_while_reviews_arrive() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 300, 2).await;
    let reference: Vec<String> = items(&page(&h, &token, "limit=200").await)
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();

    let first = page(&h, &token, "limit=50").await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("more pages")
        .to_owned();
    // Meanwhile, five new reviews arrive.
    for _ in 0..5 {
        h.clock.advance(1);
        let new = NewReview {
            rating: 4,
            title: None,
            body: None,
            author: None,
        };
        add_review(&h.ctx.db, &company, new, h.clock.now())
            .await
            .expect("added");
    }
    let second = page(&h, &token, &format!("limit=50&cursor={cursor}")).await;
    let ids: Vec<String> = items(&first)
        .iter()
        .chain(items(&second).iter())
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids, reference[..100], "no review skipped or shown twice");
    assert_eq!(second["total"], 305, "the total counts the new ones");

    let (s, _) = h.get("/v1/reviews?cursor=nonsense", Some(&token)).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn search_ignores_accents_and_case_and_treats_input_as_text() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 50, 3).await;
    let id = add_review(
        &h.ctx.db,
        &company,
        NewReview {
            rating: 5,
            title: Some("Pâtisserie exceptionnelle"),
            body: Some("Un éclair au café mémorable et une crème brûlée parfaite."),
            author: Some("Hélène"),
        },
        h.clock.now(),
    )
    .await
    .expect("added");
    for q in [
        "creme brulee",
        "CRÈME BRÛLÉE",
        "eclair cafe",
        "patiss",
        "helene",
    ] {
        let found = page(&h, &token, &format!("q={}", urlencode(q))).await;
        assert!(
            items(&found).iter().any(|r| r["id"] == id.as_str()),
            "`{q}` finds the review"
        );
    }
    let none = page(&h, &token, "q=zzzxqw").await;
    assert_eq!(none["total"], 0);
    // What each engine matches beyond that. PostgreSQL stems French words: a typed plural
    // finds the singular, and a word that carries no meaning alone ("une") finds nothing.
    // SQLite matches typed words as prefixes of the words as written.
    let plural = page(&h, &token, "q=memorables").await;
    let plural_found = items(&plural).iter().any(|r| r["id"] == id.as_str());
    let stop_word = page(&h, &token, "q=une").await;
    let stop_word_total = stop_word["total"].as_u64().expect("a total");
    match Dialect::of(&h.ctx.db) {
        Dialect::Postgres => {
            assert!(plural_found, "PostgreSQL: `memorables` finds « mémorable »");
            assert_eq!(stop_word_total, 0, "PostgreSQL: `une` alone finds nothing");
        }
        Dialect::Sqlite => {
            assert!(
                !plural_found,
                "SQLite: `memorables` is no prefix of « mémorable »"
            );
            assert!(stop_word_total >= 1, "SQLite: `une` finds « une crème »");
        }
    }
    // FTS syntax in the input is just text.
    for q in ["\" OR 1=1 --", "NEAR(a b)", "*", "title:x"] {
        let (s, _) = h
            .get(&format!("/v1/reviews?q={}", urlencode(q)), Some(&token))
            .await;
        assert_eq!(s, 200, "{q}");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_reply_is_written_edited_deleted_within_its_limits_and_flags_are_kept() {
    let h = start().await;
    let (token, _) = owner_with_reviews(&h, MARIE, 20, 4).await;
    let waiting = page(&h, &token, "answered=false&status=published").await;
    let id = items(&waiting)[0]["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/reviews/{id}/reply");

    let (s, r) = h
        .authed(
            Method::PUT,
            &path,
            &token,
            Some(json!({"body": "Merci beaucoup !"})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["reply"]["body"], "Merci beaucoup !");
    assert!(r["reply"]["updated_at"].is_null());
    h.clock.advance(60);
    let (_, r) = h
        .authed(
            Method::PUT,
            &path,
            &token,
            Some(json!({"body": "Merci, à bientôt !"})),
        )
        .await;
    assert_eq!(r["reply"]["body"], "Merci, à bientôt !");
    assert!(r["reply"]["updated_at"].is_string(), "edited");

    // 4096 characters fit, counted as owners count them (é is one character, two bytes in
    // UTF-8; an emoji is one, four bytes); one more does not; blank does not.
    let max = format!("{}{}", "é".repeat(4000), "🙂".repeat(96));
    let (s, _) = h
        .authed(Method::PUT, &path, &token, Some(json!({"body": max})))
        .await;
    assert_eq!(s, 200);
    let (s, body) = h
        .authed(
            Method::PUT,
            &path,
            &token,
            Some(json!({"body": format!("{max}a")})),
        )
        .await;
    assert_eq!(s, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("4097"),
        "{body}"
    );
    let (s, _) = h
        .authed(Method::PUT, &path, &token, Some(json!({"body": "  "})))
        .await;
    assert_eq!(s, 400);

    let (s, _) = h.authed(Method::DELETE, &path, &token, None).await;
    assert_eq!(s, 204);
    let (_, r) = h.get(&format!("/v1/reviews/{id}"), Some(&token)).await;
    assert!(r["reply"].is_null());

    let flags = format!("/v1/reviews/{id}/flags");
    let (s, _) = h
        .authed(Method::POST, &flags, &token, Some(json!({"reason": ""})))
        .await;
    assert_eq!(s, 400);
    let (s, _) = h
        .authed(
            Method::POST,
            &flags,
            &token,
            Some(json!({"reason": "Pas un client"})),
        )
        .await;
    assert_eq!(s, 204);
    let (_, r) = h.get(&format!("/v1/reviews/{id}"), Some(&token)).await;
    assert_eq!(r["flags"], 1);
}

#[tokio::test]
async fn one_company_never_reaches_anothers_reviews() {
    let h = start().await;
    let (marie, _) = owner_with_reviews(&h, MARIE, 30, 5).await;
    let (paul, _) = owner_with_reviews(&h, PAUL, 30, 6).await;
    let maries_ids: Vec<String> = items(&page(&h, &marie, "limit=200").await)
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let pauls = items(&page(&h, &paul, "limit=200").await);
    assert!(pauls
        .iter()
        .all(|r| !maries_ids.contains(&r["id"].as_str().unwrap_or_default().to_owned())));
    let target = &maries_ids[0];
    let (s, _) = h.get(&format!("/v1/reviews/{target}"), Some(&paul)).await;
    assert_eq!(s, 404);
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{target}/reply"),
            &paul,
            Some(json!({"body": "pirate"})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/reviews/{target}/reply"),
            &paul,
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = h
        .authed(
            Method::POST,
            &format!("/v1/reviews/{target}/flags"),
            &paul,
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(s, 404);
    let (_, r) = h.get(&format!("/v1/reviews/{target}"), Some(&marie)).await;
    assert_eq!(r["flags"], 0, "nothing changed on Marie's review");
    assert!(r["reply"].is_null(), "nothing changed on Marie's review");
    let (s, _) = h.get("/v1/reviews", None).await;
    assert_eq!(s, 401);

    // Nor through what lists or exports everything: the CSV, the events feed, the GDPR
    // export.
    let text_of = |path: &'static str, token: &str| {
        let request = h.http.get(format!("{}{path}", h.url)).bearer_auth(token);
        async move {
            let response = request.send().await.expect("send");
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.expect("body")
        }
    };
    let csv = text_of("/v1/reviews/export.csv", &paul).await;
    assert_eq!(
        csv.matches("\r\n").count() - 1,
        30,
        "Paul's 30 reviews, no more"
    );
    let events = text_of("/v1/reviews/events?after=0", &paul).await;
    let export = text_of("/v1/me/export", &paul).await;
    for (what, text) in [("csv", &csv), ("events", &events), ("export", &export)] {
        assert!(!text.contains(MARIE), "{what} names Marie");
        for id in &maries_ids {
            assert!(
                !text.contains(id.as_str()),
                "{what} holds Marie's review {id}"
            );
        }
    }
}

#[tokio::test]
async fn the_csv_export_opens_in_excel_and_neutralises_formulas() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 40, 7).await;
    add_review(
        &h.ctx.db,
        &company,
        NewReview {
            rating: 1,
            title: Some("=HYPERLINK(\"http://evil\";\"clic\")"),
            body: Some("Avis ; avec \"guillemets\"\net retour à la ligne"),
            author: Some("@pirate"),
        },
        h.clock.now(),
    )
    .await
    .expect("added");
    let r = h
        .http
        .get(format!("{}/v1/reviews/export.csv?stars=1", h.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/csv"));
    let bytes = r.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("\"Date de soumission\";\"Date de l'expérience\""),
        "{header}"
    );
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\";\"\"clic\"\")\""),
        "{text}"
    );
    assert!(text.contains("\"'@pirate\""));
    assert!(text.contains("\"Avis ; avec \"\"guillemets\"\"\net retour à la ligne\""));
    let rows = text.matches("\r\n").count() - 1;
    assert_eq!(rows as u64, sql_count(&h, &company, "rating = 1").await);
    // Statuses and sources in the file's language, not the API's words.
    assert!(text.contains("\"publié\""), "{text}");
    for english in ["\"published\"", "\"pending\"", "\"organic\"", "\"import\""] {
        assert!(!text.contains(english), "{english} in the French CSV");
    }
}

#[tokio::test]
async fn the_events_feed_announces_new_reviews_after_a_position() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 10, 8).await;
    let (_, start_page) = h.get("/v1/reviews/events", Some(&token)).await;
    let last = start_page["last_seq"].as_i64().expect("position");
    assert!(start_page["events"].as_array().is_some_and(Vec::is_empty));
    let id = add_review(
        &h.ctx.db,
        &company,
        NewReview {
            rating: 2,
            title: Some("Livraison en retard"),
            body: None,
            author: None,
        },
        h.clock.now(),
    )
    .await
    .expect("added");
    let (_, next) = h
        .get(&format!("/v1/reviews/events?after={last}"), Some(&token))
        .await;
    let events = next["events"].as_array().cloned().unwrap_or_default();
    assert_eq!(events.len(), 1, "{next}");
    assert_eq!(events[0]["kind"], "review_created");
    assert_eq!(events[0]["review"]["id"], id.as_str());
    assert_eq!(events[0]["review"]["rating"], 2);
    let (_, again) = h
        .get(
            &format!("/v1/reviews/events?after={}", next["last_seq"]),
            Some(&token),
        )
        .await;
    assert!(again["events"].as_array().is_some_and(Vec::is_empty));
    // Another company's new review is not in Marie's feed.
    let (paul, paul_company) = owner_with_reviews(&h, PAUL, 1, 9).await;
    add_review(
        &h.ctx.db,
        &paul_company,
        NewReview {
            rating: 5,
            title: None,
            body: None,
            author: None,
        },
        h.clock.now(),
    )
    .await
    .expect("added");
    let (_, marie_feed) = h
        .get(
            &format!("/v1/reviews/events?after={}", next["last_seq"]),
            Some(&token),
        )
        .await;
    assert!(marie_feed["events"].as_array().is_some_and(Vec::is_empty));
    let (_, paul_feed) = h.get("/v1/reviews/events?after=0", Some(&paul)).await;
    assert_eq!(paul_feed["events"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_summary_and_trust_index_add_up() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 400, 10).await;
    let (s, sum) = h.get("/v1/dashboard/summary", Some(&token)).await;
    assert_eq!(s, 200, "{sum}");
    let published = sql_count(&h, &company, "status = 'published'").await;
    assert_eq!(sum["count"].as_u64(), Some(published));
    let distribution: u64 = sum["distribution"]
        .as_array()
        .expect("5 counts")
        .iter()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(distribution, published);
    let average = sum["average"].as_f64().expect("average");
    assert!((1.0..=5.0).contains(&average));
    assert_eq!(sum["monthly"].as_array().map(Vec::len), Some(12));
    // The 12 Paris months together hold every review since the first one's first midnight.
    let first = sum["monthly"][0]["month"]
        .as_str()
        .expect("month")
        .to_owned();
    let since =
        econfiance_server::reviews::paris_day_start(&format!("{first}-01"), false).expect("day");
    let in_months: u64 = sum["monthly"]
        .as_array()
        .expect("months")
        .iter()
        .filter_map(|m| m["count"].as_u64())
        .sum();
    let sql_since: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reviews WHERE company_id = $1 AND submitted_at >= $2",
    )
    .bind(&company)
    .bind(since)
    .fetch_one(&h.ctx.db)
    .await
    .expect("count");
    assert_eq!(in_months, sql_since as u64);
    let waiting = sql_count(&h, &company, "status = 'published' AND reply_body IS NULL").await;
    assert_eq!(sum["awaiting_answer"].as_u64(), Some(waiting));
    let rate = sum["response_rate"].as_f64().expect("rate");
    let expected = (published - waiting) as f64 * 100.0 / published as f64;
    assert!((rate - expected).abs() < 0.1, "{rate} vs {expected}");
    assert!(sum["median_response_hours"]
        .as_f64()
        .is_some_and(|m| m > 0.0));

    let (_, trust) = h.get("/v1/company/trust-index", Some(&token)).await;
    assert_eq!(trust["points"].as_array().map(Vec::len), Some(6));
    // 4 passed, 1 partial, 1 pending in the seed: (4 + 0.5) / 6.
    assert_eq!(trust["score"], 75);
    assert_eq!(trust["points"][0]["label"], "Mentions légales");
}

#[tokio::test]
async fn any_period_gives_its_own_figures_and_the_previous_period_of_the_same_length() {
    let h = start().await;
    let (token, company) = owner_with_reviews(&h, MARIE, 400, 11).await;
    let (_, default) = h.get("/v1/dashboard/summary", Some(&token)).await;
    let to = default["to"].as_str().expect("to").to_owned();
    let day =
        |d: &str, end: bool| econfiance_server::reviews::paris_day_start(d, end).expect("day");
    let in_range = |a: i64, b: i64| {
        let (db, company) = (h.ctx.db.clone(), company.clone());
        async move {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM reviews WHERE company_id = $1 AND submitted_at >= $2 AND submitted_at < $3",
            )
            .bind(&company).bind(a).bind(b).fetch_one(&db).await.expect("count");
            let (avg,): (Option<f64>,) = sqlx::query_as(
                "SELECT CAST(AVG(rating) AS DOUBLE PRECISION) FROM reviews WHERE company_id = $1 AND status = 'published' AND submitted_at >= $2 AND submitted_at < $3",
            )
            .bind(&company).bind(a).bind(b).fetch_one(&db).await.expect("avg");
            (n as u64, avg.map(|x| (x * 10.0).round() / 10.0))
        }
    };
    let to_date: jiff::civil::Date = to.parse().expect("date");
    for days_back in [6i64, 29, 364] {
        let from = to_date
            .checked_sub(jiff::Span::new().days(days_back))
            .expect("from")
            .to_string();
        let (s, sum) = h
            .get(
                &format!("/v1/dashboard/summary?from={from}&to={to}"),
                Some(&token),
            )
            .await;
        assert_eq!(s, 200, "{sum}");
        let (start, end) = (day(&from, false), day(&to, true));
        let (n, avg) = in_range(start, end).await;
        let (prev_n, prev_avg) = in_range(start - (end - start), start).await;
        assert_eq!(sum["new_reviews"].as_u64(), Some(n), "{days_back}");
        assert_eq!(sum["period_average"].as_f64(), avg, "{days_back}");
        assert_eq!(
            sum["previous_new_reviews"].as_u64(),
            Some(prev_n),
            "{days_back}"
        );
        assert_eq!(sum["previous_average"].as_f64(), prev_avg, "{days_back}");
    }
    // A year holds more new reviews than a week of it.
    let week = to_date
        .checked_sub(jiff::Span::new().days(6))
        .expect("w")
        .to_string();
    let year = to_date
        .checked_sub(jiff::Span::new().days(364))
        .expect("y")
        .to_string();
    let (_, w) = h
        .get(
            &format!("/v1/dashboard/summary?from={week}&to={to}"),
            Some(&token),
        )
        .await;
    let (_, y) = h
        .get(
            &format!("/v1/dashboard/summary?from={year}&to={to}"),
            Some(&token),
        )
        .await;
    assert!(
        y["new_reviews"].as_u64() > w["new_reviews"].as_u64(),
        "{w} {y}"
    );
    let (s, body) = h
        .get(
            &format!("/v1/dashboard/summary?from={to}&to={week}"),
            Some(&token),
        )
        .await;
    assert_eq!((s, body["code"].as_str()), (400, Some("invalid_request")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_still_being_written_is_never_passed_by_a_later_one() {
    // A reader keeps the highest position it saw: a position committed after a higher one
    // would never reach it. Writer A holds its event uncommitted while writer B adds one.
    let h = start().await;
    let user = h.create_user(MARIE, None).await;
    let company = company(&h, &user).await;
    let mut a = h.ctx.db.begin().await.expect("A's transaction");
    let a_seq = econfiance_server::reviews::feed::record(
        &mut a,
        &company,
        "review_created",
        "rv_a",
        h.clock.now(),
    )
    .await
    .expect("A's event");
    let b = {
        let (db, company, now) = (h.ctx.db.clone(), company.clone(), h.clock.now());
        tokio::spawn(async move {
            let new = NewReview {
                rating: 2,
                title: None,
                body: None,
                author: None,
            };
            add_review(&db, &company, new, now).await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    // What a reader sees now, and keeps as its position.
    let seen: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM review_events WHERE company_id = $1")
            .bind(&company)
            .fetch_one(&h.ctx.db)
            .await
            .expect("the feed's position");
    a.commit().await.expect("A commits");
    b.await.expect("B").expect("B's review");
    let after: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM review_events WHERE company_id = $1 AND seq > $2")
            .bind(&company)
            .bind(seen.unwrap_or(0))
            .fetch_all(&h.ctx.db)
            .await
            .expect("what the reader asks for next");
    assert!(
        after.contains(&a_seq),
        "A's event ({a_seq}) lies behind the position the reader kept ({seen:?})"
    );
}
