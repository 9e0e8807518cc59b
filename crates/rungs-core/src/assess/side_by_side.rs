//! Self and manager assessments of one cycle side by side, differences highlighted, with the
//! agreed rating where the manager recorded one.

use crate::assess::{AgreedRating, Assessment, AssessmentId};
use crate::{DimensionId, ExpectationId, Framework, LevelId};

/// One expectation as the subject and the manager rated it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SideBySideRow {
    pub level: LevelId,
    pub dimension: DimensionId,
    pub expectation: ExpectationId,
    pub text: String,
    pub self_rating: Option<String>,
    pub manager_rating: Option<String>,
    /// Both rated, and differently.
    pub differs: bool,
    /// The manager's position on the scale minus the subject's, when both rated.
    pub gap: Option<i64>,
    pub agreed: Option<String>,
}

/// The comparison of a cycle's self and manager assessments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SideBySide {
    pub self_assessment: Option<AssessmentId>,
    pub manager_assessment: Option<AssessmentId>,
    pub rows: Vec<SideBySideRow>,
    pub differences: u32,
}

impl SideBySide {
    /// Rows follow `framework` (the version the assessments were made against): every
    /// expectation of the levels either assessment rates, level by level, dimension by dimension.
    pub fn build(
        framework: &Framework,
        self_assessment: Option<&Assessment>,
        manager_assessment: Option<&Assessment>,
        agreed: &[AgreedRating],
    ) -> SideBySide {
        let mut levels: Vec<&LevelId> = Vec::new();
        for assessment in [self_assessment, manager_assessment].into_iter().flatten() {
            for level in assessment.levels() {
                if !levels.contains(&level) {
                    levels.push(level);
                }
            }
        }
        let scale = framework.rating_scale();
        let mut rows = Vec::new();
        for level in levels.into_iter().filter_map(|level| framework.level(level.as_str())) {
            for dimension in framework.dimensions() {
                for expectation in level.expectations_in(&dimension.id) {
                    let rating_in = |assessment: Option<&Assessment>| {
                        assessment
                            .and_then(|assessment| assessment.rating_of(expectation.id.as_str()))
                            .map(str::to_owned)
                    };
                    let self_rating = rating_in(self_assessment);
                    let manager_rating = rating_in(manager_assessment);
                    let gap = match (&self_rating, &manager_rating) {
                        (Some(mine), Some(theirs)) => {
                            match (scale.position(mine), scale.position(theirs)) {
                                (Some(mine), Some(theirs)) => Some(theirs as i64 - mine as i64),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    rows.push(SideBySideRow {
                        level: level.id.clone(),
                        dimension: dimension.id.clone(),
                        expectation: expectation.id.clone(),
                        text: expectation.text.clone(),
                        differs: self_rating.is_some()
                            && manager_rating.is_some()
                            && self_rating != manager_rating,
                        self_rating,
                        manager_rating,
                        gap,
                        agreed: agreed
                            .iter()
                            .find(|agreed| agreed.expectation == expectation.id)
                            .map(|agreed| agreed.rating.clone()),
                    });
                }
            }
        }
        SideBySide {
            self_assessment: self_assessment.map(|assessment| assessment.id),
            manager_assessment: manager_assessment.map(|assessment| assessment.id),
            differences: rows.iter().filter(|row| row.differs).count() as u32,
            rows,
        }
    }
}
