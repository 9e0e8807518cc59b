//! A manager's view of their reporting line: the expectations weakest across it, and who is
//! ready or close for promotion, a page at a time. [`LineTally`] adds up a line one member at
//! a time from their standings, in memory bounded by the framework and the page, not the line.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use crate::assess::{AssessmentRecord, PersonStanding, Verdict};
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

impl Candidate {
    /// Where this candidate comes in the list: ready first, then close; by name, then id.
    fn key(&self) -> CandidateKey<'_> {
        candidate_key(self.verdict, &self.name, self.person.as_str())
    }

    /// The cursor of the page that starts after this candidate.
    pub fn cursor(&self) -> CandidateCursor {
        CandidateCursor {
            verdict: self.verdict,
            name: self.name.clone(),
            person: self.person.to_string(),
        }
    }
}

type CandidateKey<'a> = (Reverse<Verdict>, &'a str, &'a str);

fn candidate_key<'a>(verdict: Verdict, name: &'a str, person: &'a str) -> CandidateKey<'a> {
    (Reverse(verdict), name, person)
}

/// Where a page of candidates starts: after the candidate it names. Written as
/// `VERDICT~ID~NAME` (`ready~E0042~Ada Lovelace`), which a link can carry. Any such text is a
/// position in the list, whether or not someone has that id and name: the page starts after
/// where they would come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateCursor {
    pub verdict: Verdict,
    pub name: String,
    /// The id as text: a position, not a reference to a person.
    pub person: String,
}

impl CandidateCursor {
    fn key(&self) -> CandidateKey<'_> {
        candidate_key(self.verdict, &self.name, &self.person)
    }

    /// The longest cursor read, in characters.
    pub const MAX_LENGTH: usize = 400;

    /// A cursor as [`std::fmt::Display`] writes it; `None` for anything else.
    pub fn parse(text: &str) -> Option<CandidateCursor> {
        let mut parts = text.splitn(3, '~');
        let verdict = match parts.next()? {
            "ready" => Verdict::Ready,
            "close" => Verdict::Close,
            _ => return None,
        };
        let person = parts.next()?.to_owned();
        let name = parts.next()?.to_owned();
        Some(CandidateCursor { verdict, name, person })
    }
}

impl std::fmt::Display for CandidateCursor {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = if self.verdict == Verdict::Ready { "ready" } else { "close" };
        write!(formatter, "{verdict}~{}~{}", self.person, self.name)
    }
}

/// Which page of candidates to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatePage {
    /// The first page when `None`.
    pub after: Option<CandidateCursor>,
    pub size: usize,
}

impl CandidatePage {
    /// How many candidates a page lists unless asked otherwise.
    pub const DEFAULT_SIZE: usize = 50;
    /// The most a page lists.
    pub const MAX_SIZE: usize = 500;

    pub fn first() -> CandidatePage {
        CandidatePage { after: None, size: CandidatePage::DEFAULT_SIZE }
    }
}

/// The team view of one manager.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TeamView {
    pub manager: PersonId,
    pub members: u32,
    /// Members with agreed ratings.
    pub assessed: u32,
    pub weakest: Vec<WeakExpectation>,
    /// How many members are ready, and how many close, for their next level.
    pub ready: u32,
    pub close: u32,
    /// One page of the ready and close: ready first, then close; by name.
    pub candidates: Vec<Candidate>,
    /// The cursor of the next page of candidates, when there is one.
    pub next_page: Option<String>,
}

/// One member of a reporting line with their record: what [`TeamView::build`] reads.
#[derive(Debug, Clone, Copy)]
pub struct TeamMember<'a> {
    pub person: &'a Person,
    pub record: &'a AssessmentRecord,
}

impl TeamView {
    /// The team view computed from whole records, each member's standing worked out here:
    /// the answer a [`LineTally`] over stored standings must give.
    pub fn build(
        framework: &Framework,
        manager: &PersonId,
        members: &[TeamMember<'_>],
        limit: usize,
        page: CandidatePage,
    ) -> TeamView {
        let mut tally = LineTally::new(framework, page);
        for member in members {
            // Someone off the ladder is in the line but has no standing to add up.
            let Some(level) = &member.person.level else { continue };
            let standing = PersonStanding::of(framework, level, member.record);
            let latest = standing
                .latest_cycle
                .as_ref()
                .map(|cycle| member.record.agreed_in_cycle(cycle))
                .unwrap_or_default();
            tally.add(
                LineMember { id: &member.person.id, name: &member.person.name, level },
                &standing,
                latest.iter().map(|agreed| (agreed.expectation.as_str(), agreed.rating.as_str())),
            );
        }
        tally.finish(manager, limit)
    }
}

/// Who a member of the line is, as the tally lists them.
#[derive(Debug, Clone, Copy)]
pub struct LineMember<'a> {
    pub id: &'a PersonId,
    pub name: &'a str,
    pub level: &'a LevelId,
}

/// How one expectation was rated across the line.
#[derive(Debug, Clone, Copy, Default)]
struct ExpectationTally {
    rated: u32,
    below_meets: u32,
    /// The sum of the ratings' positions on the scale: whole numbers add up the same in any
    /// order, so the view does not depend on the order members come in.
    positions: u64,
}

/// A reporting line added up member by member. It holds one tally per expectation of the
/// framework and at most one page of candidates (plus one, to know whether another page
/// follows): whatever the size of the line.
#[derive(Debug)]
pub struct LineTally<'f> {
    framework: &'f Framework,
    members: u32,
    assessed: u32,
    ready: u32,
    close: u32,
    expectations: FxHashMap<ExpectationId, ExpectationTally>,
    page: CandidatePage,
    /// The first `page.size + 1` candidates after the cursor; the greatest key on top.
    kept: BinaryHeap<KeptCandidate>,
}

