//! The periodic sweep. Resolved tickets close by themselves after a configurable number of days without
//! an answer from the requester. Every replica runs the sweep; the conditional write in
//! `store::tickets::apply` lets exactly one of them close each ticket.

use std::time::Duration;

use super::changes;
use crate::state::AppState;
use crate::store::tickets;
use crate::unix_now;

/// Runs one sweep; returns how many tickets it closed.
pub async fn sweep(state: &AppState, after_days: u32) -> usize {
    let cutoff = unix_now() - i64::from(after_days) * 86_400;
    let ids = match tickets::resolved_before(&state.db, cutoff).await {
        Ok(ids) => ids,
        Err(err) => {
            tracing::warn!(%err, "auto-close: listing resolved tickets failed");
            return 0;
        }
    };
    // Uploads no ticket or reply claimed within a day are abandoned.
    if let Err(err) = tickets::delete_unclaimed_before(&state.db, unix_now() - 86_400).await {
        tracing::warn!(%err, "sweeping unclaimed uploads failed");
    }
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
pub fn spawn(state: AppState, after_days: u32, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let closed = sweep(&state, after_days).await;
            if closed > 0 {
                tracing::info!(closed, "auto-closed resolved tickets");
            }
        }
    });
}
