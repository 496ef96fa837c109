//! Displays: how many screens the computer has. Only the Window Management API
//! (Chromium, with permission) counts them; elsewhere the browser says whether the
//! screen is "extended" (more than one) or nothing at all, and the check reports
//! the screen size alone.

use super::{COULD_NOT_RUN, Decision, OutcomeDef, Permission};

pub const ONE: OutcomeDef = OutcomeDef {
    id: "one_screen",
    by_hand: Some("one_screen_by_hand"),
    english: "The computer sees one screen",
};
pub const SEVERAL: OutcomeDef = OutcomeDef {
    id: "several_screens",
    by_hand: Some("several_screens_by_hand"),
    english: "The computer sees more than one screen",
};
pub static OUTCOMES: [OutcomeDef; 3] = [ONE, SEVERAL, COULD_NOT_RUN];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// `getScreenDetails().screens.length`, when permitted.
    pub screens: Option<usize>,
    /// `screen.isExtended`, where the browser has it.
    pub extended: Option<bool>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The Window Management permission, which counting the screens needs.
    pub permission: Permission,
}

pub fn decide(facts: &Facts) -> Decision {
    let several = match (facts.screens, facts.extended) {
        (Some(n), _) => Some(n > 1),
        (None, Some(extended)) => Some(extended),
        (None, None) => None,
    };
    let mut d = match several {
        Some(true) => Decision::new(&SEVERAL),
        Some(false) => Decision::new(&ONE),
        None => Decision::could_not_run(),
    };
    match facts.screens {
        Some(n) => d = d.with("screens", n.to_string()),
        // Said only where a count would tell more (several screens) and the browser
        // has the permission at all.
        None if several == Some(true) && facts.permission != Permission::Unknown => {
            d = d.with("screens_permission", facts.permission.as_str());
        }
        None => {}
    }
    if let (Some(w), Some(h)) = (facts.width, facts.height) {
        d = d.with("screen", format!("{w} × {h}"));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_wins_over_extended() {
        let f = Facts {
            screens: Some(2),
            extended: Some(false),
            width: Some(1280),
            height: Some(800),
            permission: Permission::Granted,
        };
        let d = decide(&f);
        assert_eq!(d.outcome.id, "several_screens");
        assert_eq!(d.findings[1].value, "1280 × 800");
        let f = Facts {
            screens: Some(1),
            ..f
        };
        assert_eq!(decide(&f).outcome.id, "one_screen");
    }

    #[test]
    fn extended_alone_decides_when_there_is_no_count() {
        let f = Facts {
            extended: Some(true),
            permission: Permission::Prompt,
            ..Facts::default()
        };
        let d = decide(&f);
        assert_eq!(d.outcome.id, "several_screens");
        assert_eq!(d.findings[0].key, "screens_permission");
        assert!(super::super::worth_asking(
            super::super::CheckKind::Displays,
            &d
        ));
        let one = decide(&Facts {
            extended: Some(false),
            ..f
        });
        assert!(one.findings.is_empty());
        assert!(!super::super::worth_asking(
            super::super::CheckKind::Displays,
            &one
        ));
    }

    #[test]
    fn the_size_alone_could_not_run() {
        let f = Facts {
            width: Some(1920),
            height: Some(1080),
            ..Facts::default()
        };
        let d = decide(&f);
        assert_eq!(d.outcome.id, "could_not_run");
        assert_eq!(d.findings.len(), 1);
    }
}
