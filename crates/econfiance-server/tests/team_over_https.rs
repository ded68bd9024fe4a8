//! Teams over HTTPS: a colleague invited by an owner logs in through the usual login mail,
//! gives only their own details, and signs the replies they write; every role against
//! every action (allowed, or 403 `forbidden` with a message); the invitation's life (sent,
//! sent again, withdrawn, expired, accepted); a removed member's sessions ending at once
//! with the reason; the last owner kept; a person of two companies switching between them;
//! one company never reaching another's team.

use econfiance_integration as support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{access, code_in, start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@boulangerie-exemple.fr";
const LEA: &str = "lea@boulangerie-exemple.fr";
const JEAN: &str = "jean@garage-exemple.fr";

async fn me(h: &Harness, token: &str) -> Value {
    let (s, me) = h.get("/v1/me", Some(token)).await;
    assert_eq!(s, 200, "{me}");
    me
}

/// Invites `email` with `role`, and waits for the invitation mail (so that it cannot be
/// taken for the login mail that follows).
async fn invite(h: &Harness, owner: &str, email: &str, role: &str) -> Value {
    let before = h.smtp.count_to(email);
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/team/invitations",
            owner,
            Some(json!({"email": email, "role": role})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    h.smtp.nth_to(email, before + 1).await;
    body
}

/// `email` joins through an invitation with `role` and logs in: their access token.
async fn member(h: &Harness, owner: &str, email: &str, role: &str) -> String {
    invite(h, owner, email, role).await;
    access(&h.login(email).await)
}

/// The id of the open invitation to `email`.
async fn open_invitation(h: &Harness, owner: &str, email: &str) -> String {
    let (_, team) = h.get("/v1/team", Some(owner)).await;
    team["invitations"]
        .as_array()
        .and_then(|list| list.iter().find(|i| i["email"] == email))
        .and_then(|i| i["id"].as_str())
        .expect("an open invitation")
        .to_owned()
}

/// The login of `email` through its mail, answered as it is (not asserted).
async fn try_login(h: &Harness, email: &str) -> (u16, Value) {
    let before = h.smtp.count_to(email);
    let (id, verifier) = h.login_request(email).await;
    let mail = h.smtp.nth_to(email, before + 1).await;
    h.exchange(&id, &code_in(&mail.text), &verifier).await
}

async fn a_review(h: &Harness, company: &str) -> String {
    econfiance_server::fixtures::add_review(
        &h.ctx.db,
        company,
        econfiance_server::fixtures::NewReview {
            rating: 2,
            title: Some("Pain rassis"),
            body: Some("La baguette était rassis ce matin."),
            author: Some("Claire D."),
        },
        h.clock.now(),
    )
    .await
    .expect("review")
}

fn onboarding_person(first: &str, last: &str) -> Value {
    json!({"person": {"first_name": first, "last_name": last, "job_title": "", "phone": "06 12 34 56 78"}})
}

fn onboarding_full() -> Value {
    json!({
        "company": {"legal_name": "Boulangerie Exemple", "siret": "73282932000074", "address": "1 rue de la Paix",
            "postal_code": "75002", "city": "Paris", "website": "www.boulangerie-exemple.fr", "sector": "Boulangerie",
            "phone": "01 23 45 67 89"},
        "person": {"first_name": "Marie", "last_name": "Durand", "job_title": "Gérante", "phone": "06 12 34 56 78"}
    })
}

#[tokio::test]
async fn an_invited_manager_gives_only_their_name_and_signs_their_replies() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (s, _) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            &marie,
            Some(onboarding_full()),
        )
        .await;
    assert_eq!(s, 200);
    invite(&h, &marie, PAUL, "manager").await;
    let mail = h.smtp.nth_to(PAUL, 1).await;
    assert!(
        mail.subject.contains("Boulangerie Exemple"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("gestionnaire"), "{}", mail.text);
    assert!(mail.text.contains(PAUL), "the address to log in with");

    let (s, team) = h.get("/v1/team", Some(&marie)).await;
    assert_eq!(s, 200, "{team}");
    assert_eq!(team["members"].as_array().map(Vec::len), Some(1));
    assert_eq!(team["invitations"][0]["email"], PAUL);
    assert_eq!(team["invitations"][0]["role"], "manager");

    let paul = access(&h.login(PAUL).await);
    let who = me(&h, &paul).await;
    assert_eq!(who["role"], "manager");
    assert_eq!(who["company"]["legal_name"], "Boulangerie Exemple");
    assert_eq!(
        who["onboarding_required"], true,
        "his own details are asked"
    );
    assert_eq!(
        who["company_onboarding_required"], false,
        "never the company's"
    );
    assert_eq!(who["can"]["answer"], true);
    assert_eq!(who["can"]["manage_team"], false);
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            &paul,
            Some(onboarding_person("Paul", "Martin")),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["onboarding_required"], false);

    let company = who["company_id"].as_str().expect("company").to_owned();
    let review = a_review(&h, &company).await;
    let (s, replied) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{review}/reply"),
            &paul,
            Some(json!({"body": "Toutes nos excuses, Claire."})),
        )
        .await;
    assert_eq!(s, 200, "{replied}");
    assert_eq!(replied["reply"]["author"], "Paul Martin");
    let (_, seen) = h.get(&format!("/v1/reviews/{review}"), Some(&marie)).await;
    assert_eq!(
        seen["reply"]["author"], "Paul Martin",
        "the owner sees who replied"
    );

    let csv = h
        .http
        .get(format!("{}/v1/reviews/export.csv", h.url))
        .bearer_auth(&marie)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(
        csv.lines()
            .next()
            .is_some_and(|l| l.contains("Réponse par")),
        "{csv}"
    );
    assert!(csv.contains("Paul Martin"), "{csv}");

    let (_, team) = h.get("/v1/team", Some(&marie)).await;
    assert_eq!(team["members"].as_array().map(Vec::len), Some(2));
    assert!(
        team["invitations"].as_array().is_some_and(Vec::is_empty),
        "accepted"
    );
    let paul_row = team["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["email"] == PAUL)
        .cloned()
        .expect("paul");
    assert_eq!(paul_row["name"], "Paul Martin");
    assert!(paul_row["last_active_at"].is_string());
}

