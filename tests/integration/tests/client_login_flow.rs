//! The desktop client's login flows (econfiance-client, no UI) against the real server over
//! HTTPS, with mail captured by a real SMTP listener: the magic link followed from the
//! mail's landing page to its econfiance:// URL, the typed code after "Renvoyer", password
//! login, restore after a restart, one refresh at a time, revocation and logout.

use econfiance_integration as support;

use std::sync::Arc;

use econfiance_api::auth::DeviceInfo;
use econfiance_api::{DeepLink, Secret};
use econfiance_client::desktop::Desktop;
use econfiance_client::links::accept_link;
use econfiance_client::platform::Os;
use econfiance_client::session::SessionManager;
use econfiance_client::storage::AppDirs;
use econfiance_client::vault::{MemoryStore, Vault, VaultMode};
use econfiance_client::{api, ApiClient, BuildProfile, Config, Language};
use support::{code_in, link_in, start, Harness};

const MARIE: &str = "marie@boulangerie-exemple.fr";
const PAUL: &str = "paul@boulangerie-exemple.fr";

fn app(h: &Harness, store: &Arc<MemoryStore>, device: &str) -> SessionManager {
    let ca = h.ctx.config.data_dir.join("tls/sandbox-cert.pem");
    let config =
        Config::from_values(BuildProfile::Release, Some(&h.url), Some(ca)).expect("config");
    let api = ApiClient::new(config).expect("client");
    let vault = Vault::with_store(Box::new(store.clone()), VaultMode::Keyring);
    SessionManager::new(
        api,
        vault,
        DeviceInfo {
            name: device.into(),
            os: "Ubuntu 24.04".into(),
            app_version: "0.1.0".into(),
        },
    )
}

/// The econfiance:// URL the landing page of `mail_text` opens, as the OS would hand it over.
async fn deep_link_from_landing_page(h: &Harness, mail_text: &str) -> String {
    let page = h
        .http
        .get(link_in(mail_text))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let start = page
        .find("href=\"econfiance://")
        .expect("a deep link on the page")
        + 6;
    let end = start + page[start..].find('"').expect("end of href");
    page[start..end].replace("&amp;", "&")
}

#[tokio::test]
async fn magic_link_from_the_mail_logs_the_app_in() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    let created = app.request_login_link(MARIE).await.expect("link requested");
    assert!(app.is_pending(&created.request_id));
    let mail = h.smtp.nth_to(MARIE, 1).await;
    let url = deep_link_from_landing_page(&h, &mail.text).await;
    let DeepLink::LoginCallback { request, code } =
        accept_link(url.as_bytes(), |id| app.is_pending(id.as_str())).expect("accepted")
    else {
        panic!("a login callback")
    };
    let signed_in = app
        .complete_login(request.as_str(), code.expose())
        .await
        .expect("logged in");
    assert_eq!(signed_in.email, MARIE);
    assert!(
        !app.is_pending(&created.request_id),
        "completed requests are forgotten"
    );
    let sessions = app.call(api::auth::sessions()).await.expect("sessions");
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].current);
    assert_eq!(sessions[0].device_name, "PC-Accueil");
    // The same link again is refused: nothing is pending any more.
    let again =
        accept_link(url.as_bytes(), |id| app.is_pending(id.as_str())).expect_err("replayed");
    assert_eq!(again.code(), "link_not_requested_here");
}

#[tokio::test]
async fn a_link_requested_by_another_app_is_refused_and_stays_usable_there() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let (mine, theirs) = (
        Arc::new(MemoryStore::default()),
        Arc::new(MemoryStore::default()),
    );
    let my_app = app(&h, &mine, "PC-Accueil");
    let their_app = app(&h, &theirs, "PC-Bureau");
    let created = their_app
        .request_login_link(MARIE)
        .await
        .expect("requested");
    let mail = h.smtp.nth_to(MARIE, 1).await;
    let url = deep_link_from_landing_page(&h, &mail.text).await;
    let refused =
        accept_link(url.as_bytes(), |id| my_app.is_pending(id.as_str())).expect_err("not mine");
    assert_eq!(refused.code(), "link_not_requested_here");
    let code = code_in(&mail.text);
    let err = my_app
        .complete_login(&created.request_id, &code)
        .await
        .expect_err("not mine");
    assert_eq!(err.code(), "link_not_requested_here");
    // Nothing was spent: the app that asked still completes.
    their_app
        .complete_login(&created.request_id, &code)
        .await
        .expect("theirs works");
}

