//! Widgets shared by several pages.

pub mod language;
pub mod layout;
pub mod status;
