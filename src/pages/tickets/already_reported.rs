//! "Already reported?": while the ticket is written, known incidents of its category
//! and the number of open reports with a very similar subject are shown (never their
//! subjects or numbers: those belong to other people), and the requester can say
//! "this affects me too" instead of filing the same problem again.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::incidents::MeToo;

use crate::api::{self, MeTooTarget};
use crate::components::dates::date_time;
use crate::components::debounced::debounced_request;
use crate::components::language::current_language;
use crate::components::status::ErrorText;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

#[component]
pub fn AlreadyReportedPanel(
    category: Signal<String>,
    subject: Signal<String>,
    /// The name and email typed in the form, used for "me too".
    who: Signal<MeToo>,
    /// Called once "me too" is recorded: the draft is no longer needed.
    on_joined: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let joined = RwSignal::new(false);
    let missing_contact = RwSignal::new(false);
    let found = debounced_request(
        move || {
            let category = category.get();
            (!category.is_empty()).then(|| (category, subject.get()))
        },
        std::time::Duration::from_millis(400),
        move |(category, subject): (String, String), signal| {
            let lang = current_language(i18n);
            async move {
                api::already_reported(&category, &subject, lang, &signal)
                    .await
                    .ok()
            }
        },
    );

    let join = Action::new_local(move |target: &MeTooTarget| {
        let target = target.clone();
        let who = who.get_untracked();
        async move { api::me_too(&target, &who).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = join.value().get() {
            joined.set(true);
        }
    });
    let me_too = move |target: MeTooTarget| {
        let who = who.get_untracked();
        let ok = !who.name.trim().is_empty()
            && selfdesk_shared::email::EmailAddress::check(&who.email).is_ok();
        missing_contact.set(!ok);
        if ok {
            join.dispatch(target);
        }
    };

    move || {
        let lang = current_language(i18n);
        if joined.get() {
            return Some(
                view! {
                    <section class="panel panel-success already-reported" role="status">
                        <h2>{say!(i18n, me_too_done_title)}</h2>
                        <p>{say!(i18n, me_too_done_text)}</p>
                        <button type="button" class="button" on:click=move |_| on_joined.run(())>
                            {say!(i18n, me_too_discard)}
                        </button>
                    </section>
                }
                .into_any(),
            );
        }
        let found = found
            .get()
            .filter(|f| !f.incidents.is_empty() || f.similar_open > 0)?;
        let similar = MeTooTarget::Similar {
            category: category.get_untracked(),
            subject: subject.get_untracked(),
            lang,
        };
        Some(view! {
            <section class="panel panel-info already-reported" aria-labelledby="already-title">
                <h2 id="already-title">{say!(i18n, already_title)}</h2>
                <p>{say!(i18n, already_lead)}</p>
                <Show when=move || missing_contact.get()>
                    <p class="error-message" role="alert">
                        {say!(i18n, me_too_need_contact)}
                    </p>
                </Show>
                {move || {
                    join.value()
                        .get()
                        .and_then(Result::err)
                        .map(|error| {
                            view! {
                                <p class="error-message" role="alert">
                                    <ErrorText error />
                                </p>
                            }
                        })
                }}
                <ul class="already-list">
                    {found
                        .incidents
                        .into_iter()
                        .map(|incident| {
                            let id = incident.id;
                            view! {
                                <li>
                                    <p>
                                        <strong>{incident.title}</strong>
                                    </p>
                                    {(!incident.description.is_empty())
                                        .then(|| view! { <p>{incident.description}</p> })}
                                    <p class="hint">
                                        {fill(
                                            t_string!(i18n, incident_since),
                                            date_time(incident.since, lang),
                                        )}
                                    </p>
                                    <button
                                        type="button"
                                        class="button"
                                        disabled=move || join.pending().get()
                                        on:click=move |_| me_too(MeTooTarget::Incident(id))
                                    >
                                        {say!(i18n, me_too)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                    {(found.similar_open > 0)
                        .then(|| {
                            let count = found.similar_open.to_string();
                            view! {
                                <li>
                                    <p>
                                        <strong>
                                            {move || fill(t_string!(i18n, similar_open_count), &count)}
                                        </strong>
                                    </p>
                                    <p class="hint">{say!(i18n, similar_open_hint)}</p>
                                    <button
                                        type="button"
                                        class="button"
                                        disabled=move || join.pending().get()
                                        on:click=move |_| me_too(similar.clone())
                                    >
                                        {say!(i18n, me_too)}
                                    </button>
                                </li>
                            }
                        })}
                </ul>
            </section>
        }.into_any())
    }
}
