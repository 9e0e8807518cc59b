//! `spawn_app()`: the real server on `127.0.0.1:0` over a fresh database (a SQLite file, or a
//! fresh PostgreSQL database when `RUNGS_TEST_PG_URL` is set and asked for) with a small demo
//! org, its assessments and its accounts, and HTTP clients that sign in and talk to it like
//! any browser or script.

#![allow(dead_code, reason = "each test binary uses its own part of the support module")]
#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly on purpose")]

#[path = "../../../rungs-cli/tests/support/smtp.rs"]
pub mod smtp;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rungs_app::App;
use rungs_store::Store;
use rungs_web::{Server, WebState};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    pub address: String,
    /// Keeps cookies and does not follow redirects; signed in as [`rungs_demo::DEMO_ADMIN`]
    /// unless made with [`TestApp::signed_in_as`] or [`TestApp::anonymous`].
    pub client: reqwest::Client,
    /// The CSRF token of the client's session, sent with every state-changing request.
    pub csrf: String,
    pub app: App,
    _shutdown: Arc<tokio::sync::oneshot::Sender<()>>,
}

/// The password of every demo account in the tests.
pub const PASSWORD: &str = "correct horse battery";

/// People in the demo org of every test.
pub const PEOPLE: usize = 60;

/// A fresh SQLite database under the target folder.
pub async fn fresh_store(name: &str) -> Store {
    Store::open(&fresh_sqlite_url(name)).await.unwrap()
}

