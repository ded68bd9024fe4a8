//! The login protocol over real HTTPS on loopback, with mail captured by a real SMTP
//! listener: every rule of the design brief's "Login protocol", and the attacks on it.

use econfiance_integration as support;

use econfiance_api::auth::{LOGIN_CODE_SECONDS, REFRESH_GRACE_SECONDS};
use econfiance_server::config::Limits;
use reqwest::Method;
use serde_json::{json, Value};
use support::{code_in, device, link_in, param, pkce, start, start_with};

const ALICE: &str = "alice@boulangerie-exemple.fr";

fn wrong_code(right: &str) -> String {
    let flipped = if right.starts_with('A') { 'B' } else { 'A' };
    format!("{flipped}{}", &right[1..])
}

// ---------- magic link ----------

#[tokio::test]
async fn login_by_code_with_the_right_verifier_gives_tokens() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let mail = h.smtp.nth_to(ALICE, 1).await;
    assert_eq!(mail.subject, "Votre lien de connexion e-confiance");
    let code = code_in(&mail.text);
    assert!(
        econfiance_api::link::LoginCode::parse(&code).is_ok(),
        "{code}"
    );
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["refresh_expires_in"], 30 * 24 * 3600);
    assert_eq!(body["user"]["email"], ALICE);
    let access = body["access_token"].as_str().expect("access");
    let (s, sessions) = h
        .authed(Method::GET, "/v1/auth/sessions", access, None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(sessions[0]["device_name"], "PC-Accueil");
    assert_eq!(sessions[0]["current"], true);
}

#[tokio::test]
async fn typed_code_in_lower_case_without_dash_is_accepted() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let code = code_in(&h.smtp.nth_to(ALICE, 1).await.text)
        .replace('-', " ")
        .to_lowercase();
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn mail_links_to_https_landing_page_and_never_to_the_custom_scheme() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, _) = h.login_request(ALICE).await;
    let mail = h.smtp.nth_to(ALICE, 1).await;
    assert!(
        !mail.raw.contains("econfiance://"),
        "a custom-scheme link reached the mail"
    );
    assert!(!mail.html.contains("econfiance:"), "{}", mail.html);
    let link = link_in(&mail.text);
    assert!(link.starts_with(&format!("{}/auth/link?", h.url)), "{link}");
    assert_eq!(param(&link, "request"), id);
    assert!(
        mail.html.contains(&link.replace('&', "&amp;")),
        "the HTML part has the same link"
    );
}

#[tokio::test]
async fn replayed_code_is_refused() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let code = code_in(&h.smtp.nth_to(ALICE, 1).await.text);
    assert_eq!(h.exchange(&id, &code, &verifier).await.0, 200);
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "code_used");
}

#[tokio::test]
async fn expired_code_is_refused() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let code = code_in(&h.smtp.nth_to(ALICE, 1).await.text);
    h.clock.advance(LOGIN_CODE_SECONDS + 1);
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "code_expired");
    assert!(body["message"]
        .as_str()
        .expect("message")
        .contains("Demandez un nouveau lien"));
}

#[tokio::test]
async fn wrong_verifier_is_refused_and_counts_as_an_attempt() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let code = code_in(&h.smtp.nth_to(ALICE, 1).await.text);
    let (forged_verifier, _) = pkce();
    for attempt in 1..=5 {
        let (status, body) = h.exchange(&id, &code, &forged_verifier).await;
        assert_eq!(status, 400);
        let expected = if attempt < 5 {
            "invalid_grant"
        } else {
            "too_many_attempts"
        };
        assert_eq!(body["code"], expected, "attempt {attempt}");
    }
    // Five wrong verifiers killed the request: the right code with the right verifier is
    // refused too.
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("too_many_attempts")),
        "{body}"
    );
}

#[tokio::test]
async fn right_code_after_five_wrong_ones_is_refused() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let code = code_in(&h.smtp.nth_to(ALICE, 1).await.text);
    for attempt in 1..=5 {
        let (status, body) = h.exchange(&id, &wrong_code(&code), &verifier).await;
        assert_eq!(status, 400);
        let expected = if attempt < 5 {
            "invalid_grant"
        } else {
            "too_many_attempts"
        };
        assert_eq!(body["code"], expected, "attempt {attempt}");
    }
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "too_many_attempts");
}

