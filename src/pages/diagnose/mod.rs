//! Guided diagnostics: the list of flows (`/diagnose`) and a walk through one
//! (`/diagnose/:slug`). Part of the tickets app, so a walk that ends in a ticket
//! opens the prefilled form without loading another app.

pub mod check_step;
pub mod checks;
pub mod flow_choices;
pub mod walk_page;
pub mod walk_view;

use leptos::prelude::*;

use crate::say::say;

use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::i18n::{t_string, use_i18n};
use flow_choices::FlowChoices;

#[component]
pub fn Diagnose() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, diagnose_title).to_owned());
    view! {
        <PageHeader
            title=say!(i18n, diagnose_title).into_any()
            lead=say!(i18n, diagnose_lead).into_any()
        />
        <FlowChoices />
        <p class="diagnose-other">
            {say!(i18n, diagnose_not_listed)}" "
            <a href="/tickets/new">{say!(i18n, home_ticket_title)}</a>
        </p>
    }
}
