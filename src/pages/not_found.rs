use crate::router::A;
use leptos::prelude::*;

use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::i18n::{t, t_string, use_i18n};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, not_found_title).to_owned());
    view! {
        <div class="not-found">
            <p class="big-code" aria-hidden="true">
                "404"
            </p>
            <PageHeader
                title=t!(i18n, not_found_title).into_any()
                lead=t!(i18n, not_found_text).into_any()
            />
            <A href="/" attr:class="button">
                {t!(i18n, go_home)}
            </A>
        </div>
    }
}
