//! Knowledge-base search.
//!
//! Text is analysed here, in Rust, the same way for indexing and for queries:
//! split into words, each word stemmed with the Snowball stemmer of its language
//! ("printers" → "printer", «принтера» → «принтер», « imprimantes » → « imprimant »),
//! then folded to lower case without diacritics. The database only ever sees these
//! analysed tokens — SQLite through FTS5 (bm25), PostgreSQL through a `tsvector` with
//! the `simple` configuration (ts_rank) — so both rank the same words the same way.

pub mod analyze;
pub mod snippet;

use selfdesk_shared::kb::SearchHit;
use selfdesk_shared::language::Language;

use crate::db::Db;
use crate::store::kb;

/// Everything `GET /api/v1/kb/search` does after validating input: analyse the query,
/// ask the index, cut highlighted excerpts. The benchmark measures this same function.
pub async fn search_kb(
    db: &Db,
    text: &str,
    lang: Language,
    limit: i64,
) -> sqlx::Result<Vec<SearchHit>> {
    let query = analyze::Query::parse(text, lang);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let rows = kb::search(db, &query, lang, limit).await?;
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
