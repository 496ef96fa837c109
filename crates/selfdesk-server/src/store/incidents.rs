//! Known incidents and their "me too" reports; open tickets like a new one.

use selfdesk_shared::incidents::Incident;
use sqlx::FromRow;

use crate::db::Db;
use crate::webhooks::events::Event;
use crate::{unix_now, with_pool};

#[derive(FromRow)]
struct IncidentRow {
    id: i64,
    title: String,
    description: String,
    category: Option<String>,
    status: String,
    created_at: i64,
    closing_message: Option<String>,
    affected: i64,
    linked_tickets: i64,
}

impl IncidentRow {
    fn decode(self) -> Incident {
        Incident {
            id: self.id,
            title: self.title,
            description: self.description,
            category: self.category,
            since: self.created_at,
            affected: self.affected,
            open: self.status == "open",
            closing_message: self.closing_message,
            linked_tickets: self.linked_tickets,
        }
    }
}

const SELECT: &str = "SELECT i.id, i.title, i.description, i.category, i.status, i.created_at,
        i.closing_message,
        (SELECT COUNT(*) FROM incident_reports r WHERE r.incident_id = i.id) AS affected,
        (SELECT COUNT(*) FROM tickets t WHERE t.incident_id = i.id
            AND t.status IN ('new', 'in_progress', 'waiting_for_requester')) AS linked_tickets
    FROM incidents i";

/// Open incidents for `category` (and those for every category); all open ones when
/// `category` is `None`. Newest first.
pub async fn open(db: &Db, category: Option<&str>) -> sqlx::Result<Vec<Incident>> {
    let sql = format!(
        "{SELECT} WHERE i.status = 'open' AND ($1 IS NULL OR i.category IS NULL OR i.category = $1)
         ORDER BY i.created_at DESC, i.id DESC LIMIT 20"
    );
    let rows: Vec<IncidentRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(category).fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(IncidentRow::decode).collect())
}

/// Every incident, newest first (staff).
pub async fn all(db: &Db) -> sqlx::Result<Vec<Incident>> {
    let sql = format!("{SELECT} ORDER BY i.created_at DESC, i.id DESC LIMIT 200");
    let rows: Vec<IncidentRow> = with_pool!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(IncidentRow::decode).collect())
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<Incident>> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    let row: Option<IncidentRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row.map(IncidentRow::decode))
}

/// Inserts an open incident and, in the same transaction, its `incident.opened`
/// webhook event (made once the id is known).
pub async fn create(
    db: &Db,
    title: &str,
    description: &str,
    category: Option<&str>,
    staff_id: i64,
    webhook: impl Fn(i64) -> Event,
) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO incidents (title, description, category, status, created_by, created_at)
                 VALUES ($1, $2, $3, 'open', $4, $5) RETURNING id",
            )
            .bind(title)
            .bind(description)
            .bind(category)
            .bind(staff_id)
            .bind(unix_now())
            .fetch_one(&mut *tx)
            .await?;
            crate::webhook_enqueue!(tx, None::<i64>, &webhook(id))?;
            tx.commit().await?;
            Ok(id)
        }
        .await
    })
}

/// Closes an open incident, with its `incident.closed` webhook event in the same
/// transaction; `false` when it was not open (and nothing is sent).
pub async fn close(db: &Db, id: i64, message: &str, webhook: &Event) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let closed = sqlx::query(
                "UPDATE incidents SET status = 'closed', closed_at = $1, closing_message = $2
                 WHERE id = $3 AND status = 'open'",
            )
            .bind(unix_now())
            .bind(message)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if closed {
                crate::webhook_enqueue!(tx, None::<i64>, webhook)?;
            }
            tx.commit().await?;
            Ok(closed)
        }
        .await
    })
}

/// Records a "me too"; the same address again changes nothing.
pub async fn add_report(db: &Db, id: i64, name: &str, email: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO incident_reports (incident_id, name, email, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (incident_id, email) DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .bind(email)
        .bind(unix_now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Open tickets of `category` filed since `since`: (number, subject, status, created_at).
pub async fn open_tickets_in(
    db: &Db,
    category: &str,
    since: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, subject FROM tickets
             WHERE category = $1 AND status IN ('new', 'in_progress', 'waiting_for_requester')
               AND created_at >= $2
             ORDER BY created_at DESC LIMIT 500",
        )
        .bind(category)
        .bind(since)
        .fetch_all(pool)
        .await
    })
}

/// Open tickets linked to the incident.
pub async fn open_linked_tickets(db: &Db, id: i64) -> sqlx::Result<Vec<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM tickets WHERE incident_id = $1
                AND status IN ('new', 'in_progress', 'waiting_for_requester') ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })
}
