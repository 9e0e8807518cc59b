//! How peer feedback is shown to the person it is about: with the peers' names when the
//! framework says so, otherwise without them, and only once enough peers have written that
//! no single one can be picked out.

use crate::assess::{AssessmentKind, AssessmentRecord, CycleName, CycleTrace, Readiness};
use crate::org::PersonId;

/// Anonymous peer feedback is shown to its subject once this many peers have submitted.
pub const MIN_ANONYMOUS_PEERS: usize = 3;

/// The framework's setting: whether a person sees who wrote each peer assessment of them.
/// Managers and `hr` always do; they approved the peers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeerFeedbackPolicy {
    /// Without names, and only once [`MIN_ANONYMOUS_PEERS`] peers have submitted.
    #[default]
    Anonymous,
    /// With the peers' names, as soon as each submits.
    Named,
}

impl PeerFeedbackPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PeerFeedbackPolicy::Anonymous => "anonymous",
            PeerFeedbackPolicy::Named => "named",
        }
    }

    pub fn parse(text: &str) -> Option<PeerFeedbackPolicy> {
        [PeerFeedbackPolicy::Anonymous, PeerFeedbackPolicy::Named]
            .into_iter()
            .find(|policy| policy.as_str() == text)
    }

    /// What the subject sees, in a sentence.
    pub fn describe(self) -> String {
        match self {
            PeerFeedbackPolicy::Anonymous => format!(
                "Peer feedback is anonymous: you see it without names, once {MIN_ANONYMOUS_PEERS} peers have submitted."
            ),
            PeerFeedbackPolicy::Named => {
                "Peer feedback is named: you see who wrote each as soon as they submit.".to_owned()
            }
        }
    }
}

/// A cycle whose peer feedback is held back from its subject: too few peers have submitted
/// for it to be anonymous.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WithheldPeers {
    pub cycle: CycleName,
    pub needed: usize,
}

/// Whose peer feedback a subject sees without names: everyone's while the framework keeps
/// peer feedback anonymous; under named feedback, that of the peers asked while it was
/// anonymous (see [`crate::assess::Nomination::anonymous`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnonymousPeers {
    All,
    /// These (cycle, peer) pairs only.
    Only(Vec<(CycleName, PersonId)>),
}

impl AnonymousPeers {
    /// Whether `peer`'s feedback in `cycle` is anonymous to its subject.
    pub fn includes(&self, cycle: &CycleName, peer: &PersonId) -> bool {
        match self {
            AnonymousPeers::All => true,
            AnonymousPeers::Only(pairs) => {
                pairs.iter().any(|(asked_in, asked)| asked_in == cycle && asked == peer)
            }
        }
    }
}

/// The cycles of `record` in which some, but fewer than [`MIN_ANONYMOUS_PEERS`], anonymous
/// peers submitted: their peer ratings are held back from the subject.
pub fn withheld_peer_cycles(
    record: &AssessmentRecord,
    anonymous: &AnonymousPeers,
) -> Vec<WithheldPeers> {
    // (cycle, peers who submitted): ratings are ordered by cycle, so each cycle is one run.
    let mut peers_by_cycle: Vec<(&CycleName, Vec<&PersonId>)> = Vec::new();
    let anonymous_ratings = record.given().iter().filter(|rating| {
        rating.kind == AssessmentKind::Peer && anonymous.includes(&rating.cycle, &rating.assessor)
    });
    for rating in anonymous_ratings {
        if peers_by_cycle.last().is_none_or(|(cycle, _)| *cycle != &rating.cycle) {
            peers_by_cycle.push((&rating.cycle, Vec::new()));
        }
        if let Some((_, peers)) = peers_by_cycle.last_mut()
            && !peers.contains(&&rating.assessor)
        {
            peers.push(&rating.assessor);
        }
    }
    peers_by_cycle
        .into_iter()
        .filter(|(_, peers)| peers.len() < MIN_ANONYMOUS_PEERS)
        .map(|(cycle, _)| WithheldPeers { cycle: cycle.clone(), needed: MIN_ANONYMOUS_PEERS })
        .collect()
}

