//! The outbox table: writing a row inside the caller's transaction, claiming due rows
//! for delivery, recording how a try went, and the admins' view.

use selfdesk_shared::outbox::{OutboxMessage, OutboxStatus};
use sqlx::FromRow;

use super::HOUR_SECS;
use crate::db::Db;
use crate::mail::Email;
use crate::with_pool;

/// An email to write to the outbox with a change.
#[derive(Debug, Clone)]
pub struct NewEmail {
    /// `OutboxMessage::purpose`.
    pub purpose: &'static str,
    pub recipient: String,
    pub email: Email,
    /// `<…@domain>`, kept for every try.
    pub message_id: String,
    pub now: i64,
    pub give_up_at: i64,
    /// Emails the recipient may get an hour; past it the row is kept as suppressed.
    pub per_hour: i64,
    /// The hash of the reply token in the email's Reply-To (`mail_in`), stored with
    /// the row so a reply finds its ticket.
    pub reply_token_hash: Option<String>,
}

impl NewEmail {
    pub fn new(
        outbox: &super::Outbox,
        purpose: &'static str,
        recipient: &str,
        email: Email,
        domain: &str,
        now: i64,
    ) -> Self {
        Self {
            purpose,
            recipient: recipient.to_owned(),
            email,
            message_id: format!("<{}@{domain}>", crate::auth::session::new_token()),
            now,
            give_up_at: now.saturating_add(outbox.give_up_secs),
            per_hour: outbox.per_recipient_hour,
            reply_token_hash: None,
        }
    }
}

/// Writes one email to the outbox inside the caller's transaction (`$tx`: a
/// `sqlx::Transaction` of either database). Over the recipient's hourly limit the row
/// is written as suppressed, without its text, so admins see what was held back.
/// Evaluates to `sqlx::Result<()>`.
///
/// The limit is counted in the same transaction. On PostgreSQL two transactions at
/// once may both see room for one more; the limit stops floods, not the odd extra mail.
#[macro_export]
macro_rules! outbox_enqueue {
    ($tx:expr, $ticket_id:expr, $new:expr) => {{
        async {
            let new: &$crate::outbox::store::NewEmail = $new;
            let lately: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox
                 WHERE recipient = $1 AND created_at > $2 AND status <> 'suppressed'",
            )
            .bind(&new.recipient)
            .bind(new.now - $crate::outbox::HOUR_SECS)
            .fetch_one(&mut *$tx)
            .await?;
            let over = lately >= new.per_hour;
            let (status, payload, error) = if over {
                (
                    "suppressed",
                    String::new(),
                    Some(format!(
                        "{} emails to this address in the last hour; this one was not sent",
                        lately
                    )),
                )
            } else {
                (
                    "pending",
                    serde_json::to_string(&new.email).unwrap_or_default(),
                    None,
                )
            };
            sqlx::query(
                "INSERT INTO outbox (channel, purpose, ticket_id, recipient, message_id, subject,
                    payload, status, created_at, next_attempt_at, give_up_at, last_error)
                 VALUES ('email', $1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)",
            )
            .bind(new.purpose)
            .bind($ticket_id)
            .bind(&new.recipient)
            .bind(&new.message_id)
            .bind(&new.email.subject)
            .bind(payload)
            .bind(status)
            .bind(new.now)
            .bind(new.give_up_at)
            .bind(error)
            .execute(&mut *$tx)
            .await?;
            let ticket_id: Option<i64> = $ticket_id;
            if let (false, Some(hash), Some(ticket_id)) =
                (over, new.reply_token_hash.as_deref(), ticket_id)
            {
                sqlx::query(
                    "INSERT INTO ticket_reply_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(hash)
                .bind(ticket_id)
                .bind(new.now)
                .execute(&mut *$tx)
                .await?;
            }
            if over {
                tracing::warn!(
                    purpose = new.purpose,
                    "outbox: an email was held back by the per-recipient hourly limit"
                );
            }
            Ok::<_, sqlx::Error>(())
        }
        .await
    }};
}

/// Writes an email with nothing else (no change goes with it).
pub async fn enqueue(db: &Db, ticket_id: Option<i64>, new: &NewEmail) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            crate::outbox_enqueue!(tx, ticket_id, new)?;
            tx.commit().await
        }
        .await
    })
}

/// A row claimed for one try.
#[derive(Debug, Clone, FromRow)]
pub struct Claimed {
    pub id: i64,
    /// `email` or `webhook`.
    pub channel: String,
    /// The webhook event's type for webhook rows.
    pub purpose: String,
    pub endpoint_id: Option<i64>,
    pub recipient: String,
    pub message_id: String,
    pub payload: String,
    pub attempts: i64,
    pub give_up_at: i64,
}

