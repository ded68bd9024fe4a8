//! Admin commands of the same binary: the platform status and the sandbox's demo account.

use crate::db::Pool;

use crate::crypto;
use econfiance_api::team::Role;

/// Why an admin command did not do its work.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The database.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A password could not be hashed.
    #[error("password hashing: {0}")]
    Hash(argon2::password_hash::Error),
    /// No demo request has this id.
    #[error("no demo request {0}")]
    NoDemoRequest(String),
    /// The demo request already opened an account.
    #[error("demo request {demo} already opened account {user}")]
    AlreadyOpened {
        /// The demo request.
        demo: String,
        /// The account it opened.
        user: String,
    },
    /// No ticket with this reference is open.
    #[error("no open ticket {0}")]
    NoOpenTicket(String),
}

/// The demo account's e-mail (documented in the README's quick start).
pub const DEMO_EMAIL: &str = "demo@e-confiance.test";
/// The demo account's password (documented in the README's quick start; sandbox only).
pub const DEMO_PASSWORD: &str = "Demo-e-confiance-2026";
/// The demo company.
pub const DEMO_COMPANY: &str = "Boulangerie Démo (bac à sable)";
/// The demo company's establishments besides its main one (README): id, name, address, city.
pub const DEMO_SHOPS: [(&str, &str, &str, &str); 2] = [
    (
        "et_demo_gare",
        "Boulangerie Démo — Gare",
        "3 place Carnot",
        "Lyon",
    ),
    (
        "et_demo_marche",
        "Boulangerie Démo — Marché",
        "18 quai Saint-Antoine",
        "Lyon",
    ),
];
/// The demo company's team besides its owner (README): e-mail, role, first and last name.
/// They log in with [`DEMO_PASSWORD`] too.
pub const DEMO_TEAM: [(&str, Role, &str, &str); 2] = [
    (
        "gestionnaire@e-confiance.test",
        Role::Manager,
        "Hugo",
        "Bernard",
    ),
    ("lecture@e-confiance.test", Role::Reader, "Inès", "Petit"),
];

