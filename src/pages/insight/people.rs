//! Section 5, People and tiers: what each technician resolved and first answered, their
//! median resolution time and rating, beside the whole team's totals (a technician
//! who is not an administrator gets only their own row from the server, and still
//! the team's); and per tier, what was resolved there and what went up a tier.

use leptos::prelude::*;
use selfdesk_shared::insight::Insight;
use selfdesk_shared::tier::Tier;

use super::table::{Row, Table, col, num};
use super::{Context, table};
use crate::components::ticket_words::tier_label;
use crate::i18n::t_string;
use crate::text::fill;

pub fn view(cx: &Context, data: &Insight) -> AnyView {
    let i18n = cx.i18n;
    let r = cx.reader();
    let rating = |average: Option<f64>, responses: Option<i64>| {
        let average = r.decimal(average);
        match responses {
            Some(n) if n > 0 => format!("{average} ({})", r.count(n)),
            _ => average,
        }
    };
    let technicians = data
        .by_technician
        .iter()
        .map(|t| {
            let name = if t.active {
                t.display_name.clone()
            } else {
                fill(t_string!(i18n, insight_inactive_name), &t.display_name)
            };
            Row::new(vec![
                name,
                r.count(t.resolved),
                r.count(t.first_responses),
                r.minutes(t.resolution_minutes_median),
                rating(t.satisfaction_average, Some(t.satisfaction_responses)),
            ])
        })
        .collect();
    let team = &data.team;
    let team_row = Row::new(vec![
        fill(t_string!(i18n, insight_team_row), r.count(team.technicians)),
        r.count(team.resolved),
        r.count(team.first_responses),
        r.minutes(team.resolution_minutes_median),
        rating(team.satisfaction_average, None),
    ]);
    let tiers = data
        .by_tier
        .iter()
        .map(|t| {
            let tier =
                Tier::new(t.tier).map_or_else(|| t.tier.to_string(), |t| tier_label(i18n, t));
            Row::new(vec![
                tier,
                r.count(t.resolved),
                r.count(t.escalated),
                r.percent(t.escalation_rate_pct),
                r.minutes(t.minutes_at_tier_median),
            ])
        })
        .collect();
    let hint =
        (!cx.admin).then(|| view! { <p class="hint">{t_string!(i18n, insight_own_row_hint)}</p> });
    view! {
        <section class="section insight-section" aria-labelledby="people">
            <h2 id="people">{t_string!(i18n, insight_people)}</h2>
            {hint}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "technician-table",
                    caption: t_string!(i18n, insight_by_technician).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_technician)),
                        num(t_string!(i18n, insight_resolved)),
                        num(t_string!(i18n, insight_col_first_responses)),
                        num(t_string!(i18n, insight_resolution_median)),
                        num(t_string!(i18n, insight_col_satisfaction)),
                    ],
                    rows: technicians,
                    foot: vec![team_row],
                    extra: None,
                    empty: t_string!(i18n, insight_no_resolutions).to_owned(),
                },
            )}
            {table::view(
                i18n,
                &cx.span,
                Table {
                    id: "tier-table",
                    caption: t_string!(i18n, insight_by_tier).to_owned(),
                    columns: vec![
                        col(t_string!(i18n, insight_col_tier)),
                        num(t_string!(i18n, insight_resolved)),
                        num(t_string!(i18n, insight_col_escalated)),
                        num(t_string!(i18n, insight_col_escalation_rate)),
                        num(t_string!(i18n, insight_col_time_at_tier)),
                    ],
                    rows: tiers,
                    foot: Vec::new(),
                    extra: None,
                    empty: t_string!(i18n, insight_no_resolutions).to_owned(),
                },
            )}
        </section>
    }
    .into_any()
}
