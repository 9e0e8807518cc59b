//! Assessments and agreed ratings as rows: what to read (the filters), the portable queries
//! that read them, and the decoding of their rows, for both backends.

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::ExpectationId;
use rungs_core::assess::{
    Assessment, AssessmentId, AssessmentKind, AssessmentStatus, CycleName, Evidence,
    ExpectationRating, FrameworkVersion,
};
use rungs_core::org::PersonId;

use crate::StoreError;
use crate::cells::Cells;
use crate::decode::{corrupt, cycle_name, date, expectation_id, level_id, person_id, timestamp};
use crate::parsed::Parsed;
use crate::sql::{Query, Row, Value, placeholders};

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
    /// Why it differs from the manager's rating, when it does.
    pub rationale: Option<String>,
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

/// The `WHERE` clause of an assessment filter over `assessments a JOIN cycles c`, and its
/// parameters, numbered from `$1`.
pub(crate) fn assessment_conditions(filter: &AssessmentFilter) -> (String, Vec<Value>) {
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

/// The entry of `expectation` among an assessment's entries, added when missing.
pub(crate) fn entry_for(
    entries: &mut Vec<ExpectationRating>,
    expectation: ExpectationId,
) -> &mut ExpectationRating {
    // Entries are kept in expectation order. On SQLite, ratings arrive in that order (their
    // primary key is assessment and expectation), so a rating's entry is usually added at the
    // end; evidence arrives in the order it was written, and any order gives the same entries.
    if entries.last().is_none_or(|last| last.expectation < expectation) {
        entries.push(ExpectationRating { expectation, rating: None, evidence: Vec::new() });
        let last = entries.len() - 1;
        return &mut entries[last];
    }
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

pub(crate) fn assessment_head(row: &(impl Cells + ?Sized)) -> Result<StoredAssessment, StoreError> {
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
    let mut assessments = AssessmentRows::default();
    for row in heads {
        assessments.head(row)?;
    }
    for row in ratings {
        assessments.rating(row)?;
    }
    for row in evidence {
        assessments.evidence(row)?;
    }
    Ok(assessments.finish())
}

/// Assessments put together from the rows of [`assessment_queries`] as they come: every head
/// first, then ratings and evidence in any order.
#[derive(Default)]
pub(crate) struct AssessmentRows {
    assessments: Vec<StoredAssessment>,
    /// Ratings and evidence name their assessment by key: a whole cycle's read has thousands.
    positions: rustc_hash::FxHashMap<i64, usize>,
    expectations: Option<Parsed<ExpectationId>>,
    /// Evidence of one assessment is often dated alike.
    dates: Option<Parsed<Date>>,
}

impl AssessmentRows {
    pub(crate) fn head(&mut self, row: &(impl Cells + ?Sized)) -> Result<(), StoreError> {
        let head = assessment_head(row)?;
        self.positions.insert(head.assessment.id.get(), self.assessments.len());
        self.assessments.push(head);
        Ok(())
    }

    /// The entry of a rating's or a piece of evidence's expectation in its assessment (columns
    /// 0 and 1), or none for an assessment not read.
    fn entry(
        &mut self,
        row: &(impl Cells + ?Sized),
    ) -> Result<Option<&mut ExpectationRating>, StoreError> {
        let Some(&position) = self.positions.get(&row.integer(0)?) else { return Ok(None) };
        let expectation = self.expectation(&row.str(1)?)?;
        Ok(Some(entry_for(&mut self.assessments[position].assessment.entries, expectation)))
    }

    pub(crate) fn rating(&mut self, row: &(impl Cells + ?Sized)) -> Result<(), StoreError> {
        if let Some(entry) = self.entry(row)? {
            entry.rating = Some(row.text(2)?);
        }
        Ok(())
    }

    pub(crate) fn evidence(&mut self, row: &(impl Cells + ?Sized)) -> Result<(), StoreError> {
        let dates = self.dates.get_or_insert_with(|| Parsed::new(date));
        let date = dates.get(&row.str(4)?)?;
        if let Some(entry) = self.entry(row)? {
            entry.evidence.push(Evidence { text: row.text(2)?, link: row.optional_text(3)?, date });
        }
        Ok(())
    }

    /// An expectation id of these rows, parsed once however many rows name it.
    pub(crate) fn expectation(&mut self, text: &str) -> Result<ExpectationId, StoreError> {
        self.expectations.get_or_insert_with(|| Parsed::new(expectation_id)).get(text)
    }

    /// The assessment of this key, when its head was read.
    pub(crate) fn by_key(&self, key: i64) -> Option<&StoredAssessment> {
        self.positions.get(&key).map(|&position| &self.assessments[position])
    }

    pub(crate) fn finish(self) -> Vec<StoredAssessment> {
        self.assessments
    }
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
            "SELECT c.name, g.subject_id, g.expectation_id, g.rating, a.assessor_id, a.pk, a.framework_pk, g.agreed_at, g.rationale \
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
pub(crate) fn decode_agreements_in(
    rows: &[Row],
    cycle_order: Option<&[CycleName]>,
) -> Result<Vec<StoredAgreement>, StoreError> {
    let mut agreements = AgreementRows::default();
    for row in rows {
        agreements.row(row)?;
    }
    Ok(agreements.finish(cycle_order))
}

/// Agreed ratings put together from the rows of [`agreement_query`] as they come.
#[derive(Default)]
pub(crate) struct AgreementRows {
    agreements: Vec<StoredAgreement>,
    parsed: Option<AgreementTexts>,
}

/// The texts an agreed rating's row repeats, each parsed once.
struct AgreementTexts {
    cycles: Parsed<CycleName>,
    people: Parsed<PersonId>,
    expectations: Parsed<ExpectationId>,
    /// The ratings a manager agrees on at once share their time.
    times: Parsed<Timestamp>,
}

impl AgreementRows {
    pub(crate) fn row(&mut self, row: &(impl Cells + ?Sized)) -> Result<(), StoreError> {
        let parsed = self.parsed.get_or_insert_with(|| AgreementTexts {
            cycles: Parsed::new(cycle_name),
            people: Parsed::new(person_id),
            expectations: Parsed::new(expectation_id),
            times: Parsed::new(timestamp),
        });
        self.agreements.push(StoredAgreement {
            cycle: parsed.cycles.get(&row.str(0)?)?,
            subject: parsed.people.get(&row.str(1)?)?,
            expectation: parsed.expectations.get(&row.str(2)?)?,
            rating: row.text(3)?,
            agreed_by: parsed.people.get(&row.str(4)?)?,
            assessment: AssessmentId::new(row.integer(5)?),
            framework_pk: row.integer(6)?,
            agreed_at: parsed.times.get(&row.str(7)?)?,
            rationale: row.optional_text(8)?,
        });
        Ok(())
    }

    /// An agreed rating decoded by other means.
    pub(crate) fn push(&mut self, agreement: StoredAgreement) {
        self.agreements.push(agreement);
    }

    /// The agreed ratings, sorted as [`decode_agreements_in`] says.
    pub(crate) fn finish(self, cycle_order: Option<&[CycleName]>) -> Vec<StoredAgreement> {
        let mut agreements = self.agreements;
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
        agreements
    }
}

/// The cycles of `agreements`, in the order they first come.
pub(crate) fn cycles_in_order_of(agreements: &[StoredAgreement]) -> Vec<CycleName> {
    let mut cycles: Vec<CycleName> = Vec::new();
    for agreement in agreements {
        if !cycles.contains(&agreement.cycle) {
            cycles.push(agreement.cycle.clone());
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

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
}
