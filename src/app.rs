//! The seven single-page apps and what they share.
//!
//! The portal (`PortalApp`, `src/main.rs`) is what every user loads first: home and
//! the knowledge base. Guided diagnostics (`DiagnoseApp`, `src/bin/diagnose.rs`), the
//! ticket form (`FilingApp`, `src/bin/filing.rs`), tracking tickets (`TrackingApp`,
//! `src/bin/tracking.rs`), the staff desk (`StaffApp`, `src/bin/staff.rs`: the queue,
//! tickets, incidents), the staff area's editors and admin pages (`ManageApp`,
//! `src/bin/manage.rs`) and Insight
//! (`InsightApp`, `src/bin/insight.rs`, the help desk's figures and charts) are wasm
//! modules of their own, loaded when a visitor goes there, so no requester page pays
//! for another's code, the editor and the queue never weigh on a requester, nor charts
//! on the queue. All render the same
//! frame; a link from one app into another is a full page load (`OtherApp`), and the
//! server answers each path with its app's page (`selfdesk_shared::areas`).

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use selfdesk_shared::areas::AppArea;

use crate::components::form;
use crate::components::language::LanguagePreference;
use crate::components::layout::{Footer, Header, staff_menu};
use crate::components::staff_only::StaffOnly;
use crate::i18n::I18nContextProvider;
use crate::pages;
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
fn Frame(#[prop(optional)] staff: Option<StaffTools>, children: Children) -> impl IntoView {
    // The page inside the frame is built in a task of its own, after the frame: a
    // phone's browser then never runs the app's start (much of it compiling the wasm
    // functions first called) and the page's first render as one long task that
    // blocks input (Lighthouse's Total Blocking Time; docs/ARCHITECTURE.md, "Page
    // speed as people meet it").
    let page_due = RwSignal::new(false);
    set_timeout(move || page_due.set(true), std::time::Duration::ZERO);
    let mut page = Some(children);
    // Built untracked: this closure must run once more only, when the page is due (a
    // second run would find the page taken).
    let page = move || match page_due.get().then(|| page.take()).flatten() {
        Some(children) => untrack(children),
        None => ().into_any(),
    };
    view! {
        <I18nContextProvider>
            <LanguagePreference />
            <Router>
                {staff.map(|tools| (tools.provide_session)())}
                <crate::components::focus_on_navigate::FocusOnNavigate />
                <Header staff_menu=staff.map(|tools| tools.menu) /> <main id="main" tabindex="-1">
                    {page}
                </main> <Footer />
            </Router>
        </I18nContextProvider>
    }
}

/// A route this app does not have: if another of the apps has it, load that app there;
/// otherwise it is a real 404.
#[component]
fn OtherApp(area: AppArea) -> impl IntoView {
    let location = use_location();
    // Tracked: on a client-side navigation the location may update after this view
    // is first built.
    let elsewhere = Memo::new(move |_| AppArea::for_path(&location.pathname.get()) != area);
    Effect::new(move |_| {
        if elsewhere.get() {
            let path = location.pathname.get_untracked();
            // The router's `search` has no leading "?".
            let search = location.search.get_untracked();
            let search = search.trim_start_matches('?');
            let target = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            // The router has already put the address in the bar: with an anchor
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

#[component]
pub fn PortalApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Portal /> }>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/kb") view=pages::kb::browse::KnowledgeBase />
                <Route path=path!("/kb/category/:slug") view=pages::kb::category::CategoryPage />
                <Route path=path!("/kb/:slug") view=pages::kb::article::ArticlePage />
            </Routes>
        </Frame>
    }
}

/// Guided diagnostics (`/diagnose`, `/diagnose/:slug`). A walk that ends in a ticket
/// saves the form's draft in the browser and goes to `/tickets/new` — the filing app,
/// a full page load (`OtherApp`) that picks the draft up.
#[component]
pub fn DiagnoseApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Diagnose /> }>
                <Route path=path!("/diagnose") view=pages::diagnose::Diagnose />
                <Route path=path!("/diagnose/:slug") view=pages::diagnose::walk_page::WalkPage />
            </Routes>
        </Frame>
    }
}

/// The ticket form (`/tickets/new`).
#[component]
pub fn FilingApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Filing /> }>
                <Route path=path!("/tickets/new") view=pages::tickets::new_ticket::NewTicketPage />
            </Routes>
        </Frame>
    }
}

