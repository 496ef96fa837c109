//! One ticket, as its requester follows it: where it stands, who handles it, when
//! an answer is due, the conversation, and — once a technician says it is fixed —
//! "Yes, it works" (with a rating) or "No, reopen it".
//!
//! The access token comes from the tracking link's fragment (`#access=…`, never sent
//! to a server), is kept in "My tickets" and removed from the address bar. It only
//! ever travels in the `Authorization` header: the live stream and downloads, which
//! the browser opens without headers, use short-lived grants asked for with it.
//! Changes arrive live over Server-Sent Events (`crate::live`); once the stream's grant
//! has expired, the page asks for a new one and connects again. A requester who
//! fears their link leaked makes a new one, and every earlier link stops working.
//! Resolution emails link here with `?answer=fixed` or `?answer=not-fixed`; the latter
//! opens the reopen form. Opened offline, the page shows the ticket as it was last
//! read in this browser, says since when, and reads it again once back online.

use crate::router::{use_params_map, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::tickets::{
    ActorKind, ConfirmRequest, GrantPurpose, RatingRequest, TicketAccessRenewed, TicketChange,
    TicketEvent, TicketStatus, TicketView,
};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::attachment_picker::AttachmentPicker;
use crate::components::dates::date_time;
use crate::components::form::{Field, RequestFailure, StarsField, SubmitButton};
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::rendered_text::RenderedText;
use crate::components::status::{ErrorText, Loading, show_refreshed};
use crate::components::ticket_timeline::TimelineEntry;
use crate::components::ticket_words::{
    category_answers, priority_label, sla_text, status_label, ticket_field_message, tier_label,
};
use crate::editing::unsent_rest;
use crate::i18n::{t_string, use_i18n};
use crate::live::{Grant, Live, use_granted_event_source};
use crate::requester_storage::{self as stored, KeptTicket};
use crate::text::fill;

/// Takes the token from `#access=…` if present (and removes it from the address
/// bar), else from "My tickets".
fn access_token(number: &str) -> Option<String> {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if let Some(token) = hash.strip_prefix("#access=").filter(|t| !t.is_empty()) {
        let token: String = js_sys::decode_uri_component(token)
            .map(String::from)
            .unwrap_or_else(|_| token.to_owned());
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{path}{search}")),
            );
        }
        return Some(token);
    }
    stored::token_for(number)
}

#[component]
pub fn TrackTicket() -> impl IntoView {
    let params = use_params_map();
    let number = params.get_untracked().get("number").unwrap_or_default();
    page_title({
        let number = number.clone();
        move || number.clone()
    });
    let token = access_token(&number);
    match token {
        None if crate::requester_sign_in::holds_session() => {
            view! { <OpenWithAccount number /> }.into_any()
        }
        None => no_access(number),
        Some(token) => view! { <TicketPage number token /> }.into_any(),
    }
}

/// A ticket without a link in this browser, for a signed-in requester: the server
/// gives this device a token of its own when the ticket is theirs, kept in "My
/// tickets" like a link's.
#[component]
fn OpenWithAccount(number: String) -> impl IntoView {
    let opened = RwSignal::new(None::<Result<String, ApiError>>);
    {
        let number = number.clone();
        leptos::task::spawn_local(async move {
            let result = api::open_my_ticket(&number).await.map(|access| {
                stored::keep_ticket(KeptTicket {
                    number: number.clone(),
                    subject: access.subject,
                    token: access.access_token.clone(),
                    created_at: access.created_at,
                });
                access.access_token
            });
            opened.try_set(Some(result));
        });
    }
    move || match opened.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(token)) => view! { <TicketPage number=number.clone() token /> }.into_any(),
        Some(Err(ApiError::Server {
            status: 401 | 404, ..
        })) => no_access(number.clone()),
        Some(Err(error)) => view! {
            <p class="panel panel-error" role="alert">
                <ErrorText error />
            </p>
        }
        .into_any(),
    }
}

