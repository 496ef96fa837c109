use crate::router::A;
use leptos::prelude::*;

use crate::say::say;

use selfdesk_shared::incidents::IncidentList;

use crate::api;
use crate::components::dates::date_time;
use crate::components::kb_search::KbSearch;
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::pages::diagnose::flow_choices::FlowChoices;
use crate::text::fill;

/// The front door: search, the four ways to get help (most self-reliant first), known
/// problems and the common problems' diagnostics.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    // The front door is the product itself.
    page_title(String::new);
    // What arrives from the server (known problems, the flows) goes below what is
    // drawn at once, so nothing a person is reading moves when it comes (layout
    // shift); a one-line notice, whose line is always kept, points up top to known
    // problems.
    let incidents = Fetch::new(api::open_incidents);
    view! {
        <section class="hero">
            <h1>{say!(i18n, home_title)}</h1>
            <p class="lead">{say!(i18n, home_lead)}</p>
            <KbSearch id="home-search" flows=true />
            <KnownProblemsNotice incidents />
        </section>
        <ul class="choices" role="list">
            <li>
                <A href="/kb" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true">
                        <svg viewBox="0 0 24 24">
                            <path d="M4 19.5V5a2 2 0 0 1 2-2h14v15H6a2 2 0 0 0-2 2 2 2 0 0 0 2 2h14" />
                            <path d="M8 7h8M8 11h6" />
                        </svg>
                    </span>
                    <span class="choice-title">{say!(i18n, home_kb_title)}</span>
                    <span class="choice-text">{say!(i18n, home_kb_text)}</span>
                </A>
            </li>
            <li>
                <A href="/diagnose" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true">
                        <svg viewBox="0 0 24 24">
                            <circle cx="12" cy="12" r="9" />
                            <path d="M9.5 9.2a2.6 2.6 0 1 1 3.6 2.4c-.7.3-1.1.9-1.1 1.6v.8" />
                            <path d="M12 17h.01" />
                        </svg>
                    </span>
                    <span class="choice-title">{say!(i18n, home_diagnose_title)}</span>
                    <span class="choice-text">{say!(i18n, home_diagnose_text)}</span>
                </A>
            </li>
            <li>
                <A href="/tickets/new" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true">
                        <svg viewBox="0 0 24 24">
                            <rect x="3" y="5" width="18" height="14" rx="2" />
                            <path d="M3.5 7l8.5 6 8.5-6" />
                        </svg>
                    </span>
                    <span class="choice-title">{say!(i18n, home_ticket_title)}</span>
                    <span class="choice-text">{say!(i18n, home_ticket_text)}</span>
                </A>
            </li>
            <li>
                <A href="/tickets" attr:class="choice">
                    <span class="choice-icon" aria-hidden="true">
                        <svg viewBox="0 0 24 24">
                            <rect x="5" y="4" width="14" height="17" rx="2" />
                            <path d="M9 4V2.8h6V4" />
                            <path d="M8.5 11.5l2.2 2.2 4.8-4.8" />
                            <path d="M9 17.5h6" />
                        </svg>
                    </span>
                    <span class="choice-title">{say!(i18n, home_track_title)}</span>
                    <span class="choice-text">{say!(i18n, home_track_text)}</span>
                </A>
            </li>
        </ul>
        <KnownProblems incidents />
        <section class="home-flows" aria-labelledby="home-flows-title">
            <h2 id="home-flows-title">{say!(i18n, home_flows_title)}</h2>
            <FlowChoices />
        </section>
    }
}

/// "Known problems right now: 2", linking to the list: one line, reserved before the
/// answer comes and kept empty when there are none.
#[component]
fn KnownProblemsNotice(incidents: Fetch<Result<IncidentList, api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="known-notice">
            {move || {
                let count = incidents
                    .with(|i| {
                        i.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, |l| l.incidents.len())
                    });
                (count > 0)
                    .then(|| {
                        view! {
                            <a href="#known-problems">
                                {fill(t_string!(i18n, known_problems_notice), count)}
                            </a>
                        }
                    })
            }}
        </p>
    }
}

/// Problems the help desk already knows about (outages, broken services), so people
/// affected need not report them again. Nothing shows when there are none, or when
/// they cannot be read: the rest of the page does not depend on them.
#[component]
fn KnownProblems(incidents: Fetch<Result<IncidentList, api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let list = incidents.get()?.ok()?.incidents;
        (!list.is_empty()).then(|| {
            let lang = current_language(i18n);
            view! {
                <section
                    id="known-problems"
                    class="panel known-problems"
                    aria-labelledby="known-title"
                >
                    <h2 id="known-title">{say!(i18n, known_problems_title)}</h2>
                    <ul>
                        {list
                            .into_iter()
                            .map(|incident| {
                                view! {
                                    <li>
                                        <strong>{incident.title}</strong>
                                        {(!incident.description.is_empty())
                                            .then(|| {
                                                view! {
                                                    " — "
                                                    {incident.description}
                                                }
                                            })}
                                        " "
                                        <span class="hint">
                                            {fill(
                                                t_string!(i18n, known_problems_since),
                                                date_time(incident.since, lang),
                                            )}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <p class="hint">{say!(i18n, known_problems_hint)}</p>
                </section>
            }
        })
    }
}
