//! Synonyms (`/staff/search/synonyms`): groups of words that mean the same to the
//! people searching, per language ("wifi, wi-fi, wlan"), so a search for one finds the
//! articles that use another. Tier 3 technicians and admins add, edit and delete them
//! (a group changes what everyone finds); the others read them, and are told why.
//! Each word's problem is said under the field, naming the word, in the reader's
//! language — from the shared rules before sending, and from the server's typed
//! refusal (`words.N`) after.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::auth::StaffRole;
use selfdesk_shared::error::Reason;
use selfdesk_shared::language::Language;
use selfdesk_shared::search::{SynonymGroup, SynonymGroupRequest, synonym_word, synonym_words};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::dates::long_date;
use crate::components::form::{ErrorSummary, Field, Problem, Problems, SubmitButton, reason_text};
use crate::components::language::current_language;
use crate::components::numbers::whole;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorText, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::pages::staff::search_gaps::SearchNav;
use crate::session::use_session;
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

const WORDS_ID: &str = "synonym-words";
const LANG_ID: &str = "synonym-lang";

#[component]
pub fn SynonymsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, synonyms_title).to_owned());
    let may_edit = use_session()
        .member
        .get_untracked()
        .is_some_and(|m| matches!(m.role, StaffRole::Tier3 | StaffRole::Admin));
    let groups = Fetch::new(api::synonym_groups);
    // The group in the form; `None` is a new one.
    let editing = RwSignal::new(None::<SynonymGroup>);
    // The group whose deletion waits for a "yes".
    let confirming = RwSignal::new(None::<i64>);
    // What was just done, read out.
    let done = RwSignal::new(None::<&'static str>);
    // Where the focus goes once the list is read again (the old elements are gone).
    let focus_next = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        if groups.with(Option::is_some)
            && let Some(id) = focus_next.try_update_value(Option::take).flatten()
        {
            focus(&id);
        }
    });
    let remove = Action::new_local(|group: &SynonymGroup| {
        let (id, lang) = (group.id, group.lang);
        async move { api::delete_synonym_group(id).await.map(|()| (id, lang)) }
    });
    Effect::new(move |_| {
        if let Some(Ok((id, lang))) = remove.value().get() {
            confirming.set(None);
            if editing.with_untracked(|e| e.as_ref().is_some_and(|g| g.id == id)) {
                editing.set(None);
            }
            done.set(Some(t_string!(i18n, synonyms_deleted)));
            // Its row is gone: the focus goes to its language's heading.
            focus_next.set_value(Some(format!("synonyms-{}", lang.code())));
            groups.refetch();
        }
    });
    let on_saved = Callback::new(move |()| {
        editing.set(None);
        done.set(Some(t_string!(i18n, synonyms_saved)));
        groups.refetch();
    });
    let failed = move || remove.value().get().and_then(Result::err);
    let controls = Controls {
        may_edit,
        editing,
        confirming,
        done,
        remove,
    };

    view! {
        <header class="page-header">
            <h1>{say!(i18n, synonyms_title)}</h1>
            <p class="lead">{say!(i18n, synonyms_lead)}</p>
        </header>
        <SearchNav />
        {if may_edit {
            view! { <GroupForm editing done on_saved /> }.into_any()
        } else {
            view! {
                <p class="panel panel-info" role="note">
                    {say!(i18n, synonyms_read_only)}
                </p>
            }
                .into_any()
        }}
        <p role="status" class="done-message">
            {move || done.get()}
        </p>
        {move || {
            failed()
                .map(|error| {
                    view! {
                        <p class="error-message" role="alert">
                            <ErrorText error />
                        </p>
                    }
                })
        }}
        <Loaded resource=groups let:all>
            {Language::ALL
                .into_iter()
                .map(|language| {
                    let mut mine: Vec<SynonymGroup> = all
                        .iter()
                        .filter(|g| g.lang == language)
                        .cloned()
                        .collect();
                    mine.sort_by(|a, b| a.words.cmp(&b.words));
                    language_groups(i18n, language, mine, controls)
                })
                .collect_view()}
        </Loaded>
    }
}

