//! Table-driven tests of readiness: the policy's shares, evidence, consistency windows, and a
//! framework change between cycles.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly on purpose")]

use jiff::civil::date;

use crate::assess::{
    AgreedRating, AssessmentKind, AssessmentRecord, CycleName, Evidence, ExpectationStatus,
    GivenRating, History, Readiness, Verdict,
};
use crate::org::PersonId;
use crate::test_support::{level, parts};
use crate::{
    Dimension, DimensionId, Expectation, ExpectationId, Framework, RatingScale, ReadinessPolicy,
};

fn expectation(id: &str, dimension: &str, text: &str) -> Expectation {
    Expectation {
        id: ExpectationId::parse(id).unwrap(),
        dimension: DimensionId::parse(dimension).unwrap(),
        text: text.to_owned(),
        builds_on: None,
    }
}

/// `ic1`, and `ic2` with five `craft` (c1..c5) and five `impact` (i1..i5) expectations, plus
/// `extra` more craft expectations (c6, c7, ...) and c1 worded `c1_text`.
fn framework(policy: ReadinessPolicy, extra: usize, c1_text: &str) -> Framework {
    let mut ic2 = vec![expectation("c1", "craft", c1_text)];
    for index in 2..=5 + extra {
        ic2.push(expectation(&format!("c{index}"), "craft", &format!("craft {index}")));
    }
    for index in 1..=5 {
        ic2.push(expectation(&format!("i{index}"), "impact", &format!("impact {index}")));
    }
    let mut parts = parts(vec![
        level("ic1", 1, "b1", vec![expectation("base", "craft", "base")]),
        level("ic2", 2, "b2", ic2),
    ]);
    parts.dimensions.push(Dimension {
        id: DimensionId::parse("impact").unwrap(),
        name: "Impact".into(),
        description: None,
    });
    parts.rating_scale = RatingScale {
        labels: ["not-yet", "developing", "meets", "exceeds"].map(String::from).to_vec(),
        meets: "meets".into(),
    };
    parts.readiness = policy;
    Framework::assemble(parts).unwrap()
}

fn policy(evidence_required: bool, consecutive_cycles: u32) -> ReadinessPolicy {
    ReadinessPolicy { required_share: 0.8, close_share: 0.6, evidence_required, consecutive_cycles }
}

const ALL: &[&str] = &["c1", "c2", "c3", "c4", "c5", "i1", "i2", "i3", "i4", "i5"];

/// A record builder: which expectations got which agreed rating in which cycle, and which
/// had evidence.
struct Record(AssessmentRecord);

impl Record {
    fn new(cycles: &[&str]) -> Record {
        Record(AssessmentRecord::new(
            cycles.iter().map(|cycle| CycleName::parse(cycle).unwrap()).collect(),
            Vec::new(),
            Vec::new(),
        ))
    }

    /// Agrees `rating` for `expectations` in `cycle`, each backed by evidence when `evidenced`.
    fn rate(mut self, cycle: &str, expectations: &[&str], rating: &str, evidenced: bool) -> Record {
        self = self.rate_worded(cycle, expectations, rating, evidenced, None);
        self
    }

    fn rate_worded(
        mut self,
        cycle: &str,
        expectations: &[&str],
        rating: &str,
        evidenced: bool,
        c1_text: Option<&str>,
    ) -> Record {
        let cycle = CycleName::parse(cycle).unwrap();
        let mut agreed = self.0.agreed().to_vec();
        let mut given = self.0.given().to_vec();
        for id in expectations {
            let expectation = ExpectationId::parse(id).unwrap();
            let dimension = if id.starts_with('c') { "craft" } else { "impact" };
            let text = match (*id, c1_text) {
                ("c1", Some(text)) => text.to_owned(),
                ("c1", None) => "craft 1".to_owned(),
                _ if dimension == "craft" => format!("craft {}", &id[1..]),
                _ => format!("impact {}", &id[1..]),
            };
            agreed.push(AgreedRating {
                cycle: cycle.clone(),
                expectation: expectation.clone(),
                rating: rating.to_owned(),
                agreed_by: PersonId::parse("m1").unwrap(),
                level: crate::LevelId::parse("ic2").unwrap(),
                dimension: DimensionId::parse(dimension).unwrap(),
                text_when_rated: text,
                agreed_at: agreed_time(),
                rationale: None,
            });
            given.push(GivenRating {
                cycle: cycle.clone(),
                expectation,
                assessor: PersonId::parse("m1").unwrap(),
                kind: AssessmentKind::Manager,
                rating: Some(rating.to_owned()),
                evidence: if evidenced {
                    vec![Evidence::new("shipped it", None, date(2026, 9, 1)).unwrap()]
                } else {
                    vec![]
                },
                submitted_at: Some(agreed_time()),
            });
        }
        self.0 = AssessmentRecord::new(self.0.cycles().to_vec(), agreed, given);
        self
    }
}

