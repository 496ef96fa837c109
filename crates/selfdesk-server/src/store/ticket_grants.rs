//! A requester's access to a ticket: the access tokens of its tracking links, and the
//! short-lived, single-use grants a page gets with one for the URLs a browser opens
//! without headers (the live stream, a download). Only hashes are stored.

use selfdesk_shared::ticket_number::TicketNumber;

use crate::db::Db;
use crate::{unix_now, with_pool};

/// What a grant may be used for: one purpose each, so a leaked download URL cannot
/// open the stream and the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Events,
    Download,
}

impl Purpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Events => "events",
            Self::Download => "download",
        }
    }
}

pub async fn insert(
    db: &Db,
    grant_hash: &str,
    ticket_id: i64,
    token_hash: &str,
    purpose: Purpose,
    ttl_secs: i64,
) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM ticket_grants WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?;
        sqlx::query(
            "INSERT INTO ticket_grants (grant_hash, ticket_id, token_hash, purpose, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(grant_hash)
        .bind(ticket_id)
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now + ttl_secs)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Uses up the grant: the ticket `number` and the token behind the grant, if the
/// grant is unexpired, for this purpose, and for this ticket. A grant opens one stream
/// or one download, so a URL copied from a log or a proxy opens nothing.
pub async fn take(
    db: &Db,
    number: &TicketNumber,
    grant_hash: &str,
    purpose: Purpose,
) -> sqlx::Result<Option<(i64, String)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "DELETE FROM ticket_grants
             WHERE grant_hash = $1 AND purpose = $2 AND expires_at > $3
               AND ticket_id = (SELECT id FROM tickets WHERE number = $4)
             RETURNING ticket_id, token_hash",
        )
        .bind(grant_hash)
        .bind(purpose.as_str())
        .bind(unix_now())
        .bind(number.as_str())
        .fetch_optional(pool)
        .await
    })
}

/// "Someone else has my link": every access token of the ticket (and with them every
/// grant) is removed and `new_token_hash` becomes the only one, in one transaction.
pub async fn replace_all_tokens(db: &Db, ticket_id: i64, new_token_hash: &str) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM ticket_grants WHERE ticket_id = $1")
            .bind(ticket_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM ticket_access_tokens WHERE ticket_id = $1")
            .bind(ticket_id)
            .execute(&mut *tx)
            .await?;
        // A retry of the original filing would hand out a fresh token: whoever holds
        // that key and body must not get a working link back.
        sqlx::query("UPDATE tickets SET idempotency_key_hash = $1 WHERE id = $2")
            .bind(format!(
                "replaced:{ticket_id}:{}",
                crate::auth::session::new_token()
            ))
            .bind(ticket_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(new_token_hash)
        .bind(ticket_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })
}
