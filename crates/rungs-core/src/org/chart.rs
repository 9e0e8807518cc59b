//! The reporting tree in memory: spans, org sizes, layers and chains for every person at once.
//!
//! Whole-org figures are computed here in one pass rather than in SQL: a recursive query for all
//! subtree sizes is two orders of magnitude slower on a large org.

use std::sync::Arc;

use crate::id::{LevelId, TrackId};
use crate::org::person::PersonId;
use crate::parallel;

/// What the org computations need to know about one active person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgMember {
    pub id: PersonId,
    /// Inline up to 24 bytes, as most names are: no allocation per person of a whole-org read.
    pub name: compact_str::CompactString,
    pub manager_id: Option<PersonId>,
    pub track: Option<TrackId>,
    pub level: Option<LevelId>,
    /// Shared: a team's name is the same text for everyone on it.
    pub team: Arc<str>,
}

/// The reporting tree with every figure precomputed. Positions (`usize`) index `members()`.
#[derive(Debug, Clone)]
pub struct OrgChart {
    members: Vec<OrgMember>,
    manager: Vec<Option<u32>>,
    report_offsets: Vec<u32>,
    reports: Vec<u32>,
    org_size: Vec<u32>,
    layers_below: Vec<u32>,
    depth: Vec<u32>,
    roots: Vec<u32>,
}

fn position(value: u32) -> usize {
    value as usize
}

/// Each member's manager as a position in `members`. Fx hashing: ids come from the company's
/// own records, and a million SipHash rounds would be most of the build. Both halves of the
/// index, and then both halves of the lookups, are built side by side.
fn managers_of(members: &[OrgMember]) -> Vec<Option<u32>> {
    let middle = members.len() / 2;
    let (lower, upper) = members.split_at(middle);
    let (lower_index, upper_index) =
        parallel::both(members.len(), || index_of(lower, 0), || index_of(upper, middle));
    // A repeated id means its last member, as one index built in order would.
    let resolve = |half: &[OrgMember]| -> Vec<Option<u32>> {
        half.iter()
            .map(|member| {
                let manager = member.manager_id.as_ref()?.as_str();
                upper_index.get(manager).or_else(|| lower_index.get(manager)).copied()
            })
            .collect()
    };
    let (lower_managers, upper_managers) =
        parallel::both(members.len(), || resolve(lower), || resolve(upper));
    let mut manager = Vec::with_capacity(members.len());
    manager.extend(lower_managers);
    manager.extend(upper_managers);
    manager
}

/// Positions by id of the members of `half`, which starts at `offset`. Sized up front: growing
/// a table of half a million entries rehashes it several times.
fn index_of(half: &[OrgMember], offset: usize) -> rustc_hash::FxHashMap<&str, u32> {
    let mut index = rustc_hash::FxHashMap::with_capacity_and_hasher(half.len(), Default::default());
    index.extend(
        half.iter()
            .enumerate()
            .map(|(position, member)| (member.id.as_str(), (offset + position) as u32)),
    );
    index
}

impl OrgChart {
    /// Builds the tree. A member whose manager is not among the members is a root. Members
    /// caught in a reporting cycle (which imports refuse) are left out of every figure.
    pub fn build(members: Vec<OrgMember>) -> OrgChart {
        let count = members.len();
        let manager = managers_of(&members);
        // Reports in compressed form: the reports of member `m` are
        // `reports[report_offsets[m]..report_offsets[m + 1]]`.
        let mut report_offsets = vec![0u32; count + 1];
        for manager in manager.iter().flatten() {
            report_offsets[position(*manager) + 1] += 1;
        }
        for slot in 1..=count {
            report_offsets[slot] += report_offsets[slot - 1];
        }
        let mut next_free = report_offsets.clone();
        let mut reports = vec![0u32; manager.iter().flatten().count()];
        for (member, manager) in manager.iter().enumerate() {
            if let Some(manager) = manager {
                let slot = &mut next_free[position(*manager)];
                reports[position(*slot)] = member as u32;
                *slot += 1;
            }
        }
        let roots: Vec<u32> =
            (0..count as u32).filter(|&member| manager[position(member)].is_none()).collect();
        // Breadth-first from the roots: parents come before their reports.
        let mut order: Vec<u32> = roots.clone();
        let mut depth = vec![0u32; count];
        for &root in &roots {
            depth[position(root)] = 1;
        }
        let mut cursor = 0;
        while cursor < order.len() {
            let member = order[cursor];
            cursor += 1;
            let (start, end) =
                (report_offsets[position(member)], report_offsets[position(member) + 1]);
            for &report in &reports[position(start)..position(end)] {
                depth[position(report)] = depth[position(member)] + 1;
                order.push(report);
            }
        }
        let mut org_size = vec![0u32; count];
        let mut layers_below = vec![0u32; count];
        for &member in order.iter().rev() {
            if let Some(manager) = manager[position(member)] {
                let (manager, member) = (position(manager), position(member));
                org_size[manager] += org_size[member] + 1;
                layers_below[manager] = layers_below[manager].max(layers_below[member] + 1);
            }
        }
        OrgChart { members, manager, report_offsets, reports, org_size, layers_below, depth, roots }
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn members(&self) -> &[OrgMember] {
        &self.members
    }

    pub fn member(&self, position: usize) -> &OrgMember {
        &self.members[position]
    }

    /// A member's position by id. A scan: single lookups are rare, and an index over a million
    /// ids would cost more to build than every lookup a command makes.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.members.iter().position(|member| member.id.as_str() == id)
    }

    pub fn manager(&self, member: usize) -> Option<usize> {
        self.manager[member].map(position)
    }

