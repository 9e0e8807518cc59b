//! The reads a person's tasks are computed from, for both backends: the assessments they write
//! in open cycles, which of their reports have agreed ratings (or peer nominations to approve)
//! there, and the open actions of
//! their current plan and of others' plans they own. Each is bounded by the person's own
//! records and span, never by the org.

use std::future::Future;

use rungs_core::assess::{
    AssessmentId, AssessmentKind, AssessmentStatus, CycleName, OwnAssessment, PlanAction,
};
use rungs_core::org::PersonId;

use crate::cells::Cells;
use crate::decode::{corrupt, cycle_name, person_id};
use crate::sql::{Query, Row, Value};
use crate::{Storage, StoreError};

/// Every assessment the person writes in an open cycle, every revision.
/// Each with whether anything is rated in it.
const OWN_IN_OPEN_CYCLES: &str = "SELECT c.name, a.kind, a.subject_id, a.pk, a.status, a.revision, \
     CASE WHEN EXISTS (SELECT 1 FROM ratings r WHERE r.assessment_pk = a.pk) THEN 1 ELSE 0 END \
     FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk WHERE a.assessor_id = $1 AND c.state = 'open'";

/// The person's active direct reports with agreed ratings in an open cycle, by cycle.
const REPORTS_AGREED: &str = "SELECT c.name, p.id FROM people p JOIN cycles c ON c.state = 'open' \
     WHERE p.manager_id = $1 AND p.status = 'active' \
     AND EXISTS (SELECT 1 FROM agreements g WHERE g.subject_id = p.id AND g.cycle_pk = c.pk)";

/// The open actions of the person's current plan (their newest), then the open actions they
/// own in others' current plans.
const OPEN_ACTIONS: &str = "SELECT p.subject_id, a.pk, a.expectation_id, a.text, a.owner_id, a.due_on, a.status \
     FROM plan_actions a JOIN growth_plans p ON p.pk = a.plan_pk \
     WHERE p.subject_id = $1 AND a.status IN ('planned', 'in-progress') \
     AND p.pk = (SELECT max(q.pk) FROM growth_plans q WHERE q.subject_id = p.subject_id) \
     UNION ALL \
     SELECT p.subject_id, a.pk, a.expectation_id, a.text, a.owner_id, a.due_on, a.status \
     FROM plan_actions a JOIN growth_plans p ON p.pk = a.plan_pk \
     WHERE a.owner_id = $1 AND p.subject_id <> $1 AND a.status IN ('planned', 'in-progress') \
     AND p.pk = (SELECT max(q.pk) FROM growth_plans q WHERE q.subject_id = p.subject_id)";

/// The open cycles in which the person's own ratings are agreed.
const OWN_AGREED: &str = "SELECT c.name FROM cycles c WHERE c.state = 'open' \
     AND EXISTS (SELECT 1 FROM agreements g WHERE g.subject_id = $1 AND g.cycle_pk = c.pk)";

/// The proposed peer nominations of the person's active direct reports in open cycles: theirs
/// to approve. One row per (cycle, report).
const REPORTS_PROPOSED: &str = "SELECT c.name, n.subject_id FROM peer_nominations n \
     JOIN cycles c ON c.pk = n.cycle_pk JOIN people p ON p.id = n.subject_id \
     WHERE p.manager_id = $1 AND p.status = 'active' AND c.state = 'open' AND n.state = 'proposed' \
     GROUP BY c.name, n.subject_id";

#[cfg(test)]
pub(crate) const ALL: &[&str] =
    &[OWN_IN_OPEN_CYCLES, REPORTS_AGREED, OPEN_ACTIONS, OWN_AGREED, REPORTS_PROPOSED];

