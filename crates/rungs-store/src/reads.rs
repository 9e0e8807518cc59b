//! Reads and the batch write of cycles, assessments, agreed ratings, growth plans and level
//! changes, written once in portable SQL for both backends.

use std::future::Future;

use jiff::Timestamp;
use rungs_core::ExpectationId;
use rungs_core::assess::{
    ActionId, ActionStatus, Assessment, AssessmentId, AssessmentKind, AssessmentStatus, Cycle,
    CycleName, CycleState, Evidence, ExpectationRating, FrameworkVersion, GrowthPlan, LevelChange,
    PlanAction, PlanId,
};
use rungs_core::org::{Person, PersonId};

use crate::changes::Change;
use crate::decode::{corrupt, cycle_name, date, expectation_id, level_id, person_id, timestamp};
use crate::parsed::Parsed;
use crate::people::{PERSON_COLUMNS, PersonColumns, StoredFramework};
use crate::sql::{Query, Row, Statement, Value, placeholders};
use crate::{Storage, StoreError};

/// An assessment and the stored framework version it is pinned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssessment {
    pub assessment: Assessment,
    pub framework_pk: i64,
}

/// An agreed rating as stored: the framework version and the manager come from the assessment
/// it was recorded on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAgreement {
    pub cycle: CycleName,
    pub subject: PersonId,
    pub expectation: ExpectationId,
    pub rating: String,
    pub agreed_by: PersonId,
    pub assessment: AssessmentId,
    pub framework_pk: i64,
    pub agreed_at: Timestamp,
}

/// Which assessments to read; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentFilter {
    pub id: Option<AssessmentId>,
    pub cycle: Option<CycleName>,
    pub subject: Option<PersonId>,
    pub assessor: Option<PersonId>,
    /// Only submitted assessments that no later revision replaced.
    pub latest_submitted: bool,
    /// Only assessments of these people, when there are any.
    pub subjects: Vec<PersonId>,
}

/// Which agreed ratings to read; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementFilter {
    pub subject: Option<PersonId>,
    pub cycle: Option<CycleName>,
    /// Only agreed ratings of these people, when there are any.
    pub subjects: Vec<PersonId>,
}

/// Every cycle, in no particular order: [`decode_cycles`] puts them in order of opening (by
/// `opened_at` as text, then `pk`), which spares SQLite a sort on every page.
pub(crate) const CYCLES: &str = "SELECT name, state, opened_at, closed_at, pk FROM cycles";
pub(crate) const FRAMEWORK_BY_KEY: &str =
    "SELECT framework_id, version, source, activated_at, pk FROM frameworks WHERE pk = $1";
pub(crate) const FRAMEWORK_BY_VERSION: &str = "SELECT framework_id, version, source, activated_at, pk FROM frameworks \
     WHERE framework_id = $1 AND version = $2 ORDER BY pk DESC LIMIT 1";
pub(crate) const ACTIVE_FRAMEWORK_KEY: &str =
    "SELECT pk FROM frameworks WHERE archived = 0 ORDER BY pk DESC LIMIT 1";
pub(crate) const PLANS: &str =
    "SELECT pk, subject_id, target_level FROM growth_plans WHERE subject_id = $1 ORDER BY pk";
pub(crate) const PLAN_OF_ACTION: &str = "SELECT p.subject_id FROM plan_actions a JOIN growth_plans p ON p.pk = a.plan_pk WHERE a.pk = $1";
pub(crate) const FOCUS: &str = "SELECT f.plan_pk, f.expectation_id FROM plan_focus f JOIN growth_plans p ON p.pk = f.plan_pk \
     WHERE p.subject_id = $1 ORDER BY f.plan_pk, f.position";
pub(crate) const ACTIONS: &str = "SELECT a.plan_pk, a.pk, a.expectation_id, a.text, a.owner_id, a.due_on, a.status \
     FROM plan_actions a JOIN growth_plans p ON p.pk = a.plan_pk WHERE p.subject_id = $1 ORDER BY a.plan_pk, a.due_on, a.pk";
pub(crate) const LEVEL_CHANGES: &str =
    "SELECT from_level, to_level, changed_at FROM level_changes WHERE person_id = $1 ORDER BY pk";
pub(crate) const MANAGER_CHAIN: &str = "WITH RECURSIVE up (id, manager_id, depth) AS ( \
       SELECT id, manager_id, 0 FROM people WHERE id = $1 \
       UNION ALL SELECT p.id, p.manager_id, up.depth + 1 FROM people p JOIN up ON p.id = up.manager_id WHERE up.depth < 10000) \
     SELECT id FROM up WHERE depth > 0 ORDER BY depth";

/// The org version: see `migrations/*/0005_org_version.sql`.
pub(crate) const ORG_VERSION: &str = "SELECT version FROM org_version";
/// Run by every import, in its transaction.
pub(crate) const RAISE_ORG_VERSION: &str = "UPDATE org_version SET version = version + 1";

