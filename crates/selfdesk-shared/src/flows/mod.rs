//! Guided diagnostics: troubleshooting decision trees ("flows") that a requester walks
//! through before, or instead of, filing a ticket.
//!
//! A [`Flow`] is a versioned graph of [`Node`]s keyed by id: questions, instructions
//! ("restart the printer"), KB articles ("did this help?"), checks the browser answers
//! by itself ("are you online?", see [`checks`]), and ends — resolved, file a
//! ticket, or continue in another flow. The types here are the whole model: the server
//! imports and exports them (as TOML), stores them and serves them as JSON; the app
//! walks them. [`validate`] is what an editor shows before a flow may be published,
//! and [`Walk`] is a requester's way through a flow, small enough to live in the URL.
//!
//! Nodes are the values of a map keyed by their id rather than carrying their own id:
//! an id then cannot disagree with its key, and the TOML form reads naturally
//! (`[nodes.restart]`, `type = "instruction"`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::language::Language;
use crate::tickets::{Impact, Urgency};
use checks::{CheckAnswer, CheckKind};

pub mod api;
pub mod checks;
pub mod reach_services;
mod validate;
mod walk;

pub use validate::{FlowError, FlowErrorKind, RESERVED_FLOW_SLUGS, check_flow_slug, validate};
pub use walk::{
    MAX_WALK_STEPS, Outcome, TrailStep, Walk, WalkError, WalkPosition, concat_transcripts,
};

/// A node's id: unique within its flow, `[a-z0-9_-]{1,64}` (see [`is_valid_node_id`]).
///
/// A plain `String` rather than a newtype: ids are map keys, error fields and
/// placeholders, and a newtype would only add conversions at each of those places.
pub type NodeId = String;

/// Answer ids travel in URLs (`?w=laptop.not_fixed`), so they are short and need no
/// escaping; `.` is not among their characters because it separates them.
pub const MAX_ANSWER_ID_CHARS: usize = 32;
/// Node ids appear in subject placeholders (`{answer:device}`) and in editors' links.
pub const MAX_NODE_ID_CHARS: usize = 64;

/// `[a-z0-9_-]{1,32}`.
pub fn is_valid_answer_id(id: &str) -> bool {
    is_token(id, MAX_ANSWER_ID_CHARS)
}

/// `[a-z0-9_-]{1,64}`.
pub fn is_valid_node_id(id: &str) -> bool {
    is_token(id, MAX_NODE_ID_CHARS)
}

fn is_token(value: &str, max: usize) -> bool {
    (1..=max).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A translatable text: one string per language, English being the fallback.
///
/// A struct with a field per language rather than a map: `Language` is not ordered, so
/// it cannot key a `BTreeMap`, and a `HashMap` would serialise in a random order and
/// make exported flows differ from one export to the next. Unknown language codes are
/// refused on import instead of being dropped silently. Adding a language to
/// [`Language`] means adding a field here, which the compiler points out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nb: Option<String>,
}

impl Text {
    /// A text with its English version only.
    pub fn new(english: impl Into<String>) -> Self {
        Self {
            en: Some(english.into()),
            ..Self::default()
        }
    }

    /// The same text with `lang`'s version set (builder style, for flows built in code).
    pub fn with(mut self, lang: Language, value: impl Into<String>) -> Self {
        self.set(lang, value);
        self
    }

    pub fn set(&mut self, lang: Language, value: impl Into<String>) {
        *self.slot_mut(lang) = Some(value.into());
    }

    /// The version in `lang`, if there is one that is not blank: a blank string is an
    /// editor's unfinished translation, not a translation.
    pub fn get(&self, lang: Language) -> Option<&str> {
        self.slot(lang).as_deref().filter(|s| !s.trim().is_empty())
    }

    /// The version in `lang`, else the English one, else the empty string (which only
    /// an invalid flow can produce).
    pub fn resolve(&self, lang: Language) -> &str {
        self.get(lang)
            .or_else(|| self.get(Language::En))
            .unwrap_or("")
    }

    fn slot(&self, lang: Language) -> &Option<String> {
        match lang {
            Language::En => &self.en,
            Language::Ru => &self.ru,
            Language::Fr => &self.fr,
            Language::Nb => &self.nb,
        }
    }

