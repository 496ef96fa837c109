//! Ticket emails over real SMTP (the aiosmtpd sink in `smtp.rs`): the confirmation on
//! filing with a working private link, a fresh link by number and email address that
//! reveals nothing about wrong pairs, the honest 503 without email, and the per-number
//! limit on lookups.

use std::time::Duration;

use reqwest::{Response, StatusCode};
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::tickets::{TicketCreated, TicketView};
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_error, spawn_app, spawn_app_with};
use crate::smtp::SmtpSink;

fn ticket(subject: &str, language: &str) -> Value {
    json!({
        "name": "Ada Lovelace", "email": "Ada@Example.org", "category": "printing",
        "subject": subject, "description": "Every page comes out blank.",
        "impact": "me", "urgency": "slowed",
        "fields": {"printer": "3rd floor"},
        "language": language
    })
}

async fn file(app: &TestApp, body: &Value) -> TicketCreated {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let response = app
        .client()
        .post(app.url("/api/v1/tickets"))
        .header(
            "Idempotency-Key",
            format!(
                "email-test-key-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ),
        )
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn lookup(app: &TestApp, number: &str, email: &str) -> Response {
    app.client()
        .post(app.url("/api/v1/tickets/lookup"))
        .json(&json!({"number": number, "email": email}))
        .send()
        .await
        .unwrap()
}

async fn open(app: &TestApp, number: &str, token: &str) -> Response {
    app.client()
        .get(app.url(&format!("/api/v1/tickets/{number}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// The token of the tracking link `base/tickets/<number>#access=<token>` in `body`.
fn token_in(body: &str, base: &str, number: &str) -> String {
    let prefix = format!("{base}/tickets/{number}#access=");
    let start = body
        .find(&prefix)
        .unwrap_or_else(|| panic!("no link starting {prefix} in:\n{body}"))
        + prefix.len();
    body[start..]
        .split(char::is_whitespace)
        .next()
        .unwrap()
        .to_owned()
}

/// A number of the same year that no ticket has.
fn unknown_number(number: &str) -> String {
    format!("{}999999", &number[..8])
}

#[tokio::test]
async fn filing_emails_the_requester_a_link_that_opens_the_ticket() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let created = file(
        &app,
        &ticket("L’imprimante imprime des pages blanches", "fr"),
    )
    .await;

    let mails = sink.wait_for(1).await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert_eq!(mail.rcpt_tos, ["ada@example.org"], "stored lower-cased");
    assert_eq!(mail.mail_from, "desk@selfdesk.test");
    assert!(mail.from.contains("Selfdesk Test"), "{}", mail.from);
    assert!(mail.to.contains("ada@example.org"), "{}", mail.to);
    assert_eq!(mail.content_type, "multipart/alternative");
    // In the ticket's language, with the number; the subject typed only in the text
    // (nothing verifies the address, so nothing typed goes in the subject line).
    assert_eq!(
        mail.subject,
        format!("Ticket {} — bien reçu", created.number)
    );
    assert!(
        mail.body
            .contains(&format!("Numéro du ticket : {}", created.number)),
        "{}",
        mail.body
    );
    assert!(
        mail.body
            .contains("Objet : L’imprimante imprime des pages blanches"),
        "{}",
        mail.body
    );
    let html = mail.html.as_deref().expect("an HTML part");
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains(&format!("#access={}", created.access_token)));
    assert!(
        mail.message_id.ends_with("@selfdesk.test>"),
        "{}",
        mail.message_id
    );
    assert!(
        mail.body
            .contains("Toute personne qui a ce lien peut voir le ticket"),
        "{}",
        mail.body
    );

    // The link points at this server (no --public-url) and its token opens the ticket.
    let token = token_in(&mail.body, &app.url(""), &created.number);
    assert_eq!(token, created.access_token);
    let response = open(&app, &created.number, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let view: TicketView = response.json().await.unwrap();
    assert_eq!(view.subject, "L’imprimante imprime des pages blanches");
}

#[tokio::test]
async fn a_subject_with_line_breaks_cannot_add_headers_or_recipients() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let created = file(
        &app,
        &ticket("Printer\r\nBcc: victim@example.org\r\n\r\nbroken", "en"),
    )
    .await;
    let mails = sink.wait_for(1).await;
    let mail = &mails[0];
    assert_eq!(mail.rcpt_tos, ["ada@example.org"]);
    assert_eq!(
        mail.subject,
        format!("Ticket {} — we have it", created.number)
    );
    assert!(
        mail.body
            .contains("Subject: Printer Bcc: victim@example.org broken"),
        "{}",
        mail.body
    );
    let raw = mail.raw.replace("\r\n", "\n");
    let headers = raw.split("\n\n").next().unwrap();
    assert!(
        !headers
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
        "{headers}"
    );
}

#[tokio::test]
async fn a_lookup_emails_a_fresh_link_and_answers_the_same_for_wrong_pairs() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| {
        sink.configure(serve);
        serve.public_url = Some("https://help.example.org/".into());
    })
    .await;
    let created = file(&app, &ticket("Printer prints blank pages", "en")).await;
    sink.wait_for(1).await;

    let wrong_email = lookup(&app, &created.number, "grace@example.org").await;
    assert_eq!(wrong_email.status(), StatusCode::ACCEPTED);
    let wrong_email: Value = wrong_email.json().await.unwrap();
    let wrong_number = lookup(&app, &unknown_number(&created.number), "ada@example.org").await;
    assert_eq!(wrong_number.status(), StatusCode::ACCEPTED);
    let wrong_number: Value = wrong_number.json().await.unwrap();
    assert_eq!(wrong_email, wrong_number);

    // Case and spaces in the address do not matter.
    let right = lookup(&app, &created.number, "  ADA@example.org ").await;
    assert_eq!(right.status(), StatusCode::ACCEPTED);
    let right: Value = right.json().await.unwrap();
    assert_eq!(right, wrong_email, "the answer never tells a match");

    let mails = sink.wait_for(2).await;
    let mail = &mails[1];
    assert_eq!(mail.rcpt_tos, ["ada@example.org"]);
    assert_eq!(
        mail.subject,
        format!("Ticket {} — your new link", created.number)
    );
    let token = token_in(&mail.body, "https://help.example.org", &created.number);
    assert_ne!(token, created.access_token, "a fresh token");
    assert_eq!(
        open(&app, &created.number, &token).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        open(&app, &created.number, &created.access_token)
            .await
            .status(),
        StatusCode::OK,
        "earlier links keep working"
    );

    // The wrong pairs, looked up before the right one, sent nothing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 2, "{:#?}", sink.received());
}

#[tokio::test]
async fn a_lookup_checks_the_number_and_the_address() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let created = file(&app, &ticket("Printer prints blank pages", "en")).await;
    let error = expect_error(
        lookup(&app, &created.number, "ada.example.org").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("email"));
    let error = expect_error(
        lookup(&app, "ticket 12", "ada@example.org").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("number"));
}

#[tokio::test]
async fn without_email_a_lookup_says_so_honestly() {
    let app = spawn_app().await;
    let created = file(&app, &ticket("Printer prints blank pages", "en")).await;
    let error = expect_error(
        lookup(&app, &created.number, "ada@example.org").await,
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Unavailable,
    )
    .await;
    assert!(
        error.error.message.contains("not set up to send email")
            && error.error.message.contains("Contact your IT department"),
        "{}",
        error.error.message
    );
    // Nothing was counted: the lookup was not even attempted.
    let db = app.db().await;
    let counted: i64 = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM ticket_lookups")
            .fetch_one(pool)
            .await
    })
    .unwrap();
    assert_eq!(counted, 0);
}