/// The ticket cannot be opened here: no link was kept and no account opens it.
fn no_access(number: String) -> AnyView {
    let i18n = use_i18n();
    view! {
        <header class="page-header">
            <h1>{number}</h1>
        </header>
        <div class="panel panel-info" role="note">
            <p>{say!(i18n, ticket_no_access)}</p>
            <p>
                <a href="/tickets">{say!(i18n, track_title)}</a>
            </p>
        </div>
    }
    .into_any()
}

#[component]
fn TicketPage(number: String, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let just_filed = query.get_untracked().get("filed").is_some();
    let ticket = RwSignal::new(None::<Result<TicketView, ApiError>>);
    // When the ticket shown is the one saved here, read at that time (offline).
    let saved_at = RwSignal::new(None::<f64>);
    let ids = StoredValue::new((number.clone(), token.clone()));
    // The newest event of the ticket as first read from the server: the live stream
    // sends what came after it.
    let first_read = RwSignal::new(None::<i64>);
    // Until the server has answered once, the stream cannot open (it starts from that
    // answer's newest event): a first read that failed for a passing reason is tried
    // again every few seconds, as the stream would, until one answers.
    let failed_first_reads = RwSignal::new(0u32);
    let read_failed = move |error: &ApiError| {
        if error.passing() && first_read.try_get_untracked() == Some(None) {
            failed_first_reads.try_update(|n| *n += 1);
        }
    };
    let typed = Typed::new();
    let requests = Requests::new(ids, typed, ticket);
    let announcement = typed.said;
    // The "it is not fixed" link of a resolution email opens the reopen form at once;
    // "yes, it is fixed" (`?answer=fixed`) needs nothing: the confirmation comes first.
    if query.get_untracked().get("answer").as_deref() == Some("not-fixed") {
        typed.reopening.set(true);
    }

    let load = move || {
        // A live event or a grant's answer can come after the page was left.
        let Some((number, token)) = ids.try_get_value() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let result = match api::ticket(&number, &token).await {
                Ok((view, answer)) => {
                    stored::keep_ticket(KeptTicket {
                        number: view.number.to_string(),
                        subject: view.subject.clone(),
                        token: token.clone(),
                        created_at: view.created_at,
                    });
                    stored::remember_seen(&number, answer);
                    saved_at.try_set(None);
                    if first_read.try_get_untracked() == Some(None) {
                        first_read.set(Some(view.newest_event_id()));
                    }
                    Ok(view)
                }
                Err(ApiError::Network) => {
                    read_failed(&ApiError::Network);
                    // Nothing shown yet: the state saved here, marked as such.
                    let nothing_shown = ticket.try_with_untracked(Option::is_none) == Some(true);
                    let seen = stored::last_seen(&number)
                        .and_then(|seen| Some((seen.at, api::ticket_from_text(&seen.answer)?)));
                    if nothing_shown && let Some((at, view)) = seen {
                        saved_at.try_set(Some(at));
                        ticket.try_set(Some(Ok(view)));
                        return;
                    }
                    Err(ApiError::Network)
                }
                Err(error) => {
                    read_failed(&error);
                    if matches!(error, ApiError::Server { status: 404, .. }) {
                        stored::forget_seen(&number);
                    }
                    // Online again but refused: the saved copy is not shown as if current.
                    if saved_at.try_get_untracked().flatten().is_some() {
                        saved_at.try_set(None);
                        ticket.try_set(Some(Err(error)));
                        return;
                    }
                    Err(error)
                }
            };
            // Drawn in a task of its own, not in the one that read the answer.
            crate::next_task::next_task().await;
            show_refreshed(ticket, result);
        });
    };
    load();
    Effect::new(move |_| {
        if failed_first_reads.get() > 0 {
            set_timeout(load, crate::live::RETRY);
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| load());
    on_cleanup(move || online.remove());

    // Live updates: every event makes the page read the ticket again, so what is shown
    // is always the server's whole view, never a patched copy. The stream opens once
    // the ticket is shown, from its newest event.
    let live = use_granted_event_source(
        move || first_read.get(),
        move |after| {
            let ids = ids.try_get_value();
            async move {
                let Some((number, token)) = ids else {
                    return Grant::Never;
                };
                match api::ticket_grant(&number, &token, GrantPurpose::Events).await {
                    Ok(grant) => Grant::Url(api::ticket_events_url(&number, &grant.grant, after)),
                    // The link stopped working (replaced): the page says so.
                    Err(ApiError::Server { status: 404, .. }) => {
                        load();
                        Grant::Never
                    }
                    Err(_) => Grant::Later,
                }
            }
        },
        move |data| {
            let event = js_sys::JSON::parse(&data)
                .ok()
                .and_then(|value| crate::js_decode::from_value::<TicketEvent>(value).ok());
            if let Some(event) = event
                && event.actor == ActorKind::Staff
            {
                announcement.set(fill(t_string!(i18n, ticket_live_update), &event.actor_name));
            }
            load();
        },
    );

    let tracking_link = {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}/tickets/{number}#access={token}")
    };

    view! {
        <p class="visually-hidden" role="status" aria-live="polite">
            {move || announcement.get()}
        </p>
        {just_filed
            .then(|| {
                view! {
                    <div class="panel panel-success" role="status">
                        <h2>{move || fill(t_string!(i18n, ticket_filed_title), &number)}</h2>
                        <p>{say!(i18n, ticket_filed_link)}</p>
                        <label for="tracking-link" class="visually-hidden">
                            {say!(i18n, ticket_private_link)}
                        </label>
                        <input
                            id="tracking-link"
                            class="copy-field"
                            type="text"
                            readonly
                            value=tracking_link.clone()
                            on:focus=move |ev| {
                                if let Some(input) = ev
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                {
                                    input.select();
                                }
                            }
                        />
                    </div>
                }
            })}
        {move || {
            saved_at
                .get()
                .map(|at| {
                    let when = date_time((at / 1000.0) as i64, current_language(i18n));
                    view! {
                        <p class="panel panel-info" role="status">
                            {fill(t_string!(i18n, ticket_offline_state), when)}
                        </p>
                    }
                })
        }}
        {move || match ticket.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) => {
                view! {
                    <div class="panel panel-error" role="alert">
                        <p>
                            {if matches!(error, ApiError::Server { status: 404, .. }) {
                                t_string!(i18n, ticket_not_found).into_any()
                            } else {
                                view! { <ErrorText error /> }.into_any()
                            }}
                        </p>
                        <button type="button" class="button" on:click=move |_| load()>
                            {say!(i18n, retry)}
                        </button>
                    </div>
                }
                    .into_any()
            }
            Some(Ok(view)) => view! { <TicketDetails view live ids typed requests /> }.into_any(),
        }}
    }
}

