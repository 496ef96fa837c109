//! Online: is there a network, and does the portal answer? The browser's own
//! `navigator.onLine` only says whether a network interface is up, so a real request
//! to the portal's health endpoint settles it, and tells "no network" from "the
//! portal is down".

use super::{COULD_NOT_RUN, Decision, OutcomeDef, Unit};

pub const ONLINE: OutcomeDef = OutcomeDef {
    id: "online",
    by_hand: Some("online_by_hand"),
    english: "Online: the portal answers",
};
pub const OFFLINE: OutcomeDef = OutcomeDef {
    id: "offline",
    by_hand: Some("offline_by_hand"),
    english: "Offline: no network",
};
pub const PORTAL_DOWN: OutcomeDef = OutcomeDef {
    id: "portal_down",
    by_hand: Some("portal_down_by_hand"),
    english: "Network up, but the portal does not answer",
};
pub static OUTCOMES: [OutcomeDef; 4] = [ONLINE, OFFLINE, PORTAL_DOWN, COULD_NOT_RUN];

/// How the request to the health endpoint went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// Answered 2xx, in this many milliseconds.
    Answered { ms: u32 },
    /// Answered with an error status (the portal is there but unwell).
    Failed { status: u16 },
    /// No answer: the request itself failed (no route, DNS, refused).
    Unreachable,
    /// No answer within the check's time.
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// `navigator.onLine`; `None` where the browser lacks it.
    pub navigator_online: Option<bool>,
    /// `None` when the request could not be made at all.
    pub probe: Option<Probe>,
}

pub fn decide(facts: &Facts) -> Decision {
    let mut decision = match (facts.navigator_online, facts.probe) {
        (_, Some(Probe::Answered { .. })) => Decision::new(&ONLINE),
        // The browser knows it has no network: believe it whatever the request did.
        (Some(false), _) => Decision::new(&OFFLINE),
        (_, Some(Probe::Failed { .. } | Probe::Unreachable)) => Decision::new(&PORTAL_DOWN),
        // A timeout with a network up says little: the network may be slow or
        // captive. Ask instead of guessing.
        (_, Some(Probe::TimedOut) | None) => Decision::could_not_run(),
    };
    decision = decision.with(
        "network",
        match facts.navigator_online {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        },
    );
    match facts.probe {
        Some(Probe::Answered { ms }) => {
            decision.with_measure("portal", ms.to_string(), Unit::Milliseconds)
        }
        Some(Probe::Failed { status }) => decision.with("portal", format!("HTTP {status}")),
        Some(Probe::Unreachable) => decision.with("portal", "no_answer"),
        Some(Probe::TimedOut) => decision.with("portal", "timed_out"),
        None => decision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(navigator_online: Option<bool>, probe: Option<Probe>) -> &'static str {
        decide(&Facts {
            navigator_online,
            probe,
        })
        .outcome
        .id
    }

    #[test]
    fn an_answer_from_the_portal_means_online() {
        assert_eq!(id(Some(true), Some(Probe::Answered { ms: 40 })), "online");
        // Some browsers say offline wrongly (a VPN adapter); the answer wins.
        assert_eq!(id(Some(false), Some(Probe::Answered { ms: 40 })), "online");
        let d = decide(&Facts {
            navigator_online: None,
            probe: Some(Probe::Answered { ms: 12 }),
        });
        assert!(
            d.findings
                .iter()
                .any(|f| f.value == "12" && f.unit == Some(Unit::Milliseconds))
        );
    }

    #[test]
    fn the_browser_saying_offline_means_offline() {
        assert_eq!(id(Some(false), Some(Probe::Unreachable)), "offline");
        assert_eq!(id(Some(false), Some(Probe::TimedOut)), "offline");
        assert_eq!(id(Some(false), None), "offline");
        let d = decide(&Facts {
            navigator_online: Some(false),
            probe: Some(Probe::Unreachable),
        });
        let found: Vec<_> = d
            .findings
            .iter()
            .map(|f| (f.key.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(found, [("network", "no"), ("portal", "no_answer")]);
    }

    #[test]
    fn a_network_without_the_portal_means_portal_down() {
        assert_eq!(id(Some(true), Some(Probe::Unreachable)), "portal_down");
        assert_eq!(id(None, Some(Probe::Failed { status: 503 })), "portal_down");
    }

    #[test]
    fn no_answer_in_time_could_not_run() {
        assert_eq!(id(Some(true), Some(Probe::TimedOut)), "could_not_run");
        assert_eq!(id(None, None), "could_not_run");
    }
}
