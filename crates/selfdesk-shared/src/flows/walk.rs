//! A requester's way through a flow.
//!
//! A [`Walk`] is just the answer ids chosen, in order, from the start: the node of
//! each step is implied by following those answers through the flow. That keeps a
//! walk small enough for the URL (`?w=laptop.not_fixed`), so the browser's back and
//! forward buttons, reloading and sharing a link all work without any state kept
//! elsewhere. The price is that a walk means something only together with its flow:
//! every question about it ([`Walk::current`], [`Walk::trail`], …) takes the flow, and
//! a walk that no longer fits (a link shared before the flow was edited) is reported
//! as a [`WalkError`] naming the first step that does not fit.
//!
//! A walk stays within one flow. At a subflow node the walk ends; the app loads the
//! named flow and starts a new walk there. Each walk yields its own transcript, and
//! [`concat_transcripts`] joins them for the ticket.

use std::fmt;

use super::validate::{Placeholder, placeholders};
use super::{Choice, Flow, Label, MAX_ANSWER_ID_CHARS, Node, StockAnswer, is_valid_answer_id};
use crate::language::Language;
use crate::tickets::{
    DiagnosticTranscript, Impact, MAX_SUBJECT_CHARS, MAX_TRANSCRIPT_STEPS, TranscriptStep, Urgency,
};

/// The longest walk: a ticket accepts a transcript of at most this many steps, so any
/// walk can become a ticket. Loops ("try again") make longer walks possible in
/// principle; nobody answers 60 questions, so that is a runaway, and refusing it also
/// bounds the URL (60 × 33 characters at most).
pub const MAX_WALK_STEPS: usize = MAX_TRANSCRIPT_STEPS;

/// The answer ids chosen so far, from the flow's start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Walk {
    answers: Vec<String>,
}

/// Where a walk is: the node and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkPosition<'f> {
    pub id: &'f str,
    pub node: &'f Node,
}

/// Why a walk does not fit its flow, or a URL parameter is not a walk. `step` counts
/// from 0, as `TrailStep::step_index` does, so the app can offer to go back there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkError {
    /// The flow's start node does not exist (an invalid flow).
    MissingStart { start: String },
    /// The node has no such answer: the flow changed since the link was made, or the
    /// app offered an answer that is not there.
    NoSuchAnswer {
        step: usize,
        node: String,
        answer: String,
    },
    /// The answer leads to a node that does not exist (an invalid flow).
    MissingNode {
        step: usize,
        node: String,
        answer: String,
        target: String,
    },
    /// The walk already ended at `node` (an outcome or subflow), yet goes on.
    PastTheEnd { step: usize, node: String },
    /// More than [`MAX_WALK_STEPS`] steps.
    TooLong,
    /// Step `step` (of a `?w=` value, or given to [`Walk::answer`]) is not an answer
    /// id: every step must be, so that any walk fits in a URL.
    InvalidAnswerId { step: usize, answer: String },
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingStart { start } => {
                write!(f, "The flow's start node {start:?} does not exist")
            }
            Self::NoSuchAnswer { step, node, answer } => write!(
                f,
                "Step {}: node {node:?} has no answer {answer:?}; the flow may have changed",
                step + 1
            ),
            Self::MissingNode {
                step,
                node,
                answer,
                target,
            } => write!(
                f,
                "Step {}: answer {answer:?} of node {node:?} leads to node {target:?}, which does \
                 not exist",
                step + 1
            ),
            Self::PastTheEnd { step, node } => write!(
                f,
                "Step {}: the walk already ended at node {node:?}",
                step + 1
            ),
            Self::TooLong => write!(f, "A walk may have at most {MAX_WALK_STEPS} steps"),
            Self::InvalidAnswerId { step, answer } => write!(
                f,
                "Step {}: {answer:?} is not an answer id (1 to {MAX_ANSWER_ID_CHARS} \
                 of a-z, 0-9, _ and -)",
                step + 1
            ),
        }
    }
}

impl std::error::Error for WalkError {}

/// One answered step, for the trail shown above the current question ("Which device?
/// Laptop · Restart the printer: Still not working"). Clicking one goes back with
/// [`Walk::back_to`]`(step_index)` so the requester can answer differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailStep {
    pub step_index: usize,
    pub question: String,
    pub answer: String,
    /// The answer is a check's outcome that the browser found (not chosen by hand):
    /// the app offers "That's not right" rather than "Change".
    pub found: bool,
}

/// Where a walk ended, ready for the app to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Fixed by the requester; `message` is the flow's closing text, if it has one.
    Resolved { message: Option<String> },
    /// A ticket to prefill.
    Ticket {
        category: String,
        impact: Impact,
        urgency: Urgency,
        /// The subject template filled in (see [`Walk::outcome`]).
        subject: String,
    },
}

/// One step followed through the flow.
struct Visited<'f> {
    id: &'f str,
    node: &'f Node,
    choice: Choice<'f>,
}

impl Walk {
    pub fn new() -> Self {
        Self::default()
    }