/// When the builder's ratings are agreed, and their assessments submitted.
fn agreed_time() -> jiff::Timestamp {
    "2026-09-02T10:00:00Z".parse().unwrap()
}

impl Record {
    /// A self assessment of `expectation` in `cycle` rated `rating` with evidence, submitted a
    /// day after the builder's agreements.
    fn self_rated_after_agreement(
        mut self,
        cycle: &str,
        expectation: &str,
        rating: &str,
    ) -> Record {
        let mut given = self.0.given().to_vec();
        given.push(GivenRating {
            cycle: CycleName::parse(cycle).unwrap(),
            expectation: ExpectationId::parse(expectation).unwrap(),
            assessor: PersonId::parse("e1").unwrap(),
            kind: AssessmentKind::SelfReview,
            rating: Some(rating.to_owned()),
            evidence: vec![Evidence::new("did it myself", None, date(2026, 9, 3)).unwrap()],
            submitted_at: Some("2026-09-03T10:00:00Z".parse().unwrap()),
        });
        self.0 = AssessmentRecord::new(self.0.cycles().to_vec(), self.0.agreed().to_vec(), given);
        self
    }
}

struct Case {
    name: &'static str,
    framework: Framework,
    record: Record,
    verdict: Verdict,
    /// (dimension, met, not met, not rated)
    dimensions: &'static [(&'static str, u32, u32, u32)],
    /// (expectation, status, a part of the reason)
    traces: &'static [(&'static str, ExpectationStatus, &'static str)],
}

