//! The web front end is three wasm apps, so that what most visitors load stays small:
//! the portal (home, knowledge base), the tickets app (guided diagnostics, filing and
//! tracking: a diagnosis often ends in a ticket), and the staff area. The server serves each app's page for its paths and
//! the apps hand a path they do not own to the right one — both through this one
//! function, so they cannot disagree.

/// One of the web apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppArea {
    Portal,
    Tickets,
    Staff,
}

impl AppArea {
    /// The app that owns `path` (a URL path, without query or fragment).
    pub fn for_path(path: &str) -> Self {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/staff") {
            Self::Staff
        } else if under("/tickets") || under("/diagnose") {
            Self::Tickets
        } else {
            Self::Portal
        }
    }

    /// Where the app is built under the static directory; the portal is at the root.
    pub const fn dir(self) -> Option<&'static str> {
        match self {
            Self::Portal => None,
            Self::Tickets => Some("tickets-app"),
            Self::Staff => Some("staff-app"),
        }
    }

    pub const ALL: [AppArea; 3] = [Self::Portal, Self::Tickets, Self::Staff];
}

#[cfg(test)]
mod tests {
    use super::AppArea::{self, *};

    #[test]
    fn paths_belong_to_one_app() {
        for (path, area) in [
            ("/", Portal),
            ("/kb/vpn", Portal),
            ("/diagnose", Tickets),
            ("/diagnose/printer", Tickets),
            ("/diagnoses", Portal),
            ("/tickets", Tickets),
            ("/tickets/new", Tickets),
            ("/tickets/SD-2026-000001", Tickets),
            ("/ticketsmore", Portal),
            ("/staff", Staff),
            ("/staff/kb/new", Staff),
            ("/staffroom", Portal),
        ] {
            assert_eq!(AppArea::for_path(path), area, "{path}");
        }
    }
}
