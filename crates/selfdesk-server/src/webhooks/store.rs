//! Webhook endpoints, the log of deliveries, and writing an event's deliveries to the
//! outbox inside the caller's transaction.

use selfdesk_shared::webhooks::{WebhookDelivery, WebhookEndpoint};
use sqlx::FromRow;

use crate::db::Db;
use crate::with_pool;

#[derive(FromRow)]
struct EndpointRow {
    id: i64,
    url: String,
    events: String,
    secret: String,
    active: bool,
    created_at: i64,
}

impl EndpointRow {
    fn decode(self) -> WebhookEndpoint {
        WebhookEndpoint {
            id: self.id,
            url: self.url,
            events: serde_json::from_str(&self.events).unwrap_or_default(),
            secret: self.secret,
            active: self.active,
            created_at: self.created_at,
        }
    }
}

const COLUMNS: &str = "id, url, events, secret, active, created_at";

pub async fn list(db: &Db) -> sqlx::Result<Vec<WebhookEndpoint>> {
    let sql = format!("SELECT {COLUMNS} FROM webhook_endpoints ORDER BY id");
    let rows: Vec<EndpointRow> = with_pool!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(EndpointRow::decode).collect())
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<WebhookEndpoint>> {
    let sql = format!("SELECT {COLUMNS} FROM webhook_endpoints WHERE id = $1");
    let row: Option<EndpointRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row.map(EndpointRow::decode))
}

/// An endpoint as checked by the route.
pub struct EndpointFields<'a> {
    pub url: &'a str,
    pub events: &'a [String],
    pub secret: &'a str,
    pub active: bool,
}

/// The events as stored: a JSON array, which `events LIKE '%"name"%'` matches.
fn events_json(events: &[String]) -> String {
    serde_json::to_string(events).unwrap_or_else(|_| "[]".into())
}

pub async fn create(db: &Db, fields: &EndpointFields<'_>, now: i64) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (url, events, secret, active, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(fields.url)
        .bind(events_json(fields.events))
        .bind(fields.secret)
        .bind(fields.active)
        .bind(now)
        .fetch_one(pool)
        .await
    })
}

/// `false` when there is no such endpoint.
pub async fn update(db: &Db, id: i64, fields: &EndpointFields<'_>) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE webhook_endpoints SET url = $1, events = $2, secret = $3, active = $4
             WHERE id = $5",
        )
        .bind(fields.url)
        .bind(events_json(fields.events))
        .bind(fields.secret)
        .bind(fields.active)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// Deletes the endpoint with its queued deliveries and its log.
pub async fn delete(db: &Db, id: i64) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}

/// What a delivery needs of its endpoint: where, and the secret.
pub async fn target(db: &Db, id: i64) -> sqlx::Result<Option<(String, String)>> {
    with_pool!(db, |pool| {
        sqlx::query_as("SELECT url, secret FROM webhook_endpoints WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// One try, for the log.
pub struct Attempt<'a> {
    pub endpoint_id: i64,
    pub outbox_id: i64,
    pub event_type: &'a str,
    pub webhook_id: &'a str,
    pub attempted_at: i64,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<&'a str>,
}

pub async fn log(db: &Db, attempt: &Attempt<'_>) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO webhook_deliveries (endpoint_id, outbox_id, event_type, webhook_id,
                attempted_at, status_code, duration_ms, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(attempt.endpoint_id)
        .bind(attempt.outbox_id)
        .bind(attempt.event_type)
        .bind(attempt.webhook_id)
        .bind(attempt.attempted_at)
        .bind(attempt.status_code)
        .bind(attempt.duration_ms)
        .bind(attempt.error)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

#[derive(FromRow)]
struct DeliveryRow {
    id: i64,
    outbox_id: i64,
    event_type: String,
    webhook_id: String,
    attempted_at: i64,
    status_code: Option<i64>,
    duration_ms: i64,
    error: Option<String>,
}

/// The endpoint's newest tries, newest first.
pub async fn deliveries(db: &Db, endpoint_id: i64) -> sqlx::Result<Vec<WebhookDelivery>> {
    let rows: Vec<DeliveryRow> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, outbox_id, event_type, webhook_id, attempted_at, status_code,
                duration_ms, error
             FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT 100",
        )
        .bind(endpoint_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| WebhookDelivery {
            id: r.id,
            outbox_id: r.outbox_id,
            event_type: r.event_type,
            webhook_id: r.webhook_id,
            attempted_at: r.attempted_at,
            status_code: r.status_code,
            duration_ms: r.duration_ms,
            error: r.error,
        })
        .collect())
}

/// Writes one delivery of `$event` (a `webhooks::events::Event`) per active endpoint
/// that asked for its type, inside the caller's transaction, as one INSERT … SELECT:
/// nothing is read first, and with no endpoint nothing is written. Each delivery's
/// webhook id is the event's id and the endpoint's. Evaluates to `sqlx::Result<()>`.
#[macro_export]
macro_rules! webhook_enqueue {
    ($tx:expr, $ticket_id:expr, $event:expr) => {{
        async {
            let event: &$crate::webhooks::events::Event = $event;
            sqlx::query(
                "INSERT INTO outbox (channel, purpose, ticket_id, endpoint_id, recipient,
                    message_id, subject, payload, status, created_at, next_attempt_at, give_up_at)
                 SELECT 'webhook', $1, $2, id, url, $3 || '_' || CAST(id AS TEXT), $1, $4,
                    'pending', $5, $5, $6
                 FROM webhook_endpoints WHERE active AND events LIKE $7",
            )
            .bind(event.event_type)
            .bind($ticket_id)
            .bind(&event.id)
            .bind(&event.body)
            .bind(event.now)
            .bind(event.give_up_at)
            .bind(format!("%\"{}\"%", event.event_type))
            .execute(&mut *$tx)
            .await?;
            Ok::<_, sqlx::Error>(())
        }
        .await
    }};
}
