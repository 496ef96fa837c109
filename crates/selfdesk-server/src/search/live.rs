//! This server's search index, kept in step with the database it shares with other
//! replicas.
//!
//! Database triggers count every change to published text in `kb_search_version`
//! (migration 0004). Each search first reads that one row; when the count moved, the
//! index re-reads the translations changed recently and applies them. So a write
//! through any replica is searchable on every replica by the next search, and a
//! replica holds nothing that another one needs. Saving synonyms moves the same count,
//! and catching up re-reads them too.

use std::sync::RwLock;
use std::sync::atomic::{AtomicI64, Ordering};

use selfdesk_shared::language::Language;
use tokio::sync::Mutex;

use super::analyze::{Query, Token, analysed};
use super::index::{Correction, FIELDS, Hit, LanguageIndex, Match};
use super::synonyms::Synonyms;
use crate::db::Db;
use crate::store::kb::{self, IndexText};
use crate::store::search as stored;
use crate::unix_now;

/// Rows are re-read by their `updated_at`, written by the writer's clock before its
/// transaction commits; re-reading a generous window catches slow commits and clock
/// differences between replicas.
const CHANGE_WINDOW_SECS: i64 = 120;

pub struct SearchIndex {
    languages: RwLock<[LanguageIndex; 4]>,
    synonyms: RwLock<[Synonyms; 4]>,
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

fn analyse(text: &IndexText) -> Option<(usize, [Vec<Token>; FIELDS])> {
    let lang = Language::from_tag(&text.lang)?;
    let summary = format!("{}\n{}", text.summary, text.tags);
    Some((
        slot(lang),
        [
            analysed(&text.title, lang),
            analysed(&summary, lang),
            analysed(&text.body, lang),
        ],
    ))
}

async fn load_synonyms(db: &Db) -> sqlx::Result<[Synonyms; 4]> {
    let groups = stored::synonym_groups(db).await?;
    Ok(Language::ALL.map(|lang| Synonyms::of_language(&groups, lang)))
}

/// What one search found in the index.
#[derive(Debug, Default)]
pub struct Found {
    /// Translation ids, best first: those in the language asked for, then English
    /// articles that have no translation in it.
    pub ids: Vec<i64>,
    /// The terms the query stood for (typos corrected, synonyms), for highlighting.
    pub terms: Vec<String>,
    pub correction: Option<Correction>,
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
                languages[slot].upsert(text.id, text.article_id, fields);
            }
        }
        for index in &mut languages {
            index.settle();
        }
        let synonyms = load_synonyms(db).await?;
        tracing::info!(translations = count, "search index built");
        Ok(Self {
            languages: RwLock::new(languages),
            synonyms: RwLock::new(synonyms),
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
            .map(|text| (text.id, text.article_id, text.published, analyse(text)))
            .collect();
        let synonyms = load_synonyms(db).await?;
        *self.synonyms.write().expect("synonyms lock") = synonyms;
        {
            let mut languages = self.languages.write().expect("index lock");
            for (id, article, published, analysed) in analysed {
                // A translation may have moved language: drop it everywhere first.
                for index in languages.iter_mut() {
                    index.remove(id);
                }
                if let (true, Some((slot, fields))) = (published, analysed) {
                    languages[slot].upsert(id, article, fields);
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

    /// The best `limit` published translations for `text` in `lang`. Articles only in
    /// English are found too, after those in `lang`, when the query's words (read as
    /// English) match them. A query that finds fewer than a few gets a correction when
    /// one finds more.
    pub fn search(&self, text: &str, mode: Match, lang: Language, limit: usize) -> Found {
        let query = Query::parse(text, lang);
        let languages = self.languages.read().expect("index lock");
        let synonyms = self.synonyms.read().expect("synonyms lock");
        let (index, own) = (&languages[slot(lang)], &synonyms[slot(lang)]);
        let mut hits: Vec<Hit> = index.search(&query, mode, own, limit);
        let mut terms = index.matched_terms(&query, own);
        if lang != Language::En && hits.len() < limit {
            let english = Query::parse(text, Language::En);
            let (en, en_synonyms) = (
                &languages[slot(Language::En)],
                &synonyms[slot(Language::En)],
            );
            // Asked for more: translated articles are dropped after ranking.
            let extra = en
                .search(
                    &english,
                    mode,
                    en_synonyms,
                    limit + index.len().min(limit * 4),
                )
                .into_iter()
                .filter(|hit| !index.has_article(hit.article))
                .take(limit - hits.len());
            let before = hits.len();
            hits.extend(extra);
            if hits.len() > before {
                terms.extend(en.matched_terms(&english, en_synonyms));
            }
        }
        let correction = match mode {
            Match::All => index.correct(&query, hits.len(), own),
            Match::Any => None,
        };
        Found {
            ids: hits.into_iter().map(|hit| hit.id).collect(),
            terms,
            correction,
        }
    }

    pub fn len(&self) -> usize {
        let languages = self.languages.read().expect("index lock");
        languages.iter().map(LanguageIndex::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
