//! Ticket categories and their extra fields, in every language: technicians read
//! them, admins create and edit them. Requesters get one language through
//! `GET /api/v1/tickets/categories`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::categories::{CategoryDefinition, CategoryDefinitionList, check};
use selfdesk_shared::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::{Admin, Staff};
use crate::error::{ApiJson, ApiPath, ApiResult};
use crate::state::AppState;
use crate::store::categories;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(save))
}

#[utoipa::path(
    get, path = "/api/v1/staff/categories", tag = "staff-tickets", security(("session" = [])),
    responses(
        (status = 200, description = "Every category in every language", body = CategoryDefinitionList),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> ApiResult<Json<CategoryDefinitionList>> {
    Ok(Json(CategoryDefinitionList {
        categories: categories::definitions(&state.db).await?,
    }))
}

/// Creates the category at `slug`, or replaces its names, order and fields. Values
/// of tickets already filed stay with them, under their keys.
#[utoipa::path(
    put, path = "/api/v1/staff/categories/{slug}", tag = "staff-tickets",
    params(("slug" = String, Path)), security(("session" = [])), request_body = CategoryDefinition,
    responses(
        (status = 200, description = "Saved", body = CategoryDefinition),
        (status = 201, description = "Created", body = CategoryDefinition),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "A name, key or label is missing or invalid; `field` says where", body = ErrorBody),
    )
)]
pub async fn save(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(slug): ApiPath<String>,
    ApiJson(mut def): ApiJson<CategoryDefinition>,
) -> ApiResult<(StatusCode, Json<CategoryDefinition>)> {
    def.slug = slug;
    for text in def.names.values_mut() {
        *text = text.trim().to_owned();
    }
    if let Some(problem) = check(&def).into_iter().next() {
        return Err(problem.into());
    }
    let created = categories::save(&state.db, &def).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(def)))
}
