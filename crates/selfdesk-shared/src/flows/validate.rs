//! The checks a flow must pass before it is published: the editor runs them while a
//! technician edits, the server again on import and publish, with this same code.
//!
//! Every problem is reported, not just the first, each naming the node (and answer,
//! and language) it concerns so that an editor can show it in place.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Flow, Label, Node, StockAnswer, Text, is_valid_answer_id, is_valid_node_id};
use crate::error::{FieldError, Reason};
use crate::kb_authoring::check_slug;
use crate::language::Language;

/// What is wrong, for machines (the editor picks an icon or a fix-it action by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlowErrorKind {
    /// The flow's slug breaks the slug rules (see `kb_authoring::check_slug`).
    InvalidSlug,
    /// English is not among the flow's languages; it is everyone's fallback.
    MissingEnglish,
    /// There is no node with the start id (`detail`).
    MissingStart,
    /// A node id breaks `[a-z0-9_-]{1,64}`.
    InvalidNodeId,
    /// No way leads from the start to this node.
    Unreachable,
    /// A question with no answers: the requester would be stuck.
    DeadEnd,
    /// Neither an outcome nor another flow can be reached from this node: every way
    /// from here loops back or ends in a dead end or a missing node.
    NoWayOut,
    /// An answer leads to a node that does not exist (`detail`).
    DanglingAnswer,
    /// Two answers of one question share an id.
    DuplicateAnswer,
    /// An answer id breaks `[a-z0-9_-]{1,32}` or takes a stock answer's id.
    InvalidAnswerId,
    /// A text lacks a language the flow claims (or English), or that version is blank.
    Untranslated,
    /// An article node names no article.
    EmptyArticle,
    /// A ticket outcome names no category.
    EmptyCategory,
    /// A subflow node names no flow.
    EmptySubflow,
    /// A subflow node names the flow it is in: the requester would start over forever.
    SelfSubflow,
    /// An article node links an article that is not published (`detail`). Checked by
    /// the server, which knows the articles.
    UnknownArticle,
    /// A ticket outcome names a category that does not exist (`detail`); server-side.
    UnknownCategory,
    /// A subflow continues in a flow that is not published (`detail`); server-side.
    UnknownFlow,
    /// The source's slug (`detail`) is not the slug of the flow being edited.
    SlugMismatch,
    /// A ticket subject's `{answer:…}` placeholder is unterminated or does not name a
    /// question (`detail` is the placeholder's node id, if any).
    BadPlaceholder,
    /// A check's outcome (`answer`) has no branch and the check has no fallback
    /// question: the walk would stop there. `detail` is the check's kind.
    MissingCheckOutcome,
    /// A check branches on `answer`, which its kind (`detail`) never gives: a typo,
    /// or an outcome of another kind.
    UnknownCheckOutcome,
    /// A check's fallback (`detail`) is not a question of this flow.
    FallbackNotQuestion,
}

/// One problem with a flow, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowError {
    pub kind: FlowErrorKind,
    /// The node concerned; `None` for the flow's own fields.
    pub node: Option<String>,
    /// The answer concerned, within `node`.
    pub answer: Option<String>,
    /// The language missing, for `untranslated` and `bad_placeholder`.
    pub language: Option<Language>,
    /// The missing node for `dangling_answer` and `missing_start`, the placeholder's
    /// node for `bad_placeholder`.
    pub detail: Option<String>,
}

impl FlowError {
    fn new(kind: FlowErrorKind, node: Option<&str>) -> Self {
        Self {
            kind,
            node: node.map(str::to_owned),
            answer: None,
            language: None,
            detail: None,
        }
    }

    /// A problem only the server can find (a missing article, category or flow):
    /// `kind` at `node`, naming what is missing.
    pub fn missing(kind: FlowErrorKind, node: Option<&str>, detail: &str) -> Self {
        Self::new(kind, node).detail(detail)
    }

    fn answer(mut self, answer: &str) -> Self {
        self.answer = Some(answer.to_owned());
        self
    }

    fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    fn detail(mut self, detail: &str) -> Self {
        self.detail = Some(detail.to_owned());
        self
    }

    /// The problem in English, for the server's error responses and logs (the editor
    /// words its own from `kind` and the fields).
    pub fn message(&self) -> String {
        use FlowErrorKind::*;
        let node = self.node.as_deref().unwrap_or("");
        let answer = self.answer.as_deref().unwrap_or("");
        let detail = self.detail.as_deref().unwrap_or("");
        let lang = self.language.map(Language::code).unwrap_or("");
        match self.kind {
            InvalidSlug => "The flow's slug must have 3 to 80 lowercase letters a-z, digits \
                            and hyphens, starting and ending with a letter or digit"
                .to_owned(),
            MissingEnglish => "English must be among the flow's languages".to_owned(),
            MissingStart => format!("The start node {detail:?} does not exist"),
            InvalidNodeId => {
                format!("Node id {node:?} must have 1 to 64 lowercase letters a-z, digits, _ and -")
            }
            Unreachable => format!("Node {node:?} cannot be reached from the start"),
            DeadEnd => format!("Question {node:?} has no answers"),
            NoWayOut => format!(
                "From node {node:?} no outcome can be reached: every answer leads back in a \
                 loop, to a dead end or to a missing node"
            ),
            DanglingAnswer => format!(
                "Answer {answer:?} of node {node:?} leads to node {detail:?}, which does not exist"
            ),
            DuplicateAnswer => format!("Question {node:?} has more than one answer {answer:?}"),
            InvalidAnswerId if StockAnswer::ALL.iter().any(|s| s.id() == answer) => {
                format!(
                    "Answer id {answer:?} of question {node:?} is reserved for the app's own \
                     answers"
                )
            }
            InvalidAnswerId => format!(
                "Answer id {answer:?} of question {node:?} must have 1 to 32 lowercase letters \
                 a-z, digits, _ and -"
            ),
            Untranslated => match (&self.node, &self.answer) {
                (None, _) => format!("The flow's title has no {lang} text"),
                (Some(_), None) => format!("Node {node:?} has no {lang} text"),
                (Some(_), Some(_)) => {
                    format!("Answer {answer:?} of node {node:?} has no {lang} label")
                }
            },
            EmptyArticle => format!("Node {node:?} must name an article"),
            EmptyCategory => format!("Ticket node {node:?} must name a category"),
            EmptySubflow => format!("Subflow node {node:?} must name a flow"),
            SelfSubflow => format!("Subflow node {node:?} continues in this same flow"),
            UnknownArticle => {
                format!("Node {node:?} links article {detail:?}, which is not published")
            }
            UnknownCategory => {
                format!("Ticket node {node:?} names category {detail:?}, which does not exist")
            }
            UnknownFlow => format!(
                "Subflow node {node:?} continues in flow {detail:?}, which is not published"
            ),
            SlugMismatch => format!("The slug {detail:?} is not the slug of the flow being edited"),
            BadPlaceholder if self.detail.is_none() => format!(
                "The {lang} subject of node {node:?} has an unterminated {{answer:…}} placeholder"
            ),
            BadPlaceholder => format!(
                "The {lang} subject of node {node:?} refers to {detail:?}, which is not a question"
            ),
            MissingCheckOutcome => format!(
                "Check {node:?} has no branch for its outcome {answer:?} and no fallback question"
            ),
            UnknownCheckOutcome => {
                format!("Check {node:?} branches on {answer:?}, which a {detail} check never gives")
            }
            FallbackNotQuestion => format!(
                "The fallback of check {node:?} must be a question of this flow, and \
                 {detail:?} is not"
            ),
        }
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FlowError {}

/// Every problem of `flow`: flow-level ones first, then node by node in id order (an
/// editor can list them as they come). Empty means the flow may be published.
///
/// Graph checks: reachability is a breadth-first search from the start; "an outcome
/// can be reached" is a breadth-first search backwards from every end (resolved,
/// ticket, subflow). Loops are fine as long as they have a way out ("try again"); a
/// reachable node from which no end can be reached is `NoWayOut`. Edges to missing
/// nodes count for neither search. When the start node is missing, nothing is
/// reachable, and saying so of every node would bury the one real problem, so the
/// graph checks are skipped.
/// Slugs that name API routes beside `/api/v1/flows/{slug}`: a flow so named could
/// never be opened.
pub const RESERVED_FLOW_SLUGS: [&str; 1] = ["walks"];

/// The slug rules of articles, minus the reserved words.
pub fn check_flow_slug(slug: &str) -> Result<(), FieldError> {
    check_slug(slug)?;
    if RESERVED_FLOW_SLUGS.contains(&slug) {
        return Err(FieldError::new("slug", Reason::Reserved).because(format!(
            "{slug:?} is used by the portal itself: choose another slug"
        )));
    }
    Ok(())
}

pub fn validate(flow: &Flow) -> Vec<FlowError> {
    use FlowErrorKind::*;
    let mut errors = Vec::new();

    if check_flow_slug(&flow.slug).is_err() {
        errors.push(FlowError::new(InvalidSlug, None));
    }
    if !flow.languages.contains(&Language::En) {
        errors.push(FlowError::new(MissingEnglish, None));
    }
    // English is always checked: it is what everyone else falls back to.
    let languages: Vec<Language> = Language::ALL
        .into_iter()
        .filter(|l| *l == Language::En || flow.languages.contains(l))
        .collect();
    let untranslated = |text: &Text, node: Option<&str>, answer: Option<&str>| {
        languages
            .iter()
            .filter(|l| text.get(**l).is_none())
            .map(|l| {
                let e = FlowError::new(Untranslated, node).language(*l);
                match answer {
                    Some(a) => e.answer(a),
                    None => e,
                }
            })
            .collect::<Vec<_>>()
    };
    errors.extend(untranslated(&flow.title, None, None));

    let graph = Graph::of(flow);
    let start_exists = flow.nodes.contains_key(&flow.start);
    if !start_exists {
        errors.push(FlowError::new(MissingStart, None).detail(&flow.start));
    }

    for (index, (id, node)) in flow.nodes.iter().enumerate() {
        let here = Some(id.as_str());
        if !is_valid_node_id(id) {
            errors.push(FlowError::new(InvalidNodeId, here));
        }
        let dead_end =
            matches!(node, Node::Question { answers, dont_know: None, .. } if answers.is_empty());
        // A check that leads nowhere is reported per outcome (`MissingCheckOutcome`),
        // not also as having no way out.
        let stuck = dead_end || (!node.is_end() && node.choices().is_empty());
        if start_exists && !graph.reachable[index] {
            errors.push(FlowError::new(Unreachable, here));
        } else if start_exists && !stuck && !graph.reaches_end[index] {
            errors.push(FlowError::new(NoWayOut, here));
        }
        if dead_end {
            errors.push(FlowError::new(DeadEnd, here));
        }
        if let Node::Question { answers, .. } = node {
            let mut seen = BTreeSet::new();
            for answer in answers {
                if !is_valid_answer_id(&answer.id)
                    || StockAnswer::ALL.iter().any(|s| s.id() == answer.id)
                {
                    errors.push(FlowError::new(InvalidAnswerId, here).answer(&answer.id));
                }
                if !seen.insert(answer.id.as_str()) {
                    errors.push(FlowError::new(DuplicateAnswer, here).answer(&answer.id));
                }
            }
        }
        if let Node::Check {
            check,
            outcomes,
            fallback,
            ..
        } = node
        {
            for outcome in check.outcomes() {
                if fallback.is_none() && !outcomes.contains_key(outcome.id) {
                    errors.push(
                        FlowError::new(MissingCheckOutcome, here)
                            .answer(outcome.id)
                            .detail(check.id()),
                    );
                }
            }
            for key in outcomes.keys() {
                if check.outcome(key).is_none() {
                    errors.push(
                        FlowError::new(UnknownCheckOutcome, here)
                            .answer(key)
                            .detail(check.id()),
                    );
                }
            }
            if let Some(target) = fallback
                && !matches!(flow.nodes.get(target), Some(Node::Question { .. }))
            {
                errors.push(FlowError::new(FallbackNotQuestion, here).detail(target));
            }
        }
        for choice in node.choices() {
            // An outcome chosen by hand leads where the found one does: one report.
            let by_hand = matches!(choice.label, Label::Stock(StockAnswer::Check(a)) if a.by_hand);
            if !by_hand && !flow.nodes.contains_key(choice.next) {
                errors.push(
                    FlowError::new(DanglingAnswer, here)
                        .answer(choice.id)
                        .detail(choice.next),
                );
            }
        }
        if let Some(text) = node.text() {
            errors.extend(untranslated(text, here, None));
        }
        for choice in node.choices() {
            if let Label::Text(label) = choice.label {
                errors.extend(untranslated(label, here, Some(choice.id)));
            }
        }
        match node {
            Node::Article { article, .. } if article.trim().is_empty() => {
                errors.push(FlowError::new(EmptyArticle, here));
            }
            Node::Resolved { text: Some(text) } => {
                errors.extend(untranslated(text, here, None));
            }
            Node::Ticket {
                category, subject, ..
            } => {
                if category.trim().is_empty() {
                    errors.push(FlowError::new(EmptyCategory, here));
                }
                errors.extend(untranslated(subject, here, None));
                for lang in Language::ALL {
                    let Some(template) = subject.get(lang) else {
                        continue;
                    };
                    for placeholder in placeholders(template) {
                        let e = FlowError::new(BadPlaceholder, here).language(lang);
                        match placeholder {
                            Placeholder::Unterminated => errors.push(e),
                            Placeholder::Answer(target)
                                if !matches!(
                                    flow.nodes.get(target),
                                    Some(Node::Question { .. })
                                ) =>
                            {
                                errors.push(e.detail(target))
                            }
                            Placeholder::Answer(_) => {}
                        }
                    }
                }
            }
            Node::Subflow { flow: target } if target.trim().is_empty() => {
                errors.push(FlowError::new(EmptySubflow, here));
            }
            Node::Subflow { flow: target } if *target == flow.slug => {
                errors.push(FlowError::new(SelfSubflow, here));
            }
            _ => {}
        }
    }
    errors
}

/// The flow's nodes as indices (their position in id order) with edges to existing
/// nodes only, and the two searches' results.
struct Graph {
    reachable: Vec<bool>,
    reaches_end: Vec<bool>,
}

impl Graph {
    fn of(flow: &Flow) -> Self {
        let index: BTreeMap<&str, usize> = flow
            .nodes
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let n = flow.nodes.len();
        let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut backward: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (from, node) in flow.nodes.values().enumerate() {
            for choice in node.choices() {
                if let Some(&to) = index.get(choice.next) {
                    forward[from].push(to);
                    backward[to].push(from);
                }
            }
        }
        let starts: Vec<usize> = index
            .get(flow.start.as_str())
            .copied()
            .into_iter()
            .collect();
        let ends: Vec<usize> = flow
            .nodes
            .values()
            .enumerate()
            .filter(|(_, node)| node.is_end())
            .map(|(i, _)| i)
            .collect();
        Self {
            reachable: bfs(&forward, &starts),
            reaches_end: bfs(&backward, &ends),
        }
    }
}

fn bfs(edges: &[Vec<usize>], from: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for &i in from {
        if !seen[i] {
            seen[i] = true;
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        for &j in &edges[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

/// A `{answer:…}` placeholder in a subject template.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Placeholder<'t> {
    /// `{answer:device}`: the node id.
    Answer(&'t str),
    /// `{answer:` with no closing brace; the rest of the template is literal.
    Unterminated,
}

pub(super) const PLACEHOLDER_OPEN: &str = "{answer:";

/// The placeholders of a template, in order. Any other brace is literal text.
pub(super) fn placeholders(template: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
        let after = &rest[open + PLACEHOLDER_OPEN.len()..];
        match after.find('}') {
            Some(close) => {
                found.push(Placeholder::Answer(&after[..close]));
                rest = &after[close + 1..];
            }
            None => {
                found.push(Placeholder::Unterminated);
                break;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::{Answer, printer_flow};
    use super::*;
    use crate::tickets::{Impact, Urgency};
    use FlowErrorKind::*;

    #[test]
    fn a_slug_that_names_an_api_route_is_refused() {
        assert!(check_flow_slug("printer").is_ok());
        let error = check_flow_slug("walks").unwrap_err();
        assert_eq!(error.field, "slug");
        assert!(
            error.message().contains("used by the portal"),
            "{}",
            error.message()
        );
        let mut flow = printer_flow();
        flow.slug = "walks".into();
        assert!(validate(&flow).iter().any(|e| e.kind == InvalidSlug));
    }

    /// (kind, node, answer) of each error, for compact assertions.
    fn found(flow: &Flow) -> Vec<(FlowErrorKind, Option<String>, Option<String>)> {
        validate(flow)
            .into_iter()
            .map(|e| (e.kind, e.node, e.answer))
            .collect()
    }

    fn one(
        kind: FlowErrorKind,
        node: &str,
        answer: Option<&str>,
    ) -> (FlowErrorKind, Option<String>, Option<String>) {
        (kind, Some(node.into()), answer.map(Into::into))
    }

    fn question_mut<'f>(flow: &'f mut Flow, id: &str) -> &'f mut Vec<Answer> {
        match flow.nodes.get_mut(id) {
            Some(Node::Question { answers, .. }) => answers,
            other => panic!("{id} is {other:?}"),
        }
    }

    #[test]
    fn the_printer_flow_is_valid() {
        assert_eq!(validate(&printer_flow()), []);
    }

    /// The printer flow behind a storage check with the given branches and fallback.
    fn with_check(outcomes: &[(&str, &str)], fallback: Option<&str>) -> Flow {
        let mut flow = printer_flow();
        flow.nodes.insert(
            "storage".into(),
            Node::Check {
                check: crate::flows::checks::CheckKind::Storage,
                text: Text::new("Checking cookies").with(Language::Fr, "Vérification des cookies"),
                outcomes: outcomes
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                fallback: fallback.map(str::to_owned),
            },
        );
        flow.start = "storage".into();
        flow
    }

    #[test]
    fn a_check_needs_a_branch_or_the_fallback_for_every_outcome() {
        let all = [
            ("storage_ok", "device"),
            ("storage_blocked", "ticket"),
            ("storage_full", "ticket"),
            ("could_not_run", "device"),
        ];
        assert_eq!(validate(&with_check(&all, None)), []);
        assert_eq!(validate(&with_check(&all[..2], Some("device"))), []);
        let errors = validate(&with_check(&all[..2], None));
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.kind, e.answer.as_deref(), e.detail.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (MissingCheckOutcome, Some("storage_full"), Some("storage")),
                (MissingCheckOutcome, Some("could_not_run"), Some("storage")),
            ]
        );
        assert!(
            errors[1].message().contains("could_not_run"),
            "{}",
            errors[1].message()
        );
    }

    #[test]
    fn a_check_without_any_branch_is_not_also_without_a_way_out() {
        // The other nodes are unreachable now; that is not what this is about.
        let errors: Vec<_> = validate(&with_check(&[], None))
            .into_iter()
            .filter(|e| e.node.as_deref() == Some("storage"))
            .collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors.iter().all(|e| e.kind == MissingCheckOutcome));
    }

    #[test]
    fn unknown_outcomes_dangling_branches_and_bad_fallbacks_are_reported() {
        let flow = with_check(
            &[("offline", "ticket"), ("storage_ok", "gone")],
            Some("restart"),
        );
        let errors: Vec<_> = validate(&flow)
            .into_iter()
            .filter(|e| e.node.as_deref() == Some("storage"))
            .collect();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.kind, e.answer.as_deref(), e.detail.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (UnknownCheckOutcome, Some("offline"), Some("storage")),
                (FallbackNotQuestion, None, Some("restart")),
                (DanglingAnswer, Some("storage_ok"), Some("gone")),
            ]
        );
        for e in &errors {
            assert!(!e.message().is_empty());
        }
        assert!(errors[1].message().contains("must be a question"));
    }

    #[test]
    fn a_check_text_must_be_translated() {
        let mut flow = with_check(&[], Some("device"));
        if let Some(Node::Check { text, .. }) = flow.nodes.get_mut("storage") {
            text.fr = None;
        }
        let errors = validate(&flow);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, Untranslated);
        assert_eq!(errors[0].language, Some(Language::Fr));
    }

