//! The SLA watch: every minute, each replica looks for assigned tickets whose next
//! deadline is less than 30 minutes away and warns their assignee by email, and for
//! tickets past their deadline and announces the breach to webhooks (`ticket.sla_breached`).
//! Each happens once per deadline (`store::sla_watch`'s conditional writes let one
//! replica win); a deadline that moves (another priority, the first response given,
//! a pause) is a new one.

use std::time::Duration;

use selfdesk_shared::tier::Tier;

use super::staff_notify;
use crate::mail::staff_messages::StaffNotice;
use crate::state::AppState;
use crate::store::sla_watch::{self as store, Watched};
use crate::store::staff_notifications;
use crate::unix_now;
use crate::webhooks::events;

/// How far ahead the assignee is warned.
pub const WARN_AHEAD_SECS: i64 = 30 * 60;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Deadlines warned about (with an email when the assignee wants one).
    pub warned: usize,
    /// Breaches announced (a delivery per endpoint that subscribed).
    pub breached: usize,
}

/// One pass as of `now`. What it writes is stamped with the clock's time, so it is due
/// at once even when the pass is asked about another moment (tests look ahead).
pub async fn pass(state: &AppState, now: i64) -> sqlx::Result<Pass> {
    let mut done = Pass::default();
    let written = unix_now();
    for ticket in store::due_soon(&state.db, now, now + WARN_AHEAD_SECS).await? {
        let email = match ticket.assignee_id {
            Some(id) => warning(state, &ticket, id, now, written).await?,
            None => None,
        };
        if store::warned(&state.db, ticket.id, ticket.sla_due_at, email.as_ref()).await? {
            done.warned += 1;
        }
    }
    for ticket in store::breached(&state.db, now).await? {
        let event = events::sla_breached(
            &events::Facts {
                number: &ticket.number,
                subject: &ticket.subject,
                category: &ticket.category,
                language: ticket.language(),
                status: ticket.status(),
                tier: u8::from(Tier::nearest(ticket.tier)),
                priority: &ticket.priority,
            },
            ticket.sla_due_at,
            written,
            state.outbox.give_up_secs,
        );
        if store::breach_sent(&state.db, ticket.id, ticket.sla_due_at, &event).await? {
            done.breached += 1;
        }
    }
    if done != Pass::default() {
        state.outbox.wake();
    }
    Ok(done)
}

async fn warning(
    state: &AppState,
    ticket: &Watched,
    assignee_id: i64,
    now: i64,
    written: i64,
) -> sqlx::Result<Option<crate::outbox::store::NewEmail>> {
    let Some(recipient) = staff_notifications::sla_recipient(&state.db, assignee_id).await? else {
        return Ok(None);
    };
    let minutes = (ticket.sla_due_at - now + 59) / 60;
    Ok(staff_notify::email(
        state,
        &recipient,
        &staff_notify::About {
            number: &ticket.number,
            subject: &ticket.subject,
        },
        &StaffNotice::SlaSoon { minutes },
        written,
    ))
}

/// Watches every `every` for the life of the process.
pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match pass(&state, unix_now()).await {
                Ok(Pass {
                    warned: 0,
                    breached: 0,
                }) => {}
                Ok(done) => {
                    tracing::info!(warned = done.warned, breached = done.breached, "SLA watch")
                }
                Err(err) => tracing::warn!(%err, "SLA watch failed"),
            }
        }
    });
}
