//! A flow's text form. Technicians write TOML (readable, diffable, fit for version
//! control); this turns it into a [`Flow`] and reports everything wrong with it —
//! syntax errors with their line and column, then the shared validator's findings,
//! then references to articles, categories or flows that do not exist.

use std::collections::HashSet;

use selfdesk_shared::flows::api::FlowProblem;
use selfdesk_shared::flows::{Flow, FlowError, FlowErrorKind, Node, validate};

/// What exists outside the flow, for the checks only the server can make.
#[derive(Debug, Default)]
pub struct Known {
    pub articles: HashSet<String>,
    pub categories: HashSet<String>,
    pub flows: HashSet<String>,
}

/// Parses `source`. A syntax or shape error comes back as the one problem there is.
pub fn parse(source: &str) -> Result<Flow, Box<FlowProblem>> {
    toml::from_str::<Flow>(source).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (line, column) = line_and_column(source, span.start);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        let message = e.message().trim().replace('\n', "; ");
        Box::new(FlowProblem {
            message: match line {
                Some(line) => format!("Line {line}: {message}"),
                None => message,
            },
            line,
            column,
            error: None,
        })
    })
}

/// The flow in `source` and everything wrong with it, for the flow `slug`. The flow
/// is `None` only when the text does not parse.
pub fn check(source: &str, slug: &str, known: &Known) -> (Option<Flow>, Vec<FlowProblem>) {
    let flow = match parse(source) {
        Ok(flow) => flow,
        Err(problem) => return (None, vec![*problem]),
    };
    let mut errors = Vec::new();
    if flow.slug != slug {
        errors.push(FlowError::missing(
            FlowErrorKind::SlugMismatch,
            None,
            &flow.slug,
        ));
    }
    errors.extend(validate(&flow));
    errors.extend(references(&flow, known));
    (
        Some(flow),
        errors.into_iter().map(FlowProblem::from).collect(),
    )
}

/// Articles, categories and flows the nodes name that do not exist. A subflow may
/// name a flow being published at the same time only once that one is published.
fn references(flow: &Flow, known: &Known) -> Vec<FlowError> {
    let mut errors = Vec::new();
    for (id, node) in &flow.nodes {
        let missing = match node {
            Node::Article { article, .. }
                if !article.is_empty() && !known.articles.contains(article) =>
            {
                Some((FlowErrorKind::UnknownArticle, article))
            }
            Node::Ticket { category, .. }
                if !category.is_empty() && !known.categories.contains(category) =>
            {
                Some((FlowErrorKind::UnknownCategory, category))
            }
            Node::Subflow { flow: other }
                if !other.is_empty() && *other != flow.slug && !known.flows.contains(other) =>
            {
                Some((FlowErrorKind::UnknownFlow, other))
            }
            _ => None,
        };
        if let Some((kind, name)) = missing {
            errors.push(FlowError::missing(kind, Some(id), name));
        }
    }
    errors
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_and_column(source: &str, at: usize) -> (usize, usize) {
    let before = &source[..at.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
slug = "printer"
title = { en = "My printer doesn't work" }
languages = ["en"]
start = "device"

[nodes.device]
type = "question"
text = { en = "Which computer?" }
[[nodes.device.answers]]
id = "laptop"
label = { en = "laptop" }
next = "queue"

[nodes.queue]
type = "article"
article = "printer-not-printing-from-laptop"
text = { en = "Clear the queue." }
helped = "done"
not_helped = "ticket"

[nodes.done]
type = "resolved"

[nodes.ticket]
type = "ticket"
category = "printing"
impact = "me"
urgency = "slowed"
subject = { en = "Printer not printing from my {answer:device}" }
"#;

    fn known() -> Known {
        Known {
            articles: ["printer-not-printing-from-laptop".to_owned()].into(),
            categories: ["printing".to_owned()].into(),
            flows: HashSet::new(),
        }
    }

    #[test]
    fn a_good_source_parses_without_problems() {
        let (flow, problems) = check(SOURCE, "printer", &known());
        assert_eq!(problems, []);
        let flow = flow.unwrap();
        assert_eq!(flow.version, 0, "versions are the server's to give");
        assert_eq!(flow.nodes.len(), 4);
    }

    #[test]
    fn syntax_errors_say_where() {
        let broken = SOURCE.replace("type = \"resolved\"", "type = resolved");
        let (flow, problems) = check(&broken, "printer", &known());
        assert!(flow.is_none());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(23), "{problems:?}");
        assert!(problems[0].message.starts_with("Line 23:"), "{problems:?}");
    }

    #[test]
    fn unknown_keys_and_node_types_are_refused_with_their_place() {
        let typo = SOURCE.replace("helped = \"done\"", "helpd = \"done\"");
        let (_, problems) = check(&typo, "printer", &known());
        assert!(problems[0].message.contains("helpd"), "{problems:?}");
        assert!(problems[0].line.is_some());
    }

    #[test]
    fn missing_references_and_a_wrong_slug_are_reported() {
        let known = Known::default();
        let (flow, problems) = check(SOURCE, "printers", &known);
        assert!(flow.is_some());
        let kinds: Vec<FlowErrorKind> = problems
            .iter()
            .filter_map(|p| p.error.as_ref().map(|e| e.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                FlowErrorKind::SlugMismatch,
                FlowErrorKind::UnknownArticle,
                FlowErrorKind::UnknownCategory
            ]
        );
        assert!(
            problems[1]
                .message
                .contains("printer-not-printing-from-laptop")
        );
    }

    #[test]
    fn every_seed_flow_is_valid() {
        // The seed flows name each other and the seed articles and categories.
        let seeds = crate::seed::flows::sources();
        assert!(
            seeds.len() >= 10,
            "the starter flows of the cases users meet most"
        );
        let known = Known {
            articles: crate::seed::kb::article_slugs().into_iter().collect(),
            categories: [
                "hardware", "printing", "network", "software", "account", "email", "other",
            ]
            .map(str::to_owned)
            .into(),
            flows: seeds.iter().map(|(slug, _)| slug.clone()).collect(),
        };
        for (slug, source) in seeds {
            let (flow, problems) = check(&source, &slug, &known);
            assert_eq!(problems, [], "{slug}");
            let flow = flow.unwrap();
            assert_eq!(flow.languages.len(), 4, "{slug} is in all four languages");
            // What the browser can tell, it tells before anyone is asked.
            let checks_first = [
                "no-internet",
                "wifi-no-internet",
                "vpn-wont-connect",
                "video-calls",
                "external-monitor",
            ];
            if checks_first.contains(&slug.as_str()) {
                assert!(
                    matches!(flow.nodes[&flow.start], Node::Check { .. }),
                    "{slug} starts with a check"
                );
            }
        }
    }
}
