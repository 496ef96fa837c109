//! What this browser keeps for a requester: the ticket being written (so a reload, a
//! crash or a lost connection loses nothing, and a retry reuses the same idempotency
//! key; one that got no answer waits there to be sent), their name and email for next
//! time, "My tickets" with each ticket's access token, and the last few tickets' pages
//! as last read, for opening them offline (the token that reads them is kept here
//! anyway). Where and how they are kept: `web_storage::keys`.

use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::tickets::{DiagnosticTranscript, Impact, Urgency};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::web_storage::keys;

/// A ticket being written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketDraft {
    pub name: String,
    pub email: String,
    pub category: String,
    pub fields: BTreeMap<String, String>,
    pub subject: String,
    pub description: String,
    pub impact: Option<Impact>,
    pub urgency: Option<Urgency>,
    /// What guided diagnostics learned, when the user came from a flow.
    pub transcript: Option<DiagnosticTranscript>,
    /// Files uploaded for this ticket (kept a day on the server until it is sent).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Made at the first submit and kept until the ticket is filed: every retry of
    /// this submission sends the same key, so the server files it once.
    pub idempotency_key: Option<String>,
    /// The request body of the last submit (`api::ticket_body`): a retry sends it as
    /// it is, since the server refuses the key with any other.
    #[serde(default)]
    pub body: Option<String>,
    /// In the outbox: it was submitted and got no answer, and is sent again by itself
    /// when the network is back. The form's fields are locked meanwhile.
    #[serde(default)]
    pub waiting: bool,
    /// Milliseconds since 1970, when last written.
    pub saved_at: f64,
}

impl TicketDraft {
    /// Whether the user has typed anything worth restoring.
    pub fn has_content(&self) -> bool {
        !self.subject.trim().is_empty()
            || !self.description.trim().is_empty()
            || self.fields.values().any(|v| !v.trim().is_empty())
            || !self.attachments.is_empty()
    }
}

pub fn load_draft() -> Option<TicketDraft> {
    keys::ticket_draft().load()
}

/// What "My tickets" reads of the draft: whether it waits to be sent, and its subject.
/// Reading these alone keeps the whole draft's decoder out of the tracking app.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitingTicket {
    #[serde(default)]
    pub waiting: bool,
    #[serde(default)]
    pub subject: String,
}

/// The draft's subject when it waits to be sent.
pub fn waiting_subject() -> Option<String> {
    keys::ticket_draft_waiting()
        .load()
        .filter(|d: &WaitingTicket| d.waiting)
        .map(|d| d.subject)
}

/// Returns false when the browser refused (storage full or disabled).
pub fn save_draft(draft: &TicketDraft) -> bool {
    keys::ticket_draft().save(draft)
}

pub fn clear_draft() {
    keys::ticket_draft().remove()
}

/// The requester's name and email, remembered for the next ticket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Requester {
    pub name: String,
    pub email: String,
}

pub fn load_requester() -> Option<Requester> {
    keys::requester().load()
}

pub fn save_requester(requester: &Requester) {
    keys::requester().save(requester);
}

/// A ticket filed from this browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptTicket {
    pub number: String,
    pub subject: String,
    /// Opens the ticket; the server has only its hash.
    pub token: String,
    pub created_at: i64,
}

pub fn my_tickets() -> Vec<KeptTicket> {
    keys::my_tickets().load().unwrap_or_default()
}

/// Adds or refreshes a ticket in "My tickets" (newest first).
pub fn keep_ticket(ticket: KeptTicket) {
    let mut tickets = my_tickets();
    tickets.retain(|t| t.number != ticket.number);
    tickets.insert(0, ticket);
    keys::my_tickets().save(&tickets);
}

/// After "someone else has my link": the kept ticket opens with the new token.
pub fn replace_token(number: &str, old: &str, new: &str) {
    let mut tickets = my_tickets();
    for ticket in tickets
        .iter_mut()
        .filter(|t| t.number == number && t.token == old)
    {
        ticket.token = new.to_owned();
    }
    keys::my_tickets().save(&tickets);
}

pub fn token_for(number: &str) -> Option<String> {
    my_tickets()
        .into_iter()
        .find(|t| t.number == number)
        .map(|t| t.token)
}

/// A ticket's page as it was last read here, shown when it is opened offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeenTicket {
    pub number: String,
    /// The server's answer as it came (`api::ticket`).
    pub answer: String,
    /// Milliseconds since 1970, when it was read.
    pub at: f64,
}

/// How many tickets' last state are kept (the ones read most recently): a requester
/// follows a few at a time, and each holds its whole conversation.
const SEEN_KEPT: usize = 10;

/// Keeps `answer` (the ticket's page as the server gave it) as its last known state.
pub fn remember_seen(number: &str, answer: String) {
    let mut seen = keys::tickets_seen().load().unwrap_or_default();
    seen.retain(|s: &SeenTicket| s.number != number);
    seen.insert(
        0,
        SeenTicket {
            number: number.to_owned(),
            answer,
            at: js_sys::Date::now(),
        },
    );
    seen.truncate(SEEN_KEPT);
    keys::tickets_seen().save(&seen);
}

/// The ticket's last known state, if it was read here.
pub fn last_seen(number: &str) -> Option<SeenTicket> {
    keys::tickets_seen()
        .load()?
        .into_iter()
        .find(|s| s.number == number)
}

/// The ticket no longer opens with the link kept here: nor does its saved state.
pub fn forget_seen(number: &str) {
    let key = keys::tickets_seen();
    if let Some(mut seen) = key.load() {
        seen.retain(|s| s.number != number);
        key.save(&seen);
    }
}

/// This tab's anonymous self-service session (see `selfdesk_shared::self_service`):
/// random, kept in sessionStorage, so it survives going to an article and back but
/// ends with the tab.
pub fn self_service_session() -> String {
    let key = keys::self_service_session();
    if let Some(id) = key
        .load()
        .filter(|id| selfdesk_shared::self_service::valid_session(id))
    {
        return id;
    }
    let id = new_idempotency_key();
    key.save(&id);
    id
}

/// A random idempotency key (a UUID from the browser's CSPRNG).
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "k-{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}
