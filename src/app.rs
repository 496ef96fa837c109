//! The two single-page apps and what they share.
//!
//! The portal (`PortalApp`, `src/main.rs`) is what every user loads: home, the
//! knowledge base, diagnostics, tickets. The staff area (`StaffApp`, `src/bin/staff.rs`)
//! is its own wasm module, loaded only by technicians, so the editor, the queue and
//! the admin screens never weigh on the portal's first load. Both render the same
//! frame; a link from one app into the other is a full page load (`OtherApp`), and
//! the server answers `/staff…` with the staff app's page (crates/selfdesk-server/src/spa.rs).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::language::LanguagePreference;
use crate::components::layout::{Footer, Header};
use crate::i18n::I18nContextProvider;
use crate::pages;
use crate::session;

/// Paths that belong to the staff app.
pub fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/")
}

/// What both apps put around their pages. Only the staff app asks who is signed in:
/// the portal serves everyone the same, so it needs no session (and makes no call).
#[component]
fn Frame(staff: bool, children: Children) -> impl IntoView {
    view! {
        <I18nContextProvider>
            <LanguagePreference />
            <Router>
                {staff.then(session::provide)}
                <Header staff />
                <main id="main" tabindex="-1">{children()}</main>
                <Footer />
            </Router>
        </I18nContextProvider>
    }
}

/// A route this app does not have: if the other app has it, load that app there;
/// otherwise it is a real 404.
#[component]
fn OtherApp(staff: bool) -> impl IntoView {
    let location = use_location();
    // Tracked: on a client-side navigation the location may update after this view
    // is first built.
    let elsewhere = Memo::new(move |_| is_staff_path(&location.pathname.get()) != staff);
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
            let _ = window().location().assign(&target);
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
        <Frame staff=false>
            <Routes fallback=|| view! { <OtherApp staff=false /> }>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/kb") view=pages::kb::browse::KnowledgeBase />
                <Route path=path!("/kb/category/:slug") view=pages::kb::category::CategoryPage />
                <Route path=path!("/kb/:slug") view=pages::kb::article::ArticlePage />
                <Route path=path!("/diagnose") view=pages::diagnose::Diagnose />
                <Route path=path!("/tickets/new") view=pages::new_ticket::NewTicket />
                <Route path=path!("/tickets") view=pages::my_tickets::MyTickets />
            </Routes>
        </Frame>
    }
}

#[component]
pub fn StaffApp() -> impl IntoView {
    view! {
        <Frame staff=true>
            <Routes fallback=|| view! { <OtherApp staff=true /> }>
                <Route path=path!("/staff/sign-in") view=pages::sign_in::SignIn />
                <Route path=path!("/staff") view=pages::staff::home::StaffHome />
                <Route path=path!("/staff/kb") view=pages::staff::articles::StaffArticles />
                <Route path=path!("/staff/kb/new") view=pages::staff::new_article::NewArticle />
                <Route path=path!("/staff/kb/:slug") view=pages::staff::article_editor::ArticleEditorPage />
            </Routes>
        </Frame>
    }
}