    fn slot_mut(&mut self, lang: Language) -> &mut Option<String> {
        match lang {
            Language::En => &mut self.en,
            Language::Ru => &mut self.ru,
            Language::Fr => &mut self.fr,
            Language::Nb => &mut self.nb,
        }
    }
}

/// A troubleshooting decision tree, e.g. "Printer not working".
///
/// Flows are versioned because a ticket's transcript records the version walked: a
/// technician reading an old ticket can tell which questions the requester saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// The flow's address (`/diagnose/printer`) and the name subflows use to continue
    /// in it; same rules as an article slug.
    pub slug: String,
    /// Given by the server when the flow is published; a file to import leaves it out.
    #[serde(default)]
    pub version: i64,
    pub title: Text,
    /// The languages every text of the flow is translated into; English is required.
    /// Requesters in other languages see the English texts.
    pub languages: Vec<Language>,
    /// The id of the first node.
    pub start: NodeId,
    /// Ordered by id so that exports are stable.
    pub nodes: BTreeMap<NodeId, Node>,
}

impl Flow {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.get(id)
    }
}

/// One step of a flow. Tagged with `type` so an imported file reads
/// `type = "question"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Unknown keys are refused: a typo in an imported file ("helpd") must not be
// silently dropped.
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Node {
    /// One choice among answers, each leading on.
    Question {
        text: Text,
        answers: Vec<Answer>,
        /// Where "I don't know" leads, if the question offers it. Its label is the
        /// app's (the same words in every flow), its answer id is
        /// [`StockAnswer::DontKnow`]'s.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dont_know: Option<NodeId>,
    },
    /// Something to try ("Restart the printer and try again"), then "That fixed it" or
    /// "Still not working". Those two labels are the app's.
    Instruction {
        text: Text,
        fixed: NodeId,
        not_fixed: NodeId,
    },
    /// A KB article to read, then "This helped" or "This did not help" (the app's
    /// labels). The article is linked by slug, not copied, so it stays current.
    Article {
        /// The article's slug.
        article: String,
        /// What to tell the requester about the article ("Clear the print queue as
        /// this article shows"); it is also the step's question in the trail.
        text: Text,
        helped: NodeId,
        not_helped: NodeId,
    },
    /// Something the browser finds out by itself instead of asking (see [`checks`]):
    /// it runs when the walk reaches it and its outcome is recorded like an answer.
    Check {
        check: CheckKind,
        /// What is checked and why ("We are checking your connection, to tell a
        /// network problem from a problem with one site"), shown while it runs; also
        /// the step's question in the trail and the transcript.
        text: Text,
        /// Where each outcome leads, keyed by the outcome's id (`offline = "cable"`).
        /// An outcome chosen by hand leads where the same outcome found by the browser
        /// does.
        #[serde(default)]
        outcomes: BTreeMap<String, NodeId>,
        /// The question that takes over for every outcome without a branch of its own
        /// (typically "could not run": the question the check would have spared).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback: Option<NodeId>,
    },
    /// The end: the requester fixed it themselves.
    Resolved {
        /// A closing message; the app shows its generic one when there is none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// The end: file a ticket, prefilled.
    Ticket {
        /// The ticket category's slug.
        category: String,
        impact: Impact,
        urgency: Urgency,
        /// The suggested subject. `{answer:<node id>}` is replaced by the label of the
        /// answer chosen at that question (see [`Walk::outcome`]).
        subject: Text,
    },
    /// The end of this flow: continue in the flow with this slug (e.g. "network" from
    /// "printer"). The app loads that flow and starts a new walk there; whatever that
    /// walk ends in is the outcome.
    Subflow { flow: String },
}

impl Node {
    /// Whether the walk stops here: resolved, ticket or subflow.
    pub const fn is_end(&self) -> bool {
        matches!(
            self,
            Self::Resolved { .. } | Self::Ticket { .. } | Self::Subflow { .. }
        )
    }

    /// The node's own text: the question or instruction, or what to say about the
    /// article. `None` for ends.
    pub const fn text(&self) -> Option<&Text> {
        match self {
            Self::Question { text, .. }
            | Self::Instruction { text, .. }
            | Self::Article { text, .. }
            | Self::Check { text, .. } => Some(text),
            Self::Resolved { .. } | Self::Ticket { .. } | Self::Subflow { .. } => None,
        }
    }

    /// What the requester can answer here, in display order. Empty for ends.
    ///
    /// A check's choices are its outcomes that lead somewhere (their branch, else the
    /// fallback), each as found by the browser and, but for "could not run", as chosen
    /// by hand.
    pub fn choices(&self) -> Vec<Choice<'_>> {
        match self {
            Self::Check {
                check,
                outcomes,
                fallback,
                ..
            } => {
                let mut choices = Vec::new();
                for outcome in check.outcomes() {
                    let Some(next) = outcomes.get(outcome.id).or(fallback.as_ref()) else {
                        continue;
                    };
                    for by_hand in [false, true] {
                        if by_hand && outcome.by_hand.is_none() {
                            continue;
                        }
                        choices.push(Choice::stock(
                            StockAnswer::Check(CheckAnswer {
                                kind: *check,
                                outcome,
                                by_hand,
                            }),
                            next,
                        ));
                    }
                }
                choices
            }
            Self::Question {
                answers, dont_know, ..
            } => answers
                .iter()
                .map(|a| Choice {
                    id: &a.id,
                    label: Label::Text(&a.label),
                    next: &a.next,
                })
                .chain(
                    dont_know
                        .as_deref()
                        .map(|next| Choice::stock(StockAnswer::DontKnow, next)),
                )
                .collect(),
            Self::Instruction {
                fixed, not_fixed, ..
            } => vec![
                Choice::stock(StockAnswer::Fixed, fixed),
                Choice::stock(StockAnswer::NotFixed, not_fixed),
            ],
            Self::Article {
                helped, not_helped, ..
            } => vec![
                Choice::stock(StockAnswer::Helped, helped),
                Choice::stock(StockAnswer::NotHelped, not_helped),
            ],
            Self::Resolved { .. } | Self::Ticket { .. } | Self::Subflow { .. } => Vec::new(),
        }
    }

    /// The choice with this answer id. With duplicate ids (an invalid flow) the first
    /// one wins, as it does in [`Node::choices`]' order.
    pub fn choice(&self, answer: &str) -> Option<Choice<'_>> {
        self.choices().into_iter().find(|c| c.id == answer)
    }
}

