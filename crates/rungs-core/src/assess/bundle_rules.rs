//! The rules an assessment file is checked against before anything of it is written: each
//! problem named by the path of the value it is about, such as `cycles[0].assessments[3].kind`.
//! What the file refers to (people, stored frameworks, earlier assessments) the caller looks up
//! and passes in, as `RosterValidator` takes what the database holds.

use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::assess::{
    Assessment, AssessmentId, AssessmentKind, AssessmentStatus, BundleAgreement, BundleAssessment,
    BundleRating, CycleName, Evidence, FrameworkVersion, check_authorship, check_label,
};
use crate::org::PersonId;
use crate::{ExpectationId, Framework, LevelId};

/// Problems found in a file, each with the path of the value it is about.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(Vec<String>);

impl Problems {
    pub fn add(&mut self, path: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{path}: {message}"));
    }

    /// The value of `result`, or `None` with its error recorded at `path`.
    pub fn parse<T, E: std::fmt::Display>(
        &mut self,
        path: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(path, error);
                None
            }
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_messages(self) -> Vec<String> {
        self.0
    }
}

/// A time, to the second: stored times never carry more precision than people read.
pub fn file_timestamp(text: &str) -> Result<Timestamp, String> {
    Timestamp::from_str(text)
        .ok()
        .and_then(|at| Timestamp::from_second(at.as_second()).ok())
        .ok_or_else(|| format!("`{text}` is not a time such as 2026-11-27T14:00:00Z"))
}

pub fn file_date(text: &str) -> Result<Date, String> {
    Date::from_str(text).map_err(|_| format!("`{text}` is not a date such as 2026-11-27"))
}

/// What an assessment of the file refers to, as the caller found it.
pub struct AssessmentContext<'a> {
    /// The framework version the assessment is pinned to, when it is stored here or in the file.
    pub framework: Option<&'a Framework>,
    /// Whether a person of that id is here.
    pub is_person: &'a dyn Fn(&str) -> bool,
    /// An assessment of the same cycle of the file, by its id in the file, as checked so far.
    pub earlier: &'a dyn Fn(i64) -> Option<&'a Assessment>,
}

impl std::fmt::Debug for AssessmentContext<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AssessmentContext")
            .field("framework", &self.framework.map(|framework| &framework.meta().id))
            .finish_non_exhaustive()
    }
}

/// Checks one assessment of the file, but not its ratings ([`check_file_rating`]); returns it
/// as it will be, or `None` with every problem recorded.
pub fn check_file_assessment(
    path: &str,
    cycle: &CycleName,
    assessment: &BundleAssessment,
    context: &AssessmentContext<'_>,
    problems: &mut Problems,
) -> Option<Assessment> {
    let before = problems.len();
    let person = |field: &str, id: &str, problems: &mut Problems| -> Option<PersonId> {
        let parsed = problems.parse(&format!("{path}.{field}"), PersonId::parse(id))?;
        if !(context.is_person)(id) {
            problems.add(&format!("{path}.{field}"), format!("there is no person `{id}` here"));
        }
        Some(parsed)
    };
    let subject = person("subject", &assessment.subject, problems);
    let assessor = person("assessor", &assessment.assessor, problems);
    let kind = AssessmentKind::parse(&assessment.kind);
    if kind.is_none() {
        problems.add(
            &format!("{path}.kind"),
            format!("`{}` is not `self`, `manager` or `peer`", assessment.kind),
        );
    }
    let status = AssessmentStatus::parse(&assessment.status);
    if status.is_none() {
        problems.add(
            &format!("{path}.status"),
            format!("`{}` is not `draft` or `submitted`", assessment.status),
        );
    }
    let framework = context.framework;
    if framework.is_none() {
        problems.add(
            &format!("{path}.framework"),
            format!(
                "framework {} version {} is neither stored here nor in the file",
                assessment.framework.framework_id, assessment.framework.version
            ),
        );
    }
    let level = |field: &str, id: &str, problems: &mut Problems| -> Option<LevelId> {
        match framework?.level(id) {
            Some(level) => Some(level.id.clone()),
            None => {
                problems.add(
                    &format!("{path}.{field}"),
                    format!("there is no level `{id}` in that framework version"),
                );
                None
            }
        }
    };
    let current_level = level("current_level", &assessment.current_level, problems);
    let target_level = level("target_level", &assessment.target_level, problems);
    let created_at =
        problems.parse(&format!("{path}.created_at"), file_timestamp(&assessment.created_at));
    let submitted_at = match (&assessment.submitted_at, status) {
        (Some(text), Some(AssessmentStatus::Submitted)) => {
            problems.parse(&format!("{path}.submitted_at"), file_timestamp(text))
        }
        (None, Some(AssessmentStatus::Submitted)) => {
            problems.add(
                &format!("{path}.submitted_at"),
                "a submitted assessment needs the time it was submitted",
            );
            None
        }
        (Some(_), Some(AssessmentStatus::Draft)) => {
            problems.add(&format!("{path}.submitted_at"), "a draft has not been submitted");
            None
        }
        _ => None,
    };
    if let (Some(kind), Some(subject), Some(assessor)) = (kind, &subject, &assessor) {
        // Who managed whom back then is not known here; the rest of the rule applies.
        if let Err(refused) = check_authorship(kind, subject, assessor, None) {
            problems.add(&format!("{path}.assessor"), refused);
        }
    }
    if status == Some(AssessmentStatus::Submitted)
        && assessment.ratings.iter().all(|rating| rating.rating.is_none())
    {
        problems.add(
            &format!("{path}.ratings"),
            "a submitted assessment rates at least one expectation",
        );
    }
    let earlier = assessment.revises.map(|revised| (revised, (context.earlier)(revised)));
    let expected_revision = match earlier {
        None => Some(1),
        Some((_, earlier)) => earlier.and_then(|earlier| earlier.revision.checked_add(1)),
    };
    if expected_revision.is_some_and(|expected| expected != assessment.revision) {
        problems.add(
            &format!("{path}.revision"),
            format!(
                "revision {} should be {}: 1 for a first version, one more than the assessment it corrects",
                assessment.revision,
                expected_revision.unwrap_or(1)
            ),
        );
    }
    let revises = match earlier {
        None => None,
        Some((revised, earlier)) => match earlier {
            Some(earlier) if earlier.status != AssessmentStatus::Submitted => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("assessment {revised} is a draft; only a submitted assessment is corrected by a revision"),
                );
                None
            }
            Some(earlier) if earlier.superseded_by.is_some() => {
                problems.add(
                    &format!("{path}.revises"),
                    format!(
                        "assessment {revised} is already corrected by another revision in the file"
                    ),
                );
                None
            }
            Some(earlier)
                if Some(&earlier.subject) == subject.as_ref()
                    && Some(earlier.kind) == kind
                    && Some(&earlier.assessor) == assessor.as_ref() =>
            {
                Some(AssessmentId::new(revised))
            }
            Some(_) => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("assessment {revised} has another subject, assessor or kind"),
                );
                None
            }
            None => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("there is no earlier assessment {revised} in this cycle of the file"),
                );
                None
            }
        },
    };
    if problems.len() > before {
        return None;
    }
    let framework = framework?;
    Some(Assessment {
        id: AssessmentId::new(assessment.id),
        cycle: cycle.clone(),
        subject: subject?,
        assessor: assessor?,
        kind: kind?,
        current_level: current_level?,
        target_level: target_level?,
        framework: FrameworkVersion {
            framework_id: framework.meta().id.clone(),
            version: framework.meta().version.clone(),
        },
        status: status?,
        revision: assessment.revision,
        revises,
        superseded_by: None,
        created_at: created_at?,
        submitted_at,
        entries: Vec::new(),
    })
}

