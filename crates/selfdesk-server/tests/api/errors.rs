//! Every failure answers in the one JSON error shape, never HTML or a stack trace.

use reqwest::StatusCode;
use selfdesk_shared::error::ErrorCode;

use crate::helpers::{expect_error, spawn_app};

#[tokio::test]
async fn unknown_api_route_is_a_json_404() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/nope",
        "/api/v2/health",
        "/api",
        "/api/v1/staff/1/nope",
    ] {
        let response = reqwest::get(app.url(path)).await.unwrap();
        let body = expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        assert!(body.error.message.contains(path), "{}", body.error.message);
    }
}

#[tokio::test]
async fn wrong_method_is_a_json_405() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_400_without_echoing_internals() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/sign-in"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    let body = expect_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidJson).await;
    assert!(
        !body.error.message.contains("src/"),
        "no source paths: {}",
        body.error.message
    );
}

#[tokio::test]
async fn missing_field_names_it() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&serde_json::json!({"email": "a@b.c"}))
        .send()
        .await
        .unwrap();
    let body = expect_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidJson).await;
    assert!(
        body.error.message.contains("password"),
        "{}",
        body.error.message
    );
}

#[tokio::test]
async fn json_without_content_type_is_a_415() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/sign-in"))
        .body(r#"{"email":"a@b.c","password":"x"}"#)
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
}

#[tokio::test]
async fn oversized_body_is_a_413() {
    let app = spawn_app().await;
    let huge = serde_json::json!({"email": "a@b.c", "password": "x".repeat(100_000)});
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&huge)
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;
}

#[tokio::test]
async fn bad_query_and_path_parameters_are_json_400s() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/kb/search",
        "/api/v1/kb/search?q=x&limit=abc",
        "/api/v1/kb/articles/%FF%FE",
    ] {
        let response = reqwest::get(app.url(path)).await.unwrap();
        expect_error(
            response,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
    }
    let admin = app.signed_in("admin@demo.selfdesk").await;
    let response = admin
        .patch(app.url("/api/v1/staff/abc"))
        .json(&serde_json::json!({"active": true}))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
}

/// A slug in a path that could not be one is answered like a slug naming nothing:
/// 404 where the lookup is, after the checks that come first (the session, the body).
#[tokio::test]
async fn a_malformed_slug_in_a_path_is_answered_like_an_unknown_one() {
    let app = spawn_app().await;
    let client = app.client();
    for path in ["/api/v1/kb/articles/Not_A_Slug", "/api/v1/flows/-x-"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
    let vote = |voter: &str| {
        client
            .put(app.url("/api/v1/kb/articles/A/vote"))
            .json(&serde_json::json!({"voter": voter, "helpful": true}))
            .send()
    };
    let bad_voter = vote("short").await.unwrap();
    let err = expect_error(
        bad_voter,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(err.error.field.as_deref(), Some("voter"));
    let good_voter = vote("browser-0123456789abcdef").await.unwrap();
    expect_error(good_voter, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    for path in [
        "/api/v1/staff/kb/articles/NO",
        "/api/v1/staff/kb/articles/NO/revisions/1?lang=en",
        "/api/v1/staff/flows/NO",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    let admin = app.signed_in("admin@demo.selfdesk").await;
    for path in [
        "/api/v1/staff/kb/articles/NO",
        "/api/v1/staff/kb/articles/NO/revisions/1?lang=en",
        "/api/v1/staff/flows/NO",
        "/api/v1/staff/flows/NO/export",
    ] {
        let response = admin.get(app.url(path)).send().await.unwrap();
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
}
