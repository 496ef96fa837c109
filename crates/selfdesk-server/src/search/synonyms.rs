//! The synonym groups staff keep (`routes::search_admin`), applied when a query is
//! read rather than when articles are indexed: a group saved now changes the next
//! search, with nothing to re-index.

use std::collections::HashMap;

use selfdesk_shared::language::Language;
use selfdesk_shared::search::SynonymGroup;

use super::analyze::tokens;

/// One language's groups, by the analysed term of each word.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_term: HashMap<String, Vec<usize>>,
}

impl Synonyms {
    /// The groups of `language` among `all`. Each word counts by its term, so a
    /// group's "printers" also serves a query for "printer"; a hyphenated word counts
    /// joined ("wi-fi" as "wifi"), as the index also holds it that way.
    pub fn of_language(all: &[SynonymGroup], language: Language) -> Self {
        let mut synonyms = Self::default();
        for group in all.iter().filter(|g| g.lang == language) {
            let terms: Vec<String> = group
                .words
                .iter()
                .filter_map(|w| tokens(w, language).pop())
                .collect();
            let index = synonyms.groups.len();
            for term in &terms {
                synonyms
                    .by_term
                    .entry(term.clone())
                    .or_default()
                    .push(index);
            }
            synonyms.groups.push(terms);
        }
        synonyms
    }

    /// Every term that means the same as `term`, itself excepted.
    pub fn of<'a>(&'a self, term: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.by_term
            .get(term)
            .into_iter()
            .flatten()
            .flat_map(|&g| self.groups[g].iter())
            .map(String::as_str)
            .filter(move |t| *t != term)
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(lang: Language, words: &[&str]) -> SynonymGroup {
        SynonymGroup {
            id: 1,
            lang,
            words: words.iter().map(|w| w.to_string()).collect(),
            updated_at: 0,
        }
    }

    #[test]
    fn words_count_by_their_term_in_their_language() {
        let all = [
            group(Language::En, &["wifi", "wi-fi", "wlan", "wireless"]),
            group(Language::Ru, &["интернет", "сеть"]),
        ];
        let en = Synonyms::of_language(&all, Language::En);
        let mut of_wlan: Vec<&str> = en.of("wlan").collect();
        of_wlan.sort();
        assert_eq!(of_wlan, ["wifi", "wifi", "wireless"]);
        assert_eq!(en.of("сеть").count(), 0);
        let ru = Synonyms::of_language(&all, Language::Ru);
        // «сети» is a form of «сеть»: the group serves every form.
        let term = tokens("сети", Language::Ru).pop().unwrap();
        assert_eq!(ru.of(&term).collect::<Vec<_>>(), ["интернет"]);
    }
}
