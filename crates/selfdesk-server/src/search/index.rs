//! An inverted index of one language's published articles, held in memory, ranked
//! with BM25 over three weighted fields.
//!
//! Why in memory rather than SQLite FTS5 or PostgreSQL `ts_rank`: both score every
//! matching row before sorting, and a common word ("printer", "пароль") matches
//! thousands of the 10,000 articles a large knowledge base holds — 27 ms (FTS5) and
//! 230 ms (PostgreSQL) at p95 in `benches/kb_search.rs`, against a 10 ms budget.
//! Scoring postings that already sit in memory takes well under a millisecond, and
//! the ranking is the same code on both databases. Every server builds its own index
//! from the database at start and keeps it current (see `live.rs`), so replicas
//! sharing one PostgreSQL need nothing else.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use super::analyze::Query;

/// Title, summary (with tags), body.
pub const FIELDS: usize = 3;
/// A title match outweighs a summary or tag match, which outweighs a body match
/// (the weights FTS5's bm25 used here before).
const WEIGHTS: [f32; FIELDS] = [10.0, 4.0, 1.0];
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A one- or two-letter prefix can expand to thousands of words; the most common
/// ones are what the user is most likely typing.
const MAX_PREFIX_EXPANSION: usize = 64;

type TermId = u32;
type Slot = u32;

#[derive(Clone, Copy)]
struct Posting {
    slot: Slot,
    tf: [u16; FIELDS],
}

struct Document {
    id: i64,
    len: [u32; FIELDS],
    /// Its distinct terms, so that replacing it touches only their postings.
    terms: Box<[TermId]>,
}

/// How many of the query's words a document must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    All,
    Any,
}

/// The index of one language. Documents are identified by the caller's id (the
/// translation's row id).
#[derive(Default)]
pub struct LanguageIndex {
    dictionary: BTreeMap<Box<str>, TermId>,
    postings: Vec<Vec<Posting>>,
    documents: Vec<Option<Document>>,
    free_slots: Vec<Slot>,
    slot_of: HashMap<i64, Slot>,
    total_len: [u64; FIELDS],
}