/// One answer of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Stable and short (`laptop`): it is what a walk records and what the URL
    /// carries, so renaming it breaks shared links. `[a-z0-9_-]{1,32}`.
    pub id: String,
    pub label: Text,
    pub next: NodeId,
}

/// The answers whose words belong to the app rather than to a flow: every instruction
/// offers "That fixed it" / "Still not working", every article "This helped" / "This
/// did not help", so their labels live in the app's translation catalogs once instead
/// of in every flow. A flow only says where each leads. A check's outcomes are the
/// app's words too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StockAnswer {
    Fixed,
    NotFixed,
    Helped,
    NotHelped,
    DontKnow,
    /// A check's outcome, found by the browser or chosen by hand.
    Check(CheckAnswer),
}

impl StockAnswer {
    /// The answers of instructions, articles and questions (checks have their own,
    /// per kind: see [`CheckKind::outcomes`]).
    pub const ALL: [StockAnswer; 5] = [
        Self::Fixed,
        Self::NotFixed,
        Self::Helped,
        Self::NotHelped,
        Self::DontKnow,
    ];

    /// The answer id a walk records.
    pub fn id(self) -> &'static str {
        match self {
            Self::Check(answer) => answer.id(),
            Self::Fixed => "fixed",
            Self::NotFixed => "not_fixed",
            Self::Helped => "helped",
            Self::NotHelped => "not_helped",
            Self::DontKnow => "dont_know",
        }
    }

    /// The English label: what the technician reads in the transcript, whatever
    /// language the requester used. For a check, the outcome (see
    /// [`StockAnswer::english_label`] for whether the browser found it).
    pub const fn english(self) -> &'static str {
        match self {
            Self::Check(answer) => answer.outcome.english,
            Self::Fixed => "That fixed it",
            Self::NotFixed => "Still not working",
            Self::Helped => "This helped",
            Self::NotHelped => "This did not help",
            Self::DontKnow => "I don't know",
        }
    }

    /// English labels as a label function, for callers with no catalog (the server,
    /// tests): `walk.trail(&flow, lang, StockAnswer::english_label)`.
    /// A check's outcome says who gave it: the technician must tell what the browser
    /// found from what the requester said instead.
    pub fn english_label(self) -> String {
        match self {
            Self::Check(answer) if answer.by_hand => format!(
                "{} (the requester's answer; the browser found otherwise)",
                answer.outcome.english
            ),
            Self::Check(answer) => format!("{} (found by the browser)", answer.outcome.english),
            _ => self.english().to_owned(),
        }
    }
}

