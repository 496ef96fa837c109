//! The knowledge base's front page: search, then every category.

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;

use crate::api;
use crate::components::kb_search::KbSearch;
use crate::components::kb_search::category_links;
use crate::components::language::reading_language;
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};

#[component]
pub fn KnowledgeBase() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, kb_title).to_owned());
    let tree = Fetch::new(move || {
        let lang = reading_language(i18n);
        async move { api::kb_categories(lang).await }
    });
    let categories = view! {
        <Loaded resource=tree let:tree>
            <ul class="category-grid" role="list">
                {tree
                    .categories
                    .into_iter()
                    .map(|top| {
                        let href = format!("/kb/category/{}", top.slug);
                        view! {
                            <li class="category-card">
                                <h2>
                                    <A href=href>{top.name}</A>
                                </h2>
                                <ul>{category_links(top.children)}</ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Loaded>
    };
    view! {
        <PageHeader title=say!(i18n, kb_title).into_any() lead=say!(i18n, kb_lead).into_any() />
        <KbSearch id="kb-search" />
        <h2 class="visually-hidden">{say!(i18n, kb_categories)}</h2>
        {categories}
    }
}
