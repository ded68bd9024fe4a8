//! A member limited to some establishments, over HTTPS: given one establishment at
//! invitation, they see and act on that one only — its reviews (list, filter, one review,
//! reply, flag), the export, the dashboard's figures, the events feed, the customer
//! invitations and their figures, the review link, the e-mail alerts, the weekly digest
//! (counting and naming theirs) — and add no
//! establishment; the owner's view stays whole; given every establishment again, they see
//! everything. Each customer invitation and each review link credits its establishment.

use econfiance_integration as support;

use econfiance_server::alerts::run_once;
use econfiance_server::fixtures::{add_review_at, NewReview};
use reqwest::Method;
use serde_json::{json, Value};
use support::{access, start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@boulangerie-exemple.fr";
const JEAN: &str = "jean@garage-exemple.fr";

async fn add_establishment(h: &Harness, token: &str, name: &str) -> String {
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/establishments",
            token,
            Some(json!({"name": name})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    body["id"].as_str().expect("id").to_owned()
}

/// Marie invites Paul as `role`, given `establishments`: the invitation as answered, once
/// its mail has arrived.
async fn invite_paul(h: &Harness, marie: &str, role: &str, establishments: &[&str]) -> Value {
    let before = h.smtp.count_to(PAUL);
    let (s, invitation) = h
        .authed(
            Method::POST,
            "/v1/team/invitations",
            marie,
            Some(json!({"email": PAUL, "role": role, "establishments": establishments})),
        )
        .await;
    assert_eq!(s, 201, "{invitation}");
    h.smtp.nth_to(PAUL, before + 1).await;
    invitation
}

/// The HTML of the public page at `url`.
async fn page_at(h: &Harness, url: &str) -> String {
    h.http
        .get(url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

async fn review_at(
    h: &Harness,
    company: &str,
    establishment: &str,
    rating: i64,
    title: &str,
) -> String {
    add_review_at(
        &h.ctx.db,
        company,
        establishment,
        NewReview {
            rating,
            title: Some(title),
            body: Some("Ce qui s'est passé, en quelques mots."),
            author: Some(title),
        },
        h.clock.now(),
    )
    .await
    .expect("review")
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| v[key].as_str().expect("an id").to_owned())
        .collect()
}

async fn reviews(h: &Harness, token: &str, query: &str) -> Value {
    let (s, page) = h.get(&format!("/v1/reviews?{query}"), Some(token)).await;
    assert_eq!(s, 200, "{page}");
    page
}

async fn export(h: &Harness, token: &str) -> String {
    let r = h
        .http
        .get(format!("{}/v1/reviews/export.csv", h.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("export");
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.expect("csv")
}

async fn invite_customer(
    h: &Harness,
    token: &str,
    email: &str,
    establishment: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({"customers": [{"name": "Hélène Dupré", "email": email}]});
    if let Some(e) = establishment {
        body["establishment"] = json!(e);
    }
    h.authed(Method::POST, "/v1/invitations", token, Some(body))
        .await
}

/// Mails to `to` whose text contains `part`.
fn mails(h: &Harness, to: &str, part: &str) -> usize {
    h.smtp
        .all()
        .iter()
        .filter(|m| m.to == to && m.text.contains(part))
        .count()
}

async fn delivered(h: &Harness) {
    for _ in 0..400 {
        if h.ctx.mailer.waiting().await.unwrap_or(1) == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("mail still waiting");
}

#[tokio::test]
async fn a_member_given_one_establishment_sees_and_acts_on_that_one_only() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (_, me) = h.get("/v1/me", Some(&marie)).await;
    let company = me["company_id"].as_str().expect("company").to_owned();
    assert_eq!(me["limited_establishments"], false);
    let main = format!("et_{company}");
    let gare = add_establishment(&h, &marie, "Boulangerie Exemple — Gare").await;
    let marche = add_establishment(&h, &marie, "Boulangerie Exemple — Marché").await;
    let at_main = review_at(&h, &company, &main, 4, "Avis du centre").await;
    let at_gare = review_at(&h, &company, &gare, 3, "Avis de la gare").await;
    review_at(&h, &company, &marche, 5, "Avis du marché").await;

    // Establishments offered to an owner, or not the company's, are refused.
    for (role, given) in [("owner", gare.clone()), ("manager", "et_autre".to_owned())] {
        let (s, body) = h
            .authed(
                Method::POST,
                "/v1/team/invitations",
                &marie,
                Some(json!({"email": PAUL, "role": role, "establishments": [given]})),
            )
            .await;
        assert_eq!(
            (s, body["code"].as_str()),
            (400, Some("invalid_request")),
            "{role}: {body}"
        );
    }
    let invitation = invite_paul(&h, &marie, "manager", &[&gare, &gare]).await;
    assert_eq!(
        invitation["establishments"],
        json!([gare]),
        "repeats dropped"
    );
    let paul = access(&h.login(PAUL).await);

    let (_, me) = h.get("/v1/me", Some(&paul)).await;
    assert_eq!(me["limited_establishments"], true);
    let (_, team) = h.get("/v1/team", Some(&marie)).await;
    let given: Vec<(String, Value)> = team["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap_or("").to_owned(),
                m["establishments"].clone(),
            )
        })
        .collect();
    assert!(
        given.contains(&(PAUL.to_owned(), json!([gare]))),
        "{given:?}"
    );
    assert!(given.contains(&(MARIE.to_owned(), json!([]))), "{given:?}");

    // Establishments: his only; he adds none and changes none of the others.
    let (_, list) = h.get("/v1/establishments", Some(&paul)).await;
    assert_eq!(ids(&list, "id"), [gare.as_str()]);
    let (_, list) = h.get("/v1/establishments", Some(&marie)).await;
    assert_eq!(ids(&list, "id").len(), 3);
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/establishments",
            &paul,
            Some(json!({"name": "Quatrième"})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/establishments/{main}"),
            &paul,
            Some(json!({"name": "Repris", "closed": true})),
        )
        .await;
    assert_eq!(s, 404);

    // Nor the company's details, which are every establishment's.
    let (s, body) = h
        .authed(
            Method::PUT,
            "/v1/me/onboarding",
            &paul,
            Some(json!({
                "company": {"legal_name": "Repris", "siret": "73282932000074", "address": "1 rue de la Paix",
                    "postal_code": "75002", "city": "Paris", "website": "", "sector": "", "phone": ""},
                "person": {"first_name": "Paul", "last_name": "Martin", "job_title": "", "phone": "06 12 34 56 78"}
            })),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );

    // The events feed: from now, only what happens at his establishment.
    let (_, start_at) = h.get("/v1/reviews/events", Some(&paul)).await;
    let after = start_at["last_seq"].as_i64().expect("seq");
    review_at(&h, &company, &main, 1, "Accueil froid au centre").await;
    let new_gare = review_at(&h, &company, &gare, 1, "Pain rassis à la gare").await;
    let (_, events) = h
        .get(&format!("/v1/reviews/events?after={after}"), Some(&paul))
        .await;
    let seen: Vec<&str> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["review"]["id"].as_str())
        .collect();
    assert_eq!(seen, [new_gare.as_str()], "{events}");
    let (_, events) = h
        .get(&format!("/v1/reviews/events?after={after}"), Some(&marie))
        .await;
    assert_eq!(events["events"].as_array().expect("events").len(), 2);

    // Reviews: the list, its filter, one review, a reply and a flag.
    let page = reviews(&h, &paul, "").await;
    let mut listed = ids(&page["items"], "id");
    listed.sort();
    let mut expected = vec![at_gare.clone(), new_gare.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(page["total"], 2);
    assert_eq!(
        reviews(&h, &paul, &format!("establishment={main}")).await["total"],
        0
    );
    assert_eq!(reviews(&h, &marie, "").await["total"], 5);
    assert_eq!(
        h.get(&format!("/v1/reviews/{at_main}"), Some(&paul))
            .await
            .0,
        404
    );
    let reply = json!({"body": "Merci pour votre retour, nous en tenons compte."});
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{at_main}/reply"),
            &paul,
            Some(reply.clone()),
        )
        .await;
    assert_eq!(s, 404, "no reply to another establishment's review");
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/reviews/{at_gare}/reply"),
            &paul,
            Some(reply),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = h
        .authed(
            Method::POST,
            &format!("/v1/reviews/{at_main}/flags"),
            &paul,
            Some(json!({"reason": "Ce client n'est jamais venu."})),
        )
        .await;
    assert_eq!(s, 404);

    // The export and the dashboard.
    let csv = export(&h, &paul).await;
    assert!(
        csv.contains("Avis de la gare") && csv.contains("Pain rassis"),
        "{csv}"
    );
    assert!(
        !csv.contains("Avis du centre")
            && !csv.contains("Avis du marché")
            && !csv.contains("Accueil froid"),
        "{csv}"
    );
    assert!(export(&h, &marie).await.contains("Avis du marché"));
    let (_, summary) = h.get("/v1/dashboard/summary", Some(&paul)).await;
    assert_eq!(summary["count"], 2, "{summary}");
    assert_eq!(summary["distribution"], json!([1, 0, 1, 0, 0]));
    let (_, summary) = h
        .get(
            &format!("/v1/dashboard/summary?establishment={main}"),
            Some(&paul),
        )
        .await;
    assert_eq!(summary["count"], 0);
    assert_eq!(
        h.get("/v1/dashboard/summary", Some(&marie)).await.1["count"],
        5
    );

    // Customer invitations: his establishment named, or refused.
    let (s, body) = invite_customer(&h, &paul, "helene@exemple.fr", None).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    let (s, _) = invite_customer(&h, &paul, "helene@exemple.fr", Some(&main)).await;
    assert_eq!(s, 404);
    let (s, body) = invite_customer(&h, &paul, "helene@exemple.fr", Some(&gare)).await;
    assert_eq!((s, body["sent"].as_u64()), (200, Some(1)), "{body}");
    let (s, body) = invite_customer(&h, &marie, "louis@exemple.fr", None).await;
    assert_eq!((s, body["sent"].as_u64()), (200, Some(1)), "{body}");
    let (_, list) = h.get("/v1/invitations", Some(&paul)).await;
    assert_eq!(ids(&list["items"], "establishment_id"), [gare.as_str()]);
    let (_, list) = h.get("/v1/invitations", Some(&marie)).await;
    let mut places = ids(&list["items"], "establishment_id");
    places.sort();
    let mut both = vec![main.clone(), gare.clone()];
    both.sort();
    assert_eq!(places, both);
    let (_, list) = h
        .get(
            &format!("/v1/invitations?establishment={gare}"),
            Some(&marie),
        )
        .await;
    assert_eq!(ids(&list["items"], "establishment_id"), [gare.as_str()]);
    assert_eq!(
        h.get("/v1/invitations/summary", Some(&paul)).await.1["sent"],
        1
    );
    assert_eq!(
        h.get("/v1/invitations/summary", Some(&marie)).await.1["sent"],
        2
    );

    // Review links: each establishment its own; his only.
    assert_eq!(
        h.get(
            &format!("/v1/review-link?establishment={main}"),
            Some(&paul)
        )
        .await
        .0,
        404
    );
    let (s, body) = h.get("/v1/review-link", Some(&paul)).await;
    assert_eq!(s, 404, "the main one is not his: {body}");
    let (s, gare_link) = h
        .get(
            &format!("/v1/review-link?establishment={gare}"),
            Some(&paul),
        )
        .await;
    assert_eq!(s, 200, "{gare_link}");
    let (_, main_link) = h.get("/v1/review-link", Some(&marie)).await;
    assert_ne!(gare_link["url"], main_link["url"]);
    let (_, again) = h
        .get(
            &format!("/v1/review-link?establishment={gare}"),
            Some(&marie),
        )
        .await;
    assert_eq!(again["url"], gare_link["url"], "the same link for good");

    // E-mail alerts: he hears of his establishment's reviews only.
    for token in [&marie, &paul] {
        let (s, body) = h
            .authed(
                Method::PUT,
                "/v1/me/alerts",
                token,
                Some(json!({"max_rating": 2, "weekly_digest": false})),
            )
            .await;
        assert_eq!(s, 200, "{body}");
    }
    // Alerts are for reviews written from now on.
    review_at(&h, &company, &main, 2, "Deux étoiles au centre").await;
    review_at(&h, &company, &gare, 2, "Deux étoiles à la gare").await;
    run_once(&h.ctx).await.expect("alerts");
    delivered(&h).await;
    assert_eq!(mails(&h, MARIE, "Deux étoiles au centre"), 1);
    assert_eq!(mails(&h, MARIE, "Deux étoiles à la gare"), 1);
    assert_eq!(mails(&h, PAUL, "Deux étoiles à la gare"), 1);
    assert_eq!(mails(&h, PAUL, "Deux étoiles au centre"), 0);

    // A role change that names no establishments (an app that knows none) keeps his.
    let paul_id = me["user_id"].as_str().expect("user").to_owned();
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/team/members/{paul_id}"),
            &marie,
            Some(json!({"role": "reader"})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["establishments"], json!([gare]));
    assert_eq!(reviews(&h, &paul, "").await["total"], 3);

    // Given every establishment again, he sees everything.
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/team/members/{paul_id}"),
            &marie,
            Some(json!({"role": "owner", "establishments": [gare]})),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    let (s, body) = h
        .authed(
            Method::PUT,
            &format!("/v1/team/members/{paul_id}"),
            &marie,
            Some(json!({"role": "manager", "establishments": []})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["establishments"], json!([]));
    assert_eq!(
        h.get("/v1/me", Some(&paul)).await.1["limited_establishments"],
        false
    );
    assert_eq!(reviews(&h, &paul, "").await["total"], 7);
    assert_eq!(
        h.get(&format!("/v1/reviews/{at_main}"), Some(&paul))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn customers_review_the_establishment_they_were_asked_about() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (_, me) = h.get("/v1/me", Some(&marie)).await;
    let company = me["company_id"].as_str().expect("company").to_owned();
    let gare = add_establishment(&h, &marie, "Boulangerie Exemple — Gare").await;
    let review = [
        ("rating", "5"),
        ("title", "Un accueil chaleureux"),
        ("body", "Baguette encore tiède et conseils avisés, merci !"),
        ("experience_date", "2026-11-20"),
        ("author", "Hélène D."),
        ("consent", "yes"),
    ];

    // Through the establishment's shared link: the page names it, the review is its.
    let (_, link) = h
        .get(
            &format!("/v1/review-link?establishment={gare}"),
            Some(&marie),
        )
        .await;
    let url = link["url"].as_str().expect("url").to_owned();
    let html = page_at(&h, &url).await;
    assert!(html.contains("Boulangerie Exemple — Gare"), "{html}");
    assert!(html.contains("Aucun avis publié pour l'instant"), "{html}");
    let s = h
        .http
        .post(&url)
        .form(&review)
        .send()
        .await
        .expect("post")
        .status();
    assert_eq!(s.as_u16(), 201);
    let page = reviews(&h, &marie, &format!("establishment={gare}")).await;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"][0]["title"], "Un accueil chaleureux");
    // Its public page now shows it, with the establishment's count and average.
    let html = page_at(&h, &url).await;
    assert!(html.contains("★ 5,0/5 · 1 avis publié"), "{html}");
    assert!(
        html.contains("Un accueil chaleureux") && html.contains("Hélène D."),
        "{html}"
    );

    // Through an invitation about the establishment: the same.
    let (s, body) = invite_customer(&h, &marie, "helene@exemple.fr", Some(&gare)).await;
    assert_eq!(s, 200, "{body}");
    let mail = h.smtp.nth_to("helene@exemple.fr", 1).await;
    assert!(
        mail.text.contains("Boulangerie Exemple — Gare"),
        "{}",
        mail.text
    );
    let form = support::link_in(&mail.text);
    let s = h
        .http
        .post(&form)
        .form(&review)
        .send()
        .await
        .expect("post")
        .status();
    assert_eq!(s.as_u16(), 201);
    assert_eq!(
        reviews(&h, &marie, &format!("establishment={gare}")).await["total"],
        2
    );
    assert_eq!(
        reviews(&h, &marie, &format!("establishment=et_{company}")).await["total"],
        0
    );

    // A closed establishment's link no longer takes reviews; it invites nobody.
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/establishments/{gare}"),
            &marie,
            Some(json!({"name": "Boulangerie Exemple — Gare", "closed": true})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        h.http
            .get(&url)
            .send()
            .await
            .expect("page")
            .status()
            .as_u16(),
        404
    );
    let (s, body) = invite_customer(&h, &marie, "louis@exemple.fr", Some(&gare)).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("establishment_closed")),
        "{body}"
    );

    assert_eq!(
        h.get(
            &format!("/v1/review-link?establishment={gare}"),
            Some(&marie)
        )
        .await
        .0,
        409,
        "no link handed out for a closed establishment"
    );
    // Nor does the company's own link while its main establishment is closed.
    let (_, main_link) = h.get("/v1/review-link", Some(&marie)).await;
    let main_url = main_link["url"].as_str().expect("url").to_owned();
    assert_eq!(
        h.http
            .get(&main_url)
            .send()
            .await
            .expect("page")
            .status()
            .as_u16(),
        200
    );
    let (s, _) = h
        .authed(
            Method::PUT,
            &format!("/v1/establishments/et_{company}"),
            &marie,
            Some(json!({"name": "Boulangerie Exemple", "closed": true})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        h.http
            .get(&main_url)
            .send()
            .await
            .expect("page")
            .status()
            .as_u16(),
        404
    );
    let s = h
        .http
        .post(&main_url)
        .form(&review)
        .send()
        .await
        .expect("post")
        .status();
    assert_eq!(s.as_u16(), 404);

    // Another company's establishment is nobody's to invite for.
    let jean = h.owner(JEAN).await;
    let (s, _) = invite_customer(&h, &jean, "louis@exemple.fr", Some(&gare)).await;
    assert_eq!(s, 404);
    assert_eq!(
        h.get(
            &format!("/v1/review-link?establishment={gare}"),
            Some(&jean)
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn an_invitation_accepted_by_someone_already_in_the_team_changes_nothing_of_their_place() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let gare = add_establishment(&h, &marie, "Boulangerie Exemple — Gare").await;
    invite_paul(&h, &marie, "reader", &[&gare]).await;
    // Meanwhile the platform's staff made him an owner.
    let (_, held) = econfiance_server::admin::add_member(
        &h.ctx.db,
        MARIE,
        PAUL,
        econfiance_api::team::Role::Owner,
        None,
        true,
        h.clock.now(),
    )
    .await
    .expect("add-member")
    .expect("marie owns a company");
    assert_eq!(held, econfiance_api::team::Role::Owner);
    let paul = access(&h.login(PAUL).await);
    let (_, me) = h.get("/v1/me", Some(&paul)).await;
    assert_eq!(me["role"], "owner");
    assert_eq!(me["limited_establishments"], false, "{me}");
    let (_, list) = h.get("/v1/establishments", Some(&paul)).await;
    assert_eq!(ids(&list, "id").len(), 2);
}

#[tokio::test]
async fn the_weekly_digest_of_a_limited_member_counts_and_names_their_establishments() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (_, me) = h.get("/v1/me", Some(&marie)).await;
    let company = me["company_id"].as_str().expect("company").to_owned();
    let name = me["company"]["legal_name"]
        .as_str()
        .expect("name")
        .to_owned();
    let gare = add_establishment(&h, &marie, "Gare").await;
    invite_paul(&h, &marie, "manager", &[&gare]).await;
    let paul = access(&h.login(PAUL).await);
    for token in [&marie, &paul] {
        let (s, body) = h
            .authed(
                Method::PUT,
                "/v1/me/alerts",
                token,
                Some(json!({"max_rating": null, "weekly_digest": true})),
            )
            .await;
        assert_eq!(s, 200, "{body}");
    }
    // The week before Monday 2026-12-07, 09:00 in Paris: two reviews at the main shop, one
    // at the station.
    let monday = 1_796_631_200;
    h.set_now(monday - 86_400);
    let main = format!("et_{company}");
    review_at(&h, &company, &main, 5, "Parfait").await;
    review_at(&h, &company, &main, 2, "Bof").await;
    review_at(&h, &company, &gare, 4, "Bien").await;
    h.set_now(monday);
    run_once(&h.ctx).await.expect("run");
    delivered(&h).await;
    let digest = |to: &str| {
        h.smtp
            .all()
            .into_iter()
            .find(|m| m.to == to && m.subject.contains("Votre semaine"))
            .unwrap_or_else(|| panic!("a digest to {to}"))
    };

    let hers = digest(MARIE);
    assert!(
        hers.subject
            .ends_with(&format!("3 nouveaux avis pour {name}")),
        "{}",
        hers.subject
    );
    assert!(hers.text.contains("Nouveaux avis ces 7 derniers jours : 3"));
    assert!(hers.text.contains("Avis publiés encore sans réponse : 3"));

    let his = digest(PAUL);
    assert!(
        his.subject
            .ends_with(&format!("1 nouvel avis pour {name} — Gare")),
        "{}",
        his.subject
    );
    assert!(
        his.text.contains("Nouveaux avis ces 7 derniers jours : 1"),
        "{}",
        his.text
    );
    assert!(
        his.text.contains("Note moyenne de ces avis : 4,0/5"),
        "{}",
        his.text
    );
    assert!(
        his.text.contains("Avis publiés encore sans réponse : 1"),
        "{}",
        his.text
    );
}
