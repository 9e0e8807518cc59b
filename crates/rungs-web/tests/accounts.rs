//! Signing in and what protects it, over a real socket: cookie attributes, sign-out, CSRF
//! tokens, throttling of failed sign-ins, session expiry, password changes, API tokens and
//! their revocation, the first-run set-up, and the audit entries every kind of change writes;
//! each on SQLite and on PostgreSQL (when `RUNGS_TEST_PG_URL` is set).

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use rungs_app::App;
use rungs_core::access::Role;
use rungs_store::AuditFilter;
use rungs_web::WebState;
use serde_json::json;
use support::{Backend, PASSWORD, TestApp, spawn_anonymous, spawn_app_on, store_on};

/// An app whose clock tests can move forward.
fn app_with_clock(store: rungs_store::Store) -> (App, Arc<AtomicI64>) {
    let offset = Arc::new(AtomicI64::new(0));
    let shared = Arc::clone(&offset);
    let clock = Arc::new(move || {
        Timestamp::now() + SignedDuration::from_secs(shared.load(Ordering::Relaxed))
    });
    (App::with_clock(store, clock), offset)
}

/// Each test, once on SQLite and once on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(super::Backend::Sqlite).await;
                }

                #[tokio::test]
                async fn postgres() {
                    super::$name(super::Backend::Postgres).await;
                }
            }
        )*
    };
}

on_both_backends!(
    session_cookies_are_http_only_same_site_and_secure_behind_tls,
    state_changing_requests_without_the_csrf_token_are_refused,
    failed_sign_ins_are_throttled_per_account_and_per_address,
    sessions_expire,
    changing_the_password_checks_the_old_one_and_ends_other_sessions,
    api_tokens_work_until_revoked,
    the_first_admin_is_created_once_with_the_printed_code,
    every_kind_of_change_writes_an_audit_entry,
);

