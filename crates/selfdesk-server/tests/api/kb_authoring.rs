//! Knowledge base, technician side: drafts, revisions, publishing, status, images and
//! statistics — and that readers see only what was published.

use reqwest::StatusCode;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::kb::{Article, ArticleList, SearchResults, VoteReason};
use selfdesk_shared::kb_authoring::{
    ArticleStats, ArticleStatus, ImageUploaded, Revision, RevisionList, StaffArticle,
    StaffArticleList,
};
use selfdesk_shared::language::Language;
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp, expect_error, expect_json, spawn_app};

const VPN: &str = "vpn-wont-connect";
const PRINTER: &str = "printer-not-printing-from-laptop";

/// A real 1×1 transparent PNG.
const TINY_PNG: [u8; 68] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

fn new_article(slug: &str) -> Value {
    json!({
        "slug": slug, "category": "vpn-remote", "lang": "en",
        "title": "Connect to the office from a hotel", "summary": "Captive portals first.",
        "body": "1. Open a web page.\n2. Accept the terms.\n3. Start the VPN.",
        "tags": ["VPN", "hotel"]
    })
}

fn revision(base: Option<i64>, title: &str) -> Value {
    json!({
        "lang": "en", "title": title, "summary": "Summary", "body": format!("# {title}\n\nText."),
        "tags": ["vpn"], "category": "vpn-remote", "base_revision": base
    })
}

async fn create(staff: &Staff<'_>, body: &Value) -> StaffArticle {
    let response = staff.post("/api/v1/staff/kb/articles", body).await;
    expect_json(response, StatusCode::CREATED).await
}

async fn save(staff: &Staff<'_>, slug: &str, body: &Value) -> reqwest::Response {
    let path = format!("/api/v1/staff/kb/articles/{slug}/revisions");
    staff.post(&path, body).await
}

async fn publish(staff: &Staff<'_>, slug: &str, lang: &str, number: i64) -> StaffArticle {
    let path = format!("/api/v1/staff/kb/articles/{slug}/publish");
    let body = json!({"lang": lang, "revision": number});
    expect_json(staff.post(&path, &body).await, StatusCode::OK).await
}

async fn set_status(staff: &Staff<'_>, slug: &str, status: &str) -> reqwest::Response {
    let path = format!("/api/v1/staff/kb/articles/{slug}/status");
    staff.put(&path, &json!({"status": status})).await
}

async fn staff_article(staff: &Staff<'_>, slug: &str) -> StaffArticle {
    staff
        .get_json(&format!("/api/v1/staff/kb/articles/{slug}"))
        .await
}

async fn history(staff: &Staff<'_>, slug: &str) -> RevisionList {
    staff
        .get_json(&format!(
            "/api/v1/staff/kb/articles/{slug}/revisions?lang=en"
        ))
        .await
}

/// What a reader gets: the article, or `None` on 404.
async fn reader_view(app: &TestApp, slug: &str) -> Option<Article> {
    let response = reqwest::get(app.url(&format!("/api/v1/kb/articles/{slug}?lang=en")))
        .await
        .unwrap();
    if response.status() == StatusCode::NOT_FOUND {
        return None;
    }
    Some(expect_json(response, StatusCode::OK).await)
}

async fn reader_list(app: &TestApp) -> Vec<String> {
    let list: ArticleList = expect_json(
        reqwest::get(app.url("/api/v1/kb/articles")).await.unwrap(),
        StatusCode::OK,
    )
    .await;
    list.articles
        .into_iter()
        .map(|a| a.slug.into_inner())
        .collect()
}

async fn search_hits(app: &TestApp, q: &str) -> Vec<String> {
    let response = app
        .client()
        .get(app.url("/api/v1/kb/search"))
        .query(&[("q", q), ("lang", "en")])
        .send()
        .await
        .unwrap();
    let results: SearchResults = expect_json(response, StatusCode::OK).await;
    results
        .hits
        .into_iter()
        .map(|h| h.slug.into_inner())
        .collect()
}

/// Sets an article's `updated_at` columns far back, so a test can see whether an
/// action moved them (they have one-second resolution).
async fn age(app: &TestApp, slug: &str) {
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query("UPDATE kb_articles SET updated_at = 1 WHERE slug = $1")
            .bind(slug)
            .execute(pool)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE kb_translations SET updated_at = 1
             WHERE article_id = (SELECT id FROM kb_articles WHERE slug = $1)",
        )
        .bind(slug)
        .execute(pool)
        .await
        .unwrap();
    });
}

