//! The demo history (`--seed-demo-history`): written once however often the server
//! starts, and every seeded ticket's row is what its timeline says.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use selfdesk_server::db::Db;
use selfdesk_server::with_pool;
use selfdesk_shared::queue::queue_due;
use selfdesk_shared::sla::{BusinessCalendar, Pause, Priority, SlaTargets};
use selfdesk_shared::tickets::{TicketChange, TicketStatus, TicketView};
use selfdesk_shared::tier::Tier;

use crate::helpers::{TestApp, demo_email, spawn_app_with};

const TABLES: [&str; 10] = [
    "tickets",
    "ticket_events",
    "ticket_pauses",
    "ticket_access_tokens",
    "incidents",
    "search_log",
    "self_service_events",
    "flow_walks",
    "kb_votes",
    "staff",
];

async fn counts(db: &Db) -> BTreeMap<&'static str, i64> {
    let mut counts = BTreeMap::new();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = with_pool!(db, |pool| {
            sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap()
        });
        counts.insert(table, n);
    }
    counts
}

async fn with_history() -> TestApp {
    spawn_app_with(|serve| serve.seed_demo_history = true).await
}

#[tokio::test]
async fn the_history_is_written_once() {
    let app = with_history().await;
    let db = app.db().await;
    let first = counts(&db).await;
    assert!(
        (600..=900).contains(&first["tickets"]),
        "{} tickets",
        first["tickets"]
    );
    assert!(first["ticket_events"] > 4 * first["tickets"]);
    assert!(first["search_log"] > 1000 && first["flow_walks"] > 200 && first["kb_votes"] > 50);
    assert_eq!(first["ticket_access_tokens"], first["tickets"]);
    assert_eq!(first["incidents"], 2);
    // Four demo accounts, two more technicians and one who has left.
    assert_eq!(first["staff"], 7);

    // Started again on the same database, as after a restart: nothing is added.
    let _again = app
        .replica_with(|serve| serve.seed_demo_history = true)
        .await;
    assert_eq!(counts(&db).await, first);

    // Only with the demo: without `--seed-demo`, the flag writes nothing.
    let plain = spawn_app_with(|serve| {
        serve.seed_demo = false;
        serve.seed_demo_history = true;
    })
    .await;
    assert_eq!(counts(&plain.db().await).await["tickets"], 0);
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: String,
    status: String,
    tier: i64,
    priority: String,
    assignee_id: Option<i64>,
    incident_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
    first_responded_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
    revision: i64,
    sla_due_at: i64,
}

/// What a ticket's row must say after its events, replayed as a reader of the
/// timeline replays them.
#[derive(Debug, PartialEq)]
struct Replayed {
    status: TicketStatus,
    tier: Tier,
    priority: Priority,
    assignee_id: Option<i64>,
    incident_id: Option<i64>,
    first_responded_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
    revision: i64,
    updated_at: i64,
}

fn replay(created_at: i64, priority: Priority, events: &[(i64, String, TicketChange)]) -> Replayed {
    let mut r = Replayed {
        status: TicketStatus::New,
        tier: Tier::FIRST,
        priority,
        assignee_id: None,
        incident_id: None,
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        rating: None,
        revision: events.len() as i64 - 1,
        updated_at: created_at,
    };
    for (at, actor, change) in events {
        r.updated_at = *at;
        match change {
            TicketChange::Created => {}
            TicketChange::Reply { .. } if actor == "staff" => {
                r.first_responded_at = r.first_responded_at.or(Some(*at));
                if r.status == TicketStatus::New {
                    r.status = TicketStatus::InProgress;
                }
            }
            TicketChange::Reply { .. } => {
                if r.status == TicketStatus::WaitingForRequester {
                    r.status = TicketStatus::InProgress;
                }
            }
            TicketChange::Status { to, .. } => {
                r.status = *to;
                r.resolved_at = (*to == TicketStatus::Resolved).then_some(*at);
            }
            TicketChange::Tier { to, .. } => {
                r.tier = *to;
                r.assignee_id = None;
            }
            TicketChange::Priority { to, .. } => r.priority = *to,
            TicketChange::Reopened { .. } => {
                r.status = TicketStatus::InProgress;
                r.resolved_at = None;
            }
            TicketChange::Confirmed | TicketChange::AutoClosed => {
                r.status = TicketStatus::Closed;
                r.closed_at = Some(*at);
            }
            TicketChange::Rated { rating, .. } => r.rating = Some(i64::from(*rating)),
            TicketChange::Assigned { to } => r.assignee_id = to.as_ref().map(|s| s.id),
            TicketChange::Incident { incident } => r.incident_id = incident.as_ref().map(|i| i.id),
            TicketChange::InternalNote { .. } | TicketChange::AlsoAffected { .. } => {}
        }
    }
    r
}

