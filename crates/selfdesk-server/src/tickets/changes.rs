//! What requesters and technicians may do to a ticket, and the state each action leads
//! to. Every action is decided on a fresh read and written only if the ticket is still
//! as read (see `store::tickets::apply`); a lost race is decided again on the new state.

use selfdesk_shared::attachments::{MAX_ATTACHMENTS_PER_MESSAGE, MAX_TICKET_ATTACHMENT_BYTES};
use selfdesk_shared::auth::StaffMember;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::incidents::LinkedIncident;
use selfdesk_shared::queue::{StaffRef, may_work};
use selfdesk_shared::sla::Priority;
use selfdesk_shared::tickets::{
    ActorKind, ConfirmRequest, MAX_REASON_CHARS, MAX_TIER, MIN_TIER, RatingRequest,
    StaffReplyRequest, StatusChangeRequest, TicketChange, TicketEvent, TicketStatus,
    TierChangeRequest, check_rating, check_reason, check_reply, too_many_attachments,
};

use super::queue;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::tickets::{self, Actor, Applied, AttachmentProblem, Change, TicketRecord};
use crate::unix_now;

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

/// The state after an action, starting from the record's.
pub(super) struct Next {
    pub status: TicketStatus,
    pub tier: u8,
    pub priority: Priority,
    pub assignee_id: Option<i64>,
    incident_id: Option<i64>,
    pub first_responded_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<u8>,
    rating_comment: Option<String>,
}

impl Next {
    fn from(record: &TicketRecord) -> Self {
        Self {
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
}

/// Status, assignment and de-escalation belong to the ticket's tier and above.
fn must_work(staff: &StaffMember, record: &TicketRecord, doing: &str) -> ApiResult<()> {
    if may_work(staff.role, record.tier) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "This ticket is at tier {}: {doing} belongs to tier {} technicians and above. You can still reply, add notes or escalate it.",
                record.tier, record.tier
            ),
        ))
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

/// Reads the ticket, lets `decide` choose the next state and event, writes both.
/// Retries a few times when another change lands in between.
async fn act(
    state: &AppState,
    ticket_id: i64,
    by: By<'_>,
    attachments: &[String],
    decide: impl Fn(&TicketRecord, &mut Next, i64) -> ApiResult<TicketChange>,
) -> ApiResult<TicketEvent> {
    if attachments.len() > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(too_many_attachments().into());
    }
    for _ in 0..3 {
        let record = tickets::get(&state.db, ticket_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Ticket"))?;
        let now = unix_now();
        let mut next = Next::from(&record);
        let event = decide(&record, &mut next, now)?;
        let pauses = tickets::pauses(&state.db, ticket_id).await?;
        let sla_due_at = queue::due_after(&state.sla.current(), &record, &next, pauses, now);
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
            actor: by.actor(&record),
            event: &event,
            attachments,
            now,
        };
        match tickets::apply(&state.db, &change).await? {
            Applied::Done(event) => return Ok(event),
            Applied::Attachments(problem) => return Err(attachment_error(problem)),
            Applied::Stale => {}
        }
    }
    Err(conflict(
        "The ticket changed while this was being saved; reload and try again",
    ))
}

pub async fn requester_reply(
    state: &AppState,
    id: i64,
    body: &str,
    attachments: &[String],
) -> ApiResult<TicketEvent> {
    check_reply(body)?;
    act(state, id, By::Requester, attachments, |record, next, _| {
        match record.status {
            TicketStatus::Resolved => {
                return Err(conflict(
                    "This ticket is resolved: confirm that it works, or reopen it with a reason",
                ));
            }
            TicketStatus::Closed => {
                return Err(conflict(
                    "This ticket is closed; file a new ticket if the problem is back",
                ));
            }
            // The answer the technician was waiting for restarts the clock.
            TicketStatus::WaitingForRequester => next.status = TicketStatus::InProgress,
            TicketStatus::New | TicketStatus::InProgress => {}
        }
        Ok(TicketChange::Reply {
            body: body.trim().to_owned(),
        })
    })
    .await
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
    let confirmed = act(state, id, By::Requester, &[], |record, next, now| {
        if record.status != TicketStatus::Resolved {
            return Err(conflict("Only a ticket marked resolved can be confirmed"));
        }
        next.status = TicketStatus::Closed;
        next.closed_at = Some(now);
        Ok(TicketChange::Confirmed)
    })
    .await?;
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
    check_reason(reason)?;
    act(state, id, By::Requester, &[], |record, next, _| {
        if record.status != TicketStatus::Resolved {
            return Err(conflict(
                "Only a resolved ticket can be reopened; reply instead while it is open",
            ));
        }
        next.status = TicketStatus::InProgress;
        next.resolved_at = None;
        Ok(TicketChange::Reopened {
            reason: reason.trim().to_owned(),
        })
    })
    .await
}

