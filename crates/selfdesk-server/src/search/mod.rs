//! Knowledge-base search.
//!
//! Text is analysed here, in Rust, the same way for indexing and for queries:
//! split into words, each word stemmed with the Snowball stemmer of its language
//! ("printers" → "printer", «принтера» → «принтер», « imprimantes » → « imprimant »),
//! then folded to lower case without diacritics. Each server ranks those tokens in its
//! own in-memory index (`index.rs`, kept current by `live.rs`); the database only
//! stores the text and counts changes, so SQLite and PostgreSQL rank alike.

pub mod analyze;
pub mod flows;
pub mod index;
pub mod live;
pub mod snippet;

use selfdesk_shared::kb::SearchHit;
use selfdesk_shared::language::Language;

pub use self::index::Match;
pub use self::live::SearchIndex;
use crate::db::Db;
use crate::store::kb;

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
) -> sqlx::Result<Vec<SearchHit>> {
    let query = analyze::Query::parse(text, lang);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    index.catch_up(db).await?;
    let ids = index.search(&query, mode, lang, limit);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = kb::search_rows(db, &ids).await?;
    let analyzer = analyze::Analyzer::new(lang);
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            title: snippet::highlight(&row.title, &query, &analyzer),
            excerpt: snippet::excerpt(&format!("{}\n{}", row.summary, row.body), &query, &analyzer),
            slug: row.slug,
            lang: Language::from_tag(&row.lang).unwrap_or(lang),
            category: row.category,
        })
        .collect())
}
