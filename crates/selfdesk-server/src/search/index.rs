//! An inverted index of one language's published articles, held in memory, ranked
//! with BM25 over three weighted fields, forgiving typos.
//!
//! Why in memory rather than SQLite FTS5 or PostgreSQL `ts_rank`: both score every
//! matching row before sorting, and a common word ("printer", "пароль") matches
//! thousands of the 10,000 articles a large knowledge base holds — 27 ms (FTS5) and
//! 230 ms (PostgreSQL) at p95 in `benches/kb_search.rs`, against a 10 ms budget.
//! Scoring postings that already sit in memory takes well under a millisecond, and
//! the ranking is the same code on both databases. Every server builds its own index
//! from the database at start and keeps it current (see `live.rs`), so replicas
//! sharing one PostgreSQL need nothing else.
//!
//! Each word of a query stands for a group of terms: itself, the terms within the
//! typos its length allows (`dictionary::typos_allowed`), and their synonyms. A
//! document must match every group (or one, with [`Match::Any`]); documents with fewer
//! typos rank first, then by score — Meilisearch's "typo" rule before relevance.

use std::collections::HashMap;

use super::analyze::{Query, Token};
use super::dictionary::{Dictionary, TermId, correction_typos, typos_allowed};
use super::synonyms::Synonyms;

/// Title, summary (with tags), body.
pub const FIELDS: usize = 3;
/// A title match outweighs a summary or tag match, which outweighs a body match
/// (the weights FTS5's bm25 used here before).
const WEIGHTS: [f32; FIELDS] = [10.0, 4.0, 1.0];
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A one- or two-letter prefix, or a word with two typos, can expand to thousands of
/// terms; the closest and most common ones are what the user most likely means.
const MAX_EXPANSION: usize = 64;
/// Fewer hits than this and a better spelling is looked for.
const FEW_HITS: usize = 3;

type Slot = u32;

#[derive(Clone, Copy)]
struct Posting {
    slot: Slot,
    tf: [u16; FIELDS],
}

struct Document {
    id: i64,
    article: i64,
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

/// One word of a query as terms of the index, each with its typos (0 for the word
/// itself, its prefix expansions and synonyms).
type Group = Vec<(TermId, u8)>;

/// A ranked document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub article: i64,
    pub typos: u8,
    pub score: f32,
}

/// A better spelling: for each word to change, the word as typed (folded) and the
/// word to put instead, and how many documents the corrected query finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub replace: Vec<(String, String)>,
    pub hits: usize,
}

/// The index of one language. Documents are identified by the caller's id (the
/// translation's row id).
#[derive(Default)]
pub struct LanguageIndex {
    dictionary: Dictionary,
    /// For each term, the shortest word seen for it: what "did you mean" offers.
    words: Vec<Box<str>>,
    postings: Vec<Vec<Posting>>,
    documents: Vec<Option<Document>>,
    free_slots: Vec<Slot>,
    slot_of: HashMap<i64, Slot>,
    /// Articles with a document here, so a search in another language can tell which
    /// English articles have no translation.
    articles: HashMap<i64, u32>,
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

    pub fn has_article(&self, article: i64) -> bool {
        self.articles.contains_key(&article)
    }

    /// Builds the typo dictionary after a bulk load (see `Dictionary::rebuild`).
    pub fn settle(&mut self) {
        self.dictionary.rebuild();
    }

