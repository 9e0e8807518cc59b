//! Readiness for a level, explained: per dimension what is met, not met and not yet rated,
//! the verdict the framework's policy gives, and the trace of ratings and evidence behind it.

use std::borrow::Cow;

use jiff::civil::Date;

use crate::assess::{AssessmentKind, AssessmentRecord, CycleName, GivenRating};
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
    /// Why it differs from the manager's rating, when it does.
    pub rationale: Option<String>,
}

/// A rating given in a submitted assessment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GivenTrace {
    /// None: a peer whose name the viewer may not know.
    pub assessor: Option<PersonId>,
    pub kind: AssessmentKind,
    pub rating: Option<String>,
    /// Submitted after the cycle's agreed rating of the expectation, or in a cycle where none
    /// was agreed: the manager has not agreed on it, so its evidence does not count yet.
    pub not_yet_agreed: bool,
}

/// A piece of evidence, with who attached it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceTrace {
    /// None: a peer whose name the viewer may not know.
    pub by: Option<PersonId>,
    pub kind: AssessmentKind,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub date: Date,
    /// Attached to a rating that is [`GivenTrace::not_yet_agreed`]: it does not count yet.
    pub not_yet_agreed: bool,
}

/// One cycle of an expectation's trace: the agreed rating, whether it was met, and the
/// ratings and evidence given in the cycle's submitted assessments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CycleTrace {
    pub cycle: CycleName,
    pub rating: Option<String>,
    /// Backed by evidence given before the rating was agreed.
    pub evidenced: bool,
    pub met: bool,
    pub given: Vec<GivenTrace>,
    pub evidence: Vec<EvidenceTrace>,
}

/// One expectation of the target level: its status, why, and what it rests on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExpectationTrace {
    pub expectation: ExpectationId,
    pub text: String,
    pub status: ExpectationStatus,
    /// Why, in a sentence: most are one constant sentence, not built for every expectation.
    pub reason: Cow<'static, str>,
    /// The latest agreed rating of the expectation, in whichever cycle it was agreed: a
    /// newer cycle that did not rate it does not hide it.
    pub agreed: Option<AgreedTrace>,
    /// The consistency window: the cycles up to the one `agreed` comes from (or, with nothing
    /// agreed, up to the latest cycle with agreed ratings), oldest first. The last is the
    /// cycle the status rests on.
    pub cycles: Vec<CycleTrace>,
    /// Later cycles in which ratings were given but none agreed: new, not yet agreed.
    pub newer: Vec<CycleTrace>,
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
    /// The cycles the expectations' traces look at, oldest first: those their agreed ratings
    /// come from, with the consistency window before each.
    pub window: Vec<CycleName>,
    pub met: u32,
    pub total: u32,
    pub dimensions: Vec<DimensionReadiness>,
}

