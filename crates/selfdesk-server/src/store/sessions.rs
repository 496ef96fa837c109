//! Server-side staff sessions. The browser holds a random token; we hold its hash.

use selfdesk_shared::auth::StaffMember;

use super::staff;
use crate::db::Db;
use crate::{unix_now, with_pool};

pub async fn insert(db: &Db, token_hash: &str, staff_id: i64, ttl_secs: i64) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The active staff member owning an unexpired session, if any.
pub async fn staff_for(db: &Db, token_hash: &str) -> sqlx::Result<Option<StaffMember>> {
    let staff_id: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT s.staff_id FROM staff_sessions s JOIN staff m ON m.id = s.staff_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND m.active",
        )
        .bind(token_hash)
        .bind(unix_now())
        .fetch_optional(pool)
        .await
    })?;
    match staff_id {
        Some(id) => staff::get(db, id).await,
        None => Ok(None),
    }
}

pub async fn delete(db: &Db, token_hash: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn delete_expired(db: &Db) -> sqlx::Result<u64> {
    let done = with_pool!(db, |pool| {
        sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
            .bind(unix_now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done)
}
