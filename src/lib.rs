//! The Selfdesk web apps (Leptos, client-side rendered): the portal, diagnostics, the
//! ticket form, a requester's tickets, a ticket's page, the staff desk, the staff
//! area's editors and admin pages, and Insight, built as eight wasm modules from this
//! one library.
//!
//! `app` wires the routes of all of them; `pages/` has one module per screen, following the user's
//! journey; `components/` holds widgets shared by pages; `api` is the only module that
//! talks HTTP; `web_storage` is the only one that keeps anything in the browser;
//! `session` knows who is signed in. Every visible string comes from the catalogs in
//! `locales/` through the generated `i18n` module.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod app;
pub mod beacon_batch;
pub mod browser_checks;
pub mod components;
pub mod drafts;
pub mod editing;
pub mod fetch;
pub mod js_decode;
pub mod live;
pub mod markdown;
pub mod next_task;
pub mod pages;
pub mod requester_sign_in;
pub mod requester_storage;
pub mod router;
pub mod say;
pub mod search_reports;
pub mod session;
pub mod text;
pub mod walk_reports;
pub mod web_storage;

pub use app::{
    DiagnoseApp, FilingApp, InsightApp, ManageApp, MyTicketsApp, PortalApp, StaffApp, TrackingApp,
};