/// What a person's tasks are read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskRecords {
    /// The latest revision of each assessment they write in an open cycle.
    pub own: Vec<OwnAssessment>,
    /// (cycle, report) for each report with agreed ratings in an open cycle.
    pub agreed: Vec<(CycleName, PersonId)>,
    /// (whose plan, action): the open actions of their plan and those they own in others'.
    pub actions: Vec<(PersonId, PlanAction)>,
    /// The open cycles in which their own ratings are agreed.
    pub own_agreed: Vec<CycleName>,
    /// (cycle, report) for each report with peer nominations waiting for their approval.
    pub proposed: Vec<(CycleName, PersonId)>,
}

fn own_from_row(row: &Row) -> Result<(OwnAssessment, i64), StoreError> {
    let kind = row.str(1)?;
    let status = row.str(4)?;
    Ok((
        OwnAssessment {
            cycle: cycle_name(&row.str(0)?)?,
            kind: AssessmentKind::parse(&kind).ok_or_else(|| corrupt("assessment kind", &kind))?,
            subject: person_id(&row.str(2)?)?,
            id: AssessmentId::new(row.integer(3)?),
            status: match status.as_ref() {
                "draft" => AssessmentStatus::Draft,
                "submitted" => AssessmentStatus::Submitted,
                _ => return Err(corrupt("assessment status", &status)),
            },
            written: row.integer(6)? == 1,
        },
        row.integer(5)?,
    ))
}

/// The latest revision of each (cycle, kind, subject), in the order they first come.
fn latest_revisions(rows: &[Row]) -> Result<Vec<OwnAssessment>, StoreError> {
    let mut latest: Vec<(OwnAssessment, i64)> = Vec::new();
    let mut found: rustc_hash::FxHashMap<(CycleName, AssessmentKind, PersonId), usize> =
        rustc_hash::FxHashMap::default();
    for row in rows {
        let (own, revision) = own_from_row(row)?;
        let key = (own.cycle.clone(), own.kind, own.subject.clone());
        match found.get(&key) {
            Some(&at) if latest[at].1 < revision => latest[at] = (own, revision),
            Some(_) => {}
            None => {
                found.insert(key, latest.len());
                latest.push((own, revision));
            }
        }
    }
    Ok(latest.into_iter().map(|(own, _)| own).collect())
}

fn action_from_row(row: &Row) -> Result<(PersonId, PlanAction), StoreError> {
    Ok((person_id(&row.str(0)?)?, crate::record_rows::plan_action(row)?))
}

/// The reads of a person's tasks, for every store.
pub trait TaskReads: Storage + Sync {
    /// What `person`'s tasks are computed from, in one read transaction.
    fn task_records(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<TaskRecords, StoreError>> + Send {
        let param = vec![Value::text(person.as_str())];
        let queries = vec![
            Query::new(OWN_IN_OPEN_CYCLES, param.clone()),
            Query::new(REPORTS_AGREED, param.clone()),
            Query::new(OPEN_ACTIONS, param.clone()),
            Query::new(OWN_AGREED, param.clone()),
            Query::new(REPORTS_PROPOSED, param),
        ];
        async move {
            let mut results = self.fetch_many(queries).await?.into_iter();
            let mut next = || results.next().unwrap_or_default();
            let own = latest_revisions(&next())?;
            let cycle_and_person =
                |row: &Row| Ok((cycle_name(&row.str(0)?)?, person_id(&row.str(1)?)?));
            let agreed =
                next().iter().map(cycle_and_person).collect::<Result<Vec<_>, StoreError>>()?;
            let actions = next().iter().map(action_from_row).collect::<Result<Vec<_>, _>>()?;
            let own_agreed = next()
                .iter()
                .map(|row| cycle_name(&row.str(0)?))
                .collect::<Result<Vec<_>, StoreError>>()?;
            let proposed =
                next().iter().map(cycle_and_person).collect::<Result<Vec<_>, StoreError>>()?;
            Ok(TaskRecords { own, agreed, actions, own_agreed, proposed })
        }
    }
}

impl<S: Storage + Sync> TaskReads for S {}
