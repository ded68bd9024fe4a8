//! Admin commands of the same binary: the platform status and the sandbox's demo account.

use sqlx::SqlitePool;

use crate::crypto;

/// The demo account's e-mail (documented in the README).
pub const DEMO_EMAIL: &str = "demo@e-confiance.test";
/// The demo account's password (documented in the README; sandbox only).
pub const DEMO_PASSWORD: &str = "Demo-e-confiance-2026";
/// The demo company.
pub const DEMO_COMPANY: &str = "Boulangerie Démo (bac à sable)";

/// Creates the demo company and user, or resets the demo user's password. Idempotent.
pub async fn seed_demo(
    pool: &SqlitePool,
    now: i64,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let hash = crypto::hash_password(DEMO_PASSWORD).map_err(|e| e.to_string())?;
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT OR IGNORE INTO companies (id, name, created_at) VALUES ('co_demo', ?, ?)")
        .bind(DEMO_COMPANY)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO users (id, company_id, email, password_hash, locale, created_at, password_changed_at)
         VALUES ('us_demo', 'co_demo', ?, ?, 'fr', ?, ?)
         ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash",
    )
    .bind(DEMO_EMAIL)
    .bind(&hash)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates an account (tests and, later, the account-opening command use it).
pub async fn create_user(
    pool: &SqlitePool,
    email: &str,
    password: Option<&str>,
    locale: &str,
    now: i64,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let id = crypto::random_id("us");
    let company = crypto::random_id("co");
    let hash = match password {
        Some(p) => Some(crypto::hash_password(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO companies (id, name, created_at) VALUES (?, ?, ?)")
        .bind(&company)
        .bind(format!("Entreprise de {email}"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO users (id, company_id, email, password_hash, locale, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(&company)
        .bind(email)
        .bind(hash)
        .bind(locale)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}