    /// Adds a document, or replaces the one with the same id. `fields` are analysed
    /// tokens (see `analyze::analysed`).
    pub fn upsert(&mut self, id: i64, article: i64, fields: [Vec<Token>; FIELDS]) {
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
            article,
            len,
            terms: terms.into_boxed_slice(),
        });
        self.slot_of.insert(id, slot);
        *self.articles.entry(article).or_default() += 1;
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
        if let Some(count) = self.articles.get_mut(&document.article) {
            *count -= 1;
            if *count == 0 {
                self.articles.remove(&document.article);
            }
        }
        self.free_slots.push(slot);
        true
    }

    fn term_id(&mut self, token: &Token) -> TermId {
        let id = self.dictionary.insert(&token.term);
        if id as usize == self.postings.len() {
            self.postings.push(Vec::new());
            self.words.push(token.word.as_str().into());
        } else if token.word.chars().count() < self.words[id as usize].chars().count() {
            self.words[id as usize] = token.word.as_str().into();
        }
        id
    }

    fn frequency(&self, term: TermId) -> usize {
        self.postings[term as usize].len()
    }

    /// The closest and most common of `found`, without terms no document uses.
    fn closest(&self, mut found: Group) -> Group {
        found.retain(|&(t, _)| self.frequency(t) > 0);
        found.sort_unstable_by_key(|&(t, typos)| (typos, std::cmp::Reverse(self.frequency(t)), t));
        let mut seen = std::collections::HashSet::new();
        found.retain(|&(t, _)| seen.insert(t));
        found.truncate(MAX_EXPANSION);
        found
    }

    /// One complete word: itself or within its typos, and the synonyms of those.
    fn word_group(&self, term: &str, typed: usize, synonyms: &Synonyms) -> Group {
        let mut found = self.dictionary.fuzzy(term, typos_allowed(typed), false);
        self.add_synonyms(&mut found, term, synonyms);
        self.closest(found)
    }

    /// The word being typed: every term it begins, with typos in the typed part, or
    /// its stem (a finished word), and the synonyms of that stem.
    fn prefix_group(&self, prefix: &str, stem: &str, typed: usize, synonyms: &Synonyms) -> Group {
        let typos = typos_allowed(typed);
        let mut found = self.dictionary.fuzzy(prefix, typos, true);
        found.extend(self.dictionary.fuzzy(stem, typos, false));
        self.add_synonyms(&mut found, stem, synonyms);
        self.closest(found)
    }

    fn add_synonyms(&self, found: &mut Group, term: &str, synonyms: &Synonyms) {
        if synonyms.is_empty() {
            return;
        }
        let near: Vec<(String, u8)> = std::iter::once((term.to_owned(), 0))
            .chain(
                found
                    .iter()
                    .map(|&(t, n)| (self.dictionary.term(t).to_owned(), n)),
            )
            .collect();
        for (word, typos) in near {
            for synonym in synonyms.of(&word) {
                if let Some(t) = self.dictionary.get(synonym) {
                    found.push((t, typos));
                }
            }
        }
    }

    /// The terms `query` stands for, group by group, for highlighting.
    pub fn matched_terms(&self, query: &Query, synonyms: &Synonyms) -> Vec<String> {
        self.groups(query, Match::Any, synonyms)
            .into_iter()
            .flatten()
            .flatten()
            .map(|(t, _)| self.dictionary.term(t).to_owned())
            .collect()
    }

    /// The best `limit` documents for `query`: fewest typos first, then by score.
    /// With [`Match::All`] every complete word of the query must occur, and the word
    /// being typed matches as its stem or as a prefix of any word (search as you
    /// type). With [`Match::Any`] a document needs one word, and more words rank higher:
    /// for text that was not written as a search, like a ticket's subject; there a
    /// word's typos lower its score instead of sorting.
    pub fn search(
        &self,
        query: &Query,
        mode: Match,
        synonyms: &Synonyms,
        limit: usize,
    ) -> Vec<Hit> {
        match self.groups(query, mode, synonyms) {
            Some(groups) => self.rank(&groups, mode, limit),
            None => Vec::new(),
        }
    }

    fn groups(&self, query: &Query, mode: Match, synonyms: &Synonyms) -> Option<Vec<Group>> {
        let complete = query.terms.len() - usize::from(query.prefix.is_some());
        let mut groups: Vec<Group> = Vec::new();
        for (term, word) in query.terms[..complete].iter().zip(&query.words) {
            let group = self.word_group(term, word.chars().count(), synonyms);
            if group.is_empty() && mode == Match::All {
                return None;
            }
            groups.push(group);
        }
        if let (Some(prefix), Some(stem)) = (&query.prefix, query.terms.last()) {
            let typed = query.words.last().map_or(0, |w| w.chars().count());
            let group = self.prefix_group(prefix, stem, typed, synonyms);
            if group.is_empty() && mode == Match::All {
                return None;
            }
            groups.push(group);
        }
        match mode {
            Match::All => {
                // Rarest first, so few documents are scored for words that will not
                // match anyway.
                let weight = |group: &Group| -> usize {
                    group.iter().map(|&(t, _)| self.frequency(t)).sum()
                };
                groups.sort_by_cached_key(weight);
                Some(groups)
            }
            Match::Any => Some(self.any_group(groups)),
        }
    }

    /// The query's known words, as one group: any of them matches. Words in more than
    /// a quarter of the documents ("my", "the", "не") say nothing about a problem and
    /// are left out, so that a sentence does not match everything through them.
    fn any_group(&self, groups: Vec<Group>) -> Vec<Group> {
        // Too few documents say nothing about which words are common.
        let common = if self.len() < 20 {
            usize::MAX
        } else {
            self.len() / 4
        };
        let mut group: Group = groups
            .into_iter()
            .flatten()
            .filter(|&(t, _)| self.frequency(t) <= common)
            .collect();
        group.sort_unstable();
        group.dedup_by_key(|&mut (t, _)| t);
        if group.is_empty() {
            Vec::new()
        } else {
            vec![group]
        }
    }

    fn rank(&self, groups: &[Group], mode: Match, limit: usize) -> Vec<Hit> {
        if groups.is_empty() || limit == 0 {
            return Vec::new();
        }
        let live = self.len() as f32;
        let avg_len: [f32; FIELDS] =
            std::array::from_fn(|f| (self.total_len[f] as f32 / live).max(1.0));
        let mut score = vec![0f32; self.documents.len()];
        let mut typos = vec![0u8; self.documents.len()];
        // How many groups each document has matched so far, in order: a document
        // that missed a group can never catch up, so it is never counted again.
        let mut matched = vec![0u8; self.documents.len()];
        for (g, group) in groups.iter().enumerate() {
            let (before, after) = (g as u8, g as u8 + 1);
            // Closest terms first: a document's first match in a group is its fewest
            // typos for that word.
            for &(term, distance) in group {
                let postings = &self.postings[term as usize];
                let df = postings.len() as f32;
                let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln();
                let weight = match mode {
                    Match::All => idf,
                    Match::Any => idf / f32::from(1 + distance),
                };
                for posting in postings {
                    let slot = posting.slot as usize;
                    if matched[slot] == before {
                        matched[slot] = after;
                        typos[slot] = typos[slot].saturating_add(distance);
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
                    score[slot] += weight * s;
                }
            }
        }
        let all = groups.len() as u8;
        let mut hits: Vec<Hit> = matched
            .iter()
            .enumerate()
            .filter(|&(_, &m)| m == all)
            .map(|(slot, _)| {
                let document = self.documents[slot].as_ref().expect("matched slot");
                Hit {
                    id: document.id,
                    article: document.article,
                    typos: if mode == Match::All { typos[slot] } else { 0 },
                    score: score[slot],
                }
            })
            .collect();
        let best_first = |a: &Hit, b: &Hit| {
            a.typos
                .cmp(&b.typos)
                .then(b.score.total_cmp(&a.score))
                .then(a.id.cmp(&b.id))
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, best_first);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(best_first);
        hits
    }

    /// "Did you mean": when `query` finds fewer than a few documents, the same query
    /// with each word the index does not know replaced by the most common known word
    /// within a typo or two (one more than searching forgives), if that finds more.
    pub fn correct(&self, query: &Query, found: usize, synonyms: &Synonyms) -> Option<Correction> {
        if found >= FEW_HITS || query.is_empty() {
            return None;
        }
        let mut corrected = query.clone().completed();
        let mut replace = Vec::new();
        let words = query.terms.len();
        for i in 0..words {
            let term = &query.terms[i];
            let known = self
                .dictionary
                .get(term)
                .is_some_and(|t| self.frequency(t) > 0)
                || synonyms.of(term).any(|s| self.dictionary.get(s).is_some());
            let typing = i + 1 == words && query.prefix.is_some();
            if known
                || (typing
                    && self
                        .dictionary
                        .with_prefix(query.prefix.as_deref()?)
                        .next()
                        .is_some())
            {
                continue;
            }
            let best = self
                .dictionary
                .fuzzy(
                    term,
                    correction_typos(query.words[i].chars().count()),
                    false,
                )
                .into_iter()
                .filter(|&(t, _)| self.frequency(t) > 0)
                .min_by_key(|&(t, typos)| (typos, std::cmp::Reverse(self.frequency(t))))?;
            corrected.terms[i] = self.dictionary.term(best.0).to_owned();
            replace.push((
                query.words[i].clone(),
                self.words[best.0 as usize].to_string(),
            ));
        }
        if replace.is_empty() {
            return None;
        }
        let hits = self
            .search(&corrected, Match::All, synonyms, FEW_HITS * 2)
            .len();
        (hits >= (2 * found).max(1)).then_some(Correction { replace, hits })
    }
}

