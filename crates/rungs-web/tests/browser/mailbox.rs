//! The mail of the browser test: the server's mailer sending to a real SMTP server
//! (aiosmtpd), a round run after each step, and the mail each person received.

use std::time::Duration;

use crate::support::TestApp;
use crate::support::smtp::{Received, SmtpSink};

/// The server's mailer, sending to a real SMTP server (aiosmtpd) as `rungs serve --smtp`
/// does; the test runs a round of it after each step and reads what arrived.
pub struct Mail {
    sink: SmtpSink,
    mailer: rungs_mail::Mailer,
    stop: tokio::sync::watch::Receiver<bool>,
    _stopper: tokio::sync::watch::Sender<bool>,
}

impl Mail {
    pub fn start(app: &TestApp, inbox: &std::path::Path) -> Option<Mail> {
        let sink = SmtpSink::start(inbox, 0.0)?;
        let from = rungs_mail::parse_mailbox("Rungs <rungs@example.com>").unwrap();
        let smtp = rungs_mail::SmtpSender::new(&sink.url(), from, Duration::from_secs(5)).unwrap();
        let config = rungs_mail::MailerConfig {
            smtp: Some(smtp),
            links: rungs_app::MailLinks::new(&app.address),
            remind_days: 3,
            every: Duration::from_secs(60),
        };
        let (stopper, stop) = tokio::sync::watch::channel(false);
        Some(Mail {
            sink,
            mailer: rungs_mail::Mailer::new(app.app.clone(), config),
            stop,
            _stopper: stopper,
        })
    }

    /// Runs a round of the mailer; the one mail to `address` that says `line`, and the link
    /// under that line (the path on the test server).
    pub async fn received(&self, app: &TestApp, address: &str, line: &str) -> (Received, String) {
        self.mailer.round(&self.stop).await.unwrap();
        let messages = self.sink.messages();
        let mut found = messages
            .iter()
            .filter(|message| message.to == [address] && message.body.contains(line));
        let Some(message) = found.next() else {
            let to_them: Vec<_> =
                messages.iter().filter(|message| message.to == [address]).collect();
            panic!("no mail to {address} says {line:?}; theirs: {to_them:#?}");
        };
        assert!(found.next().is_none(), "told twice: {line}");
        let link = message
            .body
            .lines()
            .skip_while(|text| !text.contains(line))
            .nth(1)
            .and_then(|link| link.strip_prefix(&app.address))
            .unwrap_or_else(|| panic!("no link under {line:?} in {}", message.body))
            .to_owned();
        (message.clone(), link)
    }
}
