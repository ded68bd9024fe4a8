//! Two server instances on one database behave as one server: a login link asked through
//! one is completed through the other, a refresh token rotated on one is refused as reused
//! on the other, a per-address limit holds across both, and each queued mail is delivered
//! once. On the test PostgreSQL server when the test command runs one (the platform's
//! way), else on one SQLite file shared by both. Also: the mail queue keeps mail sealed
//! while it waits, retries it, and an unknown e-mail's request stores its row too.

use std::time::Duration;

use econfiance_integration as support;

use econfiance_server::config::{Limits, MailConfig};
use econfiance_server::crypto::ServerKey;
use econfiance_server::db::Dialect;
use econfiance_server::mail::{Delivery, OutgoingMail};
use econfiance_server::mail_queue::MailQueue;
use econfiance_server::Clock;
use support::{code_in, start_configured, Harness};

const ALICE: &str = "alice@boulangerie-exemple.fr";

/// A second instance on `first`'s database, server key and SMTP capture (and, on SQLite,
/// its data folder: the same file), with `limits`.
async fn second_instance(first: &Harness, limits: Limits) -> Harness {
    let shared = first.ctx.config.clone();
    start_configured(move |config| {
        if shared.database_url.is_none() {
            config.data_dir = shared.data_dir.clone();
        }
        config.database_url = shared.database_url.clone();
        config.server_key_file = Some(shared.server_key_path());
        config.mail = shared.mail.clone();
        config.limits = limits;
    })
    .await
}