/// What the list's buttons act on: the same for the four languages' tables.
#[derive(Clone, Copy)]
struct Controls {
    may_edit: bool,
    editing: RwSignal<Option<SynonymGroup>>,
    confirming: RwSignal<Option<i64>>,
    done: RwSignal<Option<&'static str>>,
    remove: Action<SynonymGroup, Result<(i64, Language), ApiError>>,
}

/// One language's groups in a table; with their Edit and Delete buttons for those who
/// may change them. Not generic: one copy for the four languages.
fn language_groups(
    i18n: I18n,
    language: Language,
    groups: Vec<SynonymGroup>,
    controls: Controls,
) -> AnyView {
    let Controls {
        may_edit,
        editing,
        confirming,
        done,
        remove,
    } = controls;
    let code = language.code();
    let title_id = format!("synonyms-{code}");
    let body = if groups.is_empty() {
        view! { <p class="muted">{say!(i18n, synonyms_empty)}</p> }.into_any()
    } else {
        let reader = current_language(i18n);
        let rows = groups
            .into_iter()
            .map(|group| {
                let words = group.words.join(", ");
                let updated = long_date(group.updated_at, reader);
                let actions = may_edit.then(|| {
                    let id = group.id;
                    let words = words.clone();
                    view! {
                        <td class="row-actions">
                            {move || {
                                if confirming.get() == Some(id) {
                                    let group = group.clone();
                                    view! {
                                        <span class="confirm-question">
                                            {fill(t_string!(i18n, synonyms_delete_confirm), &words)}
                                        </span>
                                        " "
                                        <button
                                            type="button"
                                            id=format!("synonym-confirm-{id}")
                                            class="button button-danger button-small"
                                            disabled=move || remove.pending().get()
                                            on:click=move |_| {
                                                remove.dispatch(group.clone());
                                            }
                                        >
                                            {say!(i18n, synonyms_delete_yes)}
                                        </button>
                                        " "
                                        <button
                                            type="button"
                                            class="button button-quiet button-small"
                                            on:click=move |_| {
                                                confirming.set(None);
                                                focus(&format!("synonym-delete-{id}"));
                                            }
                                        >
                                            {say!(i18n, cancel)}
                                        </button>
                                    }
                                        .into_any()
                                } else {
                                    let chosen = group.clone();
                                    view! {
                                        <button
                                            type="button"
                                            class="button button-small"
                                            aria-label=fill(t_string!(i18n, synonyms_edit_who), &words)
                                            on:click=move |_| {
                                                editing.set(Some(chosen.clone()));
                                                focus(WORDS_ID);
                                            }
                                        >
                                            {say!(i18n, canned_edit)}
                                        </button>
                                        " "
                                        <button
                                            type="button"
                                            id=format!("synonym-delete-{id}")
                                            class="button button-quiet button-small"
                                            aria-label=fill(
                                                t_string!(i18n, synonyms_delete_who),
                                                &words,
                                            )
                                            on:click=move |_| {
                                                done.set(None);
                                                confirming.set(Some(id));
                                                focus(&format!("synonym-confirm-{id}"));
                                            }
                                        >
                                            {say!(i18n, canned_delete)}
                                        </button>
                                    }
                                        .into_any()
                                }
                            }}
                        </td>
                    }
                });
                view! {
                    <tr>
                        <td lang=code>{words}</td>
                        <td>{updated}</td>
                        {actions}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby=title_id.clone()>
                    <thead>
                        <tr>
                            <th scope="col">{say!(i18n, synonyms_words)}</th>
                            <th scope="col">{say!(i18n, col_edited)}</th>
                            {may_edit
                                .then(|| {
                                    view! {
                                        <th scope="col">
                                            <span class="visually-hidden">
                                                {say!(i18n, staff_account_actions)}
                                            </span>
                                        </th>
                                    }
                                })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="section synonym-language">
            <h2 id=title_id lang=code tabindex="-1">
                {language.native_name()}
            </h2>
            {body}
        </section>
    }
    .into_any()
}

/// Adding a group, or editing the one chosen: the words in one box, separated by
/// commas, and the language they are in.
#[component]
fn GroupForm(
    editing: RwSignal<Option<SynonymGroup>>,
    /// What was last done on the page: stale once the form is sent again.
    done: RwSignal<Option<&'static str>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let words = RwSignal::new(String::new());
    let lang = RwSignal::new(current_language(i18n));
    let problems = Problems::new();
    // What was sent, for a refusal that names a word by its place (`words.2`).
    let sent = StoredValue::new(Vec::<String>::new());
    Effect::new(move |first: Option<()>| {
        let group = editing.get();
        if first.is_none() && group.is_none() {
            return; // the page opens on a new group: nothing to fill in
        }
        problems.clear();
        match group {
            Some(group) => {
                words.set(group.words.join(", "));
                lang.set(group.lang);
            }
            None => words.set(String::new()),
        }
    });
    let save = Action::new_local(move |(id, request): &(Option<i64>, SynonymGroupRequest)| {
        let (id, request) = (*id, request.clone());
        async move { api::save_synonym_group(id, &request).await }
    });
    let failure = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            words.set(String::new());
            problems.clear();
            on_saved.run(());
        }
        Some(Err(error)) => {
            if let Some(problem) = server_problem(i18n, &error, &sent.get_value()) {
                problems.add(problem);
            }
        }
        None => {}
    });
    // Under the field: every word's problem, not only the first, one a line.
    let words_error = Signal::derive(move || {
        let texts: Vec<String> = problems
            .list()
            .into_iter()
            .filter(|p| p.id == WORDS_ID)
            .map(|p| p.text)
            .collect();
        (!texts.is_empty()).then(|| texts.join("\n"))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let raw = split_words(&words.get_untracked());
        let checked = check_words(i18n, &raw);
        let request = match checked {
            Ok(words) => words,
            Err(found) => {
                problems.show(found);
                return;
            }
        };
        problems.clear();
        sent.set_value(request.clone());
        save.dispatch((
            editing.get_untracked().map(|g| g.id),
            SynonymGroupRequest {
                lang: lang.get_untracked(),
                words: request,
            },
        ));
    };

    view! {
        <form class="form panel synonym-form" novalidate on:submit=on_submit>
            <h2>
                {move || {
                    if editing.with(Option::is_some) {
                        t_string!(i18n, synonyms_edit)
                    } else {
                        t_string!(i18n, synonyms_new)
                    }
                }}
            </h2>
            <ErrorSummary problems failure />
            <Field
                id=LANG_ID
                label=move || t_string!(i18n, field_language)
                error=problems.at(LANG_ID)
                let:c
            >
                <select
                    id=c.id.clone()
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
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
                                <option
                                    value=l.code()
                                    lang=l.code()
                                    selected=move || lang.get() == l
                                >
                                    {l.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field
                id=WORDS_ID
                label=move || t_string!(i18n, synonyms_words)
                hint=move || t_string!(i18n, synonyms_words_hint)
                error=words_error
                let:c
            >
                <input
                    id=c.id.clone()
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    lang=move || lang.get().code()
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    prop:value=words
                    on:input=move |ev| words.set(event_target_value(&ev))
                />
            </Field>
            <div class="button-row">
                <SubmitButton
                    label=move || {
                        if editing.with(Option::is_some) {
                            t_string!(i18n, synonyms_save)
                        } else {
                            t_string!(i18n, synonyms_add)
                        }
                    }
                    busy_label=move || t_string!(i18n, saving)
                    busy=save.pending()
                />
                {move || {
                    editing
                        .with(Option::is_some)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button-quiet"
                                    on:click=move |_| editing.set(None)
                                >
                                    {say!(i18n, cancel)}
                                </button>
                            }
                        })
                }}
            </div>
        </form>
    }
}