/// One thing the requester can answer at a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice<'f> {
    pub id: &'f str,
    pub label: Label<'f>,
    /// The node it leads to.
    pub next: &'f str,
}

impl<'f> Choice<'f> {
    fn stock(answer: StockAnswer, next: &'f str) -> Self {
        Self {
            id: answer.id(),
            label: Label::Stock(answer),
            next,
        }
    }
}

/// Where a choice's words come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label<'f> {
    /// The flow's own translated text.
    Text(&'f Text),
    /// The app's catalog.
    Stock(StockAnswer),
}

impl Label<'_> {
    /// The label in `lang`: the flow's text with English fallback, or what `stock`
    /// says for the app's answers.
    pub fn resolve(&self, lang: Language, stock: &impl Fn(StockAnswer) -> String) -> String {
        match self {
            Self::Text(text) => text.resolve(lang).to_owned(),
            Self::Stock(answer) => stock(*answer),
        }
    }

    /// The English label, for transcripts.
    pub fn english(&self) -> String {
        match self {
            Self::Text(text) => text.resolve(Language::En).to_owned(),
            Self::Stock(answer) => answer.english_label(),
        }
    }
}

/// "Printer not working on a laptop", used by the tests of every file here.
#[cfg(test)]
pub(crate) fn printer_flow() -> Flow {
    use Language::{En, Fr};

    let t = |en: &str, fr: &str| Text::new(en).with(Fr, fr);
    let answer = |id: &str, en: &str, fr: &str, next: &str| Answer {
        id: id.into(),
        label: t(en, fr),
        next: next.into(),
    };
    let nodes = [
        (
            "device",
            Node::Question {
                text: t(
                    "Which device are you printing from?",
                    "Depuis quel appareil imprimez-vous ?",
                ),
                answers: vec![
                    answer("laptop", "Laptop", "Ordinateur portable", "restart"),
                    answer("desktop", "Desktop computer", "Ordinateur fixe", "restart"),
                    answer("phone", "Phone", "Téléphone", "wifi"),
                ],
                dont_know: Some("restart".into()),
            },
        ),
        (
            "restart",
            Node::Instruction {
                text: t(
                    "Restart the printer and try again.",
                    "Redémarrez l'imprimante et réessayez.",
                ),
                fixed: "done".into(),
                not_fixed: "queue".into(),
            },
        ),
        (
            "queue",
            Node::Article {
                article: "printer-clear-queue".into(),
                text: t(
                    "Clear the print queue as this article shows.",
                    "Videz la file d'impression comme l'explique cet article.",
                ),
                helped: "done".into(),
                not_helped: "ticket".into(),
            },
        ),
        (
            "done",
            Node::Resolved {
                text: Some(t("Glad it works again.", "Tant mieux, ça remarche.")),
            },
        ),
        (
            "ticket",
            Node::Ticket {
                category: "hardware".into(),
                impact: Impact::Me,
                urgency: Urgency::Slowed,
                subject: t(
                    "Printer not working from my {answer:device}",
                    "L'imprimante ne marche pas depuis mon {answer:device}",
                ),
            },
        ),
        (
            "wifi",
            Node::Subflow {
                flow: "network".into(),
            },
        ),
    ];
    Flow {
        slug: "printer".into(),
        version: 3,
        title: t("Printer not working", "L'imprimante ne marche pas"),
        languages: vec![En, Fr],
        start: "device".into(),
        nodes: nodes
            .into_iter()
            .map(|(id, node)| (id.to_owned(), node))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_falls_back_to_english_and_treats_blank_as_missing() {
        let text = Text::new("Printer")
            .with(Language::Fr, "Imprimante")
            .with(Language::Ru, "  ");
        assert_eq!(text.resolve(Language::Fr), "Imprimante");
        assert_eq!(text.resolve(Language::Nb), "Printer");
        assert_eq!(text.get(Language::Ru), None);
        assert_eq!(text.resolve(Language::Ru), "Printer");
        assert_eq!(Text::default().resolve(Language::En), "");
    }

    #[test]
    fn text_refuses_unknown_languages() {
        let err = serde_json::from_str::<Text>(r#"{"en":"Hi","de":"Hallo"}"#);
        assert!(err.is_err());
    }

    #[test]
    fn flows_round_trip_through_json_with_type_tags() {
        let flow = printer_flow();
        let json = serde_json::to_value(&flow).unwrap();
        assert_eq!(json["nodes"]["device"]["type"], "question");
        assert_eq!(json["nodes"]["device"]["answers"][0]["id"], "laptop");
        assert_eq!(json["nodes"]["device"]["dont_know"], "restart");
        assert_eq!(json["nodes"]["restart"]["type"], "instruction");
        assert_eq!(json["nodes"]["queue"]["type"], "article");
        assert_eq!(json["nodes"]["ticket"]["impact"], "me");
        assert_eq!(json["nodes"]["ticket"]["urgency"], "slowed");
        assert_eq!(json["nodes"]["wifi"]["type"], "subflow");
        assert_eq!(json["title"]["fr"], "L'imprimante ne marche pas");
        assert!(
            json["title"].get("ru").is_none(),
            "absent translations are omitted"
        );
        assert_eq!(json["languages"], serde_json::json!(["en", "fr"]));
        let back: Flow = serde_json::from_value(json).unwrap();
        assert_eq!(back, flow);
    }

    #[test]
    fn optional_fields_may_be_left_out_on_import() {
        let flow: Flow = serde_json::from_str(
            r#"{"slug":"x-flow","version":1,"title":{"en":"X"},"languages":["en"],
                "start":"q","nodes":{
                  "q":{"type":"question","text":{"en":"?"},"answers":[
                      {"id":"a","label":{"en":"A"},"next":"end"}]},
                  "end":{"type":"resolved"}}}"#,
        )
        .unwrap();
        assert_eq!(flow.nodes["end"], Node::Resolved { text: None });
        assert!(matches!(
            &flow.nodes["q"],
            Node::Question {
                dont_know: None,
                ..
            }
        ));
    }

    #[test]
    fn choices_list_own_answers_then_stock_ones() {
        let flow = printer_flow();
        let ids: Vec<&str> = flow.nodes["device"]
            .choices()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["laptop", "desktop", "phone", "dont_know"]);
        let restart = flow.nodes["restart"].choices();
        assert_eq!(restart[0].label, Label::Stock(StockAnswer::Fixed));
        assert_eq!(restart[1].next, "queue");
        assert_eq!(flow.nodes["queue"].choice("helped").unwrap().next, "done");
        assert!(flow.nodes["done"].choices().is_empty());
        assert!(flow.nodes["wifi"].is_end() && !flow.nodes["queue"].is_end());
    }

    #[test]
    fn stock_answer_ids_are_valid_answer_ids() {
        for answer in StockAnswer::ALL {
            assert!(is_valid_answer_id(answer.id()), "{answer:?}");
        }
    }

    #[test]
    fn id_rules() {
        assert!(is_valid_answer_id("not_fixed"));
        assert!(is_valid_answer_id("wi-fi2"));
        assert!(is_valid_answer_id(&"a".repeat(32)));
        for bad in ["", "Laptop", "a.b", "a b", "é", &"a".repeat(33)] {
            assert!(!is_valid_answer_id(bad), "{bad:?}");
        }
        assert!(is_valid_node_id(&"n".repeat(64)));
        assert!(!is_valid_node_id(&"n".repeat(65)));
        assert!(!is_valid_node_id("a}b"));
    }
}
