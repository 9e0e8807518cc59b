//! Standings kept current: a chunk of people's standings computed from their whole records,
//! and stored unless a write changed a record meanwhile. Standings are derived data, like an
//! index: storing them changes nothing a person did, so it writes no audit entry.

use rustc_hash::FxHashMap;

use rungs_core::Framework;
use rungs_core::assess::{Assessment, AssessmentRecord, CycleName, PersonStanding};
use rungs_core::org::PersonId;
use rungs_store::{Change, Records, StandingWrite, Standings, StoredAgreement};

use crate::current_org::CurrentOrg;
use crate::standing::given_ratings;
use crate::{App, AppError};

/// A standing computed from a record, with the agreed ratings (expectation, label) of its
/// latest cycle.
#[derive(Debug, Clone)]
pub(crate) struct Computed {
    pub person: PersonId,
    pub standing: PersonStanding,
    pub latest: Vec<(String, String)>,
}

/// How many people's whole records are read at once to compute their standings. A fully
/// assessed person has about 350 rows (ratings, evidence, agreed ratings in two cycles): 100
/// people are about 35,000 rows, a few tens of MB while decoded, whatever the line's size.
const RECORDS_CHUNK: usize = 100;

impl App {
    /// Computes the standings of `people` (at most `STANDINGS_CHUNK` active people of `org`;
    /// anyone else is skipped) against `framework`, stored under `framework_key`, and stores
    /// those whose records did not change since they were read.
    pub(crate) async fn compute_standings(
        &self,
        org: &CurrentOrg,
        framework_key: i64,
        framework: &Framework,
        cycles: &[CycleName],
        people: &[PersonId],
    ) -> Result<Vec<Computed>, AppError> {
        let mut computed = Vec::with_capacity(people.len());
        for part in people.chunks(RECORDS_CHUNK) {
            computed.extend(
                self.compute_standings_of(org, framework_key, framework, cycles, part).await?,
            );
        }
        Ok(computed)
    }

    /// [`Self::compute_standings`] for at most [`RECORDS_CHUNK`] people.
    async fn compute_standings_of(
        &self,
        org: &CurrentOrg,
        framework_key: i64,
        framework: &Framework,
        cycles: &[CycleName],
        people: &[PersonId],
    ) -> Result<Vec<Computed>, AppError> {
        let inputs = self.store.standing_inputs(people).await?;
        let mut agreements: FxHashMap<PersonId, Vec<StoredAgreement>> = FxHashMap::default();
        for agreement in inputs.agreements {
            agreements.entry(agreement.subject.clone()).or_default().push(agreement);
        }
        let mut assessments: FxHashMap<PersonId, Vec<Assessment>> = FxHashMap::default();
        for stored in inputs.assessments {
            assessments
                .entry(stored.assessment.subject.clone())
                .or_default()
                .push(stored.assessment);
        }
        let changes: FxHashMap<&PersonId, i64> =
            inputs.changes.iter().map(|(person, changes)| (person, *changes)).collect();
        let mut computed = Vec::with_capacity(people.len());
        let mut writes = Vec::new();
        for person in people {
            let Some(position) = org.find(person.as_str()) else { continue };
            // Someone off the ladder has no standing.
            let Some(level) = &org.chart.member(position).level else { continue };
            let agreed = match agreements.get(person) {
                Some(stored) => self.agreed_ratings(stored).await?,
                None => Vec::new(),
            };
            let given = assessments.get(person).map(|list| given_ratings(list)).unwrap_or_default();
            let record = AssessmentRecord::new(cycles.to_vec(), agreed, given);
            let standing = PersonStanding::of(framework, level, &record);
            let latest = standing
                .latest_cycle
                .as_ref()
                .map(|cycle| {
                    record
                        .agreed_in_cycle(cycle)
                        .iter()
                        .map(|agreed| (agreed.expectation.to_string(), agreed.rating.clone()))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(&from_changes) = changes.get(person) {
                writes.push(Change::PutStanding(StandingWrite {
                    person: person.clone(),
                    from_changes,
                    framework_pk: framework_key,
                    standing: standing.clone(),
                }));
            }
            computed.push(Computed { person: person.clone(), standing, latest });
        }
        if !writes.is_empty() {
            self.store.apply(&writes).await?;
        }
        Ok(computed)
    }

    /// Brings the standings of `people` up to date after a write that changed their records,
    /// so that the next whole-line view reads them rather than computing them. The write
    /// itself has committed, and raised their change counts with it: should this fail, those
    /// standings stay out of date, and the next view that reads them computes them.
    pub(crate) async fn refresh_standings(&self, people: &[PersonId]) {
        let refreshed: Result<(), AppError> = async {
            let org = self.current_org().await?;
            let (key, framework) = self.standings_framework().await?;
            let cycles: Vec<CycleName> =
                self.store.cycles().await?.into_iter().map(|cycle| cycle.name).collect();
            for chunk in people.chunks(rungs_store::STANDINGS_CHUNK) {
                self.compute_standings(&org, key, &framework, &cycles, chunk).await?;
            }
            Ok(())
        }
        .await;
        // Out of date is safe: every reader checks the change count.
        drop(refreshed);
    }

    /// The key standings are stored under for the framework read now: the active version's,
    /// or 0 for the built-in ladder before anything pinned it.
    pub(crate) async fn standings_framework(
        &self,
    ) -> Result<(i64, std::sync::Arc<Framework>), AppError> {
        match self.store.active_framework_key().await? {
            Some(key) => Ok((key, self.framework_at(key).await?)),
            None => Ok((0, self.current_framework().await?)),
        }
    }
}
