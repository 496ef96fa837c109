//! The technicians' queue: the filtered, deadline-ordered list of tickets, its live
//! stream, and who tickets can be assigned to. Every endpoint requires a signed-in
//! staff member; every technician sees the whole queue.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::queue::{
    Assignee, AssigneeList, Cursor, DEFAULT_PAGE, MAX_PAGE, QueueChange, QueueFilter, QueueItem,
    QueuePage, StaffRef, role_tier, row_standing,
};
use selfdesk_shared::sla::Priority;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketStatus;
use selfdesk_shared::tier::Tier;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Staff;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::state::AppState;
use crate::store::{queue, staff, tickets};
use crate::tickets::stream::{self, Viewer};
use crate::unix_now;

/// The "due soon" count looks this far ahead.
const DUE_SOON_HOURS: u32 = 4;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(live))
        .routes(routes!(assignees))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// open (default), new, in_progress, waiting_for_requester, resolved, closed, all
    #[param(
        pattern = "^\\s*(open|new|in_progress|waiting_for_requester|resolved|closed|all)?\\s*$"
    )]
    status: Option<String>,
    /// 1, 2 or 3
    #[param(pattern = "^\\s*(\\+?0*[123])?\\s*$")]
    tier: Option<String>,
    /// p1 to p4
    #[param(pattern = "^\\s*(p[1-4])?\\s*$")]
    priority: Option<String>,
    /// A category slug.
    #[param(pattern = "^\\s*[a-z0-9-]{0,64}\\s*$")]
    category: Option<String>,
    /// me, none, any, or a staff id
    #[param(pattern = "^\\s*(me|none|any|\\+?0*[1-9][0-9]{0,17})?\\s*$")]
    assignee: Option<String>,
    /// breached, or a number of hours (1 to 744): a deadline passes within that time
    #[param(
        pattern = "^\\s*(breached|\\+?0*([1-9]|[1-9][0-9]|[1-6][0-9]{2}|7[0-3][0-9]|74[0-4]))?\\s*$"
    )]
    due: Option<String>,
    /// due (default: next deadline first) or newest
    #[param(pattern = "^\\s*(due|newest)?\\s*$")]
    sort: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = "^([+-]?[0-9]{1,18}\\.[+-]?[0-9]{1,18})?$")]
    after: Option<String>,
    /// 1 to 200; 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// A page of the queue, next deadline first, with the counts for the quick filters.
#[utoipa::path(
    get, path = "/api/v1/staff/tickets", tag = "staff-tickets",
    params(QueueParams), security(("session" = [])),
    responses(
        (status = 200, description = "One page of tickets", body = QueuePage),
        (status = 400, description = "A filter value is not one the queue knows", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(q): ApiQuery<QueueParams>,
) -> ApiResult<Json<QueuePage>> {
    let filter = QueueFilter::parse(
        q.status.as_deref(),
        q.tier.as_deref(),
        q.priority.as_deref(),
        q.category.as_deref(),
        q.assignee.as_deref(),
        q.due.as_deref(),
        q.sort.as_deref(),
    )
    .map_err(|(_, message)| ApiError::new(ErrorCode::InvalidParameter, message))?;
    let after = match q.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(Cursor::parse(a).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidParameter,
                "after is the `next` value of a previous page",
            )
        })?),
    };
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::new(
            ErrorCode::InvalidParameter,
            format!("limit is 1 to {MAX_PAGE}"),
        ));
    }
    let me = staff.member.id;
    let now = unix_now();
    let (mut rows, counts) = tokio::try_join!(
        queue::page(&state.db, &filter, me, now, after, limit),
        queue::counts(&state.db, me, now, DUE_SOON_HOURS),
    )?;
    let next = (rows.len() > limit as usize).then(|| {
        rows.truncate(limit as usize);
        let last = rows.last().expect("more rows than the limit");
        Cursor {
            key: last.sla_due_at,
            id: last.id,
        }
        .encode()
    });
    let warn = state.sla.current().warn_before_secs;
    let tickets = rows
        .into_iter()
        .map(|r| QueueItem {
            sla: row_standing(r.sla_due_at, now, warn),
            number: r.number,
            subject: r.subject,
            requester_name: r.requester_name,
            category: r.category,
            status: TicketStatus::parse(&r.status).unwrap_or(TicketStatus::New),
            tier: Tier::nearest(r.tier),
            priority: Priority::parse(&r.priority).unwrap_or(Priority::P3),
            assignee: r.assignee_id.map(|id| StaffRef {
                id,
                display_name: r.assignee_name.unwrap_or_default(),
            }),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect();
    Ok(Json(QueuePage {
        tickets,
        next,
        counts,
    }))
}

/// Tickets arriving or changing, for the queue to refresh: one `QueueChange` per
/// ticket event (internal notes included). An empty `number` means "events were
/// missed: read the whole page again".
#[utoipa::path(
    get, path = "/api/v1/staff/queue/events", tag = "staff-tickets",
    security(("session" = [])),
    responses(
        (status = 200, description = "text/event-stream of QueueChange JSON; ends within 10 s of the session ending", content_type = "text/event-stream", body = QueueChange),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 429, description = "Too many live connections from this address", body = ErrorBody),
    )
)]
pub async fn live(
    State(state): State<AppState>,
    staff: Staff,
    client: ClientAddr,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let slot = state.protect.streams.acquire(None, client.staff_key())?;
    let viewer = Viewer::Staff {
        session_hash: staff.session_hash,
    };
    let recheck = stream::recheck_timer();
    let receiver = state.feed.subscribe();
    let start = (state, receiver, viewer, recheck, slot);
    let stream = futures_util::stream::unfold(
        start,
        |(state, mut rx, viewer, mut recheck, slot)| async move {
            let number = loop {
                tokio::select! {
                    row = rx.recv() => break match row {
                        Ok(row) => tickets::number_for_id(&state.db, row.ticket_id)
                            .await
                            .ok()
                            .flatten()
                            .map(TicketNumber::into_inner)
                            .unwrap_or_default(),
                        Err(RecvError::Lagged(_)) => String::new(),
                        Err(RecvError::Closed) => return None,
                    },
                    _ = recheck.tick() => {
                        // The queue shows internal changes: it ends with the session.
                        if !viewer.still_allowed(&state, 0).await {
                            return None;
                        }
                    }
                }
            };
            let event = Event::default()
                .json_data(QueueChange { number })
                .unwrap_or_default();
            Some((Ok(event), (state, rx, viewer, recheck, slot)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Active staff, for the "assign to" choice (any technician may see their colleagues'
/// names and tiers; only admins see accounts).
#[utoipa::path(
    get, path = "/api/v1/staff/assignees", tag = "staff-tickets",
    security(("session" = [])),
    responses(
        (status = 200, description = "Active staff", body = AssigneeList),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn assignees(
    State(state): State<AppState>,
    _staff: Staff,
) -> ApiResult<Json<AssigneeList>> {
    let staff = staff::list(&state.db)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| Assignee {
            id: m.id,
            display_name: m.display_name,
            tier: role_tier(m.role),
        })
        .collect();
    Ok(Json(AssigneeList { staff }))
}
