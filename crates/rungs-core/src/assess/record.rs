//! A person's assessment record: the agreed ratings and the submitted ratings with evidence
//! across cycles, which readiness, history and team views are computed from.

use jiff::Timestamp;

use crate::assess::{AssessmentKind, CycleName, Evidence};
use crate::org::PersonId;
use crate::{DimensionId, ExpectationId, LevelId};

/// The final rating of one expectation in one cycle, recorded by the manager.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgreedRating {
    pub cycle: CycleName,
    pub expectation: ExpectationId,
    pub rating: String,
    pub agreed_by: PersonId,
    /// Where the expectation was in the framework version the rating was agreed against.
    pub level: LevelId,
    pub dimension: DimensionId,
    /// The expectation's wording in that version.
    pub text_when_rated: String,
    /// When it was agreed: ratings and evidence submitted later are not yet agreed.
    pub agreed_at: Timestamp,
    /// Why it differs from the manager's rating, when it does.
    pub rationale: Option<String>,
}

/// A rating in the latest revision of a submitted assessment, with the evidence behind it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GivenRating {
    pub cycle: CycleName,
    pub expectation: ExpectationId,
    pub assessor: PersonId,
    pub kind: AssessmentKind,
    pub rating: Option<String>,
    pub evidence: Vec<Evidence>,
    /// When the assessment was submitted; unknown for some imported histories.
    pub submitted_at: Option<Timestamp>,
}

/// Everything assessed about one person. The ratings are kept in order of cycle and
/// expectation, so that finding those of one expectation in one cycle is a binary search: a
/// person page looks up every expectation of two levels in every cycle of the readiness window,
/// and a record after a few cycles holds hundreds of ratings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentRecord {
    /// Every cycle of the instance, oldest first: a cycle the person was not assessed in
    /// still breaks a run of consecutive cycles.
    cycles: Vec<CycleName>,
    /// By cycle name, then expectation.
    agreed: Vec<AgreedRating>,
    /// By cycle name, then expectation; ratings of the same expectation in the same cycle in
    /// the order they were given.
    given: Vec<GivenRating>,
}

impl AssessmentRecord {
    /// A record of `cycles` (oldest first) and the ratings in any order: both lists are sorted
    /// by cycle name and expectation, ratings with the same keys keeping their order.
    pub fn new(
        cycles: Vec<CycleName>,
        mut agreed: Vec<AgreedRating>,
        mut given: Vec<GivenRating>,
    ) -> AssessmentRecord {
        agreed.sort_by(|a, b| a.key().cmp(&b.key()));
        given.sort_by(|a, b| a.key().cmp(&b.key()));
        AssessmentRecord { cycles, agreed, given }
    }

    /// Every cycle of the instance, oldest first.
    pub fn cycles(&self) -> &[CycleName] {
        &self.cycles
    }

    /// Every agreed rating, by cycle name and expectation.
    pub fn agreed(&self) -> &[AgreedRating] {
        &self.agreed
    }

    /// Every given rating, by cycle name and expectation.
    pub fn given(&self) -> &[GivenRating] {
        &self.given
    }

    /// The position in [`Self::cycles`] of the latest cycle with an agreed rating.
    pub fn latest_rated_cycle(&self) -> Option<usize> {
        self.cycles.iter().rposition(|cycle| !self.agreed_in_cycle(cycle).is_empty())
    }

    /// The agreed ratings of one cycle, by expectation.
    pub fn agreed_in_cycle(&self, cycle: &CycleName) -> &[AgreedRating] {
        let start = self.agreed.partition_point(|agreed| &agreed.cycle < cycle);
        let end = start + self.agreed[start..].partition_point(|agreed| &agreed.cycle == cycle);
        &self.agreed[start..end]
    }

    pub fn agreed_in(
        &self,
        cycle: &CycleName,
        expectation: &ExpectationId,
    ) -> Option<&AgreedRating> {
        rated(&self.agreed, (cycle, expectation)).first()
    }

    /// The ratings given for `expectation` in `cycle`, in the order they were given.
    pub fn given_in(&self, cycle: &CycleName, expectation: &ExpectationId) -> &[GivenRating] {
        rated(&self.given, (cycle, expectation))
    }

    /// The position in [`Self::cycles`] of the latest cycle with an agreed rating of
    /// `expectation`: a newer cycle that agreed on other expectations only does not hide it.
    pub fn latest_agreed_cycle(&self, expectation: &ExpectationId) -> Option<usize> {
        self.cycles.iter().rposition(|cycle| self.agreed_in(cycle, expectation).is_some())
    }

    /// The latest agreed rating of `expectation`, in whichever cycle.
    pub fn latest_agreed(&self, expectation: &ExpectationId) -> Option<&AgreedRating> {
        let at = self.latest_agreed_cycle(expectation)?;
        self.agreed_in(&self.cycles[at], expectation)
    }

    /// Whether a submitted assessment of the cycle backs the expectation with evidence given
    /// before the cycle's agreed rating of it (given later, the manager has not seen it).
    pub fn has_evidence(&self, cycle: &CycleName, expectation: &ExpectationId) -> bool {
        let agreed_at = self.agreed_in(cycle, expectation).map(|agreed| agreed.agreed_at);
        self.given_in(cycle, expectation)
            .iter()
            .any(|given| !given.evidence.is_empty() && given.agreed_by(agreed_at))
    }
}

