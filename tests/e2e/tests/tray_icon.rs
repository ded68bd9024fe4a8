//! The optional tray icon, seen by a real tray host on the session bus (a StatusNotifier
//! watcher, as desktop panels run): turned on in the settings it registers with its menu;
//! closing the window then hides it and the app keeps running (so notifications still
//! come); "Ouvrir e-confiance" brings the window back; the choice is kept across a restart;
//! the menu follows a language switch; "Quit" ends the app.

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::time::{Duration, Instant};

use econfiance_e2e::{click, log_in_with_password, Result, TestEnv, WAIT};
use fantoccini::Locator;

const OWNER: &str = "paul@fromagerie-exemple.fr";
const PASSWORD: &str = "sept chats dorment au soleil";

/// The tray items the host has seen register, as (bus name, object path).
fn items(record: &std::path::Path) -> Result<Vec<(String, String)>> {
    Ok(std::fs::read_to_string(record)?
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(n, p)| (n.to_owned(), p.to_owned()))
        .collect())
}

async fn wait_for(what: &str, mut ready: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!("timed out waiting for {what}").into())
}

/// The menu's object path in the item's properties, as gdbus prints them.
fn menu_path(properties: &str) -> Option<String> {
    let at = properties.find("'Menu': <objectpath '")? + "'Menu': <objectpath '".len();
    let rest = &properties[at..];
    Some(rest[..rest.find('\'')?].to_owned())
}

/// The id of the menu entry labelled `label` in a dbusmenu layout printed by gdbus:
/// entries look like `<(3, {'label': <'Quitter'>, …}, [])>`.
fn entry_id(layout: &str, label: &str) -> Option<String> {
    let at = layout.find(&format!("'label': <'{label}'>"))?;
    let start = layout[..at].rfind("<(")? + 2;
    let id: String = layout[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!id.is_empty()).then_some(id)
}

/// Reads a tray item as a panel does: its properties (which must say it is active) and
/// its menu's layout; returns (menu path, layout), both also saved in the artifacts.
fn read_item(env: &TestEnv, name: &str, path: &str, label: &str) -> Result<(String, String)> {
    let properties = env.gdbus(&[
        "call",
        "--dest",
        name,
        "--object-path",
        path,
        "--method",
        "org.freedesktop.DBus.Properties.GetAll",
        "org.kde.StatusNotifierItem",
    ])?;
    std::fs::write(
        env.artifacts.join(format!("tray-properties-{label}.txt")),
        &properties,
    )?;
    if !properties.contains("'Status': <'Active'>") {
        return Err(format!("the item is not active: {properties}").into());
    }
    let menu = menu_path(&properties).ok_or(format!("no menu: {properties}"))?;
    let layout = env.gdbus(&[
        "call",
        "--dest",
        name,
        "--object-path",
        &menu,
        "--method",
        "com.canonical.dbusmenu.GetLayout",
        "--",
        "0",
        "-1",
        "[]",
    ])?;
    std::fs::write(
        env.artifacts.join(format!("tray-menu-{label}.txt")),
        &layout,
    )?;
    Ok((menu, layout))
}

/// The item's `Status` property as gdbus prints it ("Active", "Passive"), or an error
/// when the item is gone from the bus.
fn status(env: &TestEnv, name: &str, path: &str) -> Result<String> {
    env.gdbus(&[
        "call",
        "--dest",
        name,
        "--object-path",
        path,
        "--method",
        "org.freedesktop.DBus.Properties.Get",
        "org.kde.StatusNotifierItem",
        "Status",
    ])
}

fn click_entry(env: &TestEnv, name: &str, menu: &str, id: &str) -> Result<()> {
    env.gdbus(&[
        "call",
        "--dest",
        name,
        "--object-path",
        menu,
        "--method",
        "com.canonical.dbusmenu.Event",
        "--",
        id,
        "clicked",
        "<int32 0>",
        "0",
    ])?;
    Ok(())
}

