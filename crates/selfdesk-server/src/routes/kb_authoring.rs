//! The knowledge base, technician side: drafts, revisions, publishing, status and
//! statistics. Every handler takes `Staff`: any signed-in staff member may write
//! articles; anyone else gets 401.
//!
//! Readers see only `kb_translations` of published articles. Saving writes a new
//! revision beside it; publishing copies one revision into it. So a draft edit of a
//! published article changes nothing for readers until someone publishes it.

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::kb_authoring::{
    ArticleStats, ArticleStatus, CreateArticleRequest, MAX_BODY_CHARS, PublishRequest,
    RenameArticleRequest, Revision, RevisionList, SaveRevisionRequest, StaffArticle,
    StaffArticleList, StaffArticleSort, StaffTranslation, StatusChange, check_lang, check_slug,
};
use selfdesk_shared::language::Language;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::SlugInPath;
use crate::auth::extract::Staff;
use crate::db::Db;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::store::kb::{self, TranslationText};
use crate::store::kb_authoring::{self as authoring, ArticleRow, NewRevision};

/// Article text may have [`MAX_BODY_CHARS`] characters; as JSON each can take up to 6
/// bytes (`\u0001`), so the routes that carry it accept 1 MiB instead of the global
/// 64 KiB. The character limit itself is checked after parsing, with a field error.
const ARTICLE_BODY_LIMIT: usize = 1024 * 1024;
const _: () = assert!(ARTICLE_BODY_LIMIT > MAX_BODY_CHARS * 6 + 16 * 1024);

pub fn router() -> OpenApiRouter<AppState> {
    let with_text = OpenApiRouter::new()
        .routes(routes!(list_articles, create_article))
        .routes(routes!(list_revisions, save_revision))
        .layer(DefaultBodyLimit::max(ARTICLE_BODY_LIMIT));
    OpenApiRouter::new()
        .merge(with_text)
        .routes(routes!(get_article, rename_article))
        .routes(routes!(get_revision))
        .routes(routes!(restore_revision))
        .routes(routes!(publish))
        .routes(routes!(set_status))
        .routes(routes!(article_stats))
}

async fn find_article(db: &Db, slug: &str) -> ApiResult<ArticleRow> {
    authoring::article(db, slug)
        .await?
        .ok_or_else(|| ApiError::not_found("Article"))
}

async fn category_id(db: &Db, slug: &str) -> ApiResult<i64> {
    kb::category_id(db, slug).await?.ok_or_else(|| {
        FieldError::new("category", Reason::Unknown)
            .because(format!("There is no category {slug:?}"))
            .into()
    })
}

/// The article with each language's newest revision and what readers see of it.
async fn staff_article(db: &Db, article: ArticleRow) -> ApiResult<StaffArticle> {
    authoring::adopt_published_text(db, article.id).await?;
    let publications = authoring::publications(db, article.id).await?;
    let translations = authoring::latest_revisions(db, article.id)
        .await?
        .into_iter()
        .map(|latest| {
            let published = publications.iter().find(|p| p.lang == latest.lang);
            StaffTranslation {
                lang: latest.lang,
                published_revision: published.map(|p| p.revision),
                published_at: published.map(|p| p.published_at),
                latest,
            }
        })
        .collect();
    Ok(StaffArticle {
        status: article.status(),
        slug: article.slug,
        category: article.category,
        created_at: article.created_at,
        updated_at: article.updated_at,
        views: article.views,
        translations,
    })
}

