//! Widgets shared by several pages.

pub mod article_fields;
pub mod article_stats;
pub mod attachment_picker;
pub mod dates;
pub mod debounced;
pub mod focus_on_navigate;
pub mod form;
pub mod kb_search;
pub mod language;
pub mod layout;
pub mod markdown_editor;
pub mod markdown_text;
pub mod numbers;
pub mod page_title;
pub mod rendered_text;
pub mod revision_history;
pub mod staff_only;
pub mod status;
pub mod ticket_timeline;
pub mod ticket_words;
pub mod vote;