#[tokio::test]
async fn typed_code_of_the_first_mail_works_after_resend() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    app.request_login_link(MARIE).await.expect("first");
    let first = code_in(&h.smtp.nth_to(MARIE, 1).await.text);
    app.request_login_link(MARIE).await.expect("Renvoyer");
    h.smtp.nth_to(MARIE, 2).await;
    let typed = first.to_lowercase().replace('-', " ");
    let signed_in = app
        .complete_with_typed_code(&typed)
        .await
        .expect("first mail's code works");
    assert_eq!(signed_in.email, MARIE);
}

#[tokio::test]
async fn a_pending_link_survives_a_restart_of_the_app() {
    let h = start().await;
    h.create_user(MARIE, None).await;
    let store = Arc::new(MemoryStore::default());
    let created = app(&h, &store, "PC-Accueil")
        .request_login_link(MARIE)
        .await
        .expect("requested");
    let mail = h.smtp.nth_to(MARIE, 1).await;
    // The app was closed; the link starts a new one, which finds the request in the vault.
    let restarted = app(&h, &store, "PC-Accueil");
    let url = deep_link_from_landing_page(&h, &mail.text).await;
    let link =
        accept_link(url.as_bytes(), |id| restarted.is_pending(id.as_str())).expect("still pending");
    let DeepLink::LoginCallback { code, .. } = link else {
        panic!("callback")
    };
    restarted
        .complete_login(&created.request_id, code.expose())
        .await
        .expect("logged in");
}

#[tokio::test]
async fn the_session_survives_a_restart_and_logout_forgets_it_everywhere() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let store = Arc::new(MemoryStore::default());
    let first = app(&h, &store, "PC-Accueil");
    first
        .login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("login");
    let restarted = app(&h, &store, "PC-Accueil");
    let restored = restarted
        .restore()
        .await
        .expect("restore")
        .expect("a session");
    assert_eq!(restored.email, MARIE);
    restarted.logout().await.expect("logout");
    assert_eq!(restarted.vault().session().expect("vault"), None);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
        .fetch_one(&h.ctx.db)
        .await
        .expect("count");
    assert_eq!(n, 0, "revoked on the server too");
    assert_eq!(
        app(&h, &store, "PC-Accueil")
            .restore()
            .await
            .expect("restore"),
        None
    );
}

/// The invited `email` (their invitation mail received) logs in by the magic link of the
/// next mail, on an app keeping its session in `store`; the app is then closed.
async fn invited_login(
    h: &Harness,
    store: &Arc<MemoryStore>,
    email: &str,
) -> econfiance_client::session::SignedIn {
    let member = app(h, store, "PC-Membre");
    let before = h.smtp.count_to(email);
    member
        .request_login_link(email)
        .await
        .expect("link requested");
    let mail = h.smtp.nth_to(email, before + 1).await;
    let url = deep_link_from_landing_page(h, &mail.text).await;
    let DeepLink::LoginCallback { request, code } =
        accept_link(url.as_bytes(), |id| member.is_pending(id.as_str())).expect("accepted")
    else {
        panic!("a login callback")
    };
    member
        .complete_login(request.as_str(), code.expose())
        .await
        .expect("logged in")
}

#[tokio::test]
async fn a_member_removed_while_the_app_was_closed_is_told_why_at_its_next_start() {
    let h = start().await;
    let marie = h.owner(MARIE).await;
    let (s, body) = h
        .authed(
            reqwest::Method::POST,
            "/v1/team/invitations",
            &marie,
            Some(serde_json::json!({"email": PAUL, "role": "reader"})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    h.smtp.nth_to(PAUL, 1).await;
    let store = Arc::new(MemoryStore::default());
    let signed_in = invited_login(&h, &store, PAUL).await;

    // Removed while the app is closed.
    let (s, body) = h
        .authed(
            reqwest::Method::DELETE,
            &format!("/v1/team/members/{}", signed_in.user_id),
            &marie,
            None,
        )
        .await;
    assert_eq!(s, 204, "{body}");
    let restarted = app(&h, &store, "PC-Paul");
    let err = restarted.restore().await.expect_err("told why");
    assert_eq!(err.code(), "removed_from_team");
    assert!(
        err.message(Language::Fr).contains("équipe"),
        "{}",
        err.message(Language::Fr)
    );
    assert_eq!(
        restarted.vault().session().expect("vault"),
        None,
        "the session is forgotten"
    );
    assert_eq!(
        restarted.restore().await.expect("restore"),
        None,
        "said once"
    );
}

#[tokio::test]
async fn refreshes_happen_one_at_a_time_and_each_rotated_token_is_saved() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let store = Arc::new(MemoryStore::default());
    let app = Arc::new(app(&h, &store, "PC-Accueil"));
    app.login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("login");
    let before = app
        .vault()
        .session()
        .expect("vault")
        .expect("session")
        .refresh_token;
    // The server's access tokens expire: every call below must refresh first.
    h.clock.advance(16 * 60);
    let mut calls = Vec::new();
    for _ in 0..6 {
        let app = app.clone();
        calls.push(tokio::spawn(async move {
            app.call(api::auth::sessions()).await
        }));
    }
    for call in calls {
        call.await
            .expect("task")
            .expect("every concurrent call succeeds");
    }
    let after = app
        .vault()
        .session()
        .expect("vault")
        .expect("session")
        .refresh_token;
    assert_ne!(before, after, "the rotated token was saved");
    let revoked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL")
            .fetch_one(&h.ctx.db)
            .await
            .expect("count");
    assert_eq!(revoked, 0, "no concurrent refresh looked like token reuse");
}

#[tokio::test]
async fn a_device_revoked_elsewhere_is_logged_out_with_a_clear_code() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let (a_store, b_store) = (
        Arc::new(MemoryStore::default()),
        Arc::new(MemoryStore::default()),
    );
    let a = app(&h, &a_store, "PC-Accueil");
    let b = app(&h, &b_store, "Portable");
    a.login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("a");
    let b_session = b
        .login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("b");
    a.call(api::auth::revoke_session(&b_session.session_id))
        .await
        .expect("revoke b from a");
    let err = b.call(api::auth::sessions()).await.expect_err("b is out");
    assert_eq!(err.code(), "session_ended");
    assert!(
        err.message(Language::Fr).contains("Reconnectez-vous"),
        "{}",
        err.message(Language::Fr)
    );
    assert_eq!(
        b.vault().session().expect("vault"),
        None,
        "b forgot its session"
    );
}

