//! Server-side staff sessions. The browser holds a random token; we hold its hash.

use selfdesk_shared::auth::StaffMember;

use super::staff;
use crate::db::Db;
use crate::{unix_now, with_pool};

/// How a session began: what `SELFDESK_REQUIRE_2FA` asks of an admin depends on it
/// (the organisation's provider answers for its own second factor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// A password alone.
    Password,
    /// A password and an authenticator's or a recovery code (or two-factor sign-in
    /// turned on in this very session).
    PasswordAndCode,
    Provider,
}

impl SignInMethod {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::PasswordAndCode => "password+code",
            Self::Provider => "provider",
        }
    }
}

pub async fn insert(
    db: &Db,
    token_hash: &str,
    staff_id: i64,
    ttl_secs: i64,
    method: SignInMethod,
) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, last_seen_at, method)
             VALUES ($1, $2, $3, $4, $3, $5)",
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(now)
        .bind(now + ttl_secs)
        .bind(method.as_str())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The active staff member owning a session that has neither expired nor been idle
/// for `idle_secs`, if any. With `used`, marks the session used (at most once a
/// minute, so a busy technician does not cost a write per request).
pub async fn staff_for(
    db: &Db,
    token_hash: &str,
    idle_secs: i64,
    used: bool,
) -> sqlx::Result<Option<(StaffMember, SignInMethod)>> {
    let now = unix_now();
    let Some((staff_id, last_seen, method)) = live_session(db, token_hash, idle_secs, now).await?
    else {
        return Ok(None);
    };
    if used && last_seen < now - 60 {
        with_pool!(db, |pool| {
            sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    let method = match method.as_str() {
        "provider" => SignInMethod::Provider,
        "password+code" => SignInMethod::PasswordAndCode,
        _ => SignInMethod::Password,
    };
    Ok(staff::get(db, staff_id).await?.map(|m| (m, method)))
}

/// Whether the session is still good, without counting this as use: what an open
/// live stream asks now and then, so that an open tab alone does not keep a session
/// from going idle.
pub async fn still_valid(db: &Db, token_hash: &str, idle_secs: i64) -> sqlx::Result<bool> {
    Ok(live_session(db, token_hash, idle_secs, unix_now())
        .await?
        .is_some())
}

async fn live_session(
    db: &Db,
    token_hash: &str,
    idle_secs: i64,
    now: i64,
) -> sqlx::Result<Option<(i64, i64, String)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT s.staff_id, s.last_seen_at, s.method FROM staff_sessions s JOIN staff m ON m.id = s.staff_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND m.active",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - idle_secs)
        .fetch_optional(pool)
        .await
    })
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

/// Ends every session of an account.
pub async fn end_all(db: &Db, staff_id: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
            .bind(staff_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
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
