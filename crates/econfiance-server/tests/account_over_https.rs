//! The account lifecycle over real HTTPS on loopback with a real SMTP listener: demo
//! booking, opening the account, onboarding, support, contract and deletion, my data.

use econfiance_integration as support;

use econfiance_api::account::Plan;
use reqwest::Method;
use serde_json::{json, Value};
use support::{start, Harness};

/// Paris 10:00 on the given date (winter or summer offsets handled by jiff).
fn paris(y: i16, m: i8, d: i8, h: i8) -> i64 {
    jiff::civil::date(y, m, d)
        .at(h, 0, 0, 0)
        .in_tz("Europe/Paris")
        .expect("paris")
        .timestamp()
        .as_second()
}

fn demo_body(slot: &str) -> Value {
    json!({"name": "Marie Dupont", "company": "Boulangerie Dupont", "email": "marie@boulangerie-dupont.fr",
           "phone": "01 23 45 67 89", "slot_start": slot, "message": "Nous avons 3 boutiques."})
}

async fn first_slot(h: &Harness) -> String {
    let (s, slots) = h.get("/v1/demo/slots", None).await;
    assert_eq!(s, 200);
    slots["days"][0]["slots"][0]["start"]
        .as_str()
        .expect("slot")
        .to_owned()
}

// ---------- demo ----------

#[tokio::test]
async fn slots_cover_ten_business_days_and_never_14_july() {
    let h = start().await;
    h.set_now(paris(2027, 7, 9, 10)); // Friday 9 July 2027; 14 July is a Wednesday
    let (_, slots) = h.get("/v1/demo/slots", None).await;
    let days: Vec<&str> = slots["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["date"].as_str().expect("date"))
        .collect();
    assert_eq!(days.len(), 10);
    assert_eq!(&days[..3], ["2027-07-12", "2027-07-13", "2027-07-15"]);
    assert!(!days.contains(&"2027-07-14"));
    assert!(
        !days
            .iter()
            .any(|d| *d == "2027-07-10" || *d == "2027-07-11"),
        "no weekend"
    );
    let first_day = &slots["days"][0]["slots"];
    assert_eq!(first_day.as_array().expect("slots").len(), 18);
    assert_eq!(first_day[0]["time_paris"], "09:00");
    assert_eq!(first_day[0]["start"], "2027-07-12T07:00:00Z");
    assert_eq!(first_day[17]["time_paris"], "17:30");
}

#[tokio::test]
async fn easter_monday_is_never_offered() {
    let h = start().await;
    h.set_now(paris(2027, 3, 25, 10)); // Thursday; Easter Monday 2027 is 29 March
    let (_, slots) = h.get("/v1/demo/slots", None).await;
    let days: Vec<&str> = slots["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["date"].as_str().expect("date"))
        .collect();
    assert_eq!(&days[..2], ["2027-03-26", "2027-03-30"]);
}

#[tokio::test]
async fn booking_takes_the_slot_and_sends_an_ics_invitation() {
    let h = start().await;
    let slot = first_slot(&h).await;
    let (s, booked, _) = h.post("/v1/demo/requests", demo_body(&slot)).await;
    assert_eq!(s, 201, "{booked}");
    assert_eq!(booked["slot_start"], slot.as_str());
    let (_, slots) = h.get("/v1/demo/slots", None).await;
    assert_ne!(
        slots["days"][0]["slots"][0]["start"],
        slot.as_str(),
        "the slot is no longer offered"
    );
    let mail = h.smtp.nth_to("marie@boulangerie-dupont.fr", 1).await;
    assert_eq!(mail.subject, "Votre démonstration e-confiance est réservée");
    let (name, ics) = mail.attachments.first().expect("an attachment").clone();
    assert_eq!(name, "invitation.ics");
    let stamp = slot.replace(['-', ':'], "");
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains(&format!("DTSTART:{stamp}")),
        "{ics}"
    );
    assert!(ics.contains("mailto:marie@boulangerie-dupont.fr"));
    let (s, again, _) = h.post("/v1/demo/requests", demo_body(&slot)).await;
    assert_eq!(
        (s, again["code"].as_str()),
        (409, Some("slot_taken")),
        "{again}"
    );
}

#[tokio::test]
async fn concurrent_bookings_of_one_slot_give_exactly_one_booking() {
    let h = start().await;
    let slot = first_slot(&h).await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let http = h.http.clone();
        let url = format!("{}/v1/demo/requests", h.url);
        let mut body = demo_body(&slot);
        body["email"] = json!(format!("client{i}@exemple.fr"));
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .json(&body)
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        11,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn every_wrong_booking_field_is_reported_at_once_in_both_languages() {
    let h = start().await;
    let (s, body, _) = h
        .post("/v1/demo/requests", json!({"name": " ", "company": "Dupont", "email": "marie@", "phone": "12345", "slot_start": "2020-01-01T08:00:00Z"}))
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["code"], "validation_failed");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["name", "email", "phone", "slot_start"]);
    for f in body["fields"].as_array().expect("fields") {
        assert!(
            !f["message_fr"].as_str().expect("fr").is_empty()
                && !f["message_en"].as_str().expect("en").is_empty()
        );
        assert_ne!(f["message_fr"], f["message_en"]);
    }
}

