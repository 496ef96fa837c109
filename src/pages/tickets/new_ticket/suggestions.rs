//! Beside the form: guided diagnostics and help articles matching the subject as it
//! is typed. Many problems end there.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::self_service::{SelfServiceEvent, SelfServiceKind};

use crate::api;
use crate::components::debounced::debounced_request;
use crate::components::kb_search::snippet;
use crate::components::language::current_language;
use crate::i18n::use_i18n;
use crate::requester_storage as stored;

/// Opening a suggestion may be where the contact ends: counted as deflected unless a
/// ticket is filed in this session after all.
fn suggestion_opened(subject: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |_| {
        api::report_self_service(&SelfServiceEvent {
            session: stored::self_service_session(),
            kind: SelfServiceKind::SuggestionOpened,
            subject: subject.clone(),
        })
    }
}

/// Guided diagnostics and help articles matching the subject as it is typed: the
/// answer may already exist.
#[component]
pub(super) fn Suggestions(subject: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let results = debounced_request(
        move || {
            let text = subject.get();
            (text.trim().chars().count() >= 3).then_some(text)
        },
        std::time::Duration::from_millis(300),
        move |text: String, signal| {
            let lang = current_language(i18n);
            // A trailing space: every word of a subject is complete, none a prefix.
            async move {
                api::kb_search(&format!("{text} "), lang, 5, true, 2, &signal)
                    .await
                    .ok()
            }
        },
    );
    view! {
        <aside class="ticket-suggestions" aria-labelledby="suggestions-title" aria-live="polite">
            {move || {
                results
                    .get()
                    .filter(|r| !r.hits.is_empty() || !r.flows.is_empty())
                    .map(|r| {
                        view! {
                            <h2 id="suggestions-title">{say!(i18n, ticket_suggestions_title)}</h2>
                            <p class="hint">{say!(i18n, ticket_suggestions_lead)}</p>
                            <ul class="suggestion-list">
                                {r
                                    .flows
                                    .into_iter()
                                    .map(|flow| {
                                        let opened = suggestion_opened(
                                            format!("flow:{}", flow.slug),
                                        );
                                        view! {
                                            <li>
                                                <a href=format!("/diagnose/{}", flow.slug) on:click=opened>
                                                    {flow.title}
                                                </a>
                                                " "
                                                <span class="hit-kind">{say!(i18n, search_flow_kind)}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                                {r
                                    .hits
                                    .into_iter()
                                    .map(|hit| {
                                        let opened = suggestion_opened(hit.slug.to_string());
                                        view! {
                                            <li>
                                                <a href=format!("/kb/{}", hit.slug) on:click=opened>
                                                    {snippet(hit.title)}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
        </aside>
    }
}
