//! Mail notices through the real `rungs serve` and a real SMTP server (aiosmtpd): what each
//! person receives when a cycle opens, that a server killed in the middle of sending neither
//! loses a mail nor sends one twice, and that without `--smtp` notices wait in the queue.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::path::PathBuf;
use std::time::Duration;

use jiff::ToSpan;
use serde_json::Value;
use support::serving::Serving;
use support::smtp::{Received, SmtpSink};
use support::{Test, temp_folder};

/// The org of these tests: a director, a manager and three others, as an HR export.
const ORG: &str = support::FIVE_PEOPLE;

struct Instance {
    folder: PathBuf,
    url: String,
}

impl Instance {
    /// An org and a cycle that opened today, with everyone taking part.
    fn new(name: &str) -> Instance {
        let folder = temp_folder(name);
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        let instance = Instance { folder, url };
        let org = instance.folder.join("org.csv");
        std::fs::write(&org, ORG).unwrap();
        instance.rungs().args(["org", "import", org.to_str().unwrap()]).stdout();
        let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let self_due = today.checked_add(10.days()).unwrap().to_string();
        instance
            .rungs()
            .args(["cycle", "create", "2027-H1", "--opens", &today.to_string()])
            .args(["--self-due", &self_due, "--time-zone", "UTC"])
            .stdout();
        instance
    }

    fn rungs(&self) -> Test {
        Test::new().db(&self.url)
    }

    fn json(&self, arguments: &[&str]) -> Value {
        let mut all: Vec<&str> = arguments.to_vec();
        all.push("--json");
        serde_json::from_str(&self.rungs().args(all).stdout()).unwrap()
    }

    fn serve(&self, sink: Option<&SmtpSink>) -> Serving {
        let mut options = vec!["--mail-every".to_owned(), "1".to_owned()];
        if let Some(sink) = sink {
            options.extend(["--smtp".to_owned(), sink.url()]);
            options.extend(["--smtp-timeout".to_owned(), "2".to_owned()]);
            options.extend(["--mail-from".to_owned(), "Rungs <rungs@example.com>".to_owned()]);
        }
        let options: Vec<&str> = options.iter().map(String::as_str).collect();
        Serving::start(&self.url, &options)
    }
}

fn to(message: &Received) -> &str {
    message.to.first().map(String::as_str).unwrap_or_default()
}

fn by_recipient(messages: &[Received]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> =
        messages.iter().map(|message| (to(message).to_owned(), message.subject.clone())).collect();
    pairs.sort();
    pairs
}

#[test]
fn a_cycle_opening_mails_each_person_once_with_links_to_their_tasks() {
    let instance = Instance::new("mail-opening");
    let Some(sink) = SmtpSink::start(&instance.folder.join("inbox"), 0.0) else { return };
    let server = instance.serve(Some(&sink));
    let messages = sink.wait_for(5, Duration::from_secs(30));
    // Two more rounds: nothing more is owed today.
    std::thread::sleep(Duration::from_millis(2500));
    let address = server.address.clone();
    let log = server.stop();
    let messages_now = sink.messages();
    assert_eq!(messages_now.len(), messages.len(), "a later round mailed again: {log}");
    assert_eq!(
        by_recipient(&messages),
        [
            ("ada@example.com".to_owned(), "3 things to do in Rungs".to_owned()),
            ("alan@example.com".to_owned(), "Review cycle 2027-H1 is open".to_owned()),
            ("barbara@example.com".to_owned(), "Review cycle 2027-H1 is open".to_owned()),
            ("edsger@example.com".to_owned(), "Review cycle 2027-H1 is open".to_owned()),
            ("grace@example.com".to_owned(), "3 things to do in Rungs".to_owned()),
        ]
    );
    let grace = messages.iter().find(|message| to(message) == "grace@example.com").unwrap();
    assert_eq!(grace.from, "rungs@example.com");
    assert!(
        grace.body.starts_with(
            "Hello Grace Hopper,\n\nReview cycle 2027-H1 is open: write your self-assessment by "
        ),
        "{}",
        grace.body
    );
    // Each notice carries the link to its task, on the server as it was reached.
    let link =
        format!("http://{address}/tasks/open?cycle=2027-H1&task=manager-assessment&subject=E3");
    assert!(grace.body.contains("Assess Alan Turing in 2027-H1 by "), "{}", grace.body);
    assert!(grace.body.contains(&link), "{link} in {}", grace.body);
    assert!(grace.body.contains(&format!("Everything you have to do: http://{address}/\n")));
    assert!(grace.message_id.starts_with("<rungs-mail-"), "{}", grace.message_id);
    // The record: every mail sent, nothing waiting.
    let queue = instance.json(&["mail", "queue"]);
    assert_eq!(queue["counts"]["sent"], 5, "{queue}");
    assert_eq!(queue["counts"]["waiting"], 0, "{queue}");
    assert_eq!(queue["counts"]["queued"], 0, "{queue}");
}

