//! Measuring self-service: what a visitor did before (or instead of) filing a ticket,
//! recorded anonymously per browser session, so the desk can count deflected contacts
//! — people who found their answer and never filed.
//!
//! The browser makes a random session id (kept for the tab's life) and reports events
//! with it; a ticket filed in the same session carries the id too. A session with a
//! suggestion opened and no ticket filed is a deflected contact. The server stores
//! only a hash of the id.

use serde::{Deserialize, Serialize};

pub const MIN_SESSION_CHARS: usize = 16;
pub const MAX_SESSION_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SelfServiceKind {
    /// An article or a guided diagnostic suggested beside the ticket form was opened
    /// (`subject`: the article's slug, or `flow:` and the flow's slug).
    SuggestionOpened,
    /// A knowledge-base article was opened (`subject`: its slug), from anywhere.
    ArticleViewed,
}

impl SelfServiceKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SuggestionOpened => "suggestion_opened",
            Self::ArticleViewed => "article_viewed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfServiceEvent {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,100}$"))]
    pub session: String,
    pub kind: SelfServiceKind,
    /// What it was about: an article slug.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 200))]
    pub subject: String,
}

/// Whether a session id has the shape the browser makes (a UUID or similar).
pub fn valid_session(session: &str) -> bool {
    (MIN_SESSION_CHARS..=MAX_SESSION_CHARS).contains(&session.len())
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// What self-service achieved over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfServiceSummary {
    pub days: i64,
    /// Sessions in which a suggested article was opened.
    pub sessions_with_suggestions: i64,
    /// Of those, sessions that filed no ticket: contacts deflected.
    pub deflected: i64,
    /// Tickets filed in the period.
    pub tickets_filed: i64,
    /// Diagnostic walks that ended "fixed it" in a session that filed no ticket:
    /// contacts deflected by guided diagnostics.
    #[serde(default)]
    pub diagnostics_resolved: i64,
}
