//! Section 1, Overview: tickets created and resolved, the shares resolved, the backlog at the
//! period's end, and the trend of all three per day (or week) as a chart and a table.

use leptos::prelude::*;
use selfdesk_shared::insight::{Bucket, Insight};
use selfdesk_shared::sla::Date;

use super::change::Better;
use super::table::{Row, Table, col, num};
use super::{Context, chart, figures, format, table};
use crate::i18n::t_string;
use crate::text::fill;

pub fn view(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let (now, before) = (&data.tickets, &data.previous.tickets);
    let figures = figures::figures(
        i18n,
        vec![
            r.counted(
                t_string!(i18n, insight_created),
                Better::Neither,
                now.created,
                before.created,
            ),
            r.counted(
                t_string!(i18n, insight_resolved),
                Better::Higher,
                now.resolved,
                before.resolved,
            ),
            r.share(
                t_string!(i18n, insight_resolved_pct),
                Better::Higher,
                now.resolved_pct,
                before.resolved_pct,
            ),
            r.share(
                t_string!(i18n, insight_created_resolved_now_pct),
                Better::Higher,
                now.created_resolved_now_pct,
                before.created_resolved_now_pct,
            ),
            r.counted(
                t_string!(i18n, insight_backlog_end),
                Better::Lower,
                now.backlog_end,
                before.backlog_end,
            ),
        ],
    );
    view! {
        <section class="section insight-section" aria-labelledby="overview">
            <h2 id="overview">{t_string!(i18n, insight_overview)}</h2>
            {figures}
            {trend(cx, data)}
        </section>
    }
    .into_any()
}

fn trend(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let language = cx.language();
    let r = cx.reader();
    let weekly = data.bucket == Bucket::Week;
    let title = if weekly {
        t_string!(i18n, insight_trend_title_week)
    } else {
        t_string!(i18n, insight_trend_title_day)
    };
    let quiet = data
        .daily
        .iter()
        .all(|d| d.created == 0 && d.resolved == 0 && d.backlog == 0);
    if data.daily.is_empty() || quiet {
        return view! {
            <h3>{title}</h3>
            <p class="muted empty">{t_string!(i18n, insight_no_tickets)}</p>
        }
        .into_any();
    }
    let dates: Vec<Option<Date>> = data.daily.iter().map(|d| Date::parse(&d.date)).collect();
    let short: Vec<String> = dates
        .iter()
        .zip(&data.daily)
        .map(|(d, day)| d.map_or_else(|| day.date.clone(), |d| format::short_date(d, language)))
        .collect();
    let created: Vec<i64> = data.daily.iter().map(|d| d.created).collect();
    let resolved: Vec<i64> = data.daily.iter().map(|d| d.resolved).collect();
    let backlog: Vec<i64> = data.daily.iter().map(|d| d.backlog).collect();
    let number = |v: i64| format::count(v, language);
    let width = cx.chart_width;
    let height = (width * 9 / 20).clamp(220, 340);
    let raw = chart::lines(
        (width, height),
        &short,
        &[&created, &resolved, &backlog],
        &number,
    );
    let desc = fill(
        &fill(
            t_string!(i18n, insight_trend_desc),
            short.first().cloned().unwrap_or_default(),
        ),
        short.last().cloned().unwrap_or_default(),
    );
    let svg = chart::finish(&raw, "trend-chart", title, &desc);
    let rows = data
        .daily
        .iter()
        .zip(&dates)
        .map(|(day, date)| {
            Row::new(vec![
                date.map_or_else(|| day.date.clone(), |d| format::long_date(d, language)),
                r.count(day.created),
                r.count(day.resolved),
                r.count(day.backlog),
            ])
        })
        .collect();
    let table = table::view(
        i18n,
        &cx.span,
        Table {
            id: "trend-table",
            caption: title.to_owned(),
            columns: vec![
                col(if weekly {
                    t_string!(i18n, insight_col_week)
                } else {
                    t_string!(i18n, insight_col_day)
                }),
                num(t_string!(i18n, insight_created)),
                num(t_string!(i18n, insight_resolved)),
                num(t_string!(i18n, insight_col_backlog)),
            ],
            rows,
            foot: Vec::new(),
            extra: None,
            empty: t_string!(i18n, insight_no_tickets).to_owned(),
        },
    );
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <div class="chart-frame" inner_html=svg></div>
            <ul class="legend">
                <li>
                    <span class="swatch swatch-0" aria-hidden="true"></span>
                    {t_string!(i18n, insight_created)}
                </li>
                <li>
                    <span class="swatch swatch-1" aria-hidden="true"></span>
                    {t_string!(i18n, insight_resolved)}
                </li>
                <li>
                    <span class="swatch swatch-2" aria-hidden="true"></span>
                    {t_string!(i18n, insight_col_backlog)}
                </li>
            </ul>
        </figure>
        <details class="chart-numbers">
            <summary>{t_string!(i18n, insight_chart_numbers)}</summary>
            {table}
        </details>
    }
    .into_any()
}