/// A requester's tickets (`/tickets`), signing in (`/tickets/sign-in`) and each
/// ticket's page (`/tickets/:number`).
#[component]
pub fn TrackingApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Tracking /> }>
                <Route path=path!("/tickets") view=pages::tickets::my_tickets::MyTickets />
                <Route
                    path=path!("/tickets/sign-in")
                    view=pages::tickets::sign_in::RequesterSignIn
                />
                // The form is the filing app's, not a ticket numbered "new".
                <Route
                    path=path!("/tickets/new")
                    view=|| view! { <OtherApp area=AppArea::Tracking /> }
                />
                <Route path=path!("/tickets/:number") view=pages::tickets::track::TrackTicket />
            </Routes>
        </Frame>
    }
}

/// The staff desk: sign-in, the queue, a ticket's page and incidents — what a
/// technician opens all day, so it loads first and alone. The editors and admin pages
/// are `ManageApp`'s, loaded in full (`OtherApp`) when one is opened.
#[component]
pub fn StaffApp() -> impl IntoView {
    view! {
        <Frame staff=STAFF_TOOLS>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Staff /> }>
                <Route path=path!("/staff/sign-in") view=pages::sign_in::SignIn />
                // Every other staff page: signed-in staff only (`StaffOnly`).
                <ParentRoute path=path!("/staff") view=StaffOnly>
                    <Route path=path!("/tickets") view=pages::staff::queue::StaffQueue />
                    <Route
                        path=path!("/tickets/:number")
                        view=pages::staff::ticket::StaffTicketPage
                    />
                    <Route path=path!("/incidents") view=pages::staff::incidents::StaffIncidents />
                </ParentRoute>
            </Routes>
        </Frame>
    }
}

/// The staff area's home (with staff accounts), editors and admin pages: articles,
/// diagnostic flows, search gaps and synonyms, service levels, categories, canned
/// responses, the outbox, webhooks, the mail read and the services reach checks
/// try; one's own sign-in security, and choosing a new password from a reset link.
/// Opened now and then, so their code never weighs on the queue.
#[component]
pub fn ManageApp() -> impl IntoView {
    view! {
        <Frame staff=STAFF_TOOLS>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Manage /> }>
                // Opened from an admin's one-time link, before anyone is signed in.
                <Route
                    path=path!("/staff/reset-password")
                    view=pages::staff::reset_password::ResetPassword
                />
                <ParentRoute path=path!("/staff") view=StaffOnly>
                    <Route path=path!("") view=pages::staff::home::StaffHome />
                    <Route path=path!("/security") view=pages::staff::security::StaffSecurity />
                    <Route path=path!("/kb") view=pages::staff::articles::StaffArticles />
                    <Route path=path!("/kb/new") view=pages::staff::new_article::NewArticle />
                    <Route path=path!("/search") view=pages::staff::search_gaps::SearchGapsPage />
                    <Route
                        path=path!("/search/synonyms")
                        view=pages::staff::synonyms::SynonymsPage
                    />
                    <Route
                        path=path!("/kb/:slug")
                        view=pages::staff::article_editor::ArticleEditorPage
                    />
                    <Route
                        path=path!("/service-levels")
                        view=pages::staff::service_levels::ServiceLevels
                    />
                    <Route
                        path=path!("/canned-responses")
                        view=pages::staff::canned_responses::CannedResponses
                    />
                    <Route
                        path=path!("/categories")
                        view=pages::staff::categories::StaffCategories
                    />
                    <Route path=path!("/flows") view=pages::staff::flows::StaffFlows />
                    <Route
                        path=path!("/flows/:slug")
                        view=pages::staff::flow_editor::FlowEditorPage
                    />
                    <Route path=path!("/outbox") view=pages::staff::outbox::StaffOutbox />
                    <Route path=path!("/webhooks") view=pages::staff::webhooks::StaffWebhooks />
                    <Route
                        path=path!("/reach-check")
                        view=pages::staff::reach_services::ReachServicesPage
                    />
                    <Route path=path!("/mail-in") view=pages::staff::mail_in::StaffMailIn />
                </ParentRoute>
            </Routes>
        </Frame>
    }
}

#[component]
pub fn InsightApp() -> impl IntoView {
    view! {
        <Frame staff=STAFF_TOOLS>
            <Routes fallback=|| view! { <OtherApp area=AppArea::Insight /> }>
                <ParentRoute path=path!("/staff/insight") view=StaffOnly>
                    <Route path=path!("") view=pages::insight::InsightPage />
                </ParentRoute>
            </Routes>
        </Frame>
    }
}
