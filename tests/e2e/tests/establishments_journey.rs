//! Establishments in the real window against the real server, with the sandbox's demo
//! company (three shops): the top bar's choice changes the dashboard's figures to that
//! establishment's, as the server counts them, and back to all of them; the inbox follows;
//! an establishment added in "Paramètres › Établissements" is offered in the top bar; a
//! reader given one shop by the owner sees that shop's figures and reviews only.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use econfiance_e2e::{choose, click, fill, log_in_with_password, wait_for_number, Result, TestEnv};

const DEMO: &str = "demo@e-confiance.test";
const PASSWORD: &str = "Demo-e-confiance-2026";
const READER: &str = "lecture@e-confiance.test";

#[tokio::test]
async fn choosing_an_establishment_changes_the_figures_and_the_inbox() -> Result<()> {
    let env = TestEnv::start("establishments")?;
    env.server_admin(&["seed-demo"])?;
    let probe = env.password_session(DEMO, PASSWORD).await?;
    let access = probe["access_token"].as_str().ok_or("access")?.to_owned();
    let (_, all) = env.api_get("/v1/dashboard/summary", &access).await?;
    let (_, gare) = env
        .api_get("/v1/dashboard/summary?establishment=et_demo_gare", &access)
        .await?;
    let all_count = all["count"].as_u64().ok_or("count")?;
    let gare_count = gare["count"].as_u64().ok_or("count")?;
    assert!(
        gare_count > 0 && gare_count < all_count,
        "{gare_count} of {all_count}"
    );

    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, DEMO, PASSWORD).await?;
    wait_for_number(&app, "kpi-count", all_count).await?;
    env.screenshot("01-all-establishments")?;
    choose(&app, "establishment-switch", "et_demo_gare").await?;
    wait_for_number(&app, "kpi-count", gare_count).await?;
    env.screenshot("02-one-establishment")?;

    // The inbox holds that establishment's reviews only.
    let (_, page) = env
        .api_get("/v1/reviews?establishment=et_demo_gare&limit=1", &access)
        .await?;
    click(&app, "nav-reviews").await?;
    env.wait_for_text(
        &app,
        "[data-testid=review-total]",
        &page["total"].as_u64().ok_or("total")?.to_string(),
    )
    .await?;

    // Back to all of them.
    click(&app, "nav-home").await?;
    choose(&app, "establishment-switch", "").await?;
    wait_for_number(&app, "kpi-count", all_count).await?;

    // A new establishment, added in the settings, is offered at once.
    click(&app, "nav-settings").await?;
    fill(
        &app,
        "establishment-new-name",
        "Boulangerie Démo — Aéroport",
    )
    .await?;
    click(&app, "establishment-add").await?;
    env.wait_for_text(&app, "[data-testid=establishments-notice]", "Aéroport")
        .await?;
    env.wait_for_text(&app, "[data-testid=establishment-switch]", "Aéroport")
        .await?;
    env.screenshot("03-added")?;
    Ok(())
}

#[tokio::test]
async fn a_reader_given_one_shop_sees_that_shop_only() -> Result<()> {
    let env = TestEnv::start("limited-member")?;
    env.server_admin(&["seed-demo"])?;
    let owner = env.password_session(DEMO, PASSWORD).await?;
    let access = owner["access_token"].as_str().ok_or("access")?.to_owned();
    let (_, team) = env.api_get("/v1/team", &access).await?;
    let reader = team["members"]
        .as_array()
        .ok_or("members")?
        .iter()
        .find(|m| m["email"] == READER)
        .and_then(|m| m["user_id"].as_str())
        .ok_or("the demo reader")?
        .to_owned();
    let given = env
        .https()?
        .put(format!("{}/v1/team/members/{reader}", env.server_url))
        .bearer_auth(&access)
        .json(&serde_json::json!({"role": "reader", "establishments": ["et_demo_gare"]}))
        .send()
        .await?
        .status();
    assert_eq!(given.as_u16(), 200);
    let (_, all) = env.api_get("/v1/dashboard/summary", &access).await?;
    let (_, gare) = env
        .api_get("/v1/dashboard/summary?establishment=et_demo_gare", &access)
        .await?;
    let gare_count = gare["count"].as_u64().ok_or("count")?;
    assert!(gare_count < all["count"].as_u64().ok_or("count")?);
    let (_, page) = env
        .api_get("/v1/reviews?establishment=et_demo_gare&limit=1", &access)
        .await?;

    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, READER, PASSWORD).await?;
    // Her dashboard is the shop's, with no choice of establishment to make.
    wait_for_number(&app, "kpi-count", gare_count).await?;
    env.wait_for_count(&app, "[data-testid=establishment-switch]", 0)
        .await?;
    env.screenshot("04-reader-one-shop")?;
    click(&app, "nav-reviews").await?;
    env.wait_for_text(
        &app,
        "[data-testid=review-total]",
        &page["total"].as_u64().ok_or("total")?.to_string(),
    )
    .await?;
    Ok(())
}
