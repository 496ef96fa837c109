//! Staff accounts, managed by admins.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::attachments::StorageUse;
use selfdesk_shared::auth::{
    CreateStaffRequest, NotificationSettings, StaffList, StaffMember, UpdateStaffRequest,
};
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::error::{FieldError, Reason};

use crate::auth::extract::{Admin, Staff};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::protect::storage_quota::WARN_AT_PERCENT;
use crate::state::AppState;
use crate::store::{staff, staff_notifications, storage};

/// Every staff account, active ones first.
#[utoipa::path(
    get, path = "/api/v1/staff", tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "All staff accounts", body = StaffList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn list_staff(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<StaffList>> {
    Ok(Json(StaffList {
        staff: staff::list(&state.db).await?,
    }))
}

/// Creates a staff account.
#[utoipa::path(
    post, path = "/api/v1/staff", tag = "staff",
    security(("session" = [])),
    request_body = CreateStaffRequest,
    responses(
        (status = 201, description = "Created", body = StaffMember),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "Email already used", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn create_staff(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(request): ApiJson<CreateStaffRequest>,
) -> ApiResult<(StatusCode, Json<StaffMember>)> {
    let member = staff::create_validated(
        &state.db,
        &request.email,
        &request.display_name,
        request.role,
        &request.password,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Activates or deactivates an account; deactivation signs it out everywhere and
/// returns its open tickets to their tiers' pools.
#[utoipa::path(
    patch, path = "/api/v1/staff/{id}", tag = "staff",
    security(("session" = [])),
    params(("id" = i64, Path, description = "Staff account id")),
    request_body = UpdateStaffRequest,
    responses(
        (status = 200, description = "Updated", body = StaffMember),
        (status = 400, description = "`id` is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "Admins cannot deactivate themselves", body = ErrorBody),
    )
)]
pub async fn update_staff(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<UpdateStaffRequest>,
) -> ApiResult<Json<StaffMember>> {
    if id == admin.id && !request.active {
        // Otherwise the last admin could lock everyone out of the admin area.
        return Err(FieldError::new("active", Reason::NotAllowed)
            .because("You cannot deactivate your own account")
            .into());
    }
    if !staff::set_active(&state.db, id, request.active).await? {
        return Err(ApiError::not_found("Staff account"));
    }
    if !request.active {
        crate::tickets::changes::return_to_pool(&state, id).await?;
    }
    let member = staff::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Staff account"))?;
    Ok(Json(member))
}

/// How full the storage for files is; from 90 % on, `warning` is set and the staff
/// area shows admins a warning.
#[utoipa::path(
    get, path = "/api/v1/staff/storage", tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "Storage used and the quota", body = StorageUse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn storage_use(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<StorageUse>> {
    let used_bytes = storage::used_bytes(&state.db).await?;
    let quota_bytes = state.protect.storage_quota_bytes;
    Ok(Json(StorageUse {
        used_bytes,
        quota_bytes,
        warning: used_bytes.saturating_mul(100) >= quota_bytes.saturating_mul(WARN_AT_PERCENT),
    }))
}

/// Which emails the signed-in staff member gets, and in which language.
#[utoipa::path(
    get, path = "/api/v1/staff/me/notifications", tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in member's email settings", body = NotificationSettings),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn my_notifications(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<NotificationSettings>> {
    staff_notifications::settings(&state.db, staff.member.id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Staff account"))
}

/// Changes the signed-in staff member's email settings; each member changes only
/// their own.
#[utoipa::path(
    put, path = "/api/v1/staff/me/notifications", tag = "staff",
    security(("session" = [])),
    request_body = NotificationSettings,
    responses(
        (status = 200, description = "Saved", body = NotificationSettings),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Unknown language or a missing field", body = ErrorBody),
    )
)]
pub async fn set_my_notifications(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(settings): ApiJson<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    if !staff_notifications::set_settings(&state.db, staff.member.id, &settings).await? {
        return Err(ApiError::not_found("Staff account"));
    }
    Ok(Json(settings))
}
