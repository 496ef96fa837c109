//! Section 6, Self-service: the funnel from sessions to people helped (and those who filed a
//! ticket anyway), the self-service score, searches that found nothing (each with a
//! way to write the missing article), how articles did, and guided diagnostics
//! (`#flows`, linked from the flow editor).

use leptos::prelude::*;
use selfdesk_shared::insight::Insight;
use selfdesk_shared::insight::percent;
use selfdesk_shared::language::Language;

use super::change::{Better, Measure};
use super::table::{Cell, Extra, Row, Table, col, num};
use super::{Context, chart, figures, format, table};
use crate::i18n::t_string;
use crate::text::fill;

pub fn view(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let (now, before) = (&data.self_service, &data.previous.self_service);
    let figures = figures::figures(
        i18n,
        vec![
            r.counted(
                t_string!(i18n, insight_sessions),
                Better::Higher,
                now.sessions,
                before.sessions,
            ),
            r.counted(
                t_string!(i18n, insight_engaged),
                Better::Higher,
                now.engaged,
                before.engaged,
            ),
            r.counted(
                t_string!(i18n, insight_helped),
                Better::Higher,
                now.helped,
                before.helped,
            ),
            r.counted(
                t_string!(i18n, insight_filed),
                Better::Lower,
                now.filed,
                before.filed,
            ),
            r.figure(
                t_string!(i18n, insight_score),
                Measure::Score,
                Better::Higher,
                now.score,
                before.score,
            ),
        ],
    );
    view! {
        <section class="section insight-section" aria-labelledby="self-service">
            <h2 id="self-service">{t_string!(i18n, insight_self_service)}</h2>
            <p class="hint">{t_string!(i18n, insight_score_hint)}</p>
            {figures}
            {funnel(cx, data)}
            {searches(cx, data)}
            {articles(cx, data)}
            <h3 id="flows">{t_string!(i18n, insight_flows)}</h3>
            {flows(cx, data)}
        </section>
    }
    .into_any()
}

fn funnel(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let f = &data.self_service;
    let steps = vec![
        (t_string!(i18n, insight_sessions).to_owned(), f.sessions),
        (t_string!(i18n, insight_engaged).to_owned(), f.engaged),
        (t_string!(i18n, insight_helped).to_owned(), f.helped),
        (t_string!(i18n, insight_filed).to_owned(), f.filed),
    ];
    let title = t_string!(i18n, insight_funnel);
    if f.sessions == 0 {
        return view! {
            <h3>{title}</h3>
            <p class="muted empty">{t_string!(i18n, insight_no_sessions)}</p>
        }
        .into_any();
    }
    let language = cx.language();
    let number = |v: i64| format::count(v, language);
    let raw = chart::bars(cx.chart_width.min(600), &steps, &number);
    let svg = chart::finish(
        &raw,
        "funnel-chart",
        title,
        t_string!(i18n, insight_funnel_desc),
    );
    let rows = steps
        .iter()
        .map(|(name, value)| {
            Row::new(vec![
                name.clone(),
                r.count(*value),
                r.percent(percent(*value, f.sessions)),
            ])
        })
        .collect();
    view! {
        <figure class="chart chart-funnel">
            <figcaption>{title}</figcaption>
            <div class="chart-frame" inner_html=svg></div>
        </figure>
        <details class="chart-numbers">
            <summary>{t_string!(i18n, insight_chart_numbers)}</summary>
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "funnel-table",
                    caption: title.to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_step)),
                        num(t_string!(i18n, insight_sessions)),
                        num(t_string!(i18n, insight_col_share_of_sessions)),
                    ],
                    rows,
                    foot: Vec::new(),
                    extra: None,
                    empty: String::new(),
                },
            )}
        </details>
    }
    .into_any()
}

