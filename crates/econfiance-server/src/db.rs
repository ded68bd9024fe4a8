//! The database: SQLite in the data folder (the embedded default) or PostgreSQL (given a
//! `postgres://` URL), both through sqlx's `Any` driver, migrated at start.
//!
//! The queries are written once, in the SQL both engines speak: `$1` placeholders, upserts
//! with `ON CONFLICT`, `RETURNING`, `CASE` rather than `MAX(a, b)`/`GREATEST`. Where they
//! differ, [`Dialect`] says which fragment to use (full-text search, row locks). Each engine
//! has its own migrations (`migrations/sqlite`, `migrations/postgres`): the same tables,
//! columns and meaning; PostgreSQL's add an `instr` function and a French text-search
//! configuration that ignores accents. E-mail addresses compare as `lower(email)` against
//! [`crate::auth::email_key`] on both (ASCII letters folded, nothing else).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor};

/// The pool every handler shares.
pub type Pool = sqlx::AnyPool;

/// A transaction on [`Pool`].
pub type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// The database file inside the data folder (SQLite).
pub const DB_FILE: &str = "econfiance.sqlite";

/// SQLite's migrations.
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");

/// PostgreSQL's migrations.
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which SQL engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The embedded file.
    Sqlite,
    /// A PostgreSQL server (or a compatible one).
    Postgres,
}

impl Dialect {
    /// The engine of a database URL: PostgreSQL for `postgres://`/`postgresql://`.
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Dialect::Postgres
        } else {
            Dialect::Sqlite
        }
    }

    /// The engine behind `pool`.
    pub fn of(pool: &Pool) -> Self {
        Self::of_url(pool.connect_options().database_url.as_str())
    }

    /// The migrations of this build for this engine (the readiness check counts them).
    pub fn migrations(self) -> &'static Migrator {
        match self {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// What ends a `SELECT` whose rows the transaction is about to change, so that a
    /// concurrent one waits: `FOR UPDATE` on PostgreSQL; nothing on SQLite, where a write
    /// transaction already holds the whole database.
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// [`Self::for_update`], skipping rows another transaction holds (work queues).
    pub fn for_update_skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// Begins a transaction that will write. SQLite: `BEGIN IMMEDIATE`, which takes the write
/// lock at once (waiting its turn), because a deferred transaction that waited for the lock
/// behind another writer fails with "database is locked" once that writer commits — its
/// view of the database is then out of date. PostgreSQL: a plain `BEGIN`.
pub async fn begin(pool: &Pool) -> Result<Tx<'static>, sqlx::Error> {
    match Dialect::of(pool) {
        Dialect::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Dialect::Postgres => pool.begin().await,
    }
}

/// Makes the rest of `tx` wait for any other transaction serialized on `key` to end, so that
/// a statement that counts rows and then inserts (a cap) sees the others' rows. PostgreSQL:
/// a transaction-scoped advisory lock on the key's hash. SQLite: nothing to do, a write
/// statement already holds the whole database.
pub async fn serialize_on(tx: &mut Tx<'_>, key: &str) -> Result<(), sqlx::Error> {
    if tx.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text")
            .bind(key)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Where the database is: `database_url` when given (`postgres://…` or `sqlite://…`),
/// else [`DB_FILE`] in `data_dir`.
pub fn url(data_dir: &Path, database_url: Option<&str>) -> String {
    match database_url {
        Some(url) => url.to_owned(),
        None => SqliteConnectOptions::new()
            .filename(data_dir.join(DB_FILE))
            .create_if_missing(true)
            .to_url_lossy()
            .to_string(),
    }
}

/// Opens (creating an SQLite file if needed) and migrates the database. Several servers
/// starting together on one PostgreSQL database are safe: the migrations hold an advisory
/// lock, so one applies them and the others find them applied.
pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = url(data_dir, database_url);
    let dialect = Dialect::of_url(&url);
    if dialect == Dialect::Sqlite {
        std::fs::create_dir_all(data_dir).map_err(sqlx::Error::Io)?;
    }
    let options = AnyConnectOptions::from_str(&url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(match dialect {
            Dialect::Sqlite => 8,
            Dialect::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if dialect == Dialect::Sqlite {
                    // Per connection: write-ahead log (readers never wait for the writer),
                    // fsync at checkpoints, foreign keys, and waiting for the writer's lock.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    migrate(&pool, dialect).await?;
    Ok(pool)
}

/// Applies this build's migrations. PostgreSQL: under the migrator's advisory lock, so that
/// instances starting together apply each once. SQLite has no such lock: a second process
/// that read the list of applied migrations before the first committed fails on a table
/// that now exists, its transaction rolled back; reading the list again then finds them
/// applied, hence a few tries.
async fn migrate(pool: &Pool, dialect: Dialect) -> Result<(), sqlx::Error> {
    let mut tries = 0;
    loop {
        match dialect.migrations().run(pool).await {
            Ok(()) => return Ok(()),
            Err(e) if tries < 5 => {
                tries += 1;
                tracing::warn!(error = %e, tries, "migrations: another process may be applying them; trying again");
                tokio::time::sleep(Duration::from_millis(200 * tries)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_postgres_and_anything_else_the_embedded_file() {
        assert_eq!(Dialect::of_url("postgres://u@h/db"), Dialect::Postgres);
        assert_eq!(Dialect::of_url("postgresql://u@h/db"), Dialect::Postgres);
        assert_eq!(Dialect::of_url("sqlite:///tmp/x.sqlite"), Dialect::Sqlite);
        let file = url(Path::new("/srv/econfiance"), None);
        assert_eq!(Dialect::of_url(&file), Dialect::Sqlite);
        assert!(file.contains("/srv/econfiance/econfiance.sqlite"), "{file}");
        assert!(file.contains("mode=rwc"), "{file}");
    }

    #[test]
    fn only_postgres_locks_rows_itself() {
        assert_eq!(Dialect::Sqlite.for_update(), "");
        assert_eq!(Dialect::Postgres.for_update(), " FOR UPDATE");
        assert_eq!(
            Dialect::Postgres.for_update_skip_locked(),
            " FOR UPDATE SKIP LOCKED"
        );
    }
}
