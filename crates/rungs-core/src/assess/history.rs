//! A person's history: agreed ratings per dimension across cycles, and level changes.

use jiff::Timestamp;

use crate::assess::{AssessmentRecord, CycleName};
use crate::{DimensionId, Framework, Level, LevelId};

/// How one dimension was rated in one cycle.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DimensionScore {
    pub dimension: DimensionId,
    pub name: String,
    /// Expectations with an agreed rating.
    pub rated: u32,
    /// Of those, met as readiness counts it: rated at or above "meets", with evidence when the
    /// readiness policy requires it.
    pub met: u32,
    /// The mean position on the rating scale, from 0 (lowest label) to 1 (highest).
    pub score: f64,
}

/// One cycle of a person's history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CycleHistory {
    pub cycle: CycleName,
    pub dimensions: Vec<DimensionScore>,
}

/// A change of level, as HR imports recorded it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LevelChange {
    pub from: LevelId,
    pub to: LevelId,
    pub at: Timestamp,
}

/// Ratings per dimension across cycles, oldest first, and level changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct History {
    pub cycles: Vec<CycleHistory>,
    pub level_changes: Vec<LevelChange>,
}

impl History {
    /// Cycles without agreed ratings are left out. Dimensions are the framework's, in its order;
    /// a rating of an expectation that has since left the framework counts in the dimension it
    /// had when it was rated.
    pub fn build(
        framework: &Framework,
        record: &AssessmentRecord,
        level_changes: Vec<LevelChange>,
    ) -> History {
        let scale = framework.rating_scale();
        let evidence_required = framework.readiness().evidence_required;
        let cycles = record
            .cycles()
            .iter()
            .filter_map(|cycle| {
                let agreed = record.agreed_in_cycle(cycle);
                if agreed.is_empty() {
                    return None;
                }
                // Met as readiness counts it: at or above "meets", and backed by evidence when
                // the policy requires it.
                let met = |agreed: &crate::assess::AgreedRating| {
                    scale.is_meeting(&agreed.rating)
                        && (!evidence_required || record.has_evidence(cycle, &agreed.expectation))
                };
                let dimensions = framework
                    .dimensions()
                    .iter()
                    .filter_map(|dimension| {
                        let scores: Vec<(f64, bool)> = agreed
                            .iter()
                            .filter(|agreed| agreed.dimension == dimension.id)
                            .filter_map(|agreed| {
                                scale.score(&agreed.rating).map(|score| (score, met(agreed)))
                            })
                            .collect();
                        if scores.is_empty() {
                            return None;
                        }
                        let rated = scores.len() as u32;
                        let total: f64 = scores.iter().map(|(score, _)| score).sum();
                        Some(DimensionScore {
                            dimension: dimension.id.clone(),
                            name: dimension.name.clone(),
                            rated,
                            met: scores.iter().filter(|(_, met)| *met).count() as u32,
                            score: total / f64::from(rated),
                        })
                    })
                    .collect();
                Some(CycleHistory { cycle: cycle.clone(), dimensions })
            })
            .collect();
        History { cycles, level_changes }
    }
}

/// How a level's expectations were rated, dimension by dimension, each by its latest agreed
/// rating as readiness reads it: what a radar chart of "where I stand against this level"
/// draws. Dimensions without an agreed rating of that level's expectations have no score.
pub fn level_scores(
    framework: &Framework,
    level: &Level,
    record: &AssessmentRecord,
) -> Vec<LevelScore> {
    let scale = framework.rating_scale();
    framework
        .dimensions()
        .iter()
        .map(|dimension| {
            let scores: Vec<f64> = level
                .expectations_in(&dimension.id)
                .filter_map(|expectation| {
                    let agreed = record.latest_agreed(&expectation.id)?;
                    scale.score(&agreed.rating)
                })
                .collect();
            LevelScore {
                dimension: dimension.id.clone(),
                name: dimension.name.clone(),
                rated: scores.len() as u32,
                score: (!scores.is_empty())
                    .then(|| scores.iter().sum::<f64>() / scores.len() as f64),
            }
        })
        .collect()
}

/// A level's mean agreed score in one dimension.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LevelScore {
    pub dimension: DimensionId,
    pub name: String,
    pub rated: u32,
    /// From 0 (the lowest label) to 1 (the highest); none when nothing was rated.
    pub score: Option<f64>,
}