#[cfg(test)]
mod tests {
    use selfdesk_shared::language::Language;

    use super::*;
    use crate::search::analyze::analysed;

    fn doc(title: &str, summary: &str, body: &str) -> [Vec<Token>; FIELDS] {
        [
            analysed(title, Language::En),
            analysed(summary, Language::En),
            analysed(body, Language::En),
        ]
    }

    fn none() -> Synonyms {
        Synonyms::default()
    }

    fn index() -> LanguageIndex {
        let mut index = LanguageIndex::default();
        index.upsert(
            1,
            1,
            doc("Printer not printing", "From a laptop", "Check the cable."),
        );
        index.upsert(
            2,
            2,
            doc("Wi-Fi has no internet", "Connected", "Restart the router."),
        );
        index.upsert(
            3,
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
            .search(&query, Match::All, &none(), 10)
            .into_iter()
            .map(|hit| hit.id)
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
                .search(&Query::parse(q, Language::En), Match::Any, &none(), 10)
                .into_iter()
                .map(|hit| hit.id)
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
            big.upsert(id, id, doc(&format!("My topic {id}"), "", ""));
        }
        big.upsert(99, 99, doc("My printer jams", "", ""));
        let found = big.search(
            &Query::parse("my printer ", Language::En),
            Match::Any,
            &none(),
            10,
        );
        assert_eq!(found.iter().map(|hit| hit.id).collect::<Vec<_>>(), vec![99]);
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
        index.upsert(1, 1, doc("Scanner jams", "", ""));
        assert_eq!(ids(&index, "printer "), vec![3]);
        assert_eq!(ids(&index, "scanner "), vec![1]);
        assert!(index.remove(3));
        assert!(!index.remove(3));
        assert_eq!(ids(&index, "printer "), Vec::<i64>::new());
        assert_eq!(index.len(), 2);
        // The freed slot is reused, and nothing of the old document leaks into it.
        index.upsert(4, 4, doc("Monitor flickers", "", ""));
        assert_eq!(ids(&index, "monitor "), vec![4]);
        assert_eq!(ids(&index, "driver "), Vec::<i64>::new());
    }

