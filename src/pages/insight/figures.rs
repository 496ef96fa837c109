//! Headline figures: the value for the period and, under it, how it moved since the
//! previous period of the same length — arrow, amount and the previous value, with
//! the direction also in words for screen readers (never colour alone).

use leptos::prelude::*;

use super::change::{Better, Change, Direction, Measure, compare};
use super::format;
use crate::components::language::current_language;
use crate::i18n::{Locale, t_string};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

/// One figure, already written in the reader's language.
pub struct Figure {
    pub label: String,
    pub value: String,
    pub previous: String,
    pub change: Option<Change>,
    pub measure: Measure,
    pub better: Better,
}

/// What a figure's number is, in the page's language ("—" when there is none).
pub struct Reader {
    pub i18n: I18n,
}

impl Reader {
    fn language(&self) -> selfdesk_shared::language::Language {
        current_language(self.i18n)
    }

    pub fn count(&self, v: i64) -> String {
        format::count(v, self.language())
    }

    pub fn percent(&self, v: Option<f64>) -> String {
        v.map_or_else(none, |v| format::percent(v, self.language()))
    }

    pub fn decimal(&self, v: Option<f64>) -> String {
        v.map_or_else(none, |v| format::decimal(v, self.language()))
    }

    pub fn minutes(&self, v: Option<i64>) -> String {
        let i18n = self.i18n;
        v.map_or_else(none, |m| {
            super::duration::text(
                m,
                t_string!(i18n, insight_hours),
                t_string!(i18n, insight_minutes),
                |n| self.count(n),
            )
        })
    }

    /// A figure of `measure` from this period's and the previous period's values.
    pub fn figure(
        &self,
        label: &str,
        measure: Measure,
        better: Better,
        now: Option<f64>,
        before: Option<f64>,
    ) -> Figure {
        let show = |v: Option<f64>| match measure {
            Measure::Count => v.map_or_else(none, |v| self.count(v as i64)),
            Measure::Percent => self.percent(v),
            Measure::Duration => self.minutes(v.map(|v| v as i64)),
            Measure::Score => self.decimal(v),
        };
        Figure {
            label: label.to_owned(),
            value: show(now),
            previous: show(before),
            change: compare(measure, now, before),
            measure,
            better,
        }
    }

    pub fn counted(&self, label: &str, better: Better, now: i64, before: i64) -> Figure {
        self.figure(
            label,
            Measure::Count,
            better,
            Some(now as f64),
            Some(before as f64),
        )
    }

    pub fn share(
        &self,
        label: &str,
        better: Better,
        now: Option<f64>,
        before: Option<f64>,
    ) -> Figure {
        self.figure(label, Measure::Percent, better, now, before)
    }

    pub fn duration(&self, label: &str, now: Option<i64>, before: Option<i64>) -> Figure {
        self.figure(
            label,
            Measure::Duration,
            Better::Lower,
            now.map(|v| v as f64),
            before.map(|v| v as f64),
        )
    }
}

fn none() -> String {
    "—".to_owned()
}

/// A list of figures.
pub fn figures(i18n: I18n, figures: Vec<Figure>) -> AnyView {
    let items = figures
        .into_iter()
        .map(|f| figure_view(i18n, f))
        .collect_view();
    view! { <dl class="figures">{items}</dl> }.into_any()
}

fn figure_view(i18n: I18n, figure: Figure) -> AnyView {
    let language = current_language(i18n);
    let previous = fill(t_string!(i18n, insight_previous_value), &figure.previous);
    let change = match figure.change {
        None => view! {
            <dd class="change">
                <span class="muted">{t_string!(i18n, insight_no_comparison)}</span>
            </dd>
        }
        .into_any(),
        Some(change) => {
            let words = match change.direction {
                Direction::Up => t_string!(i18n, insight_change_up),
                Direction::Down => t_string!(i18n, insight_change_down),
                Direction::Same => t_string!(i18n, insight_change_same),
            };
            let amount = match (change.direction, change.amount) {
                (Direction::Same, _) | (_, None) => String::new(),
                (_, Some(a)) => match figure.measure {
                    Measure::Count | Measure::Duration => format::percent(a, language),
                    Measure::Percent => fill(
                        t_string!(i18n, insight_points),
                        format::decimal(a, language),
                    ),
                    Measure::Score => format::decimal(a, language),
                },
            };
            view! {
                <dd class=change.verdict(figure.better).class()>
                    <span aria-hidden="true" class="arrow">
                        {change.direction.arrow()}
                    </span>
                    " "
                    <span class="visually-hidden">{words}</span>
                    " "
                    {amount}
                    " "
                    <span class="previous">{previous}</span>
                </dd>
            }
            .into_any()
        }
    };
    view! {
        <div class="figure">
            <dt>{figure.label}</dt>
            <dd class="figure-value">{figure.value}</dd>
            {change}
        </div>
    }
    .into_any()
}
