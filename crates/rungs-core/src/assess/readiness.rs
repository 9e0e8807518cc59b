//! Readiness for a level, explained: per dimension what is met, not met and not yet rated,
//! the verdict the framework's policy gives, and the trace of ratings and evidence behind it.

use std::borrow::Cow;

use jiff::civil::Date;

use crate::assess::{AssessmentKind, AssessmentRecord, CycleName};
use crate::org::PersonId;
use crate::{DimensionId, ExpectationId, Framework, Level, LevelId};

/// The answer to "is this person ready for that level?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No expectation of the level has an agreed rating in the window: nothing says whether
    /// the person is ready or not, which "not yet, 0 of 25" would.
    NotAssessed,
    NotYet,
    Close,
    Ready,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotAssessed => "not assessed",
            Verdict::NotYet => "not yet",
            Verdict::Close => "close",
            Verdict::Ready => "ready",
        }
    }
}

/// Where one expectation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExpectationStatus {
    Met,
    NotMet,
    NotRated,
}

impl ExpectationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectationStatus::Met => "met",
            ExpectationStatus::NotMet => "not met",
            ExpectationStatus::NotRated => "not rated",
        }
    }
}

/// The agreed rating an expectation's status rests on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgreedTrace {
    pub cycle: CycleName,
    pub rating: String,
    pub agreed_by: PersonId,
}

/// A rating given in a submitted assessment of the latest cycle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GivenTrace {
    pub assessor: PersonId,
    pub kind: AssessmentKind,
    pub rating: Option<String>,
}

/// A piece of evidence, with who attached it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceTrace {
    pub by: PersonId,
    pub kind: AssessmentKind,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub date: Date,
}

/// Whether the expectation was met in one cycle of the consistency window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CycleTrace {
    pub cycle: CycleName,
    pub rating: Option<String>,
    pub evidenced: bool,
    pub met: bool,
}

/// One expectation of the target level: its status, why, and what it rests on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExpectationTrace {
    pub expectation: ExpectationId,
    pub text: String,
    pub status: ExpectationStatus,
    /// Why, in a sentence: most are one constant sentence, not built for every expectation.
    pub reason: Cow<'static, str>,
    pub agreed: Option<AgreedTrace>,
    pub given: Vec<GivenTrace>,
    pub evidence: Vec<EvidenceTrace>,
    pub cycles: Vec<CycleTrace>,
    /// The agreed rating was made against an older wording of the expectation.
    pub reworded_since_rated: bool,
}

/// Readiness in one dimension.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DimensionReadiness {
    pub dimension: DimensionId,
    pub name: String,
    pub met: u32,
    pub not_met: u32,
    pub not_rated: u32,
    pub total: u32,
    /// Met divided by total.
    pub share: f64,
    pub verdict: Verdict,
    pub expectations: Vec<ExpectationTrace>,
}

/// Readiness for a target level, explained.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Readiness {
    pub target: LevelId,
    pub target_title: String,
    pub verdict: Verdict,
    /// The framework's readiness policy, in words.
    pub policy: String,
    /// The cycles whose agreed ratings count, oldest first; the last is the latest rated.
    pub window: Vec<CycleName>,
    pub met: u32,
    pub total: u32,
    pub dimensions: Vec<DimensionReadiness>,
}

impl Readiness {
    /// Readiness of the person whose record this is for `target`, under `framework`'s policy.
    ///
    /// The latest cycle with agreed ratings decides each expectation. An expectation is met
    /// when its agreed rating is at or above the scale's "meets" label, backed by evidence
    /// when the policy requires it, in each of the last `consecutive_cycles` cycles. A
    /// dimension's share is its met expectations over all of them; the verdict is `ready` when
    /// every dimension reaches the required share, `close` when every one reaches the close
    /// share, `not assessed` when no expectation of the level has an agreed rating in the
    /// latest rated cycle, and `not yet` otherwise.
    pub fn evaluate(framework: &Framework, target: &Level, record: &AssessmentRecord) -> Readiness {
        let policy = framework.readiness();
        let required_cycles = policy.consecutive_cycles.max(1) as usize;
        let window: Vec<CycleName> = match record.latest_rated_cycle() {
            Some(latest) => {
                let first = (latest + 1).saturating_sub(required_cycles);
                record.cycles()[first..=latest].to_vec()
            }
            None => Vec::new(),
        };
        let dimensions: Vec<DimensionReadiness> = framework
            .dimensions()
            .iter()
            .filter_map(|dimension| {
                let expectations: Vec<ExpectationTrace> = target
                    .expectations_in(&dimension.id)
                    .map(|expectation| {
                        trace(framework, &expectation.id, &expectation.text, &window, record)
                    })
                    .collect();
                if expectations.is_empty() {
                    return None;
                }
                let count = |status| {
                    expectations.iter().filter(|trace| trace.status == status).count() as u32
                };
                let total = expectations.len() as u32;
                let met = count(ExpectationStatus::Met);
                Some(DimensionReadiness {
                    dimension: dimension.id.clone(),
                    name: dimension.name.clone(),
                    met,
                    not_met: count(ExpectationStatus::NotMet),
                    not_rated: count(ExpectationStatus::NotRated),
                    total,
                    share: f64::from(met) / f64::from(total),
                    verdict: verdict_for(framework, met, total),
                    expectations,
                })
            })
            .collect();
        let assessed = dimensions.iter().any(|dimension| {
            dimension.expectations.iter().any(|trace| trace.status != ExpectationStatus::NotRated)
        });
        let verdict = match dimensions.iter().map(|dimension| dimension.verdict).min() {
            Some(verdict) if assessed => verdict,
            _ => Verdict::NotAssessed,
        };
        Readiness {
            target: target.id.clone(),
            target_title: target.title.clone(),
            verdict,
            policy: policy.describe(),
            window,
            met: dimensions.iter().map(|dimension| dimension.met).sum(),
            total: dimensions.iter().map(|dimension| dimension.total).sum(),
            dimensions,
        }
    }

