//! The mail read from the help desk's mailbox, as admins see it: what each message
//! became, and above all what was refused and why.

use serde::{Deserialize, Serialize};

/// What a message can become, in the order admins filter by.
pub const OUTCOMES: [&str; 5] = ["replied", "reopened", "filed", "ignored", "rejected"];

/// One message read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MailInEntry))]
pub struct MailInEntry {
    pub id: i64,
    /// The Message-ID, or `sha256:` and the raw message's hash when it has none.
    pub message_key: String,
    pub received_at: i64,
    pub sender: String,
    pub subject: String,
    /// `replied`, `reopened`, `filed`, `ignored` or `rejected`.
    pub outcome: String,
    /// The ticket it was added to or filed as.
    pub ticket_number: Option<String>,
    /// Why it was ignored or refused, or what was left out (a refused attachment).
    pub reason: Option<String>,
}

/// The newest messages read, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailInList {
    pub messages: Vec<MailInEntry>,
}
