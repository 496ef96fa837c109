//! The SLA watch's reads and writes: tickets whose deadline is near or just passed,
//! and marking each deadline warned about or announced, once.

use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::TicketStatus;
use sqlx::FromRow;

use crate::db::Db;
use crate::outbox::store::NewEmail;
use crate::webhooks::events::Event;
use crate::with_pool;

/// How many tickets one pass looks at; the next pass takes the rest.
const BATCH: i64 = 500;

/// A ticket with a running deadline, as the watch's messages describe it.
#[derive(Debug, Clone, FromRow)]
pub struct Watched {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub category: String,
    language: String,
    status: String,
    pub tier: i64,
    pub priority: String,
    pub assignee_id: Option<i64>,
    pub sla_due_at: i64,
}

impl Watched {
    pub fn language(&self) -> Language {
        Language::from_tag(&self.language).unwrap_or(Language::En)
    }

    pub fn status(&self) -> TicketStatus {
        TicketStatus::parse(&self.status).unwrap_or(TicketStatus::New)
    }
}

const COLUMNS: &str =
    "id, number, subject, category, language, status, tier, priority, assignee_id,
    sla_due_at";

/// Assigned tickets whose deadline falls in `(now, until]` and whose assignee has not
/// been warned about that deadline. Paused and finished tickets have keys far in the
/// future (`queue::PAUSED`, `NO_DEADLINE`), so the range leaves them out.
pub async fn due_soon(db: &Db, now: i64, until: i64) -> sqlx::Result<Vec<Watched>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets
         WHERE sla_due_at > $1 AND sla_due_at <= $2 AND assignee_id IS NOT NULL
           AND (sla_warned_due_at IS NULL OR sla_warned_due_at <> sla_due_at)
         ORDER BY sla_due_at LIMIT $3"
    );
    with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(now)
            .bind(until)
            .bind(BATCH)
            .fetch_all(pool)
            .await
    })
}

/// Open tickets past their deadline whose breach has not been announced.
pub async fn breached(db: &Db, now: i64) -> sqlx::Result<Vec<Watched>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets
         WHERE sla_due_at <= $1
           AND (sla_breach_sent_due_at IS NULL OR sla_breach_sent_due_at <> sla_due_at)
         ORDER BY sla_due_at LIMIT $2"
    );
    with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(now)
            .bind(BATCH)
            .fetch_all(pool)
            .await
    })
}

/// Records that the deadline `due_at` was warned about, with the warning email (if
/// anyone wants one) in the same transaction. `false` when another replica did first,
/// or the deadline moved meanwhile: then nothing is written.
pub async fn warned(
    db: &Db,
    ticket_id: i64,
    due_at: i64,
    email: Option<&NewEmail>,
) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let marked = sqlx::query(
                "UPDATE tickets SET sla_warned_due_at = $1
                 WHERE id = $2 AND sla_due_at = $1
                   AND (sla_warned_due_at IS NULL OR sla_warned_due_at <> $1)",
            )
            .bind(due_at)
            .bind(ticket_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if marked && let Some(email) = email {
                crate::outbox_enqueue!(tx, Some(ticket_id), email)?;
            }
            tx.commit().await?;
            Ok(marked)
        }
        .await
    })
}

/// Records that the breach of `due_at` was announced, with its webhook event in the
/// same transaction; `false` when another replica did first or the deadline moved.
pub async fn breach_sent(
    db: &Db,
    ticket_id: i64,
    due_at: i64,
    event: &Event,
) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let marked = sqlx::query(
                "UPDATE tickets SET sla_breach_sent_due_at = $1
                 WHERE id = $2 AND sla_due_at = $1
                   AND (sla_breach_sent_due_at IS NULL OR sla_breach_sent_due_at <> $1)",
            )
            .bind(due_at)
            .bind(ticket_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if marked {
                crate::webhook_enqueue!(tx, Some(ticket_id), event)?;
            }
            tx.commit().await?;
            Ok(marked)
        }
        .await
    })
}
