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
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["session"].is_object());
}
