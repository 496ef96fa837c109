//! Webhook endpoints for admins: register, change, delete, and read each endpoint's
//! delivery log (see `webhooks`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::error::{ErrorBody, FieldError, Reason};
use selfdesk_shared::webhooks::{
    EVENTS, WebhookDeliveryList, WebhookEndpoint, WebhookEndpointList, WebhookEndpointRequest,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Admin;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::state::AppState;
use crate::unix_now;
use crate::webhooks::{address, signature, store};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(update_endpoint, delete_endpoint))
        .routes(routes!(endpoint_deliveries))
}

/// The longest endpoint URL accepted.
const MAX_URL_CHARS: usize = 2_000;

/// A request checked: the URL, the events once each, and a usable secret.
fn check(
    request: &WebhookEndpointRequest,
    allow_private: bool,
) -> ApiResult<(String, Vec<String>, String)> {
    let url = request.url.trim();
    if url.is_empty() {
        return Err(FieldError::new("url", Reason::Required).into());
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Err(FieldError::new(
            "url",
            Reason::TooLong {
                max: MAX_URL_CHARS as u32,
            },
        )
        .into());
    }
    let parsed = reqwest::Url::parse(url).ok().filter(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    });
    let Some(parsed) = parsed else {
        return Err(FieldError::new("url", Reason::BadFormat)
            .because("An http:// or https:// address with a host, like https://hooks.example.org/selfdesk")
            .into());
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(FieldError::new("url", Reason::BadFormat)
            .because("Put no user name or password in the address; deliveries are signed instead")
            .into());
    }
    if !allow_private && refused_host(&parsed) {
        return Err(FieldError::new("url", Reason::NotAllowed)
            .because("Webhooks go to public addresses only: loopback, private and link-local addresses are refused")
            .into());
    }
    let mut events: Vec<String> = Vec::new();
    for event in &request.events {
        if !EVENTS.contains(&event.as_str()) {
            return Err(FieldError::new("events", Reason::Unknown)
                .because(format!("Events are {}", EVENTS.join(", ")))
                .into());
        }
        if !events.contains(event) {
            events.push(event.clone());
        }
    }
    if events.is_empty() {
        return Err(FieldError::new("events", Reason::Required).into());
    }
    let secret = match request.secret.as_deref().map(str::trim) {
        None | Some("") => signature::new_secret(),
        Some(secret) => {
            if signature::key_of(secret).is_none() {
                return Err(FieldError::new("secret", Reason::BadFormat)
                    .because(
                        "whsec_ followed by 24 to 64 bytes in base64; leave it out for a new one",
                    )
                    .into());
            }
            secret.to_owned()
        }
    };
    Ok((parsed.to_string(), events, secret))
}

/// Hosts refused without a lookup: inside IP literals and names for this machine. Names
/// are checked again, resolved, at every delivery.
fn refused_host(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return true;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return address::refused(ip).is_some();
    }
    let name = bare.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Every registered endpoint, with its secret.
#[utoipa::path(
    get, path = "/api/v1/staff/webhooks", tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "The endpoints", body = WebhookEndpointList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn list_endpoints(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<WebhookEndpointList>> {
    Ok(Json(WebhookEndpointList {
        endpoints: store::list(&state.db).await?,
    }))
}

/// Registers an endpoint; without a `secret`, one is made.
#[utoipa::path(
    post, path = "/api/v1/staff/webhooks", tag = "staff",
    security(("session" = [])),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 201, description = "Registered", body = WebhookEndpoint),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "`url` malformed or an inside address, an unknown event, a malformed secret; `field` names it", body = ErrorBody),
    )
)]
pub async fn create_endpoint(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(request): ApiJson<WebhookEndpointRequest>,
) -> ApiResult<(StatusCode, Json<WebhookEndpoint>)> {
    let (url, events, secret) = check(&request, state.outbox.allow_private_webhooks)?;
    let fields = store::EndpointFields {
        url: &url,
        events: &events,
        secret: &secret,
        active: request.active,
    };
    let id = store::create(&state.db, &fields, unix_now()).await?;
    let endpoint = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::internal("a new endpoint vanished"))?;
    Ok((StatusCode::CREATED, Json(endpoint)))
}

/// Replaces an endpoint's address, events, secret (kept when left out) and state.
#[utoipa::path(
    put, path = "/api/v1/staff/webhooks/{id}", tag = "staff",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The endpoint's id")),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 200, description = "Changed", body = WebhookEndpoint),
        (status = 400, description = "`id` is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn update_endpoint(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<WebhookEndpointRequest>,
) -> ApiResult<Json<WebhookEndpoint>> {
    let (url, events, new_secret) = check(&request, state.outbox.allow_private_webhooks)?;
    let existing = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook endpoint"))?;
    let secret = if request
        .secret
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
    {
        new_secret
    } else {
        existing.secret
    };
    let fields = store::EndpointFields {
        url: &url,
        events: &events,
        secret: &secret,
        active: request.active,
    };
    if !store::update(&state.db, id, &fields).await? {
        return Err(ApiError::not_found("Webhook endpoint"));
    }
    let endpoint = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook endpoint"))?;
    Ok(Json(endpoint))
}

/// Deletes an endpoint, its deliveries still waiting and its log.
#[utoipa::path(
    delete, path = "/api/v1/staff/webhooks/{id}", tag = "staff",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "`id` is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
    )
)]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if !store::delete(&state.db, id).await? {
        return Err(ApiError::not_found("Webhook endpoint"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The endpoint's newest 100 delivery tries: event, status code, timing, error.
#[utoipa::path(
    get, path = "/api/v1/staff/webhooks/{id}/deliveries", tag = "staff",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "Tries, newest first", body = WebhookDeliveryList),
        (status = 400, description = "`id` is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
    )
)]
pub async fn endpoint_deliveries(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<WebhookDeliveryList>> {
    if store::get(&state.db, id).await?.is_none() {
        return Err(ApiError::not_found("Webhook endpoint"));
    }
    Ok(Json(WebhookDeliveryList {
        deliveries: store::deliveries(&state.db, id).await?,
    }))
}
