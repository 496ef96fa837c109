//! Tickets, requester side, over HTTP: filing with an idempotency key, access by
//! token only, field errors, internal notes kept from requesters, the life of a ticket
//! (waiting, resolved, reopened, confirmed, rated), live events across replicas, and
//! the auto-close.

use std::time::Duration;

use reqwest::{Client, Response, StatusCode};
use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::error::{ErrorCode, Reason};
use selfdesk_shared::tickets::{
    TicketChange, TicketCreated, TicketEvent, TicketStatus, TicketView,
};
use selfdesk_shared::tier::Tier;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_error, spawn_app, ticket_grant};

pub(crate) const TECH: &str = "tier1@demo.selfdesk";

pub(crate) fn printer_ticket(subject: &str) -> Value {
    json!({
        "name": "Ada Lovelace", "email": "Ada@Example.org", "category": "printing",
        "subject": subject, "description": "Every page comes out **blank**.",
        "impact": "team", "urgency": "blocked",
        "fields": {"printer": "3rd floor, by the kitchen"},
        "transcript": {"flow": "printer", "flow_version": 3, "language": "fr", "steps": [
            {"question": "Quel appareil ?", "answer": "Portable",
             "question_en": "Which device?", "answer_en": "Laptop"}
        ]},
        "language": "fr"
    })
}

pub(crate) fn key() -> String {
    format!("test-key-{}", rand_suffix())
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos}-{}", N.fetch_add(1, Ordering::Relaxed))
}

