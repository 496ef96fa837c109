//! The periodic sweep. Resolved tickets close by themselves after a configurable number of days without
//! an answer from the requester. Every replica runs the sweep; the conditional write in
//! `store::tickets::apply` lets exactly one of them close each ticket. The sweep also
//! clears what is kept only for a while: uploads never attached, and searches older
//! than the search log keeps them, and it fills in the insight facts of tickets whose
//! facts are missing or out of date (`insight::upkeep`).

use std::time::Duration;

use super::changes;
use crate::state::AppState;
use crate::store::{search, tickets};
use crate::unix_now;

/// How long things last, in days.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// A resolved ticket the requester has not answered.
    pub resolved_tickets: u32,
    /// A search in the search log.
    pub searches: u32,
}

/// Runs one sweep; returns how many tickets it closed.
pub async fn sweep(state: &AppState, lifetimes: Lifetimes) -> usize {
    let now = unix_now();
    // Uploads no ticket or reply claimed within a day are abandoned.
    if let Err(err) = tickets::delete_unclaimed_before(&state.db, now - 86_400).await {
        tracing::warn!(%err, "sweeping unclaimed uploads failed");
    }
    let searches_before = now - i64::from(lifetimes.searches) * 86_400;
    match search::delete_searches_before(&state.db, searches_before).await {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(deleted, "deleted searches older than the search log keeps"),
        Err(err) => tracing::warn!(%err, "sweeping the search log failed"),
    }
    // Facts missing or behind their ticket (a refresh lost to a crash), or computed
    // with other service levels; skipped while a recomputation is under way.
    let policy = state.sla.current();
    match state.insight.try_keep_true(&state.db, &policy).await {
        Some(Ok(0)) | None => {}
        Some(Ok(tickets)) => tracing::info!(tickets, "insight: computed ticket facts"),
        Some(Err(err)) => {
            tracing::warn!(err = %format!("{err:#}"), "insight: computing ticket facts failed")
        }
    }
    let cutoff = now - i64::from(lifetimes.resolved_tickets) * 86_400;
    let ids = match tickets::resolved_before(&state.db, cutoff).await {
        Ok(ids) => ids,
        Err(err) => {
            tracing::warn!(%err, "auto-close: listing resolved tickets failed");
            return 0;
        }
    };
    let mut closed = 0;
    for id in ids {
        // Another replica closing it first, or the requester reopening it, is fine.
        if changes::auto_close(state, id).await.is_ok() {
            closed += 1;
        }
    }
    closed
}

/// Sweeps every `every` for the life of the process.
pub fn spawn(state: AppState, lifetimes: Lifetimes, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let closed = sweep(&state, lifetimes).await;
            if closed > 0 {
                tracing::info!(closed, "auto-closed resolved tickets");
            }
        }
    });
}