#[derive(Debug, PartialEq, Eq)]
struct KeptCandidate(Candidate);

impl Ord for KeptCandidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.key().cmp(&other.0.key())
    }
}

impl PartialOrd for KeptCandidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<'f> LineTally<'f> {
    pub fn new(framework: &'f Framework, page: CandidatePage) -> LineTally<'f> {
        let page = CandidatePage { size: page.size.clamp(1, CandidatePage::MAX_SIZE), ..page };
        LineTally {
            framework,
            members: 0,
            assessed: 0,
            ready: 0,
            close: 0,
            expectations: FxHashMap::default(),
            kept: BinaryHeap::with_capacity(page.size + 1),
            page,
        }
    }

    /// Adds one member: their standing, and the agreed ratings (expectation, label) of their
    /// standing's latest cycle.
    pub fn add<'r>(
        &mut self,
        member: LineMember<'_>,
        standing: &PersonStanding,
        latest_agreed: impl IntoIterator<Item = (&'r str, &'r str)>,
    ) {
        self.members += 1;
        if standing.latest_cycle.is_some() {
            self.assessed += 1;
            let scale = self.framework.rating_scale();
            for (expectation, rating) in latest_agreed {
                let Some(position) = scale.position(rating) else { continue };
                let tally = match self.expectations.get_mut(expectation) {
                    Some(tally) => tally,
                    // Only expectations of the framework read: one removed since is not
                    // coached on.
                    None => match self.framework.expectation(expectation) {
                        Some((_, known)) => self.expectations.entry(known.id.clone()).or_default(),
                        None => continue,
                    },
                };
                tally.rated += 1;
                tally.below_meets += u32::from(!scale.is_meeting(rating));
                tally.positions += position as u64;
            }
        }
        let (Some(verdict), Some(target)) = (standing.verdict, &standing.target) else { return };
        match verdict {
            Verdict::Ready => self.ready += 1,
            Verdict::Close => self.close += 1,
            Verdict::NotYet | Verdict::NotAssessed => return,
        }
        let key: CandidateKey<'_> = (Reverse(verdict), member.name, member.id.as_str());
        if self.page.after.as_ref().is_some_and(|after| key <= after.key()) {
            return;
        }
        let full = self.kept.len() > self.page.size;
        if full && self.kept.peek().is_some_and(|greatest| key >= greatest.0.key()) {
            return;
        }
        let target_title = self
            .framework
            .level(target.as_str())
            .map(|level| level.title.clone())
            .unwrap_or_else(|| target.to_string());
        self.kept.push(KeptCandidate(Candidate {
            person: member.id.clone(),
            name: member.name.to_owned(),
            level: member.level.clone(),
            target: target.clone(),
            target_title,
            verdict,
            met: standing.met,
            total: standing.total,
        }));
        if full {
            self.kept.pop();
        }
    }

    /// The team view of `manager`, listing at most `limit` weakest expectations.
    pub fn finish(self, manager: &PersonId, limit: usize) -> TeamView {
        let framework = self.framework;
        let top = framework.rating_scale().labels.len().saturating_sub(1).max(1) as f64;
        let mut weakest: Vec<WeakExpectation> = self
            .expectations
            .into_iter()
            .filter(|(_, tally)| tally.below_meets > 0)
            .filter_map(|(expectation, tally)| {
                let (level, known) = framework.expectation(expectation.as_str())?;
                Some(WeakExpectation {
                    text: known.text.clone(),
                    level: level.id.clone(),
                    dimension: known.dimension.clone(),
                    expectation,
                    rated: tally.rated,
                    below_meets: tally.below_meets,
                    score: tally.positions as f64 / (f64::from(tally.rated) * top),
                })
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
        let mut candidates: Vec<Candidate> =
            self.kept.into_sorted_vec().into_iter().map(|kept| kept.0).collect();
        let next_page = if candidates.len() > self.page.size {
            candidates.truncate(self.page.size);
            candidates.last().map(|last| last.cursor().to_string())
        } else {
            None
        };
        TeamView {
            manager: manager.clone(),
            members: self.members,
            assessed: self.assessed,
            weakest,
            ready: self.ready,
            close: self.close,
            candidates,
            next_page,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    fn candidate(verdict: Verdict, name: &str, id: &str) -> Candidate {
        Candidate {
            person: PersonId::parse(id).unwrap(),
            name: name.to_owned(),
            level: LevelId::parse("ic1").unwrap(),
            target: LevelId::parse("ic2").unwrap(),
            target_title: "IC2".to_owned(),
            verdict,
            met: 1,
            total: 1,
        }
    }

    #[test]
    fn a_cursor_reads_back_as_written_even_with_its_separator_in_the_name() {
        let cursor = candidate(Verdict::Close, "Ann ~ Lee", "E12").cursor();
        assert_eq!(cursor.to_string(), "close~E12~Ann ~ Lee");
        assert_eq!(CandidateCursor::parse(&cursor.to_string()), Some(cursor));
        assert_eq!(CandidateCursor::parse("not-yet~E12~Ann"), None);
        assert_eq!(CandidateCursor::parse("ready"), None);
    }

    #[test]
    fn candidates_come_ready_first_then_by_name_then_id() {
        let mut list = [
            candidate(Verdict::Close, "Ann", "E3"),
            candidate(Verdict::Ready, "Zoe", "E1"),
            candidate(Verdict::Ready, "Bob", "E9"),
            candidate(Verdict::Ready, "Bob", "E2"),
        ];
        list.sort_by(|a, b| a.key().cmp(&b.key()));
        let ids: Vec<&str> = list.iter().map(|c| c.person.as_str()).collect();
        assert_eq!(ids, ["E2", "E9", "E1", "E3"]);
    }
}
