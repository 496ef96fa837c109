//! The REST API under `/api/v1`, one module per resource. Each handler carries its
//! OpenAPI description, and the router is assembled through `utoipa-axum`, so an
//! endpoint cannot be routed without also being documented.

pub mod auth;
pub mod canned_responses;
pub mod categories;
pub mod docs;
pub mod email_sign_in;
pub mod flows;
pub mod health;
pub mod incidents;
pub mod insight;
pub mod kb;
pub mod kb_authoring;
pub mod kb_images;
pub mod mail_in;
pub mod me;
pub mod offline;
pub mod oidc;
pub mod outbox;
pub mod reach_services;
pub mod search_log;
pub mod search_synonyms;
pub mod self_service;
pub mod sla;
pub mod staff;
pub mod staff_flows;
pub mod staff_queue;
pub mod staff_security;
pub mod staff_tickets;
pub mod ticket_attachments;
pub mod ticket_lookup;
pub mod tickets;
pub mod webhooks;

use axum::http::Uri;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::slug::Slug;
use selfdesk_shared::ticket_number::TicketNumber;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::openapi::ApiDoc;
use crate::state::AppState;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(docs::openapi_json))
        .routes(routes!(auth::sign_in))
        .routes(routes!(auth::sign_out))
        .routes(routes!(auth::me))
        .merge(oidc::router())
        .merge(email_sign_in::router())
        .merge(me::router())
        .routes(routes!(staff::list_staff, staff::create_staff))
        .routes(routes!(staff::update_staff))
        .routes(routes!(staff::storage_use))
        .routes(routes!(
            staff::my_notifications,
            staff::set_my_notifications
        ))
        .routes(routes!(kb::categories))
        .routes(routes!(kb::list_articles))
        .routes(routes!(kb::get_article))
        .routes(routes!(kb::search))
        .routes(routes!(kb::vote))
        // Routes with their own body limits come as small routers of their own.
        .merge(kb_authoring::router())
        .merge(kb_images::router())
        .merge(incidents::router())
        .merge(tickets::router())
        .merge(self_service::router())
        .merge(ticket_attachments::router())
        .merge(ticket_lookup::router())
        .merge(staff_tickets::router())
        .merge(staff_security::router())
        .merge(staff_queue::router())
        .merge(canned_responses::router())
        .merge(sla::router())
        .merge(categories::router())
        .merge(flows::router())
        .merge(staff_flows::router())
        .merge(reach_services::router())
        .merge(offline::router())
        .merge(search_synonyms::router())
        .merge(search_log::router())
        .merge(insight::router())
        .merge(outbox::router())
        .merge(mail_in::router())
        .merge(webhooks::router())
}

pub async fn unknown_route(uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("There is no API endpoint at {}", uri.path()),
    )
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "This endpoint does not accept that HTTP method",
    )
}

/// The `{number}` of a ticket's address, parsed once. A malformed number is kept as
/// "no ticket" rather than refused by the extractor: it is answered like a number that
/// does not exist (404), and only after the handler's own checks (a missing token is
/// still 401), so the answer never tells a malformed number from an unknown one.
#[derive(Debug, Clone)]
pub struct TicketInPath(Option<TicketNumber>);

impl TicketInPath {
    /// The number, or the 404 for a ticket that is not there.
    pub fn number(&self) -> ApiResult<&TicketNumber> {
        self.0.as_ref().ok_or_else(|| ApiError::not_found("Ticket"))
    }
}

impl<'de> serde::Deserialize<'de> for TicketInPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(Self(TicketNumber::parse(&raw).ok()))
    }
}

/// The `{slug}` of an article's or flow's address, parsed once, like [`TicketInPath`]:
/// a malformed slug is kept as "nothing there" and answered like a slug that names
/// nothing (404), at the point where the handler looks it up, so checks made before
/// the lookup (401 without a session, a field error in the body, a rate limit) come
/// first, as they do for a slug that does not exist. Routes that create something at
/// the slug (a flow's draft, a ticket category) take the path as a `String` and check
/// it with their field error instead.
#[derive(Debug, Clone)]
pub struct SlugInPath(Option<Slug>);

impl SlugInPath {
    /// The slug, or the 404 for `what` that is not there.
    pub fn slug(&self, what: &str) -> ApiResult<&Slug> {
        self.0.as_ref().ok_or_else(|| ApiError::not_found(what))
    }
}

impl<'de> serde::Deserialize<'de> for SlugInPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(Self(Slug::try_from(raw).ok()))
    }
}
