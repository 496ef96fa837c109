//! The technicians' side of diagnostics: drafts written as TOML, checked as they are
//! saved, published as numbered versions; export for review and version control; and
//! how walks through each flow went.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderName, header};
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::flows::api::{
    FlowStats, MAX_FLOW_SOURCE_BYTES, SaveFlowDraft, StaffFlowListItem, StaffFlowView,
};
use selfdesk_shared::flows::check_flow_slug;
use selfdesk_shared::language::Language;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::SlugInPath;
use crate::auth::extract::Staff;
use crate::db::Db;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::flows::source::{Known, check};
use crate::state::AppState;
use crate::store::flows;
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_flow))
        .routes(routes!(save_draft, discard_draft))
        .routes(routes!(publish))
        .routes(routes!(export))
        .routes(routes!(stats))
}

/// What the checks need to know about the rest of the help desk.
async fn known(db: &Db) -> sqlx::Result<Known> {
    Ok(Known {
        articles: flows::published_article_slugs(db)
            .await?
            .into_iter()
            .collect(),
        categories: flows::category_slugs(db).await?.into_iter().collect(),
        flows: flows::published_slugs(db).await?.into_iter().collect(),
    })
}

/// Every flow, drafts included, with its walks over the last 30 days.
#[utoipa::path(
    get, path = "/api/v1/staff/flows", tag = "flows", security(("session" = [])),
    responses(
        (status = 200, description = "Flows by title", body = Vec<StaffFlowListItem>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> ApiResult<Json<Vec<StaffFlowListItem>>> {
    Ok(Json(
        flows::staff_list(&state.db, unix_now() - 30 * 86_400).await?,
    ))
}

/// The flow as its editor opens it: the draft if there is one, else the published
/// source, with every problem found in it and the parsed flow for the preview.
#[utoipa::path(
    get, path = "/api/v1/staff/flows/{slug}", tag = "flows", security(("session" = [])),
    params(("slug" = String, Path, description = "Flow slug")),
    responses(
        (status = 200, description = "The flow", body = StaffFlowView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such flow", body = ErrorBody),
    )
)]
pub async fn get_flow(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
) -> ApiResult<Json<StaffFlowView>> {
    let slug = slug.slug("flow")?;
    let row = existing(&state.db, slug).await?;
    view(&state.db, row).await.map(Json)
}

async fn view(db: &Db, row: flows::FlowRow) -> ApiResult<StaffFlowView> {
    let (source, is_draft) = match row.draft_source {
        Some(draft) => (draft, true),
        None => {
            let version = row.published_version.unwrap_or(0);
            let (source, _) = flows::version(db, &row.slug, version)
                .await?
                .ok_or_else(|| ApiError::internal("a flow with neither draft nor version"))?;
            (source, false)
        }
    };
    let (flow, problems) = check(&source, &row.slug, &known(db).await?);
    Ok(StaffFlowView {
        slug: row.slug,
        source,
        is_draft,
        saved_at: row.draft_saved_at,
        published_version: row.published_version,
        problems,
        flow,
    })
}

/// Saves the draft as written, whatever is wrong with it (nothing typed is lost), and
/// answers with the problems found. Creates the flow when the slug is new.
#[utoipa::path(
    put, path = "/api/v1/staff/flows/{slug}/draft", tag = "flows", security(("session" = [])),
    params(("slug" = String, Path, description = "Flow slug")),
    request_body = SaveFlowDraft,
    responses(
        (status = 200, description = "Saved; `problems` lists what must be fixed before publishing", body = StaffFlowView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 413, description = "The source is too long", body = ErrorBody),
        (status = 422, description = "The slug is invalid", body = ErrorBody),
    )
)]
pub async fn save_draft(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(draft): ApiJson<SaveFlowDraft>,
) -> ApiResult<Json<StaffFlowView>> {
    check_flow_slug(&slug)?;
    if draft.source.len() > MAX_FLOW_SOURCE_BYTES {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "A flow's text may have at most {} KB",
                MAX_FLOW_SOURCE_BYTES / 1024
            ),
        )
        .with_field("source"));
    }
    let (flow, _) = check(&draft.source, &slug, &Known::default());
    let title = flow
        .as_ref()
        .and_then(|f| f.title.get(Language::En))
        .map(str::to_owned);
    flows::save_draft(
        &state.db,
        &slug,
        &draft.source,
        title.as_deref(),
        staff.member.id,
    )
    .await?;
    let row = flows::get(&state.db, &slug)
        .await?
        .ok_or_else(|| ApiError::internal("a saved flow is missing"))?;
    view(&state.db, row).await.map(Json)
}

