//! The eight single-page apps and what they share.
//!
//! The portal (`PortalApp`, `src/main.rs`) is what every user loads first: home and
//! the knowledge base. Guided diagnostics (`DiagnoseApp`, `src/bin/diagnose.rs`), the
//! ticket form (`FilingApp`, `src/bin/filing.rs`), a requester's tickets
//! (`MyTicketsApp`, `src/bin/my_tickets.rs`), a ticket's page (`TrackingApp`,
//! `src/bin/tracking.rs`), the staff desk (`StaffApp`, `src/bin/staff.rs`: the queue,
//! tickets, incidents), the staff area's editors and admin pages (`ManageApp`,
//! `src/bin/manage.rs`) and Insight
//! (`InsightApp`, `src/bin/insight.rs`, the help desk's figures and charts) are wasm
//! modules of their own, loaded when a visitor goes there, so no requester page pays
//! for another's code, the editor and the queue never weigh on a requester, nor charts
//! on the queue. All render the same
//! frame; a link from one app into another is a full page load (`crate::router`),
//! and the server answers each path with its app's page (`selfdesk_shared::areas`).

use leptos::prelude::*;
use selfdesk_shared::areas::AppArea;

use crate::components::form;
use crate::components::language::LanguagePreference;
use crate::components::layout::{Footer, Header, staff_menu};
use crate::components::staff_only::StaffOnly;
use crate::i18n::I18nContextProvider;
use crate::pages;
use crate::router::{self, Route, Routes, use_location};
use crate::session;

/// What only the staff app has in its frame: who is signed in, and their menu.
/// Passed as function pointers, so the other apps never link that code.
#[derive(Clone, Copy)]
struct StaffTools {
    provide_session: fn(),
    menu: fn() -> AnyView,
}

/// The staff apps' tools: the session, the staff menu, and the words for the refusals
/// only staff forms get (`form::staff_reason_text`).
const STAFF_TOOLS: StaffTools = StaffTools {
    provide_session: provide_staff_session,
    menu: staff_menu,
};

fn provide_staff_session() {
    form::word_staff_reasons(form::staff_reason_text);
    session::provide();
}

/// What every app puts around its pages. Only the staff app asks who is signed in:
/// the others serve everyone the same, so they need no session (and make no call).
#[component]
fn Frame(
    /// The app's paths: a link to another app's is a page load.
    area: AppArea,
    #[prop(optional)] staff: Option<StaffTools>,
    children: Children,
) -> impl IntoView {
    // The app's start, the header and the page are each built in a task of their
    // own: a phone's browser then never runs them (much of it compiling the wasm
    // functions first called) as one long task that blocks input (Lighthouse's Total
    // Blocking Time; docs/ARCHITECTURE.md, "Page speed as people meet it").
    let header_due = RwSignal::new(false);
    let page_due = RwSignal::new(false);
    set_timeout(move || header_due.set(true), std::time::Duration::ZERO);
    set_timeout(move || page_due.set(true), std::time::Duration::ZERO);
    let staff_menu = staff.map(|tools| tools.menu);
    let header = move || {
        header_due
            .get()
            .then(|| untrack(|| view! { <Header staff_menu=staff_menu /> }))
    };
    let mut page = Some(children);
    // Built untracked: this closure must run once more only, when the page is due (a
    // second run would find the page taken).
    let page = move || match page_due.get().then(|| page.take()).flatten() {
        Some(children) => untrack(children),
        None => ().into_any(),
    };
    router::provide(area);
    view! {
        <I18nContextProvider>
            <LanguagePreference />
            {staff.map(|tools| (tools.provide_session)())}
            <crate::components::focus_on_navigate::FocusOnNavigate />
            {header}
            <main id="main" tabindex="-1">
                {page}
            </main>
            <Footer />
        </I18nContextProvider>
    }
}

