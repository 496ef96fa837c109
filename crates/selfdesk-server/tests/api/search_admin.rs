//! Search that forgives, the server's side: synonym groups kept per language by admins
//! and tier-3 technicians (each write moves the search version every replica
//! follows), the anonymous search log (latest report wins, an opened article stays,
//! limited per address, old searches swept), and the searches that did not help.

use std::time::Duration;

use reqwest::StatusCode;
use selfdesk_server::protect::rate_limits::{Action, RateLimits};
use selfdesk_shared::error::{ErrorCode, Reason};
use selfdesk_shared::language::Language;
use selfdesk_shared::search::{
    MAX_SEARCH_HITS, MAX_SEARCH_REPORTS, MAX_SYNONYM_GROUPS_PER_LANGUAGE, MAX_SYNONYMS, SearchGap,
    SearchReport,
};
use serde_json::{Value, json};

use crate::helpers::{
    SYNONYMS, TestApp, TicketForm, expect_error, in_language, in_session, opened, search,
    spawn_app, spawn_app_with, synonyms,
};

#[tokio::test]
async fn experts_keep_synonym_groups_per_language_and_every_write_moves_the_search_version() {
    let app = spawn_app().await;
    let tier3 = app.staff("tier3").await;
    let admin = app.staff("admin").await;
    let tier1 = app.staff("tier1").await;

    let v0 = app.search_version().await;
    let wifi = tier3
        .add_synonyms(Language::En, &[" WiFi ", "wlan", "Wi-Fi", "wifi"])
        .await;
    assert_eq!(wifi.lang, Language::En);
    assert_eq!(
        wifi.words,
        ["wifi", "wlan", "wi-fi"],
        "trimmed, lower case, once"
    );
    let v1 = app.search_version().await;
    assert!(v1 > v0, "creating moved the version: {v0} → {v1}");

    let printer = admin
        .add_synonyms(Language::En, &["printer", "MFP", "copier"])
        .await;
    let imprimante = admin
        .add_synonyms(Language::Fr, &["imprimante", "copieur"])
        .await;
    // Every technician reads them: by language, then first word.
    let all = tier1.synonym_groups(None).await;
    let listed: Vec<(Language, &str)> = all.iter().map(|g| (g.lang, g.words[0].as_str())).collect();
    assert_eq!(
        listed,
        [
            (Language::En, "printer"),
            (Language::En, "wifi"),
            (Language::Fr, "imprimante")
        ]
    );
    assert_eq!(
        tier1.synonym_groups(Some("fr")).await,
        std::slice::from_ref(&imprimante)
    );
    assert_eq!(
        selfdesk_server::store::search::synonym_groups(&app.db().await)
            .await
            .unwrap(),
        all,
        "what the search index loads"
    );
    let unknown = tier1.get(&format!("{SYNONYMS}?lang=de")).await;
    expect_error(
        unknown,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;

    // Replacing: new words, also a word of its own kept; may move language.
    let v2 = app.search_version().await;
    let replaced = tier3
        .replace_synonyms(wifi.id, Language::En, &["wlan", "wireless", "wifi"])
        .await;
    assert_eq!(replaced.id, wifi.id);
    assert_eq!(replaced.words, ["wlan", "wireless", "wifi"]);
    let v3 = app.search_version().await;
    assert!(v3 > v2, "replacing moved the version");
    let moved = admin
        .replace_synonyms(printer.id, Language::Nb, &["skriver", "printer"])
        .await;
    assert_eq!(moved.lang, Language::Nb);
    assert_eq!(
        tier1.synonym_groups(Some("en")).await,
        std::slice::from_ref(&replaced)
    );

    // Deleting.
    let v4 = app.search_version().await;
    let deleted = admin.delete_synonyms_raw(moved.id).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let v5 = app.search_version().await;
    assert!(v5 > v4, "deleting moved the version");
    assert!(
        tier1
            .synonym_groups(None)
            .await
            .iter()
            .all(|g| g.id != moved.id)
    );

    // What names nothing is 404, and moves nothing.
    let again = admin.delete_synonyms_raw(moved.id).await;
    expect_error(again, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let gone = admin
        .replace_synonyms_raw(moved.id, &synonyms(Language::Nb, &["skriver", "printer"]))
        .await;
    expect_error(gone, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert_eq!(app.search_version().await, v5);
}

/// Sends `words` as a new English group and expects a refusal of `field` for `reason`.
async fn refused(
    staff: &crate::helpers::Staff<'_>,
    words: &[&str],
    field: &str,
    reason: Reason,
) -> String {
    let response = staff.add_synonyms_raw(&synonyms(Language::En, words)).await;
    let error = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some(field), "{words:?}");
    assert_eq!(error.error.reason, Some(reason), "{words:?}");
    error.error.message
}

#[tokio::test]
async fn synonym_refusals_name_the_word_and_why() {
    let app = spawn_app().await;
    let tier3 = app.staff("tier3").await;
    tier3.add_synonyms(Language::En, &["wifi", "wlan"]).await;
    let version = app.search_version().await;

    let message = refused(&tier3, &["vpn", "wire less"], "words.1", Reason::BadFormat).await;
    assert!(message.contains("one word"), "{message}");
    refused(&tier3, &["-vpn", "tunnel"], "words.0", Reason::BadFormat).await;
    refused(&tier3, &["vpn", "  "], "words.1", Reason::Required).await;
    let long = "a".repeat(41);
    refused(
        &tier3,
        &["vpn", &long],
        "words.1",
        Reason::TooLong { max: 40 },
    )
    .await;
    let message = refused(
        &tier3,
        &["VPN", "vpn"],
        "words",
        Reason::TooShort { min: 2 },
    )
    .await;
    assert!(message.contains("at least 2 different words"), "{message}");
    refused(&tier3, &["vpn"], "words", Reason::TooShort { min: 2 }).await;
    let many: Vec<String> = (0..=MAX_SYNONYMS).map(|i| format!("word{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    refused(&tier3, &many, "words", Reason::TooMany { max: 20 }).await;

    // A word of another group of the language, named at its place in the request.
    let message = refused(
        &tier3,
        &["router", "access-point", "WLAN"],
        "words.2",
        Reason::Duplicate,
    )
    .await;
    assert!(message.contains("\"wlan\""), "{message}");
    // Refusals write nothing, not even the version.
    assert_eq!(app.search_version().await, version);
    assert_eq!(tier3.synonym_groups(None).await.len(), 1);

    // Another language may have the same word; a group may keep its own words.
    tier3
        .add_synonyms(Language::Nb, &["wlan", "trådløst"])
        .await;
    let router = tier3
        .add_synonyms(Language::En, &["router", "gateway"])
        .await;
    tier3
        .replace_synonyms(router.id, Language::En, &["gateway", "router", "modem"])
        .await;
    let taken = tier3
        .replace_synonyms_raw(router.id, &synonyms(Language::En, &["router", "wifi"]))
        .await;
    let error = expect_error(
        taken,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("words.1"));
    assert_eq!(error.error.reason, Some(Reason::Duplicate));
}

#[tokio::test]
async fn a_language_has_at_most_so_many_synonym_groups() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let kept = admin.add_synonyms(Language::En, &["wifi", "wlan"]).await;
    // All but one of the allowance, written directly: the rule is what is tested.
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            for i in 2..MAX_SYNONYM_GROUPS_PER_LANGUAGE {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO search_synonym_groups (lang, updated_at) VALUES ('en', 0)
                     RETURNING id",
                )
                .fetch_one(&mut *tx)
                .await?;
                for (position, word) in [format!("a{i}"), format!("b{i}")].iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO search_synonyms (lang, word, group_id, position)
                         VALUES ('en', $1, $2, $3)",
                    )
                    .bind(word)
                    .bind(id)
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await
        }
        .await
    })
    .unwrap();
    admin
        .add_synonyms(Language::En, &["laptop", "notebook"])
        .await;
    let full = admin
        .add_synonyms_raw(&synonyms(Language::En, &["screen", "monitor"]))
        .await;
    let error = expect_error(
        full,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("lang"));
    assert_eq!(error.error.reason, Some(Reason::TooMany { max: 500 }));
    // A full language's groups can still change; other languages are not full.
    admin
        .replace_synonyms(kept.id, Language::En, &["wifi", "wlan", "wireless"])
        .await;
    admin
        .add_synonyms(Language::Fr, &["écran", "moniteur"])
        .await;
}