// ---------- opening the account, onboarding ----------

async fn open_demo_account(h: &Harness, plan: Plan) -> (String, Value) {
    let slot = first_slot(h).await;
    let (_, booked, _) = h.post("/v1/demo/requests", demo_body(&slot)).await;
    let (user, welcome) = econfiance_server::admin::open_account_from_demo(
        &h.ctx.db,
        &h.url,
        booked["id"].as_str().expect("id"),
        plan,
        h.clock.now(),
    )
    .await
    .expect("open");
    h.ctx.mailer.send(welcome).await.expect("queued");
    // Booking confirmation, then welcome: both delivered before the login mail.
    h.smtp.nth_to("marie@boulangerie-dupont.fr", 2).await;
    let tokens = h.login("marie@boulangerie-dupont.fr").await;
    (user, tokens)
}

#[tokio::test]
async fn an_account_opened_from_a_demo_gets_a_welcome_mail_and_must_onboard() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let welcome = h.smtp.nth_to("marie@boulangerie-dupont.fr", 2).await;
    assert!(welcome.subject.contains("Bienvenue"), "{}", welcome.subject);
    assert!(
        welcome.text.contains("Recevoir mon lien de connexion")
            && welcome.text.contains("J'ai oublié mon mot de passe")
    );
    assert!(!welcome.raw.contains("econfiance://"));
    let access = tokens["access_token"].as_str().expect("access");
    let (s, me) = h.get("/v1/me", Some(access)).await;
    assert_eq!(s, 200);
    assert_eq!(me["onboarding_required"], true);
    assert_eq!(me["has_password"], false);
    assert_eq!(me["company"]["legal_name"], "Boulangerie Dupont");
}

fn onboarding(siret: &str) -> Value {
    json!({
        "company": {"legal_name": "Boulangerie Dupont SARL", "siret": siret, "address": "12 rue de la Paix",
                    "postal_code": "75002", "city": "Paris", "website": "www.boulangerie-dupont.fr",
                    "sector": "Boulangerie", "phone": "01 23 45 67 89"},
        "person": {"first_name": "Marie", "last_name": "Dupont", "job_title": "Gérante", "phone": "06 12 34 56 78"}
    })
}

#[tokio::test]
async fn onboarding_reports_every_wrong_field_then_completes() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("access");
    let mut bad = onboarding("73282932000075");
    bad["company"]["postal_code"] = json!("96000");
    bad["company"]["website"] = json!("pas un site");
    bad["company"]["phone"] = json!("12");
    bad["person"]["first_name"] = json!("");
    let (s, body) = h
        .authed(Method::PUT, "/v1/me/onboarding", access, Some(bad))
        .await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("f"))
        .collect();
    assert_eq!(
        fields,
        [
            "company.siret",
            "company.postal_code",
            "company.website",
            "company.phone",
            "person.first_name"
        ]
    );
    assert_eq!(body["fields"][0]["code"], "invalid_siret");

    let (s, me) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            access,
            Some(onboarding("732 829 320 00074")),
        )
        .await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["onboarding_required"], false);
    assert_eq!(me["company"]["siret"], "73282932000074");
    assert_eq!(
        me["company"]["website"],
        "https://www.boulangerie-dupont.fr/"
    );
    assert_eq!(me["person"]["phone"], "+33 6 12 34 56 78");
}

