use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::language::LanguagePreference;
use crate::components::layout::{Footer, Header};
use crate::i18n::I18nContextProvider;
use crate::pages;
use crate::session;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <LanguagePreference />
            <Router>
                {session::provide()}
                <Header />
                <main id="main" tabindex="-1">
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::Home />
                        <Route path=path!("/kb") view=pages::kb::browse::KnowledgeBase />
                        <Route path=path!("/kb/category/:slug") view=pages::kb::category::CategoryPage />
                        <Route path=path!("/kb/:slug") view=pages::kb::article::ArticlePage />
                        <Route path=path!("/diagnose") view=pages::diagnose::Diagnose />
                        <Route path=path!("/tickets/new") view=pages::new_ticket::NewTicket />
                        <Route path=path!("/tickets") view=pages::my_tickets::MyTickets />
                        <Route path=path!("/staff/sign-in") view=pages::sign_in::SignIn />
                        <Route path=path!("/staff") view=pages::staff_home::StaffHome />
                    </Routes>
                </main>
                <Footer />
            </Router>
        </I18nContextProvider>
    }
}
