//! The anonymous search log: the portal reports each search (what was typed, how many
//! articles it found, which one was opened), and staff see the searches that did not
//! help — those that found nothing, and those whose results nobody opened — to know
//! which articles to write.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::error::{ErrorBody, ErrorCode, FieldError, Reason};
use selfdesk_shared::kb::MAX_SEARCH_CHARS;
use selfdesk_shared::language::Language;
use selfdesk_shared::search::{
    MAX_SEARCH_HITS, MAX_SEARCH_REPORTS, SearchGaps, SearchReport, normalise_query,
};
use selfdesk_shared::self_service::valid_session;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Staff;
use crate::auth::session::token_hash;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::search::{self as store, Gap, SearchRecord};
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report_searches))
        .routes(routes!(search_gaps))
}

/// Searches as they went, a batch at a time, fire-and-forget: the portal sends what
/// piled up (or uses `sendBeacon` as the page closes). Only hashes of the search and
/// session ids are stored; the latest report of each search wins, and an article once
/// opened stays recorded. A query with no words (only punctuation) is not recorded.
#[utoipa::path(
    post, path = "/api/v1/kb/searches", tag = "search",
    request_body = Vec<SearchReport>,
    responses(
        (status = 204, description = "Recorded"),
        (status = 422, description = "A report is malformed, or more than 20 were sent; `field` names it", body = ErrorBody),
        (status = 429, description = "Too many reports from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn report_searches(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(reports): ApiJson<Vec<SearchReport>>,
) -> ApiResult<StatusCode> {
    if reports.len() > MAX_SEARCH_REPORTS {
        return Err(
            FieldError::new("reports", Reason::too_many(MAX_SEARCH_REPORTS))
                .because(format!(
                    "Send at most {MAX_SEARCH_REPORTS} reports at a time"
                ))
                .into(),
        );
    }
    for (i, report) in reports.iter().enumerate() {
        if let Some((field, reason, message)) = problem(report) {
            return Err(FieldError::new(format!("{i}.{field}"), reason)
                .because(message)
                .into());
        }
    }
    if reports.is_empty() {
        return Ok(StatusCode::NO_CONTENT);
    }
    // Each report counts, however they are batched.
    rate_limits::take(
        &state.db,
        &state.protect.rate_limits,
        Action::Search,
        &client,
        reports.len() as u32,
        0,
    )
    .await?;
    let now = unix_now();
    for report in &reports {
        let query = normalise_query(&report.query);
        if query.is_empty() {
            continue;
        }
        let session = report.session.as_deref().map(token_hash);
        let record = SearchRecord {
            id_hash: &token_hash(&report.id),
            session_hash: session.as_deref(),
            lang: report.lang,
            query: &query,
            hits: report.hits,
            opened: report.opened.as_deref(),
        };
        store::record_search(&state.db, &record, now).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A report's first problem: the field, why, and in English.
fn problem(report: &SearchReport) -> Option<(&'static str, Reason, String)> {
    if !valid_session(&report.id) {
        return Some((
            "id",
            Reason::BadFormat,
            "A search id must be 16 to 100 letters, digits or hyphens".into(),
        ));
    }
    if report.session.as_deref().is_some_and(|s| !valid_session(s)) {
        return Some((
            "session",
            Reason::BadFormat,
            "A session id must be 16 to 100 letters, digits or hyphens".into(),
        ));
    }
    let trimmed = report.query.trim();
    if trimmed.is_empty() || report.query.chars().count() > MAX_SEARCH_CHARS {
        return Some((
            "query",
            Reason::text_length(trimmed, MAX_SEARCH_CHARS),
            format!("The query must have 1 to {MAX_SEARCH_CHARS} characters"),
        ));
    }
    if report.hits > MAX_SEARCH_HITS {
        return Some((
            "hits",
            Reason::OutOfRange {
                min: 0,
                max: MAX_SEARCH_HITS.into(),
            },
            format!("Hits are 0 to {MAX_SEARCH_HITS}"),
        ));
    }
    None
}

const MAX_DAYS: i64 = 366;
const MAX_GAPS: u32 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapsParams {
    /// The period, in days up to now: 1 to 366, default 30.
    #[serde(default)]
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
    /// Only searches in this language; every language's when left out.
    #[serde(default)]
    pub lang: Option<Language>,
    /// At most this many queries in each list: 1 to 100, default 20.
    #[serde(default)]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The searches that did not help over the last `days` days: the most frequent
/// queries that found nothing, and those that found articles none of their searchers
/// opened, each with how many of the sessions that searched it filed a ticket.
#[utoipa::path(
    get, path = "/api/v1/staff/kb/search-gaps", tag = "search",
    params(GapsParams), security(("session" = [])),
    responses(
        (status = 200, description = "The counts and both lists, most frequent first", body = SearchGaps),
        (status = 400, description = "`days`, `limit` or `lang` is out of range", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn search_gaps(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(q): ApiQuery<GapsParams>,
) -> ApiResult<Json<SearchGaps>> {
    let days = q.days.unwrap_or(30);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError::new(
            ErrorCode::InvalidParameter,
            format!("days is 1 to {MAX_DAYS}"),
        ));
    }
    let limit = q.limit.unwrap_or(20);
    if !(1..=MAX_GAPS).contains(&limit) {
        return Err(ApiError::new(
            ErrorCode::InvalidParameter,
            format!("limit is 1 to {MAX_GAPS}"),
        ));
    }
    let since = unix_now() - days * 86_400;
    let (searches, no_results, not_opened) = tokio::try_join!(
        store::search_count(&state.db, since, q.lang),
        store::gaps(&state.db, Gap::NoResults, since, q.lang, limit),
        store::gaps(&state.db, Gap::NotOpened, since, q.lang, limit),
    )?;
    Ok(Json(SearchGaps {
        days,
        searches,
        no_results,
        not_opened,
    }))
}