/// Makes `readiness`, computed from the whole record, what its subject may see under
/// anonymous peer feedback: peer ratings and evidence lose their author, in an order that
/// follows what they say rather than who said it, and those of the `withheld` cycles are
/// left out. The verdict and counts stay as computed: the subject sees the verdict their
/// manager sees.
pub fn conceal_peers(
    readiness: &mut Readiness,
    anonymous: &AnonymousPeers,
    withheld: &[WithheldPeers],
) {
    let expectations =
        readiness.dimensions.iter_mut().flat_map(|dimension| dimension.expectations.iter_mut());
    for expectation in expectations {
        for trace in expectation.cycles.iter_mut().chain(expectation.newer.iter_mut()) {
            let withhold = withheld.iter().any(|held| held.cycle == trace.cycle);
            conceal_in(trace, anonymous, withhold);
        }
    }
}

fn conceal_in(trace: &mut CycleTrace, anonymous: &AnonymousPeers, withhold: bool) {
    let peer = AssessmentKind::Peer;
    let cycle = trace.cycle.clone();
    let hidden = |kind: AssessmentKind, author: &Option<PersonId>| {
        kind == peer && author.as_ref().is_none_or(|author| anonymous.includes(&cycle, author))
    };
    if withhold {
        trace.given.retain(|given| !hidden(given.kind, &given.assessor));
        trace.evidence.retain(|evidence| !hidden(evidence.kind, &evidence.by));
    }
    for given in trace.given.iter_mut() {
        if hidden(given.kind, &given.assessor) {
            given.assessor = None;
        }
    }
    for evidence in trace.evidence.iter_mut() {
        if hidden(evidence.kind, &evidence.by) {
            evidence.by = None;
        }
    }
    // Others first, as they were; peers by what they said, so that the n-th peer of one
    // expectation is not the n-th of the next.
    trace.given.sort_by(|a, b| {
        (a.kind == peer).cmp(&(b.kind == peer)).then_with(|| {
            match a.kind == peer && b.kind == peer {
                true => a.rating.cmp(&b.rating).then(a.not_yet_agreed.cmp(&b.not_yet_agreed)),
                false => std::cmp::Ordering::Equal,
            }
        })
    });
    trace.evidence.sort_by(|a, b| {
        (a.kind == peer).cmp(&(b.kind == peer)).then_with(|| {
            match a.kind == peer && b.kind == peer {
                true => a.text.cmp(&b.text).then(a.date.cmp(&b.date)),
                false => std::cmp::Ordering::Equal,
            }
        })
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;
    use crate::ExpectationId;
    use crate::assess::GivenRating;
    use crate::assess::readiness::{EvidenceTrace, GivenTrace};

    fn rating(cycle: &str, assessor: &str, kind: AssessmentKind) -> GivenRating {
        GivenRating {
            cycle: CycleName::parse(cycle).unwrap(),
            expectation: ExpectationId::parse("ic.l1.x").unwrap(),
            assessor: PersonId::parse(assessor).unwrap(),
            kind,
            rating: Some("meets".into()),
            evidence: vec![],
            submitted_at: None,
        }
    }

    #[test]
    fn feedback_of_fewer_than_three_peers_in_a_cycle_is_withheld() {
        let peer = AssessmentKind::Peer;
        let given = vec![
            rating("2026-H1", "p1", peer),
            rating("2026-H1", "p2", peer),
            rating("2026-H1", "p3", peer),
            rating("2026-H1", "boss", AssessmentKind::Manager),
            rating("2026-H2", "p1", peer),
            rating("2026-H2", "p2", peer),
            rating("2026-H2", "p2", peer),
            rating("2026-H2", "boss", AssessmentKind::Manager),
        ];
        let cycles = ["2026-H1", "2026-H2"].map(|name| CycleName::parse(name).unwrap());
        let record = AssessmentRecord::new(cycles.to_vec(), vec![], given);
        let withheld = withheld_peer_cycles(&record, &AnonymousPeers::All);
        assert_eq!(withheld, [WithheldPeers { cycle: cycles[1].clone(), needed: 3 }]);
        // Under named feedback, only the peers asked anonymously count, and are held back.
        let asked_anonymously =
            AnonymousPeers::Only(vec![(cycles[0].clone(), PersonId::parse("p1").unwrap())]);
        let withheld = withheld_peer_cycles(&record, &asked_anonymously);
        assert_eq!(withheld, [WithheldPeers { cycle: cycles[0].clone(), needed: 3 }]);
    }

    fn trace(cycle: &str) -> CycleTrace {
        let given = |who: &str, kind, rating: &str| GivenTrace {
            assessor: Some(PersonId::parse(who).unwrap()),
            kind,
            rating: Some(rating.to_owned()),
            not_yet_agreed: false,
        };
        let evidence = |who: &str, kind, text: &str| EvidenceTrace {
            by: Some(PersonId::parse(who).unwrap()),
            kind,
            text: text.to_owned(),
            link: None,
            date: jiff::civil::date(2026, 11, 2),
            not_yet_agreed: false,
        };
        let peer = AssessmentKind::Peer;
        CycleTrace {
            cycle: CycleName::parse(cycle).unwrap(),
            rating: Some("meets".into()),
            evidenced: true,
            met: true,
            given: vec![
                given("p1", peer, "meets"),
                given("boss", AssessmentKind::Manager, "meets"),
                given("p2", peer, "developing"),
            ],
            evidence: vec![evidence("p1", peer, "Zed"), evidence("p2", peer, "Alpha")],
        }
    }

    #[test]
    fn concealed_peers_lose_their_names_and_their_order() {
        let mut shown = trace("2026-H1");
        conceal_in(&mut shown, &AnonymousPeers::All, false);
        let given: Vec<(Option<&str>, Option<&str>)> = shown
            .given
            .iter()
            .map(|given| (given.assessor.as_ref().map(PersonId::as_str), given.rating.as_deref()))
            .collect();
        assert_eq!(
            given,
            [(Some("boss"), Some("meets")), (None, Some("developing")), (None, Some("meets"))]
        );
        let texts: Vec<&str> =
            shown.evidence.iter().map(|evidence| evidence.text.as_str()).collect();
        assert_eq!(texts, ["Alpha", "Zed"]);
        assert!(shown.evidence.iter().all(|evidence| evidence.by.is_none()));

        let mut held = trace("2026-H2");
        conceal_in(&mut held, &AnonymousPeers::All, true);
        assert_eq!(held.given.len(), 1);
        assert!(held.evidence.is_empty());

        // Named now, p2 asked when it was anonymous: p1 keeps their name, p2 loses theirs.
        let cycle = CycleName::parse("2026-H1").unwrap();
        let only_p2 = AnonymousPeers::Only(vec![(cycle, PersonId::parse("p2").unwrap())]);
        let mut mixed = trace("2026-H1");
        conceal_in(&mut mixed, &only_p2, false);
        let authors: Vec<Option<&str>> =
            mixed.given.iter().map(|given| given.assessor.as_ref().map(PersonId::as_str)).collect();
        assert!(authors.contains(&Some("p1")) && authors.contains(&None), "{authors:?}");
        assert!(!authors.contains(&Some("p2")));
    }

    #[test]
    fn the_policy_reads_and_says_what_it_means() {
        assert_eq!(PeerFeedbackPolicy::parse("named"), Some(PeerFeedbackPolicy::Named));
        assert_eq!(PeerFeedbackPolicy::parse("Named"), None);
        assert_eq!(PeerFeedbackPolicy::default(), PeerFeedbackPolicy::Anonymous);
        assert!(PeerFeedbackPolicy::Anonymous.describe().contains("once 3 peers"));
    }
}
