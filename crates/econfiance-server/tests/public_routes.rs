//! The routes anyone may call without an account are limited per client address: a flood
//! from one address is answered 429 while another address is served, one address cannot
//! book every demo slot or mail anyone through support in a loop, and what it may store is
//! capped. Each client connects from its own loopback address.

use econfiance_integration as support;

use econfiance_server::config::Limits;
use serde_json::{json, Value};
use support::{start, start_configured, start_with, Harness};

async fn slots(h: &Harness, n: usize) -> Vec<String> {
    let (status, body) = h.get("/v1/demo/slots", None).await;
    assert_eq!(status, 200, "{body}");
    body["days"]
        .as_array()
        .expect("days")
        .iter()
        .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| s["start"].as_str().map(str::to_owned))
        .take(n)
        .collect()
}

fn booking(slot: &str, i: usize) -> Value {
    json!({"name": "Camille Martin", "company": "Fleurs & Co", "email": format!("client{i}@exemple.fr"),
           "phone": "01 23 45 67 89", "slot_start": slot, "message": null})
}

#[tokio::test]
async fn one_address_cannot_book_every_demo_slot() {
    let h = start().await;
    let free = slots(&h, 6).await;
    let attacker = h.client_from("127.0.0.2");
    let mut statuses = Vec::new();
    for (i, slot) in free.iter().take(5).enumerate() {
        statuses.push(
            h.post_from(&attacker, "/v1/demo/requests", booking(slot, i))
                .await,
        );
    }
    let booked = statuses.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(booked, 3, "{statuses:?}");
    assert_eq!(statuses[4].0, 429, "{statuses:?}");
    assert_eq!(statuses[4].1["code"], "rate_limited");
    // Someone else still books.
    let other = h.client_from("127.0.0.3");
    let (status, body) = h
        .post_from(&other, "/v1/demo/requests", booking(&free[5], 9))
        .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn one_address_cannot_mail_anyone_through_support_in_a_loop() {
    // The per-e-mail limiter (5 at once per e-mail and address) is lifted, so that what
    // refuses below is the cap on messages, not it.
    let h = start_with(Limits {
        per_email_burst: 1_000,
        ..Limits::default()
    })
    .await;
    let ticket = |i: usize| {
        json!({"category": "connexion", "subject": "Je ne reçois pas le lien",
               "message": "Rien dans mes courriers indésirables.",
               "contact_email": format!("victime{i}@exemple.fr")})
    };
    let attacker = h.client_from("127.0.0.2");
    let mut statuses = Vec::new();
    for i in 0..7 {
        statuses.push(
            h.post_from(&attacker, "/v1/support/tickets", ticket(i))
                .await
                .0,
        );
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(statuses[6], 429, "{statuses:?}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM support_tickets")
        .fetch_one(&h.ctx.db)
        .await
        .expect("count");
    assert_eq!(stored, 5, "refused messages are not stored");
    let other = h.client_from("127.0.0.3");
    assert_eq!(
        h.post_from(&other, "/v1/support/tickets", ticket(9))
            .await
            .0,
        201
    );

    // A signed-in owner behind the same address (a shared office connection) is counted
    // by account, not by address: still served, up to the same cap of their own.
    h.create_user("owner@garage-exemple.fr", None).await;
    let owner = h.login("owner@garage-exemple.fr").await;
    let token = owner["access_token"].as_str().expect("token");
    let mut signed_in = Vec::new();
    for _ in 0..6 {
        let answer = attacker
            .post(format!("{}/v1/support/tickets", h.url))
            .bearer_auth(token)
            .json(&json!({"category": "bug", "subject": "Export", "message": "Le CSV est vide."}))
            .send()
            .await
            .expect("send");
        signed_in.push(answer.status().as_u16());
    }
    assert_eq!(signed_in, [201, 201, 201, 201, 201, 429], "{signed_in:?}");
    let of_the_account: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM support_tickets t JOIN users u ON u.id = t.user_id WHERE u.email = $1",
    )
    .bind("owner@garage-exemple.fr")
    .fetch_one(&h.ctx.db)
    .await
    .expect("count");
    assert_eq!(of_the_account, 5, "the sixth message was not stored");
}

#[tokio::test]
async fn a_flood_of_any_public_route_from_one_address_is_answered_429() {
    let h = start_with(Limits {
        per_ip_burst: 3,
        per_ip_every_ms: 60_000,
        resend_cooldown_secs: 0,
        ..Limits::default()
    })
    .await;
    let reset_form = [
        ("request", "rq_x"),
        ("token", "t"),
        ("password", "p"),
        ("confirm", "p"),
    ];
    for (i, route) in [
        "/v1/demo/slots",
        "/auth/link?request=rq_x&code=AAAA-AAAA",
        "/auth/reset",
        "/download",
        "/v1/status",
        "/avis/entreprise/inconnu",
    ]
    .into_iter()
    .enumerate()
    {
        let flooder = h.client_from(&format!("127.0.1.{}", i + 2));
        let mut last = 0;
        for _ in 0..5 {
            let request = if route == "/auth/reset" {
                flooder.post(format!("{}{route}", h.url)).form(&reset_form)
            } else {
                flooder.get(format!("{}{route}", h.url))
            };
            last = request.send().await.expect("send").status().as_u16();
        }
        assert_eq!(last, 429, "{route} is not limited per address");
        let other = h.client_from(&format!("127.0.2.{}", i + 2));
        let status = other
            .get(format!("{}/v1/demo/slots", h.url))
            .send()
            .await
            .expect("send")
            .status()
            .as_u16();
        assert_eq!(
            status, 200,
            "another address is refused after {route}'s flood"
        );
    }
}

/// `GET /v1/status` from `client` with `X-Forwarded-For: forwarded`: the status code.
async fn status_as(h: &Harness, client: &reqwest::Client, forwarded: &str) -> u16 {
    client
        .get(format!("{}/v1/status", h.url))
        .header("x-forwarded-for", forwarded)
        .send()
        .await
        .expect("send")
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit_and_nobody_else_chooses_theirs() {
    let h = start_configured(|config| {
        config.limits.per_ip_burst = 3;
        config.limits.per_ip_every_ms = 60_000;
        config.trusted_proxies = "127.0.0.2".parse().expect("list");
    })
    .await;
    // The load balancer (127.0.0.2) forwards two clients: each has its own allowance.
    let balancer = h.client_from("127.0.0.2");
    let mut first = Vec::new();
    for _ in 0..4 {
        first.push(status_as(&h, &balancer, "203.0.113.7").await);
    }
    assert_eq!(first, [200, 200, 200, 429], "{first:?}");
    assert_eq!(status_as(&h, &balancer, "203.0.113.8").await, 200);
    // A client connecting directly cannot pick a fresh address with the header.
    let direct = h.client_from("127.0.0.3");
    let mut spoofed = Vec::new();
    for i in 0..4 {
        spoofed.push(status_as(&h, &direct, &format!("198.51.100.{i}")).await);
    }
    assert_eq!(spoofed, [200, 200, 200, 429], "{spoofed:?}");
}

#[tokio::test]
async fn a_refused_support_message_says_when_the_next_one_fits() {
    let h = start_with(Limits {
        per_email_burst: 1_000,
        ..Limits::default()
    })
    .await;
    let client = h.client_from("127.0.0.4");
    let ticket = json!({"category": "connexion", "subject": "Lien", "message": "Rien reçu.",
                        "contact_email": "contact@exemple.fr"});
    for _ in 0..5 {
        assert_eq!(
            h.post_from(&client, "/v1/support/tickets", ticket.clone())
                .await
                .0,
            201
        );
    }
    // 1,000 s after the oldest of the five, it leaves the hour in 2,600 s: not a whole hour.
    // (The clock runs on: the answer may come a second later than set.)
    let oldest: i64 = sqlx::query_scalar("SELECT MIN(created_at) FROM support_tickets")
        .fetch_one(&h.ctx.db)
        .await
        .expect("the oldest ticket");
    h.set_now(oldest + 1_000);
    let before = h.clock.now();
    let refused = client
        .post(format!("{}/v1/support/tickets", h.url))
        .json(&ticket)
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status().as_u16(), 429);
    let retry: i64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    let after = h.clock.now();
    assert!(
        (oldest + 3_600 - after..=oldest + 3_600 - before).contains(&retry),
        "Retry-After {retry}, expected {} (the clock moved {} s meanwhile)",
        oldest + 3_600 - before,
        after - before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_caps_per_address_hold_under_concurrent_sends() {
    // Counted in the statement that stores: on PostgreSQL, concurrent statements would each
    // see fewer than the cap without the lock the server takes per address.
    let h = start_with(Limits {
        per_email_burst: 1_000,
        ..Limits::default()
    })
    .await;
    let attacker = h.client_from("127.0.0.2");
    let sends = (0..50).map(|i| {
        let ticket = json!({"category": "connexion", "subject": "Je ne reçois pas le lien", "message": "Rien dans mes courriers indésirables.",
                            "contact_email": format!("victime{i}@exemple.fr")});
        let attacker = attacker.clone();
        let h = &h;
        async move { h.post_from(&attacker, "/v1/support/tickets", ticket).await.0 }
    });
    let statuses = futures::future::join_all(sends).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        5,
        "{statuses:?}"
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM support_tickets")
        .fetch_one(&h.ctx.db)
        .await
        .expect("count");
    assert_eq!(stored, 5);

    let free = slots(&h, 12).await;
    let books = free.iter().enumerate().map(|(i, slot)| {
        let attacker = attacker.clone();
        let h = &h;
        async move {
            h.post_from(&attacker, "/v1/demo/requests", booking(slot, i))
                .await
                .0
        }
    });
    let statuses = futures::future::join_all(books).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
}
