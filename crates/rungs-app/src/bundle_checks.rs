//! The rules an assessment file is checked against before anything of it is written: each
//! problem named by the path of the value it is about.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::assess::{
    Assessment, AssessmentId, AssessmentKind, AssessmentStatus, CycleName, FrameworkVersion,
    check_authorship, check_label,
};
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, Framework, LevelId};
use rungs_store::{Change, Key};

use crate::bundle::{BundleAgreement, BundleAssessment, FrameworkRef};

/// Problems found in a file, each with the path of the value it is about.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<String>);

impl Problems {
    pub(crate) fn add(&mut self, path: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{path}: {message}"));
    }

    /// Parses `text` with `parse`, or records why not.
    pub(crate) fn parse<T, E: std::fmt::Display>(
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
}

/// A time, to the second: stored times never carry more precision than people read.
pub(crate) fn timestamp(text: &str) -> Result<Timestamp, String> {
    Timestamp::from_str(text)
        .ok()
        .and_then(|at| Timestamp::from_second(at.as_second()).ok())
        .ok_or_else(|| format!("`{text}` is not a time such as 2026-11-27T14:00:00Z"))
}

pub(crate) fn date(text: &str) -> Result<Date, String> {
    Date::from_str(text).map_err(|_| format!("`{text}` is not a date such as 2026-11-27"))
}

/// Where the framework of an assessment comes from: already stored, or stored by the import.
#[derive(Debug, Clone)]
pub(crate) struct KnownFramework {
    pub(crate) key: Key,
    pub(crate) framework: Arc<Framework>,
}

/// Checks one assessment of the file; returns its framework and the assessment as it will be.
pub(crate) fn check_assessment(
    path: &str,
    cycle: &CycleName,
    assessment: &BundleAssessment,
    frameworks: &HashMap<FrameworkRef, KnownFramework>,
    people: &HashMap<String, bool>,
    created: &BTreeMap<i64, (usize, Assessment)>,
    problems: &mut Problems,
) -> Option<(KnownFramework, Assessment)> {
    let before = problems.0.len();
    let person = |field: &str, id: &str, problems: &mut Problems| -> Option<PersonId> {
        let parsed = problems.parse(&format!("{path}.{field}"), PersonId::parse(id))?;
        if !people.get(id).copied().unwrap_or(false) {
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
    let framework = frameworks.get(&assessment.framework).cloned();
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
        let framework = framework.as_ref()?;
        match framework.framework.level(id) {
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
        problems.parse(&format!("{path}.created_at"), timestamp(&assessment.created_at));
    let submitted_at = match (&assessment.submitted_at, status) {
        (Some(text), Some(AssessmentStatus::Submitted)) => {
            problems.parse(&format!("{path}.submitted_at"), timestamp(text))
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
    let expected_revision = match assessment.revises {
        None => Some(1),
        Some(revised) => {
            created.get(&revised).and_then(|(_, earlier)| earlier.revision.checked_add(1))
        }
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
    let revises = match assessment.revises {
        None => None,
        Some(revised) => match created.get(&revised) {
            Some((_, earlier)) if earlier.status != AssessmentStatus::Submitted => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("assessment {revised} is a draft; only a submitted assessment is corrected by a revision"),
                );
                None
            }
            Some((_, earlier)) if earlier.superseded_by.is_some() => {
                problems.add(
                    &format!("{path}.revises"),
                    format!(
                        "assessment {revised} is already corrected by another revision in the file"
                    ),
                );
                None
            }
            Some((_, earlier))
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
    if problems.0.len() > before {
        return None;
    }
    let (framework, subject, assessor, kind, status, current_level, target_level, created_at) = (
        framework?,
        subject?,
        assessor?,
        kind?,
        status?,
        current_level?,
        target_level?,
        created_at?,
    );
    let parsed = Assessment {
        id: AssessmentId::new(assessment.id),
        cycle: cycle.clone(),
        subject,
        assessor,
        kind,
        current_level,
        target_level,
        framework: FrameworkVersion {
            framework_id: framework.framework.meta().id.clone(),
            version: framework.framework.meta().version.clone(),
        },
        status,
        revision: assessment.revision,
        revises,
        superseded_by: None,
        created_at,
        submitted_at,
        entries: Vec::new(),
    };
    Some((framework, parsed))
}

pub(crate) fn check_agreement(
    path: &str,
    agreement: &BundleAgreement,
    assessment: &Assessment,
    framework: &KnownFramework,
    key: Key,
    problems: &mut Problems,
) -> Option<Change> {
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
    let expectation: ExpectationId = problems.parse(
        &format!("{path}.expectation"),
        assessment.expectation_in_scope(&framework.framework, &agreement.expectation),
    )?;
    problems
        .parse(&format!("{path}.rating"), check_label(&framework.framework, &agreement.rating))?;
    let at = problems.parse(&format!("{path}.agreed_at"), timestamp(&agreement.agreed_at))?;
    Some(Change::Agree { assessment: key, expectation, rating: agreement.rating.clone(), at })
}
