//! Nobody can keep an owner from logging in: the "Renvoyer" cooldown and the per-e-mail
//! limits count per (e-mail, client address), so one address asking for a victim's e-mail
//! is refused while the owner's own address is served. Above them, a cap per e-mail: the
//! owner is refused only once more than 20 other addresses have each used their own limit.
//! Client addresses are real: each client connects from its own loopback address.

use econfiance_integration as support;

use econfiance_server::config::Limits;
use serde_json::json;
use support::{device, pkce, start, start_with};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

fn login_request() -> serde_json::Value {
    let (_, challenge) = pkce();
    json!({"email": MARIE, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()})
}

fn password(password: &str) -> serde_json::Value {
    json!({"grant_type": "password", "email": MARIE, "password": password, "device": device()})
}

#[tokio::test]
async fn another_address_asking_for_the_owners_links_does_not_hold_back_the_owners_own() {
    // The platform's own "Renvoyer" cooldown (the harness lifts it for the other tests).
    let h = start_with(Limits::default()).await;
    h.create_user(MARIE, Some(PASSWORD)).await;
    let attacker = h.client_from("127.0.0.2");
    let owner = h.client_from("127.0.0.1");
    let (status, _) = h
        .post_from(&attacker, "/v1/auth/login-requests", login_request())
        .await;
    assert_eq!(status, 202);
    let (status, body) = h
        .post_from(&attacker, "/v1/auth/login-requests", login_request())
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("resend_too_soon")),
        "{body}"
    );
    // The owner, from their own computer, at the same moment.
    let (status, body) = h
        .post_from(&owner, "/v1/auth/login-requests", login_request())
        .await;
    assert_eq!(status, 202, "the owner is held back: {body}");
}

#[tokio::test]
async fn wrong_passwords_from_another_address_do_not_lock_the_owner_out() {
    let h = start().await;
    h.create_user(MARIE, Some(PASSWORD)).await;
    let attacker = h.client_from("127.0.0.2");
    let mut last = (0, serde_json::Value::Null);
    for _ in 0..8 {
        last = h
            .post_from(&attacker, "/v1/auth/token", password("wrong password"))
            .await;
    }
    assert_eq!(
        (last.0, last.1["code"].as_str()),
        (429, Some("rate_limited")),
        "{}",
        last.1
    );
    let owner = h.client_from("127.0.0.1");
    let (status, body) = h
        .post_from(&owner, "/v1/auth/token", password(PASSWORD))
        .await;
    assert_eq!(status, 200, "the owner is locked out: {body}");
}

#[tokio::test]
async fn the_owner_is_refused_only_once_more_than_twenty_other_addresses_are_at_their_limit() {
    // Allowances that do not come back during the test (argon2 and 22 TLS handshakes take
    // seconds on a busy machine; the default cap would regain a try every 3 s).
    let h = start_with(Limits {
        per_email_every_secs: 3600,
        resend_cooldown_secs: 0,
        ..Limits::default()
    })
    .await;
    h.create_user(MARIE, Some(PASSWORD)).await;
    let burst = h.ctx.config.limits.per_email_burst;
    let at_limit = |ip: String| {
        let h = &h;
        async move {
            let client = h.client_from(&ip);
            for _ in 0..burst {
                let (status, body) = h
                    .post_from(&client, "/v1/auth/token", password("wrong"))
                    .await;
                assert_eq!(status, 401, "{ip}: {body}");
            }
            let (status, _) = h
                .post_from(&client, "/v1/auth/token", password("wrong"))
                .await;
            assert_eq!(status, 429, "{ip} is at its own limit");
        }
    };
    for i in 2..22 {
        at_limit(format!("127.0.0.{i}")).await;
    }
    let owner = h.client_from("127.0.0.1");
    let (status, body) = h
        .post_from(&owner, "/v1/auth/token", password(PASSWORD))
        .await;
    assert_eq!(status, 200, "twenty addresses lock the owner out: {body}");
    // A twenty-first address at its limit reaches the cap: now everyone waits.
    let other = h.client_from("127.0.0.22");
    for _ in 0..burst {
        h.post_from(&other, "/v1/auth/token", password("wrong"))
            .await;
    }
    let (status, body) = h
        .post_from(&owner, "/v1/auth/token", password(PASSWORD))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
}

