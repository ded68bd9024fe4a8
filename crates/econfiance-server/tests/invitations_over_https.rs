//! Asking customers for reviews, over HTTPS with the mail captured over SMTP: an invitation
//! mailed, its form opened (spending nothing) and sent (once), the review verified in the
//! inbox; the 30-day rule, unsubscribing, a permanent refusal by the mail server; the CSV
//! check in every encoding and separator; the shareable link and its QR code; every
//! refusal; each limit; one company never reaching another's invitations.

use econfiance_integration as support;

use econfiance_server::config::Limits;
use reqwest::Method;
use serde_json::{json, Value};
use support::{link_in, start, start_with, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@fromagerie-exemple.fr";

/// A signed-in owner: their access token.
async fn owner(h: &Harness, email: &str) -> String {
    h.create_user(email, None).await;
    let tokens = h.login(email).await;
    tokens["access_token"].as_str().expect("access").to_owned()
}

fn customer(name: &str, email: &str, order: Option<&str>) -> Value {
    json!({"name": name, "email": email, "order_ref": order})
}

async fn invite(h: &Harness, token: &str, customers: Vec<Value>) -> (u16, Value) {
    h.authed(
        Method::POST,
        "/v1/invitations",
        token,
        Some(json!({ "customers": customers })),
    )
    .await
}

async fn invitations(h: &Harness, token: &str) -> Vec<Value> {
    let (s, body) = h.get("/v1/invitations", Some(token)).await;
    assert_eq!(s, 200, "{body}");
    body["items"].as_array().expect("items").clone()
}

/// The form's link in the `n`-th mail to `to`.
async fn form_link(h: &Harness, to: &str, n: usize) -> String {
    let mail = h.smtp.nth_to(to, n).await;
    link_in(&mail.text)
}

/// GETs a page: status and HTML.
async fn page(client: &reqwest::Client, url: &str) -> (u16, String) {
    let r = client.get(url).send().await.expect("get");
    (r.status().as_u16(), r.text().await.expect("html"))
}

/// POSTs a form: status and HTML.
async fn send_form(client: &reqwest::Client, url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = client.post(url).form(fields).send().await.expect("post");
    (r.status().as_u16(), r.text().await.expect("html"))
}

const REVIEW: [(&str, &str); 6] = [
    ("rating", "5"),
    ("title", "Un accueil chaleureux"),
    ("body", "Baguette encore tiède et conseils avisés, merci !"),
    ("experience_date", "2026-11-20"),
    ("author", "Hélène D."),
    ("consent", "yes"),
];

#[tokio::test]
async fn an_invitation_is_mailed_opened_then_reviewed_once_and_verified() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let (s, body) = invite(
        &h,
        &token,
        vec![json!({"name": "Hélène Dupré", "email": "Helene@Exemple.fr", "order_ref": "C-12", "experience_date": "2026-11-20"})],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["sent"], 1);
    assert_eq!(body["results"][0]["outcome"], "sent");

    let mail = h.smtp.nth_to("helene@exemple.fr", 1).await;
    assert!(
        mail.subject.contains("aimerait connaître votre avis"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Bonjour Hélène Dupré"), "{}", mail.text);
    let link = link_in(&mail.text);
    assert!(link.contains("/avis/invitation/"), "{link}");
    assert!(mail.text.contains("/desabonnement"), "an unsubscribe link");
    assert_eq!(invitations(&h, &token).await[0]["state"], "sent");

    // Opened twice (a link scanner, then the customer): the form both times, nothing spent.
    for _ in 0..2 {
        let (s, html) = page(&h.http, &link).await;
        assert_eq!(s, 200);
        assert!(html.contains("name=\"rating\""), "the form");
        assert!(html.contains("value=\"Hélène D.\""), "the suggested name");
        assert!(html.contains("value=\"2026-11-20\""), "the date given");
    }
    let listed = invitations(&h, &token).await;
    assert_eq!(listed[0]["state"], "opened");
    assert!(listed[0]["opened_at"].is_string());

    let (s, html) = send_form(&h.http, &link, &REVIEW).await;
    assert_eq!(s, 201, "{html}");
    assert!(html.contains("Merci pour votre avis"));
    // Sent again: refused, and no second review.
    let (s, html) = send_form(&h.http, &link, &REVIEW).await;
    assert_eq!(s, 410, "{html}");
    let (s, html) = page(&h.http, &link).await;
    assert_eq!(s, 410);
    assert!(html.contains("déjà envoyé"));

    let listed = invitations(&h, &token).await;
    assert_eq!(listed[0]["state"], "reviewed");
    let review_id = listed[0]["review_id"].as_str().expect("review id");
    let (s, review) = h
        .get(&format!("/v1/reviews/{review_id}"), Some(&token))
        .await;
    assert_eq!(s, 200, "{review}");
    assert_eq!(review["verified"], true);
    assert_eq!(review["source"], "invitation");
    assert_eq!(review["rating"], 5);
    assert_eq!(review["author_name"], "Hélène D.");
    let (_, all) = h.get("/v1/reviews", Some(&token)).await;
    assert_eq!(all["total"], 1, "{all}");
    // The app's notifications hear of it.
    let (_, events) = h.get("/v1/reviews/events?after=0", Some(&token)).await;
    assert!(events.to_string().contains(review_id), "{events}");

    let (s, summary) = h.get("/v1/invitations/summary", Some(&token)).await;
    assert_eq!(s, 200);
    assert_eq!(summary["sent"], 1);
    assert_eq!(summary["opened"], 1);
    assert_eq!(summary["reviewed"], 1);
    assert_eq!(summary["response_rate"], 100.0);
}

#[tokio::test]
async fn a_form_refused_keeps_what_was_typed_and_says_why() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    invite(&h, &token, vec![customer("Jo", "jo@exemple.fr", None)]).await;
    let link = form_link(&h, "jo@exemple.fr", 1).await;
    let (s, html) = send_form(
        &h.http,
        &link,
        &[
            ("title", "Pas de note <script>"),
            ("body", "Un texte assez long pour passer."),
            ("experience_date", "2026-11-20"),
            ("author", "Jo"),
        ],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("Choisissez une note"), "{html}");
    assert!(html.contains("Cochez la case"), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    assert!(html.contains("<title>Avis non envoyé"), "{html}");
    assert!(
        html.contains("value=\"Pas de note &lt;script&gt;\""),
        "kept, escaped: {html}"
    );
    assert!(html.contains("Un texte assez long pour passer."), "{html}");
    // Nothing spent: the link still works.
    assert_eq!(invitations(&h, &token).await[0]["state"], "opened");
    let (s, _) = send_form(&h.http, &link, &REVIEW).await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn a_link_expires_after_30_days() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    invite(&h, &token, vec![customer("Jo", "jo@exemple.fr", None)]).await;
    let link = form_link(&h, "jo@exemple.fr", 1).await;
    h.set_now(h.clock.now() + 30 * 86_400 + 1);
    let (s, html) = page(&h.http, &link).await;
    assert_eq!(s, 410);
    assert!(html.contains("expiré"), "{html}");
    let (s, _) = send_form(&h.http, &link, &REVIEW).await;
    assert_eq!(s, 410);
    let (s, html) = page(&h.http, &format!("{}/avis/invitation/inconnu", h.url)).await;
    assert_eq!(s, 404);
    assert!(html.contains("Lien inconnu"));
}

#[tokio::test]
async fn one_invitation_per_email_and_order_in_30_days() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let (_, first) = invite(
        &h,
        &token,
        vec![customer("Jo", "jo@exemple.fr", Some("A1"))],
    )
    .await;
    assert_eq!(first["results"][0]["outcome"], "sent");
    let (s, again) = invite(
        &h,
        &token,
        vec![
            customer("Jo", "JO@exemple.fr", Some("A1")),
            customer("Jo", "jo@exemple.fr", Some("A2")),
            customer("Jo", "jo@exemple.fr", Some("A2")),
        ],
    )
    .await;
    assert_eq!(s, 200, "{again}");
    let outcomes: Vec<&str> = again["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(outcomes, ["already_invited", "sent", "duplicate"]);
    h.smtp.nth_to("jo@exemple.fr", 2).await;
    // 30 days later, the same order may be asked again.
    h.set_now(h.clock.now() + 30 * 86_400 + 1);
    let token = h.login(MARIE).await["access_token"]
        .as_str()
        .expect("access")
        .to_owned();
    let (_, later) = invite(
        &h,
        &token,
        vec![customer("Jo", "jo@exemple.fr", Some("A1"))],
    )
    .await;
    assert_eq!(later["results"][0]["outcome"], "sent");
}

#[tokio::test]
async fn an_unsubscribed_customer_is_never_invited_again_by_that_company() {
    let h = start().await;
    let marie = owner(&h, MARIE).await;
    let paul = owner(&h, PAUL).await;
    invite(
        &h,
        &marie,
        vec![customer("Jo", "jo@exemple.fr", Some("A1"))],
    )
    .await;
    let mail = h.smtp.nth_to("jo@exemple.fr", 1).await;
    let stop = mail
        .text
        .split_whitespace()
        .find(|w| w.contains("/desabonnement"))
        .expect("unsubscribe link")
        .to_owned();
    // Opening it changes nothing (mail scanners open links); the button does.
    let (s, html) = page(&h.http, &stop).await;
    assert_eq!(s, 200);
    assert!(html.contains("<form method=\"post\""), "{html}");
    assert_eq!(invitations(&h, &marie).await[0]["state"], "sent");
    let (s, html) = send_form(&h.http, &stop, &[]).await;
    assert_eq!(s, 200, "{html}");
    assert_eq!(invitations(&h, &marie).await[0]["state"], "unsubscribed");

    let (_, again) = invite(
        &h,
        &marie,
        vec![customer("Jo", "jo@exemple.fr", Some("B2"))],
    )
    .await;
    assert_eq!(again["results"][0]["outcome"], "unsubscribed");
    assert_eq!(again["sent"], 0);
    // Another company is not concerned.
    let (_, other) = invite(&h, &paul, vec![customer("Jo", "jo@exemple.fr", Some("B2"))]).await;
    assert_eq!(other["results"][0]["outcome"], "sent");
    h.smtp.nth_to("jo@exemple.fr", 2).await;
}

#[tokio::test]
async fn a_mail_refused_for_good_marks_its_invitation_refused() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    invite(
        &h,
        &token,
        vec![customer("Nobody", "refused@exemple.fr", None)],
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if invitations(&h, &token).await[0]["state"] == "refused" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not marked refused");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (_, summary) = h.get("/v1/invitations/summary", Some(&token)).await;
    assert_eq!(summary["refused"], 1);
}

#[tokio::test]
async fn wrong_details_are_all_named_and_nothing_is_sent() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let (s, body) = invite(
        &h,
        &token,
        vec![
            customer("Ana", "ana@exemple.fr", None),
            customer("", "pas-un-email", None),
            json!({"name": "Bob", "email": "bob@exemple.fr", "experience_date": "2099-01-01"}),
        ],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(
        fields,
        [
            "customers[1].name",
            "customers[1].email",
            "customers[2].experience_date"
        ]
    );
    assert!(invitations(&h, &token).await.is_empty());
    let (s, body) = invite(&h, &token, vec![]).await;
    assert_eq!(s, 422, "{body}");
    let (s, _, _) = h
        .post(
            "/v1/invitations",
            json!({"customers": [customer("A", "a@exemple.fr", None)]}),
        )
        .await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn a_company_sees_only_its_own_invitations() {
    let h = start().await;
    let marie = owner(&h, MARIE).await;
    let paul = owner(&h, PAUL).await;
    invite(&h, &marie, vec![customer("Jo", "jo@exemple.fr", None)]).await;
    assert_eq!(invitations(&h, &marie).await.len(), 1);
    assert!(invitations(&h, &paul).await.is_empty());
    let (_, summary) = h.get("/v1/invitations/summary", Some(&paul)).await;
    assert_eq!(summary["sent"], 0);
    assert_eq!(summary["response_rate"], Value::Null);
    let (_, a) = h.get("/v1/review-link", Some(&marie)).await;
    let (_, b) = h.get("/v1/review-link", Some(&paul)).await;
    assert_ne!(a["url"], b["url"]);
}

#[tokio::test]
async fn invitations_page_newest_first() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let customers: Vec<Value> = (0..5)
        .map(|i| customer(&format!("C{i}"), &format!("c{i}@exemple.fr"), None))
        .collect();
    invite(&h, &token, customers).await;
    let (_, first) = h.get("/v1/invitations?limit=2", Some(&token)).await;
    assert_eq!(first["items"][0]["email"], "c4@exemple.fr");
    let cursor = first["next_cursor"].as_str().expect("more");
    let (_, second) = h
        .get(
            &format!("/v1/invitations?limit=2&cursor={cursor}"),
            Some(&token),
        )
        .await;
    assert_eq!(second["items"][0]["email"], "c2@exemple.fr");
    let (s, _) = h.get("/v1/invitations?cursor=abc", Some(&token)).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn a_company_cannot_pass_its_daily_invitations() {
    let h = start_with(Limits {
        resend_cooldown_secs: 0,
        invitations_per_day: 3,
        ..Limits::default()
    })
    .await;
    let token = owner(&h, MARIE).await;
    let four: Vec<Value> = (0..4)
        .map(|i| customer("C", &format!("c{i}@exemple.fr"), None))
        .collect();
    let (s, body) = invite(&h, &token, four.clone()).await;
    assert_eq!(s, 429, "{body}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("il en reste 3"),
        "{body}"
    );
    assert!(invitations(&h, &token).await.is_empty(), "nothing stored");
    let (s, _) = invite(&h, &token, four[..3].to_vec()).await;
    assert_eq!(s, 200);
    let (_, summary) = h.get("/v1/invitations/summary", Some(&token)).await;
    assert_eq!(summary["left_today"], 0);
    let (s, _) = invite(&h, &token, four[3..].to_vec()).await;
    assert_eq!(s, 429);
    // A day later, the allowance is back.
    h.set_now(h.clock.now() + 86_401);
    let token = h.login(MARIE).await["access_token"]
        .as_str()
        .expect("access")
        .to_owned();
    let (s, _) = invite(&h, &token, four[3..].to_vec()).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn forms_sent_from_one_address_are_limited_and_keep_their_text() {
    let h = start_with(Limits {
        resend_cooldown_secs: 0,
        review_forms_per_address: 2,
        ..Limits::default()
    })
    .await;
    let token = owner(&h, MARIE).await;
    let customers: Vec<Value> = (0..3)
        .map(|i| customer("C", &format!("c{i}@exemple.fr"), None))
        .collect();
    invite(&h, &token, customers).await;
    let from = h.client_from("127.0.0.9");
    for i in 0..2 {
        let link = form_link(&h, &format!("c{i}@exemple.fr"), 1).await;
        let (s, _) = send_form(&from, &link, &REVIEW).await;
        assert_eq!(s, 201);
    }
    let link = form_link(&h, "c2@exemple.fr", 1).await;
    let (s, html) = send_form(&from, &link, &REVIEW).await;
    assert_eq!(s, 429);
    assert!(html.contains("Réessayez dans"), "{html}");
    assert!(
        html.contains("Baguette encore tiède"),
        "the text kept: {html}"
    );
    // Another address is not held back.
    let (s, _) = send_form(&h.client_from("127.0.0.10"), &link, &REVIEW).await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn the_shared_link_and_its_qr_code_lead_to_an_unverified_review() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let (s, link) = h.get("/v1/review-link", Some(&token)).await;
    assert_eq!(s, 200, "{link}");
    let url = link["url"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with(&h.url) && url.contains("/avis/entreprise/"),
        "{url}"
    );
    assert!(link["qr_svg"].as_str().expect("svg").contains("<svg"));
    let (_, again) = h.get("/v1/review-link", Some(&token)).await;
    assert_eq!(again["url"], url, "the same link for good");

    // The PNG decodes back to the link.
    let r = h
        .http
        .get(format!("{}/v1/review-link/qr.png", h.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("png");
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .contains("attachment"));
    let png = r.bytes().await.expect("bytes");
    let decoder = png::Decoder::new(std::io::Cursor::new(png.to_vec()));
    let mut reader = decoder.read_info().expect("png");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut pixels).expect("frame");
    let (w, hgt) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, hgt, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    let (_, decoded) = grids[0].decode().expect("decoded");
    assert_eq!(decoded, url);
    let r = h
        .http
        .get(format!("{}/v1/review-link/qr.svg", h.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("svg");
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let svg = r.text().await.expect("svg text");
    assert!(svg.contains("<svg"));

    let (s, html) = page(&h.http, &url).await;
    assert_eq!(s, 200);
    assert!(html.contains("name=\"rating\""));
    let (s, _) = send_form(&h.http, &url, &REVIEW).await;
    assert_eq!(s, 201);
    let (_, reviews) = h.get("/v1/reviews", Some(&token)).await;
    assert_eq!(reviews["items"][0]["verified"], false);
    assert_eq!(reviews["items"][0]["source"], "organic");
    let (s, _) = page(&h.http, &format!("{}/avis/entreprise/inconnu", h.url)).await;
    assert_eq!(s, 404);
}

async fn check_csv(h: &Harness, token: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = h
        .http
        .post(format!("{}/v1/invitations/csv", h.url))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(bytes)
        .send()
        .await
        .expect("csv");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_csv_is_checked_line_by_line_in_each_encoding_and_separator() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    // Already invited and unsubscribed customers, for the history's checks.
    invite(
        &h,
        &token,
        vec![customer("Old", "old@exemple.fr", Some("7"))],
    )
    .await;

    let files: [(&str, Vec<u8>); 3] = [
        (
            "windows-1252",
            b"Pr\xE9nom;Nom;E-mail;Commande;Consentement\r\nH\xE9l\xE8ne;Dupr\xE9;helene@exemple.fr;1;oui\r\nOld;One;old@exemple.fr;7;oui\r\nBad;Mail;pas-un-email;2;oui\r\nNo;Consent;no@exemple.fr;3;non\r\n".to_vec(),
        ),
        (
            "utf-8",
            "\u{feff}Prénom,Nom,E-mail,Commande,Consentement\nHélène,Dupré,helene@exemple.fr,1,oui\nOld,One,old@exemple.fr,7,oui\nBad,Mail,pas-un-email,2,oui\nNo,Consent,no@exemple.fr,3,non\n".as_bytes().to_vec(),
        ),
        (
            "utf-8",
            "name;email;order;consent\nHélène Dupré;helene@exemple.fr;1;yes\nOld One;old@exemple.fr;7;yes\nBad Mail;pas-un-email;2;yes\nNo Consent;no@exemple.fr;3;no\n".as_bytes().to_vec(),
        ),
    ];
    for (encoding, bytes) in files {
        let (s, preview) = check_csv(&h, &token, bytes).await;
        assert_eq!(s, 200, "{preview}");
        assert_eq!(preview["encoding"], encoding);
        let lines = preview["lines"].as_array().expect("lines");
        assert_eq!(lines[0]["customer"]["name"], "Hélène Dupré");
        assert_eq!(lines[0]["problem"], Value::Null);
        let codes: Vec<&str> = lines[1..]
            .iter()
            .map(|l| l["problem"]["code"].as_str().expect("a problem"))
            .collect();
        assert_eq!(codes, ["already_invited", "invalid_email", "no_consent"]);
        assert_eq!(preview["ready"], 1);
    }
    // Nothing was sent by checking: the only invitation is the one made above.
    assert_eq!(invitations(&h, &token).await.len(), 1);

    let (s, body) = check_csv(&h, &token, b"nom;telephone\nA;01\n".to_vec()).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "file");
    assert!(body["fields"][0]["message_fr"]
        .as_str()
        .expect("fr")
        .contains("colonne « e-mail »"));
    let (s, body) = check_csv(&h, &token, vec![b'a'; 2 * 1024 * 1024]).await;
    assert_eq!(s, 413, "{body}");
}

#[tokio::test]
async fn a_shared_link_takes_at_most_its_daily_reviews_and_keeps_the_refused_text() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let (_, link) = h.get("/v1/review-link", Some(&token)).await;
    let url = link["url"].as_str().expect("url").to_owned();
    let per_day = usize::try_from(econfiance_server::invitations::form::LINK_REVIEWS_PER_DAY)
        .expect("a count");
    // From many addresses (each within its own allowance), as a flood would come.
    for i in 0..per_day {
        let from = h.client_from(&format!("127.0.3.{}", i / 10 + 1));
        let (s, html) = send_form(&from, &url, &REVIEW).await;
        assert_eq!(s, 201, "review {i}: {html}");
    }
    let (s, html) = send_form(&h.client_from("127.0.4.1"), &url, &REVIEW).await;
    assert_eq!(s, 429);
    assert!(html.contains("réessayez demain"), "{html}");
    assert!(
        html.contains("Baguette encore tiède"),
        "the text kept: {html}"
    );
    let (_, reviews) = h.get("/v1/reviews", Some(&token)).await;
    assert_eq!(reviews["total"], per_day, "{reviews}");
}
