//! The ticket's state machine: which actions its requester, the technicians and the
//! server may take in which state, and the state each one leads to.
//!
//! [`decide`] is pure (the clock comes in as `now`), so every transition and every
//! refusal is tested here; the server reads the ticket, asks [`decide`], and writes the
//! answer only if the ticket is still as read (`tickets::changes::act`).

use crate::auth::{StaffMember, StaffRole};
use crate::error::{ErrorCode, FieldError, Reason};
use crate::incidents::LinkedIncident;
use crate::queue::{StaffRef, may_work};
use crate::sla::Priority;
use crate::tickets::{
    MAX_REASON_CHARS, TicketChange, TicketStatus, check_rating, check_reason, check_reply,
};
use crate::tier::Tier;

/// The part of a ticket that actions read and change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketState {
    pub status: TicketStatus,
    pub tier: Tier,
    pub priority: Priority,
    pub assignee_id: Option<i64>,
    pub incident_id: Option<i64>,
    pub first_responded_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
}

/// Who acts. Someone reporting "me too" acts as a requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Requester,
    Staff(StaffRole),
    /// The server itself (the auto-close).
    System,
}

/// What someone asks to do to a ticket. Texts are as sent; [`decide`] trims them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// A message the requester sees (from the requester, or to them from staff).
    Reply {
        body: &'a str,
    },
    /// The requester's reply that came by email. As `Reply`, except on a resolved
    /// ticket: the requester answered the email rather than choosing "fixed" or "not
    /// fixed", so the text is added for the technician and the ticket stays resolved.
    EmailReply {
        body: &'a str,
    },
    /// Staff only: a note only staff see.
    Note {
        body: &'a str,
    },
    /// "Yes, it works" on a resolved ticket.
    Confirm,
    Reopen {
        reason: &'a str,
    },
    Rate {
        rating: u8,
        comment: &'a str,
    },
    SetStatus {
        to: TicketStatus,
        /// What fixed it; required when `to` is resolved, ignored otherwise.
        summary: Option<&'a str>,
    },
    /// Escalation or de-escalation, one tier at a time.
    SetTier {
        to: Tier,
        reason: &'a str,
    },
    Assign {
        to: Option<&'a StaffMember>,
    },
    LinkIncident {
        incident: Option<&'a LinkedIncident>,
    },
    /// The ticket's incident was closed: its closing message resolves the ticket.
    ResolveWithIncident {
        message: &'a str,
    },
    SetPriority {
        to: Priority,
    },
    /// Someone else has the same problem.
    AlsoAffected {
        name: &'a str,
        email: &'a str,
    },
    /// Resolved long ago and never answered.
    AutoClose,
    /// The assignee's staff account was deactivated: the ticket goes back to its
    /// tier's pool.
    ReturnToPool,
}

/// Work that belongs to the ticket's tier and above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierWork {
    Status,
    /// De-escalating; escalating is open to every tier.
    SendBack,
    Assign,
    Incident,
    Priority,
}

/// Changes only an open ticket takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenWork {
    Tier,
    Assign,
    Incident,
    Priority,
    AlsoAffected,
}

/// Why an action was refused; [`Refusal::code`] and [`Refusal::message`] are what the
/// API answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The action is not this actor's to take (a requester changing the status).
    NotYours,
    /// A technician below the ticket's tier.
    AboveTier {
        tier: Tier,
        work: TierWork,
    },
    /// The requester replied to a resolved ticket: they confirm or reopen instead.
    ReplyToResolved,
    /// The requester replied to a closed ticket.
    ReplyToClosed,
    /// Staff replied publicly to a closed ticket.
    StaffReplyToClosed,
    ConfirmNotResolved,
    ReopenNotResolved,
    RateNotClosed,
    AlreadyRated,
    /// A status move technicians may not make by hand.
    NoSuchMove {
        from: TicketStatus,
        to: TicketStatus,
    },
    NotOpen(OpenWork),
    /// Tiers change one step at a time (the `tier` field).
    OneTierAtATime {
        tier: Tier,
    },
    /// The chosen technician may not work the ticket's tier (the `assignee` field).
    AssigneeBelowTier {
        name: String,
        tier: Tier,
    },
    AlreadyAssigned,
    AlreadyLinked,
    SamePriority,
    /// Closing an incident resolves only open tickets the closer may work; the others
    /// stay open and linked, so this is "nothing to do", not a failure.
    NothingToResolve,
    /// The auto-close found the ticket no longer resolved.
    NoLongerResolved,
}

