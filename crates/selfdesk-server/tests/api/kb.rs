//! Knowledge base, reader side, on the seeded demo articles.

use reqwest::StatusCode;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::kb::{Article, CategoryTree, SearchResults};
use selfdesk_shared::language::Language;

use crate::helpers::{TestApp, expect_error, spawn_app};

const PRINTER: &str = "printer-not-printing-from-laptop";

async fn search(app: &TestApp, q: &str, lang: &str) -> SearchResults {
    let response = app
        .client()
        .get(app.url("/api/v1/kb/search"))
        .query(&[("q", q), ("lang", lang)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "search {q:?}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn categories_form_a_tree_with_counts() {
    let app = spawn_app().await;
    let tree: CategoryTree = reqwest::get(app.url("/api/v1/kb/categories?lang=fr"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(tree.categories.len() >= 3);
    let devices = tree
        .categories
        .iter()
        .find(|c| c.slug == "devices")
        .unwrap();
    assert_eq!(devices.name, "Appareils");
    let printing = devices
        .children
        .iter()
        .find(|c| c.slug == "printing")
        .unwrap();
    assert!(printing.article_count >= 1);
}

#[tokio::test]
async fn article_in_the_requested_language_or_an_honest_fallback() {
    let app = spawn_app().await;
    let ru: Article = reqwest::get(app.url(&format!("/api/v1/kb/articles/{PRINTER}?lang=ru")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ru.lang, Language::Ru);
    assert!(ru.title.contains("Принтер"), "{}", ru.title);
    assert_eq!(ru.available.len(), 4);
    assert_eq!(ru.breadcrumbs.last().unwrap().slug, "printing");
    assert!(!ru.related.is_empty() || ru.breadcrumbs.len() == 2);
    // Rendered by the server for readers: anchored headings, callouts titled in
    // Russian, and the table of contents.
    assert!(ru.html.contains("<h2 id="), "{}", ru.html);
    assert!(
        ru.html.contains("<p class=\"callout-title\">Совет</p>"),
        "{}",
        ru.html
    );
    assert!(ru.toc.len() >= 2, "{:?}", ru.toc);
    assert!(
        ru.toc
            .iter()
            .all(|e| ru.html.contains(&format!("id=\"{}\"", e.id)))
    );

    // Only in English: served in English, and the answer says so.
    let fallback: Article = reqwest::get(app.url("/api/v1/kb/articles/vpn-wont-connect?lang=nb"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (fallback.lang, fallback.requested),
        (Language::En, Language::Nb)
    );
    assert_eq!(fallback.available, vec![Language::En]);

    let missing = reqwest::get(app.url("/api/v1/kb/articles/no-such-article"))
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn search_finds_inflected_forms_in_each_language() {
    let app = spawn_app().await;
    for (q, lang) in [
        ("printers ", "en"),
        ("принтера ", "ru"),
        ("imprimantes ", "fr"),
        ("skriveren ", "nb"),
    ] {
        let results = search(&app, q, lang).await;
        assert_eq!(
            results.hits.first().map(|h| h.slug.as_str()),
            Some(PRINTER),
            "{q:?} in {lang}: {results:?}"
        );
        assert_eq!(results.hits[0].lang.code(), lang);
        assert!(
            results.hits[0].excerpt.iter().any(|p| p.hit)
                || results.hits[0].title.iter().any(|p| p.hit)
        );
    }
}

#[tokio::test]
async fn search_matches_prefixes_and_ignores_diacritics() {
    let app = spawn_app().await;
    let typing = search(&app, "prin", "en").await;
    assert!(typing.hits.iter().any(|h| h.slug == PRINTER), "{typing:?}");
    let accents = search(&app, "reseau ", "fr").await;
    let with_accents = search(&app, "réseau ", "fr").await;
    assert!(!accents.hits.is_empty());
    assert_eq!(
        accents.hits.iter().map(|h| &h.slug).collect::<Vec<_>>(),
        with_accents
            .hits
            .iter()
            .map(|h| &h.slug)
            .collect::<Vec<_>>()
    );
    // "Wi-Fi" in the text is found as people type it.
    for q in ["wifi ", "wi-fi ", "Wi-Fi internet"] {
        let found = search(&app, q, "en").await;
        assert_eq!(found.hits[0].slug, "wifi-connected-no-internet", "{q:?}");
    }
}

#[tokio::test]
async fn search_ranks_title_matches_first() {
    let app = spawn_app().await;
    // "password" appears in several bodies, but in one title.
    let results = search(&app, "password ", "en").await;
    assert!(results.hits.len() > 1, "{results:?}");
    assert_eq!(results.hits[0].slug, "forgot-password-account-locked");
}

#[tokio::test]
async fn hostile_empty_and_oversized_queries() {
    let app = spawn_app().await;
    for q in [
        "\" OR 1=1 --",
        "NEAR(a b)",
        "*",
        "   ",
        "'; DROP TABLE kb_articles; --",
        "a\"b*c^d",
    ] {
        search(&app, q, "en").await;
    }
    assert!(search(&app, "", "en").await.hits.is_empty());
    let long = "a".repeat(201);
    let response = app
        .client()
        .get(app.url("/api/v1/kb/search"))
        .query(&[("q", long.as_str())])
        .send()
        .await
        .unwrap();
    let body = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("q"));
    // The articles are still there.
    assert!(!search(&app, "printer ", "en").await.hits.is_empty());
}

#[tokio::test]
async fn one_changeable_vote_per_browser() {
    let app = spawn_app().await;
    let client = app.client();
    let url = app.url(&format!("/api/v1/kb/articles/{PRINTER}/vote?lang=en"));
    let voter = "browser-0123456789abcdef";
    let yes = client
        .put(&url)
        .json(&serde_json::json!({"voter": voter, "helpful": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(yes.status(), StatusCode::NO_CONTENT);
    let no = client
        .put(&url)
        .json(&serde_json::json!({"voter": voter, "helpful": false, "reason": "outdated", "comment": "Menu moved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no.status(), StatusCode::NO_CONTENT);

    let db = app.db().await;
    let rows: Vec<(bool, Option<String>, Option<String>)> =
        selfdesk_server::with_pool!(&db, |pool| {
            sqlx::query_as("SELECT helpful, reason, comment FROM kb_votes")
                .fetch_all(pool)
                .await
        })
        .unwrap();
    assert_eq!(
        rows,
        vec![(
            false,
            Some("outdated".to_owned()),
            Some("Menu moved".to_owned())
        )]
    );

    for (body, field) in [
        (
            serde_json::json!({"voter": "short", "helpful": true}),
            "voter",
        ),
        (
            serde_json::json!({"voter": voter, "helpful": true, "reason": "outdated"}),
            "reason",
        ),
        (
            serde_json::json!({"voter": voter, "helpful": false, "comment": "x".repeat(1001)}),
            "comment",
        ),
    ] {
        let response = client.put(&url).json(&body).send().await.unwrap();
        let err = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(err.error.field.as_deref(), Some(field));
    }
    let unknown = client
        .put(app.url("/api/v1/kb/articles/nope/vote"))
        .json(&serde_json::json!({"voter": voter, "helpful": true}))
        .send()
        .await
        .unwrap();
    expect_error(unknown, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let bad_reason = client
        .put(&url)
        .json(&serde_json::json!({"voter": voter, "helpful": false, "reason": "boring"}))
        .send()
        .await
        .unwrap();
    expect_error(bad_reason, StatusCode::BAD_REQUEST, ErrorCode::InvalidJson).await;
}

/// A vote carries the browser's self-service session, stored hashed; a changed vote
/// from a client that sends none keeps it; a malformed one is refused.
#[tokio::test]
async fn a_vote_counts_for_its_session() {
    let app = spawn_app().await;
    let client = app.client();
    let url = app.url(&format!("/api/v1/kb/articles/{PRINTER}/vote?lang=en"));
    let voter = "browser-0123456789abcdef";
    let session = "5e55104d-0000-4000-8000-00000000c0de";
    for body in [
        serde_json::json!({"voter": voter, "helpful": true, "session": session}),
        // An older client: no session.
        serde_json::json!({"voter": voter, "helpful": false, "reason": "outdated"}),
    ] {
        let response = client.put(&url).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    let db = app.db().await;
    let rows: Vec<(bool, Option<String>)> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_as("SELECT helpful, session_hash FROM kb_votes")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert_eq!(
        rows,
        vec![(
            false,
            Some(selfdesk_server::auth::session::token_hash(session))
        )]
    );

    let bad = client
        .put(&url)
        .json(&serde_json::json!({"voter": voter, "helpful": true, "session": "not a session"}))
        .send()
        .await
        .unwrap();
    let err = expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;
    assert_eq!(err.error.field.as_deref(), Some("session"));
}
