//! Terminal and JSON views of the mail queue and of a person's mail settings.

use std::fmt::Write as _;

use rungs_app::MailQueueView;
use rungs_core::notify::MailPreferences;

use super::org::table;

/// The queue: its numbers, the newest waiting notices, the newest mails.
pub fn mail_queue(queue: &MailQueueView) -> String {
    let counts = &queue.counts;
    let mut out = format!(
        "{} notices waiting for a mail; mails: {} to send, {} sent, {} failed.\n",
        counts.waiting, counts.queued, counts.sent, counts.failed
    );
    if !queue.waiting.is_empty() {
        let mut rows = table(vec!["To", "Notice"]);
        for queued in &queue.waiting {
            let notice = &queued.notice;
            rows.add_row(vec![
                queued.recipient_name.clone(),
                notice.kind.line(&notice.subject_name, notice.cycle.as_str(), notice.due),
            ]);
        }
        let _ = write!(out, "\nWaiting (newest first):\n{rows}\n");
    }
    if !queue.mails.is_empty() {
        let mut rows = table(vec!["To", "Subject", "State", "Attempts", "Error"]);
        for mail in &queue.mails {
            rows.add_row(vec![
                if mail.address.is_empty() {
                    mail.recipient_name.clone()
                } else {
                    format!("{} <{}>", mail.recipient_name, mail.address)
                },
                mail.subject.clone(),
                mail.state.as_str().to_owned(),
                mail.attempts.to_string(),
                mail.last_error.clone().unwrap_or_default(),
            ]);
        }
        let _ = write!(out, "\nMails (newest first):\n{rows}\n");
    }
    if counts.waiting == 0 && queue.mails.is_empty() {
        out.push_str("Notices queue here when a cycle opens, work is asked of someone, a due date nears or passes, or an outcome is ready.\n");
    }
    out
}

/// The queue as `rungs mail queue --json` gives it.
pub fn mail_queue_json(queue: &MailQueueView) -> serde_json::Value {
    serde_json::json!({
        "counts": queue.counts,
        "waiting": queue.waiting.iter().map(|queued| {
            let notice = &queued.notice;
            serde_json::json!({
                "recipient": queued.recipient,
                "recipient_name": queued.recipient_name,
                "kind": notice.kind,
                "cycle": notice.cycle,
                "subject": notice.subject,
                "text": notice.kind.line(&notice.subject_name, notice.cycle.as_str(), notice.due),
                "queued_at": queued.queued_at,
            })
        }).collect::<Vec<_>>(),
        "mails": queue.mails.iter().map(|mail| serde_json::json!({
            "id": mail.key,
            "recipient": mail.recipient,
            "recipient_name": mail.recipient_name,
            "address": mail.address,
            "subject": mail.subject,
            "body": mail.body,
            "state": mail.state,
            "attempts": mail.attempts,
            "created_at": mail.created_at,
            "sent_at": mail.sent_at,
            "error": mail.last_error,
        })).collect::<Vec<_>>(),
    })
}

pub fn mail_settings(name: &str, preferences: MailPreferences) -> String {
    let reminders = if preferences.reminders { "on" } else { "off" };
    let pace = if preferences.digest { "in one mail a day at most" } else { "as things happen" };
    format!("{name}: reminders {reminders}; mail comes {pace}. New work always reaches them.\n")
}
