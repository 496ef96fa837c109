//! Words → search tokens.

use rust_stemmers::{Algorithm, Stemmer};
use selfdesk_shared::language::Language;
use unicode_normalization::UnicodeNormalization;

fn stemmer(language: Language) -> Stemmer {
    Stemmer::create(match language {
        Language::En => Algorithm::English,
        Language::Ru => Algorithm::Russian,
        Language::Fr => Algorithm::French,
        Language::Nb => Algorithm::Norwegian,
    })
}

/// Lower-case, without combining marks (é → e, ё → е, å → a), for diacritic-insensitive
/// matching after stemming (the stemmers need the accents to find the stem).
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of `text`: runs of letters and digits (apostrophes split French elisions
/// like « l'imprimante »).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// One token per word: stemmed in `language`, then folded. A hyphenated compound
/// also counts as one word ("Wi-Fi" gives wi, fi and wifi; "e-mail" gives email), as
/// people type it either way.
pub fn tokens(text: &str, language: Language) -> Vec<String> {
    analysed(text, language)
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// A token with the word it came from (lower case), which "did you mean" offers back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub word: String,
}

/// [`tokens`], each with its word.
pub fn analysed(text: &str, language: Language) -> Vec<Token> {
    let stemmer = stemmer(language);
    let mut out = Vec::new();
    let mut push = |word: &str| {
        out.push(Token {
            term: token(&stemmer, language, word),
            word: word.to_lowercase(),
        })
    };
    for chunk in text.split_whitespace() {
        let parts: Vec<&str> = words(chunk).collect();
        let skip = usize::from(language == Language::Fr && elided(chunk, &parts));
        for part in &parts[skip..] {
            push(part);
        }
        let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if parts.len() > 1
            && core
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
        {
            push(&parts.concat());
        }
    }
    out
}

/// Whether `chunk` starts with a French elided word (« l'imprimante », « qu'il »),
/// which says nothing about the problem and would otherwise be a required word.
fn elided(chunk: &str, parts: &[&str]) -> bool {
    const ELIDED: [&str; 12] = [
        "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "s", "t",
    ];
    let Some(first) = parts.first() else {
        return false;
    };
    parts.len() > 1
        && chunk
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .get(first.len()..)
            .is_some_and(|rest| rest.starts_with(['\'', '’']))
        && ELIDED.contains(&first.to_lowercase().as_str())
}

fn token(stemmer: &Stemmer, language: Language, word: &str) -> String {
    fold(&super::forms::stem(stemmer, language, &word.to_lowercase()))
}

/// A stemmer for one language, made once and reused for many words (making one
/// allocates the algorithm's tables).
pub struct Analyzer {
    stemmer: Stemmer,
    language: Language,
}

impl Analyzer {
    pub fn new(language: Language) -> Self {
        Self {
            stemmer: stemmer(language),
            language,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    pub fn token(&self, word: &str) -> String {
        token(&self.stemmer, self.language, word)
    }
}

/// The analysed form of a whole field, ready to be stored in the index.
pub fn index_text(text: &str, language: Language) -> String {
    tokens(text, language).join(" ")
}

/// A parsed query: whole words, and the last word as a prefix when the user may still
/// be typing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
    /// The unstemmed, folded last word: "prin" must find "printer" though the stem of
    /// "prin" is not a prefix of anything useful.
    pub prefix: Option<String>,
    /// The word typed for each of `terms` (folded): its length sets how many typos
    /// the term may have (a stem is shorter than the word), and "did you mean" puts
    /// its correction in its place.
    pub words: Vec<String>,
}

impl Query {
    pub fn parse(input: &str, language: Language) -> Self {
        let stemmer = stemmer(language);
        let all: Vec<&str> = input
            .split_whitespace()
            .flat_map(|chunk| {
                let parts: Vec<&str> = words(chunk).collect();
                let skip = usize::from(language == Language::Fr && elided(chunk, &parts));
                parts.into_iter().skip(skip)
            })
            .take(12)
            .collect();
        let typing = !input.ends_with(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        let (complete, last) = match (typing, all.split_last()) {
            (true, Some((last, rest))) => (rest.to_vec(), Some(*last)),
            _ => (all, None),
        };
        let mut terms: Vec<String> = Vec::new();
        let mut typed: Vec<String> = Vec::new();
        for word in complete {
            let term = token(&stemmer, language, word);
            // Before the typed word's stem is appended: the index finds it by position.
            if terms.last() != Some(&term) {
                terms.push(term);
                typed.push(fold(&word.to_lowercase()));
            }
        }
        let prefix = last.map(|w| {
            // The stem of a finished last word also counts ("printers" finds "printer").
            terms.push(token(&stemmer, language, w));
            typed.push(fold(&w.to_lowercase()));
            fold(&w.to_lowercase())
        });
        Self {
            terms,
            prefix,
            words: typed,
        }
    }

    /// The same words, all of them complete (for a correction of a word being typed).
    pub fn completed(mut self) -> Self {
        self.prefix = None;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefix.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_a_token() {
        assert_eq!(
            tokens("printers", Language::En),
            tokens("printer", Language::En)
        );
        assert_eq!(
            tokens("принтера", Language::Ru),
            tokens("принтер", Language::Ru)
        );
        assert_eq!(
            tokens("imprimantes", Language::Fr),
            tokens("imprimante", Language::Fr)
        );
        assert_eq!(
            tokens("skriveren", Language::Nb),
            tokens("skriver", Language::Nb)
        );
    }

    #[test]
    fn diacritics_and_case_do_not_matter() {
        assert_eq!(
            tokens("Réseau", Language::Fr),
            tokens("reseau", Language::Fr)
        );
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("Påske"), "paske");
    }

    #[test]
    fn hyphenated_words_also_count_joined() {
        assert_eq!(tokens("Wi-Fi,", Language::En), ["wi", "fi", "wifi"]);
        assert!(tokens("e-mail", Language::En).contains(&"email".to_owned()));
        assert_eq!(tokens("a - b", Language::En), ["a", "b"]);
    }

    #[test]
    fn french_elisions_leave_the_word() {
        assert_eq!(
            tokens("l'imprimante", Language::Fr),
            tokens("imprimante", Language::Fr)
        );
        assert_eq!(tokens("Qu’il", Language::Fr), tokens("il", Language::Fr));
        let query = Query::parse("l'imprimante ", Language::Fr);
        assert_eq!(query.terms, tokens("imprimante", Language::Fr));
        // Not an elision: the apostrophe inside a word, or in English.
        assert_eq!(tokens("aujourd'hui", Language::Fr).len(), 2);
        assert_eq!(tokens("l'x", Language::En).len(), 2);
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        let q = Query::parse("wifi prin", Language::En);
        assert_eq!(q.prefix.as_deref(), Some("prin"));
        assert_eq!(q.terms, ["wifi", "prin"]);
        let done = Query::parse("wifi printers ", Language::En);
        assert_eq!(done.prefix, None);
        assert_eq!(done.terms, ["wifi", "printer"]);
    }

    #[test]
    fn punctuation_is_never_a_term() {
        let q = Query::parse("\" OR * NEAR( ) : -x", Language::En);
        assert_eq!(q.terms, ["or", "near", "x"]);
        assert!(Query::parse("   ", Language::En).is_empty());
        assert!(Query::parse("!!!", Language::En).is_empty());
    }
}