/// A fresh, empty folder under the target folder.
pub fn temp_folder_for(name: &str) -> std::path::PathBuf {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// The URL of a SQLite database under the target folder that does not exist yet: for tests
/// that open it more than once, as two processes would.
pub fn fresh_sqlite_url(name: &str) -> String {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = folder.join(format!(
        "web-{name}-{}-{}.db",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    for suffix in ["", "-wal", "-shm", "-rungs-changes"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    format!("sqlite://{}", path.display())
}

/// The storage backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database on `backend`; `None` (skip) for PostgreSQL when `RUNGS_TEST_PG_URL` is
/// not set, except in CI, where that fails.
pub async fn store_on(backend: Backend, name: &str) -> Option<Store> {
    match backend {
        Backend::Sqlite => Some(fresh_store(name).await),
        Backend::Postgres => fresh_postgres(name).await,
    }
}

/// [`spawn_app`] on `backend`; `None` when that backend is not available here.
pub async fn spawn_app_on(backend: Backend, name: &str) -> Option<TestApp> {
    let app = App::new(store_on(backend, name).await?);
    load_demo(&app, PEOPLE).await;
    Some(spawn_with(app).await)
}

/// A fresh PostgreSQL database on the server `RUNGS_TEST_PG_URL` names, when it is set.
pub async fn fresh_postgres(name: &str) -> Option<Store> {
    let Ok(base) = std::env::var("RUNGS_TEST_PG_URL") else {
        assert!(std::env::var_os("CI").is_none(), "CI must set RUNGS_TEST_PG_URL");
        eprintln!("RUNGS_TEST_PG_URL is not set: skipping the PostgreSQL run");
        return None;
    };
    let database = format!(
        "rungs_web_{}_{}_{}",
        name.replace('-', "_"),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database}")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&admin).await.unwrap();
    admin.close().await;
    let url = match base.split_once('?') {
        Some((server, options)) => {
            let server = server.rsplit_once('/').map_or(server, |(server, _)| server);
            format!("{server}/{database}?{options}")
        }
        None => {
            let server = base.rsplit_once('/').map_or(base.as_str(), |(server, _)| server);
            format!("{server}/{database}")
        }
    };
    Some(Store::open(&url).await.unwrap())
}

/// Loads the demo org and its two cycles of assessments, as `rungs demo load` does, and the
/// demo accounts with [`PASSWORD`].
pub async fn load_demo(app: &App, people: usize) {
    rungs_demo::load(app, people, 42, people).await.unwrap();
    rungs_demo::accounts(app, PASSWORD).await.unwrap();
}

/// The server with a demo org, on a port of its own, signed in as the demo admin.
pub async fn spawn_app(name: &str) -> TestApp {
    let app = App::new(fresh_store(name).await);
    load_demo(&app, PEOPLE).await;
    spawn_with(app).await
}

/// A client that keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn spawn_with(app: App) -> TestApp {
    spawn_state(WebState::new(app, true)).await
}

/// Serves `state`; the client is signed in as the demo admin.
pub async fn spawn_state(state: WebState) -> TestApp {
    spawn_anonymous(state).await.signed_in_as(rungs_demo::DEMO_ADMIN).await
}

/// Serves `state`; the client is not signed in.
pub async fn spawn_anonymous(state: WebState) -> TestApp {
    spawn_anonymous_at("127.0.0.1:0", state).await
}

/// Serves `state` on `addr`; the client is not signed in.
pub async fn spawn_anonymous_at(addr: &str, state: WebState) -> TestApp {
    let app = state.app.clone();
    let server = Server::bind(addr, state).await.unwrap();
    let address = format!("http://{}", server.local_addr().unwrap());
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    TestApp { address, client: client(), csrf: String::new(), app, _shutdown: Arc::new(shutdown) }
}

/// The CSRF token in a page's forms.
pub fn csrf_in(page: &str) -> Option<String> {
    const FIELD: &str = "name=\"csrf\" value=\"";
    let start = page.find(FIELD)? + FIELD.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned()).filter(|token| !token.is_empty())
}

impl TestApp {
    fn with_client(&self, client: reqwest::Client, csrf: String) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client,
            csrf,
            app: self.app.clone(),
            _shutdown: Arc::clone(&self._shutdown),
        }
    }

    /// The same server, with a client signed in as `email` (with [`PASSWORD`]).
    pub async fn signed_in_as(&self, email: &str) -> TestApp {
        self.signed_in_as_with(email, PASSWORD).await
    }

    /// The same server, with a client signed in as `email` with `password`.
    pub async fn signed_in_as_with(&self, email: &str, password: &str) -> TestApp {
        let client = client();
        let response = client
            .post(format!("{}/sign-in", self.address))
            .form(&[("email", email), ("password", password), ("next", "/account")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "signing in as {email}");
        let page = client.get(format!("{}/account", self.address)).send().await.unwrap();
        let csrf = csrf_in(&page.text().await.unwrap()).expect("the account page has a CSRF token");
        self.with_client(client, csrf)
    }

    /// Signed in as the person with id `person`.
    pub async fn as_person(&self, person: &str) -> TestApp {
        let email = self.app.person(person).await.unwrap().email.to_string();
        self.signed_in_as(&email).await
    }

    /// The same server, not signed in.
    pub fn anonymous(&self) -> TestApp {
        self.with_client(client(), String::new())
    }

    /// The same server, sending `token` as a bearer token.
    pub fn with_token(&self, token: &str) -> TestApp {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        self.with_client(client, String::new())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Posts JSON with the session's CSRF token in its header, as a script would.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self
            .client
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Sends `body` as `content_type` with the session's CSRF token; the status and the JSON
    /// answer.
    pub async fn send_text(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> (u16, serde_json::Value) {
        let response = self
            .client
            .request(method, self.url(path))
            .header("x-csrf-token", &self.csrf)
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Posts a form with the session's CSRF token, as the page's form would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut fields = fields.to_vec();
        fields.push(("csrf", &self.csrf));
        self.client.post(self.url(path)).form(&fields).send().await.unwrap()
    }

    /// A direct report of `manager` other than `person`: the colleague to ask for a peer
    /// assessment of them. (id, name)
    pub async fn colleague_of(&self, person: &str, manager: &str) -> (String, String) {
        let (_, managing) = self.get_json(&format!("/api/v1/people/{manager}")).await;
        let colleague = managing["direct_reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|report| report["id"] != person)
            .unwrap_or_else(|| panic!("{manager} manages someone besides {person}"));
        (
            colleague["id"].as_str().unwrap().to_owned(),
            colleague["name"].as_str().unwrap().to_owned(),
        )
    }

    /// The submitted manager assessment of `person` in the demo's open cycle 2026-H2, as HR
    /// reads it: its id, and its rated expectations (not those marked not observed) with
    /// their ratings, in the assessment's order.
    pub async fn manager_assessment_of(&self, person: &str) -> (i64, Vec<(String, String)>) {
        let (_, assessments) =
            self.get_json(&format!("/api/v1/assessments?subject={person}")).await;
        let id = assessments
            .as_array()
            .unwrap()
            .iter()
            .find(|one| {
                one["kind"] == "manager"
                    && one["status"] == "submitted"
                    && one["cycle"] == "2026-H2"
            })
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (_, view) = self.get_json(&format!("/api/v1/assessments/{id}")).await;
        let rated = view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["rating"].is_string() && row["rating"] != "not-observed")
            .map(|row| {
                (
                    row["expectation"].as_str().unwrap().to_owned(),
                    row["rating"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        (id, rated)
    }

    /// A person with a manager and a next level, whose manager wrote a submitted assessment in
    /// the open cycle of the demo: (person, manager).
    pub async fn assessed_person(&self) -> (String, String) {
        let (_, assessments) = self.get_json("/api/v1/assessments?cycle=2026-H2").await;
        let manager = assessments
            .as_array()
            .unwrap()
            .iter()
            .find(|assessment| {
                assessment["kind"] == "manager" && assessment["status"] == "submitted"
            })
            .unwrap();
        (
            manager["subject"].as_str().unwrap().to_owned(),
            manager["assessor"].as_str().unwrap().to_owned(),
        )
    }
}
