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
        (name = "auth", description = "Staff sign-in, and sign-in with the organisation's OpenID provider"),
        (name = "requester", description = "The signed-in requester: who they are, their tickets, signing out"),
        (name = "staff", description = "Staff accounts (admins only)"),
        (name = "kb", description = "Knowledge base: categories, articles, search, votes, images"),
        (name = "kb-authoring", description = "Knowledge base for staff: drafts, revisions, publishing, images, statistics"),
        (name = "tickets", description = "Tickets for requesters: file, track, reply, confirm, reopen, rate, live events"),
        (name = "flows", description = "Guided diagnostics: published flows, anonymous walk reports; for staff, drafts in TOML, publishing, export, walk statistics"),
        (name = "search", description = "Search beyond the results: anonymous search reports; for staff, synonym groups and the searches that did not help"),
        (name = "self-service", description = "Anonymous self-service measurement: deflected contacts"),
        (name = "staff-tickets", description = "Tickets for technicians: full view, replies and internal notes, status, tier"),
        (name = "insight", description = "The help desk's numbers for managers: tickets, speed, service levels, satisfaction, self-service, per priority, category, tier and technician"),
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
        // A requester signed in with the organisation's provider (`/api/v1/me…`).
        components.add_security_scheme(
            "requester_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::requester::COOKIE_NAME,
            ))),
        );
        // A ticket's access token, from its tracking link.
        components.add_security_scheme(
            "ticket_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Answers every operation of a kind can give, added to the document wherever a
/// handler's own list leaves them out, so the document is a contract a client
/// generator can trust (checked by schemathesis in `cargo xtask test`). They come from
/// layers shared by all routes, not from the handlers:
/// - 400: a malformed path or query parameter, or JSON that does not parse
///   (`ApiPath`, `ApiQuery`, `ApiJson`);
/// - 404: a path naming something that does not exist;
/// - 413 and 415: a JSON body over the limit, or not sent as JSON;
/// - 401: a missing, expired or wrong session or ticket token;
/// - 403: a state-changing request with the session cookie from another site
///   (`protect::csrf`).
pub fn with_common_answers(mut doc: serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    let error = |description: &str| {
        json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        })
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return doc;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            let json_body = operation
                .get("requestBody")
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .is_some_and(|c| c.contains_key("application/json"));
            let has_parameters = path.contains('{')
                || operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .is_some_and(|p| !p.is_empty());
            let schemes: Vec<String> = operation
                .get("security")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .flat_map(|requirement| requirement.keys().cloned())
                .collect();
            let mut add = |status: &str, description: &str| {
                if let Some(responses) = operation
                    .entry("responses")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                {
                    responses
                        .entry(status)
                        .or_insert_with(|| error(description));
                }
            };
            if has_parameters || json_body {
                add(
                    "400",
                    "A parameter is malformed (`invalid_parameter`) or the body is not valid JSON for this operation (`invalid_json`)",
                );
            }
            if path.contains('{') {
                add(
                    "404",
                    "Nothing with this identifier (or not one this caller may see)",
                );
            }
            if json_body {
                add("413", "The body is larger than this operation takes");
                add(
                    "415",
                    "The body was not sent as `Content-Type: application/json`",
                );
            }
            if !schemes.is_empty() {
                add(
                    "401",
                    "Not signed in, the session ended, or no ticket token that opens this ticket",
                );
            }
            if schemes
                .iter()
                .any(|s| s == "session" || s == "requester_session")
                && method != "get"
            {
                add(
                    "403",
                    "Refused: sent with the session cookie but not from the portal's own pages, or this account may not do it",
                );
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_answers_are_added_only_where_missing() {
        let doc = serde_json::json!({"paths": {
            "/x/{id}": {"post": {
                "security": [{"session": []}],
                "requestBody": {"content": {"application/json": {}}},
                "responses": {"401": {"description": "mine"}}
            }},
            "/health": {"get": {"responses": {"200": {"description": "ok"}}}}
        }});
        let doc = with_common_answers(doc);
        let post = &doc["paths"]["/x/{id}"]["post"]["responses"];
        assert_eq!(post["401"]["description"], "mine");
        for status in ["400", "403", "413", "415"] {
            assert!(post.get(status).is_some(), "{status}");
        }
        let health = &doc["paths"]["/health"]["get"]["responses"];
        assert_eq!(health.as_object().unwrap().len(), 1);
    }

    /// Types with hand-written schemas (`Tier`, `TicketNumber`, `Slug`) are components the
    /// document must carry, or a client generator meets a reference to nothing.
    #[test]
    fn every_reference_resolves_and_the_parsed_types_are_described() {
        let (_, doc) = crate::routes::api_router().split_for_parts();
        let doc = serde_json::to_value(&doc).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        fn refs<'a>(value: &'a serde_json::Value, found: &mut Vec<&'a str>) {
            match value {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                        found.push(r);
                    }
                    map.values().for_each(|v| refs(v, found));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        refs(&doc, &mut found);
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            assert!(schemas.contains_key(name), "{r} is not in the document");
        }
        assert_eq!(schemas["Tier"]["type"], "integer");
        assert_eq!(schemas["Tier"]["minimum"], 1);
        assert_eq!(schemas["Tier"]["maximum"], 3);
        assert_eq!(schemas["TicketNumber"]["type"], "string");
        assert_eq!(
            schemas["TicketNumber"]["pattern"],
            selfdesk_shared::ticket_number::TicketNumber::PATTERN
        );
        assert_eq!(
            schemas["TicketView"]["properties"]["tier"]["$ref"],
            "#/components/schemas/Tier"
        );
        let slug = &schemas["Slug"];
        assert_eq!(slug["type"], "string");
        assert_eq!(slug["pattern"], selfdesk_shared::slug::Slug::PATTERN);
        assert_eq!(slug["minLength"], 2);
        assert_eq!(slug["maxLength"], 80);
        for (schema, property) in [
            ("Article", "slug"),
            ("ArticleSummary", "slug"),
            ("FlowHit", "slug"),
            ("StaffFlowView", "slug"),
            ("StaffArticle", "slug"),
            ("TicketCategory", "slug"),
        ] {
            assert_eq!(
                schemas[schema]["properties"][property]["$ref"], "#/components/schemas/Slug",
                "{schema}.{property}"
            );
        }
    }
}