#[tokio::test]
async fn only_admins_and_tier_3_change_synonyms() {
    let app = spawn_app().await;
    let group = app
        .staff("tier3")
        .await
        .add_synonyms(Language::En, &["wifi", "wlan"])
        .await;
    let body = synonyms(Language::En, &["vpn", "tunnel"]);
    for role in ["tier1", "tier2"] {
        let staff = app.staff(role).await;
        assert_eq!(
            staff.synonym_groups(None).await,
            std::slice::from_ref(&group)
        );
        for response in [
            staff.add_synonyms_raw(&body).await,
            staff.replace_synonyms_raw(group.id, &body).await,
            staff.delete_synonyms_raw(group.id).await,
        ] {
            expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
        }
    }
    // Nobody signed in, and a requester with a ticket's private link: 401.
    let ticket = app.file("Wi-Fi drops").await;
    let url = app.url(SYNONYMS);
    for client in [app.client(), app.bare_client()] {
        for request in [
            client.get(&url),
            client.post(&url).json(&body),
            client.put(format!("{url}/{}", group.id)).json(&body),
            client.delete(format!("{url}/{}", group.id)),
        ] {
            let response = request
                .bearer_auth(&ticket.access_token)
                .send()
                .await
                .unwrap();
            expect_error(
                response,
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
            )
            .await;
        }
    }
    // A signed-in expert's cookie sent from another site is refused.
    let cross_site = app.bare_client();
    let signed_in = cross_site
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&json!({"email": "admin@demo.selfdesk", "password": "selfdesk-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let forged = cross_site
        .post(&url)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_error(forged, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let staff = app.staff("tier1").await;
    assert_eq!(staff.synonym_groups(None).await, [group]);
}

/// The row stored for a search: (query, lang, hits, opened, session hash, created,
/// updated), found by its id's hash.
type Stored = (
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

async fn stored(app: &TestApp, id: &str) -> Option<Stored> {
    let db = app.db().await;
    let hash = selfdesk_server::sha256_hex(id.as_bytes());
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT query, lang, hits, opened, session_hash, created_at, updated_at
             FROM search_log WHERE id_hash = $1",
        )
        .bind(hash)
        .fetch_optional(pool)
        .await
    })
    .unwrap()
}

async fn log_size(app: &TestApp) -> i64 {
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM search_log")
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

const SEARCH_A: &str = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const SEARCH_B: &str = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const SESSION: &str = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

#[tokio::test]
async fn the_latest_report_of_a_search_wins_and_an_opened_article_stays() {
    let app = spawn_app().await;
    // Typing: each pause reports the query so far; then a result is opened.
    app.report_searches(&[
        in_session(search(SEARCH_A, "Printr", 0), SESSION),
        in_session(search(SEARCH_A, "  Printer   JAMS! ", 3), SESSION),
    ])
    .await;
    let (query, lang, hits, opened_slug, session, created, updated) =
        stored(&app, SEARCH_A).await.unwrap();
    assert_eq!(
        (query.as_str(), lang.as_str(), hits),
        ("printer jams", "en", 3)
    );
    assert_eq!(opened_slug, None);
    let session = session.expect("the session is kept");
    assert_eq!(session, selfdesk_server::sha256_hex(SESSION.as_bytes()));
    assert!(updated >= created);

    app.report_searches(&[opened(search(SEARCH_A, "printer jams", 3), "printer-jam")])
        .await;
    // A later report without the article or the session does not forget them.
    app.report_searches(&[search(SEARCH_A, "printer jams", 3)])
        .await;
    let (query, _, hits, opened_slug, kept_session, created_again, _) =
        stored(&app, SEARCH_A).await.unwrap();
    assert_eq!((query.as_str(), hits), ("printer jams", 3));
    assert_eq!(opened_slug.as_deref(), Some("printer-jam"));
    assert_eq!(kept_session.as_deref(), Some(session.as_str()));
    assert_eq!(created_again, created, "a search keeps when it began");
    assert_eq!(log_size(&app).await, 1, "one row per search");

    // A query of punctuation alone is nothing to count; an empty batch is fine.
    app.report_searches(&[search(SEARCH_B, "?!", 0)]).await;
    assert!(stored(&app, SEARCH_B).await.is_none());
    app.report_searches(&[]).await;
    // Only the hash of an id is kept.
    let db = app.db().await;
    let ids: Vec<String> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT id_hash FROM search_log")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert!(ids.iter().all(|h| h.len() == 64 && h != SEARCH_A));
}

#[tokio::test]
async fn malformed_search_reports_are_refused_with_the_field() {
    let app = spawn_app().await;
    let good = search(SEARCH_A, "vpn", 1);
    let cases: Vec<(Value, &str, Reason)> = vec![
        (
            json!([search("short", "vpn", 1)]),
            "0.id",
            Reason::BadFormat,
        ),
        (
            json!([
                good.clone(),
                in_session(search(SEARCH_B, "vpn", 1), "no spaces allowed here")
            ]),
            "1.session",
            Reason::BadFormat,
        ),
        (
            json!([search(SEARCH_A, "   ", 0)]),
            "0.query",
            Reason::Required,
        ),
        (
            json!([search(SEARCH_A, &"v".repeat(201), 0)]),
            "0.query",
            Reason::TooLong { max: 200 },
        ),
        (
            json!([search(SEARCH_A, "vpn", MAX_SEARCH_HITS + 1)]),
            "0.hits",
            Reason::OutOfRange { min: 0, max: 1000 },
        ),
        (
            json!(vec![good.clone(); MAX_SEARCH_REPORTS + 1]),
            "reports",
            Reason::TooMany { max: 20 },
        ),
    ];
    for (body, field, reason) in cases {
        let error = expect_error(
            app.report_searches_raw(&body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.error.field.as_deref(), Some(field), "{body}");
        assert_eq!(error.error.reason, Some(reason), "{body}");
    }
    // A refused batch records nothing, not even its good reports.
    assert_eq!(log_size(&app).await, 0);
    let bad_slug =
        json!([{"id": SEARCH_A, "lang": "en", "query": "vpn", "hits": 1, "opened": "../etc"}]);
    expect_error(
        app.report_searches_raw(&bad_slug).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidJson,
    )
    .await;
}

/// A search id of its own for the `n`th search of a test.
fn id(n: usize) -> String {
    format!("search-{n:012}")
}

fn session(n: usize) -> String {
    format!("session-{n:012}")
}

/// Moves search `id` back `days` days.
async fn age(app: &TestApp, id: &str, days: i64) {
    let db = app.db().await;
    let hash = selfdesk_server::sha256_hex(id.as_bytes());
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query(
            "UPDATE search_log SET created_at = created_at - $2, updated_at = updated_at - $2
             WHERE id_hash = $1",
        )
        .bind(hash)
        .bind(days * 86_400)
        .execute(pool)
        .await
        .map(|_| ())
    })
    .unwrap();
}

fn gap_view(gaps: &[SearchGap]) -> Vec<(&str, Language, i64, i64)> {
    gaps.iter()
        .map(|g| (g.query.as_str(), g.lang, g.searches, g.tickets))
        .collect()
}

#[tokio::test]
async fn staff_see_the_searches_that_found_nothing_and_those_nobody_opened() {
    let app = spawn_app().await;
    let started = selfdesk_server::unix_now();
    let mut reports: Vec<SearchReport> = Vec::new();
    let mut n = 0;
    let mut add = |query: &str,
                   hits: u32,
                   session_no: usize,
                   tweak: &dyn Fn(SearchReport) -> SearchReport| {
        n += 1;
        reports.push(tweak(in_session(
            search(&id(n), query, hits),
            &session(session_no),
        )));
    };
    let same = |r: SearchReport| r;
    // Nothing found: "vpn token" by three sessions (one of them files a ticket, one
    // searches it twice), "badge" once, "scanner" once in French.
    add("vpn token", 0, 1, &same);
    add("VPN token!", 0, 2, &same);
    add("vpn  token", 0, 2, &same);
    add("badge", 0, 3, &same);
    add("scanner", 0, 4, &|r| in_language(r, Language::Fr));
    // Found, never opened: "printer" twice (sessions 1 and 3), "zebra" once.
    add("printer", 4, 1, &same);
    add("Printer", 4, 3, &same);
    add("zebra", 2, 5, &same);
    // Found and opened at least once: not a gap.
    add("email", 2, 5, &same);
    add("email", 2, 6, &|r| opened(r, "outlook-password"));
    // Found nothing 40 days ago: outside the default period.
    add("fax", 0, 7, &same);
    app.report_searches(&reports).await;
    age(&app, &id(11), 40).await;
    // Sessions 1 and 3 file tickets afterwards; so does a session that never searched.
    for s in [1, 3, 9] {
        app.file_ticket(
            TicketForm::printer("Still stuck").with("self_service_session", json!(session(s))),
        )
        .await;
    }

    let staff = app.staff("tier1").await;
    let gaps = staff.search_gaps("").await;
    assert_eq!(gaps.days, 30);
    assert_eq!(gaps.searches, 10);
    assert_eq!(
        gap_view(&gaps.no_results),
        [
            ("vpn token", Language::En, 3, 1),
            ("badge", Language::En, 1, 1),
            ("scanner", Language::Fr, 1, 0),
        ]
    );
    assert_eq!(
        gap_view(&gaps.not_opened),
        [
            ("printer", Language::En, 2, 2),
            ("zebra", Language::En, 1, 0),
        ]
    );
    let now = selfdesk_server::unix_now();
    assert!(
        gaps.no_results
            .iter()
            .all(|g| (started..=now).contains(&g.last_searched_at)),
        "{gaps:?}"
    );

    // A language, a longer period, fewer rows.
    let french = staff.search_gaps("lang=fr").await;
    assert_eq!(french.searches, 1);
    assert_eq!(
        gap_view(&french.no_results),
        [("scanner", Language::Fr, 1, 0)]
    );
    assert!(french.not_opened.is_empty());
    let longer = staff.search_gaps("days=60&limit=2").await;
    assert_eq!(longer.searches, 11);
    assert_eq!(
        gap_view(&longer.no_results),
        [
            ("vpn token", Language::En, 3, 1),
            ("badge", Language::En, 1, 1)
        ],
        "ties go by query"
    );
    assert_eq!(longer.not_opened.len(), 2);
    let all = staff.search_gaps("days=60").await;
    assert!(all.no_results.iter().any(|g| g.query == "fax"));

    for bad in [
        "days=0",
        "days=367",
        "limit=0",
        "limit=101",
        "lang=xx",
        "days=week",
    ] {
        expect_error(
            staff.search_gaps_raw(bad).await,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
    }
}

#[tokio::test]
async fn searches_older_than_the_log_keeps_them_are_swept() {
    let app = spawn_app().await;
    app.report_searches(&[
        search(&id(1), "two hundred days", 0),
        search(&id(2), "a hundred days", 0),
        search(&id(3), "today", 0),
    ])
    .await;
    age(&app, &id(1), 200).await;
    age(&app, &id(2), 100).await;
    // A server starting now sweeps at once: the default keeps 180 days.
    let _sweeper = app.replica().await;
    wait_until_gone(&app, &id(1)).await;
    assert!(stored(&app, &id(2)).await.is_some());
    assert!(stored(&app, &id(3)).await.is_some());
    // One told to keep 30 days sweeps the hundred-day-old search too.
    let _stricter = app.replica_with(|serve| serve.search_log_days = 30).await;
    wait_until_gone(&app, &id(2)).await;
    assert!(stored(&app, &id(3)).await.is_some());
}

async fn wait_until_gone(app: &TestApp, id: &str) {
    for _ in 0..50 {
        if stored(app, id).await.is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("search {id} is still in the log");
}

#[tokio::test]
async fn search_reports_are_limited_per_address() {
    let app = spawn_app_with(|serve| {
        serve.protect.trusted_proxies = "127.0.0.1/32".parse().unwrap();
        serve.protect.rate_limits = RateLimits::default();
    })
    .await;
    let per_hour = RateLimits::default().per_hour(Action::Search) as usize;
    let post = |from: &'static str, first: usize, count: usize| {
        let reports: Vec<SearchReport> = (first..first + count)
            .map(|n| search(&id(n), "printer", 1))
            .collect();
        let request = app
            .client()
            .post(app.url("/api/v1/kb/searches"))
            .header("x-forwarded-for", from)
            .json(&reports);
        async move { request.send().await.unwrap() }
    };
    // Each report counts, however they are batched.
    let mut sent = 0;
    while sent < per_hour {
        let count = MAX_SEARCH_REPORTS.min(per_hour - sent);
        let response = post("203.0.113.30", sent, count).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "after {sent}");
        sent += count;
    }
    let refused = post("203.0.113.30", sent, 1).await;
    assert!(refused.headers().contains_key("retry-after"));
    expect_error(
        refused,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    assert!(stored(&app, &id(sent)).await.is_none());
    assert_eq!(
        post("203.0.113.31", sent, 1).await.status(),
        StatusCode::NO_CONTENT,
        "another address reports as usual"
    );
}
