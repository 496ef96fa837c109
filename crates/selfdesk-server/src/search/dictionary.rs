//! The terms of one language's index, found exactly, by prefix, or within a number of
//! typos.
//!
//! Typo lookup is tantivy's approach: a Levenshtein automaton for the query word
//! (`levenshtein_automata`, with transpositions counting one edit) intersected with an
//! `fst` of every term, which visits only the branches of the dictionary that can
//! still match instead of comparing the word against each of its terms. An `fst` is
//! immutable, so terms added since it was built wait in a short list that the same
//! automaton reads term by term; past [`REBUILD_AFTER`] of them the `fst` is rebuilt
//! (a few milliseconds at 100,000 terms, on the write path).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::OnceLock;

use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder};

pub type TermId = u32;

/// Terms added since the `fst` was built that make a rebuild worth it.
const REBUILD_AFTER: usize = 2048;

/// How many typos a word of `chars` letters may have and still match: none up to 4
/// letters (too many short words are one edit apart), one up to 8, two beyond.
pub fn typos_allowed(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// For "did you mean", one typo more is worth trying on a word that found nothing,
/// but a word of one or two letters is never corrected.
pub fn correction_typos(chars: usize) -> u8 {
    match chars {
        0..=2 => 0,
        3..=4 => 1,
        _ => 2,
    }
}

/// Building these takes milliseconds (they precompute the parametric automata), so
/// each is made once per process.
fn builder(typos: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    let builders = BUILDERS.get_or_init(|| {
        [
            LevenshteinAutomatonBuilder::new(1, true),
            LevenshteinAutomatonBuilder::new(2, true),
        ]
    });
    &builders[usize::from(typos.clamp(1, 2)) - 1]
}

#[derive(Default)]
pub struct Dictionary {
    ids: BTreeMap<Box<str>, TermId>,
    /// Every term, by id.
    terms: Vec<Box<str>>,
    /// The terms as of the last rebuild, with their ids.
    frozen: fst::Map<Vec<u8>>,
    /// Terms added since.
    recent: Vec<TermId>,
}

impl Dictionary {
    pub fn get(&self, term: &str) -> Option<TermId> {
        self.ids.get(term).copied()
    }

    pub fn term(&self, id: TermId) -> &str {
        &self.terms[id as usize]
    }

    /// The id of `term`, added if new. Terms are never removed: an id whose postings
    /// emptied is skipped by the caller, and comes back to life if the word returns.
    pub fn insert(&mut self, term: &str) -> TermId {
        if let Some(id) = self.get(term) {
            return id;
        }
        let id = self.terms.len() as TermId;
        self.terms.push(term.into());
        self.ids.insert(term.into(), id);
        self.recent.push(id);
        if self.recent.len() >= REBUILD_AFTER {
            self.rebuild();
        }
        id
    }

    /// Moves the recent terms into the `fst`; after a bulk load, so the first searches
    /// do not read thousands of terms one by one.
    pub fn rebuild(&mut self) {
        if self.recent.is_empty() {
            return;
        }
        let map = fst::Map::from_iter(
            self.ids
                .iter()
                .map(|(t, &id)| (t.as_bytes(), u64::from(id))),
        )
        .expect("a BTreeMap iterates its keys in order, without repeats");
        self.frozen = map;
        self.recent.clear();
    }

    /// Terms that begin with `prefix`, in term order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = TermId> + 'a {
        self.ids
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(move |(term, _)| term.starts_with(prefix))
            .map(|(_, &id)| id)
    }

    /// Terms within `typos` edits of `word` (of a prefix of them when `prefix`), with
    /// the number of edits; `word` itself (distance 0) included when present.
    pub fn fuzzy(&self, word: &str, typos: u8, prefix: bool) -> Vec<(TermId, u8)> {
        if typos == 0 {
            return if prefix {
                self.with_prefix(word).map(|id| (id, 0)).collect()
            } else {
                self.get(word).map(|id| vec![(id, 0)]).unwrap_or_default()
            };
        }
        let builder = builder(typos);
        let dfa = if prefix {
            builder.build_prefix_dfa(word)
        } else {
            builder.build_dfa(word)
        };
        let mut found = Vec::new();
        let mut stream = self.frozen.search_with_state(&dfa).into_stream();
        while let Some((_, id, state)) = stream.next() {
            if let Some(d) = within(&dfa, state, typos) {
                found.push((id as TermId, d));
            }
        }
        for &id in &self.recent {
            let mut state = dfa.initial_state();
            for &b in self.term(id).as_bytes() {
                state = dfa.transition(state, b);
            }
            if let Some(d) = within(&dfa, state, typos) {
                found.push((id, d));
            }
        }
        found
    }
}

