//! The technicians' queue: pages of tickets read in sort-key order from an index
//! (keyset pagination, never OFFSET), the counts beside the filters, and upkeep of
//! the stored sort key.

use selfdesk_shared::queue::{AssigneeFilter, Cursor, QueueCounts, QueueFilter, QueueSort};
use selfdesk_shared::sla::{Pause, Priority};
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketStatus;
use sqlx::FromRow;

use crate::db::Db;
use crate::with_pool;

/// A queue row before its standing is judged.
#[derive(Debug, Clone, FromRow)]
pub struct QueueRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub number: TicketNumber,
    pub subject: String,
    pub requester_name: String,
    pub category: String,
    pub status: String,
    pub tier: i64,
    pub priority: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub sla_due_at: i64,
}

enum Param {
    Int(i64),
    Text(String),
}

/// The WHERE clause (without the cursor) and its parameters, numbered from `$1`.
fn conditions(filter: &QueueFilter, me: i64, now: i64) -> (Vec<String>, Vec<Param>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    let bind = |params: &mut Vec<Param>, p: Param| {
        params.push(p);
        format!("${}", params.len())
    };
    // The statuses are the enum's own strings, never user text.
    let statuses: Vec<String> = filter
        .status
        .statuses()
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    if statuses.len() < TicketStatus::ALL.len() {
        clauses.push(format!("t.status IN ({})", statuses.join(", ")));
    }
    if let Some(tier) = filter.tier {
        let p = bind(&mut params, Param::Int(i64::from(tier)));
        clauses.push(format!("t.tier = {p}"));
    }
    if let Some(priority) = filter.priority {
        let p = bind(&mut params, Param::Text(priority.as_str().into()));
        clauses.push(format!("t.priority = {p}"));
    }
    if let Some(category) = &filter.category {
        let p = bind(&mut params, Param::Text(category.clone()));
        clauses.push(format!("t.category = {p}"));
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Unassigned => clauses.push("t.assignee_id IS NULL".into()),
        AssigneeFilter::Me => {
            let p = bind(&mut params, Param::Int(me));
            clauses.push(format!("t.assignee_id = {p}"));
        }
        AssigneeFilter::Staff(id) => {
            let p = bind(&mut params, Param::Int(id));
            clauses.push(format!("t.assignee_id = {p}"));
        }
    }
    if let Some(due) = filter.due {
        let p = bind(&mut params, Param::Int(due.before(now)));
        clauses.push(format!("t.sla_due_at < {p}"));
    }
    (clauses, params)
}

/// One page in the filter's order, starting after `after`; `limit + 1` rows are read
/// so the caller knows whether another page follows.
pub async fn page(
    db: &Db,
    filter: &QueueFilter,
    me: i64,
    now: i64,
    after: Option<Cursor>,
    limit: u32,
) -> sqlx::Result<Vec<QueueRow>> {
    let (mut clauses, mut params) = conditions(filter, me, now);
    let order = match filter.sort {
        QueueSort::Due => {
            if let Some(c) = after {
                params.push(Param::Int(c.key));
                let key = params.len();
                params.push(Param::Int(c.id));
                let id = params.len();
                // Spelled out rather than as a row comparison so that both databases
                // see a range on the index's first column.
                clauses.push(format!(
                    "(t.sla_due_at > ${key} OR (t.sla_due_at = ${key} AND t.id > ${id}))"
                ));
            }
            "t.sla_due_at, t.id"
        }
        QueueSort::Newest => {
            if let Some(c) = after {
                params.push(Param::Int(c.id));
                clauses.push(format!("t.id < ${}", params.len()));
            }
            "t.id DESC"
        }
    };
    params.push(Param::Int(i64::from(limit) + 1));
    let limit_param = params.len();
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT t.id, t.number, t.subject, t.requester_name, t.category, t.status, t.tier,
            t.priority, t.assignee_id, s.display_name AS assignee_name, t.created_at,
            t.updated_at, t.sla_due_at
         FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id
         {where_sql} ORDER BY {order} LIMIT ${limit_param}"
    );
    with_pool!(db, |pool| {
        let mut query = sqlx::query_as::<_, QueueRow>(&sql);
        for p in &params {
            query = match p {
                Param::Int(v) => query.bind(*v),
                Param::Text(v) => query.bind(v.as_str()),
            };
        }
        query.fetch_all(pool).await
    })
}

