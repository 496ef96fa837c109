//! Checks: steps a flow answers by itself, in the requester's browser, instead of
//! asking ("Are you online?" is something the browser can find out in a second).
//!
//! A check node names a [`CheckKind`]; the app gathers the kind's facts from the
//! browser (with a timeout), and the kind's pure `decide` function turns them into
//! one of the kind's [`OutcomeDef`]s, which the walk records like an answer. The
//! requester may overrule the result ("That's not right") by choosing an outcome
//! by hand, which the walk records with that outcome's `by_hand` id, so a
//! technician can tell what the browser found from what the person said.
//!
//! Each kind is one file here: its facts, its outcomes and its decision, tested on
//! the host with made-up facts. Adding a kind is that file, a [`CheckKind`] variant
//! and its outcome labels in the app's catalogs.

use serde::{Deserialize, Serialize};

pub mod displays;
pub mod environment;
pub mod media_devices;
pub mod online;
pub mod reach;
pub mod storage;

/// What a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The network, and whether the portal itself answers.
    Online,
    /// Whether the organisation's services answer, and how fast.
    Reach,
    /// Browser, operating system, device, screen, language, time zone and clock.
    Environment,
    /// Camera, microphone and speakers, and the permission to use them.
    MediaDevices,
    /// Cookies and site storage, and the storage quota.
    Storage,
    /// How many screens the computer has, where the browser may say.
    Displays,
}

impl CheckKind {
    pub const ALL: [CheckKind; 6] = [
        Self::Online,
        Self::Reach,
        Self::Environment,
        Self::MediaDevices,
        Self::Storage,
        Self::Displays,
    ];

    /// The name flows use (`check = "media_devices"`).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Reach => "reach",
            Self::Environment => "environment",
            Self::MediaDevices => "media_devices",
            Self::Storage => "storage",
            Self::Displays => "displays",
        }
    }

    /// Every outcome the kind can give, "could not run" last.
    pub fn outcomes(self) -> &'static [OutcomeDef] {
        match self {
            Self::Online => &online::OUTCOMES,
            Self::Reach => &reach::OUTCOMES,
            Self::Environment => &environment::OUTCOMES,
            Self::MediaDevices => &media_devices::OUTCOMES,
            Self::Storage => &storage::OUTCOMES,
            Self::Displays => &displays::OUTCOMES,
        }
    }

    /// The outcome with this id (as the walk records it, by the browser or by hand).
    pub fn outcome(self, id: &str) -> Option<&'static OutcomeDef> {
        self.outcomes().iter().find(|o| o.id == id)
    }
}

/// The outcome every kind has: the browser lacks what the check needs, the
/// requester refused permission, or the check took too long.
pub const COULD_NOT_RUN: OutcomeDef = OutcomeDef {
    id: "could_not_run",
    by_hand: None,
    english: "The check could not run",
};

/// The longest a check may take before it counts as "could not run": long enough for
/// a slow network's request, short enough that nobody waits for a question.
pub const CHECK_TIMEOUT_MS: u32 = 4_000;

/// One result a check can give.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct OutcomeDef {
    /// What the walk records when the browser found this (`offline`); also the key
    /// of the branch in the flow.
    pub id: &'static str,
    /// What the walk records when the requester chose this by hand, overruling the
    /// browser; `None` for outcomes nobody would choose (could not run).
    pub by_hand: Option<&'static str>,
    /// The result in English, for the technician's transcript.
    pub english: &'static str,
}

/// One outcome as an answer: found by the browser, or chosen by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckAnswer {
    pub kind: CheckKind,
    pub outcome: &'static OutcomeDef,
    pub by_hand: bool,
}

impl CheckAnswer {
    /// The id the walk records.
    pub fn id(self) -> &'static str {
        match (self.by_hand, self.outcome.by_hand) {
            (true, Some(id)) => id,
            _ => self.outcome.id,
        }
    }
}

/// One thing the browser found, for the requester to see and the ticket to carry:
/// `key` names it for the app's catalogs (`browser`, `time_zone`), `value` is as
/// found, in no particular language: a name or number ("Chrome 131", "1920 × 1080",
/// "Europe/Oslo") or one of [`VALUE_WORDS`], which the app translates. A measure's
/// unit is apart from its number, so that each language can write it its own way
/// ("40 ms", "40 мс").
///
/// Never sent as it is: the ticket carries it worded (see
/// [`crate::tickets::ShownFinding`]), so no other app needs these catalogs. Kept in
/// the tab's storage until then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub key: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
}

impl Finding {
    pub fn new(key: &str, value: impl Into<String>) -> Self {
        Self {
            key: key.to_owned(),
            value: value.into(),
            unit: None,
        }
    }

