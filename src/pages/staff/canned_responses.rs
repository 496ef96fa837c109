//! Canned responses, kept by admins: a title, the team (tier) they are for, and the
//! text with {requester_name} and {ticket_number} placeholders. Technicians insert
//! them from the reply box.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::canned::{CannedResponse, CannedResponseInput, PLACEHOLDERS, check};

use crate::api;
use crate::components::form::{
    ErrorSummary, Field, Problem, Problems, SubmitButton, TextField, problem_for, reason_text,
};
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn CannedResponses() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, canned_title).to_owned());
    let session = use_session();
    let admin = session
        .member
        .get_untracked()
        .is_some_and(|m| m.role.is_admin());
    let list = Fetch::new(api::canned_responses);
    // The response being edited; `None` with the form open is a new one.
    let editing = RwSignal::new(None::<CannedResponse>);
    let reload = Callback::new(move |()| {
        editing.set(None);
        list.refetch();
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move { api::delete_canned(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            list.refetch();
        }
    });
    view! {
        <header class="page-header">
            <h1>{say!(i18n, canned_title)}</h1>
            <p class="lead">{fill(t_string!(i18n, canned_lead), PLACEHOLDERS.join(", "))}</p>
        </header>
        {admin.then(|| view! { <ResponseForm editing on_saved=reload /> })}
        <Loaded resource=list let:responses>
            <ul class="canned-list">
                {responses
                    .responses
                    .into_iter()
                    .map(|r| {
                        let team = r
                            .tier
                            .map_or_else(
                                || t_string!(i18n, canned_every_team).to_string(),
                                |tier| fill(t_string!(i18n, staff_team), tier),
                            );
                        let chosen = r.clone();
                        let id = r.id;
                        view! {
                            <li class="panel">
                                <h2>{r.title}" "<span class="badge">{team}</span></h2>
                                <pre class="canned-body">{r.body}</pre>
                                {admin
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="button button-small"
                                                on:click=move |_| editing.set(Some(chosen.clone()))
                                            >
                                                {say!(i18n, canned_edit)}
                                            </button>
                                            " "
                                            <button
                                                type="button"
                                                class="button button-quiet button-small"
                                                on:click=move |_| {
                                                    remove.dispatch(id);
                                                }
                                            >
                                                {say!(i18n, canned_delete)}
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Loaded>
    }
}

#[component]
fn ResponseForm(
    editing: RwSignal<Option<CannedResponse>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let tier = RwSignal::new(None::<u8>);
    Effect::new(move |_| {
        let current = editing.get();
        title.set(
            current
                .as_ref()
                .map(|c| c.title.clone())
                .unwrap_or_default(),
        );
        body.set(current.as_ref().map(|c| c.body.clone()).unwrap_or_default());
        tier.set(current.and_then(|c| c.tier));
    });
    let problems = Problems::new();
    let save = Action::new_local(move |(id, input): &(Option<i64>, CannedResponseInput)| {
        let (id, input) = (*id, input.clone());
        async move {
            match id {
                Some(id) => api::update_canned(id, &input).await,
                None => api::create_canned(&input).await,
            }
        }
    });
    let label = move |field: &str| match field {
        "title" => t_string!(i18n, field_title),
        "tier" => t_string!(i18n, canned_team),
        _ => t_string!(i18n, canned_text),
    };
    let failure = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            title.set(String::new());
            body.set(String::new());
            on_saved.run(());
        }
        Some(Err(error)) => {
            if let Some(problem) = problem_for(i18n, &error, |f| {
                Some((control_id(f)?, label(f).to_owned()))
            }) {
                problems.add(problem);
            }
        }
        None => {}
    });
    view! {
        <form
            class="form panel"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let input = CannedResponseInput {
                    title: title.get_untracked(),
                    body: body.get_untracked(),
                    tier: tier.get_untracked(),
                };
                let found = check(&input)
                    .into_iter()
                    .filter_map(|p| Some(
                        Problem::labelled(
                            control_id(&p.field)?,
                            label(&p.field),
                            reason_text(i18n, &p.reason),
                        ),
                    ))
                    .collect();
                if problems.show(found) {
                    save.dispatch((editing.get_untracked().map(|c| c.id), input));
                }
            }
        >
            <h2>
                {move || {
                    if editing.get().is_some() {
                        t_string!(i18n, canned_edit)
                    } else {
                        t_string!(i18n, canned_new)
                    }
                }}
            </h2>
            <ErrorSummary problems failure />
            <TextField
                id="canned-title"
                label=move || label("title")
                error=problems.at("canned-title")
                maxlength=120
                value=title
                on_input=move |v: String| title.set(v)
            />
            <Field
                id="canned-team"
                label=move || label("tier")
                error=problems.at("canned-team")
                let:c
            >
                <select
                    id=c.id.clone()
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    prop:value=move || tier.get().map(|t| t.to_string()).unwrap_or_default()
                    on:change=move |ev| tier.set(event_target_value(&ev).parse().ok())
                >
                    <option value="" selected=move || tier.get().is_none()>
                        {say!(i18n, canned_every_team)}
                    </option>
                    {(1..=3u8)
                        .map(|n| {
                            view! {
                                <option value=n.to_string() selected=move || tier.get() == Some(n)>
                                    {fill(t_string!(i18n, staff_team), n)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field
                id="canned-body"
                label=move || label("body")
                error=problems.at("canned-body")
                let:c
            >
                <textarea
                    id=c.id.clone()
                    rows="6"
                    maxlength="20000"
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    prop:value=body
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <SubmitButton
                label=move || t_string!(i18n, canned_save)
                busy_label=move || t_string!(i18n, saving)
                busy=save.pending()
            />
            {move || {
                editing
                    .get()
                    .is_some()
                    .then(|| {
                        view! {
                            " "
                            <button
                                type="button"
                                class="button button-quiet"
                                on:click=move |_| editing.set(None)
                            >
                                {say!(i18n, cancel)}
                            </button>
                        }
                    })
            }}
        </form>
    }
}

/// The control for a field the rules or the server refused.
fn control_id(field: &str) -> Option<String> {
    match field {
        "title" | "body" => Some(format!("canned-{field}")),
        "tier" => Some("canned-team".to_owned()),
        _ => None,
    }
}