/// A person (depth 0) and their management chain, nearest first; no rows when there is no
/// such person.
pub(crate) const PERSON_AND_CHAIN: &str = "WITH RECURSIVE up (id, manager_id, depth) AS ( \
       SELECT id, manager_id, 0 FROM people WHERE id = $1 \
       UNION ALL SELECT p.id, p.manager_id, up.depth + 1 FROM people p JOIN up ON p.id = up.manager_id WHERE up.depth < 10000) \
     SELECT id FROM up ORDER BY depth";

/// Every fixed read text, for the test that checks the placeholder invariant.
#[cfg(test)]
pub(crate) const ALL: &[&str] = &[
    CYCLES,
    ACTIVE_FRAMEWORK_KEY,
    ORG_VERSION,
    RAISE_ORG_VERSION,
    ORG_VERSION_AND_FRAMEWORK,
    FRAMEWORK_BY_KEY,
    FRAMEWORK_BY_VERSION,
    PLANS,
    PLAN_OF_ACTION,
    FOCUS,
    ACTIONS,
    LEVEL_CHANGES,
    MANAGER_CHAIN,
    PERSON_AND_CHAIN,
];

fn framework_row(row: &Row) -> Result<StoredFramework, StoreError> {
    Ok(StoredFramework {
        framework_id: row.text(0)?,
        version: row.text(1)?,
        source: row.text(2)?,
        activated_at: row.text(3)?,
        pk: row.integer(4)?,
    })
}

pub(crate) fn person_from_row(row: &Row) -> Result<Person, StoreError> {
    PersonColumns {
        id: row.text(0)?,
        name: row.text(1)?,
        email: row.text(2)?,
        title: row.text(3)?,
        track: row.text(4)?,
        level: row.text(5)?,
        manager_id: row.optional_text(6)?,
        team: row.text(7)?,
        status: row.text(8)?,
    }
    .into_person()
}

/// One person, active or left: the same read on every backend.
pub(crate) async fn person<S: Storage>(store: &S, id: &str) -> Result<Option<Person>, StoreError> {
    let query = Query::new(
        format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"),
        vec![Value::text(id)],
    );
    store.fetch(query).await?.first().map(person_from_row).transpose()
}

/// A person's active direct reports, by name.
pub(crate) async fn direct_reports<S: Storage>(
    store: &S,
    id: &str,
) -> Result<Vec<Person>, StoreError> {
    let query = Query::new(
        format!("SELECT {PERSON_COLUMNS} FROM people WHERE manager_id = $1 AND status = 'active'"),
        vec![Value::text(id)],
    );
    let mut people =
        store.fetch(query).await?.iter().map(person_from_row).collect::<Result<Vec<_>, _>>()?;
    crate::people::sort_by_name(&mut people);
    Ok(people)
}

/// The `WHERE` clause of an assessment filter over `assessments a JOIN cycles c`, and its
/// parameters, numbered from `$1`.
fn assessment_conditions(filter: &AssessmentFilter) -> (String, Vec<Value>) {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut params = Vec::new();
    let mut add = |condition: &str, value: Value| {
        params.push(value);
        conditions.push(format!("{condition} ${}", params.len()));
    };
    if let Some(id) = filter.id {
        add("a.pk =", Value::integer(id.get()));
    }
    if let Some(cycle) = &filter.cycle {
        add("c.name =", Value::text(cycle.as_str()));
    }
    if let Some(subject) = &filter.subject {
        add("a.subject_id =", Value::text(subject.as_str()));
    }
    if let Some(assessor) = &filter.assessor {
        add("a.assessor_id =", Value::text(assessor.as_str()));
    }
    if !filter.subjects.is_empty() {
        conditions.push(format!(
            "a.subject_id IN ({})",
            placeholders(params.len(), filter.subjects.len())
        ));
        params.extend(filter.subjects.iter().map(|subject| Value::text(subject.as_str())));
    }
    if filter.latest_submitted {
        conditions.push(
            // A correction still in draft does not hide what was submitted.
            "a.status = 'submitted' AND NOT EXISTS \
             (SELECT 1 FROM assessments r WHERE r.revises_pk = a.pk AND r.status = 'submitted')"
                .to_owned(),
        );
    }
    (conditions.join(" AND "), params)
}

/// Typed reads and the batch write, for any backend.
pub trait Records: Storage + Sync {
    /// Applies a batch of changes in one transaction, all or nothing. Returns each change's
    /// key: the id of what it created, if it created something.
    fn apply(
        &self,
        changes: &[Change],
    ) -> impl Future<Output = Result<Vec<Option<i64>>, StoreError>> + Send {
        let mut statements: Vec<Vec<Statement>> = changes.iter().map(Change::statements).collect();
        statements.extend(crate::changes::touches(changes));
        self.run(statements)
    }

