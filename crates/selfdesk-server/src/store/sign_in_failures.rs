//! Failed sign-ins, counted per account and per client address.

use crate::db::Pool;

/// How many failures fall inside the window, and when the oldest of them happened.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub count: i64,
    pub oldest: Option<i64>,
}

pub async fn for_email(pool: &Pool, email: &str, since: i64) -> sqlx::Result<Window> {
    let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures WHERE email = ? AND failed_at > ?",
    )
    .bind(email)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok(Window { count, oldest })
}

pub async fn for_ip(pool: &Pool, client_ip: &str, since: i64) -> sqlx::Result<Window> {
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures WHERE client_ip = ? AND failed_at > ?")
            .bind(client_ip)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok(Window { count, oldest })
}

pub async fn record(pool: &Pool, email: &str, client_ip: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sign_in_failures (email, client_ip, failed_at) VALUES (?, ?, ?)")
        .bind(email)
        .bind(client_ip)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

/// A successful sign-in forgives the account's earlier typos (not the address's).
pub async fn clear_email(pool: &Pool, email: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE email = ?")
        .bind(email)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn prune_before(pool: &Pool, before: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE failed_at <= ?")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(())
}
