//! Insight: every figure of `GET /api/v1/staff/insight` against values worked out by
//! hand from a scenario with known times.
//!
//! The scenario's history is written straight into the tables, backdated, as an
//! import or the demo seed writes it, and gets its facts from the same catch-up the
//! server runs at start-up and in its sweep. Another test makes the changes through
//! the API and checks that the facts follow each one.
//!
//! The desk's calendar is the default unless a test says otherwise: UTC, Monday to
//! Friday, 08:00–17:00; targets P1–P4 first response 30/120/540/1080 minutes,
//! resolution 240/1080/2700/5400. Monday 2 March 2026 is a Monday.

use reqwest::{Response, StatusCode};
use selfdesk_server::db::Db;
use selfdesk_server::with_pool;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::insight::{
    Bucket, CategoryCount, DayFigures, Insight, LowRating, SearchGap, Spread, StepDropOff,
    TierBreaches, WordCount,
};
use selfdesk_shared::sla::{Date, Priority, SlaSettings};
use selfdesk_shared::tickets::{TicketChange, TicketStatus};
use selfdesk_shared::tier::Tier;
use serde_json::json;

use crate::helpers::{Staff, TestApp, TicketForm, expect_error, expect_json, spawn_app};

const HOUR: i64 = 3_600;

/// An instant in March 2026 (UTC).
fn march(day: u8, h: i64, m: i64) -> i64 {
    Date::new(2026, 3, day).unwrap().start_in(0) + h * HOUR + m * 60
}

/// An instant in February 2026 (UTC).
fn february(day: u8, h: i64, m: i64) -> i64 {
    Date::new(2026, 2, day).unwrap().start_in(0) + h * HOUR + m * 60
}

#[derive(Clone, Copy)]
enum Who {
    Requester,
    Staff(i64),
}

/// A ticket written straight into the tables with its timeline, as an import or the
/// demo seed writes one; the stored columns are what the timeline leads to.
struct Past {
    number: &'static str,
    email: &'static str,
    category: &'static str,
    subject: &'static str,
    priority: Priority,
    tier: i64,
    session: Option<&'static str>,
    incident: Option<i64>,
    rating_comment: Option<&'static str>,
    /// The first is the filing.
    events: Vec<(i64, Who, TicketChange)>,
    pauses: Vec<(i64, Option<i64>)>,
}

fn reply() -> TicketChange {
    TicketChange::Reply {
        body: "Looking into it".into(),
    }
}

fn resolve() -> TicketChange {
    TicketChange::Status {
        from: TicketStatus::InProgress,
        to: TicketStatus::Resolved,
        summary: Some("Fixed".into()),
    }
}

fn waiting() -> TicketChange {
    TicketChange::Status {
        from: TicketStatus::InProgress,
        to: TicketStatus::WaitingForRequester,
        summary: None,
    }
}

fn tier(from: u8, to: u8) -> TicketChange {
    TicketChange::Tier {
        from: Tier::new(from).unwrap(),
        to: Tier::new(to).unwrap(),
        reason: "Needs another tier".into(),
    }
}

fn rated(rating: u8, comment: &str) -> TicketChange {
    TicketChange::Rated {
        rating,
        comment: comment.into(),
    }
}

impl Past {
    async fn insert(&self, db: &Db) -> i64 {
        let filed = self.events[0].0;
        let first_reply = self.events.iter().find_map(|(at, who, change)| {
            matches!((who, change), (Who::Staff(_), TicketChange::Reply { .. })).then_some(*at)
        });
        let mut status = TicketStatus::New;
        let (mut resolved_at, mut closed_at, mut rating) = (None, None, None);
        for (at, _, change) in &self.events {
            match change {
                TicketChange::Status { to, .. } => {
                    status = *to;
                    resolved_at = (*to == TicketStatus::Resolved).then_some(*at);
                }
                TicketChange::Reply { .. } if status == TicketStatus::New => {
                    status = TicketStatus::InProgress
                }
                TicketChange::Reopened { .. } => {
                    status = TicketStatus::InProgress;
                    resolved_at = None;
                }
                TicketChange::Confirmed => {
                    status = TicketStatus::Closed;
                    closed_at = Some(*at);
                }
                TicketChange::Rated { rating: r, .. } => rating = Some(i64::from(*r)),
                _ => {}
            }
        }
        let updated = self.events.last().unwrap().0;
        // One transaction, as an importer should write: the catch-up never sees a
        // ticket without the rest of its history.
        with_pool!(db, |pool| async {
            let mut tx = pool.begin().await.unwrap();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tickets (number, idempotency_key_hash, request_hash, requester_name,
                    requester_email, language, category, subject, description, impact, urgency,
                    priority, status, tier, created_at, updated_at, first_responded_at,
                    resolved_at, closed_at, rating, rating_comment, self_service_session_hash,
                    incident_id)
                 VALUES ($1, $1, 'imported', 'Someone', $2, 'en', $3, $4, 'Imported', 'me',
                    'slowed', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                 RETURNING id",
            )
            .bind(self.number)
            .bind(self.email)
            .bind(self.category)
            .bind(self.subject)
            .bind(self.priority.as_str())
            .bind(status.as_str())
            .bind(self.tier)
            .bind(filed)
            .bind(updated)
            .bind(first_reply)
            .bind(resolved_at)
            .bind(closed_at)
            .bind(rating)
            .bind(self.rating_comment)
            .bind(self.session)
            .bind(self.incident)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            for (at, who, change) in &self.events {
                let (actor, staff) = match who {
                    Who::Requester => ("requester", None),
                    Who::Staff(id) => ("staff", Some(*id)),
                };
                sqlx::query(
                    "INSERT INTO ticket_events (ticket_id, created_at, actor, actor_staff_id,
                        actor_name, kind, public, data)
                     VALUES ($1, $2, $3, $4, 'Someone', $5, $6, $7)",
                )
                .bind(id)
                .bind(at)
                .bind(actor)
                .bind(staff)
                .bind(change.kind())
                .bind(change.is_public())
                .bind(serde_json::to_string(change).unwrap())
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            for (from, until) in &self.pauses {
                sqlx::query(
                    "INSERT INTO ticket_pauses (ticket_id, from_at, until_at) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(from)
                .bind(until)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
            id
        }
        .await)
    }
}

/// Runs one SQL statement with text and integer values, for the self-service rows.
async fn exec(db: &Db, sql: &str, texts: &[Option<&str>], ints: &[i64]) {
    with_pool!(db, |pool| async {
        let mut query = sqlx::query(sql);
        for t in texts {
            query = query.bind(*t);
        }
        for i in ints {
            query = query.bind(*i);
        }
        query.execute(pool).await.unwrap();
    }
    .await)
}

async fn searched(
    db: &Db,
    id: &str,
    session: Option<&str>,
    lang: &str,
    query: &str,
    hits: i64,
    at: i64,
) {
    exec(
        db,
        "INSERT INTO search_log (id_hash, session_hash, lang, query, hits, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
        &[Some(id), session, Some(lang), Some(query)],
        &[hits, at],
    )
    .await;
}

async fn viewed(db: &Db, session: &str, slug: &str, at: i64) {
    exec(
        db,
        "INSERT INTO self_service_events (session_hash, kind, subject, created_at)
         VALUES ($1, 'article_viewed', $2, $3)",
        &[Some(session), Some(slug)],
        &[at],
    )
    .await;
}

async fn walked(db: &Db, walk: &str, session: Option<&str>, state: &str, node: &str, at: i64) {
    exec(
        db,
        "INSERT INTO flow_walks (walk_hash, session_hash, flow, version, answers, node, state,
            started_at, updated_at)
         VALUES ($1, $2, 'printer', 1, '', $3, $4, $5, $6)",
        &[Some(walk), session, Some(node), Some(state)],
        &[at, at + 60],
    )
    .await;
}

async fn voted(db: &Db, voter: &str, session: &str, slug: &str, helpful: bool, at: i64) {
    with_pool!(db, |pool| async {
        sqlx::query(
            "INSERT INTO kb_votes (article_id, voter_hash, lang, helpful, created_at, updated_at,
                session_hash)
             SELECT id, $1, 'en', $2, $3, $3, $4 FROM kb_articles WHERE slug = $5",
        )
        .bind(voter)
        .bind(helpful)
        .bind(at)
        .bind(session)
        .bind(slug)
        .execute(pool)
        .await
        .unwrap();
    }
    .await)
}

