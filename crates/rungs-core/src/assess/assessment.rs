//! An assessment: one assessor's ratings of a subject's expectations in a cycle, with
//! evidence, and the rules for creating, rating, submitting, revising and agreeing on it.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::assess::{Cycle, CycleName};
use crate::org::PersonId;
use crate::suggest::did_you_mean;
use crate::{ExpectationId, Framework, Level, LevelId};

/// The number an assessment is known by, such as `42`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct AssessmentId(i64);

numbered!(AssessmentId);

/// Who writes an assessment: the subject, their manager, or a peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum AssessmentKind {
    #[serde(rename = "self")]
    SelfReview,
    #[serde(rename = "manager")]
    Manager,
    #[serde(rename = "peer")]
    Peer,
}

impl AssessmentKind {
    pub const ALL: [AssessmentKind; 3] =
        [AssessmentKind::SelfReview, AssessmentKind::Manager, AssessmentKind::Peer];

    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentKind::SelfReview => "self",
            AssessmentKind::Manager => "manager",
            AssessmentKind::Peer => "peer",
        }
    }

    pub fn parse(text: &str) -> Option<AssessmentKind> {
        AssessmentKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The kind as a headline starts with it: "Manager" (assessment of …).
    pub fn title(self) -> &'static str {
        match self {
            AssessmentKind::SelfReview => "Self",
            AssessmentKind::Manager => "Manager",
            AssessmentKind::Peer => "Peer",
        }
    }
}

impl fmt::Display for AssessmentKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A draft can change; a submitted assessment never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentStatus {
    Draft,
    Submitted,
}

impl AssessmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Submitted => "submitted",
        }
    }

    pub fn parse(text: &str) -> Option<AssessmentStatus> {
        match text {
            "draft" => Some(AssessmentStatus::Draft),
            "submitted" => Some(AssessmentStatus::Submitted),
            _ => None,
        }
    }
}

/// Why evidence was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("evidence needs a text saying what happened")]
    EmptyText,
    #[error("evidence text is at most {max} characters; this one has {length}")]
    TooLong { length: usize, max: usize },
    #[error("`{link}` is not a link: it must start with https:// or http://")]
    BadLink { link: String },
    #[error(transparent)]
    Text(#[from] crate::text::TextError),
}

/// What backs a rating: what happened, where to read more, and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub date: Date,
}

impl Evidence {
    pub const MAX_TEXT: usize = crate::text::EVIDENCE_TEXT.max;

    pub fn new(text: &str, link: Option<&str>, date: Date) -> Result<Evidence, EvidenceError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EvidenceError::EmptyText);
        }
        let length = text.chars().count();
        if length > Self::MAX_TEXT {
            return Err(EvidenceError::TooLong { length, max: Self::MAX_TEXT });
        }
        crate::text::EVIDENCE_TEXT.check(text)?;
        let link = link.map(str::trim).filter(|link| !link.is_empty());
        if let Some(link) = link {
            crate::text::LINK.check(link)?;
            let scheme_ok = link.starts_with("https://") || link.starts_with("http://");
            if !scheme_ok || link.len() < 10 || link.chars().any(char::is_whitespace) {
                return Err(EvidenceError::BadLink { link: link.to_owned() });
            }
        }
        Ok(Evidence { text: text.to_owned(), link: link.map(str::to_owned), date })
    }
}

/// Which version of which framework an assessment was made against.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FrameworkVersion {
    pub framework_id: String,
    pub version: String,
}

impl fmt::Display for FrameworkVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.framework_id, self.version)
    }
}

/// One expectation's rating in an assessment, and the evidence attached to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpectationRating {
    pub expectation: ExpectationId,
    pub rating: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// One assessor's view of a subject in a cycle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    pub id: AssessmentId,
    pub cycle: CycleName,
    pub subject: PersonId,
    pub assessor: PersonId,
    pub kind: AssessmentKind,
    /// The subject's level when the assessment was created.
    pub current_level: LevelId,
    pub target_level: LevelId,
    pub framework: FrameworkVersion,
    pub status: AssessmentStatus,
    /// 1 for the first version; a correction of a submitted assessment is the next revision.
    pub revision: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revises: Option<AssessmentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<AssessmentId>,
    pub created_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Timestamp>,
    /// Rated or evidenced expectations, in no particular order.
    pub entries: Vec<ExpectationRating>,
}

