//! Every key the web apps keep in this browser. Names are those used before the store
//! existed, so what browsers hold today is still found; a name that is the start of
//! another (`selfdesk.vote.` and `selfdesk.voter`) must stay distinct as a whole.
//! Raise a key's version when its type's stored form changes (see the parent module
//! for what happens to the old values).

use selfdesk_shared::language::Language;

use super::{Area, Key};
use crate::components::vote::Answer;
use crate::drafts::ArticleDraft;
use crate::pages::diagnose::check_step::FoundAt;
use crate::pages::staff::flow_editor::FlowDraft;
use crate::pages::staff::reply_box::KeptReply;
use crate::requester_storage::{KeptTicket, Requester, SeenTicket, TicketDraft, WaitingTicket};

// Kept in localStorage.

/// The language the reader chose in the menu (never the negotiated one, so a change of
/// the browser's languages still applies to readers who did not choose).
pub fn language() -> Key<Language> {
    Key::new(Area::Local, "selfdesk.language", 1)
}

/// This browser's anonymous voter id for "Did this help?".
pub fn voter() -> Key<String> {
    Key::new(Area::Local, "selfdesk.voter", 1)
}

/// The answer this browser gave to "Did this help?" on one article.
pub fn vote(slug: &str) -> Key<Answer> {
    Key::new(Area::Local, format!("selfdesk.vote.{slug}"), 1)
}

/// The ticket being written, with its idempotency key.
pub fn ticket_draft() -> Key<TicketDraft> {
    Key::new(Area::Local, "selfdesk.ticket-draft", 1)
}

/// The same stored draft, read for two of its fields only (never written this way).
pub fn ticket_draft_waiting() -> Key<WaitingTicket> {
    Key::new(Area::Local, "selfdesk.ticket-draft", 1)
}

/// The requester's name and email, for their next ticket.
pub fn requester() -> Key<Requester> {
    Key::new(Area::Local, "selfdesk.requester", 1)
}

/// "My tickets": each ticket filed or opened here, with the token that opens it.
/// Records, not a draft: a new format must migrate these rather than drop them, and
/// what this build cannot read is kept aside.
pub fn my_tickets() -> Key<Vec<KeptTicket>> {
    Key::new(Area::Local, "selfdesk.my-tickets", 1).records()
}

/// The last few tickets' pages as last read, for opening them offline. A cache: what
/// this build cannot read is dropped, and the next read writes it again.
pub fn tickets_seen() -> Key<Vec<SeenTicket>> {
    Key::new(Area::Local, "selfdesk.tickets-seen", 1)
}

/// Unsaved edits of one article in one language.
pub fn article_draft(slug: &str, language: Language) -> Key<ArticleDraft> {
    Key::new(
        Area::Local,
        format!("selfdesk.kb-draft.{slug}.{}", language.code()),
        1,
    )
}

/// Unsaved source of one flow.
pub fn flow_draft(slug: &str) -> Key<FlowDraft> {
    Key::new(Area::Local, format!("selfdesk.flow-draft.{slug}"), 1)
}

/// A technician's unsent reply or note on one ticket.
pub fn staff_reply(number: &str) -> Key<KeptReply> {
    Key::new(Area::Local, format!("selfdesk.staff-reply.{number}"), 1)
}

// Kept in sessionStorage: they end with the tab.

/// This tab's anonymous self-service session.
pub fn self_service_session() -> Key<String> {
    Key::new(Area::Session, "selfdesk.self-service-session", 1)
}

/// The id of this tab's walk through one flow, while it lasts.
pub fn walk(slug: &str) -> Key<String> {
    Key::new(Area::Session, format!("selfdesk.walk.{slug}"), 1)
}

/// What the browser found at the check nodes of one flow's walk in this tab, until the
/// walk ends in a ticket (see `pages::diagnose::check_step`).
pub fn check_findings(slug: &str) -> Key<Vec<FoundAt>> {
    Key::new(Area::Session, format!("selfdesk.check-findings.{slug}"), 1)
}

/// The ticket numbers the queue showed last, in order, for `n` / `p` on a ticket.
/// Before versions this was the numbers joined with commas; such a value is dropped
/// (the next look at the queue writes it again).
pub fn queue_order() -> Key<Vec<String>> {
    Key::new(Area::Session, "selfdesk.queue-order", 1)
}
