//! Sending the form: the shared rules first, then the ticket with an idempotency key
//! kept in the draft, so a retry after a lost answer files it once.
//!
//! A submit that gets no answer (or a busy or restarting server's) puts the ticket in
//! this browser's outbox (`TicketDraft::waiting`): the page says it is waiting and the
//! form's fields are locked. It is sent again by itself when the browser says it is
//! back online, every half minute while the page is open (a connection can come back
//! without the browser noticing: a hotel's sign-in page let go, the server restarted),
//! and as soon as the form is opened again after the tab was closed. Every retry sends
//! the very body of the first submit (`TicketDraft::body`): the server files a key once
//! and refuses it with another body, and the tab's self-service session or the page's
//! language may have changed since. A ticket filed opens its tracking page; a refusal
//! ends the wait and is shown at its field and in the summary.

use std::time::Duration;

use crate::router::use_navigate;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::{Impact, NewTicket, TicketCategory, Urgency, check_new_ticket};

use super::{problem, remember_filed};
use crate::api::{self, ApiError, TicketFiled};
use crate::components::form::{ErrorSummary, Problem, Problems};
use crate::components::language::current_language;
use crate::i18n::{Locale, use_i18n};
use crate::requester_storage::{self as stored, TicketDraft};

type I18n = leptos_i18n::I18nContext<Locale>;

/// How often a waiting ticket is tried again while the page is open.
const RETRY_EVERY: Duration = Duration::from_secs(30);

#[derive(Clone, Copy)]
pub(super) struct Sending {
    /// The idempotency key and the body (`api::ticket_body`).
    pub action: Action<(String, String), Result<TicketFiled, ApiError>>,
    /// The server's refusal of the last submit.
    refusal: RwSignal<Option<ApiError>>,
    draft: RwSignal<TicketDraft>,
    problems: Problems,
    category: Memo<Option<TicketCategory>>,
    i18n: I18n,
    /// A submit has just put the ticket in the outbox: the waiting note takes the
    /// focus then, so it is announced, but not when the page opens with one there.
    queued_now: RwSignal<bool>,
}

impl Sending {
    pub fn new(
        draft: RwSignal<TicketDraft>,
        problems: Problems,
        category: Memo<Option<TicketCategory>>,
    ) -> Self {
        let i18n = use_i18n();
        let navigate = use_navigate();
        let refusal = RwSignal::new(None::<ApiError>);
        let action = Action::new_local(move |(key, body): &(String, String)| {
            let key = key.clone();
            let body = body.clone();
            async move { api::file_ticket(&key, &body).await }
        });
        let sending = Self {
            action,
            refusal,
            draft,
            problems,
            category,
            i18n,
            queued_now: RwSignal::new(false),
        };
        Effect::new(move |_| match action.value().get() {
            Some(Ok(created)) => {
                remember_filed(&draft.get_untracked(), &created);
                navigate(
                    &format!("/tickets/{}?filed=1", created.number),
                    Default::default(),
                );
            }
            Some(Err(error)) if worth_waiting(&error) && !draft.with_untracked(|d| d.waiting) => {
                draft.update(|d| d.waiting = true);
                sending.queued_now.set(true);
            }
            // Tried again and still not through: it goes on waiting.
            Some(Err(error)) if worth_waiting(&error) => {}
            Some(Err(error)) => {
                draft.update(|d| {
                    d.waiting = false;
                    d.body = None;
                });
                if let Some(field) = error.field() {
                    let found = problem(i18n, field, category.get_untracked().as_ref());
                    problems.show(found.into_iter().collect());
                }
                refusal.set(Some(error));
            }
            None => {}
        });

        let online = window_event_listener(leptos::ev::online, move |_| sending.send_waiting());
        let retry = set_interval_with_handle(move || sending.send_waiting(), RETRY_EVERY).ok();
        on_cleanup(move || {
            online.remove();
            if let Some(retry) = retry {
                retry.clear();
            }
        });
        // Opened again with a ticket waiting: it goes now.
        sending.send_waiting();
        sending
    }

