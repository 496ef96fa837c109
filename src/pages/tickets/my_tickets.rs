//! "My tickets": the tickets filed from this browser, each opened with the access
//! token kept beside it. Nothing here comes from the server until a ticket is opened.

use leptos::prelude::*;

use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::i18n::{t, use_i18n};
use crate::requester_storage as stored;

#[component]
pub fn MyTickets() -> impl IntoView {
    let i18n = use_i18n();
    let tickets = stored::my_tickets();
    let lang = current_language(i18n);
    view! {
        <PageHeader title=t!(i18n, track_title).into_any() lead=t!(i18n, track_lead).into_any() />
        {if tickets.is_empty() {
            view! { <p class="panel panel-info">{t!(i18n, my_tickets_empty)}</p> }.into_any()
        } else {
            view! {
                <ul class="ticket-list">
                    {tickets.into_iter().map(|kept| view! {
                        <li>
                            <a href=format!("/tickets/{}", kept.number)>
                                <span class="ticket-number">{kept.number.clone()}</span>
                                " "
                                <span>{kept.subject}</span>
                            </a>
                            <span class="hint">" · "{date_time(kept.created_at, lang)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p class="hint">{t!(i18n, my_tickets_browser_note)}</p>
        <p><a class="button button-primary" href="/tickets/new">{t!(i18n, nav_new_ticket)}</a></p>
    }
}
