use leptos::prelude::*;

use crate::components::layout::{NotOpenYet, PageHeader};
use crate::i18n::{t, use_i18n};

#[component]
pub fn Diagnose() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=t!(i18n, diagnose_title).into_any() lead=t!(i18n, diagnose_lead).into_any() />
        <NotOpenYet />
    }
}