#[tokio::test]
async fn the_tray_icon_keeps_the_app_running_with_its_window_closed() -> Result<()> {
    let mut env = TestEnv::start("tray-icon")?;
    let record = env.start_tray_host()?;
    env.server_admin(&["create-user", OWNER, "--onboarded", "--password", PASSWORD])?;
    let app = env.launch(&[]).await?;
    log_in_with_password(&env, &app, OWNER, PASSWORD).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(items(&record)?.is_empty(), "no tray icon unless asked");

    // Turned on in the settings: an item registers with the host, with its menu.
    click(&app, "nav-settings").await?;
    click(&app, "pref-tray").await?;
    wait_for("the tray item to register", || {
        items(&record).map(|i| !i.is_empty()).unwrap_or(false)
    })
    .await?;
    let (name, path) = items(&record)?.remove(0);
    let (menu, layout) = read_item(&env, &name, &path, "first")?;
    let open = entry_id(&layout, "Ouvrir e-confiance").ok_or(format!("no Open: {layout}"))?;
    assert!(entry_id(&layout, "Quitter").is_some(), "{layout}");

    // Closing the window hides it; the app keeps running.
    assert_eq!(env.app_window_count()?, 1);
    assert_eq!(env.close_app_window()?, 1, "one window asked to close");
    wait_for("the window to be hidden", || {
        env.app_window_count().map(|n| n == 0).unwrap_or(false)
    })
    .await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(env.app_process_count()?, 1, "the app still runs");

    // "Ouvrir e-confiance" brings it back, still signed in.
    click_entry(&env, &name, &menu, &open)?;
    wait_for("the window to come back", || {
        env.app_window_count().map(|n| n == 1).unwrap_or(false)
    })
    .await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", OWNER)
        .await?;
    env.screenshot("01-back-from-the-tray")?;

    // The choice is kept: after a restart the icon is there from the start.
    let _ = app.close().await;
    env.kill_apps()?;
    let before = items(&record)?.len();
    let app = env.launch(&[]).await?;
    wait_for("the tray item to register at start", || {
        items(&record).map(|i| i.len() > before).unwrap_or(false)
    })
    .await?;
    env.wait_for_text(&app, "[data-testid=signed-in-email]", OWNER)
        .await?;
    let (name, path) = items(&record)?.remove(before);
    read_item(&env, &name, &path, "after-restart")?;

    // Turned off: panels hide the item.
    click(&app, "nav-settings").await?;
    let checkbox = app
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid=pref-tray]"))
        .await?;
    assert_eq!(checkbox.prop("checked").await?.as_deref(), Some("true"));
    click(&app, "pref-tray").await?;
    // The item turns passive (panels hide passive items) or leaves the bus.
    wait_for("the tray item to be hidden", || {
        status(&env, &name, &path)
            .map(|s| s.contains("Passive"))
            .unwrap_or(true)
    })
    .await?;

    // On again, then "Quitter" ends the app.
    click(&app, "pref-tray").await?;
    wait_for("the tray item to be shown again", || {
        items(&record)
            .ok()
            .and_then(|i| i.last().cloned())
            .is_some_and(|(n, p)| status(&env, &n, &p).is_ok_and(|s| s.contains("Active")))
    })
    .await?;
    let (name, path) = items(&record)?.pop().ok_or("no tray item")?;
    let (_, layout) = read_item(&env, &name, &path, "again")?;
    assert!(entry_id(&layout, "Quitter").is_some(), "{layout}");

    // The menu follows a switch to English.
    click(&app, "language-switch").await?;
    let mut english = None;
    for _ in 0..50 {
        let (menu, layout) = read_item(&env, &name, &path, "english")?;
        if let Some(quit) = entry_id(&layout, "Quit") {
            assert!(entry_id(&layout, "Open e-confiance").is_some(), "{layout}");
            english = Some((menu, quit));
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (menu, quit) = english.ok_or("the tray menu stayed in French")?;
    click_entry(&env, &name, &menu, &quit)?;
    wait_for("the app to end", || {
        env.app_process_count().map(|n| n == 0).unwrap_or(false)
    })
    .await?;
    Ok(())
}
