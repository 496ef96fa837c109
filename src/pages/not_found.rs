use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::layout::PageHeader;
use crate::i18n::{t, use_i18n};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="not-found">
            <p class="big-code" aria-hidden="true">"404"</p>
            <PageHeader title=t!(i18n, not_found_title).into_any() lead=t!(i18n, not_found_text).into_any() />
            <A href="/" attr:class="button">{t!(i18n, go_home)}</A>
        </div>
    }
}