#[tokio::test]
async fn details_edited_after_onboarding_pass_the_same_checks_and_a_refused_edit_changes_nothing() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("access");
    let (s, first) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            access,
            Some(onboarding("73282932000074")),
        )
        .await;
    assert_eq!(s, 200, "{first}");

    // A later edit with a wrong SIRET: refused, and nothing of it is kept.
    let mut edit = onboarding("73282932000075");
    edit["company"]["city"] = json!("Lyon");
    let (s, body) = h
        .authed(Method::PUT, "/v1/me/onboarding", access, Some(edit.clone()))
        .await;
    assert_eq!(
        (s, body["fields"][0]["field"].as_str()),
        (422, Some("company.siret")),
        "{body}"
    );
    let (_, me) = h.get("/v1/me", Some(access)).await;
    assert_eq!(me["company"]["city"], "Paris");
    assert_eq!(me["company"]["siret"], "73282932000074");

    // With La Poste's SIRET (its own rule) the edit is kept, and onboarding stays done.
    edit["company"]["siret"] = json!("35600000000001");
    edit["person"]["job_title"] = json!("Directrice");
    let (s, me) = h
        .authed(Method::PUT, "/v1/me/onboarding", access, Some(edit))
        .await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["company"]["city"], "Lyon");
    assert_eq!(me["company"]["siret"], "35600000000001");
    assert_eq!(me["person"]["job_title"], "Directrice");
    assert_eq!(me["onboarding_required"], false);
}

#[tokio::test]
async fn la_poste_sirets_follow_their_own_rule() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("access");
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            access,
            Some(onboarding("35600000000014")),
        )
        .await;
    assert_eq!(
        (s, body["fields"][0]["code"].as_str()),
        (422, Some("invalid_siret")),
        "Luhn-valid but digit sum 19"
    );
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            access,
            Some(onboarding("35600000000001")),
        )
        .await;
    assert_eq!(s, 200, "digit sum 15: {body}");
}

#[tokio::test]
async fn html_and_sql_looking_input_is_stored_and_shown_back_safely() {
    let h = start().await;
    let nasty = "<script>alert('x')</script>'; DROP TABLE companies;--";
    let slot = first_slot(&h).await;
    let mut body = demo_body(&slot);
    body["name"] = json!(nasty);
    body["company"] = json!(nasty);
    body["message"] = json!(nasty);
    let (s, booked, _) = h.post("/v1/demo/requests", body).await;
    assert_eq!(s, 201, "{booked}");
    let mail = h.smtp.nth_to("marie@boulangerie-dupont.fr", 1).await;
    assert!(
        !mail.html.contains("<script>"),
        "escaped in the mail's HTML"
    );
    assert!(mail.html.contains("&lt;script&gt;"), "{}", mail.html);
    let (_, welcome) = econfiance_server::admin::open_account_from_demo(
        &h.ctx.db,
        &h.url,
        booked["id"].as_str().expect("id"),
        Plan::Pro,
        h.clock.now(),
    )
    .await
    .expect("open");
    assert!(!welcome.html.contains("<script>"));
    let tokens = h.login("marie@boulangerie-dupont.fr").await;
    let access = tokens["access_token"].as_str().expect("access");
    let mut form = onboarding("73282932000074");
    for field in ["legal_name", "address", "city", "sector"] {
        form["company"][field] = json!(nasty);
    }
    for field in ["last_name", "job_title"] {
        form["person"][field] = json!(nasty);
    }
    let (s, me) = h
        .authed(Method::PUT, "/v1/me/onboarding", access, Some(form))
        .await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(
        me["company"]["legal_name"], nasty,
        "stored exactly, returned as data"
    );
    assert_eq!(me["person"]["job_title"], nasty);
    let (s, ticket) = h
        .authed(
            Method::POST,
            "/v1/support/tickets",
            access,
            Some(json!({"category": "bug", "subject": nasty, "message": nasty})),
        )
        .await;
    assert_eq!(s, 201, "{ticket}");
    let confirmation = h.smtp.nth_to("marie@boulangerie-dupont.fr", 3).await;
    assert!(
        !confirmation.html.contains("<script>") && confirmation.html.contains("&lt;script&gt;")
    );
    let (_, tickets) = h.get("/v1/support/tickets", Some(access)).await;
    assert_eq!(tickets[0]["subject"], nasty);
    // The tables are all still there.
    for (table, query) in [
        ("companies", "SELECT COUNT(*) FROM companies"),
        ("users", "SELECT COUNT(*) FROM users"),
        ("support_tickets", "SELECT COUNT(*) FROM support_tickets"),
        ("demo_requests", "SELECT COUNT(*) FROM demo_requests"),
    ] {
        let n: i64 = sqlx::query_scalar(query)
            .fetch_one(&h.ctx.db)
            .await
            .expect(table);
        assert!(n >= 1, "{table}");
    }
}

