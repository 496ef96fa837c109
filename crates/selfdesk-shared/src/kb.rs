//! Knowledge base: categories, articles, search results and "Did this help?" votes.

use serde::{Deserialize, Serialize};

use crate::language::Language;
use crate::slug::Slug;

/// A category with its sub-categories, named in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub slug: Slug,
    pub name: String,
    /// Published articles directly in this category.
    pub article_count: i64,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<CategoryNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryTree {
    pub categories: Vec<CategoryNode>,
}

/// One step of a breadcrumb trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crumb {
    pub slug: Slug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    pub slug: Slug,
    /// The language this title and summary are in (the requested one when translated).
    pub lang: Language,
    pub title: String,
    pub summary: String,
    pub category: String,
    /// Unix seconds.
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleList {
    pub articles: Vec<ArticleSummary>,
}

/// A published article in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    pub slug: Slug,
    /// The language served. Differs from `requested` when no translation exists.
    pub lang: Language,
    pub requested: Language,
    /// Every language the article is published in.
    pub available: Vec<Language>,
    pub title: String,
    pub summary: String,
    /// Markdown, as written.
    pub body: String,
    /// `body` rendered by `selfdesk_shared::markdown::render` (raw HTML made text,
    /// links checked), callouts titled in the requested language: what readers see.
    pub html: String,
    /// The rendered body's headings, for a table of contents.
    pub toc: Vec<crate::markdown::TocEntry>,
    pub tags: Vec<String>,
    /// From the top-level category down to the article's own.
    pub breadcrumbs: Vec<Crumb>,
    /// Unix seconds.
    pub updated_at: i64,
    pub related: Vec<ArticleSummary>,
}

/// A piece of highlighted text: `hit` pieces match the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub slug: Slug,
    pub lang: Language,
    pub title: Vec<SnippetPart>,
    pub excerpt: Vec<SnippetPart>,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Guided diagnostics that match, shown before the articles.
    #[serde(default)]
    pub flows: Vec<FlowHit>,
    /// A spelling that finds much more, when this query found nothing or very little.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<crate::search::Suggestion>,
    /// Never set by the server: the portal's service worker (`public/sw.js`) answers
    /// with the titles of the articles and flows saved on the device when the network
    /// is gone, and says so here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offline: bool,
}

/// A diagnostic flow found by search: where to start it and its title in the
/// reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowHit {
    pub slug: Slug,
    pub title: String,
}

/// Why an article did not help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoteReason {
    Outdated,
    DidNotWork,
    HardToFollow,
    Other,
}

impl VoteReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Outdated => "outdated",
            Self::DidNotWork => "did_not_work",
            Self::HardToFollow => "hard_to_follow",
            Self::Other => "other",
        }
    }
}

/// "Did this help?" One vote per browser per article; voting again changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteRequest {
    /// A random id the browser keeps; the server stores only its hash.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,128}$"))]
    pub voter: String,
    pub helpful: bool,
    #[serde(default)]
    pub reason: Option<VoteReason>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: Option<String>,
    /// The browser's self-service session (see `self_service`), so the answer counts
    /// for the session it was given in; stored hashed. Older clients leave it out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,100}$"))]
    pub session: Option<String>,
}

/// Longest free-text comment on a vote.
pub const MAX_VOTE_COMMENT_CHARS: usize = 1000;

/// Longest search text the API accepts; the search box stops there too.
pub const MAX_SEARCH_CHARS: usize = 200;