#[tokio::test]
async fn each_role_may_do_its_share_and_is_refused_the_rest_with_a_message() {
    let h = start().await;
    let owner_token = h.owner(MARIE).await;
    let manager = member(&h, &owner_token, PAUL, "manager").await;
    let reader = member(&h, &owner_token, LEA, "reader").await;
    let company = me(&h, &owner_token).await["company_id"]
        .as_str()
        .expect("company")
        .to_owned();
    let review = a_review(&h, &company).await;
    let (_, templates) = h.get("/v1/reply-templates", Some(&owner_token)).await;
    let template = templates[0]["id"].as_str().expect("template").to_owned();
    let template_body = json!({"name": "Merci", "body": "Merci {prénom} !", "language": "fr", "min_rating": 4, "max_rating": 5});
    let customer =
        json!({"customers": [{"email": "client@exemple.fr", "name": "Client", "order_ref": "A1"}]});

    // (method, path, body, owner, manager, reader)
    let actions: Vec<(Method, String, Option<Value>, [bool; 3])> = vec![
        (Method::GET, "/v1/reviews".into(), None, [true, true, true]),
        (
            Method::GET,
            "/v1/dashboard/summary".into(),
            None,
            [true, true, true],
        ),
        (Method::GET, "/v1/team".into(), None, [true, true, true]),
        (
            Method::GET,
            "/v1/reply-templates".into(),
            None,
            [true, true, true],
        ),
        (
            Method::GET,
            "/v1/invitations".into(),
            None,
            [true, true, true],
        ),
        (
            Method::PUT,
            format!("/v1/reviews/{review}/reply"),
            Some(json!({"body": "Merci."})),
            [true, true, false],
        ),
        (
            Method::POST,
            format!("/v1/reviews/{review}/flags"),
            Some(json!({"reason": "Faux avis"})),
            [true, true, false],
        ),
        (
            Method::DELETE,
            format!("/v1/reviews/{review}/reply"),
            None,
            [true, true, false],
        ),
        (
            Method::POST,
            "/v1/invitations".into(),
            Some(customer),
            [true, true, false],
        ),
        (
            Method::POST,
            "/v1/invitations/csv".into(),
            Some(json!({"file_base64": ""})),
            [true, true, false],
        ),
        (
            Method::POST,
            "/v1/reply-templates".into(),
            Some(template_body.clone()),
            [true, true, false],
        ),
        (
            Method::PUT,
            format!("/v1/reply-templates/{template}"),
            Some(template_body),
            [true, true, false],
        ),
        (
            Method::DELETE,
            format!("/v1/reply-templates/{template}"),
            None,
            [true, true, false],
        ),
        (
            Method::PUT,
            "/v1/me/onboarding".into(),
            Some(onboarding_full()),
            [true, true, false],
        ),
        (
            Method::GET,
            "/v1/company/contract".into(),
            None,
            [true, false, false],
        ),
        (
            Method::POST,
            "/v1/company/deletion-requests".into(),
            Some(json!({"reason": "Essai"})),
            [true, false, false],
        ),
        (
            Method::POST,
            "/v1/team/invitations".into(),
            Some(json!({"email": "nouveau@exemple.fr", "role": "reader"})),
            [true, false, false],
        ),
        (
            Method::POST,
            "/v1/team/invitations/ti_none/resend".into(),
            None,
            [true, false, false],
        ),
        (
            Method::DELETE,
            "/v1/team/invitations/ti_none".into(),
            None,
            [true, false, false],
        ),
        (
            Method::PUT,
            "/v1/team/members/us_none".into(),
            Some(json!({"role": "reader"})),
            [true, false, false],
        ),
        (
            Method::DELETE,
            "/v1/team/members/us_none".into(),
            None,
            [true, false, false],
        ),
    ];
    // The reader and the manager go first, so that the owner's deletions come last.
    for (who, token, index) in [
        ("reader", &reader, 2),
        ("manager", &manager, 1),
        ("owner", &owner_token, 0),
    ] {
        for (method, path, body, allowed) in &actions {
            let (s, answer) = h.authed(method.clone(), path, token, body.clone()).await;
            if allowed[index] {
                assert_ne!(s, 403, "{who} {method} {path}: {answer}");
                assert!(s < 500, "{who} {method} {path}: {s} {answer}");
            } else {
                assert_eq!(s, 403, "{who} {method} {path}: {answer}");
                assert_eq!(answer["code"], "forbidden", "{who} {method} {path}");
                assert!(
                    answer["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("propriétaire")),
                    "{answer}"
                );
            }
        }
    }
    // What the app is told each role may do matches.
    assert_eq!(
        me(&h, &reader).await["can"],
        json!({"answer": false, "invite_customers": false, "edit_templates": false, "edit_company": false, "manage_team": false, "contract": false})
    );
    assert_eq!(
        me(&h, &manager).await["can"],
        json!({"answer": true, "invite_customers": true, "edit_templates": true, "edit_company": true, "manage_team": false, "contract": false})
    );
}

#[tokio::test]
async fn an_invitation_is_sent_again_withdrawn_or_expires_and_only_an_open_one_lets_in() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let first = invite(&h, &marie, PAUL, "reader").await;
    let id = first["id"].as_str().expect("id").to_owned();
    h.smtp.nth_to(PAUL, 1).await;
    // Sent again: not within a minute; then a second mail, for another week.
    let (s, body) = h
        .authed(
            Method::POST,
            &format!("/v1/team/invitations/{id}/resend"),
            &marie,
            None,
        )
        .await;
    assert_eq!((s, body["code"].as_str()), (429, Some("resend_too_soon")));
    h.clock.advance(61);
    let (s, again) = h
        .authed(
            Method::POST,
            &format!("/v1/team/invitations/{id}/resend"),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 200, "{again}");
    assert!(again["expires_at"].as_str() > first["expires_at"].as_str());
    h.smtp.nth_to(PAUL, 2).await;
    // Withdrawn: his login is refused, and says why.
    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/team/invitations/{id}"),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/team/invitations/{id}"),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 404, "withdrawn once");
    let (s, refused) = try_login(&h, PAUL).await;
    assert_eq!(s, 403, "{refused}");
    assert_eq!(refused["code"], "forbidden");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("invitation")),
        "{refused}"
    );

    // Invited again, then eight days pass: expired, refused, listed as expired.
    let second = invite(&h, &marie, PAUL, "reader").await;
    let id = second["id"].as_str().expect("id").to_owned();
    h.clock.advance(8 * 86_400);
    let (s, _) = try_login(&h, PAUL).await;
    assert_eq!(s, 403);
    let marie = access(&h.login(MARIE).await);
    let (_, team) = h.get("/v1/team", Some(&marie)).await;
    assert_eq!(team["invitations"][0]["expired"], true, "{team}");
    // Sent again, it lets him in, with the role offered.
    let before = h.smtp.count_to(PAUL);
    let (s, _) = h
        .authed(
            Method::POST,
            &format!("/v1/team/invitations/{id}/resend"),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 200);
    h.smtp.nth_to(PAUL, before + 1).await;
    let (s, tokens) = try_login(&h, PAUL).await;
    assert_eq!(s, 200, "{tokens}");
    assert_eq!(me(&h, &access(&tokens)).await["role"], "reader");
    // A member is not invited twice.
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/team/invitations",
            &marie,
            Some(json!({"email": PAUL.to_uppercase(), "role": "manager"})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("already_member")),
        "{body}"
    );
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/team/invitations",
            &marie,
            Some(json!({"email": "pas-une-adresse", "role": "manager"})),
        )
        .await;
    assert_eq!(s, 400, "{body}");

    // Invited again while the invitation is open: sent again, not within a minute.
    invite(&h, &marie, LEA, "reader").await;
    let again = json!({"email": LEA, "role": "manager"});
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/team/invitations",
            &marie,
            Some(again.clone()),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (429, Some("resend_too_soon")),
        "{body}"
    );
    h.clock.advance(61);
    let before = h.smtp.count_to(LEA);
    let (s, body) = h
        .authed(Method::POST, "/v1/team/invitations", &marie, Some(again))
        .await;
    assert_eq!(s, 201, "{body}");
    h.smtp.nth_to(LEA, before + 1).await;
    assert_eq!(body["role"], "manager", "the role now chosen");
    let (_, team) = h.get("/v1/team", Some(&marie)).await;
    let open = team["invitations"].as_array().expect("invitations");
    assert_eq!(
        open.iter().filter(|i| i["email"] == LEA).count(),
        1,
        "still one invitation: {team}"
    );
    // Inviting and withdrawing in a loop cannot flood an address: three a day.
    for round in 0..3 {
        let id = open_invitation(&h, &marie, LEA).await;
        let (s, _) = h
            .authed(
                Method::DELETE,
                &format!("/v1/team/invitations/{id}"),
                &marie,
                None,
            )
            .await;
        assert_eq!(s, 204);
        if round < 2 {
            h.clock.advance(61);
            invite(&h, &marie, LEA, "reader").await;
        }
    }
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/team/invitations",
            &marie,
            Some(json!({"email": LEA, "role": "reader"})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("limit_reached")),
        "{body}"
    );
    // An address invited (and never let in) can still have an account of its own opened.
    let own = h.create_user(LEA, None).await;
    let lea = access(&h.login(LEA).await);
    let lea_me = me(&h, &lea).await;
    assert_eq!(lea_me["user_id"], own.as_str());
    assert_eq!(lea_me["role"], "owner", "of her own company");
}

