//! One flow, one question at a time: the trail of answers so far (each a button back
//! to that step), the current question, instruction or article with its answers as
//! large buttons, and "Start over". Used by the requester's page, where every step is
//! a URL, and by the technician's preview, where it is not: the view only says which
//! walk the requester chose (`go`), and its owner decides what that means.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::flows::{Flow, Node, StockAnswer, Walk};
use selfdesk_shared::language::Language;

use super::check_step::{CheckStep, outcome_label};
use crate::api;
use crate::components::language::current_language;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};

/// The app's words for the answers every flow shares.
pub fn stock_label(i18n: leptos_i18n::I18nContext<Locale>, answer: StockAnswer) -> String {
    match answer {
        StockAnswer::Fixed => t_string!(i18n, walk_fixed),
        StockAnswer::NotFixed => t_string!(i18n, walk_not_fixed),
        StockAnswer::Helped => t_string!(i18n, walk_helped),
        StockAnswer::NotHelped => t_string!(i18n, walk_not_helped),
        StockAnswer::DontKnow => t_string!(i18n, walk_dont_know),
        StockAnswer::Check(answer) => return outcome_label(i18n, answer),
    }
    .to_owned()
}

#[component]
pub fn WalkView(
    #[prop(into)] flow: Signal<Flow>,
    #[prop(into)] walk: Signal<Walk>,
    /// The requester chose this walk: an answer, a step back, or a fresh start.
    #[prop(into)]
    go: Callback<(Walk,)>,
    /// A check found its answer and the walk goes on by itself: as `go`, but where
    /// steps are URLs, without a step in the browser's history (going back from the
    /// next step would land on the check, which would go on again at once). `go` when
    /// not given.
    #[prop(optional, into)]
    advance: Option<Callback<(Walk,)>>,
    /// What to show at an end (resolved, ticket, subflow).
    #[prop(into)]
    end: Callback<(Flow, Walk), AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = NodeRef::<leptos::html::H2>::new();
    // Each step moves focus to its question, so keyboard and screen-reader users go
    // on from there; not on first display, which keeps the page's own focus.
    let shown = StoredValue::new(false);
    Effect::new(move |_| {
        walk.track();
        if shown.get_value() {
            // After the step is drawn: the heading is a new element each step.
            request_animation_frame(move || {
                // The step may be gone by then (the requester left the page).
                if let Some(h) = heading.try_get_untracked().flatten() {
                    let _ = h.focus();
                }
            });
        } else {
            shown.set_value(true);
        }
    });

    let lang = move || current_language(i18n);
    let stock = move |a| stock_label(i18n, a);
    let advance = advance.unwrap_or(go);
    // Set by "That's not right" in the trail: the check step it returns to shows its
    // result to be overruled instead of going on.
    let overrule = StoredValue::new(false);

    let trail = move || {
        let walk = walk.get();
        let steps = flow.with(|f| walk.trail(f, lang(), stock));
        if steps.is_empty() {
            return ().into_any();
        }
        let items = steps
            .into_iter()
            .map(|step| {
                let mut back = walk.clone();
                back.back_to(step.step_index);
                let found = step.found;
                view! {
                    <li>
                        <button
                            type="button"
                            class="trail-step"
                            on:click=move |_| {
                                overrule.set_value(found);
                                go.run((back.clone(),))
                            }
                        >
                            <span class="trail-q">{step.question}</span>
                            <span class="trail-a">{step.answer}</span>
                            <span class="trail-change">
                                {if found {
                                    say!(i18n, walk_check_not_right).into_any()
                                } else {
                                    say!(i18n, walk_change).into_any()
                                }}
                            </span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="walk-trail" aria-label=move || t_string!(i18n, walk_trail_label)>
                <ol>{items}</ol>
            </nav>
        }
        .into_any()
    };

    let step = move || {
        let walk = walk.get();
        let flow_now = flow.get();
        let node = match walk.current(&flow_now) {
            Ok(node) => node.clone(),
            Err(error) => {
                // A link made before the flow changed: say so, offer a fresh start.
                tracing_error(&error.to_string());
                return view! {
                    <div class="panel panel-warning" role="alert">
                        <h2 tabindex="-1" node_ref=heading>
                            {say!(i18n, walk_outdated_title)}
                        </h2>
                        <p>{say!(i18n, walk_outdated_text)}</p>
                        <button
                            type="button"
                            class="button button-primary"
                            on:click=move |_| go.run((Walk::new(),))
                        >
                            {say!(i18n, walk_start_over)}
                        </button>
                    </div>
                }
                .into_any();
            }
        };
        if node.is_end() {
            return end.run((flow_now, walk));
        }
        let text = node
            .text()
            .map(|t| t.resolve(lang()).to_owned())
            .unwrap_or_default();
        if let Node::Check { check, .. } = &node {
            let Ok(position) = walk.position(&flow_now) else {
                return ().into_any();
            };
            let id = position.id.to_owned();
            let overruling = overrule.get_value();
            overrule.set_value(false);
            let count = fill_step(i18n, walk.len() + 1);
            return view! {
                <CheckStep
                    flow=flow_now.clone()
                    walk=walk.clone()
                    node=id
                    kind=*check
                    overrule=overruling
                    go
                    advance
                    heading
                    text
                    count
                />
            }
            .into_any();
        }
        let article = match &node {
            Node::Article { article, .. } => Some(article.clone()),
            _ => None,
        };
        let choices = node
            .choices()
            .into_iter()
            .map(|choice| {
                let label = choice.label.resolve(lang(), &stock);
                let mut next = walk.clone();
                let ok = next.answer(&flow_now, choice.id).is_ok();
                let stock_class = match choice.label {
                    selfdesk_shared::flows::Label::Stock(_) => " walk-answer-stock",
                    selfdesk_shared::flows::Label::Text(_) => "",
                };
                view! {
                    <li>
                        <button
                            type="button"
                            class=format!("walk-answer{stock_class}")
                            disabled=!ok
                            on:click=move |_| go.run((next.clone(),))
                        >
                            {label}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="walk-step">
                <p class="walk-count">{fill_step(i18n, walk.len() + 1)}</p>
                <h2 id="walk-question" tabindex="-1" node_ref=heading>
                    {text}
                </h2>
                {article.map(|slug| view! { <InlineArticle slug lang=lang() /> })}
                <ul class="walk-answers" role="list" aria-labelledby="walk-question">
                    {choices}
                </ul>
            </div>
        }
        .into_any()
    };

    view! {
        <div class="walk">
            {trail} {step} <p class="walk-restart">
                <button
                    type="button"
                    class="button-link"
                    on:click=move |_| go.run((Walk::new(),))
                    disabled=move || walk.with(Walk::is_empty)
                >
                    {say!(i18n, walk_start_over)}
                </button>
            </p>
        </div>
    }
}

fn fill_step(i18n: leptos_i18n::I18nContext<Locale>, n: usize) -> String {
    crate::text::fill(t_string!(i18n, walk_step), n)
}

fn tracing_error(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// The article a step points to, shown in the step so the requester never leaves
/// the walk; a link opens it on its own page too. If it cannot be loaded (offline),
/// the link stays and the walk goes on.
#[component]
fn InlineArticle(slug: String, lang: Language) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/kb/{slug}");
    let article = Fetch::new(move || {
        let slug = slug.clone();
        async move { api::kb_article(&slug, lang).await }
    });
    // A long article scrolls inside the step: focusable, so the keyboard can scroll it.
    view! {
        <div class="walk-article" tabindex="0" role="region" aria-labelledby="walk-article-title">
            <p class="walk-article-link">
                <a href=href.clone() target="_blank" rel="noopener">
                    {say!(i18n, walk_article_open)}
                </a>
            </p>
            {move || match article.get() {
                None => view! { <p class="muted">{say!(i18n, loading)}</p> }.into_any(),
                Some(Ok(Some(article))) => {
                    view! {
                        <h3 id="walk-article-title">{article.title.clone()}</h3>
                        // Rendered by the server with the shared, sanitising renderer.
                        <div class="prose" inner_html=article.html.clone()></div>
                    }
                        .into_any()
                }
                Some(_) => view! { <p>{say!(i18n, walk_article_unavailable)}</p> }.into_any(),
            }}
        </div>
    }
}