/// Why a change to an assessment was refused. Each message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessError {
    #[error("`{person}` is off the ladder (an import mapping keeps them so): nobody assesses them")]
    OffLadder { person: PersonId },
    #[error(
        "`{person}` cannot assess themselves as `{kind}`; an assessment of yourself has kind `self`"
    )]
    AssessingThemselves { person: PersonId, kind: AssessmentKind },
    #[error("a self assessment of `{subject}` is written by `{subject}`, not by `{assessor}`")]
    SelfByOther { subject: PersonId, assessor: PersonId },
    #[error(
        "`{assessor}` is not in `{subject}`'s management chain, so cannot write their manager assessment"
    )]
    NotTheirManager { assessor: PersonId, subject: PersonId },
    #[error(
        "`{assessor}` is in `{subject}`'s management chain, so writes their manager assessment, not a peer one"
    )]
    ManagerAsPeer { assessor: PersonId, subject: PersonId },
    #[error(
        "`{subject}` already has a {} assessment in {cycle}{}: assessment {existing}; open it, or correct it with a revision once it is submitted",
        kind.as_str(),
        if *kind == AssessmentKind::Peer { format!(" by `{assessor}`") } else { String::new() }
    )]
    AlreadyAssessed {
        subject: PersonId,
        kind: AssessmentKind,
        cycle: CycleName,
        assessor: PersonId,
        /// The existing assessment's latest revision.
        existing: AssessmentId,
    },
    #[error("`{person}` has level `{level}`, which is not in framework {framework}")]
    UnknownCurrentLevel { person: PersonId, level: LevelId, framework: FrameworkVersion },
    #[error("there is no level `{level}` in framework {framework}{suggestion}")]
    UnknownTargetLevel { level: String, framework: FrameworkVersion, suggestion: String },
    #[error("`{level}` is the top of its track; name a target level with --target")]
    NoNextLevel { level: LevelId },
    #[error("cycle `{cycle}` is closed and read-only")]
    CycleClosed { cycle: CycleName },
    #[error(
        "assessment {id} is submitted and cannot change; `rungs assess revise {id}` starts a correction that keeps it"
    )]
    Submitted { id: AssessmentId },
    #[error(
        "expectation `{expectation}` is not one of the expectations that assessment {id} rates ({scope}){suggestion}"
    )]
    NotInAssessment { id: AssessmentId, expectation: String, scope: String, suggestion: String },
    #[error("`{rating}` is not on the rating scale; use one of: {scale}")]
    UnknownRating { rating: String, scale: String },
    #[error("assessment {id} rates nothing yet; rate at least one expectation before submitting")]
    NothingRated { id: AssessmentId },
    #[error(
        "assessment {id} leaves {} unrated: {listed}; rate each, or mark it not observed",
        if *count == 1 { "1 expectation".to_owned() } else { format!("{count} expectations") }
    )]
    Unrated { id: AssessmentId, count: usize, listed: String },
    #[error("assessment {id} is a draft; only a submitted assessment can be {action}")]
    StillDraft { id: AssessmentId, action: &'static str },
    #[error("assessment {id} was already revised by assessment {by}; work on the latest revision")]
    Superseded { id: AssessmentId, by: AssessmentId },
    #[error(
        "assessment {id} is a `{kind}` assessment; agreed ratings are recorded on the manager assessment"
    )]
    NotAManagerAssessment { id: AssessmentId, kind: AssessmentKind },
    #[error("{0}")]
    ReplacingAgreed(#[from] crate::assess::ReplacingAgreed),
    #[error(transparent)]
    Rationale(#[from] crate::assess::RationaleError),
    #[error(transparent)]
    Acknowledge(#[from] crate::assess::AcknowledgeError),
}

/// The level a person is assessed against by default: the next one in their track.
pub fn default_target<'f>(
    framework: &'f Framework,
    current: &Level,
) -> Result<&'f Level, AssessError> {
    framework
        .next_level(current)
        .ok_or_else(|| AssessError::NoNextLevel { level: current.id.clone() })
}

