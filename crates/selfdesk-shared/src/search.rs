//! Search beyond the results: the synonyms the help desk teaches it, the reports the
//! browser sends about each search, and the searches that found nothing, for staff to
//! turn into articles.

use serde::{Deserialize, Serialize};

use crate::error::Reason;
use crate::language::Language;
use crate::slug::Slug;

/// A suggested spelling for a query that found nothing or very little, in words a
/// person types ("printer", not the stem "printer" or "imprimant").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// The whole corrected query, ready to search for.
    pub query: String,
    /// How many articles it finds (at most the limit asked for).
    pub hits: u32,
}

/// Words that mean the same to the people searching, in one language: a search for
/// any of them finds articles that use another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynonymGroup {
    pub id: i64,
    pub lang: Language,
    pub words: Vec<String>,
    /// Unix seconds.
    pub updated_at: i64,
}

/// Creating or replacing a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynonymGroupRequest {
    pub lang: Language,
    #[cfg_attr(feature = "openapi", schema(schema_with = synonym_words_schema))]
    pub words: Vec<String>,
}

/// The schema of a group's words: 2 to 20 texts of at most 40 characters with
/// something besides white space. What else makes a word one (letters and digits,
/// hyphens and apostrophes inside) is checked by [`synonym_word`].
#[cfg(feature = "openapi")]
fn synonym_words_schema() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("\\S"))
                .max_length(Some(MAX_SYNONYM_CHARS)),
        )
        .min_items(Some(MIN_SYNONYMS))
        .max_items(Some(MAX_SYNONYMS))
        .build()
}

pub const MIN_SYNONYMS: usize = 2;
pub const MAX_SYNONYMS: usize = 20;
pub const MAX_SYNONYM_CHARS: usize = 40;
pub const MAX_SYNONYM_GROUPS_PER_LANGUAGE: usize = 500;

/// One word as it is stored: trimmed and lower-case. A synonym is a single word, which
/// may have hyphens or an apostrophe inside ("wi-fi", "aujourd'hui"): the index
/// matches words, so a phrase could never match as one.
pub fn synonym_word(raw: &str) -> Result<String, Reason> {
    let word = raw.trim().to_lowercase();
    if word.is_empty() {
        return Err(Reason::Required);
    }
    // As typed (the API document's limit) and as stored (lower case may be longer).
    if raw.chars().count() > MAX_SYNONYM_CHARS || word.chars().count() > MAX_SYNONYM_CHARS {
        return Err(Reason::too_long(MAX_SYNONYM_CHARS));
    }
    let inner = |c: char| c == '-' || c == '\'' || c == '’';
    let ok = word.chars().all(|c| c.is_alphanumeric() || inner(c))
        && word.starts_with(char::is_alphanumeric)
        && word.ends_with(char::is_alphanumeric);
    if ok { Ok(word) } else { Err(Reason::BadFormat) }
}

/// A group's words checked and normalised, or the first problem as (index of the
/// word — `None` for the list itself —, reason). Repeats of a word are dropped.
pub fn synonym_words(raw: &[String]) -> Result<Vec<String>, (Option<usize>, Reason)> {
    let mut words: Vec<String> = Vec::with_capacity(raw.len());
    for (i, word) in raw.iter().enumerate() {
        if raw.len() > MAX_SYNONYMS && i >= MAX_SYNONYMS {
            break;
        }
        let word = synonym_word(word).map_err(|reason| (Some(i), reason))?;
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if raw.len() > MAX_SYNONYMS {
        return Err((
            None,
            Reason::TooMany {
                max: MAX_SYNONYMS as u32,
            },
        ));
    }
    if words.len() < MIN_SYNONYMS {
        return Err((
            None,
            Reason::TooShort {
                min: MIN_SYNONYMS as u32,
            },
        ));
    }
    Ok(words)
}

/// What the browser tells about one search, when the person stopped typing, opened a
/// result or left: the server keeps the latest report of each search (`id`), so a
/// repeated or late report costs nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchReport {
    /// A random id the browser makes for this search; only its hash is stored.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,100}$"))]
    pub id: String,
    /// The self-service session (see `self_service`), to tell whether the same
    /// session then filed a ticket.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,100}$"))]
    pub session: Option<String>,
    pub lang: Language,
    /// What was typed; stored normalised (see [`normalise_query`]).
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 200))]
    pub query: String,
    /// Articles shown for it.
    #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
    pub hits: u32,
    /// The article opened from the results, if any.
    #[serde(default)]
    pub opened: Option<Slug>,
}

