//! The outbox and the requester's emails, over real SMTP (the aiosmtpd sink of
//! `smtp.rs`): every change a requester must hear about arrives in their language with
//! a working link; mail held back by the mail server survives a killed server; two
//! server processes deliver each row once; the hourly limit per recipient; admins see
//! failures and send them again.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use selfdesk_server::tickets::auto_close::{self, Lifetimes};
use selfdesk_server::with_pool;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::outbox::{OutboxList, OutboxMessage, OutboxStatus};
use selfdesk_shared::tickets::{TicketCreated, TicketStatus};
use serde_json::json;

use crate::helpers::{TestApp, TicketForm, expect_error, expect_json, spawn_app, spawn_app_with};
use crate::smtp::{ReceivedEmail, SmtpSink};

fn form(subject: &str, language: &str, email: &str) -> TicketForm {
    TicketForm::printer(subject)
        .with("language", json!(language))
        .with("email", json!(email))
}

/// The link in `body` that starts with `prefix`, up to the next white space.
fn link_in(body: &str, prefix: &str) -> String {
    let start = body
        .find(prefix)
        .unwrap_or_else(|| panic!("no link starting {prefix} in:\n{body}"));
    body[start..]
        .split(char::is_whitespace)
        .next()
        .unwrap()
        .to_owned()
}

/// The token of a link `…#access=<token>`.
fn token_of(link: &str) -> &str {
    link.split_once("#access=").unwrap().1
}