/// What a new assessment needs to be valid.
#[derive(Debug, Clone, Copy)]
pub struct NewAssessmentRequest<'a> {
    pub cycle: &'a Cycle,
    pub kind: AssessmentKind,
    pub subject: &'a PersonId,
    /// `None` for someone an import keeps off the ladder, whom nobody assesses.
    pub subject_level: Option<&'a LevelId>,
    /// The subject's managers, nearest first.
    pub subject_managers: &'a [PersonId],
    pub assessor: &'a PersonId,
    /// The level to assess against; the next level in the subject's track when `None`.
    pub target: Option<&'a str>,
    /// The subject's assessments in the cycle, every revision.
    pub existing: &'a [Assessment],
}

/// Checks a new assessment against the framework it will be pinned to, and picks its target.
pub fn check_new_assessment(
    framework: &Framework,
    request: NewAssessmentRequest<'_>,
) -> Result<LevelId, AssessError> {
    if !request.cycle.is_open() {
        return Err(AssessError::CycleClosed { cycle: request.cycle.name.clone() });
    }
    check_authorship(
        request.kind,
        request.subject,
        request.assessor,
        Some(request.subject_managers),
    )?;
    check_one_per_kind(request.kind, request.assessor, request.existing)?;
    let version = version_of(framework);
    let Some(subject_level) = request.subject_level else {
        return Err(AssessError::OffLadder { person: request.subject.clone() });
    };
    let current = framework.level(subject_level.as_str()).ok_or_else(|| {
        AssessError::UnknownCurrentLevel {
            person: request.subject.clone(),
            level: subject_level.clone(),
            framework: version.clone(),
        }
    })?;
    let target = match request.target {
        None => default_target(framework, current)?,
        Some(target) => framework.level(target).ok_or_else(|| AssessError::UnknownTargetLevel {
            level: target.to_owned(),
            framework: version,
            suggestion: did_you_mean(
                target,
                framework.levels().iter().map(|level| level.id.as_str()),
            ),
        })?,
    };
    Ok(target.id.clone())
}

/// One `self` and one `manager` assessment per subject and cycle, and one `peer` assessment per
/// subject, cycle and assessor: a second one is refused, naming the one there is (its latest
/// revision), since corrections go through revisions. `existing` is the subject's assessments
/// in the cycle.
pub fn check_one_per_kind(
    kind: AssessmentKind,
    assessor: &PersonId,
    existing: &[Assessment],
) -> Result<(), AssessError> {
    let same = existing
        .iter()
        .filter(|other| {
            other.kind == kind && (kind != AssessmentKind::Peer || &other.assessor == assessor)
        })
        .max_by_key(|other| other.revision);
    match same {
        Some(other) => Err(AssessError::AlreadyAssessed {
            subject: other.subject.clone(),
            kind,
            cycle: other.cycle.clone(),
            assessor: other.assessor.clone(),
            existing: other.id,
        }),
        None => Ok(()),
    }
}

/// Who may write an assessment of `kind`: the subject for `self`, someone else otherwise, and
/// for `manager` someone in the subject's management chain (`managers`, nearest first; `None`
/// when the chain at the time is not known, as for an imported history).
pub fn check_authorship(
    kind: AssessmentKind,
    subject: &PersonId,
    assessor: &PersonId,
    managers: Option<&[PersonId]>,
) -> Result<(), AssessError> {
    match kind {
        AssessmentKind::SelfReview if assessor != subject => {
            Err(AssessError::SelfByOther { subject: subject.clone(), assessor: assessor.clone() })
        }
        AssessmentKind::Manager | AssessmentKind::Peer if assessor == subject => {
            Err(AssessError::AssessingThemselves { person: subject.clone(), kind })
        }
        AssessmentKind::Manager if managers.is_some_and(|chain| !chain.contains(assessor)) => {
            Err(AssessError::NotTheirManager {
                assessor: assessor.clone(),
                subject: subject.clone(),
            })
        }
        AssessmentKind::Peer if managers.is_some_and(|chain| chain.contains(assessor)) => {
            Err(AssessError::ManagerAsPeer { assessor: assessor.clone(), subject: subject.clone() })
        }
        _ => Ok(()),
    }
}

