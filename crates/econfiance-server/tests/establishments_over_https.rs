//! Establishments over HTTPS: a company starts with its main one, which takes the
//! company's address at onboarding; an owner or manager adds, renames, closes and reopens
//! others, a reader may not; the figures for all establishments are each one's combined —
//! counts added up, the average weighted by review count, the median response time over
//! every review — computed here from each establishment's own figures and reviews; the
//! inbox filter; a closed establishment's reviews read but not answered; one company never
//! reaching another's establishments.

use econfiance_integration as support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{access, start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const LEA: &str = "lea@boulangerie-exemple.fr";
const JEAN: &str = "jean@garage-exemple.fr";

async fn add(h: &Harness, token: &str, name: &str) -> String {
    let (s, body) = h.authed(Method::POST,
        "/v1/establishments",
        token,
        Some(json!({"name": name, "address": "1 rue du Port", "postal_code": "69002", "city": "Lyon"})),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["closed"], false);
    body["id"].as_str().expect("id").to_owned()
}

async fn summary(h: &Harness, token: &str, establishment: Option<&str>) -> Value {
    let path = match establishment {
        Some(id) => format!("/v1/dashboard/summary?establishment={id}"),
        None => "/v1/dashboard/summary".to_owned(),
    };
    let (s, body) = h.get(&path, Some(token)).await;
    assert_eq!(s, 200, "{body}");
    body
}

#[tokio::test]
async fn a_company_starts_with_its_main_establishment_and_keeps_others_as_a_role_allows() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (_, list) = h.get("/v1/establishments", Some(&marie)).await;
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["main"], true);
    let (s, _) = h.authed(Method::PUT,
        "/v1/me/onboarding",
        &marie,
        Some(json!({
            "company": {"legal_name": "Boulangerie Exemple", "siret": "73282932000074", "address": "1 rue de la Paix",
                "postal_code": "75002", "city": "Paris", "website": "www.boulangerie-exemple.fr", "sector": "Boulangerie",
                "phone": "01 23 45 67 89"},
            "person": {"first_name": "Marie", "last_name": "Durand", "job_title": "Gérante", "phone": "06 12 34 56 78"}
        })),
    )
    .await;
    assert_eq!(s, 200);
    let (_, list) = h.get("/v1/establishments", Some(&marie)).await;
    assert_eq!(
        list[0]["city"], "Paris",
        "the main one takes the company's address"
    );

    let gare = add(&h, &marie, "Boulangerie Exemple — Gare").await;
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/establishments",
            &marie,
            Some(json!({"name": " ", "postal_code": "6900"})),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["name", "postal_code"]);

    // Renamed, closed, reopened.
    let (s, body) = h.authed(Method::PUT,
        &format!("/v1/establishments/{gare}"),
        &marie,
        Some(
            json!({"name": "Boulangerie Exemple — Gare Part-Dieu", "city": "Lyon", "closed": true}),
        ),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["closed"], true);
    assert_eq!(body["name"], "Boulangerie Exemple — Gare Part-Dieu");

    // A reader sees them and changes nothing; another company finds none of them.
    let invite = json!({"email": LEA, "role": "reader"});
    let (s, _) = h
        .authed(Method::POST, "/v1/team/invitations", &marie, Some(invite))
        .await;
    assert_eq!(s, 201);
    h.smtp.nth_to(LEA, 1).await;
    let lea = access(&h.login(LEA).await);
    let (s, list) = h.get("/v1/establishments", Some(&lea)).await;
    assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(2)));
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/establishments",
            &lea,
            Some(json!({"name": "Kiosque"})),
        )
        .await;
    assert_eq!((s, body["code"].as_str()), (403, Some("forbidden")));
    let jean = h.owner(JEAN).await;
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/establishments/{gare}"),
            &jean,
            Some(json!({"name": "Volé"})),
        )
        .await;
    assert_eq!(s, 404);
    let (_, theirs) = h.get("/v1/establishments", Some(&jean)).await;
    assert_eq!(theirs.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_figures_of_all_establishments_are_each_ones_combined() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (_, me) = h.get("/v1/me", Some(&marie)).await;
    let company = me["company_id"].as_str().expect("company").to_owned();
    let main = format!("et_{company}");
    let gare = add(&h, &marie, "Gare").await;
    let marche = add(&h, &marie, "Marché").await;
    let now = h.clock.now();
    for (index, (place, count)) in [(&main, 300), (&gare, 120), (&marche, 45)]
        .into_iter()
        .enumerate()
    {
        econfiance_server::fixtures::seed_reviews_at(
            &h.ctx.db,
            &company,
            place,
            count,
            now,
            40 + index as u64,
        )
        .await
        .expect("reviews");
    }

    let all = summary(&h, &marie, None).await;
    let parts = [
        summary(&h, &marie, Some(&main)).await,
        summary(&h, &marie, Some(&gare)).await,
        summary(&h, &marie, Some(&marche)).await,
    ];
    let sum = |field: &str| {
        parts
            .iter()
            .map(|p| p[field].as_u64().expect(field))
            .sum::<u64>()
    };
    for field in [
        "count",
        "new_reviews",
        "previous_new_reviews",
        "awaiting_answer",
    ] {
        assert_eq!(all[field].as_u64(), Some(sum(field)), "{field} adds up");
    }
    for star in 0..5 {
        let each: u64 = parts
            .iter()
            .map(|p| p["distribution"][star].as_u64().expect("stars"))
            .sum();
        assert_eq!(
            all["distribution"][star].as_u64(),
            Some(each),
            "{} stars",
            star + 1
        );
    }
    for month in 0..12 {
        let each: u64 = parts
            .iter()
            .map(|p| p["monthly"][month]["count"].as_u64().expect("month"))
            .sum();
        assert_eq!(
            all["monthly"][month]["count"].as_u64(),
            Some(each),
            "month {month}"
        );
    }
    // The average, weighted by review count (each part's exact average is its stars over
    // its count, from its distribution).
    let stars_and_count = |s: &Value| {
        let d: Vec<u64> = (0..5)
            .map(|i| s["distribution"][i].as_u64().expect("d"))
            .collect();
        let n: u64 = d.iter().sum();
        let stars: u64 = d.iter().enumerate().map(|(i, k)| (i as u64 + 1) * k).sum();
        (stars, n)
    };
    let (stars, n) = parts
        .iter()
        .map(stars_and_count)
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    let weighted = (stars as f64 / n as f64 * 10.0).round() / 10.0;
    assert_eq!(all["average"].as_f64(), Some(weighted));
    // The median response time over every answered review, not a median of medians.
    let mut delays: Vec<i64> = sqlx::query_scalar(
        "SELECT reply_created_at - submitted_at FROM reviews
         WHERE company_id = $1 AND status = 'published' AND reply_created_at IS NOT NULL",
    )
    .bind(&company)
    .fetch_all(&h.ctx.db)
    .await
    .expect("delays");
    delays.sort_unstable();
    let median = delays[delays.len() / 2];
    assert_eq!(
        all["median_response_hours"].as_f64(),
        Some((median as f64 / 3600.0 * 10.0).round() / 10.0)
    );
    // The establishments' list says the same per establishment.
    let (_, list) = h.get("/v1/establishments", Some(&marie)).await;
    for (part, id) in parts.iter().zip([&main, &gare, &marche]) {
        let row = list
            .as_array()
            .and_then(|l| l.iter().find(|e| e["id"] == id.as_str()))
            .expect("listed");
        assert_eq!(row["reviews"], part["count"], "{id}");
        assert_eq!(row["average"], part["average"], "{id}");
        assert_eq!(row["response_rate"], part["response_rate"], "{id}");
    }
}

