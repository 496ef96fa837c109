//! Which changes a technician hears about by email: the requester answered on a ticket
//! assigned to them, or a ticket arrived unassigned in their tier's pool. Each is
//! written to the outbox with the change (`store::tickets::apply`); the SLA warnings
//! come from the watch (`sla_watch`), since no change causes them.

use selfdesk_shared::tickets::{ActorKind, TicketChange};

use crate::mail::staff_messages::{StaffFacts, StaffNotice, staff_notice};
use crate::mail::staff_ticket_link;
use crate::outbox::store::NewEmail;
use crate::state::AppState;
use crate::store::staff_notifications::{self as store, Recipient};

/// Who, by the change alone, should hear of it. Nobody is told of their own action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The ticket's assignee (a requester's reply).
    Assignee(i64),
    /// The technicians of the tier the ticket moved to, unassigned.
    TierPool(selfdesk_shared::tier::Tier),
}

pub fn audience(
    actor: ActorKind,
    change: &TicketChange,
    assignee_after: Option<i64>,
) -> Option<Audience> {
    match change {
        TicketChange::Reply { .. } if actor == ActorKind::Requester => {
            assignee_after.map(Audience::Assignee)
        }
        TicketChange::Tier { to, .. } if assignee_after.is_none() => Some(Audience::TierPool(*to)),
        _ => None,
    }
}

/// The ticket as the emails name it.
pub struct About<'a> {
    pub number: &'a str,
    pub subject: &'a str,
}

/// The technicians' emails about `change`, empty when mail is off or nobody wants one.
pub async fn for_change(
    state: &AppState,
    about: &About<'_>,
    actor: ActorKind,
    actor_staff_id: Option<i64>,
    change: &TicketChange,
    assignee_after: Option<i64>,
    now: i64,
) -> sqlx::Result<Vec<NewEmail>> {
    if state.mailer.is_none() {
        return Ok(Vec::new());
    }
    let (recipients, notice) = match (audience(actor, change, assignee_after), change) {
        (Some(Audience::Assignee(id)), TicketChange::Reply { body }) => (
            store::reply_recipient(&state.db, id)
                .await?
                .into_iter()
                .collect(),
            StaffNotice::RequesterReplied { body },
        ),
        (Some(Audience::TierPool(tier)), TicketChange::Tier { to, reason, .. }) => (
            store::tier_pool_recipients(&state.db, tier).await?,
            StaffNotice::InYourPool {
                tier: u8::from(*to),
                reason,
            },
        ),
        _ => return Ok(Vec::new()),
    };
    Ok(recipients
        .iter()
        .filter(|r| Some(r.id) != actor_staff_id)
        .filter_map(|r| email(state, r, about, &notice, now))
        .collect())
}

/// One technician's email, or `None` when mail is off.
pub fn email(
    state: &AppState,
    recipient: &Recipient,
    about: &About<'_>,
    notice: &StaffNotice<'_>,
    now: i64,
) -> Option<NewEmail> {
    let mailer = state.mailer.as_ref()?;
    let link = staff_ticket_link(&state.public_url, about.number);
    let email = staff_notice(
        &StaffFacts {
            language: recipient.language(),
            number: about.number,
            subject: about.subject,
            staff_name: &recipient.display_name,
            link: &link,
        },
        notice,
    );
    Some(NewEmail::new(
        &state.outbox,
        notice.purpose(),
        &recipient.email,
        email,
        &mailer.domain(),
        now,
    ))
}

#[cfg(test)]
mod tests {
    use selfdesk_shared::tier::Tier;

    use super::*;

    #[test]
    fn a_requester_reply_goes_to_the_assignee_only() {
        let reply = TicketChange::Reply { body: "x".into() };
        assert_eq!(
            audience(ActorKind::Requester, &reply, Some(7)),
            Some(Audience::Assignee(7))
        );
        assert_eq!(audience(ActorKind::Requester, &reply, None), None);
        assert_eq!(audience(ActorKind::Staff, &reply, Some(7)), None);
    }

    #[test]
    fn a_ticket_moved_to_a_pool_tells_that_tier() {
        let tier = TicketChange::Tier {
            from: Tier::nearest(1),
            to: Tier::nearest(2),
            reason: "Specialists".into(),
        };
        assert_eq!(
            audience(ActorKind::Staff, &tier, None),
            Some(Audience::TierPool(Tier::nearest(2)))
        );
        assert_eq!(audience(ActorKind::Staff, &tier, Some(3)), None);
        let note = TicketChange::InternalNote { body: "x".into() };
        assert_eq!(audience(ActorKind::Staff, &note, None), None);
    }
}
