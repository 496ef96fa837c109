//! Unsaved article edits, kept in this browser (localStorage) per article and
//! language, so a reload, a crash or a failed save loses nothing. A draft is removed
//! once the server has the same text.

use selfdesk_shared::language::Language;
use serde::{Deserialize, Serialize};

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

fn key(slug: &str, lang: Language) -> String {
    format!("selfdesk.kb-draft.{slug}.{}", lang.code())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(slug: &str, lang: Language) -> Option<ArticleDraft> {
    let text = storage()?.get_item(&key(slug, lang)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Returns false when the browser refused (storage full or disabled).
pub fn store(slug: &str, lang: Language, draft: &ArticleDraft) -> bool {
    let Ok(text) = serde_json::to_string(draft) else {
        return false;
    };
    storage().is_some_and(|s| s.set_item(&key(slug, lang), &text).is_ok())
}

pub fn clear(slug: &str, lang: Language) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(slug, lang));
    }
}