/// Creates the demo company and user, or resets the demo user's password. Idempotent.
pub async fn seed_demo(pool: &Pool, now: i64) -> Result<(), AdminError> {
    let hash = crypto::hash_password(DEMO_PASSWORD).map_err(AdminError::Hash)?;
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query("INSERT INTO companies (id, name, created_at) VALUES ('co_demo', $1, $2) ON CONFLICT DO NOTHING")
        .bind(DEMO_COMPANY)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO users (id, company_id, email, password_hash, locale, created_at, password_changed_at)
         VALUES ('us_demo', 'co_demo', $1, $2, 'fr', $3, $4)
         ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash",
    )
    .bind(DEMO_EMAIL)
    .bind(&hash)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::team::add_member(&mut tx, "co_demo", "us_demo", Role::Owner, now).await?;
    for (index, (email, role, first, last)) in DEMO_TEAM.iter().enumerate() {
        let id = format!("us_demo_team_{index}");
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, locale, created_at, password_changed_at, first_name, last_name, phone, onboarded_at)
             VALUES ($1, $2, $3, 'fr', $4, $5, $6, $7, '+33 6 98 76 54 32', $8)
             ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(&id)
        .bind(email)
        .bind(&hash)
        .bind(now)
        .bind(now)
        .bind(first)
        .bind(last)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        crate::team::add_member(&mut tx, "co_demo", &id, *role, now).await?;
    }
    tx.commit().await?;
    // The demo account has been through its first login: it opens on the dashboard,
    // with a few hundred reviews to look at (once).
    fill_onboarding(pool, "us_demo", now).await?;
    let has_reviews: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE company_id = 'co_demo'")
            .fetch_one(pool)
            .await?;
    // Three shops: the main one (the company's address) and two more, each with reviews.
    for (id, name, address, city) in DEMO_SHOPS {
        sqlx::query(
            "INSERT INTO establishments (id, company_id, name, address, postal_code, city, created_at)
             VALUES ($1, 'co_demo', $2, $3, '69002', $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .bind(address)
        .bind(city)
        .bind(now)
        .execute(pool)
        .await?;
    }
    if has_reviews == 0 {
        crate::fixtures::seed_reviews(pool, "co_demo", 320, now, 2026).await?;
        for (index, (id, ..)) in DEMO_SHOPS.iter().enumerate() {
            crate::fixtures::seed_reviews_at(pool, "co_demo", id, 120, now, 2027 + index as u64)
                .await?;
        }
    }
    seed_demo_invitations(pool, now).await?;
    Ok(())
}

/// The demo company's past invitations, one or more in each state (once). Their links were
/// never mailed: their tokens are random and kept nowhere.
async fn seed_demo_invitations(pool: &Pool, now: i64) -> Result<(), sqlx::Error> {
    let has: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE company_id = 'co_demo'")
            .fetch_one(pool)
            .await?;
    if has > 0 {
        return Ok(());
    }
    let day = 86_400;
    /// One past invitation: who, which order, sent how many days ago, and how far it went.
    struct Past {
        name: &'static str,
        email: &'static str,
        order: &'static str,
        ago: i64,
        state: InvitationState,
    }
    use econfiance_api::invitations::InvitationState;
    use econfiance_api::invitations::InvitationState::{
        Opened, Refused, Reviewed, Sent, Unsubscribed,
    };
    let past = |name, email, order, ago, state| Past {
        name,
        email,
        order,
        ago,
        state,
    };
    let rows = [
        past(
            "Camille Durand",
            "camille.durand@exemple.fr",
            "CMD-1041",
            1,
            Sent,
        ),
        past(
            "Julien Martin",
            "julien.martin@exemple.fr",
            "CMD-1040",
            2,
            Opened,
        ),
        past(
            "Léa Bernard",
            "lea.bernard@exemple.fr",
            "CMD-1038",
            3,
            Reviewed,
        ),
        past(
            "Hugo Robert",
            "hugo.robert@exemple.fr",
            "CMD-1037",
            4,
            Reviewed,
        ),
        past("Chloé Petit", "chloe.petit@exemple", "CMD-1036", 5, Refused),
        past(
            "Lucas Garcia",
            "lucas.garcia@exemple.fr",
            "CMD-1035",
            6,
            Unsubscribed,
        ),
        past("Manon Lefebvre", "manon.lefebvre@exemple.fr", "", 8, Sent),
        past(
            "Theo Fournier",
            "theo.fournier@example.com",
            "CMD-1030",
            12,
            Reviewed,
        ),
    ];
    let mut tx = crate::db::begin(pool).await?;
    for Past {
        name,
        email,
        order,
        ago,
        state,
    } in rows
    {
        let opened = matches!(state, Opened | Reviewed | Unsubscribed);
        let reviewed = state == Reviewed;
        let refused = state == Refused;
        let unsubscribed = state == Unsubscribed;
        let sent = now - ago * day;
        let at = |yes: bool, after: i64| yes.then_some(sent + after);
        sqlx::query(
            "INSERT INTO invitations (id, company_id, email, customer_name, order_ref, locale, token_digest,
                created_at, expires_at, opened_at, reviewed_at, refused_at, unsubscribed_at, establishment_id)
             VALUES ($1, 'co_demo', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'et_co_demo')",
        )
        .bind(crypto::random_id("iv"))
        .bind(email)
        .bind(name)
        .bind(order)
        .bind(if email.ends_with(".com") { "en" } else { "fr" })
        .bind(crypto::random_bytes::<32>().to_vec())
        .bind(sent)
        .bind(sent + crate::invitations::INVITATION_SECONDS)
        .bind(at(opened, 3600))
        .bind(at(reviewed, 7200))
        .bind(at(refused, 60))
        .bind(at(unsubscribed, 5400))
        .execute(&mut *tx)
        .await?;
        if unsubscribed {
            sqlx::query(
                "INSERT INTO invitation_unsubscribes (company_id, email, created_at) VALUES ('co_demo', $1, $2)
                 ON CONFLICT (company_id, email) DO NOTHING",
            )
            .bind(email)
            .bind(sent + 5400)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// Fills in the first-login form of `user_id` with example information, where it is
/// still empty (the demo account; test accounts that skip onboarding).
pub async fn fill_onboarding(pool: &Pool, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query(
        "UPDATE companies SET siret = COALESCE(siret, '73282932000074'),
             address = COALESCE(address, '12 rue des Lilas'), postal_code = COALESCE(postal_code, '69003'),
             city = COALESCE(city, 'Lyon'), website = COALESCE(website, 'https://www.boulangerie-exemple.fr'),
             sector = COALESCE(sector, 'Boulangerie-pâtisserie'), phone = COALESCE(phone, '+33 4 72 00 00 00')
         WHERE id = (SELECT company_id FROM memberships WHERE user_id = $1 AND role = 'owner' ORDER BY created_at LIMIT 1)",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE users SET first_name = COALESCE(first_name, 'Camille'), last_name = COALESCE(last_name, 'Martin'),
             job_title = COALESCE(job_title, 'Gérante'), phone = COALESCE(phone, '+33 6 12 34 56 78'),
             onboarded_at = COALESCE(onboarded_at, $1)
         WHERE id = $2",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The id of the account of `email`.
async fn existing_user(tx: &mut crate::db::Tx<'_>, email: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = $1")
        .bind(crate::auth::email_key(email))
        .fetch_one(&mut **tx)
        .await
}

/// Creates an account (tests and, later, the account-opening command use it).
pub async fn create_user(
    pool: &Pool,
    email: &str,
    password: Option<&str>,
    locale: &str,
    now: i64,
) -> Result<String, AdminError> {
    let id = crypto::random_id("us");
    let company = crypto::random_id("co");
    let hash = match password {
        Some(p) => Some(crypto::hash_password(p).map_err(AdminError::Hash)?),
        None => None,
    };
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query("INSERT INTO companies (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&company)
        .bind(format!("Entreprise de {email}"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO users (id, company_id, email, password_hash, locale, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT DO NOTHING")
        .bind(&id)
        .bind(&company)
        .bind(email)
        .bind(hash)
        .bind(locale)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // An address invited to a team already has its account: it becomes this company's owner.
    let id = existing_user(&mut tx, email).await?;
    crate::team::add_member(&mut tx, &company, &id, Role::Owner, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds `email` to the team of the company `owner_email` owns, with `role`: their account
/// is made (no company of its own, `password` if given) when the e-mail has none. Returns
/// their id and the role they hold — their old one when they were already a member (it is
/// not changed here). `None` when `owner_email` owns no company.
pub async fn add_member(
    pool: &Pool,
    owner_email: &str,
    email: &str,
    role: Role,
    password: Option<&str>,
    onboarded: bool,
    now: i64,
) -> Result<Option<(String, Role)>, AdminError> {
    let hash = match password {
        Some(p) => Some(crypto::hash_password(p).map_err(AdminError::Hash)?),
        None => None,
    };
    let mut tx = crate::db::begin(pool).await?;
    let company: Option<String> = sqlx::query_scalar(
        "SELECT m.company_id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE lower(u.email) = $1 AND m.role = 'owner' ORDER BY m.created_at LIMIT 1",
    )
    .bind(crate::auth::email_key(owner_email))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(company) = company else {
        return Ok(None);
    };
    let existing: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = $1")
            .bind(crate::auth::email_key(email))
            .fetch_optional(&mut *tx)
            .await?;
    let id = match existing {
        Some(id) => id,
        None => {
            let id = crypto::random_id("us");
            sqlx::query("INSERT INTO users (id, email, password_hash, locale, created_at) VALUES ($1, $2, $3, 'fr', $4)")
                .bind(&id)
                .bind(email)
                .bind(hash)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    crate::team::add_member(&mut tx, &company, &id, role, now).await?;
    if onboarded {
        sqlx::query(
            "UPDATE users SET first_name = COALESCE(first_name, 'Alex'), last_name = COALESCE(last_name, 'Exemple'),
                 phone = COALESCE(phone, '+33 6 98 76 54 32'), onboarded_at = COALESCE(onboarded_at, $1)
             WHERE id = $2",
        )
        .bind(now)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    }
    let held: String =
        sqlx::query_scalar("SELECT role FROM memberships WHERE company_id = $1 AND user_id = $2")
            .bind(&company)
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(Some((id, Role::parse(&held).unwrap_or(role))))
}

/// A demo request, as the admin list shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct DemoRow {
    /// Id.
    pub id: String,
    /// Slot start (Unix seconds).
    pub slot_start: i64,
    /// Contact name.
    pub name: String,
    /// Company.
    pub company: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// The account opened from it, if any.
    pub opened_user_id: Option<String>,
}

/// Every demo request, by slot.
pub async fn demo_requests(pool: &Pool) -> Result<Vec<DemoRow>, sqlx::Error> {
    sqlx::query_as::<_, DemoRow>(
        "SELECT id, slot_start, name, company, email, phone, opened_user_id FROM demo_requests ORDER BY slot_start",
    )
    .fetch_all(pool)
    .await
}

/// Opens the account of a demo request: its company (with `plan`, contract starting now)
/// and its owner (no password). Returns the user id and the welcome mail to send.
pub async fn open_account_from_demo(
    pool: &Pool,
    public_url: &str,
    demo_id: &str,
    plan: econfiance_api::account::Plan,
    now: i64,
) -> Result<(String, crate::mail::OutgoingMail), AdminError> {
    let row: Option<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT company, email, locale, opened_user_id FROM demo_requests WHERE id = $1",
    )
    .bind(demo_id)
    .fetch_optional(pool)
    .await?;
    let Some((company, email, locale, opened)) = row else {
        return Err(AdminError::NoDemoRequest(demo_id.to_owned()));
    };
    if let Some(user) = opened {
        return Err(AdminError::AlreadyOpened {
            demo: demo_id.to_owned(),
            user,
        });
    }
    let user_id = crypto::random_id("us");
    let company_id = crypto::random_id("co");
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query("INSERT INTO companies (id, name, created_at, plan, contract_started_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&company_id)
        .bind(&company)
        .bind(now)
        .bind(plan.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO users (id, company_id, email, locale, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(&user_id)
    .bind(&company_id)
    .bind(&email)
    .bind(&locale)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // An address invited to a team already has its account: it becomes this company's owner.
    let user_id = existing_user(&mut tx, &email).await?;
    crate::team::add_member(&mut tx, &company_id, &user_id, Role::Owner, now).await?;
    sqlx::query("UPDATE demo_requests SET opened_user_id = $1 WHERE id = $2")
        .bind(&user_id)
        .bind(demo_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let mail = crate::mail::welcome_mail(
        crate::error::Lang::from_locale(&locale),
        &email,
        &company,
        public_url,
    );
    Ok((user_id, mail))
}

/// Answers a ticket: marks it answered and adds the answer to its conversation, both or
/// neither. Returns the mail that carries the answer to the contact.
pub async fn answer_ticket(
    pool: &Pool,
    reference: &str,
    answer: &str,
    now: i64,
) -> Result<crate::mail::OutgoingMail, AdminError> {
    let mut tx = crate::db::begin(pool).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "UPDATE support_tickets SET answer = $1, answered_at = $2, status = 'answered' WHERE reference = $3 AND status <> 'closed'
         RETURNING contact_email, locale",
    )
    .bind(answer)
    .bind(now)
    .bind(reference)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((email, locale)) = row else {
        return Err(AdminError::NoOpenTicket(reference.to_owned()));
    };
    sqlx::query(
        "INSERT INTO support_messages (reference, author, body, created_at) VALUES ($1, 'support', $2, $3)",
    )
    .bind(reference)
    .bind(answer)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(crate::mail::ticket_answer_mail(
        crate::error::Lang::from_locale(&locale),
        &email,
        reference,
        answer,
    ))
}

/// Closes a ticket.
pub async fn close_ticket(pool: &Pool, reference: &str, now: i64) -> Result<(), AdminError> {
    let done = sqlx::query("UPDATE support_tickets SET status = 'closed', closed_at = $1 WHERE reference = $2 AND status <> 'closed'")
        .bind(now)
        .bind(reference)
        .execute(pool)
        .await?
        .rows_affected();
    if done == 0 {
        return Err(AdminError::NoOpenTicket(reference.to_owned()));
    }
    Ok(())
}
