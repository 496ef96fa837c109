//! "Describe your problem" finds guided diagnostics too: the published flows are
//! few (dozens), so they are matched on the spot against the same analysed tokens
//! as articles — title, questions, instructions and answers, in the reader's language
//! and in English — rather than indexed.

use std::collections::HashSet;

use selfdesk_shared::flows::{Flow, Node};
use selfdesk_shared::kb::FlowHit;
use selfdesk_shared::language::Language;

use super::analyze::{Query, tokens};

/// Flows that match at least half of the query's words (words of one or two letters
/// aside), best first: a word in the title counts double.
pub fn match_flows(flows: &[Flow], query: &Query, lang: Language, limit: usize) -> Vec<FlowHit> {
    let mut terms: Vec<&str> = query
        .terms
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().count() > 2)
        .collect();
    terms.dedup();
    let prefix = query.prefix.as_deref().filter(|p| p.chars().count() > 2);
    let wanted = terms.len() + usize::from(prefix.is_some());
    if wanted == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &Flow)> = flows
        .iter()
        .filter_map(|flow| {
            let title = flow_tokens(std::iter::once(&flow.title), lang);
            let body = flow_tokens(flow.nodes.values().flat_map(texts), lang);
            let has = |set: &HashSet<String>, term: &str| set.contains(term);
            let mut found = 0;
            let mut score = 0;
            for term in &terms {
                let in_title = has(&title, term);
                if in_title || has(&body, term) {
                    found += 1;
                    score += if in_title { 2 } else { 1 };
                }
            }
            if let Some(prefix) = prefix {
                let starts = |set: &HashSet<String>| set.iter().any(|t| t.starts_with(prefix));
                if starts(&title) || starts(&body) {
                    found += 1;
                    score += if starts(&title) { 2 } else { 1 };
                }
            }
            (found > 0 && found * 2 >= wanted).then_some((score, flow))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.slug.cmp(&b.1.slug)));
    scored
        .into_iter()
        .take(limit)
        .filter_map(|(_, flow)| crate::store::flows::list_item(flow, lang))
        .collect()
}

/// Every text a requester reads at a node: the question or instruction and the
/// answers' labels.
fn texts(node: &Node) -> Vec<&selfdesk_shared::flows::Text> {
    let mut out: Vec<_> = node.text().into_iter().collect();
    if let Node::Question { answers, .. } = node {
        out.extend(answers.iter().map(|a| &a.label));
    }
    out
}

/// The tokens of `texts` in `lang` and, so an English word finds a flow whatever
/// the page's language, in English.
fn flow_tokens<'a>(
    texts: impl Iterator<Item = &'a selfdesk_shared::flows::Text>,
    lang: Language,
) -> HashSet<String> {
    let mut set = HashSet::new();
    for text in texts {
        set.extend(tokens(text.resolve(lang), lang));
        if lang != Language::En {
            set.extend(tokens(text.resolve(Language::En), Language::En));
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::source::parse;

    fn seeds() -> Vec<Flow> {
        crate::seed::flows::sources()
            .iter()
            .map(|(_, source)| parse(source).unwrap())
            .collect()
    }

    fn slugs(query: &str, lang: Language) -> Vec<String> {
        match_flows(&seeds(), &Query::parse(query, lang), lang, 3)
            .into_iter()
            .map(|h| h.slug.into_inner())
            .collect()
    }

    #[test]
    fn problems_described_in_words_find_their_flow() {
        assert_eq!(slugs("my printer won't print ", Language::En)[0], "printer");
        assert_eq!(slugs("no internet ", Language::En)[0], "no-internet");
        assert_eq!(slugs("forgot my password ", Language::En)[0], "sign-in");
        assert_eq!(slugs("принтер не печатает ", Language::Ru)[0], "printer");
        assert_eq!(slugs("imprimante ", Language::Fr)[0], "printer");
    }

    #[test]
    fn a_word_being_typed_counts_as_a_prefix() {
        assert!(slugs("print", Language::En).contains(&"printer".to_owned()));
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert_eq!(
            slugs("holiday calendar sync ", Language::En),
            Vec::<String>::new()
        );
        assert_eq!(slugs("a b ", Language::En), Vec::<String>::new());
    }
}
