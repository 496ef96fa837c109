//! "Email notifications" on the staff home page: which emails the signed-in member gets
//! (the requester answered on my ticket, a ticket arrived in my tier's pool, my ticket
//! is about to miss its service level) and in which language.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::auth::NotificationSettings;
use selfdesk_shared::language::Language;

use crate::api;
use crate::components::form::{RequestFailure, SubmitButton};
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};

#[component]
pub fn EmailSettings() -> impl IntoView {
    let i18n = use_i18n();
    let settings = Fetch::new(api::my_notifications);
    view! {
        <section class="section" aria-labelledby="email-settings-title">
            <h2 id="email-settings-title">{say!(i18n, email_settings_title)}</h2>
            <p class="hint">{say!(i18n, email_settings_lead)}</p>
            <Loaded resource=settings let:saved>
                <SettingsForm saved />
            </Loaded>
        </section>
    }
}

#[component]
fn SettingsForm(saved: NotificationSettings) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(saved);
    let save = Action::new_local(|settings: &NotificationSettings| {
        let settings = *settings;
        async move { api::set_my_notifications(&settings).await }
    });
    let failed = Signal::derive(move || save.value().get().and_then(Result::err));
    let done = Signal::derive(move || matches!(save.value().get(), Some(Ok(_))));
    let toggle = move |id: &'static str,
                       label: fn(leptos_i18n::I18nContext<Locale>) -> &'static str,
                       get: fn(&NotificationSettings) -> bool,
                       set: fn(&mut NotificationSettings, bool)| {
        view! {
            <div class="option">
                <input
                    type="checkbox"
                    id=id
                    prop:checked=move || draft.with(get)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| set(d, on));
                    }
                />
                <label for=id>{move || label(i18n)}</label>
            </div>
        }
    };
    view! {
        <form
            class="form email-settings"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(draft.get_untracked());
            }
        >
            <RequestFailure failure=failed placed=&[] />
            <fieldset class="field option-group">
                <legend>{say!(i18n, email_settings_kinds)}</legend>
                {toggle(
                    "notify-replies",
                    |i18n| t_string!(i18n, email_settings_replies),
                    |d| d.requester_replies,
                    |d, on| d.requester_replies = on,
                )}
                {toggle(
                    "notify-pool",
                    |i18n| t_string!(i18n, email_settings_pool),
                    |d| d.tier_pool,
                    |d, on| d.tier_pool = on,
                )}
                {toggle(
                    "notify-sla",
                    |i18n| t_string!(i18n, email_settings_sla),
                    |d| d.sla_warnings,
                    |d, on| d.sla_warnings = on,
                )}
            </fieldset>
            <div class="field">
                <label for="notify-language">{say!(i18n, email_settings_language)}</label>
                <select
                    id="notify-language"
                    on:change=move |ev| {
                        let tag = event_target_value(&ev);
                        if let Some(language) = Language::from_tag(&tag) {
                            draft.update(|d| d.language = language);
                        }
                    }
                >
                    {Language::ALL
                        .into_iter()
                        .map(|language| {
                            view! {
                                <option
                                    value=language.code()
                                    lang=language.code()
                                    selected=move || draft.with(|d| d.language == language)
                                >
                                    {language.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <SubmitButton
                label=move || t_string!(i18n, email_settings_save).to_owned()
                busy_label=move || t_string!(i18n, saving).to_owned()
                busy=save.pending()
            />
            <p class="muted" role="status">
                {move || done.get().then(|| t_string!(i18n, email_settings_saved))}
            </p>
        </form>
    }
}