#[tokio::test]
async fn a_removed_member_is_out_at_once_and_told_why_and_the_last_owner_stays() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    invite(&h, &marie, LEA, "reader").await;
    h.smtp.nth_to(LEA, 1).await;
    let lea_tokens = h.login(LEA).await;
    let lea = access(&lea_tokens);
    let lea_id = me(&h, &lea).await["user_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let marie_id = me(&h, &marie).await["user_id"]
        .as_str()
        .expect("id")
        .to_owned();

    // The only owner can neither leave nor step down.
    let (s, body) = h
        .authed(
            Method::DELETE,
            &format!("/v1/team/members/{marie_id}"),
            &marie,
            None,
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("last_owner")),
        "{body}"
    );
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/team/members/{marie_id}"),
            &marie,
            Some(json!({"role": "manager"})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("last_owner")),
        "{body}"
    );

    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/team/members/{lea_id}"),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = h.get("/v1/me", Some(&lea)).await;
    assert_eq!(s, 401, "her access token no longer works");
    let (s, ended) = h
        .refresh(lea_tokens["refresh_token"].as_str().expect("refresh"))
        .await;
    assert_eq!(s, 401, "{ended}");
    assert_eq!(ended["code"], "removed_from_team");
    assert!(
        ended["message"]
            .as_str()
            .is_some_and(|m| m.contains("retiré")),
        "{ended}"
    );
    let (_, team) = h.get("/v1/team", Some(&marie)).await;
    assert_eq!(team["members"].as_array().map(Vec::len), Some(1));

    // With a second owner, the first may step down.
    let paul = member(&h, &marie, PAUL, "owner").await;
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/team/members/{marie_id}"),
            &paul,
            Some(json!({"role": "reader"})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        me(&h, &marie).await["role"],
        "reader",
        "the change holds at once"
    );
}

