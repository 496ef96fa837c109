//! The knowledge-base search box: results as you type, in a list the keyboard can
//! walk (the WAI-ARIA combobox pattern), a better spelling to search for when the
//! words found little, and a way forward when nothing matches. What each search
//! showed and led to is reported (`search_reports`), never in the way of typing.

use std::time::Duration;

use crate::router::A;
use crate::router::use_navigate;
use leptos::either::Either;
use leptos::prelude::*;
use selfdesk_shared::kb::{MAX_SEARCH_CHARS, SearchResults, SnippetPart};
use selfdesk_shared::language::Language;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

use crate::api::{self, ApiError};
use crate::components::debounced::replace_request;
use crate::components::language::current_language;
use crate::components::status::ErrorText;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::search_reports::{self, Attempt};
use crate::text::fill;

/// Quiet time after a keystroke before searching: fast typists send one request for
/// a word, not one per letter.
const DEBOUNCE: Duration = Duration::from_millis(150);
const MAX_HITS: u8 = 8;

/// Highlighted text from the server's parts: hits in `<mark>`, the rest as text.
pub fn snippet(parts: Vec<SnippetPart>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| {
            if part.hit {
                Either::Left(view! { <mark>{part.text}</mark> })
            } else {
                Either::Right(part.text)
            }
        })
        .collect_view()
}