#[tokio::test]
async fn the_inbox_filters_by_establishment_and_a_closed_ones_reviews_are_read_not_answered() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (_, me) = h.get("/v1/me", Some(&marie)).await;
    let company = me["company_id"].as_str().expect("company").to_owned();
    let gare = add(&h, &marie, "Gare").await;
    let now = h.clock.now();
    econfiance_server::fixtures::seed_reviews(&h.ctx.db, &company, 30, now, 1)
        .await
        .expect("main");
    econfiance_server::fixtures::seed_reviews_at(&h.ctx.db, &company, &gare, 12, now, 2)
        .await
        .expect("gare");
    let (s, page) = h
        .get(
            &format!("/v1/reviews?establishment={gare}&limit=100"),
            Some(&marie),
        )
        .await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["total"], 12, "{page}");
    let review = page["items"][0]["id"].as_str().expect("id").to_owned();
    let (_, all) = h.get("/v1/reviews?limit=1", Some(&marie)).await;
    assert_eq!(all["total"], 42);
    // An id longer than any is refused plainly, in the inbox and on the dashboard.
    let long = "e".repeat(65);
    for path in [
        format!("/v1/reviews?establishment={long}"),
        format!("/v1/dashboard/summary?establishment={long}"),
    ] {
        let (s, refused) = h.get(&path, Some(&marie)).await;
        assert_eq!(
            (s, refused["code"].as_str()),
            (400, Some("invalid_request")),
            "{path}"
        );
    }
    // Another company's establishment filters to nothing of this company.
    let jean = h.owner(JEAN).await;
    let (_, theirs) = h
        .get(&format!("/v1/reviews?establishment={gare}"), Some(&jean))
        .await;
    assert_eq!(theirs["total"], 0);

    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/establishments/{gare}"),
            &marie,
            Some(json!({"name": "Gare", "closed": true})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, refused) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{review}/reply"),
            &marie,
            Some(json!({"body": "Merci !"})),
        )
        .await;
    assert_eq!(
        (s, refused["code"].as_str()),
        (409, Some("establishment_closed")),
        "{refused}"
    );
    let (s, _) = h.get(&format!("/v1/reviews/{review}"), Some(&marie)).await;
    assert_eq!(s, 200, "still read");
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/establishments/{gare}"),
            &marie,
            Some(json!({"name": "Gare", "closed": false})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{review}/reply"),
            &marie,
            Some(json!({"body": "Merci !"})),
        )
        .await;
    assert_eq!(s, 200, "reopened: answered again {body}");
}
