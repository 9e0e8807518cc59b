//! The notice sweep's reads and writes (`migrations/*/0016_mail_notices.sql`), for both
//! backends: the marks of the notices a cycle's participants and nominations were owed, and
//! the write that queues new notices with their marks, guarded so that two sweeps racing each
//! other (two servers on one PostgreSQL) cannot both queue one.

use std::future::Future;

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::assess::CycleName;
use rungs_core::notify::{NoticeKind, PeerProgress};
use rungs_core::org::PersonId;

use crate::cells::{BatchDecoder, Cells};
use crate::sql::{Expect, Param, Query, Statement, Value};
use crate::{Storage, StoreError};

/// The marks of everyone in a cycle who was owed a notice.
const MARKS_OF_CYCLE: &str = "SELECT m.person_id, m.marks FROM notice_marks m \
     JOIN cycles c ON c.pk = m.cycle_pk WHERE c.name = $1";

/// A participant's marks move from `$4` to `$2` in an open cycle: refused (no row) when
/// another sweep moved them first.
const SET_MARKS: &str = "INSERT INTO notice_marks (cycle_pk, person_id, marks) \
     SELECT c.pk, $1, $2 FROM cycles c WHERE c.name = $3 AND c.state = 'open' \
     ON CONFLICT (cycle_pk, person_id) DO UPDATE SET marks = excluded.marks \
     WHERE notice_marks.marks = $4";

/// A nomination's marks move from `$5` to `$1`, in the same way, while it is in the state
/// `$6` the sweep read (a nomination withdrawn, declined or decided since owes nothing).
const SET_NOMINATION_MARKS: &str = "UPDATE peer_nominations SET notified = $1 \
     WHERE cycle_pk = (SELECT pk FROM cycles WHERE name = $2 AND state = 'open') \
     AND subject_id = $3 AND peer_id = $4 AND notified = $5 AND state = $6";

const QUEUE_NOTICE: &str = "INSERT INTO notices \
     (recipient_id, kind, cycle_pk, subject_id, due, queued_at) \
     SELECT $1, $2, c.pk, $3, $4, $5 FROM cycles c WHERE c.name = $6";

/// A page of a cycle's live nominations after (subject, peer) `($2, $3)`, in key order, with
/// whether the peer's feedback is submitted.
const NOMINATIONS_AFTER: &str = "SELECT n.subject_id, n.peer_id, n.state, n.notified, \
     CASE WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.cycle_pk = n.cycle_pk \
       AND a.subject_id = n.subject_id AND a.assessor_id = n.peer_id AND a.kind = 'peer' \
       AND a.status = 'submitted') THEN 1 ELSE 0 END \
     FROM peer_nominations n JOIN cycles c ON c.pk = n.cycle_pk \
     WHERE c.name = $1 AND n.state IN ('proposed', 'approved') \
     AND (n.subject_id > $2 OR (n.subject_id = $2 AND n.peer_id > $3)) \
     ORDER BY n.subject_id, n.peer_id LIMIT $4";

/// The people who turned reminders off.
const WITHOUT_REMINDERS: &str = "SELECT person_id FROM mail_preferences WHERE reminders = 0";

#[cfg(test)]
pub(crate) const ALL: &[&str] = &[
    MARKS_OF_CYCLE,
    SET_MARKS,
    SET_NOMINATION_MARKS,
    QUEUE_NOTICE,
    NOMINATIONS_AFTER,
    WITHOUT_REMINDERS,
];

/// Where a cycle's marks go: the caller's compact index of people.
pub trait MarkSink: Send + 'static {
    /// `person` (an id as stored) has `marks` (bits of [`NoticeKind::bit`]) in the cycle.
    fn add(&mut self, person: &str, marks: u16);
}

struct MarkDecoder<S>(S);

impl<S: MarkSink> BatchDecoder for MarkDecoder<S> {
    type Output = S;

    fn row(&mut self, _read: usize, row: &dyn Cells) -> Result<(), StoreError> {
        let marks = u16::try_from(row.integer(1)?).unwrap_or(u16::MAX);
        self.0.add(&row.str(0)?, marks);
        Ok(())
    }

    fn finish(self) -> Result<S, StoreError> {
        Ok(self.0)
    }
}

/// A live nomination as the sweep reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweptNomination {
    pub subject: PersonId,
    pub peer: PersonId,
    pub progress: PeerProgress,
    pub marks: u16,
}

/// A notice to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub recipient: PersonId,
    pub kind: NoticeKind,
    /// Whom it is about.
    pub subject: PersonId,
    pub due: Option<Date>,
}

/// Whose marks move, from what to what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkOwner {
    Participant(PersonId),
    Nomination { subject: PersonId, peer: PersonId, approved: bool },
}

