//! Signing in with the organisation's OpenID provider, against a real one
//! (`helpers::oidc_provider`: oidc-provider on a loopback port): the whole
//! Authorization Code + PKCE flow through the provider's own login page, the
//! requester account and session it ends in, "My tickets" from the server, and every
//! refusal — a replayed `state`, a callback in another browser, an unverified
//! address, forged, expired or misdirected ID tokens, a requester session at a staff
//! endpoint — each with the JSON error shape and nothing created.

use chrono::TimeZone;
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{
    Audience, EndUserEmail, EndUserName, IdTokenClaims, IssuerUrl, JsonWebKeyId, LocalizedClaim,
    Nonce, StandardClaims, SubjectIdentifier,
};
use reqwest::StatusCode;
use selfdesk_server::auth::oidc::{IdToken, OtherClaims};
use selfdesk_server::error::ApiError;
use selfdesk_shared::auth::{StaffMember, StaffRole};
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::requester::{MyTicketList, RequesterMe, SignInOptions};
use selfdesk_shared::tickets::TicketStatus;

use crate::helpers::oidc_provider::{
    CLIENT_ID, OidcProvider, SIGNING_KEY_ID, authorize, authorize_staff, browser, forger_key,
    provider_signing_key, set_cookie, spawn_app_with_provider, spawn_app_with_provider_and,
};
use crate::helpers::{TestApp, TicketForm, expect_error, expect_json, spawn_app};

/// How many rows a table holds, on either database.
async fn count(app: &TestApp, table: &str) -> i64 {
    let db = app.db().await;
    let sql = format!("SELECT COUNT(*) FROM {table}");
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar::<_, i64>(&sql)
            .fetch_one(pool)
            .await
            .unwrap()
    })
}

