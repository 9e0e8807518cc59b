//! The mail queue (`migrations/*/0016_mail_notices.sql`), for both backends: gathering a
//! person's waiting notices into one mail, the lease a sender takes on a mail while it sends
//! it (so that two senders never send one mail), the record of what was sent or failed, the
//! queue as the admin page shows it, and each person's mail preferences.

use std::future::Future;

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::assess::CycleName;
use rungs_core::notify::{MailPreferences, NoticeKind};
use rungs_core::org::PersonId;

use crate::cells::Cells;
use crate::decode::{corrupt, cycle_name, person_id};
use crate::notice_marks::millis;
use crate::sql::{Expect, Param, Query, Row, Statement, Value};
use crate::{Storage, StoreError};

/// The people with notices waiting for a mail, those waiting longest first.
/// Someone on a daily digest whose last mail was composed after `$1` waits: they are not
/// listed, so that they never hold back the others.
const WAITING_RECIPIENTS: &str = "SELECT n.recipient_id, min(n.pk) FROM notices n \
     WHERE n.mail_pk IS NULL AND NOT EXISTS (SELECT 1 FROM mail_preferences p \
       WHERE p.person_id = n.recipient_id AND p.digest = 1 \
       AND EXISTS (SELECT 1 FROM mails m WHERE m.recipient_id = n.recipient_id AND m.created_at > $1)) \
     GROUP BY n.recipient_id ORDER BY min(n.pk) LIMIT $2";

/// A person's waiting notices, oldest first, with the names of whom they are about.
const WAITING_OF: &str = "SELECT n.pk, n.kind, c.name, n.subject_id, coalesce(s.name, n.subject_id), n.due \
     FROM notices n JOIN cycles c ON c.pk = n.cycle_pk LEFT JOIN people s ON s.id = n.subject_id \
     WHERE n.recipient_id = $1 AND n.mail_pk IS NULL ORDER BY n.pk LIMIT $2";

const PERSON: &str = "SELECT name, email FROM people WHERE id = $1 AND status = 'active'";

const PREFERENCES: &str = "SELECT reminders, digest FROM mail_preferences WHERE person_id = $1";

const LAST_MAIL: &str = "SELECT max(created_at) FROM mails WHERE recipient_id = $1";

const INSERT_MAIL: &str = "INSERT INTO mails \
     (recipient_id, address, subject, body, state, next_attempt_at, created_at, last_error) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING pk";

const ATTACH_NOTICE: &str = "UPDATE notices SET mail_pk = $1 WHERE pk = $2 AND mail_pk IS NULL";

/// Mails due to be sent that no sender holds.
const DUE_MAILS: &str = "SELECT pk FROM mails WHERE state = 'queued' AND next_attempt_at <= $1 \
     AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, pk LIMIT $2";

const CLAIM: &str = "UPDATE mails SET lease_until = $1, attempts = attempts + 1 \
     WHERE pk = $2 AND state = 'queued' AND next_attempt_at <= $3 \
     AND (lease_until IS NULL OR lease_until < $3)";

/// A mail's columns as `stored_mail` decodes them, with its recipient's name.
macro_rules! mails_where {
    ($rest:literal) => {
        concat!(
            "SELECT m.pk, m.recipient_id, m.address, m.subject, m.body, m.attempts, m.state, ",
            "m.created_at, m.sent_at, m.last_error, coalesce(p.name, m.recipient_id), ",
            "m.lease_until ",
            "FROM mails m LEFT JOIN people p ON p.id = m.recipient_id ",
            $rest
        )
    };
}

const MAIL: &str = mails_where!("WHERE m.pk = $1");

/// What a sender records of a mail it holds: only while its lease (`lease_until` as it took
/// it) is still the mail's, so that a sender whose lease ran out records nothing over the one
/// that took the mail next.
const SENT: &str = "UPDATE mails SET state = 'sent', sent_at = $1, lease_until = NULL, \
     last_error = NULL WHERE pk = $2 AND state = 'queued' AND lease_until = $3";

const RETRY: &str = "UPDATE mails SET next_attempt_at = $1, lease_until = NULL, last_error = $2 \
     WHERE pk = $3 AND state = 'queued' AND lease_until = $4";

