//! Knowledge-base search.
//!
//! Text is analysed here, in Rust, the same way for indexing and for queries:
//! split into words, each word stemmed with the Snowball stemmer of its language
//! ("printers" → "printer", «принтера» → «принтер», « imprimantes » → « imprimant »),
//! then folded to lower case without diacritics. Each server ranks those tokens in its
//! own in-memory index (`index.rs`, kept current by `live.rs`); the database only
//! stores the text and counts changes, so SQLite and PostgreSQL rank alike.

pub mod analyze;
mod dictionary;
pub mod flows;
mod forms;
pub mod index;
pub mod inflection_tables;
pub mod live;
pub mod snippet;
pub mod synonyms;

use selfdesk_shared::kb::SearchHit;
use selfdesk_shared::language::Language;
use selfdesk_shared::search::Suggestion;

pub use self::index::Match;
pub use self::live::SearchIndex;
use crate::db::Db;
use crate::store::kb;

/// What `GET /api/v1/kb/search` answers with, besides flows.
#[derive(Debug, Default)]
pub struct KbResults {
    pub hits: Vec<SearchHit>,
    pub suggestion: Option<Suggestion>,
}

/// Everything `GET /api/v1/kb/search` does after validating input: analyse the query,
/// bring the index up to date, rank, load the winners' text and cut highlighted
/// excerpts. The benchmark measures this same function.
pub async fn search_kb(
    db: &Db,
    index: &SearchIndex,
    text: &str,
    lang: Language,
    mode: Match,
    limit: usize,
) -> sqlx::Result<KbResults> {
    let mut query = analyze::Query::parse(text, lang);
    if query.is_empty() {
        return Ok(KbResults::default());
    }
    index.catch_up(db).await?;
    let found = index.search(text, mode, lang, limit);
    let suggestion = found.correction.map(|c| Suggestion {
        query: corrected(text, &c.replace),
        hits: c.hits as u32,
    });
    if found.ids.is_empty() {
        return Ok(KbResults {
            hits: Vec::new(),
            suggestion,
        });
    }
    let rows = kb::search_rows(db, &found.ids).await?;
    // Words found through a typo or a synonym are highlighted like the typed ones.
    query.terms.extend(found.terms);
    let hits = rows
        .into_iter()
        .map(|row| {
            let row_lang = Language::from_tag(&row.lang).unwrap_or(lang);
            let analyzer = analyze::Analyzer::new(row_lang);
            SearchHit {
                title: snippet::highlight(&row.title, &query, &analyzer),
                excerpt: snippet::excerpt(
                    &format!("{}\n{}", row.summary, row.body),
                    &query,
                    &analyzer,
                ),
                slug: row.slug,
                lang: row_lang,
                category: row.category,
            }
        })
        .collect();
    Ok(KbResults { hits, suggestion })
}

/// `text` with each corrected word replaced, as words separated by spaces.
fn corrected(text: &str, replace: &[(String, String)]) -> String {
    analyze::words(text)
        .map(|word| {
            let folded = analyze::fold(word);
            replace
                .iter()
                .find(|(typed, _)| *typed == folded)
                .map_or(word, |(_, better)| better.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ")
}