    #[test]
    fn limit_keeps_the_best() {
        let mut index = LanguageIndex::default();
        for i in 0..50i64 {
            let body = "printer ".repeat(1 + i as usize % 5);
            index.upsert(i, i, doc("Guide", "", &body));
        }
        index.upsert(99, 99, doc("Printer", "", ""));
        let hits = index.search(
            &Query::parse("printer ", Language::En),
            Match::All,
            &none(),
            5,
        );
        assert_eq!(hits.len(), 5);
        assert_eq!(hits[0].id, 99);
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn typos_are_forgiven_by_word_length() {
        let index = index();
        // One edit in a word of 5 to 8 letters; a transposition is one edit.
        assert_eq!(ids(&index, "prnter "), vec![1, 3]);
        assert_eq!(ids(&index, "pirnter "), vec![1, 3]);
        assert_eq!(ids(&index, "routr "), vec![2]);
        // Two edits need 9 letters or more.
        assert_eq!(ids(&index, "prntr "), Vec::<i64>::new());
        assert_eq!(ids(&index, "computr "), vec![3]);
        // Short words match exactly only: "cabel" is 5 letters, "cabe" 4.
        assert_eq!(ids(&index, "cabel "), vec![1]);
        assert_eq!(ids(&index, "cabe "), Vec::<i64>::new());
        // The word being typed: its typed part may have a typo.
        assert_eq!(ids(&index, "prnte"), vec![1, 3]);
    }

    #[test]
    fn exact_matches_rank_above_typos_and_fewer_typos_above_more() {
        let mut index = LanguageIndex::default();
        // The typo match has the better score (title), yet comes after the exact one.
        index.upsert(1, 1, doc("Printer", "", ""));
        index.upsert(
            2,
            2,
            doc("Guide", "", "A long text that mentions a printr once."),
        );
        let hits = index.search(
            &Query::parse("printr ", Language::En),
            Match::All,
            &none(),
            10,
        );
        assert_eq!(
            hits.iter().map(|h| (h.id, h.typos)).collect::<Vec<_>>(),
            [(2, 0), (1, 1)]
        );
        // Nine letters or more: one typo ranks above two.
        index.upsert(3, 3, doc("Keyboards", "", ""));
        index.upsert(4, 4, doc("Keybords", "", ""));
        let hits = index.search(
            &Query::parse("keyboards ", Language::En),
            Match::All,
            &none(),
            10,
        );
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn synonyms_stand_for_each_other() {
        let mut index = LanguageIndex::default();
        index.upsert(1, 1, doc("Wi-Fi drops", "", ""));
        index.upsert(2, 2, doc("Wireless mouse", "", ""));
        let query = Query::parse("wlan ", Language::En);
        assert!(index.search(&query, Match::All, &none(), 10).is_empty());
        let group = selfdesk_shared::search::SynonymGroup {
            id: 1,
            lang: Language::En,
            words: vec!["wlan".into(), "wi-fi".into()],
            updated_at: 0,
        };
        let synonyms = Synonyms::of_language(&[group], Language::En);
        let found: Vec<i64> = index
            .search(&query, Match::All, &synonyms, 10)
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(found, [1]);
        assert!(
            index
                .matched_terms(&query, &synonyms)
                .contains(&"wifi".to_owned())
        );
    }

    #[test]
    fn a_better_spelling_is_offered_when_little_is_found() {
        let mut index = index();
        index.upsert(4, 4, doc("VPN will not connect", "", ""));
        index.upsert(5, 5, doc("VPN is slow", "", ""));
        let correct = |q: &str| {
            let query = Query::parse(q, Language::En);
            let found = index.search(&query, Match::All, &none(), 10).len();
            index.correct(&query, found, &none())
        };
        // Three letters are never forgiven in searching, but are corrected.
        let c = correct("vpm ").expect("a correction");
        assert_eq!(c.replace, [("vpm".to_owned(), "vpn".to_owned())]);
        assert_eq!(c.hits, 2);
        // The word offered is one a person writes, not a stem.
        // Two typos in an 8-letter word are more than searching forgives.
        let c = correct("slow kompyter ").expect("a correction");
        assert_eq!(c.replace, [("kompyter".to_owned(), "computer".to_owned())]);
        // Already found through a typo: nothing to correct.
        assert_eq!(correct("slow compuuter "), None);
        // Nothing to offer when the words are known, or nothing is close.
        assert_eq!(correct("printer "), None);
        assert_eq!(correct("xyzzy "), None);
    }

    #[test]
    fn articles_are_known_by_their_documents() {
        let mut index = LanguageIndex::default();
        index.upsert(10, 7, doc("Printer", "", ""));
        assert!(index.has_article(7));
        index.upsert(10, 8, doc("Printer", "", ""));
        assert!(!index.has_article(7) && index.has_article(8));
        index.remove(10);
        assert!(!index.has_article(8));
    }
}
