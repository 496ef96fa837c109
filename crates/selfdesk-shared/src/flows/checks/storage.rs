//! Storage: do cookies and site storage work, and how much room is left? Signing in
//! needs cookies, and many web apps break silently when storage is blocked or full.

use super::{COULD_NOT_RUN, Decision, OutcomeDef, Unit};

pub const OK: OutcomeDef = OutcomeDef {
    id: "storage_ok",
    by_hand: Some("storage_ok_by_hand"),
    english: "Cookies and site storage work",
};
pub const BLOCKED: OutcomeDef = OutcomeDef {
    id: "storage_blocked",
    by_hand: Some("storage_blocked_by_hand"),
    english: "Cookies or site storage are turned off",
};
pub const FULL: OutcomeDef = OutcomeDef {
    id: "storage_full",
    by_hand: Some("storage_full_by_hand"),
    english: "Site storage is almost full",
};
pub static OUTCOMES: [OutcomeDef; 4] = [OK, BLOCKED, FULL, COULD_NOT_RUN];

/// Used over quota from which storage counts as full.
const FULL_RATIO: f64 = 0.9;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Facts {
    /// `navigator.cookieEnabled`.
    pub cookies: Option<bool>,
    /// Whether writing, reading and removing a `localStorage` item worked.
    pub local_storage: Option<bool>,
    /// `navigator.storage.estimate()`, in bytes.
    pub usage: Option<f64>,
    pub quota: Option<f64>,
}

pub fn decide(facts: &Facts) -> Decision {
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "works",
        Some(false) => "blocked",
        None => "unknown",
    };
    let mut decision = if facts.cookies == Some(false) || facts.local_storage == Some(false) {
        Decision::new(&BLOCKED)
    } else if let (Some(usage), Some(quota)) = (facts.usage, facts.quota)
        && quota > 0.0
        && usage / quota >= FULL_RATIO
    {
        Decision::new(&FULL)
    } else if facts.cookies.is_none() && facts.local_storage.is_none() {
        Decision::could_not_run()
    } else {
        Decision::new(&OK)
    };
    decision = decision
        .with("cookies", yes_no(facts.cookies))
        .with("local_storage", yes_no(facts.local_storage));
    if let Some(quota) = facts.quota {
        // Whole megabytes, formatted as integers: a float's formatter is kilobytes
        // of wasm for a figure nobody needs to the byte.
        let mb = |bytes: f64| (bytes / 1e6).round() as u64;
        let used = mb(facts.usage.unwrap_or(0.0));
        decision = decision.with_measure(
            "storage_quota",
            format!("{used} / {}", mb(quota)),
            Unit::Megabytes,
        );
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            cookies: Some(true),
            local_storage: Some(true),
            usage: Some(2_000_000.0),
            quota: Some(1_000_000_000.0),
        }
    }

    #[test]
    fn working_storage_with_room_is_ok() {
        let d = decide(&facts());
        assert_eq!(d.outcome.id, "storage_ok");
        assert!(
            d.findings
                .iter()
                .any(|f| f.value == "2 / 1000" && f.unit == Some(Unit::Megabytes))
        );
        // No estimate (old browser): still ok, without a quota finding.
        let d = decide(&Facts {
            usage: None,
            quota: None,
            ..facts()
        });
        assert_eq!(d.outcome.id, "storage_ok");
        assert!(!d.findings.iter().any(|f| f.key == "storage_quota"));
    }

    #[test]
    fn blocked_cookies_or_storage_are_blocked() {
        for f in [
            Facts {
                cookies: Some(false),
                ..facts()
            },
            Facts {
                local_storage: Some(false),
                ..facts()
            },
        ] {
            assert_eq!(decide(&f).outcome.id, "storage_blocked");
        }
    }

    #[test]
    fn nearly_full_storage_is_full() {
        let f = Facts {
            usage: Some(950.0),
            quota: Some(1000.0),
            ..facts()
        };
        assert_eq!(decide(&f).outcome.id, "storage_full");
        // A zero quota is the browser not saying, not a full disk.
        let f = Facts {
            usage: Some(0.0),
            quota: Some(0.0),
            ..facts()
        };
        assert_eq!(decide(&f).outcome.id, "storage_ok");
    }

    #[test]
    fn nothing_known_could_not_run() {
        assert_eq!(decide(&Facts::default()).outcome.id, "could_not_run");
    }
}