#[tokio::test]
async fn a_number_may_be_looked_up_five_times_an_hour() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let created = file(&app, &ticket("Printer prints blank pages", "en")).await;
    sink.wait_for(1).await;
    for i in 0..5 {
        let response = lookup(&app, &created.number, &format!("guess{i}@example.org")).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "lookup {i}");
    }
    // The sixth is refused, even with the right address, and sends nothing.
    let response = lookup(&app, &created.number, "ada@example.org").await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    expect_error(
        response,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    // Lower-case spelling of the number counts against the same number.
    let response = lookup(&app, &created.number.to_lowercase(), "ada@example.org").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    // Other numbers are not affected.
    let other = lookup(&app, &unknown_number(&created.number), "ada@example.org").await;
    assert_eq!(other.status(), StatusCode::ACCEPTED);

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 1, "only the filing confirmation");
}

#[tokio::test]
async fn filing_does_not_wait_for_a_mail_server_that_hangs() {
    // Accepts connections and never says a word: an SMTP client would wait for its
    // timeout (30 s) for the greeting.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let app = spawn_app_with(|serve| {
        serve.smtp.smtp_host = Some("127.0.0.1".into());
        serve.smtp.smtp_port = port;
        serve.smtp.smtp_tls = selfdesk_server::config::SmtpTls::None;
    })
    .await;
    let started = std::time::Instant::now();
    let created = file(&app, &ticket("Printer prints blank pages", "en")).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "filing took {:?}",
        started.elapsed()
    );
    assert_eq!(
        open(&app, &created.number, &created.access_token)
            .await
            .status(),
        StatusCode::OK
    );
}
