//! Measuring search without slowing it: what each search showed, and which article it
//! led to, so the help desk sees what people look for and do not find. Reports go
//! out in batches (`beacon_batch`), like walk reports. The server keeps the latest
//! report of each search, so a newer report replaces a waiting one, and a lost batch
//! costs a figure, never a search.
//!
//! One search is one [`Attempt`]: the words typed, corrected and typed again until the
//! box is cleared, or until a result was opened and the person searches again. It is
//! reported once the query has settled (no typing for [`SETTLE`]) and again when a
//! result is opened; nothing is sent while typing.

use std::time::Duration;

use crate::api;
use crate::beacon_batch::{self, Batch};
use selfdesk_shared::kb::MAX_SEARCH_CHARS;
use selfdesk_shared::language::Language;
use selfdesk_shared::search::{MAX_SEARCH_REPORTS, SearchReport};
use selfdesk_shared::slug::Slug;

/// Quiet time after which the query shown counts as what was searched for.
pub const SETTLE: Duration = Duration::from_secs(2);
thread_local! {
    static SEARCHES: Batch<SearchReport> =
        const { Batch::new(|a, b| a.id == b.id, api::report_searches, MAX_SEARCH_REPORTS) };
}

/// One person's search, from the first word to the article opened.
#[derive(Debug, Default)]
pub struct Attempt {
    id: Option<String>,
    opened: bool,
}

impl Attempt {
    /// The box now holds `text`: emptied, or typed in after a result was opened, it
    /// starts another search.
    pub fn typed(&mut self, text: &str) {
        if text.trim().is_empty() || self.opened {
            *self = Self::default();
        }
    }

    /// `query` settled with `hits` articles shown.
    pub fn settled(&mut self, lang: Language, query: &str, hits: usize) {
        if let Some(report) = self.report(lang, query, hits, None, new_id) {
            report_search(report);
        }
    }

    /// The article `slug` was opened from the results of `query`.
    pub fn opened(&mut self, lang: Language, query: &str, hits: usize, slug: Slug) {
        if let Some(report) = self.report(lang, query, hits, Some(slug), new_id) {
            report_search(report);
        }
        self.opened = true;
    }

    /// The report for what is shown now, under this attempt's id (made by `new_id` the
    /// first time); none for a query with nothing to count ("?!").
    fn report(
        &mut self,
        lang: Language,
        query: &str,
        hits: usize,
        opened: Option<Slug>,
        new_id: fn() -> String,
    ) -> Option<SearchReport> {
        if !query.chars().any(char::is_alphanumeric) {
            return None;
        }
        let id = self.id.get_or_insert_with(new_id).clone();
        Some(SearchReport {
            id,
            session: None,
            lang,
            query: query.trim().chars().take(MAX_SEARCH_CHARS).collect(),
            hits: u32::try_from(hits).unwrap_or(u32::MAX),
            opened,
        })
    }
}

fn new_id() -> String {
    crate::requester_storage::new_idempotency_key()
}

/// Queues a report, with this tab's self-service session (so the server can tell
/// whether the search was followed by a ticket).
fn report_search(mut report: SearchReport) {
    report.session = Some(crate::requester_storage::self_service_session());
    beacon_batch::push(&SEARCHES, report);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> String {
        "0123456789abcdef-first".to_owned()
    }

    fn other_id() -> String {
        "0123456789abcdef-other".to_owned()
    }

    #[test]
    fn one_search_keeps_its_id_while_the_words_change() {
        let mut attempt = Attempt::default();
        attempt.typed("prnter");
        let first = attempt.report(Language::En, "prnter", 0, None, id).unwrap();
        attempt.typed("printer");
        let second = attempt
            .report(Language::En, " printer ", 3, None, other_id)
            .unwrap();
        assert_eq!(first.id, second.id);
        assert_eq!(second.query, "printer");
        assert_eq!(second.hits, 3);
    }

    #[test]
    fn clearing_the_box_or_searching_after_opening_starts_another() {
        let mut attempt = Attempt::default();
        let first = attempt.report(Language::En, "vpn", 1, None, id).unwrap();
        attempt.typed("  ");
        let second = attempt
            .report(Language::En, "vpn", 1, None, other_id)
            .unwrap();
        assert_ne!(first.id, second.id);

        let mut attempt = Attempt::default();
        let slug = Slug::parse("vpn-setup").unwrap();
        let opened = attempt
            .report(Language::En, "vpn", 1, Some(slug.clone()), id)
            .unwrap();
        assert_eq!(opened.opened, Some(slug));
        attempt.opened = true;
        attempt.typed("vpn slow");
        let again = attempt
            .report(Language::En, "vpn slow", 0, None, other_id)
            .unwrap();
        assert_ne!(opened.id, again.id);
    }

    #[test]
    fn punctuation_alone_is_not_reported() {
        let mut attempt = Attempt::default();
        assert!(attempt.report(Language::En, "?!", 0, None, id).is_none());
    }
}
