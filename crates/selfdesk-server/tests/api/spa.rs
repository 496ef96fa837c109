//! The web app is served from the same port, with history-API fallback.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_page_before_its_script_is_in_the_browsers_language() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for (accept, path, title) in [
        (
            "ru-RU,ru;q=0.9,en;q=0.8",
            "/tickets/new",
            "<title>Selfdesk — заявки</title>",
        ),
        (
            "de-DE,fr;q=0.7",
            "/staff",
            "<title>Selfdesk — espace du personnel</title>",
        ),
        ("nb-NO", "/tickets/new", "<title>Selfdesk — saker</title>"),
        (
            "ru",
            "/staff/insight",
            "<title>Selfdesk — Аналитика</title>",
        ),
        ("en-GB", "/tickets/new", "<title>Selfdesk — tickets</title>"),
    ] {
        let response = client
            .get(app.url(path))
            .header("accept-language", accept)
            .send()
            .await
            .unwrap();
        // The page also says whether the browser holds a requester cookie.
        assert_eq!(response.headers()["vary"], "Accept-Language, Cookie");
        let body = response.text().await.unwrap();
        assert!(body.contains(title), "{accept}: {body}");
    }
}

#[tokio::test]
async fn client_routes_get_their_app_with_a_strict_policy() {
    let app = spawn_app().await;
    for (path, title) in [
        ("/", "<title>Selfdesk</title>"),
        ("/kb", "<title>Selfdesk</title>"),
        // The same title; each its own app's loader.
        ("/tickets", "'/my-tickets-app/my_tickets-"),
        ("/tickets/sign-in", "'/my-tickets-app/my_tickets-"),
        ("/tickets/new", "'/filing-app/filing-"),
        ("/tickets/SD-2026-000001", "'/tracking-app/tracking-"),
        ("/ticketsabc", "<title>Selfdesk</title>"),
        ("/diagnose", "<title>Selfdesk — diagnose</title>"),
        ("/diagnose/printer", "'/diagnose-app/diagnose-"),
        ("/some/unknown/page", "<title>Selfdesk</title>"),
        ("/staffing", "<title>Selfdesk</title>"),
        ("/staff", "'/manage-app/manage-"),
        ("/staff/kb/printer", "'/manage-app/manage-"),
        ("/staff/tickets", "'/staff-app/staff-"),
        ("/staff/tickets/SD-2026-000001", "'/staff-app/staff-"),
        ("/staff/sign-in", "<title>Selfdesk — staff</title>"),
        ("/staff/insight", "<title>Selfdesk — Insight</title>"),
        ("/staff/insight/", "<title>Selfdesk — Insight</title>"),
        ("/staff/insights", "'/manage-app/manage-"),
    ] {
        let response = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "no-cache");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{csp}"
        );
        // Every app's loader is allowed, on any page (one policy), and the requester
        // pages' service worker registration (the same script on five pages) once.
        assert_eq!(csp.matches("'sha256-").count(), 9, "{csp}");
        assert!(response.text().await.unwrap().contains(title), "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_missing_files_are_404() {
    let app = spawn_app().await;
    let asset = reqwest::get(app.url("/selfdesk-0123456789abcdef.js"))
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let missing = reqwest::get(app.url("/selfdesk-ffffffffffffffff.js"))
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