#[tokio::test]
async fn every_seeded_ticket_is_what_its_events_say() {
    let app = with_history().await;
    let db = app.db().await;
    let rows: Vec<Row> = with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT id, number, status, tier, priority, assignee_id, incident_id, created_at,
                    updated_at, first_responded_at, resolved_at, closed_at, rating, revision,
                    sla_due_at
             FROM tickets ORDER BY id",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    });
    let events: Vec<(i64, i64, String, String, bool)> = with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT ticket_id, created_at, actor, data, public FROM ticket_events ORDER BY ticket_id, id",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    });
    let pauses: Vec<(i64, i64, Option<i64>)> = with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT ticket_id, from_at, until_at FROM ticket_pauses ORDER BY ticket_id, from_at",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    });
    let mut by_ticket: BTreeMap<i64, Vec<(i64, String, TicketChange)>> = BTreeMap::new();
    for (ticket, at, actor, data, public) in events {
        let change: TicketChange = serde_json::from_str(&data).expect("events read back");
        assert_eq!(change.is_public(), public);
        by_ticket
            .entry(ticket)
            .or_default()
            .push((at, actor, change));
    }
    let now = selfdesk_server::unix_now();
    for row in &rows {
        let events = &by_ticket[&row.id];
        assert!(
            matches!(events[0].2, TicketChange::Created),
            "{}",
            row.number
        );
        assert!(events.windows(2).all(|w| w[0].0 < w[1].0), "{}", row.number);
        assert!(events.iter().all(|(at, ..)| *at <= now));
        // The priority a ticket was filed with is the one before its first change.
        let filed = events
            .iter()
            .find_map(|(_, _, c)| match c {
                TicketChange::Priority { from, .. } => Some(*from),
                _ => None,
            })
            .unwrap_or_else(|| Priority::parse(&row.priority).unwrap());
        let replayed = replay(row.created_at, filed, events);
        let stored = Replayed {
            status: TicketStatus::parse(&row.status).unwrap(),
            tier: Tier::nearest(row.tier),
            priority: Priority::parse(&row.priority).unwrap(),
            assignee_id: row.assignee_id,
            incident_id: row.incident_id,
            first_responded_at: row.first_responded_at,
            resolved_at: row.resolved_at,
            closed_at: row.closed_at,
            rating: row.rating,
            revision: row.revision,
            updated_at: row.updated_at,
        };
        assert_eq!(stored, replayed, "{}", row.number);

        // Pauses: one per wait for the requester, open only while still waiting, and
        // the stored queue key is the one the server computes.
        let mine: Vec<Pause> = pauses
            .iter()
            .filter(|(t, ..)| *t == row.id)
            .map(|&(_, from, until)| Pause { from, until })
            .collect();
        let waits = events
            .iter()
            .filter(|(_, _, c)| {
                matches!(c, TicketChange::Status { to, .. } if *to == TicketStatus::WaitingForRequester)
            })
            .count();
        assert_eq!(mine.len(), waits, "{}", row.number);
        assert_eq!(
            mine.iter().any(|p| p.until.is_none()),
            stored.status == TicketStatus::WaitingForRequester
        );
        let due = queue_due(
            &BusinessCalendar::default(),
            &SlaTargets::default(),
            row.created_at,
            stored.priority,
            stored.status,
            stored.first_responded_at,
            &mine,
        );
        assert_eq!(row.sla_due_at, due, "{}", row.number);
    }

    // The server reads them like any ticket: the queue, a ticket with its timeline.
    let tech = app.signed_in(&demo_email("tier3")).await;
    let queue = tech
        .get(app.url("/api/v1/staff/tickets"))
        .send()
        .await
        .unwrap();
    assert_eq!(queue.status(), StatusCode::OK);
    let oldest = &rows[0];
    let view: TicketView = tech
        .get(app.url(&format!("/api/v1/staff/tickets/{}", oldest.number)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view.events.len(), by_ticket[&oldest.id].len());
}