#[tokio::test]
async fn a_person_of_two_companies_switches_without_logging_in_and_each_team_is_its_own() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let first = h.login(MARIE).await;
    let marie = access(&first);
    let jean = h.owner(JEAN).await;
    let bakery = me(&h, &marie).await["company_id"]
        .as_str()
        .expect("company")
        .to_owned();
    let garage = me(&h, &jean).await["company_id"]
        .as_str()
        .expect("company")
        .to_owned();
    invite(&h, &jean, MARIE, "reader").await;
    let garage_review = a_review(&h, &garage).await;

    // Already logged in, her session's next refresh accepts it; it stays on the company
    // she used last.
    let (s, refreshed) = h
        .refresh(first["refresh_token"].as_str().expect("refresh"))
        .await;
    assert_eq!(s, 200, "{refreshed}");
    let marie = access(&refreshed);
    let who = me(&h, &marie).await;
    assert_eq!(who["company_id"], bakery.as_str());
    assert_eq!(who["companies"].as_array().map(Vec::len), Some(2), "{who}");
    let (s, _) = h
        .get(&format!("/v1/reviews/{garage_review}"), Some(&marie))
        .await;
    assert_eq!(s, 404, "the garage's review is not the bakery's");

    let (s, switched) = h
        .authed(
            Method::PUT,
            "/v1/auth/session/company",
            &marie,
            Some(json!({"company_id": garage})),
        )
        .await;
    assert_eq!(s, 200, "{switched}");
    assert_eq!(switched["role"], "reader");
    let (s, _) = h
        .get(&format!("/v1/reviews/{garage_review}"), Some(&marie))
        .await;
    assert_eq!(s, 200, "the same token now reads the garage");
    let (s, refused) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{garage_review}/reply"),
            &marie,
            Some(json!({"body": "Merci"})),
        )
        .await;
    assert_eq!(
        (s, refused["code"].as_str()),
        (403, Some("forbidden")),
        "as a reader there"
    );
    let (s, _) = h
        .authed(
            Method::PUT,
            "/v1/auth/session/company",
            &marie,
            Some(json!({"company_id": "co_not_hers"})),
        )
        .await;
    assert_eq!(s, 404);

    // Back at the bakery, removal from the garage leaves this session alone.
    let (s, _) = h
        .authed(
            Method::PUT,
            "/v1/auth/session/company",
            &marie,
            Some(json!({"company_id": bakery})),
        )
        .await;
    assert_eq!(s, 200);
    let marie_id = me(&h, &marie).await["user_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/team/members/{marie_id}"),
            &jean,
            None,
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(
        me(&h, &marie).await["companies"].as_array().map(Vec::len),
        Some(1)
    );

    // Each company sees and changes only its own team.
    let (_, team) = h.get("/v1/team", Some(&jean)).await;
    assert!(
        team["members"]
            .as_array()
            .expect("members")
            .iter()
            .all(|m| m["email"] != MARIE),
        "{team}"
    );
    let jean_id = me(&h, &jean).await["user_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/team/members/{jean_id}"),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 404, "another company's member is not found");
}