fn within(dfa: &DFA, state: u32, typos: u8) -> Option<u8> {
    match dfa.distance(state) {
        Distance::Exact(d) if d <= typos => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(words: &[&str]) -> Dictionary {
        let mut d = Dictionary::default();
        for w in words {
            d.insert(w);
        }
        d
    }

    fn found(d: &Dictionary, word: &str, typos: u8, prefix: bool) -> Vec<(String, u8)> {
        let mut out: Vec<(String, u8)> = d
            .fuzzy(word, typos, prefix)
            .into_iter()
            .map(|(id, n)| (d.term(id).to_owned(), n))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn typo_lengths() {
        assert_eq!(typos_allowed("vpn".len()), 0);
        assert_eq!(typos_allowed("mail".len()), 0);
        assert_eq!(typos_allowed("email".len()), 1);
        assert_eq!(typos_allowed("password".len()), 1);
        assert_eq!(typos_allowed("passwords".len()), 2);
    }

    #[test]
    fn one_and_two_edits_with_transpositions() {
        let d = dictionary(&["printer", "pointer", "painter", "password", "router"]);
        assert_eq!(found(&d, "prnter", 1, false), [("printer".to_owned(), 1)]);
        // A transposition is one edit, not two.
        assert_eq!(found(&d, "pirnter", 1, false), [("printer".to_owned(), 1)]);
        assert_eq!(
            found(&d, "printer", 1, false),
            [
                ("painter".into(), 1),
                ("pointer".into(), 1),
                ("printer".into(), 0)
            ]
        );
        assert!(found(&d, "xyzzy", 2, false).is_empty());
    }

    #[test]
    fn the_typed_part_of_a_prefix_may_have_typos() {
        let d = dictionary(&["printer", "printing", "privacy"]);
        assert_eq!(
            found(&d, "prnt", 1, true),
            [("printer".into(), 1), ("printing".into(), 1)]
        );
        assert_eq!(found(&d, "priv", 0, true), [("privacy".into(), 0)]);
    }

    #[test]
    fn unicode_words_count_letters_not_bytes() {
        let d = dictionary(&["принтер", "пароль", "skjerm"]);
        assert_eq!(found(&d, "принер", 1, false), [("принтер".into(), 1)]);
        assert_eq!(found(&d, "skjrem", 1, false), [("skjerm".into(), 1)]);
    }

    #[test]
    fn terms_added_after_a_rebuild_are_found_too() {
        let mut d = dictionary(&["printer"]);
        d.rebuild();
        d.insert("scanner");
        assert_eq!(found(&d, "scaner", 1, false), [("scanner".into(), 1)]);
        assert_eq!(found(&d, "prinetr", 1, false), [("printer".into(), 1)]);
        // Enough new terms rebuild by themselves; the lookups stay the same.
        for i in 0..REBUILD_AFTER {
            d.insert(&format!("term{i}"));
        }
        assert!(d.recent.len() < REBUILD_AFTER);
        assert_eq!(found(&d, "scaner", 1, false), [("scanner".into(), 1)]);
    }
}
