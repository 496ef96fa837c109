//! The data-access layer: the only code that writes SQL. Handlers call these functions
//! with plain values and get domain types back.

pub mod canned_responses;
pub mod categories;
pub mod flows;
pub mod incidents;
pub mod insight;
pub mod kb;
pub mod kb_authoring;
pub mod kb_images;
pub mod oidc_sign_ins;
pub mod queue;
pub mod requesters;
pub mod search;
pub mod self_service;
pub mod sessions;
pub mod sign_in_failures;
pub mod sign_in_links;
pub mod sla_watch;
pub mod staff;
pub mod staff_notifications;
pub mod staff_security;
pub mod storage;
pub mod ticket_grants;
pub mod ticket_lookups;
pub mod tickets;

/// SQLite reports a violated UNIQUE constraint with this extended code; we match on it
/// to turn "email already used" into a 409 instead of a 500.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A slug read from the database where a query hands it over outside a `FromRow`
/// struct (those say `#[sqlx(try_from = "String")]`): a stored value that is not a
/// slug is a decoding error, as it would be there.
pub(crate) fn slug_column(value: String) -> sqlx::Result<selfdesk_shared::slug::Slug> {
    selfdesk_shared::slug::Slug::try_from(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