fn relaxed() -> Limits {
    Limits {
        resend_cooldown_secs: 0,
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_login_asked_on_one_instance_is_completed_and_its_session_guarded_on_the_other() {
    let a = start_configured(|config| config.limits = relaxed()).await;
    let b = second_instance(&a, relaxed()).await;
    assert_ne!(a.url, b.url, "two instances");
    a.create_user(ALICE, None).await;

    // Asked through A, the code from the mail exchanged through B.
    let (id, verifier) = a.login_request(ALICE).await;
    let code = code_in(&a.smtp.nth_to(ALICE, 1).await.text);
    let (status, tokens) = b.exchange(&id, &code, &verifier).await;
    assert_eq!(status, 200, "{tokens}");
    // The code is spent for both.
    assert_eq!(a.exchange(&id, &code, &verifier).await.0, 400);

    // Rotated twice on A, the first refresh token comes back to B: reuse, the whole
    // session ends — on both instances.
    let r0 = tokens["refresh_token"].as_str().expect("r0").to_owned();
    let r1 = a.refresh(&r0).await.1["refresh_token"]
        .as_str()
        .expect("r1")
        .to_owned();
    let r2 = a.refresh(&r1).await.1["refresh_token"]
        .as_str()
        .expect("r2")
        .to_owned();
    let (status, body) = b.refresh(&r0).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_ended"))
    );
    assert_eq!(a.refresh(&r2).await.1["code"], "session_ended");
    assert_eq!(b.refresh(&r2).await.1["code"], "session_ended");
}

#[tokio::test]
async fn a_per_address_limit_holds_across_instances() {
    let limits = Limits {
        per_ip_burst: 6,
        per_ip_every_ms: 3_600_000,
        ..relaxed()
    };
    let a = start_configured(|config| config.limits = limits.clone()).await;
    let b = second_instance(&a, limits).await;
    // The same client address, alternating instances: six answers in all, not six each.
    let mut answers = Vec::new();
    for i in 0..12 {
        let h = if i % 2 == 0 { &a } else { &b };
        answers.push(h.get("/v1/status", None).await.0);
    }
    assert_eq!(answers[..6], [200; 6], "{answers:?}");
    assert_eq!(answers[6..], [429; 6], "{answers:?}");
}

fn mail_to(to: &str, text: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Essai".into(),
        text: text.to_owned(),
        html: format!("<p>{text}</p>"),
        ics: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_queued_mail_is_delivered_once_by_one_of_the_instances() {
    let a = start_configured(|config| config.limits = relaxed()).await;
    let b = second_instance(&a, relaxed()).await;
    // Queued through both, claimed by whichever worker gets there first.
    let mut queued = Vec::new();
    for i in 0..60 {
        let to = format!("client{i}@exemple.fr");
        let h = if i % 2 == 0 { &a } else { &b };
        h.ctx
            .mailer
            .send(mail_to(&to, &format!("message {i}")))
            .await
            .expect("queued");
        queued.push(to);
    }
    for to in &queued {
        a.smtp.nth_to(to, 1).await;
    }
    // Longer than a worker's poll: a second delivery would have happened by now.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    for to in &queued {
        assert_eq!(a.smtp.count_to(to), 1, "{to}");
    }
    assert_eq!(a.smtp.all().len(), queued.len());
    assert_eq!(
        a.ctx.mailer.waiting().await.expect("queue"),
        0,
        "delivered rows go"
    );
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Counts the rows written to the mail queue from now on (see [`queue_writes`]).
async fn count_queue_writes(h: &Harness) {
    let statements: &[&str] = match Dialect::of(&h.ctx.db) {
        Dialect::Sqlite => &[
            "CREATE TABLE queue_writes (id INTEGER)",
            "CREATE TRIGGER count_queue_writes AFTER INSERT ON mail_queue
             BEGIN INSERT INTO queue_writes (id) VALUES (new.id); END",
        ],
        Dialect::Postgres => &[
            "CREATE TABLE queue_writes (id BIGINT)",
            "CREATE FUNCTION count_queue_write() RETURNS trigger LANGUAGE plpgsql AS
             $$ BEGIN INSERT INTO queue_writes (id) VALUES (NEW.id); RETURN NEW; END $$",
            "CREATE TRIGGER count_queue_writes AFTER INSERT ON mail_queue
             FOR EACH ROW EXECUTE FUNCTION count_queue_write()",
        ],
    };
    for statement in statements {
        sqlx::query(*statement)
            .execute(&h.ctx.db)
            .await
            .expect("the counting trigger");
    }
}

async fn queue_writes(h: &Harness) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM queue_writes")
        .fetch_one(&h.ctx.db)
        .await
        .expect("the count")
}

#[tokio::test]
async fn mail_waits_sealed_while_the_mail_server_is_down_and_unknown_emails_queue_too() {
    let down = MailConfig::Smtp {
        url: format!("smtp://127.0.0.1:{}", closed_port()),
        from: "e-confiance <no-reply@e-confiance.test>".into(),
    };
    let h = start_configured(|config| {
        config.mail = down;
        config.limits = relaxed();
    })
    .await;
    h.create_user(ALICE, None).await;

    // A known and an unknown e-mail each store one row (the worker drops the unknown one's
    // at once: a trigger counts what was written).
    count_queue_writes(&h).await;
    h.login_request(ALICE).await;
    assert_eq!(queue_writes(&h).await, 1);
    h.login_request("personne@exemple.fr").await;
    assert_eq!(queue_writes(&h).await, 2);
    let before = 1;

    // What waits is sealed: the database does not hold its text.
    let marker = "Code secret de test 7QX2-K7M4";
    h.ctx
        .mailer
        .send(mail_to(ALICE, marker))
        .await
        .expect("queued");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        h.ctx.mailer.waiting().await.expect("queue"),
        before + 1,
        "the known e-mail's and ours"
    );
    let stored = h.stored_data().await;
    assert!(stored.contains(ALICE), "the stored data is read");
    for secret in [marker, "7QX2-K7M4", "Code secret"] {
        assert!(!stored.contains(secret), "`{secret}` is stored in clear");
    }
    assert_eq!(h.smtp.all().len(), 0);
    // The scan reads the binary column's bytes (not only a hex rendering): a mail stored
    // unsealed would be seen.
    sqlx::query("INSERT INTO mail_queue (sealed, created_at, next_attempt_at) VALUES ($1, 0, $2)")
        .bind(marker.as_bytes().to_vec())
        .bind(i64::MAX)
        .execute(&h.ctx.db)
        .await
        .expect("a planted row");
    assert!(
        h.stored_data().await.contains(marker),
        "the scan is blind to bytes"
    );
}

