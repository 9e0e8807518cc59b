//! `SmtpSink`: a real SMTP server (aiosmtpd, `tests/smtp/sink.py`) on a free port, and the
//! messages it accepted. rungs-web's tests use it too (`#[path]`). `.ci/run` installs aiosmtpd and names its Python in
//! `RUNGS_TEST_SMTP_PYTHON`; without it (outside CI) the mail tests are skipped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A message the server accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub message_id: String,
    pub body: String,
}

pub struct SmtpSink {
    process: Child,
    folder: PathBuf,
    pub port: u16,
}

impl SmtpSink {
    /// A server keeping its messages in `folder`, answering each after `delay` seconds.
    pub fn start(folder: &Path, delay: f64) -> Option<SmtpSink> {
        let python = std::env::var("RUNGS_TEST_SMTP_PYTHON").unwrap_or_else(|_| "python3".into());
        let has_aiosmtpd = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !has_aiosmtpd {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install aiosmtpd (RUNGS_TEST_SMTP_PYTHON)"
            );
            eprintln!("aiosmtpd is not installed (see .ci/run): skipping the mail test");
            return None;
        }
        // From this crate or from rungs-web's tests, which share this module.
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rungs-cli/tests/smtp/sink.py");
        let mut process = Command::new(&python)
            .arg(script)
            .arg(folder)
            .args(["--delay", &delay.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(process.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("the SMTP sink said {line:?}"));
        Some(SmtpSink { process, folder: folder.to_owned(), port })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages accepted so far, in the order they arrived.
    pub fn messages(&self) -> Vec<Received> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|path| {
                let mut message: Received =
                    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
                message.body = message.body.replace("\r\n", "\n");
                message
            })
            .collect()
    }

    /// Waits (up to `within`) until at least `count` messages arrived, and gives them.
    pub fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= count || started.elapsed() > within {
                return messages;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