/// The words of the box: separated by commas, blanks around them and empty places
/// ("wifi, , wlan,") left out.
fn split_words(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The group as it will be stored (the shared rules: trimmed, lower-case, repeats
/// dropped), or every problem: each refused word, named, else what is wrong with the
/// list (too few, too many).
fn check_words(i18n: I18n, raw: &[String]) -> Result<Vec<String>, Vec<Problem>> {
    let refused: Vec<Problem> = raw
        .iter()
        .filter_map(|word| {
            let reason = synonym_word(word).err()?;
            Some(word_problem(i18n, word, &reason))
        })
        .collect();
    if !refused.is_empty() {
        return Err(refused);
    }
    synonym_words(raw).map_err(|(at, reason)| {
        vec![match at.and_then(|i| raw.get(i)) {
            Some(word) => word_problem(i18n, word, &reason),
            None => list_problem(i18n, &reason),
        }]
    })
}

/// A refused word: "“wire less”: Use one word…".
fn word_problem(i18n: I18n, word: &str, reason: &Reason) -> Problem {
    let text = fill(
        &fill(t_string!(i18n, synonyms_word_problem), word.trim()),
        synonym_reason(i18n, reason),
    );
    Problem::new(WORDS_ID, text)
}

fn list_problem(i18n: I18n, reason: &Reason) -> Problem {
    let label = t_string!(i18n, synonyms_words);
    Problem::labelled(WORDS_ID, label, synonym_reason(i18n, reason))
}

/// A reason in the words of this form: a synonym is one word, a duplicate is a word of
/// another group, and a group's limits count words, not characters.
fn synonym_reason(i18n: I18n, reason: &Reason) -> String {
    let n = |value: u32| whole(i64::from(value), current_language(i18n));
    match reason {
        Reason::BadFormat => t_string!(i18n, synonyms_bad_word).to_owned(),
        Reason::Duplicate => t_string!(i18n, synonyms_taken).to_owned(),
        Reason::TooShort { min } => fill(t_string!(i18n, synonyms_too_few), n(*min)),
        Reason::TooMany { max } => fill(t_string!(i18n, synonyms_too_many), n(*max)),
        other => reason_text(i18n, other),
    }
}

/// The problem the server found, at its control: a word by its place in what was
/// sent (`words.2`), the list (`words`), or the language. `None` for anything else,
/// which the summary says as the failure itself.
fn server_problem(i18n: I18n, error: &ApiError, sent: &[String]) -> Option<Problem> {
    let field = error.field()?;
    let reason = error.reason().unwrap_or(Reason::BadFormat);
    if field == "lang" {
        let label = t_string!(i18n, field_language);
        return Some(Problem::labelled(
            LANG_ID,
            label,
            reason_text(i18n, &reason),
        ));
    }
    let place = field.strip_prefix("words")?;
    if place.is_empty() {
        return Some(list_problem(i18n, &reason));
    }
    let word = place
        .strip_prefix('.')
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| sent.get(i))?;
    Some(word_problem(i18n, word, &reason))
}

/// Moves the focus to the element `id`, once the view has caught up.
fn focus(id: &str) {
    let id = id.to_owned();
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::split_words;

    #[test]
    fn words_are_split_at_commas_and_blanks_dropped() {
        assert_eq!(
            split_words(" WiFi, wlan ,, wi-fi, "),
            vec!["WiFi", "wlan", "wi-fi"]
        );
        assert_eq!(split_words("wireless network"), vec!["wireless network"]);
        assert!(split_words(" , ").is_empty());
    }
}
