//! Unsaved article edits, kept in this browser (localStorage) per article and
//! language, so a reload, a crash or a failed save loses nothing. A draft is removed
//! once the server has the same text.

use selfdesk_shared::language::Language;
use serde::{Deserialize, Serialize};

use crate::web_storage::keys;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub title: String,
    pub summary: String,
    /// As typed: comma-separated.
    pub tags: String,
    pub category: String,
    pub body: String,
    /// The revision these edits started from; saving sends it, so edits made over
    /// someone else's newer revision are refused rather than overwrite it.
    pub base_revision: Option<i64>,
    /// When it was written, in milliseconds since 1970.
    pub saved_at: f64,
}

pub fn load(slug: &str, lang: Language) -> Option<ArticleDraft> {
    keys::article_draft(slug, lang).load()
}

/// Returns false when the browser refused (storage full or disabled).
pub fn store(slug: &str, lang: Language, draft: &ArticleDraft) -> bool {
    keys::article_draft(slug, lang).save(draft)
}

pub fn clear(slug: &str, lang: Language) {
    keys::article_draft(slug, lang).remove()
}