async fn sign_in_response(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/sign-in"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

async fn session_cookies_are_http_only_same_site_and_secure_behind_tls(backend: Backend) {
    let Some(admin) = spawn_app_on(backend, "cookies").await else { return };
    let anonymous = admin.anonymous();
    let response = sign_in_response(&anonymous, rungs_demo::DEMO_HR, PASSWORD).await;
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("rungs_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback: {cookie}");
    let fresh = admin.anonymous();
    let behind_tls = fresh
        .client
        .post(fresh.url("/sign-in"))
        .header("x-forwarded-proto", "https")
        .form(&[("email", rungs_demo::DEMO_HR), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(behind_tls.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
    let forced =
        spawn_anonymous(WebState::new(admin.app.clone(), true).with_secure_cookies(true)).await;
    let response = sign_in_response(&forced, rungs_demo::DEMO_HR, PASSWORD).await;
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));

    // The cookie is a random token; only its hash is stored, and no password is ever logged.
    let token = cookie.trim_start_matches("rungs_session=").split(';').next().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let audit = admin.app.audit(&AuditFilter::default()).await.unwrap();
    let written = format!("{audit:?}");
    assert!(!written.contains(&token) && !written.contains(PASSWORD));

    // Signing out ends the session: the old cookie no longer opens anything.
    let hr = admin.signed_in_as(rungs_demo::DEMO_HR).await;
    assert_eq!(hr.get("/org").await.status(), 200);
    let out = hr.post_form("/sign-out", &[]).await;
    assert_eq!(out.headers()["location"], "/sign-in");
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let after = hr.get("/org").await;
    assert_eq!(
        (after.status().as_u16(), after.headers()["location"].to_str().unwrap()),
        (303, "/sign-in?next=%2Forg")
    );
}

async fn state_changing_requests_without_the_csrf_token_are_refused(backend: Backend) {
    let Some(admin) = spawn_app_on(backend, "csrf").await else { return };
    let cycles_before = admin.app.cycles().await.unwrap().len();
    let without = admin
        .client
        .post(admin.url("/admin/cycles"))
        .form(&[("name", "2027-H1")])
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), 403);
    assert!(
        without
            .text()
            .await
            .unwrap()
            .contains("security token is missing or out of date; reload the page")
    );
    let wrong = admin
        .client
        .post(admin.url("/admin/cycles"))
        .form(&[("name", "2027-H1"), ("csrf", "0000")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let api = admin
        .client
        .post(admin.url("/api/v1/cycles"))
        .json(&json!({"name": "2027-H1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "csrf");
    let upload = admin
        .client
        .post(admin.url("/admin/org"))
        .multipart(
            reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(b"id\n".to_vec()).file_name("x.csv")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 403, "uploads carry the token in their URL");
    assert_eq!(admin.app.cycles().await.unwrap().len(), cycles_before, "nothing was written");

    // Before signing in there is no token: a cross-site post is refused by what the browser
    // says about where it comes from (no signing in to an attacker's account).
    let anonymous = admin.anonymous();
    for (header, value) in [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site")] {
        let refused = anonymous
            .client
            .post(anonymous.url("/sign-in"))
            .header(header, value)
            .form(&[("email", rungs_demo::DEMO_HR), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{header}: {value}");
        assert!(refused.headers().get("set-cookie").is_none());
    }
    let same_site = anonymous
        .client
        .post(anonymous.url("/sign-in"))
        .header("origin", admin.address.as_str())
        .form(&[("email", rungs_demo::DEMO_HR), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 303);

    // With the token, the same form works; an API token needs none (it is not a cookie).
    let form = [("name", "2027-H1"), ("alongside", "yes")];
    assert_eq!(admin.post_form("/admin/cycles", &form).await.status(), 303);
    let token = admin.app.create_token("ci", Role::Hr).await.unwrap();
    let (status, _) = admin
        .with_token(&token.secret)
        .post_json("/api/v1/cycles", &json!({"name": "2027-H2", "alongside": true}))
        .await;
    assert_eq!(status, 201);
}

async fn failed_sign_ins_are_throttled_per_account_and_per_address(backend: Backend) {
    let Some(store) = store_on(backend, "throttle").await else { return };
    let (app, clock) = app_with_clock(store);
    support::load_demo(&app, support::PEOPLE).await;
    // Per account, whatever the address.
    for attempt in 0..rungs_app::MAX_FAILURES {
        let refused =
            app.sign_in(rungs_demo::DEMO_HR, "wrong password", &format!("10.0.0.{attempt}")).await;
        assert_eq!(refused.unwrap_err().to_string(), "the email or password is wrong");
    }
    let throttled = app.sign_in(rungs_demo::DEMO_HR, PASSWORD, "10.0.0.99").await.unwrap_err();
    assert_eq!(throttled.to_string(), "too many failed sign-ins; try again in 15 minutes");

    // Per address, whatever the account: over HTTP, from 127.0.0.1.
    let server = spawn_anonymous(WebState::new(app.clone(), true)).await;
    for attempt in 0..rungs_app::MAX_FAILURES {
        let refused =
            sign_in_response(&server, &format!("nobody{attempt}@example.com"), "guess").await;
        assert_eq!(refused.status(), 401);
        assert!(refused.text().await.unwrap().contains("the email or password is wrong"));
    }
    let refused = sign_in_response(&server, rungs_demo::DEMO_ADMIN, PASSWORD).await;
    assert_eq!(refused.status(), 429);
    assert!(
        refused.text().await.unwrap().contains("too many failed sign-ins; try again in 15 minutes")
    );

    // The window passes; signing in works again, and success clears the account's count.
    clock.store(16 * 60, Ordering::Relaxed);
    assert_eq!(sign_in_response(&server, rungs_demo::DEMO_ADMIN, PASSWORD).await.status(), 303);
    assert!(app.sign_in(rungs_demo::DEMO_HR, PASSWORD, "10.0.0.99").await.is_ok());
    let failures = app
        .audit(&AuditFilter::default())
        .await
        .unwrap()
        .iter()
        .filter(|record| record.entry.action == "session.sign-in-failed")
        .count();
    assert_eq!(failures, 2 * rungs_app::MAX_FAILURES as usize, "every failure is in the audit log");

    // Behind a trusted reverse proxy, the address is the one the proxy appended; what the
    // client itself put in front of it does not count.
    let proxied = spawn_anonymous(WebState::new(app.clone(), true).with_trusted_proxy(true)).await;
    let from = |forwarded: &'static str, email: &'static str, password: &'static str| {
        proxied
            .client
            .post(proxied.url("/sign-in"))
            .header("x-forwarded-for", forwarded)
            .form(&[("email", email), ("password", password)])
            .send()
    };
    for attempt in 0..rungs_app::MAX_FAILURES {
        let claimed = if attempt % 2 == 0 { "1.1.1.1, 10.9.9.9" } else { "10.9.9.9" };
        assert_eq!(from(claimed, "nobody@example.com", "guess").await.unwrap().status(), 401);
    }
    let same = from("2.2.2.2, 10.9.9.9", rungs_demo::DEMO_ADMIN, PASSWORD).await.unwrap();
    assert_eq!(same.status(), 429);
    let other = from("10.9.9.8", rungs_demo::DEMO_ADMIN, PASSWORD).await.unwrap();
    assert_eq!(other.status(), 303, "another client behind the same proxy");
}

async fn sessions_expire(backend: Backend) {
    let Some(store) = store_on(backend, "expiry").await else { return };
    let (app, clock) = app_with_clock(store);
    support::load_demo(&app, support::PEOPLE).await;
    let hr = spawn_anonymous(WebState::new(app.clone(), true))
        .await
        .signed_in_as(rungs_demo::DEMO_HR)
        .await;
    assert_eq!(hr.get("/org").await.status(), 200);
    clock.store(rungs_app::SESSION_LIFETIME.as_secs() - 60, Ordering::Relaxed);
    assert_eq!(hr.get("/org").await.status(), 200, "not yet");
    clock.store(rungs_app::SESSION_LIFETIME.as_secs() + 1, Ordering::Relaxed);
    let expired = hr.get("/org").await;
    assert_eq!(
        (expired.status().as_u16(), expired.headers()["location"].to_str().unwrap()),
        (303, "/sign-in?next=%2Forg")
    );
    let (status, body) = hr.get_json("/api/v1/me").await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthenticated")));
}

async fn changing_the_password_checks_the_old_one_and_ends_other_sessions(backend: Backend) {
    let Some(admin) = spawn_app_on(backend, "password").await else { return };
    let first = admin.signed_in_as(rungs_demo::DEMO_HR).await;
    let second = admin.signed_in_as(rungs_demo::DEMO_HR).await;
    let refused = first
        .post_form(
            "/account/password",
            &[
                ("current", "not it"),
                ("new", "a much longer one"),
                ("confirm", "a much longer one"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("current: the current password is wrong. The password was not changed.")
    );
    let short = first
        .post_form(
            "/account/password",
            &[("current", PASSWORD), ("new", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);
    assert!(short.text().await.unwrap().contains("new: a password needs at least 10 characters"));
    let changed = first
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a much longer one"),
                ("confirm", "a much longer one"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert!(changed.text().await.unwrap().contains("Your password was changed."));
    assert_eq!(first.get("/org").await.status(), 200, "this session goes on");
    assert_eq!(second.get("/org").await.status(), 303, "the other session ended");
    assert_eq!(
        sign_in_response(&admin.anonymous(), rungs_demo::DEMO_HR, PASSWORD).await.status(),
        401
    );
    let again = admin.signed_in_as_with(rungs_demo::DEMO_HR, "a much longer one").await;
    assert_eq!(again.get("/org").await.status(), 200);

    // An admin's reset ends every session of the account, the user's own included.
    admin.app.set_password(rungs_demo::DEMO_HR, PASSWORD).await.unwrap();
    assert_eq!(first.get("/org").await.status(), 303);
    assert_eq!(again.get("/org").await.status(), 303);

    // A removed account is gone at once: its session ends and it cannot sign in again.
    let leaving = admin.signed_in_as(rungs_demo::DEMO_HR).await;
    let own = admin.post_form("/admin/accounts/remove", &[("email", rungs_demo::DEMO_ADMIN)]).await;
    assert_eq!(own.status(), 422);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("email: you cannot remove your own account. Nothing was changed.")
    );
    // Removing asks first, saying what will happen; nothing changes until it is confirmed.
    let asked = admin.post_form("/admin/accounts/remove", &[("email", rungs_demo::DEMO_HR)]).await;
    assert_eq!(asked.status(), 200);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains(&format!("Remove the account {}?", rungs_demo::DEMO_HR)), "{asked}");
    assert!(asked.contains("every session of it ends now"), "{asked}");
    assert!(asked.contains(r#"name="confirmed" value="yes""#), "{asked}");
    assert_eq!(leaving.get("/org").await.status(), 200, "not removed yet");
    let removed = admin
        .post_form(
            "/admin/accounts/remove",
            &[("email", rungs_demo::DEMO_HR), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(removed.status(), 200);
    assert!(removed.text().await.unwrap().contains("Removed"));
    assert_eq!(leaving.get("/org").await.status(), 303);
    assert_eq!(
        sign_in_response(&admin.anonymous(), rungs_demo::DEMO_HR, PASSWORD).await.status(),
        401
    );
    let audit =
        admin.app.audit(&AuditFilter { limit: Some(5), ..AuditFilter::default() }).await.unwrap();
    assert!(audit.iter().any(|record| record.entry.action == "account.remove"));
}

async fn api_tokens_work_until_revoked(backend: Backend) {
    let Some(admin) = spawn_app_on(backend, "tokens").await else { return };
    let created = admin.post_form("/admin/tokens", &[("name", "hr-sync"), ("role", "hr")]).await;
    assert_eq!(created.status(), 200);
    let page = created.text().await.unwrap();
    let start = page.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
    let secret = page[start..start + page[start..].find('<').unwrap()].to_owned();
    assert!(secret.starts_with("rungs_"));
    let script = admin.with_token(&secret);
    let (status, me) = script.get_json("/api/v1/me").await;
    assert_eq!(
        (status, me["name"].as_str(), me["role"].as_str()),
        (200, Some("token:hr-sync"), Some("hr"))
    );
    assert_eq!(script.get_json("/api/v1/org/stats").await.0, 200);
    assert_eq!(script.get_json("/api/v1/audit").await.0, 404, "hr does not read the audit log");
    let listed = admin.get("/admin/accounts").await.text().await.unwrap();
    assert!(listed.contains("hr-sync") && !listed.contains(&secret), "listed, never shown again");
    let id = admin.app.tokens().await.unwrap()[0].id;
    assert_eq!(admin.post_form(&format!("/admin/tokens/{id}/revoke"), &[]).await.status(), 200);
    let (status, body) = script.get_json("/api/v1/org/stats").await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (401, Some("the API token is unknown or was revoked"))
    );
    let (status, _) = admin.with_token("rungs_0123").get_json("/api/v1/me").await;
    assert_eq!(status, 401);
    let bad = admin.post_form("/admin/tokens", &[("name", " "), ("role", "boss")]).await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text().await.unwrap().contains(
            "role: `boss` is not a role; use employee, hr, admin or (for a token) scim. Nothing was changed."
        )
    );
    assert_eq!(admin.app.tokens().await.unwrap().len(), 1, "nothing was written");

    // Roles change on the same page, and take effect on the next request.
    let hr = admin.signed_in_as(rungs_demo::DEMO_HR).await;
    assert_eq!(hr.get("/org").await.status(), 200);
    let found = admin.get("/admin/accounts?q=RUNGS.demo").await.text().await.unwrap();
    assert!(found.contains("2 accounts match “rungs.demo”"), "the search");
    let one = admin.get(&format!("/admin/accounts?q={}", rungs_demo::DEMO_HR)).await;
    let one = one.text().await.unwrap();
    assert!(one.contains(&format!("1 account matches “{}”", rungs_demo::DEMO_HR)), "one");
    let demoted = admin
        .post_form("/admin/accounts/role", &[("email", rungs_demo::DEMO_HR), ("role", "employee")])
        .await;
    assert_eq!(demoted.status(), 200);
    assert_eq!(hr.get("/org").await.status(), 404, "no longer hr");
    let own = admin
        .post_form(
            "/admin/accounts/role",
            &[("email", rungs_demo::DEMO_ADMIN), ("role", "employee")],
        )
        .await;
    assert_eq!(own.status(), 422);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("email: you cannot change your own role. Nothing was changed.")
    );
}

async fn the_first_admin_is_created_once_with_the_printed_code(backend: Backend) {
    let Some(store) = store_on(backend, "setup").await else { return };
    let app = App::new(store);
    let server =
        spawn_anonymous(WebState::new(app.clone(), false).with_setup_code("open-sesame")).await;
    let to_setup = server.get("/sign-in").await;
    assert_eq!(to_setup.headers()["location"], "/setup");
    assert_eq!(server.get("/").await.headers()["location"], "/sign-in?next=%2F");
    let form = |code: &'static str, email: &'static str, password: &'static str| {
        server
            .client
            .post(server.url("/setup"))
            .form(&[("code", code), ("email", email), ("password", password)])
            .send()
    };
    let wrong_code = form("guess", "root@example.com", "long enough password").await.unwrap();
    assert_eq!(wrong_code.status(), 403);
    assert!(
        wrong_code.text().await.unwrap().contains(
            "code: this is not the set-up code the server printed. No account was created."
        )
    );
    let bad_email = form("open-sesame", "root", "long enough password").await.unwrap();
    assert_eq!(bad_email.status(), 422);
    assert!(bad_email.text().await.unwrap().contains(
        "email: `root` is not an email address such as ada@example.com. No account was created."
    ));
    assert!(app.needs_first_admin().await.unwrap(), "nothing was written");
    let created = form("open-sesame", "root@example.com", "long enough password").await.unwrap();
    assert_eq!(
        (created.status().as_u16(), created.headers()["location"].to_str().unwrap()),
        (303, "/admin/accounts")
    );
    assert_eq!(server.get("/admin/accounts").await.status(), 200, "signed in as the new admin");
    assert_eq!(server.anonymous().get("/setup?code=open-sesame").await.status(), 404, "once only");
    let again = server
        .anonymous()
        .client
        .post(server.url("/setup"))
        .form(&[
            ("code", "open-sesame"),
            ("email", "x@example.com"),
            ("password", "long enough password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let accounts = app.accounts().await.unwrap();
    assert_eq!((accounts.len(), accounts[0].role), (1, Role::Admin));
}

async fn every_kind_of_change_writes_an_audit_entry(backend: Backend) {
    let Some(admin) = spawn_app_on(backend, "audit").await else { return };
    let (person, manager) = admin.assessed_person().await;
    let before = admin.app.audit(&AuditFilter::default()).await.unwrap().len();
    assert_eq!(
        admin.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await.0,
        201
    );
    let boss = admin.as_person(&manager).await;
    let (_, created) = boss
        .post_json(
            &format!("/api/v1/people/{person}/assessments"),
            &json!({"cycle": "2027-H1", "kind": "manager"}),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    let target = created["target_level"].as_str().unwrap().to_owned();
    let framework = admin.app.current_framework().await.unwrap();
    let expectation = framework.level(&target).unwrap().expectations[0].id.to_string();
    assert_eq!(
        boss.post_json(
            &format!("/api/v1/assessments/{id}/ratings"),
            &json!({"ratings": {expectation.clone(): "meets"}})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        boss.post_json(
            &format!("/api/v1/assessments/{id}/evidence"),
            &json!({"expectation": expectation, "text": "Ran the review"})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        boss.post_json(
            &format!("/api/v1/assessments/{id}/submit"),
            &json!({"unrated": "not-observed"})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        boss.post_json(
            &format!("/api/v1/assessments/{id}/agree"),
            &json!({"ratings": {expectation.clone(): "meets"}})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        boss.post_json(&format!("/api/v1/assessments/{id}/revise"), &json!({})).await.0,
        201
    );
    let (_, plan) = boss
        .post_json(
            &format!("/api/v1/people/{person}/plan"),
            &json!({"target": target, "focus": [expectation]}),
        )
        .await;
    assert!(plan["focus"].is_array(), "{plan}");
    let (_, action) = boss.post_json(&format!("/api/v1/people/{person}/plan/actions"), &json!({"expectation": expectation, "text": "Pair on a design", "owner": manager, "due": "2027-04-01"})).await;
    let action = action["id"].as_i64().unwrap();
    assert_eq!(
        boss.post_json(&format!("/api/v1/actions/{action}/status"), &json!({"status": "done"}))
            .await
            .0,
        200
    );
    let close = "/api/v1/cycles/2027-H1/close";
    let (status, body) = admin.post_json(close, &json!({})).await;
    assert_eq!(status, 409, "drafts are left: {body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("not submitted"), "{body}");
    assert_eq!(admin.post_json(close, &json!({"abandon_drafts": true})).await.0, 200);
    assert_eq!(
        admin
            .post_form(
                "/admin/accounts",
                &[
                    ("email", "new@example.com"),
                    ("role", "hr"),
                    ("password", "long enough password")
                ]
            )
            .await
            .status(),
        200
    );
    assert_eq!(
        admin.post_form("/admin/tokens", &[("name", "bot"), ("role", "employee")]).await.status(),
        200
    );
    let token = admin.app.tokens().await.unwrap()[0].id;
    assert_eq!(admin.post_form(&format!("/admin/tokens/{token}/revoke"), &[]).await.status(), 200);
    let framework_text = rungs_format::BUILTIN_SOURCE.replace("version = \"", "version = \"9");
    let activated = admin
        .client
        .post(admin.url("/api/v1/framework"))
        .header("x-csrf-token", &admin.csrf)
        .body(framework_text)
        .send()
        .await
        .unwrap();
    assert_eq!(activated.status(), 200);
    admin.app.acting_as("cli").set_role("new@example.com", Role::Employee).await.unwrap();

    let entries = admin
        .app
        .audit(&AuditFilter { limit: Some(1000), ..AuditFilter::default() })
        .await
        .unwrap();
    let new: Vec<_> =
        entries[..entries.len() - before].iter().rev().map(|record| &record.entry).collect();
    let actions: Vec<&str> = new.iter().map(|entry| entry.action.as_str()).collect();
    for expected in [
        "cycle.open",
        "assessment.create",
        "assessment.rate",
        "assessment.evidence",
        "assessment.submit",
        "assessment.agree",
        "assessment.revise",
        "plan.create",
        "plan.action",
        "plan.action-status",
        "cycle.close",
        "account.create",
        "account.password",
        "token.create",
        "token.revoke",
        "framework.activate",
        "account.role",
        "session.sign-in",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let rate = new.iter().find(|entry| entry.action == "assessment.rate").unwrap();
    assert_eq!(rate.actor, admin.app.person(&manager).await.unwrap().email.to_string(), "who");
    assert_eq!(
        rate.person.as_ref().map(|person| person.to_string()),
        Some(person.clone()),
        "whose data"
    );
    assert_eq!(
        rate.before.as_deref(),
        Some(format!("{{\"{expectation}\":null}}").as_str()),
        "before"
    );
    assert_eq!(
        rate.after.as_deref(),
        Some(format!("{{\"{expectation}\":\"meets\"}}").as_str()),
        "after"
    );
    // Evidence sent through the API is audited as the CLI audits it: what was added.
    let evidence = new.iter().find(|entry| entry.action == "assessment.evidence").unwrap();
    let evidence: serde_json::Value =
        serde_json::from_str(evidence.after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (evidence["expectation"].as_str(), evidence["text"].as_str()),
        (Some(expectation.as_str()), Some("Ran the review"))
    );
    let agree = new.iter().find(|entry| entry.action == "assessment.agree").unwrap();
    assert_eq!(
        agree.before.as_deref(),
        Some(format!("{{\"{expectation}\":null}}").as_str()),
        "agree has a before"
    );
    let role = new.iter().find(|entry| entry.action == "account.role").unwrap();
    assert_eq!(
        (role.actor.as_str(), role.before.as_deref(), role.after.as_deref()),
        ("cli", Some(r#"{"role":"hr"}"#), Some(r#"{"role":"employee"}"#))
    );

    // A self-assessment draft stays private in the log too: which expectations, never values.
    let subject = admin.as_person(&person).await;
    assert_eq!(
        admin.post_json("/api/v1/cycles", &json!({"name": "2027-H2", "alongside": true})).await.0,
        201
    );
    let (_, own) = subject
        .post_json(
            &format!("/api/v1/people/{person}/assessments"),
            &json!({"cycle": "2027-H2", "kind": "self"}),
        )
        .await;
    let own = own["id"].as_i64().unwrap();
    let rated = subject
        .post_json(
            &format!("/api/v1/assessments/{own}/ratings"),
            &json!({"ratings": {expectation.clone(): "exceeds"}}),
        )
        .await;
    assert_eq!(rated.0, 200, "{}", rated.1);
    let noted = subject
        .post_json(
            &format!("/api/v1/assessments/{own}/evidence"),
            &json!({"expectation": expectation, "text": "My secret note"}),
        )
        .await;
    assert_eq!(noted.0, 200, "{}", noted.1);
    let private =
        admin.app.audit(&AuditFilter { limit: Some(2), ..AuditFilter::default() }).await.unwrap();
    let logged = format!("{private:?}");
    assert!(
        logged.contains(&expectation)
            && !logged.contains("exceeds")
            && !logged.contains("My secret note"),
        "{logged}"
    );

    // The admin page and the API show the same log, filtered by person.
    let page = admin.get(&format!("/admin/audit?person={person}")).await.text().await.unwrap();
    assert!(
        page.contains("assessment.rate") && !page.contains("token.create"),
        "filtered by person"
    );
    let (status, api) =
        admin.get_json(&format!("/api/v1/audit?person={person}&since=2000-01-01")).await;
    assert_eq!(status, 200);
    assert!(
        api["entries"].as_array().unwrap().iter().all(|entry| entry["person"] == json!(person))
    );
    let (status, body) = admin.get_json("/api/v1/audit?since=yesterday").await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("since")));
}

/// The server answers a session's repeated reads from memory. A role taken away, or an account
/// removed, by another process on the same database (the CLI, as here through a second store)
/// still counts at the session's next request.
#[tokio::test]
async fn account_changes_made_elsewhere_count_at_the_next_request() {
    let url = support::fresh_sqlite_url("elsewhere");
    let app = App::new(rungs_store::Store::open(&url).await.unwrap());
    support::load_demo(&app, support::PEOPLE).await;
    let admin = support::spawn_with(app).await;
    for _ in 0..3 {
        assert_eq!(admin.get("/admin/accounts").await.status(), 200);
    }
    let elsewhere = App::new(rungs_store::Store::open(&url).await.unwrap()).acting_as("cli");

    elsewhere.set_role(rungs_demo::DEMO_ADMIN, Role::Hr).await.unwrap();
    assert_eq!(admin.get("/admin/accounts").await.status(), 404, "no longer an admin");
    assert_eq!(admin.get("/org").await.status(), 200, "but hr still");

    elsewhere.remove_account(rungs_demo::DEMO_ADMIN).await.unwrap();
    let removed = admin.get("/org").await;
    assert_eq!(
        (removed.status().as_u16(), removed.headers()["location"].to_str().unwrap()),
        (303, "/sign-in?next=%2Forg"),
        "the session ended with the account"
    );
}
