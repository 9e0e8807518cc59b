//! Where people stand: their assessment record, readiness for a level, history across cycles,
//! and a manager's view of their reporting line.

use rungs_core::Level;
use rungs_core::assess::{
    AgreedRating, AnonymousPeers, Assessment, AssessmentKind, AssessmentRecord, AssessmentStatus,
    Cycle, CycleOutcome, ExpectationRating, GivenRating, GrowthPlan, History, LevelScore,
    PeerFeedbackPolicy, PlanProgress, Readiness, WithheldPeers, conceal_peers, default_target,
    level_scores, withheld_peer_cycles,
};
use rungs_core::org::{Names, OrgMember, Person, PersonId};
use rungs_store::{
    AgreementFilter, AssessmentFilter, Nominations, Records, RecordsAt, StoredAgreement,
};

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
                agreed_at: agreement.agreed_at,
                rationale: agreement.rationale.clone(),
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
        let mut readiness = Readiness::evaluate(&framework, target, &record);
        if let Some(anonymous) = self.anonymous_peers_for_reader(&person.id, &framework).await? {
            let withheld = withheld_peer_cycles(&record, &anonymous);
            conceal_peers(&mut readiness, &anonymous, &withheld);
        }
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
    let Some(level) = &person.level else {
        return Err(rungs_core::assess::AssessError::OffLadder { person: person.id.clone() }.into());
    };
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
    let current = framework.level(level.as_str()).ok_or_else(|| {
        AppError::invalid(
            "level",
            format!("`{}` has level `{level}`, which is not in the active framework", person.id),
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
    /// The plans the current one replaced, oldest first: kept as history.
    pub earlier_plans: Vec<GrowthPlan>,
    /// Every assessment of the person, all revisions, without their entries: the ratings and
    /// evidence that count are in the readiness, scores and history above.
    pub assessments: Vec<Assessment>,
    /// The outcome agreed in each cycle, in the order the cycles were opened, and whether the
    /// person acknowledged it.
    pub outcomes: Vec<CycleOutcome>,
    /// Every cycle, oldest first.
    pub cycles: Vec<Cycle>,
    pub open_cycle: Option<Cycle>,
    /// The names of the people the record names: who wrote each assessment, and so who gave
    /// each rating and piece of evidence and who agreed.
    pub names: Names,
    /// The cycles whose peer feedback is held back from the person reading their own page:
    /// too few peers have submitted for it to be anonymous.
    pub withheld_peers: Vec<WithheldPeers>,
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
        let mut assessments: Vec<Assessment> =
            records.assessments.into_iter().map(|stored| stored.assessment).collect();
        let given = take_given_ratings(&mut assessments);
        let record = AssessmentRecord::new(
            records.cycles.iter().map(|cycle| cycle.name.clone()).collect(),
            agreed,
            given,
        );
        let anonymous = self.anonymous_peers_for_reader(&person.id, &framework).await?;
        if let Some(anonymous) = &anonymous {
            // Their anonymous peers' assessments are not theirs to open one by one, nor to count
            // names in.
            assessments.retain(|assessment| {
                assessment.kind != AssessmentKind::Peer
                    || !anonymous.includes(&assessment.cycle, &assessment.assessor)
            });
        }
        let outcomes = crate::agreements::in_cycle_order(
            rungs_core::assess::cycle_outcomes(record.agreed(), &records.acknowledgements),
            &records.cycles,
        );
        let org = self.org_at(records.org_version).await?;
        let (managers, reports) = org.around(&person);
        let names = org.names(assessments.iter().map(|assessment| &assessment.assessor));
        let target = match target_level(&framework, &person, target) {
            Ok(level) => Some(level),
            Err(AppError::Rule(
                rungs_core::assess::AssessError::NoNextLevel { .. }
                | rungs_core::assess::AssessError::OffLadder { .. },
            )) => None,
            Err(other) => return Err(other),
        };
        let mut readiness = target.map(|target| Readiness::evaluate(&framework, target, &record));
        // Computed from everything, shown as the subject may see it.
        let withheld_peers = match &anonymous {
            Some(anonymous) => withheld_peer_cycles(&record, anonymous),
            None => Vec::new(),
        };
        if let (Some(anonymous), Some(readiness)) = (&anonymous, readiness.as_mut()) {
            conceal_peers(readiness, anonymous, &withheld_peers);
        }
        let current_scores = person
            .level
            .as_ref()
            .and_then(|level| framework.level(level.as_str()))
            .map(|level| level_scores(&framework, level, &record))
            .unwrap_or_default();
        let target_scores =
            target.map(|level| level_scores(&framework, level, &record)).unwrap_or_default();
        let history = History::build(&framework, &record, records.level_changes);
        let mut plans = records.plans;
        let latest_plan = plans.pop();
        let plan = match latest_plan {
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
            outcomes,
            open_cycle,
            names,
            earlier_plans: plans,
            withheld_peers,
            framework,
        })
    }
}

impl App {
    /// Whose peer feedback this request's reader sees without names, when the reader is
    /// `subject`: everyone's under anonymous feedback; under named feedback, that of the peers
    /// asked while it was anonymous. `None` for anyone else who may read it: they see it all.
    async fn anonymous_peers_for_reader(
        &self,
        subject: &PersonId,
        framework: &rungs_core::Framework,
    ) -> Result<Option<AnonymousPeers>, AppError> {
        if self.reader.as_ref() != Some(subject) {
            return Ok(None);
        }
        self.anonymous_peers_of(subject, framework).await.map(Some)
    }