// ---------- support ----------

#[tokio::test]
async fn a_logged_out_login_ticket_gets_a_reference_and_a_48_hour_promise() {
    let h = start().await;
    let now = h.clock.now();
    let (s, created, _) = h
        .post("/v1/support/tickets", json!({"category": "connexion", "subject": "Je ne reçois pas le lien",
            "message": "Rien dans mes courriers indésirables.", "contact_email": "marie@boulangerie-dupont.fr",
            "diagnostics": "app 0.1.0, Ubuntu 24.04, keyring ok"}))
        .await;
    assert_eq!(s, 201, "{created}");
    let reference = created["reference"].as_str().expect("reference");
    assert!(
        reference.starts_with("EC-") && reference.len() == 11,
        "{reference}"
    );
    let respond_by: jiff::Timestamp = created["respond_by"]
        .as_str()
        .expect("respond_by")
        .parse()
        .expect("time");
    assert!((respond_by.as_second() - (now + 48 * 3600)).abs() <= 2);
    let mail = h.smtp.nth_to("marie@boulangerie-dupont.fr", 1).await;
    assert!(
        mail.subject.contains(reference) && mail.text.contains("48 heures"),
        "{}",
        mail.text
    );
}

#[tokio::test]
async fn logged_out_tickets_are_for_login_problems_and_need_a_contact() {
    let h = start().await;
    let (s, body, _) = h
        .post(
            "/v1/support/tickets",
            json!({"category": "bug", "subject": "x", "message": "y"}),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("f")
        .iter()
        .map(|f| f["field"].as_str().expect("f"))
        .collect();
    assert_eq!(fields, ["contact_email", "category"]);
}

#[tokio::test]
async fn a_ticket_becomes_a_conversation_in_order_until_it_is_closed() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("access");
    let (_, created) = h
        .authed(Method::POST, "/v1/support/tickets", access, Some(json!({"category": "bug", "subject": "Export", "message": "L'export CSV est vide."})))
        .await;
    let reference = created["reference"].as_str().expect("ref").to_owned();
    let path = format!("/v1/support/tickets/{reference}/messages");
    econfiance_server::admin::answer_ticket(
        &h.ctx.db,
        &reference,
        "Quel filtre utilisez-vous ?",
        h.clock.now(),
    )
    .await
    .expect("answer");
    h.clock.advance(60);
    let (s, ticket) = h
        .authed(
            Method::POST,
            &path,
            access,
            Some(json!({"message": "Le filtre 1 étoile."})),
        )
        .await;
    assert_eq!(s, 200, "{ticket}");
    assert_eq!(ticket["status"], "open", "a follow-up opens it again");
    h.clock.advance(60);
    econfiance_server::admin::answer_ticket(
        &h.ctx.db,
        &reference,
        "Corrigé, merci.",
        h.clock.now(),
    )
    .await
    .expect("answer");
    let (_, tickets) = h.get("/v1/support/tickets", Some(access)).await;
    let said: Vec<(&str, &str)> = tickets[0]["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            (
                m["author"].as_str().unwrap_or_default(),
                m["body"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("customer", "L'export CSV est vide."),
            ("support", "Quel filtre utilisez-vous ?"),
            ("customer", "Le filtre 1 étoile."),
            ("support", "Corrigé, merci."),
        ]
    );
    assert_eq!(tickets[0]["status"], "answered");

    // An empty message is refused; another account's ticket is not found.
    let (s, body) = h
        .authed(Method::POST, &path, access, Some(json!({"message": "  "})))
        .await;
    assert_eq!(
        (s, body["fields"][0]["field"].as_str()),
        (422, Some("message"))
    );
    h.create_user("paul@fromagerie-exemple.fr", None).await;
    let paul = h.login("paul@fromagerie-exemple.fr").await;
    let paul = paul["access_token"].as_str().expect("access");
    let (s, body) = h
        .authed(
            Method::POST,
            &path,
            paul,
            Some(json!({"message": "Coucou"})),
        )
        .await;
    assert_eq!((s, body["code"].as_str()), (404, Some("not_found")));
    let (s, _, _) = h.post(&path, json!({"message": "Sans jeton"})).await;
    assert_eq!(s, 401);

    // Closed: a follow-up is refused with what to do, and nothing is added.
    econfiance_server::admin::close_ticket(&h.ctx.db, &reference, h.clock.now())
        .await
        .expect("close");
    let (s, body) = h
        .authed(
            Method::POST,
            &path,
            access,
            Some(json!({"message": "Encore moi"})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("ticket_closed")),
        "{body}"
    );
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("nouvelle demande"));
    let (_, tickets) = h.get("/v1/support/tickets", Some(access)).await;
    assert_eq!(tickets[0]["messages"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn tickets_are_listed_answered_by_mail_and_closed() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("access");
    let (s, created) = h
        .authed(Method::POST, "/v1/support/tickets", access, Some(json!({"category": "facturation", "subject": "Facture de novembre", "message": "Pouvez-vous la renvoyer ?"})))
        .await;
    assert_eq!(s, 201);
    let reference = created["reference"].as_str().expect("ref");
    let answer_mail = econfiance_server::admin::answer_ticket(
        &h.ctx.db,
        reference,
        "C'est fait, bonne journée.",
        h.clock.now(),
    )
    .await
    .expect("answer");
    h.ctx.mailer.send(answer_mail).await.expect("queued");
    let (_, tickets) = h.get("/v1/support/tickets", Some(access)).await;
    assert_eq!(tickets[0]["status"], "answered");
    assert_eq!(tickets[0]["answer"], "C'est fait, bonne journée.");
    // Mails: booking, welcome, login link, ticket confirmation, then the answer.
    let mail = h.smtp.nth_to("marie@boulangerie-dupont.fr", 5).await;
    assert!(
        mail.subject.contains(reference) && mail.text.contains("C'est fait"),
        "{}",
        mail.subject
    );
    econfiance_server::admin::close_ticket(&h.ctx.db, reference, h.clock.now())
        .await
        .expect("close");
    assert_eq!(
        h.get("/v1/support/tickets", Some(access)).await.1[0]["status"],
        "closed"
    );
}

#[tokio::test]
async fn diagnostics_over_the_limit_are_refused_plainly() {
    let h = start().await;
    let body = |size: usize| json!({"category": "connexion", "subject": "s", "message": "m", "contact_email": "a@b.fr", "diagnostics": "x".repeat(size)});
    let (s, ok, _) = h.post("/v1/support/tickets", body(60 * 1024)).await;
    assert_eq!(s, 201, "{ok}");
    let (s, too_big, _) = h.post("/v1/support/tickets", body(70 * 1024)).await;
    assert_eq!(
        (s, too_big["fields"][0]["field"].as_str()),
        (422, Some("diagnostics")),
        "{too_big}"
    );
    let (s, huge, _) = h.post("/v1/support/tickets", body(1024 * 1024)).await;
    assert_eq!((s, huge["code"].as_str()), (413, Some("body_too_large")));
    // Counted in characters, as the document's maxLength: 65,536 accented letters (twice
    // as many bytes) fit.
    let accented = json!({"category": "connexion", "subject": "s", "message": "m", "contact_email": "a@b.fr", "diagnostics": "é".repeat(64 * 1024)});
    let (s, fits, _) = h.post("/v1/support/tickets", accented).await;
    assert_eq!(s, 201, "{fits}");
}

#[tokio::test]
async fn a_user_never_sees_another_users_tickets_or_contract() {
    let h = start().await;
    let (_, marie) = open_demo_account(&h, Plan::Pro).await;
    let marie_access = marie["access_token"].as_str().expect("a");
    h.authed(
        Method::POST,
        "/v1/support/tickets",
        marie_access,
        Some(json!({"category": "bug", "subject": "secret de Marie", "message": "m"})),
    )
    .await;
    let bob_id = h.create_user("bob@garage-exemple.fr", None).await;
    let bob = h.login("bob@garage-exemple.fr").await;
    let bob_access = bob["access_token"].as_str().expect("b");
    let (_, bob_tickets) = h.get("/v1/support/tickets", Some(bob_access)).await;
    assert_eq!(bob_tickets, json!([]));
    let marie_company: String = sqlx::query_scalar(
        "SELECT company_id FROM users WHERE email = 'marie@boulangerie-dupont.fr'",
    )
    .fetch_one(&h.ctx.db)
    .await
    .expect("company");
    for path in [
        format!("/v1/company/contract?company_id={marie_company}"),
        format!("/v1/company/contract?id={marie_company}&user_id={bob_id}"),
    ] {
        let (s, contract) = h.get(&path, Some(bob_access)).await;
        assert_eq!(s, 200);
        assert_eq!(
            contract["plan"], "standard",
            "Bob's own plan, not Marie's Pro: {contract}"
        );
    }
    let (_, export) = h.get("/v1/me/export", Some(bob_access)).await;
    assert!(!export.to_string().contains("secret de Marie"));
    assert!(!export.to_string().contains("boulangerie-dupont"));
}

// ---------- contract, deletion, my data ----------

#[tokio::test]
async fn annual_contract_and_its_deletion_terms() {
    let h = start().await;
    h.set_now(paris(2026, 11, 27, 10));
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("a");
    let (_, contract) = h.get("/v1/company/contract", Some(access)).await;
    assert_eq!(contract["plan"], "standard");
    assert_eq!(contract["commitment"], "annual");
    assert_eq!(contract["started_on"], "2026-11-27");
    assert_eq!(contract["commitment_ends_on"], "2027-11-27");
    let (s, terms) = h
        .authed(
            Method::POST,
            "/v1/company/deletion-requests",
            access,
            Some(json!({"reason": "Fermeture de la boutique"})),
        )
        .await;
    assert_eq!(s, 201, "{terms}");
    assert_eq!(terms["effective_on"], "2027-11-27");
    assert!(
        terms["terms"]
            .as_str()
            .expect("terms")
            .contains("27/11/2027"),
        "{terms}"
    );
    assert!(terms["options"].as_array().expect("options").len() >= 3);
    let (_, tickets) = h.get("/v1/support/tickets", Some(access)).await;
    assert_eq!(tickets[0]["category"], "suppression_compte");
    assert_eq!(tickets[0]["reference"], terms["ticket"]["reference"]);
}

#[tokio::test]
async fn monthly_contract_deletion_takes_effect_at_the_end_of_the_month_period() {
    let h = start().await;
    h.set_now(paris(2026, 11, 27, 10));
    let (_, tokens) = open_demo_account(&h, Plan::Premium).await;
    let access = tokens["access_token"].as_str().expect("a");
    let (_, terms) = h
        .authed(
            Method::POST,
            "/v1/company/deletion-requests",
            access,
            Some(json!({})),
        )
        .await;
    assert_eq!(terms["contract"]["commitment"], "monthly");
    assert_eq!(terms["effective_on"], "2026-12-27");
    assert!(terms["terms"].as_str().expect("t").contains("mensuelle"));
}

#[tokio::test]
async fn my_data_export_holds_everything_but_secrets() {
    let h = start().await;
    let (_, tokens) = open_demo_account(&h, Plan::Standard).await;
    let access = tokens["access_token"].as_str().expect("a");
    h.authed(
        Method::PUT,
        "/v1/me/onboarding",
        access,
        Some(onboarding("73282932000074")),
    )
    .await;
    h.authed(
        Method::POST,
        "/v1/support/tickets",
        access,
        Some(json!({"category": "autre", "subject": "Question", "message": "Bonjour"})),
    )
    .await;
    let (s, export) = h.get("/v1/me/export", Some(access)).await;
    assert_eq!(s, 200);
    assert_eq!(export["account"]["company"]["siret"], "73282932000074");
    assert_eq!(export["contract"]["plan"], "standard");
    assert_eq!(export["support_tickets"][0]["subject"], "Question");
    assert_eq!(export["demo_requests"][0]["company"], "Boulangerie Dupont");
    assert_eq!(
        export["email_alerts"]["max_rating"],
        serde_json::Value::Null
    );
    assert!(!export["sessions"].as_array().expect("sessions").is_empty());
    let text = export.to_string();
    for secret in [
        "digest",
        "password_hash",
        "argon2",
        tokens["refresh_token"].as_str().expect("r"),
    ] {
        assert!(!text.contains(secret), "{secret}");
    }
}

#[tokio::test]
async fn the_account_endpoints_need_a_session() {
    let h = start().await;
    for path in [
        "/v1/me",
        "/v1/me/export",
        "/v1/company/contract",
        "/v1/support/tickets",
    ] {
        let (s, body) = h.get(path, None).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (401, Some("unauthorized")),
            "{path}"
        );
    }
    let (s, _) = h.get("/v1/support/tickets", Some("forged-token")).await;
    assert_eq!(s, 401);
}
