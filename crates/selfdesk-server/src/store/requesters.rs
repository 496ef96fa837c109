//! Requester accounts (one per verified address), their sessions, and the tickets
//! filed with their address. Sessions work like staff sessions (`store::sessions`):
//! the browser holds a random token, the database its SHA-256.

use sqlx::FromRow;

use crate::db::Db;
use crate::{unix_now, with_pool};

#[derive(Debug, Clone, FromRow)]
pub struct RequesterAccount {
    pub id: i64,
    pub email: String,
    pub display_name: String,
}

/// Who signed in, as the provider vouched for them.
pub struct SignedIn<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    /// Verified, lower case.
    pub email: &'a str,
    pub display_name: &'a str,
}

/// The account for this sign-in, created on the first. A person the provider knows
/// (same issuer and subject) whose address changed keeps their account under the new
/// address, unless another account already has it; otherwise the account is the
/// address's.
pub async fn sign_in(db: &Db, who: &SignedIn<'_>) -> sqlx::Result<RequesterAccount> {
    let now = unix_now();
    let moved: Option<RequesterAccount> = with_pool!(db, |pool| {
        sqlx::query_as(
            "UPDATE requester_accounts SET email = $3, display_name = $4, last_sign_in_at = $5
             WHERE issuer = $1 AND subject = $2
               AND NOT EXISTS (SELECT 1 FROM requester_accounts o
                               WHERE o.email = $3 AND NOT (o.issuer = $1 AND o.subject = $2))
             RETURNING id, email, display_name",
        )
        .bind(who.issuer)
        .bind(who.subject)
        .bind(who.email)
        .bind(who.display_name)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?;
    if let Some(account) = moved {
        return Ok(account);
    }
    with_pool!(db, |pool| {
        sqlx::query_as(
            "INSERT INTO requester_accounts
                 (email, display_name, issuer, subject, created_at, last_sign_in_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (email) DO UPDATE SET display_name = excluded.display_name,
                 issuer = excluded.issuer, subject = excluded.subject,
                 last_sign_in_at = excluded.last_sign_in_at
             RETURNING id, email, display_name",
        )
        .bind(who.email)
        .bind(who.display_name)
        .bind(who.issuer)
        .bind(who.subject)
        .bind(now)
        .fetch_one(pool)
        .await
    })
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    requester_id: i64,
    ttl_secs: i64,
) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO requester_sessions (token_hash, requester_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(requester_id)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The account owning a session that has not expired.
pub async fn for_session(db: &Db, token_hash: &str) -> sqlx::Result<Option<RequesterAccount>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT a.id, a.email, a.display_name
             FROM requester_sessions s JOIN requester_accounts a ON a.id = s.requester_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(unix_now())
        .fetch_optional(pool)
        .await
    })
}

pub async fn delete_session(db: &Db, token_hash: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM requester_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Ends every session of the account ("sign out on all devices"); returns how many.
pub async fn delete_all_sessions(db: &Db, requester_id: i64) -> sqlx::Result<u64> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM requester_sessions WHERE requester_id = $1")
            .bind(requester_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

pub async fn delete_expired_sessions(db: &Db) -> sqlx::Result<u64> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM requester_sessions WHERE expires_at <= $1")
            .bind(unix_now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

/// A ticket of the requester's before its standing is judged.
#[derive(Debug, Clone, FromRow)]
pub struct TicketRow {
    pub number: String,
    pub subject: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub sla_due_at: i64,
}

/// The most tickets "My tickets" lists: years of a busy person's tickets.
pub const MAX_TICKETS: i64 = 500;

/// Every ticket filed with `email` (lower case, as tickets store it), signed in or
/// not, most recently changed first; by the `tickets_email` index.
pub async fn tickets_of(db: &Db, email: &str) -> sqlx::Result<Vec<TicketRow>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT number, subject, status, created_at, updated_at, sla_due_at
             FROM tickets WHERE requester_email = $1
             ORDER BY updated_at DESC, id DESC LIMIT $2",
        )
        .bind(email)
        .bind(MAX_TICKETS)
        .fetch_all(pool)
        .await
    })
}

/// The account of an address that proved itself with an emailed link, created on the
/// first sign-in. Its name is the one last given on a ticket filed with the address,
/// if any. An account the provider made keeps its issuer and subject.
pub async fn sign_in_by_email(db: &Db, email: &str) -> sqlx::Result<RequesterAccount> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query_as(
            "INSERT INTO requester_accounts
                 (email, display_name, issuer, subject, created_at, last_sign_in_at)
             VALUES ($1, COALESCE((SELECT requester_name FROM tickets WHERE requester_email = $1
                                   ORDER BY created_at DESC, id DESC LIMIT 1), ''),
                     'email', $1, $2, $2)
             ON CONFLICT (email) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at
             RETURNING id, email, display_name",
        )
        .bind(email)
        .bind(now)
        .fetch_one(pool)
        .await
    })
}

/// Adds an access token to the ticket `number` if it was filed with `email`; the
/// ticket's subject and filing time, or `None` when it is not the address's.
pub async fn open_ticket(
    db: &Db,
    number: &str,
    email: &str,
    token_hash: &str,
) -> sqlx::Result<Option<(String, i64)>> {
    let found: Option<(i64, String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, subject, created_at FROM tickets WHERE number = $1 AND requester_email = $2",
        )
        .bind(number)
        .bind(email)
        .fetch_optional(pool)
        .await
    })?;
    let Some((id, subject, created_at)) = found else {
        return Ok(None);
    };
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(id)
        .bind(unix_now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(Some((subject, created_at)))
}
