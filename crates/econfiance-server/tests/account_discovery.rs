//! Nobody learns whether an account exists from what the server answers around a login
//! or reset request, and a password change ends what was pending: the landing pages speak
//! the requester's language (the account's is for its mail only), a weak new password is
//! judged only once the reset token is good, and requests still pending when the password
//! changes can no longer be used.

use econfiance_integration as support;

use serde_json::{json, Value};
use support::{code_in, device, pkce, start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const NOBODY: &str = "personne@boulangerie-exemple.fr";

/// Asks for a link of `kind` ("login-requests" or "password-resets") in `locale`; the
/// request id and verifier.
async fn ask(h: &Harness, kind: &str, email: &str, locale: &str) -> (String, String) {
    let (verifier, challenge) = pkce();
    let (status, body, _) = h
        .post(
            &format!("/v1/auth/{kind}"),
            json!({"email": email, "locale": locale, "code_challenge": challenge,
                   "code_challenge_method": "S256", "device": device()}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    (
        body["request_id"].as_str().expect("id").to_owned(),
        verifier,
    )
}

async fn page(h: &Harness, path: &str) -> String {
    h.http
        .get(format!("{}{path}", h.url))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("page")
}

#[tokio::test]
async fn a_landing_page_speaks_the_requesters_language_whether_or_not_the_account_exists() {
    let h = start().await;
    // Marie's account is in French; whoever asks, asks in English.
    h.create_user(MARIE, None).await;
    for (kind, path, secret) in [
        ("login-requests", "/auth/link", "code=AAAA-AAAA"),
        (
            "password-resets",
            "/auth/reset",
            "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
    ] {
        let (known, _) = ask(&h, kind, MARIE, "en").await;
        let (unknown, _) = ask(&h, kind, NOBODY, "en").await;
        let known_page = page(&h, &format!("{path}?request={known}&{secret}")).await;
        let unknown_page = page(&h, &format!("{path}?request={unknown}&{secret}")).await;
        assert!(
            known_page.contains("<html lang=\"en\""),
            "{kind}: {known_page}"
        );
        assert_eq!(
            known_page.replace(&known, "ID"),
            unknown_page.replace(&unknown, "ID"),
            "{kind}: the two pages differ"
        );
    }
}

#[tokio::test]
async fn a_weak_password_with_a_wrong_token_says_nothing_about_the_account() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let mut answers: Vec<(u16, Value)> = Vec::new();
    for email in [MARIE, NOBODY] {
        let (id, verifier) = ask(&h, "password-resets", email, "fr").await;
        // The e-mail itself is the weakest password there is for it.
        let (status, body, _) = h
            .post(
                "/v1/auth/password-resets/confirm",
                json!({"request_id": id, "token": "A".repeat(43), "code_verifier": verifier,
                       "new_password": email}),
            )
            .await;
        answers.push((
            status,
            json!({"code": body["code"], "message": body["message"]}),
        ));
    }
    assert_eq!(
        answers[0], answers[1],
        "an account shows through the answer"
    );
    // The strength is judged against the e-mail the request was made for, whoever owns it.
    assert_eq!(answers[0].1["code"], "weak_password");

    // The browser form answers the same page for both (past the "Renvoyer" cooldown).
    h.set_now(h.clock.now() + 600);
    let mut pages = Vec::new();
    for email in [MARIE, NOBODY] {
        let (id, _) = ask(&h, "password-resets", email, "fr").await;
        let text = h
            .http
            .post(format!("{}/auth/reset", h.url))
            .form(&[
                ("request", id.as_str()),
                ("token", &"A".repeat(43)),
                ("password", email),
                ("confirm", email),
            ])
            .send()
            .await
            .expect("send")
            .text()
            .await
            .expect("page");
        pages.push(text.replace(&id, "ID"));
    }
    assert_eq!(pages[0], pages[1], "an account shows through the form");
}

#[tokio::test]
async fn weak_passwords_with_the_right_token_are_refused_without_spending_the_token_or_its_tries() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let before = h.smtp.count_to(MARIE);
    let (id, verifier) = ask(&h, "password-resets", MARIE, "fr").await;
    let link = support::link_in(&h.smtp.nth_to(MARIE, before + 1).await.text);
    let token = support::param(&link, "token");
    let confirm = |password: &str| json!({"request_id": id, "token": token, "code_verifier": verifier, "new_password": password});
    // More weak choices than the link has tries: none uses one up.
    for _ in 0..7 {
        let (status, body, _) = h
            .post("/v1/auth/password-resets/confirm", confirm(MARIE))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("weak_password")),
            "{body}"
        );
    }
    let (status, body, _) = h
        .post(
            "/v1/auth/password-resets/confirm",
            confirm("trois tortues lisent Proust"),
        )
        .await;
    assert_eq!(status, 204, "the token is still good: {body}");
}

#[tokio::test]
async fn requests_pending_when_the_password_changes_can_no_longer_be_used() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    // A login link asked before (by the owner, or by someone who reads the mailbox).
    let before = h.smtp.count_to(MARIE);
    let (pending, verifier) = h.login_request(MARIE).await;
    let code = code_in(&h.smtp.nth_to(MARIE, before + 1).await.text);

    // The owner changes the password from a session (logged in past the cooldown).
    h.set_now(h.clock.now() + 60);
    let tokens = h.login(MARIE).await;
    let access = tokens["access_token"].as_str().expect("access");
    let (status, body) = h
        .authed(
            reqwest::Method::PUT,
            "/v1/me/password",
            access,
            Some(json!({"current_password": "trois tortues lisent Proust",
                        "new_password": "cinq hiboux lisent Zola le soir"})),
        )
        .await;
    assert_eq!(status, 204, "{body}");

    let (status, body) = h.exchange(&pending, &code, &verifier).await;
    assert_eq!(status, 400, "the old link still logs in: {body}");
    assert_eq!(body["code"], "code_used");
}

#[tokio::test]
async fn concurrent_wrong_codes_are_checked_five_times_at_most() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let before = h.smtp.count_to(MARIE);
    let (id, verifier) = h.login_request(MARIE).await;
    let code = code_in(&h.smtp.nth_to(MARIE, before + 1).await.text);
    // Thirty wrong codes at once: each must be counted before it is checked.
    let tries = (0..30).map(|i| {
        let (h, id, verifier) = (&h, id.clone(), verifier.clone());
        async move { h.exchange(&id, &format!("ZZZZ-{i:04}"), &verifier).await }
    });
    let answers = futures::future::join_all(tries).await;
    assert!(
        answers.iter().all(|(status, _)| *status == 400),
        "{answers:?}"
    );
    let checked: i64 =
        sqlx::query_scalar("SELECT failed_attempts FROM auth_requests WHERE id = $1")
            .bind(&id)
            .fetch_one(&h.ctx.db)
            .await
            .expect("row");
    assert!(checked <= 5, "{checked} codes were checked");
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("too_many_attempts")),
        "{body}"
    );
}
