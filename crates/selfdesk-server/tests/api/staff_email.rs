//! Technicians' emails over real SMTP (the sink of `smtp.rs`): the requester answered
//! on my ticket, a ticket arrived in my tier's pool, my ticket is about to miss its
//! service level (once per deadline) — each in the language the technician chose, and
//! none once turned off. Also the settings' endpoint.

use reqwest::StatusCode;
use selfdesk_server::tickets::sla_watch;
use selfdesk_server::with_pool;
use selfdesk_shared::auth::NotificationSettings;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::language::Language;
use serde_json::json;

use crate::helpers::{Staff, TestApp, expect_error, expect_json, spawn_app, spawn_app_with};
use crate::smtp::SmtpSink;

async fn set(staff: &Staff<'_>, settings: NotificationSettings) {
    let saved: NotificationSettings = expect_json(
        staff.put("/api/v1/staff/me/notifications", &settings).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved, settings);
}

fn all_on(language: Language) -> NotificationSettings {
    NotificationSettings {
        language,
        requester_replies: true,
        tier_pool: true,
        sla_warnings: true,
    }
}

async fn due_at(app: &TestApp, number: &str) -> i64 {
    let db = app.db().await;
    let due: i64 = with_pool!(&db, |pool| sqlx::query_scalar(
        "SELECT sla_due_at FROM tickets WHERE number = $1"
    )
    .bind(number)
    .fetch_one(pool)
    .await)
    .unwrap();
    db.close().await;
    due
}

async fn emails_with_purpose(app: &TestApp, purpose: &str) -> Vec<String> {
    let db = app.db().await;
    let rows: Vec<String> = with_pool!(&db, |pool| sqlx::query_scalar(
        "SELECT recipient FROM outbox WHERE purpose = $1 ORDER BY id"
    )
    .bind(purpose)
    .fetch_all(pool)
    .await)
    .unwrap();
    db.close().await;
    rows
}

