//! The articles of one category, with its subcategories.

use crate::router::A;
use crate::router::use_params_map;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb::CategoryNode;

use crate::api;
use crate::components::kb_search::KbSearch;
use crate::components::kb_search::category_links;
use crate::components::language::reading_language;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::pages::not_found::NotFound;

/// The path from a root to the category `slug`, if it exists.
fn path_to<'a>(nodes: &'a [CategoryNode], slug: &str) -> Option<Vec<&'a CategoryNode>> {
    for node in nodes {
        if node.slug == slug {
            return Some(vec![node]);
        }
        if let Some(mut path) = path_to(&node.children, slug) {
            path.insert(0, node);
            return Some(path);
        }
    }
    None
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    page_title(move || t_string!(i18n, kb_title).to_owned());
    let data = Fetch::new(move || {
        let slug = slug();
        let lang = reading_language(i18n);
        async move {
            let tree = api::kb_categories(lang).await?;
            let articles = api::kb_articles(Some(&slug), lang).await?;
            Ok::<_, api::ApiError>((tree, articles))
        }
    });
    view! {
        <Loaded resource=data let:data>
            {
                let (tree, articles) = data;
                let slug = slug();
                let Some(mut path) = path_to(&tree.categories, &slug)
                    .map(|p| p.into_iter().cloned().collect::<Vec<_>>()) else {
                    return view! { <NotFound /> }.into_any();
                };
                let category = path.pop().expect("non-empty path");
                page_title({
                    let name = category.name.clone();
                    move || name.clone()
                });
                let crumbs = path
                    .into_iter()
                    .map(|c| {
                        let href = format!("/kb/category/{}", c.slug);
                        view! {
                            <li>
                                <A href=href>{c.name}</A>
                            </li>
                        }
                    })
                    .collect_view();
                let has_children = !category.children.is_empty();
                let children = has_children
                    .then(|| {
                        view! { <ul class="category-list">{category_links(category.children)}</ul> }
                    });
                let list = if articles.articles.is_empty() && !has_children {
                    view! { <p>{say!(i18n, category_empty)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="article-list">
                            {articles
                                .articles
                                .into_iter()
                                .map(|a| {
                                    let href = format!("/kb/{}", a.slug);
                                    view! {
                                        <li>
                                            <A href=href>{a.title}</A>
                                            <p>{a.summary}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                };
                view! {
                    <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs_label)>
                        <ol>
                            <li>
                                <A href="/kb">{say!(i18n, kb_title)}</A>
                            </li>
                            {crumbs}
                        </ol>
                    </nav>
                    <header class="page-header">
                        <h1>{category.name}</h1>
                    </header>
                    <KbSearch id="category-search" />
                    {children}
                    {list}
                }
                    .into_any()
            }
        </Loaded>
    }
}
