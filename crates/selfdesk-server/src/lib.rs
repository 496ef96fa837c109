//! The Selfdesk server: one process serves the single-page apps and the REST API.
//!
//! Layout: `config` (flags and environment) → `startup` (builds the router and
//! listens) → `routes/` (one module per resource, the HTTP edge) → `store/` (the only
//! code that speaks SQL). `auth/` holds passwords, sessions and sign-in throttling;
//! `protect/` holds the defences against abuse (client address, rate limits, stream
//! caps, cross-site check, headers); `mail/` sends ticket emails over SMTP; `error` is the one error type every handler
//! returns.

pub mod auth;
pub mod config;
pub mod copy_to_postgres;
pub mod db;
pub mod error;
pub mod flows;
pub mod insight;
pub mod mail;
pub mod mail_in;
pub mod openapi;
pub mod outbox;
pub mod protect;
pub mod replica_copy;
pub mod routes;
pub mod search;
pub mod seed;
pub mod spa;
pub mod startup;
pub mod state;
pub mod store;
pub mod tickets;
pub mod webhooks;

/// Lower-case hex SHA-256: how the server names stored secrets (tokens, keys) and
/// content-addressed files.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch: timestamps are stored as integers so the same SQL
/// works on SQLite and PostgreSQL.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