/// How many open tickets each quick filter holds: one pass over the open tickets.
pub async fn counts(db: &Db, me: i64, now: i64, due_soon_hours: u32) -> sqlx::Result<QueueCounts> {
    type Row = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let soon = now + i64::from(due_soon_hours) * 3_600 + 1;
    let row: Row = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN status = 'new' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = 'in_progress' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = 'waiting_for_requester' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN tier = 1 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN tier = 2 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN tier = 3 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN assignee_id = $1 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN sla_due_at < $2 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN sla_due_at < $3 THEN 1 ELSE 0 END), 0)
             FROM tickets WHERE status IN ('new', 'in_progress', 'waiting_for_requester')",
        )
        .bind(me)
        .bind(now)
        .bind(soon)
        .fetch_one(pool)
        .await
    })?;
    Ok(QueueCounts {
        open: row.0,
        new: row.1,
        in_progress: row.2,
        waiting_for_requester: row.3,
        tiers: [row.4, row.5, row.6],
        mine: row.7,
        unassigned: row.8,
        breached: row.9,
        due_soon: row.10,
        due_soon_hours,
    })
}

/// What the sort key is computed from.
pub struct OpenTicket {
    pub id: i64,
    pub revision: i64,
    pub created_at: i64,
    pub priority: Priority,
    pub status: TicketStatus,
    pub first_responded_at: Option<i64>,
    pub pauses: Vec<Pause>,
}

/// Open tickets with an id above `after`, in id order, with their pauses.
pub async fn open_tickets_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<OpenTicket>> {
    let rows: Vec<(i64, i64, i64, String, String, Option<i64>)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, revision, created_at, priority, status, first_responded_at FROM tickets
             WHERE status IN ('new', 'in_progress', 'waiting_for_requester') AND id > $1
             ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(Vec::new());
    };
    let pauses: Vec<(i64, i64, Option<i64>)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT ticket_id, from_at, until_at FROM ticket_pauses
             WHERE ticket_id BETWEEN $1 AND $2",
        )
        .bind(first.0)
        .bind(last.0)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, revision, created_at, priority, status, first_responded_at)| OpenTicket {
                id,
                revision,
                created_at,
                priority: Priority::parse(&priority).unwrap_or(Priority::P3),
                status: TicketStatus::parse(&status).unwrap_or(TicketStatus::New),
                first_responded_at,
                pauses: pauses
                    .iter()
                    .filter(|(ticket, ..)| *ticket == id)
                    .map(|&(_, from, until)| Pause { from, until })
                    .collect(),
            },
        )
        .collect())
}

/// Writes sort keys `(id, revision, key)`, in one transaction; a ticket changed since
/// its key was computed keeps the key its change wrote.
pub async fn set_due_times(db: &Db, keys: &[(i64, i64, i64)]) -> sqlx::Result<u64> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let mut updated = 0;
            for (id, revision, key) in keys {
                updated += sqlx::query(
                    "UPDATE tickets SET sla_due_at = $1 WHERE id = $2 AND revision = $3",
                )
                .bind(key)
                .bind(id)
                .bind(revision)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            Ok(updated)
        }
        .await
    })
}

pub async fn setting(db: &Db, key: &str) -> sqlx::Result<Option<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT value FROM server_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })
}

pub async fn set_setting(db: &Db, key: &str, value: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO server_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(pool)
        .await
        .map(|_| ())
    })
}
