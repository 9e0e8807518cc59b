//! The reads whole-line views make of standings and records, a chunk of people at a time in
//! one snapshot: memory is bounded by the chunk, not by the line.

use std::future::Future;

use rungs_core::org::PersonId;

use crate::cells::Cells;
use crate::decode::person_id;
use crate::parsed::Parsed;
use crate::reads::{
    AGREEMENTS_IN_CYCLE_ORDER, AgreementFilter, AssessmentFilter, StoredAgreement,
    StoredAssessment, agreement_query, assessment_queries, decode_agreements, decode_assessments,
};
use crate::sql::{Query, Value, placeholders};
use crate::standings::{STANDING_COLUMNS, StoredStanding, decode_standing};
use crate::{Storage, StoreError};

/// How many people one read of standings names: the most a line view holds at once.
pub const STANDINGS_CHUNK: usize = 500;

fn ids(people: &[PersonId]) -> Vec<Value> {
    people.iter().map(|person| Value::text(person.as_str())).collect()
}

/// An agreed rating of a person's latest rated cycle, as the team view tallies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestAgreed {
    pub subject: PersonId,
    pub expectation: String,
    pub rating: String,
}

/// What a line view reads of a chunk of people, in one snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineChunk {
    /// Those of the people who have a standing; someone without one has no record.
    pub standings: Vec<StoredStanding>,
    /// The agreed ratings of each standing's latest cycle, by subject.
    pub latest: Vec<LatestAgreed>,
}

/// What a standing is computed from, for a chunk of people, in one snapshot: the change counts
/// are those of exactly these records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandingInputs {
    pub changes: Vec<(PersonId, i64)>,
    pub agreements: Vec<StoredAgreement>,
    pub assessments: Vec<StoredAssessment>,
}

/// The reads of standings, for any backend.
pub trait Standings: Storage + Sync {
    /// The standings of `people` (at most [`STANDINGS_CHUNK`]) and the agreed ratings of each
    /// one's latest cycle, in one round trip.
    fn line_chunk(
        &self,
        people: &[PersonId],
    ) -> impl Future<Output = Result<LineChunk, StoreError>> + Send {
        let list = placeholders(0, people.len());
        let queries = vec![
            Query::new(
                format!("SELECT {STANDING_COLUMNS} FROM standings s WHERE s.person_id IN ({list})"),
                ids(people),
            ),
            Query::new(
                format!(
                    "SELECT g.subject_id, g.expectation_id, g.rating FROM standings s \
                     JOIN agreements g ON g.subject_id = s.person_id AND g.cycle_pk = s.latest_cycle_pk \
                     WHERE s.person_id IN ({list})"
                ),
                ids(people),
            ),
        ];
        async move {
            if people.is_empty() {
                return Ok(LineChunk::default());
            }
            let results = self.fetch_many(queries).await?;
            let [standings, latest] = results.as_slice() else {
                return Err(StoreError::Corrupt("a batch of reads lost a read".to_owned()));
            };
            let mut subjects = Parsed::new(person_id);
            Ok(LineChunk {
                standings: standings.iter().map(decode_standing).collect::<Result<_, _>>()?,
                latest: latest
                    .iter()
                    .map(|row| {
                        Ok(LatestAgreed {
                            subject: subjects.get(&row.str(0)?)?,
                            expectation: row.text(1)?,
                            rating: row.text(2)?,
                        })
                    })
                    .collect::<Result<_, StoreError>>()?,
            })
        }
    }

    /// The change counts and whole records of `people` (at most [`STANDINGS_CHUNK`]), in one
    /// round trip: what their standings are computed from.
    fn standing_inputs(
        &self,
        people: &[PersonId],
    ) -> impl Future<Output = Result<StandingInputs, StoreError>> + Send {
        let subjects = people.to_vec();
        let counts = Query::new(
            format!(
                "SELECT person_id, changes FROM standings WHERE person_id IN ({})",
                placeholders(0, people.len())
            ),
            ids(people),
        );
        let agreements = agreement_query(
            &AgreementFilter { subjects: subjects.clone(), ..AgreementFilter::default() },
            AGREEMENTS_IN_CYCLE_ORDER,
        );
        let [heads, ratings, evidence] =
            assessment_queries(&AssessmentFilter { subjects, ..AssessmentFilter::default() });
        async move {
            if people.is_empty() {
                return Ok(StandingInputs::default());
            }
            let results =
                self.fetch_many(vec![counts, agreements, heads, ratings, evidence]).await?;
            let [counts, agreements, heads, ratings, evidence] = results.as_slice() else {
                return Err(StoreError::Corrupt("a batch of reads lost a read".to_owned()));
            };
            Ok(StandingInputs {
                changes: counts
                    .iter()
                    .map(|row| Ok((person_id(&row.str(0)?)?, row.integer(1)?)))
                    .collect::<Result<_, StoreError>>()?,
                agreements: decode_agreements(agreements)?,
                assessments: decode_assessments(heads, ratings, evidence)?,
            })
        }
    }
}

impl<S: Storage + Sync> Standings for S {}
