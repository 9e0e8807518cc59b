//! The admin page "Mail": whether this server sends mail, the notices waiting for a mail, and
//! the newest mails with what became of each (sent, failed and why, attempts), with their text.

use askama::Template;
use askama_web::WebTemplate;
use jiff::Timestamp;

use super::Layout;
use crate::auth::Acting;
use crate::error::PageError;

/// A waiting notice as the page lists it.
pub struct WaitingRow {
    pub recipient: String,
    pub recipient_name: String,
    pub text: String,
    pub queued_at: String,
}

/// A mail as the page lists it.
pub struct MailRow {
    pub recipient: String,
    pub recipient_name: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub state: &'static str,
    pub attempts: u32,
    pub created_at: String,
    pub sent_at: String,
    pub error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "mail.html")]
pub struct MailPage {
    pub layout: Layout,
    pub sending: bool,
    pub counts: rungs_store::MailCounts,
    pub waiting: Vec<WaitingRow>,
    pub mails: Vec<MailRow>,
    pub listed: u32,
}

/// A time as the page shows it: to the minute, UTC.
fn at(timestamp: Timestamp) -> String {
    timestamp.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

pub async fn show(Acting(state): Acting) -> Result<MailPage, PageError> {
    let queue = state.app.mail_queue().await?;
    let waiting = queue
        .waiting
        .iter()
        .map(|queued| {
            let notice = &queued.notice;
            WaitingRow {
                recipient: queued.recipient.to_string(),
                recipient_name: queued.recipient_name.clone(),
                text: notice.kind.line(&notice.subject_name, notice.cycle.as_str(), notice.due),
                queued_at: at(queued.queued_at),
            }
        })
        .collect();
    let mails = queue
        .mails
        .iter()
        .map(|mail| MailRow {
            recipient: mail.recipient.to_string(),
            recipient_name: mail.recipient_name.clone(),
            address: if mail.address.is_empty() {
                mail.recipient.to_string()
            } else {
                mail.address.clone()
            },
            subject: mail.subject.clone(),
            body: mail.body.clone(),
            state: mail.state.as_str(),
            attempts: mail.attempts,
            created_at: at(mail.created_at),
            sent_at: mail.sent_at.map(at).unwrap_or_default(),
            error: mail.last_error.clone().unwrap_or_default(),
        })
        .collect();
    Ok(MailPage {
        layout: Layout::of(&state),
        sending: state.mail_sending,
        counts: queue.counts,
        waiting,
        mails,
        listed: rungs_app::QUEUE_LISTED,
    })
}
