//! `SELFDESK_REQUESTER_SIGN_IN`: with `required`, the requesters' side answers only
//! people signed in — pages send the browser to sign in and back, the API says 401 —
//! while signing in, staff and tracking links keep working; with `off`, requester
//! sign-in is neither offered nor possible.

use reqwest::StatusCode;
use selfdesk_server::auth::portal_access::RequesterSignIn;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::requester::SignInOptions;
use serde_json::{Value, json};

use crate::email_sign_in::signed_in_by_email;
use crate::helpers::{TestApp, expect_error, spawn_app_with};
use crate::smtp::SmtpSink;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn ticket(subject: &str) -> Value {
    json!({
        "name": "Kari Nordmann", "email": "kari@example.org", "category": "printing",
        "subject": subject, "description": "Every page comes out blank.",
        "impact": "me", "urgency": "slowed", "fields": {"printer": "2"}, "language": "en"
    })
}

async fn options(app: &TestApp) -> SignInOptions {
    app.client()
        .get(app.url("/api/v1/auth/sign-in-options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_private_portal_answers_only_people_signed_in() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| {
        sink.configure(serve);
        serve.oidc.requester_sign_in = RequesterSignIn::Required;
    })
    .await;
    let someone = app.client();

    // The API: 401 with the error shape, and nothing filed.
    for path in [
        "/api/v1/kb/articles",
        "/api/v1/kb/search?q=printer",
        "/api/v1/flows",
    ] {
        let response = someone.get(app.url(path)).send().await.unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    let filed = someone
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", "private-portal-anonymous-0001")
        .json(&ticket("Filed without signing in"))
        .send()
        .await
        .unwrap();
    expect_error(filed, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    // Signing in and the health check stay open.
    for path in ["/api/v1/auth/sign-in-options", "/api/v1/health"] {
        let response = someone.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    assert!(options(&app).await.email);

    // The pages: to sign in, and back to the page wanted.
    let browser = no_redirects();
    let page = browser
        .get(app.url("/kb/printer-not-printing-from-laptop?from=search"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        page.headers()["location"],
        "/tickets/sign-in?return_to=/kb/printer-not-printing-from-laptop%3Ffrom%3Dsearch"
    );
    // Never kept by a cache: after signing in, the same address is the page.
    assert_eq!(page.headers()["cache-control"], "no-store");
    for open in ["/tickets/sign-in", "/staff/sign-in", "/staff/tickets"] {
        let page = browser.get(app.url(open)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{open}");
    }
    let html = browser
        .get(app.url("/tickets/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-sign-in=\"email required\""), "{html}");

    // Signed in: everything, and the page itself.
    let kari = signed_in_by_email(&app, &sink, "kari@example.org").await;
    let articles = kari
        .get(app.url("/api/v1/kb/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(articles.status(), StatusCode::OK);
    let created: Value = kari
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", "private-portal-signed-in-0001")
        .json(&ticket("Filed signed in"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page = kari.get(app.url("/kb")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("data-signed-in"));

    // A tracking link opens its ticket for someone who never signs in.
    let number = created["number"].as_str().unwrap();
    let view = someone
        .get(app.url(&format!("/api/v1/tickets/{number}")))
        .bearer_auth(created["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(view.status(), StatusCode::OK);

    // Staff read articles too.
    let staff = app.staff("tier1").await;
    let articles = staff
        .client()
        .get(app.url("/api/v1/kb/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(articles.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_requester_sign_in_off_it_is_neither_offered_nor_possible() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| {
        sink.configure(serve);
        serve.oidc.requester_sign_in = RequesterSignIn::Off;
    })
    .await;
    let offered = options(&app).await;
    assert!(!offered.email && !offered.organisation, "{offered:?}");
    let response = app
        .client()
        .post(app.url("/api/v1/auth/email/start"))
        .json(&json!({"email": "kari@example.org", "language": "en"}))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    // Anonymous use is as before.
    let articles = app
        .client()
        .get(app.url("/api/v1/kb/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(articles.status(), StatusCode::OK);
    let html = no_redirects()
        .get(app.url("/kb"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("data-sign-in"), "{html}");
}