/// Drops the draft of a published flow; the editor shows the published version again.
#[utoipa::path(
    delete, path = "/api/v1/staff/flows/{slug}/draft", tag = "flows", security(("session" = [])),
    params(("slug" = String, Path, description = "Flow slug")),
    responses(
        (status = 200, description = "The published flow", body = StaffFlowView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such flow", body = ErrorBody),
        (status = 409, description = "Never published: the draft is all there is", body = ErrorBody),
    )
)]
pub async fn discard_draft(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
) -> ApiResult<Json<StaffFlowView>> {
    let slug = slug.slug("flow")?;
    let row = existing(&state.db, slug).await?;
    if row.published_version.is_none() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This flow was never published: its draft is all there is",
        ));
    }
    flows::discard_draft(&state.db, slug).await?;
    let row = existing(&state.db, slug).await?;
    view(&state.db, row).await.map(Json)
}

/// The flow at `slug`, or the 404 every staff endpoint answers without one.
async fn existing(db: &Db, slug: &str) -> ApiResult<flows::FlowRow> {
    flows::get(db, slug)
        .await?
        .ok_or_else(|| ApiError::not_found("flow"))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Published {
    pub version: i64,
}

/// Publishes the saved draft as the next version, if it has no problems. Walks under
/// way finish on the version they began.
#[utoipa::path(
    post, path = "/api/v1/staff/flows/{slug}/publish", tag = "flows", security(("session" = [])),
    params(("slug" = String, Path, description = "Flow slug")),
    responses(
        (status = 200, description = "Published", body = Published),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such flow", body = ErrorBody),
        (status = 409, description = "No draft to publish", body = ErrorBody),
        (status = 422, description = "The draft has problems; the first is in `message`", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
) -> ApiResult<Json<Published>> {
    let slug = slug.slug("flow")?;
    let row = existing(&state.db, slug).await?;
    let source = row.draft_source.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Conflict,
            "There is no draft to publish: save your changes first",
        )
    })?;
    let (flow, problems) = check(&source, slug, &known(&state.db).await?);
    if let Some(first) = problems.first() {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" ({} more problems)", n - 1),
        };
        return Err(FieldError::new("source", Reason::BadFormat)
            .because(format!("{}{more}", first.message))
            .into());
    }
    let flow = flow.ok_or_else(|| ApiError::internal("a flow without problems parses"))?;
    let version = flows::publish(&state.db, &flow, &source, Some(staff.member.id)).await?;
    tracing::info!(%slug, version, "flow published");
    Ok(Json(Published { version }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// A published version; the live one when left out.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A published version's TOML, exactly as it was written, as a file download.
#[utoipa::path(
    get, path = "/api/v1/staff/flows/{slug}/export", tag = "flows", security(("session" = [])),
    params(("slug" = String, Path, description = "Flow slug"), ExportParams),
    responses(
        (status = 200, description = "The flow as TOML", content_type = "application/toml", body = String),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such flow or version", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> ApiResult<([(HeaderName, String); 2], String)> {
    let slug = slug.slug("flow")?;
    let row = existing(&state.db, slug).await?;
    let version = q
        .version
        .or(row.published_version)
        .ok_or_else(|| ApiError::not_found("published version"))?;
    let (source, _) = flows::version(&state.db, slug, version)
        .await?
        .ok_or_else(|| ApiError::not_found("version"))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".into(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-v{version}.toml\""),
            ),
        ],
        source,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// The period, in days up to now: 1 to 366, default 30.
    #[serde(default)]
    pub days: Option<i64>,
}

/// How walks through the flow ended, and at which nodes requesters gave up.
#[utoipa::path(
    get, path = "/api/v1/staff/flows/{slug}/stats", tag = "flows", security(("session" = [])),
    params(("slug" = String, Path, description = "Flow slug"), StatsParams),
    responses(
        (status = 200, description = "Walk outcomes", body = FlowStats),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<StatsParams>,
) -> ApiResult<Json<FlowStats>> {
    let days = q.days.unwrap_or(30).clamp(1, 366);
    let since = unix_now() - days * 86_400;
    let [walks, resolved, tickets, abandoned] =
        flows::walk_counts(&state.db, Some(&slug), since).await?;
    let nodes = flows::abandoned_by_node(&state.db, &slug, since).await?;
    Ok(Json(FlowStats {
        slug,
        days,
        walks,
        resolved,
        tickets,
        abandoned,
        nodes,
    }))
}
