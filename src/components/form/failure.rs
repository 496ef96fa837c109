//! A small form's failed request, on one line.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::status::ErrorText;

/// The sentence for a failed request that concerns no field (a refused field is shown
/// by its [`Field`](super::Field)); nothing otherwise. For forms of one or two fields,
/// where an [`ErrorSummary`](super::ErrorSummary) would only repeat the message.
#[component]
pub fn RequestFailure(#[prop(into)] failure: Signal<Option<ApiError>>) -> impl IntoView {
    move || {
        failure
            .get()
            .filter(|error| error.field().is_none())
            .map(|error| view! { <p class="error-message" role="alert"><ErrorText error /></p> })
    }
}
