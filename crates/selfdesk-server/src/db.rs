//! The database: SQLite (embedded default) or PostgreSQL (several replicas), chosen by
//! the URL scheme.
//!
//! Queries are written once, with `$1, $2, …` placeholders (SQLite accepts them too),
//! and run through [`with_pool!`], which expands the same code for whichever pool is in
//! use. Where the SQL itself must differ (full-text search, DDL), both versions stand
//! side by side in the same function so drift is visible.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::config::DatabaseArgs;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the live pool, whatever its database.
///
/// ```text
/// with_pool!(db, |pool| sqlx::query("DELETE FROM t WHERE id = $1").bind(id).execute(pool).await)
/// ```
#[macro_export]
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

impl Db {
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}

/// Opens (creating when missing) the database named by the configuration.
pub async fn connect(args: &DatabaseArgs) -> anyhow::Result<Db> {
    let url = args.url();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(&url).context("parsing the PostgreSQL URL")?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .context("connecting to PostgreSQL")?;
        return Ok(Db::Postgres(pool));
    }
    if !url.starts_with("sqlite:") {
        anyhow::bail!(
            "unsupported database URL {url:?}: expected sqlite://path/to/file.db or postgres://user@host/db"
        );
    }
    if args.database_url.is_none() {
        std::fs::create_dir_all(&args.data_dir)
            .with_context(|| format!("creating data directory {}", args.data_dir.display()))?;
    }
    let options = SqliteConnectOptions::from_str(&url)
        .with_context(|| format!("parsing database URL {url:?}"))?
        .create_if_missing(true)
        // WAL lets readers proceed while one writer commits; NORMAL sync is durable
        // across application crashes, which is what WAL mode is designed for.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Reads map the file instead of copying each page out of the kernel: a large
        // read (a year of insight) spent a fifth of its time in those copies.
        .pragma("mmap_size", "268435456");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("opening database {url:?}"))?;
    Ok(Db::Sqlite(pool))
}

/// Applies the migrations of the database in use (`migrations/sqlite` or
/// `migrations/postgres`; the two sets are kept in step).
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    match db {
        Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await,
        Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
    }
    .context("running database migrations")
}

/// The newest applied migration, for the health report.
pub async fn schema_version(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
    })
}
