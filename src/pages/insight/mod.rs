//! Insight (`/staff/insight`, its own wasm app): the help desk's figures for a period,
//! each compared with the period of the same length before it, in six sections with
//! anchors — overview, speed, quality, the problems people have, people and tiers,
//! self-service (`#flows` for the guided diagnostics, linked from the flow editor).
//! The period is in the address (`period`), the figures come from
//! `GET /api/v1/staff/insight` (whose fields define them: `selfdesk_shared::insight`),
//! charts are drawn by plotters (`chart`) with their numbers in tables beside them,
//! every table downloads as CSV (`table`, `csv`), and every figure is defined in words
//! at the foot of the page (`definitions`).

pub mod change;
pub mod chart;
pub mod csv;
pub mod definitions;
pub mod duration;
pub mod figures;
pub mod format;
pub mod period;
pub mod picker;
pub mod table;

mod overview;
mod people;
mod problems;
mod quality;
mod self_service;
mod speed;

use crate::router::{use_location, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::insight::Insight;

use crate::api;
use crate::components::language::{current_language, reading_language};
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::session::use_session;
use definitions::Definitions;
use period::Choice;
use picker::PeriodPicker;

type I18n = leptos_i18n::I18nContext<Locale>;

/// What every section needs besides its figures.
pub(crate) struct Context {
    pub i18n: I18n,
    pub span: table::Span,
    /// Charts are drawn for this width (the screen's, within limits) and scale after.
    pub chart_width: u32,
    /// Whether the reader is an administrator (others see only their own row).
    pub admin: bool,
}

impl Context {
    pub fn reader(&self) -> figures::Reader {
        figures::Reader { i18n: self.i18n }
    }

    pub fn language(&self) -> selfdesk_shared::language::Language {
        current_language(self.i18n)
    }
}

#[component]
pub fn InsightPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, insight_title).to_owned());
    let query = use_query_map();
    let choice = Memo::new(move |_| {
        let q = query.read();
        Choice::from_query(
            q.get("days").as_deref(),
            q.get("from").as_deref(),
            q.get("to").as_deref(),
        )
    });
    let today = format::today();
    let period = Memo::new(move |_| choice.get().period(today));
    let insight = Fetch::new(move || {
        let (period, lang) = (period.get(), reading_language(i18n));
        async move { api::insight(period, lang).await }
    });
    scroll_to_anchor_once_loaded(insight);
    let session = use_session();
    let admin = move || {
        session
            .member
            .with_untracked(|m| m.as_ref().is_some_and(|m| m.role.is_admin()))
    };
    view! {
        <header class="page-header">
            <h1>{say!(i18n, insight_title)}</h1>
            <p class="lead">
                {say!(i18n, insight_lead)} " "
                <a href="#definitions">{say!(i18n, insight_definitions_link)}</a>
            </p>
        </header>
        <PeriodPicker choice period />
        <SectionLinks />
        <Loaded resource=insight let:data>
            {sections(i18n, data, admin())}
        </Loaded>
        <Definitions />
    }
}

fn sections(i18n: I18n, data: Insight, admin: bool) -> AnyView {
    let context = Context {
        i18n,
        span: table::Span {
            from: data.from.clone(),
            to: data.to.clone(),
        },
        chart_width: chart_width(),
        admin,
    };
    view! {
        {overview::view(&context, &data)}
        {speed::view(&context, &data)}
        {quality::view(&context, &data)}
        {problems::view(&context, &data)}
        {people::view(&context, &data)}
        {self_service::view(&context, &data)}
    }
    .into_any()
}

/// The section anchors, in the order of the page.
#[component]
fn SectionLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="section-links" aria-label=move || t_string!(i18n, insight_sections)>
            <ul class="inline-links">
                <li>
                    <a href="#overview">{say!(i18n, insight_overview)}</a>
                </li>
                <li>
                    <a href="#speed">{say!(i18n, insight_speed)}</a>
                </li>
                <li>
                    <a href="#quality">{say!(i18n, insight_quality)}</a>
                </li>
                <li>
                    <a href="#problems">{say!(i18n, insight_problems)}</a>
                </li>
                <li>
                    <a href="#people">{say!(i18n, insight_people)}</a>
                </li>
                <li>
                    <a href="#self-service">{say!(i18n, insight_self_service)}</a>
                </li>
                <li>
                    <a href="#flows">{say!(i18n, insight_flows)}</a>
                </li>
            </ul>
        </nav>
    }
}

/// A link to `/staff/insight#flows` arrives before the sections exist: once the
/// figures are shown, the browser is taken to the anchor it was given.
fn scroll_to_anchor_once_loaded(insight: Fetch<Result<Insight, api::ApiError>>) {
    let location = use_location();
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        let loaded = insight.with(|v| matches!(v, Some(Ok(_))));
        if !loaded || done.get_value() {
            return;
        }
        done.set_value(true);
        let hash = location.hash.get_untracked();
        let id = hash.trim_start_matches('#').to_owned();
        if id.is_empty() {
            return;
        }
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&id) {
                el.scroll_into_view();
            }
        });
    });
}

/// The width charts are drawn for: the screen's, less the page's margins, between
/// a phone's and the page's widest column.
fn chart_width() -> u32 {
    let inner = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(800.0);
    ((inner - 40.0) as u32).clamp(280, 880)
}
