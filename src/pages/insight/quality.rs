//! Section 3, Quality: reopened tickets, first-contact resolution, repeat contacts (and the
//! categories they come from), and satisfaction with the low ratings' comments.

use leptos::prelude::*;
use selfdesk_shared::insight::Insight;

use super::change::{Better, Measure};
use super::table::{Cell, Row, Table, col, num};
use super::{Context, figures, table};
use crate::components::dates::long_date;
use crate::i18n::t_string;

pub fn view(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let (now, before) = (&data.tickets, &data.previous.tickets);
    let (sat, sat_before) = (&data.satisfaction, &data.previous.satisfaction);
    let tickets = figures::figures(
        i18n,
        vec![
            r.share(
                t_string!(i18n, insight_reopen_rate),
                Better::Lower,
                now.reopen_rate_pct,
                before.reopen_rate_pct,
            ),
            r.share(
                t_string!(i18n, insight_first_contact),
                Better::Higher,
                now.first_contact_resolution_pct,
                before.first_contact_resolution_pct,
            ),
            r.counted(
                t_string!(i18n, insight_repeat_contacts),
                Better::Lower,
                now.repeat_contacts,
                before.repeat_contacts,
            ),
            r.share(
                t_string!(i18n, insight_repeat_rate),
                Better::Lower,
                now.repeat_contact_rate_pct,
                before.repeat_contact_rate_pct,
            ),
        ],
    );
    let satisfaction = figures::figures(
        i18n,
        vec![
            r.counted(
                t_string!(i18n, insight_ratings),
                Better::Higher,
                sat.responses,
                sat_before.responses,
            ),
            r.share(
                t_string!(i18n, insight_rating_rate),
                Better::Higher,
                sat.response_rate_pct,
                sat_before.response_rate_pct,
            ),
            r.figure(
                t_string!(i18n, insight_rating_average),
                Measure::Score,
                Better::Higher,
                sat.average,
                sat_before.average,
            ),
            r.share(
                t_string!(i18n, insight_rating_good),
                Better::Higher,
                sat.good_pct,
                sat_before.good_pct,
            ),
        ],
    );
    let repeats = data
        .repeat_categories
        .iter()
        .map(|c| Row::new(vec![c.name.clone(), r.count(c.count)]))
        .collect();
    let language = cx.language();
    let low = data
        .low_ratings
        .iter()
        .map(|l| Row {
            cells: vec![
                Cell {
                    text: l.number.clone(),
                    href: Some(format!("/staff/tickets/{}", l.number)),
                    ..Default::default()
                },
                Cell::from(r.count(i64::from(l.rating))),
                Cell::from(l.comment.clone()),
                Cell::from(long_date(l.rated_at, language)),
            ],
            extra: None,
        })
        .collect();
    view! {
        <section class="section insight-section" aria-labelledby="quality">
            <h2 id="quality">{t_string!(i18n, insight_quality)}</h2>
            {tickets}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "repeat-table",
                    caption: t_string!(i18n, insight_repeat_categories).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_category)),
                        num(t_string!(i18n, insight_repeat_contacts)),
                    ],
                    rows: repeats,
                    foot: Vec::new(),
                    extra: None,
                    empty: t_string!(i18n, insight_no_repeats).to_owned(),
                },
            )}
            <h3 id="satisfaction">{t_string!(i18n, insight_satisfaction)}</h3>
            {satisfaction}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "low-ratings-table",
                    caption: t_string!(i18n, insight_low_ratings).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_ticket)),
                        num(t_string!(i18n, insight_col_rating)),
                        col(t_string!(i18n, insight_col_comment)),
                        col(t_string!(i18n, insight_col_date)),
                    ],
                    rows: low,
                    foot: Vec::new(),
                    extra: None,
                    empty: t_string!(i18n, insight_no_low_ratings).to_owned(),
                },
            )}
        </section>
    }
    .into_any()
}