/// What the requester is typing or choosing on the page. It lives with the page, not
/// with the ticket's view, because a live update re-renders the view and must not wipe
/// a half-written reply or close the reopen form under the user's hands.
#[derive(Clone, Copy)]
struct Typed {
    /// What the page's live region says (a reply arrived, a reply was sent). The
    /// region is drawn once with the page: one drawn again with the ticket would be
    /// new to a screen reader, which reads changes, not new regions.
    said: RwSignal<String>,
    reply: RwSignal<String>,
    reply_files: RwSignal<Vec<Attachment>>,
    /// The file picker's hold on `reply_files`, made with the page too: an upload
    /// that ends after a live update redrew the form still lands in the reply.
    reply_files_picked: (Signal<Vec<Attachment>>, Callback<Vec<Attachment>>),
    reopening: RwSignal<bool>,
    reopen_reason: RwSignal<String>,
    rating: RwSignal<Option<u8>>,
    comment: RwSignal<String>,
}

impl Typed {
    fn new() -> Self {
        let reply_files = RwSignal::new(Vec::new());
        Self {
            said: RwSignal::new(String::new()),
            reply: RwSignal::new(String::new()),
            reply_files,
            reply_files_picked: (
                reply_files.into(),
                Callback::new(move |f| reply_files.set(f)),
            ),
            reopening: RwSignal::new(false),
            reopen_reason: RwSignal::new(String::new()),
            rating: RwSignal::new(None),
            comment: RwSignal::new(String::new()),
        }
    }
}

type Sent<I> = Action<I, Result<TicketView, ApiError>>;

