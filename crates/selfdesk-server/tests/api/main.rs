//! API tests: each test starts the real server on a free 127.0.0.1 port with a fresh
//! SQLite file and talks to it over HTTP.

mod auth;
mod copy_to_postgres;
mod crash;
mod email_in;
mod email_sign_in;
mod errors;
mod flows;
mod hardening;
mod health;
mod helpers;
mod imap;
mod insight;
mod kb;
mod kb_authoring;
mod oidc;
mod outbox;
mod private_portal;
mod queue;
mod scale_out;
mod schema;
mod search;
mod search_admin;
mod seed_history;
mod self_service;
mod smtp;
mod spa;
mod staff;
mod staff_email;
mod staff_security;
mod ticket_email;
mod tickets;
mod webhooks;