    /// Every cycle, in the order they were opened.
    fn cycles(&self) -> impl Future<Output = Result<Vec<Cycle>, StoreError>> + Send {
        async move { decode_cycles(&self.fetch(Query::new(CYCLES, vec![])).await?) }
    }

    /// The key of the active framework version, without its text.
    fn active_framework_key(&self) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send {
        async move {
            let rows = self.fetch(Query::new(ACTIVE_FRAMEWORK_KEY, vec![])).await?;
            rows.first().map(|row| row.integer(0)).transpose()
        }
    }

    /// A stored framework version by key.
    fn framework_version(
        &self,
        key: i64,
    ) -> impl Future<Output = Result<Option<StoredFramework>, StoreError>> + Send {
        async move {
            let rows = self.fetch(Query::new(FRAMEWORK_BY_KEY, vec![Value::integer(key)])).await?;
            rows.first().map(framework_row).transpose()
        }
    }

    /// The newest stored copy of a framework version, active or archived.
    fn framework_by_version(
        &self,
        framework_id: &str,
        version: &str,
    ) -> impl Future<Output = Result<Option<StoredFramework>, StoreError>> + Send {
        let params = vec![Value::text(framework_id), Value::text(version)];
        async move {
            let rows = self.fetch(Query::new(FRAMEWORK_BY_VERSION, params)).await?;
            rows.first().map(framework_row).transpose()
        }
    }

    /// Assessments with their ratings and evidence, oldest first.
    fn assessments(
        &self,
        filter: &AssessmentFilter,
    ) -> impl Future<Output = Result<Vec<StoredAssessment>, StoreError>> + Send {
        let queries = assessment_queries(filter);
        async move {
            let [heads, ratings, evidence] = queries;
            let heads = self.fetch(heads).await?;
            let ratings = self.fetch(ratings).await?;
            let evidence = self.fetch(evidence).await?;
            decode_assessments(&heads, &ratings, &evidence)
        }
    }

    /// One assessment by id.
    fn assessment(
        &self,
        id: AssessmentId,
    ) -> impl Future<Output = Result<Option<StoredAssessment>, StoreError>> + Send {
        async move {
            let filter = AssessmentFilter { id: Some(id), ..AssessmentFilter::default() };
            Ok(self.assessments(&filter).await?.into_iter().next())
        }
    }

    /// Agreed ratings, oldest cycle first.
    fn agreements(
        &self,
        filter: &AgreementFilter,
    ) -> impl Future<Output = Result<Vec<StoredAgreement>, StoreError>> + Send {
        let query = agreement_query(filter, AGREEMENTS_IN_CYCLE_ORDER);
        async move { decode_agreements(&self.fetch(query).await?) }
    }

    /// A person's growth plans, oldest first.
    fn growth_plans(
        &self,
        subject: &PersonId,
    ) -> impl Future<Output = Result<Vec<GrowthPlan>, StoreError>> + Send {
        let params = vec![Value::text(subject.as_str())];
        async move {
            let plans = self.fetch(Query::new(PLANS, params.clone())).await?;
            let focus = self.fetch(Query::new(FOCUS, params.clone())).await?;
            let actions = self.fetch(Query::new(ACTIONS, params)).await?;
            decode_plans(&plans, &focus, &actions)
        }
    }

    /// The subject of the plan an action belongs to.
    fn action_subject(
        &self,
        action: ActionId,
    ) -> impl Future<Output = Result<Option<PersonId>, StoreError>> + Send {
        async move {
            let rows =
                self.fetch(Query::new(PLAN_OF_ACTION, vec![Value::integer(action.get())])).await?;
            rows.first().map(|row| person_id(&row.str(0)?)).transpose()
        }
    }