/// One sweep write: marks moving from `before` to `after`, and the notices they queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedNotices {
    pub owner: MarkOwner,
    pub before: u16,
    pub after: u16,
    pub notices: Vec<NewNotice>,
}

fn text(value: &str) -> Param {
    Param::Value(Value::text(value))
}

fn number(value: i64) -> Param {
    Param::Value(Value::integer(value))
}

/// Epoch milliseconds, as the mail tables keep time.
pub(crate) fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

fn marked_statements(cycle: &CycleName, marked: &MarkedNotices, at: Timestamp) -> Vec<Statement> {
    let raced = format!("another server noticed cycle `{cycle}` first");
    let guard = match &marked.owner {
        MarkOwner::Participant(person) => Statement {
            sql: SET_MARKS,
            params: vec![
                text(person.as_str()),
                number(i64::from(marked.after)),
                text(cycle.as_str()),
                number(i64::from(marked.before)),
            ],
            expect: Expect::OneRow(raced),
        },
        MarkOwner::Nomination { subject, peer, approved } => Statement {
            sql: SET_NOMINATION_MARKS,
            params: vec![
                number(i64::from(marked.after)),
                text(cycle.as_str()),
                text(subject.as_str()),
                text(peer.as_str()),
                number(i64::from(marked.before)),
                text(if *approved { "approved" } else { "proposed" }),
            ],
            expect: Expect::OneRow(raced),
        },
    };
    let mut statements = vec![guard];
    statements.extend(marked.notices.iter().map(|notice| Statement {
        sql: QUEUE_NOTICE,
        params: vec![
            text(notice.recipient.as_str()),
            text(notice.kind.as_str()),
            text(notice.subject.as_str()),
            Param::Value(Value::optional_text(notice.due.map(|due| due.to_string()))),
            number(millis(at)),
            text(cycle.as_str()),
        ],
        expect: Expect::OneRow(format!("cycle `{cycle}` is gone")),
    }));
    statements
}

/// The notice sweep's reads and writes, for every store.
pub trait NoticeMarks: Storage + Sync {
    /// Hands `sink` the marks of everyone owed a notice in cycle `cycle`, and gives it back.
    fn notice_marks<S: MarkSink>(
        &self,
        cycle: &CycleName,
        sink: S,
    ) -> impl Future<Output = Result<S, StoreError>> + Send {
        let query = Query::new(MARKS_OF_CYCLE, vec![Value::text(cycle.as_str())]);
        self.fetch_decoded(vec![query], MarkDecoder(sink))
    }

    /// Up to `limit` of cycle `cycle`'s proposed and approved nominations after `after`
    /// (subject, peer), in that order: a sweep pages through them.
    fn nominations_to_notice(
        &self,
        cycle: &CycleName,
        after: Option<(&PersonId, &PersonId)>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<SweptNomination>, StoreError>> + Send {
        let (subject, peer) =
            after.map_or(("", ""), |(subject, peer)| (subject.as_str(), peer.as_str()));
        let query = Query::new(
            NOMINATIONS_AFTER,
            vec![
                Value::text(cycle.as_str()),
                Value::text(subject),
                Value::text(peer),
                Value::integer(i64::from(limit)),
            ],
        );
        async move {
            self.fetch(query)
                .await?
                .iter()
                .map(|row| {
                    Ok(SweptNomination {
                        subject: crate::decode::person_id(&row.str(0)?)?,
                        peer: crate::decode::person_id(&row.str(1)?)?,
                        progress: PeerProgress {
                            approved: row.str(2)? == "approved",
                            submitted: row.integer(4)? != 0,
                        },
                        marks: u16::try_from(row.integer(3)?).unwrap_or(u16::MAX),
                    })
                })
                .collect()
        }
    }

    /// The people who turned reminders off.
    fn without_reminders(&self) -> impl Future<Output = Result<Vec<PersonId>, StoreError>> + Send {
        async move {
            self.fetch(Query::new(WITHOUT_REMINDERS, vec![]))
                .await?
                .iter()
                .map(|row| crate::decode::person_id(&row.str(0)?))
                .collect()
        }
    }

    /// Moves each of `marked`'s marks and queues its notices, all in one transaction: when
    /// another sweep moved any of the marks first, nothing is written and
    /// [`StoreError::Conflict`] says so.
    fn queue_notices(
        &self,
        cycle: &CycleName,
        marked: &[MarkedNotices],
        at: Timestamp,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let changes: Vec<Vec<Statement>> =
            marked.iter().map(|marked| marked_statements(cycle, marked, at)).collect();
        async move {
            if !changes.is_empty() {
                self.run(changes).await?;
            }
            Ok(())
        }
    }
}

impl<S: Storage + Sync> NoticeMarks for S {}
