//! Demo assessments: a closed and an open cycle of self, manager and peer assessments with
//! evidence and agreed ratings, spread so that some people are ready for their next level,
//! some close and most not yet. Deterministic for a seed.

use std::collections::HashMap;

use rungs_app::{
    Bundle, BundleAgreement, BundleAssessment, BundleCycle, BundleEvidence, BundleFramework,
    BundleRating, FrameworkRef,
};
use rungs_core::{Framework, Level};

use crate::DemoPerson;

/// The demo's open cycle, which runs on a schedule around the day of the load.
pub const OPEN_CYCLE: &str = "2026-H2";

/// The two demo cycles: (name, opened, closed, evidence month).
const CYCLES: [(&str, &str, Option<&str>, &str); 2] = [
    ("2026-H1", "2026-01-05T09:00:00Z", Some("2026-07-03T17:00:00Z"), "2026-05"),
    ("2026-H2", "2026-07-06T09:00:00Z", None, "2026-10"),
];

/// What people did, by dimension: `{}` is filled with a project.
const EVIDENCE: &[(&str, &[&str])] = &[
    (
        "leadership",
        &[
            "Ran the weekly design review for the {} and coached two engineers through their first designs",
            "Mentored a new hire on the {}; they shipped independently within six weeks",
            "Resolved a disagreement between two teams about the {} interface by writing down both options and facilitating a decision",
        ],
    ),
    (
        "scope",
        &[
            "Owned the {} roadmap for the half and kept three teams aligned on it",
            "Took over the {} after a reorganisation and delivered the planned milestones on time",
            "Coordinated the {} launch across product, support and two engineering teams",
        ],
    ),
    (
        "autonomy",
        &[
            "Decided to re-platform the {} after a written trade-off analysis; the decision held up in review",
            "Handled the {} incident end to end, including the post-mortem and follow-up fixes",
            "Re-scoped the {} work when the deadline moved, without needing escalation",
        ],
    ),
    (
        "impact",
        &[
            "Presented the {} results at the all-hands; the write-up became the reference for other teams",
            "Cut the {} p99 latency by 40% and explained the trade-offs to stakeholders",
            "Wrote the {} proposal that leadership adopted for next year's plan",
        ],
    ),
    (
        "growth",
        &[
            "Two people they developed on the {} were promoted this cycle",
            "Their {} practices were adopted by neighbouring teams without being asked",
            "Grew the {} team from three to seven engineers with strong retention",
        ],
    ),
];

const PROJECTS: &[&str] = &[
    "checkout",
    "search ranking",
    "billing migration",
    "mobile release train",
    "data platform",
    "payments reliability",
    "identity service",
    "onboarding flow",
    "observability stack",
    "pricing experiments",
    "partner API",
    "fraud detection",
];

/// A rating position on the scale, lowest 0.
fn label(framework: &Framework, position: usize) -> String {
    let labels = &framework.rating_scale().labels;
    labels[position.min(labels.len() - 1)].clone()
}

#[derive(Debug)]
struct Generator {
    rng: fastrand::Rng,
    meets: usize,
    top: usize,
    next_id: i64,
}

impl Generator {
    /// A manager's rating: at or above meets with probability `strength`.
    fn manager_rating(&mut self, strength: f64) -> usize {
        if self.rng.f64() < strength {
            if self.rng.f64() < 0.25 { self.top } else { self.meets }
        } else if self.rng.f64() < 0.7 {
            self.meets.saturating_sub(1)
        } else {
            self.meets.saturating_sub(2)
        }
    }

    /// People see themselves a little differently than their managers do.
    fn self_rating(&mut self, manager: usize) -> usize {
        let roll = self.rng.f64();
        if roll < 0.25 {
            (manager + 1).min(self.top)
        } else if roll < 0.35 {
            manager.saturating_sub(1)
        } else {
            manager
        }
    }

    fn evidence(&mut self, dimension: &str, month: &str, person: &DemoPerson) -> BundleEvidence {
        let templates = EVIDENCE
            .iter()
            .find(|(id, _)| *id == dimension)
            .map_or(EVIDENCE[0].1, |(_, templates)| *templates);
        let project = PROJECTS[self.rng.usize(..PROJECTS.len())];
        let text = templates[self.rng.usize(..templates.len())].replace("{}", project);
        let slug: String =
            project.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let link = (self.rng.f64() < 0.6).then(|| {
            format!(
                "https://wiki.example.com/{}/{}",
                person.team.to_lowercase().replace(' ', "-"),
                slug.trim_matches('-')
            )
        });
        BundleEvidence { text, link, date: format!("{month}-{:02}", self.rng.u8(1..=28)) }
    }

    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }
}

