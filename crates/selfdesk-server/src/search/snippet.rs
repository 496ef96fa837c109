//! Highlighted excerpts for search results, cut from the original text (not the
//! analysed tokens) so readers see real sentences. Returned as parts, not HTML: the
//! app renders hits as `<mark>` and nothing from the article is ever parsed as markup.

use selfdesk_shared::kb::SnippetPart;

use super::analyze::{Analyzer, Query, fold};

const MAX_CHARS: usize = 180;

/// Marks every word of `text` that matches the query.
pub fn highlight(text: &str, query: &Query, analyzer: &Analyzer) -> Vec<SnippetPart> {
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |text: &str, hit: bool| match parts.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => parts.push(SnippetPart {
            text: text.to_owned(),
            hit,
        }),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        push(&rest[..start], false);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        if !word.is_empty() {
            push(word, is_hit(word, query, analyzer));
        }
        rest = &rest[end..];
    }
    parts
}

fn is_hit(word: &str, query: &Query, analyzer: &Analyzer) -> bool {
    // Stemming only cuts endings, so a word can match only a term with its first
    // letter: checking that first skips stemming most words of a long article.
    let first_len = word.chars().next().map_or(0, char::len_utf8);
    let first = fold(&word[..first_len]);
    let possible = query
        .terms
        .iter()
        .chain(query.prefix.iter())
        .any(|t| t.starts_with(first.as_str()));
    if !possible {
        return false;
    }
    query.terms.contains(&analyzer.token(word))
        || query
            .prefix
            .as_ref()
            .is_some_and(|p| fold(&word.to_lowercase()).starts_with(p.as_str()))
}

/// The best short excerpt of `body`: the first sentence-sized window with the most
/// hits, highlighted. Falls back to the opening of the text.
pub fn excerpt(body: &str, query: &Query, analyzer: &Analyzer) -> Vec<SnippetPart> {
    let plain = strip_markdown(body);
    let sentences: Vec<&str> = plain
        .split_inclusive(['.', '!', '?', '\n'])
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect();
    let best = sentences
        .iter()
        .map(|s| {
            (
                highlight(s, query, analyzer)
                    .iter()
                    .filter(|p| p.hit)
                    .count(),
                *s,
            )
        })
        .filter(|(hits, _)| *hits > 0)
        .max_by_key(|(hits, _)| *hits)
        .map(|(_, s)| s)
        .or_else(|| sentences.first().copied())
        .unwrap_or("");
    highlight(&shorten(best), query, analyzer)
}

fn shorten(sentence: &str) -> String {
    if sentence.chars().count() <= MAX_CHARS {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(MAX_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

/// Markdown punctuation removed, so an excerpt reads as prose.
fn strip_markdown(body: &str) -> String {
    body.lines()
        .filter(|l| !l.trim_start().starts_with("```") && !l.trim_start().starts_with("|---"))
        .map(|l| {
            l.trim_start_matches(['#', '>', ' ', '-', '*'])
                .replace("[!NOTE]", "")
                .replace("[!TIP]", "")
                .replace("[!WARNING]", "")
                .replace("[!IMPORTANT]", "")
                .replace("[!CAUTION]", "")
                .replace(['*', '`', '|'], "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use selfdesk_shared::language::Language;

    fn marked(parts: &[SnippetPart]) -> String {
        parts
            .iter()
            .map(|p| {
                if p.hit {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn highlights_inflected_forms_and_prefixes() {
        let q = Query::parse("printer wi", Language::En);
        assert_eq!(
            marked(&highlight(
                "Printers on Wi-Fi",
                &q,
                &Analyzer::new(Language::En)
            )),
            "[Printers] on [Wi]-Fi"
        );
        let ru = Query::parse("принтер ", Language::Ru);
        assert_eq!(
            marked(&highlight(
                "Проверьте принтера.",
                &ru,
                &Analyzer::new(Language::Ru)
            )),
            "Проверьте [принтера]."
        );
    }

    #[test]
    fn excerpt_picks_the_sentence_with_hits() {
        let q = Query::parse("toner ", Language::En);
        let body = "## Check\nFirst restart it.\n\nThen look at the **toner** light.";
        assert_eq!(
            marked(&excerpt(body, &q, &Analyzer::new(Language::En))),
            "Then look at the [toner] light."
        );
    }

    #[test]
    fn long_sentences_are_cut_at_a_word() {
        let q = Query::parse("x ", Language::En);
        let long = "word ".repeat(100);
        let text: String = excerpt(&long, &q, &Analyzer::new(Language::En))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert!(text.chars().count() <= MAX_CHARS + 1 && text.ends_with('…'));
    }
}