/// Takes the pending row due first, if any, for `lease_secs`: moves its next try past
/// the lease and marks it with `lease`. The UPDATE re-checks that the row is still
/// pending and due, so when two replicas pick the same row, the second one's UPDATE
/// (PostgreSQL waits for the first, then re-reads the row; SQLite has one writer)
/// changes nothing and it goes on to the next row. A replica with no mail server
/// (`emails` false) leaves email rows to the replicas that have one.
pub async fn claim(
    db: &Db,
    lease: &str,
    now: i64,
    lease_secs: i64,
    emails: bool,
) -> sqlx::Result<Option<Claimed>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "UPDATE outbox SET lease = $1, next_attempt_at = $2, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox
                         WHERE status = 'pending' AND next_attempt_at <= $3
                           AND (channel <> 'email' OR $4)
                         ORDER BY next_attempt_at, id LIMIT 1)
               AND status = 'pending' AND next_attempt_at <= $3
             RETURNING id, channel, purpose, endpoint_id, recipient, message_id, payload, attempts,
                give_up_at",
        )
        .bind(lease)
        .bind(now + lease_secs)
        .bind(now)
        .bind(emails)
        .fetch_optional(pool)
        .await
    })
}

/// Delivered: the text (with its tracking link) is dropped. Only the lease holder's
/// word counts; `false` when the lease was lost (expired and taken by another).
pub async fn sent(db: &Db, id: i64, lease: &str, now: i64) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', delivered_at = $1, payload = '', lease = NULL,
                last_error = NULL
             WHERE id = $2 AND lease = $3",
        )
        .bind(now)
        .bind(id)
        .bind(lease)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// A failed try: again at `next`, or given up (`None`).
pub async fn failed(
    db: &Db,
    id: i64,
    lease: &str,
    next: Option<i64>,
    error: &str,
) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        let query = match next {
            Some(next) => sqlx::query(
                "UPDATE outbox SET next_attempt_at = $1, lease = NULL, last_error = $2
                 WHERE id = $3 AND lease = $4",
            )
            .bind(next),
            None => sqlx::query(
                "UPDATE outbox SET status = 'failed', lease = NULL, last_error = $1
                 WHERE id = $2 AND lease = $3",
            ),
        };
        query
            .bind(error)
            .bind(id)
            .bind(lease)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}

#[derive(FromRow)]
struct Row {
    id: i64,
    channel: String,
    purpose: String,
    number: Option<String>,
    recipient: String,
    subject: String,
    message_id: String,
    status: String,
    attempts: i64,
    created_at: i64,
    next_attempt_at: i64,
    delivered_at: Option<i64>,
    last_error: Option<String>,
}

/// Most rows one page of the admins' view shows.
pub const PAGE: i64 = 200;

const COLUMNS: &str = "o.id, o.channel, o.purpose, t.number, o.recipient, o.subject,
    o.message_id, o.status, o.attempts, o.created_at, o.next_attempt_at, o.delivered_at,
    o.last_error FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id";

/// The newest rows, of one status or all.
pub async fn list(db: &Db, status: Option<OutboxStatus>) -> sqlx::Result<Vec<OutboxMessage>> {
    let sql =
        format!("SELECT {COLUMNS} WHERE $1 = '' OR o.status = $1 ORDER BY o.id DESC LIMIT $2");
    let rows: Vec<Row> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(status.map_or("", OutboxStatus::as_str))
            .bind(PAGE)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(Row::decode).collect())
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<OutboxMessage>> {
    let sql = format!("SELECT {COLUMNS} WHERE o.id = $1");
    let row: Option<Row> = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row.map(Row::decode))
}

impl Row {
    fn decode(self) -> OutboxMessage {
        let status = OutboxStatus::parse(&self.status).unwrap_or(OutboxStatus::Failed);
        OutboxMessage {
            id: self.id,
            channel: self.channel,
            purpose: self.purpose,
            ticket_number: self.number,
            recipient: self.recipient,
            subject: self.subject,
            message_id: self.message_id,
            status,
            attempts: self.attempts,
            created_at: self.created_at,
            next_attempt_at: (status == OutboxStatus::Pending).then_some(self.next_attempt_at),
            delivered_at: self.delivered_at,
            last_error: self.last_error,
        }
    }
}

/// How many rows have `status`.
pub async fn count(db: &Db, status: OutboxStatus) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = $1")
            .bind(status.as_str())
            .fetch_one(pool)
            .await
    })
}

/// How an admin's retry went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retried {
    Queued,
    NotFailed,
    Missing,
}

/// Puts a failed row back in line, due now, with a fresh retry time.
pub async fn retry(db: &Db, id: i64, now: i64, give_up_secs: i64) -> sqlx::Result<Retried> {
    let updated = with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = $1, give_up_at = $2
             WHERE id = $3 AND status = 'failed'",
        )
        .bind(now)
        .bind(now.saturating_add(give_up_secs))
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if updated == 1 {
        return Ok(Retried::Queued);
    }
    let exists: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(if exists.is_some() {
        Retried::NotFailed
    } else {
        Retried::Missing
    })
}

/// Deletes delivered and suppressed rows older than `cutoff` (they only matter for the
/// hourly limit and a recent history).
pub async fn prune(db: &Db, cutoff: i64) -> sqlx::Result<u64> {
    let cutoff = cutoff.min(crate::unix_now() - HOUR_SECS);
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM outbox WHERE status IN ('sent', 'suppressed') AND created_at < $1")
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}