/// How many people one part of the demo's assessments covers: a part is checked and written
/// whole, so this bounds what a demo load holds at once (about 300 rows a person).
pub const PART_SIZE: usize = 1_000;

/// Assessments of up to `assessed` people of the demo org (everyone with a manager and a next
/// level, in org order), against `framework`, whose file text is `source`: every part of
/// [`AssessmentParts`] in one file.
pub fn assessments(
    framework: &Framework,
    source: &str,
    people: &[DemoPerson],
    assessed: usize,
    seed: u64,
) -> Bundle {
    let mut whole = Bundle::new();
    for part in AssessmentParts::new(framework, source, people, assessed, seed, PART_SIZE) {
        if whole.frameworks.is_empty() {
            whole.frameworks = part.frameworks;
        }
        for cycle in part.cycles {
            match whole.cycles.last_mut().filter(|last| last.name == cycle.name) {
                Some(last) => {
                    last.state = cycle.state;
                    last.closed_at = cycle.closed_at;
                    last.assessments.extend(cycle.assessments);
                    last.agreements.extend(cycle.agreements);
                }
                None => whole.cycles.push(cycle),
            }
        }
    }
    whole
}

/// The demo's assessments in parts of up to `part_size` people, each an assessment file of
/// one cycle: the first cycle's parts, then the second's. A cycle stays open until its last
/// part, which carries its real state. The same seed gives the same assessments whatever the
/// part size.
#[derive(Debug)]
pub struct AssessmentParts<'a> {
    framework: &'a Framework,
    reference: FrameworkRef,
    source: &'a str,
    generator: Generator,
    by_manager: HashMap<&'a str, Vec<&'a DemoPerson>>,
    subjects: Vec<(&'a DemoPerson, &'a Level, &'a Level)>,
    /// Each subject's strength at the next level, drawn once for both cycles.
    strengths: Vec<f64>,
    part_size: usize,
    cycle: usize,
    next_subject: usize,
}

