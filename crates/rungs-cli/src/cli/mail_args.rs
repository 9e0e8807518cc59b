//! The grammar of `rungs mail`: the notice queue, and what each person wants by mail.

use clap::{Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// The mail queue: notices waiting for a mail, and the newest mails with what became of
    /// each (sent, failed and why). `rungs serve --smtp URL` sends them.
    Queue {
        #[arg(long)]
        json: bool,
    },
    /// Queue every failed mail that has an address again, its attempts from scratch: after
    /// the SMTP server (or its set-up) was mended.
    Retry {
        #[arg(long)]
        json: bool,
    },
    /// Queue what the open cycles owe now (what `rungs serve` does every minute), without
    /// sending anything: for a look at the queue before mail is set up, or a scheduled job.
    Sweep {
        /// Days before a due date that reminders go out (0: on the day).
        #[arg(long, value_name = "DAYS", default_value_t = rungs_core::notify::DEFAULT_REMIND_DAYS, value_parser = clap::value_parser!(u8).range(0..=i64::from(rungs_core::notify::MAX_REMIND_DAYS)))]
        remind_days: u8,
        #[arg(long)]
        json: bool,
    },
    /// What a person wants by mail; with --reminders or --digest, change it. New work always
    /// reaches them; reminders are theirs to turn off.
    Settings {
        /// The person: a name, an email or an id.
        person: String,
        /// Reminders before due dates and notices of late steps.
        #[arg(long, value_name = "ON|OFF")]
        reminders: Option<Switch>,
        /// At most one mail a day, carrying everything since the last.
        #[arg(long, value_name = "ON|OFF")]
        digest: Option<Switch>,
        #[arg(long)]
        json: bool,
    },
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn is_on(self) -> bool {
        self == Switch::On
    }
}