pub(crate) async fn submit(app: &TestApp, key: &str, body: &Value) -> Response {
    app.client()
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn file(app: &TestApp, subject: &str) -> TicketCreated {
    let response = submit(app, &key(), &printer_ticket(subject)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

pub(crate) async fn get(app: &TestApp, number: &str, token: &str) -> Response {
    app.client()
        .get(app.url(&format!("/api/v1/tickets/{number}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn post(app: &TestApp, t: &TicketCreated, action: &str, body: Value) -> Response {
    app.client()
        .post(app.url(&format!("/api/v1/tickets/{}/{action}", t.number)))
        .bearer_auth(&t.access_token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn staff_post(
    staff: &Client,
    app: &TestApp,
    number: &str,
    action: &str,
    body: Value,
) -> Response {
    staff
        .post(app.url(&format!("/api/v1/staff/tickets/{number}/{action}")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_filed_ticket_gets_a_number_a_priority_and_a_private_link() {
    let app = spawn_app().await;
    let created = file(&app, "Printer prints blank pages").await;
    let year = time_year();
    assert!(
        created.number.starts_with(&format!("SD-{year}-")),
        "{}",
        created.number
    );
    assert_eq!(
        created.tracking_path,
        format!(
            "/tickets/{}#access={}",
            created.number, created.access_token
        )
    );
    let ticket = created.ticket;
    assert_eq!(ticket.status, TicketStatus::New);
    assert_eq!(ticket.tier, Tier::FIRST);
    // Team × blocked is P2 in the documented matrix.
    assert_eq!(ticket.priority.as_str(), "p2");
    assert_eq!(
        ticket.category.name, "Impression",
        "names follow the requester's language"
    );
    assert_eq!(ticket.fields["printer"], "3rd floor, by the kitchen");
    let transcript = ticket.transcript.expect("transcript kept as data");
    assert_eq!(transcript.steps[0].answer_en, "Laptop");
    assert!(matches!(ticket.events[0].change, TicketChange::Created));
    assert!(
        matches!(
            ticket.sla.first_response,
            selfdesk_shared::sla::SlaStanding::OnTrack { .. }
                | selfdesk_shared::sla::SlaStanding::DueSoon { .. }
        ),
        "{:?}",
        ticket.sla
    );

    // The token opens the ticket…
    let response = get(&app, &created.number, &created.access_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let view: TicketView = response.json().await.unwrap();
    assert_eq!(view.subject, "Printer prints blank pages");

    // …and is stored only as a hash.
    let db = app.db().await;
    let stored: Vec<String> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT token_hash FROM ticket_access_tokens")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], created.access_token);
    assert!(!stored[0].contains(&created.access_token));
    let email: String = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT requester_email FROM tickets")
            .fetch_one(pool)
            .await
    })
    .unwrap();
    assert_eq!(email, "ada@example.org");
}

fn time_year() -> i32 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    // Good enough for the tests: 365.2425 days a year from 1970.
    1970 + (days as f64 / 365.2425) as i32
}

#[tokio::test]
async fn only_the_tickets_own_token_opens_it() {
    let app = spawn_app().await;
    let first = file(&app, "Printer one").await;
    let second = file(&app, "Printer two").await;

    let response = app
        .client()
        .get(app.url(&format!("/api/v1/tickets/{}", first.number)))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;

    let wrong = get(&app, &first.number, "not-the-token").await;
    let wrong = expect_error(wrong, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    // Another ticket's token is no key to this one, and the answer is the same as for
    // a number that does not exist: nothing to learn by guessing.
    let other = get(&app, &first.number, &second.access_token).await;
    let other = expect_error(other, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let missing = get(&app, "SD-2000-000001", &second.access_token).await;
    let missing = expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert_eq!(wrong.error.message, other.error.message);
    assert_eq!(other.error.message, missing.error.message);

    let reply = app
        .client()
        .post(app.url(&format!("/api/v1/tickets/{}/replies", first.number)))
        .bearer_auth(&second.access_token)
        .json(&json!({"body": "sneaky"}))
        .send()
        .await
        .unwrap();
    expect_error(reply, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    // Staff endpoints need a staff session, not a ticket token.
    let staff = app
        .client()
        .get(app.url(&format!("/api/v1/staff/tickets/{}", first.number)))
        .bearer_auth(&first.access_token)
        .send()
        .await
        .unwrap();
    expect_error(staff, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
}

#[tokio::test]
async fn a_retried_submission_never_files_twice() {
    let app = spawn_app().await;
    let key = key();
    let body = printer_ticket("Retried");
    let first = submit(&app, &key, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: TicketCreated = first.json().await.unwrap();

    let again = submit(&app, &key, &body).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: TicketCreated = again.json().await.unwrap();
    assert_eq!(again.number, first.number);
    // The first answer may never have arrived: the retry gets a working token too.
    assert_ne!(again.access_token, first.access_token);
    assert_eq!(
        get(&app, &first.number, &again.access_token).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&app, &first.number, &first.access_token).await.status(),
        StatusCode::OK
    );

    // Ten concurrent retries, half of them through a second replica: still one ticket.
    let replica = app.replica().await;
    let key2 = self::key();
    let body2 = printer_ticket("Concurrent retry");
    let attempts = (0..10).map(|i| {
        let target = if i % 2 == 0 { &app } else { &replica };
        submit(target, &key2, &body2)
    });
    let responses = futures_util::future::join_all(attempts).await;
    let mut numbers = Vec::new();
    for response in responses {
        assert!(
            matches!(response.status(), StatusCode::CREATED | StatusCode::OK),
            "{}",
            response.status()
        );
        let created: TicketCreated = response.json().await.unwrap();
        numbers.push(created.number);
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "{numbers:?}");
    assert_eq!(ticket_count(&app).await, 2);

    // The same key for a different ticket is a client bug: refused, nothing filed.
    let other = submit(&app, &key, &printer_ticket("Something else")).await;
    let error = expect_error(other, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(error.error.message.contains("Idempotency-Key"));
    assert_eq!(ticket_count(&app).await, 2);
}

async fn ticket_count(app: &TestApp) -> i64 {
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

#[tokio::test]
async fn concurrent_submissions_get_distinct_numbers() {
    let app = spawn_app().await;
    let replica = app.replica().await;
    let keys: Vec<String> = (0..50).map(|_| key()).collect();
    let bodies: Vec<Value> = (0..50)
        .map(|i| printer_ticket(&format!("Ticket {i}")))
        .collect();
    let attempts = keys.iter().zip(&bodies).enumerate().map(|(i, (k, b))| {
        let target = if i % 2 == 0 { &app } else { &replica };
        submit(target, k, b)
    });
    let mut numbers = Vec::new();
    for response in futures_util::future::join_all(attempts).await {
        assert_eq!(response.status(), StatusCode::CREATED);
        numbers.push(response.json::<TicketCreated>().await.unwrap().number);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 50);
}

#[tokio::test]
async fn bad_submissions_name_the_field_at_fault() {
    let app = spawn_app().await;
    let no_key = app
        .client()
        .post(app.url("/api/v1/tickets"))
        .json(&printer_ticket("No key"))
        .send()
        .await
        .unwrap();
    let error = expect_error(no_key, StatusCode::BAD_REQUEST, ErrorCode::InvalidParameter).await;
    assert!(error.error.message.contains("Idempotency-Key"));
    let short_key = submit(&app, "abc", &printer_ticket("Short key")).await;
    expect_error(
        short_key,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;

    // Each refusal carries its reason, so the app can say it in the reader's language.
    let cases: [(&str, Value, &str, Reason); 7] = [
        ("name", json!(""), "name", Reason::Required),
        ("email", json!("ada at example"), "email", Reason::NotEmail),
        ("subject", json!("   "), "subject", Reason::Required),
        (
            "subject",
            json!("s".repeat(161)),
            "subject",
            Reason::TooLong { max: 160 },
        ),
        ("description", json!(""), "description", Reason::Required),
        ("category", json!("plumbing"), "category", Reason::Unknown),
        (
            "fields",
            json!({"colour": "red"}),
            "fields.colour",
            Reason::Unknown,
        ),
    ];
    for (key_name, value, field, reason) in cases {
        let mut body = printer_ticket("Bad");
        body[key_name] = value;
        let response = submit(&app, &key(), &body).await;
        let error = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.error.field.as_deref(), Some(field), "{key_name}");
        assert_eq!(error.error.reason, Some(reason), "{key_name}");
    }

    // A category's required extra field.
    let mut body = printer_ticket("Laptop fan is loud");
    body["category"] = json!("hardware");
    body["fields"] = json!({});
    let response = submit(&app, &key(), &body).await;
    let error = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("fields.asset_tag"));
    assert_eq!(error.error.reason, Some(Reason::Required));

    // A missing field entirely is a JSON shape error, also with a clear message.
    let response = submit(&app, &key(), &json!({"name": "Ada"})).await;
    let error = expect_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidJson).await;
    assert!(
        error.error.message.contains("email") || error.error.message.contains("missing"),
        "{}",
        error.error.message
    );
    assert_eq!(ticket_count(&app).await, 0);
}

#[tokio::test]
async fn internal_notes_never_reach_the_requester() {
    let app = spawn_app().await;
    let created = file(&app, "Printer jams").await;
    let staff = app.signed_in(TECH).await;
    let note = staff_post(
        &staff,
        &app,
        &created.number,
        "replies",
        json!({"body": "Requester is a VIP, careful", "internal": true}),
    )
    .await;
    assert_eq!(note.status(), StatusCode::OK);
    let reply = staff_post(
        &staff,
        &app,
        &created.number,
        "replies",
        json!({"body": "Which tray do you use?"}),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::OK);
    let staff_view: TicketView = reply.json().await.unwrap();
    assert!(
        staff_view.events.iter().any(
            |e| matches!(&e.change, TicketChange::InternalNote { body } if body.contains("VIP"))
        )
    );
    assert_eq!(
        staff_view.status,
        TicketStatus::InProgress,
        "the first reply starts the work"
    );

    let view: TicketView = get(&app, &created.number, &created.access_token)
        .await
        .json()
        .await
        .unwrap();
    let raw = serde_json::to_string(&view).unwrap();
    assert!(!raw.contains("VIP"), "{raw}");
    assert!(
        view.events
            .iter()
            .any(|e| matches!(&e.change, TicketChange::Reply { body } if body.contains("tray")))
    );
    assert!(
        matches!(
            view.sla.first_response,
            selfdesk_shared::sla::SlaStanding::Met { .. }
        ),
        "{:?}",
        view.sla
    );

    // Nor through the live stream.
    let events = read_stream(&app, &created, 0, 3).await;
    assert!(events.iter().all(|e| e.change.is_public()));
    assert_eq!(events.len(), 2, "created and the reply: {events:?}");
}

/// Opens the ticket's event stream and reads until `count` events or a timeout.
async fn read_stream(
    app: &TestApp,
    t: &TicketCreated,
    after: i64,
    count: usize,
) -> Vec<TicketEvent> {
    let grant = ticket_grant(&app.url(""), &t.number, &t.access_token, "events").await;
    let mut response = app
        .client()
        .get(app.url(&format!(
            "/api/v1/tickets/{}/events?grant={grant}",
            t.number
        )))
        .header("Last-Event-ID", after.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(1500);
    while events.len() < count {
        let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            _ => break,
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                events.push(serde_json::from_str(data.trim()).unwrap());
            }
        }
    }
    events
}

#[tokio::test]
async fn a_reply_through_one_replica_streams_live_from_the_other() {
    let app = spawn_app().await;
    let replica = app.replica().await;
    let created = file(&app, "Live").await;
    let created_id = created.ticket.events[0].id;

    let grant = ticket_grant(
        &replica.url(""),
        &created.number,
        &created.access_token,
        "events",
    )
    .await;
    let mut watcher = tokio::spawn({
        let url = replica.url(&format!(
            "/api/v1/tickets/{}/events?grant={grant}",
            created.number
        ));
        async move {
            let mut response = reqwest::Client::new()
                .get(url)
                .header("Last-Event-ID", created_id.to_string())
                .send()
                .await
                .unwrap();
            let mut text = String::new();
            while !text.contains("Is it plugged in?") {
                match response.chunk().await {
                    Ok(Some(chunk)) => text.push_str(&String::from_utf8_lossy(&chunk)),
                    _ => break,
                }
            }
            text
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let staff = app.signed_in(TECH).await;
    let reply = staff_post(
        &staff,
        &app,
        &created.number,
        "replies",
        json!({"body": "Is it plugged in?"}),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::OK);
    let text = tokio::time::timeout(Duration::from_secs(5), &mut watcher)
        .await
        .expect("the reply arrives within seconds")
        .unwrap();
    assert!(text.contains("Is it plugged in?"), "{text}");
    assert!(
        !text.contains("\"type\":\"created\""),
        "Last-Event-ID skips what was seen: {text}"
    );

    // A reconnect after the last seen id gets only what it missed.
    let missed = read_stream(&replica, &created, created_id, 5).await;
    assert_eq!(missed.len(), 1);
    assert!(matches!(missed[0].change, TicketChange::Reply { .. }));
}

#[tokio::test]
async fn a_ticket_waits_resolves_reopens_and_closes_with_a_rating() {
    let app = spawn_app().await;
    let t = file(&app, "Lifecycle").await;
    let staff = app.signed_in(TECH).await;
    let n = t.number.clone();

    let waiting = staff_post(
        &staff,
        &app,
        &n,
        "status",
        json!({"status": "waiting_for_requester"}),
    )
    .await;
    let waiting: TicketView = waiting.json().await.unwrap();
    assert_eq!(waiting.status, TicketStatus::WaitingForRequester);
    assert!(
        matches!(
            waiting.sla.resolution,
            selfdesk_shared::sla::SlaStanding::Paused
        ),
        "{:?}",
        waiting.sla
    );

    // The requester's answer restarts the work.
    let answered: TicketView = post(&app, &t, "replies", json!({"body": "Tray 2"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answered.status, TicketStatus::InProgress);
    let empty = post(&app, &t, "replies", json!({"body": "  "})).await;
    let error = expect_error(
        empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("body"));

    let escalate = staff_post(&staff, &app, &n, "tier", json!({"tier": 2, "reason": ""})).await;
    expect_error(
        escalate,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let jump = staff_post(
        &staff,
        &app,
        &n,
        "tier",
        json!({"tier": 3, "reason": "Straight to experts"}),
    )
    .await;
    expect_error(
        jump,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let escalated: TicketView = staff_post(
        &staff,
        &app,
        &n,
        "tier",
        json!({"tier": 2, "reason": "Needs the print server team"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(escalated.tier, Tier::SECOND);
    // Tier 2 owns the status now; first line can only write and note.
    let first_line = staff_post(&staff, &app, &n, "status", json!({"status": "in_progress"})).await;
    expect_error(first_line, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let staff = app.signed_in("tier2@demo.selfdesk").await;

    let no_summary = staff_post(&staff, &app, &n, "status", json!({"status": "resolved"})).await;
    let error = expect_error(
        no_summary,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("summary"));
    let resolved = staff_post(
        &staff,
        &app,
        &n,
        "status",
        json!({"status": "resolved", "summary": "Replaced the fuser"}),
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::OK);

    let late_reply = post(&app, &t, "replies", json!({"body": "Thanks"})).await;
    expect_error(late_reply, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let no_reason = post(&app, &t, "reopen", json!({"reason": ""})).await;
    expect_error(
        no_reason,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let reopened: TicketView = post(&app, &t, "reopen", json!({"reason": "Still blank pages"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reopened.status, TicketStatus::InProgress);

    staff_post(
        &staff,
        &app,
        &n,
        "status",
        json!({"status": "resolved", "summary": "Replaced the toner too"}),
    )
    .await;
    let bad_rating = post(&app, &t, "confirm", json!({"rating": 6})).await;
    let error = expect_error(
        bad_rating,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("rating"));
    let closed: TicketView = post(
        &app,
        &t,
        "confirm",
        json!({"rating": 5, "comment": "Quick and kind"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(closed.status, TicketStatus::Closed);
    assert_eq!(closed.rating, Some(5));
    assert!(
        matches!(
            closed.sla.resolution,
            selfdesk_shared::sla::SlaStanding::Met { .. }
        ),
        "{:?}",
        closed.sla
    );
    let again = post(&app, &t, "rating", json!({"rating": 4})).await;
    expect_error(again, StatusCode::CONFLICT, ErrorCode::Conflict).await;

    // The requester's timeline tells the whole story in order.
    let kinds: Vec<&str> = closed.events.iter().map(|e| e.change.kind()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "status",
            "reply",
            "tier",
            "status",
            "reopened",
            "status",
            "confirmed",
            "rated"
        ]
    );
}

#[tokio::test]
async fn resolved_tickets_close_by_themselves() {
    let app = spawn_app().await;
    let t = file(&app, "Auto close").await;
    let staff = app.signed_in(TECH).await;
    staff_post(
        &staff,
        &app,
        &t.number,
        "status",
        json!({"status": "resolved", "summary": "Fixed"}),
    )
    .await;
    // Pretend it was resolved eight days ago; a server starting now sweeps at once.
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query("UPDATE tickets SET resolved_at = resolved_at - 8 * 86400")
            .execute(pool)
            .await
            .map(|_| ())
    })
    .unwrap();
    let _sweeper = app.replica().await;
    let mut status = TicketStatus::Resolved;
    for _ in 0..50 {
        let view: TicketView = get(&app, &t.number, &t.access_token)
            .await
            .json()
            .await
            .unwrap();
        status = view.status;
        if status == TicketStatus::Closed {
            assert!(matches!(
                view.events.last().unwrap().change,
                TicketChange::AutoClosed
            ));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, TicketStatus::Closed);
}

/// A real 1×1 PNG.
pub(crate) const TINY_PNG: [u8; 68] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> Response {
    app.client()
        .post(app.url(&format!("/api/v1/tickets/uploads?name={name}")))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn uploaded(app: &TestApp, name: &str, bytes: Vec<u8>) -> Attachment {
    let response = upload(app, name, bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

#[tokio::test]
async fn files_are_attached_by_content_and_served_only_to_the_ticket() {
    let app = spawn_app().await;
    let png = uploaded(&app, "screen%20shot.png", TINY_PNG.to_vec()).await;
    assert_eq!(png.name, "screen shot.png");
    assert_eq!(png.media_type, "image/png");
    let log = uploaded(&app, "spooler.log", b"ERROR 0x0000011b\n".to_vec()).await;
    assert!(log.media_type.starts_with("text/plain"));

    let mut body = printer_ticket("With files");
    body["attachments"] = json!([png.id, log.id]);
    let response = submit(&app, &key(), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: TicketCreated = response.json().await.unwrap();
    let files = &created.ticket.events[0].attachments;
    assert_eq!(files.len(), 2);

    let url = format!("/api/v1/tickets/{}/attachments/{}", created.number, png.id);
    let response = app
        .client()
        .get(app.url(&url))
        .bearer_auth(&created.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), &TINY_PNG[..]);
    // A plain download link carries a download grant, never the token itself.
    let grant = ticket_grant(
        &app.url(""),
        &created.number,
        &created.access_token,
        "download",
    )
    .await;
    let with_grant = app
        .client()
        .get(app.url(&format!("{url}?grant={grant}")))
        .send()
        .await
        .unwrap();
    assert_eq!(with_grant.status(), StatusCode::OK);
    let token_in_url = app
        .client()
        .get(app.url(&format!("{url}?access={}", created.access_token)))
        .send()
        .await
        .unwrap();
    assert_eq!(token_in_url.status(), StatusCode::UNAUTHORIZED);

    // Another ticket's token opens nothing here.
    let other = file(&app, "Another").await;
    let response = app
        .client()
        .get(app.url(&url))
        .bearer_auth(&other.access_token)
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    // An upload is claimed once: listing it again is refused, nothing filed.
    let mut reuse = printer_ticket("Reusing a file");
    reuse["attachments"] = json!([png.id]);
    let response = submit(&app, &key(), &reuse).await;
    let error = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("attachments"));
    assert_eq!(ticket_count(&app).await, 2);
}

#[tokio::test]
async fn disguised_and_oversized_files_are_refused() {
    let app = spawn_app().await;
    // A Windows program named like a screenshot.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend_from_slice(&[0u8; 64]);
    let response = upload(&app, "holiday.png", exe).await;
    let error = expect_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    assert!(
        error.error.message.contains("Programs"),
        "{}",
        error.error.message
    );
    let zip = upload(&app, "report.docx", b"PK\x03\x04\x14\x00\x06\x00".to_vec()).await;
    expect_error(
        zip,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;

    let too_big = upload(&app, "huge.log", vec![b'a'; 10 * 1024 * 1024 + 1]).await;
    expect_error(
        too_big,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;

    // Each file fits, together they exceed the ticket's 25 MiB: nothing is filed.
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            uploaded(&app, &format!("part{i}.log"), vec![b'a'; 9 * 1024 * 1024])
                .await
                .id,
        );
    }
    let mut body = printer_ticket("Too many logs");
    body["attachments"] = json!(ids);
    let response = submit(&app, &key(), &body).await;
    let error = expect_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("attachments"));
    assert_eq!(ticket_count(&app).await, 0);
}

#[tokio::test]
async fn files_of_internal_notes_stay_with_staff() {
    let app = spawn_app().await;
    let t = file(&app, "Note with a file").await;
    let staff = app.signed_in(TECH).await;
    let log = uploaded(&app, "server.log", b"internal details\n".to_vec()).await;
    let note = staff_post(
        &staff,
        &app,
        &t.number,
        "replies",
        json!({"body": "See log", "internal": true, "attachments": [log.id]}),
    )
    .await;
    assert_eq!(note.status(), StatusCode::OK);
    let url = format!("/api/v1/tickets/{}/attachments/{}", t.number, log.id);
    let response = app
        .client()
        .get(app.url(&url))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let staff_url = format!("/api/v1/staff/tickets/{}/attachments/{}", t.number, log.id);
    let response = staff.get(app.url(&staff_url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // The requester's reply carries a file the technician can open.
    let shot = uploaded(&app, "error.png", TINY_PNG.to_vec()).await;
    let view: TicketView = post(
        &app,
        &t,
        "replies",
        json!({"body": "Here is the error", "attachments": [shot.id]}),
    )
    .await
    .json()
    .await
    .unwrap();
    let reply = view
        .events
        .iter()
        .find(|e| matches!(e.change, TicketChange::Reply { .. }))
        .unwrap();
    assert_eq!(reply.attachments[0].name, "error.png");
    let staff_url = format!("/api/v1/staff/tickets/{}/attachments/{}", t.number, shot.id);
    assert_eq!(
        staff
            .get(app.url(&staff_url))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn known_incidents_and_similar_tickets_are_found_before_filing() {
    let app = spawn_app().await;
    let staff = app.signed_in(TECH).await;
    let posted = staff
        .post(app.url("/api/v1/staff/incidents"))
        .json(&json!({"title": "VPN down for all users since 09:10", "description": "We are on it.", "category": "network"}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    let incident: Value = posted.json().await.unwrap();
    let bad = staff
        .post(app.url("/api/v1/staff/incidents"))
        .json(&json!({"title": " "}))
        .send()
        .await
        .unwrap();
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;

    // Someone already filed about the printer on the 3rd floor.
    let first = file(&app, "Printer on 3rd floor prints blank pages").await;
    let check = |category: &str, subject: &str| {
        let url = app.url(&format!(
            "/api/v1/tickets/already-reported?category={category}&subject={}&lang=en",
            subject.replace(' ', "%20")
        ));
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let found = check("printing", "3rd floor printer printing blank page").await;
    // Only a count: anyone may ask, so another requester's subject and number never
    // leave the server.
    assert_eq!(found["similar_open"], 1, "{found}");
    let text = found.to_string();
    assert!(!text.contains(first.number.as_str()), "{text}");
    assert!(!text.contains("blank pages"), "{text}");
    assert_eq!(
        found["incidents"].as_array().unwrap().len(),
        0,
        "the incident is about the network"
    );
    assert_eq!(
        check("printing", "scanner makes noise").await["similar_open"],
        0
    );
    let network = check("network", "no vpn").await;
    assert_eq!(
        network["incidents"][0]["title"],
        "VPN down for all users since 09:10"
    );

    // "Me too" on the incident and on the similar reports, instead of filing again.
    let id = incident["id"].as_i64().unwrap();
    let me_too = json!({"name": "Grace", "email": "grace@example.org"});
    for _ in 0..2 {
        let r = app
            .client()
            .post(app.url(&format!("/api/v1/incidents/{id}/affected")))
            .json(&me_too)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(
            r.json::<Value>().await.unwrap()["affected"],
            1,
            "the same address counts once"
        );
    }
    let similar = json!({
        "category": "printing",
        "subject": "3rd floor printer printing blank page",
        "lang": "en",
        "name": "Grace",
        "email": "grace@example.org",
    });
    let r = app
        .client()
        .post(app.url("/api/v1/tickets/similar/affected"))
        .json(&similar)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.json::<Value>().await.unwrap()["affected"],
        1,
        "one report joined"
    );
    let unlike = app
        .client()
        .post(app.url("/api/v1/tickets/similar/affected"))
        .json(&json!({"category": "printing", "subject": "scanner makes noise", "name": "Grace", "email": "grace@example.org"}))
        .send()
        .await
        .unwrap();
    expect_error(unlike, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let no_email = app
        .client()
        .post(app.url("/api/v1/tickets/similar/affected"))
        .json(&json!({"category": "printing", "subject": "3rd floor printer printing blank page", "name": "Grace", "email": "nope"}))
        .send()
        .await
        .unwrap();
    let error = expect_error(
        no_email,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("email"));
    // The technician sees who else is affected; the requester does not.
    let staff_view: TicketView = staff
        .get(app.url(&format!("/api/v1/staff/tickets/{}", first.number)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(staff_view.events.iter().any(|e| matches!(&e.change, TicketChange::AlsoAffected { email, .. } if email == "grace@example.org")));
    let view: TicketView = get(&app, &first.number, &first.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !serde_json::to_string(&view)
            .unwrap()
            .contains("grace@example.org")
    );

    // Closed, the incident is no longer shown.
    let closed = staff
        .post(app.url(&format!("/api/v1/staff/incidents/{id}/close")))
        .json(&json!({"message": "VPN gateway restarted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), StatusCode::OK);
    assert!(
        check("network", "no vpn").await["incidents"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let again = app
        .client()
        .post(app.url(&format!("/api/v1/incidents/{id}/affected")))
        .json(&me_too)
        .send()
        .await
        .unwrap();
    expect_error(again, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}
