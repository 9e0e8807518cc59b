//! Peer nominations (`migrations/*/0014_peer_nominations.sql`): the writes of nominating,
//! deciding and declining, and the reads of a person's nominations, for both backends.

use std::future::Future;

use jiff::Timestamp;
use rungs_core::assess::{CycleName, Nomination, NominationState};
use rungs_core::org::PersonId;

use crate::cells::Cells;
use crate::decode::{corrupt, cycle_name, person_id};
use crate::sql::{Expect, Param, Query, Row, Statement, Value};
use crate::{Storage, StoreError};

/// Nominates a peer in an open cycle, within `MAX_PEERS` asked or proposed (writers racing
/// each other cannot pass it); a rejected proposal is proposed (or approved) again. Anything
/// else already there refuses it.
const NOMINATE: &str = "INSERT INTO peer_nominations \
     (cycle_pk, subject_id, peer_id, state, nominated_by, nominated_at, anonymous) \
     SELECT c.pk, $1, $2, $3, $4, $5, $6 FROM cycles c WHERE c.name = $7 AND c.state = 'open' \
     AND (SELECT count(*) FROM peer_nominations x WHERE x.cycle_pk = c.pk AND x.subject_id = $1 \
          AND x.state IN ('proposed', 'approved')) < $8 \
     ON CONFLICT (cycle_pk, subject_id, peer_id) DO UPDATE SET state = excluded.state, \
     nominated_by = excluded.nominated_by, nominated_at = excluded.nominated_at, \
     anonymous = excluded.anonymous, \
     decided_by = NULL, decided_at = NULL, reason = NULL \
     WHERE peer_nominations.state = 'rejected'";

/// The approved nomination a peer assessment created directly stands on, unless the batch (or
/// an earlier one) made it already: an imported history, a draft asked for without one.
const NOMINATION_OF_ASSESSMENT: &str = "INSERT INTO peer_nominations \
     (cycle_pk, subject_id, peer_id, state, nominated_by, nominated_at) \
     SELECT c.pk, $1, $2, 'approved', 'with the assessment', $3 FROM cycles c WHERE c.name = $4 \
     ON CONFLICT (cycle_pk, subject_id, peer_id) DO NOTHING";

/// Approves or rejects a proposal in an open cycle; an approval asks the peer under the
/// feedback policy of the moment.
const DECIDE: &str = "UPDATE peer_nominations SET state = $1, decided_by = $2, decided_at = $3, \
     anonymous = CASE WHEN $1 = 'approved' THEN $4 ELSE anonymous END \
     WHERE state = 'proposed' AND subject_id = $5 AND peer_id = $6 \
     AND cycle_pk = (SELECT pk FROM cycles WHERE name = $7 AND state = 'open')";

/// A peer declines an approved nomination in an open cycle, before they submitted anything.
const DECLINE: &str = "UPDATE peer_nominations SET state = 'declined', decided_by = $1, decided_at = $2, reason = $3 \
     WHERE state = 'approved' AND subject_id = $4 AND peer_id = $5 \
     AND cycle_pk = (SELECT pk FROM cycles WHERE name = $6 AND state = 'open') \
     AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.cycle_pk = peer_nominations.cycle_pk \
       AND a.subject_id = $4 AND a.assessor_id = $5 AND a.kind = 'peer' AND a.status = 'submitted')";

/// Withdraws a proposed or approved nomination in an open cycle whose feedback is not
/// submitted: the row goes, and the peer may be nominated again.
const WITHDRAW: &str = "DELETE FROM peer_nominations \
     WHERE state IN ('proposed', 'approved') AND subject_id = $1 AND peer_id = $2 \
     AND cycle_pk = (SELECT pk FROM cycles WHERE name = $3 AND state = 'open') \
     AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.cycle_pk = peer_nominations.cycle_pk \
       AND a.subject_id = $1 AND a.assessor_id = $2 AND a.kind = 'peer' AND a.status = 'submitted')";

/// The peer drafts a decline (or a withdrawal) removes: the declining peer's of the subject in the cycle.
macro_rules! declined_drafts {
    () => {
        "SELECT a.pk FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk \
         WHERE c.name = $1 AND a.subject_id = $2 AND a.assessor_id = $3 \
         AND a.kind = 'peer' AND a.status = 'draft'"
    };
}
const DELETE_DECLINED_EVIDENCE: &str =
    concat!("DELETE FROM evidence WHERE assessment_pk IN (", declined_drafts!(), ")");
const DELETE_DECLINED_RATINGS: &str =
    concat!("DELETE FROM ratings WHERE assessment_pk IN (", declined_drafts!(), ")");
const DELETE_DECLINED_DRAFTS: &str =
    concat!("DELETE FROM assessments WHERE pk IN (", declined_drafts!(), ")");