impl Refusal {
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::NotYours | Self::AboveTier { .. } => ErrorCode::Forbidden,
            Self::OneTierAtATime { .. } | Self::AssigneeBelowTier { .. } => ErrorCode::Validation,
            Self::NothingToResolve => ErrorCode::NotFound,
            Self::ReplyToResolved
            | Self::ReplyToClosed
            | Self::StaffReplyToClosed
            | Self::ConfirmNotResolved
            | Self::ReopenNotResolved
            | Self::RateNotClosed
            | Self::AlreadyRated
            | Self::NoSuchMove { .. }
            | Self::NotOpen(_)
            | Self::AlreadyAssigned
            | Self::AlreadyLinked
            | Self::SamePriority
            | Self::NoLongerResolved => ErrorCode::Conflict,
        }
    }

    /// The request field at fault and why, for refusals that point at one.
    pub const fn field(&self) -> Option<(&'static str, Reason)> {
        match self {
            Self::OneTierAtATime { .. } => Some(("tier", Reason::NotAllowed)),
            Self::AssigneeBelowTier { .. } => Some(("assignee", Reason::NotAllowed)),
            _ => None,
        }
    }

    /// The English sentence for API users.
    pub fn message(&self) -> String {
        match self {
            Self::NotYours => "This change is not yours to make".into(),
            Self::AboveTier { tier, work } => {
                let doing = match work {
                    TierWork::Status => "changing its status",
                    TierWork::SendBack => "sending it back down",
                    TierWork::Assign => "assigning it",
                    TierWork::Incident => "linking it to an incident",
                    TierWork::Priority => "changing its priority",
                };
                format!(
                    "This ticket is at tier {tier}: {doing} belongs to tier {tier} technicians and above. You can still reply, add notes or escalate it."
                )
            }
            Self::ReplyToResolved => {
                "This ticket is resolved: confirm that it works, or reopen it with a reason".into()
            }
            Self::ReplyToClosed => {
                "This ticket is closed; file a new ticket if the problem is back".into()
            }
            Self::StaffReplyToClosed => "This ticket is closed; the requester can no longer see new replies as part of the case".into(),
            Self::ConfirmNotResolved => "Only a ticket marked resolved can be confirmed".into(),
            Self::ReopenNotResolved => {
                "Only a resolved ticket can be reopened; reply instead while it is open".into()
            }
            Self::RateNotClosed => "A ticket can be rated once it is closed".into(),
            Self::AlreadyRated => "This ticket has already been rated".into(),
            Self::NoSuchMove { from, to } => format!(
                "A ticket cannot go from {} to {}",
                from.as_str(),
                to.as_str()
            ),
            Self::NotOpen(work) => match work {
                OpenWork::Tier => "Only open tickets can change tier",
                OpenWork::Assign => "Only open tickets can be assigned",
                OpenWork::Incident => "Only open tickets can be linked to an incident",
                OpenWork::Priority => "Only open tickets can change priority",
                OpenWork::AlsoAffected => "This ticket is no longer open",
            }
            .into(),
            Self::OneTierAtATime { tier } => {
                format!("The ticket is at tier {tier}: it moves one tier at a time")
            }
            Self::AssigneeBelowTier { name, tier } => {
                format!("{name} works at a lower tier than this ticket's tier {tier}")
            }
            Self::AlreadyAssigned => "The ticket is already assigned that way".into(),
            Self::AlreadyLinked => "The ticket is already linked that way".into(),
            Self::SamePriority => "The ticket already has that priority".into(),
            Self::NothingToResolve => "Ticket to resolve was not found".into(),
            Self::NoLongerResolved => "No longer resolved".into(),
        }
    }
}

/// A decided action: the ticket's next state and the event that says what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub next: TicketState,
    pub change: TicketChange,
}

impl Action<'_> {
    /// The checks that need no ticket: a request failing them is refused before the
    /// ticket is even read.
    pub fn check(&self) -> Result<(), FieldError> {
        match *self {
            Self::Reply { body } | Self::EmailReply { body } | Self::Note { body } => {
                check_reply(body)
            }
            Self::Reopen { reason } => check_reason(reason),
            Self::Rate { rating, comment } => {
                check_rating(rating)?;
                check_rating_comment(comment)
            }
            Self::SetStatus {
                to: TicketStatus::Resolved,
                summary,
            } => check_summary(summary),
            // The tier itself is a `Tier`: a request's number is parsed (`Tier::requested`)
            // after its reason is checked, so the reason's refusal comes first.
            Self::SetTier { reason, .. } => check_reason(reason),
            Self::Assign { to: Some(member) } if !member.active => {
                Err(FieldError::new("assignee", Reason::NotAllowed)
                    .because(format!("{} is deactivated", member.display_name)))
            }
            _ => Ok(()),
        }
    }
}

/// A rating's comment: optional, bounded.
pub fn check_rating_comment(comment: &str) -> Result<(), FieldError> {
    if comment.chars().count() > MAX_REASON_CHARS {
        Err(
            FieldError::new("comment", Reason::too_long(MAX_REASON_CHARS)).because(format!(
                "A comment must be at most {MAX_REASON_CHARS} characters"
            )),
        )
    } else {
        Ok(())
    }
}

/// A resolution's summary: the requester sees it, so it is required, and bounded.
fn check_summary(summary: Option<&str>) -> Result<(), FieldError> {
    match summary.map(str::trim).filter(|s| !s.is_empty()) {
        None => Err(FieldError::new("summary", Reason::Required)
            .because("Say what fixed it: the requester sees this summary")),
        Some(s) if s.chars().count() > MAX_REASON_CHARS => {
            Err(
                FieldError::new("summary", Reason::too_long(MAX_REASON_CHARS)).because(format!(
                    "The summary must be at most {MAX_REASON_CHARS} characters"
                )),
            )
        }
        Some(_) => Ok(()),
    }
}

/// Status, assignment and de-escalation belong to the ticket's tier and above.
fn must_work(role: StaffRole, state: &TicketState, work: TierWork) -> Result<(), Refusal> {
    if may_work(role, state.tier) {
        Ok(())
    } else {
        Err(Refusal::AboveTier {
            tier: state.tier,
            work,
        })
    }
}

fn must_be_open(state: &TicketState, work: OpenWork) -> Result<(), Refusal> {
    if state.status.is_open() {
        Ok(())
    } else {
        Err(Refusal::NotOpen(work))
    }
}

