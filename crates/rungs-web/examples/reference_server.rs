//! The load test's two reference points, served on this machine so that its figures can be read
//! against them: axum serving a static 2 KB page, and a page rendered from one indexed SQLite
//! read. Issue 5 states its targets beside these two points as measured on its machine; machines
//! here differ by more than two times in speed, so `bench/reference.sh` measures both points in
//! the same run as the person page.
//!
//! ```text
//! cargo run --release -p rungs-web --example reference_server -- ADDRESS DATABASE_FILE PEOPLE
//! ```
//!
//! `GET /static` answers the same 2 KB page every time. `GET /people/{id}` reads one row of a
//! `people` table of PEOPLE rows by its primary key (ids as the demo org spells them, so that
//! `bench/random-person.lua` draws them), from a SQLite file in WAL mode, and renders it into a
//! page of the same size. Connections come from a small pool and are read on the calling worker
//! thread, with no test query on checkout: the fastest plain way to serve such a page, and so a
//! fair ceiling for a page that reads more.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use rusqlite::{Connection, OptionalExtension};

/// The static page: a small HTML document padded to 2 KB.
fn static_page() -> String {
    let mut page = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reference</title></head><body><main><h1>Reference</h1>",
    );
    while page.len() < 2000 {
        page.push_str("<p>A paragraph of the reference page, the same on every answer.</p>");
    }
    page.push_str("</main></body></html>");
    page
}

/// Open connections, each taken for one read and put back.
#[derive(Debug)]
struct Pool {
    idle: Mutex<Vec<Connection>>,
    path: std::path::PathBuf,
}

impl Pool {
    fn take(&self) -> rusqlite::Result<Connection> {
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match idle {
            Some(connection) => Ok(connection),
            None => Connection::open(&self.path),
        }
    }

    fn give_back(&self, connection: Connection) {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(connection);
    }
}

#[derive(Debug)]
struct Reference {
    page: String,
    pool: Pool,
}

async fn static_answer(State(reference): State<Arc<Reference>>) -> Html<String> {
    Html(reference.page.clone())
}

async fn person_answer(
    State(reference): State<Arc<Reference>>,
    Path(id): Path<String>,
) -> Result<Html<String>, StatusCode> {
    let connection = reference.pool.take().map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let row = connection
        .prepare_cached("SELECT name, level, email FROM people WHERE id = ?1")
        .and_then(|mut statement| {
            statement
                .query_row([&id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                })
                .optional()
        });
    reference.pool.give_back(connection);
    let (name, level, email) =
        row.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?.ok_or(StatusCode::NOT_FOUND)?;
    let mut page = String::with_capacity(reference.page.len() + 128);
    let _ = write!(page, "<h2>{name}</h2><p>{level} · {email}</p>");
    page.push_str(&reference.page);
    Ok(Html(page))
}

/// Creates the `people` table with `people` rows, unless the file already has it.
fn prepare(path: &std::path::Path, people: usize) -> rusqlite::Result<()> {
    let mut connection = Connection::open(path)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT NOT NULL,
         level TEXT NOT NULL, email TEXT NOT NULL)",
    )?;
    let existing: usize =
        connection.query_row("SELECT count(*) FROM people", [], |row| row.get(0))?;
    if existing == people {
        return Ok(());
    }
    let width = people.to_string().len().max(5);
    let transaction = connection.transaction()?;
    transaction.execute("DELETE FROM people", [])?;
    {
        let mut insert = transaction.prepare("INSERT INTO people VALUES (?1, ?2, ?3, ?4)")?;
        for number in 1..=people {
            let id = format!("E{number:0width$}");
            insert.execute([
                id.as_str(),
                &format!("Person {number}"),
                "Senior Software Engineer",
                &format!("person{number}@example.com"),
            ])?;
        }
    }
    transaction.commit()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: reference_server ADDRESS DATABASE_FILE PEOPLE";
    let address = args.next().ok_or(usage)?;
    let path = std::path::PathBuf::from(args.next().ok_or(usage)?);
    let people: usize = args.next().ok_or(usage)?.parse()?;
    prepare(&path, people)?;
    let reference = Arc::new(Reference {
        page: static_page(),
        pool: Pool { idle: Mutex::new(Vec::new()), path },
    });
    let app = Router::new()
        .route("/static", get(static_answer))
        .route("/people/{id}", get(person_answer))
        .with_state(reference);
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!("reference server on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
