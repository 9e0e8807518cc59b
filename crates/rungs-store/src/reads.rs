//! The typed reads (`Records`) and the batch write of cycles, assessments, agreed ratings,
//! growth plans and level changes, written once in portable SQL for both backends. The rows of
//! assessments and agreed ratings are `assessment_rows`', the others `record_rows`'; the read
//! of a person's page is `person_read`'s.

use std::future::Future;

use rungs_core::assess::{
    Acknowledgement, ActionId, AssessmentId, AssessmentKind, Cycle, CycleName, GrowthPlan,
    LevelChange,
};
use rungs_core::org::{Email, Person, PersonId};

pub(crate) use crate::assessment_rows::{
    AGREEMENTS_IN_CYCLE_ORDER, agreement_query, assessment_queries, decode_agreements,
    decode_assessments,
};
pub use crate::assessment_rows::{
    AgreementFilter, AssessmentFilter, StoredAgreement, StoredAssessment,
};
use crate::cells::Cells;
use crate::changes::Change;
use crate::decode::person_id;
use crate::import_record::{PendingImport, StoredMapping, stored_mapping};
use crate::people::{PERSON_COLUMNS, StoredFramework, person_from_row};
#[cfg(test)]
use crate::person_read::ORG_VERSION_AND_FRAMEWORK;
pub use crate::person_read::{PersonRecords, RecordsAt};
use crate::person_read::{PersonRecordsDecoder, person_queries};
use crate::record_rows::{
    ACKNOWLEDGEMENTS, ACTIONS, CYCLES, FOCUS, LEVEL_CHANGES, PLANS, decode_acknowledgements,
    decode_cycles, decode_level_changes, decode_plans,
};
use crate::sql::{Query, Row, Statement, Value};
use crate::{Storage, StoreError};

pub(crate) const FRAMEWORK_BY_KEY: &str =
    "SELECT framework_id, version, source, activated_at, pk FROM frameworks WHERE pk = $1";
pub(crate) const FRAMEWORK_BY_VERSION: &str = "SELECT framework_id, version, source, activated_at, pk FROM frameworks \
     WHERE framework_id = $1 AND version = $2 ORDER BY pk DESC LIMIT 1";
pub(crate) const ACTIVE_FRAMEWORK_KEY: &str =
    "SELECT pk FROM frameworks WHERE archived = 0 ORDER BY pk DESC LIMIT 1";
const DRAFT_COUNT: &str = "SELECT count(*) FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk \
     WHERE c.name = $1 AND a.status = 'draft'";
const DRAFTS: &str = "SELECT a.pk, a.kind, a.subject_id, a.assessor_id FROM assessments a \
     JOIN cycles c ON c.pk = a.cycle_pk WHERE c.name = $1 AND a.status = 'draft' ORDER BY a.pk LIMIT $2";

/// A draft assessment, without its ratings: who writes it, of whom, of what kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftHead {
    pub id: AssessmentId,
    pub kind: AssessmentKind,
    pub subject: PersonId,
    pub assessor: PersonId,
}

pub(crate) const PLAN_OF_ACTION: &str = "SELECT p.subject_id FROM plan_actions a JOIN growth_plans p ON p.pk = a.plan_pk WHERE a.pk = $1";
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

/// A pending import by its token's hash and who kept it, unless it expired.
pub(crate) const PENDING_IMPORT: &str = "SELECT source_name, content, org_version, mapping_source FROM pending_imports \
     WHERE token_hash = $1 AND created_by = $2 AND created_at >= $3";

/// One import mapping by name, and all of them without their sources.
pub(crate) const IMPORT_MAPPING: &str =
    "SELECT name, source, saved_by, saved_at FROM import_mappings WHERE name = $1";
pub(crate) const IMPORT_MAPPINGS: &str =
    "SELECT name, '', saved_by, saved_at FROM import_mappings ORDER BY name";

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
    ACKNOWLEDGEMENTS,
    PENDING_IMPORT,
    IMPORT_MAPPING,
    IMPORT_MAPPINGS,
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

/// One person, active or left: the same read on every backend.
pub(crate) async fn person<S: Storage>(store: &S, id: &str) -> Result<Option<Person>, StoreError> {
    let query = Query::new(
        format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"),
        vec![Value::text(id)],
    );
    store.fetch(query).await?.first().map(person_from_row).transpose()
}

