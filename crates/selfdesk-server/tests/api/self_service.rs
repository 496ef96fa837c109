//! Deflection: a session that opened a suggested article and filed nothing counts as a
//! deflected contact; one that went on to file a ticket does not.

use reqwest::StatusCode;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::self_service::SelfServiceSummary;
use serde_json::json;

use crate::helpers::{TestApp, expect_error, spawn_app};

async fn opened(app: &TestApp, session: &str, slug: &str) -> StatusCode {
    app.client()
        .post(app.url("/api/v1/self-service/events"))
        .json(&json!({"session": session, "kind": "suggestion_opened", "subject": slug}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn sessions_that_found_an_answer_count_as_deflected() {
    let app = spawn_app().await;
    let helped = "0f0e0d0c-0b0a-4909-8807-060504030201";
    let filed_anyway = "11111111-2222-4333-8444-555555555555";
    assert_eq!(
        opened(&app, helped, "printer-not-printing-from-laptop").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        opened(&app, helped, "vpn-wont-connect").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        opened(&app, filed_anyway, "vpn-wont-connect").await,
        StatusCode::NO_CONTENT
    );
    let ticket = json!({
        "name": "Ada", "email": "ada@example.org", "category": "network",
        "subject": "VPN still drops", "description": "The article did not help.",
        "impact": "me", "urgency": "slowed", "self_service_session": filed_anyway
    });
    let response = app
        .client()
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", "self-service-test-key-1")
        .json(&ticket)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    let bad = app
        .client()
        .post(app.url("/api/v1/self-service/events"))
        .json(&json!({"session": "short", "kind": "suggestion_opened", "subject": "x"}))
        .send()
        .await
        .unwrap();
    let error = expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;
    assert_eq!(error.error.field.as_deref(), Some("session"));

    let url = app.url("/api/v1/staff/self-service/summary?days=7");
    let anonymous = app.client().get(&url).send().await.unwrap();
    expect_error(
        anonymous,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    let staff = app.signed_in("tier1@demo.selfdesk").await;
    let summary: SelfServiceSummary = staff.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        summary,
        SelfServiceSummary {
            days: 7,
            sessions_with_suggestions: 2,
            deflected: 1,
            tickets_filed: 1,
            diagnostics_resolved: 0,
        }
    );

    // Only hashes are stored.
    let db = app.db().await;
    let stored: Vec<String> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT session_hash FROM self_service_events")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert!(stored.iter().all(|h| h != helped && h != filed_anyway));
}
