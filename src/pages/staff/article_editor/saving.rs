//! Sending the form: save (a new revision), publish (save, then make that revision
//! the one readers see), archive or republish; Ctrl+S saves from anywhere.

use leptos::prelude::*;
use selfdesk_shared::kb_authoring::{
    ArticleStatus, PublishRequest, SaveRevisionRequest, check_body, check_summary, check_tags,
    check_title,
};

use super::notice::Notice;
use super::state::{Editing, Fields, control_id};
use crate::api::{self, ApiError};
use crate::components::article_fields::{refusals, server_problem};
use crate::components::form::Problem;
use crate::drafts;
use crate::i18n::{Locale, use_i18n};

type I18n = leptos_i18n::I18nContext<Locale>;

fn check(i18n: I18n, fields: &Fields) -> Vec<Problem> {
    refusals(
        i18n,
        [
            check_title(&fields.title).map(|_| ()),
            check_summary(&fields.summary).map(|_| ()),
            check_tags(&fields.tags()).map(|_| ()),
            check_body(&fields.body),
        ],
        control_id,
    )
}

/// Saves the form as a new revision if it differs from the server's; returns the
/// revision the server now has, or `None` when the form's own checks refused it.
async fn save(editing: Editing, i18n: I18n) -> Result<Option<i64>, ApiError> {
    let Editing {
        lang,
        form,
        server,
        base,
        problems,
        ..
    } = editing;
    let slug = editing.slug.get_value();
    let fields = form.current();
    if fields == server.get_untracked()
        && let Some(number) = base.get_untracked()
    {
        return Ok(Some(number));
    }
    if !problems.show(check(i18n, &fields)) {
        return Ok(None);
    }
    let request = SaveRevisionRequest {
        lang: lang.code().to_owned(),
        title: fields.title.trim().to_owned(),
        summary: fields.summary.trim().to_owned(),
        body: fields.body.clone(),
        tags: fields.tags(),
        category: fields.category.clone(),
        base_revision: base.get_untracked(),
    };
    match api::save_revision(&slug, &request).await {
        Ok(revision) => {
            problems.clear();
            editing.saved(fields, revision.number);
            drafts::clear(&slug, lang);
            Ok(Some(revision.number))
        }
        Err(error) => {
            if let Some(found) = server_problem(i18n, &error, control_id) {
                problems.show(vec![found]);
            }
            Err(error)
        }
    }
}

/// What the editor's buttons do; each says how it went in the notice.
#[derive(Clone, Copy)]
pub(super) struct EditorActions {
    pub save: Action<(), ()>,
    pub publish: Action<(), ()>,
    /// Archive, or publish again.
    pub status: Action<ArticleStatus, ()>,
}

impl EditorActions {
    /// `on_changed` runs when the article's state changed and must be read again.
    pub fn new(editing: Editing, on_changed: Callback<()>) -> Self {
        let i18n = use_i18n();
        let notice = editing.notice;
        let save_action = Action::new_local(move |_: &()| async move {
            match save(editing, i18n).await {
                Ok(Some(number)) => notice.set(Notice::Saved(number)),
                Ok(None) => {}
                Err(error) => notice.set(Notice::Failed(error)),
            }
        });
        let publish_action = Action::new_local(move |_: &()| async move {
            // Read before waiting: the editor may be gone (its values with it) by the
            // time the save answers.
            let slug = editing.slug.get_value();
            let number = match save(editing, i18n).await {
                Ok(Some(number)) => number,
                Ok(None) => return,
                Err(error) => return notice.set(Notice::Failed(error)),
            };
            let request = PublishRequest {
                lang: editing.lang.code().to_owned(),
                revision: number,
            };
            match api::publish(&slug, &request).await {
                Ok(_) => {
                    notice.set(Notice::Published(number));
                    on_changed.run(());
                }
                Err(error) => notice.set(Notice::Failed(error)),
            }
        });
        let status_action = Action::new_local(move |to: &ArticleStatus| {
            let to = *to;
            async move {
                match api::set_status(&editing.slug.get_value(), to).await {
                    Ok(_) => {
                        notice.set(Notice::StatusChanged);
                        on_changed.run(());
                    }
                    Err(error) => notice.set(Notice::Failed(error)),
                }
            }
        });
        Self {
            save: save_action,
            publish: publish_action,
            status: status_action,
        }
    }

    /// While any of them is under way, the buttons wait.
    pub fn busy(self) -> bool {
        self.save.pending().get() || self.publish.pending().get() || self.status.pending().get()
    }

    /// Ctrl+S (⌘S) saves from anywhere on the page, instead of the browser's "Save page".
    pub fn save_on_shortcut(self) {
        let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
            if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
                ev.prevent_default();
                self.save.dispatch(());
            }
        });
        on_cleanup(move || shortcut.remove());
    }
}