const GIVE_UP: &str = "UPDATE mails SET state = 'failed', lease_until = NULL, last_error = $1 \
     WHERE pk = $2 AND state = 'queued' AND lease_until = $3";

/// The notices of closed cycles that no mail carried: too late to tell.
const DROP_CLOSED: &str = "DELETE FROM notices WHERE mail_pk IS NULL \
     AND cycle_pk IN (SELECT pk FROM cycles WHERE state = 'closed')";

/// A waiting notice dropped unsaid: its task was done before a mail carried it.
const DROP_NOTICE: &str = "DELETE FROM notices WHERE pk = $1 AND mail_pk IS NULL";

/// Failed mails with an address, queued again from scratch.
const REQUEUE_FAILED: &str = "UPDATE mails SET state = 'queued', attempts = 0, \
     next_attempt_at = $1, lease_until = NULL, last_error = NULL \
     WHERE state = 'failed' AND address <> ''";

const MAIL_COUNTS: &str = "SELECT state, count(*) FROM mails GROUP BY state";

const WAITING_COUNT: &str = "SELECT count(*) FROM notices WHERE mail_pk IS NULL";

const RECENT_MAILS: &str = mails_where!("ORDER BY m.pk DESC LIMIT $1");

const RECENT_WAITING: &str = "SELECT n.pk, n.kind, c.name, n.subject_id, coalesce(s.name, n.subject_id), n.due, \
     n.recipient_id, coalesce(r.name, n.recipient_id), n.queued_at \
     FROM notices n JOIN cycles c ON c.pk = n.cycle_pk LEFT JOIN people s ON s.id = n.subject_id \
     LEFT JOIN people r ON r.id = n.recipient_id \
     WHERE n.mail_pk IS NULL ORDER BY n.pk DESC LIMIT $1";

const SET_PREFERENCES: &str = "INSERT INTO mail_preferences (person_id, reminders, digest) \
     VALUES ($1, $2, $3) ON CONFLICT (person_id) DO UPDATE \
     SET reminders = excluded.reminders, digest = excluded.digest";

#[cfg(test)]
pub(crate) const ALL: &[&str] = &[
    WAITING_RECIPIENTS,
    WAITING_OF,
    PERSON,
    PREFERENCES,
    LAST_MAIL,
    INSERT_MAIL,
    ATTACH_NOTICE,
    DUE_MAILS,
    CLAIM,
    MAIL,
    SENT,
    RETRY,
    GIVE_UP,
    DROP_CLOSED,
    DROP_NOTICE,
    REQUEUE_FAILED,
    MAIL_COUNTS,
    WAITING_COUNT,
    RECENT_MAILS,
    RECENT_WAITING,
    SET_PREFERENCES,
];

/// A notice waiting for its mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingNotice {
    pub key: i64,
    pub kind: NoticeKind,
    pub cycle: CycleName,
    pub subject: PersonId,
    pub subject_name: String,
    pub due: Option<Date>,
}

/// A waiting notice as the admin page lists it: with whom it goes to and when it was queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedNotice {
    pub notice: WaitingNotice,
    pub recipient: PersonId,
    pub recipient_name: String,
    pub queued_at: Timestamp,
}

/// Someone with notices waiting, as a mail is composed for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecipient {
    /// None when they left (or are not in the org).
    pub name_and_address: Option<(String, Option<String>)>,
    pub preferences: MailPreferences,
    /// When the last mail to them was composed.
    pub last_mail: Option<Timestamp>,
    pub notices: Vec<WaitingNotice>,
}

/// Where a mail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailState {
    Queued,
    Sent,
    Failed,
}

impl MailState {
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Queued => "queued",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<MailState, StoreError> {
        match text {
            "queued" => Ok(MailState::Queued),
            "sent" => Ok(MailState::Sent),
            "failed" => Ok(MailState::Failed),
            _ => Err(corrupt("mail state", text)),
        }
    }
}

/// A mail as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMail {
    pub key: i64,
    pub recipient: PersonId,
    /// Their name as the org has it now (their id when they are not in it).
    pub recipient_name: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    /// Sending attempts started.
    pub attempts: u32,
    pub state: MailState,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub last_error: Option<String>,
    /// Until when the sender that took it holds it (epoch milliseconds); what it records of
    /// the mail names this lease.
    pub lease: Option<i64>,
}