    /// A measure: `value` is its number (or numbers, "12 / 500").
    pub fn measure(key: &str, value: impl Into<String>, unit: Unit) -> Self {
        Self {
            unit: Some(unit),
            ..Self::new(key, value)
        }
    }
}

/// The unit of a measured finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Milliseconds,
    Megabytes,
}

/// The words a finding's value may be, each translated by the app's catalogs
/// (`finding_value_<word>`); any other value is shown as it is.
pub const VALUE_WORDS: [&str; 14] = [
    "works",
    "blocked",
    "unknown",
    "yes",
    "no",
    "granted",
    "denied",
    "prompt",
    "computer",
    "phone",
    "tablet",
    "right",
    "no_answer",
    "timed_out",
];

/// A decision: the outcome, and the facts worth showing and attaching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: &'static OutcomeDef,
    pub findings: Vec<Finding>,
}

impl Decision {
    pub fn new(outcome: &'static OutcomeDef) -> Self {
        Self {
            outcome,
            findings: Vec::new(),
        }
    }

    pub fn could_not_run() -> Self {
        Self::new(&COULD_NOT_RUN)
    }

    fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.findings.push(Finding::new(key, value));
        self
    }

    fn with_measure(mut self, key: &str, value: impl Into<String>, unit: Unit) -> Self {
        self.findings.push(Finding::measure(key, value, unit));
        self
    }
}

/// Whether the person's permission would let the browser find more than it did: a
/// camera and microphone it could list but not open, or screens it could count. The
/// walk then says why and offers to ask (the diagnostics app's check step); the
/// browser's permission prompt never comes without that, and never on its own.
pub fn worth_asking(kind: CheckKind, decision: &Decision) -> bool {
    let prompt = |key: &str| {
        decision
            .findings
            .iter()
            .any(|f| f.key == key && f.value == Permission::Prompt.as_str())
    };
    match kind {
        // With no microphone there is nothing to open; denied is not asked again.
        CheckKind::MediaDevices => {
            [media_devices::OK.id, media_devices::NO_CAMERA.id].contains(&decision.outcome.id)
                && (prompt("camera_permission") || prompt("microphone_permission"))
        }
        // One screen is one screen; only "several" has a count to learn.
        CheckKind::Displays => {
            decision.outcome.id == displays::SEVERAL.id && prompt("screens_permission")
        }
        _ => false,
    }
}

/// What a browser API said about a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Permission {
    Granted,
    Denied,
    /// The browser would ask.
    Prompt,
    /// The browser cannot say (no Permissions API, or it does not know the name).
    #[default]
    Unknown,
}

impl Permission {
    /// From the Permissions API's `state`.
    pub fn parse(state: &str) -> Self {
        match state {
            "granted" => Self::Granted,
            "denied" => Self::Denied,
            "prompt" => Self::Prompt,
            _ => Self::Unknown,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Denied => "denied",
            Self::Prompt => "prompt",
            Self::Unknown => "unknown",
        }
    }
}

/// An answer id's rules hold for every outcome id (they travel in the URL).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::{MAX_ANSWER_ID_CHARS, StockAnswer, is_valid_answer_id};

    #[test]
    fn outcome_ids_are_answer_ids_unique_per_kind_and_end_with_could_not_run() {
        for kind in CheckKind::ALL {
            let outcomes = kind.outcomes();
            assert_eq!(outcomes.last(), Some(&COULD_NOT_RUN), "{kind:?}");
            let mut ids = Vec::new();
            for o in outcomes {
                assert!(is_valid_answer_id(o.id), "{}", o.id);
                ids.push(o.id);
                if let Some(hand) = o.by_hand {
                    assert!(is_valid_answer_id(hand) && hand.len() <= MAX_ANSWER_ID_CHARS);
                    ids.push(hand);
                }
                assert!(!o.english.is_empty());
            }
            let count = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), count, "{kind:?} repeats an id");
            for stock in StockAnswer::ALL {
                assert!(!ids.contains(&stock.id()), "{kind:?}");
            }
        }
    }

    /// The app's catalogs key outcome labels by id alone (`check_offline`).
    #[test]
    fn outcome_ids_are_unique_across_kinds_but_could_not_run() {
        let mut ids: Vec<&str> = CheckKind::ALL
            .iter()
            .flat_map(|k| k.outcomes())
            .filter(|o| o.id != COULD_NOT_RUN.id)
            .map(|o| o.id)
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn kinds_parse_by_their_id() {
        for kind in CheckKind::ALL {
            let json = format!("\"{}\"", kind.id());
            assert_eq!(serde_json::from_str::<CheckKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            CheckKind::Online.outcome("offline").map(|o| o.id),
            Some("offline")
        );
        assert!(CheckKind::Online.outcome("nope").is_none());
    }
}
