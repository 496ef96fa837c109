//! What this browser keeps for a requester, in localStorage: the ticket being written
//! (so a reload, a crash or a lost connection loses nothing, and a retry reuses the
//! same idempotency key), their name and email for next time, and "My tickets" with
//! each ticket's access token.
//!
//! Values are JSON written by the browser (JSON.stringify/parse through
//! serde-wasm-bindgen), like API bodies, so serde_json stays out of the bundle.

use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::tickets::{DiagnosticTranscript, Impact, Urgency};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const DRAFT_KEY: &str = "selfdesk.ticket-draft";
const REQUESTER_KEY: &str = "selfdesk.requester";
const MY_TICKETS_KEY: &str = "selfdesk.my-tickets";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    let value = js_sys::JSON::parse(&text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// Returns false when the browser refused (storage full or disabled).
fn save<T: Serialize>(key: &str, value: &T) -> bool {
    let Ok(value) = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) else {
        return false;
    };
    let Ok(text) = js_sys::JSON::stringify(&value) else {
        return false;
    };
    storage().is_some_and(|s| s.set_item(key, &String::from(text)).is_ok())
}

fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

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
    load(DRAFT_KEY)
}

pub fn save_draft(draft: &TicketDraft) -> bool {
    save(DRAFT_KEY, draft)
}

pub fn clear_draft() {
    remove(DRAFT_KEY)
}

/// The requester's name and email, remembered for the next ticket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Requester {
    pub name: String,
    pub email: String,
}

pub fn load_requester() -> Option<Requester> {
    load(REQUESTER_KEY)
}

pub fn save_requester(requester: &Requester) {
    save(REQUESTER_KEY, requester);
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
    load(MY_TICKETS_KEY).unwrap_or_default()
}

/// Adds or refreshes a ticket in "My tickets" (newest first).
pub fn keep_ticket(ticket: KeptTicket) {
    let mut tickets = my_tickets();
    tickets.retain(|t| t.number != ticket.number);
    tickets.insert(0, ticket);
    save(MY_TICKETS_KEY, &tickets);
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
    save(MY_TICKETS_KEY, &tickets);
}

pub fn token_for(number: &str) -> Option<String> {
    my_tickets()
        .into_iter()
        .find(|t| t.number == number)
        .map(|t| t.token)
}

/// This tab's anonymous self-service session (see `selfdesk_shared::self_service`):
/// random, kept in sessionStorage, so it survives going to an article and back but
/// ends with the tab.
pub fn self_service_session() -> String {
    const KEY: &str = "selfdesk.self-service-session";
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|id| selfdesk_shared::self_service::valid_session(id))
    {
        return id;
    }
    let id = new_idempotency_key();
    if let Some(storage) = storage {
        let _ = storage.set_item(KEY, &id);
    }
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