/// A route this app does not have: a real 404, unless another of the apps has it.
/// Links and `navigate` already load another app's path in full (`crate::router`);
/// this covers a page answered with the wrong app, as the offline worker may do for
/// a path it does not know (`public/sw.js`), by loading it again.
#[component]
fn OtherApp(area: AppArea) -> impl IntoView {
    let location = use_location();
    // Tracked: a path no route has may follow another within the app (no rebuild).
    let elsewhere = Memo::new(move |_| AppArea::for_path(&location.pathname.get()) != area);
    Effect::new(move |_| {
        if elsewhere.get() {
            let path = location.pathname.get_untracked();
            // `search` has no leading "?".
            let search = location.search.get_untracked();
            let target = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            // The address is in the bar already: with an anchor
            // (`/staff/insight#flows`), going there again would only scroll, so the
            // page is loaded again instead, anchor and all.
            if location.hash.get_untracked().is_empty() {
                let _ = window().location().assign(&target);
            } else {
                let _ = window().location().reload();
            }
        }
    });
    move || {
        if elsewhere.get() {
            view! { <crate::components::status::Loading /> }.into_any()
        } else {
            view! { <pages::not_found::NotFound /> }.into_any()
        }
    }
}

/// The page at an address no route of the app has.
macro_rules! elsewhere {
    ($area:expr) => {
        || view! { <OtherApp area=$area /> }.into_any()
    };
}

/// A route's page: its component, run untracked as `view!` runs one.
macro_rules! page {
    ($page:path) => {
        || untrack($page).into_any()
    };
}

/// A staff route's page, shown only to signed-in staff (`StaffOnly`).
macro_rules! staff_page {
    ($page:path) => {
        || view! { <StaffOnly page=page!($page) /> }.into_any()
    };
}

const PORTAL: &[Route] = &[
    Route {
        path: "/",
        view: page!(pages::home::Home),
    },
    Route {
        path: "/kb",
        view: page!(pages::kb::browse::KnowledgeBase),
    },
    Route {
        path: "/kb/category/:slug",
        view: page!(pages::kb::category::CategoryPage),
    },
    Route {
        path: "/kb/:slug",
        view: page!(pages::kb::article::ArticlePage),
    },
];

#[component]
pub fn PortalApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Portal>
            <Routes routes=PORTAL fallback=elsewhere!(AppArea::Portal) />
        </Frame>
    }
}

const DIAGNOSE: &[Route] = &[
    Route {
        path: "/diagnose",
        view: page!(pages::diagnose::Diagnose),
    },
    Route {
        path: "/diagnose/:slug",
        view: page!(pages::diagnose::walk_page::WalkPage),
    },
];

/// Guided diagnostics (`/diagnose`, `/diagnose/:slug`). A walk that ends in a ticket
/// saves the form's draft in the browser and goes to `/tickets/new` — the filing app,
/// a full page load that picks the draft up.
#[component]
pub fn DiagnoseApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Diagnose>
            <Routes routes=DIAGNOSE fallback=elsewhere!(AppArea::Diagnose) />
        </Frame>
    }
}

const FILING: &[Route] = &[Route {
    path: "/tickets/new",
    view: page!(pages::tickets::new_ticket::NewTicketPage),
}];

/// The ticket form (`/tickets/new`).
#[component]
pub fn FilingApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Filing>
            <Routes routes=FILING fallback=elsewhere!(AppArea::Filing) />
        </Frame>
    }
}

const MY_TICKETS: &[Route] = &[
    Route {
        path: "/tickets",
        view: page!(pages::tickets::my_tickets::MyTickets),
    },
    Route {
        path: "/tickets/sign-in",
        view: page!(pages::tickets::sign_in::RequesterSignIn),
    },
];

/// A requester's tickets (`/tickets`) and signing in to see them (`/tickets/sign-in`).
/// Apart from a ticket's page, which a link in an email opens on its own: together
/// they were 37 KB over what either page needs (issue 17).
#[component]
pub fn MyTicketsApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::MyTickets>
            <Routes routes=MY_TICKETS fallback=elsewhere!(AppArea::MyTickets) />
        </Frame>
    }
}

const TRACKING: &[Route] = &[
    // The form and the sign-in page are other apps', not tickets numbered "new" or
    // "sign-in" (a link goes there as a page load; these are for a page answered with
    // this app for those paths).
    Route {
        path: "/tickets/new",
        view: elsewhere!(AppArea::Tracking),
    },
    Route {
        path: "/tickets/sign-in",
        view: elsewhere!(AppArea::Tracking),
    },
    Route {
        path: "/tickets/:number",
        view: page!(pages::tickets::track::TrackTicket),
    },
];

