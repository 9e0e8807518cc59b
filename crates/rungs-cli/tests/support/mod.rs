//! `Test`: runs the real `rungs` binary with arguments and checks what it printed and returned.

#![allow(dead_code, reason = "each test binary uses its own part of the support module")]

pub mod serving;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug)]
pub struct Test {
    arguments: Vec<String>,
    current_dir: PathBuf,
    stdin: Option<String>,
}

/// What a finished run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The folder of this crate's test fixtures.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

impl Test {
    pub fn new() -> Test {
        Test { arguments: Vec::new(), current_dir: fixtures(), stdin: None }
    }

    pub fn arg(mut self, argument: impl Into<String>) -> Test {
        self.arguments.push(argument.into());
        self
    }

    pub fn args<I, S>(mut self, arguments: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.arguments.extend(arguments.into_iter().map(Into::into));
        self
    }

    /// Runs with the database `--db URL`.
    pub fn db(self, url: &str) -> Test {
        self.arg("--db").arg(url)
    }

    /// Runs in `folder` rather than the fixtures.
    pub fn current_dir(mut self, folder: &Path) -> Test {
        self.current_dir = folder.to_owned();
        self
    }

    /// Gives the run this standard input (not a terminal).
    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = Some(text.to_owned());
        self
    }

    pub fn run(self) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_rungs"))
            .args(&self.arguments)
            .current_dir(&self.current_dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the rungs binary runs");
        let mut input = child.stdin.take().expect("a stdin pipe");
        input.write_all(self.stdin.unwrap_or_default().as_bytes()).expect("write stdin");
        drop(input);
        let Output { status, stdout, stderr } = child.wait_with_output().expect("rungs finishes");
        Run {
            status: status.code().expect("rungs exits with a status"),
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs and expects success; returns standard output.
    pub fn stdout(self) -> String {
        let description = self.arguments.join(" ");
        let run = self.run();
        assert_eq!(run.status, 0, "`rungs {description}` failed:\n{}", run.stderr);
        run.stdout
    }
}

impl Run {
    pub fn status(self, expected: i32) -> Run {
        assert_eq!(self.status, expected, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// A small org as an HR export: a director (E1), a manager (E2) with two reports (E3, E4),
/// and one report of the director (E5), each on a track and level of the built-in ladder.
pub const FIVE_PEOPLE: &str = "id,name,email,manager_id,title,track,level,team
E1,Ada Lovelace,ada@example.com,,,management,director,Platform
E2,Grace Hopper,grace@example.com,E1,,management,em,Platform Compilers
E3,Alan Turing,alan@example.com,E2,,ic,ic3,Platform Compilers
E4,Edsger Dijkstra,edsger@example.com,E2,,ic,ic2,Platform Compilers
E5,Barbara Liskov,barbara@example.com,E1,,ic,ic5,Platform
";

/// A fresh folder under the target directory, emptied first.
pub fn temp_folder(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("create temp folder");
    folder
}

/// A fresh PostgreSQL database for one test, when `RUNGS_TEST_PG_URL` names a server (CI sets
/// it; in CI a missing URL fails instead of skipping). Returns its URL.
pub fn postgres_database(name: &str) -> Option<String> {
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    let Ok(url) = std::env::var("RUNGS_TEST_PG_URL") else {
        assert!(std::env::var_os("CI").is_none(), "CI must set RUNGS_TEST_PG_URL");
        eprintln!("RUNGS_TEST_PG_URL is not set: skipping the PostgreSQL run");
        return None;
    };
    let database = format!("rungs_cli_{name}_{}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let admin = sqlx::postgres::PgConnectOptions::from_str(&url).unwrap();
        let mut connection = sqlx::PgConnection::connect_with(&admin).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            .execute(&mut connection)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut connection).await.unwrap();
        connection.close().await.unwrap();
        Some(admin.database(&database).to_url_lossy().to_string())
    })
}