#[tokio::test]
async fn unknown_email_gets_the_same_answer_and_no_mail() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (_, challenge) = pkce();
    let request = |email: &str| json!({"email": email, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()});
    let (s1, known, known_headers) = h.post("/v1/auth/login-requests", request(ALICE)).await;
    let (s2, unknown, unknown_headers) = h
        .post("/v1/auth/login-requests", request("nobody@exemple.fr"))
        .await;
    assert_eq!((s1, s2), (202, 202));
    // The whole answer is the same but for the request's own id and the moment it was
    // made: body, and every header but the date.
    let without_id = |v: &Value| {
        let mut v = v.clone();
        v["request_id"] = Value::Null;
        v["expires_at"] = Value::Null;
        v
    };
    assert_eq!(without_id(&known), without_id(&unknown));
    let headers = |h: &reqwest::header::HeaderMap| {
        let mut all: Vec<(String, String)> = h
            .iter()
            .filter(|(name, _)| *name != reqwest::header::DATE)
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
            .collect();
        all.sort();
        all
    };
    assert_eq!(headers(&known_headers), headers(&unknown_headers));
    h.smtp.nth_to(ALICE, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(h.smtp.count_to("nobody@exemple.fr"), 0);
    // And no code can ever redeem the unknown e-mail's request.
    let id = unknown["request_id"].as_str().expect("id");
    let (verifier, _) = pkce();
    assert_eq!(
        h.exchange(id, "AAAA-AAAA", &verifier).await.1["code"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn a_request_without_s256_pkce_is_refused() {
    let h = start().await;
    for (challenge, method) in [("x".repeat(43), "plain"), ("short".to_owned(), "S256")] {
        let (status, body, _) = h
            .post(
                "/v1/auth/login-requests",
                json!({"email": ALICE, "code_challenge": challenge, "code_challenge_method": method, "device": device()}),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["code"], "invalid_request");
    }
}

#[tokio::test]
async fn older_links_stay_valid_after_resend() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (first_id, first_verifier) = h.login_request(ALICE).await;
    let first_code = code_in(&h.smtp.nth_to(ALICE, 1).await.text);
    let (_second_id, _) = h.login_request(ALICE).await;
    h.smtp.nth_to(ALICE, 2).await;
    let (status, body) = h.exchange(&first_id, &first_code, &first_verifier).await;
    assert_eq!(status, 200, "{body}");
}

// ---------- landing page ----------

#[tokio::test]
async fn landing_page_opened_twice_consumes_nothing_and_shows_device_and_code() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let mail = h.smtp.nth_to(ALICE, 1).await;
    let link = link_in(&mail.text);
    let code = code_in(&mail.text);
    for _ in 0..2 {
        let page = h.http.get(&link).send().await.expect("page");
        assert_eq!(page.status(), 200);
        let headers = page.headers().clone();
        assert_eq!(headers["referrer-policy"], "no-referrer");
        let csp = headers["content-security-policy"].to_str().expect("csp");
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(headers["cache-control"], "no-store");
        let html = page.text().await.expect("html");
        assert!(
            html.contains("PC-Accueil") && html.contains("Ubuntu 24.04"),
            "{html}"
        );
        assert!(html.contains(&code));
        let deep = format!("econfiance://auth/callback?request={id}&amp;code={code}");
        assert!(html.contains(&deep), "{html}");
        assert!(html.contains("data-auto=\"1\""), "an automatic attempt");
        assert!(html.contains("/download"), "what to do without the app");
        assert!(!html.contains("<script>"), "no inline script");
    }
    let (status, body) = h.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 200, "{body}");
    let used = h
        .http
        .get(&link)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(used.contains("déjà été utilisé"), "{used}");
}

#[tokio::test]
async fn landing_page_escapes_html_and_sql_looking_device_names() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (_, challenge) = pkce();
    let nasty = "<script>alert('x')</script>'; DROP TABLE users;--";
    let (status, body, _) = h
        .post(
            "/v1/auth/login-requests",
            json!({"email": ALICE, "code_challenge": challenge, "code_challenge_method": "S256",
                   "device": {"name": nasty, "os": "<img src=x onerror=alert(1)>", "app_version": "0.1.0\" onload=\"x"}}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let mail = h.smtp.nth_to(ALICE, 1).await;
    assert!(
        !mail.html.contains("<script>alert"),
        "the mail's HTML escapes the device name"
    );
    let html = h
        .http
        .get(link_in(&mail.text))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt;'; DROP TABLE users;--")
            || html.contains("&lt;script&gt;alert(&#39;x&#39;)"),
        "{html}"
    );
    // The users table is still there and the account still logs in.
    h.login(ALICE).await;
}