impl<'a> AssessmentParts<'a> {
    pub fn new(
        framework: &'a Framework,
        source: &'a str,
        people: &'a [DemoPerson],
        assessed: usize,
        seed: u64,
        part_size: usize,
    ) -> AssessmentParts<'a> {
        let meets = framework.rating_scale().position(&framework.rating_scale().meets).unwrap_or(0);
        let mut generator = Generator {
            rng: fastrand::Rng::with_seed(seed ^ 0x5eed_a55e),
            meets,
            top: framework.rating_scale().labels.len().saturating_sub(1),
            next_id: 0,
        };
        let reference = FrameworkRef {
            framework_id: framework.meta().id.clone(),
            version: framework.meta().version.clone(),
        };
        let mut by_manager: HashMap<&str, Vec<&DemoPerson>> = HashMap::new();
        for person in people {
            if let Some(manager) = &person.manager_id {
                by_manager.entry(manager.as_str()).or_default().push(person);
            }
        }
        let subjects: Vec<(&DemoPerson, &Level, &Level)> = people
            .iter()
            .filter(|person| person.manager_id.is_some())
            .filter_map(|person| {
                let current = framework.level(&person.level)?;
                Some((person, current, framework.next_level(current)?))
            })
            .take(assessed)
            .collect();
        // About one in six is ready, one in five close, the rest not yet. The first half was
        // a little weaker.
        let strengths: Vec<f64> = subjects
            .iter()
            .map(|_| {
                let roll = generator.rng.f64();
                if roll < 0.17 {
                    0.92 + generator.rng.f64() * 0.08
                } else if roll < 0.37 {
                    0.66 + generator.rng.f64() * 0.12
                } else {
                    0.2 + generator.rng.f64() * 0.4
                }
            })
            .collect();
        AssessmentParts {
            framework,
            reference,
            source,
            generator,
            by_manager,
            subjects,
            strengths,
            part_size: part_size.max(1),
            cycle: 0,
            next_subject: 0,
        }
    }

    /// Adds subject `index`'s assessments and agreed ratings of cycle `cycle_index`.
    fn add_subject(&mut self, cycle: &mut BundleCycle, cycle_index: usize, index: usize) {
        let framework = self.framework;
        let generator = &mut self.generator;
        let reference = &self.reference;
        let meets = generator.meets;
        let (_, opened, closed, month) = CYCLES[cycle_index];
        let submitted_at = closed.unwrap_or("2026-11-02T10:00:00Z");
        let last = cycle_index + 1 == CYCLES.len();
        let (person, current, target) = self.subjects[index];
        let strength = self.strengths[index];
        let strength = if last { strength } else { (strength - 0.15).max(0.05) };
        let by_manager = &self.by_manager;
        let Some(manager) = &person.manager_id else { return };
        // In the open cycle, one in ten has only started their self assessment.
        let in_progress = last && generator.rng.f64() < 0.1;
        let mut manager_ratings = Vec::new();
        let mut self_ratings = Vec::new();
        for level in [current, target] {
            for expectation in &level.expectations {
                let level_strength = if level.id == current.id { 0.95 } else { strength };
                let given = generator.manager_rating(level_strength);
                let own = generator.self_rating(given);
                // Evidence backs most good ratings; a few lack it, which readiness shows.
                let evidence = if given >= meets && generator.rng.f64() < 0.93 {
                    vec![generator.evidence(expectation.dimension.as_str(), month, person)]
                } else {
                    Vec::new()
                };
                manager_ratings.push(BundleRating {
                    expectation: expectation.id.to_string(),
                    rating: Some(label(framework, given)),
                    evidence,
                });
                self_ratings.push(BundleRating {
                    expectation: expectation.id.to_string(),
                    rating: Some(label(framework, own)),
                    evidence: Vec::new(),
                });
            }
        }
        let assessment =
            |id: i64, kind: &str, assessor: &str, status: &str, ratings| BundleAssessment {
                id,
                subject: person.id.clone(),
                assessor: assessor.to_owned(),
                kind: kind.to_owned(),
                current_level: current.id.to_string(),
                target_level: target.id.to_string(),
                framework: reference.clone(),
                status: status.to_owned(),
                revision: 1,
                revises: None,
                created_at: opened.to_owned(),
                submitted_at: (status == "submitted").then(|| submitted_at.to_owned()),
                ratings,
            };
        if in_progress {
            let id = generator.id();
            let started: Vec<BundleRating> = self_ratings.into_iter().take(7).collect();
            cycle.assessments.push(assessment(id, "self", &person.id, "draft", started));
            return;
        }
        let self_id = generator.id();
        cycle.assessments.push(assessment(self_id, "self", &person.id, "submitted", self_ratings));
        if let Some(peer) = by_manager
            .get(manager.as_str())
            .and_then(|team| team.iter().find(|peer| peer.id != person.id))
            .filter(|_| generator.rng.f64() < 0.3)
        {
            // Peers rate a few expectations of the next level.
            let peer_ratings: Vec<BundleRating> = manager_ratings[current.expectations.len()..]
                .iter()
                .take(5)
                .map(|rating| {
                    let seen = rating
                        .rating
                        .as_deref()
                        .and_then(|label| framework.rating_scale().position(label))
                        .map(|position| label(framework, generator.self_rating(position)));
                    BundleRating {
                        expectation: rating.expectation.clone(),
                        rating: seen,
                        evidence: Vec::new(),
                    }
                })
                .collect();
            let id = generator.id();
            cycle.assessments.push(assessment(id, "peer", &peer.id, "submitted", peer_ratings));
        }
        let manager_id = generator.id();
        for rating in &manager_ratings {
            if let Some(agreed) = &rating.rating {
                cycle.agreements.push(BundleAgreement {
                    subject: person.id.clone(),
                    expectation: rating.expectation.clone(),
                    rating: agreed.clone(),
                    assessment: manager_id,
                    agreed_at: submitted_at.to_owned(),
                    rationale: None,
                });
            }
        }
        cycle.assessments.push(assessment(
            manager_id,
            "manager",
            manager,
            "submitted",
            manager_ratings,
        ));
    }
}

impl Iterator for AssessmentParts<'_> {
    type Item = Bundle;

    fn next(&mut self) -> Option<Bundle> {
        let (name, opened, closed, _) = *CYCLES.get(self.cycle)?;
        let start = self.next_subject;
        let end = (start + self.part_size).min(self.subjects.len());
        let ends_cycle = end == self.subjects.len();
        let mut cycle = BundleCycle {
            name: name.to_owned(),
            state: if closed.is_some() && ends_cycle { "closed" } else { "open" }.to_owned(),
            opened_at: opened.to_owned(),
            closed_at: closed.filter(|_| ends_cycle).map(str::to_owned),
            assessments: Vec::new(),
            agreements: Vec::new(),
        };
        for index in start..end {
            self.add_subject(&mut cycle, self.cycle, index);
        }
        if ends_cycle {
            self.cycle += 1;
            self.next_subject = 0;
        } else {
            self.next_subject = end;
        }
        let mut bundle = Bundle::new();
        bundle.frameworks.push(BundleFramework {
            framework_id: self.reference.framework_id.clone(),
            version: self.reference.version.clone(),
            source: self.source.to_owned(),
        });
        bundle.cycles.push(cycle);
        Some(bundle)
    }
}
