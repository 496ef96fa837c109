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
//!
//! Ticket pages do not read the database per event themselves: a [`TicketHub`] reads
//! each new event of a watched ticket once and hands the same copy to every stream
//! watching it, so a thousand watchers of one ticket cost one read per reply.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use selfdesk_shared::tickets::TicketEvent;
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

/// A new event of a watched ticket, read once, shared by all of its streams.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub event: TicketEvent,
    /// Requesters see it (internal notes and assignments are not public).
    pub public: bool,
}

type Channels = Arc<Mutex<HashMap<i64, broadcast::Sender<Arc<LiveEvent>>>>>;

/// This replica's per-ticket fan-out of full events (see the module's introduction).
#[derive(Clone)]
pub struct TicketHub {
    channels: Channels,
    reads: Arc<AtomicU64>,
}

impl TicketHub {
    pub fn start(db: Db, feed: &TicketFeed) -> Self {
        let channels: Channels = Arc::default();
        let reads = Arc::new(AtomicU64::new(0));
        tokio::spawn(read_once_per_event(
            db,
            feed.subscribe(),
            channels.clone(),
            reads.clone(),
        ));
        Self { channels, reads }
    }

    /// Events read from the database for watchers since start (one per event of a
    /// watched ticket, however many watch it).
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// New events of `ticket_id` from now on. A receiver that falls behind gets
    /// `Lagged` and should read the timeline again.
    pub fn watch(&self, ticket_id: i64) -> broadcast::Receiver<Arc<LiveEvent>> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels
            .entry(ticket_id)
            .or_insert_with(|| broadcast::channel(64).0)
            .subscribe()
    }

    /// How many tickets have a channel now (for tests of the clean-up).
    pub fn watched_tickets(&self) -> usize {
        self.channels.lock().map(|c| c.len()).unwrap_or(0)
    }
}

async fn read_once_per_event(
    db: Db,
    mut feed: broadcast::Receiver<FeedRow>,
    channels: Channels,
    reads: Arc<AtomicU64>,
) {
    loop {
        let row = match feed.recv().await {
            Ok(row) => row,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                // Which tickets the missed events belong to is unknown: closing every
                // channel ends every stream, and browsers reconnect with
                // `Last-Event-ID` and catch up from the table.
                tracing::warn!(missed, "ticket hub fell behind the feed");
                channels.lock().unwrap_or_else(|e| e.into_inner()).clear();
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let sender = {
            let mut channels = channels.lock().unwrap_or_else(|e| e.into_inner());
            // Channels whose every stream has ended go away here, so the map only
            // holds tickets someone is watching.
            channels.retain(|_, s| s.receiver_count() > 0);
            channels.get(&row.ticket_id).cloned()
        };
        let Some(sender) = sender else {
            continue;
        };
        reads.fetch_add(1, Ordering::Relaxed);
        match tickets::event(&db, row.ticket_id, row.event_id).await {
            Ok(Some((event, public))) => {
                let _ = sender.send(Arc::new(LiveEvent { event, public }));
            }
            Ok(None) => {}
            Err(err) => tracing::warn!(%err, "ticket hub: reading an event failed"),
        }
    }
}