/// Facts for everything written straight into the tables: the catch-up the server
/// runs at start-up and in its sweep.
async fn catch_up(app: &TestApp) -> u64 {
    let policy = app.state.sla.current();
    app.state
        .insight
        .keep_true(&app.state.db, &policy, false)
        .await
        .unwrap()
}

async fn insight_raw(staff: &Staff<'_>, query: &str) -> Response {
    staff.get(&format!("/api/v1/staff/insight?{query}")).await
}

async fn insight(staff: &Staff<'_>, query: &str) -> Insight {
    expect_json(insight_raw(staff, query).await, StatusCode::OK).await
}

fn spread(count: i64, median: i64, p90: i64) -> Spread {
    Spread {
        count,
        median: Some(median),
        p90: Some(p90),
    }
}

const NONE: Spread = Spread {
    count: 0,
    median: None,
    p90: None,
};

/// The staff ids of the demo technicians and of a deactivated one, Dana.
struct Team {
    tina: i64,
    sam: i64,
    dana: i64,
}

async fn team(admin: &Staff<'_>) -> Team {
    let created = admin
        .post(
            "/api/v1/staff",
            &json!({"email": "dana@demo.selfdesk", "display_name": "Dana Former",
                    "role": "tier1", "password": "a long enough passphrase"}),
        )
        .await;
    let dana: selfdesk_shared::auth::StaffMember = expect_json(created, StatusCode::CREATED).await;
    let deactivated = admin
        .patch(
            &format!("/api/v1/staff/{}", dana.id),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(deactivated.status(), StatusCode::OK);
    Team {
        tina: admin.colleague_id("Tina First-Line").await,
        sam: admin.colleague_id("Sam Specialist").await,
        dana: dana.id,
    }
}

/// The week of Monday 2 to Sunday 8 March 2026, and the week before.
async fn the_scenario(app: &TestApp, admin: &Staff<'_>) -> (Team, i64) {
    let t = team(admin).await;
    let db = app.db().await;
    let incident = admin
        .post_incident("Wi-Fi outage on floor 3", "Access points restarting", None)
        .await;
    use Who::{Requester, Staff as By};
    let tickets = [
        // T1 printing P3, Monday 09:00: answered 09:20 (20 min), resolved 10:00 (60
        // min) by Tina, confirmed and rated 5 at 11:00. A first-contact resolution.
        Past {
            number: "SD-2026-000001",
            email: "Ada@Example.org",
            category: "printing",
            subject: "Printer prints blank pages",
            priority: Priority::P3,
            tier: 1,
            session: None,
            incident: None,
            rating_comment: Some("Quick"),
            events: vec![
                (march(2, 9, 0), Requester, TicketChange::Created),
                (march(2, 9, 20), By(t.tina), reply()),
                (march(2, 10, 0), By(t.tina), resolve()),
                (march(2, 11, 0), Requester, TicketChange::Confirmed),
                (march(2, 11, 0), Requester, rated(5, "Quick")),
            ],
            pauses: vec![],
        },
        // T2 printing P2, Tuesday 09:00, the same requester in another case: a repeat
        // contact. Answered 09:30 (30 min) with a question; waiting until Wednesday
        // 09:00; resolved Wednesday 10:00: 8 h + 2 h of business time less 7.5 h + 1 h
        // waiting = 90 min. Reopened Thursday 09:00 (within 7 days), resolved again
        // Thursday 12:00: 21 h less 8.5 h = 750 min (due Friday 08:30: met).
        Past {
            number: "SD-2026-000002",
            email: "ada@example.org",
            category: "printing",
            subject: "Printer jams on page two",
            priority: Priority::P2,
            tier: 1,
            session: None,
            incident: None,
            rating_comment: None,
            events: vec![
                (march(3, 9, 0), Requester, TicketChange::Created),
                (march(3, 9, 30), By(t.tina), reply()),
                (march(3, 9, 30), By(t.tina), waiting()),
                (march(4, 9, 0), Requester, reply()),
                (march(4, 10, 0), By(t.tina), resolve()),
                (
                    march(5, 9, 0),
                    Requester,
                    TicketChange::Reopened {
                        reason: "Jams again".into(),
                    },
                ),
                (march(5, 12, 0), By(t.tina), resolve()),
            ],
            pauses: vec![(march(3, 9, 30), Some(march(4, 9, 0)))],
        },
        // T3 network P1, Monday 09:00, part of the Wi-Fi incident: escalated to tier 2
        // at 09:10 unanswered, so the first-response deadline (09:30) passes at tier 2;
        // Sam answers at 10:00 (60 min) and resolves at 14:00 (300 min; due 13:00, a
        // second breach at tier 2). Rated 1 "Took all day" on Tuesday 10:00.
        Past {
            number: "SD-2026-000003",
            email: "bob@example.org",
            category: "network",
            subject: "Wi-Fi drops every few minutes",
            priority: Priority::P1,
            tier: 2,
            session: None,
            incident: Some(incident.id),
            rating_comment: Some("Took all day"),
            events: vec![
                (march(2, 9, 0), Requester, TicketChange::Created),
                (march(2, 9, 10), By(t.tina), tier(1, 2)),
                (march(2, 10, 0), By(t.sam), reply()),
                (march(2, 14, 0), By(t.sam), resolve()),
                (march(3, 10, 0), Requester, TicketChange::Confirmed),
                (march(3, 10, 0), Requester, rated(1, "Took all day")),
            ],
            pauses: vec![],
        },
        // T4 hardware P4, filed in the week before (Thursday 26 February 10:00) and
        // answered then (60 min) by Dana, since deactivated; resolved by her Monday 2
        // March 16:00: 7 + 9 + 8 hours = 1,440 min. Rated 4 at 17:00.
        Past {
            number: "SD-2026-000004",
            email: "carol@example.org",
            category: "hardware",
            subject: "Docking station not detected",
            priority: Priority::P4,
            tier: 1,
            session: None,
            incident: None,
            rating_comment: None,
            events: vec![
                (february(26, 10, 0), Requester, TicketChange::Created),
                (february(26, 11, 0), By(t.dana), reply()),
                (march(2, 16, 0), By(t.dana), resolve()),
                (march(2, 17, 0), Requester, TicketChange::Confirmed),
                (march(2, 17, 0), Requester, rated(4, "")),
            ],
            pauses: vec![],
        },
        // T5 software P3, Friday 16:00, Bob again but in another category (no repeat);
        // still new. Its first answer is due Monday 9 March 16:00, after the week.
        Past {
            number: "SD-2026-000005",
            email: "BOB@example.org",
            category: "software",
            subject: "Outlook crashes at start",
            priority: Priority::P3,
            tier: 1,
            session: None,
            incident: None,
            rating_comment: None,
            events: vec![(march(6, 16, 0), Requester, TicketChange::Created)],
            pauses: vec![],
        },
        // T6 network P2, Wednesday 09:00, filed in self-service session s3 after
        // reading the Wi-Fi article, part of the incident. Answered 09:10 by Tina,
        // escalated 09:30, sent back by Sam 10:30, resolved by Tina 11:00 (120 min).
        Past {
            number: "SD-2026-000006",
            email: "dave@example.org",
            category: "network",
            subject: "Wi-Fi slow on floor 3",
            priority: Priority::P2,
            tier: 1,
            session: Some("s3"),
            incident: Some(incident.id),
            rating_comment: None,
            events: vec![
                (march(4, 9, 0), Requester, TicketChange::Created),
                (march(4, 9, 10), By(t.tina), reply()),
                (march(4, 9, 30), By(t.tina), tier(1, 2)),
                (march(4, 10, 30), By(t.sam), tier(2, 1)),
                (march(4, 11, 0), By(t.tina), resolve()),
            ],
            pauses: vec![],
        },
        // T7 printing P3 in the week before: Monday 23 February 09:00, answered 09:40
        // (40 min), resolved 10:00 (60 min) by Tina, rated 3.
        Past {
            number: "SD-2026-000007",
            email: "eve@example.org",
            category: "printing",
            subject: "Printer offline",
            priority: Priority::P3,
            tier: 1,
            session: None,
            incident: None,
            rating_comment: None,
            events: vec![
                (february(23, 9, 0), Requester, TicketChange::Created),
                (february(23, 9, 40), By(t.tina), reply()),
                (february(23, 10, 0), By(t.tina), resolve()),
                (february(23, 12, 0), Requester, TicketChange::Confirmed),
                (february(23, 12, 0), Requester, rated(3, "")),
            ],
            pauses: vec![],
        },
    ];
    for ticket in &tickets {
        ticket.insert(&db).await;
    }

    // Self-service, in sessions s1…s5 this week and s0 the week before.
    let printer = "printer-not-printing-from-laptop";
    let wifi = "wifi-connected-no-internet";
    // s1 searched, read the printer article and said it helped.
    searched(
        &db,
        "h1",
        Some("s1"),
        "en",
        "printer blank",
        3,
        march(3, 9, 0),
    )
    .await;
    viewed(&db, "s1", printer, march(3, 9, 1)).await;
    voted(&db, "v1", "s1", printer, true, march(3, 9, 2)).await;
    // s2 searched twice for nothing (English, French) and fixed it with the printer flow.
    searched(&db, "h2", Some("s2"), "en", "vpn token", 0, march(3, 10, 0)).await;
    searched(
        &db,
        "h3",
        Some("s2"),
        "fr",
        "imprimante bourrage",
        0,
        march(3, 10, 1),
    )
    .await;
    walked(&db, "w2", Some("s2"), "resolved", "fixed", march(3, 10, 5)).await;
    // s3 read the Wi-Fi article and filed T6 anyway.
    viewed(&db, "s3", wifi, march(4, 8, 50)).await;
    // s4 only searched, for nothing.
    searched(&db, "h4", Some("s4"), "en", "vpn token", 0, march(5, 9, 0)).await;
    // s5 left the printer flow at its first question and said the Wi-Fi article did not
    // help.
    walked(
        &db,
        "w5",
        Some("s5"),
        "under_way",
        "device",
        march(5, 10, 0),
    )
    .await;
    voted(&db, "v5", "s5", wifi, false, march(5, 10, 2)).await;
    // Without a session: a walk that ended in a ticket, a search that found nothing.
    walked(&db, "w6", None, "ticket", "ticket", march(6, 11, 0)).await;
    searched(&db, "h5", None, "en", "vpn token", 0, march(6, 11, 0)).await;
    // The week before: s0 searched.
    searched(
        &db,
        "h0",
        Some("s0"),
        "en",
        "printer",
        2,
        february(26, 9, 0),
    )
    .await;

    (t, incident.id)
}

#[tokio::test]
async fn every_figure_of_a_week_is_counted_from_the_facts() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let (t, incident) = the_scenario(&app, &admin).await;
    assert_eq!(
        catch_up(&app).await,
        7,
        "every imported ticket gets its facts"
    );
    assert_eq!(catch_up(&app).await, 0, "and only once");

    let week = insight(&admin, "from=2026-03-02&to=2026-03-08&lang=en").await;
    assert_eq!(
        (week.from.as_str(), week.to.as_str()),
        ("2026-03-02", "2026-03-08")
    );

    // Filed: T1, T2, T3, T5, T6. Resolutions: T1, T2 twice, T3, T4, T6. Resolved or
    // closed now of those filed: all but T5. Open at the end of Sunday: T5. T2's first
    // resolution was reopened within 7 days (1 of 6); first-contact resolutions: T1
    // and T4 (T2 reopened, T3 and T6 escalated); repeat contacts: T2.
    let tickets = &week.tickets;
    assert_eq!((tickets.created, tickets.resolved), (5, 6));
    assert_eq!(tickets.resolved_pct, Some(120.0));
    assert_eq!(tickets.created_resolved_now, 4);
    assert_eq!(tickets.created_resolved_now_pct, Some(80.0));
    assert_eq!(tickets.backlog_end, 1);
    assert_eq!((tickets.reopened, tickets.reopen_rate_pct), (1, Some(16.7)));
    assert_eq!(
        (
            tickets.first_contact_resolutions,
            tickets.first_contact_resolution_pct
        ),
        (2, Some(33.3))
    );
    assert_eq!(
        (tickets.repeat_contacts, tickets.repeat_contact_rate_pct),
        (1, Some(20.0))
    );

    // First answers this week: 10 (T6), 20 (T1), 30 (T2), 60 (T3): median the 2nd,
    // 90th percentile the 4th. Resolutions: 60, 90, 120, 300, 750, 1,440: the 3rd and
    // the 6th.
    assert_eq!(week.first_response_minutes, spread(4, 20, 60));
    assert_eq!(week.resolution_minutes, spread(6, 120, 1_440));
    // Answered in time: all but T3 (3 of 4); resolved in time: all but T3 (5 of 6);
    // missed: T3's two deadlines (T5's fall after the week).
    assert_eq!(week.sla.first_response_met_pct, Some(75.0));
    assert_eq!(week.sla.resolution_met_pct, Some(83.3));
    assert_eq!(week.sla.breaches, 2);
    // Ratings this week: 5 (T1), 4 (T4), 1 (T3): 3 per 6 resolutions, mean 3.3, good 2.
    let satisfaction = &week.satisfaction;
    assert_eq!(satisfaction.responses, 3);
    assert_eq!(satisfaction.response_rate_pct, Some(50.0));
    assert_eq!(satisfaction.average, Some(3.3));
    assert_eq!(satisfaction.good_pct, Some(66.7));

    // Sessions s1–s5; engaged s1 (read), s2 (walked), s3 (read), s5 (walked, voted);
    // helped s1 (helpful) and s2 (fixed); filed s3. 5 sessions per 5 tickets.
    let funnel = &week.self_service;
    assert_eq!(
        (funnel.sessions, funnel.engaged, funnel.helped, funnel.filed),
        (5, 4, 2, 1)
    );
    assert_eq!(funnel.score, Some(1.0));

    // The week before: T7 and T4 filed, T7 resolved (a first contact), both closed
    // now; T4 open at the end of Sunday 1 March. Answers 40 (T7) and 60 (T4), both in
    // time; T7 resolved in 60; rated 3. Session s0 searched; 1 session per 2 tickets.
    let before = &week.previous;
    assert_eq!(
        (before.from.as_str(), before.to.as_str()),
        ("2026-02-23", "2026-03-01")
    );
    assert_eq!((before.tickets.created, before.tickets.resolved), (2, 1));
    assert_eq!(before.tickets.resolved_pct, Some(50.0));
    assert_eq!(before.tickets.created_resolved_now_pct, Some(100.0));
    assert_eq!(before.tickets.backlog_end, 1);
    assert_eq!(before.tickets.reopen_rate_pct, Some(0.0));
    assert_eq!(before.tickets.first_contact_resolution_pct, Some(100.0));
    assert_eq!(before.tickets.repeat_contact_rate_pct, Some(0.0));
    assert_eq!(before.first_response_minutes, spread(2, 40, 60));
    assert_eq!(before.resolution_minutes, spread(1, 60, 60));
    assert_eq!(
        (
            before.sla.first_response_met_pct,
            before.sla.resolution_met_pct,
            before.sla.breaches
        ),
        (Some(100.0), Some(100.0), 0)
    );
    assert_eq!(
        (
            before.satisfaction.responses,
            before.satisfaction.average,
            before.satisfaction.good_pct
        ),
        (1, Some(3.0), Some(0.0))
    );
    assert_eq!(
        (
            before.self_service.sessions,
            before.self_service.engaged,
            before.self_service.score
        ),
        (1, 0, Some(0.5))
    );

    // Per priority: P1 is T3 alone (late twice); P2 answers 10 and 30, resolutions 90,
    // 120, 750, all in time; P3 is T1; P4 is T4's resolution (its answer was the week
    // before).
    let by_priority: Vec<_> = week
        .by_priority
        .iter()
        .map(|p| {
            (
                p.priority,
                p.first_response_minutes,
                p.resolution_minutes,
                p.first_response_met_pct,
                p.resolution_met_pct,
            )
        })
        .collect();
    assert_eq!(
        by_priority,
        [
            (
                Priority::P1,
                spread(1, 60, 60),
                spread(1, 300, 300),
                Some(0.0),
                Some(0.0)
            ),
            (
                Priority::P2,
                spread(2, 10, 30),
                spread(3, 120, 750),
                Some(100.0),
                Some(100.0)
            ),
            (
                Priority::P3,
                spread(1, 20, 20),
                spread(1, 60, 60),
                Some(100.0),
                Some(100.0)
            ),
            (
                Priority::P4,
                NONE,
                spread(1, 1_440, 1_440),
                None,
                Some(100.0)
            ),
        ]
    );
    // Both missed deadlines passed while T3 was at tier 2.
    assert_eq!(
        week.breaches_by_tier,
        [
            TierBreaches {
                tier: 1,
                first_response: 0,
                resolution: 0
            },
            TierBreaches {
                tier: 2,
                first_response: 1,
                resolution: 1
            },
            TierBreaches {
                tier: 3,
                first_response: 0,
                resolution: 0
            },
        ]
    );
    assert_eq!(
        week.repeat_categories,
        [CategoryCount {
            category: "printing".into(),
            name: "Printing".into(),
            count: 1
        }]
    );
    assert_eq!(
        week.low_ratings,
        [LowRating {
            number: "SD-2026-000003".into(),
            rating: 1,
            comment: "Took all day".into(),
            rated_at: march(3, 10, 0),
        }]
    );

    // Per category in the portal's order: filed, resolved, filed the week before, and
    // filed per day.
    let categories: Vec<_> = week
        .by_category
        .iter()
        .map(|c| {
            (
                c.category.as_str(),
                c.created,
                c.resolved,
                c.previous_created,
                c.trend.clone(),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [
            ("hardware", 0, 1, 1, vec![0, 0, 0, 0, 0, 0, 0]),
            ("printing", 2, 3, 1, vec![1, 1, 0, 0, 0, 0, 0]),
            ("network", 2, 2, 0, vec![1, 0, 1, 0, 0, 0, 0]),
            ("software", 1, 0, 0, vec![0, 0, 0, 0, 1, 0, 0]),
            ("account", 0, 0, 0, vec![0; 7]),
            ("email", 0, 0, 0, vec![0; 7]),
            ("other", 0, 0, 0, vec![0; 7]),
        ]
    );
    assert_eq!(week.by_category[1].name, "Printing");

    // Subjects this week: "printer" and "wifi" (Wi-Fi) twice, the other words once;
    // words under three letters ("on", "at", "3") are left out.
    let word = |w: &str, count| WordCount {
        word: w.into(),
        count,
    };
    let mut expected = vec![word("printer", 2), word("wifi", 2)];
    for w in [
        "blank", "crashes", "drops", "every", "few", "floor", "jams", "minutes", "outlook", "page",
        "pages", "prints", "slow", "start", "two",
    ] {
        expected.push(word(w, 1));
    }
    assert_eq!(week.subject_words, expected);

    assert_eq!(week.incidents.len(), 1);
    let linked = &week.incidents[0];
    assert_eq!(
        (
            linked.id,
            linked.title.as_str(),
            linked.tickets,
            linked.open
        ),
        (incident, "Wi-Fi outage on floor 3", 2, true)
    );

    // Tina: resolutions T1, T2 (twice), T6 (60, 90, 750, 120: median 90), answers T1,
    // T2, T6, rated 5 on T1. Sam: T3 (300), answered T3, rated 1. Dana, deactivated:
    // T4 (1,440), her answer was the week before, rated 4.
    let rows: Vec<_> = week
        .by_technician
        .iter()
        .map(|r| {
            (
                r.id,
                r.display_name.as_str(),
                r.active,
                r.resolved,
                r.first_responses,
                r.resolution_minutes_median,
                r.satisfaction_responses,
                r.satisfaction_average,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                t.tina,
                "Tina First-Line",
                true,
                4,
                3,
                Some(90),
                1,
                Some(5.0)
            ),
            (t.sam, "Sam Specialist", true, 1, 1, Some(300), 1, Some(1.0)),
            (
                t.dana,
                "Dana Former",
                false,
                1,
                0,
                Some(1_440),
                1,
                Some(4.0)
            ),
        ]
    );
    // Together: 6 resolutions (60, 90, 120, 300, 750, 1,440: median 120), 4 answers,
    // ratings 5, 1, 4.
    let team = &week.team;
    assert_eq!(
        (team.technicians, team.resolved, team.first_responses),
        (3, 6, 4)
    );
    assert_eq!(
        (team.resolution_minutes_median, team.satisfaction_average),
        (Some(120), Some(3.3))
    );

    // Tier 1: resolutions T1, T2 ×2, T4, T6; escalations T3, T6 (2 of 7); stays that
    // ended: 10 (T3), 30 and 30 (T6), 60 (T1), 90 and 180 (T2), 1,440 (T4): median the
    // 4th. Tier 2: T3 resolved there; T6 was sent back, not escalated; stays 60 (T6)
    // and 290 (T3).
    let tiers: Vec<_> = week
        .by_tier
        .iter()
        .map(|t| {
            (
                t.tier,
                t.resolved,
                t.escalated,
                t.escalation_rate_pct,
                t.minutes_at_tier_median,
            )
        })
        .collect();
    assert_eq!(
        tiers,
        [
            (1, 5, 2, Some(28.6), Some(60)),
            (2, 1, 0, Some(0.0), Some(60)),
            (3, 0, 0, None, None),
        ]
    );

    // "vpn token" found nothing three times (s2, s4, and once without a session);
    // "imprimante bourrage" once, in French.
    assert_eq!(
        week.searches_without_results,
        [
            SearchGap {
                lang: "en".into(),
                query: "vpn token".into(),
                searches: 3
            },
            SearchGap {
                lang: "fr".into(),
                query: "imprimante bourrage".into(),
                searches: 1
            },
        ]
    );
    // Each article was read in one session; the printer one helped s1, the Wi-Fi one
    // did not help s5, and s3 filed T6 after reading it.
    let articles: Vec<_> = week
        .articles
        .iter()
        .map(|a| {
            (
                a.slug.as_str(),
                a.title.as_str(),
                a.views,
                a.helpful,
                a.not_helpful,
                a.helpful_pct,
                a.tickets_after,
            )
        })
        .collect();
    assert_eq!(
        articles,
        [
            (
                "printer-not-printing-from-laptop",
                "My printer doesn't print from my laptop",
                1,
                1,
                0,
                Some(100.0),
                0
            ),
            (
                "wifi-connected-no-internet",
                "Wi-Fi is connected, but there's no internet",
                1,
                0,
                1,
                Some(0.0),
                1
            ),
        ]
    );
    // The printer flow: walked three times (fixed, a ticket, left at "device").
    assert_eq!(week.flows.len(), 1);
    let flow = &week.flows[0];
    assert_eq!(
        (
            flow.slug.as_str(),
            flow.title.as_str(),
            flow.walks,
            flow.completed,
            flow.fixed
        ),
        ("printer", "My printer doesn't work", 3, 2, 1)
    );
    assert_eq!(
        (flow.completion_pct, flow.fixed_pct),
        (Some(66.7), Some(33.3))
    );
    assert_eq!(
        flow.drop_off,
        [StepDropOff {
            node: "device".into(),
            walks: 1
        }]
    );

    // Day by day: filed, resolved, open at the end of the day.
    assert_eq!(week.bucket, Bucket::Day);
    let day = |date: &str, created, resolved, backlog| DayFigures {
        date: date.into(),
        created,
        resolved,
        backlog,
    };
    assert_eq!(
        week.daily,
        [
            day("2026-03-02", 2, 3, 0),
            day("2026-03-03", 1, 0, 1),
            day("2026-03-04", 1, 2, 0),
            day("2026-03-05", 0, 1, 0),
            day("2026-03-06", 1, 0, 1),
            day("2026-03-07", 0, 0, 1),
            day("2026-03-08", 0, 0, 1),
        ]
    );

    // Names and titles in the language asked for.
    let russian = insight(&admin, "from=2026-03-02&to=2026-03-08&lang=ru").await;
    assert_eq!(russian.by_category[1].name, "Печать");
    assert_eq!(russian.articles[0].title, "Принтер не печатает с ноутбука");
    assert_eq!(russian.flows[0].title, "Не работает принтер");
    assert_eq!(russian.tickets, week.tickets);

    // A tier-1 technician sees the same figures, and only their own row.
    let tina = app.staff("tier1").await;
    let own = insight(&tina, "from=2026-03-02&to=2026-03-08").await;
    assert_eq!(own.by_technician, week.by_technician[..1]);
    assert_eq!(own.team, week.team);
    assert_eq!(own.tickets, week.tickets);
    // Erin has no work this week: no row at all.
    let erin = app.staff("tier3").await;
    assert!(
        insight(&erin, "from=2026-03-02&to=2026-03-08")
            .await
            .by_technician
            .is_empty()
    );

    // Friday to Sunday: T5 filed, nothing resolved: no percentage of resolutions.
    let weekend = insight(&admin, "from=2026-03-06&to=2026-03-08").await;
    assert_eq!((weekend.tickets.created, weekend.tickets.resolved), (1, 0));
    assert_eq!(weekend.tickets.resolved_pct, Some(0.0));
    assert_eq!(weekend.tickets.reopen_rate_pct, None);
    assert_eq!(weekend.tickets.first_contact_resolution_pct, None);
    assert_eq!(weekend.resolution_minutes, NONE);
    assert_eq!(weekend.sla.resolution_met_pct, None);
    assert_eq!(weekend.satisfaction.response_rate_pct, None);
    assert_eq!(weekend.tickets.backlog_end, 1);
    // Its previous three days (Tuesday to Thursday): T2 and T6 filed.
    assert_eq!(weekend.previous.tickets.created, 2);

    // The last 30 days, counted back from the tickets open now (fewer tickets came
    // after the window than before it): T5 is open all along.
    let recent = insight(&admin, "").await;
    assert_eq!(recent.tickets.backlog_end, 1);
    assert!(
        recent.daily.iter().all(|d| d.backlog == 1),
        "{:?}",
        recent.daily
    );
    assert_eq!(recent.previous.tickets.backlog_end, 1);

    // Once T5's first-response deadline (Monday 9 March 16:00) is in the period, it
    // counts, at tier 1.
    let next_monday = insight(&admin, "from=2026-03-09&to=2026-03-09").await;
    assert_eq!(next_monday.sla.breaches, 1);
    assert_eq!(next_monday.breaches_by_tier[0].first_response, 1);
}

#[tokio::test]
async fn a_period_without_anything_has_zeros_and_no_percentages() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let response = insight_raw(&admin, "from=2025-01-01&to=2025-01-31").await;
    let text = response.text().await.unwrap();
    assert!(
        !text.contains("NaN") && !text.contains("Infinity"),
        "{text}"
    );
    let empty: Insight = serde_json::from_str(&text).unwrap();
    for tickets in [&empty.tickets, &empty.previous.tickets] {
        assert_eq!(
            (
                tickets.created,
                tickets.resolved,
                tickets.backlog_end,
                tickets.reopened
            ),
            (0, 0, 0, 0)
        );
        assert_eq!(
            (
                tickets.resolved_pct,
                tickets.created_resolved_now_pct,
                tickets.reopen_rate_pct,
                tickets.first_contact_resolution_pct,
                tickets.repeat_contact_rate_pct
            ),
            (None, None, None, None, None)
        );
    }
    assert_eq!(
        (empty.first_response_minutes, empty.resolution_minutes),
        (NONE, NONE)
    );
    assert_eq!(
        (
            empty.sla.first_response_met_pct,
            empty.sla.resolution_met_pct,
            empty.sla.breaches
        ),
        (None, None, 0)
    );
    let satisfaction = &empty.satisfaction;
    assert_eq!(
        (
            satisfaction.responses,
            satisfaction.response_rate_pct,
            satisfaction.average,
            satisfaction.good_pct
        ),
        (0, None, None, None)
    );
    assert_eq!(empty.self_service.sessions, 0);
    assert_eq!(empty.self_service.score, None);
    assert!(
        empty
            .by_priority
            .iter()
            .all(|p| p.first_response_minutes == NONE
                && p.resolution_minutes == NONE
                && p.first_response_met_pct.is_none()
                && p.resolution_met_pct.is_none())
    );
    assert!(empty.by_tier.iter().all(|t| t.resolved == 0
        && t.escalation_rate_pct.is_none()
        && t.minutes_at_tier_median.is_none()));
    assert_eq!(
        empty.by_category.len(),
        7,
        "every category, even without tickets"
    );
    assert!(
        empty
            .by_category
            .iter()
            .all(|c| c.created == 0 && c.trend == vec![0; 31])
    );
    assert!(empty.by_technician.is_empty() && empty.low_ratings.is_empty());
    assert!(empty.subject_words.is_empty() && empty.articles.is_empty() && empty.flows.is_empty());
    assert_eq!(empty.team.resolution_minutes_median, None);
    assert_eq!(empty.daily.len(), 31);
    assert_eq!(empty.daily[30].date, "2025-01-31");
    assert!(
        empty
            .daily
            .iter()
            .all(|d| (d.created, d.resolved, d.backlog) == (0, 0, 0))
    );

    // Longer than 90 days: by week, the last one shorter.
    let quarter = insight(&admin, "from=2025-01-01&to=2025-04-01").await;
    assert_eq!(quarter.bucket, Bucket::Week);
    assert_eq!(quarter.daily.len(), 13);
    assert_eq!(quarter.daily[12].date, "2025-03-26");
    assert!(quarter.by_category.iter().all(|c| c.trend.len() == 13));
    // The longest period: 366 days of a leap year.
    let year = insight(&admin, "from=2024-01-01&to=2024-12-31").await;
    assert_eq!(year.daily.len(), 53);
}

#[tokio::test]
async fn periods_are_refused_by_field_and_default_to_the_last_30_days() {
    let app = spawn_app().await;
    let tech = app.staff("tier2").await;
    for (query, field) in [
        ("from=2026-13-01&to=2026-12-31", "from"),
        ("from=2026-1-1&to=2026-01-31", "from"),
        ("from=2026-03-01&to=yesterday", "to"),
        ("from=2026-03-08&to=2026-03-01", "to"),
        ("from=2025-01-01&to=2026-01-02", "to"),
        ("to=2026-02-30", "to"),
    ] {
        let refused = insight_raw(&tech, query).await;
        let error = expect_error(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.error.field.as_deref(), Some(field), "{query}");
    }
    let refused = insight_raw(&tech, "lang=xx").await;
    expect_error(
        refused,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
    let anonymous = app
        .client()
        .get(app.url("/api/v1/staff/insight"))
        .send()
        .await
        .unwrap();
    expect_error(
        anonymous,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;

    // The desk's calendar is UTC by default: today is the UTC date.
    let today = Date::parse(&time_today()).unwrap();
    let last_30 = insight(&tech, "").await;
    assert_eq!(last_30.to, today.to_string());
    assert_eq!(last_30.from, today.add_days(-29).to_string());
    assert_eq!(last_30.daily.len(), 30);
    let up_to = insight(&tech, "to=2026-03-31").await;
    assert_eq!(
        (up_to.from.as_str(), up_to.to.as_str()),
        ("2026-03-02", "2026-03-31")
    );
    let since = today.add_days(-6).to_string();
    let from = insight(&tech, &format!("from={since}")).await;
    assert_eq!((from.from, from.to), (since, today.to_string()));
}

/// Today's UTC date, `YYYY-MM-DD`.
fn time_today() -> String {
    let now = selfdesk_server::unix_now();
    selfdesk_shared::sla::BusinessCalendar::default()
        .local_date(now)
        .to_string()
}

#[tokio::test]
async fn days_are_the_desks_local_days() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    // A desk at UTC+1, 08:00–17:00 local (07:00–16:00 UTC).
    let mut settings = SlaSettings::default();
    settings.calendar.utc_offset_minutes = 60;
    let saved = admin.put("/api/v1/staff/sla", &settings).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let db = app.db().await;
    let filed = |number, at: i64, events: Vec<(i64, Who, TicketChange)>| Past {
        number,
        email: "night@example.org",
        category: "email",
        subject: "Mail stuck in outbox",
        priority: Priority::P3,
        tier: 1,
        session: None,
        incident: None,
        rating_comment: None,
        events: [vec![(at, Who::Requester, TicketChange::Created)], events].concat(),
        pauses: vec![],
    };
    let tina = admin.colleague_id("Tina First-Line").await;
    // 23:30 local on Monday 2 March is 22:30 UTC; answered Tuesday 08:30 local (07:30
    // UTC), half an hour after the desk opened.
    filed(
        "SD-2026-000101",
        march(2, 22, 30),
        vec![(march(3, 7, 30), Who::Staff(tina), reply())],
    )
    .insert(&db)
    .await;
    // 00:30 local on Tuesday is 23:30 UTC on Monday.
    filed("SD-2026-000102", march(2, 23, 30), vec![])
        .insert(&db)
        .await;
    // 00:10 local on Monday is 23:10 UTC on Sunday.
    filed("SD-2026-000103", march(1, 23, 10), vec![])
        .insert(&db)
        .await;
    catch_up(&app).await;

    let monday = insight(&admin, "from=2026-03-02&to=2026-03-02").await;
    assert_eq!(
        monday.tickets.created, 2,
        "23:30 and 00:10 local are Monday's"
    );
    assert_eq!(monday.daily[0].date, "2026-03-02");
    assert_eq!(monday.daily[0].created, 2);
    assert_eq!(
        monday.tickets.backlog_end, 2,
        "the two filed by midnight local"
    );
    let tuesday = insight(&admin, "from=2026-03-03&to=2026-03-03").await;
    assert_eq!(tuesday.tickets.created, 1);
    // Business minutes in the desk's hours: 30, where a UTC desk would count none
    // (07:30 UTC is before its opening).
    assert_eq!(tuesday.first_response_minutes, spread(1, 30, 30));
}

#[tokio::test]
async fn the_facts_follow_every_change_filing_and_service_level() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let tina = app.staff("tier1").await;
    let db = app.db().await;
    let revisions = |number: String| {
        let db = db.clone();
        async move {
            with_pool!(&db, |pool| async {
                sqlx::query_as::<_, (i64, Option<i64>)>(
                    "SELECT t.revision, f.revision FROM tickets t
                     LEFT JOIN ticket_facts f ON f.ticket_id = t.id WHERE t.number = $1",
                )
                .bind(&number)
                .fetch_one(pool)
                .await
                .unwrap()
            }
            .await)
        }
    };
    let today = || async { insight(&admin, "from=2026-01-01&to=2026-12-31").await };
    let form = || {
        TicketForm::printer("Toner smears")
            .priority(Priority::P2)
            .with("email", json!("Grace@Example.org"))
    };

    let t = app.file_ticket(form()).await;
    let n = t.number.to_string();
    let (ticket, facts) = revisions(n.clone()).await;
    assert_eq!(Some(ticket), facts, "facts at filing");
    assert_eq!(today().await.tickets.created, 1);

    tina.reply(&n, "Which printer?").await;
    tina.resolve(&n, "Replaced the toner").await;
    let requester = app.requester(&t);
    requester.reopen("Still smears").await;
    tina.resolve(&n, "Cleaned the drum").await;
    let (ticket, facts) = revisions(n.clone()).await;
    assert_eq!(Some(ticket), facts, "facts after every change");
    let now = today().await;
    assert_eq!(now.first_response_minutes.count, 1);
    assert_eq!((now.tickets.resolved, now.tickets.reopened), (2, 1));
    assert_eq!(now.tickets.first_contact_resolutions, 0);
    assert_eq!(now.by_technician[0].display_name, "Tina First-Line");

    requester.confirm(2, "Took two tries").await;
    let now = today().await;
    assert_eq!(now.low_ratings.len(), 1);
    assert_eq!(
        (
            now.low_ratings[0].number.as_str(),
            now.low_ratings[0].comment.as_str()
        ),
        (n.as_str(), "Took two tries")
    );
    assert_eq!(now.satisfaction.responses, 1);

    // The same requester in another case, same category: a repeat contact, at filing.
    let again = app
        .file_ticket(form().with("email", json!("grace@EXAMPLE.org")))
        .await;
    assert_eq!(today().await.tickets.repeat_contacts, 1);

    // Facts lost (a crash between a change and its facts) are caught up.
    with_pool!(&db, |pool| async {
        sqlx::query("DELETE FROM ticket_facts")
            .execute(pool)
            .await
            .unwrap();
    }
    .await);
    assert_eq!(today().await.tickets.created, 0);
    assert_eq!(catch_up(&app).await, 2);
    assert_eq!(today().await.tickets.created, 2);

    // New service levels recompute every ticket's facts, unchanged tickets included:
    // open every hour of every day, a P2 answered within 60 minutes, so the unanswered
    // ticket's first answer is due exactly an hour after its filing.
    let mut settings = SlaSettings::default();
    settings.calendar.open_days = [true; 7];
    settings.calendar.opens_at_minute = 0;
    settings.calendar.closes_at_minute = 1_440;
    settings.targets.first_response_minutes[1] = 60;
    let saved = admin.put("/api/v1/staff/sla", &settings).await;
    assert_eq!(saved.status(), StatusCode::OK);
    catch_up(&app).await;
    let (created, due): (i64, Option<i64>) = with_pool!(&db, |pool| async {
        sqlx::query_as(
            "SELECT f.created_at, f.first_response_breach_at FROM ticket_facts f
             JOIN tickets t ON t.id = f.ticket_id WHERE t.number = $1",
        )
        .bind(again.number.to_string())
        .fetch_one(pool)
        .await
        .unwrap()
    }
    .await);
    assert_eq!(due, Some(created + 3_600));
    let fingerprint: String = with_pool!(&db, |pool| async {
        sqlx::query_scalar("SELECT value FROM server_settings WHERE key = 'insight_facts_sha256'")
            .fetch_one(pool)
            .await
            .unwrap()
    }
    .await);
    assert_eq!(
        fingerprint,
        selfdesk_server::insight::upkeep::fingerprint(&app.state.sla.current())
    );
}

/// The per-day totals kept beside the facts, each row as the facts count it: days that
/// begin at the stored offset, and only the rows that count something.
type DayRows = (
    Vec<(i64, String, i64, i64, i64)>,
    Vec<(i64, String, i64)>,
    Vec<(i64, String, i64)>,
);

async fn day_tables_and_facts(db: &Db) -> [DayRows; 2] {
    with_pool!(db, |pool| async {
        let kept_days = sqlx::query_as(
            "SELECT day, category, repeat_contact, done, tickets FROM ticket_days
             WHERE tickets <> 0 ORDER BY 1, 2, 3, 4",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let counted_days = sqlx::query_as(
            "SELECT (f.created_at + s.utc_offset_seconds) / 86400, f.category, f.repeat_contact,
                    f.done, COUNT(*)
             FROM ticket_facts f, insight_day_start s GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let kept_words = sqlx::query_as(
            "SELECT day, word, tickets FROM ticket_word_days WHERE tickets <> 0 ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let facts: Vec<(i64, String)> = sqlx::query_as(
            "SELECT (f.created_at + s.utc_offset_seconds) / 86400, f.subject_words
             FROM ticket_facts f, insight_day_start s",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let mut words = std::collections::BTreeMap::<(i64, String), i64>::new();
        for (day, subject_words) in facts {
            for word in subject_words.split(' ').filter(|w| !w.is_empty()) {
                *words.entry((day, word.to_owned())).or_default() += 1;
            }
        }
        let counted_words = words
            .into_iter()
            .map(|((day, word), tickets)| (day, word, tickets))
            .collect();
        let kept_articles = sqlx::query_as(
            "SELECT day, slug, tickets FROM ticket_article_days WHERE tickets <> 0 ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let counted_articles = sqlx::query_as(
            "SELECT (f.created_at + s.utc_offset_seconds) / 86400, e.subject,
                    COUNT(DISTINCT f.ticket_id)
             FROM ticket_facts f
             JOIN self_service_events e ON e.session_hash = f.session_hash
              AND e.kind = 'article_viewed' AND e.created_at <= f.created_at,
             insight_day_start s
             GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        [
            (kept_days, kept_words, kept_articles),
            (counted_days, counted_words, counted_articles),
        ]
    }
    .await)
}

async fn set_day_start(db: &Db, seconds: i64) {
    with_pool!(db, |pool| async {
        sqlx::query("UPDATE insight_day_start SET utc_offset_seconds = $1")
            .bind(seconds)
            .execute(pool)
            .await
            .unwrap();
    }
    .await);
}

#[tokio::test]
async fn the_day_totals_follow_the_facts_and_give_the_same_figures() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let tina = app.staff("tier1").await;
    let db = app.db().await;
    the_scenario(&app, &admin).await;
    // T6's session read an article a minute before filing it.
    with_pool!(&db, |pool| async {
        sqlx::query(
            "INSERT INTO self_service_events (session_hash, kind, subject, created_at)
             SELECT t.self_service_session_hash, 'article_viewed',
                    (SELECT slug FROM kb_articles ORDER BY id LIMIT 1), t.created_at - 60
             FROM tickets t WHERE t.number = 'SD-2026-000006'",
        )
        .execute(pool)
        .await
        .unwrap();
    }
    .await);
    catch_up(&app).await;
    let periods = [
        "from=2026-03-02&to=2026-03-08&lang=en",
        "from=2026-02-20&to=2026-03-31&lang=en",
        "from=2026-01-01&to=2026-12-31&lang=en",
    ];
    // Every figure as the day totals give it, then as the facts alone give it (the
    // report reads those while the totals' days begin elsewhere than the desk's).
    let both_ways = || async {
        let [kept, counted] = day_tables_and_facts(&db).await;
        assert_eq!(kept, counted, "the day totals are the facts' sums");
        let offset: i64 = with_pool!(&db, |pool| async {
            sqlx::query_scalar("SELECT utc_offset_seconds FROM insight_day_start")
                .fetch_one(pool)
                .await
                .unwrap()
        }
        .await);
        for period in periods {
            let from_totals = insight(&admin, period).await;
            set_day_start(&db, offset + 1).await;
            let from_facts = insight(&admin, period).await;
            set_day_start(&db, offset).await;
            assert_eq!(from_totals, from_facts, "{period}");
        }
    };
    both_ways().await;
    let [(days, words, articles), _] = day_tables_and_facts(&db).await;
    assert!(
        !days.is_empty() && !words.is_empty() && !articles.is_empty(),
        "every total has rows to compare"
    );

    // Filed, answered, resolved, reopened and resolved again through the API: the
    // ticket's row moves between "open" and "done" each time. Its number comes after
    // the imported ones.
    with_pool!(&db, |pool| async {
        sqlx::query(
            "INSERT INTO ticket_counters (year, last_sequence) VALUES (2026, 100), (2027, 100)
             ON CONFLICT (year) DO UPDATE SET last_sequence = 100",
        )
        .execute(pool)
        .await
        .unwrap();
    }
    .await);
    let t = app
        .file_ticket(TicketForm::printer("Toner smears on the scanner"))
        .await;
    let n = t.number.to_string();
    both_ways().await;
    tina.reply(&n, "Which printer?").await;
    tina.resolve(&n, "Replaced the toner").await;
    both_ways().await;
    app.requester(&t).reopen("Still smears").await;
    both_ways().await;
    tina.resolve(&n, "Cleaned the drum").await;
    both_ways().await;

    // An imported ticket moved to another category, filed a day later, with another
    // subject: its facts are rewritten by the catch-up.
    with_pool!(&db, |pool| async {
        sqlx::query(
            "UPDATE tickets SET category = 'network', created_at = created_at + 86400,
                    subject = 'Wifi drops in meeting rooms', revision = revision + 1
             WHERE number = 'SD-2026-000001'",
        )
        .execute(pool)
        .await
        .unwrap();
    }
    .await);
    assert_eq!(catch_up(&app).await, 1);
    both_ways().await;

    // Facts deleted (their tickets' facts lost) and caught up again.
    with_pool!(&db, |pool| {
        async {
        sqlx::query("DELETE FROM ticket_facts WHERE ticket_id IN (SELECT id FROM tickets WHERE number LIKE 'SD-2026-00000%')")
            .execute(pool)
            .await
            .unwrap();
    }
    .await
    });
    both_ways().await;
    catch_up(&app).await;
    both_ways().await;

    // A desk an hour and a half ahead of UTC: the totals are counted again on its days.
    let mut settings = SlaSettings::default();
    settings.calendar.utc_offset_minutes = 90;
    let saved = admin.put("/api/v1/staff/sla", &settings).await;
    assert_eq!(saved.status(), StatusCode::OK);
    catch_up(&app).await;
    both_ways().await;
    let start: i64 = with_pool!(&db, |pool| async {
        sqlx::query_scalar("SELECT utc_offset_seconds FROM insight_day_start")
            .fetch_one(pool)
            .await
            .unwrap()
    }
    .await);
    assert_eq!(start, 90 * 60);
}