    /// Positions of a member's direct reports.
    pub fn direct_reports(&self, member: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        let (start, end) = (self.report_offsets[member], self.report_offsets[member + 1]);
        self.reports[position(start)..position(end)].iter().map(|&report| position(report))
    }

    pub fn direct_report_count(&self, member: usize) -> u32 {
        self.report_offsets[member + 1] - self.report_offsets[member]
    }

    /// Everyone below a member, direct and indirect.
    pub fn org_size(&self, member: usize) -> u32 {
        self.org_size[member]
    }

    /// Management layers below a member: 0 for someone with no reports, 1 for a manager of
    /// individual contributors, and so on.
    pub fn layers_below(&self, member: usize) -> u32 {
        self.layers_below[member]
    }

    /// Depth in the tree: 1 for someone with no manager.
    pub fn depth(&self, member: usize) -> u32 {
        self.depth[member]
    }

    /// People with no manager.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.roots.iter().map(|&root| position(root))
    }

    /// A member's managers, nearest first.
    pub fn chain(&self, member: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.manager(member);
        while let Some(manager) = current {
            if chain.len() >= self.members.len() {
                break;
            }
            chain.push(manager);
            current = self.manager(manager);
        }
        chain
    }

    /// Everyone below a member, direct and indirect, depth first: the reporting line, walked
    /// with a stack of positions rather than collected.
    pub fn line_below(&self, member: usize) -> impl Iterator<Item = usize> + '_ {
        let mut stack: Vec<usize> = self.direct_reports(member).collect();
        // The chart is a tree (imports refuse cycles), but never walk more than everyone.
        let mut budget = self.members.len();
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            budget = budget.checked_sub(1)?;
            stack.extend(self.direct_reports(next));
            Some(next)
        })
    }

    /// The number of layers in the whole org: the deepest depth.
    pub fn layers(&self) -> u32 {
        self.depth.iter().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, manager: Option<&str>) -> OrgMember {
        OrgMember {
            id: PersonId::parse(id).unwrap(),
            name: id.to_uppercase().into(),
            manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
            track: Some(TrackId::parse("ic").unwrap()),
            level: Some(LevelId::parse("ic1").unwrap()),
            team: Arc::from(""),
        }
    }

    #[test]
    fn a_large_org_built_in_two_halves_links_every_manager() {
        // A four-way tree of 120,000 people, listed in a scrambled order (7,919 is prime and
        // divides no factor of 120,000), so that many managers come after their reports and in
        // the other half: the halves' indexes must resolve across each other.
        let count = 120_000;
        let number_at: Vec<usize> = (0..count).map(|position| (position * 7_919) % count).collect();
        let mut position_of = vec![0; count];
        for (position, &number) in number_at.iter().enumerate() {
            position_of[number] = position;
        }
        let manager_of = |number: usize| (number > 0).then(|| (number - 1) / 4);
        let members = number_at
            .iter()
            .map(|&number| {
                let manager = manager_of(number).map(|manager| format!("p{manager}"));
                member(&format!("p{number}"), manager.as_deref())
            })
            .collect();
        let chart = OrgChart::build(members);
        for (position, &number) in number_at.iter().enumerate() {
            assert_eq!(
                chart.manager(position),
                manager_of(number).map(|manager| position_of[manager])
            );
        }
        assert_eq!(chart.roots().collect::<Vec<_>>(), [position_of[0]]);
        assert_eq!(chart.org_size(position_of[0]), count as u32 - 1);
        assert_eq!(chart.direct_report_count(position_of[1]), 4);
    }

    #[test]
    fn computes_spans_org_sizes_layers_and_chains() {
        // a -> b -> d, a -> c, b -> e
        let chart = OrgChart::build(vec![
            member("d", Some("b")),
            member("a", None),
            member("b", Some("a")),
            member("c", Some("a")),
            member("e", Some("b")),
        ]);
        let at = |id| chart.find(id).unwrap();
        assert_eq!(chart.direct_report_count(at("a")), 2);
        assert_eq!(chart.org_size(at("a")), 4);
        assert_eq!(chart.org_size(at("b")), 2);
        assert_eq!(chart.layers_below(at("a")), 2);
        assert_eq!(chart.layers_below(at("d")), 0);
        assert_eq!(chart.depth(at("e")), 3);
        assert_eq!(chart.layers(), 3);
        let chain: Vec<&str> =
            chart.chain(at("e")).into_iter().map(|m| chart.member(m).id.as_str()).collect();
        assert_eq!(chain, ["b", "a"]);
        let mut reports: Vec<&str> =
            chart.direct_reports(at("b")).map(|m| chart.member(m).id.as_str()).collect();
        reports.sort_unstable();
        assert_eq!(reports, ["d", "e"]);
        let line = |id| {
            let mut line: Vec<&str> =
                chart.line_below(at(id)).map(|m| chart.member(m).id.as_str()).collect();
            line.sort_unstable();
            line
        };
        assert_eq!(line("a"), ["b", "c", "d", "e"]);
        assert_eq!(line("b"), ["d", "e"]);
        assert!(line("e").is_empty());
    }

    #[test]
    fn unknown_managers_make_roots_and_cycles_do_not_hang() {
        let chart = OrgChart::build(vec![
            member("a", Some("zz")),
            member("x", Some("y")),
            member("y", Some("x")),
        ]);
        assert_eq!(chart.roots().count(), 1);
        assert_eq!(chart.org_size(chart.find("x").unwrap()), 0);
        assert!(chart.chain(chart.find("x").unwrap()).len() <= 3);
    }
}
