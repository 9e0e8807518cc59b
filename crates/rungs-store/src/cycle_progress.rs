//! The read of a cycle's progress, for both backends: what has happened for each person in
//! the cycle (their self and manager assessments started or submitted, ratings agreed, the
//! outcome acknowledged), handed to a sink as flags, one row at a time, so that a cycle of
//! 100,000 people is tallied without its rows held.

use std::future::Future;

use rungs_core::assess::{CycleName, StepFlags};

use crate::cells::{BatchDecoder, Cells};
use crate::decode::corrupt;
use crate::sql::{Query, Value};
use crate::{Storage, StoreError};

/// Every self and manager assessment of the cycle, every revision.
const ASSESSED: &str = "SELECT a.subject_id, a.kind, a.status FROM assessments a \
     JOIN cycles c ON c.pk = a.cycle_pk WHERE c.name = $1 AND a.kind IN ('self', 'manager')";

/// The people with agreed ratings in the cycle, once per submitted manager assessment: a
/// look-up in the agreements' key (subject, cycle) each, not a pass over every rating.
const AGREED: &str = "SELECT a.subject_id FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk \
     WHERE c.name = $1 AND a.kind = 'manager' AND a.status = 'submitted' \
     AND EXISTS (SELECT 1 FROM agreements g WHERE g.subject_id = a.subject_id AND g.cycle_pk = a.cycle_pk)";

/// The people who acknowledged their outcome of the cycle as it now stands: an agreement
/// after the acknowledgement asks for a new one.
const ACKNOWLEDGED: &str = "SELECT k.subject_id FROM acknowledgements k \
     JOIN cycles c ON c.pk = k.cycle_pk WHERE c.name = $1 \
     AND k.acknowledged_at >= (SELECT max(g.agreed_at) FROM agreements g \
     WHERE g.subject_id = k.subject_id AND g.cycle_pk = k.cycle_pk)";

/// The same three reads, of one manager's direct reports only: bounded by their span.
const UNDER: &str = " AND {subject} IN (SELECT id FROM people WHERE manager_id = $2)";

fn under(sql: &str, subject: &str) -> String {
    format!("{sql}{}", UNDER.replace("{subject}", subject))
}

#[cfg(test)]
pub(crate) const ALL: &[&str] = &[ASSESSED, AGREED, ACKNOWLEDGED];

/// Where a cycle's flags go: the caller's compact index of people.
pub trait StepSink: Send + 'static {
    /// `subject` (an id as stored) has `flags` (bits of [`StepFlags`]) in the cycle.
    fn add(&mut self, subject: &str, flags: u8);
}

struct StepDecoder<S>(S);

impl<S: StepSink> BatchDecoder for StepDecoder<S> {
    type Output = S;

    fn row(&mut self, read: usize, row: &dyn Cells) -> Result<(), StoreError> {
        let flags = match read {
            0 => {
                let (kind, status) = (row.str(1)?, row.str(2)?);
                match (kind.as_ref(), status.as_ref()) {
                    ("self", "draft") => StepFlags::SELF_STARTED,
                    ("self", _) => StepFlags::SELF_STARTED | StepFlags::SELF_SUBMITTED,
                    ("manager", "draft") => StepFlags::MANAGER_STARTED,
                    ("manager", _) => StepFlags::MANAGER_STARTED | StepFlags::MANAGER_SUBMITTED,
                    _ => return Err(corrupt("assessment kind", &kind)),
                }
            }
            1 => StepFlags::AGREED,
            _ => StepFlags::ACKNOWLEDGED,
        };
        self.0.add(&row.str(0)?, flags);
        Ok(())
    }

    fn finish(self) -> Result<S, StoreError> {
        Ok(self.0)
    }
}

/// The read of a cycle's progress, for every store.
pub trait CycleProgressReads: Storage + Sync {
    /// Hands `sink` the flags of everyone with a record in cycle `cycle`, in one read
    /// transaction, and gives it back.
    fn cycle_step_flags<S: StepSink>(
        &self,
        cycle: &CycleName,
        sink: S,
    ) -> impl Future<Output = Result<S, StoreError>> + Send {
        let param = vec![Value::text(cycle.as_str())];
        let queries = vec![
            Query::new(ASSESSED, param.clone()),
            Query::new(AGREED, param.clone()),
            Query::new(ACKNOWLEDGED, param),
        ];
        self.fetch_decoded(queries, StepDecoder(sink))
    }

    /// As [`Self::cycle_step_flags`], for the direct reports of `manager` only.
    fn cycle_step_flags_under<S: StepSink>(
        &self,
        cycle: &CycleName,
        manager: &rungs_core::org::PersonId,
        sink: S,
    ) -> impl Future<Output = Result<S, StoreError>> + Send {
        let param = vec![Value::text(cycle.as_str()), Value::text(manager.as_str())];
        let queries = vec![
            Query::new(under(ASSESSED, "a.subject_id"), param.clone()),
            Query::new(under(AGREED, "a.subject_id"), param.clone()),
            Query::new(under(ACKNOWLEDGED, "k.subject_id"), param),
        ];
        self.fetch_decoded(queries, StepDecoder(sink))
    }
}

impl<S: Storage + Sync> CycleProgressReads for S {}
