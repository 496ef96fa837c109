//! Search beyond the results: the portal's anonymous search reports, and the staff's
//! synonym groups and searches that did not help.
//!
//! Typed calls check the status and return the wire type; `_raw` calls return the
//! response, for tests that look at refusals.

use reqwest::{Response, StatusCode};
use selfdesk_shared::language::Language;
use selfdesk_shared::search::{SearchGaps, SearchReport, SynonymGroup, SynonymGroupRequest};
use selfdesk_shared::slug::Slug;
use serde::Serialize;

use super::{Staff, TestApp, expect_json};

pub const SYNONYMS: &str = "/api/v1/staff/search/synonyms";

/// A report of search `id` (16+ characters) in English, no session, nothing opened.
pub fn search(id: &str, query: &str, hits: u32) -> SearchReport {
    SearchReport {
        id: id.to_owned(),
        session: None,
        lang: Language::En,
        query: query.to_owned(),
        hits,
        opened: None,
    }
}

/// The report with an article opened from its results.
pub fn opened(mut report: SearchReport, slug: &str) -> SearchReport {
    report.opened = Some(Slug::try_from(slug.to_owned()).unwrap());
    report
}

/// The report made in self-service session `session`.
pub fn in_session(mut report: SearchReport, session: &str) -> SearchReport {
    report.session = Some(session.to_owned());
    report
}

pub fn in_language(mut report: SearchReport, lang: Language) -> SearchReport {
    report.lang = lang;
    report
}

/// A synonym group's request body.
pub fn synonyms(lang: Language, words: &[&str]) -> SynonymGroupRequest {
    SynonymGroupRequest {
        lang,
        words: words.iter().map(|w| w.to_string()).collect(),
    }
}

impl TestApp {
    /// `POST /api/v1/kb/searches` with any JSON body, anonymously.
    pub async fn report_searches_raw(&self, body: &impl Serialize) -> Response {
        self.client()
            .post(self.url("/api/v1/kb/searches"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Reports searches and expects them recorded (204).
    pub async fn report_searches(&self, reports: &[SearchReport]) {
        let response = self.report_searches_raw(&reports).await;
        let status = response.status();
        assert_eq!(
            status,
            StatusCode::NO_CONTENT,
            "{}",
            response.text().await.unwrap()
        );
    }

    /// The count every replica's search index compares with its own.
    pub async fn search_version(&self) -> i64 {
        let db = self.db().await;
        let version = selfdesk_server::store::kb::search_version(&db)
            .await
            .unwrap();
        db.close().await;
        version
    }
}

impl Staff<'_> {
    /// The synonym groups, of one language or (`None`) all.
    pub async fn synonym_groups(&self, lang: Option<&str>) -> Vec<SynonymGroup> {
        match lang {
            Some(lang) => self.get_json(&format!("{SYNONYMS}?lang={lang}")).await,
            None => self.get_json(SYNONYMS).await,
        }
    }

    pub async fn add_synonyms_raw(&self, request: &SynonymGroupRequest) -> Response {
        self.post(SYNONYMS, request).await
    }

    pub async fn add_synonyms(&self, lang: Language, words: &[&str]) -> SynonymGroup {
        let response = self.add_synonyms_raw(&synonyms(lang, words)).await;
        expect_json(response, StatusCode::CREATED).await
    }

    pub async fn replace_synonyms_raw(&self, id: i64, request: &SynonymGroupRequest) -> Response {
        self.put(&format!("{SYNONYMS}/{id}"), request).await
    }

    pub async fn replace_synonyms(&self, id: i64, lang: Language, words: &[&str]) -> SynonymGroup {
        let response = self.replace_synonyms_raw(id, &synonyms(lang, words)).await;
        expect_json(response, StatusCode::OK).await
    }

    pub async fn delete_synonyms_raw(&self, id: i64) -> Response {
        self.delete(&format!("{SYNONYMS}/{id}")).await
    }

    /// The searches that did not help, with a query string (`"days=7&lang=fr"`, or `""`).
    pub async fn search_gaps_raw(&self, query: &str) -> Response {
        self.get(&format!("/api/v1/staff/kb/search-gaps?{query}"))
            .await
    }

    pub async fn search_gaps(&self, query: &str) -> SearchGaps {
        expect_json(self.search_gaps_raw(query).await, StatusCode::OK).await
    }
}
