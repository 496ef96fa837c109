//! Requesters' and technicians' actions on a ticket, carried out. What each action
//! leads to, or why it is refused, is `selfdesk_shared::ticket_state::decide`; here
//! every action is decided on a fresh read and written only if the ticket is still as
//! read (see `store::tickets::apply`); a lost race is decided again on the new state.

use selfdesk_shared::attachments::{MAX_ATTACHMENTS_PER_MESSAGE, MAX_TICKET_ATTACHMENT_BYTES};
use selfdesk_shared::auth::StaffMember;
use selfdesk_shared::error::{ErrorCode, Reason};
use selfdesk_shared::incidents::LinkedIncident;
use selfdesk_shared::sla::Priority;
use selfdesk_shared::ticket_state::{
    Action, Actor as Decider, Decided, TicketState, check_rating_comment, decide,
};
use selfdesk_shared::tickets::{
    ActorKind, ConfirmRequest, RatingRequest, StaffReplyRequest, StatusChangeRequest, TicketChange,
    TicketEvent, TierChangeRequest, check_rating, check_reason, too_many_attachments,
};
use selfdesk_shared::tier::Tier;

use super::{notify, queue, staff_notify};
use crate::error::{ApiError, ApiResult};
use crate::mail_in::store::MailInRecord;
use crate::state::AppState;
use crate::store::tickets::{self, Actor, Applied, AttachmentProblem, Change, TicketRecord};
use crate::{unix_now, webhooks};

/// Who acts.
#[derive(Clone, Copy)]
pub enum By<'a> {
    Requester,
    Staff(&'a StaffMember),
    System,
    /// Someone who said "me too" for this ticket.
    Reporter(&'a str),
}

impl By<'_> {
    /// Who the state machine sees: someone reporting "me too" acts as a requester.
    fn decider(&self) -> Decider {
        match self {
            By::Requester | By::Reporter(_) => Decider::Requester,
            By::Staff(member) => Decider::Staff(member.role),
            By::System => Decider::System,
        }
    }

    fn actor<'r>(&'r self, record: &'r TicketRecord) -> Actor<'r> {
        match self {
            By::Requester => Actor {
                kind: ActorKind::Requester,
                staff_id: None,
                name: &record.requester_name,
            },
            By::Staff(member) => Actor {
                kind: ActorKind::Staff,
                staff_id: Some(member.id),
                name: &member.display_name,
            },
            By::System => Actor {
                kind: ActorKind::System,
                staff_id: None,
                name: "",
            },
            By::Reporter(name) => Actor {
                kind: ActorKind::Requester,
                staff_id: None,
                name,
            },
        }
    }
}

/// The part of the record the state machine reads.
fn state_of(record: &TicketRecord) -> TicketState {
    TicketState {
        status: record.status,
        tier: record.tier,
        priority: record.priority,
        assignee_id: record.assignee_id,
        incident_id: record.incident_id,
        first_responded_at: record.first_responded_at,
        resolved_at: record.resolved_at,
        closed_at: record.closed_at,
        rating: record.rating,
        rating_comment: record.rating_comment.clone(),
    }
}

fn conflict(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

/// The answer when listed files cannot be attached; nothing was written.
pub fn attachment_error(problem: AttachmentProblem) -> ApiError {
    match problem {
        AttachmentProblem::Missing => ApiError::validation("attachments", Reason::Expired),
        AttachmentProblem::TooLarge => ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "A ticket's files may total at most {} MiB",
                MAX_TICKET_ATTACHMENT_BYTES / (1024 * 1024)
            ),
        )
        .with_field("attachments"),
    }
}

/// Reads the ticket, lets the state machine decide the next state and event, writes
/// both. Retries a few times when another change lands in between. The checks that
/// need no ticket (`Action::check`) come first.
async fn act(
    state: &AppState,
    ticket_id: i64,
    by: By<'_>,
    attachments: &[String],
    action: &Action<'_>,
) -> ApiResult<TicketEvent> {
    act_recorded(state, ticket_id, by, attachments, action, None).await
}

