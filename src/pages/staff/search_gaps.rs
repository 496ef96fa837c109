//! What people searched the help articles for and did not find (`/staff/search`): the
//! most frequent searches that showed no article, and those whose results nobody
//! opened, over a period and in one language or all. Each is an article waiting to be
//! written: "Write an article" starts one titled with the search, in its language.
//! The period and the language are kept in the address, so a reload or a shared link
//! shows the same list.

use crate::router::A;
use crate::router::NavigateOptions;
use crate::router::{use_navigate, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::language::Language;
use selfdesk_shared::search::SearchGap;

use crate::api;
use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::numbers::whole;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

/// The periods offered, in days; the first page shows the middle one.
const PERIODS: [u16; 3] = [7, 30, 90];
const DEFAULT_DAYS: u16 = 30;
/// Rows per table.
const LIMIT: u8 = 20;

#[component]
pub fn SearchGapsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, search_gaps_title).to_owned());
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let days = Memo::new(move |_| {
        query
            .read()
            .get("days")
            .and_then(|d| d.parse().ok())
            .filter(|d| PERIODS.contains(d))
            .unwrap_or(DEFAULT_DAYS)
    });
    let lang = Memo::new(move |_| {
        query
            .read()
            .get("lang")
            .as_deref()
            .and_then(Language::from_tag)
    });
    let gaps = Fetch::new(move || {
        let (days, lang) = (days.get(), lang.get());
        async move { api::search_gaps(days, lang, LIMIT).await }
    });
    // A filter changed: the address says it (replacing this entry, so Back leaves the
    // page rather than stepping through filters), and the list follows.
    let show = move |days: u16, lang: Option<Language>| {
        let mut path = format!("/staff/search?days={days}");
        if let Some(lang) = lang {
            path.push_str(&format!("&lang={}", lang.code()));
        }
        let options = NavigateOptions {
            replace: true,
            scroll: false,
        };
        navigate.with_value(|n| n(&path, options));
    };

    view! {
        <header class="page-header">
            <h1>{say!(i18n, search_gaps_title)}</h1>
            <p class="lead">{say!(i18n, search_gaps_lead)}</p>
        </header>
        <SearchNav />
        <div class="filters">
            <span class="filter">
                <label for="gaps-days">{say!(i18n, search_gaps_period)}</label>
                <select
                    id="gaps-days"
                    on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse() {
                            show(d, lang.get_untracked());
                        }
                    }
                >
                    {PERIODS
                        .into_iter()
                        .map(|d| {
                            view! {
                                <option value=d.to_string() selected=move || days.get() == d>
                                    {move || fill(t_string!(i18n, search_gaps_days), d)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
            <span class="filter">
                <label for="gaps-lang">{say!(i18n, field_language)}</label>
                <select
                    id="gaps-lang"
                    on:change=move |ev| {
                        show(days.get_untracked(), Language::from_tag(&event_target_value(&ev)));
                    }
                >
                    <option value="" selected=move || lang.get().is_none()>
                        {say!(i18n, search_gaps_all_languages)}
                    </option>
                    {Language::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <option value=l.code() selected=move || lang.get() == Some(l)>
                                    {l.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
        </div>
        <Loaded resource=gaps let:gaps>
            <p>
                {fill(
                    t_string!(i18n, search_gaps_total),
                    whole(gaps.searches, current_language(i18n)),
                )}
            </p>
            <section class="section" aria-labelledby="gaps-none-title">
                <h2 id="gaps-none-title">{say!(i18n, search_gaps_none_title)}</h2>
                <p class="hint">{say!(i18n, search_gaps_none_hint)}</p>
                {gap_table(i18n, "gaps-none-title", gaps.no_results)}
            </section>
            <section class="section" aria-labelledby="gaps-unopened-title">
                <h2 id="gaps-unopened-title">{say!(i18n, search_gaps_unopened_title)}</h2>
                <p class="hint">{say!(i18n, search_gaps_unopened_hint)}</p>
                {gap_table(i18n, "gaps-unopened-title", gaps.not_opened)}
            </section>
        </Loaded>
    }
}

/// The links between the knowledge base's search pages and its articles.
#[component]
pub fn SearchNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav aria-label=move || t_string!(i18n, staff_kb_title)>
            <ul class="inline-links staff-links">
                <li>
                    <A href="/staff/kb" exact=true>
                        {say!(i18n, staff_kb_title)}
                    </A>
                </li>
                <li>
                    <A href="/staff/search" exact=true>
                        {say!(i18n, search_gaps_title)}
                    </A>
                </li>
                <li>
                    <A href="/staff/search/synonyms">{say!(i18n, synonyms_title)}</A>
                </li>
            </ul>
        </nav>
    }
}

/// One list of searches, most frequent first, each with a way to write its article;
/// labelled by the heading `labelled_by`. Not generic: both tables share it.
fn gap_table(i18n: I18n, labelled_by: &'static str, gaps: Vec<SearchGap>) -> AnyView {
    if gaps.is_empty() {
        return view! { <p class="muted">{say!(i18n, search_gaps_empty)}</p> }.into_any();
    }
    let language = current_language(i18n);
    let rows = gaps
        .into_iter()
        .map(|gap| {
            let code = gap.lang.code();
            let href = format!(
                "/staff/kb/new?title={}&lang={code}",
                js_sys::encode_uri_component(&gap.query)
            );
            let write_label = fill(t_string!(i18n, search_gaps_write_about), &gap.query);
            view! {
                <tr>
                    <th scope="row" lang=code>
                        {gap.query}
                    </th>
                    <td lang=code>{gap.lang.native_name()}</td>
                    <td class="num">{whole(gap.searches, language)}</td>
                    <td class="num">{whole(gap.tickets, language)}</td>
                    <td>{date_time(gap.last_searched_at, language)}</td>
                    <td>
                        <A href=href attr:class="button button-small" attr:aria-label=write_label>
                            {say!(i18n, search_gaps_write)}
                        </A>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table" aria-labelledby=labelled_by>
                <thead>
                    <tr>
                        <th scope="col">{say!(i18n, col_search)}</th>
                        <th scope="col">{say!(i18n, field_language)}</th>
                        <th scope="col" class="num">
                            {say!(i18n, col_searches)}
                        </th>
                        <th scope="col" class="num">
                            {say!(i18n, col_tickets_after)}
                        </th>
                        <th scope="col">{say!(i18n, col_last_searched)}</th>
                        <th scope="col">
                            <span class="visually-hidden">{say!(i18n, search_gaps_write)}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