#[tokio::test]
async fn a_failed_delivery_is_retried_later_and_then_the_row_goes() {
    // The queue alone on a database of its own (no server's worker), driven by hand.
    let dir = tempfile::tempdir().expect("tempdir");
    let url = match support::test_postgres() {
        Some(admin) => Some(support::fresh_postgres_database(&admin).await),
        None => None,
    };
    let pool = econfiance_server::db::open(dir.path(), url.as_deref())
        .await
        .expect("the database");
    let queue = MailQueue::new(pool.clone(), &ServerKey::from_bytes([7; 32]));
    let (smtp, smtp_addr) = support::SmtpCapture::start().await;
    let from = "e-confiance <no-reply@e-confiance.test>".to_owned();
    let delivery = |port: u16| {
        Delivery::new(
            MailConfig::Smtp {
                url: format!("smtp://127.0.0.1:{port}"),
                from: from.clone(),
            },
            pool.clone(),
            Clock::default(),
        )
        .expect("delivery")
    };
    let (refused, working) = (delivery(closed_port()), delivery(smtp_addr.port()));

    queue
        .send(mail_to(ALICE, "réessayé"))
        .await
        .expect("queued");
    // The mail server is down: the mail stays, tried once, not due again for a while.
    assert_eq!(queue.deliver_due(&refused).await.expect("claim"), 1);
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM mail_queue")
        .fetch_one(&pool)
        .await
        .expect("attempts");
    assert_eq!(attempts, 1);
    assert_eq!(
        queue.deliver_due(&working).await.expect("claim"),
        0,
        "not due yet"
    );
    assert_eq!(smtp.all().len(), 0);
    // Its time comes: delivered once, then gone.
    sqlx::query("UPDATE mail_queue SET next_attempt_at = 0")
        .execute(&pool)
        .await
        .expect("due now");
    assert_eq!(queue.deliver_due(&working).await.expect("claim"), 1);
    assert_eq!(smtp.nth_to(ALICE, 1).await.text.trim(), "réessayé");
    assert_eq!(queue.waiting().await.expect("queue"), 0);
    assert_eq!(queue.deliver_due(&working).await.expect("claim"), 0);
    assert_eq!(smtp.all().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_migrate_a_new_database_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = match support::test_postgres() {
        Some(admin) => Some(support::fresh_postgres_database(&admin).await),
        None => None,
    };
    let opens = (0..4).map(|_| econfiance_server::db::open(dir.path(), url.as_deref()));
    let pools = futures::future::join_all(opens).await;
    let mut migrations = Vec::new();
    for pool in pools {
        let pool = pool.expect("every instance opens the database");
        let applied: Vec<i64> = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&pool)
        .await
        .expect("the applied migrations");
        migrations.push(applied);
    }
    let expected: Vec<i64> = Dialect::of_url(url.as_deref().unwrap_or("sqlite:"))
        .migrations()
        .iter()
        .map(|m| m.version)
        .collect();
    assert!(expected.len() >= 2);
    for applied in migrations {
        assert_eq!(applied, expected, "each migration applied once");
    }
}

/// The queue alone on a database of its own (no server's worker), driven by hand.
async fn lone_queue(dir: &std::path::Path) -> (econfiance_server::db::Pool, MailQueue) {
    let url = match support::test_postgres() {
        Some(admin) => Some(support::fresh_postgres_database(&admin).await),
        None => None,
    };
    let pool = econfiance_server::db::open(dir, url.as_deref())
        .await
        .expect("the database");
    let queue = MailQueue::new(pool.clone(), &ServerKey::from_bytes([7; 32]));
    (pool, queue)
}

fn smtp_delivery(pool: &econfiance_server::db::Pool, port: u16) -> Delivery {
    Delivery::new(
        MailConfig::Smtp {
            url: format!("smtp://127.0.0.1:{port}"),
            from: "e-confiance <no-reply@e-confiance.test>".into(),
        },
        pool.clone(),
        Clock::default(),
    )
    .expect("delivery")
}

async fn row(pool: &econfiance_server::db::Pool) -> (i64, Option<i64>) {
    sqlx::query_as("SELECT attempts, claimed_until FROM mail_queue")
        .fetch_one(pool)
        .await
        .expect("the row")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_whose_lease_ran_out_leaves_the_row_to_the_claim_that_took_it_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (pool, queue) = lone_queue(dir.path()).await;
    queue
        .send(mail_to(ALICE, "une fois"))
        .await
        .expect("queued");

    // A mail server that takes the connection and says nothing until told to hang up.
    let stalling = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = stalling.local_addr().expect("addr").port();
    let (hang_up, hung_up) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let (socket, _) = stalling.accept().await.expect("accept");
        let _ = hung_up.await;
        drop(socket);
    });
    // Instance A claims the row and stalls on the send.
    let slow = smtp_delivery(&pool, port);
    let a = {
        let queue = queue.clone();
        tokio::spawn(async move { queue.deliver_due(&slow).await })
    };
    for _ in 0..200 {
        if row(&pool).await.0 == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(row(&pool).await.0, 1, "A claimed the row");
    // A's lease runs out and instance B claims the row (as its claim statement does).
    let far = 4_000_000_000_000_i64;
    sqlx::query("UPDATE mail_queue SET claimed_until = $1, attempts = attempts + 1")
        .bind(far)
        .execute(&pool)
        .await
        .expect("B's claim");
    // A's send fails at last: its settling must not release (or delete) B's row.
    hang_up.send(()).expect("hang up");
    assert_eq!(a.await.expect("A").expect("A's batch"), 1);
    assert_eq!(
        row(&pool).await,
        (2, Some(far)),
        "A's late settling changed the row B holds"
    );
}