#[test]
fn a_server_killed_while_sending_loses_no_mail_and_sends_none_twice() {
    let instance = Instance::new("mail-restart");
    // Each message takes 1.2 s to be accepted: the kill, half-way through the next one,
    // lands while it is being sent, well after the one before was recorded as sent.
    let Some(sink) = SmtpSink::start(&instance.folder.join("inbox"), 1.2) else { return };
    let mut server = instance.serve(Some(&sink));
    let before = sink.wait_for(2, Duration::from_secs(30));
    assert!(before.len() >= 2 && before.len() < 5, "{before:?}");
    std::thread::sleep(Duration::from_millis(600));
    server.process.kill().unwrap();
    server.process.wait().unwrap();
    let at_kill = sink.messages().len();
    assert!(at_kill < 5, "all were sent before the kill: nothing was tested");
    // The mail being sent when it died is held by its lease (twice the SMTP timeout and
    // a margin) and then sent again; the others were never taken.
    let server = instance.serve(Some(&sink));
    let messages = sink.wait_for(5, Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(2500));
    server.stop();
    let messages = if sink.messages().len() > messages.len() { sink.messages() } else { messages };
    let mut recipients: Vec<&str> = messages.iter().map(to).collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        [
            "ada@example.com",
            "alan@example.com",
            "barbara@example.com",
            "edsger@example.com",
            "grace@example.com"
        ],
        "each exactly once"
    );
    let queue = instance.json(&["mail", "queue"]);
    assert_eq!(queue["counts"]["sent"], 5, "{queue}");
}

#[test]
fn without_smtp_notices_wait_in_the_queue_and_are_sent_by_the_first_server_with_it() {
    let instance = Instance::new("mail-queue");
    let server = instance.serve(None);
    let started = std::time::Instant::now();
    let queue = loop {
        let queue = instance.json(&["mail", "queue"]);
        if queue["counts"]["waiting"] != 0 || started.elapsed() > Duration::from_secs(20) {
            break queue;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let log = server.stop();
    assert!(log.contains("notices are queued but not sent"), "{log}");
    // 5 opening notices, and 4 assessments asked of managers.
    assert_eq!(queue["counts"]["waiting"], 9, "{queue}");
    assert_eq!(queue["counts"]["sent"], 0, "{queue}");
    let texts: Vec<&str> = queue["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|notice| notice["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|text| text.starts_with("Assess Grace Hopper in 2027-H1 by ")),
        "{texts:?}"
    );
    let shown = instance.rungs().args(["mail", "queue"]).stdout();
    assert!(shown.contains("9 notices waiting for a mail"), "{shown}");

    // Someone who turned reminders off still hears of new work.
    let settings =
        instance.json(&["mail", "settings", "Alan Turing", "--reminders", "off", "--digest", "on"]);
    assert_eq!(settings, serde_json::json!({ "reminders": false, "digest": true }));
    let audit = instance.rungs().args(["audit", "--person", "E3"]).stdout();
    assert!(audit.contains("mail.preferences"), "{audit}");

    let Some(sink) = SmtpSink::start(&instance.folder.join("inbox"), 0.0) else { return };
    let server = instance.serve(Some(&sink));
    let messages = sink.wait_for(5, Duration::from_secs(30));
    server.stop();
    assert_eq!(messages.len(), 5, "{:?}", by_recipient(&messages));
    let alan = messages.iter().find(|message| to(message) == "alan@example.com").unwrap();
    assert_eq!(alan.subject, "Your Rungs digest: Review cycle 2027-H1 is open");
}
