//! Single sign-on against a real OpenID Connect provider (`tests/oidc/provider.mjs`, the npm
//! `oidc-provider` package) that the test starts itself: the authorization code flow with
//! PKCE, a verified email mapped to an account, and the refusals (another browser's state, a
//! replayed code, an email the provider did not verify, an email with no account).
//!
//! Needs Node.js and `npm ci` in `tests/oidc`; `.ci/run` does both. Outside CI the test skips
//! when they are missing.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use rungs_app::App;
use rungs_web::{OidcConfig, WebState};
use support::TestApp;

const CLIENT_ID: &str = "rungs-test";
const CLIENT_SECRET: &str = "rungs-test-secret";

/// The provider process; it exits when its stdin closes, so dropping this stops it.
struct Provider {
    child: Child,
    _stdin: ChildStdin,
    /// Kept open: a closed pipe would make the provider's next write fail.
    _stdout: BufReader<ChildStdout>,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn provider_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

fn start_provider(redirect_uri: &str, users: &serde_json::Value) -> Option<Provider> {
    let folder = provider_folder();
    let ready = folder.join("node_modules/oidc-provider").exists()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success());
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Node.js and run `npm ci` in {}",
            folder.display()
        );
        eprintln!("node or tests/oidc/node_modules is missing: skipping the single sign-on test");
        return None;
    }
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&folder)
        .env("OIDC_CLIENT_ID", CLIENT_ID)
        .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
        .env("OIDC_REDIRECT_URI", redirect_uri)
        .env("OIDC_USERS", users.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("OIDC_DEBUG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let issuer = line
        .trim()
        .strip_prefix("listening ")
        .expect("the provider says where it listens")
        .to_owned();
    Some(Provider { child, _stdin: stdin, _stdout: stdout, issuer })
}

/// Where a redirect goes, resolved against the URL that answered.
fn location(response: &reqwest::Response) -> String {
    let location = response.headers()["location"].to_str().unwrap();
    response.url().join(location).unwrap().to_string()
}

/// The browser's part: from Rungs to the provider, logging in there when it asks, and back.
/// Returns the callback URL the provider sent the browser to.
async fn log_in_at_provider(browser: &TestApp, login: &str, password: &str) -> String {
    let start = browser.get("/auth/oidc/start?next=%2Faccount").await;
    assert_eq!(start.status(), 303);
    let callback_prefix = browser.url("/auth/oidc/callback?");
    let mut url = location(&start);
    for _ in 0..10 {
        if url.starts_with(&callback_prefix) {
            return url;
        }
        let response = browser.client.get(&url).send().await.unwrap();
        url = match response.status().as_u16() {
            303 | 302 => location(&response),
            200 if url.contains("/interaction/") => {
                let logged_in = browser
                    .client
                    .post(format!("{url}/login"))
                    .form(&[("login", login), ("password", password)])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(logged_in.status(), 303, "logged in at the provider");
                location(&logged_in)
            }
            status => panic!("the provider answered {status} at {url}"),
        };
    }
    panic!("the provider never sent the browser back");
}

#[tokio::test]
async fn single_sign_on_maps_a_verified_email_to_its_account() {
    let app = App::new(support::fresh_store("oidc").await);
    support::load_demo(&app, support::PEOPLE).await;
    let person = app.current_org().await.unwrap().chart.members()[5].id.to_string();
    let email = app.person(&person).await.unwrap().email.to_string();
    // The port is chosen before the provider starts, which must know the redirect URI.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let public_url = format!("http://127.0.0.1:{port}");
    let users = serde_json::json!([
        {"login": "ada", "password": "secret", "email": email, "email_verified": true},
        {"login": "eve", "password": "secret", "email": "eve@elsewhere.example", "email_verified": true},
        {"login": "mal", "password": "secret", "email": email, "email_verified": false},
    ]);
    let Some(provider) = start_provider(&format!("{public_url}/auth/oidc/callback"), &users) else {
        return;
    };
    let oidc = OidcConfig::new(&provider.issuer, CLIENT_ID, CLIENT_SECRET, &public_url).unwrap();
    let state = WebState::new(app.clone(), true).with_oidc(oidc);
    let server = support::spawn_anonymous_at(&format!("127.0.0.1:{port}"), state).await;

    let sign_in_page = server.get("/sign-in").await.text().await.unwrap();
    assert!(sign_in_page.contains("Sign in with your company account"));

    // The whole flow: the provider's code, exchanged with the PKCE verifier, an ID token
    // whose verified email is a Rungs account; back where the browser was going.
    let browser = server.anonymous();
    let callback = log_in_at_provider(&browser, "ada", "secret").await;
    let signed_in = browser.client.get(&callback).send().await.unwrap();
    assert_eq!(
        (signed_in.status().as_u16(), signed_in.headers()["location"].to_str().unwrap()),
        (303, "/account")
    );
    let (status, me) = browser.get_json("/api/v1/me").await;
    assert_eq!(
        (status, me["name"].as_str(), me["person"].as_str()),
        (200, Some(email.as_str()), Some(person.as_str()))
    );
    let audit = app.audit(&Default::default()).await.unwrap();
    assert!(audit.iter().any(|record| record.entry.action == "session.sign-in"
        && record.entry.after.as_deref().is_some_and(|after| after.contains("oidc"))));

    // The same callback again: the flow's state was used up with the sign-in.
    let replayed = browser.client.get(&callback).send().await.unwrap();
    assert_eq!(replayed.status(), 401);
    assert!(
        replayed
            .text()
            .await
            .unwrap()
            .contains("the sign-on took too long or was started elsewhere")
    );

    // A callback from another browser's sign-in: its state does not match this browser's.
    let victim = server.anonymous();
    let stolen = log_in_at_provider(&browser, "ada", "secret").await;
    let _ = victim.get("/auth/oidc/start").await;
    let refused = victim.client.get(&stolen).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("does not belong to this browser"));
    assert_eq!(victim.get_json("/api/v1/me").await.0, 401, "not signed in");

    // A verified email with no account, and an email the provider has not verified.
    let stranger = server.anonymous();
    let callback = log_in_at_provider(&stranger, "eve", "secret").await;
    let refused = stranger.client.get(&callback).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("there is no Rungs account for the email"));
    let unverified = server.anonymous();
    let callback = log_in_at_provider(&unverified, "mal", "secret").await;
    let refused = unverified.client.get(&callback).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("has not verified your email"));
    assert_eq!(unverified.get_json("/api/v1/me").await.0, 401);
    drop(provider);
}