/// `act`, with the email that asks for the change recorded in the same transaction.
async fn act_recorded(
    state: &AppState,
    ticket_id: i64,
    by: By<'_>,
    attachments: &[String],
    action: &Action<'_>,
    mail_in: Option<&MailInRecord>,
) -> ApiResult<TicketEvent> {
    action.check()?;
    if attachments.len() > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(too_many_attachments().into());
    }
    for _ in 0..3 {
        let record = tickets::get(&state.db, ticket_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Ticket"))?;
        let now = unix_now();
        let before = state_of(&record);
        let Decided {
            next,
            change: event,
        } = decide(&before, by.decider(), action, now)?;
        let pauses = tickets::pauses(&state.db, ticket_id).await?;
        let sla_due_at = queue::due_after(&state.sla.current(), &record, &next, pauses, now);
        let actor = by.actor(&record);
        let notification = notify::for_change(
            state,
            &notify::About {
                language: record.language,
                number: record.number.as_str(),
                subject: &record.subject,
                requester_name: &record.requester_name,
                requester_email: &record.requester_email,
            },
            actor.kind,
            action,
            &event,
            now,
        );
        let webhook = webhooks::events::event(
            &webhooks::events::Facts {
                number: record.number.as_str(),
                subject: &record.subject,
                category: &record.category,
                language: record.language,
                status: next.status,
                tier: u8::from(next.tier),
                priority: next.priority.as_str(),
            },
            &event,
            now,
            state.outbox.give_up_secs,
        );
        let staff_emails = staff_notify::for_change(
            state,
            &staff_notify::About {
                number: record.number.as_str(),
                subject: &record.subject,
            },
            actor.kind,
            actor.staff_id,
            &event,
            next.assignee_id,
            now,
        )
        .await?;
        let change = Change {
            ticket_id,
            expected_status: record.status,
            expected_tier: record.tier,
            expected_revision: record.revision,
            status: next.status,
            tier: next.tier,
            priority: next.priority,
            assignee_id: next.assignee_id,
            incident_id: next.incident_id,
            sla_due_at,
            first_responded_at: next.first_responded_at,
            resolved_at: next.resolved_at,
            closed_at: next.closed_at,
            rating: next.rating,
            rating_comment: next.rating_comment.as_deref(),
            actor,
            event: &event,
            attachments,
            notification: notification.as_ref(),
            webhook: webhook.as_ref(),
            staff_emails: &staff_emails,
            mail_in,
            now,
        };
        match tickets::apply(&state.db, &change).await? {
            Applied::Done(event) => {
                if notification.is_some() || webhook.is_some() || !staff_emails.is_empty() {
                    state.outbox.wake();
                }
                refresh_facts(state, ticket_id).await;
                return Ok(event);
            }
            Applied::Attachments(problem) => return Err(attachment_error(problem)),
            Applied::Stale => {}
        }
    }
    Err(conflict(
        "The ticket changed while this was being saved; reload and try again",
    ))
}

/// Computes the ticket's insight facts again after a change or a filing. A failure
/// only delays them (the periodic sweep catches up): it never fails the change.
pub(crate) async fn refresh_facts(state: &AppState, ticket_id: i64) {
    let policy = state.sla.current();
    if let Err(err) = crate::insight::upkeep::refresh(&state.db, &policy, ticket_id).await {
        tracing::warn!(ticket_id, err = %format!("{err:#}"), "insight: refreshing ticket facts failed");
    }
}

pub async fn requester_reply(
    state: &AppState,
    id: i64,
    body: &str,
    attachments: &[String],
) -> ApiResult<TicketEvent> {
    act(
        state,
        id,
        By::Requester,
        attachments,
        &Action::Reply { body },
    )
    .await
}

/// A requester's reply that came by email (`mail_in`), recorded with the message.
/// On a resolved ticket it is added without reopening it (`Action::EmailReply`).
pub async fn requester_email_reply(
    state: &AppState,
    id: i64,
    body: &str,
    attachments: &[String],
    record: &MailInRecord,
) -> ApiResult<TicketEvent> {
    let action = Action::EmailReply { body };
    act_recorded(state, id, By::Requester, attachments, &action, Some(record)).await
}

/// "It is not fixed" said by email: the same reopening as the tracking page's.
pub async fn reopen_by_email(
    state: &AppState,
    id: i64,
    reason: &str,
    record: &MailInRecord,
) -> ApiResult<TicketEvent> {
    let action = Action::Reopen { reason };
    act_recorded(state, id, By::Requester, &[], &action, Some(record)).await
}

/// "Yes, it works": closes a resolved ticket, then records the rating if one came.
pub async fn confirm(
    state: &AppState,
    id: i64,
    request: &ConfirmRequest,
) -> ApiResult<Vec<TicketEvent>> {
    // Everything is checked before the ticket closes, so a refused rating never
    // leaves it closed without one.
    if let Some(rating) = request.rating {
        check_rating(rating)?;
    }
    check_rating_comment(&request.comment)?;
    let confirmed = act(state, id, By::Requester, &[], &Action::Confirm).await?;
    let mut events = vec![confirmed];
    if let Some(rating) = request.rating {
        let rating = RatingRequest {
            rating,
            comment: request.comment.clone(),
        };
        events.push(rate(state, id, &rating).await?);
    }
    Ok(events)
}

pub async fn reopen(state: &AppState, id: i64, reason: &str) -> ApiResult<TicketEvent> {
    act(state, id, By::Requester, &[], &Action::Reopen { reason }).await
}

pub async fn rate(state: &AppState, id: i64, request: &RatingRequest) -> ApiResult<TicketEvent> {
    let action = Action::Rate {
        rating: request.rating,
        comment: &request.comment,
    };
    act(state, id, By::Requester, &[], &action).await
}

pub async fn staff_reply(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    request: &StaffReplyRequest,
) -> ApiResult<TicketEvent> {
    let body = &request.body;
    let action = if request.internal {
        Action::Note { body }
    } else {
        Action::Reply { body }
    };
    act(state, id, By::Staff(staff), &request.attachments, &action).await
}

