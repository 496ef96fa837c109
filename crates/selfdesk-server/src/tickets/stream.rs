//! One ticket's live events, for its requester or for staff (the routes send them
//! as Server-Sent Events).
//!
//! A stream first sends what the client missed (one read), then the events the
//! replica's [`TicketHub`](super::live::TicketHub) reads once for all watchers of the
//! ticket. Every [`RECHECK`] it asks whether its viewer may still watch — the staff
//! session still live and its account active, the requester's link not revoked — and
//! ends when not, so internal notes stop flowing within that time of a sign-out,
//! an expiry, a deactivation or a revocation. A requester's stream also ends after
//! an hour, and the page connects again with a new grant.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use selfdesk_shared::tickets::TicketEvent;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use crate::protect::stream_caps::StreamSlot;
use crate::state::AppState;
use crate::store::{sessions, tickets};
use crate::tickets::live::LiveEvent;

/// How often an open stream checks that its viewer may still watch.
pub const RECHECK: Duration = Duration::from_secs(10);

/// The timer every stream checks its viewer by: first after one [`RECHECK`] (the
/// viewer was checked when the stream opened), then every [`RECHECK`].
pub fn recheck_timer() -> tokio::time::Interval {
    let mut timer = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    timer
}

/// Who is watching, and so what they may see and what must stay true.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// Whoever holds the ticket's link; `token_hash` is the access token their
    /// stream grant came from. The stream ends at `until` (the page connects again).
    Requester {
        token_hash: String,
        until: tokio::time::Instant,
    },
    /// A technician; internal notes included.
    Staff { session_hash: String },
}

impl Viewer {
    fn sees_internal(&self) -> bool {
        matches!(self, Self::Staff { .. })
    }

    /// Whether the viewer may go on watching. A failed check (database briefly away)
    /// keeps the stream: the next check decides.
    pub async fn still_allowed(&self, state: &AppState, ticket_id: i64) -> bool {
        let answer = match self {
            Self::Staff { session_hash } => {
                sessions::still_valid(&state.db, session_hash, state.protect.session_idle_secs)
                    .await
            }
            Self::Requester { token_hash, until } => {
                if tokio::time::Instant::now() >= *until {
                    return false;
                }
                tickets::token_opens(&state.db, ticket_id, token_hash).await
            }
        };
        answer.unwrap_or_else(|err| {
            tracing::warn!(%err, "live stream: checking the viewer failed");
            true
        })
    }
}

/// The events of one ticket: first those after `last_seen`, then each new one. Each
/// event is sent once, even when it arrives late. `slot` is the stream's place under
/// the caps, held until the stream ends.
pub fn event_stream(
    state: AppState,
    ticket_id: i64,
    last_seen: i64,
    viewer: Viewer,
    slot: StreamSlot,
) -> impl Stream<Item = TicketEvent> + use<> {
    // Watch before the catch-up read, so nothing falls between the two.
    let receiver = state.hub.watch(ticket_id);
    let recheck = recheck_timer();
    let start = StreamState {
        state,
        ticket_id,
        viewer,
        receiver,
        recheck,
        sent: BTreeSet::new(),
        pending: VecDeque::new(),
        catch_up_after: Some(last_seen),
        last_seen,
        _slot: slot,
    };
    futures_util::stream::unfold(start, |mut s| async move {
        loop {
            if let Some(after) = s.catch_up_after.take() {
                s.load(after).await;
            }
            if let Some(event) = s.pending.pop_front() {
                return Some((event, s));
            }
            tokio::select! {
                received = s.receiver.recv() => match received {
                    Ok(live) => s.take_live(&live),
                    // Fell behind: read the ticket's whole timeline again.
                    Err(RecvError::Lagged(_)) => s.catch_up_after = Some(0),
                    Err(RecvError::Closed) => return None,
                },
                _ = s.recheck.tick() => {
                    if !s.viewer.still_allowed(&s.state, s.ticket_id).await {
                        return None;
                    }
                }
            }
        }
    })
}

struct StreamState {
    state: AppState,
    ticket_id: i64,
    viewer: Viewer,
    receiver: broadcast::Receiver<Arc<LiveEvent>>,
    recheck: tokio::time::Interval,
    sent: BTreeSet<i64>,
    pending: VecDeque<TicketEvent>,
    catch_up_after: Option<i64>,
    /// What the client said it already has: never sent again.
    last_seen: i64,
    _slot: StreamSlot,
}

impl StreamState {
    fn take_live(&mut self, live: &LiveEvent) {
        let visible = live.public || self.viewer.sees_internal();
        if visible && live.event.id > self.last_seen && self.sent.insert(live.event.id) {
            self.pending.push_back(live.event.clone());
        }
    }

    async fn load(&mut self, after: i64) {
        let after = after.max(self.last_seen);
        let internal = self.viewer.sees_internal();
        match tickets::events(&self.state.db, self.ticket_id, internal, after).await {
            Ok(events) => {
                for event in events {
                    if self.sent.insert(event.id) {
                        self.pending.push_back(event);
                    }
                }
            }
            Err(err) => tracing::warn!(%err, "ticket stream: reading events failed"),
        }
    }
}