/// A mail to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub recipient: PersonId,
    pub address: String,
    pub subject: String,
    pub body: String,
    /// Kept as failed at once, with this reason: there is nowhere to send it.
    pub undeliverable: Option<String>,
    /// The notices it carries.
    pub notices: Vec<i64>,
}

/// The queue in numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MailCounts {
    /// Notices waiting for a mail.
    pub waiting: u64,
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
}

fn text(value: &str) -> Param {
    Param::Value(Value::text(value))
}

fn number(value: i64) -> Param {
    Param::Value(Value::integer(value))
}

fn instant(millis: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(millis).map_err(|_| corrupt("time", &millis.to_string()))
}

fn waiting_notice(row: &Row) -> Result<WaitingNotice, StoreError> {
    let kind = row.str(1)?;
    Ok(WaitingNotice {
        key: row.integer(0)?,
        kind: NoticeKind::parse(&kind).ok_or_else(|| corrupt("notice kind", &kind))?,
        cycle: cycle_name(&row.str(2)?)?,
        subject: person_id(&row.str(3)?)?,
        subject_name: row.text(4)?,
        due: row.optional_str(5)?.map(|due| crate::decode::date(&due)).transpose()?,
    })
}

fn stored_mail(row: &Row) -> Result<StoredMail, StoreError> {
    Ok(StoredMail {
        key: row.integer(0)?,
        recipient: person_id(&row.str(1)?)?,
        address: row.text(2)?,
        subject: row.text(3)?,
        body: row.text(4)?,
        attempts: u32::try_from(row.integer(5)?).unwrap_or(u32::MAX),
        state: MailState::parse(&row.str(6)?)?,
        created_at: instant(row.integer(7)?)?,
        sent_at: row.optional_integer(8)?.map(instant).transpose()?,
        last_error: row.optional_text(9)?,
        recipient_name: row.text(10)?,
        lease: row.optional_integer(11)?,
    })
}

fn preferences(rows: &[Row]) -> Result<MailPreferences, StoreError> {
    match rows.first() {
        None => Ok(MailPreferences::default()),
        Some(row) => {
            Ok(MailPreferences { reminders: row.integer(0)? != 0, digest: row.integer(1)? != 0 })
        }
    }
}

/// How many rows the one `Expect::Count` statement of a batch wrote.
fn rows_written(keys: &[Option<i64>]) -> u64 {
    keys.first().copied().flatten().and_then(|count| u64::try_from(count).ok()).unwrap_or(0)
}

fn lease(mail: &StoredMail) -> Param {
    Param::Value(Value::Integer(mail.lease))
}

fn lease_lost(mail: &StoredMail) -> String {
    format!("mail {} is no longer held by this sender: its lease ran out", mail.key)
}

/// The statements setting a person's mail preferences, for a change with its audit entry.
pub(crate) fn set_preferences_statement(
    person: &PersonId,
    preferences: MailPreferences,
) -> Statement {
    Statement {
        sql: SET_PREFERENCES,
        params: vec![
            text(person.as_str()),
            number(i64::from(preferences.reminders)),
            number(i64::from(preferences.digest)),
        ],
        expect: Expect::Count,
    }
}