    /// The answer ids, in order.
    pub fn answers(&self) -> &[String] {
        &self.answers
    }

    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// Follows the answers from the start; `visit` sees each step that fits.
    fn follow<'f>(
        &self,
        flow: &'f Flow,
        mut visit: impl FnMut(Visited<'f>),
    ) -> Result<WalkPosition<'f>, WalkError> {
        let (id, node) =
            flow.nodes
                .get_key_value(&flow.start)
                .ok_or_else(|| WalkError::MissingStart {
                    start: flow.start.clone(),
                })?;
        let mut here = WalkPosition { id, node };
        for (step, answer) in self.answers.iter().enumerate() {
            let (choice, next) = step_from(flow, here, step, answer)?;
            visit(Visited {
                id: here.id,
                node: here.node,
                choice,
            });
            here = next;
        }
        Ok(here)
    }

    /// The node the walk is at, with its id.
    pub fn position<'f>(&self, flow: &'f Flow) -> Result<WalkPosition<'f>, WalkError> {
        self.follow(flow, |_| {})
    }

    /// The node the walk is at: a question to ask, an instruction, an article, or an
    /// end. For a subflow node the app loads that flow and starts a new walk in it.
    pub fn current<'f>(&self, flow: &'f Flow) -> Result<&'f Node, WalkError> {
        self.position(flow).map(|p| p.node)
    }

    /// Records the requester's answer at the current node. Refused, leaving the walk
    /// as it was, when the answer is not one of the node's (or not a valid answer id),
    /// the walk has ended, or it would exceed [`MAX_WALK_STEPS`].
    pub fn answer(&mut self, flow: &Flow, answer: &str) -> Result<(), WalkError> {
        if !is_valid_answer_id(answer) {
            // Only an invalid flow has such answers; refusing them here keeps
            // `from_param(to_param(walk)) == walk` true of every walk.
            return Err(WalkError::InvalidAnswerId {
                step: self.answers.len(),
                answer: answer.to_owned(),
            });
        }
        let here = self.position(flow)?;
        step_from(flow, here, self.answers.len(), answer)?;
        if self.answers.len() >= MAX_WALK_STEPS {
            return Err(WalkError::TooLong);
        }
        self.answers.push(answer.to_owned());
        Ok(())
    }

    /// Takes back the last answer; `false` when there was none.
    pub fn back(&mut self) -> bool {
        self.answers.pop().is_some()
    }

    /// Keeps the first `step_index` answers, so the walk is back at the node where
    /// step `step_index` was answered: what clicking that step in the trail does.
    /// Beyond the walk's length it changes nothing.
    pub fn back_to(&mut self, step_index: usize) {
        self.answers.truncate(step_index);
    }

    /// Back to the start.
    pub fn restart(&mut self) {
        self.answers.clear();
    }

    /// The id of the node answered at each step, in order; like the trail, up to
    /// the first step that does not fit the flow.
    pub fn nodes<'f>(&self, flow: &'f Flow) -> Vec<&'f str> {
        let mut ids = Vec::with_capacity(self.answers.len());
        let _ = self.follow(flow, |v| ids.push(v.id));
        ids
    }

    /// The steps answered so far, in `lang` with English fallback.
    ///
    /// The flow's own texts come from the flow. The labels of stock answers ("That
    /// fixed it", …) are the app's: `stock` gives them in `lang`, e.g. from the app's
    /// translation catalog; [`StockAnswer::english_label`] serves callers without one.
    ///
    /// A walk that does not fit the flow yields the steps before the first misfit;
    /// [`Walk::current`] says what is wrong.
    pub fn trail(
        &self,
        flow: &Flow,
        lang: Language,
        stock: impl Fn(StockAnswer) -> String,
    ) -> Vec<TrailStep> {
        let mut trail = Vec::with_capacity(self.answers.len());
        let _ = self.follow(flow, |v| {
            trail.push(TrailStep {
                step_index: trail.len(),
                question: question(v.node, lang),
                answer: v.choice.label.resolve(lang, &stock),
                found: matches!(
                    v.choice.label,
                    Label::Stock(StockAnswer::Check(a)) if !a.by_hand
                ),
            })
        });
        trail
    }

    /// The walk as a ticket's transcript: each step in `lang` (stock labels from
    /// `stock`, as for [`Walk::trail`]) and in English for the technician. Like the
    /// trail, it stops at the first step that does not fit the flow.
    pub fn transcript(
        &self,
        flow: &Flow,
        lang: Language,
        stock: impl Fn(StockAnswer) -> String,
    ) -> DiagnosticTranscript {
        let mut steps = Vec::with_capacity(self.answers.len());
        let _ = self.follow(flow, |v| {
            steps.push(TranscriptStep {
                question: question(v.node, lang),
                answer: v.choice.label.resolve(lang, &stock),
                question_en: question(v.node, Language::En),
                answer_en: v.choice.label.english(),
                findings: Vec::new(),
            })
        });
        DiagnosticTranscript {
            flow: flow.slug.clone(),
            flow_version: flow.version,
            language: lang,
            steps,
        }
    }

    /// Where the walk ended, when it is at a resolved or ticket node; `None` while it
    /// is under way, at a subflow, or when it does not fit the flow.
    ///
    /// A ticket's subject is the template in `lang` (else English) with each
    /// `{answer:<node id>}` replaced by the label of the answer last chosen at that
    /// question, in the template's language. A question not passed, or answered "I
    /// don't know", leaves nothing; runs of spaces left behind are collapsed. The
    /// subject is cut to the ticket form's limit.
    pub fn outcome(&self, flow: &Flow, lang: Language) -> Option<Outcome> {
        let mut chosen: Vec<(&str, Label<'_>)> = Vec::new();
        let here = self
            .follow(flow, |v| chosen.push((v.id, v.choice.label)))
            .ok()?;
        match here.node {
            Node::Resolved { text } => Some(Outcome::Resolved {
                message: text.as_ref().map(|t| t.resolve(lang).to_owned()),
            }),
            Node::Ticket {
                category,
                impact,
                urgency,
                subject,
            } => {
                let lang = if subject.get(lang).is_some() {
                    lang
                } else {
                    Language::En
                };
                let filled = fill_subject(subject.resolve(lang), |node| {
                    match chosen.iter().rev().find(|(id, _)| *id == node) {
                        Some((_, Label::Text(label))) => label.resolve(lang).to_owned(),
                        _ => String::new(),
                    }
                });
                Some(Outcome::Ticket {
                    category: category.clone(),
                    impact: *impact,
                    urgency: *urgency,
                    subject: filled.chars().take(MAX_SUBJECT_CHARS).collect(),
                })
            }
            _ => None,
        }
    }

    /// The walk for the URL: answer ids joined with `.` (`laptop.not_fixed`); empty
    /// at the start. Answer ids are `[a-z0-9_-]`, so nothing needs escaping.
    pub fn to_param(&self) -> String {
        self.answers.join(".")
    }

    /// A walk from its URL form. Refuses empty steps, characters an answer id cannot
    /// have and more than [`MAX_WALK_STEPS`] steps; whether the answers fit the flow
    /// is for [`Walk::current`] to say.
    pub fn from_param(param: &str) -> Result<Walk, WalkError> {
        if param.is_empty() {
            return Ok(Walk::new());
        }
        // Refuse a huge value before splitting it.
        if param.len() > MAX_WALK_STEPS * (MAX_ANSWER_ID_CHARS + 1) {
            return Err(WalkError::TooLong);
        }
        let mut answers = Vec::new();
        for (step, value) in param.split('.').enumerate() {
            if step >= MAX_WALK_STEPS {
                return Err(WalkError::TooLong);
            }
            if !is_valid_answer_id(value) {
                return Err(WalkError::InvalidAnswerId {
                    step,
                    answer: value.to_owned(),
                });
            }
            answers.push(value.to_owned());
        }
        Ok(Walk { answers })
    }
}

