//! The line above the form that says what just happened: a draft restored from this
//! browser, a save, a publish, or why a request failed.

use leptos::prelude::*;

use crate::say::say;

use crate::api::ApiError;
use crate::components::article_fields::field_message;
use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::status::ErrorText;
use crate::i18n::{t, use_i18n};

#[derive(Clone)]
pub(super) enum Notice {
    None,
    /// Unsaved edits from this browser (kept at this time, in ms) replaced the server's text.
    Restored(f64),
    Saved(i64),
    Published(i64),
    StatusChanged,
    Failed(ApiError),
}

#[component]
pub(super) fn NoticePanel(
    notice: RwSignal<Notice>,
    /// Drops the restored draft for the server's text.
    on_discard: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match notice.get() {
        Notice::None => ().into_any(),
        Notice::Restored(saved_at) => view! {
            <div class="panel panel-info" role="status">
                <p>
                    {t!(
                        i18n, editor_restored_local, time = move || date_time((saved_at / 1000.0) as i64, current_language(i18n))
                    )}
                </p>
                <button
                    type="button"
                    class="button button-quiet"
                    on:click=move |_| on_discard.run(())
                >
                    {say!(i18n, editor_discard)}
                </button>
            </div>
        }.into_any(),
        Notice::Saved(n) => view! {
            <p class="panel panel-info" role="status">
                {t!(i18n, editor_saved, number = move || n)}
            </p>
        }.into_any(),
        Notice::Published(n) => view! {
            <p class="panel panel-info" role="status">
                {t!(i18n, editor_published, number = move || n)}
            </p>
        }.into_any(),
        Notice::StatusChanged => view! {
            <p class="panel panel-info" role="status">
                {say!(i18n, editor_status_changed)}
            </p>
        }.into_any(),
        Notice::Failed(error) => {
            let kept = error == ApiError::Network;
            view! {
                <div class="panel panel-error" role="alert">
                    <p>
                        <ErrorText error=error.clone() />
                    </p>
                    {kept.then(|| view! { <p>{say!(i18n, editor_kept_locally)}</p> })}
                    {error
                        .field()
                        .map(|f| {
                            view! {
                                <p>
                                    {field_message(
                                        i18n,
                                        f,
                                        matches!(error, ApiError::Server { status: 409, .. }),
                                    )}
                                </p>
                            }
                        })}
                </div>
            }.into_any()
        }
    }
    }
}
