//! Where people stand: their assessment record, readiness for a level, history across cycles,
//! and a manager's view of their reporting line.

use rungs_core::Level;
use rungs_core::assess::{
    AgreedRating, AssessmentRecord, GivenRating, History, Readiness, TeamMember, TeamView,
    default_target,
};
use rungs_core::org::{Person, PersonId};
use rungs_store::{AgreementFilter, AssessmentFilter, Records, StoredAgreement};

use crate::{App, AppError};

/// A person and their readiness for a target level.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonReadiness {
    pub person: Person,
    pub readiness: Readiness,
}

/// How many of the weakest expectations a team view lists.
const WEAKEST_LISTED: usize = 10;

impl App {
    /// Agreed ratings with where each expectation was in the version it was agreed against.
    pub(crate) async fn agreed_ratings(
        &self,
        stored: &[StoredAgreement],
    ) -> Result<Vec<AgreedRating>, AppError> {
        let mut agreed = Vec::with_capacity(stored.len());
        for agreement in stored {
            let framework = self.framework_at(agreement.framework_pk).await?;
            // The store only keeps agreements checked against this version.
            let Some((level, expectation)) = framework.expectation(agreement.expectation.as_str())
            else {
                continue;
            };
            agreed.push(AgreedRating {
                cycle: agreement.cycle.clone(),
                expectation: agreement.expectation.clone(),
                rating: agreement.rating.clone(),
                agreed_by: agreement.agreed_by.clone(),
                level: level.id.clone(),
                dimension: expectation.dimension.clone(),
                text_when_rated: expectation.text.clone(),
            });
        }
        Ok(agreed)
    }

    /// Everything assessed about a person: agreed ratings, and the ratings and evidence of
    /// the latest revision of every submitted assessment.
    pub async fn record(&self, person: &PersonId) -> Result<AssessmentRecord, AppError> {
        let cycles = self.store.cycles().await?.into_iter().map(|cycle| cycle.name).collect();
        let stored = self
            .store
            .agreements(&AgreementFilter { subject: Some(person.clone()), cycle: None })
            .await?;
        let agreed = self.agreed_ratings(&stored).await?;
        let submitted = self
            .store
            .assessments(&AssessmentFilter {
                subject: Some(person.clone()),
                latest_submitted: true,
                ..AssessmentFilter::default()
            })
            .await?;
        let given = submitted
            .into_iter()
            .flat_map(|stored| {
                let assessment = stored.assessment;
                assessment
                    .entries
                    .into_iter()
                    .map(|entry| GivenRating {
                        cycle: assessment.cycle.clone(),
                        expectation: entry.expectation,
                        assessor: assessment.assessor.clone(),
                        kind: assessment.kind,
                        rating: entry.rating,
                        evidence: entry.evidence,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        Ok(AssessmentRecord { cycles, agreed, given })
    }

    /// A person's readiness for `target`, by default the next level of their track.
    pub async fn readiness(
        &self,
        person: &str,
        target: Option<&str>,
    ) -> Result<PersonReadiness, AppError> {
        let person = self.person(person).await?;
        let framework = self.current_framework().await?;
        let target = target_level(&framework, &person, target)?;
        let record = self.record(&person.id).await?;
        let readiness = Readiness::evaluate(&framework, target, &record);
        Ok(PersonReadiness { person, readiness })
    }

    /// A person's ratings per dimension across cycles, and their level changes.
    pub async fn history(&self, person: &str) -> Result<History, AppError> {
        let person = self.person(person).await?;
        let framework = self.current_framework().await?;
        let record = self.record(&person.id).await?;
        let changes = self.store.level_changes(&person.id).await?;
        Ok(History::build(&framework, &record, changes))
    }

    /// The weakest expectations across a manager's reporting line, and who is ready or close.
    pub async fn team(&self, manager: &str) -> Result<TeamView, AppError> {
        let manager = self.person(manager).await?;
        let framework = self.current_framework().await?;
        let members = self.store.reporting_line(&manager.id).await?;
        let mut records = Vec::with_capacity(members.len());
        for member in &members {
            let record = self.record(&member.id).await?;
            let readiness = framework
                .level(member.level.as_str())
                .and_then(|level| framework.next_level(level))
                .map(|target| Readiness::evaluate(&framework, target, &record));
            records.push((record, readiness));
        }
        let team: Vec<TeamMember<'_>> = members
            .iter()
            .zip(&records)
            .map(|(person, (record, readiness))| TeamMember {
                person,
                record,
                readiness: readiness.as_ref(),
            })
            .collect();
        Ok(TeamView::build(&framework, &manager.id, &team, WEAKEST_LISTED))
    }
}

/// The level `target` names, or the next level of the person's track.
pub(crate) fn target_level<'f>(
    framework: &'f rungs_core::Framework,
    person: &Person,
    target: Option<&str>,
) -> Result<&'f Level, AppError> {
    if let Some(target) = target {
        return framework.level(target).ok_or_else(|| AppError::NotFound {
            what: "level",
            id: target.to_owned(),
            suggestion: rungs_core::suggest::did_you_mean(
                target,
                framework.levels().iter().map(|level| level.id.as_str()),
            ),
        });
    }
    let current = framework.level(person.level.as_str()).ok_or_else(|| {
        AppError::invalid(
            "level",
            format!(
                "`{}` has level `{}`, which is not in the active framework",
                person.id, person.level
            ),
        )
    })?;
    Ok(default_target(framework, current)?)
}