fn cases() -> Vec<Case> {
    let plain = || framework(policy(true, 1), 0, "craft 1");
    vec![
        Case {
            name: "everything met with evidence",
            framework: plain(),
            record: Record::new(&["2026-H1"]).rate("2026-H1", ALL, "meets", true),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 5, 0, 0), ("impact", 5, 0, 0)],
            traces: &[(
                "c1",
                ExpectationStatus::Met,
                "agreed “meets” in 2026-H1 with 1 piece of evidence",
            )],
        },
        Case {
            name: "exactly the required share in every dimension is ready",
            framework: plain(),
            record: Record::new(&["2026-H1"])
                .rate("2026-H1", &["c1", "c2", "c3", "c4", "i1", "i2", "i3", "i4"], "exceeds", true)
                .rate("2026-H1", &["c5", "i5"], "developing", true),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 4, 1, 0), ("impact", 4, 1, 0)],
            traces: &[(
                "c5",
                ExpectationStatus::NotMet,
                "agreed “developing” in 2026-H1, below “meets”",
            )],
        },
        Case {
            name: "one dimension at the close share makes the whole verdict close",
            framework: plain(),
            record: Record::new(&["2026-H1"])
                .rate("2026-H1", &["c1", "c2", "c3", "i1", "i2", "i3", "i4", "i5"], "meets", true)
                .rate("2026-H1", &["c4", "c5"], "not-yet", true),
            verdict: Verdict::Close,
            dimensions: &[("craft", 3, 2, 0), ("impact", 5, 0, 0)],
            traces: &[],
        },
        Case {
            name: "below the close share in one dimension is not yet",
            framework: plain(),
            record: Record::new(&["2026-H1"])
                .rate("2026-H1", &["c1", "c2", "i1", "i2", "i3", "i4", "i5"], "meets", true)
                .rate("2026-H1", &["c3", "c4", "c5"], "developing", true),
            verdict: Verdict::NotYet,
            dimensions: &[("craft", 2, 3, 0), ("impact", 5, 0, 0)],
            traces: &[],
        },
        Case {
            name: "a met rating without evidence does not count when the policy demands evidence",
            framework: plain(),
            record: Record::new(&["2026-H1"])
                .rate("2026-H1", &["c3", "c4", "c5", "i1", "i2", "i3", "i4", "i5"], "meets", true)
                .rate("2026-H1", &["c1", "c2"], "meets", false),
            verdict: Verdict::Close,
            dimensions: &[("craft", 3, 2, 0), ("impact", 5, 0, 0)],
            traces: &[(
                "c1",
                ExpectationStatus::NotMet,
                "agreed “meets” in 2026-H1, but no evidence backs it",
            )],
        },
        Case {
            name: "without an evidence policy the same ratings are ready",
            framework: framework(policy(false, 1), 0, "craft 1"),
            record: Record::new(&["2026-H1"])
                .rate("2026-H1", &["c3", "c4", "c5", "i1", "i2", "i3", "i4", "i5"], "meets", true)
                .rate("2026-H1", &["c1", "c2"], "meets", false),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 5, 0, 0), ("impact", 5, 0, 0)],
            traces: &[("c1", ExpectationStatus::Met, "with no evidence")],
        },
        Case {
            name: "unrated expectations of the latest cycle are not rated, and count against",
            framework: plain(),
            record: Record::new(&["2026-H1"]).rate(
                "2026-H1",
                &["c1", "c2", "c3", "c4", "c5"],
                "meets",
                true,
            ),
            verdict: Verdict::NotYet,
            dimensions: &[("craft", 5, 0, 0), ("impact", 0, 0, 5)],
            traces: &[("i1", ExpectationStatus::NotRated, "not rated in 2026-H1")],
        },
        Case {
            name: "nobody rated anything yet",
            framework: plain(),
            record: Record::new(&["2026-H1"]),
            verdict: Verdict::NotAssessed,
            dimensions: &[("craft", 0, 0, 5), ("impact", 0, 0, 5)],
            traces: &[("c1", ExpectationStatus::NotRated, "no agreed ratings yet")],
        },
        Case {
            name: "only another level was rated: this one is not assessed, not \"not yet\"",
            framework: plain(),
            record: Record::new(&["2026-H1"]).rate("2026-H1", &["base"], "meets", true),
            verdict: Verdict::NotAssessed,
            dimensions: &[("craft", 0, 0, 5), ("impact", 0, 0, 5)],
            traces: &[("c1", ExpectationStatus::NotRated, "not rated in 2026-H1")],
        },
        Case {
            name: "one rating of the level is enough to be assessed",
            framework: plain(),
            record: Record::new(&["2026-H1"]).rate("2026-H1", &["c1"], "developing", true),
            verdict: Verdict::NotYet,
            dimensions: &[("craft", 0, 1, 4), ("impact", 0, 0, 5)],
            traces: &[(
                "c1",
                ExpectationStatus::NotMet,
                "agreed “developing” in 2026-H1, below “meets”",
            )],
        },
        Case {
            name: "the latest rated cycle decides, not the best one",
            framework: plain(),
            record: Record::new(&["2026-H1", "2026-H2"])
                .rate("2026-H1", ALL, "exceeds", true)
                .rate("2026-H2", ALL, "developing", true),
            verdict: Verdict::NotYet,
            dimensions: &[("craft", 0, 5, 0), ("impact", 0, 5, 0)],
            traces: &[],
        },
        Case {
            name: "a consistency window of two cycles needs both met",
            framework: framework(policy(true, 2), 0, "craft 1"),
            record: Record::new(&["2026-H1", "2026-H2"])
                .rate("2026-H1", &["c1", "c2", "c3", "i1", "i2", "i3", "i4", "i5"], "meets", true)
                .rate("2026-H1", &["c4", "c5"], "developing", true)
                .rate("2026-H2", ALL, "meets", true),
            verdict: Verdict::Close,
            dimensions: &[("craft", 3, 2, 0), ("impact", 5, 0, 0)],
            traces: &[
                (
                    "c4",
                    ExpectationStatus::NotMet,
                    "met in 1 of the 2 consecutive cycles required (2026-H1: developing, 2026-H2: meets)",
                ),
                ("c1", ExpectationStatus::Met, "met in each of the last 2 cycles"),
            ],
        },
        Case {
            name: "a consistency window longer than the history is not sustained",
            framework: framework(policy(true, 2), 0, "craft 1"),
            record: Record::new(&["2026-H2"]).rate("2026-H2", ALL, "exceeds", true),
            verdict: Verdict::NotYet,
            dimensions: &[("craft", 0, 5, 0), ("impact", 0, 5, 0)],
            traces: &[(
                "c1",
                ExpectationStatus::NotMet,
                "met in 1 of the 2 consecutive cycles required (2026-H2: exceeds)",
            )],
        },
        Case {
            name: "a cycle without ratings breaks the run of consecutive cycles",
            framework: framework(policy(true, 2), 0, "craft 1"),
            record: Record::new(&["2026-H1", "2026-H2", "2027-H1"])
                .rate("2026-H1", ALL, "meets", true)
                .rate("2027-H1", ALL, "meets", true),
            verdict: Verdict::NotYet,
            dimensions: &[("craft", 0, 5, 0), ("impact", 0, 5, 0)],
            traces: &[("i1", ExpectationStatus::NotMet, "(2026-H2: not rated, 2027-H1: meets)")],
        },
        Case {
            name: "expectations added by a new framework version have no history to sustain",
            framework: framework(policy(true, 2), 2, "craft 1"),
            record: Record::new(&["2026-H1", "2026-H2"])
                .rate("2026-H1", ALL, "meets", true)
                .rate("2026-H2", ALL, "meets", true)
                .rate("2026-H2", &["c6", "c7"], "meets", true),
            verdict: Verdict::Close,
            dimensions: &[("craft", 5, 2, 0), ("impact", 5, 0, 0)],
            traces: &[(
                "c6",
                ExpectationStatus::NotMet,
                "met in 1 of the 2 consecutive cycles required (2026-H1: not rated, 2026-H2: meets)",
            )],
        },
        Case {
            name: "a rating given before a rewording still counts",
            framework: framework(policy(true, 1), 0, "craft 1, reworded"),
            record: Record::new(&["2026-H1"]).rate_worded(
                "2026-H1",
                ALL,
                "meets",
                true,
                Some("craft 1"),
            ),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 5, 0, 0), ("impact", 5, 0, 0)],
            traces: &[("c1", ExpectationStatus::Met, "")],
        },
        Case {
            name: "a newer cycle that agreed on some expectations leaves the rest to the older one",
            framework: plain(),
            record: Record::new(&["2026-H1", "2026-H2"]).rate("2026-H1", ALL, "meets", true).rate(
                "2026-H2",
                &["c1", "c2"],
                "developing",
                true,
            ),
            verdict: Verdict::Close,
            dimensions: &[("craft", 3, 2, 0), ("impact", 5, 0, 0)],
            traces: &[
                ("c1", ExpectationStatus::NotMet, "agreed “developing” in 2026-H2"),
                ("c3", ExpectationStatus::Met, "agreed “meets” in 2026-H1 with 1 piece"),
                ("i5", ExpectationStatus::Met, "agreed “meets” in 2026-H1"),
            ],
        },
        Case {
            name: "a consistency window ends at the cycle an expectation was last agreed in",
            framework: framework(policy(true, 2), 0, "craft 1"),
            record: Record::new(&["2026-H1", "2026-H2", "2027-H1"])
                .rate("2026-H1", ALL, "meets", true)
                .rate(
                    "2026-H2",
                    &["c2", "c3", "c4", "c5", "i1", "i2", "i3", "i4", "i5"],
                    "meets",
                    true,
                )
                .rate("2026-H2", &["c1"], "developing", true)
                .rate("2027-H1", &["c1"], "meets", true),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 4, 1, 0), ("impact", 5, 0, 0)],
            traces: &[
                ("c1", ExpectationStatus::NotMet, "(2026-H2: developing, 2027-H1: meets)"),
                ("c2", ExpectationStatus::Met, "agreed “meets” in 2026-H2"),
            ],
        },
        Case {
            name: "evidence submitted after the agreement does not count until agreed again",
            framework: plain(),
            record: Record::new(&["2026-H1"])
                .rate(
                    "2026-H1",
                    &["c2", "c3", "c4", "c5", "i1", "i2", "i3", "i4", "i5"],
                    "meets",
                    true,
                )
                .rate("2026-H1", &["c1"], "meets", false)
                .self_rated_after_agreement("2026-H1", "c1", "exceeds"),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 4, 1, 0), ("impact", 5, 0, 0)],
            traces: &[(
                "c1",
                ExpectationStatus::NotMet,
                "its only evidence came after the agreement; 1 newer rating is not yet agreed",
            )],
        },
        Case {
            name: "a rating given with nothing agreed is not yet agreed",
            framework: plain(),
            record: Record::new(&["2026-H1", "2026-H2"])
                .rate("2026-H1", ALL, "meets", true)
                .self_rated_after_agreement("2026-H2", "c1", "exceeds"),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 5, 0, 0), ("impact", 5, 0, 0)],
            traces: &[(
                "c1",
                ExpectationStatus::Met,
                "agreed “meets” in 2026-H1 with 1 piece of evidence; 1 newer rating is not yet agreed",
            )],
        },
        Case {
            name: "a label that left the rating scale does not count as met",
            framework: plain(),
            record: Record::new(&["2026-H1"])
                .rate(
                    "2026-H1",
                    &["c2", "c3", "c4", "c5", "i1", "i2", "i3", "i4", "i5"],
                    "meets",
                    true,
                )
                .rate("2026-H1", &["c1"], "outstanding", true),
            verdict: Verdict::Ready,
            dimensions: &[("craft", 4, 1, 0), ("impact", 5, 0, 0)],
            traces: &[("c1", ExpectationStatus::NotMet, "below “meets”")],
        },
    ]
}

