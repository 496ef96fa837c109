//! The period picker: the last 7, 30 or 90 days as links (so each is an address),
//! and a from–to form whose range is checked as the server checks it, each refusal
//! said under its date in the page's language. A refused range changes nothing but
//! the messages: what was typed stays.

use crate::router::use_navigate;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::insight::Period;

use super::format;
use super::period::{Choice, Field as Which, PRESETS, RangeProblem, check_range, max_days};
use crate::components::form::{Field, Problem, Problems};
use crate::components::language::current_language;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

const FROM: &str = "insight-from";
const TO: &str = "insight-to";

#[component]
pub fn PeriodPicker(choice: Memo<Choice>, period: Memo<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = StoredValue::new_local(use_navigate());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let problems = Problems::new();
    // The form shows the period on screen; a new one (a link, Back) replaces it.
    Effect::new(move |_| {
        let p = period.get();
        from.set(p.from.to_string());
        to.set(p.to.to_string());
        problems.clear();
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_range(&from.get_untracked(), &to.get_untracked()) {
            Ok(p) => {
                problems.clear();
                let path = format!("/staff/insight?{}", Choice::Custom(p).to_query());
                navigate.with_value(|n| n(&path, Default::default()));
            }
            Err(problem) => {
                let id = match problem.field() {
                    Which::From => FROM,
                    Which::To => TO,
                };
                problems.show(vec![Problem::new(id, problem_text(i18n, problem))]);
            }
        }
    };
    let preset = move |days: i64| {
        let href = format!("/staff/insight?{}", Choice::Last(days).to_query());
        view! {
            <li>
                <a
                    href=href
                    class="chip"
                    aria-current=move || (choice.get() == Choice::Last(days)).then_some("page")
                >
                    {move || fill(t_string!(i18n, insight_last_days), days)}
                </a>
            </li>
        }
    };
    view! {
        <section class="period-picker" aria-labelledby="period-title">
            <h2 id="period-title" class="visually-hidden">
                {say!(i18n, insight_period)}
            </h2>
            <nav class="quick-filters" aria-label=move || t_string!(i18n, insight_period)>
                <ul>{PRESETS.into_iter().map(preset).collect_view()}</ul>
            </nav>
            <form class="period-form" novalidate on:submit=submit>
                <Field
                    id=FROM
                    label=move || t_string!(i18n, insight_from)
                    error=problems.at(FROM)
                    live=true
                    let:c
                >
                    <input
                        id=c.id.clone()
                        type="date"
                        name="from"
                        aria-invalid=c.invalid()
                        aria-describedby=c.described_by()
                        prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev))
                    />
                </Field>
                <Field
                    id=TO
                    label=move || t_string!(i18n, insight_to)
                    error=problems.at(TO)
                    live=true
                    let:c
                >
                    <input
                        id=c.id.clone()
                        type="date"
                        name="to"
                        aria-invalid=c.invalid()
                        aria-describedby=c.described_by()
                        prop:value=move || to.get()
                        on:input=move |ev| to.set(event_target_value(&ev))
                    />
                </Field>
                <button type="submit" class="button">
                    {say!(i18n, insight_show_period)}
                </button>
            </form>
            <p class="period-summary" aria-live="polite">
                {move || {
                    let p = period.get();
                    let language = current_language(i18n);
                    let previous = p.previous();
                    let range = |p: Period| {
                        format!(
                            "{} – {}",
                            format::long_date(p.from, language),
                            format::long_date(p.to, language),
                        )
                    };
                    fill(&fill(t_string!(i18n, insight_period_summary), range(p)), range(previous))
                }}
            </p>
        </section>
    }
}

/// The message for a refused range.
fn problem_text(i18n: I18n, problem: RangeProblem) -> String {
    match problem {
        RangeProblem::Missing(Which::From) => t_string!(i18n, insight_err_from_missing).to_owned(),
        RangeProblem::Missing(Which::To) => t_string!(i18n, insight_err_to_missing).to_owned(),
        RangeProblem::NotADate(_) => t_string!(i18n, insight_err_not_date).to_owned(),
        RangeProblem::Reversed => t_string!(i18n, insight_err_reversed).to_owned(),
        RangeProblem::TooLong => fill(
            t_string!(i18n, insight_err_too_long),
            crate::components::numbers::whole(max_days(), current_language(i18n)),
        ),
    }
}