/// One expectation's entry of a checked assessment, as it will be written: the rating when the
/// file gives a valid one, and each valid piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRating {
    pub expectation: ExpectationId,
    pub rating: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// Checks one rating of a checked assessment; `None` when its expectation is not in scope.
/// A wrong rating label or piece of evidence is recorded and left out.
pub fn check_file_rating(
    path: &str,
    rating: &BundleRating,
    assessment: &Assessment,
    framework: &Framework,
    problems: &mut Problems,
) -> Option<FileRating> {
    let expectation = problems.parse(
        &format!("{path}.expectation"),
        assessment.expectation_in_scope(framework, &rating.expectation),
    )?;
    let label = rating.rating.as_ref().and_then(|label| {
        problems.parse(&format!("{path}.rating"), check_label(framework, label)).map(|_| label)
    });
    let evidence = rating
        .evidence
        .iter()
        .enumerate()
        .filter_map(|(index, evidence)| {
            let path = format!("{path}.evidence[{index}]");
            let day = problems.parse(&format!("{path}.date"), file_date(&evidence.date))?;
            problems.parse(&path, Evidence::new(&evidence.text, evidence.link.as_deref(), day))
        })
        .collect();
    Some(FileRating { expectation, rating: label.cloned(), evidence })
}

/// Checks an agreed rating of the file against the checked assessment it names; returns the
/// expectation, when it was agreed and its rationale.
pub fn check_file_agreement(
    path: &str,
    agreement: &BundleAgreement,
    assessment: &Assessment,
    framework: &Framework,
    problems: &mut Problems,
) -> Option<(ExpectationId, Timestamp, Option<String>)> {
    if assessment.kind != AssessmentKind::Manager
        || assessment.status != AssessmentStatus::Submitted
    {
        problems.add(
            &format!("{path}.assessment"),
            format!("assessment {} is not a submitted manager assessment", assessment.id),
        );
        return None;
    }
    if agreement.subject != assessment.subject.as_str() {
        problems.add(
            &format!("{path}.subject"),
            format!("assessment {} is of `{}`", assessment.id, assessment.subject),
        );
        return None;
    }
    let expectation = problems.parse(
        &format!("{path}.expectation"),
        assessment.expectation_in_scope(framework, &agreement.expectation),
    )?;
    problems.parse(&format!("{path}.rating"), check_label(framework, &agreement.rating))?;
    let at = problems.parse(&format!("{path}.agreed_at"), file_timestamp(&agreement.agreed_at))?;
    let rationale = agreement.rationale.as_deref().map(str::trim).filter(|text| !text.is_empty());
    if let Some(text) = rationale {
        problems.parse(&format!("{path}.rationale"), crate::text::RATIONALE.check(text))?;
    }
    Some((expectation, at, rationale.map(str::to_owned)))
}