/// The id and version of a framework.
pub fn version_of(framework: &Framework) -> FrameworkVersion {
    FrameworkVersion {
        framework_id: framework.meta().id.clone(),
        version: framework.meta().version.clone(),
    }
}

impl Assessment {
    pub fn entry(&self, expectation: &str) -> Option<&ExpectationRating> {
        self.entries.iter().find(|entry| entry.expectation.as_str() == expectation)
    }

    pub fn rating_of(&self, expectation: &str) -> Option<&str> {
        self.entry(expectation).and_then(|entry| entry.rating.as_deref())
    }

    /// The levels this assessment rates, current first; one when they are the same.
    pub fn levels(&self) -> Vec<&LevelId> {
        if self.current_level == self.target_level {
            vec![&self.current_level]
        } else {
            vec![&self.current_level, &self.target_level]
        }
    }

    /// Refuses any change once submitted, and any change in a closed cycle.
    pub fn check_editable(&self, cycle: &Cycle) -> Result<(), AssessError> {
        if self.status == AssessmentStatus::Submitted {
            return Err(AssessError::Submitted { id: self.id });
        }
        if !cycle.is_open() {
            return Err(AssessError::CycleClosed { cycle: cycle.name.clone() });
        }
        Ok(())
    }

    /// The expectation named `expectation`, when `pinned` (the framework version this
    /// assessment was made against) has it at one of the assessment's levels.
    pub fn expectation_in_scope(
        &self,
        pinned: &Framework,
        expectation: &str,
    ) -> Result<ExpectationId, AssessError> {
        let levels = self.levels();
        match pinned.expectation(expectation) {
            Some((level, found)) if levels.contains(&&level.id) => Ok(found.id.clone()),
            _ => {
                let candidates = levels
                    .iter()
                    .filter_map(|level| pinned.level(level.as_str()))
                    .flat_map(|level| level.expectations.iter().map(|e| e.id.as_str()));
                Err(AssessError::NotInAssessment {
                    id: self.id,
                    expectation: expectation.to_owned(),
                    scope: format!(
                        "{} in framework {}",
                        levels
                            .iter()
                            .map(|level| {
                                pinned.level(level.as_str()).map_or(level.to_string(), Level::label)
                            })
                            .collect::<Vec<_>>()
                            .join(" and "),
                        self.framework
                    ),
                    suggestion: did_you_mean(expectation, candidates),
                })
            }
        }
    }

    /// Checks a rating before it is saved on this draft.
    pub fn check_rating(
        &self,
        cycle: &Cycle,
        pinned: &Framework,
        expectation: &str,
        rating: &str,
    ) -> Result<ExpectationId, AssessError> {
        self.check_editable(cycle)?;
        self.rated_in_scope(pinned, expectation, rating)
    }

    /// An expectation of this assessment's scope, rated with a label of the scale.
    fn rated_in_scope(
        &self,
        pinned: &Framework,
        expectation: &str,
        rating: &str,
    ) -> Result<ExpectationId, AssessError> {
        let expectation = self.expectation_in_scope(pinned, expectation)?;
        check_label(pinned, rating)?;
        Ok(expectation)
    }

    /// Checks evidence before it is attached to this draft.
    pub fn check_evidence(
        &self,
        cycle: &Cycle,
        pinned: &Framework,
        expectation: &str,
    ) -> Result<ExpectationId, AssessError> {
        self.check_editable(cycle)?;
        self.expectation_in_scope(pinned, expectation)
    }