#[tokio::test]
async fn a_login_mail_past_its_link_is_dropped_and_a_foreign_seal_is_kept_for_its_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (pool, queue) = lone_queue(dir.path()).await;
    let (smtp, smtp_addr) = support::SmtpCapture::start().await;
    let working = smtp_delivery(&pool, smtp_addr.port());

    // The link's validity passed while the mail waited: dropped, not sent.
    queue
        .send_expiring(mail_to(ALICE, "lien mort"), true, Duration::from_millis(1))
        .await
        .expect("queued");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(queue.deliver_due(&working).await.expect("claim"), 1);
    assert_eq!(queue.waiting().await.expect("queue"), 0);
    // Within it: sent.
    queue
        .send_expiring(
            mail_to(ALICE, "lien vivant"),
            true,
            Duration::from_secs(900),
        )
        .await
        .expect("queued");
    assert_eq!(queue.deliver_due(&working).await.expect("claim"), 1);
    assert_eq!(smtp.nth_to(ALICE, 1).await.text.trim(), "lien vivant");
    assert_eq!(smtp.all().len(), 1);

    // A worker under another key cannot open the seal: the mail is kept and retried
    // later, not deleted (it is another instance's to send).
    let other = MailQueue::new(pool.clone(), &ServerKey::from_bytes([8; 32]));
    queue
        .send(mail_to(ALICE, "pas à toi"))
        .await
        .expect("queued");
    assert_eq!(other.deliver_due(&working).await.expect("claim"), 1);
    let (attempts, claimed) = row(&pool).await;
    assert_eq!((attempts, claimed), (1, None), "kept, to be retried");
    sqlx::query("UPDATE mail_queue SET next_attempt_at = 0")
        .execute(&pool)
        .await
        .expect("due now");
    assert_eq!(queue.deliver_due(&working).await.expect("claim"), 1);
    assert_eq!(smtp.nth_to(ALICE, 2).await.text.trim(), "pas à toi");
}

#[tokio::test]
async fn an_instance_with_another_server_key_is_refused_at_start() {
    let a = start_configured(|config| config.limits = relaxed()).await;
    let mut config = (*a.ctx.config).clone();
    let dir = tempfile::tempdir().expect("tempdir");
    config.server_key_file = Some(dir.path().join("another.key"));
    config.listen = "127.0.0.1:0".parse().expect("address");
    let refused = econfiance_server::bind(config).await;
    let message = match refused {
        Ok(_) => panic!("an instance started under another server key"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains("another server key") && message.contains("--server-key-file"),
        "{message}"
    );
    // The same key starts.
    let b = second_instance(&a, relaxed()).await;
    assert_ne!(a.url, b.url);
}

#[tokio::test]
async fn the_weekly_digest_is_sent_once_when_both_instances_claim_it() {
    let a = start_configured(|config| config.limits = relaxed()).await;
    let b = second_instance(&a, relaxed()).await;
    let user = a.create_user(ALICE, None).await;
    sqlx::query("UPDATE users SET weekly_digest = 1 WHERE id = $1")
        .bind(&user)
        .execute(&a.ctx.db)
        .await
        .expect("digest on");
    // Monday 2026-12-14, 09:00 Paris: both instances' clocks there, both claiming at once.
    let monday = 1_797_235_200;
    a.set_now(monday);
    b.set_now(monday);
    let (ra, rb) = tokio::join!(
        econfiance_server::alerts::run_once(&a.ctx),
        econfiance_server::alerts::run_once(&b.ctx)
    );
    let queued = ra.expect("a").digests + rb.expect("b").digests;
    assert!(queued <= 1, "{queued} digests queued by two claims");
    // Whichever claimed it (the background workers too): one digest reaches the mailbox.
    let digest = a.smtp.nth_to(ALICE, 1).await;
    assert!(
        digest.subject.contains("Votre semaine"),
        "{}",
        digest.subject
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    for h in [&a, &b] {
        econfiance_server::alerts::run_once(&h.ctx)
            .await
            .expect("run");
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let digests = a
        .smtp
        .all()
        .iter()
        .filter(|m| m.to == ALICE && m.subject.contains("Votre semaine"))
        .count();
    assert_eq!(digests, 1, "one digest for the week, from two instances");
}
