//! The help desk's service levels: opening hours, days, holidays and time zone, and
//! the first-response and resolution targets per priority. Admins edit them; every
//! technician can read them. Saving recomputes every open ticket's deadlines.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::sla::{BusinessCalendar, Date, Priority, SlaSettings, SlaTargets};

use crate::api;
use crate::components::form::{
    ErrorSummary, Field, Problem, Problems, SubmitButton, TextField, TextKind, problem_for,
};
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::components::ticket_words::{priority_label, span_words};
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::session::use_session;
use crate::text::fill;

/// "08:30" from minutes after midnight; 1440 is shown as "00:00" (midnight closing).
fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60)
}

/// Minutes after midnight from "HH:MM"; for a closing time "00:00" means midnight.
fn minutes(text: &str, closing: bool) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then(|| match h * 60 + m {
        0 if closing => 1440,
        value => value,
    })
}

/// "+01:00" for 60.
fn offset_label(minutes: i32) -> String {
    let sign = if minutes < 0 { '−' } else { '+' };
    format!(
        "UTC{sign}{:02}:{:02}",
        minutes.abs() / 60,
        minutes.abs() % 60
    )
}

/// The holidays box: one date per line; the first line that is not a date is named.
fn holidays(text: &str) -> Result<Vec<Date>, (usize, String)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .map(|(i, line)| Date::parse(line).ok_or((i + 1, line.to_owned())))
        .collect()
}

#[component]
pub fn ServiceLevels() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, sla_title).to_owned());
    let loaded = Fetch::new(api::sla_settings);
    view! {
        <Loaded resource=loaded let:settings>
            <header class="page-header">
                <h1>{say!(i18n, sla_title)}</h1>
                <p class="lead">{say!(i18n, sla_lead)}</p>
            </header>
            <SettingsForm settings />
        </Loaded>
    }
}

