//! `Serving`: a real `rungs serve` process on a free port, started and stopped as a user
//! would (SIGTERM), and one GET over a real socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, Command, Stdio};

/// Sends one HTTP/1.1 request and returns the status line.
pub fn get(address: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

/// A `rungs serve` process on the database `url`, once it has printed where it serves.
pub struct Serving {
    pub process: Child,
    log: BufReader<ChildStderr>,
    pub address: String,
    /// What it printed up to and including the line with its address.
    pub printed: String,
}

impl Serving {
    pub fn start(url: &str, options: &[&str]) -> Serving {
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
    pub fn stop(mut self) -> String {
        let id = self.process.id().to_string();
        let status = Command::new("kill").args(["-TERM", &id]).status().unwrap();
        assert!(status.success());
        let mut rest = String::new();
        self.log.read_to_string(&mut rest).unwrap();
        assert!(self.process.wait().unwrap().success(), "SIGTERM ends the server cleanly: {rest}");
        rest
    }
}
