//! Section 2, Speed: first response and resolution in business time (median and 90th
//! percentile), the shares made within the service levels, per priority, and the
//! deadlines missed by tier.

use leptos::prelude::*;
use selfdesk_shared::insight::Insight;
use selfdesk_shared::tier::Tier;

use super::change::Better;
use super::table::{Row, Table, col, num};
use super::{Context, figures, table};
use crate::components::ticket_words::{priority_label, tier_label};
use crate::i18n::t_string;

pub fn view(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let before = &data.previous;
    let figures = figures::figures(
        i18n,
        vec![
            r.duration(
                t_string!(i18n, insight_first_response_median),
                data.first_response_minutes.median,
                before.first_response_minutes.median,
            ),
            r.duration(
                t_string!(i18n, insight_first_response_p90),
                data.first_response_minutes.p90,
                before.first_response_minutes.p90,
            ),
            r.duration(
                t_string!(i18n, insight_resolution_median),
                data.resolution_minutes.median,
                before.resolution_minutes.median,
            ),
            r.duration(
                t_string!(i18n, insight_resolution_p90),
                data.resolution_minutes.p90,
                before.resolution_minutes.p90,
            ),
            r.share(
                t_string!(i18n, insight_first_response_met),
                Better::Higher,
                data.sla.first_response_met_pct,
                before.sla.first_response_met_pct,
            ),
            r.share(
                t_string!(i18n, insight_resolution_met),
                Better::Higher,
                data.sla.resolution_met_pct,
                before.sla.resolution_met_pct,
            ),
            r.counted(
                t_string!(i18n, insight_breaches),
                Better::Lower,
                data.sla.breaches,
                before.sla.breaches,
            ),
        ],
    );
    let by_priority = data
        .by_priority
        .iter()
        .map(|p| {
            Row::new(vec![
                priority_label(i18n, p.priority),
                r.minutes(p.first_response_minutes.median),
                r.minutes(p.first_response_minutes.p90),
                r.minutes(p.resolution_minutes.median),
                r.minutes(p.resolution_minutes.p90),
                r.percent(p.first_response_met_pct),
                r.percent(p.resolution_met_pct),
            ])
        })
        .collect();
    let by_tier = data
        .breaches_by_tier
        .iter()
        .map(|t| {
            let tier =
                Tier::new(t.tier).map_or_else(|| t.tier.to_string(), |t| tier_label(i18n, t));
            Row::new(vec![tier, r.count(t.first_response), r.count(t.resolution)])
        })
        .collect();
    let no_tickets = t_string!(i18n, insight_no_resolutions).to_owned();
    view! {
        <section class="section insight-section" aria-labelledby="speed">
            <h2 id="speed">{t_string!(i18n, insight_speed)}</h2>
            <p class="hint">{t_string!(i18n, insight_speed_hint)}</p>
            {figures}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "priority-table",
                    caption: t_string!(i18n, insight_by_priority).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_priority)),
                        num(t_string!(i18n, insight_first_response_median)),
                        num(t_string!(i18n, insight_first_response_p90)),
                        num(t_string!(i18n, insight_resolution_median)),
                        num(t_string!(i18n, insight_resolution_p90)),
                        num(t_string!(i18n, insight_first_response_met)),
                        num(t_string!(i18n, insight_resolution_met)),
                    ],
                    rows: by_priority,
                    foot: Vec::new(),
                    extra: None,
                    empty: no_tickets,
                },
            )}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "breaches-table",
                    caption: t_string!(i18n, insight_breaches_by_tier).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_tier)),
                        num(t_string!(i18n, insight_col_first_response)),
                        num(t_string!(i18n, insight_col_resolution)),
                    ],
                    rows: by_tier,
                    foot: Vec::new(),
                    extra: None,
                    empty: t_string!(i18n, insight_no_breaches).to_owned(),
                },
            )}
        </section>
    }
    .into_any()
}