/// `(kb_articles.updated_at, smallest kb_translations.updated_at)`.
async fn updated_at(app: &TestApp, slug: &str) -> (i64, i64) {
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT a.updated_at, (SELECT MIN(t.updated_at) FROM kb_translations t WHERE t.article_id = a.id)
             FROM kb_articles a WHERE a.slug = $1",
        )
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
    })
}

#[tokio::test]
async fn authoring_needs_a_signed_in_technician() {
    let app = spawn_app().await;
    let anonymous = app.client();
    let base = "/api/v1/staff/kb";
    let calls: [(&str, String, Option<Value>); 11] = [
        ("GET", format!("{base}/articles"), None),
        (
            "POST",
            format!("{base}/articles"),
            Some(new_article("x-y-z")),
        ),
        ("GET", format!("{base}/articles/{VPN}"), None),
        (
            "PATCH",
            format!("{base}/articles/{VPN}"),
            Some(json!({"slug": "abc"})),
        ),
        (
            "POST",
            format!("{base}/articles/{VPN}/revisions"),
            Some(revision(Some(1), "T")),
        ),
        (
            "GET",
            format!("{base}/articles/{VPN}/revisions?lang=en"),
            None,
        ),
        (
            "GET",
            format!("{base}/articles/{VPN}/revisions/1?lang=en"),
            None,
        ),
        (
            "POST",
            format!("{base}/articles/{VPN}/revisions/1/restore?lang=en"),
            None,
        ),
        (
            "POST",
            format!("{base}/articles/{VPN}/publish"),
            Some(json!({"lang": "en", "revision": 1})),
        ),
        (
            "PUT",
            format!("{base}/articles/{VPN}/status"),
            Some(json!({"status": "archived"})),
        ),
        ("GET", format!("{base}/articles/{VPN}/stats"), None),
    ];
    for (method, path, body) in calls {
        let mut request = anonymous.request(method.parse().unwrap(), app.url(&path));
        if let Some(body) = &body {
            request = request.json(body);
        }
        expect_error(
            request.send().await.unwrap(),
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    let upload = anonymous
        .post(app.url("/api/v1/staff/kb/images"))
        .body(TINY_PNG.to_vec())
        .send()
        .await
        .unwrap();
    expect_error(upload, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    // Nothing changed for readers.
    assert!(reader_view(&app, VPN).await.is_some());
}

#[tokio::test]
async fn search_on_one_replica_follows_publishing_through_another() {
    let a = spawn_app().await;
    let b = a.replica().await;
    let tech = a.staff("tier1").await;
    let slug = "hotel-wifi-vpn";
    let query = "captive portals ";
    assert!(search_hits(&b, query).await.is_empty());

    create(&tech, &new_article(slug)).await;
    publish(&tech, slug, "en", 1).await;
    assert_eq!(search_hits(&b, query).await, vec![slug.to_owned()]);

    let archived = set_status(&tech, slug, "archived").await;
    assert_eq!(archived.status(), StatusCode::OK);
    assert!(search_hits(&b, query).await.is_empty());
}

#[tokio::test]
async fn create_save_publish_and_readers_see_it() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let slug = "hotel-wifi-vpn";

    let created = create(&tech, &new_article(slug)).await;
    assert_eq!(created.status, ArticleStatus::Draft);
    assert_eq!(created.category, "vpn-remote");
    assert_eq!(created.translations.len(), 1);
    let first = &created.translations[0];
    assert_eq!((first.lang, first.latest.number), (Language::En, 1));
    assert_eq!(first.published_revision, None);
    assert_eq!(first.latest.author_name.as_deref(), Some("Tina First-Line"));
    assert_eq!(first.latest.tags, vec!["VPN", "hotel"]);
    assert!(
        reader_view(&app, slug).await.is_none(),
        "drafts are not public"
    );
    assert!(!reader_list(&app).await.contains(&slug.to_owned()));
    assert!(!search_hits(&app, "hotel ").await.contains(&slug.to_owned()));

    let saved: Revision = expect_json(
        save(&tech, slug, &revision(Some(1), "Hotel Wi-Fi and the VPN")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(saved.number, 2);

    let published = publish(&tech, slug, "en", 2).await;
    assert_eq!(published.status, ArticleStatus::Published);
    assert_eq!(published.translations[0].published_revision, Some(2));
    let seen = reader_view(&app, slug).await.expect("published");
    assert_eq!(seen.title, "Hotel Wi-Fi and the VPN");
    assert_eq!(seen.tags, vec!["vpn"]);
    assert_eq!(seen.breadcrumbs.last().unwrap().slug, "vpn-remote");
    assert!(reader_list(&app).await.contains(&slug.to_owned()));
    assert!(search_hits(&app, "hotel ").await.contains(&slug.to_owned()));

    // Another language is its own history; publishing it adds to what readers have.
    let mut french = revision(None, "VPN depuis un hôtel");
    french["lang"] = "fr".into();
    let fr: Revision = expect_json(save(&tech, slug, &french).await, StatusCode::CREATED).await;
    assert_eq!((fr.lang, fr.number), (Language::Fr, 1));
    assert_eq!(
        reader_view(&app, slug).await.unwrap().available,
        vec![Language::En]
    );
    publish(&tech, slug, "fr", 1).await;
    let both = reader_view(&app, slug).await.unwrap();
    assert_eq!(both.available.len(), 2);
}

#[tokio::test]
async fn a_draft_edit_is_invisible_until_published() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let before = reader_view(&app, VPN).await.unwrap();
    age(&app, VPN).await;

    // A seeded article's text is its revision 1, already published.
    let article = staff_article(&tech, VPN).await;
    let en = article
        .translations
        .iter()
        .find(|t| t.lang == Language::En)
        .unwrap();
    assert_eq!((en.latest.number, en.published_revision), (1, Some(1)));
    assert_eq!(en.latest.title, before.title);
    assert_eq!(en.latest.author_id, None);

    let mut edit = revision(Some(1), "Fixing the VPN");
    edit["category"] = "internet-wifi".into();
    expect_json::<Revision>(save(&tech, VPN, &edit).await, StatusCode::CREATED).await;
    let during = reader_view(&app, VPN).await.unwrap();
    assert_eq!(during.title, before.title);
    assert_eq!(during.body, before.body);
    assert_eq!(during.breadcrumbs, before.breadcrumbs, "category waits too");
    assert_eq!(
        updated_at(&app, VPN).await,
        (1, 1),
        "saving a draft changes nothing readers see"
    );

    publish(&tech, VPN, "en", 2).await;
    let after = reader_view(&app, VPN).await.unwrap();
    assert_eq!(after.title, "Fixing the VPN");
    assert_eq!(after.breadcrumbs.last().unwrap().slug, "internet-wifi");
    let (article_at, translation_at) = updated_at(&app, VPN).await;
    assert!(article_at > 1 && translation_at > 1);
}

#[tokio::test]
async fn archiving_hides_and_republishing_restores() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    age(&app, PRINTER).await;

    let archived: StaffArticle =
        expect_json(set_status(&tech, PRINTER, "archived").await, StatusCode::OK).await;
    assert_eq!(archived.status, ArticleStatus::Archived);
    assert!(reader_view(&app, PRINTER).await.is_none());
    assert!(!reader_list(&app).await.contains(&PRINTER.to_owned()));
    assert!(
        !search_hits(&app, "printer ")
            .await
            .contains(&PRINTER.to_owned())
    );
    let (article_at, translation_at) = updated_at(&app, PRINTER).await;
    assert!(article_at > 1 && translation_at > 1);
    // Staff still see it, and may edit it.
    assert_eq!(
        staff_article(&tech, PRINTER).await.status,
        ArticleStatus::Archived
    );

    for refused in ["draft"] {
        let err = expect_error(
            set_status(&tech, PRINTER, refused).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(err.error.field.as_deref(), Some("status"));
    }
    let bad = set_status(&tech, PRINTER, "deleted").await;
    expect_error(bad, StatusCode::BAD_REQUEST, ErrorCode::InvalidJson).await;

    age(&app, PRINTER).await;
    let again: StaffArticle = expect_json(
        set_status(&tech, PRINTER, "published").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.status, ArticleStatus::Published);
    assert_eq!(reader_view(&app, PRINTER).await.unwrap().available.len(), 4);
    assert!(
        search_hits(&app, "printer ")
            .await
            .contains(&PRINTER.to_owned())
    );
    assert!(updated_at(&app, PRINTER).await.0 > 1);

    // A draft with nothing published cannot simply be switched to published.
    create(&tech, &new_article("never-published")).await;
    let err = expect_error(
        set_status(&tech, "never-published", "published").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(err.error.field.as_deref(), Some("status"));
    // Archiving and then publishing a revision brings it out.
    expect_json::<StaffArticle>(
        set_status(&tech, "never-published", "archived").await,
        StatusCode::OK,
    )
    .await;
    publish(&tech, "never-published", "en", 1).await;
    assert!(reader_view(&app, "never-published").await.is_some());
}

#[tokio::test]
async fn renaming_moves_the_reader_url() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    age(&app, VPN).await;
    let renamed: StaffArticle = expect_json(
        tech.patch(
            &format!("/api/v1/staff/kb/articles/{VPN}"),
            &json!({"slug": "vpn-does-not-connect"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed.slug, "vpn-does-not-connect");
    assert!(reader_view(&app, VPN).await.is_none());
    assert!(reader_view(&app, "vpn-does-not-connect").await.is_some());
    assert!(updated_at(&app, "vpn-does-not-connect").await.0 > 1);

    for (slug, status, code) in [
        (PRINTER, StatusCode::CONFLICT, ErrorCode::Conflict),
        (
            "No Spaces",
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        ),
    ] {
        let response = tech
            .patch(
                "/api/v1/staff/kb/articles/vpn-does-not-connect",
                &json!({"slug": slug}),
            )
            .await;
        let err = expect_error(response, status, code).await;
        assert_eq!(err.error.field.as_deref(), Some("slug"));
    }
}

#[tokio::test]
async fn history_lists_revisions_and_restore_adds_one() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let original = reader_view(&app, VPN).await.unwrap();
    for (base, title) in [(1, "Second"), (2, "Third")] {
        expect_json::<Revision>(
            save(&tech, VPN, &revision(Some(base), title)).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let list = history(&tech, VPN).await;
    assert_eq!(
        list.revisions.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert_eq!(list.published_revision, Some(1));
    assert_eq!(list.revisions[0].title, "Third");
    assert_eq!(
        list.revisions[0].author_name.as_deref(),
        Some("Tina First-Line")
    );

    // Any revision in full: two of them are what the editor diffs.
    let one: Revision = tech
        .get_json(&format!(
            "/api/v1/staff/kb/articles/{VPN}/revisions/1?lang=en"
        ))
        .await;
    assert_eq!(
        (one.title.as_str(), one.body.as_str()),
        (original.title.as_str(), original.body.as_str())
    );
    let missing = tech
        .get(&format!(
            "/api/v1/staff/kb/articles/{VPN}/revisions/99?lang=en"
        ))
        .await;
    expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    let restored: Revision = expect_json(
        tech.client()
            .post(tech.url(&format!(
                "/api/v1/staff/kb/articles/{VPN}/revisions/1/restore?lang=en"
            )))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!((restored.number, restored.restored_from), (4, Some(1)));
    assert_eq!(
        (restored.title.as_str(), restored.body.as_str()),
        (one.title.as_str(), one.body.as_str())
    );
    assert_eq!(restored.tags, one.tags);
    let list = history(&tech, VPN).await;
    assert_eq!(list.revisions.len(), 4, "history is never rewritten");
    assert_eq!(list.revisions[2].title, "Second");

    let diff = selfdesk_shared::diff::diff_lines(&one.body, &restored.body);
    assert!(
        diff.iter()
            .all(|d| d.change == selfdesk_shared::diff::Change::Equal)
    );
}

#[tokio::test]
async fn saving_from_a_stale_revision_is_a_conflict() {
    let app = spawn_app().await;
    let erin = app.staff("tier3").await;
    let sam = app.staff("tier2").await;
    // Both open revision 1; Erin saves first.
    expect_json::<Revision>(
        save(&erin, VPN, &revision(Some(1), "Erin's")).await,
        StatusCode::CREATED,
    )
    .await;
    for base in [Some(1), None] {
        let err = expect_error(
            save(&sam, VPN, &revision(base, "Sam's")).await,
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
        )
        .await;
        assert_eq!(err.error.field.as_deref(), Some("base_revision"));
        assert!(err.error.message.contains('2'), "{}", err.error.message);
    }
    // On top of Erin's revision, Sam's save goes through.
    let saved: Revision = expect_json(
        save(&sam, VPN, &revision(Some(2), "Sam's")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(saved.number, 3);
    assert_eq!(history(&sam, VPN).await.revisions[1].title, "Erin's");
}

#[tokio::test]
async fn each_refused_field_is_named() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let cases: [(&str, Value); 8] = [
        ("title", json!("   ")),
        ("slug", json!("Not A Slug")),
        ("slug", json!("ab")),
        ("body", json!("x".repeat(100_001))),
        ("category", json!("no-such-category")),
        ("lang", json!("de")),
        ("tags", json!(["a,b"])),
        ("summary", json!("s".repeat(501))),
    ];
    for (field, value) in cases {
        let mut body = new_article("fresh-article");
        body[field] = value;
        let response = tech.post("/api/v1/staff/kb/articles", &body).await;
        let err = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(
            err.error.field.as_deref(),
            Some(field),
            "{}",
            err.error.message
        );
    }
    let taken = tech
        .post("/api/v1/staff/kb/articles", &new_article(VPN))
        .await;
    let err = expect_error(taken, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert_eq!(err.error.field.as_deref(), Some("slug"));

    // The longest allowed text fits through the raised body limit (over 64 KiB).
    let mut longest = new_article("longest-article");
    longest["body"] = json!("я".repeat(100_000));
    let created = create(&tech, &longest).await;
    assert_eq!(created.translations[0].latest.body.chars().count(), 100_000);

    // Saving a revision checks the same rules.
    for (field, value) in [
        ("lang", json!("xx")),
        ("title", json!("")),
        ("category", json!("nope")),
    ] {
        let mut body = revision(Some(1), "Fine");
        body[field] = value;
        let err = expect_error(
            save(&tech, VPN, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(err.error.field.as_deref(), Some(field));
    }
    let response = tech
        .get(&format!(
            "/api/v1/staff/kb/articles/{VPN}/revisions?lang=de"
        ))
        .await;
    let err = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(err.error.field.as_deref(), Some("lang"));
    let response = tech
        .post(
            &format!("/api/v1/staff/kb/articles/{VPN}/publish"),
            &json!({"lang": "de", "revision": 1}),
        )
        .await;
    let err = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(err.error.field.as_deref(), Some("lang"));
    let missing = save(&tech, "no-such-article", &revision(None, "T")).await;
    expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

async fn upload(staff: &Staff<'_>, bytes: Vec<u8>, content_type: &str) -> reqwest::Response {
    staff
        .client()
        .post(staff.url("/api/v1/staff/kb/images"))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn images_are_accepted_by_content_and_served_immutable() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let uploaded: ImageUploaded = expect_json(
        upload(&tech, TINY_PNG.to_vec(), "image/png").await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        uploaded.url.starts_with("/api/v1/kb/images/"),
        "{}",
        uploaded.url
    );
    assert!(uploaded.url.ends_with(".png"));
    assert_eq!(uploaded.markdown, format!("![]({})", uploaded.url));
    // The same bytes, whatever they are called, get the same URL.
    let again: ImageUploaded = expect_json(
        upload(&tech, TINY_PNG.to_vec(), "application/octet-stream").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(again.url, uploaded.url);

    // Served to anyone, as what it is, forever.
    let served = reqwest::get(app.url(&uploaded.url)).await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let header = |name: &str| served.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(served.bytes().await.unwrap().as_ref(), TINY_PNG.as_slice());

    let refused = [
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            "image/svg+xml",
            "SVG",
        ),
        (
            b"<html><script>alert(1)</script></html>".to_vec(),
            "image/png",
            "HTML",
        ),
        (
            b"GIF8 almost".to_vec(),
            "image/gif",
            "PNG, JPEG, GIF and WebP",
        ),
    ];
    for (bytes, content_type, says) in refused {
        let err = expect_error(
            upload(&tech, bytes, content_type).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
        )
        .await;
        assert!(err.error.message.contains(says), "{}", err.error.message);
    }
    let mut oversize = TINY_PNG.to_vec();
    oversize.resize(2 * 1024 * 1024 + 1, 0);
    expect_error(
        upload(&tech, oversize, "image/png").await,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;
    // Up to the limit is fine (the body limit of the route is raised beyond 64 KiB).
    let mut largest = TINY_PNG.to_vec();
    largest.resize(2 * 1024 * 1024, 7);
    expect_json::<ImageUploaded>(
        upload(&tech, largest, "image/png").await,
        StatusCode::CREATED,
    )
    .await;

    let hash = uploaded
        .url
        .trim_start_matches("/api/v1/kb/images/")
        .trim_end_matches(".png");
    for path in [
        format!("/api/v1/kb/images/{hash}.jpg"),
        format!("/api/v1/kb/images/{hash}"),
        format!("/api/v1/kb/images/{}.png", "0".repeat(64)),
        "/api/v1/kb/images/..%2f..%2fetc.png".to_owned(),
    ] {
        let response = reqwest::get(app.url(&path)).await.unwrap();
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
}

/// Four readers rate the printer article in French (one helpful, three not, two of
/// them as outdated, one with a comment), and one reads it.
async fn readers_rate_the_printer_article(app: &TestApp) {
    let vote = |voter: &str, body: Value| {
        let mut body = body;
        body["voter"] = voter.into();
        app.client()
            .put(app.url(&format!("/api/v1/kb/articles/{PRINTER}/vote?lang=fr")))
            .json(&body)
            .send()
    };
    for (voter, body) in [
        ("browser-aaaaaaaaaaaaaaaa", json!({"helpful": true})),
        (
            "browser-bbbbbbbbbbbbbbbb",
            json!({"helpful": false, "reason": "outdated", "comment": "The menu moved"}),
        ),
        (
            "browser-cccccccccccccccc",
            json!({"helpful": false, "reason": "outdated"}),
        ),
        (
            "browser-dddddddddddddddd",
            json!({"helpful": false, "reason": "did_not_work"}),
        ),
    ] {
        assert_eq!(
            vote(voter, body).await.unwrap().status(),
            StatusCode::NO_CONTENT
        );
    }
    reader_view(app, PRINTER).await.unwrap();
}

#[tokio::test]
async fn stats_show_what_readers_think() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    readers_rate_the_printer_article(&app).await;

    let stats: ArticleStats = tech
        .get_json(&format!("/api/v1/staff/kb/articles/{PRINTER}/stats"))
        .await;
    assert_eq!((stats.helpful, stats.not_helpful), (1, 3));
    assert!(stats.views >= 1);
    assert_eq!(
        stats
            .reasons
            .iter()
            .map(|r| (r.reason, r.count))
            .collect::<Vec<_>>(),
        vec![(VoteReason::Outdated, 2), (VoteReason::DidNotWork, 1)]
    );
    assert_eq!(stats.comments.len(), 1);
    assert_eq!(stats.comments[0].comment, "The menu moved");
    assert_eq!(stats.comments[0].lang, Language::Fr);
}

#[tokio::test]
async fn the_staff_list_shows_every_status_and_what_readers_think() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    readers_rate_the_printer_article(&app).await;

    // The staff list: every status, newest change first, with the same numbers.
    create(&tech, &new_article("a-fresh-draft")).await;
    expect_json::<StaffArticle>(set_status(&tech, VPN, "archived").await, StatusCode::OK).await;
    let list = |query: &'static str| {
        let path = format!("/api/v1/staff/kb/articles{query}");
        let tech = tech.clone();
        async move { tech.get_json::<StaffArticleList>(&path).await }
    };
    let all = list("").await;
    assert_eq!(all.articles.len(), 13);
    assert!(
        all.articles
            .windows(2)
            .all(|w| w[0].updated_at >= w[1].updated_at)
    );
    let printer = all.articles.iter().find(|a| a.slug == PRINTER).unwrap();
    assert_eq!((printer.helpful, printer.not_helpful), (1, 3));
    assert_eq!(printer.published_languages.len(), 4);
    let english = reader_view(&app, PRINTER).await.unwrap().title;
    assert_eq!(printer.title, english, "the English title names it");
    let draft = all
        .articles
        .iter()
        .find(|a| a.slug == "a-fresh-draft")
        .unwrap();
    assert_eq!(
        (draft.status, draft.languages.as_slice()),
        (ArticleStatus::Draft, [Language::En].as_slice())
    );
    assert!(draft.published_languages.is_empty());

    let archived = list("?status=archived").await;
    assert_eq!(
        archived
            .articles
            .iter()
            .map(|a| a.slug.as_str())
            .collect::<Vec<_>>(),
        vec![VPN]
    );
    let worst = list("?sort=not_helpful").await;
    assert_eq!(worst.articles[0].slug, PRINTER);
    let bad = tech.get("/api/v1/staff/kb/articles?status=gone").await;
    expect_error(bad, StatusCode::BAD_REQUEST, ErrorCode::InvalidParameter).await;
}

#[tokio::test]
async fn the_openapi_document_places_each_parameter() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let ours = paths.iter().filter(|(path, _)| {
        path.starts_with("/api/v1/staff/kb/") || path.starts_with("/api/v1/kb/images")
    });
    let mut checked = 0;
    for (path, operations) in ours {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                let place = if path.contains(&format!("{{{name}}}")) {
                    "path"
                } else {
                    "query"
                };
                assert_eq!(parameter["in"], place, "{method} {path} {name}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "{checked}");
}
