//! The staff area: signed-in technicians and administrators.

pub mod article_editor;
pub mod articles;
pub mod home;
pub mod new_article;
