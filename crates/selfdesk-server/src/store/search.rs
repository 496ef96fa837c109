//! What the search learns from people: the synonym groups staff keep per language, and
//! the anonymous log of searches (see `selfdesk_shared::search`).
//!
//! Every write to the synonyms moves `kb_search_version` first, in its own
//! transaction: every replica's index notices on its next search (`search::live`),
//! and the row lock that update takes (the write lock on SQLite) lets one synonym
//! write at a time check the language's groups and words, so the limits hold under
//! concurrent writes on any number of replicas.

use std::collections::BTreeMap;

use selfdesk_shared::language::Language;
use selfdesk_shared::search::{MAX_SYNONYM_GROUPS_PER_LANGUAGE, SearchGap, SynonymGroup};

use crate::db::Db;
use crate::with_pool;

/// Every synonym group of every language, by language and then first word.
pub async fn synonym_groups(db: &Db) -> sqlx::Result<Vec<SynonymGroup>> {
    list_synonym_groups(db, None).await
}

/// The synonym groups of `lang` (all languages for `None`), by language and then
/// first word.
pub async fn list_synonym_groups(
    db: &Db,
    lang: Option<Language>,
) -> sqlx::Result<Vec<SynonymGroup>> {
    let rows: Vec<(i64, String, i64, String)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT g.id, g.lang, g.updated_at, w.word
             FROM search_synonym_groups g JOIN search_synonyms w ON w.group_id = g.id
             WHERE $1 IS NULL OR g.lang = $1
             ORDER BY g.id, w.position",
        )
        .bind(lang.map(Language::code))
        .fetch_all(pool)
        .await
    })?;
    let mut groups: BTreeMap<i64, SynonymGroup> = BTreeMap::new();
    for (id, lang, updated_at, word) in rows {
        match groups.get_mut(&id) {
            Some(group) => group.words.push(word),
            None => {
                let group = SynonymGroup {
                    id,
                    lang: language(&lang)?,
                    words: vec![word],
                    updated_at,
                };
                groups.insert(id, group);
            }
        }
    }
    let mut groups: Vec<SynonymGroup> = groups.into_values().collect();
    groups.sort_by(|a, b| {
        (a.lang.code(), &a.words[0], a.id).cmp(&(b.lang.code(), &b.words[0], b.id))
    });
    Ok(groups)
}

fn language(code: &str) -> sqlx::Result<Language> {
    Language::from_tag(code).ok_or_else(|| {
        sqlx::Error::Decode(format!("{code:?} is not one of the portal's languages").into())
    })
}

/// How saving a synonym group ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynonymWrite {
    Saved(SynonymGroup),
    /// No group has this id.
    NotFound,
    /// The language already has [`MAX_SYNONYM_GROUPS_PER_LANGUAGE`] other groups.
    TooManyGroups,
    /// This word (normalised) is already in another group of the language.
    WordTaken(String),
}

/// Creates a group (`id` `None`) or replaces group `id` with `words` in `lang`: words
/// already checked and normalised (`selfdesk_shared::search::synonym_words`), kept in
/// their order. Nothing is written unless the whole group is saved.
pub async fn save_synonym_group(
    db: &Db,
    id: Option<i64>,
    lang: Language,
    words: &[String],
    now: i64,
) -> sqlx::Result<SynonymWrite> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            // First, so that synonym writes queue here one at a time (see above).
            sqlx::query(BUMP_SEARCH_VERSION).execute(&mut *tx).await?;
            if let Some(id) = id {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM search_synonym_groups WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Ok(SynonymWrite::NotFound);
                }
            }
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM search_synonym_groups
                 WHERE lang = $1 AND ($2 IS NULL OR id <> $2)",
            )
            .bind(lang.code())
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if others >= MAX_SYNONYM_GROUPS_PER_LANGUAGE as i64 {
                return Ok(SynonymWrite::TooManyGroups);
            }
            for word in words {
                let owner: Option<i64> = sqlx::query_scalar(
                    "SELECT group_id FROM search_synonyms WHERE lang = $1 AND word = $2",
                )
                .bind(lang.code())
                .bind(word)
                .fetch_optional(&mut *tx)
                .await?;
                if owner.is_some_and(|owner| Some(owner) != id) {
                    return Ok(SynonymWrite::WordTaken(word.clone()));
                }
            }
            let id = match id {
                Some(id) => {
                    sqlx::query("DELETE FROM search_synonyms WHERE group_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "UPDATE search_synonym_groups SET lang = $2, updated_at = $3
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(lang.code())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO search_synonym_groups (lang, updated_at) VALUES ($1, $2)
                         RETURNING id",
                    )
                    .bind(lang.code())
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            for (position, word) in words.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO search_synonyms (lang, word, group_id, position)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(lang.code())
                .bind(word)
                .bind(id)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(SynonymWrite::Saved(SynonymGroup {
                id,
                lang,
                words: words.to_vec(),
                updated_at: now,
            }))
        }
        .await
    })
}