#[test]
fn readiness_verdicts() {
    for case in cases() {
        let target = case.framework.level("ic2").unwrap();
        let readiness = Readiness::evaluate(&case.framework, target, &case.record.0);
        assert_eq!(readiness.verdict, case.verdict, "{}: verdict", case.name);
        let dimensions: Vec<(&str, u32, u32, u32)> = readiness
            .dimensions
            .iter()
            .map(|d| (d.dimension.as_str(), d.met, d.not_met, d.not_rated))
            .collect();
        assert_eq!(dimensions, case.dimensions, "{}: dimensions", case.name);
        for (expectation, status, reason) in case.traces {
            let trace = readiness.trace(expectation).unwrap();
            assert_eq!(trace.status, *status, "{}: status of {expectation}", case.name);
            assert!(
                trace.reason.contains(reason),
                "{}: reason of {expectation} is `{}`, expected it to contain `{reason}`",
                case.name,
                trace.reason
            );
        }
    }
}

/// With a window of two cycles, the trace carries the rating, the ratings given and the
/// evidence of both, and a later self assessment shows as new and not yet agreed.
#[test]
fn the_trace_shows_every_cycle_of_the_window_and_what_is_not_yet_agreed() {
    let framework = framework(policy(true, 2), 0, "craft 1");
    let record = Record::new(&["2026-H1", "2026-H2", "2027-H1"])
        .rate("2026-H1", ALL, "developing", true)
        .rate("2026-H2", ALL, "meets", true)
        .self_rated_after_agreement("2026-H2", "c1", "exceeds")
        .self_rated_after_agreement("2027-H1", "c1", "exceeds");
    let readiness = Readiness::evaluate(&framework, framework.level("ic2").unwrap(), &record.0);
    let trace = readiness.trace("c1").unwrap();
    let cycles: Vec<(&str, Option<&str>, usize, bool)> = trace
        .cycles
        .iter()
        .map(|cycle| {
            (cycle.cycle.as_str(), cycle.rating.as_deref(), cycle.evidence.len(), cycle.evidenced)
        })
        .collect();
    assert_eq!(
        cycles,
        [("2026-H1", Some("developing"), 1, true), ("2026-H2", Some("meets"), 2, true)]
    );
    let late: Vec<bool> = trace.cycles[1].given.iter().map(|given| given.not_yet_agreed).collect();
    assert_eq!(late, [false, true], "the manager's rating counts, the later self one waits");
    assert_eq!(trace.newer.len(), 1);
    assert_eq!(trace.newer[0].cycle.as_str(), "2027-H1");
    assert!(trace.newer[0].given[0].not_yet_agreed && trace.newer[0].rating.is_none());
    assert!(trace.reason.ends_with("2 newer ratings are not yet agreed"), "{}", trace.reason);
    let window: Vec<&str> = readiness.window.iter().map(CycleName::as_str).collect();
    assert_eq!(window, ["2026-H1", "2026-H2"]);
}

