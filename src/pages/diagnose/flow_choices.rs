//! The published flows as large buttons ("My printer doesn't work"): the portal's
//! home page and the diagnostics page both start here.

use leptos::prelude::*;

use crate::api;
use crate::components::language::reading_language;
use crate::components::status::ErrorText;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};

#[component]
pub fn FlowChoices() -> impl IntoView {
    let i18n = use_i18n();
    // Tracked: the list follows a change of language in place.
    let flows = Fetch::new(move || api::flows(reading_language(i18n)));
    move || match flows.get() {
        None => ().into_any(),
        Some(Err(error)) => view! {
            <p class="muted">
                <ErrorText error />
            </p>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => ().into_any(),
        Some(Ok(list)) => {
            let items = list
                .into_iter()
                .map(|flow| {
                    view! {
                        <li>
                            <a class="flow-choice" href=format!("/diagnose/{}", flow.slug)>
                                {flow.title}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <nav class="flow-choices" aria-label=t_string!(i18n, flows_label)>
                    <ul role="list">{items}</ul>
                </nav>
            }
            .into_any()
        }
    }
}
