//! Ticket categories, edited by admins: the name in each language and the extra
//! fields the form asks for (key, required or not, label and hint per language).
//! Each category saves on its own; a refusal names the place (`fields.1.key`).

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::categories::{CategoryDefinition, FieldDefinition, check, check_slug};
use selfdesk_shared::language::Language;

use crate::api;
use crate::components::form::{
    ErrorSummary, Field, Problem, Problems, SubmitButton, TextField, TextKind, problem_for,
    reason_text,
};
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn StaffCategories() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, categories_title).to_owned());
    let list = Fetch::new(api::category_definitions);
    let new_slug = RwSignal::new(String::new());
    let new_slug_error = RwSignal::new(None::<String>);
    let added = RwSignal::new(Vec::<CategoryDefinition>::new());
    view! {
        <header class="page-header">
            <h1>{say!(i18n, categories_title)}</h1>
            <p class="lead">{say!(i18n, categories_lead)}</p>
        </header>
        <Loaded resource=list let:found>
            {
                let next_position = found.categories.iter().map(|c| c.position).max().unwrap_or(0)
                    + 1;
                view! {
                    {found
                        .categories
                        .into_iter()
                        .map(|def| view! { <CategoryEditor def open=false /> })
                        .collect_view()}
                    {move || {
                        added
                            .get()
                            .into_iter()
                            .map(|def| view! { <CategoryEditor def open=true /> })
                            .collect_view()
                    }}
                    <form
                        class="form panel"
                        novalidate
                        on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let slug = new_slug.get_untracked().trim().to_owned();
                            let refused = check_slug(&slug)
                                .err()
                                .map(|p| reason_text(i18n, &p.reason));
                            let ok = refused.is_none();
                            new_slug_error.set(refused);
                            if !ok {
                                return;
                            }
                            added
                                .update(|a| {
                                    a.push(CategoryDefinition {
                                        slug,
                                        position: next_position + a.len() as i64,
                                        ..CategoryDefinition::default()
                                    })
                                });
                            new_slug.set(String::new());
                        }
                    >
                        <TextField
                            id="new-category"
                            label=move || t_string!(i18n, categories_new)
                            hint=move || t_string!(i18n, categories_new_hint)
                            error=new_slug_error
                            live=true
                            kind=TextKind::Code
                            maxlength=40
                            value=new_slug
                            on_input=move |v: String| new_slug.set(v)
                        />
                        <button type="submit" class="button">
                            {say!(i18n, categories_add)}
                        </button>
                    </form>
                }
            }
        </Loaded>
    }
}