    /// Whose peer feedback `subject` sees without names under `framework`.
    pub(crate) async fn anonymous_peers_of(
        &self,
        subject: &PersonId,
        framework: &rungs_core::Framework,
    ) -> Result<AnonymousPeers, AppError> {
        Ok(match framework.peer_feedback() {
            PeerFeedbackPolicy::Anonymous => AnonymousPeers::All,
            PeerFeedbackPolicy::Named => {
                AnonymousPeers::Only(self.store.anonymous_peers_of(subject).await?)
            }
        })
    }
}

/// The ratings and evidence of the latest submitted revision of each assessment, as
/// [`given_ratings`] gives them, moved out of the assessments: every entry is taken, so that
/// none is copied.
fn take_given_ratings(assessments: &mut [Assessment]) -> Vec<GivenRating> {
    let counted: Vec<bool> = assessments.iter().map(|one| counts(one, assessments)).collect();
    let mut given = Vec::new();
    for (assessment, counted) in assessments.iter_mut().zip(counted) {
        let entries = std::mem::take(&mut assessment.entries);
        if counted {
            given.extend(entries.into_iter().map(|entry| given_rating(assessment, entry)));
        }
    }
    given
}

/// Whether `assessment`'s ratings count: it is submitted, and no submitted revision of it is
/// among `assessments` (a correction still in draft hides nothing).
fn counts(assessment: &Assessment, assessments: &[Assessment]) -> bool {
    let submitted = |assessment: &Assessment| assessment.status == AssessmentStatus::Submitted;
    submitted(assessment)
        && !assessments.iter().any(|later| submitted(later) && later.revises == Some(assessment.id))
}

/// The ratings and evidence of the latest submitted revision of each assessment: a correction
/// still in draft hides nothing.
pub(crate) fn given_ratings(assessments: &[Assessment]) -> Vec<GivenRating> {
    assessments
        .iter()
        .filter(|assessment| counts(assessment, assessments))
        .flat_map(|assessment| {
            assessment.entries.iter().map(|entry| given_rating(assessment, entry.clone()))
        })
        .collect()
}

/// One entry of `assessment` as a rating given in its cycle.
fn given_rating(assessment: &Assessment, entry: ExpectationRating) -> GivenRating {
    GivenRating {
        cycle: assessment.cycle.clone(),
        expectation: entry.expectation,
        assessor: assessment.assessor.clone(),
        kind: assessment.kind,
        rating: entry.rating,
        evidence: entry.evidence,
        submitted_at: assessment.submitted_at,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use rungs_core::ExpectationId;
    use rungs_core::assess::{
        AssessmentId, AssessmentKind, CycleName, Evidence, ExpectationRating, FrameworkVersion,
    };

    use super::*;

    fn assessment(id: i64, status: AssessmentStatus, revises: Option<i64>) -> Assessment {
        let entry = |expectation: &str, rating: &str| ExpectationRating {
            expectation: ExpectationId::parse(expectation).unwrap(),
            rating: Some(rating.to_owned()),
            evidence: vec![
                Evidence::new(&format!("evidence of {id}"), None, jiff::civil::date(2026, 9, 1))
                    .unwrap(),
            ],
        };
        Assessment {
            id: AssessmentId::new(id),
            cycle: CycleName::parse("2026-H2").unwrap(),
            subject: PersonId::parse("E2").unwrap(),
            assessor: PersonId::parse("E1").unwrap(),
            kind: AssessmentKind::Manager,
            current_level: rungs_core::LevelId::parse("ic3").unwrap(),
            target_level: rungs_core::LevelId::parse("ic4").unwrap(),
            framework: FrameworkVersion { framework_id: "acme".into(), version: "1".into() },
            status,
            revision: if revises.is_some() { 2 } else { 1 },
            revises: revises.map(AssessmentId::new),
            superseded_by: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            submitted_at: None,
            entries: vec![
                entry("ic4.craft.design", "meets"),
                entry("ic4.craft.code", "developing"),
            ],
        }
    }

    /// The person page moves the ratings out of its assessments rather than copying them: it
    /// must count the same ones, the latest submitted revision of each, drafts never.
    #[test]
    fn taking_the_given_ratings_gives_what_copying_them_gives() {
        let mut assessments = vec![
            assessment(1, AssessmentStatus::Submitted, None),
            assessment(2, AssessmentStatus::Submitted, Some(1)),
            assessment(3, AssessmentStatus::Submitted, None),
            assessment(4, AssessmentStatus::Draft, Some(3)),
            assessment(5, AssessmentStatus::Draft, None),
        ];
        let copied = given_ratings(&assessments);
        let taken = take_given_ratings(&mut assessments);
        assert_eq!(taken, copied);
        let from: Vec<&str> = taken.iter().map(|given| given.evidence[0].text.as_str()).collect();
        assert_eq!(from, ["evidence of 2", "evidence of 2", "evidence of 3", "evidence of 3"]);
        assert!(assessments.iter().all(|assessment| assessment.entries.is_empty()));
    }
}