/// The active people with `email`, by name. No index: a person field or the header search
/// reads it once per submission, not per keystroke, and an index would slow every import.
pub(crate) async fn people_with_email<S: Storage>(
    store: &S,
    email: &Email,
) -> Result<Vec<Person>, StoreError> {
    let query = Query::new(
        format!("SELECT {PERSON_COLUMNS} FROM people WHERE email = $1 AND status = 'active'"),
        vec![Value::text(email.as_str())],
    );
    let mut people =
        store.fetch(query).await?.iter().map(person_from_row).collect::<Result<Vec<_>, _>>()?;
    crate::people::sort_by_name(&mut people);
    Ok(people)
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

fn decode_org_version(rows: &[Row]) -> Result<i64, StoreError> {
    rows.first()
        .map(|row| row.integer(0))
        .transpose()?
        .ok_or_else(|| StoreError::Corrupt("the org version is missing".to_owned()))
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

    /// How many drafts cycle `cycle` holds, and the first `limit` of them, oldest first: what
    /// closing it asks about, read without their ratings.
    fn cycle_drafts(
        &self,
        cycle: &CycleName,
        limit: usize,
    ) -> impl Future<Output = Result<(u64, Vec<DraftHead>), StoreError>> + Send {
        let params = vec![Value::text(cycle.as_str())];
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        async move {
            let count = self.fetch(Query::new(DRAFT_COUNT, params.clone())).await?;
            let count = count.first().map(|row| row.integer(0)).transpose()?.unwrap_or(0);
            let mut listed = params;
            listed.push(Value::integer(limit));
            let rows = self.fetch(Query::new(DRAFTS, listed)).await?;
            let drafts = rows
                .iter()
                .map(|row| {
                    let kind = row.str(1)?;
                    Ok(DraftHead {
                        id: AssessmentId::new(row.integer(0)?),
                        kind: AssessmentKind::parse(&kind)
                            .ok_or_else(|| crate::decode::corrupt("assessment kind", &kind))?,
                        subject: person_id(&row.str(2)?)?,
                        assessor: person_id(&row.str(3)?)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok((u64::try_from(count).unwrap_or(0), drafts))
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

    /// The pending import whose token hashes to `token_hash` that `by` kept at or after
    /// `since`.
    fn pending_import(
        &self,
        token_hash: &str,
        by: &str,
        since: jiff::Timestamp,
    ) -> impl Future<Output = Result<Option<PendingImport>, StoreError>> + Send {
        let params = vec![Value::text(token_hash), Value::text(by), Value::text(since.to_string())];
        async move {
            let rows = self.fetch(Query::new(PENDING_IMPORT, params)).await?;
            rows.first()
                .map(|row| {
                    let content = match row.value(1)? {
                        Value::Bytes(Some(bytes)) => bytes.clone(),
                        Value::Text(Some(text)) => text.clone().into_bytes(),
                        other => {
                            return Err(StoreError::Corrupt(format!(
                                "a pending import's content is {other:?}"
                            )));
                        }
                    };
                    Ok(PendingImport {
                        source_name: row.text(0)?,
                        content,
                        org_version: row.integer(2)?,
                        mapping_source: row.optional_text(3)?,
                    })
                })
                .transpose()
        }
    }

    /// The import mapping saved as `name`.
    fn import_mapping(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<StoredMapping>, StoreError>> + Send {
        let params = vec![Value::text(name)];
        async move {
            let rows = self.fetch(Query::new(IMPORT_MAPPING, params)).await?;
            rows.first().map(stored_mapping).transpose()
        }
    }

    /// Every saved import mapping, by name, with an empty `source`.
    fn import_mappings(
        &self,
    ) -> impl Future<Output = Result<Vec<StoredMapping>, StoreError>> + Send {
        async move {
            let rows = self.fetch(Query::new(IMPORT_MAPPINGS, Vec::new())).await?;
            rows.iter().map(stored_mapping).collect()
        }
    }

    /// A person's acknowledgements of their cycles' outcomes, oldest first.
    fn acknowledgements(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<Vec<Acknowledgement>, StoreError>> + Send {
        let params = vec![Value::text(person.as_str())];
        async move { decode_acknowledgements(&self.fetch(Query::new(ACKNOWLEDGEMENTS, params)).await?) }
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
        self.fetch_decoded(queries, PersonRecordsDecoder::default())
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