    /// A person's level changes, as imports recorded them, oldest first.
    fn level_changes(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<Vec<LevelChange>, StoreError>> + Send {
        let params = vec![Value::text(person.as_str())];
        async move { decode_level_changes(&self.fetch(Query::new(LEVEL_CHANGES, params)).await?) }
    }

    /// Everything stored about one person, in one round trip; `None` when there is no such
    /// person.
    fn person_records(
        &self,
        id: &PersonId,
    ) -> impl Future<Output = Result<Option<PersonRecords>, StoreError>> + Send {
        let queries = person_queries(id, PersonRow::Read);
        async move { decode_person_records(&self.fetch_many(queries).await?) }
    }

    /// A person's records, in one round trip, without their row: for a caller that knows the
    /// person from the org chart of the version the answer names. Someone unknown has none.
    fn records_at(
        &self,
        id: &PersonId,
    ) -> impl Future<Output = Result<RecordsAt, StoreError>> + Send {
        let queries = person_queries(id, PersonRow::Known);
        async move { decode_records_at(&self.fetch_many(queries).await?) }
    }

    /// The org version: it changes with every import, and only then.
    fn org_version(&self) -> impl Future<Output = Result<i64, StoreError>> + Send {
        async move { decode_org_version(&self.fetch(Query::new(ORG_VERSION, vec![])).await?) }
    }

    /// A person's managers, nearest first.
    fn manager_chain(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<Vec<PersonId>, StoreError>> + Send {
        let params = vec![Value::text(person.as_str())];
        async move {
            let rows = self.fetch(Query::new(MANAGER_CHAIN, params)).await?;
            rows.iter().map(|row| person_id(&row.str(0)?)).collect()
        }
    }

    /// A person's management chain, nearest first; `None` when there is no such person.
    fn chain_of(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<Option<Vec<PersonId>>, StoreError>> + Send {
        let params = vec![Value::text(person.as_str())];
        async move {
            let rows = self.fetch(Query::new(PERSON_AND_CHAIN, params)).await?;
            if rows.is_empty() {
                return Ok(None);
            }
            rows.iter()
                .skip(1)
                .map(|row| person_id(&row.str(0)?))
                .collect::<Result<_, _>>()
                .map(Some)
        }
    }

    /// Everyone active below a manager, directly or not, by name.
    fn reporting_line(
        &self,
        manager: &PersonId,
    ) -> impl Future<Output = Result<Vec<Person>, StoreError>> + Send {
        let params = vec![Value::text(manager.as_str())];
        async move {
            let sql = format!(
                "WITH RECURSIVE below (id) AS ( \
                   SELECT id FROM people WHERE manager_id = $1 AND status = 'active' \
                   UNION ALL SELECT p.id FROM people p JOIN below b ON p.manager_id = b.id WHERE p.status = 'active') \
                 SELECT {PERSON_COLUMNS} FROM people WHERE id IN (SELECT id FROM below)"
            );
            let rows = self.fetch(Query::new(sql, params)).await?;
            let mut people = rows.iter().map(person_from_row).collect::<Result<Vec<_>, _>>()?;
            crate::people::sort_by_name(&mut people);
            Ok(people)
        }
    }
}

impl<S: Storage + Sync> Records for S {}

/// The entry of `expectation` among an assessment's entries, added when missing.
fn entry_for(
    entries: &mut Vec<ExpectationRating>,
    expectation: ExpectationId,
) -> &mut ExpectationRating {
    // Entries are kept in expectation order. On SQLite, ratings arrive in that order (their
    // primary key is assessment and expectation), so a rating's entry is usually added at the
    // end; evidence arrives in the order it was written, and any order gives the same entries.
    let position = match entries.binary_search_by(|entry| entry.expectation.cmp(&expectation)) {
        Ok(position) => position,
        Err(position) => {
            entries.insert(
                position,
                ExpectationRating { expectation, rating: None, evidence: Vec::new() },
            );
            position
        }
    };
    &mut entries[position]
}

fn assessment_head(row: &Row) -> Result<StoredAssessment, StoreError> {
    let kind = row.str(4)?;
    let status = row.str(10)?;
    Ok(StoredAssessment {
        assessment: Assessment {
            id: AssessmentId::new(row.integer(0)?),
            cycle: cycle_name(&row.str(1)?)?,
            subject: person_id(&row.str(2)?)?,
            assessor: person_id(&row.str(3)?)?,
            kind: AssessmentKind::parse(&kind).ok_or_else(|| corrupt("assessment kind", &kind))?,
            current_level: level_id(&row.str(5)?)?,
            target_level: level_id(&row.str(6)?)?,
            framework: FrameworkVersion { framework_id: row.text(7)?, version: row.text(8)? },
            status: AssessmentStatus::parse(&status)
                .ok_or_else(|| corrupt("assessment status", &status))?,
            revision: u32::try_from(row.integer(11)?).unwrap_or(1),
            revises: row.optional_integer(12)?.map(AssessmentId::new),
            superseded_by: row.optional_integer(13)?.map(AssessmentId::new),
            created_at: timestamp(&row.str(14)?)?,
            submitted_at: row.optional_text(15)?.as_deref().map(timestamp).transpose()?,
            entries: Vec::new(),
        },
        framework_pk: row.integer(9)?,
    })
}

/// The three reads of assessments matching a filter: heads, ratings, evidence.
pub(crate) fn assessment_queries(filter: &AssessmentFilter) -> [Query; 3] {
    let (conditions, params) = assessment_conditions(filter);
    let from = format!(
        "FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk JOIN frameworks f ON f.pk = a.framework_pk WHERE {conditions}"
    );
    [
        Query::new(
            format!(
                "SELECT a.pk, c.name, a.subject_id, a.assessor_id, a.kind, a.current_level, a.target_level, \
                 f.framework_id, f.version, a.framework_pk, a.status, a.revision, a.revises_pk, \
                 (SELECT r.pk FROM assessments r WHERE r.revises_pk = a.pk), a.created_at, a.submitted_at \
                 {from} ORDER BY c.opened_at, a.pk"
            ),
            params.clone(),
        ),
        Query::new(
            format!(
                "SELECT assessment_pk, expectation_id, rating FROM ratings WHERE assessment_pk IN (SELECT a.pk {from}) ORDER BY assessment_pk"
            ),
            params.clone(),
        ),
        Query::new(
            format!(
                "SELECT assessment_pk, expectation_id, text, link, observed_on FROM evidence WHERE assessment_pk IN (SELECT a.pk {from}) ORDER BY assessment_pk, pk"
            ),
            params,
        ),
    ]
}

pub(crate) fn decode_assessments(
    heads: &[Row],
    ratings: &[Row],
    evidence: &[Row],
) -> Result<Vec<StoredAssessment>, StoreError> {
    let mut assessments = heads.iter().map(assessment_head).collect::<Result<Vec<_>, _>>()?;
    // Ratings and evidence name their assessment by key: a whole cycle's read has thousands.
    let positions: rustc_hash::FxHashMap<i64, usize> = assessments
        .iter()
        .enumerate()
        .map(|(position, stored)| (stored.assessment.id.get(), position))
        .collect();
    let mut expectations = Parsed::new(expectation_id);
    // Where a row of either read goes, from its columns 0 and 1: its assessment's position and
    // the expectation, or none for an assessment not read.
    let mut place = |row: &Row| -> Result<Option<(usize, ExpectationId)>, StoreError> {
        let Some(&position) = positions.get(&row.integer(0)?) else { return Ok(None) };
        Ok(Some((position, expectations.get(&row.str(1)?)?)))
    };
    for row in ratings {
        if let Some((position, expectation)) = place(row)? {
            let entries = &mut assessments[position].assessment.entries;
            entry_for(entries, expectation).rating = Some(row.text(2)?);
        }
    }
    for row in evidence {
        if let Some((position, expectation)) = place(row)? {
            let entries = &mut assessments[position].assessment.entries;
            entry_for(entries, expectation).evidence.push(Evidence {
                text: row.text(2)?,
                link: row.optional_text(3)?,
                date: date(&row.str(4)?)?,
            });
        }
    }
    Ok(assessments)
}

/// Orders the agreed ratings' rows by cycle, as [`decode_agreements`] needs them.
pub(crate) const AGREEMENTS_IN_CYCLE_ORDER: &str = " ORDER BY c.opened_at, c.pk";

/// The read of agreed ratings matching `filter`, its rows ordered by `order` (SQL appended to
/// the query, or empty for rows in no particular order).
pub(crate) fn agreement_query(filter: &AgreementFilter, order: &str) -> Query {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut params = Vec::new();
    if let Some(subject) = &filter.subject {
        params.push(Value::text(subject.as_str()));
        conditions.push(format!("g.subject_id = ${}", params.len()));
    }
    if let Some(cycle) = &filter.cycle {
        params.push(Value::text(cycle.as_str()));
        conditions.push(format!("c.name = ${}", params.len()));
    }
    if !filter.subjects.is_empty() {
        conditions.push(format!(
            "g.subject_id IN ({})",
            placeholders(params.len(), filter.subjects.len())
        ));
        params.extend(filter.subjects.iter().map(|subject| Value::text(subject.as_str())));
    }
    Query::new(
        format!(
            "SELECT c.name, g.subject_id, g.expectation_id, g.rating, a.assessor_id, a.pk, a.framework_pk, g.agreed_at \
             FROM agreements g JOIN cycles c ON c.pk = g.cycle_pk JOIN assessments a ON a.pk = g.assessment_pk \
             WHERE {}{order}",
            conditions.join(" AND ")
        ),
        params,
    )
}

/// Agreed ratings from rows in cycle order (see [`AGREEMENTS_IN_CYCLE_ORDER`]).
pub(crate) fn decode_agreements(rows: &[Row]) -> Result<Vec<StoredAgreement>, StoreError> {
    decode_agreements_in(rows, None)
}

/// Agreed ratings sorted by cycle, then subject and expectation. The cycles' order is
/// `cycle_order` (every cycle of the rows, oldest first), or else the order of the rows.
fn decode_agreements_in(
    rows: &[Row],
    cycle_order: Option<&[CycleName]>,
) -> Result<Vec<StoredAgreement>, StoreError> {
    let mut cycles = Parsed::new(cycle_name);
    let mut people = Parsed::new(person_id);
    let mut expectations = Parsed::new(expectation_id);
    let mut agreements = rows
        .iter()
        .map(|row| {
            Ok(StoredAgreement {
                cycle: cycles.get(&row.str(0)?)?,
                subject: people.get(&row.str(1)?)?,
                expectation: expectations.get(&row.str(2)?)?,
                rating: row.text(3)?,
                agreed_by: people.get(&row.str(4)?)?,
                assessment: AssessmentId::new(row.integer(5)?),
                framework_pk: row.integer(6)?,
                agreed_at: timestamp(&row.str(7)?)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let in_row_order;
    let cycle_order = match cycle_order {
        Some(order) => order,
        None => {
            in_row_order = cycles_in_order_of(&agreements);
            &in_row_order
        }
    };
    // Text is sorted here, not in SQL: the backends collate text differently.
    let position = |cycle: &CycleName| cycle_order.iter().position(|known| known == cycle);
    agreements.sort_by(|a, b| {
        (position(&a.cycle), &a.subject, &a.expectation).cmp(&(
            position(&b.cycle),
            &b.subject,
            &b.expectation,
        ))
    });
    Ok(agreements)
}

/// The cycles of `agreements`, in the order they first come.
fn cycles_in_order_of(agreements: &[StoredAgreement]) -> Vec<CycleName> {
    let mut cycles: Vec<CycleName> = Vec::new();
    for agreement in agreements {
        if !cycles.contains(&agreement.cycle) {
            cycles.push(agreement.cycle.clone());
        }
    }
    cycles
}

/// Cycles in the order they were opened: by `opened_at` as text (byte by byte, as SQLite
/// compares it), then by key.
fn decode_cycles(rows: &[Row]) -> Result<Vec<Cycle>, StoreError> {
    let mut keyed = rows
        .iter()
        .map(|row| Ok(((row.str(2)?, row.integer(4)?), row)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    keyed.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    keyed
        .into_iter()
        .map(|(_, row)| {
            let state = row.text(1)?;
            Ok(Cycle {
                name: cycle_name(&row.str(0)?)?,
                state: CycleState::parse(&state).ok_or_else(|| corrupt("cycle state", &state))?,
                opened_at: timestamp(&row.str(2)?)?,
                closed_at: row.optional_text(3)?.as_deref().map(timestamp).transpose()?,
            })
        })
        .collect()
}

fn decode_level_changes(rows: &[Row]) -> Result<Vec<LevelChange>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(LevelChange {
                from: level_id(&row.str(0)?)?,
                to: level_id(&row.str(1)?)?,
                at: timestamp(&row.str(2)?)?,
            })
        })
        .collect()
}

fn decode_plans(
    plans: &[Row],
    focus: &[Row],
    actions: &[Row],
) -> Result<Vec<GrowthPlan>, StoreError> {
    let mut result = plans
        .iter()
        .map(|row| {
            Ok(GrowthPlan {
                id: PlanId::new(row.integer(0)?),
                subject: person_id(&row.str(1)?)?,
                target_level: level_id(&row.str(2)?)?,
                focus: Vec::new(),
                actions: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    for row in focus {
        let plan = row.integer(0)?;
        if let Some(found) = result.iter_mut().find(|found| found.id.get() == plan) {
            found.focus.push(expectation_id(&row.str(1)?)?);
        }
    }
    for row in actions {
        let plan = row.integer(0)?;
        let status = row.text(6)?;
        let action = PlanAction {
            id: ActionId::new(row.integer(1)?),
            expectation: expectation_id(&row.str(2)?)?,
            text: row.text(3)?,
            owner: person_id(&row.str(4)?)?,
            due: date(&row.str(5)?)?,
            status: ActionStatus::parse(&status)
                .ok_or_else(|| corrupt("action status", &status))?,
        };
        if let Some(found) = result.iter_mut().find(|found| found.id.get() == plan) {
            found.actions.push(action);
        }
    }
    Ok(result)
}

/// A person's row and their records, read in one round trip: what a person's page shows when
/// the person is not taken from the org chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecords {
    pub person: Person,
    pub records: RecordsAt,
}

/// A person's records and what they are read against, in one read transaction, without the
/// person's own row: [`Records::person_records`] reads that too, [`Records::records_at`] leaves
/// it to a caller that has it from the org chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordsAt {
    /// The org version these reads saw: the person's managers and reports come from the org
    /// chart of this version.
    pub org_version: i64,
    pub cycles: Vec<Cycle>,
    pub agreements: Vec<StoredAgreement>,
    /// Every assessment of the person, all revisions, oldest cycle first.
    pub assessments: Vec<StoredAssessment>,
    pub level_changes: Vec<LevelChange>,
    pub plans: Vec<GrowthPlan>,
    pub active_framework_key: Option<i64>,
}

/// Which of a person's records exist (assessments, agreed ratings, level changes, plans), so
/// that the reads that would find nothing are skipped.
pub(crate) const PERSON_PRESENCE: &str = "\
       CASE WHEN EXISTS (SELECT 1 FROM assessments WHERE subject_id = $1) THEN 1 ELSE 0 END, \
       CASE WHEN EXISTS (SELECT 1 FROM agreements WHERE subject_id = $1) THEN 1 ELSE 0 END, \
       CASE WHEN EXISTS (SELECT 1 FROM level_changes WHERE person_id = $1) THEN 1 ELSE 0 END, \
       CASE WHEN EXISTS (SELECT 1 FROM growth_plans WHERE subject_id = $1) THEN 1 ELSE 0 END";

/// After the presence columns: the org version and the active framework's key, read with them
/// rather than by statements of their own.
pub(crate) const ORG_VERSION_AND_FRAMEWORK: &str = "(SELECT version FROM org_version), \
       (SELECT pk FROM frameworks WHERE archived = 0 ORDER BY pk DESC LIMIT 1)";

/// The texts of the reads of [`PersonRecords`], built once: a person's page runs them on every
/// request, and they differ only in their parameters.
struct PersonReadTexts {
    presence: String,
    person: String,
    agreements: String,
    assessments: [String; 3],
}

static PERSON_READ_TEXTS: std::sync::LazyLock<PersonReadTexts> = std::sync::LazyLock::new(|| {
    // Any subject gives the same texts: the subject is a parameter.
    let subject = PersonId::parse("subject").ok();
    PersonReadTexts {
        presence: format!("SELECT {PERSON_PRESENCE}, {ORG_VERSION_AND_FRAMEWORK}"),
        person: format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"),
        // In no particular order: the batch reads every cycle in order anyway, so the agreed
        // ratings are sorted by those rather than by SQL (which would sort them in a temporary
        // b-tree on every page).
        agreements: agreement_query(
            &AgreementFilter { subject: subject.clone(), cycle: None, subjects: Vec::new() },
            "",
        )
        .sql
        .into_owned(),
        assessments: assessment_queries(&AssessmentFilter {
            subject,
            ..AssessmentFilter::default()
        })
        .map(|query| query.sql.into_owned()),
    }
});

/// Whether a person read also reads the person's own row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PersonRow {
    Read,
    Known,
}

/// The reads of [`RecordsAt`], in the order [`decode_records_at`] takes them, then the person's
/// row when it is to be read.
fn person_queries(id: &PersonId, row: PersonRow) -> Vec<Query> {
    let texts = &*PERSON_READ_TEXTS;
    let person = vec![Value::text(id.as_str())];
    let [heads, ratings, evidence] = &texts.assessments;
    // Read 0 says which of the person's records exist (columns 0 to 3), then the org version
    // (4) and the active framework's key (5).
    const PRESENCE: usize = 0;
    let mut queries = vec![
        Query::new(texts.presence.as_str(), person.clone()),
        Query::new(CYCLES, vec![]),
        Query::new(texts.agreements.as_str(), person.clone()).only_if(PRESENCE, 1),
        Query::new(heads.as_str(), person.clone()).only_if(PRESENCE, 0),
        Query::new(ratings.as_str(), person.clone()).only_if(PRESENCE, 0),
        Query::new(evidence.as_str(), person.clone()).only_if(PRESENCE, 0),
        Query::new(LEVEL_CHANGES, person.clone()).only_if(PRESENCE, 2),
        Query::new(PLANS, person.clone()).only_if(PRESENCE, 3),
        Query::new(FOCUS, person.clone()).only_if(PRESENCE, 3),
        Query::new(ACTIONS, person.clone()).only_if(PRESENCE, 3),
    ];
    if row == PersonRow::Read {
        queries.push(Query::new(texts.person.as_str(), person));
    }
    queries
}

/// Where the person's row is in the results of [`person_queries`], when it was read.
const PERSON_ROW_INDEX: usize = 10;

fn decode_org_version(rows: &[Row]) -> Result<i64, StoreError> {
    rows.first()
        .map(|row| row.integer(0))
        .transpose()?
        .ok_or_else(|| StoreError::Corrupt("the org version is missing".to_owned()))
}

/// The results of a batch, read by read.
fn reads_of<'a>(results: &'a [Vec<Row>]) -> impl Fn(usize) -> Result<&'a [Row], StoreError> {
    move |index: usize| {
        results
            .get(index)
            .map(Vec::as_slice)
            .ok_or_else(|| StoreError::Task(format!("read {index} is missing")))
    }
}

fn decode_records_at(results: &[Vec<Row>]) -> Result<RecordsAt, StoreError> {
    let rows = reads_of(results);
    let presence = rows(0)?
        .first()
        .ok_or_else(|| StoreError::Corrupt("the org version is missing".to_owned()))?;
    let cycles = decode_cycles(rows(1)?)?;
    let cycle_order: Vec<CycleName> = cycles.iter().map(|cycle| cycle.name.clone()).collect();
    Ok(RecordsAt {
        org_version: presence.integer(4)?,
        agreements: decode_agreements_in(rows(2)?, Some(&cycle_order))?,
        cycles,
        assessments: decode_assessments(rows(3)?, rows(4)?, rows(5)?)?,
        level_changes: decode_level_changes(rows(6)?)?,
        plans: decode_plans(rows(7)?, rows(8)?, rows(9)?)?,
        active_framework_key: presence.optional_integer(5)?,
    })
}

fn decode_person_records(results: &[Vec<Row>]) -> Result<Option<PersonRecords>, StoreError> {
    let Some(person) = reads_of(results)(PERSON_ROW_INDEX)?.first() else { return Ok(None) };
    Ok(Some(PersonRecords {
        person: person_from_row(person)?,
        records: decode_records_at(results)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_come_in_order_of_opening_then_key_whatever_order_they_are_read_in() {
        let cycle = |name: &str, opened_at: &str, pk: i64| {
            Row(vec![
                Value::text(name),
                Value::text("closed"),
                Value::text(opened_at),
                Value::Text(None),
                Value::integer(pk),
            ])
        };
        let rows = vec![
            cycle("2026-h2", "2026-07-01T00:00:00Z", 3),
            cycle("2025-h2", "2025-07-01T00:00:00Z", 4),
            cycle("2026-h1-b", "2026-01-01T00:00:00Z", 2),
            cycle("2026-h1-a", "2026-01-01T00:00:00Z", 1),
        ];
        let names: Vec<String> =
            decode_cycles(&rows).unwrap().into_iter().map(|cycle| cycle.name.to_string()).collect();
        assert_eq!(names, ["2025-h2", "2026-h1-a", "2026-h1-b", "2026-h2"]);
    }

    fn head(pk: i64) -> Row {
        let text = Value::text;
        Row(vec![
            Value::integer(pk),
            text("2026-h1"),
            text("p1"),
            text("m1"),
            text("manager"),
            text("ic2"),
            text("ic3"),
            text("engineering"),
            text("1"),
            Value::integer(1),
            text("submitted"),
            Value::integer(1),
            Value::Integer(None),
            Value::Integer(None),
            text("2026-06-01T10:00:00Z"),
            text("2026-06-02T10:00:00Z"),
        ])
    }

    fn rating(pk: i64, expectation: &str, rating: &str) -> Row {
        Row(vec![Value::integer(pk), Value::text(expectation), Value::text(rating)])
    }

    fn evidence(pk: i64, expectation: &str, text: &str) -> Row {
        Row(vec![
            Value::integer(pk),
            Value::text(expectation),
            Value::text(text),
            Value::Text(None),
            Value::text("2026-05-01"),
        ])
    }

    /// Rows in any order (PostgreSQL returns ratings in no particular order within an
    /// assessment) give each assessment one entry per expectation, in expectation order, with
    /// its rating and its evidence in the order written; evidence may name an expectation
    /// without a rating, and rows of an assessment not read are left out.
    #[test]
    fn assessments_are_put_together_from_rows_in_any_order() {
        let ratings = [
            rating(2, "c3", "meets"),
            rating(1, "c2", "exceeds"),
            rating(2, "c1", "developing"),
            rating(9, "c1", "meets"),
            rating(2, "c2", "meets"),
        ];
        let evidence = [
            evidence(2, "c2", "second"),
            evidence(2, "c0", "without a rating"),
            evidence(2, "c2", "third"),
            evidence(1, "c2", "first"),
        ];
        let assessments = decode_assessments(&[head(1), head(2)], &ratings, &evidence).unwrap();
        let entries = |index: usize| -> Vec<(String, Option<String>, Vec<String>)> {
            assessments[index]
                .assessment
                .entries
                .iter()
                .map(|entry| {
                    (
                        entry.expectation.as_str().to_owned(),
                        entry.rating.clone(),
                        entry.evidence.iter().map(|evidence| evidence.text.clone()).collect(),
                    )
                })
                .collect()
        };
        let owned = |text: &str| Some(text.to_owned());
        assert_eq!(entries(0), [("c2".to_owned(), owned("exceeds"), vec!["first".to_owned()])]);
        assert_eq!(
            entries(1),
            [
                ("c0".to_owned(), None, vec!["without a rating".to_owned()]),
                ("c1".to_owned(), owned("developing"), vec![]),
                ("c2".to_owned(), owned("meets"), vec!["second".to_owned(), "third".to_owned()]),
                ("c3".to_owned(), owned("meets"), vec![]),
            ]
        );
    }

    #[test]
    fn a_bad_id_in_a_rating_is_reported_as_corrupt() {
        let error =
            decode_assessments(&[head(1)], &[rating(1, "Not An Id", "meets")], &[]).unwrap_err();
        assert!(
            matches!(&error, StoreError::Corrupt(message) if message.contains("Not An Id")),
            "{error:?}"
        );
    }

    /// The person reads are built once from a placeholder subject: each must still be limited
    /// to the subject bound as `$1`, never read everyone's records.
    #[test]
    fn every_person_read_is_limited_to_its_subject() {
        let texts = &*PERSON_READ_TEXTS;
        assert!(texts.person.contains("WHERE id = $1"), "{}", texts.person);
        assert!(texts.agreements.contains("g.subject_id = $1"), "{}", texts.agreements);
        for text in &texts.assessments {
            assert!(text.contains("a.subject_id = $1"), "{text}");
        }
    }
}