/// Most search reports in one request.
pub const MAX_SEARCH_REPORTS: usize = 20;

/// The most hits a report may tell: far more than a page of results shows.
pub const MAX_SEARCH_HITS: u32 = 1000;

/// How a query is stored and counted: words in lower case, single spaces, no
/// punctuation at the ends, so "Printer!", "printer" and " printer " count as one.
pub fn normalise_query(query: &str) -> String {
    query
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A search people made that did not help them, counted over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchGap {
    /// Normalised (see [`normalise_query`]).
    pub query: String,
    pub lang: Language,
    pub searches: i64,
    /// Of the sessions that searched it, how many then filed a ticket.
    pub tickets: i64,
    /// Unix seconds.
    pub last_searched_at: i64,
}

/// The most frequent searches that found nothing, and those whose results nobody
/// opened, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchGaps {
    pub days: i64,
    /// Searches recorded in the period (in the language asked for, or all).
    pub searches: i64,
    pub no_results: Vec<SearchGap>,
    pub not_opened: Vec<SearchGap>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synonym_is_one_word() {
        assert_eq!(synonym_word(" Wi-Fi ").as_deref(), Ok("wi-fi"));
        assert_eq!(synonym_word("Интернет").as_deref(), Ok("интернет"));
        assert_eq!(synonym_word("aujourd'hui").as_deref(), Ok("aujourd'hui"));
        assert_eq!(synonym_word("  "), Err(Reason::Required));
        assert_eq!(synonym_word("wireless network"), Err(Reason::BadFormat));
        assert_eq!(synonym_word("-wifi"), Err(Reason::BadFormat));
        assert_eq!(synonym_word("wifi!"), Err(Reason::BadFormat));
        assert_eq!(
            synonym_word(&"a".repeat(MAX_SYNONYM_CHARS + 1)),
            Err(Reason::too_long(MAX_SYNONYM_CHARS))
        );
        let padded = format!(" {}", "a".repeat(MAX_SYNONYM_CHARS));
        assert_eq!(
            synonym_word(&padded),
            Err(Reason::too_long(MAX_SYNONYM_CHARS))
        );
    }

    #[test]
    fn a_group_needs_two_different_words() {
        let words =
            |w: &[&str]| synonym_words(&w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            words(&["WiFi", "wlan", "wifi"]),
            Ok(vec!["wifi".into(), "wlan".into()])
        );
        assert_eq!(
            words(&["wifi", "WIFI"]),
            Err((None, Reason::TooShort { min: 2 }))
        );
        assert_eq!(
            words(&["wifi", "wire less"]),
            Err((Some(1), Reason::BadFormat))
        );
        let many: Vec<String> = (0..=MAX_SYNONYMS).map(|i| format!("w{i}")).collect();
        assert_eq!(
            synonym_words(&many),
            Err((
                None,
                Reason::TooMany {
                    max: MAX_SYNONYMS as u32
                }
            ))
        );
    }

    #[test]
    fn queries_count_alike_whatever_the_case_and_punctuation() {
        assert_eq!(normalise_query("  Printer!  JAMS?"), "printer jams");
        assert_eq!(normalise_query("l'imprimante"), "l'imprimante");
        assert_eq!(normalise_query("?!"), "");
    }
}
