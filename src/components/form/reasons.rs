//! A refusal's reason in the reader's language, with its limits written as the
//! language writes numbers.

use selfdesk_shared::error::Reason;

use super::Problem;
use crate::api::ApiError;
use crate::components::language::current_language;
use crate::components::numbers::whole;
use crate::i18n::{Locale, t_string};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

/// Words for the reasons only staff forms are refused with, set by the staff apps'
/// frame (`app::StaffTools`): the requester apps never carry them in four languages.
type StaffWords = fn(I18n, &Reason) -> Option<String>;

thread_local! {
    static STAFF_WORDS: std::cell::Cell<Option<StaffWords>> = const { std::cell::Cell::new(None) };
}

/// Lets [`reason_text`] word the staff-only reasons (called once by a staff app).
pub fn word_staff_reasons(words: StaffWords) {
    STAFF_WORDS.with(|cell| cell.set(Some(words)));
}

/// The sentence for `reason`, e.g. «Не больше 200 символов.». The reasons requester
/// forms can be refused with are worded here; the others by the staff apps'
/// [`staff_reason_text`], or, in an app without it (where no form can receive them),
/// as a bad format.
pub fn reason_text(i18n: I18n, reason: &Reason) -> String {
    let language = current_language(i18n);
    let n = |value: u32| whole(i64::from(value), language);
    match reason {
        Reason::Required => t_string!(i18n, reason_required).to_owned(),
        Reason::TooLong { max } => fill(t_string!(i18n, reason_too_long), n(*max)),
        Reason::TooMany { max } => fill(t_string!(i18n, reason_too_many), n(*max)),
        Reason::OutOfRange { min, max } => fill(
            &fill(t_string!(i18n, reason_out_of_range), whole(*min, language)),
            whole(*max, language),
        ),
        Reason::NotEmail => t_string!(i18n, err_email_invalid).to_owned(),
        Reason::OneLine => t_string!(i18n, reason_one_line).to_owned(),
        Reason::Unknown => t_string!(i18n, reason_unknown).to_owned(),
        Reason::Expired => t_string!(i18n, reason_expired).to_owned(),
        Reason::NotAllowed => t_string!(i18n, reason_not_allowed).to_owned(),
        Reason::BadFormat => t_string!(i18n, reason_bad_format).to_owned(),
        other => STAFF_WORDS
            .with(std::cell::Cell::get)
            .and_then(|words| words(i18n, other))
            .unwrap_or_else(|| t_string!(i18n, reason_bad_format).to_owned()),
    }
}

/// The reasons only staff forms are refused with (articles, categories, service
/// levels, canned responses, synonyms, accounts, flows); `None` for the others.
pub fn staff_reason_text(i18n: I18n, reason: &Reason) -> Option<String> {
    let language = current_language(i18n);
    let n = |value: u32| whole(i64::from(value), language);
    Some(match reason {
        Reason::TooShort { min } => fill(t_string!(i18n, reason_too_short), n(*min)),
        Reason::TooSmall { min } => fill(t_string!(i18n, reason_too_small), whole(*min, language)),
        Reason::SlugFormat { min, max } => {
            fill(&fill(t_string!(i18n, reason_slug_format), n(*min)), n(*max))
        }
        Reason::KeyFormat { max } => fill(t_string!(i18n, reason_key_format), n(*max)),
        Reason::Duplicate => t_string!(i18n, reason_duplicate).to_owned(),
        Reason::Reserved => t_string!(i18n, reason_reserved).to_owned(),
        Reason::NotLanguage => t_string!(i18n, reason_not_language).to_owned(),
        Reason::EnglishRequired => t_string!(i18n, reason_english_required).to_owned(),
        Reason::UnknownPlaceholder { found } => {
            fill(t_string!(i18n, reason_unknown_placeholder), found)
        }
        _ => return None,
    })
}

/// The problem a refused request is about, at the control and with the label
/// `place(field)` gives (`None`: the form has no such control, and the summary says
/// the failure itself).
pub fn problem_for(
    i18n: I18n,
    error: &ApiError,
    place: impl Fn(&str) -> Option<(String, String)>,
) -> Option<Problem> {
    let (id, label) = place(error.field()?)?;
    let text = match error.reason() {
        Some(reason) => reason_text(i18n, &reason),
        None => t_string!(i18n, err_server).to_owned(),
    };
    Some(Problem::labelled(id, label, text))
}

/// The reason `failure` gives for `field`, said in the reader's language: the message
/// for that field's [`Field`](super::Field) in a form without a summary.
pub fn refusal(
    i18n: I18n,
    failure: leptos::prelude::Signal<Option<ApiError>>,
    field: &'static str,
) -> leptos::prelude::Signal<Option<String>> {
    refusal_worded(i18n, failure, field, |_, _| None)
}

/// [`refusal`], with a form's own words for some reasons (`words` answers `None` for
/// the rest): a sentence that says more than the general one, e.g. why an address is
/// not allowed.
pub fn refusal_worded(
    i18n: I18n,
    failure: leptos::prelude::Signal<Option<ApiError>>,
    field: &'static str,
    words: fn(I18n, &Reason) -> Option<String>,
) -> leptos::prelude::Signal<Option<String>> {
    use leptos::prelude::*;
    Signal::derive(move || {
        failure.with(|f| {
            let error = f.as_ref().filter(|e| e.field() == Some(field))?;
            Some(match error.reason() {
                Some(reason) => words(i18n, &reason).unwrap_or_else(|| reason_text(i18n, &reason)),
                None => t_string!(i18n, err_server).to_owned(),
            })
        })
    })
}