fn check_rating_comment(comment: &str) -> ApiResult<()> {
    if comment.chars().count() > MAX_REASON_CHARS {
        return Err(
            FieldError::new("comment", Reason::too_long(MAX_REASON_CHARS))
                .because(format!(
                    "A comment must be at most {MAX_REASON_CHARS} characters"
                ))
                .into(),
        );
    }
    Ok(())
}

pub async fn rate(state: &AppState, id: i64, request: &RatingRequest) -> ApiResult<TicketEvent> {
    check_rating(request.rating)?;
    check_rating_comment(&request.comment)?;
    act(state, id, By::Requester, &[], |record, next, _| {
        if record.status != TicketStatus::Closed {
            return Err(conflict("A ticket can be rated once it is closed"));
        }
        if record.rating.is_some() {
            return Err(conflict("This ticket has already been rated"));
        }
        next.rating = Some(request.rating);
        next.rating_comment = Some(request.comment.trim().to_owned());
        Ok(TicketChange::Rated {
            rating: request.rating,
            comment: request.comment.trim().to_owned(),
        })
    })
    .await
}

pub async fn staff_reply(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    request: &StaffReplyRequest,
) -> ApiResult<TicketEvent> {
    check_reply(&request.body)?;
    let body = request.body.trim().to_owned();
    act(state, id, By::Staff(staff), &request.attachments, |record, next, now| {
        if request.internal {
            return Ok(TicketChange::InternalNote { body: body.clone() });
        }
        if record.status == TicketStatus::Closed {
            return Err(conflict(
                "This ticket is closed; the requester can no longer see new replies as part of the case",
            ));
        }
        next.first_responded_at = record.first_responded_at.or(Some(now));
        if record.status == TicketStatus::New {
            next.status = TicketStatus::InProgress;
        }
        Ok(TicketChange::Reply { body: body.clone() })
    })
    .await
}

pub async fn set_status(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    request: &StatusChangeRequest,
) -> ApiResult<TicketEvent> {
    let summary = request
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if request.status == TicketStatus::Resolved {
        match &summary {
            None => {
                return Err(FieldError::new("summary", Reason::Required)
                    .because("Say what fixed it: the requester sees this summary")
                    .into());
            }
            Some(s) if s.chars().count() > MAX_REASON_CHARS => {
                return Err(
                    FieldError::new("summary", Reason::too_long(MAX_REASON_CHARS))
                        .because(format!(
                            "The summary must be at most {MAX_REASON_CHARS} characters"
                        ))
                        .into(),
                );
            }
            Some(_) => {}
        }
    }
    act(state, id, By::Staff(staff), &[], |record, next, now| {
        must_work(staff, record, "changing its status")?;
        if !record.status.staff_can_change_to(request.status) {
            return Err(conflict(&format!(
                "A ticket cannot go from {} to {}",
                record.status.as_str(),
                request.status.as_str()
            )));
        }
        next.status = request.status;
        match request.status {
            TicketStatus::Resolved => next.resolved_at = Some(now),
            _ => next.resolved_at = None,
        }
        Ok(TicketChange::Status {
            from: record.status,
            to: request.status,
            summary: (request.status == TicketStatus::Resolved)
                .then(|| summary.clone())
                .flatten(),
        })
    })
    .await
}

/// Escalates or de-escalates one tier, with a reason the requester sees.
pub async fn set_tier(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    request: &TierChangeRequest,
) -> ApiResult<TicketEvent> {
    check_reason(&request.reason)?;
    if !(MIN_TIER..=MAX_TIER).contains(&request.tier) {
        return Err(ApiError::validation(
            "tier",
            Reason::OutOfRange {
                min: i64::from(MIN_TIER),
                max: i64::from(MAX_TIER),
            },
        ));
    }
    act(state, id, By::Staff(staff), &[], |record, next, _| {
        if !record.status.is_open() {
            return Err(conflict("Only open tickets can change tier"));
        }
        if request.tier < record.tier {
            must_work(staff, record, "sending it back down")?;
        }
        if record.tier.abs_diff(request.tier) != 1 {
            return Err(FieldError::new("tier", Reason::NotAllowed)
                .because(format!(
                    "The ticket is at tier {}: it moves one tier at a time",
                    record.tier
                ))
                .into());
        }
        next.tier = request.tier;
        // The ticket goes to the other tier's pool: whoever had it no longer works it.
        next.assignee_id = None;
        Ok(TicketChange::Tier {
            from: record.tier,
            to: request.tier,
            reason: request.reason.trim().to_owned(),
        })
    })
    .await
}