#[tokio::test]
async fn a_person_leaves_a_company_they_joined_and_goes_on_with_their_own() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    h.create_user(JEAN, None).await;
    let garage = me(&h, &access(&h.login(JEAN).await)).await["company_id"]
        .as_str()
        .expect("company")
        .to_owned();
    // Jean joins the bakery without being asked (his account already existed).
    invite(&h, &marie, JEAN, "reader").await;
    let on_phone = h.login(JEAN).await;
    let jean = access(&h.login(JEAN).await);
    let bakery = me(&h, &marie).await["company_id"]
        .as_str()
        .expect("company")
        .to_owned();
    for token in [access(&on_phone), jean.clone()] {
        let (s, body) = h
            .authed(
                Method::PUT,
                "/v1/auth/session/company",
                &token,
                Some(json!({"company_id": bakery})),
            )
            .await;
        assert_eq!(s, 200, "{body}");
    }

    // The garage's only owner cannot leave it.
    let (s, _) = h
        .authed(
            Method::PUT,
            "/v1/auth/session/company",
            &jean,
            Some(json!({"company_id": garage})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, body) = h.authed(Method::POST, "/v1/team/leave", &jean, None).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("last_owner")),
        "{body}"
    );
    let (s, _) = h
        .authed(
            Method::PUT,
            "/v1/auth/session/company",
            &jean,
            Some(json!({"company_id": bakery})),
        )
        .await;
    assert_eq!(s, 200);

    let (s, after) = h.authed(Method::POST, "/v1/team/leave", &jean, None).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["company_id"], garage.as_str(), "on with his own");
    assert_eq!(after["companies"].as_array().map(Vec::len), Some(1));
    let (_, team) = h.get("/v1/team", Some(&marie)).await;
    assert!(
        !team["members"]
            .as_array()
            .expect("members")
            .iter()
            .any(|m| m["email"] == JEAN),
        "{team}"
    );
    // His other device, acting for the bakery, is out, and told why.
    let (s, ended) = h
        .refresh(on_phone["refresh_token"].as_str().expect("refresh"))
        .await;
    assert_eq!(
        (s, ended["code"].as_str()),
        (401, Some("removed_from_team")),
        "{ended}"
    );
    assert!(
        ended["message"]
            .as_str()
            .is_some_and(|m| m.contains("quitté l'équipe")),
        "his own leaving, not a removal: {ended}"
    );

    // Nobody leaves their only company.
    for token in [&jean, &marie] {
        let (s, body) = h.authed(Method::POST, "/v1/team/leave", token, None).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (409, Some("only_company")),
            "{body}"
        );
    }
}
