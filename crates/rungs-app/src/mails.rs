//! Mails from the notice queue: gathering each person's waiting notices into one mail (a
//! daily digest for those who asked for one), taking mails to send and recording what became
//! of them, the queue as an admin sees it, and each person's mail preferences.

use jiff::{SignedDuration, Timestamp};
use rungs_core::assess::TaskKind;
use rungs_core::notify::{MailLine, MailPreferences, compose_mail, retry_after};
use rungs_core::org::PersonId;
use rungs_store::{
    Change, MailCounts, MailQueue, NewMail, QueuedNotice, StoreError, StoredMail, WaitingNotice,
};

use crate::audit::Audit;
use crate::{App, AppError};

/// People whose mails one round composes at most.
pub const MAILS_PER_ROUND: u32 = 100;
/// Notices one mail carries at most; the rest go in the next.
pub const NOTICES_PER_MAIL: u32 = 500;
/// A digest goes at most this often.
pub const DIGEST_EVERY: SignedDuration = SignedDuration::from_hours(24);
/// How long a mail waits after its SMTP server could not be reached.
pub const UNREACHABLE_RETRY: SignedDuration = SignedDuration::from_mins(5);

/// What a failed attempt at a mail says of the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Nothing can mend it: an address that cannot receive mail, a message that cannot be
    /// built. Given up at once.
    Permanent,
    /// The SMTP server answered, and refused: tried again a few times, then given up.
    Refused,
    /// The SMTP server could not be reached (or timed out): tried again every few minutes,
    /// never given up.
    Unreachable,
}

/// What the admin page lists of each.
pub const QUEUE_LISTED: u32 = 50;

/// Where mails' links lead: the server as browsers reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLinks {
    /// Such as `https://rungs.example.com`, without a trailing slash.
    base: String,
}

impl MailLinks {
    pub fn new(public_url: &str) -> MailLinks {
        MailLinks { base: public_url.trim_end_matches('/').to_owned() }
    }

    /// The task page.
    pub fn home(&self) -> String {
        format!("{}/", self.base)
    }

    /// Where reminders are turned off.
    pub fn settings(&self) -> String {
        format!("{}/account#mail", self.base)
    }

    /// The page that opens the task a notice is about, for whoever follows it.
    pub fn task(&self, notice: &WaitingNotice) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("cycle", notice.cycle.as_str())
            .append_pair("task", task_name(notice.kind.task()))
            .append_pair("subject", notice.subject.as_str())
            .finish();
        format!("{}/tasks/open?{query}", self.base)
    }
}

/// A task kind as links name it.
pub fn task_name(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::SelfAssessment => "self-assessment",
        TaskKind::PeerFeedback => "peer-feedback",
        TaskKind::ApprovePeers => "approve-peers",
        TaskKind::ManagerAssessment => "manager-assessment",
        TaskKind::Agreement => "agreement",
        TaskKind::Acknowledgement => "acknowledgement",
        TaskKind::PlanAction => "plan-action",
    }
}

/// A task kind from its name in a link.
pub fn parse_task_name(text: &str) -> Option<TaskKind> {
    [
        TaskKind::SelfAssessment,
        TaskKind::PeerFeedback,
        TaskKind::ApprovePeers,
        TaskKind::ManagerAssessment,
        TaskKind::Agreement,
        TaskKind::Acknowledgement,
        TaskKind::PlanAction,
    ]
    .into_iter()
    .find(|kind| task_name(*kind) == text)
}

/// The queue as the admin page shows it.
#[derive(Debug, Clone)]
pub struct MailQueueView {
    pub counts: MailCounts,
    /// The newest notices waiting for a mail.
    pub waiting: Vec<QueuedNotice>,
    /// The newest mails.
    pub mails: Vec<StoredMail>,
}

