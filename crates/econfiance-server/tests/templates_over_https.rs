//! Reply templates over HTTPS: the starters written once, in both languages; a template
//! added, changed and deleted; every refusal named by field; the per-company cap; one
//! company never reaching another's templates.

use econfiance_integration as support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@fromagerie-exemple.fr";

async fn owner(h: &Harness, email: &str) -> String {
    h.create_user(email, None).await;
    let tokens = h.login(email).await;
    tokens["access_token"].as_str().expect("access").to_owned()
}

async fn templates(h: &Harness, token: &str) -> Vec<Value> {
    let (s, body) = h.get("/v1/reply-templates", Some(token)).await;
    assert_eq!(s, 200, "{body}");
    body.as_array().expect("a list").clone()
}

fn template(name: &str) -> Value {
    json!({"name": name, "body": "Merci {prénom} !", "language": "fr", "min_rating": 4, "max_rating": 5})
}

#[tokio::test]
async fn starters_are_written_once_in_both_languages_with_whole_replies_and_topic_sentences() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let first = templates(&h, &token).await;
    assert_eq!(first.len(), 22, "{first:?}");
    for language in ["fr", "en"] {
        let of = |topic: bool| {
            first
                .iter()
                .filter(|t| t["language"] == language && t["topic"].is_null() != topic)
                .count()
        };
        assert_eq!(of(false), 3, "{language}: good, mixed, bad");
        assert_eq!(
            of(true),
            8,
            "{language}: four topics, praised and criticised"
        );
    }
    // Every rating has a whole reply in each language.
    for rating in 1..=5u64 {
        for language in ["fr", "en"] {
            assert!(
                first.iter().any(|t| t["language"] == language
                    && t["topic"].is_null()
                    && t["min_rating"].as_u64() <= Some(rating)
                    && t["max_rating"].as_u64() >= Some(rating)),
                "{language} {rating}"
            );
        }
    }
    // Deleting every starter does not bring them back.
    for t in &first {
        let id = t["id"].as_str().expect("id");
        let (s, _) = h
            .authed(
                Method::DELETE,
                &format!("/v1/reply-templates/{id}"),
                &token,
                None,
            )
            .await;
        assert_eq!(s, 204);
    }
    assert!(templates(&h, &token).await.is_empty());
}

#[tokio::test]
async fn a_template_is_added_changed_and_deleted() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let (s, made) = h
        .authed(
            Method::POST,
            "/v1/reply-templates",
            &token,
            Some(template("Mon merci")),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["name"], "Mon merci");
    assert_eq!(made["topic"], Value::Null);
    let id = made["id"].as_str().expect("id").to_owned();
    assert!(templates(&h, &token)
        .await
        .iter()
        .any(|t| t["id"] == id.as_str()));

    let changed = json!({"name": "Accueil", "body": "Merci pour l'accueil.", "language": "fr", "min_rating": 1, "max_rating": 3, "topic": "accueil"});
    let (s, after) = h
        .authed(
            Method::PUT,
            &format!("/v1/reply-templates/{id}"),
            &token,
            Some(changed),
        )
        .await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["topic"], "accueil");
    assert_eq!(after["max_rating"], 3);
    let listed = templates(&h, &token).await;
    let kept = listed
        .iter()
        .find(|t| t["id"] == id.as_str())
        .expect("listed");
    assert_eq!(kept["body"], "Merci pour l'accueil.");

    let (s, _) = h
        .authed(
            Method::DELETE,
            &format!("/v1/reply-templates/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, body) = h
        .authed(
            Method::DELETE,
            &format!("/v1/reply-templates/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!((s, body["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn wrong_fields_are_each_named_and_nothing_is_stored() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let before = templates(&h, &token).await.len();
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/reply-templates",
            &token,
            Some(json!({"name": "  ", "body": "", "language": "de", "min_rating": 4, "max_rating": 2})),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    let mut fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["body", "language", "min_rating", "name"]);
    let too_long = json!({"name": "x", "body": "a".repeat(4097), "language": "fr"});
    let (s, body) = h
        .authed(Method::POST, "/v1/reply-templates", &token, Some(too_long))
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "body");
    let (s, _) = h
        .authed(
            Method::POST,
            "/v1/reply-templates",
            &token,
            Some(json!({"name": "x", "body": "y", "language": "fr", "topic": "meteo"})),
        )
        .await;
    assert_eq!(s, 400, "an unknown topic is a malformed body");
    assert_eq!(templates(&h, &token).await.len(), before);
    let (s, _) = h.get("/v1/reply-templates", None).await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn a_company_holds_at_most_a_hundred_templates() {
    let h = start().await;
    let token = owner(&h, MARIE).await;
    let mut count = templates(&h, &token).await.len();
    while count < 100 {
        let (s, body) = h
            .authed(
                Method::POST,
                "/v1/reply-templates",
                &token,
                Some(template(&format!("n{count}"))),
            )
            .await;
        assert_eq!(s, 201, "{body}");
        count += 1;
    }
    let (s, body) = h
        .authed(
            Method::POST,
            "/v1/reply-templates",
            &token,
            Some(template("one too many")),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (409, Some("limit_reached")),
        "{body}"
    );
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("supprimez"));
    assert_eq!(templates(&h, &token).await.len(), 100);
}

#[tokio::test]
async fn a_company_never_reaches_another_companys_templates() {
    let h = start().await;
    let marie = owner(&h, MARIE).await;
    let paul = owner(&h, PAUL).await;
    let (_, made) = h
        .authed(
            Method::POST,
            "/v1/reply-templates",
            &marie,
            Some(template("De Marie")),
        )
        .await;
    let id = made["id"].as_str().expect("id");
    assert!(!templates(&h, &paul).await.iter().any(|t| t["id"] == id));
    let path = format!("/v1/reply-templates/{id}");
    let (s, body) = h
        .authed(Method::PUT, &path, &paul, Some(template("Volé")))
        .await;
    assert_eq!((s, body["code"].as_str()), (404, Some("not_found")));
    let (s, _) = h.authed(Method::DELETE, &path, &paul, None).await;
    assert_eq!(s, 404);
    let kept = templates(&h, &marie).await;
    let t = kept.iter().find(|t| t["id"] == id).expect("still Marie's");
    assert_eq!(t["name"], "De Marie");
}
