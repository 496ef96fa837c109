//! Search that forgives, on a real server: typos, the inflection tables, synonyms
//! saved through the staff API (seen by another replica), "did you mean", and
//! English-only articles found from another language.

use reqwest::StatusCode;
use selfdesk_server::search::inflection_tables;
use selfdesk_shared::kb::SearchResults;
use selfdesk_shared::search::SynonymGroup;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_json, spawn_app};

async fn search(app: &TestApp, q: &str, lang: &str) -> SearchResults {
    let response = app
        .client()
        .get(app.url("/api/v1/kb/search"))
        .query(&[("q", q), ("lang", lang), ("limit", "50")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "search {q:?}");
    response.json().await.unwrap()
}

fn slugs(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.slug.as_str()).collect()
}

/// Creates and publishes an article in English and, for each of `others`, a
/// translation with the given title and body.
async fn publish_article(
    app: &TestApp,
    slug: &str,
    english: (&str, &str, &[&str]),
    others: &[(&str, &str, &str)],
) {
    let staff = app.staff("admin").await;
    let (title, body, tags) = english;
    let _created: Value = expect_json(
        staff
            .post(
                "/api/v1/staff/kb/articles",
                &json!({
                    "slug": slug, "category": "printing", "lang": "en", "title": title,
                    "summary": title, "body": body, "tags": tags,
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let publish = |lang: &str, revision: &Value| json!({"lang": lang, "revision": revision["number"].as_i64().unwrap()});
    let path = format!("/api/v1/staff/kb/articles/{slug}/publish");
    let response = staff
        .post(&path, &publish("en", &json!({"number": 1})))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    for (lang, title, body) in others {
        let path = format!("/api/v1/staff/kb/articles/{slug}/revisions");
        let revision = json!({
            "lang": lang, "title": title, "summary": title, "body": body, "tags": [],
            "category": "printing", "base_revision": null,
        });
        let saved: Value =
            expect_json(staff.post(&path, &revision).await, StatusCode::CREATED).await;
        let path = format!("/api/v1/staff/kb/articles/{slug}/publish");
        let response = staff.post(&path, &publish(lang, &saved)).await;
        assert_eq!(response.status(), StatusCode::OK, "publishing {lang}");
    }
}

#[tokio::test]
async fn typos_of_one_and_two_edits_are_found_after_exact_matches() {
    let app = spawn_app().await;
    // One edit in a word of 5 to 8 letters (a transposition counts one).
    for q in ["prnter ", "pritner ", "pasword "] {
        let found = search(&app, q, "en").await;
        assert!(!found.hits.is_empty(), "{q:?}");
    }
    assert_eq!(
        search(&app, "prnter ", "en").await.hits[0].slug,
        "printer-not-printing-from-laptop"
    );
    // Two edits in a word of 9 letters or more.
    // "prefromance": two transpositions, in an 11-letter word.
    let two = search(&app, "prefromance ", "en").await;
    assert!(slugs(&two).contains(&"computer-is-slow"), "{two:?}");
    // The corrected word is highlighted like a typed one.
    assert!(
        two.hits[0]
            .title
            .iter()
            .chain(&two.hits[0].excerpt)
            .any(|p| p.hit),
        "{two:?}"
    );

    // Exact before typo: an article that has the misspelling itself comes first,
    // although the correctly spelt ones match in their titles.
    publish_article(
        &app,
        "printr-utility",
        (
            "Installing the printr utility",
            "The printr command line tool.",
            &[],
        ),
        &[],
    )
    .await;
    let ranked = search(&app, "printr ", "en").await;
    assert_eq!(ranked.hits[0].slug, "printr-utility", "{ranked:?}");
    assert!(ranked.hits.len() > 1, "typo matches follow: {ranked:?}");
}

#[tokio::test]
async fn every_form_in_the_inflection_tables_finds_the_others() {
    let app = spawn_app().await;
    // One article whose translations use the second form of every pair.
    let text = |lang: &str| -> String {
        inflection_tables::tables()
            .iter()
            .find(|(l, _)| l.code() == lang)
            .unwrap()
            .1
            .iter()
            .map(|(_, form)| *form)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let en = text("en");
    publish_article(
        &app,
        "forms-of-words",
        ("Forms of words", &en, &[]),
        &[
            ("ru", "Формы слов", &text("ru")),
            ("fr", "Formes des mots", &text("fr")),
            ("nb", "Ordformer", &text("nb")),
        ],
    )
    .await;
    for (language, table) in inflection_tables::tables() {
        for (typed, _) in table {
            let found = search(&app, &format!("{typed} "), language.code()).await;
            assert!(
                slugs(&found).contains(&"forms-of-words"),
                "{typed:?} in {language:?}: {:?}",
                slugs(&found)
            );
        }
    }
}

#[tokio::test]
async fn a_misspelt_query_with_no_hits_gets_a_suggestion_that_finds_them() {
    let app = spawn_app().await;
    // "vpm": too short to be forgiven, close enough to be corrected.
    let misspelt = search(&app, "vpm ", "en").await;
    assert!(misspelt.hits.is_empty(), "{misspelt:?}");
    let suggestion = misspelt.suggestion.expect("a suggestion");
    assert_eq!(suggestion.query, "vpn");
    let corrected = search(&app, &format!("{} ", suggestion.query), "en").await;
    assert!(!corrected.hits.is_empty());
    assert_eq!(suggestion.hits as usize, corrected.hits.len().min(6));
    // The words offered are words, not stems, and the others are kept.
    let french = search(&app, "imprimmante bloqué ", "fr").await;
    if let Some(s) = &french.suggestion {
        assert!(s.query.starts_with("imprimante"), "{s:?}");
    }
    // A query that finds enough gets none.
    assert_eq!(search(&app, "printer ", "en").await.suggestion, None);
    assert_eq!(search(&app, "qqqqqqq ", "en").await.suggestion, None);
}

#[tokio::test]
async fn an_english_only_article_is_found_from_french_by_its_tag() {
    let app = spawn_app().await;
    publish_article(
        &app,
        "kerberos-ticket-expired",
        (
            "Kerberos ticket expired",
            "Lock and unlock your computer to renew the ticket.",
            &["kerberos", "single sign-on"],
        ),
        &[],
    )
    .await;
    let found = search(&app, "kerberos ", "fr").await;
    let hit = found
        .hits
        .iter()
        .find(|h| h.slug == "kerberos-ticket-expired")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(hit.lang.code(), "en", "marked as English");
    // An article translated into French is found in French, never twice.
    let printer = search(&app, "imprimante ", "fr").await;
    let printers: Vec<_> = printer
        .hits
        .iter()
        .filter(|h| h.slug == "printer-not-printing-from-laptop")
        .collect();
    assert_eq!(printers.len(), 1);
    assert_eq!(printers[0].lang.code(), "fr");
}

#[tokio::test]
async fn a_synonym_saved_by_staff_changes_the_next_search_on_every_replica() {
    let app = spawn_app().await;
    let other = app.replica().await;
    // Neither replica knows "wlan" yet; both have searched (and so built their index).
    assert!(search(&app, "wlan ", "en").await.hits.is_empty());
    assert!(search(&other, "wlan ", "en").await.hits.is_empty());

    let admin = app.staff("admin").await;
    let response = admin
        .post(
            "/api/v1/staff/search/synonyms",
            &json!({"lang": "en", "words": ["WLAN", "Wi-Fi", "wireless"]}),
        )
        .await;
    let group: SynonymGroup = expect_json(response, StatusCode::CREATED).await;

    for replica in [&app, &other] {
        let found = search(replica, "wlan ", "en").await;
        assert_eq!(
            found.hits.first().map(|h| h.slug.as_str()),
            Some("wifi-connected-no-internet"),
            "{found:?}"
        );
    }
    // Only in its language: a French reader gets at most English-only articles,
    // through the English reading of the query (see the next test's neighbour).
    let french = search(&other, "wlan ", "fr").await;
    assert!(
        french.hits.iter().all(|h| h.lang.code() == "en"),
        "{french:?}"
    );

    // Removing the group takes the effect away again, everywhere.
    let response = admin
        .delete(&format!("/api/v1/staff/search/synonyms/{}", group.id))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(search(&other, "wlan ", "en").await.hits.is_empty());
}
