//! The assessment file's format: what `rungs assess export` writes and `rungs assess import`
//! reads. Its rules are `bundle_rules`'.

use serde::{Deserialize, Serialize};

use crate::assess::{Assessment, AssessmentId};

/// The `format` field of every assessment file.
pub const FORMAT: &str = "rungs-assessments";
/// The version of the file layout this Rungs writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A file of assessment cycles: what `rungs assess export` writes and `rungs assess import`
/// reads. Ids of assessments are the exporting instance's; the importing one assigns its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub version: u32,
    /// Every framework version an assessment of the file is pinned to, with its source.
    pub frameworks: Vec<BundleFramework>,
    pub cycles: Vec<BundleCycle>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleFramework {
    pub framework_id: String,
    pub version: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleCycle {
    pub name: String,
    pub state: String,
    pub opened_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    #[serde(default)]
    pub assessments: Vec<BundleAssessment>,
    #[serde(default)]
    pub agreements: Vec<BundleAgreement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    pub framework_id: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAssessment {
    pub id: i64,
    pub subject: String,
    pub assessor: String,
    pub kind: String,
    pub current_level: String,
    pub target_level: String,
    pub framework: FrameworkRef,
    pub status: String,
    pub revision: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<i64>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    #[serde(default)]
    pub ratings: Vec<BundleRating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRating {
    pub expectation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<BundleEvidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEvidence {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAgreement {
    pub subject: String,
    pub expectation: String,
    pub rating: String,
    /// The `id` of the manager assessment (in this file) it was agreed on.
    pub assessment: i64,
    pub agreed_at: String,
    /// Why it differs from the manager's rating. Optional: histories from before Rungs asked
    /// for one have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

impl Bundle {
    pub fn new() -> Bundle {
        Bundle {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            frameworks: Vec::new(),
            cycles: Vec::new(),
        }
    }
}

impl Default for Bundle {
    fn default() -> Bundle {
        Bundle::new()
    }
}

impl From<&Assessment> for BundleAssessment {
    fn from(assessment: &Assessment) -> BundleAssessment {
        BundleAssessment {
            id: assessment.id.get(),
            subject: assessment.subject.to_string(),
            assessor: assessment.assessor.to_string(),
            kind: assessment.kind.as_str().to_owned(),
            current_level: assessment.current_level.to_string(),
            target_level: assessment.target_level.to_string(),
            framework: FrameworkRef {
                framework_id: assessment.framework.framework_id.clone(),
                version: assessment.framework.version.clone(),
            },
            status: assessment.status.as_str().to_owned(),
            revision: assessment.revision,
            revises: assessment.revises.map(AssessmentId::get),
            created_at: assessment.created_at.to_string(),
            submitted_at: assessment.submitted_at.map(|at| at.to_string()),
            ratings: assessment
                .entries
                .iter()
                .map(|entry| BundleRating {
                    expectation: entry.expectation.to_string(),
                    rating: entry.rating.clone(),
                    evidence: entry
                        .evidence
                        .iter()
                        .map(|evidence| BundleEvidence {
                            text: evidence.text.clone(),
                            link: evidence.link.clone(),
                            date: evidence.date.to_string(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
