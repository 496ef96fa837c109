use leptos::prelude::*;

use crate::components::layout::{NotOpenYet, PageHeader};
use crate::i18n::{t, use_i18n};

#[component]
pub fn NewTicket() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=t!(i18n, new_ticket_title).into_any() lead=t!(i18n, new_ticket_lead).into_any() />
        <NotOpenYet />
    }
}