    fn waiting(self) -> bool {
        self.draft.with(|d| d.waiting)
    }

    /// The ticket in the outbox, sent again as it was first sent, under its key.
    fn send_waiting(self) {
        let Some(draft) = self.draft.try_get_untracked() else {
            return;
        };
        if !draft.waiting || self.action.pending().get_untracked() {
            return;
        }
        if let (Some(key), Some(body)) = (draft.idempotency_key, draft.body) {
            self.action.dispatch((key, body));
        }
    }

    /// The form's submit: checks what it can here, then sends.
    pub fn submit(self, ev: SubmitEvent) {
        ev.prevent_default();
        if self.draft.with_untracked(|d| d.waiting) {
            self.send_waiting();
            return;
        }
        let Self {
            action,
            refusal,
            draft,
            problems,
            category,
            i18n,
            ..
        } = self;
        refusal.set(None);
        let d = draft.get_untracked();
        let category = category.get_untracked();
        let problem = |field: &str| problem(i18n, field, category.as_ref());
        let ticket = ticket_of(&d, current_language(i18n));
        let mut found: Vec<Problem> = check_new_ticket(&ticket, category.as_ref())
            .into_iter()
            .filter_map(|e| problem(&e.field))
            .collect();
        // Impact and urgency have no default the user did not choose.
        if d.impact.is_none() {
            found.extend(problem("impact"));
        }
        if d.urgency.is_none() {
            found.extend(problem("urgency"));
        }
        if !problems.show(found) {
            return;
        }
        // One key per submission, kept with the draft: a retry after a lost answer
        // sends the same key, and the server returns the ticket already filed.
        let key = d
            .idempotency_key
            .unwrap_or_else(stored::new_idempotency_key);
        let Some(body) = api::ticket_body(&ticket) else {
            return;
        };
        draft.update(|d| {
            d.idempotency_key = Some(key.clone());
            d.body = Some(body.clone());
        });
        action.dispatch((key, body));
    }
}

/// No answer, or one saying to come back later (a timeout, too many requests, a
/// gateway or server that is not up): the ticket waits and goes again.
fn worth_waiting(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Network
            | ApiError::Server {
                status: 408 | 429 | 502 | 503 | 504,
                ..
            }
    )
}

/// The ticket the draft describes. Impact and urgency stand in with their mildest
/// values only for the shared rules' check: `submit` refuses a draft without them.
fn ticket_of(d: &TicketDraft, language: Language) -> NewTicket {
    NewTicket {
        name: d.name.trim().to_owned(),
        email: d.email.trim().to_owned(),
        category: d.category.clone(),
        subject: d.subject.trim().to_owned(),
        description: d.description.trim().to_owned(),
        impact: d.impact.unwrap_or(Impact::Me),
        urgency: d.urgency.unwrap_or(Urgency::Slowed),
        fields: d.fields.clone(),
        transcript: d.transcript.clone(),
        attachments: d.attachments.iter().map(|a| a.id.clone()).collect(),
        language,
        self_service_session: Some(stored::self_service_session()),
    }
}

/// The summary of a form the server refused.
#[component]
pub(super) fn SendFailure(sending: Sending) -> impl IntoView {
    view! { <ErrorSummary problems=sending.problems failure=sending.refusal /> }
}

/// While the ticket is in the outbox: that it is kept and will go by itself, and a
/// button to try at once.
#[component]
pub(super) fn WaitingNote(sending: Sending) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if sending.queued_now.get()
            && let Some(el) = node.get()
        {
            let _ = el.focus();
            sending.queued_now.set(false);
        }
    });
    view! {
        <Show when=move || sending.waiting()>
            <div class="panel panel-info waiting-note" role="status" tabindex="-1" node_ref=node>
                <h2>{say!(i18n, ticket_waiting_title)}</h2>
                <p>{say!(i18n, ticket_waiting_kept)}</p>
                <button
                    type="button"
                    class="button"
                    disabled=move || sending.action.pending().get()
                    on:click=move |_| sending.send_waiting()
                >
                    {say!(i18n, ticket_send_now)}
                </button>
            </div>
        </Show>
    }
}
