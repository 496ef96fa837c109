//! An article's revisions in one language: who saved what when, which one readers
//! see, the changes between any two, and restoring an old one (as a new revision, so
//! history is never rewritten).

use leptos::prelude::*;

use crate::say::say;
use leptos::task::spawn_local;
use selfdesk_shared::diff::{Change, diff_lines};
use selfdesk_shared::kb_authoring::Revision;
use selfdesk_shared::language::Language;

use crate::api::{self, ApiError};
use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::status::{ErrorText, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{t, use_i18n};

/// The text a diff compares: every field a revision holds, one per block.
fn diff_text(revision: &Revision) -> String {
    format!(
        "# {}\n\n{}\n\n[{}] {}\n\n{}",
        revision.title,
        revision.summary,
        revision.category,
        revision.tags.join(", "),
        revision.body
    )
}

#[component]
pub fn RevisionHistory(
    slug: String,
    lang: Language,
    /// Bumped by the editor after each save, so the list follows.
    refresh: Signal<u32>,
    #[prop(into)] on_restored: Callback<Revision>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = Fetch::new({
        let slug = slug.clone();
        move || {
            refresh.track();
            let slug = slug.clone();
            async move { api::revisions(&slug, lang).await }
        }
    });
    let from = RwSignal::new(None::<i64>);
    let to = RwSignal::new(None::<i64>);
    let compared = RwSignal::new(None::<Result<(Revision, Revision), ApiError>>);
    let restore_error = RwSignal::new(None::<ApiError>);

    let compare = {
        let slug = slug.clone();
        move |_| {
            let (Some(a), Some(b)) = (from.get_untracked(), to.get_untracked()) else {
                return;
            };
            let slug = slug.clone();
            spawn_local(async move {
                let result = async {
                    let old = api::revision(&slug, lang, a.min(b)).await?;
                    let new = api::revision(&slug, lang, a.max(b)).await?;
                    Ok((old, new))
                }
                .await;
                compared.set(Some(result));
            });
        }
    };
    let restore = {
        let slug = slug.clone();
        move |number: i64| {
            let slug = slug.clone();
            spawn_local(async move {
                match api::restore_revision(&slug, lang, number).await {
                    Ok(revision) => {
                        restore_error.set(None);
                        on_restored.run(revision);
                    }
                    Err(error) => restore_error.set(Some(error)),
                }
            });
        }
    };

    let table = view! {
        <Loaded resource=list let:history>
            {
                if from.get_untracked().is_none() && history.revisions.len() >= 2 {
                    from.set(Some(history.revisions[1].number));
                    to.set(Some(history.revisions[0].number));
                }
                let published = history.published_revision;
                let ui = current_language(i18n);
                let rows = history
                    .revisions
                    .iter()
                    .map(|r| {
                        let number = r.number;
                        let restore = restore.clone();
                        let when = date_time(r.created_at, ui);
                        let author = r.author_name.clone().unwrap_or_default();
                        // Preselect the two newest, the comparison wanted most often.
                        view! {
                            <tr>
                                <td>{number}</td>
                                <td>
                                    {r.title.clone()}
                                    {(published == Some(number))
                                        .then(|| {
                                            view! {
                                                " "
                                                <span class="badge badge-published">
                                                    {say!(i18n, status_published)}
                                                </span>
                                            }
                                        })}
                                    {r
                                        .restored_from
                                        .map(|from| {
                                            view! {
                                                <span class="muted">
                                                    " "{t!(i18n, history_restored_from, number = move || from)}
                                                </span>
                                            }
                                        })}
                                </td>
                                <td>{author}</td>
                                <td>{when}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="button button-quiet"
                                        on:click=move |_| restore(number)
                                    >
                                        {say!(i18n, history_restore)}
                                        <span class="visually-hidden">" "{number}</span>
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                let options = move |selected: RwSignal<Option<i64>>| {
                    history
                        .revisions
                        .iter()
                        .map(|r| {
                            let n = r.number;
                            view! {
                                <option
                                    value=n.to_string()
                                    selected=move || selected.get() == Some(n)
                                >
                                    {n}
                                </option>
                            }
                        })
                        .collect_view()
                };
                let from_options = options(from);
                let to_options = options(to);
                view! {
                    <div class="table-scroll">
                        <table class="table">
                            <caption class="visually-hidden">{say!(i18n, history_title)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{say!(i18n, history_number)}</th>
                                    <th scope="col">{say!(i18n, field_title)}</th>
                                    <th scope="col">{say!(i18n, history_author)}</th>
                                    <th scope="col">{say!(i18n, history_saved)}</th>
                                    <th scope="col">
                                        <span class="visually-hidden">
                                            {say!(i18n, history_actions)}
                                        </span>
                                    </th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <div class="compare">
                        <label for="diff-from">{say!(i18n, history_compare)}</label>
                        <select
                            id="diff-from"
                            on:change=move |ev| from.set(event_target_value(&ev).parse().ok())
                        >
                            {from_options}
                        </select>
                        <label for="diff-to">{say!(i18n, history_with)}</label>
                        <select
                            id="diff-to"
                            on:change=move |ev| to.set(event_target_value(&ev).parse().ok())
                        >
                            {to_options}
                        </select>
                        <button type="button" class="button" on:click=compare.clone()>
                            {say!(i18n, history_show_changes)}
                        </button>
                    </div>
                }
            }
        </Loaded>
    };

    let diff = move || {
        compared.get().map(|result| match result {
            Err(error) => view! {
                <p class="error-message" role="alert">
                    <ErrorText error />
                </p>
            }.into_any(),
            Ok((old, new)) => {
                let (old_text, new_text) = (diff_text(&old), diff_text(&new));
                let lines = diff_lines(&old_text, &new_text);
                let changed = lines.iter().filter(|l| l.change != Change::Equal).count();
                let (a, b) = (old.number, new.number);
                let rows = lines
                    .iter()
                    .map(|l| {
                        let (class, sign) = match l.change {
                            Change::Equal => ("diff-equal", " "),
                            Change::Added => ("diff-added", "+"),
                            Change::Removed => ("diff-removed", "−"),
                        };
                        let line = l.line.to_owned();
                        let sr = match l.change {
                            Change::Added => Some(say!(i18n, diff_added).into_any()),
                            Change::Removed => Some(say!(i18n, diff_removed).into_any()),
                            Change::Equal => None,
                        };
                        view! {
                            <div class=class>
                                <span class="diff-sign" aria-hidden="true">
                                    {sign}
                                </span>
                                {sr.map(|s| view! { <span class="visually-hidden">{s}": "</span> })}
                                <span>{line}</span>
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="diff" aria-label=move || format!("{a} → {b}")>
                        <p class="muted">
                            {t!(
                                i18n, diff_summary, from = move || a, to = move || b, count = move || changed
                            )}
                        </p>
                        <pre class="diff-lines">{rows}</pre>
                    </section>
                }
                .into_any()
            }
        })
    };

    view! {
        {table}
        {move || {
            restore_error
                .get()
                .map(|error| {
                    view! {
                        <p class="error-message" role="alert">
                            <ErrorText error />
                        </p>
                    }
                })
        }}
        {diff}
    }
}
