//! Rungs' mail sender: the background work of `rungs serve`. Every round it sweeps the open
//! cycles for the notices they owe (queued in the database, whether or not mail is set up),
//! then, with an SMTP server configured, gathers each person's notices into a mail and sends
//! the mails due, one at a time, each held by a lease while it is sent.
//!
//! Exactly once, as far as SMTP allows: a mail is recorded as sent only once the SMTP server
//! accepted it, and a sender stopped in the middle (a restart, a crash) leaves the mail it
//! held to be sent again when its lease ends. Only a crash between the server's acceptance and
//! the record of it (a few milliseconds) sends a mail twice. Several servers on one database
//! share the work: the sweep's marks and the leases keep them from doing any of it twice.

mod smtp;

use std::time::Duration;

use jiff::SignedDuration;
use lettre::message::Mailbox;
use rungs_app::{App, AppError, MailLinks};
use rungs_store::StoredMail;
use tokio::sync::watch;

pub use smtp::{SmtpError, SmtpSender};

/// What the mailer does, as `rungs serve` was told.
#[derive(Debug, Clone)]
pub struct MailerConfig {
    /// Where mails go; none to keep them queued.
    pub smtp: Option<SmtpSender>,
    pub links: MailLinks,
    /// Days before a due date that reminders go out.
    pub remind_days: u8,
    /// How long between rounds.
    pub every: Duration,
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub queued: u64,
    pub composed: u32,
    pub sent: u32,
    pub failed: u32,
}

/// The mailer of one server.
#[derive(Debug, Clone)]
pub struct Mailer {
    app: App,
    config: MailerConfig,
}

impl Mailer {
    pub fn new(app: App, config: MailerConfig) -> Mailer {
        Mailer { app, config }
    }

    /// Whether mails are sent (an SMTP server is configured).
    pub fn sends(&self) -> bool {
        self.config.smtp.is_some()
    }

    /// One round: sweep, then compose and send what is due, until the queue is empty or
    /// `stop` says to stop (the mail being sent is finished first).
    pub async fn round(&self, stop: &watch::Receiver<bool>) -> Result<Round, AppError> {
        // A sweep that fails (logged) holds back no mail already queued.
        let mut round = Round::default();
        match self.app.sweep_notices(self.config.remind_days).await {
            Ok(swept) => round.queued = swept.queued,
            Err(error) => tracing::error!(target: "rungs::mail", %error, "the notice sweep failed"),
        }
        let Some(smtp) = &self.config.smtp else { return Ok(round) };
        // A batch of people's mails composed, then everything due sent, and again: the first
        // mails of a cycle's opening go out while the rest are still being composed.
        loop {
            let composed = self.app.compose_mails(&self.config.links).await?;
            round.composed += composed;
            self.send_due(smtp, stop, &mut round).await?;
            if composed < rungs_app::MAILS_PER_ROUND || *stop.borrow() {
                break;
            }
        }
        Ok(round)
    }

    /// Sends the mails due, one at a time, until none is left or `stop` says to stop.
    async fn send_due(
        &self,
        smtp: &SmtpSender,
        stop: &watch::Receiver<bool>,
        round: &mut Round,
    ) -> Result<(), AppError> {
        let lease = lease_for(smtp.timeout());
        // The send ends well before the lease does: nobody else may take the mail meanwhile.
        let within = smtp.timeout() * 2;
        while !*stop.borrow() {
            let Some(mail) = self.app.claim_mails(lease, 1).await?.pop() else { break };
            let sent = smtp.send(&mail, within).await;
            let recorded = match &sent {
                Ok(()) => self.app.mail_sent(&mail).await,
                Err(error) => {
                    tracing::warn!(target: "rungs::mail", mail = mail.key, attempt = mail.attempts, %error, "a mail was not sent");
                    self.app.mail_failed(&mail, &error.to_string(), error.failure()).await
                }
            };
            match recorded {
                Ok(()) => {}
                // The lease ran out (a paused process, clocks apart): the sender that holds
                // the mail now records it.
                Err(AppError::Store(rungs_store::StoreError::Conflict(message))) => {
                    tracing::warn!(target: "rungs::mail", mail = mail.key, %message, "a mail's record was left to another sender");
                }
                Err(error) => return Err(error),
            }
            match sent {
                Ok(()) => round.sent += 1,
                Err(error) => {
                    round.failed += 1;
                    // A server that cannot be reached fails every mail alike: the next round
                    // tries again, rather than this one waiting out each.
                    if error.failure() == rungs_app::Failure::Unreachable {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Rounds every [`MailerConfig::every`] until `stop` turns true; the round under way is
    /// finished first (its current mail, not the queue).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                break;
            }
            match self.round(&stop).await {
                Ok(round) if round != Round::default() => tracing::info!(
                    target: "rungs::mail",
                    queued = round.queued,
                    composed = round.composed,
                    sent = round.sent,
                    failed = round.failed,
                    "mail round"
                ),
                Ok(_) => {}
                Err(error) => tracing::error!(target: "rungs::mail", %error, "mail round failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(self.config.every) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// How long a sender holds a mail: twice the SMTP timeout and a margin, longer than any
/// attempt takes, after which another sender (or this one, restarted) may try it again.
pub fn lease_for(timeout: Duration) -> SignedDuration {
    SignedDuration::try_from(timeout * 2 + Duration::from_secs(10))
        .unwrap_or(SignedDuration::from_secs(70))
}

/// The mailbox mails come from, as `--mail-from` gives it: `Rungs <rungs@example.com>`.
pub fn parse_mailbox(text: &str) -> Result<Mailbox, SmtpError> {
    text.parse::<Mailbox>().map_err(|error| SmtpError::From(format!("`{text}`: {error}")))
}

/// A mail as `lettre` sends it, for tests of its headers.
#[doc(hidden)]
pub fn message_of(sender: &SmtpSender, mail: &StoredMail) -> Result<lettre::Message, SmtpError> {
    sender.message(mail)
}