#[tokio::test]
async fn sql_looking_emails_are_just_unknown_or_invalid() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (_, challenge) = pkce();
    for email in [
        "' OR '1'='1@x.fr",
        "alice@boulangerie-exemple.fr' --",
        "a@b.fr\r\nBcc: victim@x.fr",
    ] {
        let (status, body, _) = h
            .post(
                "/v1/auth/login-requests",
                json!({"email": email, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()}),
            )
            .await;
        assert!(
            status == 202 || (status == 400 && body["code"] == "invalid_request"),
            "{email}: {status} {body}"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(h.smtp.all().is_empty(), "no mail went anywhere");
}

// ---------- refresh tokens ----------

#[tokio::test]
async fn refresh_rotates_and_the_old_token_within_grace_returns_the_same_successor() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let first = h.login(ALICE).await;
    let r0 = first["refresh_token"].as_str().expect("r0");
    let (s, second) = h.refresh(r0).await;
    assert_eq!(s, 200, "{second}");
    let r1 = second["refresh_token"].as_str().expect("r1");
    assert_ne!(r0, r1);
    // A crash before the keyring write: the app presents r0 again, within the grace.
    h.clock.advance(REFRESH_GRACE_SECONDS - 5);
    let (s, again) = h.refresh(r0).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["refresh_token"], r1, "the same successor");
    assert_eq!(again["session_id"], second["session_id"]);
    // r1 still works and rotates normally.
    let (s, third) = h.refresh(r1).await;
    assert_eq!(s, 200, "{third}");
}

#[tokio::test]
async fn refresh_token_reuse_outside_grace_revokes_the_whole_session() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let first = h.login(ALICE).await;
    let r0 = first["refresh_token"].as_str().expect("r0").to_owned();
    let (_, second) = h.refresh(&r0).await;
    let r1 = second["refresh_token"].as_str().expect("r1").to_owned();
    let access = second["access_token"].as_str().expect("access").to_owned();
    h.clock.advance(REFRESH_GRACE_SECONDS + 1);
    let (s, body) = h.refresh(&r0).await;
    assert_eq!(s, 401);
    assert_eq!(body["code"], "session_ended");
    // The whole family is dead: the current refresh token and the access token too.
    assert_eq!(h.refresh(&r1).await.1["code"], "session_ended");
    assert_eq!(
        h.authed(Method::GET, "/v1/auth/sessions", &access, None)
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn reuse_of_an_older_token_even_within_grace_revokes() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let r0 = h.login(ALICE).await["refresh_token"]
        .as_str()
        .expect("r0")
        .to_owned();
    let r1 = h.refresh(&r0).await.1["refresh_token"]
        .as_str()
        .expect("r1")
        .to_owned();
    let r2 = h.refresh(&r1).await.1["refresh_token"]
        .as_str()
        .expect("r2")
        .to_owned();
    // r0 is two generations old: not the immediate predecessor of the current token.
    assert_eq!(h.refresh(&r0).await.1["code"], "session_ended");
    assert_eq!(h.refresh(&r2).await.1["code"], "session_ended");
}

#[tokio::test]
async fn access_tokens_expire_after_15_minutes_and_refresh_renews_them() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let tokens = h.login(ALICE).await;
    let access = tokens["access_token"].as_str().expect("access");
    h.clock.advance(15 * 60 + 1);
    assert_eq!(
        h.authed(Method::GET, "/v1/auth/sessions", access, None)
            .await
            .0,
        401
    );
    let (s, renewed) = h
        .refresh(tokens["refresh_token"].as_str().expect("refresh"))
        .await;
    assert_eq!(s, 200);
    let fresh = renewed["access_token"].as_str().expect("access");
    assert_eq!(
        h.authed(Method::GET, "/v1/auth/sessions", fresh, None)
            .await
            .0,
        200
    );
}

// ---------- sessions ----------

