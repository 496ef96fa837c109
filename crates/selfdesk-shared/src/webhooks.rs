//! Webhooks as admins manage them: endpoints that receive the help desk's events,
//! signed the Standard Webhooks way, and the log of each delivery.

use serde::{Deserialize, Serialize};

/// The events an endpoint may ask for.
pub const EVENTS: [&str; 7] = [
    "ticket.filed",
    "ticket.changed",
    "ticket.replied",
    "ticket.resolved",
    "ticket.sla_breached",
    "incident.opened",
    "incident.closed",
];

/// A registered endpoint. The secret is shown to admins: they put it in the receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = WebhookEndpoint))]
pub struct WebhookEndpoint {
    pub id: i64,
    pub url: String,
    /// Names from `ticket.filed`, `ticket.changed`, `ticket.replied`, `ticket.resolved`.
    pub events: Vec<String>,
    /// `whsec_` and the base64 key deliveries are signed with.
    pub secret: String,
    pub active: bool,
    pub created_at: i64,
}

/// Registers or replaces an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointRequest {
    /// `https://…` (or `http://`); addresses in private, loopback and link-local ranges
    /// are refused unless the server allows them.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub url: String,
    /// At least one of `ticket.filed`, `ticket.changed`, `ticket.replied`,
    /// `ticket.resolved`.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub events: Vec<String>,
    /// `whsec_` and base64 of 24 to 64 bytes; a new one is made when left out.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointList {
    pub endpoints: Vec<WebhookEndpoint>,
}

/// One try of one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = WebhookDelivery))]
pub struct WebhookDelivery {
    pub id: i64,
    /// The outbox row (`GET /staff/outbox`) the try was for.
    pub outbox_id: i64,
    pub event_type: String,
    /// The `webhook-id` header: the same on every try of one delivery.
    pub webhook_id: String,
    pub attempted_at: i64,
    /// The receiver's answer; `None` when none came (refused address, timeout).
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryList {
    /// The newest 100 tries, newest first.
    pub deliveries: Vec<WebhookDelivery>,
}
