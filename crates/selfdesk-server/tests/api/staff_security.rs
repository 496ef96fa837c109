//! Staff passwords and two-factor sign-in on a real server: changing one's password
//! ends the account's other sessions; an admin's reset link works once and ends every
//! session; TOTP codes from the confirmed secret sign in once each, recovery codes
//! once each; `SELFDESK_REQUIRE_2FA` keeps admin actions from a password-only admin;
//! `SELFDESK_STAFF_PASSWORD_SIGN_IN` turns passwords off for technicians or for all.

use reqwest::{Client, StatusCode};
use selfdesk_server::auth::two_factor;
use selfdesk_server::config::PasswordSignIn;
use selfdesk_shared::auth::{
    PasswordResetIssued, RecoveryCodes, SecuritySettings, StaffMember, TwoFactorSetup,
};
use selfdesk_shared::error::ErrorCode;
use serde_json::json;

use crate::helpers::{
    DEMO_PASSWORD, TestApp, demo_email, expect_error, expect_json, spawn_app, spawn_app_with,
};
use crate::smtp::SmtpSink;

async fn sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> (Client, reqwest::Response) {
    let client = app.client();
    let mut body = json!({"email": email, "password": password});
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    let response = client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (client, response)
}

async fn me_status(app: &TestApp, client: &Client) -> StatusCode {
    client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .status()
}

