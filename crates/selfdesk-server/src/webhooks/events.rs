//! The events webhooks carry, as JSON in the Standard Webhooks shape:
//! `{"type": "ticket.replied", "timestamp": "2026-12-06T04:50:00Z", "data": {…}}`.
//! Only what the requester may see goes out: internal notes, assignments and other
//! people's "me too" (which names them) send nothing.

use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::{TicketChange, TicketStatus};
use serde_json::json;

/// An event to write to the outbox, one delivery per subscribed endpoint.
#[derive(Debug, Clone)]
pub struct Event {
    pub event_type: &'static str,
    /// `msg_…`; each delivery's `webhook-id` adds the endpoint's id.
    pub id: String,
    pub body: String,
    pub now: i64,
    pub give_up_at: i64,
}

/// The type of the event a change makes, if any.
pub fn type_of(change: &TicketChange) -> Option<&'static str> {
    if !change.is_public() {
        return None;
    }
    Some(match change {
        TicketChange::Created => "ticket.filed",
        TicketChange::Reply { .. } => "ticket.replied",
        TicketChange::Status {
            to: TicketStatus::Resolved,
            ..
        } => "ticket.resolved",
        _ => "ticket.changed",
    })
}

/// What a receiver learns of a ticket: where it stands, and what happened.
pub struct Facts<'a> {
    pub number: &'a str,
    pub subject: &'a str,
    pub category: &'a str,
    pub language: Language,
    pub status: TicketStatus,
    pub tier: u8,
    pub priority: &'a str,
}

pub fn event(
    facts: &Facts<'_>,
    change: &TicketChange,
    now: i64,
    give_up_secs: i64,
) -> Option<Event> {
    let event_type = type_of(change)?;
    let mut data = ticket_data(facts);
    data["change"] = json!(change);
    Some(envelope(event_type, data, now, give_up_secs))
}

/// A ticket missed the deadline `due_at` (the earliest of its service levels' still to
/// meet: first response or resolution). Sent once per deadline by the SLA watch.
pub fn sla_breached(facts: &Facts<'_>, due_at: i64, now: i64, give_up_secs: i64) -> Event {
    let mut data = ticket_data(facts);
    data["due_at"] = json!(rfc3339(due_at));
    envelope("ticket.sla_breached", data, now, give_up_secs)
}

/// A known incident as webhooks describe it.
pub struct IncidentFacts<'a> {
    pub id: i64,
    pub title: &'a str,
    /// `None`: any category.
    pub category: Option<&'a str>,
    /// The closing message; `None` while open.
    pub closing_message: Option<&'a str>,
}

/// `incident.opened` or `incident.closed`.
pub fn incident(
    event_type: &'static str,
    facts: &IncidentFacts<'_>,
    now: i64,
    give_up_secs: i64,
) -> Event {
    let data = json!({
        "id": facts.id,
        "title": facts.title,
        "category": facts.category,
        "closing_message": facts.closing_message,
    });
    envelope(event_type, data, now, give_up_secs)
}

fn ticket_data(facts: &Facts<'_>) -> serde_json::Value {
    json!({
        "number": facts.number,
        "subject": facts.subject,
        "category": facts.category,
        "language": facts.language.code(),
        "status": facts.status.as_str(),
        "priority": facts.priority,
        "tier": facts.tier,
    })
}

fn rfc3339(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn envelope(
    event_type: &'static str,
    data: serde_json::Value,
    now: i64,
    give_up_secs: i64,
) -> Event {
    let body = json!({
        "type": event_type,
        "timestamp": rfc3339(now),
        "data": data,
    });
    Event {
        event_type,
        id: format!("msg_{}", crate::auth::session::new_token()),
        body: body.to_string(),
        now,
        give_up_at: now.saturating_add(give_up_secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_only_changes_send_nothing() {
        assert_eq!(type_of(&TicketChange::Created), Some("ticket.filed"));
        assert_eq!(
            type_of(&TicketChange::Reply { body: "x".into() }),
            Some("ticket.replied")
        );
        assert_eq!(
            type_of(&TicketChange::InternalNote { body: "x".into() }),
            None
        );
        assert_eq!(
            type_of(&TicketChange::AlsoAffected {
                name: "x".into(),
                email: "x@example.org".into()
            }),
            None
        );
        assert_eq!(type_of(&TicketChange::Assigned { to: None }), None);
        let resolved = TicketChange::Status {
            from: TicketStatus::InProgress,
            to: TicketStatus::Resolved,
            summary: None,
        };
        assert_eq!(type_of(&resolved), Some("ticket.resolved"));
        assert_eq!(type_of(&TicketChange::Confirmed), Some("ticket.changed"));
    }
}
