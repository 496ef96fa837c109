//! One help article: its Markdown as the server rendered it, with a table of contents, breadcrumbs, the
//! date it last changed, "Did this help?" and related articles. When the reader's
//! language has no translation, the page says so and offers the languages it has.
//! Each article read is reported with the tab's self-service session.

use std::cell::RefCell;
use std::rc::Rc;

use crate::router::A;
use crate::router::{use_params_map, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb::Article;
use selfdesk_shared::language::Language;
use selfdesk_shared::self_service::{SelfServiceEvent, SelfServiceKind};

use crate::api;
use crate::components::dates::long_date;
use crate::components::language::from_locale;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::components::vote::DidThisHelp;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::pages::not_found::NotFound;
use crate::text::fill;

/// A table of contents helps from this many headings on.
const TOC_FROM: usize = 3;

#[component]
pub fn ArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    page_title(move || t_string!(i18n, kb_title).to_owned());
    // `?lang=` picks a translation other than the UI language (the fallback note links
    // there); otherwise articles follow the UI language.
    let language = move || {
        query
            .read()
            .get("lang")
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or_else(|| from_locale(i18n.get_locale()))
    };
    // The article last reported read: another translation of it, or the same answer
    // asked for again, is not another read.
    let reported = Rc::new(RefCell::new(String::new()));
    let article = Fetch::new(move || {
        let slug = params.read().get("slug").unwrap_or_default();
        let lang = language();
        let reported = Rc::clone(&reported);
        async move {
            let found = api::kb_article(&slug, lang).await;
            if let Ok(Some(article)) = &found {
                report_read(&reported, article.slug.as_str());
            }
            found
        }
    });
    view! {
        <Loaded resource=article let:found>
            {match found {
                None => view! { <NotFound /> }.into_any(),
                Some(article) => view! { <ArticleView article /> }.into_any(),
            }}
        </Loaded>
    }
}

/// Tells the self-service measurement that this tab's session read the article
/// (fire-and-forget, like every such report), once per article per visit of the page.
fn report_read(reported: &RefCell<String>, slug: &str) {
    if *reported.borrow() == slug {
        return;
    }
    reported.replace(slug.to_owned());
    api::report_self_service(&SelfServiceEvent {
        session: crate::requester_storage::self_service_session(),
        kind: SelfServiceKind::ArticleViewed,
        subject: slug.to_owned(),
    });
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    let i18n = use_i18n();
    page_title({
        let title = article.title.clone();
        move || title.clone()
    });
    let lang = article.lang;
    let fallback = (article.lang != article.requested).then(|| {
        let requested = article.requested.native_name();
        let others = article
            .available
            .iter()
            .filter(|&&l| l != article.lang)
            .map(|&l| {
                let href = format!("/kb/{}?lang={}", article.slug, l.code());
                view! {
                    <li>
                        <A href=href attr:lang=l.code() attr:hreflang=l.code()>
                            {l.native_name()}
                        </A>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let others = (!others.is_empty()).then(|| {
            view! {
                <p>{say!(i18n, article_other_languages)}</p>
                <ul class="inline-links">{others}</ul>
            }
        });
        view! {
            <div class="panel panel-info fallback-note" role="note">
                <p>{move || fill(t_string!(i18n, article_not_translated), requested)}</p>
                {others}
            </div>
        }
    });
    let updated = long_date(article.updated_at, from_locale(i18n.get_locale_untracked()));
    let related = (!article.related.is_empty()).then(|| {
        view! {
            <section class="related" aria-labelledby="related-title">
                <h2 id="related-title">{say!(i18n, article_related)}</h2>
                <ul class="article-list">
                    {article
                        .related
                        .into_iter()
                        .map(|r| {
                            let href = format!("/kb/{}", r.slug);
                            view! {
                                <li>
                                    <A href=href>{r.title}</A>
                                    <p>{r.summary}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let crumbs = article
        .breadcrumbs
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
    view! {
        <article class="article" lang=lang.code()>
            <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs_label)>
                <ol>
                    <li>
                        <A href="/kb">{say!(i18n, kb_title)}</A>
                    </li>
                    {crumbs}
                </ol>
            </nav>
            <header class="page-header">
                <h1>{article.title}</h1>
                <p class="lead">{article.summary}</p>
                <p class="meta">{move || fill(t_string!(i18n, article_updated), &updated)}</p>
            </header>
            {fallback}
            {(article.toc.len() >= TOC_FROM)
                .then(|| {
                    view! {
                        <nav class="toc" aria-labelledby="toc-title">
                            <h2 id="toc-title">{say!(i18n, article_toc)}</h2>
                            <ol>
                                {article
                                    .toc
                                    .iter()
                                    .filter(|e| e.level <= 3)
                                    .map(|e| {
                                        let href = format!("#{}", e.id);
                                        let class = format!("toc-level-{}", e.level);
                                        view! {
                                            <li class=class>
                                                <a href=href>{e.text.clone()}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        </nav>
                    }
                })}
            // Safe to inject: the server rendered it with the shared renderer, which turns
            // raw HTML into text and drops unsafe URLs (selfdesk_shared::markdown).
            <div class="prose" inner_html=article.html></div>
            <DidThisHelp slug=article.slug.to_string() language=lang />
            {related}
        </article>
    }
}