/// What the page sends, made with the page for the same reason as [`Typed`]. A live
/// update that arrives while a reply is on its way redraws the ticket's view; a
/// request made by the view would go with it, its answer unheard: the sent reply left
/// in the box, and the button ready to send it a second time.
#[derive(Clone, Copy)]
struct Requests {
    /// A reply's text and the ids of its files.
    reply: Sent<(String, Vec<String>)>,
    confirm: Sent<ConfirmRequest>,
    reopen: Sent<String>,
    rate: Sent<RatingRequest>,
    /// A new tracking link: its answer, once lost, would leave this browser with a
    /// token the server no longer takes.
    renew: Action<(), Result<TicketAccessRenewed, ApiError>>,
}

impl Requests {
    fn new(
        ids: StoredValue<(String, String)>,
        typed: Typed,
        ticket: RwSignal<Option<Result<TicketView, ApiError>>>,
    ) -> Self {
        let i18n = use_i18n();
        let reply = Action::new_local(move |(body, files): &(String, Vec<String>)| {
            let (body, files) = (body.clone(), files.clone());
            let (number, token) = ids.get_value();
            async move {
                let answer = api::ticket_reply(&number, &token, &body, &files).await;
                // Only what the server has leaves the box; what was written or
                // attached while it was on its way stays.
                if answer.is_ok() {
                    typed.reply.try_update(|now| *now = unsent_rest(now, &body));
                    typed
                        .reply_files
                        .try_update(|now| now.retain(|f| !files.contains(&f.id)));
                }
                answer
            }
        });
        let confirm = Action::new_local(move |request: &ConfirmRequest| {
            let request = request.clone();
            let (number, token) = ids.get_value();
            async move { api::ticket_confirm(&number, &token, &request).await }
        });
        let reopen = Action::new_local(move |reason: &String| {
            let reason = reason.clone();
            let (number, token) = ids.get_value();
            async move { api::ticket_reopen(&number, &token, &reason).await }
        });
        let rate = Action::new_local(move |request: &RatingRequest| {
            let request = request.clone();
            let (number, token) = ids.get_value();
            async move { api::ticket_rate(&number, &token, &request).await }
        });
        let renew = Action::new_local(move |_: &()| {
            let (number, token) = ids.get_value();
            async move { api::renew_ticket_access(&number, &token).await }
        });
        let show = move |view: TicketView| ticket.set(Some(Ok(view)));
        Effect::new(move |_| {
            if let Some(Ok(view)) = reply.value().get() {
                // Said by a screen reader: on screen, the box only empties. Emptied at
                // each submit, so a second reply sent is announced again. Untracked:
                // a change of language is not another reply.
                untrack(|| {
                    typed
                        .said
                        .set(t_string!(i18n, ticket_reply_sent).to_owned())
                });
                show(view);
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(renewed)) = renew.value().get() {
                let (number, old) = ids.get_value();
                stored::replace_token(&number, &old, &renewed.access_token);
                ids.set_value((number, renewed.access_token));
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(view)) = confirm.value().get() {
                show(view);
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(view)) = reopen.value().get() {
                // Done with: a later resolution starts from a clean form.
                typed.reopening.set(false);
                typed.reopen_reason.set(String::new());
                show(view);
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(view)) = rate.value().get() {
                show(view);
            }
        });
        Self {
            reply,
            confirm,
            reopen,
            rate,
            renew,
        }
    }
}