/// Deletes group `id` and its words; `false` when there is no such group.
pub async fn delete_synonym_group(db: &Db, id: i64) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(BUMP_SEARCH_VERSION).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM search_synonyms WHERE group_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let deleted = sqlx::query("DELETE FROM search_synonym_groups WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Nothing changed: the version stays where it was.
            if deleted > 0 {
                tx.commit().await?;
            }
            Ok(deleted > 0)
        }
        .await
    })
}

/// Moves the count every replica's search index compares with its own.
const BUMP_SEARCH_VERSION: &str = "UPDATE kb_search_version SET version = version + 1 WHERE id = 1";

/// One search as stored: hashes for the ids, the query already normalised.
#[derive(Debug, Clone, Copy)]
pub struct SearchRecord<'a> {
    pub id_hash: &'a str,
    pub session_hash: Option<&'a str>,
    pub lang: Language,
    pub query: &'a str,
    pub hits: u32,
    pub opened: Option<&'a str>,
}

/// Records one report of a search: the latest report of an id replaces the query,
/// language and hits; a session or opened article once known is kept.
pub async fn record_search(db: &Db, search: &SearchRecord<'_>, now: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO search_log (id_hash, session_hash, lang, query, hits, opened,
                                     created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
             ON CONFLICT (id_hash) DO UPDATE SET
                lang = $3, query = $4, hits = $5, updated_at = $7,
                session_hash = COALESCE($2, search_log.session_hash),
                opened = COALESCE($6, search_log.opened)",
        )
        .bind(search.id_hash)
        .bind(search.session_hash)
        .bind(search.lang.code())
        .bind(search.query)
        .bind(i64::from(search.hits))
        .bind(search.opened)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The queries one session searched since `since`, oldest first (each search's latest
/// words). Bounded by time so that the read is a range of the time index.
pub async fn session_queries(db: &Db, session_hash: &str, since: i64) -> sqlx::Result<Vec<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT query FROM search_log WHERE created_at >= $1 AND session_hash = $2
             ORDER BY created_at, id_hash LIMIT 200",
        )
        .bind(since)
        .bind(session_hash)
        .fetch_all(pool)
        .await
    })
}

/// Searches made since `since`, in `lang` or all languages.
pub async fn search_count(db: &Db, since: i64, lang: Option<Language>) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM search_log WHERE created_at >= $1 AND ($2 IS NULL OR lang = $2)",
        )
        .bind(since)
        .bind(lang.map(Language::code))
        .fetch_one(pool)
        .await
    })
}

/// Which searches a gaps list counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Searches that found nothing.
    NoResults,
    /// Queries that found something, where no search of them opened an article.
    NotOpened,
}

/// The most frequent queries of one kind of gap since `since`, at most `limit`, with
/// how many of the sessions that searched them filed a ticket. Ties go by query and
/// language, in byte order on both databases (PostgreSQL's `query` column is
/// `COLLATE "C"`).
pub async fn gaps(
    db: &Db,
    gap: Gap,
    since: i64,
    lang: Option<Language>,
    limit: u32,
) -> sqlx::Result<Vec<SearchGap>> {
    let (hits, having) = match gap {
        Gap::NoResults => ("l.hits = 0", ""),
        Gap::NotOpened => ("l.hits > 0", "HAVING COUNT(l.opened) = 0"),
    };
    // Only fixed text is spliced in; every value is bound.
    let sql = format!(
        "SELECT l.lang, l.query, COUNT(*),
                COUNT(DISTINCT CASE WHEN EXISTS (
                    SELECT 1 FROM tickets t WHERE t.self_service_session_hash = l.session_hash
                ) THEN l.session_hash END),
                MAX(l.created_at)
         FROM search_log l
         WHERE l.created_at >= $1 AND ($2 IS NULL OR l.lang = $2) AND {hits}
         GROUP BY l.lang, l.query
         {having}
         ORDER BY COUNT(*) DESC, l.query, l.lang
         LIMIT $3"
    );
    let rows: Vec<(String, String, i64, i64, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(since)
            .bind(lang.map(Language::code))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
    })?;
    rows.into_iter()
        .map(|(lang, query, searches, tickets, last_searched_at)| {
            Ok(SearchGap {
                query,
                lang: language(&lang)?,
                searches,
                tickets,
                last_searched_at,
            })
        })
        .collect()
}

/// Deletes the searches made before `before`; returns how many.
pub async fn delete_searches_before(db: &Db, before: i64) -> sqlx::Result<u64> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM search_log WHERE created_at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })
}
