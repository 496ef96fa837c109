//! The `mail_in` record of every message read, and the reply tokens that lead a reply
//! to its ticket.

use selfdesk_shared::mail_in::MailInEntry;

use crate::db::Db;
use crate::with_pool;

/// What became of one message, written once under its key.
#[derive(Debug, Clone)]
pub struct MailInRecord {
    /// The Message-ID, or `sha256:` and the raw message's hash when it has none.
    pub message_key: String,
    pub received_at: i64,
    pub sender: String,
    pub subject: String,
    /// `replied`, `reopened`, `filed`, `ignored` or `rejected`.
    pub outcome: &'static str,
    pub reason: Option<String>,
}

/// Writes the record inside the caller's transaction (`$tx`, either database). A
/// message already recorded fails it with a unique violation, which rolls back the
/// change the message would have made a second time. Evaluates to `sqlx::Result<()>`.
#[macro_export]
macro_rules! mail_in_record {
    ($tx:expr, $ticket_id:expr, $record:expr) => {{
        async {
            let record: &$crate::mail_in::store::MailInRecord = $record;
            sqlx::query(
                "INSERT INTO mail_in (message_key, received_at, sender, subject, outcome, ticket_id, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&record.message_key)
            .bind(record.received_at)
            .bind(&record.sender)
            .bind(&record.subject)
            .bind(record.outcome)
            .bind($ticket_id)
            .bind(&record.reason)
            .execute(&mut *$tx)
            .await?;
            Ok::<_, sqlx::Error>(())
        }
        .await
    }};
}

/// Records a message that changes no ticket (ignored, refused). `false` when it was
/// recorded before, by this replica or another.
pub async fn record(db: &Db, ticket_id: Option<i64>, record: &MailInRecord) -> sqlx::Result<bool> {
    let result: sqlx::Result<()> = with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            crate::mail_in_record!(tx, ticket_id, record)?;
            tx.commit().await
        }
        .await
    });
    match result {
        Ok(()) => Ok(true),
        Err(err) if crate::store::is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Whether the message was read before (its change is done).
pub async fn seen(db: &Db, message_key: &str) -> sqlx::Result<bool> {
    let found: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM mail_in WHERE message_key = $1")
            .bind(message_key)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

/// The ticket a reply token was sent for.
pub async fn ticket_for_token(db: &Db, token_hash: &str) -> sqlx::Result<Option<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT ticket_id FROM ticket_reply_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })
}

/// Whether `message_id` (with or without angle brackets) is one the outbox sent: our
/// own email come back.
pub async fn is_our_message(db: &Db, message_id: &str) -> sqlx::Result<bool> {
    let bracketed = format!("<{}>", message_id.trim().trim_matches(['<', '>']));
    let found: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM outbox WHERE message_id = $1")
            .bind(&bracketed)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

/// The newest messages read, newest first; `outcome` narrows the list.
pub async fn list(db: &Db, outcome: Option<&str>, limit: i64) -> sqlx::Result<Vec<MailInEntry>> {
    with_pool!(db, |pool| {
        sqlx::query_as::<_, MailInRow>(
            "SELECT m.id, m.message_key, m.received_at, m.sender, m.subject, m.outcome,
                    t.number AS ticket_number, m.reason
             FROM mail_in m LEFT JOIN tickets t ON t.id = m.ticket_id
             WHERE CAST($1 AS TEXT) IS NULL OR m.outcome = $1
             ORDER BY m.id DESC LIMIT $2",
        )
        .bind(outcome)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
    .map(|rows| rows.into_iter().map(MailInRow::into_entry).collect())
}

#[derive(sqlx::FromRow)]
struct MailInRow {
    id: i64,
    message_key: String,
    received_at: i64,
    sender: String,
    subject: String,
    outcome: String,
    ticket_number: Option<String>,
    reason: Option<String>,
}

impl MailInRow {
    fn into_entry(self) -> MailInEntry {
        MailInEntry {
            id: self.id,
            message_key: self.message_key,
            received_at: self.received_at,
            sender: self.sender,
            subject: self.subject,
            outcome: self.outcome,
            ticket_number: self.ticket_number,
            reason: self.reason,
        }
    }
}