#[tokio::test]
async fn server_errors_reach_the_client_in_its_language() {
    let h = start().await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    app.api().set_language(Language::En);
    let err = app
        .login_with_password("nobody@exemple.fr", Secret::new("wrong".into()))
        .await
        .expect_err("refused");
    assert_eq!(err.code(), "invalid_credentials");
    assert!(err
        .message(Language::En)
        .starts_with("Wrong e-mail address or password"));
}

#[tokio::test]
async fn a_reset_asked_by_the_app_completes_only_there_and_signs_nobody_in() {
    let h = start().await;
    h.create_user(MARIE, Some("ancien mot de passe solide"))
        .await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    app.login_with_password(MARIE, Secret::new("ancien mot de passe solide".into()))
        .await
        .expect("login");
    let created = app
        .request_password_reset(MARIE)
        .await
        .expect("reset requested");
    assert_eq!(
        app.pending_reset_email(&created.request_id).as_deref(),
        Some(MARIE)
    );
    let mail = h.smtp.nth_to(MARIE, 1).await;
    let page = h
        .http
        .get(link_in(&mail.text))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let start = page.find("href=\"econfiance://").expect("deep link") + 6;
    let url = page[start..start + page[start..].find('"').expect("end")].replace("&amp;", "&");
    let DeepLink::PasswordReset { request, token } =
        accept_link(url.as_bytes(), |id| app.is_pending(id.as_str())).expect("accepted")
    else {
        panic!("a reset link")
    };
    let token = Secret::new(token.expose().to_owned());
    let weak = app
        .complete_password_reset(request.as_str(), &token, Secret::new("motdepasse".into()))
        .await
        .expect_err("weak");
    assert_eq!(weak.code(), "weak_password");
    assert!(
        app.pending_reset_email(request.as_str()).is_some(),
        "a weak choice keeps the link usable"
    );
    app.complete_password_reset(
        request.as_str(),
        &token,
        Secret::new("trois tortues lisent Proust".into()),
    )
    .await
    .expect("reset");
    assert_eq!(
        app.vault().session().expect("vault"),
        None,
        "nobody is signed in after a reset"
    );
    assert_eq!(app.restore().await.expect("restore"), None);
    app.login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("the new password works");
}