    /// Every expectation's trace, dimension by dimension.
    pub fn traces(&self) -> impl Iterator<Item = &ExpectationTrace> {
        self.dimensions.iter().flat_map(|dimension| dimension.expectations.iter())
    }

    pub fn trace(&self, expectation: &str) -> Option<&ExpectationTrace> {
        self.traces().find(|trace| trace.expectation.as_str() == expectation)
    }
}

fn verdict_for(framework: &Framework, met: u32, total: u32) -> Verdict {
    let policy = framework.readiness();
    // Compare counts, not rounded shares: 4 of 5 is exactly 0.8.
    let reaches = |share: f64| f64::from(met) + 1e-9 >= share * f64::from(total);
    if reaches(policy.required_share) {
        Verdict::Ready
    } else if reaches(policy.close_share) {
        Verdict::Close
    } else {
        Verdict::NotYet
    }
}

fn trace(
    framework: &Framework,
    expectation: &ExpectationId,
    text: &str,
    window: &[CycleName],
    record: &AssessmentRecord,
) -> ExpectationTrace {
    let policy = framework.readiness();
    let scale = framework.rating_scale();
    let required_cycles = policy.consecutive_cycles.max(1) as usize;
    let cycles: Vec<CycleTrace> = window
        .iter()
        .map(|cycle| {
            let rating = record.agreed_in(cycle, expectation).map(|agreed| agreed.rating.clone());
            let evidenced = record.has_evidence(cycle, expectation);
            let met = rating.as_deref().is_some_and(|rating| scale.is_meeting(rating))
                && (evidenced || !policy.evidence_required);
            CycleTrace { cycle: cycle.clone(), rating, evidenced, met }
        })
        .collect();
    let latest_cycle = window.last();
    let agreed = latest_cycle.and_then(|cycle| record.agreed_in(cycle, expectation));
    let (given, evidence) = match latest_cycle {
        Some(cycle) => {
            let given_ratings = record.given_in(cycle, expectation);
            let given = given_ratings
                .iter()
                .map(|given| GivenTrace {
                    assessor: given.assessor.clone(),
                    kind: given.kind,
                    rating: given.rating.clone(),
                })
                .collect();
            let evidence = given_ratings
                .iter()
                .flat_map(|given| {
                    given.evidence.iter().map(|evidence| EvidenceTrace {
                        by: given.assessor.clone(),
                        kind: given.kind,
                        text: evidence.text.clone(),
                        link: evidence.link.clone(),
                        date: evidence.date,
                    })
                })
                .collect();
            (given, evidence)
        }
        None => (Vec::new(), Vec::new()),
    };
    let (status, reason) = match (latest_cycle, agreed) {
        (None, _) => (ExpectationStatus::NotRated, Cow::Borrowed("no agreed ratings yet")),
        (Some(cycle), None) => {
            (ExpectationStatus::NotRated, Cow::Owned(format!("not rated in {cycle}")))
        }
        (Some(cycle), Some(agreed)) => {
            let pieces = match evidence.len() {
                0 => "no evidence".to_owned(),
                1 => "1 piece of evidence".to_owned(),
                count => format!("{count} pieces of evidence"),
            };
            // Who agreed is in `agreed`: pages and the CLI name them.
            let said = format!("agreed “{}” in {cycle}", agreed.rating);
            let met_cycles = cycles.iter().filter(|cycle| cycle.met).count();
            let (status, reason) = if !scale.is_meeting(&agreed.rating) {
                (ExpectationStatus::NotMet, format!("{said}, below “{}”", scale.meets))
            } else if policy.evidence_required && evidence.is_empty() {
                (ExpectationStatus::NotMet, format!("{said}, but no evidence backs it"))
            } else if met_cycles < required_cycles {
                let history: Vec<String> = cycles
                    .iter()
                    .map(|cycle| {
                        format!(
                            "{}: {}",
                            cycle.cycle,
                            cycle.rating.as_deref().unwrap_or("not rated")
                        )
                    })
                    .collect();
                (
                    ExpectationStatus::NotMet,
                    format!(
                        "{said}, but met in {met_cycles} of the {required_cycles} consecutive cycles required ({})",
                        history.join(", ")
                    ),
                )
            } else if required_cycles > 1 {
                (
                    ExpectationStatus::Met,
                    format!(
                        "{said} with {pieces}, met in each of the last {required_cycles} cycles"
                    ),
                )
            } else {
                (ExpectationStatus::Met, format!("{said} with {pieces}"))
            };
            (status, Cow::Owned(reason))
        }
    };
    ExpectationTrace {
        expectation: expectation.clone(),
        text: text.to_owned(),
        status,
        reason,
        agreed: agreed.map(|agreed| AgreedTrace {
            cycle: agreed.cycle.clone(),
            rating: agreed.rating.clone(),
            agreed_by: agreed.agreed_by.clone(),
        }),
        given,
        evidence,
        cycles,
        reworded_since_rated: agreed.is_some_and(|agreed| agreed.text_when_rated != text),
    }
}
