//! The Selfdesk portal, a Leptos single-page app.
//!
//! `app` wires the routes; `pages/` has one module per screen, following the user's
//! journey; `components/` holds widgets shared by pages; `api` is the only module that
//! talks HTTP; `session` knows who is signed in. Every visible string comes from the
//! catalogs in `locales/` through the generated `i18n` module.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
mod app;
pub mod components;
pub mod markdown;
pub mod pages;
pub mod session;

pub use app::App;
