//! The read of a person's page: the person's row and every record of theirs, in one read
//! transaction, decoded row by row as the backend steps through them.

use rungs_core::assess::{Acknowledgement, Cycle, CycleName, GrowthPlan, LevelChange};
use rungs_core::org::{Person, PersonId};

use jiff::Timestamp;

use crate::StoreError;
use crate::assessment_rows::{
    AgreementRows, AssessmentFilter, AssessmentRows, StoredAgreement, StoredAssessment,
    assessment_queries,
};
use crate::cells::{BatchDecoder, Cells};
use crate::decode::{cycle_name, timestamp};
use crate::parsed::Parsed;
use crate::people::{PERSON_COLUMNS, person_from_row};
use crate::record_rows::{
    ACKNOWLEDGEMENTS, ACTIONS, CYCLES, FOCUS, LEVEL_CHANGES, PLANS, decode_acknowledgements,
    decode_cycles, decode_level_changes, decode_plans,
};
use crate::sql::{Query, Row, Value};

/// A person's row and their records, read in one round trip: what a person's page shows when
/// the person is not taken from the org chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecords {
    pub person: Person,
    pub records: RecordsAt,
}

/// A person's records and what they are read against, in one read transaction with the
/// person's own row ([`crate::Records::person_records`]).
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
    /// The person's acknowledgements of their cycles' outcomes.
    pub acknowledgements: Vec<Acknowledgement>,
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

/// A person's agreed ratings, without the joins of
/// [`crate::assessment_rows::agreement_query`]: the cycle's name comes
/// from the read of cycles, who agreed and the framework version from the person's own
/// assessments (an agreed rating is recorded on one of them), both read before it.
/// In no particular order: they are sorted by cycle when decoded, rather than by SQL (which
/// would sort them in a temporary b-tree on every page).
const AGREED_RATINGS_OF_PERSON: &str = "SELECT cycle_pk, expectation_id, rating, assessment_pk, agreed_at, rationale FROM agreements WHERE subject_id = $1";

/// The texts of the reads of [`PersonRecords`], built once: a person's page runs them on every
/// request, and they differ only in their parameters.
struct PersonReadTexts {
    presence: String,
    person: String,
    assessments: [String; 3],
}

static PERSON_READ_TEXTS: std::sync::LazyLock<PersonReadTexts> = std::sync::LazyLock::new(|| {
    // Any subject gives the same texts: the subject is a parameter.
    let subject = PersonId::parse("subject").ok();
    PersonReadTexts {
        presence: format!("SELECT {PERSON_PRESENCE}, {ORG_VERSION_AND_FRAMEWORK}"),
        person: format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"),
        assessments: assessment_queries(&AssessmentFilter {
            subject,
            ..AssessmentFilter::default()
        })
        .map(|query| query.sql.into_owned()),
    }
});

/// The reads of a person's page, in order. Read 0 says which of the person's records exist
/// (columns 0 to 3), then the org version (4) and the active framework's key (5); the reads
/// that would find nothing are skipped.
mod read {
    pub const PRESENCE: usize = 0;
    pub const CYCLES: usize = 1;
    pub const HEADS: usize = 2;
    pub const RATINGS: usize = 3;
    pub const EVIDENCE: usize = 4;
    pub const AGREEMENTS: usize = 5;
    pub const LEVEL_CHANGES: usize = 6;
    pub const PLANS: usize = 7;
    pub const FOCUS: usize = 8;
    pub const ACTIONS: usize = 9;
    pub const ACKNOWLEDGEMENTS: usize = 10;
    pub const PERSON: usize = 11;
}

/// The reads of [`PersonRecords`], in the order of [`read`].
pub(crate) fn person_queries(id: &PersonId) -> Vec<Query> {
    let texts = &*PERSON_READ_TEXTS;
    let person = vec![Value::text(id.as_str())];
    let [heads, ratings, evidence] = &texts.assessments;
    vec![
        Query::new(texts.presence.as_str(), person.clone()),
        Query::new(CYCLES, vec![]),
        Query::new(heads.as_str(), person.clone()).only_if(read::PRESENCE, 0),
        Query::new(ratings.as_str(), person.clone()).only_if(read::PRESENCE, 0),
        Query::new(evidence.as_str(), person.clone()).only_if(read::PRESENCE, 0),
        Query::new(AGREED_RATINGS_OF_PERSON, person.clone()).only_if(read::PRESENCE, 1),
        Query::new(LEVEL_CHANGES, person.clone()).only_if(read::PRESENCE, 2),
        Query::new(PLANS, person.clone()).only_if(read::PRESENCE, 3),
        Query::new(FOCUS, person.clone()).only_if(read::PRESENCE, 3),
        Query::new(ACTIONS, person.clone()).only_if(read::PRESENCE, 3),
        Query::new(ACKNOWLEDGEMENTS, person.clone()).only_if(read::PRESENCE, 1),
        Query::new(texts.person.as_str(), person),
    ]
}