#[tokio::test]
async fn logout_ends_the_session_and_others_can_be_listed_and_revoked() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let a = h.login(ALICE).await;
    let b = h.login(ALICE).await;
    let a_access = a["access_token"].as_str().expect("a");
    let (_, sessions) = h
        .authed(Method::GET, "/v1/auth/sessions", a_access, None)
        .await;
    assert_eq!(sessions.as_array().expect("list").len(), 2);
    let b_id = b["session_id"].as_str().expect("b id");
    assert_eq!(
        h.authed(
            Method::DELETE,
            &format!("/v1/auth/sessions/{b_id}"),
            a_access,
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        h.refresh(b["refresh_token"].as_str().expect("b")).await.1["code"],
        "session_ended"
    );
    assert_eq!(
        h.authed(Method::POST, "/v1/auth/logout", a_access, None)
            .await
            .0,
        204
    );
    assert_eq!(
        h.authed(Method::GET, "/v1/auth/sessions", a_access, None)
            .await
            .0,
        401
    );
    assert_eq!(
        h.refresh(a["refresh_token"].as_str().expect("a")).await.1["code"],
        "session_ended"
    );
}

#[tokio::test]
async fn another_users_session_cannot_be_revoked() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    h.create_user("bob@garage-exemple.fr", None).await;
    let alice = h.login(ALICE).await;
    let bob = h.login("bob@garage-exemple.fr").await;
    let bob_session = bob["session_id"].as_str().expect("id");
    let (status, body) = h
        .authed(
            Method::DELETE,
            &format!("/v1/auth/sessions/{bob_session}"),
            alice["access_token"].as_str().expect("a"),
            None,
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(
        h.refresh(bob["refresh_token"].as_str().expect("b")).await.0,
        200
    );
}

// ---------- passwords ----------

async fn password_login(h: &support::Harness, email: &str, password: &str) -> (u16, Value) {
    let (s, b, _) = h
        .post("/v1/auth/token", json!({"grant_type": "password", "email": email, "password": password, "device": device()}))
        .await;
    (s, b)
}

#[tokio::test]
async fn password_login_works_and_wrong_or_missing_passwords_look_the_same() {
    let h = start().await;
    h.create_user(ALICE, Some("un cheval agrafe la batterie"))
        .await;
    h.create_user("nopass@exemple.fr", None).await;
    assert_eq!(
        password_login(&h, ALICE, "un cheval agrafe la batterie")
            .await
            .0,
        200
    );
    let wrong = password_login(&h, ALICE, "mauvais mot de passe").await;
    let unknown = password_login(&h, "nobody@exemple.fr", "mauvais mot de passe").await;
    let no_password = password_login(&h, "nopass@exemple.fr", "mauvais mot de passe").await;
    for (status, body) in [&wrong, &unknown, &no_password] {
        assert_eq!(*status, 401);
        assert_eq!(body["code"], "invalid_credentials");
    }
    assert_eq!(wrong.1, unknown.1);
    assert_eq!(wrong.1, no_password.1);
}

async fn reset_request(h: &support::Harness, email: &str) -> (String, String, u16) {
    let (verifier, challenge) = pkce();
    let (status, body, _) = h
        .post(
            "/v1/auth/password-resets",
            json!({"email": email, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()}),
        )
        .await;
    (
        body["request_id"].as_str().unwrap_or_default().to_owned(),
        verifier,
        status,
    )
}

#[tokio::test]
async fn reset_from_the_app_sets_the_password_ends_sessions_notifies_and_signs_nobody_in() {
    let h = start().await;
    h.create_user(ALICE, Some("ancien mot de passe solide"))
        .await;
    let before = h.login(ALICE).await;
    let (id, verifier, status) = reset_request(&h, ALICE).await;
    assert_eq!(status, 202);
    let mail = h.smtp.nth_to(ALICE, 2).await;
    assert!(
        mail.subject.contains("Réinitialisation"),
        "{}",
        mail.subject
    );
    assert!(!mail.raw.contains("econfiance://"));
    let link = link_in(&mail.text);
    assert!(link.starts_with(&format!("{}/auth/reset?", h.url)));
    let token = param(&link, "token");
    let page = h
        .http
        .get(&link)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(&format!(
            "econfiance://auth/reset?request={id}&amp;token={token}"
        )),
        "{page}"
    );
    assert!(
        page.contains("<form"),
        "the form is offered in the browser too"
    );

    // Weak passwords are refused without spending the token.
    let confirm = |password: &str| json!({"request_id": id, "token": token, "code_verifier": verifier, "new_password": password});
    let (s, weak, _) = h
        .post("/v1/auth/password-resets/confirm", confirm("motdepasse"))
        .await;
    assert_eq!(
        (s, weak["code"].as_str()),
        (400, Some("weak_password")),
        "{weak}"
    );
    let (s, body, _) = h
        .post(
            "/v1/auth/password-resets/confirm",
            confirm("trois tortues lisent Proust"),
        )
        .await;
    assert_eq!(s, 204, "{body}");
    assert_eq!(
        body,
        Value::Null,
        "no tokens: nobody is signed in by a reset"
    );

    assert_eq!(
        h.refresh(before["refresh_token"].as_str().expect("r"))
            .await
            .1["code"],
        "session_ended"
    );
    let notice = h.smtp.nth_to(ALICE, 3).await;
    assert!(
        notice.subject.contains("a été modifié"),
        "{}",
        notice.subject
    );
    assert_eq!(
        password_login(&h, ALICE, "trois tortues lisent Proust")
            .await
            .0,
        200
    );
    assert_eq!(
        password_login(&h, ALICE, "ancien mot de passe solide")
            .await
            .0,
        401
    );

    // The token is single-use.
    let (s, reused, _) = h
        .post(
            "/v1/auth/password-resets/confirm",
            confirm("encore un autre secret solide"),
        )
        .await;
    assert_eq!((s, reused["code"].as_str()), (400, Some("code_used")));
}

