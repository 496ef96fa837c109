//! Section 4, The problems people have: tickets by category (with the previous period and a
//! sparkline of the trend), the words subjects use most, and known incidents.

use leptos::prelude::*;
use selfdesk_shared::insight::Insight;

use super::table::{Extra, Row, Table, col, num};
use super::{Context, chart, table};
use crate::i18n::t_string;
use crate::text::fill;

pub fn view(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let sparkline_title = t_string!(i18n, insight_sparkline);
    let categories = data
        .by_category
        .iter()
        .filter(|c| c.created > 0 || c.resolved > 0 || c.previous_created > 0)
        .enumerate()
        .map(|(i, c)| {
            let values = c
                .trend
                .iter()
                .map(|v| r.count(*v))
                .collect::<Vec<_>>()
                .join(", ");
            let svg = chart::finish(
                &chart::sparkline((120, 28), &c.trend),
                &format!("spark-{i}"),
                &fill(sparkline_title, &c.name),
                &values,
            );
            Row {
                extra: Some(Extra::Chart(svg)),
                ..Row::new(vec![
                    c.name.clone(),
                    r.count(c.created),
                    r.count(c.previous_created),
                    r.count(c.resolved),
                ])
            }
        })
        .collect();
    let words = data
        .subject_words
        .iter()
        .map(|w| Row::new(vec![w.word.clone(), r.count(w.count)]))
        .collect();
    let incidents = data
        .incidents
        .iter()
        .map(|i| {
            Row::new(vec![
                i.title.clone(),
                r.count(i.tickets),
                if i.open {
                    t_string!(i18n, insight_incident_open)
                } else {
                    t_string!(i18n, insight_incident_closed)
                }
                .to_owned(),
            ])
        })
        .collect();
    let no_tickets = t_string!(i18n, insight_no_tickets).to_owned();
    view! {
        <section class="section insight-section" aria-labelledby="problems">
            <h2 id="problems">{t_string!(i18n, insight_problems)}</h2>
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "category-table",
                    caption: t_string!(i18n, insight_by_category).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_category)),
                        num(t_string!(i18n, insight_created)),
                        num(t_string!(i18n, insight_col_previous)),
                        num(t_string!(i18n, insight_resolved)),
                    ],
                    rows: categories,
                    foot: Vec::new(),
                    extra: Some(t_string!(i18n, insight_col_trend).to_owned()),
                    empty: no_tickets.clone(),
                },
            )}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "words-table",
                    caption: t_string!(i18n, insight_subject_words).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_word)),
                        num(t_string!(i18n, insight_col_tickets)),
                    ],
                    rows: words,
                    foot: Vec::new(),
                    extra: None,
                    empty: no_tickets,
                },
            )}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "incidents-table",
                    caption: t_string!(i18n, insight_incidents).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_incident)),
                        num(t_string!(i18n, insight_col_tickets)),
                        col(t_string!(i18n, insight_col_state)),
                    ],
                    rows: incidents,
                    foot: Vec::new(),
                    extra: None,
                    empty: t_string!(i18n, insight_no_incidents).to_owned(),
                },
            )}
        </section>
    }
    .into_any()
}