/// A read of nominations with the columns `nomination_from_row` decodes, narrowed by `$where`.
macro_rules! nominations_where {
    ($where:literal) => {
        concat!(
            "SELECT c.name, n.subject_id, n.peer_id, n.state, n.nominated_by, n.decided_by, n.reason, ",
            "n.anonymous ",
            "FROM peer_nominations n JOIN cycles c ON c.pk = n.cycle_pk WHERE ",
            $where,
            // Bounded: `MAX_PEERS` live nominations per cycle, and those rejected or declined.
            " ORDER BY c.opened_at, c.pk, n.nominated_at, n.peer_id LIMIT 200"
        )
    };
}

/// A person's nominations in one cycle.
const IN_CYCLE: &str = nominations_where!("c.name = $1 AND n.subject_id = $2");

/// A person's nominations in the open cycles.
const IN_OPEN_CYCLES: &str = nominations_where!("n.subject_id = $1 AND c.state = 'open'");

/// The nominations asked of a peer in the open cycles.
const ASKED_OF: &str = nominations_where!("n.peer_id = $1 AND c.state = 'open'");

/// The peers asked for feedback on a person anonymously, every cycle: one row per
/// (cycle, peer), bounded by the person's own nominations.
const ANONYMOUS_PEERS_OF: &str = "SELECT c.name, n.peer_id FROM peer_nominations n \
     JOIN cycles c ON c.pk = n.cycle_pk WHERE n.subject_id = $1 AND n.anonymous = 1";

#[cfg(test)]
pub(crate) const ALL: &[&str] = &[
    NOMINATE,
    NOMINATION_OF_ASSESSMENT,
    DECIDE,
    DECLINE,
    WITHDRAW,
    DELETE_DECLINED_EVIDENCE,
    DELETE_DECLINED_RATINGS,
    DELETE_DECLINED_DRAFTS,
    IN_CYCLE,
    IN_OPEN_CYCLES,
    ASKED_OF,
    ANONYMOUS_PEERS_OF,
];

fn text(value: &str) -> Param {
    Param::Value(Value::text(value))
}

fn at(timestamp: Timestamp) -> Param {
    Param::Value(Value::text(timestamp.to_string()))
}

fn flag(value: bool) -> Param {
    Param::Value(Value::integer(i64::from(value)))
}

/// The statement of a nomination that starts as `state`.
pub(crate) fn nominate_statement(
    cycle: &CycleName,
    subject: &PersonId,
    peer: &PersonId,
    state: NominationState,
    by: &str,
    when: Timestamp,
    anonymous: bool,
) -> Statement {
    Statement {
        sql: NOMINATE,
        params: vec![
            text(subject.as_str()),
            text(peer.as_str()),
            text(state.as_str()),
            text(by),
            at(when),
            flag(anonymous),
            text(cycle.as_str()),
            Param::Value(Value::integer(
                i64::try_from(rungs_core::assess::MAX_PEERS).unwrap_or(i64::MAX),
            )),
        ],
        expect: Expect::OneRow(format!(
            "`{peer}` is already nominated for `{subject}`, `{subject}` has {} peers asked already, or cycle `{cycle}` is not open",
            rungs_core::assess::MAX_PEERS
        )),
    }
}

/// The statement giving a new peer assessment its approved nomination, when it has none.
pub(crate) fn nomination_of_statement(new: &crate::NewAssessment) -> Statement {
    Statement {
        sql: NOMINATION_OF_ASSESSMENT,
        params: vec![
            text(new.subject.as_str()),
            text(new.assessor.as_str()),
            at(new.created_at),
            text(new.cycle.as_str()),
        ],
        expect: Expect::Count,
    }
}

/// The statement approving (or rejecting) a proposal.
pub(crate) fn decide_statement(
    cycle: &CycleName,
    subject: &PersonId,
    peer: &PersonId,
    approve: bool,
    by: &str,
    when: Timestamp,
    anonymous: bool,
) -> Statement {
    let state = if approve { NominationState::Approved } else { NominationState::Rejected };
    Statement {
        sql: DECIDE,
        params: vec![
            text(state.as_str()),
            text(by),
            at(when),
            flag(anonymous),
            text(subject.as_str()),
            text(peer.as_str()),
            text(cycle.as_str()),
        ],
        expect: Expect::OneRow(format!(
            "`{peer}` is no longer proposed for `{subject}` in an open cycle `{cycle}`"
        )),
    }
}

