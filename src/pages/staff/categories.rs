//! Ticket categories, edited by admins: the name in each language and the extra
//! fields the form asks for (key, required or not, label and hint per language).
//! Each category saves on its own; a refusal names the place (`fields.1.key`).

use leptos::prelude::*;
use selfdesk_shared::categories::{CategoryDefinition, FieldDefinition, check};
use selfdesk_shared::language::Language;

use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{ErrorPanel, ErrorText, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn StaffCategories() -> impl IntoView {
    view! {
        <StaffOnly next="/staff/categories">
            <Categories />
        </StaffOnly>
    }
}

#[component]
fn Categories() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::category_definitions);
    let new_slug = RwSignal::new(String::new());
    let added = RwSignal::new(Vec::<CategoryDefinition>::new());
    view! {
        <header class="page-header">
            <h1>{t!(i18n, categories_title)}</h1>
            <p class="lead">{t!(i18n, categories_lead)}</p>
        </header>
        {move || match list.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) => view! { <ErrorPanel error on_retry=move || list.refetch() /> }.into_any(),
            Some(Ok(found)) => {
                let next_position = found.categories.iter().map(|c| c.position).max().unwrap_or(0) + 1;
                view! {
                    {found.categories.into_iter().map(|def| view! { <CategoryEditor def open=false /> }).collect_view()}
                    {move || added.get().into_iter().map(|def| view! { <CategoryEditor def open=true /> }).collect_view()}
                    <form class="form panel" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let slug = new_slug.get_untracked().trim().to_owned();
                        if slug.is_empty() { return; }
                        added.update(|a| a.push(CategoryDefinition { slug, position: next_position + a.len() as i64, ..CategoryDefinition::default() }));
                        new_slug.set(String::new());
                    }>
                        <div class="field">
                            <label for="new-category">{t!(i18n, categories_new)}</label>
                            <p class="hint" id="new-category-hint">{t!(i18n, categories_new_hint)}</p>
                            <input id="new-category" type="text" maxlength="40" spellcheck="false" aria-describedby="new-category-hint"
                                prop:value=new_slug on:input=move |ev| new_slug.set(event_target_value(&ev)) />
                        </div>
                        <button type="submit" class="button">{t!(i18n, categories_add)}</button>
                    </form>
                }.into_any()
            }
        }}
    }
}