impl Readiness {
    /// Readiness of the person whose record this is for `target`, under `framework`'s policy.
    ///
    /// Each expectation is decided by its latest agreed rating, in whichever cycle that was:
    /// a newer cycle that agreed on only some expectations leaves the others to their older
    /// ratings, and the trace says which cycle each comes from. An expectation is met when
    /// that rating is at or above the scale's "meets" label, backed by evidence given before it
    /// was agreed when the policy requires it, in each of the `consecutive_cycles` cycles up to
    /// that one. A rating or evidence submitted after the agreement is shown as not yet agreed
    /// and does not count until the manager agrees again. A dimension's share is its met
    /// expectations over all of them; the verdict is `ready` when every dimension reaches the
    /// required share, `close` when every one reaches the close share, `not assessed` when no
    /// expectation of the level has an agreed rating in any cycle, and `not yet` otherwise.
    pub fn evaluate(framework: &Framework, target: &Level, record: &AssessmentRecord) -> Readiness {
        let policy = framework.readiness();
        let latest_rated = record.latest_rated_cycle();
        let mut looked_at = vec![false; record.cycles().len()];
        let dimensions: Vec<DimensionReadiness> = framework
            .dimensions()
            .iter()
            .filter_map(|dimension| {
                let expectations: Vec<ExpectationTrace> = target
                    .expectations_in(&dimension.id)
                    .map(|expectation| {
                        let (trace, window) = trace(
                            framework,
                            &expectation.id,
                            &expectation.text,
                            latest_rated,
                            record,
                        );
                        looked_at[window].iter_mut().for_each(|cycle| *cycle = true);
                        trace
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
        let window = record
            .cycles()
            .iter()
            .zip(looked_at)
            .filter(|(_, looked_at)| *looked_at)
            .map(|(cycle, _)| cycle.clone())
            .collect();
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

/// One expectation's trace, and the positions in the record's cycles of its window.
fn trace(
    framework: &Framework,
    expectation: &ExpectationId,
    text: &str,
    latest_rated: Option<usize>,
    record: &AssessmentRecord,
) -> (ExpectationTrace, std::ops::Range<usize>) {
    let policy = framework.readiness();
    let scale = framework.rating_scale();
    let required_cycles = policy.consecutive_cycles.max(1) as usize;
    let all_cycles = record.cycles();
    let decisive = record.latest_agreed_cycle(expectation);
    let window = match decisive.or(latest_rated) {
        Some(last) => (last + 1).saturating_sub(required_cycles)..last + 1,
        None => 0..0,
    };
    let cycle_trace = |cycle: &CycleName| {
        let agreed = record.agreed_in(cycle, expectation);
        let given_ratings = record.given_in(cycle, expectation);
        let agreed_at = agreed.map(|agreed| agreed.agreed_at);
        let not_yet_agreed = |given: &GivenRating| !given.agreed_by(agreed_at);
        let given: Vec<GivenTrace> = given_ratings
            .iter()
            .map(|given| GivenTrace {
                assessor: Some(given.assessor.clone()),
                kind: given.kind,
                rating: given.rating.clone(),
                not_yet_agreed: not_yet_agreed(given),
            })
            .collect();
        let evidence: Vec<EvidenceTrace> = given_ratings
            .iter()
            .flat_map(|given| {
                let late = not_yet_agreed(given);
                given.evidence.iter().map(move |evidence| EvidenceTrace {
                    by: Some(given.assessor.clone()),
                    kind: given.kind,
                    text: evidence.text.clone(),
                    link: evidence.link.clone(),
                    date: evidence.date,
                    not_yet_agreed: late,
                })
            })
            .collect();
        let rating = agreed.map(|agreed| agreed.rating.clone());
        let evidenced = evidence.iter().any(|evidence| !evidence.not_yet_agreed);
        let met = rating.as_deref().is_some_and(|rating| scale.is_meeting(rating))
            && (evidenced || !policy.evidence_required);
        CycleTrace { cycle: cycle.clone(), rating, evidenced, met, given, evidence }
    };
    let cycles: Vec<CycleTrace> = all_cycles[window.clone()].iter().map(cycle_trace).collect();
    let newer: Vec<CycleTrace> = all_cycles[window.end..]
        .iter()
        .filter(|cycle| !record.given_in(cycle, expectation).is_empty())
        .map(cycle_trace)
        .collect();
    let pending = cycles
        .last()
        .into_iter()
        .chain(&newer)
        .flat_map(|cycle| &cycle.given)
        .filter(|given| given.not_yet_agreed)
        .count();
    let agreed = decisive.and_then(|at| record.agreed_in(&all_cycles[at], expectation));
    let (status, reason) = match (cycles.last(), agreed) {
        (None, _) => (ExpectationStatus::NotRated, "no agreed ratings yet".to_owned()),
        (Some(last), None) if window.end > 1 => {
            (ExpectationStatus::NotRated, format!("not rated in {} or before", last.cycle))
        }
        (Some(last), None) => (ExpectationStatus::NotRated, format!("not rated in {}", last.cycle)),
        (Some(last), Some(agreed)) => {
            let counted = last.evidence.iter().filter(|evidence| !evidence.not_yet_agreed).count();
            let pieces = match counted {
                0 => "no evidence".to_owned(),
                1 => "1 piece of evidence".to_owned(),
                count => format!("{count} pieces of evidence"),
            };
            // Who agreed is in `agreed`: pages and the CLI name them.
            let said = format!("agreed “{}” in {}", agreed.rating, last.cycle);
            let met_cycles = cycles.iter().filter(|cycle| cycle.met).count();
            if agreed.rating == crate::RatingScale::NOT_OBSERVED {
                let reason =
                    format!("agreed as not observed in {}, which counts as not met", last.cycle);
                (ExpectationStatus::NotMet, reason)
            } else if !scale.is_meeting(&agreed.rating) {
                (ExpectationStatus::NotMet, format!("{said}, below “{}”", scale.meets))
            } else if policy.evidence_required && !last.evidenced {
                let reason = if last.evidence.is_empty() {
                    format!("{said}, but no evidence backs it")
                } else {
                    format!("{said}, but its only evidence came after the agreement")
                };
                (ExpectationStatus::NotMet, reason)
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
            }
        }
    };
    // Most reasons are built per expectation anyway; the constant one stays borrowed.
    let reason: Cow<'static, str> = match (pending, reason.as_str()) {
        (0, "no agreed ratings yet") => Cow::Borrowed("no agreed ratings yet"),
        (0, _) => Cow::Owned(reason),
        (1, _) if agreed.is_some() => {
            Cow::Owned(format!("{reason}; 1 newer rating is not yet agreed"))
        }
        (count, _) if agreed.is_some() => {
            Cow::Owned(format!("{reason}; {count} newer ratings are not yet agreed"))
        }
        (1, _) => Cow::Owned(format!("{reason}; 1 rating given is not yet agreed")),
        (count, _) => Cow::Owned(format!("{reason}; {count} ratings given are not yet agreed")),
    };
    let trace = ExpectationTrace {
        expectation: expectation.clone(),
        text: text.to_owned(),
        status,
        reason,
        agreed: agreed.map(|agreed| AgreedTrace {
            cycle: agreed.cycle.clone(),
            rating: agreed.rating.clone(),
            agreed_by: agreed.agreed_by.clone(),
            rationale: agreed.rationale.clone(),
        }),
        cycles,
        newer,
        reworded_since_rated: agreed.is_some_and(|agreed| agreed.text_when_rated != text),
    };
    (trace, window)
}