#[tokio::test]
async fn a_variant_of_the_address_shares_its_limit_and_never_opens_the_account() {
    // The per-e-mail limit and the account lookup must agree on which addresses are the
    // same: otherwise each spelling that reaches the account (case, invisible characters,
    // full-width letters, ß for ss) would bring its own allowance of password guesses.
    let h = start_with(Limits {
        per_email_every_secs: 3600,
        resend_cooldown_secs: 0,
        ..Limits::default()
    })
    .await;
    h.create_user(MARIE, Some(PASSWORD)).await;
    let burst = h.ctx.config.limits.per_email_burst;
    let client = h.client_from("127.0.0.2");
    let guess = |email: &str, password: &str| json!({"grant_type": "password", "email": email, "password": password, "device": device()});
    for _ in 0..burst {
        let (status, body) = h
            .post_from(&client, "/v1/auth/token", guess(MARIE, "wrong"))
            .await;
        assert_eq!(status, 401, "{body}");
    }
    let variants = [
        "MARIE@boulangerie-exemple.fr",
        "Marie@Boulangerie-Exemple.FR",
        "ma\u{200B}rie@boulangerie-exemple.fr",
        "ma\u{AD}rie@boulangerie-exemple.fr",
        "mar\u{2060}ie@boulangerie-exemple.fr",
        "\u{FF4D}arie@boulangerie-exemple.fr",
        "marie@boulangerie-exemple.fr\u{FEFF}",
    ];
    for variant in variants {
        let (status, body) = h
            .post_from(&client, "/v1/auth/token", guess(variant, PASSWORD))
            .await;
        assert_ne!(
            status, 200,
            "{variant:?} opened the account past its limit: {body}"
        );
        assert!(
            [400, 401, 429].contains(&status),
            "{variant:?}: {status} {body}"
        );
    }
    // The same-case spellings are the same account, and share its limit.
    for variant in &variants[..2] {
        let (status, body) = h
            .post_from(&client, "/v1/auth/token", guess(variant, PASSWORD))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (429, Some("rate_limited")),
            "{variant:?}: {body}"
        );
    }
}

#[tokio::test]
async fn an_address_with_invisible_characters_is_refused_with_a_clear_message() {
    let h = start().await;
    for email in [
        "ma\u{200B}rie@boulangerie-exemple.fr",
        "ma\u{AD}rie@boulangerie-exemple.fr",
        "marie@boulangerie\u{202E}-exemple.fr",
    ] {
        let (_, challenge) = pkce();
        let (status, body) = h
            .post_from(
                &h.client_from("127.0.0.3"),
                "/v1/auth/login-requests",
                json!({"email": email, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_request")),
            "{email:?}: {body}"
        );
        assert!(
            body["message"]
                .as_str()
                .unwrap_or("")
                .contains("nom@entreprise.fr"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn links_asked_at_the_same_moment_from_one_address_send_one_mail() {
    // The "Renvoyer" cooldown holds for requests that arrive together, not only one after
    // the other: checking it and storing the request are one step.
    let h = start_with(Limits::default()).await;
    h.create_user(MARIE, Some(PASSWORD)).await;
    let client = h.client_from("127.0.0.4");
    let asks = (0..8).map(|_| h.post_from(&client, "/v1/auth/login-requests", login_request()));
    let answers = futures::future::join_all(asks).await;
    let accepted = answers.iter().filter(|(status, _)| *status == 202).count();
    assert_eq!(accepted, 1, "{answers:?}");
    for (status, body) in &answers {
        assert!(
            // The per-e-mail limit may answer first for some of them.
            *status == 202
                || (*status == 429
                    && (body["code"] == "resend_too_soon" || body["code"] == "rate_limited")),
            "{status} {body}"
        );
    }
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_requests")
        .fetch_one(&h.ctx.db)
        .await
        .expect("the requests");
    assert_eq!(stored, 1);
}
