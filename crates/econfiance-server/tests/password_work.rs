//! A password login costs the same work whether or not the e-mail has an account: an
//! unknown e-mail, or an account without a password, is checked against a dummy argon2
//! hash. Counted, not timed: one argon2 verification per attempt, whoever asks. (Alone in
//! its test binary, so that no other test's logins move the counter.)

use econfiance_integration as support;

use econfiance_server::crypto::argon2_verifications;
use serde_json::json;
use support::{device, start};

#[tokio::test]
async fn every_password_attempt_runs_argon2_once_known_or_not() {
    let h = start().await;
    h.create_user(
        "marie@boulangerie-exemple.fr",
        Some("trois tortues lisent Proust"),
    )
    .await;
    h.create_user("sans-mot-de-passe@exemple.fr", None).await;
    for email in [
        "marie@boulangerie-exemple.fr",
        "personne@exemple.fr",
        "sans-mot-de-passe@exemple.fr",
    ] {
        let before = argon2_verifications();
        let (status, body, _) = h
            .post(
                "/v1/auth/token",
                json!({"grant_type": "password", "email": email, "password": "pas le bon", "device": device()}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("invalid_credentials")),
            "{body}"
        );
        assert_eq!(
            argon2_verifications() - before,
            1,
            "{email}: one argon2 verification"
        );
    }
}