#[test]
fn the_trace_names_who_rated_and_the_evidence() {
    let framework = framework(policy(true, 1), 0, "craft 1, reworded");
    let record =
        Record::new(&["2026-H1"]).rate_worded("2026-H1", ALL, "meets", true, Some("craft 1"));
    let target = framework.level("ic2").unwrap();
    let readiness = Readiness::evaluate(&framework, target, &record.0);
    let trace = readiness.trace("c1").unwrap();
    assert_eq!(trace.agreed.as_ref().unwrap().agreed_by.as_str(), "m1");
    let cycle = trace.cycles.last().unwrap();
    assert_eq!(cycle.given.len(), 1);
    assert_eq!(cycle.given[0].kind, AssessmentKind::Manager);
    assert_eq!(cycle.evidence[0].text, "shipped it");
    assert!(!cycle.given[0].not_yet_agreed);
    assert!(trace.reworded_since_rated);
    assert!(!readiness.trace("c2").unwrap().reworded_since_rated);
    assert_eq!(readiness.window, vec![CycleName::parse("2026-H1").unwrap()]);
    assert_eq!((readiness.met, readiness.total), (10, 10));
}

mod rules {
    use jiff::Timestamp;

    use super::{framework, policy};
    use crate::ExpectationId;
    use crate::LevelId;
    use crate::assess::{
        AssessError, Assessment, AssessmentId, AssessmentKind, AssessmentStatus, AssessmentView,
        Cycle, CycleName, CycleState, Evidence, EvidenceError, ExpectationFlag, ExpectationRating,
        FrameworkVersion, NewAssessmentRequest, SideBySide, Unrated, check_new_assessment,
        check_one_per_kind,
    };
    use crate::org::PersonId;

    fn cycle(state: CycleState) -> Cycle {
        Cycle {
            name: CycleName::parse("2026-H2").unwrap(),
            state,
            opened_at: Timestamp::UNIX_EPOCH,
            closed_at: None,
        }
    }

    fn person(id: &str) -> PersonId {
        PersonId::parse(id).unwrap()
    }

