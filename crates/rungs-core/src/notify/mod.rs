//! Mail notices: which ones a cycle's progress calls for on a day (the cycle opening, work
//! assigned, reminders before due dates, overdue steps, outcomes ready), each owed once, and
//! the short plain texts of the mails that carry them. Like the rest of the core, nothing here
//! reads a clock, a database or a socket: the sweep that applies these rules and the sender
//! that delivers the mails live at the edge.

mod delivery;
mod mail_text;
mod notice;
mod preferences;

pub use delivery::{MAX_MAIL_ATTEMPTS, retry_after};
pub use mail_text::{MAX_MAIL_LINES, MailLine, MailText, compose_mail};
pub use notice::{
    DEFAULT_REMIND_DAYS, MAX_REMIND_DAYS, NoticeKind, NoticeMarks, Owed, PeerProgress, Recipient,
};
pub use preferences::MailPreferences;