/// The mail queue, for every store.
pub trait MailQueue: Storage + Sync {
    /// Up to `limit` people with notices waiting for a mail, those waiting longest first.
    /// Those on a digest with a mail composed after `digest_since` wait.
    fn waiting_recipients(
        &self,
        digest_since: Timestamp,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<PersonId>, StoreError>> + Send {
        let query = Query::new(
            WAITING_RECIPIENTS,
            vec![Value::integer(millis(digest_since)), Value::integer(i64::from(limit))],
        );
        async move { self.fetch(query).await?.iter().map(|row| person_id(&row.str(0)?)).collect() }
    }

    /// What composing `person`'s mail needs: who they are, what they want, their last mail,
    /// and up to `limit` of their waiting notices.
    fn mail_recipient(
        &self,
        person: &PersonId,
        limit: u32,
    ) -> impl Future<Output = Result<MailRecipient, StoreError>> + Send {
        let id = Value::text(person.as_str());
        let queries = vec![
            Query::new(PERSON, vec![id.clone()]),
            Query::new(PREFERENCES, vec![id.clone()]),
            Query::new(LAST_MAIL, vec![id.clone()]),
            Query::new(WAITING_OF, vec![id, Value::integer(i64::from(limit))]),
        ];
        async move {
            let results = self.fetch_many(queries).await?;
            let [person, preference, last, waiting] = results.as_slice() else {
                return Err(StoreError::Corrupt("a mail recipient's reads went missing".into()));
            };
            let name_and_address = person
                .first()
                .map(|row| Ok::<_, StoreError>((row.text(0)?, row.optional_text(1)?)))
                .transpose()?;
            let last_mail = match last.first() {
                Some(row) => row.optional_integer(0)?.map(instant).transpose()?,
                None => None,
            };
            Ok(MailRecipient {
                name_and_address,
                preferences: preferences(preference)?,
                last_mail,
                notices: waiting.iter().map(waiting_notice).collect::<Result<_, _>>()?,
            })
        }
    }

    /// Keeps `mail` with its notices attached, in one transaction, and gives its key. When
    /// another sender attached one of the notices first, nothing is kept
    /// ([`StoreError::Conflict`]).
    fn keep_mail(
        &self,
        mail: &NewMail,
        at: Timestamp,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send {
        let state = if mail.undeliverable.is_some() { "failed" } else { "queued" };
        let insert = vec![Statement {
            sql: INSERT_MAIL,
            params: vec![
                text(mail.recipient.as_str()),
                text(&mail.address),
                text(&mail.subject),
                text(&mail.body),
                text(state),
                number(millis(at)),
                number(millis(at)),
                Param::Value(Value::optional_text(mail.undeliverable.clone())),
            ],
            expect: Expect::Key("the mail was not kept".to_owned()),
        }];
        let attach: Vec<Statement> = mail
            .notices
            .iter()
            .map(|notice| Statement {
                sql: ATTACH_NOTICE,
                params: vec![Param::KeyOf(0), number(*notice)],
                expect: Expect::OneRow("another sender took this notice first".to_owned()),
            })
            .collect();
        async move {
            let keys = self.run(vec![insert, attach]).await?;
            keys.first()
                .copied()
                .flatten()
                .ok_or_else(|| StoreError::Task("the mail was kept without a key".into()))
        }
    }

    /// Takes up to `limit` mails due at `now` for sending, each held until `lease_until`: a
    /// mail another sender holds is left to it. Each taking counts as an attempt.
    fn claim_mails(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredMail>, StoreError>> + Send {
        async move {
            let due = self
                .fetch(Query::new(
                    DUE_MAILS,
                    vec![Value::integer(millis(now)), Value::integer(i64::from(limit))],
                ))
                .await?;
            let mut claimed = Vec::new();
            for row in due {
                let key = row.integer(0)?;
                let claim = Statement {
                    sql: CLAIM,
                    params: vec![number(millis(lease_until)), number(key), number(millis(now))],
                    expect: Expect::OneRow("another sender took this mail".to_owned()),
                };
                match self.run(vec![vec![claim]]).await {
                    Ok(_) => {}
                    Err(StoreError::Conflict(_)) => continue,
                    Err(error) => return Err(error),
                }
                let rows = self.fetch(Query::new(MAIL, vec![Value::integer(key)])).await?;
                if let Some(row) = rows.first() {
                    claimed.push(stored_mail(row)?);
                }
            }
            Ok(claimed)
        }
    }

    /// Records `mail` (as claimed) as sent at `at`. Refused ([`StoreError::Conflict`]) when
    /// its lease is no longer this sender's.
    fn mail_sent(
        &self,
        mail: &StoredMail,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let statement = Statement {
            sql: SENT,
            params: vec![number(millis(at)), number(mail.key), lease(mail)],
            expect: Expect::OneRow(lease_lost(mail)),
        };
        async move { self.run(vec![vec![statement]]).await.map(|_| ()) }
    }

    /// Records a failed attempt at `mail` (as claimed): tried again at `retry_at`, or,
    /// without one, given up. Refused as [`Self::mail_sent`] is.
    fn mail_failed(
        &self,
        mail: &StoredMail,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let statement = match retry_at {
            Some(at) => Statement {
                sql: RETRY,
                params: vec![number(millis(at)), text(error), number(mail.key), lease(mail)],
                expect: Expect::OneRow(lease_lost(mail)),
            },
            None => Statement {
                sql: GIVE_UP,
                params: vec![text(error), number(mail.key), lease(mail)],
                expect: Expect::OneRow(lease_lost(mail)),
            },
        };
        async move { self.run(vec![vec![statement]]).await.map(|_| ()) }
    }

    /// Drops the notices of closed cycles no mail carried; gives how many.
    fn drop_closed_notices(&self) -> impl Future<Output = Result<u64, StoreError>> + Send {
        let statement = Statement { sql: DROP_CLOSED, params: vec![], expect: Expect::Count };
        async move { Ok(rows_written(&self.run(vec![vec![statement]]).await?)) }
    }

    /// Drops the waiting notices `keys` unsaid (those a mail carries already stay).
    fn drop_notices(&self, keys: &[i64]) -> impl Future<Output = Result<(), StoreError>> + Send {
        let statements: Vec<Statement> = keys
            .iter()
            .map(|key| Statement {
                sql: DROP_NOTICE,
                params: vec![number(*key)],
                expect: Expect::Count,
            })
            .collect();
        async move {
            if !statements.is_empty() {
                self.run(vec![statements]).await?;
            }
            Ok(())
        }
    }

    /// Queues every failed mail that has an address again, its attempts from scratch, due
    /// at `now`; gives how many.
    fn requeue_failed_mails(
        &self,
        now: Timestamp,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send {
        let statement = Statement {
            sql: REQUEUE_FAILED,
            params: vec![number(millis(now))],
            expect: Expect::Count,
        };
        async move { Ok(rows_written(&self.run(vec![vec![statement]]).await?)) }
    }

    /// How many notices wait and how many mails are in each state.
    fn mail_counts(&self) -> impl Future<Output = Result<MailCounts, StoreError>> + Send {
        let queries = vec![Query::new(MAIL_COUNTS, vec![]), Query::new(WAITING_COUNT, vec![])];
        async move {
            let results = self.fetch_many(queries).await?;
            let mut counts = MailCounts::default();
            for row in results.first().map(Vec::as_slice).unwrap_or_default() {
                let count = u64::try_from(row.integer(1)?).unwrap_or_default();
                match MailState::parse(&row.str(0)?)? {
                    MailState::Queued => counts.queued = count,
                    MailState::Sent => counts.sent = count,
                    MailState::Failed => counts.failed = count,
                }
            }
            if let Some(row) = results.get(1).and_then(|rows| rows.first()) {
                counts.waiting = u64::try_from(row.integer(0)?).unwrap_or_default();
            }
            Ok(counts)
        }
    }

    /// The newest `limit` mails, newest first.
    fn recent_mails(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredMail>, StoreError>> + Send {
        let query = Query::new(RECENT_MAILS, vec![Value::integer(i64::from(limit))]);
        async move { self.fetch(query).await?.iter().map(stored_mail).collect() }
    }

    /// The newest `limit` notices waiting for a mail, newest first.
    fn recent_waiting_notices(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<QueuedNotice>, StoreError>> + Send {
        let query = Query::new(RECENT_WAITING, vec![Value::integer(i64::from(limit))]);
        async move {
            self.fetch(query)
                .await?
                .iter()
                .map(|row| {
                    Ok(QueuedNotice {
                        notice: waiting_notice(row)?,
                        recipient: person_id(&row.str(6)?)?,
                        recipient_name: row.text(7)?,
                        queued_at: instant(row.integer(8)?)?,
                    })
                })
                .collect()
        }
    }

    /// What `person` wants by mail (the defaults when they never said).
    fn mail_preferences(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<MailPreferences, StoreError>> + Send {
        let query = Query::new(PREFERENCES, vec![Value::text(person.as_str())]);
        async move { preferences(&self.fetch(query).await?) }
    }
}

impl<S: Storage + Sync> MailQueue for S {}