/// A ticket's page (`/tickets/:number`).
#[component]
pub fn TrackingApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Tracking>
            <Routes routes=TRACKING fallback=elsewhere!(AppArea::Tracking) />
        </Frame>
    }
}

const STAFF: &[Route] = &[
    Route {
        path: "/staff/sign-in",
        view: page!(pages::sign_in::SignIn),
    },
    Route {
        path: "/staff/tickets",
        view: staff_page!(pages::staff::queue::StaffQueue),
    },
    Route {
        path: "/staff/tickets/:number",
        view: staff_page!(pages::staff::ticket::StaffTicketPage),
    },
    Route {
        path: "/staff/incidents",
        view: staff_page!(pages::staff::incidents::StaffIncidents),
    },
];

/// The staff desk: sign-in, the queue, a ticket's page and incidents — what a
/// technician opens all day, so it loads first and alone. The editors and admin pages
/// are `ManageApp`'s, loaded in full when one is opened.
#[component]
pub fn StaffApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Staff staff=STAFF_TOOLS>
            <Routes routes=STAFF fallback=elsewhere!(AppArea::Staff) />
        </Frame>
    }
}

const MANAGE: &[Route] = &[
    // Opened from an admin's one-time link, before anyone is signed in.
    Route {
        path: "/staff/reset-password",
        view: page!(pages::staff::reset_password::ResetPassword),
    },
    Route {
        path: "/staff",
        view: staff_page!(pages::staff::home::StaffHome),
    },
    Route {
        path: "/staff/security",
        view: staff_page!(pages::staff::security::StaffSecurity),
    },
    Route {
        path: "/staff/kb",
        view: staff_page!(pages::staff::articles::StaffArticles),
    },
    Route {
        path: "/staff/kb/new",
        view: staff_page!(pages::staff::new_article::NewArticle),
    },
    Route {
        path: "/staff/search",
        view: staff_page!(pages::staff::search_gaps::SearchGapsPage),
    },
    Route {
        path: "/staff/search/synonyms",
        view: staff_page!(pages::staff::synonyms::SynonymsPage),
    },
    Route {
        path: "/staff/kb/:slug",
        view: staff_page!(pages::staff::article_editor::ArticleEditorPage),
    },
    Route {
        path: "/staff/service-levels",
        view: staff_page!(pages::staff::service_levels::ServiceLevels),
    },
    Route {
        path: "/staff/canned-responses",
        view: staff_page!(pages::staff::canned_responses::CannedResponses),
    },
    Route {
        path: "/staff/categories",
        view: staff_page!(pages::staff::categories::StaffCategories),
    },
    Route {
        path: "/staff/flows",
        view: staff_page!(pages::staff::flows::StaffFlows),
    },
    Route {
        path: "/staff/flows/:slug",
        view: staff_page!(pages::staff::flow_editor::FlowEditorPage),
    },
    Route {
        path: "/staff/outbox",
        view: staff_page!(pages::staff::outbox::StaffOutbox),
    },
    Route {
        path: "/staff/webhooks",
        view: staff_page!(pages::staff::webhooks::StaffWebhooks),
    },
    Route {
        path: "/staff/reach-check",
        view: staff_page!(pages::staff::reach_services::ReachServicesPage),
    },
    Route {
        path: "/staff/mail-in",
        view: staff_page!(pages::staff::mail_in::StaffMailIn),
    },
];

/// The staff area's home (with staff accounts), editors and admin pages: articles,
/// diagnostic flows, search gaps and synonyms, service levels, categories, canned
/// responses, the outbox, webhooks, the mail read and the services reach checks
/// try; one's own sign-in security, and choosing a new password from a reset link.
/// Opened now and then, so their code never weighs on the queue.
#[component]
pub fn ManageApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Manage staff=STAFF_TOOLS>
            <Routes routes=MANAGE fallback=elsewhere!(AppArea::Manage) />
        </Frame>
    }
}

const INSIGHT: &[Route] = &[Route {
    path: "/staff/insight",
    view: staff_page!(pages::insight::InsightPage),
}];

#[component]
pub fn InsightApp() -> impl IntoView {
    view! {
        <Frame area=AppArea::Insight staff=STAFF_TOOLS>
            <Routes routes=INSIGHT fallback=elsewhere!(AppArea::Insight) />
        </Frame>
    }
}
