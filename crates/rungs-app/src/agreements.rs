//! Agreed ratings: the manager's final word on each expectation, with a rationale where it
//! overrules the manager's rating, and the subject's acknowledgement of the outcome.

use rungs_core::assess::{
    AcknowledgeError, Acknowledgement, AssessError, Assessment, AssessmentId, CycleOutcome,
    agreed_changes, check_comment, check_rationale, check_rationales_rated, check_replacing,
    cycle_outcomes,
};
use rungs_core::org::PersonId;
use rungs_store::{AgreementFilter, Change, Records, StoredAgreement};

use crate::assessments::{ratings_json, target};
use crate::audit::Audit;
use crate::{App, AppError};

/// Agreed ratings as the audit log shows them, with the rationale of each that has one under
/// `rationales`.
fn with_rationales(
    mut ratings: serde_json::Value,
    rationales: serde_json::Map<String, serde_json::Value>,
) -> serde_json::Value {
    if let (serde_json::Value::Object(object), false) = (&mut ratings, rationales.is_empty()) {
        object.insert("rationales".to_owned(), serde_json::Value::Object(rationales));
    }
    ratings
}

/// What an agreement records.
#[derive(Debug, Clone, Default)]
pub struct AgreementRequest {
    /// Expectation id and agreed rating; none to agree with every rating of the manager.
    pub ratings: Vec<(String, String)>,
    /// Expectation id and why its agreed rating differs from the manager's.
    pub rationales: Vec<(String, String)>,
    /// Change ratings already agreed in the cycle.
    pub replace: bool,
}

