//! Selfdesk's wire format and pure domain logic.
//!
//! Both the server and the browser app depend on this crate, so a request or response
//! type is defined exactly once and the two sides cannot drift apart. Nothing here does
//! I/O: everything compiles for the host and for `wasm32-unknown-unknown` and is tested
//! on the host.

pub mod areas;
pub mod attachments;
pub mod auth;
pub mod canned;
pub mod categories;
pub mod diff;
pub mod email;
pub mod error;
pub mod flows;
pub mod health;
pub mod incidents;
pub mod insight;
pub mod kb;
pub mod kb_authoring;
pub mod language;
pub mod mail_in;
pub mod markdown;
pub mod offline;
pub mod outbox;
pub mod queue;
pub mod requester;
pub mod search;
pub mod self_service;
pub mod sla;
pub mod slug;
mod tagged_decoders;
pub mod ticket_number;
pub mod ticket_state;
pub mod tickets;
pub mod tier;
pub mod webhooks;

/// Every REST endpoint lives under this prefix.
pub const API_PREFIX: &str = "/api/v1";
