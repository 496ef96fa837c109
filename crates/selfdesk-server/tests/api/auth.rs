use reqwest::StatusCode;
use selfdesk_shared::auth::{StaffMember, StaffRole};
use selfdesk_shared::error::ErrorCode;

use crate::helpers::{DEMO_PASSWORD, expect_error, spawn_app};

fn sign_in_body(email: &str, password: &str) -> serde_json::Value {
    serde_json::json!({"email": email, "password": password})
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_me_works() {
    let app = spawn_app().await;
    let client = app.client();
    let response = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("  Tier1@Demo.Selfdesk ", DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("sd_session="));
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
    );
    let member: StaffMember = response.json().await.unwrap();
    assert_eq!(member.role, StaffRole::Tier1);
    assert_eq!(member.email, "tier1@demo.selfdesk");

    let me: StaffMember = client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me, member);
}

#[tokio::test]
async fn me_without_a_session_is_401() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/api/v1/auth/me")).await.unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_alike() {
    let app = spawn_app().await;
    let client = app.client();
    let wrong = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("tier1@demo.selfdesk", "not-the-password"))
        .send()
        .await
        .unwrap();
    let wrong = expect_error(
        wrong,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let unknown = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("nobody@demo.selfdesk", "not-the-password"))
        .send()
        .await
        .unwrap();
    let unknown = expect_error(
        unknown,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    assert_eq!(wrong.error.message, unknown.error.message);
}

#[tokio::test]
async fn malformed_email_is_a_field_error() {
    let app = spawn_app().await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("not-an-email", "whatever"))
        .send()
        .await
        .unwrap();
    let body = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("email"));
}

#[tokio::test]
async fn five_quick_failures_throttle_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    let client = app.client();
    let attempt = |password: &'static str| {
        client
            .post(app.url("/api/v1/auth/sign-in"))
            .json(&sign_in_body("tier2@demo.selfdesk", password))
            .send()
    };
    for _ in 0..4 {
        expect_error(
            attempt("wrong-password").await.unwrap(),
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    let fifth = attempt("wrong-password").await.unwrap();
    let retry_after: u64 = fifth
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        retry_after > 0 && retry_after <= 15 * 60,
        "retry after {retry_after}"
    );
    expect_error(fifth, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    // Locked means locked: the right password is not even checked.
    expect_error(
        attempt(DEMO_PASSWORD).await.unwrap(),
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    // Another account is not affected.
    app.signed_in("tier3@demo.selfdesk").await;
}

#[tokio::test]
async fn sign_out_revokes_the_session_on_the_server() {
    let app = spawn_app().await;
    let client = app.client();
    let response = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("admin@demo.selfdesk", DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let token_pair = cookie.split(';').next().unwrap().to_owned();

    let out = client
        .post(app.url("/api/v1/auth/sign-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(
        out.headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    // Replaying the old cookie by hand must fail: the session is gone server-side.
    let replay = reqwest::Client::new()
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", token_pair)
        .send()
        .await
        .unwrap();
    expect_error(replay, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
}

#[tokio::test]
async fn database_holds_only_hashes_of_passwords_and_tokens() {
    let app = spawn_app().await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("tier1@demo.selfdesk", DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("sd_session=")
        .to_owned();
    // Everything the two tables hold, as the database returns it.
    let db = app.db().await;
    let rows: Vec<(String, String)> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT m.password_hash, s.token_hash FROM staff m JOIN staff_sessions s ON s.staff_id = m.id",
        )
        .fetch_all(pool)
        .await
    })
    .unwrap();
    assert_eq!(rows.len(), 1);
    let (password_hash, token_hash) = &rows[0];
    assert!(password_hash.starts_with("$argon2id$"));
    assert_ne!(token_hash, &token);
    assert_eq!(token_hash.len(), 64, "a SHA-256 in hex");
    // On SQLite, also read the raw file, WAL included: neither secret may appear anywhere.
    if let Some(file) = app.database_file() {
        let mut bytes = std::fs::read(&file).unwrap();
        if let Ok(wal) = std::fs::read(file.with_extension("db-wal")) {
            bytes.extend(wal);
        }
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(!haystack.contains(&token), "session token stored in clear");
        assert!(
            !haystack.contains(DEMO_PASSWORD),
            "password stored in clear"
        );
    }
}

#[tokio::test]
async fn many_failures_from_one_address_throttle_that_address() {
    let app = spawn_app().await;
    let client = app.client();
    // Spread over many accounts so no single account reaches its own limit.
    for i in 0..selfdesk_server::auth::throttle::MAX_FAILURES_PER_IP - 1 {
        let response = client
            .post(app.url("/api/v1/auth/sign-in"))
            .json(&sign_in_body(
                &format!("guess{i}@demo.selfdesk"),
                "wrong-password",
            ))
            .send()
            .await
            .unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    let last = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("guess-last@demo.selfdesk", "wrong-password"))
        .send()
        .await
        .unwrap();
    expect_error(last, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    // Even a real account with the right password is refused from this address now.
    let real = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&sign_in_body("admin@demo.selfdesk", DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    expect_error(real, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
}