#[tokio::test]
async fn onboarding_reports_each_wrong_field_then_the_account_opens_on_its_dashboard() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    app.login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("logged in");
    assert!(
        app.call(api::account::me())
            .await
            .expect("me")
            .onboarding_required
    );

    let mut form = econfiance_api::account::OnboardingBody {
        company: Some(econfiance_api::account::OnboardingCompany {
            legal_name: "Boulangerie Exemple".into(),
            siret: "732 829 320 00075".into(),
            address: "12 rue des Lilas".into(),
            postal_code: "6900".into(),
            city: "Lyon".into(),
            website: "www.boulangerie-exemple.fr".into(),
            sector: "Boulangerie".into(),
            phone: "04 72 00 00 00".into(),
        }),
        person: econfiance_api::account::OnboardingPerson {
            first_name: "Marie".into(),
            last_name: "Durand".into(),
            job_title: "Gérante".into(),
            phone: "06 12 34 56 78".into(),
        },
    };
    app.api().set_language(Language::En);
    let error = app
        .call(api::account::onboarding(&form))
        .await
        .expect_err("wrong SIRET and postal code");
    app.api().set_language(Language::Fr);
    let body = error.to_body(Language::En);
    assert_eq!(body.code, "validation_failed");
    let fields: Vec<String> = body
        .fields
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(fields, ["company.siret", "company.postal_code"]);

    if let Some(company) = form.company.as_mut() {
        company.siret = "732 829 320 00074".into();
        company.postal_code = "69003".into();
    }
    let me = app
        .call(api::account::onboarding(&form))
        .await
        .expect("saved");
    assert!(!me.onboarding_required);
    assert_eq!(me.company.siret.as_deref(), Some("73282932000074"));
    assert_eq!(me.person.last_name.as_deref(), Some("Durand"));
}

#[tokio::test]
async fn my_devices_ends_the_others_and_a_password_change_keeps_only_this_device() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let password = || Secret::new("trois tortues lisent Proust".to_owned());
    let stores: Vec<Arc<MemoryStore>> = (0..3).map(|_| Arc::new(MemoryStore::default())).collect();
    let apps: Vec<SessionManager> = stores
        .iter()
        .enumerate()
        .map(|(i, s)| app(&h, s, &format!("PC-{i}")))
        .collect();
    for a in &apps {
        a.login_with_password(MARIE, password())
            .await
            .expect("logged in");
    }
    let listed = apps[0].call(api::auth::sessions()).await.expect("sessions");
    assert_eq!(listed.len(), 3);
    assert_eq!(listed.iter().filter(|s| s.current).count(), 1);

    assert_eq!(apps[0].revoke_other_sessions().await.expect("revoked"), 2);
    for other in &apps[1..] {
        let e = other.call(api::account::me()).await.expect_err("ended");
        assert_eq!(e.code(), "session_ended");
        assert!(
            other.signed_in().await.is_none(),
            "forgotten on that device"
        );
    }
    assert_eq!(apps[0].revoke_other_sessions().await.expect("none left"), 0);

    // A password change needs the current one, and ends the other sessions.
    apps[1]
        .login_with_password(MARIE, password())
        .await
        .expect("again");
    let wrong = apps[0]
        .change_password(
            Some(Secret::new("pas le bon".into())),
            Secret::new("un nouveau mot de passe solide".into()),
        )
        .await
        .expect_err("wrong current password");
    assert_ne!(wrong.code(), "session_ended");
    apps[0]
        .change_password(
            Some(password()),
            Secret::new("un nouveau mot de passe solide".into()),
        )
        .await
        .expect("changed");
    assert!(
        apps[0].call(api::account::me()).await.is_ok(),
        "this device goes on"
    );
    assert_eq!(
        apps[1]
            .call(api::account::me())
            .await
            .expect_err("ended")
            .code(),
        "session_ended"
    );
}

#[tokio::test]
async fn a_link_for_the_logged_in_account_is_recognised_and_can_be_dropped_unused() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    let created = app.request_login_link(MARIE).await.expect("link");
    app.login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("logged in");
    let current = app.signed_in().await.expect("signed in");
    assert_eq!(
        app.pending_login_email(&created.request_id).as_deref(),
        Some(current.email.as_str())
    );
    app.drop_pending_login(&created.request_id)
        .expect("dropped");
    assert!(!app.is_pending(&created.request_id));
    assert_eq!(
        app.call(api::auth::sessions())
            .await
            .expect("sessions")
            .len(),
        1,
        "no second session was opened"
    );
}

#[tokio::test]
async fn the_export_of_my_data_names_me_and_holds_no_secret() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let store = Arc::new(MemoryStore::default());
    let app = app(&h, &store, "PC-Accueil");
    app.login_with_password(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("logged in");
    let bytes = app.call(api::account::export()).await.expect("export");
    let text = String::from_utf8(bytes).expect("utf-8");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert!(text.contains(MARIE), "{json}");
    for secret in ["trois tortues", "argon2", "digest"] {
        assert!(!text.contains(secret), "the export holds `{secret}`");
    }
}

/// An app's folders in a temporary place, for the account's local traces.
fn folders() -> (tempfile::TempDir, AppDirs) {
    let root = tempfile::tempdir().expect("tempdir");
    let dirs = AppDirs {
        data: root.path().join("data"),
        cache: root.path().join("cache"),
        logs: root.path().join("logs"),
    };
    (root, dirs)
}

