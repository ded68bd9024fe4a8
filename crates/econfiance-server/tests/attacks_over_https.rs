//! Attacks on the sandbox server over HTTPS that the other suites do not already cover
//! (SECURITY.md maps every attack to its test): header injection through the fields that end
//! up in e-mails.

use econfiance_integration as support;

use serde_json::json;
use support::start;

/// The header block of a raw mail (up to the first empty line).
fn headers(raw: &str) -> &str {
    raw.split("\r\n\r\n").next().unwrap_or(raw)
}

fn assert_no_injected_header(raw: &str) {
    for line in headers(raw).lines() {
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            !matches!(name.as_str(), "bcc" | "x-injected" | "cc"),
            "an injected header reached the mail: {line}\n{raw}"
        );
    }
}

#[tokio::test]
async fn line_breaks_in_support_fields_never_become_mail_headers() {
    let h = start().await;
    let (s, created, _) = h
        .post(
            "/v1/support/tickets",
            json!({"category": "connexion",
                   "subject": "Aide\r\nBcc: pirate@evil.example\r\nX-Injected: 1",
                   "message": "Bonjour\r\n.\r\nRCPT TO:<pirate@evil.example>\r\nBcc: pirate@evil.example",
                   "contact_email": "marie@boulangerie-dupont.fr"}),
        )
        .await;
    assert_eq!(s, 201, "{created}");
    let mail = h.smtp.nth_to("marie@boulangerie-dupont.fr", 1).await;
    assert_eq!(mail.recipients, ["marie@boulangerie-dupont.fr"]);
    assert_no_injected_header(&mail.raw);
    assert_eq!(h.smtp.count_to("pirate@evil.example"), 0);

    // The contact address itself cannot carry a header or a second recipient.
    for contact in [
        "marie@boulangerie-dupont.fr\r\nBcc: pirate@evil.example",
        "marie@boulangerie-dupont.fr, pirate@evil.example",
        "Marie <marie@boulangerie-dupont.fr>",
        "marie@boulangerie-dupont.fr\nX-Injected: 1",
    ] {
        let (s, body, _) = h
            .post(
                "/v1/support/tickets",
                json!({"category": "connexion", "subject": "Aide", "message": "Bonjour",
                       "contact_email": contact}),
            )
            .await;
        assert_eq!(s, 422, "{contact:?} accepted: {body}");
        assert_eq!(body["fields"][0]["field"], "contact_email", "{body}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.smtp.count_to("pirate@evil.example"), 0);
    assert_eq!(
        h.smtp.all().len(),
        1,
        "only the genuine ticket's mail went out"
    );
}

#[tokio::test]
async fn line_breaks_in_demo_and_login_fields_never_become_mail_headers() {
    let h = start().await;
    let (_, slots) = h.get("/v1/demo/slots", None).await;
    let slot = slots["days"][0]["slots"][0]["start"]
        .as_str()
        .expect("a slot")
        .to_owned();
    let (s, booked, _) = h
        .post(
            "/v1/demo/requests",
            json!({"name": "Marie\r\nBcc: pirate@evil.example", "company": "Dupont\r\nX-Injected: 1",
                   "email": "marie@boulangerie-dupont.fr", "phone": "01 23 45 67 89",
                   "slot_start": slot, "message": "Bonjour\r\nBcc: pirate@evil.example"}),
        )
        .await;
    // Refused as a wrong field, or accepted with the text kept as text: either way, no header.
    if s == 201 {
        let mail = h.smtp.nth_to("marie@boulangerie-dupont.fr", 1).await;
        assert_eq!(mail.recipients, ["marie@boulangerie-dupont.fr"]);
        assert_no_injected_header(&mail.raw);
        let (_, ics) = mail.attachments.first().expect("the invitation").clone();
        for line in ics.lines() {
            assert!(
                !line.to_ascii_lowercase().starts_with("bcc") && !line.starts_with("X-Injected"),
                "a line of the invitation came from the input: {line}"
            );
        }
    } else {
        assert_eq!(s, 422, "{booked}");
    }
    let (s, body, _) = h
        .post(
            "/v1/auth/login-requests",
            json!({"email": "marie@boulangerie-dupont.fr\r\nBcc: pirate@evil.example",
                   "code_challenge": support::pkce().1, "code_challenge_method": "S256",
                   "device": {"name": "PC\r\nBcc: pirate@evil.example", "os": "Linux", "app_version": "0.1.0"}}),
        )
        .await;
    assert!(matches!(s, 400 | 422), "{s} {body}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.smtp.count_to("pirate@evil.example"), 0);
}
