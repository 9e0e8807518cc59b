//! Assessments: create, rate, attach evidence, submit, revise, and read them back against the
//! framework version they were made with. Agreeing on them is `agreements`'.

use jiff::civil::Date;
use rungs_core::assess::{
    AssessError, Assessment, AssessmentId, AssessmentKind, AssessmentStatus, AssessmentView,
    Evidence, NewAssessmentRequest, SideBySide, Unrated, check_new_assessment,
};
use rungs_core::org::Status;
use rungs_core::{ExpectationId, RatingScale};
use rungs_store::{
    AgreementFilter, AssessmentFilter, Change, Key, NewAssessment, Records, StoredAssessment,
};

use crate::audit::Audit;
use crate::batch_keys::created_key;
use crate::{App, AppError};

/// Ratings as the audit log shows them: expectation to rating.
pub(crate) fn ratings_json<'a>(
    pairs: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> serde_json::Value {
    serde_json::Value::Object(
        pairs
            .map(|(expectation, rating)| {
                (
                    expectation.to_owned(),
                    rating.map_or(serde_json::Value::Null, serde_json::Value::from),
                )
            })
            .collect(),
    )
}

/// The audit entry of a change to ratings: before and after, except that a self-assessment
/// draft's values stay private (nobody but its author sees them, admins reading the audit log
/// included): its entry names the expectations only.
fn ratings_audit(audit: Audit, assessment: &Assessment, ratings: &[(String, String)]) -> Audit {
    if assessment.kind == AssessmentKind::SelfReview {
        let rated: Vec<&str> =
            ratings.iter().map(|(expectation, _)| expectation.as_str()).collect();
        return audit.after(serde_json::json!({ "rated": rated }));
    }
    audit
        .before(ratings_json(
            ratings
                .iter()
                .map(|(expectation, _)| (expectation.as_str(), assessment.rating_of(expectation))),
        ))
        .after(ratings_json(
            ratings
                .iter()
                .map(|(expectation, rating)| (expectation.as_str(), Some(rating.as_str()))),
        ))
}

/// The audit entry of one piece of evidence, the same from every edge: its expectation, text,
/// link and date, except on a self-assessment, whose texts stay private (as its ratings do).
fn evidence_audit(
    id: AssessmentId,
    assessment: &Assessment,
    expectation: &ExpectationId,
    evidence: &Evidence,
) -> Audit {
    let audit = Audit::new("assessment.evidence", target(id)).person(&assessment.subject);
    audit.after(if assessment.kind == AssessmentKind::SelfReview {
        serde_json::json!({ "expectation": expectation.as_str() })
    } else {
        serde_json::json!({
            "expectation": expectation.as_str(),
            "text": evidence.text,
            "link": evidence.link,
            "date": evidence.date.to_string(),
        })
    })
}

/// The audit entry of a submission.
fn submit_audit(id: AssessmentId, assessment: &Assessment) -> Audit {
    Audit::new("assessment.submit", target(id))
        .person(&assessment.subject)
        .before(serde_json::json!({ "status": "draft" }))
        .after(serde_json::json!({ "status": "submitted" }))
}

pub(crate) fn target(id: AssessmentId) -> String {
    format!("assessment {id}")
}

/// What a new assessment is about, as a user names it.
#[derive(Debug, Clone)]
pub struct NewAssessmentInput {
    pub cycle: String,
    pub subject: String,
    pub assessor: String,
    pub kind: AssessmentKind,
    /// The level to assess against; the next level in the subject's track when `None`.
    pub target: Option<String>,
}

impl App {
    /// An assessment by id.
    pub async fn stored_assessment(&self, id: AssessmentId) -> Result<StoredAssessment, AppError> {
        self.store
            .assessment(id)
            .await?
            .ok_or_else(|| AppError::not_found("assessment", id.to_string()))
    }

