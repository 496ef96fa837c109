use crate::router::A;
use leptos::prelude::*;

use crate::say::say;

use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::i18n::{t_string, use_i18n};

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
                title=say!(i18n, not_found_title).into_any()
                lead=say!(i18n, not_found_text).into_any()
            />
            <A href="/" attr:class="button">
                {say!(i18n, go_home)}
            </A>
        </div>
    }
}