impl App {
    /// Records agreed (final) ratings on a submitted manager assessment. With no ratings
    /// given, the manager's own ratings are agreed as they are. A rating agreed differently
    /// from the manager's needs a rationale. An agreement that would change a rating already
    /// agreed in the cycle is refused, and nothing is written, unless the request says to
    /// replace.
    pub async fn agree(
        &self,
        id: AssessmentId,
        request: &AgreementRequest,
    ) -> Result<usize, AppError> {
        let AgreementRequest { ratings, rationales, replace } = request;
        let replace = *replace;
        let stored = self.stored_assessment(id).await?;
        let cycle = self.cycle(stored.assessment.cycle.as_str()).await?;
        let pinned = self.framework_at(stored.framework_pk).await?;
        stored.assessment.check_agreeable(&cycle)?;
        self.check_plan_write(
            &cycle,
            rungs_core::assess::Write::Step(rungs_core::assess::Step::Agreement),
            &stored.assessment.subject,
        )
        .await?;
        let ratings: Vec<(String, String)> = if ratings.is_empty() {
            stored
                .assessment
                .entries
                .iter()
                .filter_map(|entry| {
                    entry.rating.clone().map(|rating| (entry.expectation.to_string(), rating))
                })
                .collect()
        } else {
            ratings.to_vec()
        };
        let at = self.now();
        let rationale_of = |expectation: &str| {
            rationales
                .iter()
                .find(|(given, _)| given.as_str() == expectation)
                .map(|(_, text)| text.as_str())
        };
        check_rationales_rated(rationales.iter().map(|(expectation, _)| expectation.as_str()), {
            |given| ratings.iter().any(|(expectation, _)| expectation == given)
        })
        .map_err(AssessError::from)?;
        let rated = ratings
            .iter()
            .map(|(expectation, rating)| {
                let checked =
                    stored.assessment.check_agree(&cycle, &pinned, expectation, rating)?;
                Ok((checked, expectation.as_str(), rating.as_str()))
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let agreed = self.agreed_in_cycle(&stored.assessment).await?;
        let agreed_before = |expectation: &str| {
            agreed
                .iter()
                .find(|agreed| agreed.expectation.as_str() == expectation)
                .map(|agreed| agreed.rating.as_str())
        };
        let replacing = agreed_changes(
            rated.iter().map(|(expectation, _, rating)| (expectation, *rating)),
            |expectation| agreed_before(expectation.as_str()),
        );
        check_replacing(&replacing, replace).map_err(AssessError::from)?;
        let checked = rated
            .into_iter()
            .map(|(checked, typed, rating)| {
                // A rating agreed again unchanged keeps its rationale unless given a new one.
                let kept = agreed
                    .iter()
                    .find(|agreed| agreed.expectation == checked && agreed.rating == rating)
                    .and_then(|agreed| agreed.rationale.as_deref());
                let rationale = check_rationale(
                    &checked,
                    stored.assessment.rating_of(checked.as_str()),
                    rating,
                    rationale_of(typed).or(kept),
                )?;
                Ok((checked, rating.to_owned(), rationale))
            })
            .collect::<Result<Vec<_>, rungs_core::assess::RationaleError>>()
            .map_err(AssessError::from)?;
        let rationales_json: serde_json::Map<String, serde_json::Value> = checked
            .iter()
            .filter_map(|(expectation, _, rationale)| {
                Some((expectation.to_string(), serde_json::Value::from(rationale.clone()?)))
            })
            .collect();
        let changes: Vec<Change> = checked
            .into_iter()
            .map(|(expectation, rating, rationale)| Change::Agree {
                assessment: id.into(),
                expectation,
                rating,
                rationale,
                at,
            })
            .collect();
        let count = changes.len();
        let audit =
            Audit::new("assessment.agree", target(id))
                .person(&stored.assessment.subject)
                .before(ratings_json(
                    ratings
                        .iter()
                        .map(|(expectation, _)| (expectation.as_str(), agreed_before(expectation))),
                ))
                .after(with_rationales(
                    ratings_json(ratings.iter().map(|(expectation, rating)| {
                        (expectation.as_str(), Some(rating.as_str()))
                    })),
                    rationales_json,
                ));
        self.write(changes, audit).await?;
        self.refresh_standings(std::slice::from_ref(&stored.assessment.subject)).await;
        Ok(count)
    }

    /// The ratings agreed for the subject of `assessment` in its cycle.
    pub async fn agreed_in_cycle(
        &self,
        assessment: &Assessment,
    ) -> Result<Vec<StoredAgreement>, AppError> {
        let agreed = self
            .store
            .agreements(&AgreementFilter {
                subject: Some(assessment.subject.clone()),
                cycle: Some(assessment.cycle.clone()),
                subjects: Vec::new(),
            })
            .await?;
        Ok(agreed)
    }

    /// Records that `subject` acknowledged the outcome agreed for them in `cycle`, with an
    /// optional comment; acknowledging again replaces the earlier acknowledgement. Refused when
    /// nothing is agreed for them in the cycle.
    pub async fn acknowledge(
        &self,
        subject: &PersonId,
        cycle: &str,
        comment: Option<&str>,
    ) -> Result<Acknowledgement, AppError> {
        let person = self.person(subject.as_str()).await?;
        let cycle = self.cycle(cycle).await?;
        let comment = check_comment(comment).map_err(AssessError::from)?;
        let agreed = self
            .store
            .agreements(&AgreementFilter {
                subject: Some(person.id.clone()),
                cycle: Some(cycle.name.clone()),
                subjects: Vec::new(),
            })
            .await?;
        if agreed.is_empty() {
            return Err(AssessError::from(AcknowledgeError::NothingAgreed {
                subject: person.name.to_string(),
                cycle: cycle.name,
            })
            .into());
        }
        let at = self.now();
        let acknowledgement = Acknowledgement {
            cycle: cycle.name.clone(),
            subject: person.id.clone(),
            comment: comment.clone(),
            acknowledged_at: at,
        };
        let audit = Audit::new("outcome.acknowledge", format!("{}/{}", cycle.name, person.id))
            .person(&person.id)
            .after(serde_json::json!({ "cycle": cycle.name.as_str(), "comment": comment }));
        self.write(
            vec![Change::Acknowledge { subject: person.id, cycle: cycle.name, comment, at }],
            audit,
        )
        .await?;
        Ok(acknowledgement)
    }

    /// The outcome of every cycle with agreed ratings for `subject`, in the order the cycles
    /// were opened, with the subject's acknowledgement of each.
    pub async fn outcomes(&self, subject: &PersonId) -> Result<Vec<CycleOutcome>, AppError> {
        let person = self.person(subject.as_str()).await?;
        let record = self.record(&person.id).await?;
        let acknowledgements = self.store.acknowledgements(&person.id).await?;
        let cycles = self.store.cycles().await?;
        Ok(in_cycle_order(cycle_outcomes(record.agreed(), &acknowledgements), &cycles))
    }
}

/// `outcomes` in the order `cycles` were opened.
pub(crate) fn in_cycle_order(
    mut outcomes: Vec<CycleOutcome>,
    cycles: &[rungs_core::assess::Cycle],
) -> Vec<CycleOutcome> {
    outcomes.sort_by_key(|outcome| cycles.iter().position(|cycle| cycle.name == outcome.cycle));
    outcomes
}
