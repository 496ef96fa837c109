//! Starting an article: its title, address (slug), category and first language. The
//! text is written next, in the editor. `?title=…&lang=…` start it with that title in
//! that language (a search that found nothing, see `search_gaps`); `?from=<ticket>`
//! from a resolved ticket.

use crate::router::{use_navigate, use_query_map};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb_authoring::{
    CreateArticleRequest, check_category, check_slug, check_title,
};
use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::TicketChange;

use crate::api;
use crate::components::article_fields::{category_options, refusals, server_problem};
use crate::components::form::{ErrorSummary, Field, Problems, SubmitButton, TextField, TextKind};
use crate::components::language::{current_language, reading_language};
use crate::components::page_title::page_title;
use crate::components::status::{ErrorText, Loading};
use crate::editing::suggest_slug;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

#[component]
pub fn NewArticle() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_kb_new).to_owned());
    let navigate = use_navigate();
    let query = use_query_map();
    let (given_title, given_lang) = query.with_untracked(|q| {
        let title: String = q
            .get("title")
            .unwrap_or_default()
            .trim()
            .chars()
            .take(200)
            .collect();
        (title, q.get("lang").as_deref().and_then(Language::from_tag))
    });
    let slug = RwSignal::new(suggest_slug(&given_title));
    let title = RwSignal::new(given_title);
    let slug_edited = RwSignal::new(false);
    let category = RwSignal::new(String::new());
    let lang = RwSignal::new(given_lang.unwrap_or_else(|| current_language(i18n)));
    let problems = Problems::new();
    let id_of = |field: &str| {
        ["title", "slug", "category"]
            .contains(&field)
            .then(|| format!("article-{field}"))
    };
    // The language is read (tracked) before the future, so a change of it asks again.
    let categories = Fetch::new(move || {
        let language = reading_language(i18n);
        async move { api::kb_categories(language).await }
    });
    // "Start a help article from this ticket": the ticket's subject, problem and
    // resolution become the draft's title, text and summary.
    let from_ticket = query.with_untracked(|q| q.get("from"));
    let prefill = RwSignal::new(None::<(String, String)>);
    if let Some(number) = from_ticket.clone() {
        leptos::task::spawn_local(async move {
            let Ok(ticket) = api::staff_ticket(&number).await else {
                return;
            };
            let resolution = ticket
                .events
                .iter()
                .rev()
                .find_map(|e| match &e.change {
                    TicketChange::Status {
                        summary: Some(s), ..
                    } => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            if title.get_untracked().is_empty() {
                slug.set(suggest_slug(&ticket.subject));
                title.set(ticket.subject.clone());
            }
            lang.set(ticket.language);
            let body = format!("{}\n\n{resolution}\n", ticket.description.trim());
            prefill.set(Some((resolution, body)));
        });
    }

    let create = Action::new_local(move |request: &CreateArticleRequest| {
        let request = request.clone();
        async move { api::create_article(&request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(article)) => navigate(
            &format!(
                "/staff/kb/{}?lang={}",
                article.slug,
                lang.get_untracked().code()
            ),
            Default::default(),
        ),
        Some(Err(error)) => {
            if let Some(found) = server_problem(i18n, &error, id_of) {
                problems.show(vec![found]);
            }
        }
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let found = refusals(
            i18n,
            [
                check_title(&title.get_untracked()).map(|_| ()),
                check_slug(&slug.get_untracked()),
                check_category(&category.get_untracked()),
            ],
            id_of,
        );
        if problems.show(found) {
            create.dispatch(CreateArticleRequest {
                slug: slug.get_untracked(),
                category: category.get_untracked(),
                lang: lang.get_untracked().code().to_owned(),
                title: title.get_untracked().trim().to_owned(),
                summary: prefill
                    .get_untracked()
                    .map(|(summary, _)| summary.chars().take(500).collect())
                    .unwrap_or_default(),
                body: prefill
                    .get_untracked()
                    .map(|(_, body)| body)
                    .unwrap_or_default(),
                tags: Vec::new(),
            });
        }
    };
    let failure = Signal::derive(move || create.value().get().and_then(Result::err));

    view! {
        <header class="page-header">
            <h1>{say!(i18n, staff_kb_new)}</h1>
            <p class="lead">{say!(i18n, new_article_lead)}</p>
        </header>
        {from_ticket
            .map(|number| {
                view! {
                    <p class="panel panel-info" role="note">
                        {fill(t_string!(i18n, kb_from_ticket_note), number)}
                    </p>
                }
            })}
        <ErrorSummary problems failure />
        <form class="form narrow" on:submit=on_submit novalidate>
            <TextField
                id="article-title"
                label=move || t_string!(i18n, field_title)
                error=problems.at("article-title")
                maxlength=200
                value=title
                on_input=move |value: String| {
                    if !slug_edited.get_untracked() {
                        slug.set(suggest_slug(&value));
                    }
                    title.set(value);
                }
            />
            <TextField
                id="article-slug"
                label=move || t_string!(i18n, field_slug)
                hint=move || t_string!(i18n, field_slug_hint)
                error=problems.at("article-slug")
                kind=TextKind::Code
                maxlength=80
                value=slug
                on_input=move |value: String| {
                    slug_edited.set(true);
                    slug.set(value);
                }
            />
            <Field
                id="article-category"
                label=move || t_string!(i18n, field_category)
                error=problems.at("article-category")
                let:c
            >
                {move || match categories.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Err(error)) => {
                        view! {
                            <p class="error-message">
                                <ErrorText error />
                            </p>
                        }
                            .into_any()
                    }
                    Some(Ok(tree)) => {
                        view! {
                            <select
                                id=c.id.clone()
                                aria-invalid=c.invalid()
                                aria-describedby=c.described_by()
                                on:change=move |ev| category.set(event_target_value(&ev))
                            >
                                <option value="">{say!(i18n, field_choose)}</option>
                                {category_options(&tree.categories)
                                    .into_iter()
                                    .map(|(slug, name)| {
                                        let selected = category.get_untracked() == slug;
                                        view! {
                                            <option value=slug selected=selected>
                                                {name}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        }
                            .into_any()
                    }
                }}
            </Field>
            <Field id="article-lang" label=move || t_string!(i18n, field_language) let:c>
                <select
                    id=c.id.clone()
                    on:change=move |ev| {
                        if let Some(l) = Language::from_tag(&event_target_value(&ev)) {
                            lang.set(l);
                        }
                    }
                >
                    {Language::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <option value=l.code() selected=move || lang.get() == l>
                                    {l.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <SubmitButton
                label=move || t_string!(i18n, new_article_create)
                busy_label=move || t_string!(i18n, saving)
                busy=create.pending()
            />
        </form>
    }
}