#[tokio::test]
async fn technicians_hear_of_replies_arrivals_and_near_deadlines_in_their_language() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let tier1 = app.staff("tier1").await;
    let tier2 = app.staff("tier2").await;
    set(&tier1, all_on(Language::Fr)).await;
    set(&tier2, all_on(Language::Ru)).await;
    let (tier1_id, tier2_id) = (tier1.me().await.id, tier2.me().await.id);

    // The requester answers on a ticket assigned to tier 1: its assignee hears, in
    // French, with the answer quoted and escaped.
    let ticket = app.file("Printer prints blank pages").await;
    tier1.assign(&ticket.number, Some(tier1_id)).await;
    tier1.reply(&ticket.number, "Please restart it").await;
    app.requester(&ticket)
        .reply("Restarted, still <b>blank</b>")
        .await;
    let replied = sink
        .wait_for_mail("tier1@demo.selfdesk", "le demandeur a répondu")
        .await;
    assert!(replied.subject.contains(ticket.number.as_str()));
    assert!(!replied.subject.contains("Printer"), "{}", replied.subject);
    assert!(
        replied.body.contains("> Restarted, still <b>blank</b>"),
        "{}",
        replied.body
    );
    assert!(
        replied
            .body
            .contains(&app.url(&format!("/staff/tickets/{}", ticket.number))),
        "{}",
        replied.body
    );
    let html = replied.html.as_deref().unwrap();
    assert!(html.contains("&lt;b&gt;blank&lt;/b&gt;"), "{html}");
    // Their own reply told nobody on staff.
    assert_eq!(
        emails_with_purpose(&app, "staff_requester_replied").await,
        ["tier1@demo.selfdesk"]
    );

    // Escalated: it lands unassigned in tier 2's pool, and tier 2 hears in Russian;
    // tier 1 (who escalated) and the admin do not.
    tier1
        .escalate(&ticket.number, 2, "Нужна группа печати")
        .await;
    let arrived = sink
        .wait_for_mail("tier2@demo.selfdesk", "новая в очереди вашей линии")
        .await;
    assert!(
        arrived.body.contains("линию поддержки 2."),
        "{}",
        arrived.body
    );
    assert!(
        arrived.body.contains("> Нужна группа печати"),
        "{}",
        arrived.body
    );
    assert_eq!(
        emails_with_purpose(&app, "staff_tier_pool").await,
        ["tier2@demo.selfdesk"]
    );

    // Tier 2 takes it; 10 minutes before its deadline the watch warns them, once.
    tier2.assign(&ticket.number, Some(tier2_id)).await;
    let due = due_at(&app, ticket.number.as_str()).await;
    let pass = sla_watch::pass(&app.state, due - 10 * 60).await.unwrap();
    assert_eq!(pass.warned, 1, "{pass:?}");
    let soon = sink
        .wait_for_mail("tier2@demo.selfdesk", "срок скоро истечёт")
        .await;
    assert!(soon.body.contains("через 10 мин."), "{}", soon.body);
    let again = sla_watch::pass(&app.state, due - 5 * 60).await.unwrap();
    assert_eq!(again.warned, 0, "once per deadline");
    // A deadline further away than 30 minutes is not warned about yet.
    let other = app.file("Scanner is offline").await;
    tier1.assign(&other.number, Some(tier1_id)).await;
    let other_due = due_at(&app, other.number.as_str()).await;
    assert_eq!(
        sla_watch::pass(&app.state, other_due - 31 * 60)
            .await
            .unwrap()
            .warned,
        0
    );

    // Turned off: the deadline is still marked warned, but no email is written.
    set(
        &tier1,
        NotificationSettings {
            sla_warnings: false,
            ..all_on(Language::Fr)
        },
    )
    .await;
    let pass = sla_watch::pass(&app.state, other_due - 60).await.unwrap();
    assert_eq!(pass.warned, 1, "{pass:?}");
    assert_eq!(
        emails_with_purpose(&app, "staff_sla_soon").await,
        ["tier2@demo.selfdesk"]
    );
    set(
        &tier1,
        NotificationSettings {
            requester_replies: false,
            ..all_on(Language::Fr)
        },
    )
    .await;
    app.requester(&other).reply("Any news?").await;
    assert_eq!(
        emails_with_purpose(&app, "staff_requester_replied").await,
        ["tier1@demo.selfdesk"]
    );
}

#[tokio::test]
async fn each_member_reads_and_changes_only_their_own_settings() {
    let app = spawn_app().await;
    let response = app
        .client()
        .get(app.url("/api/v1/staff/me/notifications"))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;

    let tier1 = app.staff("tier1").await;
    let fresh: NotificationSettings = tier1.get_json("/api/v1/staff/me/notifications").await;
    assert_eq!(fresh, all_on(Language::En), "every kind is on at first");
    set(
        &tier1,
        NotificationSettings {
            tier_pool: false,
            ..all_on(Language::Nb)
        },
    )
    .await;
    let tier2 = app.staff("tier2").await;
    let theirs: NotificationSettings = tier2.get_json("/api/v1/staff/me/notifications").await;
    assert_eq!(
        theirs,
        all_on(Language::En),
        "another member's are untouched"
    );
    let mine: NotificationSettings = tier1.get_json("/api/v1/staff/me/notifications").await;
    assert_eq!(mine.language, Language::Nb);
    assert!(!mine.tier_pool);

    let unknown = tier1
        .put(
            "/api/v1/staff/me/notifications",
            &json!({"language": "de", "requester_replies": true, "tier_pool": true, "sla_warnings": true}),
        )
        .await;
    assert!(
        unknown.status() == StatusCode::UNPROCESSABLE_ENTITY
            || unknown.status() == StatusCode::BAD_REQUEST,
        "{}",
        unknown.status()
    );
    let mine: NotificationSettings = tier1.get_json("/api/v1/staff/me/notifications").await;
    assert_eq!(
        mine.language,
        Language::Nb,
        "a refused change changes nothing"
    );
}
