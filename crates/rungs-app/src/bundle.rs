//! What an import of an assessment file wrote; the file's format itself is the core's
//! (`rungs_core::assess::Bundle`).

pub use rungs_core::assess::{
    Bundle, BundleAgreement, BundleAssessment, BundleCycle, BundleEvidence, BundleFramework,
    BundleRating, FORMAT, FORMAT_VERSION, FrameworkRef,
};
use serde::Serialize;

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub frameworks: usize,
    pub cycles: usize,
    pub assessments: usize,
    pub ratings: usize,
    pub evidence: usize,
    pub agreements: usize,
}

impl std::ops::AddAssign for ImportReport {
    fn add_assign(&mut self, part: ImportReport) {
        self.frameworks += part.frameworks;
        self.cycles += part.cycles;
        self.assessments += part.assessments;
        self.ratings += part.ratings;
        self.evidence += part.evidence;
        self.agreements += part.agreements;
    }
}
