//! Webhooks, for admins: the endpoints that receive the help desk's events (address,
//! events, the secret deliveries are signed with), added, changed, paused and deleted
//! here, and each endpoint's recent deliveries with the receiver's answer and timing.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::error::Reason;
use selfdesk_shared::webhooks::{EVENTS, WebhookEndpoint, WebhookEndpointRequest};

use crate::api::{self, ApiError};
use crate::components::dates::date_time;
use crate::components::form::{RequestFailure, SubmitButton, TextField, refusal, refusal_worded};
use crate::components::language::current_language;
use crate::components::numbers::whole;
use crate::components::page_title::page_title;
use crate::components::status::{ActionFailure, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub fn StaffWebhooks() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, webhooks_title).to_owned());
    let list = Fetch::new(api::webhooks);
    // The endpoint being changed; `None`: the form adds one.
    let editing = RwSignal::new(None::<WebhookEndpoint>);
    let remove = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::delete_webhook(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            list.refetch();
        }
    });
    let saved = Callback::new(move |()| {
        editing.set(None);
        list.refetch();
    });
    view! {
        <header class="page-header">
            <h1>{say!(i18n, webhooks_title)}</h1>
            <p class="lead">{say!(i18n, webhooks_lead)}</p>
        </header>
        <ActionFailure action=remove />
        <Loaded resource=list let:endpoints>
            {if endpoints.endpoints.is_empty() {
                view! { <p class="empty">{say!(i18n, webhooks_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="webhook-list">
                        {endpoints
                            .endpoints
                            .into_iter()
                            .map(|endpoint| view! { <EndpointCard endpoint editing remove /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </Loaded>
        {move || {
            let current = editing.get();
            view! {
                <EndpointForm
                    current
                    on_saved=saved
                    on_cancel=Callback::new(move |()| editing.set(None))
                />
            }
        }}
    }
}

#[component]
fn EndpointCard(
    endpoint: WebhookEndpoint,
    editing: RwSignal<Option<WebhookEndpoint>>,
    remove: Action<i64, Result<(), ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = endpoint.id;
    let show_deliveries = RwSignal::new(false);
    let show_secret = RwSignal::new(false);
    let confirm_delete = RwSignal::new(false);
    let chosen = endpoint.clone();
    let secret = endpoint.secret.clone();
    let url = endpoint.url.clone();
    view! {
        <li class="panel webhook">
            <h2 class="break-anywhere">
                {endpoint.url.clone()} " "
                <span class=if endpoint.active {
                    "badge badge-published"
                } else {
                    "badge badge-draft"
                }>
                    {if endpoint.active {
                        say!(i18n, webhooks_active_badge).into_any()
                    } else {
                        say!(i18n, webhooks_paused).into_any()
                    }}
                </span>
            </h2>
            <dl class="facts">
                <dt>{say!(i18n, webhooks_events)}</dt>
                <dd>
                    <ul class="event-list">
                        {endpoint
                            .events
                            .iter()
                            .map(|e| {
                                let e = e.clone();
                                view! { <li>{move || event_name(i18n, &e)}</li> }
                            })
                            .collect_view()}
                    </ul>
                </dd>
                <dt>{say!(i18n, webhooks_secret)}</dt>
                <dd>
                    {move || {
                        if show_secret.get() {
                            view! { <code class="break-anywhere">{secret.clone()}</code> }
                                .into_any()
                        } else {
                            view! {
                                <button
                                    type="button"
                                    class="button button-quiet button-small"
                                    on:click=move |_| show_secret.set(true)
                                >
                                    {say!(i18n, webhooks_show_secret)}
                                </button>
                            }
                                .into_any()
                        }
                    }}
                </dd>
            </dl>
            <div class="button-row">
                <button
                    type="button"
                    class="button button-small"
                    aria-expanded=move || show_deliveries.get().to_string()
                    on:click=move |_| show_deliveries.update(|s| *s = !*s)
                >
                    {say!(i18n, webhooks_deliveries)}
                </button>
                <button
                    type="button"
                    class="button button-small"
                    aria-label=fill(t_string!(i18n, webhooks_edit_which), &url)
                    on:click=move |_| editing.set(Some(chosen.clone()))
                >
                    {say!(i18n, webhooks_edit)}
                </button>
                {move || {
                    if confirm_delete.get() {
                        view! {
                            <span role="alert">{say!(i18n, webhooks_delete_confirm)}</span>
                            <button
                                type="button"
                                class="button button-danger button-small"
                                disabled=move || remove.pending().get()
                                on:click=move |_| {
                                    remove.dispatch(id);
                                }
                            >
                                {say!(i18n, webhooks_delete_yes)}
                            </button>
                            <button
                                type="button"
                                class="button button-quiet button-small"
                                on:click=move |_| confirm_delete.set(false)
                            >
                                {say!(i18n, cancel)}
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="button button-quiet button-small"
                                on:click=move |_| confirm_delete.set(true)
                            >
                                {say!(i18n, webhooks_delete)}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </div>
            {move || show_deliveries.get().then(|| view! { <Deliveries id /> })}
        </li>
    }
}

/// The endpoint's newest tries: when, which event, the answer and how long it took.
#[component]
fn Deliveries(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let deliveries = Fetch::new(move || api::webhook_deliveries(id));
    view! {
        <Loaded resource=deliveries let:list>
            {
                let language = current_language(i18n);
                if list.deliveries.is_empty() {
                    view! { <p class="empty">{say!(i18n, webhooks_no_deliveries)}</p> }.into_any()
                } else {
                    view! {
                        <div
                            class="table-scroll"
                            tabindex="0"
                            role="region"
                            aria-label=move || t_string!(i18n, webhooks_deliveries)
                        >
                            <table class="table">
                                <caption class="visually-hidden">
                                    {say!(i18n, webhooks_deliveries)}
                                </caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{say!(i18n, webhooks_col_when)}</th>
                                        <th scope="col">{say!(i18n, webhooks_col_event)}</th>
                                        <th scope="col">{say!(i18n, webhooks_col_answer)}</th>
                                        <th scope="col">{say!(i18n, webhooks_col_time)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .deliveries
                                        .into_iter()
                                        .map(|d| {
                                            let ms = fill(
                                                t_string!(i18n, webhooks_milliseconds),
                                                whole(d.duration_ms, language),
                                            );
                                            view! {
                                                <tr>
                                                    <td>{date_time(d.attempted_at, language)}</td>
                                                    <td>
                                                        <code>{d.event_type}</code>
                                                    </td>
                                                    <td>
                                                        {d
                                                            .status_code
                                                            .map(|code| {
                                                                view! {
                                                                    <span class=if (200..300).contains(&code) {
                                                                        "badge badge-published"
                                                                    } else {
                                                                        "badge outbox-failed"
                                                                    }>{code}</span>
                                                                }
                                                            })}
                                                        {d
                                                            .error
                                                            .map(|e| {
                                                                view! {
                                                                    <span class="error-detail break-anywhere">{e}</span>
                                                                }
                                                            })}
                                                    </td>
                                                    <td>{ms}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }
        </Loaded>
    }
}

/// Adds an endpoint (`current` is `None`) or changes one. The secret is left blank to
/// keep it (or, for a new endpoint, to have one made).
#[component]
fn EndpointForm(
    current: Option<WebhookEndpoint>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = current.as_ref().map(|c| c.id);
    let url = RwSignal::new(current.as_ref().map(|c| c.url.clone()).unwrap_or_default());
    let events = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.events.clone())
            .unwrap_or_else(|| EVENTS.iter().map(|e| (*e).to_owned()).collect()),
    );
    let secret = RwSignal::new(String::new());
    let active = RwSignal::new(current.as_ref().is_none_or(|c| c.active));
    let save = Action::new_local(move |request: &WebhookEndpointRequest| {
        let request = request.clone();
        async move {
            match id {
                Some(id) => api::update_webhook(id, &request).await,
                None => api::create_webhook(&request).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            on_saved.run(());
        }
    });
    let failed = Signal::derive(move || save.value().get().and_then(Result::err));
    let events_refused = refusal(i18n, failed, "events");
    view! {
        <form
            class="form panel webhook-form"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let secret = secret.get_untracked();
                save.dispatch(WebhookEndpointRequest {
                    url: url.get_untracked(),
                    events: events.get_untracked(),
                    secret: (!secret.trim().is_empty()).then_some(secret),
                    active: active.get_untracked(),
                });
            }
        >
            <h2>
                {if id.is_some() {
                    say!(i18n, webhooks_change).into_any()
                } else {
                    say!(i18n, webhooks_add).into_any()
                }}
            </h2>
            <RequestFailure failure=failed placed=&["url", "events", "secret"] />
            <TextField
                id="webhook-url"
                live=true
                label=move || t_string!(i18n, webhooks_url)
                hint=move || t_string!(i18n, webhooks_url_hint)
                error=refusal_worded(i18n, failed, "url", url_words)
                maxlength=2000
                autocomplete="off"
                value=url
                on_input=move |v: String| url.set(v)
            />
            <fieldset
                id="webhook-events"
                class="field option-group"
                class:field-error=move || events_refused.with(Option::is_some)
            >
                <legend>{say!(i18n, webhooks_events)}</legend>
                {move || {
                    events_refused.get().map(|m| view! { <p class="error-message">{m}</p> })
                }}
                {EVENTS
                    .into_iter()
                    .map(|event| {
                        let input_id = format!("webhook-event-{}", event.replace('.', "-"));
                        view! {
                            <div class="option">
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    prop:checked=move || {
                                        events.with(|e| e.iter().any(|x| x == event))
                                    }
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        events
                                            .update(|e| {
                                                e.retain(|x| x != event);
                                                if on {
                                                    e.push(event.to_owned());
                                                }
                                            });
                                    }
                                />
                                <label for=input_id>{move || event_name(i18n, event)}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <TextField
                id="webhook-secret"
                live=true
                label=move || t_string!(i18n, webhooks_secret)
                hint=move || {
                    if id.is_some() {
                        t_string!(i18n, webhooks_secret_keep_hint)
                    } else {
                        t_string!(i18n, webhooks_secret_new_hint)
                    }
                }
                error=refusal_worded(i18n, failed, "secret", secret_words)
                autocomplete="off"
                value=secret
                on_input=move |v: String| secret.set(v)
            />
            <div class="option webhook-active">
                <input
                    type="checkbox"
                    id="webhook-active"
                    prop:checked=move || active.get()
                    on:change=move |ev| active.set(event_target_checked(&ev))
                />
                <label for="webhook-active">{say!(i18n, webhooks_active)}</label>
            </div>
            <div class="button-row">
                <SubmitButton
                    label=move || {
                        if id.is_some() {
                            t_string!(i18n, webhooks_save)
                        } else {
                            t_string!(i18n, webhooks_add)
                        }
                    }
                    busy_label=move || t_string!(i18n, saving)
                    busy=save.pending()
                />
                {id
                    .is_some()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-quiet"
                                on:click=move |_| on_cancel.run(())
                            >
                                {say!(i18n, cancel)}
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}

/// Sentences that say more than the general ones: why an address is refused, and what
/// an address and a secret must look like.
fn url_words(i18n: I18n, reason: &Reason) -> Option<String> {
    let text = match reason {
        Reason::NotAllowed => t_string!(i18n, webhooks_url_private),
        Reason::BadFormat => t_string!(i18n, webhooks_url_format),
        _ => return None,
    };
    Some(text.to_owned())
}

fn secret_words(i18n: I18n, reason: &Reason) -> Option<String> {
    matches!(reason, Reason::BadFormat).then(|| t_string!(i18n, webhooks_secret_format).to_owned())
}

/// An event in words, with the name receivers see in the payload.
fn event_name(i18n: I18n, event: &str) -> String {
    let words = match event {
        "ticket.filed" => t_string!(i18n, webhooks_event_filed),
        "ticket.changed" => t_string!(i18n, webhooks_event_changed),
        "ticket.replied" => t_string!(i18n, webhooks_event_replied),
        "ticket.resolved" => t_string!(i18n, webhooks_event_resolved),
        "ticket.sla_breached" => t_string!(i18n, webhooks_event_sla_breached),
        "incident.opened" => t_string!(i18n, webhooks_event_incident_opened),
        "incident.closed" => t_string!(i18n, webhooks_event_incident_closed),
        _ => "",
    };
    if words.is_empty() {
        event.to_owned()
    } else {
        format!("{words} ({event})")
    }
}
