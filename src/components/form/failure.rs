//! A small form's failed request, on one line.

use leptos::prelude::*;

use super::reason_text;
use crate::api::ApiError;
use crate::components::status::ErrorText;
use crate::i18n::use_i18n;

/// What a failed request says: the reason a field was refused, in the reader's
/// language, or the failure's own sentence.
#[component]
pub fn FailureText(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    match error.reason() {
        Some(reason) => reason_text(i18n, &reason).into_any(),
        None => view! { <ErrorText error /> }.into_any(),
    }
}

/// A failed request on one line, unless the form shows it under a field: for forms of
/// one or two fields, where an [`ErrorSummary`](super::ErrorSummary) would only repeat
/// the message. `placed` names the fields the form's [`Field`](super::Field)s show
/// refusals for; without it, every refusal that names a field is taken as shown.
#[component]
pub fn RequestFailure(
    #[prop(into)] failure: Signal<Option<ApiError>>,
    #[prop(optional)] placed: Option<&'static [&'static str]>,
) -> impl IntoView {
    move || {
        failure
            .get()
            .filter(|error| match (error.field(), placed) {
                (None, _) => true,
                (Some(field), Some(placed)) => !placed.contains(&field),
                (Some(_), None) => false,
            })
            .map(|error| {
                view! {
                    <p class="error-message" role="alert">
                        <FailureText error />
                    </p>
                }
            })
    }
}