/// A category's article count: a quiet number, read out with its noun (no plural
/// rules needed: "Articles: 3").
/// The links to categories under another, each with its article count: the same on
/// the knowledge base's front page and on a category's page.
pub fn category_links(children: Vec<selfdesk_shared::kb::CategoryNode>) -> impl IntoView {
    children
        .into_iter()
        .map(|c| {
            let href = format!("/kb/category/{}", c.slug);
            let count = c.article_count;
            view! {
                <li>
                    <A href=href>{c.name}</A>
                    " "
                    <ArticleCount count />
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn ArticleCount(count: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="count">
            <span aria-hidden="true">{count}</span>
            <span class="visually-hidden">
                {move || fill(t_string!(i18n, article_count), count)}
            </span>
        </span>
    }
}

/// "In English": said of a result in another language than the page's.
fn in_language(i18n: leptos_i18n::I18nContext<Locale>, language: Language) -> &'static str {
    match language {
        Language::En => t_string!(i18n, search_in_en),
        Language::Ru => t_string!(i18n, search_in_ru),
        Language::Fr => t_string!(i18n, search_in_fr),
        Language::Nb => t_string!(i18n, search_in_nb),
    }
}

#[derive(Clone)]
enum State {
    Idle,
    Done(SearchResults),
    Failed(ApiError),
}

#[component]
pub fn KbSearch(
    /// Distinguishes several boxes on one page (ids must be unique).
    #[prop(into)]
    id: String,
    /// Whether guided diagnostics are found too: the home page's "describe your
    /// problem" box, not the knowledge base's "search the articles".
    #[prop(optional)]
    flows: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let state = RwSignal::new(State::Idle);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let in_flight = StoredValue::new_local(None::<AbortController>);
    let attempt = StoredValue::new_local(Attempt::default());
    // Reports the results shown once they have stayed on screen a while.
    let settle = StoredValue::new_local(None::<TimeoutHandle>);
    let input = NodeRef::<leptos::html::Input>::new();
    let list_id = format!("{id}-results");
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-hit-{i}")
    };

    let search = move |query: String| {
        let Some(signal) = replace_request(in_flight) else {
            return;
        };
        let lang = current_language(i18n);
        leptos::task::spawn_local(async move {
            let result = api::kb_search(
                &query,
                lang,
                MAX_HITS,
                false,
                if flows { 3 } else { 0 },
                &signal,
            )
            .await;
            if signal.aborted() {
                return; // a newer search replaced this one
            }
            if let Ok(results) = &result {
                let (query, hits) = (results.query.clone(), results.hits.len());
                let handle = set_timeout_with_handle(
                    move || {
                        attempt.try_update_value(|a| a.settled(lang, &query, hits));
                    },
                    search_reports::SETTLE,
                )
                .ok();
                settle.set_value(handle);
            }
            active.set(None);
            state.set(match result {
                Ok(results) => State::Done(results),
                Err(err) => State::Failed(err),
            });
            open.set(true);
        });
    };

    // Typing means the results on screen are not what is searched for (yet).
    let typed = move |value: &str| {
        for pending in [timer, settle] {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
        }
        attempt.update_value(|a| a.typed(value));
    };
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        typed(&value);
        if value.trim().is_empty() {
            if let Some(previous) = in_flight.get_value() {
                previous.abort();
            }
            state.set(State::Idle);
            open.set(false);
            return;
        }
        let handle = set_timeout_with_handle(move || search(value), DEBOUNCE).ok();
        timer.set_value(handle);
    };

    // "Did you mean": the better spelling goes in the box and is searched for at once.
    let search_instead = move |query: String| {
        text.set(query.clone());
        typed(&query);
        search(query);
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };

    // Matching flows come first in the list, then articles.
    let hits_len = move || match state.get() {
        State::Done(results) => results.flows.len() + results.hits.len(),
        _ => 0,
    };
    // The result `i` was chosen (clicked, or Enter): reported when it is an article,
    // and the list closes. Returns where it leads.
    let chose = move |i: usize| -> Option<String> {
        let State::Done(results) = state.get_untracked() else {
            return None;
        };
        if let Some(handle) = settle.get_value() {
            handle.clear();
        }
        open.set(false);
        let n = results.flows.len();
        if let Some(flow) = results.flows.get(i) {
            attempt.update_value(|a| a.typed(""));
            return Some(format!("/diagnose/{}", flow.slug));
        }
        let hit = results.hits.get(i - n)?;
        let target = format!("/kb/{}", hit.slug);
        let lang = current_language(i18n);
        let hits = results.hits.len();
        let slug = hit.slug.clone();
        attempt.update_value(|a| a.opened(lang, &results.query, hits, slug));
        Some(target)
    };
    let open_hit = move |i: usize| {
        if let Some(target) = chose(i) {
            navigate(&target, Default::default());
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = hits_len();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Enter" if open.get_untracked() && n > 0 => {
                ev.prevent_default();
                open_hit(active.get_untracked().unwrap_or(0));
            }
            "Escape" => {
                if open.get_untracked() {
                    open.set(false);
                } else {
                    text.set(String::new());
                    typed("");
                    state.set(State::Idle);
                }
            }
            _ => {}
        }
    };

    let option_id_for_active = option_id.clone();
    // One closure draws the whole list (at most eight hits) from the state and the
    // active hit: cheaper in code than reactive attributes on every item.
    let results_view = {
        let list_id = list_id.clone();
        move || {
            if !open.get() {
                return ().into_any();
            }
            let active = active.get();
            let page_language = current_language(i18n);
            match state.get() {
                State::Idle => ().into_any(),
                State::Failed(error) => view! {
                    <div class="search-panel" role="alert">
                        <ErrorText error />
                    </div>
                }
                .into_any(),
                State::Done(results) if results.hits.is_empty() && results.flows.is_empty() => {
                    view! {
                        <div class="search-panel search-empty">
                            <p>{fill(t_string!(i18n, search_no_results), &results.query)}</p>
                            <p>{t_string!(i18n, search_try_instead)}</p>
                            <ul class="inline-links">
                                <li>
                                    <a href="/diagnose">{t_string!(i18n, home_diagnose_title)}</a>
                                </li>
                                <li>
                                    <a href="/tickets/new">{t_string!(i18n, home_ticket_title)}</a>
                                </li>
                            </ul>
                        </div>
                    }
                    .into_any()
                }
                State::Done(results) => {
                    let n = results.flows.len();
                    let flows = results
                        .flows
                        .into_iter()
                        .enumerate()
                        .map(|(i, flow)| {
                            let selected = active == Some(i);
                            view! {
                                <li
                                    role="none"
                                    class=if selected { "active hit-flow" } else { "hit-flow" }
                                >
                                    // The link is the option itself (an option holds
                                    // nothing interactive), reached with the arrow
                                    // keys from the box, so out of the tab order.
                                    <a
                                        id=option_id(i)
                                        role="option"
                                        aria-selected=selected.to_string()
                                        tabindex="-1"
                                        href=format!("/diagnose/{}", flow.slug)
                                        on:click=move |_| {
                                            chose(i);
                                        }
                                    >
                                        <span class="hit-kind">
                                            {t_string!(i18n, search_flow_kind)}
                                        </span>
                                        <span class="hit-title">{flow.title}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view();
                    let items = results
                        .hits
                        .into_iter()
                        .enumerate()
                        .map(|(i, hit)| (i + n, hit))
                        .map(|(i, hit)| {
                            let selected = active == Some(i);
                            // Found in another language (English, everyone's fallback):
                            // said in words, and its text marked as that language.
                            let other = (hit.lang != page_language).then_some(hit.lang);
                            let lang = other.map(Language::code);
                            view! {
                                <li role="none" class=if selected { "active" } else { "" }>
                                    <a
                                        id=option_id(i)
                                        role="option"
                                        aria-selected=selected.to_string()
                                        tabindex="-1"
                                        href=format!("/kb/{}", hit.slug)
                                        on:click=move |_| {
                                            chose(i);
                                        }
                                    >
                                        <span class="hit-title" lang=lang>
                                            {snippet(hit.title)}
                                        </span>
                                        {other
                                            .map(|l| {
                                                view! {
                                                    <span class="hit-lang">{in_language(i18n, l)}</span>
                                                }
                                            })}
                                        <span class="hit-excerpt" lang=lang>
                                            {snippet(hit.excerpt)}
                                        </span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <ul
                            class="search-results"
                            id=list_id.clone()
                            role="listbox"
                            aria-label=t_string!(i18n, search_results_label)
                        >
                            {flows}
                            {items}
                        </ul>
                    }
                    .into_any()
                }
            }
        }
    };

    // Close when focus leaves the whole widget, not when it moves from the box to a hit.
    let container = NodeRef::<leptos::html::Div>::new();
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(container.get_untracked())
            .is_some_and(|(target, div)| div.contains(Some(&target)));
        if !inside {
            open.set(false);
        }
    };

    // Read out: how many were found, and the better spelling when there is one.
    let count_message = move || match state.get() {
        State::Done(results) => {
            let n = results.flows.len() + results.hits.len();
            let mut count = fill(t_string!(i18n, search_count), n);
            if results.offline {
                count = format!("{count} {}", t_string!(i18n, search_offline));
            }
            match results.suggestion {
                Some(s) => format!(
                    "{count} {}",
                    fill(t_string!(i18n, search_did_you_mean), s.query)
                ),
                None => count,
            }
        }
        _ => String::new(),
    };

    // A real button, next in the tab order after the box: it searches for the better
    // spelling (announced with the count above).
    let suggestion_view = move || {
        let State::Done(results) = state.get() else {
            return None;
        };
        let query = results.suggestion?.query;
        let template = t_string!(i18n, search_did_you_mean);
        let (before, after) = template.split_once("{}").unwrap_or((template, ""));
        let search_it = query.clone();
        Some(view! {
            <p class="search-suggestion">
                {before}
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| search_instead(search_it.clone())
                >
                    {query}
                </button> {after}
            </p>
        })
    };

    view! {
        <div class="kb-search" node_ref=container on:focusout=on_focusout>
            <label for=id.clone() class="search-label">
                {move || {
                    if flows {
                        t_string!(i18n, search_problem_label)
                    } else {
                        t_string!(i18n, search_label)
                    }
                }}
            </label>
            <div class="search-field">
                <input
                    id=id.clone()
                    node_ref=input
                    type="search"
                    maxlength=MAX_SEARCH_CHARS
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-controls=list_id
                    aria-expanded=move || (open.get() && hits_len() > 0).to_string()
                    aria-activedescendant=move || active.get().map(option_id_for_active.clone())
                    placeholder=move || t_string!(i18n, search_placeholder)
                    prop:value=text
                    on:input=on_input
                    on:keydown=on_keydown
                    on:focus=move |_| open.set(true)
                />
            </div>
            {suggestion_view}
            {move || {
                matches!(state.get(), State::Done(results) if results.offline)
                    .then(|| {
                        view! { <p class="search-offline">{t_string!(i18n, search_offline)}</p> }
                    })
            }}
            <p class="visually-hidden" role="status" aria-live="polite">
                {count_message}
            </p>
            {results_view}
        </div>
    }
}
