//! Many processes on one new SQLite database at once: eight `rungs` commands (imports, cycles,
//! accounts, reads) and a `rungs serve` start together on a file that does not exist yet, and
//! every one of them succeeds. None may answer "database is locked": creating the file, turning
//! on WAL, running the migrations and writing all wait for each other.
//!
//! Nothing here measures time. A round starts the nine processes as fast as they can be
//! spawned and waits for each to finish; several rounds, each on a new file, make it likely
//! that their opening steps overlap.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use support::serving::get;
use support::temp_folder;

/// The org of these tests: a director, a manager and three others, as an HR export.
const ORG: &str = support::FIVE_PEOPLE;

/// Rounds, each on a new database file.
const ROUNDS: usize = 6;

fn rungs(url: &str, arguments: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rungs"));
    command
        .arg("--db")
        .arg(url)
        .args(arguments)
        .env_remove("RUNGS_DB")
        .env_remove("RUNGS_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for a command and returns its status with what it printed.
fn finish(name: &str, child: Child) -> (String, bool, String) {
    let output = child.wait_with_output().unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (name.to_owned(), output.status.success(), printed)
}

#[test]
fn eight_commands_and_a_server_open_a_new_database_at_once() {
    let folder = temp_folder("cli-concurrent-open");
    let org = folder.join("org.csv");
    std::fs::write(&org, ORG).unwrap();
    let org = org.display().to_string();
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let database = folder.join(format!("round-{round}.db"));
        let url = format!("sqlite://{}", database.display());
        let commands: Vec<(&str, Vec<&str>)> = vec![
            ("org import", vec!["org", "import", &org]),
            ("org import again", vec!["org", "import", &org]),
            ("cycle open 2026-H1", vec!["cycle", "open", "2026-H1", "--alongside"]),
            ("cycle open 2026-H2", vec!["cycle", "open", "2026-H2", "--alongside"]),
            ("user add", vec!["user", "add", "ada@example.com", "--role", "admin"]),
            ("token create", vec!["token", "create", "--name", "sync", "--role", "hr"]),
            ("cycle list", vec!["cycle", "list", "--json"]),
            ("audit", vec!["audit", "--json"]),
        ];
        // The server first: it is the slowest to reach its database, after its runtime and
        // logging start.
        let mut server = rungs(&url, &["serve", "--addr", "127.0.0.1:0"]).spawn().unwrap();
        let started: Vec<(&str, Child)> = commands
            .iter()
            .map(|(name, arguments)| (*name, rungs(&url, arguments).spawn().unwrap()))
            .collect();
        for (name, child) in started {
            let (name, succeeded, printed) = finish(name, child);
            if !succeeded {
                failures.push(format!("round {round}, `rungs {name}`: {printed}"));
            }
        }
        let mut log = BufReader::new(server.stderr.take().unwrap());
        let mut printed = String::new();
        let address = loop {
            let mut line = String::new();
            if log.read_line(&mut line).unwrap() == 0 {
                break None;
            }
            printed.push_str(&line);
            if let Some(rest) = line.strip_prefix("Rungs is serving on http://") {
                break Some(rest.split('/').next().unwrap().to_owned());
            }
        };
        match address {
            Some(address) => {
                let health = get(&address, "/healthz");
                if !health.contains("200") {
                    failures.push(format!("round {round}, the server's /healthz: {health}"));
                }
                Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
                let mut rest = String::new();
                log.read_to_string(&mut rest).unwrap();
                if !server.wait().unwrap().success() {
                    failures.push(format!("round {round}, the server ended badly: {rest}"));
                }
            }
            None => {
                let _ = server.wait();
                failures.push(format!("round {round}, `rungs serve` stopped early: {printed}"));
            }
        }
        // Both imports and both cycles are there, whatever order they ran in.
        let cycles = rungs(&url, &["cycle", "list", "--json"]).output().unwrap();
        let cycles = String::from_utf8_lossy(&cycles.stdout).into_owned();
        if !(cycles.contains("2026-H1") && cycles.contains("2026-H2")) {
            failures.push(format!("round {round}, the cycles written: {cycles}"));
        }
    }
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
    std::fs::remove_dir_all(&folder).unwrap();
}