    /// The expectations of this assessment's levels in `pinned` (the version it was made
    /// against) that have no rating, counting those in `also_rated` (about to be saved) as
    /// rated.
    pub fn unrated<'f>(
        &self,
        pinned: &'f Framework,
        also_rated: &[ExpectationId],
    ) -> Vec<&'f crate::Expectation> {
        self.levels()
            .into_iter()
            .filter_map(|level| pinned.level(level.as_str()))
            .flat_map(|level| level.expectations.iter())
            .filter(|expectation| {
                self.rating_of(expectation.id.as_str()).is_none()
                    && !also_rated.contains(&expectation.id)
            })
            .collect()
    }

    /// Checks a submission, with the ratings in `also_rated` about to be saved with it: an
    /// assessment that rates nothing is refused, and so is one that leaves expectations
    /// unrated, unless `unrated` marks them not observed. Gives the expectations to mark.
    pub fn check_submit(
        &self,
        cycle: &Cycle,
        pinned: &Framework,
        also_rated: &[ExpectationId],
        unrated: Unrated,
    ) -> Result<Vec<ExpectationId>, AssessError> {
        self.check_editable(cycle)?;
        if also_rated.is_empty() && self.entries.iter().all(|entry| entry.rating.is_none()) {
            return Err(AssessError::NothingRated { id: self.id });
        }
        let left: Vec<ExpectationId> = self
            .unrated(pinned, also_rated)
            .into_iter()
            .map(|expectation| expectation.id.clone())
            .collect();
        if left.is_empty() || unrated == Unrated::NotObserved {
            return Ok(left);
        }
        let listed = crate::text::first_of(
            left.iter().take(3).map(|expectation| format!("`{expectation}`")),
            left.len() as u64,
        );
        Err(AssessError::Unrated { id: self.id, count: left.len(), listed })
    }

    /// Checks that this assessment can be corrected by a new revision.
    pub fn check_revise(&self, cycle: &Cycle) -> Result<(), AssessError> {
        self.check_latest_submitted(cycle, "revised")
    }

    /// Checks an agreed rating recorded on this (manager) assessment.
    pub fn check_agree(
        &self,
        cycle: &Cycle,
        pinned: &Framework,
        expectation: &str,
        rating: &str,
    ) -> Result<ExpectationId, AssessError> {
        self.check_agreeable(cycle)?;
        self.rated_in_scope(pinned, expectation, rating)
    }

    /// Checks that agreed ratings can be recorded on this assessment: the latest submitted
    /// manager assessment of an open cycle.
    pub fn check_agreeable(&self, cycle: &Cycle) -> Result<(), AssessError> {
        if self.kind != AssessmentKind::Manager {
            return Err(AssessError::NotAManagerAssessment { id: self.id, kind: self.kind });
        }
        self.check_latest_submitted(cycle, "agreed on")
    }

    fn check_latest_submitted(
        &self,
        cycle: &Cycle,
        action: &'static str,
    ) -> Result<(), AssessError> {
        if !cycle.is_open() {
            return Err(AssessError::CycleClosed { cycle: cycle.name.clone() });
        }
        if self.status == AssessmentStatus::Draft {
            return Err(AssessError::StillDraft { id: self.id, action });
        }
        if let Some(by) = self.superseded_by {
            return Err(AssessError::Superseded { id: self.id, by });
        }
        Ok(())
    }
}

/// What a submission does with expectations left unrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unrated {
    /// Refuse the submission, naming them.
    #[default]
    Refuse,
    /// Rate each [`crate::RatingScale::NOT_OBSERVED`] and submit.
    NotObserved,
}

/// Checks that `rating` is a label on the framework's scale, or "not observed".
pub fn check_label(framework: &Framework, rating: &str) -> Result<(), AssessError> {
    let scale = framework.rating_scale();
    if scale.position(rating).is_some() || rating == crate::RatingScale::NOT_OBSERVED {
        Ok(())
    } else {
        Err(AssessError::UnknownRating {
            rating: rating.to_owned(),
            scale: format!("{}, or {}", scale.labels.join(", "), crate::RatingScale::NOT_OBSERVED),
        })
    }
}