    fn request<'a>(
        cycle: &'a Cycle,
        kind: AssessmentKind,
        subject: &'a PersonId,
        assessor: &'a PersonId,
        managers: &'a [PersonId],
        level: &'a LevelId,
    ) -> NewAssessmentRequest<'a> {
        NewAssessmentRequest {
            cycle,
            kind,
            subject,
            subject_level: Some(level),
            subject_managers: managers,
            assessor,
            target: None,
            existing: &[],
        }
    }

    #[test]
    fn who_may_write_which_kind() {
        let framework = framework(policy(true, 1), 0, "craft 1");
        let open = cycle(CycleState::Open);
        let (subject, manager, skip, peer) =
            (person("e3"), person("m1"), person("d1"), person("e4"));
        let managers = [manager.clone(), skip.clone()];
        let level = LevelId::parse("ic1").unwrap();
        let check = |kind, assessor: &PersonId| {
            check_new_assessment(
                &framework,
                request(&open, kind, &subject, assessor, &managers, &level),
            )
        };
        assert_eq!(check(AssessmentKind::SelfReview, &subject).unwrap().as_str(), "ic2");
        assert!(check(AssessmentKind::Manager, &manager).is_ok());
        assert!(check(AssessmentKind::Manager, &skip).is_ok(), "a skip-level manager may");
        assert!(check(AssessmentKind::Peer, &peer).is_ok());
        assert!(matches!(
            check(AssessmentKind::SelfReview, &peer),
            Err(AssessError::SelfByOther { .. })
        ));
        assert!(matches!(
            check(AssessmentKind::Manager, &subject),
            Err(AssessError::AssessingThemselves { .. })
        ));
        assert!(matches!(
            check(AssessmentKind::Peer, &subject),
            Err(AssessError::AssessingThemselves { .. })
        ));
        assert!(matches!(
            check(AssessmentKind::Manager, &peer),
            Err(AssessError::NotTheirManager { .. })
        ));
        let closed = cycle(CycleState::Closed);
        let refused = check_new_assessment(
            &framework,
            request(&closed, AssessmentKind::SelfReview, &subject, &subject, &managers, &level),
        );
        assert!(matches!(refused, Err(AssessError::CycleClosed { .. })));
        let top = LevelId::parse("ic2").unwrap();
        let refused = check_new_assessment(
            &framework,
            request(&open, AssessmentKind::SelfReview, &subject, &subject, &managers, &top),
        );
        assert_eq!(
            refused.unwrap_err().to_string(),
            "`ic2` is the top of its track; name a target level with --target"
        );
    }

    /// One self and one manager assessment per subject and cycle; one peer assessment per
    /// assessor. The refusal names the latest revision of the one there is.
    #[test]
    fn one_assessment_per_kind_and_cycle() {
        let manager_one = assessment(AssessmentStatus::Submitted, AssessmentKind::Manager, &[]);
        let revised = Assessment {
            id: AssessmentId::new(9),
            revision: 2,
            revises: Some(AssessmentId::new(7)),
            ..manager_one.clone()
        };
        let peer = Assessment {
            id: AssessmentId::new(11),
            assessor: person("e4"),
            ..assessment(AssessmentStatus::Draft, AssessmentKind::Peer, &[])
        };
        let existing = [manager_one, revised, peer];
        let refused = check_one_per_kind(AssessmentKind::Manager, &person("d1"), &existing);
        assert_eq!(
            refused.unwrap_err().to_string(),
            "`e3` already has a manager assessment in 2026-H2: assessment 9; open it, or correct it with a revision once it is submitted"
        );
        assert_eq!(
            check_one_per_kind(AssessmentKind::Peer, &person("e4"), &existing)
                .unwrap_err()
                .to_string(),
            "`e3` already has a peer assessment in 2026-H2 by `e4`: assessment 11; open it, or correct it with a revision once it is submitted"
        );
        assert_eq!(
            check_one_per_kind(AssessmentKind::Peer, &person("e5"), &existing),
            Ok(()),
            "another peer"
        );
        assert_eq!(
            check_one_per_kind(AssessmentKind::SelfReview, &person("e3"), &existing),
            Ok(())
        );
    }

    fn assessment(
        status: AssessmentStatus,
        kind: AssessmentKind,
        ratings: &[(&str, &str)],
    ) -> Assessment {
        Assessment {
            id: AssessmentId::new(7),
            cycle: CycleName::parse("2026-H2").unwrap(),
            subject: person("e3"),
            assessor: person("m1"),
            kind,
            current_level: LevelId::parse("ic1").unwrap(),
            target_level: LevelId::parse("ic2").unwrap(),
            framework: FrameworkVersion { framework_id: "t".into(), version: "1".into() },
            status,
            revision: 1,
            revises: None,
            superseded_by: None,
            created_at: Timestamp::UNIX_EPOCH,
            submitted_at: None,
            entries: ratings
                .iter()
                .map(|(id, rating)| ExpectationRating {
                    expectation: ExpectationId::parse(id).unwrap(),
                    rating: Some((*rating).to_owned()),
                    evidence: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn a_submission_names_what_it_leaves_unrated_or_marks_it_not_observed() {
        let pinned = framework(policy(true, 1), 0, "craft 1");
        let open = cycle(CycleState::Open);
        let draft =
            assessment(AssessmentStatus::Draft, AssessmentKind::Manager, &[("c1", "meets")]);
        let error = draft.check_submit(&open, &pinned, &[], Unrated::Refuse).unwrap_err();
        assert_eq!(
            error.to_string(),
            "assessment 7 leaves 10 expectations unrated: `base`, `c2`, `c3`, and 7 more; rate each, or mark it not observed"
        );
        let also: Vec<ExpectationId> = ["base", "c2", "c3", "c4", "c5", "i1", "i2", "i3", "i4"]
            .iter()
            .map(|id| ExpectationId::parse(id).unwrap())
            .collect();
        let error = draft.check_submit(&open, &pinned, &also, Unrated::Refuse).unwrap_err();
        assert!(error.to_string().contains("leaves 1 expectation unrated: `i5`;"), "{error}");
        let marked = draft.check_submit(&open, &pinned, &[], Unrated::NotObserved).unwrap();
        assert_eq!(marked.len(), 10);
        assert!(!marked.iter().any(|id| id.as_str() == "c1"), "rated ones stay as rated");
        let all: Vec<ExpectationId> =
            also.into_iter().chain([ExpectationId::parse("i5").unwrap()]).collect();
        assert_eq!(draft.check_submit(&open, &pinned, &all, Unrated::Refuse).unwrap(), vec![]);
    }

    #[test]
    fn ratings_are_checked_against_the_pinned_version() {
        let pinned = framework(policy(true, 1), 0, "craft 1");
        let open = cycle(CycleState::Open);
        let draft = assessment(AssessmentStatus::Draft, AssessmentKind::Manager, &[]);
        assert!(draft.check_rating(&open, &pinned, "c1", "meets").is_ok());
        assert!(
            draft.check_rating(&open, &pinned, "base", "exceeds").is_ok(),
            "the current level too"
        );
        assert_eq!(
            draft.check_rating(&open, &pinned, "c9", "meets").unwrap_err().to_string(),
            "expectation `c9` is not one of the expectations that assessment 7 rates (IC1 (ic1) and IC2 (ic2) in framework t 1) (did you mean `c1`?)"
        );
        assert!(matches!(
            draft.check_rating(&open, &pinned, "c1", "Meets"),
            Err(AssessError::UnknownRating { .. })
        ));
        assert!(matches!(
            draft.check_submit(&open, &pinned, &[], Unrated::Refuse),
            Err(AssessError::NothingRated { .. })
        ));
        assert!(matches!(draft.check_revise(&open), Err(AssessError::StillDraft { .. })));
        let submitted =
            assessment(AssessmentStatus::Submitted, AssessmentKind::Manager, &[("c1", "meets")]);
        assert!(matches!(
            submitted.check_rating(&open, &pinned, "c1", "meets"),
            Err(AssessError::Submitted { .. })
        ));
        assert!(matches!(
            submitted.check_evidence(&open, &pinned, "c1"),
            Err(AssessError::Submitted { .. })
        ));
        assert!(submitted.check_agree(&open, &pinned, "c1", "meets").is_ok());
        let corrected =
            Assessment { superseded_by: Some(AssessmentId::new(9)), ..submitted.clone() };
        assert!(matches!(
            corrected.check_agree(&open, &pinned, "c1", "meets"),
            Err(AssessError::Superseded { .. })
        ));
        let own =
            assessment(AssessmentStatus::Submitted, AssessmentKind::SelfReview, &[("c1", "meets")]);
        assert!(matches!(
            own.check_agreeable(&open),
            Err(AssessError::NotAManagerAssessment { .. })
        ));
        assert!(matches!(
            submitted.check_agreeable(&cycle(CycleState::Closed)),
            Err(AssessError::CycleClosed { .. })
        ));
    }

    #[test]
    fn evidence_needs_a_text_and_a_real_link() {
        let day = jiff::civil::date(2026, 9, 1);
        assert_eq!(Evidence::new("  ", None, day), Err(EvidenceError::EmptyText));
        assert!(matches!(
            Evidence::new("x", Some("ftp://a.example.com"), day),
            Err(EvidenceError::BadLink { .. })
        ));
        assert!(matches!(
            Evidence::new("x", Some("https://a b.example"), day),
            Err(EvidenceError::BadLink { .. })
        ));
        assert!(matches!(
            Evidence::new(&"x".repeat(4001), None, day),
            Err(EvidenceError::TooLong { .. })
        ));
        let evidence = Evidence::new(" shipped ", Some(" "), day).unwrap();
        assert_eq!((evidence.text.as_str(), evidence.link), ("shipped", None));
    }

    #[test]
    fn self_and_manager_side_by_side() {
        let framework = framework(policy(true, 1), 0, "craft 1");
        let own = assessment(
            AssessmentStatus::Submitted,
            AssessmentKind::SelfReview,
            &[("c1", "exceeds"), ("c2", "meets")],
        );
        let manager = assessment(
            AssessmentStatus::Submitted,
            AssessmentKind::Manager,
            &[("c1", "meets"), ("c2", "meets"), ("c3", "developing")],
        );
        let compared = SideBySide::build(&framework, Some(&own), Some(&manager), &[]);
        assert_eq!(compared.rows.len(), 11, "ic1's one and ic2's ten expectations");
        assert_eq!(compared.differences, 1);
        let c1 = compared.rows.iter().find(|row| row.expectation.as_str() == "c1").unwrap();
        assert_eq!((c1.differs, c1.gap), (true, Some(-1)));
        let c3 = compared.rows.iter().find(|row| row.expectation.as_str() == "c3").unwrap();
        assert_eq!((c3.differs, c3.gap, c3.self_rating.as_deref()), (false, None, None));
    }

    #[test]
    fn an_assessment_shows_what_changed_in_the_framework_since() {
        let pinned = framework(policy(true, 1), 1, "craft 1");
        // Since: c6 left the framework, and c1 was reworded.
        let current = framework(policy(true, 1), 0, "craft one");
        let rated = assessment(
            AssessmentStatus::Submitted,
            AssessmentKind::Manager,
            &[("c1", "meets"), ("c6", "meets")],
        );
        let view = AssessmentView::build(rated, &pinned, &current);
        assert_eq!(view.flagged, 2);
        let flag = |id: &str| {
            view.rows.iter().find(|row| row.expectation.as_str() == id).unwrap().flag.clone()
        };
        assert_eq!(flag("c1"), ExpectationFlag::Reworded { now: "craft one".into() });
        assert_eq!(flag("c6"), ExpectationFlag::Removed);
        assert_eq!(flag("c2"), ExpectationFlag::Unchanged);
        assert_eq!(view.rated, 2);
    }

    #[test]
    fn a_plan_focuses_on_the_gaps_and_tracks_its_actions() {
        use crate::assess::{
            ActionId, ActionStatus, GrowthPlan, PlanAction, PlanError, PlanId, PlanProgress,
            Readiness, check_focus, suggest_focus,
        };
        let framework = framework(policy(true, 1), 0, "craft 1");
        let target = framework.level("ic2").unwrap();
        let record = super::Record::new(&["2026-H2"])
            .rate("2026-H2", &["c1", "c2", "c3", "c4", "c5", "i1", "i2"], "meets", true)
            .rate("2026-H2", &["i3"], "developing", true)
            .0;
        let readiness = Readiness::evaluate(&framework, target, &record);
        let focus = suggest_focus(framework.rating_scale(), &readiness, 3);
        let ids: Vec<&str> = focus.iter().map(|id| id.as_str()).collect();
        assert_eq!(ids, ["i3", "i4", "i5"], "not met before not rated, weakest dimension first");

        // "meets" without the evidence the policy requires is not met, but it only needs
        // evidence: a gap rated below "meets" comes first.
        let record = super::Record::new(&["2026-H2"])
            .rate("2026-H2", &["c1", "c2", "c3", "c4", "c5", "i2"], "meets", true)
            .rate("2026-H2", &["i1"], "meets", false)
            .rate("2026-H2", &["i3"], "developing", true)
            .0;
        let readiness = Readiness::evaluate(&framework, target, &record);
        let focus = suggest_focus(framework.rating_scale(), &readiness, 3);
        let ids: Vec<&str> = focus.iter().map(|id| id.as_str()).collect();
        assert_eq!(ids, ["i3", "i1", "i4"], "below meets, then needs time, then not rated");
        assert_eq!(check_focus(target, &["c1".to_owned()]).unwrap()[0].as_str(), "c1");
        assert!(matches!(
            check_focus(target, &["base".to_owned()]),
            Err(PlanError::NotInTarget { .. })
        ));
        let action = |id, expectation: &str, status, day| PlanAction {
            id: ActionId::new(id),
            expectation: ExpectationId::parse(expectation).unwrap(),
            text: "do it".into(),
            owner: person("e3"),
            due: jiff::civil::date(2026, 12, day),
            status,
        };
        let plan = GrowthPlan {
            id: PlanId::new(1),
            subject: person("e3"),
            target_level: target.id.clone(),
            focus: vec![ExpectationId::parse("c1").unwrap(), ExpectationId::parse("i3").unwrap()],
            actions: vec![
                action(1, "i3", ActionStatus::Done, 1),
                action(2, "i3", ActionStatus::InProgress, 10),
                action(3, "i3", ActionStatus::Dropped, 1),
                action(4, "c1", ActionStatus::Planned, 20),
            ],
        };
        let progress = PlanProgress::of(&plan, &readiness, jiff::civil::date(2026, 12, 15));
        assert_eq!((progress.focus_met, progress.actions_done, progress.actions_total), (1, 1, 3));
        let i3 = &progress.focus[1];
        assert_eq!((i3.actions_done, i3.actions_open, i3.actions_overdue), (1, 1, 1));
        assert!(matches!(plan.check_action_target("i4"), Err(PlanError::NotAFocus { .. })));
    }
}

#[test]
fn history_counts_met_as_readiness_does() {
    let record = Record::new(&["2026-H2"])
        .rate("2026-H2", &["c1", "c2"], "meets", true)
        .rate("2026-H2", &["c3"], "meets", false)
        .0;
    let met = |evidence_required| {
        let framework = framework(policy(evidence_required, 1), 0, "craft 1");
        let history = History::build(&framework, &record, Vec::new());
        history.cycles[0].dimensions[0].met
    };
    assert_eq!(met(true), 2, "meets without the required evidence is not met");
    assert_eq!(met(false), 3);
}
