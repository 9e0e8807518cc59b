//! The typed reads (`Records`) and the batch write of cycles, assessments, agreed ratings,
//! growth plans and level changes, and the read of a person's page, written once in portable
//! SQL for both backends. The rows of assessments and agreed ratings are `assessment_rows`'.

use std::future::Future;

use rungs_core::assess::{
    ActionId, ActionStatus, AssessmentId, Cycle, CycleName, CycleState, GrowthPlan, LevelChange,
    PlanAction, PlanId,
};
use rungs_core::org::{Person, PersonId};

pub(crate) use crate::assessment_rows::{
    AGREEMENTS_IN_CYCLE_ORDER, agreement_query, assessment_queries, decode_agreements,
    decode_agreements_in, decode_assessments,
};
pub use crate::assessment_rows::{
    AgreementFilter, AssessmentFilter, StoredAgreement, StoredAssessment,
};
use crate::changes::Change;
use crate::decode::{corrupt, cycle_name, date, expectation_id, level_id, person_id, timestamp};
use crate::people::{PERSON_COLUMNS, PersonColumns, StoredFramework};
use crate::sql::{Query, Row, Statement, Value};
use crate::{Storage, StoreError};

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
        let queries = person_queries(id);
        async move { decode_person_records(&self.fetch_many(queries).await?) }
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

/// A person's records and what they are read against, in one read transaction with the
/// person's own row ([`Records::person_records`]).
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

/// The reads of [`RecordsAt`], in the order [`decode_records_at`] takes them, then the person's
/// row.
fn person_queries(id: &PersonId) -> Vec<Query> {
    let texts = &*PERSON_READ_TEXTS;
    let person = vec![Value::text(id.as_str())];
    let [heads, ratings, evidence] = &texts.assessments;
    // Read 0 says which of the person's records exist (columns 0 to 3), then the org version
    // (4) and the active framework's key (5).
    const PRESENCE: usize = 0;
    vec![
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
        Query::new(texts.person.as_str(), person),
    ]
}

/// Where the person's row is in the results of [`person_queries`].
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