async fn reload(db: &Db, slug: &str) -> ApiResult<Json<StaffArticle>> {
    let article = find_article(db, slug).await?;
    Ok(Json(staff_article(db, article).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffListParams {
    /// Only articles in this status.
    #[serde(default)]
    #[param(inline)]
    pub status: Option<ArticleStatus>,
    /// Default `updated_at`; every order is descending.
    #[serde(default)]
    #[param(inline)]
    pub sort: Option<StaffArticleSort>,
}

/// Every article in any status, with its languages and what readers made of it;
/// newest change for readers first unless `sort` says otherwise.
#[utoipa::path(
    get, path = "/api/v1/staff/kb/articles", tag = "kb-authoring",
    security(("session" = [])), params(StaffListParams),
    responses(
        (status = 200, description = "All articles", body = StaffArticleList),
        (status = 400, description = "Unknown `status` or `sort`", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list_articles(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(q): ApiQuery<StaffListParams>,
) -> ApiResult<Json<StaffArticleList>> {
    let articles = authoring::list(&state.db, q.status, q.sort.unwrap_or_default()).await?;
    Ok(Json(StaffArticleList { articles }))
}

/// Creates a draft article with its first revision. Readers see nothing until a
/// revision is published.
#[utoipa::path(
    post, path = "/api/v1/staff/kb/articles", tag = "kb-authoring",
    security(("session" = [])),
    request_body = CreateArticleRequest,
    responses(
        (status = 201, description = "Created as a draft", body = StaffArticle),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Slug already used (`field`: `slug`)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn create_article(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<CreateArticleRequest>,
) -> ApiResult<(StatusCode, Json<StaffArticle>)> {
    let text = request.check()?;
    let category_id = category_id(&state.db, &text.category).await?;
    authoring::create_article(
        &state.db,
        &request.slug,
        category_id,
        &text,
        staff.member.id,
    )
    .await?;
    let Json(article) = reload(&state.db, &request.slug).await?;
    Ok((StatusCode::CREATED, Json(article)))
}

/// An article in any status, with each language's newest revision and the revision
/// readers see.
#[utoipa::path(
    get, path = "/api/v1/staff/kb/articles/{slug}", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Article slug")),
    responses(
        (status = 200, description = "The article", body = StaffArticle),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No article with this slug", body = ErrorBody),
    )
)]
pub async fn get_article(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
) -> ApiResult<Json<StaffArticle>> {
    reload(&state.db, slug.slug("Article")?).await
}

/// Gives the article a new slug. Readers' links to the old one stop working.
#[utoipa::path(
    patch, path = "/api/v1/staff/kb/articles/{slug}", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Current slug")),
    request_body = RenameArticleRequest,
    responses(
        (status = 200, description = "Renamed", body = StaffArticle),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No article with this slug", body = ErrorBody),
        (status = 409, description = "Slug already used (`field`: `slug`)", body = ErrorBody),
        (status = 422, description = "Malformed slug (`field`: `slug`)", body = ErrorBody),
    )
)]
pub async fn rename_article(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiJson(request): ApiJson<RenameArticleRequest>,
) -> ApiResult<Json<StaffArticle>> {
    check_slug(&request.slug)?;
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    if article.slug != request.slug {
        authoring::rename(&state.db, article.id, &request.slug).await?;
    }
    reload(&state.db, &request.slug).await
}

/// Saves a new revision of one language. Readers see no change until it is published.
#[utoipa::path(
    post, path = "/api/v1/staff/kb/articles/{slug}/revisions", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Article slug")),
    request_body = SaveRevisionRequest,
    responses(
        (status = 201, description = "Saved", body = Revision),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No article with this slug", body = ErrorBody),
        (status = 409, description = "A newer revision than `base_revision` exists (`field`: `base_revision`)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn save_revision(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiJson(request): ApiJson<SaveRevisionRequest>,
) -> ApiResult<(StatusCode, Json<Revision>)> {
    let text = request.check()?;
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    let category_id = category_id(&state.db, &text.category).await?;
    authoring::adopt_published_text(&state.db, article.id).await?;
    let base = request.base_revision.unwrap_or(0);
    let saved = authoring::insert_revision(
        &state.db,
        &NewRevision {
            article_id: article.id,
            text: &text,
            category_id,
            author_id: Some(staff.member.id),
            restored_from: None,
            base,
            created_at: crate::unix_now(),
        },
    )
    .await?;
    let Some(number) = saved else {
        return Err(stale_base(&state.db, article.id, text.lang, base).await);
    };
    let revision = stored_revision(&state.db, &article, text.lang, number).await?;
    Ok((StatusCode::CREATED, Json(revision.revision)))
}

/// 409 naming the revision that was saved in between, so the editor can offer to
/// compare it with the technician's text.
async fn stale_base(db: &Db, article_id: i64, lang: Language, base: i64) -> ApiError {
    let latest = match authoring::latest_number(db, article_id, lang).await {
        Ok(latest) => latest,
        Err(err) => return err.into(),
    };
    let message = if base == 0 {
        format!(
            "This language already has revisions (the newest is {latest}); open it and send its number as base_revision"
        )
    } else {
        format!(
            "Revision {latest} was saved after revision {base}, which you started from; compare and save again on top of {latest}"
        )
    };
    ApiError::new(ErrorCode::Conflict, message).with_field("base_revision")
}

async fn stored_revision(
    db: &Db,
    article: &ArticleRow,
    lang: Language,
    number: i64,
) -> ApiResult<authoring::StoredRevision> {
    authoring::revision(db, article.id, lang, number)
        .await?
        .ok_or_else(|| ApiError::not_found("Revision"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevisionLang {
    /// `en`, `ru`, `fr` or `nb`.
    #[param(pattern = "^(en|ru|fr|nb)$")]
    pub lang: String,
}

/// One language's history, newest first, and which revision readers see.
#[utoipa::path(
    get, path = "/api/v1/staff/kb/articles/{slug}/revisions", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Article slug"), RevisionLang),
    responses(
        (status = 200, description = "Revisions, newest first", body = RevisionList),
        (status = 400, description = "`lang` missing", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No article with this slug", body = ErrorBody),
        (status = 422, description = "Unsupported language (`field`: `lang`)", body = ErrorBody),
    )
)]
pub async fn list_revisions(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiQuery(q): ApiQuery<RevisionLang>,
) -> ApiResult<Json<RevisionList>> {
    let lang = check_lang(&q.lang)?;
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    authoring::adopt_published_text(&state.db, article.id).await?;
    let revisions = authoring::history(&state.db, article.id, lang).await?;
    let published_revision = authoring::publications(&state.db, article.id)
        .await?
        .into_iter()
        .find(|p| p.lang == lang)
        .map(|p| p.revision);
    Ok(Json(RevisionList {
        slug: article.slug,
        lang,
        published_revision,
        revisions,
    }))
}

/// One revision with its full text (two of these make a diff in the editor).
#[utoipa::path(
    get, path = "/api/v1/staff/kb/articles/{slug}/revisions/{number}", tag = "kb-authoring",
    security(("session" = [])),
    params(
        ("slug" = String, Path, description = "Article slug"),
        ("number" = i64, Path, description = "Revision number"),
        RevisionLang,
    ),
    responses(
        (status = 200, description = "The revision", body = Revision),
        (status = 400, description = "`lang` missing or `number` not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such article or revision", body = ErrorBody),
        (status = 422, description = "Unsupported language (`field`: `lang`)", body = ErrorBody),
    )
)]
pub async fn get_revision(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath((slug, number)): ApiPath<(SlugInPath, i64)>,
    ApiQuery(q): ApiQuery<RevisionLang>,
) -> ApiResult<Json<Revision>> {
    let lang = check_lang(&q.lang)?;
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    authoring::adopt_published_text(&state.db, article.id).await?;
    let stored = stored_revision(&state.db, &article, lang, number).await?;
    Ok(Json(stored.revision))
}

/// Saves a copy of an old revision as the newest one; history is never rewritten.
/// Readers see no change until the new revision is published.
#[utoipa::path(
    post, path = "/api/v1/staff/kb/articles/{slug}/revisions/{number}/restore", tag = "kb-authoring",
    security(("session" = [])),
    params(
        ("slug" = String, Path, description = "Article slug"),
        ("number" = i64, Path, description = "The revision to restore"),
        RevisionLang,
    ),
    responses(
        (status = 201, description = "The new revision", body = Revision),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such article or revision", body = ErrorBody),
        (status = 409, description = "Someone saved at the same moment; try again", body = ErrorBody),
        (status = 422, description = "Unsupported language (`field`: `lang`)", body = ErrorBody),
    )
)]
pub async fn restore_revision(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((slug, number)): ApiPath<(SlugInPath, i64)>,
    ApiQuery(q): ApiQuery<RevisionLang>,
) -> ApiResult<(StatusCode, Json<Revision>)> {
    let lang = check_lang(&q.lang)?;
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    authoring::adopt_published_text(&state.db, article.id).await?;
    let old = stored_revision(&state.db, &article, lang, number).await?;
    let base = authoring::latest_number(&state.db, article.id, lang).await?;
    let saved = authoring::insert_revision(
        &state.db,
        &NewRevision {
            article_id: article.id,
            text: &old.text(),
            category_id: old.category_id,
            author_id: Some(staff.member.id),
            restored_from: Some(number),
            base,
            created_at: crate::unix_now(),
        },
    )
    .await?;
    let Some(number) = saved else {
        return Err(stale_base(&state.db, article.id, lang, base).await);
    };
    let revision = stored_revision(&state.db, &article, lang, number).await?;
    Ok((StatusCode::CREATED, Json(revision.revision)))
}

/// Readers get this revision's text in its language; the article becomes published
/// (also when it was a draft or archived) in the revision's category.
#[utoipa::path(
    post, path = "/api/v1/staff/kb/articles/{slug}/publish", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Article slug")),
    request_body = PublishRequest,
    responses(
        (status = 200, description = "Published", body = StaffArticle),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such article or revision", body = ErrorBody),
        (status = 422, description = "Unsupported language (`field`: `lang`)", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiJson(request): ApiJson<PublishRequest>,
) -> ApiResult<Json<StaffArticle>> {
    let lang = check_lang(&request.lang)?;
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    authoring::adopt_published_text(&state.db, article.id).await?;
    let revision = stored_revision(&state.db, &article, lang, request.revision).await?;
    let text = &revision.revision;
    // Text first, then the record of it: should the second step fail, readers already
    // have the new text and publishing again repairs the record.
    kb::upsert_translation(
        &state.db,
        article.id,
        &TranslationText {
            lang,
            title: &text.title,
            summary: &text.summary,
            body: &text.body,
            tags: &text.tags,
        },
    )
    .await?;
    authoring::record_publication(&state.db, &article, lang, &revision, staff.member.id).await?;
    reload(&state.db, slug.slug("Article")?).await
}

/// Archives an article (readers no longer see it) or publishes it again.
#[utoipa::path(
    put, path = "/api/v1/staff/kb/articles/{slug}/status", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Article slug")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "Status changed (or already so)", body = StaffArticle),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No article with this slug", body = ErrorBody),
        (status = 422, description = "Not an allowed move, or nothing published yet (`field`: `status`)", body = ErrorBody),
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiJson(request): ApiJson<StatusChange>,
) -> ApiResult<Json<StaffArticle>> {
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    let (from, to) = (article.status(), request.status);
    if from == to {
        return Ok(Json(staff_article(&state.db, article).await?));
    }
    if !from.can_change_to(to) {
        // Only moves back to draft are refused.
        return Err(FieldError::new("status", Reason::NotAllowed)
            .because(format!(
                "A {} article cannot go back to draft (every edit already is a draft revision); archive it to hide it from readers",
                from.as_str()
            ))
            .into());
    }
    if to == ArticleStatus::Published
        && authoring::published_language_count(&state.db, article.id).await? == 0
    {
        return Err(FieldError::new("status", Reason::NotAllowed)
            .because("Nothing of this article has been published yet: publish a revision instead")
            .into());
    }
    authoring::set_status(&state.db, article.id, to).await?;
    reload(&state.db, slug.slug("Article")?).await
}

/// Views and "Did this help?" votes, with the reasons and newest comments of readers
/// it did not help: what shows an article has gone stale.
#[utoipa::path(
    get, path = "/api/v1/staff/kb/articles/{slug}/stats", tag = "kb-authoring",
    security(("session" = [])),
    params(("slug" = String, Path, description = "Article slug")),
    responses(
        (status = 200, description = "The article's numbers", body = ArticleStats),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No article with this slug", body = ErrorBody),
    )
)]
pub async fn article_stats(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
) -> ApiResult<Json<ArticleStats>> {
    let article = find_article(&state.db, slug.slug("Article")?).await?;
    Ok(Json(authoring::stats(&state.db, &article).await?))
}