/// Decodes the reads of [`person_queries`] as they come. The many rows (agreed ratings,
/// ratings, evidence) are decoded where they lie; the few (the presence, cycles, level changes,
/// plans, the person) are kept as rows and decoded at the end.
#[derive(Default)]
pub(crate) struct PersonRecordsDecoder {
    agreements: AgreementRows,
    assessments: AssessmentRows,
    /// The names of the cycles, by key, once the cycles are read.
    cycle_names: rustc_hash::FxHashMap<i64, CycleName>,
    /// The ratings a manager agrees on at once share their time.
    agreed_at: Option<Parsed<Timestamp>>,
    /// The rows kept whole, by read.
    kept: [Vec<Row>; read::PERSON + 1],
}

impl PersonRecordsDecoder {
    /// A row of [`AGREED_RATINGS_OF_PERSON`]: the cycles and the person's assessments are read.
    fn agreed_rating(&mut self, row: &dyn Cells) -> Result<(), StoreError> {
        if self.cycle_names.is_empty() {
            for cycle in &self.kept[read::CYCLES] {
                self.cycle_names.insert(cycle.integer(4)?, cycle_name(&cycle.str(0)?)?);
            }
        }
        let cycle_key = row.integer(0)?;
        let cycle = self.cycle_names.get(&cycle_key).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "an agreed rating of a cycle that is not stored: {cycle_key}"
            ))
        })?;
        let expectation = self.assessments.expectation(&row.str(1)?)?;
        let assessment_key = row.integer(3)?;
        let assessment = self.assessments.by_key(assessment_key).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "an agreed rating on assessment {assessment_key}, which is not the person's"
            ))
        })?;
        self.agreements.push(StoredAgreement {
            cycle: cycle.clone(),
            subject: assessment.assessment.subject.clone(),
            expectation,
            rating: row.text(2)?,
            agreed_by: assessment.assessment.assessor.clone(),
            assessment: assessment.assessment.id,
            framework_pk: assessment.framework_pk,
            agreed_at: self
                .agreed_at
                .get_or_insert_with(|| Parsed::new(timestamp))
                .get(&row.str(4)?)?,
            rationale: row.optional_text(5)?,
        });
        Ok(())
    }
}

impl BatchDecoder for PersonRecordsDecoder {
    type Output = Option<PersonRecords>;

    fn row(&mut self, index: usize, row: &dyn Cells) -> Result<(), StoreError> {
        match index {
            read::AGREEMENTS => self.agreed_rating(row),
            read::HEADS => self.assessments.head(row),
            read::RATINGS => self.assessments.rating(row),
            read::EVIDENCE => self.assessments.evidence(row),
            _ => {
                let kept = self.kept.get_mut(index).ok_or_else(|| {
                    StoreError::Task(format!("a person read has no read {index}"))
                })?;
                kept.push(Row::of(row)?);
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<Option<PersonRecords>, StoreError> {
        let kept = &self.kept;
        let Some(person) = kept[read::PERSON].first() else { return Ok(None) };
        let presence = kept[read::PRESENCE]
            .first()
            .ok_or_else(|| StoreError::Corrupt("the org version is missing".to_owned()))?;
        let cycles = decode_cycles(&kept[read::CYCLES])?;
        let cycle_order: Vec<CycleName> = cycles.iter().map(|cycle| cycle.name.clone()).collect();
        Ok(Some(PersonRecords {
            person: person_from_row(person)?,
            records: RecordsAt {
                org_version: presence.integer(4)?,
                agreements: self.agreements.finish(Some(&cycle_order)),
                cycles,
                assessments: self.assessments.finish(),
                level_changes: decode_level_changes(&kept[read::LEVEL_CHANGES])?,
                plans: decode_plans(&kept[read::PLANS], &kept[read::FOCUS], &kept[read::ACTIONS])?,
                acknowledgements: decode_acknowledgements(&kept[read::ACKNOWLEDGEMENTS])?,
                active_framework_key: presence.optional_integer(5)?,
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The person reads are built once from a placeholder subject: each must still be limited
    /// to the subject bound as `$1`, never read everyone's records.
    #[test]
    fn every_person_read_is_limited_to_its_subject() {
        let texts = &*PERSON_READ_TEXTS;
        assert!(texts.person.contains("WHERE id = $1"), "{}", texts.person);
        assert!(AGREED_RATINGS_OF_PERSON.contains("WHERE subject_id = $1"));
        assert!(ACKNOWLEDGEMENTS.contains("WHERE k.subject_id = $1"));
        for text in &texts.assessments {
            assert!(text.contains("a.subject_id = $1"), "{text}");
        }
    }
}
