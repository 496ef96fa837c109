//! Failed sign-ins, counted per account and per client address.

use crate::db::Db;
use crate::with_pool;

/// How many failures fall inside the window, and when the oldest of them happened.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub count: i64,
    pub oldest: Option<i64>,
}

pub async fn for_email(db: &Db, email: &str, since: i64) -> sqlx::Result<Window> {
    window(
        db,
        "SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures WHERE email = $1 AND failed_at > $2",
        email,
        since,
    )
    .await
}

pub async fn for_ip(db: &Db, client_ip: &str, since: i64) -> sqlx::Result<Window> {
    window(
        db,
        "SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures WHERE client_ip = $1 AND failed_at > $2",
        client_ip,
        since,
    )
    .await
}

async fn window(db: &Db, sql: &'static str, key: &str, since: i64) -> sqlx::Result<Window> {
    let (count, oldest): (i64, Option<i64>) = with_pool!(db, |pool| sqlx::query_as(sql)
        .bind(key)
        .bind(since)
        .fetch_one(pool)
        .await)?;
    Ok(Window { count, oldest })
}

/// Writes one attempt down and returns its row.
pub async fn record(db: &Db, email: &str, client_ip: &str, at: i64) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO sign_in_failures (email, client_ip, failed_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(email)
        .bind(client_ip)
        .bind(at)
        .fetch_one(pool)
        .await
    })
}

pub async fn delete(db: &Db, id: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A successful sign-in forgives the account's earlier typos (not the address's).
pub async fn clear_email(db: &Db, email: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(email)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn prune_before(db: &Db, before: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM sign_in_failures WHERE failed_at <= $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}
