//! How every request shows its state: a loading line, or an error with a retry.

use leptos::prelude::*;
use selfdesk_shared::error::ErrorCode;

use crate::api::ApiError;
use crate::i18n::{t, t_string, use_i18n};
use crate::text::fill;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {t!(i18n, loading)}
        </p>
    }
}

/// The user-facing sentence for a failed request, in the current language.
#[component]
pub fn ErrorText(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    match error.code() {
        Some(ErrorCode::InvalidCredentials) => t!(i18n, err_invalid_credentials).into_any(),
        Some(ErrorCode::RateLimited) => {
            let minutes = error.retry_after_minutes();
            (move || fill(t_string!(i18n, err_rate_limited), minutes)).into_any()
        }
        Some(ErrorCode::Forbidden) => t!(i18n, err_forbidden).into_any(),
        None if error == ApiError::Network => t!(i18n, err_network).into_any(),
        _ => t!(i18n, err_server).into_any(),
    }
}

/// A failed request: what happened, and a button that tries again. Never a blank page.
#[component]
pub fn ErrorPanel(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel panel-error" role="alert">
            <h2>{t!(i18n, error_title)}</h2>
            <p>
                <ErrorText error />
            </p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {t!(i18n, retry)}
            </button>
        </div>
    }
}