/// What `action` by `actor` does to a ticket in `state` at `now`. The checks of
/// [`Action::check`] are assumed to have passed.
pub fn decide(
    state: &TicketState,
    actor: Actor,
    action: &Action<'_>,
    now: i64,
) -> Result<Decided, Refusal> {
    let mut next = state.clone();
    let change = match *action {
        Action::Reply { body } => {
            let body = body.trim().to_owned();
            match (actor, state.status) {
                (Actor::System, _) => return Err(Refusal::NotYours),
                (Actor::Requester, TicketStatus::Resolved) => return Err(Refusal::ReplyToResolved),
                (Actor::Requester, TicketStatus::Closed) => return Err(Refusal::ReplyToClosed),
                // The answer the technician was waiting for restarts the clock.
                (Actor::Requester, TicketStatus::WaitingForRequester) => {
                    next.status = TicketStatus::InProgress;
                }
                (Actor::Requester, TicketStatus::New | TicketStatus::InProgress) => {}
                (Actor::Staff(_), TicketStatus::Closed) => return Err(Refusal::StaffReplyToClosed),
                (Actor::Staff(_), status) => {
                    next.first_responded_at = state.first_responded_at.or(Some(now));
                    if status == TicketStatus::New {
                        next.status = TicketStatus::InProgress;
                    }
                }
            }
            TicketChange::Reply { body }
        }
        Action::EmailReply { body } => {
            requester(actor)?;
            match state.status {
                TicketStatus::Closed => return Err(Refusal::ReplyToClosed),
                TicketStatus::WaitingForRequester => next.status = TicketStatus::InProgress,
                _ => {}
            }
            TicketChange::Reply {
                body: body.trim().to_owned(),
            }
        }
        Action::Note { body } => {
            staff(actor)?;
            TicketChange::InternalNote {
                body: body.trim().to_owned(),
            }
        }
        Action::Confirm => {
            requester(actor)?;
            if state.status != TicketStatus::Resolved {
                return Err(Refusal::ConfirmNotResolved);
            }
            next.status = TicketStatus::Closed;
            next.closed_at = Some(now);
            TicketChange::Confirmed
        }
        Action::Reopen { reason } => {
            requester(actor)?;
            if state.status != TicketStatus::Resolved {
                return Err(Refusal::ReopenNotResolved);
            }
            next.status = TicketStatus::InProgress;
            next.resolved_at = None;
            TicketChange::Reopened {
                reason: reason.trim().to_owned(),
            }
        }
        Action::Rate { rating, comment } => {
            requester(actor)?;
            if state.status != TicketStatus::Closed {
                return Err(Refusal::RateNotClosed);
            }
            if state.rating.is_some() {
                return Err(Refusal::AlreadyRated);
            }
            let comment = comment.trim().to_owned();
            next.rating = Some(rating);
            next.rating_comment = Some(comment.clone());
            TicketChange::Rated { rating, comment }
        }
        Action::SetStatus { to, summary } => {
            let role = staff(actor)?;
            must_work(role, state, TierWork::Status)?;
            if !state.status.staff_can_change_to(to) {
                return Err(Refusal::NoSuchMove {
                    from: state.status,
                    to,
                });
            }
            next.status = to;
            next.resolved_at = (to == TicketStatus::Resolved).then_some(now);
            TicketChange::Status {
                from: state.status,
                to,
                summary: summary
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && to == TicketStatus::Resolved)
                    .map(str::to_owned),
            }
        }
        Action::SetTier { to, reason } => {
            let role = staff(actor)?;
            must_be_open(state, OpenWork::Tier)?;
            if to < state.tier {
                must_work(role, state, TierWork::SendBack)?;
            }
            if !state.tier.is_next_to(to) {
                return Err(Refusal::OneTierAtATime { tier: state.tier });
            }
            next.tier = to;
            // The ticket goes to the other tier's pool: whoever had it no longer works it.
            next.assignee_id = None;
            TicketChange::Tier {
                from: state.tier,
                to,
                reason: reason.trim().to_owned(),
            }
        }
        Action::Assign { to } => {
            let role = staff(actor)?;
            must_work(role, state, TierWork::Assign)?;
            must_be_open(state, OpenWork::Assign)?;
            if let Some(member) = to
                && !may_work(member.role, state.tier)
            {
                return Err(Refusal::AssigneeBelowTier {
                    name: member.display_name.clone(),
                    tier: state.tier,
                });
            }
            let id = to.map(|m| m.id);
            if id == state.assignee_id {
                return Err(Refusal::AlreadyAssigned);
            }
            next.assignee_id = id;
            TicketChange::Assigned {
                to: to.map(|m| StaffRef {
                    id: m.id,
                    display_name: m.display_name.clone(),
                }),
            }
        }
        Action::LinkIncident { incident } => {
            let role = staff(actor)?;
            must_work(role, state, TierWork::Incident)?;
            must_be_open(state, OpenWork::Incident)?;
            let id = incident.map(|i| i.id);
            if id == state.incident_id {
                return Err(Refusal::AlreadyLinked);
            }
            next.incident_id = id;
            TicketChange::Incident {
                incident: incident.cloned(),
            }
        }
        Action::ResolveWithIncident { message } => {
            let role = staff(actor)?;
            // Closing an incident must not be a way around the tier rules.
            if !state.status.is_open() || !may_work(role, state.tier) {
                return Err(Refusal::NothingToResolve);
            }
            next.status = TicketStatus::Resolved;
            next.resolved_at = Some(now);
            TicketChange::Status {
                from: state.status,
                to: TicketStatus::Resolved,
                summary: Some(message.to_owned()),
            }
        }
        Action::SetPriority { to } => {
            let role = staff(actor)?;
            must_work(role, state, TierWork::Priority)?;
            must_be_open(state, OpenWork::Priority)?;
            if state.priority == to {
                return Err(Refusal::SamePriority);
            }
            next.priority = to;
            TicketChange::Priority {
                from: state.priority,
                to,
            }
        }
        Action::AlsoAffected { name, email } => {
            requester(actor)?;
            must_be_open(state, OpenWork::AlsoAffected)?;
            TicketChange::AlsoAffected {
                name: name.to_owned(),
                email: email.to_owned(),
            }
        }
        Action::AutoClose => {
            if actor != Actor::System {
                return Err(Refusal::NotYours);
            }
            if state.status != TicketStatus::Resolved {
                return Err(Refusal::NoLongerResolved);
            }
            next.status = TicketStatus::Closed;
            next.closed_at = Some(now);
            TicketChange::AutoClosed
        }
        Action::ReturnToPool => {
            if actor != Actor::System {
                return Err(Refusal::NotYours);
            }
            must_be_open(state, OpenWork::Assign)?;
            if state.assignee_id.is_none() {
                return Err(Refusal::AlreadyAssigned);
            }
            next.assignee_id = None;
            TicketChange::Assigned { to: None }
        }
    };
    Ok(Decided { next, change })
}

