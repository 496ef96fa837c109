//! What the editor holds between keystrokes: the form's text, the server's copy it is
//! compared with, and the revision it builds on. Everything is a signal, so the parts
//! of the page share one `Editing` by copy.

use leptos::prelude::*;
use selfdesk_shared::kb_authoring::Revision;
use selfdesk_shared::language::Language;

use super::notice::Notice;
use crate::components::form::Problems;

/// The fields as the form holds them.
#[derive(Clone, PartialEq)]
pub(super) struct Fields {
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub category: String,
    pub body: String,
}

impl Fields {
    pub fn of(revision: &Revision) -> Self {
        Self {
            title: revision.title.clone(),
            summary: revision.summary.clone(),
            tags: revision.tags.join(", "),
            category: revision.category.clone(),
            body: revision.body.clone(),
        }
    }

    pub fn tags(&self) -> Vec<String> {
        self.tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// One signal per control, so typing in one redraws nothing else.
#[derive(Clone, Copy)]
pub(super) struct Form {
    pub title: RwSignal<String>,
    pub summary: RwSignal<String>,
    pub tags: RwSignal<String>,
    pub category: RwSignal<String>,
    pub body: RwSignal<String>,
}

impl Form {
    pub fn new(start: Fields) -> Self {
        Self {
            title: RwSignal::new(start.title),
            summary: RwSignal::new(start.summary),
            tags: RwSignal::new(start.tags),
            category: RwSignal::new(start.category),
            body: RwSignal::new(start.body),
        }
    }

    /// What the form holds now (tracked).
    pub fn current(self) -> Fields {
        Fields {
            title: self.title.get(),
            summary: self.summary.get(),
            tags: self.tags.get(),
            category: self.category.get(),
            body: self.body.get(),
        }
    }

    pub fn set(self, fields: Fields) {
        self.title.set(fields.title);
        self.summary.set(fields.summary);
        self.tags.set(fields.tags);
        self.category.set(fields.category);
        self.body.set(fields.body);
    }
}

/// One article in one language being edited.
#[derive(Clone, Copy)]
pub(super) struct Editing {
    pub slug: StoredValue<String>,
    pub lang: Language,
    pub form: Form,
    /// The text the server has: the form is unsaved while it differs.
    pub server: RwSignal<Fields>,
    /// The revision the form builds on; `None` for a language not written yet.
    pub base: RwSignal<Option<i64>>,
    pub problems: Problems,
    /// Outlives the editor, which is rebuilt when the article reloads after publishing.
    pub notice: RwSignal<Notice>,
    /// Bumped whenever the history gains a revision, so it is read again.
    pub history_version: RwSignal<u32>,
}

impl Editing {
    /// The server now has `fields` as revision `number`.
    pub fn saved(self, fields: Fields, number: i64) {
        self.base.set(Some(number));
        self.server.set(fields);
        self.history_version.update(|v| *v += 1);
    }

    /// An earlier revision was restored: the server made it the newest.
    pub fn restored(self, revision: Revision) {
        let fields = Fields::of(&revision);
        self.form.set(fields.clone());
        self.saved(fields, revision.number);
        self.notice.set(Notice::Saved(revision.number));
    }
}

/// The control a refused field is shown at. `base_revision` (someone saved meanwhile)
/// has none: the notice explains it.
pub(super) fn control_id(field: &str) -> Option<String> {
    ["title", "category", "summary", "tags", "body"]
        .contains(&field)
        .then(|| format!("edit-{field}"))
}