#[tokio::test]
async fn reset_from_the_app_needs_the_verifier_of_the_request() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, _verifier, _) = reset_request(&h, ALICE).await;
    let token = param(&link_in(&h.smtp.nth_to(ALICE, 1).await.text), "token");
    let (other, _) = pkce();
    let (s, body, _) = h
        .post("/v1/auth/password-resets/confirm",
            json!({"request_id": id, "token": token, "code_verifier": other, "new_password": "trois tortues lisent Proust"}))
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let (s, body, _) = h
        .post("/v1/auth/password-resets/confirm",
            json!({"request_id": id, "token": token, "new_password": "trois tortues lisent Proust"}))
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
}

#[tokio::test]
async fn reset_form_in_the_browser_sets_the_password_once() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, _, _) = reset_request(&h, ALICE).await;
    let token = param(&link_in(&h.smtp.nth_to(ALICE, 1).await.text), "token");
    let form = |p: &str, c: &str| {
        [
            ("request", id.clone()),
            ("token", token.clone()),
            ("password", p.to_owned()),
            ("confirm", c.to_owned()),
        ]
    };
    let post = |f: [(&'static str, String); 4]| {
        let http = h.http.clone();
        let url = format!("{}/auth/reset", h.url);
        async move {
            http.post(url)
                .form(&f)
                .send()
                .await
                .expect("post")
                .text()
                .await
                .expect("html")
        }
    };
    assert!(post(form("trois tortues lisent Proust", "autre chose"))
        .await
        .contains("ne sont pas identiques"));
    assert!(post(form(
        "trois tortues lisent Proust",
        "trois tortues lisent Proust"
    ))
    .await
    .contains("Mot de passe enregistré"));
    assert!(post(form(
        "encore un autre secret solide",
        "encore un autre secret solide"
    ))
    .await
    .contains("plus utilisable"));
    assert_eq!(
        password_login(&h, ALICE, "trois tortues lisent Proust")
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn reset_for_an_unknown_email_answers_the_same_and_sends_nothing() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (_, _, known) = reset_request(&h, ALICE).await;
    let (_, _, unknown) = reset_request(&h, "nobody@exemple.fr").await;
    assert_eq!((known, unknown), (202, 202));
    h.smtp.nth_to(ALICE, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(h.smtp.count_to("nobody@exemple.fr"), 0);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let h = start().await;
    h.create_user(ALICE, Some("ancien mot de passe solide"))
        .await;
    let this = h.login(ALICE).await;
    let other = h.login(ALICE).await;
    let access = this["access_token"].as_str().expect("access");
    let (s, body) = h
        .authed(Method::PUT, "/v1/me/password", access,
            Some(json!({"current_password": "pas le bon", "new_password": "trois tortues lisent Proust"})))
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let (s, _) = h
        .authed(Method::PUT, "/v1/me/password", access,
            Some(json!({"current_password": "ancien mot de passe solide", "new_password": "trois tortues lisent Proust"})))
        .await;
    assert_eq!(s, 204);
    assert_eq!(
        h.authed(Method::GET, "/v1/auth/sessions", access, None)
            .await
            .0,
        200,
        "this session stays"
    );
    assert_eq!(
        h.refresh(other["refresh_token"].as_str().expect("r"))
            .await
            .1["code"],
        "session_ended"
    );
}

#[tokio::test]
async fn an_account_without_a_password_sets_its_first_one_while_logged_in() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let tokens = h.login(ALICE).await;
    let access = tokens["access_token"].as_str().expect("access");
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/password",
            access,
            Some(json!({"new_password": "trois tortues lisent Proust"})),
        )
        .await;
    assert_eq!(s, 204, "{body}");
    assert_eq!(
        password_login(&h, ALICE, "trois tortues lisent Proust")
            .await
            .0,
        200
    );
    // From now on, the current password is required.
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/password",
            access,
            Some(json!({"new_password": "encore un autre secret solide"})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
}

// ---------- limits ----------

#[tokio::test]
async fn a_flood_of_login_requests_is_answered_429_with_retry_after() {
    let h = start_with(Limits {
        per_email_burst: 3,
        per_email_every_secs: 60,
        resend_cooldown_secs: 0,
        ..Limits::default()
    })
    .await;
    h.create_user(ALICE, None).await;
    let (_, challenge) = pkce();
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..6 {
        let (status, body, headers) = h
            .post("/v1/auth/login-requests",
                json!({"email": ALICE, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()}))
            .await;
        if status == 429 {
            assert_eq!(body["code"], "rate_limited");
            retry_after = headers
                .get("retry-after")
                .map(|v| v.to_str().expect("ascii").parse::<u64>().expect("seconds"));
        }
        statuses.push(status);
    }
    assert_eq!(statuses, [202, 202, 202, 429, 429, 429]);
    let wait = retry_after.expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(h.smtp.count_to(ALICE), 3, "the flood sent no more mail");
}

#[tokio::test]
async fn a_second_link_within_the_cooldown_is_refused_with_retry_after_known_or_not() {
    let h = start_with(Limits {
        resend_cooldown_secs: 30,
        ..Limits::default()
    })
    .await;
    h.create_user(ALICE, None).await;
    let (_, challenge) = pkce();
    let ask = |email: &'static str| {
        let body = json!({"email": email, "code_challenge": challenge, "code_challenge_method": "S256", "device": device()});
        let h = &h;
        async move { h.post("/v1/auth/login-requests", body).await }
    };
    for email in [ALICE, "nobody@exemple.fr"] {
        let (s, first, _) = ask(email).await;
        assert_eq!(
            (s, first["resend_after"].as_i64()),
            (202, Some(30)),
            "{first}"
        );
        h.clock.advance(10);
        let (s, again, headers) = ask(email).await;
        assert_eq!(
            (s, again["code"].as_str()),
            (429, Some("resend_too_soon")),
            "{again}"
        );
        let wait: u64 = headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        // What is left of the cooldown (the clock runs on while the test does: a second
        // boundary may fall between the two requests).
        assert!(
            (19..=20).contains(&wait),
            "what is left of the cooldown: {wait}"
        );
        h.clock.advance(21);
        let (s, _, _) = ask(email).await;
        assert_eq!(s, 202, "asking after the cooldown works");
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        h.smtp.count_to(ALICE),
        2,
        "the refused request sent no mail"
    );
}

