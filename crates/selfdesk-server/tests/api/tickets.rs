//! Tickets, requester side, over HTTP: filing with an idempotency key, access by
//! token only, field errors, internal notes kept from requesters, the life of a ticket
//! (waiting, resolved, reopened, confirmed, rated), live events across replicas, and
//! the auto-close.

use std::time::Duration;

use reqwest::StatusCode;
use selfdesk_shared::error::{ErrorCode, Reason};
use selfdesk_shared::sla::SlaStanding;
use selfdesk_shared::tickets::{
    TicketChange, TicketCreated, TicketEvent, TicketStatus, TicketView,
};
use selfdesk_shared::tier::Tier;
use serde_json::{Value, json};

use crate::helpers::{
    Requester, Staff, TINY_PNG, TestApp, TicketForm, expect_error, key, spawn_app,
};

#[tokio::test]
async fn a_filed_ticket_gets_a_number_a_priority_and_a_private_link() {
    let app = spawn_app().await;
    let created = app.file("Printer prints blank pages").await;
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
    let ticket = &created.ticket;
    assert_eq!(ticket.status, TicketStatus::New);
    assert_eq!(ticket.tier, Tier::FIRST);
    // Team × blocked is P2 in the documented matrix.
    assert_eq!(ticket.priority.as_str(), "p2");
    assert_eq!(
        ticket.category.name, "Impression",
        "names follow the requester's language"
    );
    assert_eq!(ticket.fields["printer"], "3rd floor, by the kitchen");
    let transcript = ticket.transcript.as_ref().expect("transcript kept as data");
    assert_eq!(transcript.steps[0].answer_en, "Laptop");
    assert!(matches!(ticket.events[0].change, TicketChange::Created));
    assert!(
        matches!(
            ticket.sla.first_response,
            SlaStanding::OnTrack { .. } | SlaStanding::DueSoon { .. }
        ),
        "{:?}",
        ticket.sla
    );

    // The token opens the ticket…
    let view = app.requester(&created).view().await;
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
    let first = app.file("Printer one").await;
    let second = app.file("Printer two").await;

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

    let first_with = |token: &str| app.requester(&first).with_token(token);
    let wrong = first_with("not-the-token").view_raw().await;
    let wrong = expect_error(wrong, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    // Another ticket's token is no key to this one, and the answer is the same as for
    // a number that does not exist: nothing to learn by guessing.
    let other = first_with(&second.access_token).view_raw().await;
    let other = expect_error(other, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let missing = app.requester(&second).at_number("SD-2000-000001");
    let missing = missing.view_raw().await;
    let missing = expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert_eq!(wrong.error.message, other.error.message);
    assert_eq!(other.error.message, missing.error.message);

    let reply = first_with(&second.access_token).reply_raw("sneaky").await;
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
    let body = TicketForm::printer("Retried");
    let first = app.submit_ticket(&key, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: TicketCreated = first.json().await.unwrap();

    let again = app.submit_ticket(&key, &body).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: TicketCreated = again.json().await.unwrap();
    assert_eq!(again.number, first.number);
    // The first answer may never have arrived: the retry gets a working token too.
    assert_ne!(again.access_token, first.access_token);
    assert_eq!(
        app.requester(&again).view_raw().await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.requester(&first).view_raw().await.status(),
        StatusCode::OK
    );

    // Ten concurrent retries, half of them through a second replica: still one ticket.
    let replica = app.replica().await;
    let key2 = crate::helpers::key();
    let body2 = TicketForm::printer("Concurrent retry");
    let attempts = (0..10).map(|i| {
        let target = if i % 2 == 0 { &app } else { &replica };
        target.submit_ticket(&key2, &body2)
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
    let other = app
        .submit_ticket(&key, &TicketForm::printer("Something else"))
        .await;
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
    let bodies: Vec<TicketForm> = (0..50)
        .map(|i| TicketForm::printer(&format!("Ticket {i}")))
        .collect();
    let attempts = keys.iter().zip(&bodies).enumerate().map(|(i, (k, b))| {
        let target = if i % 2 == 0 { &app } else { &replica };
        target.submit_ticket(k, b)
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
async fn a_submission_without_a_good_idempotency_key_is_refused() {
    let app = spawn_app().await;
    let no_key = app
        .client()
        .post(app.url("/api/v1/tickets"))
        .json(&TicketForm::printer("No key"))
        .send()
        .await
        .unwrap();
    let error = expect_error(no_key, StatusCode::BAD_REQUEST, ErrorCode::InvalidParameter).await;
    assert!(error.error.message.contains("Idempotency-Key"));
    let short_key = app
        .submit_ticket("abc", &TicketForm::printer("Short key"))
        .await;
    expect_error(
        short_key,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
    assert_eq!(ticket_count(&app).await, 0);
}

#[tokio::test]
async fn bad_submissions_name_the_field_at_fault() {
    let app = spawn_app().await;
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
        let body = TicketForm::printer("Bad").with(key_name, value);
        let response = app.submit_ticket(&key(), &body).await;
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
    let body = TicketForm::printer("Laptop fan is loud").category("hardware", json!({}));
    let response = app.submit_ticket(&key(), &body).await;
    let error = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("fields.asset_tag"));
    assert_eq!(error.error.reason, Some(Reason::Required));

    // A missing field entirely is a JSON shape error, also with a clear message.
    let response = app.submit_ticket(&key(), &json!({"name": "Ada"})).await;
    let error = expect_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidJson).await;
    assert!(
        error.error.message.contains("email") || error.error.message.contains("missing"),
        "{}",
        error.error.message
    );
    assert_eq!(ticket_count(&app).await, 0);
}

/// Ticket text comes rendered by the server (`description_html`, each event's `html`):
/// whatever a requester or a technician typed, the HTML a page inserts holds no
/// script, no event handler and no `javascript:` link, for requesters and staff alike.
#[tokio::test]
async fn ticket_text_comes_rendered_and_neutralised() {
    let app = spawn_app().await;
    // After a word, so it is a paragraph with inline HTML (a line that starts with
    // `<script>` is an HTML block, shown whole as text: safe, and covered by the
    // renderer's own tests).
    let hostile = "See <script>alert(1)</script> [click](javascript:alert(2)) \
                   <img src=x onerror=alert(3)> [ok](https://example.org/)";
    let created = app
        .file_ticket(TicketForm::printer("Hostile text").with("description", json!(hostile)))
        .await;
    let requester = app.requester(&created);
    requester.reply(&format!("Still broken. {hostile}")).await;
    let staff = app.staff("tier1").await;
    staff
        .reply(&created.number, &format!("**Try** this. {hostile}"))
        .await;
    staff.note(&created.number, hostile).await;

    let safe = |html: &str| {
        let lower = html.to_ascii_lowercase();
        // No tag but the renderer's own: `<img …>` typed becomes `&lt;img …`.
        for banned in ["<script", "javascript:", "<img", "href=\"javascript"] {
            assert!(!lower.contains(banned), "{banned} in {html}");
        }
        // Raw HTML is shown as the text it is, and safe links are kept.
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
    };
    for view in [requester.view().await, staff.ticket(&created.number).await] {
        assert_eq!(view.description, hostile, "the raw text is kept");
        safe(&view.description_html);
        let texts: Vec<&TicketEvent> = view
            .events
            .iter()
            .filter(|e| e.change.text().is_some())
            .collect();
        assert!(texts.len() >= 2, "{:?}", view.events);
        for event in texts {
            safe(
                event
                    .html
                    .as_deref()
                    .expect("an event with text has its HTML"),
            );
        }
        assert!(
            view.events
                .iter()
                .filter(|e| e.change.text().is_none())
                .all(|e| e.html.is_none())
        );
    }
    let staff_view = staff.ticket(&created.number).await;
    let reply = staff_view
        .events
        .iter()
        .find(|e| matches!(&e.change, TicketChange::Reply { body } if body.starts_with("**Try**")))
        .expect("the staff reply");
    assert!(
        reply
            .html
            .as_deref()
            .unwrap()
            .contains("<strong>Try</strong>"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn internal_notes_never_reach_the_requester() {
    let app = spawn_app().await;
    let created = app.file("Printer jams").await;
    let staff = app.staff("tier1").await;
    staff
        .note(&created.number, "Requester is a VIP, careful")
        .await;
    let staff_view = staff.reply(&created.number, "Which tray do you use?").await;
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

    let requester = app.requester(&created);
    let view = requester.view().await;
    let raw = serde_json::to_string(&view).unwrap();
    assert!(!raw.contains("VIP"), "{raw}");
    assert!(
        view.events
            .iter()
            .any(|e| matches!(&e.change, TicketChange::Reply { body } if body.contains("tray")))
    );
    assert!(
        matches!(view.sla.first_response, SlaStanding::Met { .. }),
        "{:?}",
        view.sla
    );

    // Nor through the live stream.
    let events = requester.events(0, 3).await;
    assert!(events.iter().all(|e| e.change.is_public()));
    assert_eq!(events.len(), 2, "created and the reply: {events:?}");
}

#[tokio::test]
async fn a_reply_through_one_replica_streams_live_from_the_other() {
    let app = spawn_app().await;
    let replica = app.replica().await;
    let created = app.file("Live").await;
    let created_id = created.ticket.events[0].id;

    let grant = replica.requester(&created).grant("events").await;
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
    let staff = app.staff("tier1").await;
    staff.reply(&created.number, "Is it plugged in?").await;
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
    let missed = replica.requester(&created).events(created_id, 5).await;
    assert_eq!(missed.len(), 1);
    assert!(matches!(missed[0].change, TicketChange::Reply { .. }));
}

/// A page opens its stream once it has read the ticket, asking for what came after
/// the newest event it shows: only that arrives, not the whole timeline again.
#[tokio::test]
async fn a_staff_stream_opened_after_a_read_sends_only_what_is_newer() {
    let app = spawn_app().await;
    let created = app.file("Newer only").await;
    let staff = app.staff("tier1").await;
    let read = staff.ticket(&created.number).await;
    let newest = read.newest_event_id();
    assert_eq!(newest, created.ticket.events[0].id);
    staff.reply(&created.number, "Is it plugged in?").await;
    staff.note(&created.number, "Checked the cable log").await;

    let newer = staff
        .events(&created.number, &format!("after={newest}"), 5)
        .await;
    assert_eq!(newer.len(), 2, "the reply and the note: {newer:?}");
    assert!(newer.iter().all(|e| e.id > newest));
    let everything = staff.events(&created.number, "", 5).await;
    assert_eq!(everything.len(), 3, "created, reply, note: {everything:?}");
}

#[tokio::test]
async fn a_ticket_waits_resolves_reopens_and_closes_with_a_rating() {
    let app = spawn_app().await;
    let ticket = app.file("Lifecycle").await;
    let requester = app.requester(&ticket);
    let tier1 = app.staff("tier1").await;

    waiting_pauses_the_clock_until_the_requester_answers(&tier1, &requester).await;
    escalating_takes_a_reason_and_one_tier_at_a_time(&tier1, &ticket.number).await;
    let tier2 = app.staff("tier2").await;
    resolving_takes_a_summary_and_ends_the_conversation(&tier2, &requester).await;
    reopening_takes_a_reason_and_restarts_the_work(&requester).await;
    tier2
        .resolve(&ticket.number, "Replaced the toner too")
        .await;
    let closed = confirming_closes_it_with_one_rating(&requester).await;

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

async fn waiting_pauses_the_clock_until_the_requester_answers(
    staff: &Staff<'_>,
    requester: &Requester<'_>,
) {
    let waiting = staff
        .set_status(&requester.number, TicketStatus::WaitingForRequester)
        .await;
    assert_eq!(waiting.status, TicketStatus::WaitingForRequester);
    assert!(
        matches!(waiting.sla.resolution, SlaStanding::Paused),
        "{:?}",
        waiting.sla
    );

    // The requester's answer restarts the work.
    let answered = requester.reply("Tray 2").await;
    assert_eq!(answered.status, TicketStatus::InProgress);
    let empty = requester.reply_raw("  ").await;
    let error = expect_error(
        empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("body"));
}

/// Tier 1 escalates to tier 2, which then owns the status.
async fn escalating_takes_a_reason_and_one_tier_at_a_time(tier1: &Staff<'_>, number: &str) {
    let no_reason = tier1.escalate_raw(number, 2, "").await;
    expect_error(
        no_reason,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let jump = tier1.escalate_raw(number, 3, "Straight to experts").await;
    expect_error(
        jump,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let escalated = tier1
        .escalate(number, 2, "Needs the print server team")
        .await;
    assert_eq!(escalated.tier, Tier::SECOND);
    // Tier 2 owns the status now; first line can only write and note.
    let first_line = tier1
        .set_status_raw(number, TicketStatus::InProgress, None)
        .await;
    expect_error(first_line, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
}

async fn resolving_takes_a_summary_and_ends_the_conversation(
    staff: &Staff<'_>,
    requester: &Requester<'_>,
) {
    let number = &requester.number;
    let no_summary = staff
        .set_status_raw(number, TicketStatus::Resolved, None)
        .await;
    let error = expect_error(
        no_summary,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("summary"));
    staff.resolve(number, "Replaced the fuser").await;

    let late_reply = requester.reply_raw("Thanks").await;
    expect_error(late_reply, StatusCode::CONFLICT, ErrorCode::Conflict).await;
}

async fn reopening_takes_a_reason_and_restarts_the_work(requester: &Requester<'_>) {
    let no_reason = requester.reopen_raw("").await;
    expect_error(
        no_reason,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let reopened = requester.reopen("Still blank pages").await;
    assert_eq!(reopened.status, TicketStatus::InProgress);
}

/// Returns the closed ticket.
async fn confirming_closes_it_with_one_rating(requester: &Requester<'_>) -> TicketView {
    let bad_rating = requester.confirm_raw(6, "").await;
    let error = expect_error(
        bad_rating,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("rating"));
    let closed = requester.confirm(5, "Quick and kind").await;
    assert_eq!(closed.status, TicketStatus::Closed);
    assert_eq!(closed.rating, Some(5));
    assert!(
        matches!(closed.sla.resolution, SlaStanding::Met { .. }),
        "{:?}",
        closed.sla
    );
    let again = requester.rate_raw(4).await;
    expect_error(again, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    closed
}

#[tokio::test]
async fn resolved_tickets_close_by_themselves() {
    let app = spawn_app().await;
    let t = app.file("Auto close").await;
    let staff = app.staff("tier1").await;
    staff.resolve(&t.number, "Fixed").await;
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
        let view = app.requester(&t).view().await;
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

#[tokio::test]
async fn files_are_attached_by_content_and_served_only_to_the_ticket() {
    let app = spawn_app().await;
    let png = app.upload("screen%20shot.png", TINY_PNG.to_vec()).await;
    assert_eq!(png.name, "screen shot.png");
    assert_eq!(png.media_type, "image/png");
    let log = app
        .upload("spooler.log", b"ERROR 0x0000011b\n".to_vec())
        .await;
    assert!(log.media_type.starts_with("text/plain"));

    let created = app
        .file_ticket(TicketForm::printer("With files").attachments(&[&png.id, &log.id]))
        .await;
    let files = &created.ticket.events[0].attachments;
    assert_eq!(files.len(), 2);

    let requester = app.requester(&created);
    let response = requester.attachment_raw(&png.id).await;
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
    let url = format!("/api/v1/tickets/{}/attachments/{}", created.number, png.id);
    let grant = requester.grant("download").await;
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
    let other = app.file("Another").await;
    let response = requester
        .with_token(&other.access_token)
        .attachment_raw(&png.id)
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    // An upload is claimed once: listing it again is refused, nothing filed.
    let reuse = TicketForm::printer("Reusing a file").attachments(&[&png.id]);
    let response = app.submit_ticket(&key(), &reuse).await;
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
    let response = app.upload_raw("holiday.png", exe).await;
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
    let zip = app
        .upload_raw("report.docx", b"PK\x03\x04\x14\x00\x06\x00".to_vec())
        .await;
    expect_error(
        zip,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;

    let too_big = app
        .upload_raw("huge.log", vec![b'a'; 10 * 1024 * 1024 + 1])
        .await;
    expect_error(
        too_big,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;

    // Each file fits, together they exceed the ticket's 25 MiB: nothing is filed.
    let mut ids = Vec::new();
    for i in 0..3 {
        let part = vec![b'a'; 9 * 1024 * 1024];
        ids.push(app.upload(&format!("part{i}.log"), part).await.id);
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let body = TicketForm::printer("Too many logs").attachments(&ids);
    let response = app.submit_ticket(&key(), &body).await;
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
    let t = app.file("Note with a file").await;
    let requester = app.requester(&t);
    let staff = app.staff("tier1").await;
    let log = app
        .upload("server.log", b"internal details\n".to_vec())
        .await;
    let note = staff
        .message_raw(&t.number, "See log", true, &[&log.id])
        .await;
    assert_eq!(note.status(), StatusCode::OK);
    let response = requester.attachment_raw(&log.id).await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let staff_url = format!("/api/v1/staff/tickets/{}/attachments/{}", t.number, log.id);
    let response = staff.get(&staff_url).await;
    assert_eq!(response.status(), StatusCode::OK);

    // The requester's reply carries a file the technician can open.
    let shot = app.upload("error.png", TINY_PNG.to_vec()).await;
    let view = requester.reply_with("Here is the error", &[&shot.id]).await;
    let reply = view
        .events
        .iter()
        .find(|e| matches!(e.change, TicketChange::Reply { .. }))
        .unwrap();
    assert_eq!(reply.attachments[0].name, "error.png");
    let staff_url = format!("/api/v1/staff/tickets/{}/attachments/{}", t.number, shot.id);
    assert_eq!(staff.get(&staff_url).await.status(), StatusCode::OK);
}

const VPN_DOWN: &str = "VPN down for all users since 09:10";

/// What the form asks before filing: open incidents and a count of similar tickets.
/// As JSON text too, to show what never leaves the server.
async fn already_reported(app: &TestApp, category: &str, subject: &str) -> Value {
    let url = app.url(&format!(
        "/api/v1/tickets/already-reported?category={category}&subject={}&lang=en",
        subject.replace(' ', "%20")
    ));
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

/// "Me too" sent anonymously to `path`.
async fn me_too(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.client()
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn known_incidents_are_shown_before_filing_until_closed() {
    let app = spawn_app().await;
    let staff = app.staff("tier1").await;
    let incident = staff
        .post_incident(VPN_DOWN, "We are on it.", Some("network"))
        .await;
    let bad = staff
        .post("/api/v1/staff/incidents", &json!({"title": " "}))
        .await;
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;

    let network = already_reported(&app, "network", "no vpn").await;
    assert_eq!(network["incidents"][0]["title"], VPN_DOWN);
    let printing = already_reported(&app, "printing", "scanner makes noise").await;
    assert_eq!(
        printing["incidents"].as_array().unwrap().len(),
        0,
        "the incident is about the network"
    );

    // "Me too" instead of filing again.
    let affected = format!("/api/v1/incidents/{}/affected", incident.id);
    let grace = json!({"name": "Grace", "email": "grace@example.org"});
    for _ in 0..2 {
        let r = me_too(&app, &affected, &grace).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(
            r.json::<Value>().await.unwrap()["affected"],
            1,
            "the same address counts once"
        );
    }

    // Closed, the incident is no longer shown.
    let closed = staff
        .close_incident_raw(incident.id, "VPN gateway restarted", false)
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
    assert!(
        already_reported(&app, "network", "no vpn").await["incidents"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let again = me_too(&app, &affected, &grace).await;
    expect_error(again, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn similar_open_tickets_are_counted_before_filing_and_can_be_joined() {
    let app = spawn_app().await;
    let staff = app.staff("tier1").await;
    staff
        .post_incident(VPN_DOWN, "We are on it.", Some("network"))
        .await;
    // Someone already filed about the printer on the 3rd floor.
    let first = app.file("Printer on 3rd floor prints blank pages").await;
    let found = already_reported(&app, "printing", "3rd floor printer printing blank page").await;
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
        already_reported(&app, "printing", "scanner makes noise").await["similar_open"],
        0
    );

    // "Me too" on the similar reports, instead of filing again.
    let joined = "/api/v1/tickets/similar/affected";
    let similar = json!({
        "category": "printing",
        "subject": "3rd floor printer printing blank page",
        "lang": "en",
        "name": "Grace",
        "email": "grace@example.org",
    });
    let r = me_too(&app, joined, &similar).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.json::<Value>().await.unwrap()["affected"],
        1,
        "one report joined"
    );
    let unlike = json!({"category": "printing", "subject": "scanner makes noise", "name": "Grace", "email": "grace@example.org"});
    let unlike = me_too(&app, joined, &unlike).await;
    expect_error(unlike, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let no_email = json!({"category": "printing", "subject": "3rd floor printer printing blank page", "name": "Grace", "email": "nope"});
    let no_email = me_too(&app, joined, &no_email).await;
    let error = expect_error(
        no_email,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("email"));

    // The technician sees who else is affected; the requester does not.
    let staff_view = staff.ticket(&first.number).await;
    assert!(staff_view.events.iter().any(|e| matches!(&e.change, TicketChange::AlsoAffected { email, .. } if email == "grace@example.org")));
    let view = app.requester(&first).view().await;
    assert!(
        !serde_json::to_string(&view)
            .unwrap()
            .contains("grace@example.org")
    );
}