pub async fn set_status(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    request: &StatusChangeRequest,
) -> ApiResult<TicketEvent> {
    let action = Action::SetStatus {
        to: request.status,
        summary: request.summary.as_deref(),
    };
    act(state, id, By::Staff(staff), &[], &action).await
}

/// Escalates or de-escalates one tier, with a reason the requester sees.
pub async fn set_tier(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    request: &TierChangeRequest,
) -> ApiResult<TicketEvent> {
    // The reason's refusal comes before the tier's, as it always has.
    check_reason(&request.reason)?;
    let action = Action::SetTier {
        to: Tier::requested(request.tier)?,
        reason: &request.reason,
    };
    act(state, id, By::Staff(staff), &[], &action).await
}

/// Assigns the ticket to an active technician who works at its tier (or unassigns
/// it). Taking a ticket for oneself is always allowed at one's own tier.
pub async fn assign(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    assignee: Option<&StaffMember>,
) -> ApiResult<TicketEvent> {
    let action = Action::Assign { to: assignee };
    act(state, id, By::Staff(staff), &[], &action).await
}

/// Links the ticket to a known incident, or unlinks it (`None`). The requester sees
/// which known problem their ticket is part of.
pub async fn link_incident(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    incident: Option<LinkedIncident>,
) -> ApiResult<TicketEvent> {
    let action = Action::LinkIncident {
        incident: incident.as_ref(),
    };
    act(state, id, By::Staff(staff), &[], &action).await
}

/// Resolves a ticket because its incident was closed: the closing message is the
/// resolution summary. `Ok(None)` when there is nothing to do: the ticket is no
/// longer open, or it is above the closer's tier (closing an incident must not be a
/// way around the tier rules; such tickets stay open and linked).
pub async fn resolve_with_incident(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    message: &str,
) -> ApiResult<Option<TicketEvent>> {
    let action = Action::ResolveWithIncident { message };
    match act(state, id, By::Staff(staff), &[], &action).await {
        Ok(event) => Ok(Some(event)),
        // `Refusal::NothingToResolve` answers NotFound, as `act` does for a ticket
        // that is gone, which is equally nothing to do.
        Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Changes the priority; the deadlines are recomputed from the ticket's start.
pub async fn set_priority(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    priority: Priority,
) -> ApiResult<TicketEvent> {
    let action = Action::SetPriority { to: priority };
    act(state, id, By::Staff(staff), &[], &action).await
}

/// At most this many "me too" reports per ticket: the endpoint is public, and the
/// ticket's timeline must stay readable.
pub const MAX_ALSO_AFFECTED: usize = 200;

/// Someone else affected by the same problem, recorded on the ticket for staff. The
/// same address twice is recorded once. `Ok(None)` when it was already recorded.
pub async fn also_affected(
    state: &AppState,
    id: i64,
    name: &str,
    email: &str,
) -> ApiResult<Option<TicketEvent>> {
    let earlier: Vec<String> = tickets::events(&state.db, id, true, 0)
        .await?
        .into_iter()
        .filter_map(|e| match e.change {
            TicketChange::AlsoAffected { email, .. } => Some(email),
            _ => None,
        })
        .collect();
    if earlier.iter().any(|e| e == email) {
        return Ok(None);
    }
    if earlier.len() >= MAX_ALSO_AFFECTED {
        return Err(conflict("This ticket has as many reports as it can take"));
    }
    also_affected_event(state, id, name, email).await.map(Some)
}

async fn also_affected_event(
    state: &AppState,
    id: i64,
    name: &str,
    email: &str,
) -> ApiResult<TicketEvent> {
    let action = Action::AlsoAffected { name, email };
    act(state, id, By::Reporter(name), &[], &action).await
}

/// After a staff account is deactivated: every open ticket it was working goes back to
/// its tier's pool, each with a timeline event, so none waits on someone who is gone.
/// Returns how many.
pub async fn return_to_pool(state: &AppState, staff_id: i64) -> ApiResult<usize> {
    let ids = tickets::open_assigned_to(&state.db, staff_id).await?;
    let mut returned = 0;
    for id in ids {
        match act(state, id, By::System, &[], &Action::ReturnToPool).await {
            Ok(_) => returned += 1,
            // Closed or reassigned meanwhile: nothing to return.
            Err(err) if err.code() == ErrorCode::Conflict || err.code() == ErrorCode::NotFound => {}
            Err(err) => return Err(err),
        }
    }
    if returned > 0 {
        tracing::info!(
            staff_id,
            tickets = returned,
            "tickets of a deactivated account returned to their pools"
        );
    }
    Ok(returned)
}

/// Closes a ticket resolved long ago without an answer from its requester.
pub async fn auto_close(state: &AppState, id: i64) -> ApiResult<TicketEvent> {
    act(state, id, By::System, &[], &Action::AutoClose).await
}