    /// Creates a draft assessment pinned to the active framework version.
    pub async fn create_assessment(
        &self,
        input: NewAssessmentInput,
    ) -> Result<Assessment, AppError> {
        let mut changes = Vec::new();
        // A peer asked for directly is nominated and approved in the same transaction (a
        // proposal of them approved): every peer draft stands on an approved nomination, which
        // the peer may decline. The assessment's own checks come first, for their messages
        // (the one there is, named); the nomination goes first in the batch.
        if input.kind == AssessmentKind::Peer {
            let (subject, peer) = self.new_assessment_changes(&input, &mut Vec::new()).await?;
            let cycle = self.cycle(&input.cycle).await?;
            changes.push(self.asked_peer_nomination(&cycle, &subject, &peer).await?);
        }
        let (subject_id, assessor_id) = self.new_assessment_changes(&input, &mut changes).await?;
        let position = changes.len() - 1;
        let audit = Audit::new(
            "assessment.create",
            format!("{} assessment of {}", input.kind.as_str(), input.subject),
        )
        .person(&subject_id)
        .after(serde_json::json!({
            "cycle": input.cycle,
            "kind": input.kind.as_str(),
            "assessor": assessor_id.as_str(),
        }));
        let keys = self.write(changes, audit).await?;
        let id = created_key(&keys, position, "assessment")?;
        Ok(self.stored_assessment(AssessmentId::new(id)).await?.assessment)
    }

    /// Checks a new assessment and pushes the changes that create it onto `changes`, the
    /// assessment's last: the built-in ladder first when the instance never chose a framework.
    /// Gives the subject's and the assessor's ids.
    pub(crate) async fn new_assessment_changes(
        &self,
        input: &NewAssessmentInput,
        changes: &mut Vec<Change>,
    ) -> Result<(rungs_core::org::PersonId, rungs_core::org::PersonId), AppError> {
        let cycle = self.cycle(&input.cycle).await?;
        let subject = self.person(&input.subject).await?;
        let assessor = self.person(&input.assessor).await?;
        for person in [&subject, &assessor] {
            if person.status == Status::Left {
                return Err(AppError::invalid(
                    "person",
                    format!("`{}` has left the organisation", person.id),
                ));
            }
        }
        let managers = self.store.manager_chain(&subject.id).await?;
        let existing: Vec<Assessment> = self
            .store
            .assessments(&AssessmentFilter {
                cycle: Some(cycle.name.clone()),
                subject: Some(subject.id.clone()),
                ..AssessmentFilter::default()
            })
            .await?
            .into_iter()
            .map(|stored| stored.assessment)
            .collect();
        let (stored_key, framework) = self.framework_to_pin().await?;
        let target = check_new_assessment(
            &framework,
            NewAssessmentRequest {
                cycle: &cycle,
                kind: input.kind,
                subject: &subject.id,
                subject_level: subject.level.as_ref(),
                subject_managers: &managers,
                assessor: &assessor.id,
                target: input.target.as_deref(),
                existing: &existing,
            },
        )?;
        let current_level = subject
            .level
            .clone()
            .ok_or_else(|| AssessError::OffLadder { person: subject.id.clone() })?;
        self.check_plan_write(
            &cycle,
            rungs_core::assess::Write::Step(rungs_core::assess::Step::of(input.kind)),
            &subject.id,
        )
        .await?;
        // The first assessment of an instance that never chose a framework pins the built-in
        // ladder: it is stored in the same batch, so a refused assessment stores nothing.
        // A batch of several (peers asked at once) stores it once.
        let stored_in_batch =
            changes.iter().position(|change| matches!(change, Change::StoreFramework { .. }));
        let framework_key = match (stored_key, stored_in_batch) {
            (Some(key), _) => Key::Id(key),
            (None, Some(position)) => Key::Change(position),
            (None, None) => {
                changes.push(crate::frameworks::store_builtin());
                Key::Change(changes.len() - 1)
            }
        };
        let (subject_id, assessor_id) = (subject.id.clone(), assessor.id.clone());
        changes.push(Change::CreateAssessment(NewAssessment {
            cycle: cycle.name,
            subject: subject.id,
            assessor: assessor.id,
            kind: input.kind,
            current_level,
            target_level: target,
            framework: framework_key,
            revision: 1,
            revises: None,
            created_at: self.now(),
        }));
        Ok((subject_id, assessor_id))
    }

