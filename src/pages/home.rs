use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::kb_search::KbSearch;
use crate::i18n::{t, use_i18n};
use crate::pages::diagnose::flow_choices::FlowChoices;

/// The front door: the four ways to get help, most self-reliant first.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{t!(i18n, home_title)}</h1>
            <p class="lead">{t!(i18n, home_lead)}</p>
            <KbSearch id="home-search" flows=true />
        </section>
        <section class="home-flows" aria-labelledby="home-flows-title">
            <h2 id="home-flows-title">{t!(i18n, home_flows_title)}</h2>
            <FlowChoices />
        </section>
        <ul class="choices" role="list">
            <li>
                <A href="/kb" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true"><svg viewBox="0 0 24 24"><path d="M4 19.5V5a2 2 0 0 1 2-2h14v15H6a2 2 0 0 0-2 2 2 2 0 0 0 2 2h14" /><path d="M8 7h8M8 11h6" /></svg></span>
                    <span class="choice-title">{t!(i18n, home_kb_title)}</span>
                    <span class="choice-text">{t!(i18n, home_kb_text)}</span>
                </A>
            </li>
            <li>
                <A href="/diagnose" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true"><svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" /><path d="M9.5 9.2a2.6 2.6 0 1 1 3.6 2.4c-.7.3-1.1.9-1.1 1.6v.8" /><path d="M12 17h.01" /></svg></span>
                    <span class="choice-title">{t!(i18n, home_diagnose_title)}</span>
                    <span class="choice-text">{t!(i18n, home_diagnose_text)}</span>
                </A>
            </li>
            <li>
                <A href="/tickets/new" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true"><svg viewBox="0 0 24 24"><rect x="3" y="5" width="18" height="14" rx="2" /><path d="M3.5 7l8.5 6 8.5-6" /></svg></span>
                    <span class="choice-title">{t!(i18n, home_ticket_title)}</span>
                    <span class="choice-text">{t!(i18n, home_ticket_text)}</span>
                </A>
            </li>
            <li>
                <A href="/tickets" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true"><svg viewBox="0 0 24 24"><rect x="5" y="4" width="14" height="17" rx="2" /><path d="M9 4V2.8h6V4" /><path d="M8.5 11.5l2.2 2.2 4.8-4.8" /><path d="M9 17.5h6" /></svg></span>
                    <span class="choice-title">{t!(i18n, home_track_title)}</span>
                    <span class="choice-text">{t!(i18n, home_track_text)}</span>
                </A>
            </li>
        </ul>
    }
}