impl GivenRating {
    /// Whether this rating was submitted by the time of an agreement at `agreed_at`: not when
    /// nothing was agreed, nor when it was submitted later. A rating without a submission time
    /// (an imported history) counts as submitted before.
    pub fn agreed_by(&self, agreed_at: Option<Timestamp>) -> bool {
        match agreed_at {
            Some(agreed_at) => self.submitted_at.is_none_or(|submitted| submitted <= agreed_at),
            None => false,
        }
    }
}

/// A rating of one expectation in one cycle: what a record keeps its ratings sorted by.
trait Rating {
    fn key(&self) -> (&CycleName, &ExpectationId);
}

impl Rating for AgreedRating {
    fn key(&self) -> (&CycleName, &ExpectationId) {
        (&self.cycle, &self.expectation)
    }
}

impl Rating for GivenRating {
    fn key(&self) -> (&CycleName, &ExpectationId) {
        (&self.cycle, &self.expectation)
    }
}

/// The ratings with `key` among `ratings`, sorted by key.
fn rated<'a, R: Rating>(ratings: &'a [R], key: (&CycleName, &ExpectationId)) -> &'a [R] {
    let start = ratings.partition_point(|rating| rating.key() < key);
    let end = start + ratings[start..].partition_point(|rating| rating.key() == key);
    &ratings[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Evidence;

    fn agreed(cycle: &str, expectation: &str, rating: &str) -> AgreedRating {
        AgreedRating {
            cycle: CycleName::parse(cycle).unwrap(),
            expectation: ExpectationId::parse(expectation).unwrap(),
            rating: rating.to_owned(),
            agreed_by: PersonId::parse("m1").unwrap(),
            level: LevelId::parse("ic2").unwrap(),
            dimension: DimensionId::parse("craft").unwrap(),
            text_when_rated: format!("{expectation} as worded"),
            agreed_at: Timestamp::UNIX_EPOCH,
            rationale: None,
        }
    }

    fn given(cycle: &str, expectation: &str, assessor: &str, evidenced: bool) -> GivenRating {
        GivenRating {
            cycle: CycleName::parse(cycle).unwrap(),
            expectation: ExpectationId::parse(expectation).unwrap(),
            assessor: PersonId::parse(assessor).unwrap(),
            kind: AssessmentKind::Peer,
            rating: Some("meets".to_owned()),
            evidence: if evidenced {
                vec![Evidence::new("shipped it", None, jiff::civil::date(2026, 9, 1)).unwrap()]
            } else {
                Vec::new()
            },
            submitted_at: None,
        }
    }

    /// Ratings arrive in any order; lookups find exactly those of one cycle and expectation,
    /// and the ratings given for one keep the order they were given in.
    #[test]
    fn finds_the_ratings_of_one_cycle_and_expectation_whatever_their_order() {
        let cycles: Vec<CycleName> = ["2025-h2", "2026-h1", "2026-h2"]
            .iter()
            .map(|name| CycleName::parse(name).unwrap())
            .collect();
        let record = AssessmentRecord::new(
            cycles.clone(),
            vec![
                agreed("2026-h1", "c2", "exceeds"),
                agreed("2025-h2", "c1", "developing"),
                agreed("2026-h1", "c1", "meets"),
            ],
            vec![
                given("2026-h1", "c1", "p3", false),
                given("2025-h2", "c1", "p9", true),
                given("2026-h1", "c1", "p1", true),
                given("2026-h1", "c2", "p2", false),
            ],
        );
        let c1 = ExpectationId::parse("c1").unwrap();
        let c2 = ExpectationId::parse("c2").unwrap();
        let c3 = ExpectationId::parse("c3").unwrap();
        let [h2_2025, h1, h2] = [&cycles[0], &cycles[1], &cycles[2]];
        assert_eq!(record.agreed_in(h1, &c1).map(|a| a.rating.as_str()), Some("meets"));
        assert_eq!(record.agreed_in(h2_2025, &c1).map(|a| a.rating.as_str()), Some("developing"));
        assert_eq!(record.agreed_in(h1, &c2).map(|a| a.rating.as_str()), Some("exceeds"));
        assert_eq!(record.agreed_in(h1, &c3), None);
        assert_eq!(record.agreed_in(h2, &c1), None);
        let assessors: Vec<&str> =
            record.given_in(h1, &c1).iter().map(|g| g.assessor.as_str()).collect();
        assert_eq!(assessors, ["p3", "p1"]);
        assert!(record.has_evidence(h1, &c1));
        assert!(!record.has_evidence(h1, &c2));
        assert!(record.given_in(h2, &c1).is_empty());
        let in_h1: Vec<&str> =
            record.agreed_in_cycle(h1).iter().map(|a| a.expectation.as_str()).collect();
        assert_eq!(in_h1, ["c1", "c2"]);
        assert!(record.agreed_in_cycle(h2).is_empty());
        assert_eq!(record.latest_rated_cycle(), Some(1));
        assert_eq!(AssessmentRecord::default().latest_rated_cycle(), None);
    }
}
