//! The knowledge base, reader side: categories, articles, search, "Did this help?".

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::kb::{
    Article, ArticleList, CategoryTree, MAX_SEARCH_CHARS, MAX_VOTE_COMMENT_CHARS, SearchResults,
    VoteRequest,
};
use selfdesk_shared::language::Language;
use selfdesk_shared::markdown::{self, CalloutLabels};
use serde::Deserialize;
use utoipa::IntoParams;

use super::SlugInPath;
use crate::auth::session::token_hash;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::search;
use crate::state::AppState;
use crate::store::kb;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParam {
    /// `en`, `ru`, `fr` or `nb`; other values fall back to English.
    #[serde(default)]
    pub lang: Option<String>,
}

fn language(param: &Option<String>) -> Language {
    param
        .as_deref()
        .and_then(Language::from_tag)
        .unwrap_or(Language::En)
}

/// Categories as a tree, with the number of published articles in each.
#[utoipa::path(
    get, path = "/api/v1/kb/categories", tag = "kb", params(LangParam),
    responses((status = 200, description = "Category tree", body = CategoryTree))
)]
pub async fn categories(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LangParam>,
) -> ApiResult<Json<CategoryTree>> {
    Ok(Json(CategoryTree {
        categories: kb::category_tree(&state.db, language(&q.lang)).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    #[serde(default)]
    pub lang: Option<String>,
    /// Only articles directly in this category.
    #[serde(default)]
    pub category: Option<String>,
}

/// Published articles, each in the requested language when translated.
#[utoipa::path(
    get, path = "/api/v1/kb/articles", tag = "kb", params(ListParams),
    responses((status = 200, description = "Published articles", body = ArticleList))
)]
pub async fn list_articles(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<ArticleList>> {
    let lang = language(&q.lang);
    let articles = kb::list_published(&state.db, q.category.as_deref(), lang).await?;
    Ok(Json(ArticleList { articles }))
}

/// One published article, in the requested language or, failing that, in English
/// (`lang` in the answer says which; `available` lists the others).
#[utoipa::path(
    get, path = "/api/v1/kb/articles/{slug}", tag = "kb",
    params(("slug" = String, Path, description = "Article slug"), LangParam),
    responses(
        (status = 200, description = "The article", body = Article),
        (status = 400, description = "Malformed slug", body = ErrorBody),
        (status = 404, description = "No published article with this slug", body = ErrorBody),
    )
)]
pub async fn get_article(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiQuery(q): ApiQuery<LangParam>,
) -> ApiResult<Json<Article>> {
    let requested = language(&q.lang);
    let slug = slug.slug("Article")?;
    let stored = kb::published(&state.db, slug, requested)
        .await?
        .ok_or_else(|| ApiError::not_found("Article"))?;
    let breadcrumbs = kb::breadcrumbs(&state.db, stored.category_id, requested).await?;
    let related = kb::related(&state.db, stored.id, stored.category_id, requested).await?;
    // Rendered here, so a reader's first page needs no Markdown renderer of its own.
    let rendered = markdown::render(&stored.body, &CalloutLabels::for_language(requested));
    Ok(Json(Article {
        slug: slug.clone(),
        lang: stored.lang,
        requested,
        available: stored.available,
        title: stored.title,
        summary: stored.summary,
        body: stored.body,
        html: rendered.html,
        toc: rendered.toc,
        tags: stored
            .tags
            .split(", ")
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        breadcrumbs,
        updated_at: stored.updated_at,
        related,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What the user typed; the last word counts as a prefix unless followed by a space.
    #[param(max_length = 200)]
    pub q: String,
    #[serde(default)]
    pub lang: Option<String>,
    /// `any`: a result needs only one of the words (more rank higher), for text not
    /// typed as a search, like a ticket's subject. Default `all`.
    #[serde(default, rename = "match")]
    #[param(pattern = "^(all|any)$")]
    pub match_mode: Option<String>,
    /// At most 50; default 8.
    #[serde(default)]
    pub limit: Option<i64>,
    /// Also match guided diagnostics, at most this many (up to 10); default none.
    #[serde(default)]
    pub flows: Option<u32>,
}

/// Full-text search with stemming in the requested language, ranked title > summary
/// and tags > body, with highlighted excerpts.
#[utoipa::path(
    get, path = "/api/v1/kb/search", tag = "kb", params(SearchParams),
    responses(
        (status = 200, description = "Matches, best first", body = SearchResults),
        (status = 400, description = "`q` missing or `limit` not a number", body = ErrorBody),
        (status = 422, description = "Query too long", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    if q.q.chars().count() > MAX_SEARCH_CHARS {
        return Err(FieldError::new("q", Reason::too_long(MAX_SEARCH_CHARS))
            .because(format!(
                "Search text must have at most {MAX_SEARCH_CHARS} characters"
            ))
            .into());
    }
    let started = Instant::now();
    let limit = q.limit.unwrap_or(8).clamp(1, 50) as usize;
    let mode = match q.match_mode.as_deref() {
        None | Some("all") => search::Match::All,
        Some("any") => search::Match::Any,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                format!("match must be `all` or `any`, not {other:?}"),
            ));
        }
    };
    let results = search::search_kb(
        &state.db,
        &state.search,
        &q.q,
        language(&q.lang),
        mode,
        limit,
    )
    .await?;
    tracing::debug!(
        elapsed_us = started.elapsed().as_micros() as u64,
        hits = results.hits.len(),
        "kb search"
    );
    // Only the words-for-a-problem search of the portal asks for flows (`flows=3`).
    let flows = match q.flows.unwrap_or(0).min(10) {
        0 => Vec::new(),
        n => {
            let query = search::analyze::Query::parse(&q.q, language(&q.lang));
            let published = crate::store::flows::published(&state.db).await?;
            search::flows::match_flows(&published, &query, language(&q.lang), n as usize)
        }
    };
    Ok(Json(SearchResults {
        query: q.q,
        hits: results.hits,
        flows,
        suggestion: results.suggestion,
        offline: false,
    }))
}

/// "Did this help?" — one vote per browser per article; voting again replaces it.
#[utoipa::path(
    put, path = "/api/v1/kb/articles/{slug}/vote", tag = "kb",
    params(("slug" = String, Path, description = "Article slug"), LangParam),
    request_body = VoteRequest,
    responses(
        (status = 204, description = "Vote recorded"),
        (status = 404, description = "No published article with this slug", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
        (status = 429, description = "Too many votes from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn vote(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiQuery(q): ApiQuery<LangParam>,
    ApiJson(request): ApiJson<VoteRequest>,
) -> ApiResult<StatusCode> {
    let voter = request.voter.as_str();
    let voter_ok = (16..=128).contains(&voter.len())
        && voter
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !voter_ok {
        return Err(FieldError::new("voter", Reason::BadFormat)
            .because("Voter id must have 16 to 128 letters, digits or hyphens")
            .into());
    }
    if request
        .session
        .as_deref()
        .is_some_and(|s| !selfdesk_shared::self_service::valid_session(s))
    {
        return Err(FieldError::new("session", Reason::BadFormat)
            .because("A session id must be 16 to 100 letters, digits or hyphens")
            .into());
    }
    let comment = request
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if request
        .comment
        .as_deref()
        .is_some_and(|c| c.chars().count() > MAX_VOTE_COMMENT_CHARS)
    {
        return Err(
            FieldError::new("comment", Reason::too_long(MAX_VOTE_COMMENT_CHARS))
                .because(format!(
                    "Comment must have at most {MAX_VOTE_COMMENT_CHARS} characters"
                ))
                .into(),
        );
    }
    if request.helpful && (request.reason.is_some() || comment.is_some()) {
        return Err(FieldError::new("reason", Reason::NotAllowed)
            .because("A reason is only given when the article did not help")
            .into());
    }
    rate_limits::take_one(&state, Action::Vote, &client).await?;
    let voter_hash = token_hash(voter);
    let session_hash = request.session.as_deref().map(token_hash);
    let recorded = kb::vote(
        &state.db,
        slug.slug("Article")?,
        &kb::Vote {
            voter_hash: &voter_hash,
            lang: language(&q.lang),
            helpful: request.helpful,
            reason: request.reason,
            comment,
            session_hash: session_hash.as_deref(),
        },
    )
    .await?;
    if recorded {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("Article"))
    }
}
