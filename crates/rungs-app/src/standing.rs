//! Where people stand: their assessment record, readiness for a level, history across cycles,
//! and a manager's view of their reporting line.

use rungs_core::Level;
use rungs_core::assess::{
    AgreedRating, Assessment, AssessmentRecord, AssessmentStatus, Cycle, GivenRating, GrowthPlan,
    History, LevelScore, PlanProgress, Readiness, default_target, level_scores,
};
use rungs_core::org::{OrgMember, Person, PersonId};
use rungs_store::{AgreementFilter, AssessmentFilter, Records, RecordsAt, StoredAgreement};

use crate::{App, AppError};

/// A person and their readiness for a target level.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonReadiness {
    pub person: Person,
    pub readiness: Readiness,
}

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
            .agreements(&AgreementFilter {
                subject: Some(person.clone()),
                cycle: None,
                subjects: Vec::new(),
            })
            .await?;
        let agreed = self.agreed_ratings(&stored).await?;
        let assessments: Vec<Assessment> = self
            .store
            .assessments(&AssessmentFilter {
                subject: Some(person.clone()),
                ..AssessmentFilter::default()
            })
            .await?
            .into_iter()
            .map(|stored| stored.assessment)
            .collect();
        Ok(AssessmentRecord::new(cycles, agreed, given_ratings(&assessments)))
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

/// Everything a person's page shows, read once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Standing {
    pub person: Person,
    /// Nearest first.
    pub managers: Vec<OrgMember>,
    /// Active direct reports, by name.
    pub reports: Vec<OrgMember>,
    pub readiness: Option<Readiness>,
    /// Agreed scores per dimension against the current level and the target level.
    pub current_scores: Vec<LevelScore>,
    pub target_scores: Vec<LevelScore>,
    pub history: History,
    pub plan: Option<(GrowthPlan, PlanProgress)>,
    pub assessments: Vec<Assessment>,
    /// Every cycle, oldest first.
    pub cycles: Vec<Cycle>,
    pub open_cycle: Option<Cycle>,
    /// The framework all of this was read against.
    #[serde(skip)]
    pub framework: std::sync::Arc<rungs_core::Framework>,
}

impl App {
    /// A person and their records, read in one round trip at one org version.
    async fn person_and_records(
        &self,
        id: &PersonId,
    ) -> Result<Option<(Person, RecordsAt)>, AppError> {
        Ok(self.store.person_records(id).await?.map(|read| (read.person, read.records)))
    }

    /// A person's page: who they are, their readiness for `target` (by default their next
    /// level; none at the top of a track), scores, history, plan and assessments. Everything is
    /// read in one round trip; managers and reports come from the org chart in memory.
    pub async fn standing(&self, person: &str, target: Option<&str>) -> Result<Standing, AppError> {
        let id = PersonId::parse(person).map_err(|_| AppError::not_found("person", person))?;
        let (person, records) = self
            .person_and_records(&id)
            .await?
            .ok_or_else(|| AppError::not_found("person", person))?;
        let framework = match records.active_framework_key {
            Some(key) => self.framework_at(key).await?,
            None => self.current_framework().await?,
        };
        let agreed = self.agreed_ratings(&records.agreements).await?;
        let assessments: Vec<Assessment> =
            records.assessments.into_iter().map(|stored| stored.assessment).collect();
        let record = AssessmentRecord::new(
            records.cycles.iter().map(|cycle| cycle.name.clone()).collect(),
            agreed,
            given_ratings(&assessments),
        );
        let (managers, reports) = self.org_at(records.org_version).await?.around(&person);
        let target = match target_level(&framework, &person, target) {
            Ok(level) => Some(level),
            Err(AppError::Rule(rungs_core::assess::AssessError::NoNextLevel { .. })) => None,
            Err(other) => return Err(other),
        };
        let readiness = target.map(|target| Readiness::evaluate(&framework, target, &record));
        let current_scores = framework
            .level(person.level.as_str())
            .map(|level| level_scores(&framework, level, &record))
            .unwrap_or_default();
        let target_scores =
            target.map(|level| level_scores(&framework, level, &record)).unwrap_or_default();
        let history = History::build(&framework, &record, records.level_changes);
        let plan = match records.plans.into_iter().last() {
            Some(plan) => {
                let readiness_for_plan =
                    match (framework.level(plan.target_level.as_str()), &readiness) {
                        (Some(level), Some(readiness)) if readiness.target == level.id => {
                            readiness.clone()
                        }
                        (Some(level), _) => Readiness::evaluate(&framework, level, &record),
                        (None, _) => {
                            return Err(AppError::invalid(
                                "plan",
                                format!(
                                    "the plan's target `{}` is not in the active framework",
                                    plan.target_level
                                ),
                            ));
                        }
                    };
                let progress = PlanProgress::of(&plan, &readiness_for_plan, self.today());
                Some((plan, progress))
            }
            None => None,
        };
        let open_cycle = records.cycles.iter().rev().find(|cycle| cycle.is_open()).cloned();
        Ok(Standing {
            person,
            managers,
            reports,
            readiness,
            current_scores,
            target_scores,
            history,
            plan,
            assessments,
            cycles: records.cycles,
            open_cycle,
            framework,
        })
    }
}

/// The ratings and evidence of the latest submitted revision of each assessment: a correction
/// still in draft hides nothing.
pub(crate) fn given_ratings(assessments: &[Assessment]) -> Vec<GivenRating> {
    let submitted = |assessment: &&Assessment| assessment.status == AssessmentStatus::Submitted;
    assessments
        .iter()
        .filter(submitted)
        .filter(|assessment| {
            !assessments.iter().filter(submitted).any(|later| later.revises == Some(assessment.id))
        })
        .flat_map(|assessment| {
            assessment.entries.iter().map(|entry| GivenRating {
                cycle: assessment.cycle.clone(),
                expectation: entry.expectation.clone(),
                assessor: assessment.assessor.clone(),
                kind: assessment.kind,
                rating: entry.rating.clone(),
                evidence: entry.evidence.clone(),
            })
        })
        .collect()
}