impl LanguageIndex {
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.slot_of.contains_key(&id)
    }

    /// Adds a document, or replaces the one with the same id. `fields` are analysed
    /// tokens (see `analyze::tokens`).
    pub fn upsert(&mut self, id: i64, fields: [Vec<String>; FIELDS]) {
        self.remove(id);
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.documents.push(None);
                (self.documents.len() - 1) as Slot
            }
        };
        let mut tf: HashMap<TermId, [u16; FIELDS]> = HashMap::new();
        let mut len = [0u32; FIELDS];
        for (field, tokens) in fields.iter().enumerate() {
            len[field] = tokens.len() as u32;
            self.total_len[field] += tokens.len() as u64;
            for token in tokens {
                let term = self.term_id(token);
                let counts = tf.entry(term).or_default();
                counts[field] = counts[field].saturating_add(1);
            }
        }
        let mut terms: Vec<TermId> = tf.keys().copied().collect();
        terms.sort_unstable();
        for (&term, &counts) in &tf {
            self.postings[term as usize].push(Posting { slot, tf: counts });
        }
        self.documents[slot as usize] = Some(Document {
            id,
            len,
            terms: terms.into_boxed_slice(),
        });
        self.slot_of.insert(id, slot);
    }

    pub fn remove(&mut self, id: i64) -> bool {
        let Some(slot) = self.slot_of.remove(&id) else {
            return false;
        };
        let document = self.documents[slot as usize]
            .take()
            .expect("a mapped slot holds a document");
        for field in 0..FIELDS {
            self.total_len[field] -= u64::from(document.len[field]);
        }
        for &term in document.terms.iter() {
            self.postings[term as usize].retain(|p| p.slot != slot);
        }
        self.free_slots.push(slot);
        true
    }

    fn term_id(&mut self, token: &str) -> TermId {
        if let Some(&id) = self.dictionary.get(token) {
            return id;
        }
        let id = self.postings.len() as TermId;
        self.postings.push(Vec::new());
        self.dictionary.insert(token.into(), id);
        id
    }

    /// Terms that begin with `prefix`, the most frequent first.
    fn expand(&self, prefix: &str) -> Vec<TermId> {
        let mut found: Vec<TermId> = self
            .dictionary
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(term, _)| term.starts_with(prefix))
            .map(|(_, &id)| id)
            .filter(|&id| !self.postings[id as usize].is_empty())
            .collect();
        found.sort_unstable_by_key(|&id| std::cmp::Reverse(self.postings[id as usize].len()));
        found.truncate(MAX_PREFIX_EXPANSION);
        found
    }

    /// The ids of the best `limit` documents for `query`, best first, with scores.
    /// With [`Match::All`] every complete word of the query must occur, and the word
    /// being typed matches as its stem or as a prefix of any word (search as you
    /// type). With [`Match::Any`] a document needs one word, and more words rank higher:
    /// for text that was not written as a search, like a ticket's subject.
    pub fn search(&self, query: &Query, mode: Match, limit: usize) -> Vec<(i64, f32)> {
        let groups = match mode {
            Match::All => self.required_groups(query),
            Match::Any => Some(self.any_group(query)),
        };
        let Some(groups) = groups else {
            return Vec::new();
        };
        if groups.is_empty() || limit == 0 {
            return Vec::new();
        }
        let live = self.len() as f32;
        let avg_len: [f32; FIELDS] =
            std::array::from_fn(|f| (self.total_len[f] as f32 / live).max(1.0));
        let mut score = vec![0f32; self.documents.len()];
        // How many groups each document has matched so far, in order: a document
        // that missed a group can never catch up, so it is never counted again.
        let mut matched = vec![0u8; self.documents.len()];
        for (g, group) in groups.iter().enumerate() {
            let (before, after) = (g as u8, g as u8 + 1);
            for &term in group {
                let postings = &self.postings[term as usize];
                let df = postings.len() as f32;
                let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln();
                for posting in postings {
                    let slot = posting.slot as usize;
                    if matched[slot] == before {
                        matched[slot] = after;
                    } else if matched[slot] != after {
                        continue;
                    }
                    // In `Any` mode there is one group; a document matches every word it
                    // has, each adding to its score (`matched` stays at 1).
                    let document = self.documents[slot].as_ref().expect("posted slot");
                    let mut s = 0.0;
                    for f in 0..FIELDS {
                        let tf = f32::from(posting.tf[f]);
                        if tf > 0.0 {
                            let norm = K1 * (1.0 - B + B * document.len[f] as f32 / avg_len[f]);
                            s += WEIGHTS[f] * tf * (K1 + 1.0) / (tf + norm);
                        }
                    }
                    score[slot] += idf * s;
                }
            }
        }
        let all = groups.len() as u8;
        let mut hits: Vec<(f32, i64)> = matched
            .iter()
            .enumerate()
            .filter(|&(_, &m)| m == all)
            .map(|(slot, _)| {
                let id = self.documents[slot].as_ref().expect("matched slot").id;
                (score[slot], id)
            })
            .collect();
        let best_first = |a: &(f32, i64), b: &(f32, i64)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, best_first);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(best_first);
        hits.into_iter().map(|(s, id)| (id, s)).collect()
    }

    /// The query's known words, as one group: any of them matches. Words in more than
    /// a quarter of the documents ("my", "the", "не") say nothing about a problem and
    /// are left out, so that a sentence does not match everything through them.
    fn any_group(&self, query: &Query) -> Vec<Vec<TermId>> {
        // Too few documents say nothing about which words are common.
        let common = if self.len() < 20 {
            usize::MAX
        } else {
            self.len() / 4
        };
        let mut group: Vec<TermId> = query
            .terms
            .iter()
            .filter_map(|t| self.dictionary.get(t.as_str()).copied())
            .filter(|&t| self.postings[t as usize].len() <= common)
            .collect();
        group.sort_unstable();
        group.dedup();
        if group.is_empty() {
            Vec::new()
        } else {
            vec![group]
        }
    }

    /// The query's words as term sets, one set per required word, rarest first (so
    /// few documents are scored for words that will not match anyway). `None` when a
    /// required word occurs nowhere.
    fn required_groups(&self, query: &Query) -> Option<Vec<Vec<TermId>>> {
        let complete = query.terms.len() - usize::from(query.prefix.is_some());
        let mut groups: Vec<Vec<TermId>> = Vec::new();
        for term in &query.terms[..complete] {
            groups.push(vec![*self.dictionary.get(term.as_str())?]);
        }
        if let Some(prefix) = &query.prefix {
            let mut group = self.expand(prefix);
            for stem in &query.terms[complete..] {
                if let Some(&id) = self.dictionary.get(stem.as_str())
                    && !group.contains(&id)
                {
                    group.push(id);
                }
            }
            if group.is_empty() {
                return None;
            }
            groups.push(group);
        }
        let weight = |group: &Vec<TermId>| -> usize {
            group.iter().map(|&t| self.postings[t as usize].len()).sum()
        };
        groups.sort_by_cached_key(weight);
        Some(groups)
    }
}

