//! `spawn_app()`: the real server on `127.0.0.1:0` over a fresh SQLite file with a small demo
//! org and its assessments, and an HTTP client that talks to it like any other.

#![allow(dead_code, reason = "each test binary uses its own part of the support module")]
#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly on purpose")]

use std::sync::atomic::{AtomicUsize, Ordering};

use rungs_app::App;
use rungs_store::Store;
use rungs_web::{Server, WebState};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub app: App,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// People in the demo org of every test.
pub const PEOPLE: usize = 60;

/// A fresh database under the target folder.
pub async fn fresh_store(name: &str) -> Store {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = folder.join(format!(
        "web-{name}-{}-{}.db",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Store::open(&format!("sqlite://{}", path.display())).await.unwrap()
}

/// Loads the demo org and its two cycles of assessments, as `rungs demo load` does.
pub async fn load_demo(app: &App, people: usize) {
    rungs_demo::load(app, people, 42, people).await.unwrap();
}

/// The server with a demo org, on a port of its own.
pub async fn spawn_app(name: &str) -> TestApp {
    let app = App::new(fresh_store(name).await);
    load_demo(&app, PEOPLE).await;
    spawn_with(app).await
}

pub async fn spawn_with(app: App) -> TestApp {
    let server = Server::bind("127.0.0.1:0", WebState::new(app.clone(), true)).await.unwrap();
    let address = format!("http://{}", server.local_addr().unwrap());
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    TestApp { address, client, app, _shutdown: shutdown }
}

impl TestApp {
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

    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self.client.post(self.url(path)).json(body).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(fields).send().await.unwrap()
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