#[tokio::test]
async fn a_flood_from_one_address_is_answered_429() {
    let h = start_with(Limits {
        per_ip_burst: 5,
        per_ip_every_ms: 60_000,
        ..Limits::default()
    })
    .await;
    let mut last = (0, Value::Null);
    for i in 0..8 {
        let (s, b, _) = h
            .post(
                "/v1/auth/token",
                json!({"grant_type": "refresh_token", "refresh_token": format!("nope{i}")}),
            )
            .await;
        last = (s, b);
    }
    assert_eq!(last.0, 429, "{}", last.1);
    assert_eq!(last.1["code"], "rate_limited");
    // Another client address is not affected by the first one's flood.
    let other = h.client_from("127.0.0.2");
    let (status, body) = h
        .post_from(
            &other,
            "/v1/auth/token",
            json!({"grant_type": "refresh_token", "refresh_token": "nope"}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_ended")),
        "{body}"
    );
}

#[tokio::test]
async fn an_oversize_or_deeply_nested_body_is_refused_cleanly() {
    let h = start().await;
    let huge = json!({"email": "a".repeat(100 * 1024), "code_challenge": "x", "code_challenge_method": "S256", "device": device()});
    let (s, body, _) = h.post("/v1/auth/login-requests", huge).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (413, Some("body_too_large")),
        "{body}"
    );
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let r = h
        .http
        .post(format!("{}/v1/auth/token", h.url))
        .header("content-type", "application/json")
        .body(nested)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.expect("json")["code"],
        "invalid_request"
    );
}

