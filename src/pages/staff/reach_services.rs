//! "Services the reach check tries" (`/staff/reach-check`, admins): the
//! organisation's services a diagnostic flow's reach check tries from the
//! requester's browser (the intranet, mail, the VPN gateway, a public site). The
//! whole list is saved at once; the diagnostics page may connect to these sites, and
//! to no others, from then on.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::error::Reason;
use selfdesk_shared::flows::reach_services::{
    MAX_REACH_SERVICES, MAX_SERVICE_NAME_CHARS, MAX_SERVICE_URL_CHARS, ReachService, ReachServices,
    check_reach_services,
};

use crate::api::{self, ApiError};
use crate::components::form::{
    ErrorSummary, Problem, Problems, SubmitButton, TextField, TextKind, reason_text,
};
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub fn ReachServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, reach_title).to_owned());
    let saved = Fetch::new(|| api::reach_services(None));
    view! {
        <header class="page-header">
            <h1>{say!(i18n, reach_title)}</h1>
            <p class="lead">{say!(i18n, reach_lead)}</p>
        </header>
        <Loaded resource=saved let:list>
            <ServicesForm saved=list />
        </Loaded>
    }
}

/// One row as typed. Its inputs live in the row's own signals, so what was typed
/// stays when a row above is removed (the rows below are drawn again at their new
/// places, their ids following).
#[derive(Clone)]
struct Row {
    key: u32,
    name: RwSignal<String>,
    url: RwSignal<String>,
}

fn name_id(i: usize) -> String {
    format!("service-{i}-name")
}

fn url_id(i: usize) -> String {
    format!("service-{i}-url")
}

#[component]
fn ServicesForm(saved: ReachServices) -> impl IntoView {
    let i18n = use_i18n();
    let next_key = StoredValue::new(0u32);
    let new_row = move |service: ReachService| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Row {
            key,
            name: RwSignal::new(service.name),
            url: RwSignal::new(service.url),
        }
    };
    let rows = RwSignal::new(saved.services.into_iter().map(new_row).collect::<Vec<_>>());
    let problems = Problems::new();
    let done = RwSignal::new(false);
    let save = Action::new_local(|list: &ReachServices| {
        let list = list.clone();
        async move { api::save_reach_services(&list).await }
    });
    let failure = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(stored)) => {
            // As stored: trimmed, the host in lower case.
            for (row, service) in rows.get_untracked().iter().zip(stored.services) {
                row.name.set(service.name);
                row.url.set(service.url);
            }
            done.set(true);
        }
        Some(Err(error)) => {
            if let Some(problem) = server_problem(i18n, &error) {
                problems.add(problem);
            }
        }
        None => {}
    });
    let typed = move || ReachServices {
        services: rows
            .get_untracked()
            .iter()
            .map(|row| ReachService {
                name: row.name.get_untracked(),
                url: row.url.get_untracked(),
            })
            .collect(),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let list = typed();
        match check_reach_services(&list, page_is_https()) {
            Ok(_) => {
                problems.clear();
                save.dispatch(list);
            }
            Err(found) => {
                problems.show(
                    found
                        .iter()
                        .filter_map(|e| problem_at(i18n, &e.field, &e.reason))
                        .collect(),
                );
            }
        }
    };
    let add = move |_| {
        rows.update(|all| {
            all.push(new_row(ReachService {
                name: String::new(),
                url: String::new(),
            }))
        });
        done.set(false);
        let at = rows.with_untracked(Vec::len) - 1;
        focus(&name_id(at));
    };
    let full = Signal::derive(move || rows.with(Vec::len) >= MAX_REACH_SERVICES);

    view! {
        <form class="form panel reach-services" novalidate on:submit=on_submit>
            <ErrorSummary problems failure />
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="hint">{say!(i18n, reach_none)}</p>
            </Show>
            <ol class="reach-service-list">
                <For
                    each=move || rows.get().into_iter().enumerate()
                    key=|(i, row)| (*i, row.key)
                    children=move |(i, row)| {
                        let place = i + 1;
                        let remove_label = move || {
                            crate::text::fill(t_string!(i18n, reach_remove), place)
                        };
                        view! {
                            <li>
                                <fieldset class="reach-service">
                                    <legend>
                                        {move || {
                                            crate::text::fill(t_string!(i18n, reach_service_n), place)
                                        }}
                                    </legend>
                                    <TextField
                                        id=name_id(i)
                                        label=move || t_string!(i18n, reach_name)
                                        hint=move || t_string!(i18n, reach_name_hint)
                                        error=problems.at(name_id(i))
                                        value=row.name
                                        on_input=Callback::new(move |v| row.name.set(v))
                                        maxlength=MAX_SERVICE_NAME_CHARS
                                        autocomplete="off"
                                    />
                                    <TextField
                                        id=url_id(i)
                                        label=move || t_string!(i18n, reach_url)
                                        hint=move || t_string!(i18n, reach_url_hint)
                                        error=problems.at(url_id(i))
                                        value=row.url
                                        on_input=Callback::new(move |v| row.url.set(v))
                                        kind=TextKind::Code
                                        maxlength=MAX_SERVICE_URL_CHARS
                                        autocomplete="off"
                                    />
                                    <button
                                        type="button"
                                        class="button button-quiet"
                                        aria-label=remove_label
                                        on:click=move |_| {
                                            rows.update(|all| {
                                                all.retain(|r| r.key != row.key);
                                            });
                                            problems.clear();
                                            done.set(false);
                                        }
                                    >
                                        {say!(i18n, reach_remove_short)}
                                    </button>
                                </fieldset>
                            </li>
                        }
                    }
                />
            </ol>
            <p class="hint">
                {move || {
                    if full.get() {
                        crate::text::fill(t_string!(i18n, reach_full), MAX_REACH_SERVICES)
                    } else {
                        String::new()
                    }
                }}
            </p>
            <div class="button-row">
                <button type="button" class="button" on:click=add disabled=full>
                    {say!(i18n, reach_add)}
                </button>
                <SubmitButton
                    label=move || t_string!(i18n, reach_save)
                    busy_label=move || t_string!(i18n, saving)
                    busy=save.pending()
                />
            </div>
            <p class="muted" role="status">
                {move || done.get().then(|| t_string!(i18n, reach_saved))}
            </p>
        </form>
    }
}

