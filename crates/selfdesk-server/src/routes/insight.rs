//! Insight: the help desk's numbers for a period of its local dates, for every
//! signed-in staff member (an administrator sees each technician's row, others their
//! own). The figures are counted in `insight::report` from the stored facts.

use axum::Json;
use axum::extract::State;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::insight::{Insight, Period};
use selfdesk_shared::language::Language;
use selfdesk_shared::sla::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Staff;
use crate::error::{ApiQuery, ApiResult};
use crate::insight::report::{self, Asked};
use crate::state::AppState;
use crate::unix_now;

/// Without `from`, the period is this many days up to `to`.
const DEFAULT_DAYS: i64 = 30;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(insight))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InsightParams {
    /// The period's first day, a local date of the service levels' calendar. Default:
    /// 29 days before `to`.
    #[serde(default)]
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-11-01")]
    pub from: Option<String>,
    /// The period's last day, included; at most 366 days after `from`. Default: today.
    #[serde(default)]
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-11-30")]
    pub to: Option<String>,
    /// The language of category names, article and flow titles. Default: English.
    #[serde(default)]
    pub lang: Option<Language>,
}

/// The help desk's numbers for a period: tickets, speed, service levels, satisfaction,
/// self-service, and where the work went (per priority, category, tier and
/// technician), beside the same headline figures for the period before. What each
/// number means: docs/INSIGHT.md.
#[utoipa::path(
    get, path = "/api/v1/staff/insight", tag = "insight",
    params(InsightParams), security(("session" = [])),
    responses(
        (status = 200, description = "The period's figures", body = Insight),
        (status = 400, description = "`lang` is not a language of the portal", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "`from` or `to` is not a date, `to` is before `from`, or the period is longer than 366 days; `field` names which", body = ErrorBody),
    )
)]
pub async fn insight(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(q): ApiQuery<InsightParams>,
) -> ApiResult<Json<Insight>> {
    let policy = state.sla.current();
    let now = unix_now();
    let today = policy.calendar.local_date(now);
    let to = q.to.unwrap_or_else(|| today.to_string());
    let from = q.from.unwrap_or_else(|| {
        // A `to` that is no date is refused below, as `to`.
        Date::parse(&to)
            .unwrap_or(today)
            .add_days(1 - DEFAULT_DAYS)
            .to_string()
    });
    let period = Period::parse(&from, &to)?;
    // An admin session still owing its second factor sees what a technician sees.
    let mut viewer = staff.member.clone();
    if staff.lacks_required_second_factor(&state) {
        viewer.role = selfdesk_shared::auth::StaffRole::Tier3;
    }
    let asked = Asked {
        period,
        lang: q.lang.unwrap_or(Language::En),
        viewer: &viewer,
        now,
    };
    Ok(Json(
        report::insight(&state.db, &policy.calendar, asked).await?,
    ))
}
