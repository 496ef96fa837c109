//! Live updates that work across replicas: `ticket_events` is the outbox, and every
//! replica tails it (one small indexed query every [`POLL`]) and broadcasts what is new
//! to the SSE streams it serves. A change written through replica A reaches a watcher
//! on replica B within one poll, on SQLite and PostgreSQL alike, with no second system
//! to run. (LISTEN/NOTIFY would be PostgreSQL-only and loses messages while a
//! replica reconnects; the table is also what a reconnecting browser catches up from.)
//!
//! PostgreSQL hands out ids when a row is inserted, not when it commits, so a slow
//! transaction can commit id 9 after id 10 was seen. The tail therefore keeps reading
//! from a floor that trails the newest id by [`GRACE`] and remembers what it sent above
//! the floor, so a late commit is still delivered, once.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::db::Db;
use crate::store::tickets::{self, FeedRow};

pub const POLL: Duration = Duration::from_millis(200);
pub const GRACE: Duration = Duration::from_secs(5);

/// This replica's fan-out of ticket events.
#[derive(Clone)]
pub struct TicketFeed {
    sender: broadcast::Sender<FeedRow>,
}

impl TicketFeed {
    /// Starts tailing from the newest event now in the database.
    pub async fn start(db: Db) -> sqlx::Result<Self> {
        let (sender, _) = broadcast::channel(1024);
        let floor = tickets::max_event_id(&db).await?;
        tokio::spawn(tail(db, sender.clone(), floor));
        Ok(Self { sender })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<FeedRow> {
        self.sender.subscribe()
    }
}

async fn tail(db: Db, sender: broadcast::Sender<FeedRow>, mut floor: i64) {
    // Ids above the floor already broadcast, with when they were first seen.
    let mut sent: BTreeMap<i64, Instant> = BTreeMap::new();
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let rows = match tickets::events_after(&db, floor, 1000).await {
            Ok(rows) => rows,
            Err(err) => {
                tracing::warn!(%err, "live feed: reading ticket events failed");
                continue;
            }
        };
        let now = Instant::now();
        for row in rows {
            if sent.contains_key(&row.event_id) {
                continue;
            }
            sent.insert(row.event_id, now);
            // No subscribers is not an error: nobody is watching right now.
            let _ = sender.send(row);
        }
        // Everything seen more than GRACE ago is settled: no transaction stays open that
        // long, so no smaller id can still appear.
        let settled = sent
            .iter()
            .filter(|(_, seen)| now.duration_since(**seen) > GRACE)
            .map(|(id, _)| *id)
            .max();
        if let Some(settled) = settled {
            floor = floor.max(settled);
            sent = sent.split_off(&(floor + 1));
        }
    }
}