fn searches(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let rows = data
        .searches_without_results
        .iter()
        .map(|gap| {
            let language = Language::from_tag(&gap.lang);
            let code = language.map_or_else(|| gap.lang.clone(), |l| l.code().to_owned());
            let href = format!(
                "/staff/kb/new?title={}&lang={}",
                js_sys::encode_uri_component(&gap.query),
                js_sys::encode_uri_component(&code),
            );
            Row {
                cells: vec![
                    Cell {
                        text: gap.query.clone(),
                        lang: Some(code.clone()),
                        href: None,
                    },
                    Cell {
                        text: language
                            .map_or_else(|| gap.lang.clone(), |l| l.native_name().to_owned()),
                        lang: Some(code),
                        href: None,
                    },
                    Cell::from(r.count(gap.searches)),
                ],
                extra: Some(Extra::Link {
                    href,
                    text: t_string!(i18n, insight_write_article).to_owned(),
                    label: fill(t_string!(i18n, insight_write_article_about), &gap.query),
                }),
            }
        })
        .collect();
    table::view(
        i18n,
        &cx.span,
        Table {
            id: "searches-table",
            caption: t_string!(i18n, insight_searches_without_results).to_owned(),
            columns: vec![
                col(t_string!(i18n, insight_col_search)),
                col(t_string!(i18n, insight_col_language)),
                num(t_string!(i18n, insight_col_searches)),
            ],
            rows,
            foot: Vec::new(),
            extra: Some(t_string!(i18n, insight_write_article).to_owned()),
            empty: t_string!(i18n, insight_no_gaps).to_owned(),
        },
    )
}

fn articles(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let rows = data
        .articles
        .iter()
        .map(|a| Row {
            cells: vec![
                Cell {
                    text: a.title.clone(),
                    href: Some(format!("/staff/kb/{}", a.slug)),
                    lang: None,
                },
                Cell::from(r.count(a.views)),
                Cell::from(r.count(a.helpful)),
                Cell::from(r.count(a.not_helpful)),
                Cell::from(r.percent(a.helpful_pct)),
                Cell::from(r.count(a.tickets_after)),
            ],
            extra: None,
        })
        .collect();
    table::view(
        i18n,
        &cx.span,
        Table {
            id: "articles-table",
            caption: t_string!(i18n, insight_articles).to_owned(),
            columns: vec![
                col(t_string!(i18n, insight_col_article)),
                num(t_string!(i18n, insight_col_views)),
                num(t_string!(i18n, insight_col_helpful)),
                num(t_string!(i18n, insight_col_not_helpful)),
                num(t_string!(i18n, insight_col_helpful_pct)),
                num(t_string!(i18n, insight_col_tickets_after)),
            ],
            rows,
            foot: Vec::new(),
            extra: None,
            empty: t_string!(i18n, insight_no_articles).to_owned(),
        },
    )
}

fn flows(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let rows = data
        .flows
        .iter()
        .map(|f| {
            let drop_off = f
                .drop_off
                .iter()
                .take(3)
                .map(|d| format!("{} ({})", d.node, r.count(d.walks)))
                .collect::<Vec<_>>()
                .join(", ");
            Row {
                cells: vec![
                    Cell {
                        text: f.title.clone(),
                        href: Some(format!("/staff/flows/{}", f.slug)),
                        lang: None,
                    },
                    Cell::from(r.count(f.walks)),
                    Cell::from(r.percent(f.completion_pct)),
                    Cell::from(r.percent(f.fixed_pct)),
                    Cell::from(if drop_off.is_empty() {
                        "—".to_owned()
                    } else {
                        drop_off
                    }),
                ],
                extra: None,
            }
        })
        .collect();
    table::view(
        i18n,
        &cx.span,
        Table {
            id: "flows-table",
            caption: t_string!(i18n, insight_flows_table).to_owned(),
            columns: vec![
                col(t_string!(i18n, insight_col_flow)),
                num(t_string!(i18n, insight_col_walks)),
                num(t_string!(i18n, insight_col_completion)),
                num(t_string!(i18n, insight_col_fixed)),
                col(t_string!(i18n, insight_col_drop_off)),
            ],
            rows,
            foot: Vec::new(),
            extra: None,
            empty: t_string!(i18n, insight_no_walks).to_owned(),
        },
    )
}