/// The statements of a peer's decline: the nomination, then their draft and its ratings.
pub(crate) fn decline_statements(
    cycle: &CycleName,
    subject: &PersonId,
    peer: &PersonId,
    reason: &str,
    by: &str,
    when: Timestamp,
) -> Vec<Statement> {
    let mut statements = vec![Statement {
        sql: DECLINE,
        params: vec![
            text(by),
            at(when),
            text(reason),
            text(subject.as_str()),
            text(peer.as_str()),
            text(cycle.as_str()),
        ],
        expect: Expect::OneRow(format!(
            "`{peer}` has no approved nomination for `{subject}` in an open cycle `{cycle}` that is not yet submitted"
        )),
    }];
    let params = vec![text(cycle.as_str()), text(subject.as_str()), text(peer.as_str())];
    for sql in [DELETE_DECLINED_EVIDENCE, DELETE_DECLINED_RATINGS] {
        statements.push(Statement { sql, params: params.clone(), expect: Expect::Count });
    }
    // Exactly the one draft: a submission that won a race with the decline leaves none, and
    // the whole decline is refused.
    statements.push(Statement {
        sql: DELETE_DECLINED_DRAFTS,
        params,
        expect: Expect::OneRow(format!(
            "`{peer}`'s feedback on `{subject}` is no longer a draft: it cannot be declined"
        )),
    });
    statements
}

/// The statements of a withdrawal: the nomination, then the peer's draft (if approved) and
/// what was written in it.
pub(crate) fn withdraw_statements(
    cycle: &CycleName,
    subject: &PersonId,
    peer: &PersonId,
) -> Vec<Statement> {
    let mut statements = vec![Statement {
        sql: WITHDRAW,
        params: vec![text(subject.as_str()), text(peer.as_str()), text(cycle.as_str())],
        expect: Expect::OneRow(format!(
            "`{peer}` has no nomination for `{subject}` in an open cycle `{cycle}` that may be withdrawn"
        )),
    }];
    let params = vec![text(cycle.as_str()), text(subject.as_str()), text(peer.as_str())];
    for sql in [DELETE_DECLINED_EVIDENCE, DELETE_DECLINED_RATINGS, DELETE_DECLINED_DRAFTS] {
        statements.push(Statement { sql, params: params.clone(), expect: Expect::Count });
    }
    statements
}

fn nomination_from_row(row: &Row) -> Result<Nomination, StoreError> {
    let state = row.str(3)?;
    Ok(Nomination {
        cycle: cycle_name(&row.str(0)?)?,
        subject: person_id(&row.str(1)?)?,
        peer: person_id(&row.str(2)?)?,
        state: NominationState::parse(&state).ok_or_else(|| corrupt("nomination state", &state))?,
        nominated_by: row.str(4)?.into_owned(),
        decided_by: row.optional_text(5)?,
        reason: row.optional_text(6)?,
        anonymous: row.integer(7)? != 0,
    })
}

fn nominations(rows: &[Row]) -> Result<Vec<Nomination>, StoreError> {
    rows.iter().map(nomination_from_row).collect()
}

/// The reads of peer nominations, for every store.
pub trait Nominations: Storage + Sync {
    /// `subject`'s nominations in cycle `cycle`, every state, in the order they were made.
    fn nominations_in(
        &self,
        cycle: &CycleName,
        subject: &PersonId,
    ) -> impl Future<Output = Result<Vec<Nomination>, StoreError>> + Send {
        let query =
            Query::new(IN_CYCLE, vec![Value::text(cycle.as_str()), Value::text(subject.as_str())]);
        async move { nominations(&self.fetch(query).await?) }
    }

    /// `subject`'s nominations in the open cycles, oldest cycle first.
    fn open_nominations_of(
        &self,
        subject: &PersonId,
    ) -> impl Future<Output = Result<Vec<Nomination>, StoreError>> + Send {
        let query = Query::new(IN_OPEN_CYCLES, vec![Value::text(subject.as_str())]);
        async move { nominations(&self.fetch(query).await?) }
    }

    /// The peers asked for feedback on `subject` anonymously, every cycle.
    fn anonymous_peers_of(
        &self,
        subject: &PersonId,
    ) -> impl Future<Output = Result<Vec<(CycleName, PersonId)>, StoreError>> + Send {
        let query = Query::new(ANONYMOUS_PEERS_OF, vec![Value::text(subject.as_str())]);
        async move {
            self.fetch(query)
                .await?
                .iter()
                .map(|row| Ok((cycle_name(&row.str(0)?)?, person_id(&row.str(1)?)?)))
                .collect()
        }
    }

    /// The nominations asked of `peer` in the open cycles, every state.
    fn nominations_asked_of(
        &self,
        peer: &PersonId,
    ) -> impl Future<Output = Result<Vec<Nomination>, StoreError>> + Send {
        let query = Query::new(ASKED_OF, vec![Value::text(peer.as_str())]);
        async move { nominations(&self.fetch(query).await?) }
    }
}

impl<S: Storage + Sync> Nominations for S {}