/// The field a 422 `validation` refusal names.
async fn refused_at(response: reqwest::Response) -> String {
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await
    .error
    .field
    .unwrap_or_default()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn changing_ones_password_ends_the_other_sessions_only() {
    let app = spawn_app().await;
    let email = demo_email("tier1");
    let here = app.staff("tier1").await;
    let elsewhere = app.signed_in(&email).await;
    // A reset link issued earlier stops working once the member chose a password.
    let admin = app.staff("admin").await;
    let id = here.me().await.id;
    let issued: PasswordResetIssued = expect_json(
        admin
            .post(&format!("/api/v1/staff/{id}/password-reset"), &json!({}))
            .await,
        StatusCode::CREATED,
    )
    .await;

    let change = |current: &str, new: &str| {
        let body = json!({"current_password": current, "new_password": new});
        let here = here.clone();
        async move { here.put("/api/v1/staff/me/password", &body).await }
    };
    assert_eq!(
        refused_at(change("not my password", "a long new passphrase").await).await,
        "current_password"
    );
    assert_eq!(
        refused_at(change(DEMO_PASSWORD, "too short").await).await,
        "new_password"
    );
    assert_eq!(
        me_status(&app, &elsewhere).await,
        StatusCode::OK,
        "nothing changed yet"
    );

    assert_eq!(
        change(DEMO_PASSWORD, "a long new passphrase")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(me_status(&app, here.client()).await, StatusCode::OK);
    assert_eq!(me_status(&app, &elsewhere).await, StatusCode::UNAUTHORIZED);
    let (_, old) = sign_in(&app, &email, DEMO_PASSWORD, None).await;
    expect_error(old, StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials).await;
    let (_, new) = sign_in(&app, &email, "a long new passphrase", None).await;
    assert_eq!(new.status(), StatusCode::OK);
    expect_error(
        reset_with(
            &app,
            &token_of(&issued.link.unwrap()),
            "someone else's choice",
        )
        .await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
}

#[tokio::test]
async fn two_factor_codes_and_recovery_codes_each_sign_in_once() {
    let app = spawn_app().await;
    let email = demo_email("tier2");
    let staff = app.staff("tier2").await;

    // Nothing is on until a code from the new secret is confirmed.
    let setup: TwoFactorSetup = expect_json(
        staff.post("/api/v1/staff/me/two-factor", &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert!(setup.otpauth_url.contains(&setup.secret));
    assert!(setup.qr_code.starts_with("data:image/svg+xml;base64,"));
    let (_, still_password_only) = sign_in(&app, &email, DEMO_PASSWORD, None).await;
    assert_eq!(still_password_only.status(), StatusCode::OK);
    assert_eq!(
        refused_at(
            staff
                .post(
                    "/api/v1/staff/me/two-factor/confirm",
                    &json!({"code": "000000"}),
                )
                .await
        )
        .await,
        "code"
    );

    let first = two_factor::code_at(&setup.secret, now()).unwrap();
    let codes: RecoveryCodes = expect_json(
        staff
            .post(
                "/api/v1/staff/me/two-factor/confirm",
                &json!({"code": first}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(codes.codes.len(), 10);
    let settings: SecuritySettings = staff.get_json("/api/v1/staff/me/security").await;
    assert!(settings.two_factor);
    assert_eq!(settings.recovery_codes_left, 10);
    assert!(staff.me().await.two_factor);

    // The password alone is not enough now; the code confirmed is spent already.
    let (_, no_code) = sign_in(&app, &email, DEMO_PASSWORD, None).await;
    assert_eq!(refused_at(no_code).await, "code");
    let (_, replayed) = sign_in(&app, &email, DEMO_PASSWORD, Some(&first)).await;
    let refused = expect_error(
        replayed,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    assert_eq!(refused.error.field.as_deref(), Some("code"));
    // A code with the wrong password says nothing about the code.
    let next = two_factor::code_at(&setup.secret, now() + 30).unwrap();
    let (_, wrong_password) = sign_in(&app, &email, "not the password", Some(&next)).await;
    let refused = expect_error(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    assert_eq!(refused.error.field, None);

    // The next step's code works (phones drift), once.
    let (client, with_code) = sign_in(&app, &email, DEMO_PASSWORD, Some(&next)).await;
    let member: StaffMember = expect_json(with_code, StatusCode::OK).await;
    assert!(member.two_factor);
    assert_eq!(me_status(&app, &client).await, StatusCode::OK);
    let (_, again) = sign_in(&app, &email, DEMO_PASSWORD, Some(&next)).await;
    expect_error(
        again,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;

    // A recovery code, however typed, works once.
    let typed = codes.codes[3].to_uppercase().replace('-', " ");
    let (_, recovered) = sign_in(&app, &email, DEMO_PASSWORD, Some(&typed)).await;
    assert_eq!(recovered.status(), StatusCode::OK);
    let (_, reused) = sign_in(&app, &email, DEMO_PASSWORD, Some(&codes.codes[3])).await;
    expect_error(
        reused,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let settings: SecuritySettings = staff.get_json("/api/v1/staff/me/security").await;
    assert_eq!(settings.recovery_codes_left, 9);

    // New codes need the password, and replace the old ones.
    assert_eq!(
        refused_at(
            staff
                .post(
                    "/api/v1/staff/me/two-factor/recovery-codes",
                    &json!({"password": "nope"}),
                )
                .await
        )
        .await,
        "password"
    );
    let fresh: RecoveryCodes = expect_json(
        staff
            .post(
                "/api/v1/staff/me/two-factor/recovery-codes",
                &json!({"password": DEMO_PASSWORD}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let (_, old_code) = sign_in(&app, &email, DEMO_PASSWORD, Some(&codes.codes[5])).await;
    expect_error(
        old_code,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let (_, new_code) = sign_in(&app, &email, DEMO_PASSWORD, Some(&fresh.codes[0])).await;
    assert_eq!(new_code.status(), StatusCode::OK);

    // Turned off (with the password), the password alone signs in again.
    assert_eq!(
        staff
            .post(
                "/api/v1/staff/me/two-factor/disable",
                &json!({"password": DEMO_PASSWORD})
            )
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (_, plain) = sign_in(&app, &email, DEMO_PASSWORD, None).await;
    assert_eq!(plain.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_2fa_required_an_admin_with_only_a_password_may_not_act_as_admin() {
    let app = spawn_app_with(|serve| serve.staff_sign_in.require_2fa = true).await;
    let admin = app.staff("admin").await;
    // Another password-only session of the same admin (someone who has the password).
    let elsewhere = app.signed_in(&demo_email("admin")).await;
    let refused = expect_error(
        admin.get("/api/v1/staff").await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;
    assert_eq!(refused.error.field.as_deref(), Some("two_factor"));
    // The queue and setting up two-factor sign-in still work.
    assert_eq!(admin.queue_raw("").await.status(), StatusCode::OK);
    let settings: SecuritySettings = admin.get_json("/api/v1/staff/me/security").await;
    assert!(settings.two_factor_required && !settings.two_factor);
    let setup: TwoFactorSetup = expect_json(
        admin.post("/api/v1/staff/me/two-factor", &json!({})).await,
        StatusCode::OK,
    )
    .await;
    let code = two_factor::code_at(&setup.secret, now()).unwrap();
    let _: RecoveryCodes = expect_json(
        admin
            .post(
                "/api/v1/staff/me/two-factor/confirm",
                &json!({"code": code}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(admin.get("/api/v1/staff").await.status(), StatusCode::OK);
    // Turning it on here proves nothing about the other session, which has ended.
    assert_eq!(me_status(&app, &elsewhere).await, StatusCode::UNAUTHORIZED);
    // And it stays on.
    assert_eq!(
        refused_at(
            admin
                .post(
                    "/api/v1/staff/me/two-factor/disable",
                    &json!({"password": DEMO_PASSWORD}),
                )
                .await
        )
        .await,
        "two_factor"
    );
    // Technicians are not asked.
    let tier1 = app.staff("tier1").await;
    let settings: SecuritySettings = tier1.get_json("/api/v1/staff/me/security").await;
    assert!(!settings.two_factor_required);
}

#[tokio::test]
async fn password_sign_in_can_be_left_to_admins_or_turned_off() {
    let app = spawn_app_with(|serve| {
        serve.staff_sign_in.staff_password_sign_in = PasswordSignIn::Admins;
    })
    .await;
    let (_, technician) = sign_in(&app, &demo_email("tier1"), DEMO_PASSWORD, None).await;
    expect_error(technician, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let (_, wrong) = sign_in(&app, &demo_email("tier1"), "not the password", None).await;
    expect_error(
        wrong,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let (_, admin) = sign_in(&app, &demo_email("admin"), DEMO_PASSWORD, None).await;
    assert_eq!(admin.status(), StatusCode::OK);
    let page = app
        .client()
        .get(app.url("/staff/sign-in"))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("password-admins"));

    // Off needs another way for staff to sign in.
    let mut serve = selfdesk_server::config::ServeArgs {
        bind: "127.0.0.1:0".parse().unwrap(),
        ..Default::default()
    };
    serve.staff_sign_in.staff_password_sign_in = PasswordSignIn::Off;
    let dir = tempfile::tempdir().unwrap();
    let database = selfdesk_server::config::DatabaseArgs {
        database_url: None,
        data_dir: dir.path().to_owned(),
    };
    let refused = selfdesk_server::startup::Application::build(&database, &serve).await;
    let Err(error) = refused else {
        panic!("starts with no way for staff to sign in")
    };
    let message = format!("{error:#}");
    assert!(
        message.contains("SELFDESK_STAFF_PASSWORD_SIGN_IN=off"),
        "{message}"
    );
}

async fn reset_with(app: &TestApp, token: &str, new_password: &str) -> reqwest::Response {
    app.client()
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"token": token, "new_password": new_password}))
        .send()
        .await
        .unwrap()
}

fn token_of(link: &str) -> String {
    link.split("/staff/reset-password#token=")
        .nth(1)
        .unwrap_or_else(|| panic!("not a reset link: {link}"))
        .split(char::is_whitespace)
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_admins_reset_link_sets_a_password_once_and_ends_every_session() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let tier3 = app.staff("tier3").await;
    let id = tier3.me().await.id;
    let path = format!("/api/v1/staff/{id}/password-reset");
    expect_error(
        tier3.post(&path, &json!({})).await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;

    // Without email the link is answered, once, for the admin to pass on.
    let first: PasswordResetIssued =
        expect_json(admin.post(&path, &json!({})).await, StatusCode::CREATED).await;
    assert_eq!(first.emailed_to, None);
    let second: PasswordResetIssued =
        expect_json(admin.post(&path, &json!({})).await, StatusCode::CREATED).await;
    let (first, second) = (
        token_of(&first.link.unwrap()),
        token_of(&second.link.unwrap()),
    );
    // The newer link replaced the older one.
    expect_error(
        reset_with(&app, &first, "chosen by the colleague").await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert_eq!(
        refused_at(reset_with(&app, &second, "short").await).await,
        "new_password"
    );
    assert_eq!(
        me_status(&app, tier3.client()).await,
        StatusCode::OK,
        "a refused try changes nothing"
    );

    assert_eq!(
        reset_with(&app, &second, "chosen by the colleague")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        me_status(&app, tier3.client()).await,
        StatusCode::UNAUTHORIZED
    );
    let used = expect_error(
        reset_with(&app, &second, "chosen once more here").await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert!(
        used.error.message.contains("used already"),
        "{}",
        used.error.message
    );
    let (_, old) = sign_in(&app, &demo_email("tier3"), DEMO_PASSWORD, None).await;
    expect_error(old, StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials).await;
    let (_, new) = sign_in(&app, &demo_email("tier3"), "chosen by the colleague", None).await;
    assert_eq!(new.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_email_the_reset_link_goes_to_the_member_and_not_to_the_admin() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|serve| sink.configure(serve)).await;
    let admin = app.staff("admin").await;
    let id = app.staff("tier1").await.me().await.id;
    let issued: PasswordResetIssued = expect_json(
        admin
            .post(&format!("/api/v1/staff/{id}/password-reset"), &json!({}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        issued.emailed_to.as_deref(),
        Some(demo_email("tier1").as_str())
    );
    assert_eq!(issued.link, None);
    let mail = sink
        .wait_for_mail(&demo_email("tier1"), "Choose a new password")
        .await;
    let token = token_of(&mail.body);
    assert_eq!(
        reset_with(&app, &token, "from the email link")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (_, new) = sign_in(&app, &demo_email("tier1"), "from the email link", None).await;
    assert_eq!(new.status(), StatusCode::OK);
}