async fn opens(app: &TestApp, number: &str, token: &str) -> bool {
    let response = app
        .client()
        .get(app.url(&format!("/api/v1/tickets/{number}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    response.status() == StatusCode::OK
}

/// Checks what every requester email has: the ticket's tracking link that opens it,
/// an HTML part, and nothing typed by the requester in the subject.
async fn check_mail(app: &TestApp, ticket: &TicketCreated, mail: &ReceivedEmail) {
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(
        mail.subject.contains(ticket.number.as_str()) && !mail.subject.contains("Printer"),
        "{}",
        mail.subject
    );
    let link = link_in(
        &mail.body,
        &app.url(&format!("/tickets/{}#access=", ticket.number)),
    );
    assert!(opens(app, &ticket.number, token_of(&link)).await, "{link}");
    let html = mail.html.as_deref().expect("an HTML part");
    assert!(html.contains(token_of(&link)), "{html}");
    assert!(mail.message_id.starts_with('<') && mail.message_id.ends_with("@selfdesk.test>"));
}

#[tokio::test]
async fn every_change_the_requester_must_know_is_emailed_in_their_language() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let tier1 = app.staff("tier1").await;
    let tier2 = app.staff("tier2").await;

    // A public reply, with its text, in each language; an internal note sends nothing.
    let replies = [
        ("en", "new reply", "A technician has answered"),
        ("ru", "новый ответ", "Специалист ответил"),
        ("fr", "nouvelle réponse", "Un technicien a répondu"),
        ("nb", "nytt svar", "En tekniker har svart"),
    ];
    let mut tickets = Vec::new();
    for (lang, subject, intro) in replies {
        let to = format!("ada-{lang}@example.org");
        let ticket = app
            .file_ticket(form("Printer prints blank pages", lang, &to))
            .await;
        sink.wait_for_mail(&to, ticket.number.as_str()).await;
        tier1
            .note(&ticket.number, "Internal: the fuser again?")
            .await;
        tier1
            .reply(&ticket.number, "Please restart the printer <b>now</b>.")
            .await;
        let mail = sink.wait_for_mail(&to, subject).await;
        assert_eq!(
            mail.subject,
            format!(
                "{} {} — {subject}",
                if lang == "ru" {
                    "Заявка"
                } else if lang == "nb" {
                    "Sak"
                } else {
                    "Ticket"
                },
                ticket.number
            )
        );
        assert!(mail.body.contains(intro), "{}", mail.body);
        assert!(
            mail.body
                .contains("> Please restart the printer <b>now</b>."),
            "{}",
            mail.body
        );
        let html = mail.html.as_deref().unwrap();
        assert!(html.contains("&lt;b&gt;now&lt;/b&gt;"), "{html}");
        assert!(!html.contains("Internal"), "{html}");
        check_mail(&app, &ticket, &mail).await;
        tickets.push((to, ticket));
    }

    // In Russian: waiting for the requester, a tier change with its reason, resolved
    // with both answers, closed.
    let (to, ticket) = &tickets[1];
    tier1
        .set_status(&ticket.number, TicketStatus::WaitingForRequester)
        .await;
    let waiting = sink.wait_for_mail(to, "нужен ваш ответ").await;
    assert!(
        waiting.body.contains("Заявка ждёт вашего ответа"),
        "{}",
        waiting.body
    );
    check_mail(&app, ticket, &waiting).await;
    // The requester's own reply sends them nothing.
    app.requester(ticket).reply("Restarted, still blank").await;

    tier1
        .escalate(&ticket.number, 2, "Нужна группа печати")
        .await;
    let tier = sink.wait_for_mail(to, "передана другой группе").await;
    assert!(tier.body.contains("линию поддержки 2."), "{}", tier.body);
    assert!(tier.body.contains("> Нужна группа печати"), "{}", tier.body);
    check_mail(&app, ticket, &tier).await;

    tier2.resolve(&ticket.number, "Заменили фьюзер").await;
    let resolved = sink.wait_for_mail(to, "решена, подтвердите").await;
    assert!(
        resolved.body.contains("> Заменили фьюзер"),
        "{}",
        resolved.body
    );
    check_mail(&app, ticket, &resolved).await;
    // "Yes, it is fixed" and "it is not fixed" open the tracking page at that answer,
    // with a token that opens the ticket.
    let base = app.url(&format!("/tickets/{}", ticket.number));
    let fixed = link_in(&resolved.body, &format!("{base}?answer=fixed#access="));
    let not_fixed = link_in(&resolved.body, &format!("{base}?answer=not-fixed#access="));
    assert_eq!(token_of(&fixed), token_of(&not_fixed));
    assert!(opens(&app, &ticket.number, token_of(&fixed)).await);
    assert!(
        resolved.body.contains("Да, проблема решена:"),
        "{}",
        resolved.body
    );

    // Unanswered for longer than the auto-close days: the sweep closes it.
    let db = app.db().await;
    with_pool!(&db, |pool| sqlx::query(
        "UPDATE tickets SET resolved_at = resolved_at - 8 * 86400 WHERE number = $1"
    )
    .bind(ticket.number.as_str())
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    db.close().await;
    let lifetimes = Lifetimes {
        resolved_tickets: 7,
        searches: 180,
    };
    assert_eq!(auto_close::sweep(&app.state, lifetimes).await, 1);
    let closed = sink.wait_for_mail(to, "закрыта").await;
    assert!(
        closed.body.contains("Ваша заявка закрыта."),
        "{}",
        closed.body
    );
    check_mail(&app, ticket, &closed).await;

    // In Norwegian: the known incident the ticket is part of is fixed.
    let (to, ticket) = &tickets[3];
    let incident = tier1
        .post_incident("Printers on floor 3", "We are on it.", None)
        .await;
    let linked = tier1.link_incident_raw(&ticket.number, incident.id).await;
    assert_eq!(linked.status(), StatusCode::OK);
    let closing = tier1
        .close_incident_raw(incident.id, "Skriverserveren er startet på nytt", true)
        .await;
    assert!(closing.status().is_success(), "{}", closing.status());
    let fixed = sink.wait_for_mail(to, "det kjente problemet er løst").await;
    assert!(
        fixed.body.contains("> Skriverserveren er startet på nytt"),
        "{}",
        fixed.body
    );
    assert!(
        fixed.body.contains("?answer=not-fixed#access="),
        "{}",
        fixed.body
    );
    check_mail(&app, ticket, &fixed).await;

    // Each email has its own Message-ID.
    let received = sink.received();
    let mut ids: Vec<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), received.len());
}

/// Rows of the outbox, read from the database: (status, attempts, last error).
async fn outbox_rows(app: &TestApp) -> Vec<(String, i64, Option<String>)> {
    let db = app.db().await;
    let rows = with_pool!(&db, |pool| sqlx::query_as(
        "SELECT status, attempts, last_error FROM outbox ORDER BY id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    db.close().await;
    rows
}

/// Polls `check` on the outbox rows until it holds, for at most `limit`.
async fn until_rows(
    app: &TestApp,
    limit: Duration,
    what: &str,
    check: impl Fn(&[(String, i64, Option<String>)]) -> bool,
) {
    let started = Instant::now();
    loop {
        let rows = outbox_rows(app).await;
        if check(&rows) {
            return;
        }
        assert!(started.elapsed() < limit, "{what}: outbox rows {rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn free_address() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

#[tokio::test]
async fn mail_held_back_survives_a_killed_server_and_goes_out_after_the_restart() {
    let sink = SmtpSink::start();
    sink.refuse(true);
    // The in-process server only migrates and seeds: with no mail server of its own
    // it runs no outbox worker.
    let app = spawn_app().await;
    let mut settings = sink.settings();
    settings.push(("SELFDESK_OUTBOX_RETRY_SECS", "1".into()));
    let address = free_address();
    let mut server = app.process_with(address, &settings).await;
    let client = reqwest::Client::new();
    let filed = client
        .post(server.url("/api/v1/tickets"))
        .header("Idempotency-Key", crate::helpers::key())
        .json(&form("Printer prints blank pages", "fr", "ada@example.org"))
        .send()
        .await
        .unwrap();
    let ticket: TicketCreated = expect_json(filed, StatusCode::CREATED).await;
    // The mail server said "later" at least once; then the server dies.
    until_rows(&app, Duration::from_secs(10), "a refused try", |rows| {
        rows.len() == 1 && rows[0].0 == "pending" && rows[0].1 >= 1 && rows[0].2.is_some()
    })
    .await;
    server.kill();
    assert!(sink.received().is_empty());

    sink.refuse(false);
    let _server = app.process_with(address, &settings).await;
    let mail = sink.wait_for_mail("ada@example.org", "bien reçu").await;
    assert!(
        mail.body
            .contains(&format!("#access={}", ticket.access_token))
    );
    until_rows(&app, Duration::from_secs(5), "delivered", |rows| {
        rows.len() == 1 && rows[0].0 == "sent"
    })
    .await;
    assert_eq!(sink.received().len(), 1, "delivered once");
}

#[tokio::test]
async fn a_server_killed_mid_delivery_sends_the_message_again_after_its_lease() {
    let sink = SmtpSink::start();
    sink.hang(true);
    let app = spawn_app().await;
    let mut settings = sink.settings();
    settings.push(("SELFDESK_OUTBOX_LEASE_SECS", "2".into()));
    let address = free_address();
    let mut server = app.process_with(address, &settings).await;
    let filed = reqwest::Client::new()
        .post(server.url("/api/v1/tickets"))
        .header("Idempotency-Key", crate::helpers::key())
        .json(&form("Printer prints blank pages", "ru", "ada@example.org"))
        .send()
        .await
        .unwrap();
    let ticket: TicketCreated = expect_json(filed, StatusCode::CREATED).await;
    // Claimed (one try under way, no outcome yet) while the mail server hangs on the
    // message's text: the server dies mid-delivery.
    until_rows(&app, Duration::from_secs(10), "a try under way", |rows| {
        rows.len() == 1 && rows[0].0 == "pending" && rows[0].1 == 1 && rows[0].2.is_none()
    })
    .await;
    server.kill();

    sink.hang(false);
    let _server = app.process_with(address, &settings).await;
    let mail = sink.wait_for_mail("ada@example.org", "получена").await;
    assert!(
        mail.body
            .contains(&format!("#access={}", ticket.access_token))
    );
    until_rows(&app, Duration::from_secs(5), "delivered", |rows| {
        rows.len() == 1 && rows[0].0 == "sent" && rows[0].1 == 2
    })
    .await;
    // At least once, and always as the same message: a receiver that sees it twice
    // (the dead server's try may have reached it) recognises the repeat.
    let received = sink.received();
    assert!(
        received.iter().all(|m| m.message_id == mail.message_id),
        "{:#?}",
        received.iter().map(|m| &m.message_id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn two_server_processes_deliver_each_message_once() {
    let sink = SmtpSink::start();
    let app = spawn_app().await;
    let settings = sink.settings();
    let a = app.process_with(free_address(), &settings).await;
    let b = app.process_with(free_address(), &settings).await;
    let client = reqwest::Client::new();
    const TICKETS: usize = 30;
    let filings = (0..TICKETS).map(|i| {
        let server = if i % 2 == 0 { &a } else { &b };
        let client = client.clone();
        async move {
            let response = client
                .post(server.url("/api/v1/tickets"))
                .header("Idempotency-Key", crate::helpers::key())
                .json(&form(
                    &format!("Ticket {i}"),
                    "en",
                    &format!("user{i}@example.org"),
                ))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::CREATED);
        }
    });
    futures_util::future::join_all(filings).await;
    // Once every row is marked sent, no replica can claim one again: what the sink
    // holds then is all there will ever be.
    until_rows(&app, Duration::from_secs(20), "all delivered", |rows| {
        rows.len() == TICKETS && rows.iter().all(|r| r.0 == "sent")
    })
    .await;
    let rows = outbox_rows(&app).await;
    assert!(rows.iter().all(|r| r.1 == 1), "one try each: {rows:?}");
    let received = sink.received();
    assert_eq!(received.len(), TICKETS, "each message once");
    let mut recipients: Vec<&str> = received.iter().map(|m| m.rcpt_tos[0].as_str()).collect();
    recipients.sort_unstable();
    recipients.dedup();
    assert_eq!(recipients.len(), TICKETS);
}

#[tokio::test]
async fn one_address_gets_at_most_the_hourly_limit_and_admins_see_the_rest() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| {
        sink.configure(serve);
        serve.outbox.emails_per_recipient_hour = 3;
    })
    .await;
    let tier1 = app.staff("tier1").await;
    let ticket = app
        .file_ticket(form(
            "Printer prints blank pages",
            "en",
            "victim@example.org",
        ))
        .await;
    for i in 0..4 {
        tier1.reply(&ticket.number, &format!("Reply {i}")).await;
    }
    let admin = app.staff("admin").await;
    let list: OutboxList = admin
        .get_json("/api/v1/staff/outbox?status=suppressed")
        .await;
    assert_eq!(list.messages.len(), 2, "{list:#?}");
    for message in &list.messages {
        assert_eq!(message.status, OutboxStatus::Suppressed);
        assert_eq!(message.purpose, "staff_reply");
        assert_eq!(
            message.ticket_number.as_deref(),
            Some(ticket.number.as_str())
        );
        assert!(message.last_error.as_deref().unwrap().contains("last hour"));
    }
    until_rows(&app, Duration::from_secs(5), "three sent", |rows| {
        rows.iter().filter(|r| r.0 == "sent").count() == 3
    })
    .await;
    assert_eq!(sink.received().len(), 3);
}

#[tokio::test]
async fn a_refused_message_is_shown_to_admins_and_can_be_sent_again() {
    let sink = SmtpSink::start();
    sink.reject(true);
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let ticket = app
        .file_ticket(form("Printer prints blank pages", "nb", "ada@example.org"))
        .await;
    // A 550 is final: no retries, failed at once.
    until_rows(&app, Duration::from_secs(5), "failed", |rows| {
        rows.len() == 1 && rows[0].0 == "failed"
    })
    .await;
    let admin = app.staff("admin").await;
    let list: OutboxList = admin.get_json("/api/v1/staff/outbox").await;
    assert_eq!((list.pending, list.failed), (0, 1));
    let failed = &list.messages[0];
    assert_eq!(failed.status, OutboxStatus::Failed);
    assert_eq!(failed.purpose, "ticket_filed");
    assert_eq!(failed.recipient, "ada@example.org");
    assert_eq!(failed.subject, format!("Sak {} — mottatt", ticket.number));
    assert!(
        failed.last_error.as_deref().unwrap().contains("550"),
        "{failed:?}"
    );

    // Bad input is a clear refusal; only failed rows can be retried.
    let bad = admin.get("/api/v1/staff/outbox?status=lost").await;
    let error = expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;
    assert_eq!(error.error.field.as_deref(), Some("status"));
    let missing = admin
        .post("/api/v1/staff/outbox/999999/retry", &json!({}))
        .await;
    expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    sink.reject(false);
    let retried = admin
        .post(
            &format!("/api/v1/staff/outbox/{}/retry", failed.id),
            &json!({}),
        )
        .await;
    let retried: OutboxMessage = expect_json(retried, StatusCode::OK).await;
    assert_eq!(retried.status, OutboxStatus::Pending);
    let mail = sink.wait_for_mail("ada@example.org", "mottatt").await;
    assert_eq!(
        mail.message_id, failed.message_id,
        "the same message, again"
    );
    until_rows(&app, Duration::from_secs(5), "sent", |rows| {
        rows[0].0 == "sent"
    })
    .await;
    let again = admin
        .post(
            &format!("/api/v1/staff/outbox/{}/retry", failed.id),
            &json!({}),
        )
        .await;
    expect_error(again, StatusCode::CONFLICT, ErrorCode::Conflict).await;
}