// ---------- contract and secrets ----------

#[tokio::test]
async fn openapi_document_describes_the_whole_api() {
    let h = start().await;
    let doc: Value = h
        .http
        .get(format!("{}/v1/openapi.json", h.url))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    for path in [
        "/v1/status",
        "/v1/auth/login-requests",
        "/v1/auth/token",
        "/v1/auth/sessions",
        "/v1/auth/password-resets",
        "/v1/me/password",
        "/v1/demo/slots",
        "/v1/demo/requests",
        "/v1/me",
        "/v1/me/onboarding",
        "/v1/me/export",
        "/v1/support/tickets",
        "/v1/company/contract",
        "/v1/company/deletion-requests",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("TokenRequest").is_some());
}

#[tokio::test]
async fn english_accounts_get_english_mail() {
    let h = start().await;
    econfiance_server::admin::create_user(
        &h.ctx.db,
        "john@shop-example.co.uk",
        None,
        "en",
        h.clock.now(),
    )
    .await
    .expect("user");
    h.login_request("john@shop-example.co.uk").await;
    let mail = h.smtp.nth_to("john@shop-example.co.uk", 1).await;
    assert_eq!(mail.subject, "Your e-confiance login link");
    assert!(mail.text.contains("Or type this code in the app:"));
}

#[tokio::test]
async fn a_full_login_leaves_no_secret_in_the_logs() {
    let h = start().await;
    h.create_user(ALICE, Some("ancien mot de passe solide"))
        .await;
    let (id, verifier) = h.login_request(ALICE).await;
    let login_mail = h.smtp.nth_to(ALICE, 1).await.text;
    let code = code_in(&login_mail);
    // The mail's landing page, opened as the owner does: its address holds the code.
    let landing = h
        .http
        .get(link_in(&login_mail))
        .send()
        .await
        .expect("landing");
    assert_eq!(landing.status(), 200);
    let (_, tokens) = h.exchange(&id, &code, &verifier).await;
    let (_, refreshed) = h
        .refresh(tokens["refresh_token"].as_str().expect("r"))
        .await;
    let (_, by_password) = password_login(&h, ALICE, "ancien mot de passe solide").await;
    let (rid, rverifier, _) = reset_request(&h, ALICE).await;
    let reset_link = link_in(&h.smtp.nth_to(ALICE, 2).await.text);
    let token = param(&reset_link, "token");
    let landing = h.http.get(&reset_link).send().await.expect("landing");
    assert_eq!(landing.status(), 200);
    h.post("/v1/auth/password-resets/confirm",
        json!({"request_id": rid, "token": token, "code_verifier": rverifier, "new_password": "trois tortues lisent Proust"})).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let logs = support::captured_logs();
    assert!(logs.contains(&id), "the logs do record the flow");
    assert!(
        logs.contains("/auth/link"),
        "the landing pages' requests are logged (at debug level)"
    );
    let secrets = [
        code.clone(),
        verifier,
        rverifier,
        token,
        "ancien mot de passe solide".to_owned(),
        "trois tortues lisent Proust".to_owned(),
        tokens["access_token"].as_str().expect("a").to_owned(),
        tokens["refresh_token"].as_str().expect("r").to_owned(),
        refreshed["refresh_token"].as_str().expect("r").to_owned(),
        by_password["access_token"].as_str().expect("a").to_owned(),
    ];
    for secret in secrets {
        assert!(!logs.contains(&secret), "a secret reached the logs");
    }
}

#[tokio::test]
async fn secrets_are_stored_only_as_digests() {
    let h = start().await;
    h.create_user(ALICE, None).await;
    let (id, verifier) = h.login_request(ALICE).await;
    let code = code_in(&h.smtp.nth_to(ALICE, 1).await.text);
    let (_, tokens) = h.exchange(&id, &code, &verifier).await;
    let text = h.stored_data().await;
    assert!(text.contains(ALICE), "the stored data is read");
    for secret in [
        code.as_str(),
        verifier.as_str(),
        tokens["access_token"].as_str().expect("a"),
        tokens["refresh_token"].as_str().expect("r"),
    ] {
        assert!(!text.contains(secret), "a secret is stored in clear");
    }
}