    #[test]
    fn flows_with_checks_round_trip_and_old_flows_load_unchanged() {
        let flow = with_check(&[("storage_blocked", "ticket")], Some("device"));
        let json = serde_json::to_value(&flow).unwrap();
        assert_eq!(json["nodes"]["storage"]["type"], "check");
        assert_eq!(json["nodes"]["storage"]["check"], "storage");
        assert_eq!(
            json["nodes"]["storage"]["outcomes"]["storage_blocked"],
            "ticket"
        );
        assert_eq!(json["nodes"]["storage"]["fallback"], "device");
        assert_eq!(serde_json::from_value::<Flow>(json).unwrap(), flow);
        let old = serde_json::to_string(&printer_flow()).unwrap();
        assert!(!old.contains("check"));
        assert_eq!(serde_json::from_str::<Flow>(&old).unwrap(), printer_flow());
        let unknown = r#"{"type":"check","check":"telepathy","text":{"en":"?"}}"#;
        assert!(serde_json::from_str::<Node>(unknown).is_err());
    }

    #[test]
    fn a_missing_start_is_reported_alone_not_with_every_node_unreachable() {
        let mut flow = printer_flow();
        flow.start = "nowhere".into();
        let errors = validate(&flow);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, MissingStart);
        assert_eq!(errors[0].detail.as_deref(), Some("nowhere"));
        assert!(errors[0].message().contains("nowhere"));
    }

    #[test]
    fn dangling_answers_name_the_answer_and_the_missing_node() {
        let mut flow = printer_flow();
        question_mut(&mut flow, "device")[1].next = "gone".into();
        if let Some(Node::Instruction { not_fixed, .. }) = flow.nodes.get_mut("restart") {
            *not_fixed = "also-gone".into();
        }
        let errors = validate(&flow);
        let dangling: Vec<_> = errors.iter().filter(|e| e.kind == DanglingAnswer).collect();
        assert_eq!(dangling.len(), 2, "{errors:?}");
        assert_eq!(dangling[0].node.as_deref(), Some("device"));
        assert_eq!(dangling[0].answer.as_deref(), Some("desktop"));
        assert_eq!(dangling[0].detail.as_deref(), Some("gone"));
        assert_eq!(dangling[1].node.as_deref(), Some("restart"));
        assert_eq!(dangling[1].answer.as_deref(), Some("not_fixed"));
        // The article is now only reachable through nothing: unreachable.
        assert!(found(&flow).contains(&one(Unreachable, "queue", None)));
    }

    #[test]
    fn unreachable_nodes_are_reported() {
        let mut flow = printer_flow();
        flow.nodes
            .insert("orphan".into(), Node::Resolved { text: None });
        assert_eq!(found(&flow), [one(Unreachable, "orphan", None)]);
    }

    #[test]
    fn a_question_without_answers_is_a_dead_end_and_not_also_no_way_out() {
        let mut flow = printer_flow();
        flow.nodes.insert(
            "stuck".into(),
            Node::Question {
                text: Text::new("Hmm?").with(Language::Fr, "Hein ?"),
                answers: Vec::new(),
                dont_know: None,
            },
        );
        if let Some(Node::Instruction { fixed, .. }) = flow.nodes.get_mut("restart") {
            *fixed = "stuck".into();
        }
        assert_eq!(found(&flow), [one(DeadEnd, "stuck", None)]);
    }

    #[test]
    fn a_loop_with_a_way_out_is_fine_but_a_closed_loop_is_not() {
        // "Try again": the instruction leads back to the question, which can still
        // reach an outcome.
        let mut flow = printer_flow();
        if let Some(Node::Instruction { not_fixed, .. }) = flow.nodes.get_mut("restart") {
            *not_fixed = "device".into();
        }
        flow.nodes.remove("queue");
        // `ticket` is now unreachable, but nothing is trapped.
        assert_eq!(found(&flow), [one(Unreachable, "ticket", None)]);

        // A loop of two nodes whose only exits lead into each other.
        let mut flow = printer_flow();
        let fr = |s: &str| Text::new(s).with(Language::Fr, s);
        flow.nodes.insert(
            "loop-a".into(),
            Node::Instruction {
                text: fr("Unplug it"),
                fixed: "loop-b".into(),
                not_fixed: "loop-b".into(),
            },
        );
        flow.nodes.insert(
            "loop-b".into(),
            Node::Instruction {
                text: fr("Plug it back"),
                fixed: "loop-a".into(),
                not_fixed: "loop-a".into(),
            },
        );
        question_mut(&mut flow, "device")[2].next = "loop-a".into();
        // `wifi` is now unreachable; both loop nodes are trapped.
        assert_eq!(
            found(&flow),
            [
                one(NoWayOut, "loop-a", None),
                one(NoWayOut, "loop-b", None),
                one(Unreachable, "wifi", None),
            ]
        );
    }

    #[test]
    fn untranslated_texts_name_node_answer_and_language() {
        let mut flow = printer_flow();
        question_mut(&mut flow, "device")[0].label.fr = Some("   ".into());
        if let Some(Node::Instruction { text, .. }) = flow.nodes.get_mut("restart") {
            text.fr = None;
        }
        flow.title.fr = None;
        let errors = validate(&flow);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors
                .iter()
                .all(|e| e.kind == Untranslated && e.language == Some(Language::Fr))
        );
        assert_eq!(
            (errors[0].node.as_deref(), errors[0].answer.as_deref()),
            (None, None)
        );
        assert_eq!(
            (errors[1].node.as_deref(), errors[1].answer.as_deref()),
            (Some("device"), Some("laptop"))
        );
        assert_eq!(
            (errors[2].node.as_deref(), errors[2].answer.as_deref()),
            (Some("restart"), None)
        );
        assert_eq!(
            errors[1].message(),
            r#"Answer "laptop" of node "device" has no fr label"#
        );

        // Unclaimed languages are not required; English always is.
        let mut flow = printer_flow();
        flow.languages = vec![Language::En];
        if let Some(Node::Resolved { text: Some(text) }) = flow.nodes.get_mut("done") {
            text.fr = None;
            text.en = None;
        }
        let errors = validate(&flow);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].kind, errors[0].language),
            (Untranslated, Some(Language::En))
        );
    }

    #[test]
    fn english_must_be_claimed() {
        let mut flow = printer_flow();
        flow.languages = vec![Language::Fr];
        assert_eq!(found(&flow), [(MissingEnglish, None, None)]);
    }

    #[test]
    fn answer_ids_must_be_unique_url_safe_and_not_stock() {
        let mut flow = printer_flow();
        let answers = question_mut(&mut flow, "device");
        answers[1].id = "laptop".into();
        answers[2].id = "Phone!".into();
        answers.push(Answer {
            id: "fixed".into(),
            label: Text::new("Fixed").with(Language::Fr, "Réparé"),
            next: "done".into(),
        });
        assert_eq!(
            found(&flow),
            [
                one(DuplicateAnswer, "device", Some("laptop")),
                one(InvalidAnswerId, "device", Some("Phone!")),
                one(InvalidAnswerId, "device", Some("fixed")),
            ]
        );
        let errors = validate(&flow);
        assert!(errors[2].message().contains("reserved"));
    }

    #[test]
    fn ends_must_name_what_they_lead_to() {
        let mut flow = printer_flow();
        if let Some(Node::Ticket { category, .. }) = flow.nodes.get_mut("ticket") {
            *category = " ".into();
        }
        if let Some(Node::Article { article, .. }) = flow.nodes.get_mut("queue") {
            article.clear();
        }
        if let Some(Node::Subflow { flow: target }) = flow.nodes.get_mut("wifi") {
            target.clear();
        }
        assert_eq!(
            found(&flow),
            [
                one(EmptyArticle, "queue", None),
                one(EmptyCategory, "ticket", None),
                one(EmptySubflow, "wifi", None),
            ]
        );
        let mut flow = printer_flow();
        if let Some(Node::Subflow { flow: target }) = flow.nodes.get_mut("wifi") {
            *target = "printer".into();
        }
        assert_eq!(found(&flow), [one(SelfSubflow, "wifi", None)]);
    }

    #[test]
    fn bad_slugs_and_node_ids_are_reported() {
        let mut flow = printer_flow();
        flow.slug = "Printer!".into();
        let done = flow.nodes.remove("done").unwrap();
        flow.nodes.insert("Done".into(), done);
        for node in flow.nodes.values_mut() {
            match node {
                Node::Instruction { fixed, .. } => *fixed = "Done".into(),
                Node::Article { helped, .. } => *helped = "Done".into(),
                _ => {}
            }
        }
        assert_eq!(
            found(&flow),
            [(InvalidSlug, None, None), one(InvalidNodeId, "Done", None)]
        );
    }

    #[test]
    fn subject_placeholders_must_name_questions_and_be_closed() {
        let mut flow = printer_flow();
        if let Some(Node::Ticket { subject, .. }) = flow.nodes.get_mut("ticket") {
            subject.en = Some("Printer {answer:restart} broken".into());
            subject.fr = Some("Imprimante {answer:device".into());
            subject.nb = Some("Skriver {answer:}".into());
        }
        let errors = validate(&flow);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().all(|e| e.kind == BadPlaceholder));
        assert_eq!(errors[0].language, Some(Language::En));
        assert_eq!(errors[0].detail.as_deref(), Some("restart"));
        assert_eq!(errors[1].language, Some(Language::Fr));
        assert_eq!(errors[1].detail, None);
        assert!(errors[1].message().contains("unterminated"));
        // Placeholders are checked in every language present, claimed or not.
        assert_eq!(errors[2].language, Some(Language::Nb));
        assert_eq!(errors[2].detail.as_deref(), Some(""));
        assert!(errors[2].message().contains("not a question"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut flow = printer_flow();
        flow.languages.push(Language::Nb);
        flow.nodes.insert(
            "extra".into(),
            Node::Ticket {
                category: String::new(),
                impact: Impact::Team,
                urgency: Urgency::Blocked,
                subject: Text::new("x")
                    .with(Language::Fr, "x")
                    .with(Language::Nb, "x"),
            },
        );
        let errors = validate(&flow);
        // Nb is missing from every text of the printer flow: the title, three
        // questions' and instructions' texts, three labels, the closing message and
        // the subject.
        let untranslated = errors.iter().filter(|e| e.kind == Untranslated);
        assert_eq!(untranslated.clone().count(), 9, "{errors:?}");
        assert!(
            untranslated
                .clone()
                .all(|e| e.language == Some(Language::Nb))
        );
        assert!(errors.iter().any(|e| e.kind == Unreachable));
        assert!(errors.iter().any(|e| e.kind == EmptyCategory));
        for e in &errors {
            assert!(!e.message().is_empty());
        }
    }

    #[test]
    fn placeholders_are_parsed_in_order() {
        assert_eq!(
            placeholders("{answer:a} and {x} {answer:b}{answer:"),
            [
                Placeholder::Answer("a"),
                Placeholder::Answer("b"),
                Placeholder::Unterminated
            ]
        );
        assert_eq!(placeholders("no placeholders {here}"), []);
    }

    #[test]
    fn errors_serialise_for_the_editor() {
        let e = FlowError::new(DanglingAnswer, Some("device"))
            .answer("laptop")
            .detail("gone");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "dangling_answer");
        assert_eq!(json["node"], "device");
        assert_eq!(e.to_string(), e.message());
    }
}
