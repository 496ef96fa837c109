//! This server's search index, kept in step with the database it shares with other
//! replicas.
//!
//! Database triggers count every change to published text in `kb_search_version`
//! (migration 0004). Each search first reads that one row; when the count moved, the
//! index re-reads the translations changed recently and applies them. So a write
//! through any replica is searchable on every replica by the next search, and a
//! replica holds nothing that another one needs.

use std::sync::RwLock;
use std::sync::atomic::{AtomicI64, Ordering};

use selfdesk_shared::language::Language;
use tokio::sync::Mutex;

use super::analyze::{Query, tokens};
use super::index::{FIELDS, LanguageIndex, Match};
use crate::db::Db;
use crate::store::kb::{self, IndexText};
use crate::unix_now;

/// Rows are re-read by their `updated_at`, written by the writer's clock before its
/// transaction commits; re-reading a generous window catches slow commits and clock
/// differences between replicas.
const CHANGE_WINDOW_SECS: i64 = 120;

pub struct SearchIndex {
    languages: RwLock<[LanguageIndex; 4]>,
    /// The change count the index reflects; read without locking on every search.
    version: AtomicI64,
    /// Held while catching up, so concurrent searches do the work once.
    catching_up: Mutex<i64>,
}

fn slot(lang: Language) -> usize {
    Language::ALL
        .iter()
        .position(|&l| l == lang)
        .expect("every language is in ALL")
}

fn analyse(text: &IndexText) -> Option<(usize, [Vec<String>; FIELDS])> {
    let lang = Language::from_tag(&text.lang)?;
    let summary = format!("{}\n{}", text.summary, text.tags);
    Some((
        slot(lang),
        [
            tokens(&text.title, lang),
            tokens(&summary, lang),
            tokens(&text.body, lang),
        ],
    ))
}

impl SearchIndex {
    /// Builds the index from every published translation.
    pub async fn load(db: &Db) -> sqlx::Result<Self> {
        let started = unix_now();
        let version = kb::search_version(db).await?;
        let texts = kb::published_index_texts(db).await?;
        let mut languages: [LanguageIndex; 4] = Default::default();
        let count = texts.len();
        for text in texts {
            if let Some((slot, fields)) = analyse(&text) {
                languages[slot].upsert(text.id, fields);
            }
        }
        tracing::info!(translations = count, "search index built");
        Ok(Self {
            languages: RwLock::new(languages),
            version: AtomicI64::new(version),
            catching_up: Mutex::new(started),
        })
    }

    /// Applies changes made through any replica since the last call.
    pub async fn catch_up(&self, db: &Db) -> sqlx::Result<()> {
        let version = kb::search_version(db).await?;
        if version == self.version.load(Ordering::Acquire) {
            return Ok(());
        }
        let mut since = self.catching_up.lock().await;
        if version <= self.version.load(Ordering::Acquire) {
            return Ok(()); // another search caught up meanwhile
        }
        let started = unix_now();
        // Read after the version: a change that commits from here on moves the version
        // past the one stored below, so the next search comes back for it.
        let changed = kb::index_texts_changed_since(db, *since - CHANGE_WINDOW_SECS).await?;
        let analysed: Vec<_> = changed
            .iter()
            .map(|text| (text.id, text.published, analyse(text)))
            .collect();
        {
            let mut languages = self.languages.write().expect("index lock");
            for (id, published, analysed) in analysed {
                // A translation may have moved language: drop it everywhere first.
                for index in languages.iter_mut() {
                    index.remove(id);
                }
                if let (true, Some((slot, fields))) = (published, analysed) {
                    languages[slot].upsert(id, fields);
                }
            }
        }
        // Rows deleted outright leave no `updated_at` to find; a count tells.
        let expected = kb::published_translation_count(db).await?;
        if expected != self.len() as i64 {
            tracing::warn!(expected, indexed = self.len(), "search index rebuilt");
            let fresh = Self::load(db).await?;
            *self.languages.write().expect("index lock") =
                fresh.languages.into_inner().expect("fresh lock");
        }
        *since = started;
        self.version.store(version, Ordering::Release);
        Ok(())
    }

    /// The ids of the best `limit` published translations in `lang`, best first.
    pub fn search(&self, query: &Query, mode: Match, lang: Language, limit: usize) -> Vec<i64> {
        let languages = self.languages.read().expect("index lock");
        languages[slot(lang)]
            .search(query, mode, limit)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    pub fn len(&self) -> usize {
        let languages = self.languages.read().expect("index lock");
        languages.iter().map(LanguageIndex::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
