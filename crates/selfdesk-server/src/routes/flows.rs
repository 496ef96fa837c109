//! Guided diagnostics for requesters: the published flows, and the anonymous walk
//! reports that measure them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::flows::Flow;
use selfdesk_shared::flows::api::{MAX_WALK_REPORTS, WalkReport};
use selfdesk_shared::kb::FlowHit;
use selfdesk_shared::language::Language;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::SlugInPath;
use crate::auth::session::token_hash;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::flows;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flows))
        .routes(routes!(get_flow))
        .routes(routes!(report_walks))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The language of the titles (`en`, `ru`, `fr`, `nb`); English by default and
    /// for flows not translated into it.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The published flows: the portal's entry points ("My printer doesn't work"), with
/// titles in one language — the same shape search gives, so the portal reads one.
#[utoipa::path(
    get, path = "/api/v1/flows", tag = "flows", params(ListParams),
    responses((status = 200, description = "Published flows, by slug", body = Vec<FlowHit>))
)]
pub async fn list_flows(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Vec<FlowHit>>> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::from_tag)
        .unwrap_or(Language::En);
    let flows = flows::published(&state.db).await?;
    Ok(Json(
        flows
            .iter()
            .filter_map(|f| flows::list_item(f, lang))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParam {
    /// A published version; the live one when left out. A walk begun on an older
    /// version finishes on it.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A published flow, every language included (the app picks the requester's).
#[utoipa::path(
    get, path = "/api/v1/flows/{slug}", tag = "flows",
    params(("slug" = String, Path, description = "Flow slug"), VersionParam),
    responses(
        (status = 200, description = "The flow", body = Flow),
        (status = 404, description = "No such flow or version", body = ErrorBody),
    )
)]
pub async fn get_flow(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<SlugInPath>,
    ApiQuery(q): ApiQuery<VersionParam>,
) -> ApiResult<([(axum::http::HeaderName, &'static str); 1], String)> {
    let slug = slug.slug("flow")?;
    let body = match q.version {
        Some(version) => flows::version(&state.db, slug, version)
            .await?
            .map(|(_, body)| body),
        None => flows::published_body(&state.db, slug).await?,
    };
    // The body is stored as the JSON it is served as: no parse and re-serialise.
    let body = body.ok_or_else(|| ApiError::not_found("flow"))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    ))
}

/// Where walks stand, a batch at a time, fire-and-forget: the browser sends what
/// piled up (or uses `sendBeacon` as the page closes). Only hashes of the walk and
/// session ids are stored; the latest report of each walk wins.
#[utoipa::path(
    post, path = "/api/v1/flows/walks", tag = "flows",
    request_body = Vec<WalkReport>,
    responses(
        (status = 204, description = "Recorded"),
        (status = 422, description = "A report is malformed; `field` names it", body = ErrorBody),
        (status = 429, description = "Too many reports from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn report_walks(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(reports): ApiJson<Vec<WalkReport>>,
) -> ApiResult<StatusCode> {
    if reports.len() > MAX_WALK_REPORTS {
        return Err(
            FieldError::new("reports", Reason::too_many(MAX_WALK_REPORTS))
                .because(format!("Send at most {MAX_WALK_REPORTS} reports at a time"))
                .into(),
        );
    }
    for (i, report) in reports.iter().enumerate() {
        if let Some((field, message)) = report.problem() {
            return Err(FieldError::new(format!("{i}.{field}"), Reason::BadFormat)
                .because(message)
                .into());
        }
    }
    // Each report counts, however they are batched.
    rate_limits::take(
        &state.db,
        &state.protect.rate_limits,
        Action::Walk,
        &client,
        reports.len() as u32,
        0,
    )
    .await?;
    for report in &reports {
        let session = report.session.as_deref().map(token_hash);
        flows::record_walk(
            &state.db,
            &token_hash(&report.walk),
            session.as_deref(),
            report,
        )
        .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