/// A text per language, as labelled inputs; a refusal is shown under the legend and
/// the summary links to the English input (`{id}-en`).
#[component]
fn PerLanguage(
    id: String,
    #[prop(into)] legend: String,
    get: Signal<std::collections::BTreeMap<String, String>>,
    set: Callback<(String, String)>,
    disabled: bool,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <fieldset class="per-language" class:field-error=move || error.with(Option::is_some)>
            <legend>{legend}</legend>
            {
                let error_id = error_id.clone();
                move || {
                    error
                        .get()
                        .map(|m| {
                            view! {
                                <p class="error-message" id=error_id.clone()>
                                    {m}
                                </p>
                            }
                        })
                }
            }
            {Language::ALL
                .into_iter()
                .map(|lang| {
                    let code = lang.code();
                    let error_id = error_id.clone();
                    view! {
                        <Field id=format!("{id}-{code}") label=lang.native_name() let:c>
                            <input
                                id=c.id.clone()
                                type="text"
                                maxlength="200"
                                disabled=disabled
                                aria-invalid=move || {
                                    (code == "en" && error.with(Option::is_some)).to_string()
                                }
                                aria-describedby={
                                    let error_id = error_id.clone();
                                    move || {
                                        (code == "en" && error.with(Option::is_some))
                                            .then(|| error_id.clone())
                                    }
                                }
                                prop:value=move || {
                                    get.with(|t| t.get(code).cloned().unwrap_or_default())
                                }
                                on:input=move |ev| {
                                    set.run((code.to_owned(), event_target_value(&ev)))
                                }
                            />
                        </Field>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Where a refused `field` of category `slug` is shown: the control the summary links
/// to (a per-language text's English input: the set is refused as a whole and its
/// message is under the legend), and the label the summary puts before the reason.
/// `None`: the editor has no control for it (the address), and the summary says it.
fn place(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    slug: &str,
    field: &str,
) -> Option<(String, String)> {
    let mut parts = field.split('.');
    Some(match (parts.next(), parts.next(), parts.next()) {
        (Some("names"), None, None) => (
            format!("{slug}-name-en"),
            t_string!(i18n, categories_name).to_owned(),
        ),
        (Some("fields"), Some(i), Some(part)) => {
            let n: usize = i.parse().unwrap_or(0);
            let (control, what) = match part {
                "key" => ("key", t_string!(i18n, categories_key)),
                "labels" => ("label-en", t_string!(i18n, categories_label)),
                _ => ("hint-en", t_string!(i18n, categories_hint)),
            };
            let label = format!(
                "{} — {what}",
                fill(t_string!(i18n, categories_field_n), n + 1)
            );
            (format!("{slug}-field-{n}-{control}"), label)
        }
        (Some("fields"), None, None) => (
            format!("{slug}-add-field"),
            t_string!(i18n, categories_fields).to_owned(),
        ),
        _ => return None,
    })
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
    let problems = Problems::new();
    let save = Action::new_local(move |def: &CategoryDefinition| {
        let def = def.clone();
        async move { api::save_category(&def).await }
    });
    let failure = Signal::derive(move || save.value().get().and_then(Result::err));
    let place_of = {
        let slug = slug.clone();
        move |field: &str| place(i18n, &slug, field)
    };
    // A per-language text is refused as a whole: its message is under the legend.
    let text_error = move |id: String| problems.at(format!("{id}-en"));
    {
        let place_of = place_of.clone();
        Effect::new(move |_| {
            if let Some(Err(error)) = save.value().get()
                && let Some(problem) = problem_for(i18n, &error, &place_of)
            {
                problems.add(problem);
            }
        });
    }
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
    let add_field_id = format!("{slug}-add-field");
    view! {
        <details class="panel category-editor" open=open>
            <summary>
                <strong>{title}</strong>
                " "
                <span class="hint">{slug.clone()}</span>
            </summary>
            <form
                class="form"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let def = state.get_untracked();
                    let found = check(&def)
                        .into_iter()
                        .filter_map(|p| {
                            let (id, label) = place_of(&p.field)?;
                            Some(Problem::labelled(id, label, reason_text(i18n, &p.reason)))
                        })
                        .collect();
                    if problems.show(found) {
                        save.dispatch(def);
                    }
                }
            >
                <ErrorSummary problems failure />
                <PerLanguage
                    id=format!("{slug}-name")
                    legend=t_string!(i18n, categories_name).to_string()
                    get=Signal::derive(move || state.with(|d| d.names.clone()))
                    set=set_text(|d, code, text| {
                        d.names.insert(code, text);
                    })
                    disabled=!admin
                    error=text_error(format!("{slug}-name"))
                />
                <h3>{say!(i18n, categories_fields)}</h3>
                {move || {
                    (0..field_count())
                        .map(|i| {
                            let key_id = format!("{slug}-field-{i}-key");
                            let req_id = format!("{slug}-field-{i}-required");
                            view! {
                                <fieldset class="fieldset category-field">
                                    <legend>
                                        {move || fill(t_string!(i18n, categories_field_n), i + 1)}
                                    </legend>
                                    <Field
                                        id=key_id.clone()
                                        label=move || t_string!(i18n, categories_key)
                                        error=problems.at(key_id)
                                        let:c
                                    >
                                        <input
                                            id=c.id.clone()
                                            type="text"
                                            maxlength="40"
                                            spellcheck="false"
                                            disabled=!admin
                                            aria-invalid=c.invalid()
                                            aria-describedby=c.described_by()
                                            prop:value=move || {
                                                state
                                                    .with(|d| {
                                                        d.fields.get(i).map(|f| f.key.clone()).unwrap_or_default()
                                                    })
                                            }
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                state
                                                    .update(|d| {
                                                        if let Some(f) = d.fields.get_mut(i) {
                                                            f.key = v;
                                                        }
                                                    });
                                            }
                                        />
                                    </Field>
                                    <div class="option">
                                        <input
                                            type="checkbox"
                                            id=req_id.clone()
                                            disabled=!admin
                                            prop:checked=move || {
                                                state.with(|d| d.fields.get(i).is_some_and(|f| f.required))
                                            }
                                            on:change=move |_| {
                                                state
                                                    .update(|d| {
                                                        if let Some(f) = d.fields.get_mut(i) {
                                                            f.required = !f.required;
                                                        }
                                                    })
                                            }
                                        />
                                        <label for=req_id>{say!(i18n, categories_required)}</label>
                                    </div>
                                    <PerLanguage
                                        id=format!("{slug}-field-{i}-label")
                                        legend=t_string!(i18n, categories_label).to_string()
                                        get=Signal::derive(move || {
                                            state
                                                .with(|d| {
                                                    d.fields
                                                        .get(i)
                                                        .map(|f| f.labels.clone())
                                                        .unwrap_or_default()
                                                })
                                        })
                                        set=Callback::new(move |(code, text): (String, String)| {
                                            state
                                                .update(|d| {
                                                    if let Some(f) = d.fields.get_mut(i) {
                                                        f.labels.insert(code, text);
                                                    }
                                                })
                                        })
                                        disabled=!admin
                                        error=text_error(format!("{slug}-field-{i}-label"))
                                    />
                                    <PerLanguage
                                        id=format!("{slug}-field-{i}-hint")
                                        legend=t_string!(i18n, categories_hint).to_string()
                                        get=Signal::derive(move || {
                                            state
                                                .with(|d| {
                                                    d.fields.get(i).map(|f| f.hints.clone()).unwrap_or_default()
                                                })
                                        })
                                        set=Callback::new(move |(code, text): (String, String)| {
                                            state
                                                .update(|d| {
                                                    if let Some(f) = d.fields.get_mut(i) {
                                                        f.hints.insert(code, text);
                                                    }
                                                })
                                        })
                                        disabled=!admin
                                        error=text_error(format!("{slug}-field-{i}-hint"))
                                    />
                                    {admin
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="button button-quiet button-small"
                                                    on:click=move |_| {
                                                        state
                                                            .update(|d| {
                                                                if i < d.fields.len() {
                                                                    d.fields.remove(i);
                                                                }
                                                            })
                                                    }
                                                >
                                                    {say!(i18n, categories_remove_field)}
                                                </button>
                                            }
                                        })}
                                </fieldset>
                            }
                        })
                        .collect_view()
                }}
                {move || {
                    matches!(save.value().get(), Some(Ok(_)))
                        .then(|| {
                            view! {
                                <p class="panel panel-success" role="status">
                                    {say!(i18n, categories_saved)}
                                </p>
                            }
                        })
                }}
                {admin
                    .then(|| {
                        view! {
                            <div class="button-row">
                                <button
                                    type="button"
                                    id=add_field_id
                                    class="button"
                                    on:click=move |_| {
                                        state.update(|d| d.fields.push(FieldDefinition::default()))
                                    }
                                >
                                    {say!(i18n, categories_add_field)}
                                </button>
                                <SubmitButton
                                    label=move || t_string!(i18n, categories_save)
                                    busy_label=move || t_string!(i18n, saving)
                                    busy=save.pending()
                                />
                            </div>
                        }
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