impl App {
    /// Gathers the waiting notices of up to [`MAILS_PER_ROUND`] people into one mail each;
    /// gives how many mails were kept. A person on a digest whose last mail is less than a
    /// day old waits. Notices whose task is done are dropped unsaid (with no mail when none is
    /// left). Someone with no address gets a mail kept as failed, so that the admin page says
    /// why it was never sent.
    pub async fn compose_mails(&self, links: &MailLinks) -> Result<u32, AppError> {
        let now = self.now();
        // A cycle closed before its notices went out: too late to tell them.
        self.store.drop_closed_notices().await?;
        let digest_since = now.checked_sub(DIGEST_EVERY).unwrap_or(Timestamp::MIN);
        let recipients = self.store.waiting_recipients(digest_since, MAILS_PER_ROUND).await?;
        let mut kept = 0;
        for person in recipients {
            let recipient = self.store.mail_recipient(&person, NOTICES_PER_MAIL).await?;
            let digest = recipient.preferences.digest;
            if digest && recipient.last_mail.is_some_and(|last| last > digest_since) {
                continue;
            }
            // A notice stands while its task does: what was done since it was queued (a
            // digest waits up to a day) is not told. Someone who left has no tasks here.
            let tasks = match recipient.name_and_address {
                Some(_) => self.tasks_of(&person).await?.tasks,
                None => Vec::new(),
            };
            let open: rustc_hash::FxHashSet<(TaskKind, &str, &str)> = tasks
                .iter()
                .filter_map(|task| {
                    Some((task.kind, task.cycle.as_ref()?.as_str(), task.subject.as_str()))
                })
                .collect();
            let current: Vec<&WaitingNotice> = recipient
                .notices
                .iter()
                .filter(|notice| {
                    open.contains(&(
                        notice.kind.task(),
                        notice.cycle.as_str(),
                        notice.subject.as_str(),
                    ))
                })
                .collect();
            let Some(first) = current.first() else {
                let keys: Vec<i64> = recipient.notices.iter().map(|notice| notice.key).collect();
                self.store.drop_notices(&keys).await?;
                continue;
            };
            // One line per task: peers proposed one by one ask one approval.
            let mut told = rustc_hash::FxHashSet::default();
            let lines: Vec<MailLine> = current
                .iter()
                .filter(|notice| told.insert((notice.kind, &notice.cycle, &notice.subject)))
                .map(|notice| MailLine {
                    text: notice.kind.line(&notice.subject_name, notice.cycle.as_str(), notice.due),
                    link: links.task(notice),
                })
                .collect();
            let single = first.kind.subject_line(&first.subject_name, first.cycle.as_str());
            let (name, address, undeliverable) = match recipient.name_and_address {
                None => (person.to_string(), String::new(), Some("they are not in the org now")),
                Some((name, Some(address))) if !address.trim().is_empty() => (name, address, None),
                Some((name, _)) => (name, String::new(), Some("they have no email address")),
            };
            let text =
                compose_mail(&name, &lines, &single, digest, &links.home(), &links.settings());
            let mail = NewMail {
                recipient: person.clone(),
                address,
                subject: text.subject,
                body: text.body,
                undeliverable: undeliverable.map(str::to_owned),
                notices: recipient.notices.iter().map(|notice| notice.key).collect(),
            };
            match self.store.keep_mail(&mail, now).await {
                Ok(_) => kept += 1,
                // Another server composed this person's mail first.
                Err(StoreError::Conflict(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(kept)
    }

    /// Takes up to `limit` mails due now for sending, each held for `lease`: long enough to
    /// send it, after which another sender may try again.
    pub async fn claim_mails(
        &self,
        lease: SignedDuration,
        limit: u32,
    ) -> Result<Vec<StoredMail>, AppError> {
        let now = self.now();
        let until = now.checked_add(lease).unwrap_or(Timestamp::MAX);
        Ok(self.store.claim_mails(now, until, limit).await?)
    }

    /// Records that `mail` (as claimed) was accepted by the SMTP server.
    pub async fn mail_sent(&self, mail: &StoredMail) -> Result<(), AppError> {
        Ok(self.store.mail_sent(mail, self.now()).await?)
    }

    /// Records a failed attempt at `mail` (as claimed), as `failure` says: tried again later,
    /// or given up once its attempts are spent, at once when nothing can mend it; a server
    /// that cannot be reached is tried again every few minutes, however long it takes.
    pub async fn mail_failed(
        &self,
        mail: &StoredMail,
        error: &str,
        failure: Failure,
    ) -> Result<(), AppError> {
        let retry = match failure {
            Failure::Permanent => None,
            Failure::Refused => retry_after(mail.attempts),
            Failure::Unreachable => Some(UNREACHABLE_RETRY),
        };
        let at = retry.and_then(|wait| self.now().checked_add(wait).ok());
        Ok(self.store.mail_failed(mail, error, at).await?)
    }

    /// Queues every failed mail with an address again, its attempts from scratch: after the
    /// SMTP server's set-up was mended. Gives how many.
    pub async fn retry_failed_mails(&self) -> Result<u64, AppError> {
        Ok(self.store.requeue_failed_mails(self.now()).await?)
    }

    /// The queue: its numbers, the newest waiting notices and the newest mails.
    pub async fn mail_queue(&self) -> Result<MailQueueView, AppError> {
        Ok(MailQueueView {
            counts: self.store.mail_counts().await?,
            waiting: self.store.recent_waiting_notices(QUEUE_LISTED).await?,
            mails: self.store.recent_mails(QUEUE_LISTED).await?,
        })
    }

    /// What `person` wants by mail.
    pub async fn mail_preferences(&self, person: &PersonId) -> Result<MailPreferences, AppError> {
        Ok(self.store.mail_preferences(person).await?)
    }

    /// Sets what `person` wants by mail, with its audit entry.
    pub async fn set_mail_preferences(
        &self,
        person: &PersonId,
        preferences: MailPreferences,
    ) -> Result<MailPreferences, AppError> {
        let before = self.store.mail_preferences(person).await?;
        let named = self.person(person.as_str()).await?;
        let audit = Audit::new("mail.preferences", format!("mail preferences of {}", named.name))
            .person(person)
            .before(serde_json::to_value(before).unwrap_or_default())
            .after(serde_json::to_value(preferences).unwrap_or_default());
        let change = Change::SetMailPreferences { person: person.clone(), preferences };
        self.write(vec![change], audit).await?;
        Ok(preferences)
    }
}
