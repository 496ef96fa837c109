//! The web front end is eight wasm apps, so that what each visitor loads stays small:
//! the portal (home, knowledge base), guided diagnostics (`/diagnose…`), the ticket
//! form (`/tickets/new`), a requester's tickets (`/tickets`, and signing in at
//! `/tickets/sign-in`), tracking (`/tickets/:number`: a ticket's page, what a link
//! in a requester's email opens), the staff desk (sign-in, the queue, a ticket's
//! page, incidents: what a technician opens all day), the staff area's editors and
//! admin pages (`Manage`: the rest of `/staff…`, loaded only when one is opened), and
//! Insight (the help desk's figures and charts, `/staff/insight`). No requester page pays for another's code: a walk that
//! ends in a ticket hands its draft to the form through the browser's storage. The server serves each app's page for its paths and
//! the apps hand a path they do not own to the right one — both through this one
//! function, so they cannot disagree.

/// One of the web apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppArea {
    Portal,
    Diagnose,
    Filing,
    /// "My tickets" and signing in to see them (`/tickets`, `/tickets/sign-in`).
    MyTickets,
    /// A ticket's page (`/tickets/:number`).
    Tracking,
    /// The staff desk: sign-in, the queue, a ticket's page, incidents.
    Staff,
    /// The staff area's home, editors and admin pages (articles, flows, search,
    /// service levels, categories, canned responses, accounts).
    Manage,
    Insight,
}

impl AppArea {
    /// The app that owns `path` (a URL path, without query or fragment).
    pub fn for_path(path: &str) -> Self {
        // As the apps' router reads it: `/tickets//` is `/tickets`.
        let path = match path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/staff/insight") {
            Self::Insight
        } else if under("/staff/tickets") || under("/staff/incidents") || under("/staff/sign-in") {
            Self::Staff
        } else if under("/staff") {
            Self::Manage
        } else if path == "/tickets/new" || path == "/tickets/new/" {
            Self::Filing
        } else if [
            "/tickets",
            "/tickets/",
            "/tickets/sign-in",
            "/tickets/sign-in/",
        ]
        .contains(&path)
        {
            Self::MyTickets
        } else if under("/tickets") {
            Self::Tracking
        } else if under("/diagnose") {
            Self::Diagnose
        } else {
            Self::Portal
        }
    }

    /// The requesters' apps (the portal, diagnostics, the form, their tickets, a
    /// ticket's page), as opposed
    /// to the staff area's.
    pub const fn is_requesters(self) -> bool {
        matches!(
            self,
            Self::Portal | Self::Diagnose | Self::Filing | Self::MyTickets | Self::Tracking
        )
    }

    /// Where the app is built under the static directory; the portal is at the root.
    pub const fn dir(self) -> Option<&'static str> {
        match self {
            Self::Portal => None,
            Self::Diagnose => Some("diagnose-app"),
            Self::Filing => Some("filing-app"),
            Self::MyTickets => Some("my-tickets-app"),
            Self::Tracking => Some("tracking-app"),
            Self::Staff => Some("staff-app"),
            Self::Manage => Some("manage-app"),
            Self::Insight => Some("insight-app"),
        }
    }

    pub const ALL: [AppArea; 8] = [
        Self::Portal,
        Self::Diagnose,
        Self::Filing,
        Self::MyTickets,
        Self::Tracking,
        Self::Staff,
        Self::Manage,
        Self::Insight,
    ];
}

#[cfg(test)]
mod tests {
    use super::AppArea::{self, *};

    #[test]
    fn paths_belong_to_one_app() {
        for (path, area) in [
            ("/", Portal),
            ("/kb/vpn", Portal),
            ("/diagnose", Diagnose),
            ("/diagnose/printer", Diagnose),
            ("/diagnoses", Portal),
            ("/tickets", MyTickets),
            ("/tickets/", MyTickets),
            ("/tickets/sign-in", MyTickets),
            ("/tickets/sign-in/", MyTickets),
            ("/tickets//", MyTickets),
            ("/tickets/sign-in//", MyTickets),
            ("/tickets/new//", Filing),
            ("/tickets/sign-inn", Tracking),
            ("//", Portal),
            ("/tickets/new", Filing),
            ("/tickets/new/", Filing),
            ("/tickets/newer", Tracking),
            ("/tickets/SD-2026-000001", Tracking),
            ("/ticketsmore", Portal),
            ("/staff", Manage),
            ("/staff/", Manage),
            ("/staff/kb/new", Manage),
            ("/staff/flows/printer", Manage),
            ("/staff/service-levels", Manage),
            ("/staff/outbox", Manage),
            ("/staff/webhooks", Manage),
            ("/staff/mail-in", Manage),
            ("/staff/sign-in", Staff),
            ("/staff/tickets", Staff),
            ("/staff/tickets/SD-2026-000001", Staff),
            ("/staff/incidents", Staff),
            ("/staff/ticketsmore", Manage),
            ("/staffroom", Portal),
            ("/staff/insight", Insight),
            ("/staff/insight/", Insight),
            ("/staff/insights", Manage),
            ("/staff/kb/insight", Manage),
        ] {
            assert_eq!(AppArea::for_path(path), area, "{path}");
        }
    }
}
