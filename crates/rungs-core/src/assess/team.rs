//! A manager's view of their reporting line: the expectations weakest across it, and who is
//! ready or close for promotion.

use rustc_hash::FxHashMap;

use crate::assess::{AssessmentRecord, Readiness, Verdict};
use crate::org::{Person, PersonId};
use crate::{DimensionId, ExpectationId, Framework, LevelId};

/// An expectation rated below "meets" across the team. The weakest are those the most people
/// are below "meets" on; ties go to the larger share, then the lower score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WeakExpectation {
    pub expectation: ExpectationId,
    pub text: String,
    pub level: LevelId,
    pub dimension: DimensionId,
    /// People with an agreed rating of it in their latest rated cycle.
    pub rated: u32,
    pub below_meets: u32,
    /// Mean position on the rating scale, 0 (lowest label) to 1 (highest).
    pub score: f64,
}

/// Someone ready or close for their next level.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub person: PersonId,
    pub name: String,
    pub level: LevelId,
    pub target: LevelId,
    pub target_title: String,
    pub verdict: Verdict,
    pub met: u32,
    pub total: u32,
}

/// One member of the reporting line, with their record and readiness for their next level
/// (none at the top of a track).
#[derive(Debug, Clone, Copy)]
pub struct TeamMember<'a> {
    pub person: &'a Person,
    pub record: &'a AssessmentRecord,
    pub readiness: Option<&'a Readiness>,
}

/// The team view of one manager.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TeamView {
    pub manager: PersonId,
    pub members: u32,
    /// Members with agreed ratings.
    pub assessed: u32,
    pub weakest: Vec<WeakExpectation>,
    /// Ready first, then close; by name.
    pub candidates: Vec<Candidate>,
}

impl TeamView {
    /// `members` is everyone below `manager`; `limit` caps the weakest expectations listed.
    pub fn build(
        framework: &Framework,
        manager: &PersonId,
        members: &[TeamMember<'_>],
        limit: usize,
    ) -> TeamView {
        let scale = framework.rating_scale();
        // expectation -> (rated, below meets, sum of scores, an example rating for context)
        let mut tally: FxHashMap<&ExpectationId, (u32, u32, f64, &crate::assess::AgreedRating)> =
            FxHashMap::default();
        let mut assessed = 0;
        for member in members {
            let Some(latest) = member.record.latest_rated_cycle() else { continue };
            assessed += 1;
            let cycle = &member.record.cycles()[latest];
            for agreed in member.record.agreed_in_cycle(cycle) {
                let Some(score) = scale.score(&agreed.rating) else { continue };
                let entry = tally.entry(&agreed.expectation).or_insert((0, 0, 0.0, agreed));
                entry.0 += 1;
                entry.1 += u32::from(!scale.is_meeting(&agreed.rating));
                entry.2 += score;
            }
        }
        let mut weakest: Vec<WeakExpectation> = tally
            .into_iter()
            .filter(|(_, (_, below, _, _))| *below > 0)
            .map(|(expectation, (rated, below_meets, scores, example))| {
                let (level, dimension, text) = match framework.expectation(expectation.as_str()) {
                    Some((level, now)) => {
                        (level.id.clone(), now.dimension.clone(), now.text.clone())
                    }
                    None => (
                        example.level.clone(),
                        example.dimension.clone(),
                        example.text_when_rated.clone(),
                    ),
                };
                WeakExpectation {
                    expectation: expectation.clone(),
                    text,
                    level,
                    dimension,
                    rated,
                    below_meets,
                    score: scores / f64::from(rated),
                }
            })
            .collect();
        weakest.sort_by(|a, b| {
            let share =
                |weak: &WeakExpectation| f64::from(weak.below_meets) / f64::from(weak.rated);
            b.below_meets
                .cmp(&a.below_meets)
                .then(share(b).total_cmp(&share(a)))
                .then(a.score.total_cmp(&b.score))
                .then(a.expectation.cmp(&b.expectation))
        });
        weakest.truncate(limit);
        let mut candidates: Vec<Candidate> = members
            .iter()
            .filter_map(|member| {
                let readiness = member.readiness?;
                (readiness.verdict != Verdict::NotYet).then(|| Candidate {
                    person: member.person.id.clone(),
                    name: member.person.name.clone(),
                    level: member.person.level.clone(),
                    target: readiness.target.clone(),
                    target_title: readiness.target_title.clone(),
                    verdict: readiness.verdict,
                    met: readiness.met,
                    total: readiness.total,
                })
            })
            .collect();
        candidates.sort_by(|a, b| b.verdict.cmp(&a.verdict).then(a.name.cmp(&b.name)));
        TeamView {
            manager: manager.clone(),
            members: members.len() as u32,
            assessed,
            weakest,
            candidates,
        }
    }
}