/// What the app leaves on disk for a logged-in account: its dashboard snapshot and a draft.
fn leave_traces(dirs: &AppDirs, user_id: &str) {
    for path in [dirs.dashboard_snapshot(user_id), dirs.reply_drafts()] {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, b"{}").expect("write");
    }
    std::fs::write(dirs.settings_file(), b"{}").expect("settings");
}

/// The account `user_id` left nothing behind but the app's settings.
fn assert_no_trace(dirs: &AppDirs, user_id: &str, way: &str) {
    assert!(
        !dirs.dashboard_snapshot(user_id).exists(),
        "{way}: the dashboard snapshot is deleted"
    );
    assert!(
        !dirs.reply_drafts().exists(),
        "{way}: the reply drafts are deleted"
    );
    assert!(dirs.settings_file().exists(), "{way}: the settings stay");
}

async fn password_login(app: &SessionManager, email: &str) -> String {
    app.login_with_password(email, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("login")
        .user_id
}

#[tokio::test]
async fn every_way_out_deletes_the_accounts_local_traces_and_its_session() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    h.create_user(
        "paul@garage-exemple.fr",
        Some("trois tortues lisent Proust"),
    )
    .await;

    // The "Se déconnecter" button, and "Vider le cache" with sign-out: logout.
    let (_root, dirs) = folders();
    let store = Arc::new(MemoryStore::default());
    let app1 = app(&h, &store, "PC-Accueil").with_account_files(dirs.clone());
    let user = password_login(&app1, MARIE).await;
    leave_traces(&dirs, &user);
    app1.logout().await.expect("logout");
    assert_no_trace(&dirs, &user, "logout");
    assert_eq!(app1.vault().session().expect("vault"), None);

    // "Vider le cache" with sign-out, as the app's Desktop runs it once the webview's data
    // is cleared: the cache folder, then the same logout.
    let (_root, dirs) = folders();
    let store = Arc::new(MemoryStore::default());
    let desktop = desktop_on(&h, &store, &dirs, &h.url);
    // Another account: the server limits logins per e-mail, and this test makes many.
    let lea = "lea@fleuriste-exemple.fr";
    h.create_user(lea, Some("trois tortues lisent Proust"))
        .await;
    let view = desktop
        .password_login(lea, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("login");
    assert_eq!(view.email, lea);
    let user = desktop
        .session()
        .expect("a session manager")
        .signed_in()
        .await
        .expect("signed in")
        .user_id;
    leave_traces(&dirs, &user);
    let cleared = desktop
        .finish_clearing_cache(0, true)
        .await
        .expect("cleared");
    assert!(cleared.signed_out);
    assert_no_trace(&dirs, &user, "clear the cache with sign-out");
    let keyring = Vault::with_store(Box::new(store.clone()), VaultMode::Keyring);
    assert_eq!(
        keyring.session().expect("vault"),
        None,
        "the keyring is empty"
    );

    // A link for another account, agreed to: the current one leaves as on logout.
    let (_root, dirs) = folders();
    let store = Arc::new(MemoryStore::default());
    let app2 = app(&h, &store, "PC-Accueil").with_account_files(dirs.clone());
    let marie = password_login(&app2, MARIE).await;
    leave_traces(&dirs, &marie);
    let sent = h.smtp.count_to("paul@garage-exemple.fr");
    let created = app2
        .request_login_link("paul@garage-exemple.fr")
        .await
        .expect("link for Paul");
    let code = code_in(&h.smtp.nth_to("paul@garage-exemple.fr", sent + 1).await.text);
    let paul = app2
        .switch_account(&created.request_id, &code)
        .await
        .expect("switched");
    assert_eq!(paul.email, "paul@garage-exemple.fr");
    assert_no_trace(&dirs, &marie, "account switch");

    // A session ended on the server (revoked from another device): noticed at the next call.
    let (_root, dirs) = folders();
    let (a_store, b_store) = (
        Arc::new(MemoryStore::default()),
        Arc::new(MemoryStore::default()),
    );
    let a = app(&h, &a_store, "PC-Accueil");
    let b = app(&h, &b_store, "Portable").with_account_files(dirs.clone());
    password_login(&a, MARIE).await;
    let b_user = password_login(&b, MARIE).await;
    leave_traces(&dirs, &b_user);
    let b_session = b.vault().session().expect("vault").expect("b").session_id;
    a.call(api::auth::revoke_session(&b_session))
        .await
        .expect("revoke b from a");
    let err = b.call(api::auth::sessions()).await.expect_err("b is out");
    assert_eq!(err.code(), "session_ended");
    assert_no_trace(&dirs, &b_user, "session ended elsewhere");
    assert_eq!(b.vault().session().expect("vault"), None);

    // A password reset from the app ends every session: the same way out.
    let (_root, dirs) = folders();
    let store = Arc::new(MemoryStore::default());
    let app4 = app(&h, &store, "PC-Accueil").with_account_files(dirs.clone());
    let user = password_login(&app4, MARIE).await;
    leave_traces(&dirs, &user);
    let sent = h.smtp.count_to(MARIE);
    let created = app4
        .request_password_reset(MARIE)
        .await
        .expect("reset requested");
    let mail = h.smtp.nth_to(MARIE, sent + 1).await;
    let url = deep_link_from_landing_page(&h, &mail.text).await;
    let DeepLink::PasswordReset { request, token } =
        accept_link(url.as_bytes(), |id| app4.is_pending(id.as_str())).expect("accepted")
    else {
        panic!("a reset link")
    };
    assert_eq!(request.as_str(), created.request_id);
    app4.complete_password_reset(
        request.as_str(),
        &Secret::new(token.expose().to_owned()),
        Secret::new("quatre tortues lisent Zola".into()),
    )
    .await
    .expect("reset");
    assert_no_trace(&dirs, &user, "password reset");
}

/// [`app`], under a name a test's own `app` variable does not shadow.
fn app_on(h: &Harness, store: &Arc<MemoryStore>, device: &str) -> SessionManager {
    app(h, store, device)
}

/// The econfiance:// link of the first mail to `to` after the `before` it had.
async fn next_link(h: &Harness, to: &str, before: usize) -> String {
    let mail = h.smtp.nth_to(to, before + 1).await;
    deep_link_from_landing_page(h, &mail.text).await
}

#[tokio::test]
async fn a_link_is_decided_once_in_the_client_for_each_account_it_may_meet() {
    use econfiance_client::ipc::LinkEvent;
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    h.create_user(
        "paul@garage-exemple.fr",
        Some("trois tortues lisent Proust"),
    )
    .await;
    let store = Arc::new(MemoryStore::default());
    let app = app_on(&h, &store, "PC-Accueil");

    // Requested elsewhere: refused, as such.
    let stranger = Arc::new(MemoryStore::default());
    let other_app = app_on(&h, &stranger, "Portable");
    let before = h.smtp.count_to(MARIE);
    other_app
        .request_login_link(MARIE)
        .await
        .expect("link asked by another computer");
    let foreign = next_link(&h, MARIE, before).await;
    let LinkEvent::Rejected { error } = app.receive_link(foreign.as_bytes()).await else {
        panic!("a link this app did not ask for must be refused")
    };
    assert_eq!(error.code, "link_not_requested_here");

    // Nobody logged in: the link logs in.
    let before = h.smtp.count_to(MARIE);
    app.request_login_link(MARIE).await.expect("link");
    let mine = next_link(&h, MARIE, before).await;
    let LinkEvent::SignedIn { session } = app.receive_link(mine.as_bytes()).await else {
        panic!("signed in")
    };
    assert_eq!(session.email, MARIE);

    // The account already logged in: nothing spent, the session goes on.
    let before = h.smtp.count_to(MARIE);
    let created = app.request_login_link(MARIE).await.expect("link");
    let again = next_link(&h, MARIE, before).await;
    assert!(matches!(
        app.receive_link(again.as_bytes()).await,
        LinkEvent::AlreadySignedIn { .. }
    ));
    assert!(
        !app.is_pending(&created.request_id),
        "the unused request is forgotten"
    );
    assert_eq!(
        app.call(api::auth::sessions())
            .await
            .expect("sessions")
            .len(),
        1
    );

    // Another account: asked first; kept, then agreed to.
    let before = h.smtp.count_to("paul@garage-exemple.fr");
    app.request_login_link("paul@garage-exemple.fr")
        .await
        .expect("link for Paul");
    let paul = next_link(&h, "paul@garage-exemple.fr", before).await;
    let LinkEvent::SwitchRequested { current, requested } = app.receive_link(paul.as_bytes()).await
    else {
        panic!("asks before switching")
    };
    assert_eq!(
        (current.as_str(), requested.as_str()),
        (MARIE, "paul@garage-exemple.fr")
    );
    app.cancel_switch();
    let kept = app.confirm_switch().await.expect_err("cancelled");
    assert_eq!(kept.code(), "link_not_requested_here");
    assert_eq!(app.signed_in().await.expect("still Marie").email, MARIE);
    assert!(matches!(
        app.receive_link(paul.as_bytes()).await,
        LinkEvent::SwitchRequested { .. }
    ));
    let switched = app.confirm_switch().await.expect("switched");
    assert_eq!(switched.email, "paul@garage-exemple.fr");

    // A reset link: its form is shown; a weak password keeps it usable.
    let before = h.smtp.count_to("paul@garage-exemple.fr");
    app.request_password_reset("paul@garage-exemple.fr")
        .await
        .expect("reset asked");
    let reset = next_link(&h, "paul@garage-exemple.fr", before).await;
    let LinkEvent::ResetRequested { email } = app.receive_link(reset.as_bytes()).await else {
        panic!("the new-password form")
    };
    assert_eq!(email, "paul@garage-exemple.fr");
    let weak = app
        .confirm_reset(Secret::new("motdepasse".into()))
        .await
        .expect_err("weak");
    assert_eq!(weak.code(), "weak_password");
    app.confirm_reset(Secret::new("quatre tortues lisent Zola".into()))
        .await
        .expect("reset");
    assert_eq!(app.signed_in().await, None, "a reset signs nobody in");
}

/// A keyring that cannot be read (a locked collection, a broken daemon).
struct UnreadableKeyring;

impl econfiance_client::vault::SecretStore for UnreadableKeyring {
    fn get(&self, _: &str) -> Result<Option<Secret<String>>, econfiance_client::ClientError> {
        Err(econfiance_client::ClientError::KeyringUnavailable(
            "the collection is locked".into(),
        ))
    }
    fn set(&self, _: &str, _: &Secret<String>) -> Result<(), econfiance_client::ClientError> {
        Ok(())
    }
    fn delete(&self, _: &str) -> Result<(), econfiance_client::ClientError> {
        Ok(())
    }
}

#[tokio::test]
async fn a_keyring_that_cannot_be_read_is_told_as_such_not_as_a_foreign_link() {
    use econfiance_client::ipc::LinkEvent;
    let h = start().await;
    let ca = h.ctx.config.data_dir.join("tls/sandbox-cert.pem");
    let config =
        Config::from_values(BuildProfile::Release, Some(&h.url), Some(ca)).expect("config");
    let app = SessionManager::new(
        ApiClient::new(config).expect("client"),
        Vault::with_store(Box::new(UnreadableKeyring), VaultMode::Keyring),
        DeviceInfo {
            name: "PC-Accueil".into(),
            os: "Ubuntu 24.04".into(),
            app_version: "0.1.0".into(),
        },
    );
    let link = "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P";
    let LinkEvent::Rejected { error } = app.receive_link(link.as_bytes()).await else {
        panic!("refused")
    };
    assert_eq!(error.code, "keyring_unavailable", "{}", error.message);
}

/// A `Desktop` as the app makes it, on `store` (its keyring) and `dirs`, for `server`.
fn desktop_on(h: &Harness, store: &Arc<MemoryStore>, dirs: &AppDirs, server: &str) -> Desktop {
    let store = store.clone();
    let opener = Box::new(move || Vault::with_store(Box::new(store.clone()), VaultMode::Keyring));
    let ca = h.ctx.config.data_dir.join("tls/sandbox-cert.pem");
    let config =
        Config::from_values(BuildProfile::Release, Some(server), Some(ca)).expect("config");
    let device = econfiance_client::desktop::this_device("PC-Accueil", Os::Linux);
    Desktop::new(
        ApiClient::new(config),
        dirs.clone(),
        Language::Fr,
        device,
        opener,
    )
}

#[tokio::test]
async fn last_times_dashboard_is_read_at_start_for_the_stored_account_only() {
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let (_root, dirs) = folders();
    let store = Arc::new(MemoryStore::default());
    let first = desktop_on(&h, &store, &dirs, &h.url);
    assert_eq!(first.last_known_dashboard(), None, "nothing kept yet");
    first
        .password_login(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("login");
    let me = first.me().await.expect("me");
    let summary = first
        .dashboard_summary(None, None, None)
        .await
        .expect("summary");
    first.trust_index().await.expect("trust index");

    // The next start, before anything is asked of the server: the account and its figures.
    let next = desktop_on(&h, &store, &dirs, &h.url);
    let known = next.last_known_dashboard().expect("last time's dashboard");
    assert_eq!(known.session.email, MARIE);
    assert_eq!(known.snapshot.summary, Some(summary));
    assert!(known.snapshot.trust.is_some());
    assert_eq!(known.snapshot.company_name, Some(me.company.legal_name));

    // Another server's app (a configuration changed) does not show this account's figures.
    let elsewhere = desktop_on(&h, &store, &dirs, "https://127.0.0.1:9");
    assert_eq!(elsewhere.last_known_dashboard(), None);

    // Logged out: nothing is shown at the next start.
    next.current_session()
        .await
        .expect("restored")
        .expect("a session");
    next.logout().await.expect("logout");
    assert_eq!(
        desktop_on(&h, &store, &dirs, &h.url).last_known_dashboard(),
        None
    );
}

/// The Unix second of noon (Paris) on day `day` of `month`.
fn paris_noon(month: jiff::civil::Date, day: i8) -> i64 {
    month
        .with()
        .day(day)
        .build()
        .expect("a day")
        .at(12, 0, 0, 0)
        .in_tz("Europe/Paris")
        .expect("Paris")
        .timestamp()
        .as_second()
}

/// The cell after the report row `label`.
fn report_cell<'a>(html: &'a str, label: &str) -> &'a str {
    let start = html
        .find(&format!("<th>{label}</th><td>"))
        .unwrap_or_else(|| panic!("no row {label} in {html}"))
        + label.len()
        + 13;
    &html[start..start + html[start..].find("</td>").expect("end of cell")]
}