fn staff(actor: Actor) -> Result<StaffRole, Refusal> {
    match actor {
        Actor::Staff(role) => Ok(role),
        Actor::Requester | Actor::System => Err(Refusal::NotYours),
    }
}

fn requester(actor: Actor) -> Result<(), Refusal> {
    match actor {
        Actor::Requester => Ok(()),
        Actor::Staff(_) | Actor::System => Err(Refusal::NotYours),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketStatus::*;

    const NOW: i64 = 1_000;
    const TIER1: Actor = Actor::Staff(StaffRole::Tier1);
    const TIER2: Actor = Actor::Staff(StaffRole::Tier2);
    const TIER3: Actor = Actor::Staff(StaffRole::Tier3);
    const ADMIN: Actor = Actor::Staff(StaffRole::Admin);

    fn tier(n: u8) -> Tier {
        Tier::new(n).unwrap()
    }

    fn ticket(status: TicketStatus, tier_number: u8) -> TicketState {
        TicketState {
            status,
            tier: tier(tier_number),
            priority: Priority::P3,
            assignee_id: Some(7),
            incident_id: None,
            first_responded_at: None,
            resolved_at: (status == Resolved).then_some(500),
            closed_at: (status == Closed).then_some(600),
            rating: None,
            rating_comment: None,
        }
    }

    fn member(id: i64, role: StaffRole, active: bool) -> StaffMember {
        StaffMember {
            id,
            email: format!("{id}@example.org"),
            display_name: format!("Tech {id}"),
            role,
            active,
            two_factor: false,
        }
    }

    /// The next state, or the refusal, as a test states it.
    fn outcome(state: &TicketState, actor: Actor, action: Action<'_>) -> Result<Decided, Refusal> {
        decide(state, actor, &action, NOW)
    }

    fn refused(state: &TicketState, actor: Actor, action: Action<'_>) -> Refusal {
        outcome(state, actor, action).expect_err("refused")
    }

    fn done(state: &TicketState, actor: Actor, action: Action<'_>) -> Decided {
        outcome(state, actor, action).expect("decided")
    }

    #[test]
    fn a_requester_reply_restarts_a_waiting_ticket_and_is_refused_once_resolved() {
        for (status, expected) in [
            (New, Ok(New)),
            (InProgress, Ok(InProgress)),
            (WaitingForRequester, Ok(InProgress)),
            (Resolved, Err(Refusal::ReplyToResolved)),
            (Closed, Err(Refusal::ReplyToClosed)),
        ] {
            let before = ticket(status, 1);
            let got = outcome(&before, Actor::Requester, Action::Reply { body: " Hi \n" });
            match (got, expected) {
                (Ok(d), Ok(next_status)) => {
                    assert_eq!(
                        d.next,
                        TicketState {
                            status: next_status,
                            ..before
                        },
                        "{status:?}"
                    );
                    assert_eq!(d.change, TicketChange::Reply { body: "Hi".into() });
                }
                (Err(r), Err(e)) => assert_eq!(r, e, "{status:?}"),
                (got, expected) => panic!("{status:?}: {got:?} instead of {expected:?}"),
            }
        }
    }

    #[test]
    fn a_staff_reply_is_the_first_response_at_any_tier_until_closed() {
        for (status, next_status) in [
            (New, InProgress),
            (InProgress, InProgress),
            (WaitingForRequester, WaitingForRequester),
            (Resolved, Resolved),
        ] {
            // A tier 1 technician may answer a tier 3 ticket.
            let before = ticket(status, 3);
            let d = done(&before, TIER1, Action::Reply { body: "On it " });
            let expected = TicketState {
                status: next_status,
                first_responded_at: Some(NOW),
                ..before
            };
            assert_eq!(d.next, expected, "{status:?}");
            assert_eq!(
                d.change,
                TicketChange::Reply {
                    body: "On it".into()
                }
            );
        }
        let answered = TicketState {
            first_responded_at: Some(10),
            ..ticket(InProgress, 1)
        };
        let d = done(&answered, TIER1, Action::Reply { body: "Again" });
        assert_eq!(
            d.next.first_responded_at,
            Some(10),
            "the first response stays"
        );
        assert_eq!(
            refused(&ticket(Closed, 1), TIER1, Action::Reply { body: "Late" }),
            Refusal::StaffReplyToClosed
        );
    }

    #[test]
    fn a_reply_by_email_is_added_to_a_resolved_ticket_and_refused_on_a_closed_one() {
        let resolved = ticket(Resolved, 1);
        let d = done(
            &resolved,
            Actor::Requester,
            Action::EmailReply { body: " Thanks " },
        );
        assert_eq!(
            d.next, resolved,
            "it stays resolved, for the technician to read"
        );
        assert_eq!(
            d.change,
            TicketChange::Reply {
                body: "Thanks".into()
            }
        );
        let d = done(
            &ticket(WaitingForRequester, 1),
            Actor::Requester,
            Action::EmailReply { body: "Here" },
        );
        assert_eq!(d.next.status, InProgress);
        assert_eq!(
            refused(
                &ticket(Closed, 1),
                Actor::Requester,
                Action::EmailReply { body: "Late" }
            ),
            Refusal::ReplyToClosed
        );
        assert_eq!(
            refused(&resolved, TIER1, Action::EmailReply { body: "x" }),
            Refusal::NotYours
        );
    }

    #[test]
    fn an_internal_note_changes_nothing_in_any_state() {
        for status in TicketStatus::ALL {
            let before = ticket(status, 3);
            let d = done(&before, TIER1, Action::Note { body: " note " });
            assert_eq!(d.next, before, "{status:?}");
            assert_eq!(
                d.change,
                TicketChange::InternalNote {
                    body: "note".into()
                }
            );
        }
    }

    /// `action` closes a resolved ticket with `change`, and is refused with `refusal`
    /// in every other status.
    fn closes_only_a_resolved_ticket(
        tier: u8,
        actor: Actor,
        action: Action<'_>,
        change: TicketChange,
        refusal: Refusal,
    ) {
        for status in TicketStatus::ALL {
            let before = ticket(status, tier);
            let got = outcome(&before, actor, action);
            if status == Resolved {
                let d = got.unwrap();
                let expected = TicketState {
                    status: Closed,
                    closed_at: Some(NOW),
                    ..before
                };
                assert_eq!(d.next, expected);
                assert_eq!(d.change, change);
            } else {
                assert_eq!(got, Err(refusal.clone()), "{status:?}");
            }
        }
    }

    #[test]
    fn confirming_closes_only_a_resolved_ticket() {
        closes_only_a_resolved_ticket(
            2,
            Actor::Requester,
            Action::Confirm,
            TicketChange::Confirmed,
            Refusal::ConfirmNotResolved,
        );
    }

    #[test]
    fn reopening_takes_only_a_resolved_ticket_back_to_work() {
        for status in TicketStatus::ALL {
            let before = ticket(status, 2);
            let got = outcome(
                &before,
                Actor::Requester,
                Action::Reopen { reason: " Back " },
            );
            if status == Resolved {
                let d = got.unwrap();
                let expected = TicketState {
                    status: InProgress,
                    resolved_at: None,
                    ..before
                };
                assert_eq!(d.next, expected);
                assert_eq!(
                    d.change,
                    TicketChange::Reopened {
                        reason: "Back".into()
                    }
                );
            } else {
                assert_eq!(got, Err(Refusal::ReopenNotResolved), "{status:?}");
            }
        }
    }

    #[test]
    fn a_closed_ticket_is_rated_once() {
        let rate = Action::Rate {
            rating: 4,
            comment: " Quick ",
        };
        for status in TicketStatus::ALL {
            let before = ticket(status, 1);
            let got = outcome(&before, Actor::Requester, rate);
            if status == Closed {
                let d = got.unwrap();
                let expected = TicketState {
                    rating: Some(4),
                    rating_comment: Some("Quick".into()),
                    ..before
                };
                assert_eq!(d.next, expected);
                assert_eq!(
                    d.change,
                    TicketChange::Rated {
                        rating: 4,
                        comment: "Quick".into()
                    }
                );
            } else {
                assert_eq!(got, Err(Refusal::RateNotClosed), "{status:?}");
            }
        }
        let rated = TicketState {
            rating: Some(5),
            ..ticket(Closed, 1)
        };
        assert_eq!(
            refused(&rated, Actor::Requester, rate),
            Refusal::AlreadyRated
        );
    }

    #[test]
    fn technicians_move_the_status_along_the_allowed_moves_only() {
        for from in TicketStatus::ALL {
            for to in TicketStatus::ALL {
                let before = ticket(from, 1);
                let action = Action::SetStatus {
                    to,
                    summary: Some(" Replaced the toner "),
                };
                let got = outcome(&before, TIER1, action);
                if from.staff_can_change_to(to) {
                    let d = got.unwrap();
                    let expected = TicketState {
                        status: to,
                        resolved_at: (to == Resolved).then_some(NOW),
                        ..before
                    };
                    assert_eq!(d.next, expected, "{from:?} → {to:?}");
                    assert_eq!(
                        d.change,
                        TicketChange::Status {
                            from,
                            to,
                            // The summary belongs to resolutions only.
                            summary: (to == Resolved).then(|| "Replaced the toner".into()),
                        }
                    );
                } else {
                    assert_eq!(
                        got,
                        Err(Refusal::NoSuchMove { from, to }),
                        "{from:?} → {to:?}"
                    );
                }
            }
        }
        // Exactly these moves, so a new one is a decision, not an accident.
        let allowed = TicketStatus::ALL
            .into_iter()
            .flat_map(|from| TicketStatus::ALL.map(|to| (from, to)))
            .filter(|(from, to)| from.staff_can_change_to(*to))
            .count();
        assert_eq!(allowed, 8);
    }

    #[test]
    fn tier_work_belongs_to_the_tickets_tier_and_above() {
        let incident = LinkedIncident {
            id: 3,
            title: "Mail down".into(),
        };
        let colleague = member(9, StaffRole::Tier3, true);
        let cases = [
            (
                Action::SetStatus {
                    to: InProgress,
                    summary: None,
                },
                TierWork::Status,
            ),
            (
                Action::SetTier {
                    to: tier(1),
                    reason: "Back",
                },
                TierWork::SendBack,
            ),
            (
                Action::Assign {
                    to: Some(&colleague),
                },
                TierWork::Assign,
            ),
            (
                Action::LinkIncident {
                    incident: Some(&incident),
                },
                TierWork::Incident,
            ),
            (Action::SetPriority { to: Priority::P1 }, TierWork::Priority),
        ];
        for (action, work) in cases {
            let at_tier_2 = ticket(New, 2);
            assert_eq!(
                refused(&at_tier_2, TIER1, action),
                Refusal::AboveTier {
                    tier: tier(2),
                    work
                },
                "{action:?}"
            );
            for actor in [TIER2, TIER3, ADMIN] {
                assert!(
                    outcome(&at_tier_2, actor, action).is_ok(),
                    "{actor:?} {action:?}"
                );
            }
        }
        // Checked before the status, so a technician learns the rule that applies.
        let closed_tier_3 = ticket(Closed, 3);
        assert_eq!(
            refused(
                &closed_tier_3,
                TIER2,
                Action::SetPriority { to: Priority::P1 }
            ),
            Refusal::AboveTier {
                tier: tier(3),
                work: TierWork::Priority
            }
        );
    }

    #[test]
    fn tiers_move_one_step_at_a_time_and_leave_the_pool_unassigned() {
        for (from, to, actor, expected) in [
            // Escalating is open to every tier, even from above one's own.
            (1, 2, TIER1, Ok(())),
            (2, 3, TIER1, Ok(())),
            (2, 1, TIER2, Ok(())),
            (3, 2, ADMIN, Ok(())),
            (
                2,
                1,
                TIER1,
                Err(Refusal::AboveTier {
                    tier: tier(2),
                    work: TierWork::SendBack,
                }),
            ),
            (1, 3, TIER1, Err(Refusal::OneTierAtATime { tier: tier(1) })),
            (3, 1, TIER3, Err(Refusal::OneTierAtATime { tier: tier(3) })),
            (2, 2, TIER2, Err(Refusal::OneTierAtATime { tier: tier(2) })),
        ] {
            let before = ticket(InProgress, from);
            let (from, to) = (tier(from), tier(to));
            let got = outcome(
                &before,
                actor,
                Action::SetTier {
                    to,
                    reason: " Why ",
                },
            );
            match expected {
                Ok(()) => {
                    let d = got.unwrap();
                    let expected = TicketState {
                        tier: to,
                        assignee_id: None,
                        ..before
                    };
                    assert_eq!(d.next, expected, "{from} → {to}");
                    assert_eq!(
                        d.change,
                        TicketChange::Tier {
                            from,
                            to,
                            reason: "Why".into()
                        }
                    );
                }
                Err(refusal) => assert_eq!(got.unwrap_err(), refusal, "{from} → {to}"),
            }
        }
    }

    #[test]
    fn only_open_tickets_change_tier_assignee_incident_or_priority() {
        let incident = LinkedIncident {
            id: 3,
            title: "Mail down".into(),
        };
        let colleague = member(9, StaffRole::Tier1, true);
        let cases = [
            (
                Action::SetTier {
                    to: tier(2),
                    reason: "x",
                },
                OpenWork::Tier,
            ),
            (
                Action::Assign {
                    to: Some(&colleague),
                },
                OpenWork::Assign,
            ),
            (
                Action::LinkIncident {
                    incident: Some(&incident),
                },
                OpenWork::Incident,
            ),
            (Action::SetPriority { to: Priority::P1 }, OpenWork::Priority),
        ];
        for status in [Resolved, Closed] {
            for (action, work) in cases {
                assert_eq!(
                    refused(&ticket(status, 1), ADMIN, action),
                    Refusal::NotOpen(work),
                    "{status:?} {action:?}"
                );
            }
            let also = Action::AlsoAffected {
                name: "Bo",
                email: "bo@example.org",
            };
            assert_eq!(
                refused(&ticket(status, 1), Actor::Requester, also),
                Refusal::NotOpen(OpenWork::AlsoAffected)
            );
        }
    }

    #[test]
    fn assigning_needs_someone_of_the_tickets_tier_and_a_change() {
        let before = ticket(InProgress, 2);
        let tier1 = member(1, StaffRole::Tier1, true);
        let tier2 = member(2, StaffRole::Tier2, true);
        let d = done(&before, TIER2, Action::Assign { to: Some(&tier2) });
        assert_eq!(
            d.next,
            TicketState {
                assignee_id: Some(2),
                ..before.clone()
            }
        );
        assert_eq!(
            d.change,
            TicketChange::Assigned {
                to: Some(StaffRef {
                    id: 2,
                    display_name: "Tech 2".into()
                })
            }
        );
        let d = done(&before, TIER2, Action::Assign { to: None });
        assert_eq!(d.next.assignee_id, None);
        assert_eq!(d.change, TicketChange::Assigned { to: None });

        assert_eq!(
            refused(&before, TIER2, Action::Assign { to: Some(&tier1) }),
            Refusal::AssigneeBelowTier {
                name: "Tech 1".into(),
                tier: tier(2)
            }
        );
        let seven = member(7, StaffRole::Tier2, true);
        assert_eq!(
            refused(&before, TIER2, Action::Assign { to: Some(&seven) }),
            Refusal::AlreadyAssigned
        );
        let unassigned = TicketState {
            assignee_id: None,
            ..before
        };
        assert_eq!(
            refused(&unassigned, TIER2, Action::Assign { to: None }),
            Refusal::AlreadyAssigned
        );
    }

    #[test]
    fn linking_an_incident_needs_a_change() {
        let incident = LinkedIncident {
            id: 3,
            title: "Mail down".into(),
        };
        let before = ticket(New, 1);
        let link = Action::LinkIncident {
            incident: Some(&incident),
        };
        let d = done(&before, TIER1, link);
        assert_eq!(
            d.next,
            TicketState {
                incident_id: Some(3),
                ..before.clone()
            }
        );
        assert_eq!(
            d.change,
            TicketChange::Incident {
                incident: Some(incident.clone())
            }
        );
        let linked = d.next;
        assert_eq!(refused(&linked, TIER1, link), Refusal::AlreadyLinked);
        let d = done(&linked, TIER1, Action::LinkIncident { incident: None });
        assert_eq!(d.next, before);
        assert_eq!(d.change, TicketChange::Incident { incident: None });
        assert_eq!(
            refused(&before, TIER1, Action::LinkIncident { incident: None }),
            Refusal::AlreadyLinked
        );
    }

    #[test]
    fn a_closed_incident_resolves_the_open_tickets_its_closer_may_work() {
        let resolve = Action::ResolveWithIncident {
            message: "Fixed upstream",
        };
        for status in TicketStatus::ALL {
            let before = ticket(status, 2);
            let got = outcome(&before, TIER2, resolve);
            if status.is_open() {
                let d = got.unwrap();
                let expected = TicketState {
                    status: Resolved,
                    resolved_at: Some(NOW),
                    ..before
                };
                assert_eq!(d.next, expected);
                assert_eq!(
                    d.change,
                    TicketChange::Status {
                        from: status,
                        to: Resolved,
                        summary: Some("Fixed upstream".into())
                    }
                );
            } else {
                assert_eq!(got, Err(Refusal::NothingToResolve), "{status:?}");
            }
        }
        assert_eq!(
            refused(&ticket(InProgress, 3), TIER2, resolve),
            Refusal::NothingToResolve
        );
    }

    #[test]
    fn a_priority_change_must_change_it() {
        let before = ticket(WaitingForRequester, 1);
        let d = done(&before, TIER1, Action::SetPriority { to: Priority::P1 });
        assert_eq!(
            d.next,
            TicketState {
                priority: Priority::P1,
                ..before.clone()
            }
        );
        assert_eq!(
            d.change,
            TicketChange::Priority {
                from: Priority::P3,
                to: Priority::P1
            }
        );
        assert_eq!(
            refused(&before, TIER1, Action::SetPriority { to: Priority::P3 }),
            Refusal::SamePriority
        );
    }

    #[test]
    fn a_me_too_report_is_only_an_event() {
        for status in [New, InProgress, WaitingForRequester] {
            let before = ticket(status, 3);
            let d = done(
                &before,
                Actor::Requester,
                Action::AlsoAffected {
                    name: "Bo",
                    email: "bo@example.org",
                },
            );
            assert_eq!(d.next, before);
            assert_eq!(
                d.change,
                TicketChange::AlsoAffected {
                    name: "Bo".into(),
                    email: "bo@example.org".into()
                }
            );
        }
    }

    #[test]
    fn the_auto_close_closes_only_what_is_still_resolved() {
        closes_only_a_resolved_ticket(
            1,
            Actor::System,
            Action::AutoClose,
            TicketChange::AutoClosed,
            Refusal::NoLongerResolved,
        );
    }

    #[test]
    fn each_action_is_open_to_its_own_actors_only() {
        let incident = LinkedIncident {
            id: 3,
            title: "Mail down".into(),
        };
        let colleague = member(9, StaffRole::Tier1, true);
        let requester = [Actor::Requester];
        let staff = [TIER1, TIER2, TIER3, ADMIN];
        let system = [Actor::System];
        let cases: [(Action<'_>, &[Actor]); 14] = [
            (
                Action::Reply { body: "x" },
                &[Actor::Requester, TIER1, TIER2, TIER3, ADMIN],
            ),
            (Action::Note { body: "x" }, &staff),
            (Action::Confirm, &requester),
            (Action::Reopen { reason: "x" }, &requester),
            (
                Action::Rate {
                    rating: 5,
                    comment: "",
                },
                &requester,
            ),
            (
                Action::SetStatus {
                    to: InProgress,
                    summary: None,
                },
                &staff,
            ),
            (
                Action::SetTier {
                    to: tier(2),
                    reason: "x",
                },
                &staff,
            ),
            (
                Action::Assign {
                    to: Some(&colleague),
                },
                &staff,
            ),
            (
                Action::LinkIncident {
                    incident: Some(&incident),
                },
                &staff,
            ),
            (Action::ResolveWithIncident { message: "x" }, &staff),
            (Action::SetPriority { to: Priority::P1 }, &staff),
            (
                Action::AlsoAffected {
                    name: "x",
                    email: "x@example.org",
                },
                &requester,
            ),
            (Action::AutoClose, &system),
            (Action::ReturnToPool, &system),
        ];
        let everyone = [Actor::Requester, TIER1, TIER2, TIER3, ADMIN, Actor::System];
        for (action, allowed) in cases {
            for actor in everyone {
                // A state in which every action is possible for its own actors.
                let state = match action {
                    Action::Confirm | Action::Reopen { .. } | Action::AutoClose => {
                        ticket(Resolved, 1)
                    }
                    Action::Rate { .. } => ticket(Closed, 1),
                    _ => ticket(New, 1),
                };
                let got = outcome(&state, actor, action);
                if allowed.contains(&actor) {
                    assert!(got.is_ok(), "{actor:?} {action:?}: {got:?}");
                } else {
                    assert_eq!(got, Err(Refusal::NotYours), "{actor:?} {action:?}");
                }
            }
        }
    }

    #[test]
    fn requests_are_checked_before_any_ticket_is_read() {
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        let gone = member(4, StaffRole::Tier2, false);
        let cases: [(Action<'_>, &str, Reason, &str); 10] = [
            (
                Action::Reply { body: " " },
                "body",
                Reason::Required,
                "Write a message before sending",
            ),
            (
                Action::Note { body: "" },
                "body",
                Reason::Required,
                "Write a message before sending",
            ),
            (
                Action::Reopen { reason: "" },
                "reason",
                Reason::Required,
                "Give a reason",
            ),
            (
                Action::Rate {
                    rating: 0,
                    comment: "",
                },
                "rating",
                Reason::OutOfRange { min: 1, max: 5 },
                "A rating is 1 to 5 stars",
            ),
            (
                Action::Rate {
                    rating: 3,
                    comment: &long,
                },
                "comment",
                Reason::too_long(MAX_REASON_CHARS),
                "A comment must be at most 2000 characters",
            ),
            (
                Action::SetStatus {
                    to: Resolved,
                    summary: None,
                },
                "summary",
                Reason::Required,
                "Say what fixed it: the requester sees this summary",
            ),
            (
                Action::SetStatus {
                    to: Resolved,
                    summary: Some("  "),
                },
                "summary",
                Reason::Required,
                "Say what fixed it: the requester sees this summary",
            ),
            (
                Action::SetStatus {
                    to: Resolved,
                    summary: Some(&long),
                },
                "summary",
                Reason::too_long(MAX_REASON_CHARS),
                "The summary must be at most 2000 characters",
            ),
            (
                Action::SetTier {
                    to: tier(2),
                    reason: "",
                },
                "reason",
                Reason::Required,
                "Give a reason",
            ),
            (
                Action::Assign { to: Some(&gone) },
                "assignee",
                Reason::NotAllowed,
                "Tech 4 is deactivated",
            ),
        ];
        for (action, field, reason, message) in cases {
            let err = action.check().expect_err("refused");
            assert_eq!((&*err.field, &err.reason), (field, &reason), "{action:?}");
            assert_eq!(err.message(), message, "{action:?}");
        }
        assert!(
            Action::SetStatus {
                to: InProgress,
                summary: None
            }
            .check()
            .is_ok()
        );
        assert!(
            Action::SetTier {
                to: tier(3),
                reason: "Why"
            }
            .check()
            .is_ok()
        );
        assert!(Action::Assign { to: None }.check().is_ok());
        assert!(Action::Confirm.check().is_ok());
    }

    /// The API answers with these codes and words; the API and browser tests read them.
    #[test]
    fn every_refusal_has_its_code_and_words() {
        use ErrorCode::{Conflict, Forbidden, NotFound, Validation};
        let cases = [
            (
                Refusal::NotYours,
                Forbidden,
                "This change is not yours to make",
            ),
            (
                Refusal::AboveTier {
                    tier: tier(2),
                    work: TierWork::Status,
                },
                Forbidden,
                "This ticket is at tier 2: changing its status belongs to tier 2 technicians and above. You can still reply, add notes or escalate it.",
            ),
            (
                Refusal::AboveTier {
                    tier: tier(3),
                    work: TierWork::SendBack,
                },
                Forbidden,
                "This ticket is at tier 3: sending it back down belongs to tier 3 technicians and above. You can still reply, add notes or escalate it.",
            ),
            (
                Refusal::AboveTier {
                    tier: tier(2),
                    work: TierWork::Assign,
                },
                Forbidden,
                "This ticket is at tier 2: assigning it belongs to tier 2 technicians and above. You can still reply, add notes or escalate it.",
            ),
            (
                Refusal::AboveTier {
                    tier: tier(2),
                    work: TierWork::Incident,
                },
                Forbidden,
                "This ticket is at tier 2: linking it to an incident belongs to tier 2 technicians and above. You can still reply, add notes or escalate it.",
            ),
            (
                Refusal::AboveTier {
                    tier: tier(2),
                    work: TierWork::Priority,
                },
                Forbidden,
                "This ticket is at tier 2: changing its priority belongs to tier 2 technicians and above. You can still reply, add notes or escalate it.",
            ),
            (
                Refusal::ReplyToResolved,
                Conflict,
                "This ticket is resolved: confirm that it works, or reopen it with a reason",
            ),
            (
                Refusal::ReplyToClosed,
                Conflict,
                "This ticket is closed; file a new ticket if the problem is back",
            ),
            (
                Refusal::StaffReplyToClosed,
                Conflict,
                "This ticket is closed; the requester can no longer see new replies as part of the case",
            ),
            (
                Refusal::ConfirmNotResolved,
                Conflict,
                "Only a ticket marked resolved can be confirmed",
            ),
            (
                Refusal::ReopenNotResolved,
                Conflict,
                "Only a resolved ticket can be reopened; reply instead while it is open",
            ),
            (
                Refusal::RateNotClosed,
                Conflict,
                "A ticket can be rated once it is closed",
            ),
            (
                Refusal::AlreadyRated,
                Conflict,
                "This ticket has already been rated",
            ),
            (
                Refusal::NoSuchMove {
                    from: Closed,
                    to: InProgress,
                },
                Conflict,
                "A ticket cannot go from closed to in_progress",
            ),
            (
                Refusal::NotOpen(OpenWork::Tier),
                Conflict,
                "Only open tickets can change tier",
            ),
            (
                Refusal::NotOpen(OpenWork::Assign),
                Conflict,
                "Only open tickets can be assigned",
            ),
            (
                Refusal::NotOpen(OpenWork::Incident),
                Conflict,
                "Only open tickets can be linked to an incident",
            ),
            (
                Refusal::NotOpen(OpenWork::Priority),
                Conflict,
                "Only open tickets can change priority",
            ),
            (
                Refusal::NotOpen(OpenWork::AlsoAffected),
                Conflict,
                "This ticket is no longer open",
            ),
            (
                Refusal::OneTierAtATime { tier: tier(1) },
                Validation,
                "The ticket is at tier 1: it moves one tier at a time",
            ),
            (
                Refusal::AssigneeBelowTier {
                    name: "Tess".into(),
                    tier: tier(2),
                },
                Validation,
                "Tess works at a lower tier than this ticket's tier 2",
            ),
            (
                Refusal::AlreadyAssigned,
                Conflict,
                "The ticket is already assigned that way",
            ),
            (
                Refusal::AlreadyLinked,
                Conflict,
                "The ticket is already linked that way",
            ),
            (
                Refusal::SamePriority,
                Conflict,
                "The ticket already has that priority",
            ),
            (
                Refusal::NothingToResolve,
                NotFound,
                "Ticket to resolve was not found",
            ),
            (Refusal::NoLongerResolved, Conflict, "No longer resolved"),
        ];
        for (refusal, code, message) in cases {
            assert_eq!(refusal.code(), code, "{refusal:?}");
            assert_eq!(refusal.message(), message, "{refusal:?}");
            // Only validation refusals name a field, and each of them does.
            assert_eq!(refusal.field().is_some(), code == Validation, "{refusal:?}");
        }
        assert_eq!(
            Refusal::OneTierAtATime { tier: tier(1) }.field(),
            Some(("tier", Reason::NotAllowed))
        );
        assert_eq!(
            Refusal::AssigneeBelowTier {
                name: "Tess".into(),
                tier: tier(2)
            }
            .field(),
            Some(("assignee", Reason::NotAllowed))
        );
    }
}
