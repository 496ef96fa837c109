//! Known incidents: post one ("VPN down for all users since 09:10") so the portal's
//! home page and the form's "already reported?" check show it, see how many people
//! and tickets it touches, and close it — optionally resolving every linked ticket
//! with the same message.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::incidents::{CloseIncident, Incident, NewIncident};

use crate::api;
use crate::components::dates::date_time;
use crate::components::form::{Field, RequestFailure, SubmitButton, TextField, refusal};
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

#[component]
pub fn StaffIncidents() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, incidents_title).to_owned());
    let list = Fetch::new(api::staff_incidents);
    let reload = Callback::new(move |()| list.refetch());
    view! {
        <header class="page-header">
            <h1>{say!(i18n, incidents_title)}</h1>
            <p class="lead">{say!(i18n, incidents_lead)}</p>
        </header>
        <PostIncident on_posted=reload />
        <Loaded resource=list let:found>
            {
                let (open, closed): (Vec<Incident>, Vec<Incident>) = found
                    .incidents
                    .into_iter()
                    .partition(|i| i.open);
                view! {
                    <section aria-labelledby="open-incidents">
                        <h2 id="open-incidents">{say!(i18n, incidents_open)}</h2>
                        {open
                            .is_empty()
                            .then(|| view! { <p>{say!(i18n, incidents_none_open)}</p> })}
                        <ul class="incident-list">
                            {open
                                .into_iter()
                                .map(|incident| {
                                    view! { <OpenIncident incident on_closed=reload /> }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                    <section aria-labelledby="closed-incidents">
                        <h2 id="closed-incidents">{say!(i18n, incidents_closed)}</h2>
                        <ul class="incident-list">
                            {closed
                                .into_iter()
                                .map(|incident| {
                                    view! {
                                        <li>
                                            <strong>{incident.title}</strong>
                                            <p class="hint">
                                                {incident.closing_message.unwrap_or_default()}
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            }
        </Loaded>
    }
}

#[component]
fn PostIncident(on_posted: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let post = Action::new_local(move |new: &NewIncident| {
        let new = new.clone();
        async move { api::post_incident(&new).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = post.value().get() {
            title.set(String::new());
            description.set(String::new());
            on_posted.run(());
        }
    });
    let failed = Signal::derive(move || post.value().get().and_then(Result::err));
    view! {
        <form
            class="form panel incident-post"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                post.dispatch(NewIncident {
                    title: title.get_untracked(),
                    description: description.get_untracked(),
                    category: None,
                });
            }
        >
            <h2>{say!(i18n, incidents_post)}</h2>
            <RequestFailure failure=failed placed=&["title", "description"] />
            <TextField
                id="incident-title"
                live=true
                label=move || t_string!(i18n, incidents_field_title)
                hint=move || t_string!(i18n, incidents_field_title_hint)
                error=refusal(i18n, failed, "title")
                maxlength=160
                required=true
                value=title
                on_input=move |v: String| title.set(v)
            />
            <Field
                id="incident-text"
                live=true
                label=move || t_string!(i18n, incidents_field_text)
                error=refusal(i18n, failed, "description")
                let:c
            >
                <textarea
                    id=c.id.clone()
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    rows="3"
                    maxlength="5000"
                    prop:value=description
                    on:input=move |ev| description.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <SubmitButton
                label=move || t_string!(i18n, incidents_post_send)
                busy_label=move || t_string!(i18n, saving)
                busy=post.pending()
            />
        </form>
    }
}

#[component]
fn OpenIncident(incident: Incident, on_closed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = current_language(i18n);
    let closing = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let resolve = RwSignal::new(incident.linked_tickets > 0);
    let id = incident.id;
    let close = Action::new_local(move |close: &CloseIncident| {
        let close = close.clone();
        async move { api::close_incident(id, &close).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = close.value().get() {
            on_closed.run(());
        }
    });
    let failed = Signal::derive(move || close.value().get().and_then(Result::err));
    let field = format!("close-{id}");
    let check = format!("resolve-{id}");
    view! {
        <li class="incident">
            <h3>{incident.title.clone()}</h3>
            {(!incident.description.is_empty())
                .then(|| view! { <p>{incident.description.clone()}</p> })}
            <p class="hint">
                {fill(t_string!(i18n, known_problems_since), date_time(incident.since, lang))}" · "
                {fill(t_string!(i18n, incidents_affected), incident.affected)}" · "
                {fill(t_string!(i18n, incidents_linked), incident.linked_tickets)}
            </p>
            <Show
                when=move || closing.get()
                fallback=move || {
                    view! {
                        <button type="button" class="button" on:click=move |_| closing.set(true)>
                            {say!(i18n, incidents_close)}
                        </button>
                    }
                }
            >
                <form
                    class="form"
                    novalidate
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        close
                            .dispatch(CloseIncident {
                                message: message.get_untracked(),
                                resolve_linked: resolve.get_untracked(),
                            });
                    }
                >
                    <RequestFailure failure=failed placed=&["message"] />
                    <Field
                        id=field.clone()
                        live=true
                        label=move || t_string!(i18n, incidents_close_message)
                        error=refusal(i18n, failed, "message")
                        let:c
                    >
                        <textarea
                            id=c.id.clone()
                            aria-invalid=c.invalid()
                            aria-describedby=c.described_by()
                            rows="3"
                            maxlength="5000"
                            prop:value=message
                            on:input=move |ev| message.set(event_target_value(&ev))
                        ></textarea>
                    </Field>
                    <div class="option">
                        <input
                            type="checkbox"
                            id=check.clone()
                            prop:checked=resolve
                            on:change=move |_| resolve.update(|r| *r = !*r)
                        />
                        <label for=check
                            .clone()>
                            {fill(
                                t_string!(i18n, incidents_resolve_linked),
                                incident.linked_tickets,
                            )}
                        </label>
                    </div>
                    <button
                        type="submit"
                        class="button button-primary"
                        disabled=move || close.pending().get()
                    >
                        {say!(i18n, incidents_close_send)}
                    </button>
                    " "
                    <button
                        type="button"
                        class="button button-quiet"
                        on:click=move |_| closing.set(false)
                    >
                        {say!(i18n, cancel)}
                    </button>
                </form>
            </Show>
        </li>
    }
}
