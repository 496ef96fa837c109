//! Opening the database and keeping its schema current.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::config::DatabaseArgs;

pub type Pool = sqlx::SqlitePool;

/// Opens (creating when missing) the database named by the configuration.
pub async fn connect(args: &DatabaseArgs) -> anyhow::Result<Pool> {
    let url = args.url();
    if !url.starts_with("sqlite:") {
        anyhow::bail!("unsupported database URL {url:?}: expected sqlite://path/to/file.db");
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
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("opening database {url:?}"))
}

pub async fn migrate(pool: &Pool) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations/sqlite")
        .run(pool)
        .await
        .context("running database migrations")
}

/// The newest applied migration, for the health report.
pub async fn schema_version(pool: &Pool) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}
