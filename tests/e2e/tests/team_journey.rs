//! The team in the real window against the real server: the owner invites a manager and a
//! read-only colleague from "Paramètres › Équipe"; the manager's invitation mail, their
//! first login by the link the OS opens, a first-login form that asks only for their own
//! details, and a reply they publish; the read-only colleague sees the reply signed and no
//! reply box; removed by the owner while their app is open, they are returned to the login
//! screen with a plain message; the owner sees who replied.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use econfiance_e2e::{
    choose, click, fill, first_https_link, log_in_with_password, open_review, Result, TestEnv,
};
use fantoccini::Client;

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@boulangerie-exemple.fr";
const LEA: &str = "lea@boulangerie-exemple.fr";
const PASSWORD: &str = "trois tortues lisent Proust";

/// Logs `email` in by the link of their login mail, opened by the OS (`gio open`).
async fn log_in_by_link(env: &TestEnv, app: &Client, email: &str) -> Result<()> {
    env.wait_for_text(app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(app, "email", email).await?;
    click(app, "send-link").await?;
    env.wait_for_text(app, "[data-testid=sent-to]", email)
        .await?;
    let mail = env.wait_for_mail(email, "Votre lien de connexion").await?;
    let landing = first_https_link(&mail).ok_or("no link in the login mail")?;
    let deep_link = env.deep_link_of_landing_page(&landing).await?;
    assert!(env.gio_open(&deep_link)?.success(), "gio open");
    Ok(())
}

/// The first-login form of an invited colleague: only their own details.
async fn fill_own_details(env: &TestEnv, app: &Client, first: &str, last: &str) -> Result<()> {
    env.wait_for_count(app, "[data-testid=\"person.first_name\"]", 1)
        .await?;
    env.wait_for_count(app, "[data-testid=\"company.siret\"]", 0)
        .await?;
    fill(app, "person.first_name", first).await?;
    fill(app, "person.last_name", last).await?;
    fill(app, "person.phone", "06 12 34 56 78").await?;
    click(app, "onboarding-submit").await?;
    env.wait_for_count(app, "[data-testid=nav-reviews]", 1)
        .await?;
    Ok(())
}

async fn log_out(env: &TestEnv, app: &Client) -> Result<()> {
    click(app, "logout").await?;
    env.wait_for_count(app, "[data-testid=send-link]", 1).await
}

#[tokio::test]
async fn an_invited_manager_replies_a_reader_only_reads_and_a_removed_member_is_let_out(
) -> Result<()> {
    let env = TestEnv::start("team")?;
    env.server_admin(&["create-user", MARIE, "--onboarded", "--password", PASSWORD])?;
    let review = env
        .server_admin_output(&[
            "reviews",
            "add",
            MARIE,
            "--rating",
            "2",
            "--title",
            "Croissants brûlés",
            "--author",
            "Claire D.",
        ])?
        .trim()
        .to_owned();
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, MARIE, PASSWORD).await?;

    // The owner invites a manager and a read-only colleague.
    click(&app, "nav-settings").await?;
    env.wait_for_count(&app, "[data-testid=team]", 1).await?;
    for (email, role) in [(PAUL, "manager"), (LEA, "reader")] {
        fill(&app, "team-invite-email", email).await?;
        choose(&app, "team-invite-role", role).await?;
        click(&app, "team-invite-send").await?;
        env.wait_for_count(
            &app,
            &format!("[data-testid=team-invitation][data-email=\"{email}\"]"),
            1,
        )
        .await?;
    }
    env.screenshot("01-invitations-sent")?;
    let invitation = env.wait_for_mail(PAUL, "vous invite").await?;
    assert!(invitation.contains("gestionnaire"), "{invitation}");
    log_out(&env, &app).await?;

    // The manager: first login by link, only his own details asked, a reply published.
    log_in_by_link(&env, &app, PAUL).await?;
    fill_own_details(&env, &app, "Paul", "Martin").await?;
    env.screenshot("02-manager-signed-in")?;
    click(&app, "nav-reviews").await?;
    open_review(&env, &app, "croissants", &review).await?;
    fill(
        &app,
        "reply-box",
        "Toutes nos excuses, Claire : revenez nous voir.",
    )
    .await?;
    click(&app, "reply-publish").await?;
    env.wait_for_text(&app, "[data-testid=reply-author]", "Paul Martin")
        .await?;
    log_out(&env, &app).await?;

    // The read-only colleague sees the signed reply and no reply box.
    log_in_by_link(&env, &app, LEA).await?;
    fill_own_details(&env, &app, "Léa", "Roux").await?;
    click(&app, "nav-reviews").await?;
    open_review(&env, &app, "croissants", &review).await?;
    env.wait_for_text(&app, "[data-testid=reply-author]", "Paul Martin")
        .await?;
    env.wait_for_count(&app, "[data-testid=read-only-note]", 1)
        .await?;
    env.wait_for_count(&app, "[data-testid=reply-box]", 0)
        .await?;
    env.screenshot("03-read-only")?;

    // The owner removes her while her app is open: at its next look, it is back at the
    // login screen, saying why, and her session left the keyring.
    let owner = env.password_session(MARIE, PASSWORD).await?;
    let access = owner["access_token"].as_str().ok_or("access")?.to_owned();
    let (_, team) = env.api_get("/v1/team", &access).await?;
    let lea = team["members"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["email"] == LEA))
        .and_then(|m| m["user_id"].as_str())
        .ok_or("Léa is a member")?
        .to_owned();
    let removed = env
        .https()?
        .delete(format!("{}/v1/team/members/{lea}", env.server_url))
        .bearer_auth(&access)
        .send()
        .await?;
    assert_eq!(removed.status().as_u16(), 204);
    app.execute("window.dispatchEvent(new Event('focus'))", vec![])
        .await?;
    env.wait_for_text(&app, "[data-testid=login-warning]", "ne faites plus partie")
        .await?;
    env.screenshot("04-removed")?;
    assert!(
        env.keyring_session_entry()?.is_none(),
        "the ended session left the keyring"
    );

    // The owner sees who replied.
    log_in_with_password(&env, &app, MARIE, PASSWORD).await?;
    click(&app, "nav-reviews").await?;
    open_review(&env, &app, "croissants", &review).await?;
    env.wait_for_text(&app, "[data-testid=reply-author]", "Paul Martin")
        .await?;
    env.screenshot("05-owner-sees-the-author")?;
    Ok(())
}