#[tokio::test]
async fn the_monthly_report_counts_the_establishment_chosen_or_those_a_limited_member_sees() {
    use econfiance_server::fixtures::{add_review_at, NewReview};
    let h = start().await;
    h.create_user(MARIE, Some("trois tortues lisent Proust"))
        .await;
    let marie = support::access(&h.login(MARIE).await);
    let (_, me) = h.get("/v1/me", Some(&marie)).await;
    let company = me["company_id"].as_str().expect("company").to_owned();
    let (s, gare) = h
        .authed(
            reqwest::Method::POST,
            "/v1/establishments",
            &marie,
            Some(serde_json::json!({"name": "Gare"})),
        )
        .await;
    assert_eq!(s, 201, "{gare}");
    let gare = gare["id"].as_str().expect("id").to_owned();
    // Last month (Paris's): three reviews at the main shop, one at the station.
    let today = econfiance_client::report::paris_day(
        jiff::Timestamp::from_second(h.clock.now()).expect("now"),
    );
    let (last_month, _) = econfiance_client::report::previous_month(today);
    for (establishment, day) in [
        (format!("et_{company}"), 3),
        (format!("et_{company}"), 9),
        (format!("et_{company}"), 20),
        (gare.clone(), 15),
    ] {
        add_review_at(
            &h.ctx.db,
            &company,
            &establishment,
            NewReview {
                rating: 4,
                title: None,
                body: None,
                author: None,
            },
            paris_noon(last_month, day),
        )
        .await
        .expect("review");
    }
    let (root, dirs) = folders();
    let store = Arc::new(MemoryStore::default());
    let desktop = desktop_on(&h, &store, &dirs, &h.url);
    desktop
        .password_login(MARIE, Secret::new("trois tortues lisent Proust".into()))
        .await
        .expect("login");
    let report = |name: &str| root.path().join(name);
    let new_reviews = "Nouveaux avis du mois";

    // All establishments: the company's name, every review.
    desktop
        .save_monthly_report(today, None, &report("all.html"))
        .await
        .expect("saved");
    let all = std::fs::read_to_string(report("all.html")).expect("report");
    assert_eq!(report_cell(&all, new_reviews), "4");
    assert!(
        all.contains(&format!(
            "<h1>{} — rapport de",
            me["company"]["legal_name"].as_str().expect("name")
        )),
        "{all}"
    );
    assert!(all.contains("Indice de confiance : "), "{all}");

    // The station chosen: its review only, its name in the title.
    desktop
        .save_monthly_report(today, Some(&gare), &report("gare.html"))
        .await
        .expect("saved");
    let one = std::fs::read_to_string(report("gare.html")).expect("report");
    assert_eq!(report_cell(&one, new_reviews), "1");
    assert!(one.contains(" — Gare — rapport de"), "{one}");
    assert!(
        one.contains("Indice de confiance de l'entreprise : "),
        "{one}"
    );

    // A manager limited to the station: "all" is his establishments, named as such.
    let (s, body) = h
        .authed(
            reqwest::Method::POST,
            "/v1/team/invitations",
            &marie,
            Some(serde_json::json!({"email": PAUL, "role": "manager", "establishments": [gare]})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    h.smtp.nth_to(PAUL, 1).await;
    let paul_store = Arc::new(MemoryStore::default());
    invited_login(&h, &paul_store, PAUL).await;
    let (_paul_root, paul_dirs) = folders();
    let paul = desktop_on(&h, &paul_store, &paul_dirs, &h.url);
    paul.current_session()
        .await
        .expect("restored")
        .expect("a session");
    paul.save_monthly_report(today, None, &report("paul.html"))
        .await
        .expect("saved");
    let his = std::fs::read_to_string(report("paul.html")).expect("report");
    assert_eq!(report_cell(&his, new_reviews), "1");
    assert!(his.contains(" — Gare — rapport de"), "{his}");
}
