//! E-mail alerts over HTTPS with the mail captured over SMTP: the settings and their
//! refusals; a mail for a new review at or below the chosen rating, to that company's
//! users only; the weekly digest sent once per week however many runs claim it; the stop
//! link changing nothing on GET and everything on POST.

use econfiance_integration as support;

use econfiance_server::alerts::{digest_period, run_once};
use econfiance_server::fixtures::{add_review, NewReview};
use reqwest::Method;
use serde_json::json;
use support::{start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@fromagerie-exemple.fr";

async fn owner(h: &Harness, email: &str) -> (String, String) {
    let user = h.create_user(email, None).await;
    let tokens = h.login(email).await;
    let company: String = sqlx::query_scalar("SELECT company_id FROM users WHERE id = $1")
        .bind(&user)
        .fetch_one(&h.ctx.db)
        .await
        .expect("company");
    (
        tokens["access_token"].as_str().expect("access").to_owned(),
        company,
    )
}

async fn review(h: &Harness, company: &str, rating: i64, title: &str) {
    add_review(
        &h.ctx.db,
        company,
        NewReview {
            rating,
            title: Some(title),
            body: Some("Attente interminable."),
            author: Some("Jean P."),
        },
        h.clock.now(),
    )
    .await
    .expect("review");
}

/// Mails to `to` whose subject contains `part`.
fn mails(h: &Harness, to: &str, part: &str) -> usize {
    h.smtp
        .all()
        .iter()
        .filter(|m| m.to == to && m.subject.contains(part))
        .count()
}

/// Waits until the queue has delivered everything.
async fn delivered(h: &Harness) {
    for _ in 0..200 {
        if h.ctx.mailer.waiting().await.unwrap_or(1) == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("mail still waiting");
}

#[tokio::test]
async fn settings_are_kept_per_user_and_a_wrong_rating_is_refused() {
    let h = start().await;
    let (token, _) = owner(&h, MARIE).await;
    let (s, body) = h.get("/v1/me/alerts", Some(&token)).await;
    assert_eq!(
        (s, body),
        (200, json!({"max_rating": null, "weekly_digest": false}))
    );
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/alerts",
            &token,
            Some(json!({"max_rating": 2, "weekly_digest": true})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        h.get("/v1/me/alerts", Some(&token)).await.1,
        json!({"max_rating": 2, "weekly_digest": true})
    );
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/alerts",
            &token,
            Some(json!({"max_rating": 6, "weekly_digest": true})),
        )
        .await;
    assert_eq!((s, body["code"].as_str()), (400, Some("invalid_request")));
    assert_eq!(
        h.get("/v1/me/alerts", Some(&token)).await.1["max_rating"],
        2
    );
    let (paul, _) = owner(&h, PAUL).await;
    assert_eq!(
        h.get("/v1/me/alerts", Some(&paul)).await.1["max_rating"],
        json!(null)
    );
    assert_eq!(h.get("/v1/me/alerts", None).await.0, 401);
}

#[tokio::test]
async fn a_review_at_or_below_the_rating_is_mailed_once_to_its_companys_users_only() {
    let h = start().await;
    let (marie, marie_co) = owner(&h, MARIE).await;
    let (paul, _) = owner(&h, PAUL).await;
    for token in [&marie, &paul] {
        h.authed(
            Method::PUT,
            "/v1/me/alerts",
            token,
            Some(json!({"max_rating": 2, "weekly_digest": false})),
        )
        .await;
    }
    review(&h, &marie_co, 1, "Très déçu").await;
    review(&h, &marie_co, 4, "Bien").await;
    let (first, second) = tokio::join!(run_once(&h.ctx), run_once(&h.ctx));
    let queued = first.expect("run").alerts + second.expect("run").alerts;
    // The worker may have run too: what counts is what reaches the mailbox.
    assert!(queued <= 1, "{queued}");
    run_once(&h.ctx).await.expect("run");
    delivered(&h).await;
    assert_eq!(mails(&h, MARIE, "Nouvel avis 1 étoile"), 1);
    assert_eq!(
        mails(&h, MARIE, "Nouvel avis"),
        1,
        "the 4-star review is above her rating"
    );
    assert_eq!(mails(&h, PAUL, "Nouvel avis"), 0, "not Paul's company");
    let alert = h
        .smtp
        .all()
        .into_iter()
        .find(|m| m.to == MARIE && m.subject.contains("Nouvel avis"))
        .expect("mail");
    assert!(
        alert.text.contains("Très déçu") && alert.text.contains("Jean P."),
        "{}",
        alert.text
    );
    assert!(
        alert.text.contains("/alertes/desabonnement/"),
        "a stop link"
    );
}

#[tokio::test]
async fn the_weekly_digest_is_sent_once_per_week_however_many_runs_claim_it() {
    let h = start().await;
    let (marie, marie_co) = owner(&h, MARIE).await;
    h.authed(
        Method::PUT,
        "/v1/me/alerts",
        &marie,
        Some(json!({"max_rating": null, "weekly_digest": true})),
    )
    .await;
    review(&h, &marie_co, 5, "Parfait").await;
    // Monday 2026-12-07, 09:00 in Paris (08:00 UTC): the week's digest is due.
    let monday = 1_796_631_200;
    assert_eq!(digest_period(monday).as_deref(), Some("2026-W50"));
    assert_eq!(
        digest_period(monday - 2 * 3600),
        None,
        "Monday 07:00: not yet"
    );
    h.set_now(monday);
    let runs = tokio::join!(run_once(&h.ctx), run_once(&h.ctx), run_once(&h.ctx));
    for run in [runs.0, runs.1, runs.2] {
        run.expect("run");
    }
    run_once(&h.ctx).await.expect("run");
    delivered(&h).await;
    assert_eq!(mails(&h, MARIE, "Votre semaine"), 1);
    let digest = h
        .smtp
        .all()
        .into_iter()
        .find(|m| m.to == MARIE && m.subject.contains("Votre semaine"))
        .expect("digest");
    assert!(
        digest.text.contains("Avis publiés encore sans réponse"),
        "{}",
        digest.text
    );
    // The same week again: nothing; the next week: one more.
    h.set_now(monday + 3 * 86_400);
    run_once(&h.ctx).await.expect("run");
    h.set_now(monday + 7 * 86_400);
    run_once(&h.ctx).await.expect("run");
    delivered(&h).await;
    assert_eq!(mails(&h, MARIE, "Votre semaine"), 2);
}

#[tokio::test]
async fn the_stop_link_changes_nothing_when_opened_and_everything_when_confirmed() {
    let h = start().await;
    let (marie, marie_co) = owner(&h, MARIE).await;
    h.authed(
        Method::PUT,
        "/v1/me/alerts",
        &marie,
        Some(json!({"max_rating": 3, "weekly_digest": true})),
    )
    .await;
    review(&h, &marie_co, 2, "Bof").await;
    run_once(&h.ctx).await.expect("run");
    delivered(&h).await;
    let alert = h
        .smtp
        .all()
        .into_iter()
        .find(|m| m.to == MARIE && m.subject.contains("Nouvel avis"))
        .expect("mail");
    let link = support::link_in(&alert.text[alert.text.find("Pour ne plus").expect("stop line")..]);
    let page = h.http.get(&link).send().await.expect("get");
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .expect("html")
        .contains("<form method=\"post\""));
    assert_eq!(
        h.get("/v1/me/alerts", Some(&marie)).await.1["max_rating"],
        3,
        "a GET changes nothing"
    );
    // The last character changed (to one it is not), and Paul's own stop link's key put
    // on Marie's id: both refused, nothing changed.
    let last = link.chars().last().expect("a link");
    let tampered = format!(
        "{}{}",
        &link[..link.len() - 1],
        if last == 'x' { 'y' } else { 'x' }
    );
    assert_eq!(
        h.http.post(&tampered).send().await.expect("post").status(),
        404
    );
    let (paul_token, paul_co) = owner(&h, PAUL).await;
    h.authed(
        Method::PUT,
        "/v1/me/alerts",
        &paul_token,
        Some(json!({"max_rating": 3, "weekly_digest": false})),
    )
    .await;
    review(&h, &paul_co, 1, "Fromage trop sec").await;
    run_once(&h.ctx).await.expect("run");
    delivered(&h).await;
    let paul_alert = h
        .smtp
        .all()
        .into_iter()
        .find(|m| m.to == PAUL && m.subject.contains("Nouvel avis"))
        .expect("Paul's mail");
    let paul_link = support::link_in(
        &paul_alert.text[paul_alert.text.find("Pour ne plus").expect("stop line")..],
    );
    let marie_id = link.rsplit('/').nth(1).expect("Marie's id");
    let paul_key = paul_link.rsplit('/').next().expect("Paul's key");
    let crossed = format!("{}/alertes/desabonnement/{marie_id}/{paul_key}", h.url);
    assert_eq!(
        h.http.post(&crossed).send().await.expect("post").status(),
        404
    );
    assert_eq!(
        h.get("/v1/me/alerts", Some(&marie)).await.1["max_rating"],
        3
    );
    let done = h.http.post(&link).send().await.expect("post");
    assert_eq!(done.status(), 200);
    assert_eq!(
        h.get("/v1/me/alerts", Some(&marie)).await.1,
        json!({"max_rating": null, "weekly_digest": false})
    );
}
