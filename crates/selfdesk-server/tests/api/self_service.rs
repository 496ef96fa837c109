//! Deflection: a session that opened a suggested article and filed nothing counts as a
//! deflected contact; one that went on to file a ticket does not. What a session read
//! and searched before filing.

use reqwest::StatusCode;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::self_service::SelfServiceSummary;
use selfdesk_shared::tickets::TicketCreated;
use serde_json::json;

use crate::helpers::{TestApp, TicketForm, expect_error, in_session, key, search, spawn_app};

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

/// The article page reports each article read, with the tab's session.
#[tokio::test]
async fn article_views_are_recorded_by_session() {
    let app = spawn_app().await;
    let session = "0f0e0d0c-0b0a-4909-8807-0605040302aa";
    let response = app
        .client()
        .post(app.url("/api/v1/self-service/events"))
        .json(&json!({"session": session, "kind": "article_viewed", "subject": "vpn-wont-connect"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let db = app.db().await;
    let stored: Vec<(String, String, String)> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_as("SELECT session_hash, kind, subject FROM self_service_events")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert_eq!(
        stored,
        vec![(
            selfdesk_server::auth::session::token_hash(session),
            "article_viewed".to_owned(),
            "vpn-wont-connect".to_owned()
        )]
    );
}

/// What a requester searched for in the session they filed from reaches the
/// technician (each query once, oldest first), and never the requester.
#[tokio::test]
async fn the_searches_before_filing_are_shown_to_staff_only() {
    let app = spawn_app().await;
    let session = "5e55104d-0000-4000-8000-000000000001";
    let other_tab = "5e55104d-0000-4000-8000-000000000002";
    // As the portal reports them: batched, each search under its own id, the later
    // report of a search carrying the article opened from it.
    app.report_searches(&[
        in_session(
            search("search-id-000000000001", "Printer  OFFLINE!", 0),
            session,
        ),
        in_session(
            search("search-id-000000000002", "print queue stuck", 1),
            session,
        ),
        in_session(
            search("search-id-000000000003", "printer offline", 0),
            session,
        ),
        in_session(search("search-id-000000000004", "vpn", 1), other_tab),
        search("search-id-000000000005", "no session at all", 0),
    ])
    .await;
    app.report_searches(&[in_session(
        crate::helpers::opened(
            search("search-id-000000000002", "print queue stuck", 1),
            "printer-not-printing-from-laptop",
        ),
        session,
    )])
    .await;
    let form = TicketForm::printer("Printer offline").with("self_service_session", json!(session));
    let filed = app.submit_ticket(&key(), &form).await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let filed_text = filed.text().await.unwrap();
    assert!(!filed_text.contains("search_words"), "{filed_text}");
    let ticket: TicketCreated = serde_json::from_str(&filed_text).unwrap();

    let tech = app.staff("tier1").await;
    let seen = tech.ticket(ticket.number.as_ref()).await;
    assert_eq!(seen.search_words, ["printer offline", "print queue stuck"]);

    let requester_view = app.requester(&ticket).view_raw().await;
    assert_eq!(requester_view.status(), StatusCode::OK);
    let text = requester_view.text().await.unwrap();
    assert!(
        !text.contains("search_words") && !text.contains("print queue stuck"),
        "{text}"
    );

    // Without a session (or with a malformed one) there is nothing to show.
    for form in [
        TicketForm::printer("No session"),
        TicketForm::printer("Bad session").with("self_service_session", json!("bad")),
    ] {
        let plain = app.file_ticket(form).await;
        let seen = tech.ticket(plain.number.as_ref()).await;
        assert!(seen.search_words.is_empty());
    }
}