/// Assigns the ticket to an active technician who works at its tier (or unassigns
/// it). Taking a ticket for oneself is always allowed at one's own tier.
pub async fn assign(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    assignee: Option<&StaffMember>,
) -> ApiResult<TicketEvent> {
    if let Some(member) = assignee
        && !member.active
    {
        return Err(FieldError::new("assignee", Reason::NotAllowed)
            .because(format!("{} is deactivated", member.display_name))
            .into());
    }
    act(state, id, By::Staff(staff), &[], |record, next, _| {
        must_work(staff, record, "assigning it")?;
        if !record.status.is_open() {
            return Err(conflict("Only open tickets can be assigned"));
        }
        if let Some(member) = assignee
            && !may_work(member.role, record.tier)
        {
            return Err(FieldError::new("assignee", Reason::NotAllowed)
                .because(format!(
                    "{} works at a lower tier than this ticket's tier {}",
                    member.display_name, record.tier
                ))
                .into());
        }
        let to = assignee.map(|m| m.id);
        if to == record.assignee_id {
            return Err(conflict("The ticket is already assigned that way"));
        }
        next.assignee_id = to;
        Ok(TicketChange::Assigned {
            to: assignee.map(|m| StaffRef {
                id: m.id,
                display_name: m.display_name.clone(),
            }),
        })
    })
    .await
}

/// Links the ticket to a known incident, or unlinks it (`None`). The requester sees
/// which known problem their ticket is part of.
pub async fn link_incident(
    state: &AppState,
    id: i64,
    staff: &StaffMember,
    incident: Option<LinkedIncident>,
) -> ApiResult<TicketEvent> {
    act(state, id, By::Staff(staff), &[], |record, next, _| {
        must_work(staff, record, "linking it to an incident")?;
        if !record.status.is_open() {
            return Err(conflict("Only open tickets can be linked to an incident"));
        }
        let to = incident.as_ref().map(|i| i.id);
        if to == record.incident_id {
            return Err(conflict("The ticket is already linked that way"));
        }
        next.incident_id = to;
        Ok(TicketChange::Incident {
            incident: incident.clone(),
        })
    })
    .await
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
    let outcome = act(state, id, By::Staff(staff), &[], |record, next, now| {
        if !record.status.is_open() || !may_work(staff.role, record.tier) {
            // Told apart from real failures by its code: `act` answers NotFound only
            // for a ticket that is gone, which is equally nothing to do.
            return Err(ApiError::not_found("Ticket to resolve"));
        }
        next.status = TicketStatus::Resolved;
        next.resolved_at = Some(now);
        Ok(TicketChange::Status {
            from: record.status,
            to: TicketStatus::Resolved,
            summary: Some(message.to_owned()),
        })
    })
    .await;
    match outcome {
        Ok(event) => Ok(Some(event)),
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
    act(state, id, By::Staff(staff), &[], |record, next, _| {
        must_work(staff, record, "changing its priority")?;
        if !record.status.is_open() {
            return Err(conflict("Only open tickets can change priority"));
        }
        if record.priority == priority {
            return Err(conflict("The ticket already has that priority"));
        }
        next.priority = priority;
        Ok(TicketChange::Priority {
            from: record.priority,
            to: priority,
        })
    })
    .await
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
    act(state, id, By::Reporter(name), &[], |record, _, _| {
        if !record.status.is_open() {
            return Err(conflict("This ticket is no longer open"));
        }
        Ok(TicketChange::AlsoAffected {
            name: name.to_owned(),
            email: email.to_owned(),
        })
    })
    .await
}

/// Closes a ticket resolved long ago without an answer from its requester.
pub async fn auto_close(state: &AppState, id: i64) -> ApiResult<TicketEvent> {
    act(state, id, By::System, &[], |record, next, now| {
        if record.status != TicketStatus::Resolved {
            return Err(conflict("No longer resolved"));
        }
        next.status = TicketStatus::Closed;
        next.closed_at = Some(now);
        Ok(TicketChange::AutoClosed)
    })
    .await
}
