//! The OpenAPI document's frame. Paths are added by `routes::api_router` from each
//! handler's `#[utoipa::path]`, so the document always matches the router.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::auth::session::COOKIE_NAME;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Selfdesk API",
        description = "Self-service IT help desk: knowledge base, guided diagnostics and tickets. \
                       Every error has the shape `{\"error\": {\"code\", \"message\", \"field\"?}}`."
    ),
    modifiers(&SessionCookie),
    tags(
        (name = "system", description = "Health and API description"),
        (name = "auth", description = "Staff sign-in"),
        (name = "staff", description = "Staff accounts (admins only)"),
        (name = "kb", description = "Knowledge base: categories, articles, search, votes, images"),
        (name = "kb-authoring", description = "Knowledge base for staff: drafts, revisions, publishing, images, statistics"),
        (name = "tickets", description = "Tickets for requesters: file, track, reply, confirm, reopen, rate, live events"),
        (name = "flows", description = "Guided diagnostics: published flows, anonymous walk reports; for staff, drafts in TOML, publishing, export, walk statistics"),
        (name = "self-service", description = "Anonymous self-service measurement: deflected contacts"),
        (name = "staff-tickets", description = "Tickets for technicians: full view, replies and internal notes, status, tier"),
    )
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(COOKIE_NAME))),
        );
        // A ticket's access token, from its tracking link.
        components.add_security_scheme(
            "ticket_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
