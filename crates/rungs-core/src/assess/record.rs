//! A person's assessment record: the agreed ratings and the submitted ratings with evidence
//! across cycles, which readiness, history and team views are computed from.

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
}

/// Everything assessed about one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentRecord {
    /// Every cycle of the instance, oldest first: a cycle the person was not assessed in
    /// still breaks a run of consecutive cycles.
    pub cycles: Vec<CycleName>,
    pub agreed: Vec<AgreedRating>,
    pub given: Vec<GivenRating>,
}

impl AssessmentRecord {
    /// The position in [`Self::cycles`] of the latest cycle with an agreed rating.
    pub fn latest_rated_cycle(&self) -> Option<usize> {
        self.cycles
            .iter()
            .rposition(|cycle| self.agreed.iter().any(|agreed| &agreed.cycle == cycle))
    }

    pub fn agreed_in(
        &self,
        cycle: &CycleName,
        expectation: &ExpectationId,
    ) -> Option<&AgreedRating> {
        self.agreed
            .iter()
            .find(|agreed| &agreed.cycle == cycle && &agreed.expectation == expectation)
    }

    pub fn given_in<'a>(
        &'a self,
        cycle: &'a CycleName,
        expectation: &'a ExpectationId,
    ) -> impl Iterator<Item = &'a GivenRating> + 'a {
        self.given
            .iter()
            .filter(move |given| &given.cycle == cycle && &given.expectation == expectation)
    }

    /// Whether any submitted assessment of the cycle backs the expectation with evidence.
    pub fn has_evidence(&self, cycle: &CycleName, expectation: &ExpectationId) -> bool {
        self.given_in(cycle, expectation).any(|given| !given.evidence.is_empty())
    }
}