#[component]
fn TicketDetails(
    view: TicketView,
    live: Signal<Live>,
    ids: StoredValue<(String, String)>,
    typed: Typed,
    requests: Requests,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = current_language(i18n);
    let status = view.status;
    let steps = [
        TicketStatus::New,
        TicketStatus::InProgress,
        TicketStatus::WaitingForRequester,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];
    let current = steps.iter().position(|s| *s == status).unwrap_or(0);
    // "Waiting for you" is a detour, not a stage every ticket passes: it is ticked only
    // if the ticket went there.
    let waited = view.events.iter().any(|e| {
        matches!(
            e.change,
            TicketChange::Status {
                to: TicketStatus::WaitingForRequester,
                ..
            }
        )
    });
    let passed = move |i: usize, step: TicketStatus| {
        i < current && (step != TicketStatus::WaitingForRequester || waited)
    };
    let (first_text, first_class) = sla_text(i18n, view.sla.first_response);
    let (resolution_text, resolution_class) = sla_text(i18n, view.sla.resolution);
    let resolution_summary = view.events.iter().rev().find_map(|e| match &e.change {
        TicketChange::Status {
            to: TicketStatus::Resolved,
            summary,
            ..
        } => summary.clone(),
        _ => None,
    });
    let description = view.description.clone();
    let description_html = view.description_html.clone();
    let file_url = Callback::new(move |id: String| {
        let (number, _) = ids.get_value();
        api::ticket_attachment_url(&number, &id, None)
    });
    // A download needs a grant: asked for when the link is followed, so it is fresh.
    let open_file = Callback::new(move |id: String| {
        let (number, token) = ids.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(grant) = api::ticket_grant(&number, &token, GrantPurpose::Download).await {
                let url = api::ticket_attachment_url(&number, &id, Some(&grant.grant));
                let _ = window().location().assign(&url);
            }
        });
    });
    view! {
        <header class="page-header ticket-header">
            <p class="ticket-number">{view.number.to_string()}</p>
            <h1>{view.subject.clone()}</h1>
            <p class="live-state" role="status">
                {move || match live.get() {
                    Live::Connecting => t_string!(i18n, live_connecting),
                    Live::On => t_string!(i18n, live_on),
                    Live::Reconnecting => t_string!(i18n, live_reconnecting),
                }}
            </p>
        </header>
        <ol class="status-steps" aria-label=t_string!(i18n, ticket_progress)>
            {steps
                .into_iter()
                .enumerate()
                .map(|(i, step)| {
                    view! {
                        <li
                            class:done=passed(i, step)
                            class:current=i == current
                            aria-current=(i == current).then_some("step")
                        >
                            {status_label(i18n, step)}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <dl class="facts ticket-facts">
            <div>
                <dt>{say!(i18n, ticket_status)}</dt>
                <dd>{status_label(i18n, status)}</dd>
            </div>
            <div>
                <dt>{say!(i18n, ticket_handled_by)}</dt>
                <dd>{tier_label(i18n, view.tier)}</dd>
            </div>
            <div>
                <dt>{say!(i18n, ticket_priority)}</dt>
                <dd>{priority_label(i18n, view.priority)}</dd>
            </div>
            <div>
                <dt>{say!(i18n, field_category)}</dt>
                <dd>{view.category.name.clone()}</dd>
            </div>
            <div>
                <dt>{say!(i18n, ticket_first_response)}</dt>
                <dd class=first_class>{first_text}</dd>
            </div>
            <div>
                <dt>{say!(i18n, ticket_resolution)}</dt>
                <dd class=resolution_class>{resolution_text}</dd>
            </div>
            <div>
                <dt>{say!(i18n, ticket_filed_at)}</dt>
                <dd>{date_time(view.created_at, lang)}</dd>
            </div>
        </dl>
        {view
            .incident
            .clone()
            .map(|incident| {
                view! {
                    <p class="panel panel-info" role="note">
                        {fill(t_string!(i18n, ticket_part_of_incident), incident.title)}
                    </p>
                }
            })}
        {(status == TicketStatus::Resolved)
            .then(|| {
                view! { <ConfirmOrReopen summary=resolution_summary.clone() typed requests /> }
            })}
        {(status == TicketStatus::Closed && view.rating.is_none())
            .then(|| view! { <RateTicket typed requests /> })}
        {view
            .rating
            .map(|r| {
                view! {
                    <p class="panel panel-success">{fill(t_string!(i18n, ticket_rated), r)}</p>
                }
            })}
        <section class="ticket-description" aria-labelledby="description-title">
            <h2 id="description-title">{say!(i18n, ticket_description)}</h2>
            <RenderedText html=Some(description_html) text=description />
            {(!view.fields.is_empty())
                .then(|| {
                    view! { <dl class="facts ticket-facts">{category_answers(&view)}</dl> }
                })}
        </section>
        {view
            .transcript
            .clone()
            .map(|transcript| {
                view! {
                    <section aria-labelledby="transcript-title">
                        <h2 id="transcript-title">{say!(i18n, ticket_transcript_title)}</h2>
                        <ol class="transcript">
                            {transcript
                                .steps
                                .into_iter()
                                .map(|s| {
                                    view! {
                                        <li>
                                            <span class="transcript-q">{s.question}</span>
                                            " "
                                            <strong>{s.answer}</strong>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })}
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{say!(i18n, ticket_timeline)}</h2>
            <ol class="timeline">
                {view
                    .events
                    .into_iter()
                    .map(|event| view! { <TimelineEntry event file_url open_file /> })
                    .collect_view()}
            </ol>
        </section>
        {status.is_open().then(|| view! { <ReplyForm typed requests /> })}
        <RenewLink renew=requests.renew />
    }
}

/// A request's failure, if it failed.
fn failure_of(
    action: Action<impl Send + Sync + 'static, Result<TicketView, ApiError>>,
) -> Signal<Option<ApiError>> {
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The message for the field a failed request was refused for, in the user's language.
fn refused(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    failure: Signal<Option<ApiError>>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        failure.with(|f| {
            f.as_ref()
                .and_then(ApiError::field)
                .map(|field| ticket_field_message(i18n, field, None))
        })
    })
}

#[component]
fn ReplyForm(typed: Typed, requests: Requests) -> impl IntoView {
    let i18n = use_i18n();
    let Typed {
        said,
        reply: text,
        reply_files: files,
        reply_files_picked: (picked, on_pick),
        ..
    } = typed;
    let send = requests.reply;
    view! {
        <form
            class="form reply-form"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                said.set(String::new());
                send.dispatch((
                    text.get_untracked(),
                    files.get_untracked().into_iter().map(|f| f.id).collect(),
                ));
            }
        >
            <Field
                id="reply-text"
                live=true
                label=move || t_string!(i18n, ticket_reply_label)
                error=refused(i18n, failure_of(send))
                let:c
            >
                <textarea
                    id=c.id.clone()
                    rows="4"
                    maxlength="20000"
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <RequestFailure failure=failure_of(send) />
            <AttachmentPicker id="reply-files" files=picked on_change=on_pick />
            <SubmitButton
                label=move || t_string!(i18n, ticket_reply_send)
                busy_label=move || t_string!(i18n, ticket_sending)
                busy=send.pending()
            />
        </form>
    }
}

#[component]
fn ConfirmOrReopen(summary: Option<String>, typed: Typed, requests: Requests) -> impl IntoView {
    let i18n = use_i18n();
    let Typed {
        reopening,
        reopen_reason: reason,
        rating,
        comment,
        ..
    } = typed;
    let Requests {
        confirm, reopen, ..
    } = requests;
    view! {
        <section class="panel panel-action" aria-labelledby="resolved-title">
            <h2 id="resolved-title">{say!(i18n, ticket_resolved_title)}</h2>
            {summary.map(|s| view! { <blockquote class="resolution-summary">{s}</blockquote> })}
            <Show
                when=move || !reopening.get()
                fallback=move || {
                    view! {
                        <form
                            class="form"
                            novalidate
                            on:submit=move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                reopen.dispatch(reason.get_untracked());
                            }
                        >
                            <Field
                                id="reopen-reason"
                                live=true
                                label=move || t_string!(i18n, ticket_reopen_reason)
                                error=refused(i18n, failure_of(reopen))
                                let:c
                            >
                                <textarea
                                    id=c.id.clone()
                                    rows="3"
                                    maxlength="2000"
                                    aria-invalid=c.invalid()
                                    aria-describedby=c.described_by()
                                    prop:value=reason
                                    on:input=move |ev| reason.set(event_target_value(&ev))
                                ></textarea>
                            </Field>
                            <RequestFailure failure=failure_of(reopen) />
                            <SubmitButton
                                label=move || t_string!(i18n, ticket_reopen_send)
                                busy_label=move || t_string!(i18n, ticket_sending)
                                busy=reopen.pending()
                            />
                            " "
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| reopening.set(false)
                            >
                                {say!(i18n, cancel)}
                            </button>
                        </form>
                    }
                }
            >
                <form
                    class="form"
                    novalidate
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        confirm
                            .dispatch(ConfirmRequest {
                                rating: rating.get_untracked(),
                                comment: comment.get_untracked(),
                            });
                    }
                >
                    <RatingField rating comment error=refused(i18n, failure_of(confirm)) />
                    <RequestFailure failure=failure_of(confirm) />
                    <SubmitButton
                        label=move || t_string!(i18n, ticket_confirm)
                        busy_label=move || t_string!(i18n, ticket_sending)
                        busy=confirm.pending()
                    />
                    " "
                    <button type="button" class="button" on:click=move |_| reopening.set(true)>
                        {say!(i18n, ticket_reopen)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn RatingField(
    rating: RwSignal<Option<u8>>,
    comment: RwSignal<String>,
    /// A refusal of the rating or the comment.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <StarsField
            name="rating"
            legend=move || t_string!(i18n, ticket_rating_question)
            hint=move || t_string!(i18n, ticket_rating_hint)
            value=rating
            star_label=move |n: u8| fill(t_string!(i18n, rating_stars), n)
            error
        />
        <Field id="rating-comment" label=move || t_string!(i18n, ticket_rating_comment) let:c>
            <textarea
                id=c.id.clone()
                rows="2"
                maxlength="2000"
                prop:value=comment
                on:input=move |ev| comment.set(event_target_value(&ev))
            ></textarea>
        </Field>
    }
}

#[component]
fn RateTicket(typed: Typed, requests: Requests) -> impl IntoView {
    let i18n = use_i18n();
    let Typed {
        rating, comment, ..
    } = typed;
    let rate = requests.rate;
    view! {
        <section class="panel panel-action">
            <form
                class="form"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if let Some(r) = rating.get_untracked() {
                        rate.dispatch(RatingRequest {
                            rating: r,
                            comment: comment.get_untracked(),
                        });
                    }
                }
            >
                <RatingField rating comment error=refused(i18n, failure_of(rate)) />
                <RequestFailure failure=failure_of(rate) />
                <SubmitButton
                    label=move || t_string!(i18n, ticket_rate_send)
                    busy_label=move || t_string!(i18n, ticket_sending)
                    busy=rate.pending()
                    disabled=Signal::derive(move || rating.get().is_none())
                />
            </form>
        </section>
    }
}

/// "Does someone else have your link?": makes a new link; every earlier one (the
/// email's included) stops working, and so does any page open with one.
#[component]
fn RenewLink(renew: Action<(), Result<TicketAccessRenewed, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let new_link = move || {
        renew.value().get().and_then(Result::ok).map(|renewed| {
            let origin = window().location().origin().unwrap_or_default();
            format!("{origin}{}", renewed.tracking_path)
        })
    };
    view! {
        <section class="renew-link" aria-labelledby="renew-title">
            <h2 id="renew-title">{say!(i18n, link_renew_title)}</h2>
            <p>{say!(i18n, link_renew_text)}</p>
            {move || match new_link() {
                Some(link) => {
                    view! {
                        <div class="panel panel-success" role="status">
                            <label for="renewed-link">{say!(i18n, link_renew_done)}</label>
                            <input
                                id="renewed-link"
                                class="copy-field"
                                type="text"
                                readonly
                                value=link
                                on:focus=move |ev| {
                                    if let Some(input) = ev
                                        .target()
                                        .and_then(|t| {
                                            t.dyn_into::<web_sys::HtmlInputElement>().ok()
                                        })
                                    {
                                        input.select();
                                    }
                                }
                            />
                        </div>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <button
                            type="button"
                            class="button"
                            disabled=move || renew.pending().get()
                            on:click=move |_| {
                                renew.dispatch(());
                            }
                        >
                            {say!(i18n, link_renew_button)}
                        </button>
                        <RequestFailure failure=Signal::derive(move || {
                            renew.value().get().and_then(Result::err)
                        }) />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
