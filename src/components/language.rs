//! The language menu, and the bridge between the catalogs' `Locale` and the shared
//! `Language` the API speaks.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::language::Language;

use crate::i18n::{Locale, use_i18n};
use crate::web_storage::keys;

pub fn to_locale(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::Ru => Locale::ru,
        Language::Fr => Locale::fr,
        Language::Nb => Locale::nb,
    }
}

pub fn from_locale(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::ru => Language::Ru,
        Locale::fr => Language::Fr,
        Locale::nb => Language::Nb,
    }
}

/// The browser's preferred languages (BCP 47 tags, best first) to one of ours: what
/// the generated `Locale::find_locale` calls (see `build.rs`).
pub fn find_locale<T: AsRef<[u8]>>(accepted: &[T]) -> Locale {
    let tags = accepted
        .iter()
        .filter_map(|tag| std::str::from_utf8(tag.as_ref()).ok());
    to_locale(Language::negotiate(tags))
}

/// The language the user reads the portal in now (not tracked: for requests).
pub fn current_language(i18n: leptos_i18n::I18nContext<Locale>) -> Language {
    from_locale(i18n.get_locale_untracked())
}

/// The same, tracked: a `Fetch` that reads it asks again in the new language.
pub fn reading_language(i18n: leptos_i18n::I18nContext<Locale>) -> Language {
    from_locale(i18n.get_locale())
}

/// The language to start in: the user's earlier choice, else the first of the
/// browser's languages we speak (`no` and `nn` count as Bokmål), else English.
fn initial_language() -> Language {
    if let Some(language) = keys::language().load() {
        return language;
    }
    let tags: Vec<String> = window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Language::negotiate(tags.iter().map(String::as_str))
}

/// Starts the app in the remembered or negotiated language. The i18n provider applies
/// its own guess in an effect after the first render; this effect is created after it,
/// so it runs after it and wins. Only explicit choices are stored (see
/// `LanguageSwitcher`), so a browser's language change still applies to users who
/// never chose. Kept in `localStorage`, not a cookie: only the browser needs it, and it
/// keeps cookie-parsing code out of the bundle.
#[component]
pub fn LanguagePreference() -> impl IntoView {
    let i18n = use_i18n();
    let initial = to_locale(initial_language());
    Effect::new(move |_| i18n.set_locale(initial));
}

/// A labelled `<select>`: works with the keyboard and screen readers as it is. Each
/// option names its language in that language, with a matching `lang` attribute.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        if let Some(language) = Language::from_tag(&event_target_value(&ev)) {
            i18n.set_locale(to_locale(language));
            keys::language().save(&language);
        }
    };
    view! {
        <div class="language">
            <label for="language-select">{say!(i18n, language_label)}</label>
            <select
                id="language-select"
                on:change=on_change
                prop:value=move || from_locale(i18n.get_locale()).code()
            >
                {Language::ALL
                    .into_iter()
                    .map(|language| {
                        view! {
                            <option value=language.code() lang=language.code()>
                                {language.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