/// One step: the choice `answer` at `here`, and where it leads.
fn step_from<'f>(
    flow: &'f Flow,
    here: WalkPosition<'f>,
    step: usize,
    answer: &str,
) -> Result<(Choice<'f>, WalkPosition<'f>), WalkError> {
    if here.node.is_end() {
        return Err(WalkError::PastTheEnd {
            step,
            node: here.id.to_owned(),
        });
    }
    let choice = here
        .node
        .choice(answer)
        .ok_or_else(|| WalkError::NoSuchAnswer {
            step,
            node: here.id.to_owned(),
            answer: answer.to_owned(),
        })?;
    let (id, node) =
        flow.nodes
            .get_key_value(choice.next)
            .ok_or_else(|| WalkError::MissingNode {
                step,
                node: here.id.to_owned(),
                answer: answer.to_owned(),
                target: choice.next.to_owned(),
            })?;
    Ok((choice, WalkPosition { id, node }))
}

/// A step's question: the node's text (for an article, what the flow says about it).
fn question(node: &Node, lang: Language) -> String {
    node.text()
        .map(|t| t.resolve(lang).to_owned())
        .unwrap_or_default()
}

/// Replaces each `{answer:<node>}` with `answer(node)`; an unterminated placeholder
/// and everything after it stay as written. Whitespace runs collapse to one space.
fn fill_subject(template: &str, answer: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    for placeholder in placeholders(template) {
        let Placeholder::Answer(node) = placeholder else {
            break;
        };
        let token = format!("{{answer:{node}}}");
        let Some(at) = rest.find(&token) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(&answer(node));
        rest = &rest[at + token.len()..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Joins the transcripts of a walk and the walks of the subflows it continued in,
/// in that order, into the one transcript a ticket carries. The result names the
/// first flow (where the requester started); the steps of all of them follow one
/// another, cut to the ticket's limit of [`MAX_TRANSCRIPT_STEPS`] (the first ones
/// kept: they say what the problem was). `None` when there is nothing to join.
pub fn concat_transcripts(
    parts: impl IntoIterator<Item = DiagnosticTranscript>,
) -> Option<DiagnosticTranscript> {
    let mut parts = parts.into_iter();
    let mut joined = parts.next()?;
    for part in parts {
        joined.steps.extend(part.steps);
    }
    joined.steps.truncate(MAX_TRANSCRIPT_STEPS);
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::super::{Answer, Text, printer_flow, validate};
    use super::*;

    fn walk(param: &str) -> Walk {
        Walk::from_param(param).unwrap()
    }

    /// Stock labels as a French catalog would give them.
    fn french(answer: StockAnswer) -> String {
        match answer {
            StockAnswer::Fixed => "C'est réparé",
            StockAnswer::NotFixed => "Ça ne marche toujours pas",
            StockAnswer::Helped => "Cela m'a aidé",
            StockAnswer::NotHelped => "Cela ne m'a pas aidé",
            StockAnswer::DontKnow => "Je ne sais pas",
            StockAnswer::Check(a) if a.by_hand => "(vous) résultat",
            StockAnswer::Check(_) => "résultat",
        }
        .to_owned()
    }

    /// The printer flow starting with an online check: offline goes to the ticket,
    /// could-not-run (no branch) falls back to the device question.
    fn checked_printer_flow() -> Flow {
        use super::super::checks::CheckKind;
        let mut flow = printer_flow();
        flow.nodes.insert(
            "online".into(),
            Node::Check {
                check: CheckKind::Online,
                text: super::super::Text::new("Checking your connection")
                    .with(Language::Fr, "Vérification de votre connexion"),
                outcomes: [
                    ("online".to_owned(), "device".to_owned()),
                    ("offline".to_owned(), "ticket".to_owned()),
                    ("portal_down".to_owned(), "ticket".to_owned()),
                ]
                .into_iter()
                .collect(),
                fallback: Some("device".into()),
            },
        );
        flow.start = "online".into();
        flow
    }

    #[test]
    fn a_check_is_answered_by_its_outcome_found_or_chosen_by_hand() {
        let flow = checked_printer_flow();
        assert!(
            super::super::validate(&flow).is_empty(),
            "{:?}",
            super::super::validate(&flow)
        );
        let mut w = Walk::new();
        assert!(matches!(w.current(&flow), Ok(Node::Check { .. })));
        w.answer(&flow, "offline").unwrap();
        assert!(matches!(w.current(&flow), Ok(Node::Ticket { .. })));
        assert_eq!(w.to_param(), "offline");
        // The requester overrules the browser: recorded as such, leading on the same.
        let mut by_hand = Walk::new();
        by_hand.answer(&flow, "online_by_hand").unwrap();
        assert!(matches!(by_hand.current(&flow), Ok(Node::Question { .. })));
        // Could not run has no branch: the fallback question takes over. Nobody
        // chooses "could not run" by hand.
        let mut fell_back = Walk::new();
        fell_back.answer(&flow, "could_not_run").unwrap();
        assert_eq!(fell_back.position(&flow).unwrap().id, "device");
        assert!(matches!(
            Walk::new().answer(&flow, "could_not_run_by_hand"),
            Err(WalkError::NoSuchAnswer { .. })
        ));
        assert!(matches!(
            Walk::new().answer(&flow, "laptop"),
            Err(WalkError::NoSuchAnswer { .. })
        ));

        let trail = walk("offline").trail(&flow, Language::Fr, french);
        assert_eq!(trail[0].question, "Vérification de votre connexion");
        assert_eq!(trail[0].answer, "résultat");
        assert!(trail[0].found);
        assert!(!by_hand.trail(&flow, Language::Fr, french)[0].found);
        assert_eq!(walk("offline").nodes(&flow), ["online"]);
        assert_eq!(walk("online.laptop").nodes(&flow), ["online", "device"]);

        let t = by_hand.transcript(&flow, Language::Fr, french);
        assert_eq!(t.steps[0].question_en, "Checking your connection");
        assert_eq!(
            t.steps[0].answer_en,
            "Online: the portal answers (the requester's answer; the browser found otherwise)"
        );
        let t = walk("offline").transcript(&flow, Language::Fr, french);
        assert_eq!(
            t.steps[0].answer_en,
            "Offline: no network (found by the browser)"
        );
        assert_eq!(Walk::from_param(&by_hand.to_param()), Ok(by_hand.clone()));
    }

    #[test]
    fn walking_forward_follows_the_answers() {
        let flow = printer_flow();
        let mut w = Walk::new();
        assert_eq!(w.position(&flow).unwrap().id, "device");
        w.answer(&flow, "laptop").unwrap();
        assert_eq!(w.position(&flow).unwrap().id, "restart");
        w.answer(&flow, "not_fixed").unwrap();
        assert!(matches!(w.current(&flow).unwrap(), Node::Article { .. }));
        w.answer(&flow, "not_helped").unwrap();
        assert_eq!(w.position(&flow).unwrap().id, "ticket");
        assert_eq!(w.to_param(), "laptop.not_fixed.not_helped");
    }

    #[test]
    fn wrong_answers_are_refused_and_leave_the_walk_unchanged() {
        let flow = printer_flow();
        let mut w = walk("laptop");
        assert_eq!(
            w.answer(&flow, "helped"),
            Err(WalkError::NoSuchAnswer {
                step: 1,
                node: "restart".into(),
                answer: "helped".into()
            })
        );
        assert_eq!(w, walk("laptop"));
        assert_eq!(
            w.answer(&flow, "Fixed"),
            Err(WalkError::InvalidAnswerId {
                step: 1,
                answer: "Fixed".into()
            })
        );
        w.answer(&flow, "fixed").unwrap();
        assert_eq!(
            w.answer(&flow, "fixed"),
            Err(WalkError::PastTheEnd {
                step: 2,
                node: "done".into()
            })
        );
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn back_back_to_and_restart() {
        let flow = printer_flow();
        let mut w = walk("desktop.not_fixed.not_helped");
        assert!(w.back());
        assert_eq!(w.position(&flow).unwrap().id, "queue");
        w.back_to(1);
        assert_eq!(w.position(&flow).unwrap().id, "restart");
        assert_eq!(w.answers(), ["desktop"]);
        w.back_to(5);
        assert_eq!(w.len(), 1);
        w.restart();
        assert!(w.is_empty());
        assert!(!w.back());
        assert_eq!(w.position(&flow).unwrap().id, "device");
    }

    #[test]
    fn a_stale_link_names_the_first_step_that_no_longer_fits() {
        let mut flow = printer_flow();
        let w = walk("laptop.not_fixed");
        if let Some(Node::Question { answers, .. }) = flow.nodes.get_mut("device") {
            answers[0].id = "notebook".into();
        }
        assert_eq!(
            w.current(&flow),
            Err(WalkError::NoSuchAnswer {
                step: 0,
                node: "device".into(),
                answer: "laptop".into()
            })
        );
        assert!(
            w.trail(&flow, Language::En, StockAnswer::english_label)
                .is_empty()
        );
        assert_eq!(
            walk("laptop.fixed.helped").current(&printer_flow()),
            Err(WalkError::PastTheEnd {
                step: 2,
                node: "done".into()
            })
        );
        let err = w.current(&flow).unwrap_err().to_string();
        assert!(
            err.starts_with("Step 1: node \"device\" has no answer \"laptop\""),
            "{err}"
        );
    }

    #[test]
    fn invalid_flows_give_errors_not_panics() {
        let mut flow = printer_flow();
        flow.start = "gone".into();
        assert_eq!(
            Walk::new().current(&flow),
            Err(WalkError::MissingStart {
                start: "gone".into()
            })
        );
        let mut flow = printer_flow();
        flow.nodes.remove("queue");
        let mut w = walk("laptop");
        assert_eq!(
            w.answer(&flow, "not_fixed"),
            Err(WalkError::MissingNode {
                step: 1,
                node: "restart".into(),
                answer: "not_fixed".into(),
                target: "queue".into()
            })
        );
    }

    #[test]
    fn the_trail_is_in_the_requesters_language_with_english_fallback() {
        let mut flow = printer_flow();
        if let Some(Node::Instruction { text, .. }) = flow.nodes.get_mut("restart") {
            text.fr = None;
        }
        let w = walk("laptop.not_fixed");
        let trail = w.trail(&flow, Language::Fr, french);
        assert_eq!(
            trail,
            [
                TrailStep {
                    step_index: 0,
                    question: "Depuis quel appareil imprimez-vous ?".into(),
                    answer: "Ordinateur portable".into(),
                    found: false,
                },
                TrailStep {
                    step_index: 1,
                    question: "Restart the printer and try again.".into(),
                    answer: "Ça ne marche toujours pas".into(),
                    found: false,
                },
            ]
        );
        // A language the flow does not claim: the flow's texts in English.
        let trail = walk("dont_know").trail(&flow, Language::Nb, |a| format!("nb:{}", a.id()));
        assert_eq!(trail[0].question, "Which device are you printing from?");
        assert_eq!(trail[0].answer, "nb:dont_know");
    }

    #[test]
    fn the_transcript_has_both_languages() {
        let flow = printer_flow();
        let t = walk("laptop.not_fixed.not_helped").transcript(&flow, Language::Fr, french);
        assert_eq!(
            (t.flow.as_str(), t.flow_version, t.language),
            ("printer", 3, Language::Fr)
        );
        assert_eq!(t.steps.len(), 3);
        assert_eq!(
            t.steps[2],
            TranscriptStep {
                question: "Videz la file d'impression comme l'explique cet article.".into(),
                answer: "Cela ne m'a pas aidé".into(),
                question_en: "Clear the print queue as this article shows.".into(),
                answer_en: "This did not help".into(),
                findings: Vec::new(),
            }
        );
        assert_eq!(t.steps[0].answer_en, "Laptop");
        assert_eq!(t.steps[1].answer_en, "Still not working");
    }

    #[test]
    fn transcripts_of_subflows_are_joined_under_the_first_flow() {
        let flow = printer_flow();
        let first = walk("phone").transcript(&flow, Language::En, StockAnswer::english_label);
        let mut second =
            walk("laptop.not_fixed").transcript(&flow, Language::En, StockAnswer::english_label);
        second.flow = "network".into();
        let joined = concat_transcripts([first.clone(), second]).unwrap();
        assert_eq!(joined.flow, "printer");
        assert_eq!(joined.steps.len(), 3);
        assert_eq!(joined.steps[0], first.steps[0]);
        assert_eq!(concat_transcripts([]), None);
        let long = DiagnosticTranscript {
            steps: vec![first.steps[0].clone(); MAX_TRANSCRIPT_STEPS],
            ..first.clone()
        };
        assert_eq!(
            concat_transcripts([long, first]).unwrap().steps.len(),
            MAX_TRANSCRIPT_STEPS
        );
    }

    #[test]
    fn outcomes_fill_the_subject_in_the_requesters_language() {
        let flow = printer_flow();
        let w = walk("laptop.not_fixed.not_helped");
        assert_eq!(
            w.outcome(&flow, Language::En),
            Some(Outcome::Ticket {
                category: "hardware".into(),
                impact: Impact::Me,
                urgency: Urgency::Slowed,
                subject: "Printer not working from my Laptop".into(),
            })
        );
        let Some(Outcome::Ticket { subject, .. }) = w.outcome(&flow, Language::Fr) else {
            panic!()
        };
        assert_eq!(
            subject,
            "L'imprimante ne marche pas depuis mon Ordinateur portable"
        );
        // No French subject: English template, English labels (not a mix).
        let mut flow_en = flow.clone();
        if let Some(Node::Ticket { subject, .. }) = flow_en.nodes.get_mut("ticket") {
            subject.fr = None;
        }
        let Some(Outcome::Ticket { subject, .. }) = w.outcome(&flow_en, Language::Fr) else {
            panic!()
        };
        assert_eq!(subject, "Printer not working from my Laptop");
        // "I don't know" leaves the placeholder empty and the spaces tidy.
        let Some(Outcome::Ticket { subject, .. }) =
            walk("dont_know.not_fixed.not_helped").outcome(&flow, Language::En)
        else {
            panic!()
        };
        assert_eq!(subject, "Printer not working from my");

        assert_eq!(
            walk("laptop.fixed").outcome(&flow, Language::Fr),
            Some(Outcome::Resolved {
                message: Some("Tant mieux, ça remarche.".into())
            })
        );
        assert_eq!(walk("laptop").outcome(&flow, Language::En), None);
        assert_eq!(walk("phone").outcome(&flow, Language::En), None);
        assert!(
            matches!(walk("phone").current(&flow), Ok(Node::Subflow { flow }) if flow == "network")
        );
    }

    #[test]
    fn subject_templates() {
        let labels = |node: &str| match node {
            "a" => "Alpha".to_owned(),
            _ => String::new(),
        };
        assert_eq!(
            fill_subject("{answer:a} and {answer:b} done", labels),
            "Alpha and done"
        );
        assert_eq!(
            fill_subject("Literal {braces} {answer:a}", labels),
            "Literal {braces} Alpha"
        );
        assert_eq!(fill_subject("Open {answer:a", labels), "Open {answer:a");
        assert_eq!(fill_subject("{answer:a}{answer:a}", labels), "AlphaAlpha");
        let long = Text::new(format!("{} {{answer:device}}", "x".repeat(200)));
        let mut flow = printer_flow();
        if let Some(Node::Ticket { subject, .. }) = flow.nodes.get_mut("ticket") {
            *subject = long;
        }
        let Some(Outcome::Ticket { subject, .. }) =
            walk("laptop.not_fixed.not_helped").outcome(&flow, Language::En)
        else {
            panic!()
        };
        assert_eq!(subject.chars().count(), MAX_SUBJECT_CHARS);
    }

    #[test]
    fn url_params_round_trip() {
        let flow = printer_flow();
        for param in [
            "",
            "laptop",
            "desktop.not_fixed.not_helped",
            "dont_know.fixed",
        ] {
            let w = walk(param);
            assert_eq!(w.to_param(), param);
            assert!(w.current(&flow).is_ok());
        }
        assert_eq!(Walk::new().to_param(), "");
    }

    #[test]
    fn malformed_params_are_refused() {
        let bad = |p: &str| Walk::from_param(p).unwrap_err();
        assert_eq!(
            bad("laptop..fixed"),
            WalkError::InvalidAnswerId {
                step: 1,
                answer: String::new()
            }
        );
        assert_eq!(
            bad("."),
            WalkError::InvalidAnswerId {
                step: 0,
                answer: String::new()
            }
        );
        assert_eq!(
            bad("laptop."),
            WalkError::InvalidAnswerId {
                step: 1,
                answer: String::new()
            }
        );
        assert_eq!(
            bad("Laptop"),
            WalkError::InvalidAnswerId {
                step: 0,
                answer: "Laptop".into()
            }
        );
        assert_eq!(
            bad("a b"),
            WalkError::InvalidAnswerId {
                step: 0,
                answer: "a b".into()
            }
        );
        assert_eq!(
            bad("a%2Eb"),
            WalkError::InvalidAnswerId {
                step: 0,
                answer: "a%2Eb".into()
            }
        );
        assert!(matches!(
            bad(&"x".repeat(33)),
            WalkError::InvalidAnswerId { .. }
        ));
        assert_eq!(
            bad(&vec!["a"; MAX_WALK_STEPS + 1].join(".")),
            WalkError::TooLong
        );
        assert_eq!(bad(&"a".repeat(10_000)), WalkError::TooLong);
        assert!(Walk::from_param(&vec!["a"; MAX_WALK_STEPS].join(".")).is_ok());
        assert!(bad("é").to_string().contains("is not an answer id"));
    }

    #[test]
    fn walks_are_capped() {
        // A loop: "still not working" asks again.
        let mut flow = printer_flow();
        if let Some(Node::Instruction { not_fixed, .. }) = flow.nodes.get_mut("restart") {
            *not_fixed = "device".into();
        }
        let mut w = Walk::new();
        for i in 0..MAX_WALK_STEPS {
            let answer = if i.is_multiple_of(2) {
                "laptop"
            } else {
                "not_fixed"
            };
            w.answer(&flow, answer).unwrap();
        }
        assert_eq!(w.answer(&flow, "laptop"), Err(WalkError::TooLong));
        assert_eq!(w.len(), MAX_WALK_STEPS);
    }

    mod properties {
        use std::collections::{BTreeMap, BTreeSet};

        use proptest::prelude::*;
        use proptest::sample::Index;

        use super::*;

        /// One generated node: a kind, target indices (≥ node count means a missing
        /// node), and dice for the sloppy variants.
        #[derive(Debug, Clone)]
        struct Spec {
            kind: u8,
            targets: Vec<usize>,
            dont_know: Option<usize>,
            dice: u8,
        }

        fn spec(n: usize, sloppy: bool) -> impl Strategy<Value = Spec> {
            let range = if sloppy { n + 2 } else { n };
            let min_answers = usize::from(!sloppy);
            (
                0u8..9,
                prop::collection::vec(0..range, min_answers..4),
                prop::option::of(0..range),
                any::<u8>(),
            )
                .prop_map(|(kind, targets, dont_know, dice)| Spec {
                    kind,
                    targets,
                    dont_know,
                    dice,
                })
        }

        /// Random flows of 1 to 29 nodes. Clean ones have no missing targets, full
        /// translations and unique ids, and unreachable nodes are pruned, so only
        /// loops without a way out keep them from being valid. Sloppy ones break
        /// every rule now and then.
        fn arb_flow(sloppy: bool) -> impl Strategy<Value = Flow> {
            (1usize..30)
                .prop_flat_map(move |n| prop::collection::vec(spec(n, sloppy), n))
                .prop_map(move |specs| build(&specs, sloppy))
        }

        fn build(specs: &[Spec], sloppy: bool) -> Flow {
            let id = |i: usize| {
                if i < specs.len() {
                    format!("n{i}")
                } else {
                    format!("missing{i}")
                }
            };
            let t = |s: String, dice: u8| {
                let text = Text::new(s.clone());
                if sloppy && dice.is_multiple_of(7) {
                    text
                } else {
                    text.with(Language::Fr, s)
                }
            };
            // The start is never pruned, so a placeholder naming it stays valid.
            // A clean flow starts with a question: an end as the start makes a
            // one-node flow, which tests nothing.
            let kind = |i: usize| match specs[i].kind {
                k if i == 0 && !sloppy => k % 3,
                k => k,
            };
            let start_is_question = kind(0) < 3;
            let mut nodes = BTreeMap::new();
            for (i, s) in specs.iter().enumerate() {
                let target = |k: usize| id(s.targets.get(k).copied().unwrap_or(i));
                let node = match kind(i) {
                    0..=2 => Node::Question {
                        text: t(format!("Question {i}?"), s.dice),
                        answers: s
                            .targets
                            .iter()
                            .enumerate()
                            .map(|(k, &to)| Answer {
                                id: if sloppy && s.dice.is_multiple_of(5) {
                                    ["a0", "A", "fixed", "a0"][k].to_owned()
                                } else {
                                    format!("a{k}")
                                },
                                label: t(format!("Answer {k}"), s.dice.wrapping_add(k as u8)),
                                next: id(to),
                            })
                            .collect(),
                        dont_know: s.dont_know.map(id),
                    },
                    3 => Node::Instruction {
                        text: t(format!("Try {i}"), s.dice),
                        fixed: target(0),
                        not_fixed: target(1),
                    },
                    4 => Node::Article {
                        article: if sloppy && s.dice.is_multiple_of(6) {
                            String::new()
                        } else {
                            "some-article".into()
                        },
                        text: t(format!("Read {i}"), s.dice),
                        helped: target(0),
                        not_helped: target(1),
                    },
                    5 | 6 => Node::Resolved {
                        text: (s.dice.is_multiple_of(2)).then(|| t("Done".into(), s.dice)),
                    },
                    7 => Node::Ticket {
                        category: if sloppy && s.dice.is_multiple_of(6) {
                            String::new()
                        } else {
                            "hardware".into()
                        },
                        impact: Impact::ALL[usize::from(s.dice) % 3],
                        urgency: Urgency::ALL[usize::from(s.dice / 3) % 3],
                        subject: t(
                            if sloppy && s.dice.is_multiple_of(4) {
                                format!("Problem {{answer:n{i}}}")
                            } else if start_is_question {
                                "Problem with {answer:n0}".to_owned()
                            } else {
                                "Problem".to_owned()
                            },
                            s.dice,
                        ),
                    },
                    _ => Node::Subflow {
                        flow: if sloppy && s.dice.is_multiple_of(3) {
                            "generated".into()
                        } else {
                            "network".into()
                        },
                    },
                };
                nodes.insert(id(i), node);
            }
            let mut flow = Flow {
                slug: "generated".into(),
                version: 1,
                title: Text::new("Generated").with(Language::Fr, "Généré"),
                languages: vec![Language::En, Language::Fr],
                start: if sloppy && specs[0].dice.is_multiple_of(11) {
                    "missing".into()
                } else {
                    "n0".into()
                },
                nodes,
            };
            if !sloppy {
                let keep = reachable(&flow);
                flow.nodes.retain(|id, _| keep.contains(id));
            }
            flow
        }

        /// Depth-first, independently of `validate`'s breadth-first search.
        fn reachable_from(flow: &Flow, from: &str) -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.to_owned()];
            while let Some(id) = stack.pop() {
                let Some(node) = flow.nodes.get(&id) else {
                    continue;
                };
                if seen.insert(id) {
                    stack.extend(node.choices().iter().map(|c| c.next.to_owned()));
                }
            }
            seen
        }

        fn reachable(flow: &Flow) -> BTreeSet<String> {
            reachable_from(flow, &flow.start)
        }

        /// Answers at random (`picks`) until an end, a misfit or the picks run out;
        /// returns the walk and the node id after each number of steps.
        fn random_walk(flow: &Flow, picks: &[Index]) -> (Walk, Vec<String>) {
            let mut w = Walk::new();
            let mut ids = Vec::new();
            let Ok(start) = w.position(flow) else {
                return (w, ids);
            };
            ids.push(start.id.to_owned());
            for pick in picks {
                let here = w.position(flow).unwrap();
                let choices = here.node.choices();
                if choices.is_empty() {
                    break;
                }
                let choice = choices[pick.index(choices.len())];
                if w.answer(flow, choice.id).is_err() {
                    break;
                }
                ids.push(w.position(flow).unwrap().id.to_owned());
            }
            (w, ids)
        }

        fn any_flow() -> impl Strategy<Value = Flow> {
            prop_oneof![arb_flow(false), arb_flow(true)]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn validate_never_panics_and_every_message_is_worded(flow in any_flow()) {
                for e in validate(&flow) {
                    prop_assert!(!e.message().is_empty());
                }
            }

            #[test]
            fn valid_flows_always_lead_somewhere(
                flow in any_flow(),
                picks in prop::collection::vec(any::<Index>(), 0..=MAX_WALK_STEPS),
            ) {
                let errors = validate(&flow);
                if errors.is_empty() {
                    for id in reachable(&flow) {
                        let onward = reachable_from(&flow, &id);
                        prop_assert!(
                            onward.iter().any(|n| flow.nodes[n].is_end()),
                            "no end reachable from {id}"
                        );
                    }
                    let mut w = Walk::new();
                    for pick in &picks {
                        let here = w.position(&flow);
                        prop_assert!(here.is_ok(), "{here:?}");
                        let node = here.unwrap().node;
                        if node.is_end() {
                            break;
                        }
                        let choices = node.choices();
                        prop_assert!(!choices.is_empty());
                        let result = w.answer(&flow, choices[pick.index(choices.len())].id);
                        prop_assert!(result.is_ok(), "{result:?}");
                    }
                    let node = w.current(&flow).unwrap();
                    let outcome = w.outcome(&flow, Language::Fr);
                    match node {
                        Node::Resolved { .. } | Node::Ticket { .. } => prop_assert!(outcome.is_some()),
                        _ => prop_assert!(outcome.is_none()),
                    }
                    prop_assert_eq!(w.trail(&flow, Language::Fr, StockAnswer::english_label).len(), w.len());
                    prop_assert_eq!(w.transcript(&flow, Language::Nb, StockAnswer::english_label).steps.len(), w.len());
                } else if !flow.nodes.contains_key(&flow.start) {
                    prop_assert!(errors.iter().any(|e| e.kind == crate::flows::FlowErrorKind::MissingStart));
                }
            }

            #[test]
            fn validate_finds_exactly_the_trapped_nodes(flow in arb_flow(false)) {
                // Clean flows break no rule but "a way out", so every error must be a
                // trapped node, and every trapped node (found by brute force) an error.
                let trapped: BTreeSet<String> = reachable(&flow)
                    .into_iter()
                    .filter(|id| !reachable_from(&flow, id).iter().any(|n| flow.nodes[n].is_end()))
                    .collect();
                let errors = validate(&flow);
                prop_assert!(
                    errors.iter().all(|e| e.kind == crate::flows::FlowErrorKind::NoWayOut),
                    "{errors:?}"
                );
                let reported: BTreeSet<String> =
                    errors.into_iter().filter_map(|e| e.node).collect();
                prop_assert_eq!(reported, trapped);
            }

            #[test]
            fn params_round_trip(
                flow in any_flow(),
                picks in prop::collection::vec(any::<Index>(), 0..=MAX_WALK_STEPS),
            ) {
                let (w, _) = random_walk(&flow, &picks);
                prop_assert_eq!(Walk::from_param(&w.to_param()), Ok(w));
            }

            #[test]
            fn back_to_returns_to_the_node_of_that_step(
                flow in any_flow(),
                picks in prop::collection::vec(any::<Index>(), 0..=MAX_WALK_STEPS),
                back in any::<Index>(),
            ) {
                let (mut w, ids) = random_walk(&flow, &picks);
                prop_assume!(!ids.is_empty());
                prop_assert_eq!(ids.len(), w.len() + 1);
                let i = back.index(ids.len());
                w.back_to(i);
                prop_assert_eq!(w.len(), i);
                prop_assert_eq!(w.position(&flow).unwrap().id, ids[i].as_str());
            }

            #[test]
            fn from_param_never_panics(param in "[a-z0-9_.A-Z%-]{0,80}") {
                if let Ok(w) = Walk::from_param(&param) {
                    prop_assert_eq!(w.to_param(), param);
                }
            }
        }

        /// Property tests on valid flows say little if valid flows are rare.
        #[test]
        fn clean_flows_are_often_valid() {
            use proptest::strategy::ValueTree;
            use proptest::test_runner::TestRunner;

            let mut runner = TestRunner::deterministic();
            let strategy = arb_flow(false);
            let valid = (0..200)
                .filter(|_| validate(&strategy.new_tree(&mut runner).unwrap().current()).is_empty())
                .count();
            assert!(valid >= 60, "only {valid} of 200 generated flows are valid");
        }
    }
}
