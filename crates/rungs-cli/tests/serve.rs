//! `rungs serve` as a process: it prints where it listens, logs one line per request with the
//! path and never the query, and stops on SIGTERM after writing every queued log line.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, Command, Stdio};

use support::temp_folder;

/// Sends one HTTP/1.1 request and returns the status line.
fn get(address: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

/// A `rungs serve` process on the database `url`, once it has printed where it serves.
struct Serving {
    process: Child,
    log: BufReader<ChildStderr>,
    address: String,
    /// What it printed up to and including the line with its address.
    printed: String,
}

impl Serving {
    fn start(url: &str, options: &[&str]) -> Serving {
        let mut process = Command::new(env!("CARGO_BIN_EXE_rungs"))
            .args(["--db", url, "serve", "--addr", "127.0.0.1:0"])
            .args(options)
            .env_remove("RUNGS_LOG")
            .env_remove("RUNGS_LOG_FORMAT")
            .env_remove("RUNGS_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut log = BufReader::new(process.stderr.take().unwrap());
        let mut printed = String::new();
        let address = loop {
            let mut line = String::new();
            assert!(log.read_line(&mut line).unwrap() > 0, "the server stopped early: {printed}");
            printed.push_str(&line);
            if let Some(rest) = line.strip_prefix("Rungs is serving on http://") {
                break rest.split('/').next().unwrap().to_owned();
            }
        };
        Serving { process, log, address, printed }
    }

    /// Stops it with SIGTERM, checks that it ended cleanly, and returns what it printed after
    /// its address.
    fn stop(mut self) -> String {
        let id = self.process.id().to_string();
        let status = Command::new("kill").args(["-TERM", &id]).status().unwrap();
        assert!(status.success());
        let mut rest = String::new();
        self.log.read_to_string(&mut rest).unwrap();
        assert!(self.process.wait().unwrap().success(), "SIGTERM ends the server cleanly");
        rest
    }
}

#[test]
fn requests_are_logged_by_path_and_sigterm_stops_the_server() {
    let folder = temp_folder("cli-serve-log");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    let server = Serving::start(&url, &[]);
    let address = server.address.clone();
    assert!(get(&address, "/healthz").contains("200"));
    // With no account yet, signing in sends the browser to the first-run set-up.
    let set_up = get(&address, "/sign-in?next=/setup%3Fcode%3Dsecret-code-123");
    assert!(set_up.contains("303"), "{set_up}");
    let rest = server.stop();
    let requests: Vec<&str> = rest.lines().filter(|line| line.contains("rungs::request")).collect();
    assert_eq!(requests.len(), 2, "one line per request:\n{rest}");
    assert!(requests[0].contains("method=GET") && requests[0].contains("path=/healthz"), "{rest}");
    assert!(requests[0].contains("status=200") && requests[0].contains("latency_us="), "{rest}");
    assert!(requests[1].contains("path=/sign-in status=303"), "{rest}");
    assert!(!rest.contains("secret-code-123"), "queries never reach the log:\n{rest}");
    assert!(rest.contains("shutting down"), "{rest}");
}

/// `serve --demo` fills an empty database (in a child process, `rungs demo load`, whose
/// summary shows in the server's messages) and serves what it loaded; started again on the same
/// database it loads nothing more.
#[test]
fn serve_demo_fills_an_empty_database_once() {
    let folder = temp_folder("cli-serve-demo");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    let demo = ["--demo", "--demo-people", "40"];
    let first = Serving::start(&url, &demo);
    assert!(first.printed.contains("Loading a demo org of 40 people"), "{}", first.printed);
    assert!(first.printed.contains("cycles with"), "the loader's summary: {}", first.printed);
    assert!(get(&first.address, "/healthz").contains("200"));
    let rest = first.stop();
    assert!(rest.contains("everyone in the org (40 people)"), "the server sees the demo: {rest}");

    let again = Serving::start(&url, &demo);
    assert!(!again.printed.contains("Loading"), "loaded twice: {}", again.printed);
    assert!(get(&again.address, "/healthz").contains("200"));
    let rest = again.stop();
    assert!(rest.contains("everyone in the org (40 people)"), "{rest}");
    std::fs::remove_dir_all(&folder).unwrap();
}
