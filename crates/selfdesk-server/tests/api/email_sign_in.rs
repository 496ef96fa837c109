//! Signing in by email over real SMTP (the sink in `smtp.rs`): the link in the email
//! signs in once, within its lifetime, and the account sees the tickets filed with the
//! address before; reused, expired and unknown links are refused with the error shape
//! and nothing created; one address gets only so many links; without email the
//! option is neither offered nor possible.

use reqwest::{Client, StatusCode};
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::requester::{
    EmailSignedIn, MyTicketAccess, MyTicketList, RequesterMe, SignInOptions,
};
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_error, spawn_app, spawn_app_with};
use crate::smtp::SmtpSink;

async fn ask(
    app: &TestApp,
    client: &Client,
    email: &str,
    return_to: Option<&str>,
) -> reqwest::Response {
    let mut body = json!({"email": email, "language": "nb"});
    if let Some(path) = return_to {
        body["return_to"] = json!(path);
    }
    client
        .post(app.url("/api/v1/auth/email/start"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn finish(app: &TestApp, client: &Client, token: &str) -> reqwest::Response {
    client
        .post(app.url("/api/v1/auth/email/finish"))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap()
}

/// A browser signed in by email as `email` (the link asked for, read from the sink,
/// and used).
pub async fn signed_in_by_email(app: &TestApp, sink: &SmtpSink, email: &str) -> Client {
    let browser = app.client();
    assert_eq!(
        ask(app, &browser, email, None).await.status(),
        StatusCode::ACCEPTED
    );
    let mail = sink.wait_for_mail(email, "Lenken").await;
    let response = finish(app, &browser, &token_in(&mail.body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    browser
}

/// The token of the link `…/tickets/sign-in#link=<token>` in an email's text.
fn token_in(body: &str) -> String {
    let marker = "/tickets/sign-in#link=";
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("no sign-in link in:\n{body}"))
        + marker.len();
    body[start..]
        .split(char::is_whitespace)
        .next()
        .unwrap()
        .to_owned()
}

async fn accounts(app: &TestApp) -> i64 {
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM requester_accounts")
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

#[tokio::test]
async fn an_emailed_link_signs_in_once_and_shows_the_addresss_tickets() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let options: SignInOptions = app
        .client()
        .get(app.url("/api/v1/auth/sign-in-options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(options.email && !options.organisation, "{options:?}");

    // Filed anonymously before any sign-in, with the address in another case.
    let filed: Value = app
        .client()
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", "email-sign-in-before-0001")
        .json(&json!({
            "name": "Kari Nordmann", "email": "Kari@Example.org", "category": "printing",
            "subject": "Skriveren skriver blanke ark", "description": "Alle sidene er tomme.",
            "impact": "me", "urgency": "slowed", "fields": {"printer": "2. etasje"},
            "language": "nb"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let number = filed["number"].as_str().unwrap().to_owned();

    let browser = app.client();
    let response = ask(&app, &browser, " KARI@example.org ", Some("/tickets")).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let mail = sink
        .wait_for_mail("kari@example.org", "Lenken din for å logge inn")
        .await;
    assert!(mail.body.contains("innen 15 minutter"), "{}", mail.body);
    assert!(!mail.body.contains(&number), "the email names no ticket");
    let token = token_in(&mail.body);
    assert!(
        mail.html.as_deref().unwrap().contains(&token),
        "the HTML part has the link too"
    );

    // Not signed in until the link is used.
    let me = browser.get(app.url("/api/v1/me")).send().await.unwrap();
    expect_error(me, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;

    let response = finish(&app, &browser, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("sd_requester=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let signed: EmailSignedIn = response.json().await.unwrap();
    assert_eq!(signed.return_to, "/tickets");
    let me: RequesterMe = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me.email, "kari@example.org");
    assert_eq!(
        me.display_name, "Kari Nordmann",
        "the name last given on a ticket"
    );
    let mine: MyTicketList = browser
        .get(app.url("/api/v1/me/tickets"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let numbers: Vec<String> = mine.tickets.iter().map(|t| t.number.to_string()).collect();
    assert_eq!(numbers, std::slice::from_ref(&number));

    // This device gets a token of its own for the ticket, which opens it like its link.
    let access: MyTicketAccess = browser
        .post(app.url(&format!("/api/v1/me/tickets/{number}/access")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(access.subject, "Skriveren skriver blanke ark");
    let view = app
        .client()
        .get(app.url(&format!("/api/v1/tickets/{number}")))
        .bearer_auth(&access.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(view.status(), StatusCode::OK);
    // Not a ticket of someone else's, nor one that does not exist.
    let other: Value = app
        .client()
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", "email-sign-in-other-0001")
        .json(&json!({
            "name": "Ola", "email": "ola@example.org", "category": "printing",
            "subject": "Someone else's", "description": "Not Kari's ticket.",
            "impact": "me", "urgency": "slowed", "fields": {"printer": "1"},
            "language": "nb"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        format!(
            "/api/v1/me/tickets/{}/access",
            other["number"].as_str().unwrap()
        ),
        "/api/v1/me/tickets/SD-2026-999999/access".to_owned(),
        "/api/v1/me/tickets/not-a-number/access".to_owned(),
    ] {
        let response = browser.post(app.url(&path)).send().await.unwrap();
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }

    // The same link again, from another browser: refused, nothing made.
    let before = accounts(&app).await;
    let thief = app.client();
    let reused = finish(&app, &thief, &token).await;
    let body = expect_error(reused, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    assert!(body.error.message.contains("used already"), "{body:?}");
    let me = thief.get(app.url("/api/v1/me")).send().await.unwrap();
    expect_error(me, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;

    // A link never sent, and one cut short.
    let unknown = finish(&app, &thief, "not-a-link-this-portal-sent").await;
    let body = expect_error(
        unknown,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert!(
        body.error.message.contains("not one this help desk sent"),
        "{body:?}"
    );
    let empty = finish(&app, &thief, "").await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(accounts(&app).await, before);

    // A requester session opens no staff endpoint.
    let queue = browser
        .get(app.url("/api/v1/staff/tickets"))
        .send()
        .await
        .unwrap();
    expect_error(queue, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
}

#[tokio::test]
async fn an_expired_link_signs_no_one_in() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let browser = app.client();
    assert_eq!(
        ask(&app, &browser, "late@example.org", None).await.status(),
        StatusCode::ACCEPTED
    );
    let mail = sink.wait_for_mail("late@example.org", "Lenken").await;
    let token = token_in(&mail.body);
    // Sixteen minutes later, as the database sees it.
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query("UPDATE requester_sign_in_links SET created_at = created_at - 960, expires_at = expires_at - 960")
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    let response = finish(&app, &browser, &token).await;
    let body = expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert!(body.error.message.contains("expired"), "{body:?}");
    assert_eq!(accounts(&app).await, 0);
}

#[tokio::test]
async fn one_address_gets_five_links_an_hour_and_bad_requests_are_named() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    // The client's own limit (600 sign-ins an hour) is far off: this is the address's.
    for i in 0..5 {
        let response = ask(&app, &app.client(), "flooded@example.org", None).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "link {i}");
    }
    let sixth = ask(&app, &app.client(), "flooded@example.org", None).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = sixth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    let mails = sink.wait_for(5).await;
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.rcpt_tos == ["flooded@example.org"])
            .count(),
        5
    );

    let bad = ask(&app, &app.client(), "not an address", None).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = ask(
        &app,
        &app.client(),
        "ok@example.org",
        Some("https://evil.example/"),
    )
    .await;
    expect_error(
        elsewhere,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
}

#[tokio::test]
async fn without_email_the_option_is_neither_offered_nor_possible() {
    let app = spawn_app().await;
    let options: SignInOptions = app
        .client()
        .get(app.url("/api/v1/auth/sign-in-options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!options.email);
    let response = ask(&app, &app.client(), "someone@example.org", None).await;
    expect_error(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Unavailable,
    )
    .await;
}
