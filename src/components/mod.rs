//! Widgets shared by several pages.

pub mod dates;
pub mod kb_search;
pub mod language;
pub mod layout;
pub mod status;
pub mod vote;