#[component]
fn SettingsForm(settings: SlaSettings) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let admin = session
        .member
        .get_untracked()
        .is_some_and(|m| m.role.is_admin());
    let calendar = settings.calendar;
    let offset = RwSignal::new(calendar.utc_offset_minutes);
    let days = RwSignal::new(calendar.open_days);
    let opens = RwSignal::new(clock(calendar.opens_at_minute));
    let closes = RwSignal::new(clock(calendar.closes_at_minute));
    let holiday_text = RwSignal::new(
        calendar
            .holidays
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    // Kept as typed, so a bad value is named rather than silently replaced.
    let as_text = |minutes: [i64; 4]| minutes.map(|m| m.to_string());
    let first = RwSignal::new(as_text(settings.targets.first_response_minutes));
    let resolution = RwSignal::new(as_text(settings.targets.resolution_minutes));
    let problems = Problems::new();
    let save = Action::new_local(move |s: &SlaSettings| {
        let s = s.clone();
        async move { api::save_sla_settings(&s).await }
    });
    let failure = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Err(error)) = save.value().get()
            && let Some(problem) = problem_for(i18n, &error, |f| place(i18n, f))
        {
            problems.show(vec![problem]);
        }
    });
    let refuse = move |id: &str, text: String| {
        problems.show(vec![Problem::new(id, text)]);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problems.clear();
        // The calendar's own rules, said here, before the server would refuse them.
        if !days.get_untracked().contains(&true) {
            refuse("sla-day-0", t_string!(i18n, sla_err_days).to_string());
            return;
        }
        let (Some(opens_at), Some(closes_at)) = (
            minutes(&opens.get_untracked(), false),
            minutes(&closes.get_untracked(), true),
        ) else {
            refuse("sla-opens", t_string!(i18n, sla_err_time).to_string());
            return;
        };
        if opens_at >= closes_at {
            refuse("sla-opens", t_string!(i18n, sla_err_order).to_string());
            return;
        }
        let holidays = match holidays(&holiday_text.get_untracked()) {
            Ok(h) => h,
            Err((line, text)) => {
                refuse(
                    "sla-holidays",
                    fill(&fill(t_string!(i18n, sla_err_holiday), line), text),
                );
                return;
            }
        };
        let read = |texts: [String; 4]| -> Result<[i64; 4], Priority> {
            let mut minutes = [0; 4];
            for p in Priority::ALL {
                minutes[p.index()] = texts[p.index()]
                    .trim()
                    .parse()
                    .ok()
                    .filter(|m: &i64| *m > 0)
                    .ok_or(p)?;
            }
            Ok(minutes)
        };
        // A refused row names its priority and is shown at its input.
        let targets = |texts: [String; 4], ids: &str| {
            read(texts)
                .map_err(|p| {
                    let text = fill(t_string!(i18n, sla_err_target), p.label());
                    refuse(&format!("{ids}-{}", p.as_str()), text);
                })
                .ok()
        };
        let Some(first_minutes) = targets(first.get_untracked(), "sla-first") else {
            return;
        };
        let Some(resolution_minutes) = targets(resolution.get_untracked(), "sla-res") else {
            return;
        };
        save.dispatch(SlaSettings {
            calendar: BusinessCalendar {
                utc_offset_minutes: offset.get_untracked(),
                open_days: days.get_untracked(),
                opens_at_minute: opens_at,
                closes_at_minute: closes_at,
                holidays,
            },
            targets: SlaTargets {
                first_response_minutes: first_minutes,
                resolution_minutes,
            },
        });
    };
    let weekdays = [
        t_string!(i18n, weekday_mon),
        t_string!(i18n, weekday_tue),
        t_string!(i18n, weekday_wed),
        t_string!(i18n, weekday_thu),
        t_string!(i18n, weekday_fri),
        t_string!(i18n, weekday_sat),
        t_string!(i18n, weekday_sun),
    ];
    let target_input = move |which: RwSignal<[String; 4]>, p: Priority, id: String| {
        let i = p.index();
        let refused = problems.at(id.clone());
        view! {
            <input
                id=id
                type="number"
                min="1"
                step="1"
                required
                disabled=!admin
                class="minutes"
                aria-invalid=move || refused.with(Option::is_some).to_string()
                prop:value=move || which.with(|w| w[i].clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    which.update(|w| w[i] = v);
                }
            />
            " "
            <span class="hint">
                {move || {
                    which
                        .with(|w| w[i].trim().parse::<i64>().ok())
                        .filter(|m| *m > 0)
                        .map(|m| fill(t_string!(i18n, sla_business_time), span_words(i18n, m * 60)))
                }}
            </span>
        }
    };
    view! {
        {(!admin).then(|| view! { <p class="panel panel-info">{say!(i18n, sla_read_only)}</p> })}
        <ErrorSummary problems failure />
        <form class="form sla-form" on:submit=on_submit novalidate>
            <fieldset class="fieldset" disabled=!admin>
                <legend>{say!(i18n, sla_hours)}</legend>
                <Field
                    id="sla-offset"
                    label=move || t_string!(i18n, sla_offset)
                    error=problems.at("sla-offset")
                    let:c
                >
                    <select
                        id=c.id.clone()
                        aria-invalid=c.invalid()
                        aria-describedby=c.described_by()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse() {
                                offset.set(v);
                            }
                        }
                    >
                        {(-48..=56)
                            .map(|q| q * 15)
                            .map(|m: i32| {
                                view! {
                                    <option value=m.to_string() selected=move || offset.get() == m>
                                        {offset_label(m)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </Field>
                <fieldset
                    class="option-group"
                    class:field-error=move || problems.at("sla-day-0").with(Option::is_some)
                >
                    <legend>{say!(i18n, sla_days)}</legend>
                    {move || {
                        problems
                            .at("sla-day-0")
                            .get()
                            .map(|m| view! { <p class="error-message">{m}</p> })
                    }}
                    <div class="day-choices">
                        {weekdays
                            .into_iter()
                            .enumerate()
                            .map(|(i, name)| {
                                let id = format!("sla-day-{i}");
                                view! {
                                    <span class="option">
                                        <input
                                            type="checkbox"
                                            id=id.clone()
                                            prop:checked=move || days.get()[i]
                                            on:change=move |_| days.update(|d| d[i] = !d[i])
                                        />
                                        <label for=id>{name}</label>
                                    </span>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                <div class="field-row">
                    <TextField
                        id="sla-opens"
                        label=move || t_string!(i18n, sla_opens)
                        error=problems.at("sla-opens")
                        kind=TextKind::Time
                        required=true
                        value=opens
                        on_input=move |v: String| opens.set(v)
                    />
                    <TextField
                        id="sla-closes"
                        label=move || t_string!(i18n, sla_closes)
                        error=problems.at("sla-closes")
                        kind=TextKind::Time
                        required=true
                        value=closes
                        on_input=move |v: String| closes.set(v)
                    />
                </div>
                <Field
                    id="sla-holidays"
                    label=move || t_string!(i18n, sla_holidays)
                    hint=move || t_string!(i18n, sla_holidays_hint)
                    error=problems.at("sla-holidays")
                    let:c
                >
                    <textarea
                        id=c.id.clone()
                        rows="5"
                        aria-invalid=c.invalid()
                        aria-describedby=c.described_by()
                        prop:value=holiday_text
                        on:input=move |ev| holiday_text.set(event_target_value(&ev))
                    ></textarea>
                </Field>
            </fieldset>
            <fieldset class="fieldset" disabled=!admin>
                <legend>{say!(i18n, sla_targets)}</legend>
                <p class="hint">{say!(i18n, sla_targets_hint)}</p>
                <div class="table-scroll">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{say!(i18n, ticket_priority)}</th>
                                <th scope="col">{say!(i18n, ticket_first_response)}</th>
                                <th scope="col">{say!(i18n, ticket_resolution)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {Priority::ALL
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <tr>
                                            <th scope="row">{priority_label(i18n, p)}</th>
                                            <td>
                                                <label
                                                    class="visually-hidden"
                                                    for=format!("sla-first-{}", p.as_str())
                                                >
                                                    {fill(t_string!(i18n, sla_first_for), p.label())}
                                                </label>
                                                {target_input(
                                                    first,
                                                    p,
                                                    format!("sla-first-{}", p.as_str()),
                                                )}
                                            </td>
                                            <td>
                                                <label
                                                    class="visually-hidden"
                                                    for=format!("sla-res-{}", p.as_str())
                                                >
                                                    {fill(t_string!(i18n, sla_resolution_for), p.label())}
                                                </label>
                                                {target_input(
                                                    resolution,
                                                    p,
                                                    format!("sla-res-{}", p.as_str()),
                                                )}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </fieldset>
            {move || {
                save.value()
                    .get()
                    .and_then(Result::ok)
                    .map(|saved| {
                        view! {
                            <p class="panel panel-success" role="status">
                                {fill(t_string!(i18n, sla_saved), saved.recomputed)}
                            </p>
                        }
                    })
            }}
            {admin
                .then(|| {
                    view! {
                        <SubmitButton
                            label=move || t_string!(i18n, sla_save)
                            busy_label=move || t_string!(i18n, saving)
                            busy=save.pending()
                        />
                    }
                })}
        </form>
    }
}

/// Where a field the server refused is shown: its control, and the label the summary
/// puts before the reason. A target's refusal names no priority: P1's input.
fn place(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    field: &str,
) -> Option<(String, String)> {
    let (id, label) = match field {
        "calendar.utc_offset_minutes" => ("sla-offset", t_string!(i18n, sla_offset)),
        "calendar.open_days" => ("sla-day-0", t_string!(i18n, sla_days)),
        "calendar.opens_at_minute" => ("sla-opens", t_string!(i18n, sla_opens)),
        "calendar.closes_at_minute" => ("sla-closes", t_string!(i18n, sla_closes)),
        "calendar.holidays" => ("sla-holidays", t_string!(i18n, sla_holidays)),
        "targets.first_response_minutes" => ("sla-first-p1", t_string!(i18n, sla_targets)),
        "targets.resolution_minutes" => ("sla-res-p1", t_string!(i18n, sla_targets)),
        _ => return None,
    };
    Some((id.to_owned(), label.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_read_back() {
        assert_eq!(minutes("08:30", false), Some(510));
        assert_eq!(minutes("00:00", true), Some(1440));
        assert_eq!(minutes("00:00", false), Some(0));
        assert_eq!(minutes("24:00", true), None);
        assert_eq!(minutes("8", false), None);
        assert_eq!(clock(1440), "00:00");
        assert_eq!(clock(1020), "17:00");
        assert_eq!(offset_label(-90), "UTC−01:30");
    }

    #[test]
    fn holiday_lines_name_the_bad_one() {
        assert_eq!(holidays("2026-12-25\n\n 2026-12-26 ").unwrap().len(), 2);
        assert_eq!(
            holidays("2026-12-25\n25.12.2026"),
            Err((2, "25.12.2026".into()))
        );
    }
}