    /// Rates expectations of a draft, all or none: every rating is checked before any is saved.
    pub async fn rate(
        &self,
        id: AssessmentId,
        ratings: &[(String, String)],
    ) -> Result<Assessment, AppError> {
        let stored = self.stored_assessment(id).await?;
        let cycle = self.cycle(stored.assessment.cycle.as_str()).await?;
        let pinned = self.framework_at(stored.framework_pk).await?;
        self.check_assessment_write(&cycle, &stored.assessment).await?;
        let changes = ratings
            .iter()
            .map(|(expectation, rating)| {
                let expectation =
                    stored.assessment.check_rating(&cycle, &pinned, expectation, rating)?;
                Ok(Change::Rate { assessment: id.into(), expectation, rating: rating.clone() })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let old = &stored.assessment;
        let audit = ratings_audit(
            Audit::new("assessment.rate", target(id)).person(&old.subject),
            old,
            ratings,
        );
        self.write(changes, audit).await?;
        Ok(self.stored_assessment(id).await?.assessment)
    }

    /// Attaches evidence to an expectation of a draft. The date defaults to today.
    pub async fn add_evidence(
        &self,
        id: AssessmentId,
        expectation: &str,
        text: &str,
        link: Option<&str>,
        date: Option<Date>,
    ) -> Result<Assessment, AppError> {
        let stored = self.stored_assessment(id).await?;
        let cycle = self.cycle(stored.assessment.cycle.as_str()).await?;
        let pinned = self.framework_at(stored.framework_pk).await?;
        let expectation = stored.assessment.check_evidence(&cycle, &pinned, expectation)?;
        self.check_assessment_write(&cycle, &stored.assessment).await?;
        let evidence = Evidence::new(text, link, date.unwrap_or_else(|| self.today()))
            .map_err(|error| AppError::invalid("evidence", error))?;
        let audit = evidence_audit(id, &stored.assessment, &expectation, &evidence);
        self.write(
            vec![Change::AddEvidence { assessment: id.into(), expectation, evidence }],
            audit,
        )
        .await?;
        Ok(self.stored_assessment(id).await?.assessment)
    }

    /// Submits a draft, marking what is left unrated not observed or refusing, as `unrated`
    /// says; from now on it never changes.
    pub async fn submit(&self, id: AssessmentId, unrated: Unrated) -> Result<Assessment, AppError> {
        self.save_draft(id, &[], &[], Some(unrated)).await
    }

    /// The expectations a submission of assessment `id` would leave unrated, in the order of
    /// its levels: what a confirmation asks to mark not observed.
    pub async fn unrated(
        &self,
        id: AssessmentId,
    ) -> Result<Vec<rungs_core::Expectation>, AppError> {
        let stored = self.stored_assessment(id).await?;
        let pinned = self.framework_at(stored.framework_pk).await?;
        Ok(stored.assessment.unrated(&pinned, &[]).into_iter().cloned().collect())
    }

    /// Starts a correction of a submitted assessment: a new draft revision with the same
    /// ratings and evidence. The submitted one is kept as it was.
    pub async fn revise(&self, id: AssessmentId) -> Result<Assessment, AppError> {
        let stored = self.stored_assessment(id).await?;
        let old = &stored.assessment;
        let cycle = self.cycle(old.cycle.as_str()).await?;
        old.check_revise(&cycle)?;
        self.check_assessment_write(&cycle, old).await?;
        let revision = old.revision.checked_add(1).ok_or_else(|| {
            AppError::invalid("revision", format!("assessment {id} has too many revisions"))
        })?;
        let mut changes = vec![Change::CreateAssessment(NewAssessment {
            cycle: old.cycle.clone(),
            subject: old.subject.clone(),
            assessor: old.assessor.clone(),
            kind: old.kind,
            current_level: old.current_level.clone(),
            target_level: old.target_level.clone(),
            framework: Key::Id(stored.framework_pk),
            revision,
            revises: Some(id.into()),
            created_at: self.now(),
        })];
        for entry in &old.entries {
            if let Some(rating) = &entry.rating {
                changes.push(Change::Rate {
                    assessment: Key::Change(0),
                    expectation: entry.expectation.clone(),
                    rating: rating.clone(),
                });
            }
            for evidence in &entry.evidence {
                changes.push(Change::AddEvidence {
                    assessment: Key::Change(0),
                    expectation: entry.expectation.clone(),
                    evidence: evidence.clone(),
                });
            }
        }
        let audit = Audit::new("assessment.revise", target(id))
            .person(&old.subject)
            .after(serde_json::json!({ "revision": revision }));
        let keys = self.write(changes, audit).await?;
        let new = created_key(&keys, 0, "revision")?;
        Ok(self.stored_assessment(AssessmentId::new(new)).await?.assessment)
    }

    /// An assessment laid out against its framework version, with what changed since flagged.
    pub async fn assessment_view(&self, id: AssessmentId) -> Result<AssessmentView, AppError> {
        let stored = self.stored_assessment(id).await?;
        let pinned = self.framework_at(stored.framework_pk).await?;
        let current = self.current_framework().await?;
        Ok(AssessmentView::build(stored.assessment, &pinned, &current))
    }

    /// Assessments matching a filter, oldest cycle first.
    pub async fn assessments(
        &self,
        filter: &AssessmentFilter,
    ) -> Result<Vec<Assessment>, AppError> {
        Ok(self
            .store
            .assessments(filter)
            .await?
            .into_iter()
            .map(|stored| stored.assessment)
            .collect())
    }

    /// The latest submitted self and manager assessments of a person in a cycle, side by side.
    pub async fn side_by_side(&self, cycle: &str, subject: &str) -> Result<SideBySide, AppError> {
        let cycle = self.cycle(cycle).await?;
        let subject = self.person(subject).await?;
        let submitted = self
            .store
            .assessments(&AssessmentFilter {
                cycle: Some(cycle.name.clone()),
                subject: Some(subject.id.clone()),
                latest_submitted: true,
                ..AssessmentFilter::default()
            })
            .await?;
        let latest = |kind: AssessmentKind| {
            submitted
                .iter()
                .filter(|stored| {
                    stored.assessment.kind == kind
                        && stored.assessment.status == AssessmentStatus::Submitted
                })
                .max_by_key(|stored| stored.assessment.id)
        };
        let own = latest(AssessmentKind::SelfReview);
        let manager = latest(AssessmentKind::Manager);
        let framework_key = match manager.or(own) {
            Some(stored) => stored.framework_pk,
            None => {
                return Err(AppError::NotFound {
                    what: "submitted self or manager assessment of",
                    id: format!("{} in {}", subject.id, cycle.name),
                    suggestion: String::new(),
                });
            }
        };
        let framework = self.framework_at(framework_key).await?;
        let agreed: Vec<_> = self
            .store
            .agreements(&AgreementFilter {
                subject: Some(subject.id),
                cycle: Some(cycle.name),
                subjects: Vec::new(),
            })
            .await?;
        let agreed = self.agreed_ratings(&agreed).await?;
        Ok(SideBySide::build(
            &framework,
            own.map(|stored| &stored.assessment),
            manager.map(|stored| &stored.assessment),
            &agreed,
        ))
    }
}

/// Evidence for one expectation, as a form or an API body gives it.
#[derive(Debug, Clone)]
pub struct EvidenceInput {
    pub expectation: String,
    pub text: String,
    pub link: Option<String>,
    /// Today when not given.
    pub date: Option<Date>,
}

impl App {
    /// Whether the plan of `cycle` takes a write to `assessment` today.
    async fn check_assessment_write(
        &self,
        cycle: &rungs_core::assess::Cycle,
        assessment: &Assessment,
    ) -> Result<(), AppError> {
        let step = rungs_core::assess::Step::of(assessment.kind);
        self.check_plan_write(cycle, rungs_core::assess::Write::Step(step), &assessment.subject)
            .await
    }

    /// Saves a draft in one go: ratings, new evidence and, with `submit`, the submission
    /// (which marks what is left unrated not observed, or refuses, as `submit` says).
    /// Everything is checked first; on any problem nothing is saved.
    pub async fn save_draft(
        &self,
        id: AssessmentId,
        ratings: &[(String, String)],
        evidence: &[EvidenceInput],
        submit: Option<Unrated>,
    ) -> Result<Assessment, AppError> {
        let stored = self.stored_assessment(id).await?;
        let assessment = &stored.assessment;
        let cycle = self.cycle(assessment.cycle.as_str()).await?;
        let pinned = self.framework_at(stored.framework_pk).await?;
        assessment.check_editable(&cycle)?;
        self.check_assessment_write(&cycle, assessment).await?;
        let mut changes = Vec::new();
        let mut audits = Vec::new();
        if !ratings.is_empty() {
            audits.push(ratings_audit(
                Audit::new("assessment.rate", target(id)).person(&assessment.subject),
                assessment,
                ratings,
            ));
        }
        for (expectation, rating) in ratings {
            let expectation = assessment.check_rating(&cycle, &pinned, expectation, rating)?;
            changes.push(Change::Rate {
                assessment: id.into(),
                expectation,
                rating: rating.clone(),
            });
        }
        for input in evidence {
            let expectation = assessment.check_evidence(&cycle, &pinned, &input.expectation)?;
            let piece = Evidence::new(
                &input.text,
                input.link.as_deref(),
                input.date.unwrap_or_else(|| self.today()),
            )
            .map_err(|error| AppError::invalid(format!("evidence.{expectation}"), error))?;
            audits.push(evidence_audit(id, assessment, &expectation, &piece));
            changes.push(Change::AddEvidence {
                assessment: id.into(),
                expectation,
                evidence: piece,
            });
        }
        if let Some(unrated) = submit {
            let rated: Vec<ExpectationId> = changes
                .iter()
                .filter_map(|change| match change {
                    Change::Rate { expectation, .. } => Some(expectation.clone()),
                    _ => None,
                })
                .collect();
            let not_observed = assessment.check_submit(&cycle, &pinned, &rated, unrated)?;
            if !not_observed.is_empty() {
                let marked: Vec<(String, String)> = not_observed
                    .iter()
                    .map(|expectation| {
                        (expectation.to_string(), RatingScale::NOT_OBSERVED.to_owned())
                    })
                    .collect();
                audits.push(ratings_audit(
                    Audit::new("assessment.rate", target(id)).person(&assessment.subject),
                    assessment,
                    &marked,
                ));
                changes.extend(not_observed.into_iter().map(|expectation| Change::Rate {
                    assessment: id.into(),
                    expectation,
                    rating: RatingScale::NOT_OBSERVED.to_owned(),
                }));
            }
            changes.push(Change::Submit { assessment: id.into(), at: self.now() });
            audits.push(submit_audit(id, assessment));
        }
        if changes.is_empty() {
            // Nothing to save: nothing is written, and nothing audited.
            return Ok(stored.assessment);
        }
        self.write_audited(changes, audits).await?;
        if submit.is_some() {
            self.refresh_standings(std::slice::from_ref(&assessment.subject)).await;
        }
        Ok(self.stored_assessment(id).await?.assessment)
    }
}
