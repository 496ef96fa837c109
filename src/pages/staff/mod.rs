//! The staff area: signed-in technicians and administrators.

pub mod article_editor;
pub mod articles;
pub mod canned_responses;
pub mod categories;
pub mod email_settings;
pub mod flow_editor;
pub mod flows;
pub mod home;
pub mod incidents;
pub mod mail_in;
pub mod new_article;
pub mod outbox;
pub mod queue;
pub mod queue_keys;
pub mod reach_services;
pub mod reply_box;
pub mod reset_password;
pub mod search_gaps;
pub mod security;
pub mod service_levels;
pub mod synonyms;
pub mod ticket;
pub mod webhooks;
