//! How every request shows its state: a loading line, or an error with a retry.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::error::ErrorCode;

use crate::api::ApiError;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {say!(i18n, loading)}
        </p>
    }
}

/// The user-facing sentence for a failed request, in the current language.
#[component]
pub fn ErrorText(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    match error.code() {
        Some(ErrorCode::InvalidCredentials) => say!(i18n, err_invalid_credentials).into_any(),
        Some(ErrorCode::RateLimited) => {
            let minutes = error.retry_after_minutes();
            (move || fill(t_string!(i18n, err_rate_limited), minutes)).into_any()
        }
        Some(ErrorCode::Forbidden) => say!(i18n, err_forbidden).into_any(),
        Some(ErrorCode::StorageFull) => say!(i18n, err_storage_full).into_any(),
        None if error == ApiError::Network => say!(i18n, err_network).into_any(),
        _ => say!(i18n, err_server).into_any(),
    }
}

/// A failed request: what happened, and a button that tries again. Never a blank page.
#[component]
pub fn ErrorPanel(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel panel-error" role="alert">
            <h2>{say!(i18n, error_title)}</h2>
            <p>
                <ErrorText error />
            </p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {say!(i18n, retry)}
            </button>
        </div>
    }
}

/// A request's three states, written once: loading, failed (what happened and a
/// button that asks again), and its data, which `children` shows:
///
/// ```text
/// <Loaded resource=list let:list>
///     <ul>{list.items.into_iter().map(|i| view! { <li>{i.name}</li> }).collect_view()}</ul>
/// </Loaded>
/// ```
#[component]
pub fn Loaded<T, C, V>(resource: Fetch<Result<T, ApiError>>, children: C) -> impl IntoView
where
    T: Clone + 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let retry = Callback::new(move |()| resource.refetch());
    move || match resource.get() {
        None => loading_view(),
        Some(Err(error)) => failed_view(error, retry),
        Some(Ok(data)) => children(data).into_any(),
    }
}

// Not generic: one copy for every `Loaded` in an app.
fn loading_view() -> AnyView {
    view! { <Loading /> }.into_any()
}

fn failed_view(error: ApiError, retry: Callback<()>) -> AnyView {
    view! { <ErrorPanel error on_retry=retry /> }.into_any()
}

/// Puts a freshly read view on a page that re-reads on every live event. A failed
/// refresh keeps what is on screen (only a first load shows the error); an unchanged
/// view is not set again, since re-rendering would only make the page flicker; and a
/// page left meanwhile (disposed signal) is not touched.
pub fn show_refreshed<T>(shown: RwSignal<Option<Result<T, ApiError>>>, result: Result<T, ApiError>)
where
    T: PartialEq + Send + Sync + 'static,
{
    let unchanged = shown
        .try_with_untracked(|now| matches!((now, &result), (Some(Ok(a)), Ok(b)) if a == b))
        .unwrap_or(true);
    if unchanged {
        return;
    }
    if result.is_ok() || shown.try_with_untracked(Option::is_none).unwrap_or(false) {
        shown.try_set(Some(result));
    }
}

/// The error of `action`'s last run, as an alert above what it acts on; nothing while
/// it has not failed.
#[component]
pub fn ActionFailure<I, O>(action: Action<I, Result<O, ApiError>>) -> impl IntoView
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    move || {
        action.value().get().and_then(Result::err).map(|error| {
            view! {
                <p class="error-message" role="alert">
                    <ErrorText error />
                </p>
            }
        })
    }
}
