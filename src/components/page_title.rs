//! The browser tab's title, "<page> — Selfdesk" in the reader's language: what
//! history, bookmarks and tabs show, and what a screen reader announces after a
//! navigation. Every page sets its own.
//!
//! A page whose title comes with its data (an article's title, a ticket's subject)
//! sets a general one at once (the section's name, the ticket's number) and the
//! loaded part sets its own inside it. The newest title still on screen wins, so the
//! tab never keeps the previous page's title while the next one loads, and a part
//! that is loading again (another article, a retry) falls back to its page's title.

use std::cell::RefCell;

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};

/// Keeps the tab's title on `page` (followed as it changes: a language switch, a
/// loaded ticket) while the calling component is shown. An empty text leaves only the
/// product's name.
pub fn page_title(page: impl Fn() -> String + 'static) {
    follow_title(Box::new(page));
}

// Not generic: one effect's code for every page of an app.
fn follow_title(page: Box<dyn Fn() -> String>) {
    let i18n = use_i18n();
    // Taken now, not when the effect first runs: a part's place follows its page's.
    let id = TITLES.with_borrow_mut(Titles::open);
    Effect::new(move |_| {
        let page = page();
        let app = t_string!(i18n, app_name);
        let title = if page.is_empty() {
            app.to_owned()
        } else {
            format!("{page} — {app}")
        };
        TITLES.with_borrow_mut(|titles| titles.set(id, title));
        show();
    });
    on_cleanup(move || {
        TITLES.with_borrow_mut(|titles| titles.close(id));
        show();
    });
}

fn show() {
    if let Some(title) = TITLES.with_borrow(|titles| titles.shown().map(str::to_owned)) {
        document().set_title(&title);
    }
}

thread_local! {
    static TITLES: RefCell<Titles> = RefCell::new(Titles::default());
}

/// The titles asked for by what is on screen, oldest first.
#[derive(Default)]
struct Titles {
    next: u64,
    /// `None` until the asker's text is known.
    open: Vec<(u64, Option<String>)>,
}

impl Titles {
    fn open(&mut self) -> u64 {
        self.next += 1;
        self.open.push((self.next, None));
        self.next
    }

    fn set(&mut self, id: u64, title: String) {
        if let Some(entry) = self.open.iter_mut().find(|(open, _)| *open == id) {
            entry.1 = Some(title);
        }
    }

    fn close(&mut self, id: u64) {
        self.open.retain(|(open, _)| *open != id);
    }

    /// The newest known title. `None` between two pages: the tab keeps what it has
    /// rather than flash the product's name.
    fn shown(&self) -> Option<&str> {
        self.open
            .iter()
            .rev()
            .find_map(|(_, title)| title.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::Titles;

    #[test]
    fn the_loaded_part_wins_over_its_page_and_falls_back_to_it() {
        let mut titles = Titles::default();
        let page = titles.open();
        let part = titles.open();
        titles.set(page, "Help articles".into());
        assert_eq!(titles.shown(), Some("Help articles"));
        titles.set(part, "Printer jams".into());
        // The page's text changing (a language switch) does not hide the part's.
        titles.set(page, "Articles d'aide".into());
        assert_eq!(titles.shown(), Some("Printer jams"));
        titles.close(part);
        assert_eq!(titles.shown(), Some("Articles d'aide"));
    }

    #[test]
    fn the_next_page_wins_whether_the_last_one_closes_before_or_after() {
        let mut titles = Titles::default();
        let old = titles.open();
        titles.set(old, "SD-2026-000001 Printer".into());
        let new = titles.open();
        assert_eq!(titles.shown(), Some("SD-2026-000001 Printer"));
        titles.set(new, "Queue".into());
        assert_eq!(titles.shown(), Some("Queue"));
        titles.close(old);
        assert_eq!(titles.shown(), Some("Queue"));
        titles.close(new);
        assert_eq!(titles.shown(), None);
    }
}
