//! Reach: do the organisation's services answer (intranet, mail, the VPN gateway, a
//! public site for "is the internet up"), and how fast? The browser may only send
//! `no-cors` requests to other sites, which say that something answered but not
//! what, and that is enough here.

use super::{COULD_NOT_RUN, Decision, OutcomeDef, Unit};

pub const ALL_REACHABLE: OutcomeDef = OutcomeDef {
    id: "reach_ok",
    by_hand: Some("reach_ok_by_hand"),
    english: "Every service answers",
};
pub const SLOW: OutcomeDef = OutcomeDef {
    id: "reach_slow",
    by_hand: Some("reach_slow_by_hand"),
    english: "Every service answers, some slowly",
};
pub const SOME_UNREACHABLE: OutcomeDef = OutcomeDef {
    id: "some_unreachable",
    by_hand: Some("some_unreachable_by_hand"),
    english: "Some services do not answer",
};
pub const NONE_REACHABLE: OutcomeDef = OutcomeDef {
    id: "none_reachable",
    by_hand: Some("none_reachable_by_hand"),
    english: "No service answers",
};
pub static OUTCOMES: [OutcomeDef; 5] = [
    ALL_REACHABLE,
    SLOW,
    SOME_UNREACHABLE,
    NONE_REACHABLE,
    COULD_NOT_RUN,
];

/// An answer slower than this is slow: people notice a second's wait.
pub const SLOW_MS: u32 = 1_500;

/// One address tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// What the administrator called it ("Intranet").
    pub name: String,
    /// Milliseconds to the answer; `None` when none came in time.
    pub ms: Option<u32>,
}

pub fn decide(probes: &[Probe]) -> Decision {
    if probes.is_empty() {
        return Decision::could_not_run();
    }
    let answered = probes.iter().filter(|p| p.ms.is_some()).count();
    let outcome = if answered == 0 {
        &NONE_REACHABLE
    } else if answered < probes.len() {
        &SOME_UNREACHABLE
    } else if probes.iter().any(|p| p.ms.is_some_and(|ms| ms > SLOW_MS)) {
        &SLOW
    } else {
        &ALL_REACHABLE
    };
    probes
        .iter()
        .fold(Decision::new(outcome), |d, p| match p.ms {
            Some(ms) => d.with_measure("service", format!("{}: {ms}", p.name), Unit::Milliseconds),
            None => d.with("service", format!("{}: –", p.name)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(name: &str, ms: Option<u32>) -> Probe {
        Probe {
            name: name.into(),
            ms,
        }
    }

    #[test]
    fn outcomes_follow_the_answers() {
        let fast = probe("Intranet", Some(80));
        let slow = probe("Mail", Some(2_400));
        let gone = probe("VPN", None);
        assert_eq!(decide(std::slice::from_ref(&fast)).outcome.id, "reach_ok");
        assert_eq!(
            decide(&[fast.clone(), slow.clone()]).outcome.id,
            "reach_slow"
        );
        assert_eq!(
            decide(&[fast.clone(), gone.clone()]).outcome.id,
            "some_unreachable"
        );
        assert_eq!(
            decide(std::slice::from_ref(&gone)).outcome.id,
            "none_reachable"
        );
        let d = decide(&[slow, gone]);
        assert_eq!(d.findings[0].value, "Mail: 2400");
        assert_eq!(d.findings[0].unit, Some(Unit::Milliseconds));
        assert_eq!(d.findings[1].value, "VPN: –");
    }

    #[test]
    fn nothing_to_try_could_not_run() {
        assert_eq!(decide(&[]).outcome.id, "could_not_run");
    }
}