#[cfg(test)]
mod tests {
    use selfdesk_shared::language::Language;

    use super::*;
    use crate::search::analyze::tokens;

    fn doc(title: &str, summary: &str, body: &str) -> [Vec<String>; FIELDS] {
        [
            tokens(title, Language::En),
            tokens(summary, Language::En),
            tokens(body, Language::En),
        ]
    }

    fn index() -> LanguageIndex {
        let mut index = LanguageIndex::default();
        index.upsert(
            1,
            doc("Printer not printing", "From a laptop", "Check the cable."),
        );
        index.upsert(
            2,
            doc("Wi-Fi has no internet", "Connected", "Restart the router."),
        );
        index.upsert(
            3,
            doc(
                "Slow computer",
                "Too many programs",
                "A printer driver may hang.",
            ),
        );
        index
    }

    fn ids(index: &LanguageIndex, q: &str) -> Vec<i64> {
        let query = Query::parse(q, Language::En);
        index
            .search(&query, Match::All, 10)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    #[test]
    fn title_matches_rank_above_body_matches() {
        assert_eq!(ids(&index(), "printers "), vec![1, 3]);
    }

    #[test]
    fn every_complete_word_is_required() {
        assert_eq!(ids(&index(), "printer router "), Vec::<i64>::new());
        assert_eq!(ids(&index(), "restart router "), vec![2]);
        assert_eq!(ids(&index(), "unknownword "), Vec::<i64>::new());
    }

    #[test]
    fn any_mode_needs_one_word_and_ranks_more_words_higher() {
        let index = index();
        let any = |q: &str| -> Vec<i64> {
            index
                .search(&Query::parse(q, Language::En), Match::Any, 10)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        // A ticket subject: "printer" and "router" never meet in one article, and
        // "xyzzy" is nowhere; each article with a word is still a suggestion.
        let found = any("printer router xyzzy ");
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(any("xyzzy ").is_empty());
        // More of the words ranks higher: 2 has "restart" and "router" where 1 has
        // only "cable", all in the body.
        assert_eq!(any("restart router cable "), vec![2, 1]);

        // In a larger index, a word most documents share is no reason to suggest one.
        let mut big = LanguageIndex::default();
        for id in 0..30 {
            big.upsert(id, doc(&format!("My topic {id}"), "", ""));
        }
        big.upsert(99, doc("My printer jams", "", ""));
        let found = big.search(&Query::parse("my printer ", Language::En), Match::Any, 10);
        assert_eq!(
            found.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            vec![99]
        );
    }

    #[test]
    fn the_word_being_typed_matches_as_a_prefix() {
        assert_eq!(ids(&index(), "prin"), vec![1, 3]);
        assert_eq!(ids(&index(), "laptop prin"), vec![1]);
        assert_eq!(ids(&index(), "zzz"), Vec::<i64>::new());
    }

    #[test]
    fn replacing_and_removing_documents_updates_postings() {
        let mut index = index();
        index.upsert(1, doc("Scanner jams", "", ""));
        assert_eq!(ids(&index, "printer "), vec![3]);
        assert_eq!(ids(&index, "scanner "), vec![1]);
        assert!(index.remove(3));
        assert!(!index.remove(3));
        assert_eq!(ids(&index, "printer "), Vec::<i64>::new());
        assert_eq!(index.len(), 2);
        // The freed slot is reused, and nothing of the old document leaks into it.
        index.upsert(4, doc("Monitor flickers", "", ""));
        assert_eq!(ids(&index, "monitor "), vec![4]);
        assert_eq!(ids(&index, "driver "), Vec::<i64>::new());
    }

    #[test]
    fn limit_keeps_the_best() {
        let mut index = LanguageIndex::default();
        for i in 0..50i64 {
            let body = "printer ".repeat(1 + i as usize % 5);
            index.upsert(i, doc("Guide", "", &body));
        }
        index.upsert(99, doc("Printer", "", ""));
        let hits = index.search(&Query::parse("printer ", Language::En), Match::All, 5);
        assert_eq!(hits.len(), 5);
        assert_eq!(hits[0].0, 99);
        assert!(hits.windows(2).all(|w| w[0].1 >= w[1].1));
    }
}