/// A text per language, as labelled inputs.
#[component]
fn PerLanguage(
    id: String,
    #[prop(into)] legend: String,
    get: Signal<std::collections::BTreeMap<String, String>>,
    set: Callback<(String, String)>,
    disabled: bool,
) -> impl IntoView {
    view! {
        <fieldset class="per-language">
            <legend>{legend}</legend>
            {Language::ALL.into_iter().map(|lang| {
                let code = lang.code();
                let input_id = format!("{id}-{code}");
                view! {
                    <div class="field">
                        <label for=input_id.clone()>{lang.native_name()}</label>
                        <input id=input_id type="text" maxlength="200" disabled=disabled
                            prop:value=move || get.with(|t| t.get(code).cloned().unwrap_or_default())
                            on:input=move |ev| set.run((code.to_owned(), event_target_value(&ev))) />
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn CategoryEditor(def: CategoryDefinition, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let admin = session
        .member
        .get_untracked()
        .is_some_and(|m| m.role.is_admin());
    let slug = def.slug.clone();
    let state = RwSignal::new(def);
    let problems = RwSignal::new(Vec::<String>::new());
    let save = Action::new_local(move |def: &CategoryDefinition| {
        let def = def.clone();
        async move { api::save_category(&def).await }
    });
    let set_text = move |edit: fn(&mut CategoryDefinition, String, String)| {
        Callback::new(move |(code, text): (String, String)| state.update(|d| edit(d, code, text)))
    };
    let title = move || {
        state
            .with(|d| {
                d.names
                    .get(&current_code(i18n))
                    .or_else(|| d.names.get("en"))
                    .cloned()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| state.with(|d| d.slug.clone()))
    };
    let field_count = move || state.with(|d| d.fields.len());
    view! {
        <details class="panel category-editor" open=open>
            <summary><strong>{title}</strong>" "<span class="hint">{slug.clone()}</span></summary>
            <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let def = state.get_untracked();
                let found: Vec<String> = check(&def).into_iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
                let ok = found.is_empty();
                problems.set(found);
                if ok { save.dispatch(def); }
            }>
                <PerLanguage id=format!("{slug}-name") legend=t_string!(i18n, categories_name).to_string()
                    get=Signal::derive(move || state.with(|d| d.names.clone()))
                    set=set_text(|d, code, text| { d.names.insert(code, text); }) disabled=!admin />
                <h3>{t!(i18n, categories_fields)}</h3>
                {move || (0..field_count()).map(|i| {
                    let key_id = format!("{slug}-field-{i}-key");
                    let req_id = format!("{slug}-field-{i}-required");
                    view! {
                        <fieldset class="fieldset category-field">
                            <legend>{move || fill(t_string!(i18n, categories_field_n), i + 1)}</legend>
                            <div class="field">
                                <label for=key_id.clone()>{t!(i18n, categories_key)}</label>
                                <input id=key_id type="text" maxlength="40" spellcheck="false" disabled=!admin
                                    prop:value=move || state.with(|d| d.fields.get(i).map(|f| f.key.clone()).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); state.update(|d| if let Some(f) = d.fields.get_mut(i) { f.key = v; }); } />
                            </div>
                            <div class="option">
                                <input type="checkbox" id=req_id.clone() disabled=!admin
                                    prop:checked=move || state.with(|d| d.fields.get(i).is_some_and(|f| f.required))
                                    on:change=move |_| state.update(|d| if let Some(f) = d.fields.get_mut(i) { f.required = !f.required; }) />
                                <label for=req_id>{t!(i18n, categories_required)}</label>
                            </div>
                            <PerLanguage id=format!("{slug}-field-{i}-label") legend=t_string!(i18n, categories_label).to_string()
                                get=Signal::derive(move || state.with(|d| d.fields.get(i).map(|f| f.labels.clone()).unwrap_or_default()))
                                set=Callback::new(move |(code, text): (String, String)| state.update(|d| if let Some(f) = d.fields.get_mut(i) { f.labels.insert(code, text); }))
                                disabled=!admin />
                            <PerLanguage id=format!("{slug}-field-{i}-hint") legend=t_string!(i18n, categories_hint).to_string()
                                get=Signal::derive(move || state.with(|d| d.fields.get(i).map(|f| f.hints.clone()).unwrap_or_default()))
                                set=Callback::new(move |(code, text): (String, String)| state.update(|d| if let Some(f) = d.fields.get_mut(i) { f.hints.insert(code, text); }))
                                disabled=!admin />
                            {admin.then(|| view! {
                                <button type="button" class="button button-quiet button-small"
                                    on:click=move |_| state.update(|d| { if i < d.fields.len() { d.fields.remove(i); } })>{t!(i18n, categories_remove_field)}</button>
                            })}
                        </fieldset>
                    }
                }).collect_view()}
                {move || (!problems.get().is_empty()).then(|| view! {
                    <ul class="error-text" role="alert">{problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })}
                {move || match save.value().get() {
                    Some(Ok(_)) => Some(view! { <p class="panel panel-success" role="status">{t!(i18n, categories_saved)}</p> }.into_any()),
                    Some(Err(error)) => Some(view! { <p class="error-text" role="alert"><ErrorText error /></p> }.into_any()),
                    None => None,
                }}
                {admin.then(|| view! {
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| state.update(|d| d.fields.push(FieldDefinition::default()))>{t!(i18n, categories_add_field)}</button>
                        <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{t!(i18n, categories_save)}</button>
                    </div>
                })}
            </form>
        </details>
    }
}

fn current_code(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>) -> String {
    crate::components::language::current_language(i18n)
        .code()
        .to_owned()
}
