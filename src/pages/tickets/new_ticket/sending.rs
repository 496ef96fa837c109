//! Sending the form: the shared rules first, then the ticket with an idempotency key
//! kept in the draft, so a retry after a lost answer files it once. A ticket filed
//! opens its tracking page; a refusal is shown at its field and in the summary.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use selfdesk_shared::tickets::{Impact, NewTicket, TicketCategory, Urgency, check_new_ticket};

use super::{problem, remember_filed};
use crate::api::{self, ApiError, TicketFiled};
use crate::components::form::{ErrorSummary, Problem, Problems};
use crate::components::language::current_language;
use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::requester_storage::{self as stored, TicketDraft};

type I18n = leptos_i18n::I18nContext<Locale>;

/// Why the last submit did not file the ticket.
#[derive(Clone, PartialEq)]
enum Failure {
    /// No answer: the ticket is kept here and may be sent again safely.
    Network,
    Server(ApiError),
}

#[derive(Clone, Copy)]
pub(super) struct Sending {
    pub action: Action<(String, NewTicket), Result<TicketFiled, ApiError>>,
    failure: RwSignal<Option<Failure>>,
    draft: RwSignal<TicketDraft>,
    problems: Problems,
    category: Memo<Option<TicketCategory>>,
    i18n: I18n,
}

impl Sending {
    pub fn new(
        draft: RwSignal<TicketDraft>,
        problems: Problems,
        category: Memo<Option<TicketCategory>>,
    ) -> Self {
        let i18n = use_i18n();
        let navigate = use_navigate();
        let failure = RwSignal::new(None::<Failure>);
        let action = Action::new_local(move |(key, ticket): &(String, NewTicket)| {
            let key = key.clone();
            let ticket = ticket.clone();
            async move { api::file_ticket(&key, &ticket).await }
        });
        Effect::new(move |_| match action.value().get() {
            Some(Ok(created)) => {
                remember_filed(&draft.get_untracked(), &created);
                navigate(
                    &format!("/tickets/{}?filed=1", created.number),
                    Default::default(),
                );
            }
            Some(Err(ApiError::Network)) => failure.set(Some(Failure::Network)),
            Some(Err(error)) => {
                if let Some(field) = error.field() {
                    let found = problem(i18n, field, category.get_untracked().as_ref());
                    problems.show(found.into_iter().collect());
                }
                failure.set(Some(Failure::Server(error)));
            }
            None => {}
        });
        Self {
            action,
            failure,
            draft,
            problems,
            category,
            i18n,
        }
    }

    fn not_sent(self) -> bool {
        self.failure.read().as_ref() == Some(&Failure::Network)
    }

    /// The form's submit: checks what it can here, then sends.
    pub fn submit(self, ev: SubmitEvent) {
        ev.prevent_default();
        let Self {
            action,
            failure,
            draft,
            problems,
            category,
            i18n,
        } = self;
        failure.set(None);
        let d = draft.get_untracked();
        let category = category.get_untracked();
        let problem = |field: &str| problem(i18n, field, category.as_ref());
        let ticket = NewTicket {
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
            language: current_language(i18n),
            self_service_session: Some(stored::self_service_session()),
        };
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
        let key = match d.idempotency_key {
            Some(key) => key,
            None => {
                let key = stored::new_idempotency_key();
                draft.update(|d| d.idempotency_key = Some(key.clone()));
                key
            }
        };
        action.dispatch((key, ticket));
    }
}

/// The summary of a refused form, or of a ticket not sent for want of an answer, which
/// may be sent again from here.
#[component]
pub(super) fn SendFailure(sending: Sending) -> impl IntoView {
    let i18n = use_i18n();
    let failure = Signal::derive(move || match sending.failure.get() {
        Some(Failure::Network) => Some(ApiError::Network),
        Some(Failure::Server(error)) => Some(error),
        None => None,
    });
    let not_sent = move || sending.not_sent();
    view! {
        <ErrorSummary
            problems=sending.problems
            failure
            title=move || {
                if not_sent() {
                    t_string!(i18n, ticket_not_sent_title)
                } else {
                    t_string!(i18n, error_summary_title)
                }
            }
        >
            <Show when=not_sent>
                <p>{t!(i18n, ticket_not_sent_kept)}</p>
                <button type="submit" form="ticket-form" class="button button-primary">
                    {t!(i18n, ticket_send_again)}
                </button>
            </Show>
        </ErrorSummary>
    }
}
