//! The web front end is four wasm apps, so that what most visitors load stays small:
//! the portal (home, knowledge base), the tickets app (guided diagnostics, filing and
//! tracking: a diagnosis often ends in a ticket), the staff area, and Insight (the help
//! desk's figures and charts, `/staff/insight`: its charts never weigh on the queue a
//! technician opens all day). The server serves each app's page for its paths and
//! the apps hand a path they do not own to the right one — both through this one
//! function, so they cannot disagree.

/// One of the web apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppArea {
    Portal,
    Tickets,
    Staff,
    Insight,
}

impl AppArea {
    /// The app that owns `path` (a URL path, without query or fragment).
    pub fn for_path(path: &str) -> Self {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/staff/insight") {
            Self::Insight
        } else if under("/staff") {
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
            Self::Insight => Some("insight-app"),
        }
    }

    pub const ALL: [AppArea; 4] = [Self::Portal, Self::Tickets, Self::Staff, Self::Insight];
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
            ("/staff/insight", Insight),
            ("/staff/insight/", Insight),
            ("/staff/insights", Staff),
            ("/staff/kb/insight", Staff),
        ] {
            assert_eq!(AppArea::for_path(path), area, "{path}");
        }
    }
}