/// Browsers block plain-HTTP requests from an HTTPS page; the server refuses such
/// addresses there, and so does the form before sending.
fn page_is_https() -> bool {
    window().location().protocol().is_ok_and(|p| p == "https:")
}

/// The problem at the control `field` names (`services.2.url`), in the reader's words.
fn problem_at(i18n: I18n, field: &str, reason: &Reason) -> Option<Problem> {
    if field == "services" {
        return Some(Problem::new(name_id(0), reason_text(i18n, reason)));
    }
    let rest = field.strip_prefix("services.")?;
    let (index, part) = rest.split_once('.')?;
    let index: usize = index.parse().ok()?;
    let label = crate::text::fill(t_string!(i18n, reach_service_n), index + 1);
    Some(match (part, reason) {
        ("url", Reason::BadFormat) => Problem::labelled(
            url_id(index),
            label,
            if page_is_https() {
                t_string!(i18n, reach_url_format_https)
            } else {
                t_string!(i18n, reach_url_format)
            },
        ),
        ("url", reason) => Problem::labelled(
            url_id(index),
            format!("{label}, {}", t_string!(i18n, reach_url)),
            reason_text(i18n, reason),
        ),
        ("name", Reason::Duplicate) => {
            Problem::labelled(name_id(index), label, t_string!(i18n, reach_name_taken))
        }
        ("name", reason) => Problem::labelled(
            name_id(index),
            format!("{label}, {}", t_string!(i18n, reach_name)),
            reason_text(i18n, reason),
        ),
        _ => return None,
    })
}

fn server_problem(i18n: I18n, error: &ApiError) -> Option<Problem> {
    let reason = error.reason().unwrap_or(Reason::BadFormat);
    problem_at(i18n, error.field()?, &reason)
}

/// Moves the focus to the element `id`, once the view has caught up.
fn focus(id: &str) {
    let id = id.to_owned();
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}
