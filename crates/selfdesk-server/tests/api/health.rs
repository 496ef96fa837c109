use reqwest::StatusCode;
use selfdesk_shared::health::{Health, HealthStatus};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_version_and_database() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/api/v1/health")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(health.database.backend, app.backend());
    assert_eq!(health.database.status, HealthStatus::Ok);
    assert!(health.database.schema_version.unwrap() >= 1);
    if let Some(file) = app.database_file() {
        assert!(file.exists(), "the SQLite file lives in the data dir");
    }
}

#[tokio::test]
async fn openapi_document_lists_every_endpoint() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/health", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/auth/sign-in", "post"),
        ("/api/v1/auth/sign-out", "post"),
        ("/api/v1/auth/me", "get"),
        ("/api/v1/staff", "get"),
        ("/api/v1/staff", "post"),
        ("/api/v1/staff/{id}", "patch"),
        ("/api/v1/kb/categories", "get"),
        ("/api/v1/kb/articles", "get"),
        ("/api/v1/kb/articles/{slug}", "get"),
        ("/api/v1/kb/search", "get"),
        ("/api/v1/kb/articles/{slug}/vote", "put"),
        ("/api/v1/kb/images/{file}", "get"),
        ("/api/v1/staff/kb/articles", "get"),
        ("/api/v1/staff/kb/articles", "post"),
        ("/api/v1/staff/kb/articles/{slug}", "get"),
        ("/api/v1/staff/kb/articles/{slug}", "patch"),
        ("/api/v1/staff/kb/articles/{slug}/revisions", "get"),
        ("/api/v1/staff/kb/articles/{slug}/revisions", "post"),
        ("/api/v1/staff/kb/articles/{slug}/revisions/{number}", "get"),
        (
            "/api/v1/staff/kb/articles/{slug}/revisions/{number}/restore",
            "post",
        ),
        ("/api/v1/staff/kb/articles/{slug}/publish", "post"),
        ("/api/v1/staff/kb/articles/{slug}/status", "put"),
        ("/api/v1/staff/kb/articles/{slug}/stats", "get"),
        ("/api/v1/staff/kb/images", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["session"].is_object());
    // Every schema a path or schema refers to is in the document.
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for reference in refs {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{reference} is defined"
        );
    }
}

fn collect_refs(value: &serde_json::Value, refs: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value.as_str()) {
                    ("$ref", Some(reference)) => refs.push(reference.to_owned()),
                    _ => collect_refs(value, refs),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}
