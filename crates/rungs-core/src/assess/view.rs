//! An assessment shown against the framework version it was pinned to, with the expectations
//! that were reworded or removed since flagged rather than dropped.

use crate::assess::{Assessment, Evidence};
use crate::{DimensionId, ExpectationId, Framework, LevelId};

/// What happened to an expectation since the assessment's framework version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum ExpectationFlag {
    Unchanged,
    /// The current framework words it differently.
    Reworded {
        now: String,
    },
    /// The current framework has it at another level.
    Moved {
        now_at: LevelId,
    },
    /// The current framework no longer has it.
    Removed,
}

/// One expectation of an assessed level, with its rating and evidence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AssessmentViewRow {
    pub level: LevelId,
    pub dimension: DimensionId,
    pub dimension_name: String,
    pub expectation: ExpectationId,
    /// The wording the assessor saw.
    pub text: String,
    pub rating: Option<String>,
    pub evidence: Vec<Evidence>,
    pub flag: ExpectationFlag,
}

/// An assessment laid out by level and dimension.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AssessmentView {
    pub assessment: Assessment,
    pub current_framework: String,
    pub rows: Vec<AssessmentViewRow>,
    /// Rows whose expectation was reworded, moved or removed since.
    pub flagged: u32,
    pub rated: u32,
}

impl AssessmentView {
    /// `pinned` is the framework version the assessment was made against, `current` the
    /// active one.
    pub fn build(
        assessment: Assessment,
        pinned: &Framework,
        current: &Framework,
    ) -> AssessmentView {
        let mut rows = Vec::new();
        for level in assessment.levels() {
            let Some(level) = pinned.level(level.as_str()) else { continue };
            for dimension in pinned.dimensions() {
                for expectation in level.expectations_in(&dimension.id) {
                    let entry = assessment.entry(expectation.id.as_str());
                    let flag = match current.expectation(expectation.id.as_str()) {
                        None => ExpectationFlag::Removed,
                        Some((now_level, _)) if now_level.id != level.id => {
                            ExpectationFlag::Moved { now_at: now_level.id.clone() }
                        }
                        Some((_, now)) if now.text != expectation.text => {
                            ExpectationFlag::Reworded { now: now.text.clone() }
                        }
                        Some(_) => ExpectationFlag::Unchanged,
                    };
                    rows.push(AssessmentViewRow {
                        level: level.id.clone(),
                        dimension: dimension.id.clone(),
                        dimension_name: dimension.name.clone(),
                        expectation: expectation.id.clone(),
                        text: expectation.text.clone(),
                        rating: entry.and_then(|entry| entry.rating.clone()),
                        evidence: entry.map(|entry| entry.evidence.clone()).unwrap_or_default(),
                        flag,
                    });
                }
            }
        }
        AssessmentView {
            current_framework: format!("{} {}", current.meta().id, current.meta().version),
            flagged: rows.iter().filter(|row| row.flag != ExpectationFlag::Unchanged).count()
                as u32,
            rated: rows.iter().filter(|row| row.rating.is_some()).count() as u32,
            rows,
            assessment,
        }
    }
}
