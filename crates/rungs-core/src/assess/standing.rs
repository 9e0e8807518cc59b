//! A person's standing: the few facts of their record that whole-line views read (their
//! readiness verdict for their next level, the met counts per dimension, and the latest cycle
//! with agreed ratings), small enough to keep per person and cheap to recompute from the record.

use crate::assess::{AssessmentRecord, CycleName, Readiness, Verdict};
use crate::{DimensionId, Framework, Level, LevelId};

/// Met and total expectations of one dimension of the target level.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DimensionCount {
    pub dimension: DimensionId,
    pub met: u32,
    pub total: u32,
}

/// Where one person stands, computed from their whole record at their level.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonStanding {
    /// The level they were at when it was computed.
    pub level: LevelId,
    /// Their next level; none at the top of a track, or for a level not in the framework.
    pub target: Option<LevelId>,
    /// Readiness for `target`; none without a target.
    pub verdict: Option<Verdict>,
    pub met: u32,
    pub total: u32,
    pub dimensions: Vec<DimensionCount>,
    /// The latest cycle with agreed ratings: the one whose ratings the team view tallies.
    pub latest_cycle: Option<CycleName>,
}

impl PersonStanding {
    /// The version of the rules that computed a standing. A stored standing computed under
    /// other rules is out of date: raise this whenever [`PersonStanding::of`] or what it
    /// calls (readiness) would answer differently for the same record.
    pub const RULES: u32 = 3;

    /// The standing of someone at `level` with this record, under `framework`.
    pub fn of(framework: &Framework, level: &LevelId, record: &AssessmentRecord) -> PersonStanding {
        let latest_cycle =
            record.latest_rated_cycle().map(|latest| record.cycles()[latest].clone());
        let target =
            framework.level(level.as_str()).and_then(|current| framework.next_level(current));
        match target {
            Some(target) => PersonStanding::from_readiness(
                level.clone(),
                target,
                &Readiness::evaluate(framework, target, record),
                latest_cycle,
            ),
            None => PersonStanding {
                level: level.clone(),
                target: None,
                verdict: None,
                met: 0,
                total: 0,
                dimensions: Vec::new(),
                latest_cycle,
            },
        }
    }

    /// The standing that `readiness` (for `target`, the person's next level) gives.
    pub fn from_readiness(
        level: LevelId,
        target: &Level,
        readiness: &Readiness,
        latest_cycle: Option<CycleName>,
    ) -> PersonStanding {
        PersonStanding {
            level,
            target: Some(target.id.clone()),
            verdict: Some(readiness.verdict),
            met: readiness.met,
            total: readiness.total,
            dimensions: readiness
                .dimensions
                .iter()
                .map(|dimension| DimensionCount {
                    dimension: dimension.dimension.clone(),
                    met: dimension.met,
                    total: dimension.total,
                })
                .collect(),
            latest_cycle,
        }
    }

    /// True when someone with agreed ratings is ready or close for their next level.
    pub fn is_candidate(&self) -> bool {
        matches!(self.verdict, Some(Verdict::Ready | Verdict::Close))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;
    use crate::assess::AgreedRating;
    use crate::org::PersonId;
    use crate::test_support::{level, parts};
    use crate::{DimensionId, Expectation, ExpectationId};

    /// `ic1`, then `ic2` with five `craft` expectations; no evidence required.
    fn framework() -> Framework {
        let expectations = (1..=5)
            .map(|index| Expectation {
                id: ExpectationId::parse(&format!("c{index}")).unwrap(),
                dimension: DimensionId::parse("craft").unwrap(),
                text: format!("craft {index}"),
                builds_on: None,
            })
            .collect();
        let mut parts =
            parts(vec![level("ic1", 1, "b1", vec![]), level("ic2", 2, "b2", expectations)]);
        parts.readiness.evidence_required = false;
        Framework::assemble(parts).unwrap()
    }

    fn agreed(framework: &Framework, cycle: &CycleName, met: usize) -> Vec<AgreedRating> {
        let target = framework.level("ic2").unwrap();
        target
            .expectations
            .iter()
            .enumerate()
            .map(|(index, expectation)| AgreedRating {
                cycle: cycle.clone(),
                expectation: expectation.id.clone(),
                rating: if index < met { "yes" } else { "no" }.to_owned(),
                agreed_by: PersonId::parse("E2").unwrap(),
                level: target.id.clone(),
                dimension: expectation.dimension.clone(),
                text_when_rated: expectation.text.clone(),
                agreed_at: jiff::Timestamp::UNIX_EPOCH,
                rationale: None,
            })
            .collect()
    }

    #[test]
    fn a_standing_is_the_readiness_for_the_next_level_in_brief() {
        let framework = framework();
        let ic1 = LevelId::parse("ic1").unwrap();
        let cycle = CycleName::parse("2026-H1").unwrap();
        for (met, verdict) in
            [(5, Verdict::Ready), (4, Verdict::Ready), (3, Verdict::Close), (1, Verdict::NotYet)]
        {
            let record = AssessmentRecord::new(
                vec![cycle.clone()],
                agreed(&framework, &cycle, met),
                Vec::new(),
            );
            let standing = PersonStanding::of(&framework, &ic1, &record);
            let readiness =
                Readiness::evaluate(&framework, framework.level("ic2").unwrap(), &record);
            assert_eq!(standing.verdict, Some(verdict), "{met} of 5 met");
            assert_eq!(standing.verdict, Some(readiness.verdict));
            assert_eq!((standing.met, standing.total), (met as u32, 5));
            assert_eq!(
                standing.dimensions,
                [DimensionCount {
                    dimension: DimensionId::parse("craft").unwrap(),
                    met: met as u32,
                    total: 5
                }]
            );
            assert_eq!(standing.latest_cycle.as_ref(), Some(&cycle));
            assert_eq!(standing.is_candidate(), verdict != Verdict::NotYet);
        }
    }

    #[test]
    fn nobody_rated_has_no_latest_cycle_and_the_top_of_a_track_no_target() {
        let framework = framework();
        let record = AssessmentRecord::default();
        let bottom = PersonStanding::of(&framework, &LevelId::parse("ic1").unwrap(), &record);
        assert_eq!(
            (bottom.latest_cycle.as_ref(), bottom.verdict),
            (None, Some(Verdict::NotAssessed))
        );
        let top = PersonStanding::of(&framework, &LevelId::parse("ic2").unwrap(), &record);
        assert_eq!((top.target.as_ref(), top.verdict), (None, None));
        assert!(!top.is_candidate());
    }
}
