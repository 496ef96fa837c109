//! "What each number means": every figure of the page defined in words, in the
//! reader's language, at the foot of the page (`#definitions`, linked from the lead).
//! The same definitions, with the API's field names, are in docs/INSIGHT.md.

use leptos::prelude::*;

use crate::say::say;

use super::I18n;
use crate::i18n::{t_string, use_i18n};

/// One part of the page and its figures: (term, definition).
struct Part {
    heading: &'static str,
    terms: Vec<(&'static str, &'static str)>,
}

fn parts(i18n: I18n) -> Vec<Part> {
    vec![
        Part {
            heading: t_string!(i18n, insight_overview),
            terms: vec![
                (
                    t_string!(i18n, insight_created),
                    t_string!(i18n, insight_def_created),
                ),
                (
                    t_string!(i18n, insight_resolved),
                    t_string!(i18n, insight_def_resolved),
                ),
                (
                    t_string!(i18n, insight_resolved_pct),
                    t_string!(i18n, insight_def_resolved_pct),
                ),
                (
                    t_string!(i18n, insight_created_resolved_now_pct),
                    t_string!(i18n, insight_def_created_resolved_now_pct),
                ),
                (
                    t_string!(i18n, insight_backlog_end),
                    t_string!(i18n, insight_def_backlog_end),
                ),
            ],
        },
        Part {
            heading: t_string!(i18n, insight_speed),
            terms: vec![
                (
                    t_string!(i18n, insight_term_business_time),
                    t_string!(i18n, insight_def_business_time),
                ),
                (
                    t_string!(i18n, insight_term_first_response),
                    t_string!(i18n, insight_def_first_response),
                ),
                (
                    t_string!(i18n, insight_term_resolution),
                    t_string!(i18n, insight_def_resolution),
                ),
                (
                    t_string!(i18n, insight_first_response_met),
                    t_string!(i18n, insight_def_first_response_met),
                ),
                (
                    t_string!(i18n, insight_resolution_met),
                    t_string!(i18n, insight_def_resolution_met),
                ),
                (
                    t_string!(i18n, insight_breaches),
                    t_string!(i18n, insight_def_breaches),
                ),
            ],
        },
        Part {
            heading: t_string!(i18n, insight_quality),
            terms: vec![
                (
                    t_string!(i18n, insight_reopen_rate),
                    t_string!(i18n, insight_def_reopen_rate),
                ),
                (
                    t_string!(i18n, insight_first_contact),
                    t_string!(i18n, insight_def_first_contact),
                ),
                (
                    t_string!(i18n, insight_repeat_contacts),
                    t_string!(i18n, insight_def_repeat_contacts),
                ),
                (
                    t_string!(i18n, insight_satisfaction),
                    t_string!(i18n, insight_def_satisfaction),
                ),
            ],
        },
        Part {
            heading: t_string!(i18n, insight_problems),
            terms: vec![
                (
                    t_string!(i18n, insight_by_category),
                    t_string!(i18n, insight_def_by_category),
                ),
                (
                    t_string!(i18n, insight_subject_words),
                    t_string!(i18n, insight_def_subject_words),
                ),
                (
                    t_string!(i18n, insight_incidents),
                    t_string!(i18n, insight_def_incidents),
                ),
            ],
        },
        Part {
            heading: t_string!(i18n, insight_people),
            terms: vec![
                (
                    t_string!(i18n, insight_by_technician),
                    t_string!(i18n, insight_def_by_technician),
                ),
                (
                    t_string!(i18n, insight_by_tier),
                    t_string!(i18n, insight_def_by_tier),
                ),
            ],
        },
        Part {
            heading: t_string!(i18n, insight_self_service),
            terms: vec![
                (
                    t_string!(i18n, insight_sessions),
                    t_string!(i18n, insight_def_sessions),
                ),
                (
                    t_string!(i18n, insight_engaged),
                    t_string!(i18n, insight_def_engaged),
                ),
                (
                    t_string!(i18n, insight_helped),
                    t_string!(i18n, insight_def_helped),
                ),
                (
                    t_string!(i18n, insight_filed),
                    t_string!(i18n, insight_def_filed),
                ),
                (
                    t_string!(i18n, insight_score),
                    t_string!(i18n, insight_def_score),
                ),
                (
                    t_string!(i18n, insight_searches_without_results),
                    t_string!(i18n, insight_def_searches_without_results),
                ),
                (
                    t_string!(i18n, insight_articles),
                    t_string!(i18n, insight_def_articles),
                ),
                (
                    t_string!(i18n, insight_flows),
                    t_string!(i18n, insight_def_flows),
                ),
            ],
        },
    ]
}

/// Shown whatever the figures' state (loading, refused, empty), so the link in the
/// lead always has somewhere to go.
#[component]
pub fn Definitions() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section
            id="definitions"
            class="insight-section definitions"
            aria-labelledby="definitions-title"
        >
            <h2 id="definitions-title">{say!(i18n, insight_definitions_link)}</h2>
            <p>{say!(i18n, insight_definitions_intro)}</p>
            {move || {
                parts(i18n)
                    .into_iter()
                    .map(|part| {
                        view! {
                            <h3>{part.heading}</h3>
                            <dl class="definition-list">
                                {part
                                    .terms
                                    .into_iter()
                                    .map(|(term, definition)| {
                                        view! {
                                            <dt>{term}</dt>
                                            <dd>{definition}</dd>
                                        }
                                    })
                                    .collect_view()}
                            </dl>
                        }
                    })
                    .collect_view()
            }}
        </section>
    }
}
