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
    let stemmer = stemmer(language);
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        let parts: Vec<&str> = words(chunk).collect();
        out.extend(parts.iter().map(|w| token(&stemmer, language, w)));
        let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if parts.len() > 1
            && core
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
        {
            out.push(token(&stemmer, language, &parts.concat()));
        }
    }
    out
}

fn token(stemmer: &Stemmer, language: Language, word: &str) -> String {
    let lower = word.to_lowercase();
    let once = stemmer.stem(&lower);
    // Norwegian Snowball strips one suffix per pass, so "skriveren" (the printer)
    // stops at "skriver" while "skriver" goes on to "skriv"; a second pass joins the
    // family (skriver, skriveren, skrivere → skriv) and leaves most stems unchanged.
    if language == Language::Nb {
        fold(&stemmer.stem(&once))
    } else {
        fold(&once)
    }
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
}

impl Query {
    pub fn parse(input: &str, language: Language) -> Self {
        let stemmer = stemmer(language);
        let all: Vec<&str> = words(input).take(12).collect();
        let typing = !input.ends_with(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        let (complete, last) = match (typing, all.split_last()) {
            (true, Some((last, rest))) => (rest.to_vec(), Some(*last)),
            _ => (all, None),
        };
        let mut terms: Vec<String> = complete
            .iter()
            .map(|w| token(&stemmer, language, w))
            .collect();
        // Before the typed word's stem is appended: the index finds it by position.
        terms.dedup();
        let prefix = last.map(|w| {
            // The stem of a finished last word also counts ("printers" finds "printer").
            terms.push(token(&stemmer, language, w));
            fold(&w.to_lowercase())
        });
        Self { terms, prefix }
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
    fn french_elisions_split() {
        assert_eq!(
            tokens("l'imprimante", Language::Fr),
            tokens("l imprimante", Language::Fr)
        );
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