#[tokio::test]
async fn a_requester_signs_in_at_the_provider_and_sees_every_ticket_of_their_address() {
    let (app, _provider) = spawn_app_with_provider().await;
    // Filed anonymously before Ada ever signed in, with her address in another case.
    let earlier = app.file("Blank pages").await;
    let someone_elses = app
        .file_ticket(TicketForm::printer("Not Ada's").with("email", "grace@example.org".into()))
        .await;

    let ada = browser();
    let callback = authorize(&app, &ada, "ada@example.org", "/tickets").await;
    assert!(callback.query().unwrap().contains("code="), "{callback}");
    let response = ada.get(callback.clone()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/tickets");
    let cookie = set_cookie(&response, "sd_requester").expect("a requester session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain-HTTP portal: {cookie}");
    // No staff cookie: this is not a staff sign-in.
    assert!(set_cookie(&response, "sd_session").is_none());

    let me: RequesterMe = expect_json(
        ada.get(app.url("/api/v1/me")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me.email, "ada@example.org");
    assert_eq!(me.display_name, "Ada Lovelace");

    let mine: MyTicketList = expect_json(
        ada.get(app.url("/api/v1/me/tickets")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let numbers: Vec<_> = mine.tickets.iter().map(|t| t.number.clone()).collect();
    assert_eq!(numbers, vec![earlier.number.clone()], "{mine:?}");
    assert!(!numbers.contains(&someone_elses.number));
    let ticket = &mine.tickets[0];
    assert_eq!(ticket.subject, "Blank pages");
    assert_eq!(ticket.status, TicketStatus::New);
    assert!(ticket.updated_at >= ticket.created_at);
    assert!(
        matches!(
            ticket.sla,
            selfdesk_shared::sla::SlaStanding::OnTrack { .. }
                | selfdesk_shared::sla::SlaStanding::DueSoon { .. }
        ),
        "a new ticket's next deadline runs: {:?}",
        ticket.sla
    );

    assert_eq!(count(&app, "requester_accounts").await, 1);
    assert_eq!(count(&app, "requester_sessions").await, 1);
    assert_eq!(count(&app, "oidc_sign_ins").await, 0, "the state is spent");

    // The same callback again (a replayed `state`), even from the same browser.
    let replay = ada.get(callback).send().await.unwrap();
    expect_error(replay, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    assert_eq!(
        count(&app, "requester_sessions").await,
        1,
        "no second session"
    );

    // Signing in again (another device) keeps one account and adds a session.
    let phone = browser();
    let callback = authorize(&app, &phone, "ada@example.org", "/").await;
    let response = phone.get(callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
    let on_phone: MyTicketList = expect_json(
        phone
            .get(app.url("/api/v1/me/tickets"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(on_phone, mine);
    assert_eq!(count(&app, "requester_accounts").await, 1);
    assert_eq!(count(&app, "requester_sessions").await, 2);
}

#[tokio::test]
async fn a_callback_in_another_browser_is_refused_and_spends_the_state() {
    let (app, _provider) = spawn_app_with_provider().await;
    let victim = browser();
    let callback = authorize(&app, &victim, "ada@example.org", "/").await;
    // Someone else opens the link (a planted or stolen callback): no binding cookie.
    let other = browser();
    let response = other.get(callback.clone()).send().await.unwrap();
    let body = expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert!(
        body.error.message.contains("another browser"),
        "{}",
        body.error.message
    );
    assert_eq!(count(&app, "requester_accounts").await, 0);
    assert_eq!(count(&app, "requester_sessions").await, 0);
    // The state was spent by that attempt: not even the right browser may use it now.
    let response = victim.get(callback).send().await.unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert_eq!(count(&app, "requester_accounts").await, 0);
}

#[tokio::test]
async fn a_callback_with_a_state_never_handed_out_is_refused() {
    let (app, _provider) = spawn_app_with_provider().await;
    let someone = browser();
    for query in [
        "",
        "?code=abc",
        "?code=abc&state=made-up",
        "?error=access_denied&state=x",
    ] {
        let response = someone
            .get(app.url(&format!("/api/v1/auth/oidc/callback{query}")))
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
    // A browser navigating there is sent to the sign-in page, which says why.
    let response = someone
        .get(app.url("/api/v1/auth/oidc/callback?code=abc&state=made-up"))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/tickets/sign-in?failed=refused"
    );
    assert_eq!(count(&app, "requester_accounts").await, 0);
}

#[tokio::test]
async fn an_address_the_provider_did_not_verify_signs_no_one_in() {
    let (app, _provider) = spawn_app_with_provider().await;
    let eve = browser();
    let callback = authorize(&app, &eve, "eve@example.org", "/").await;
    let response = eve.get(callback).send().await.unwrap();
    assert!(set_cookie(&response, "sd_requester").is_none());
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    // In a browser, the page says so in the reader's language.
    let callback = authorize(&app, &eve, "eve@example.org", "/").await;
    let response = eve
        .get(callback)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["location"],
        "/tickets/sign-in?failed=unverified"
    );
    assert_eq!(count(&app, "requester_accounts").await, 0);
    assert_eq!(count(&app, "requester_sessions").await, 0);
}

#[tokio::test]
async fn start_sends_only_to_paths_on_the_portal() {
    let (app, provider) = spawn_app_with_provider().await;
    let someone = browser();
    for bad in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "kb",
    ] {
        let url = reqwest::Url::parse_with_params(
            &app.url("/api/v1/auth/oidc/start"),
            &[("return_to", bad)],
        )
        .unwrap();
        let response = someone.get(url).send().await.unwrap();
        expect_error(
            response,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
    }
    assert_eq!(count(&app, "oidc_sign_ins").await, 0);
    // A good one goes to the provider, with PKCE (S256) and a nonce.
    let response = someone
        .get(app.url("/api/v1/auth/oidc/start?return_to=/kb"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with(&format!("{}/auth?", provider.issuer)),
        "{to}"
    );
    for part in [
        "code_challenge=",
        "code_challenge_method=S256",
        "nonce=",
        "state=",
        "response_type=code",
    ] {
        assert!(to.contains(part), "{part} in {to}");
    }
    let binding = set_cookie(&response, "sd_oidc").expect("the binding cookie");
    assert!(
        binding.contains("HttpOnly") && binding.contains("Path=/api/v1/auth/oidc"),
        "{binding}"
    );
    assert_eq!(count(&app, "oidc_sign_ins").await, 1);
}

#[tokio::test]
async fn starting_sign_ins_is_rate_limited_per_client_address() {
    let (app, _provider) = spawn_app_with_provider_and(|serve| {
        serve.protect.rate_limits = "sign-ins=2".parse().unwrap();
    })
    .await;
    let someone = browser();
    for _ in 0..2 {
        let response = someone
            .get(app.url("/api/v1/auth/oidc/start"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let response = someone
        .get(app.url("/api/v1/auth/oidc/start"))
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("retry-after"));
    expect_error(
        response,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    assert_eq!(
        count(&app, "oidc_sign_ins").await,
        2,
        "the refused one kept nothing"
    );
}

#[tokio::test]
async fn without_a_provider_sign_in_is_not_offered_and_me_is_401() {
    let app = spawn_app().await;
    let someone = browser();
    let offered: SignInOptions = expect_json(
        someone
            .get(app.url("/api/v1/auth/sign-in-options"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        offered,
        SignInOptions {
            organisation: false,
            staff_organisation: false,
            email: false
        }
    );
    // A bad return_to is not even looked at: there is no sign-in to go back from.
    let response = someone
        .get(app.url("/api/v1/auth/oidc/start?return_to=//evil.example"))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let response = someone
        .get(app.url("/api/v1/auth/oidc/callback?code=x&state=y"))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let response = someone
        .get(app.url("/api/v1/auth/oidc/start"))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    for path in ["/api/v1/me", "/api/v1/me/tickets"] {
        let response = someone.get(app.url(path)).send().await.unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
}

#[tokio::test]
async fn a_requester_session_opens_no_staff_endpoint_and_a_staff_session_no_requester_one() {
    let (app, _provider) = spawn_app_with_provider().await;
    let ada = browser();
    let callback = authorize(&app, &ada, "ada@example.org", "/").await;
    assert_eq!(
        ada.get(callback).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    for path in ["/api/v1/auth/me", "/api/v1/staff/tickets", "/api/v1/staff"] {
        let response = ada.get(app.url(path)).send().await.unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    let response = ada
        .post(app.url("/api/v1/auth/sign-out"))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;

    let tech = app.signed_in("tier1@demo.selfdesk").await;
    let response = tech.get(app.url("/api/v1/me")).send().await.unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
}

#[tokio::test]
async fn signing_out_ends_one_session_and_signing_out_everywhere_ends_them_all() {
    let (app, _provider) = spawn_app_with_provider().await;
    let mut browsers = Vec::new();
    for _ in 0..3 {
        let b = browser();
        let callback = authorize(&app, &b, "ada@example.org", "/").await;
        assert_eq!(
            b.get(callback).send().await.unwrap().status(),
            StatusCode::SEE_OTHER
        );
        browsers.push(b);
    }
    let me = |b: &reqwest::Client| b.get(app.url("/api/v1/me")).send();
    for b in &browsers {
        assert_eq!(me(b).await.unwrap().status(), StatusCode::OK);
    }

    // Signing out on the first ends that session only.
    let response = browsers[0]
        .post(app.url("/api/v1/me/sign-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_error(
        me(&browsers[0]).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    assert_eq!(me(&browsers[1]).await.unwrap().status(), StatusCode::OK);
    assert_eq!(count(&app, "requester_sessions").await, 2);

    // A cross-site POST with the cookie is refused, and ends nothing.
    let cross_site = reqwest::Client::builder()
        .cookie_store(false)
        .build()
        .unwrap();
    let cookie_header = format!(
        "sd_requester={}",
        "x".repeat(43) // any value: the check runs before the session is read
    );
    let response = cross_site
        .post(app.url("/api/v1/me/sign-out-everywhere"))
        .header("cookie", cookie_header)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    assert_eq!(count(&app, "requester_sessions").await, 2);

    // Everywhere: the other two end as well.
    let response = browsers[1]
        .post(app.url("/api/v1/me/sign-out-everywhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookie(&response, "sd_requester").unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    for b in &browsers {
        expect_error(
            me(b).await.unwrap(),
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    assert_eq!(count(&app, "requester_sessions").await, 0);
    assert_eq!(
        count(&app, "requester_accounts").await,
        1,
        "the account stays"
    );
}

/// A portal whose provider groups make staff: `helpdesk-tier2` tier 2,
/// `helpdesk-admins` admins (the test provider puts Grace in `helpdesk-tier2`).
async fn spawn_app_with_staff_groups() -> (TestApp, OidcProvider) {
    spawn_app_with_provider_and(|serve| {
        serve.oidc.oidc_group_tier2 = Some("helpdesk-tier2".into());
        serve.oidc.oidc_group_admin = Some("helpdesk-admins".into());
    })
    .await
}

/// Signs `email` in as staff in a fresh browser; returns it and the callback's answer.
async fn staff_sso(app: &TestApp, email: &str) -> (reqwest::Client, reqwest::Response) {
    let b = browser();
    let callback = authorize_staff(app, &b, email).await;
    let response = b.get(callback).send().await.unwrap();
    (b, response)
}

#[tokio::test]
async fn staff_groups_give_roles_at_each_sign_in_and_no_group_ends_staff_access() {
    let (app, mut provider) = spawn_app_with_staff_groups().await;
    let offered: SignInOptions = expect_json(
        browser()
            .get(app.url("/api/v1/auth/sign-in-options"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(offered.organisation && offered.staff_organisation);

    // Grace is in helpdesk-tier2: a tier-2 account is created and she lands in the queue.
    let (grace, response) = staff_sso(&app, "grace@example.org").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/staff/tickets");
    let cookie = set_cookie(&response, "sd_session").expect("a staff session cookie");
    assert!(
        cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(set_cookie(&response, "sd_requester").is_none());
    let me: StaffMember = expect_json(
        grace.get(app.url("/api/v1/auth/me")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (me.email.as_str(), me.role, me.active),
        ("grace@example.org", StaffRole::Tier2, true)
    );
    assert_eq!(me.display_name, "Grace Hopper");
    let queue = grace
        .get(app.url("/api/v1/staff/tickets"))
        .send()
        .await
        .unwrap();
    assert_eq!(queue.status(), StatusCode::OK);
    // A staff sign-in is not a requester one.
    let response = grace.get(app.url("/api/v1/me")).send().await.unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;

    // Moved to the admins' group: the next sign-in updates the role, one account.
    provider.set_groups("grace@example.org", &["helpdesk-admins"]);
    let (laptop, response) = staff_sso(&app, "grace@example.org").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me: StaffMember = expect_json(
        grace.get(app.url("/api/v1/auth/me")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        me.role,
        StaffRole::Admin,
        "the role is the account's, in every session"
    );
    assert_eq!(
        count(&app, "staff WHERE email = 'grace@example.org'").await,
        1
    );

    // Removed from every staff group: refused, and every session she had ends.
    provider.set_groups("grace@example.org", &["staff"]);
    let (_third, response) = staff_sso(&app, "grace@example.org").await;
    assert!(set_cookie(&response, "sd_session").is_none());
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    for b in [&grace, &laptop] {
        let response = b.get(app.url("/api/v1/auth/me")).send().await.unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    let sessions = "staff_sessions s JOIN staff m ON m.id = s.staff_id \
                    WHERE m.email = 'grace@example.org'";
    assert_eq!(count(&app, sessions).await, 0);
    // No password of hers works either (the account's is random, never shown).
    let response = app
        .client()
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&serde_json::json!({"email": "grace@example.org", "password": "test-password"}))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;

    // Back in a staff group: the next sign-in opens the account again.
    provider.set_groups("grace@example.org", &["helpdesk-tier2"]);
    let (again, response) = staff_sso(&app, "grace@example.org").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me: StaffMember = expect_json(
        again.get(app.url("/api/v1/auth/me")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!((me.role, me.active), (StaffRole::Tier2, true));
}

#[tokio::test]
async fn someone_in_no_staff_group_gets_no_staff_account() {
    let (app, _provider) = spawn_app_with_staff_groups().await;
    let before = count(&app, "staff").await;
    // Linus is in `engineering` only; Ada in no group at all.
    for email in ["linus@example.org", "ada@example.org"] {
        let (b, response) = staff_sso(&app, email).await;
        assert!(set_cookie(&response, "sd_session").is_none());
        expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
        let response = b.get(app.url("/api/v1/auth/me")).send().await.unwrap();
        expect_error(
            response,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
        )
        .await;
    }
    assert_eq!(count(&app, "staff").await, before, "no account created");
    assert_eq!(
        count(&app, "requester_accounts").await,
        0,
        "nor a requester one"
    );
}

#[tokio::test]
async fn staff_sign_in_is_not_offered_without_staff_groups() {
    let (app, _provider) = spawn_app_with_provider().await;
    let offered: SignInOptions = expect_json(
        browser()
            .get(app.url("/api/v1/auth/sign-in-options"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(offered.organisation && !offered.staff_organisation);
    let response = browser()
        .get(app.url("/api/v1/auth/oidc/start?staff=true"))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert_eq!(count(&app, "oidc_sign_ins").await, 0);
}

/// ID tokens made here, each breaking one rule, checked by the server's own
/// validation (`Oidc::verify_id_token`, what the callback runs on the provider's
/// token) against the real provider's discovery and keys.
struct Minted {
    issuer: String,
    nonce: String,
}

impl Minted {
    fn claims(&self) -> IdTokenClaims<OtherClaims, openidconnect::core::CoreGenderClaim> {
        let now = chrono::Utc::now_compat();
        IdTokenClaims::new(
            IssuerUrl::new(self.issuer.clone()).unwrap(),
            vec![Audience::new(CLIENT_ID.into())],
            now + chrono::Duration::minutes(5),
            now,
            StandardClaims::new(SubjectIdentifier::new("u-ada".into()))
                .set_email(Some(EndUserEmail::new("ada@example.org".into())))
                .set_email_verified(Some(true))
                .set_name(Some(LocalizedClaim::from(EndUserName::new(
                    "Ada Lovelace".into(),
                )))),
            OtherClaims::default(),
        )
        .set_nonce(Some(Nonce::new(self.nonce.clone())))
    }
}

fn sign(
    claims: IdTokenClaims<OtherClaims, openidconnect::core::CoreGenderClaim>,
    pem: &str,
) -> String {
    let key =
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(SIGNING_KEY_ID.into())))
            .unwrap();
    IdToken::new(
        claims,
        &key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap()
    .to_string()
}

#[tokio::test]
async fn id_tokens_forged_expired_or_for_another_nonce_audience_or_issuer_are_refused() {
    let (app, provider) = spawn_app_with_provider().await;
    let oidc = app.state.oidc.clone().expect("a provider is configured");
    let minted = Minted {
        issuer: provider.issuer.clone(),
        nonce: "the-nonce-we-sent".into(),
    };
    let provider_key = provider_signing_key();
    let refused = |result: Result<_, selfdesk_server::auth::oidc::OidcError>| {
        ApiError::from(result.expect_err("must be refused")).code()
    };

    // The harness itself: a token that breaks no rule is accepted.
    let good = sign(minted.claims(), &provider_key);
    let identity = oidc.verify_id_token(&good, &minted.nonce).await.unwrap();
    assert_eq!(identity.email.as_str(), "ada@example.org");
    assert_eq!(identity.subject, "u-ada");

    // Signed with a key the provider does not have, under the provider's key id.
    let forged = sign(minted.claims(), &forger_key());
    assert_eq!(
        refused(oidc.verify_id_token(&forged, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );

    // A genuine token whose payload was changed afterwards.
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let payload = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1])
            .unwrap(),
    )
    .unwrap()
    .replace("ada@example.org", "boss@example.org");
    parts[1] = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload);
    let tampered = parts.join(".");
    assert_eq!(
        refused(oidc.verify_id_token(&tampered, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );

    // Expired an hour ago.
    let past = chrono::Utc::now_compat() - chrono::Duration::hours(2);
    let expired = sign(
        minted
            .claims()
            .set_issue_time(past)
            .set_expiration(past + chrono::Duration::hours(1)),
        &provider_key,
    );
    assert_eq!(
        refused(oidc.verify_id_token(&expired, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );

    // Made for another sign-in (its nonce), or with none.
    assert_eq!(
        refused(oidc.verify_id_token(&good, "another-nonce").await),
        ErrorCode::Unauthenticated
    );
    let no_nonce = sign(minted.claims().set_nonce(None), &provider_key);
    assert_eq!(
        refused(oidc.verify_id_token(&no_nonce, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );

    // For another client, or from another issuer.
    let other_audience = sign(
        minted
            .claims()
            .set_audiences(vec![Audience::new("another-app".into())]),
        &provider_key,
    );
    assert_eq!(
        refused(oidc.verify_id_token(&other_audience, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );
    let other_issuer = sign(
        minted
            .claims()
            .set_issuer(IssuerUrl::new("http://127.0.0.1:1".into()).unwrap()),
        &provider_key,
    );
    assert_eq!(
        refused(oidc.verify_id_token(&other_issuer, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );

    // Unsigned (`alg: none`) and plain garbage.
    let header = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        r#"{"alg":"none"}"#,
    );
    let unsigned = format!("{header}.{}.", good.split('.').nth(1).unwrap());
    assert_eq!(
        refused(oidc.verify_id_token(&unsigned, &minted.nonce).await),
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        refused(oidc.verify_id_token("not.a.token", &minted.nonce).await),
        ErrorCode::Unauthenticated
    );

    // An address the provider does not vouch for: 403, like the callback.
    let unverified = sign(
        IdTokenClaims::new(
            IssuerUrl::new(minted.issuer.clone()).unwrap(),
            vec![Audience::new(CLIENT_ID.into())],
            chrono::Utc::now_compat() + chrono::Duration::minutes(5),
            chrono::Utc::now_compat(),
            StandardClaims::new(SubjectIdentifier::new("u-eve".into()))
                .set_email(Some(EndUserEmail::new("eve@example.org".into())))
                .set_email_verified(Some(false)),
            OtherClaims::default(),
        )
        .set_nonce(Some(Nonce::new(minted.nonce.clone()))),
        &provider_key,
    );
    assert_eq!(
        refused(oidc.verify_id_token(&unverified, &minted.nonce).await),
        ErrorCode::Forbidden
    );

    assert_eq!(
        count(&app, "requester_accounts").await,
        0,
        "validation creates nothing"
    );
}

/// `chrono::Utc::now()` needs chrono's `clock` feature; the system clock through
/// `std` is all these tests need.
trait NowCompat {
    fn now_compat() -> chrono::DateTime<chrono::Utc>;
}

impl NowCompat for chrono::Utc {
    fn now_compat() -> chrono::DateTime<chrono::Utc> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        chrono::Utc.timestamp_opt(secs, 0).unwrap()
    }
}
