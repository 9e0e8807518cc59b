//! Org-design checks: the ladder's scope numbers against the real reporting tree.

use std::collections::HashSet;
use std::fmt;

use crate::framework::{Framework, Level};
use crate::org::chart::OrgChart;
use crate::org::person::PersonId;
use crate::parallel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for FindingSeverity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            FindingSeverity::Error => "error",
            FindingSeverity::Warning => "warning",
            FindingSeverity::Info => "info",
        })
    }
}

/// The rules `org check` applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The person's level does not exist in the framework.
    UnknownLevel,
    /// A manager's org size is outside the range their level states.
    OrgSizeOutOfRange,
    /// A manager with exactly one direct report.
    SingleDirectReport,
    /// Someone whose manager is in a lower band than they are.
    ManagedByLowerBand,
    /// More management layers below someone than the levels up to theirs would need.
    DeepLayers,
    /// A level that leads people, held by someone with no reports.
    ManagerWithoutReports,
    /// A level that does not lead people, held by someone with reports.
    IcWithReports,
}

impl Rule {
    pub const ALL: [Rule; 7] = [
        Rule::UnknownLevel,
        Rule::OrgSizeOutOfRange,
        Rule::SingleDirectReport,
        Rule::ManagedByLowerBand,
        Rule::DeepLayers,
        Rule::ManagerWithoutReports,
        Rule::IcWithReports,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::UnknownLevel => "unknown-level",
            Rule::OrgSizeOutOfRange => "org-size-out-of-range",
            Rule::SingleDirectReport => "single-direct-report",
            Rule::ManagedByLowerBand => "managed-by-lower-band",
            Rule::DeepLayers => "deep-layers",
            Rule::ManagerWithoutReports => "manager-without-reports",
            Rule::IcWithReports => "ic-with-reports",
        }
    }

    pub fn severity(self) -> FindingSeverity {
        match self {
            Rule::UnknownLevel => FindingSeverity::Error,
            Rule::OrgSizeOutOfRange | Rule::ManagedByLowerBand | Rule::ManagerWithoutReports => {
                FindingSeverity::Warning
            }
            Rule::SingleDirectReport | Rule::DeepLayers | Rule::IcWithReports => {
                FindingSeverity::Info
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A number or a phrase, for the observed and expected sides of a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Figure {
    Number(u64),
    Text(String),
}

impl fmt::Display for Figure {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Number(number) => write!(formatter, "{number}"),
            Figure::Text(text) => formatter.write_str(text),
        }
    }
}

/// One thing the org chart and the ladder disagree on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub person_id: PersonId,
    pub rule: Rule,
    pub severity: FindingSeverity,
    pub observed: Figure,
    pub expected: Figure,
    pub message: String,
}

fn finding(
    chart: &OrgChart,
    member: usize,
    rule: Rule,
    observed: Figure,
    expected: Figure,
    detail: &str,
) -> Finding {
    let person = chart.member(member);
    Finding {
        person_id: person.id.clone(),
        rule,
        severity: rule.severity(),
        observed,
        expected,
        message: format!("{} ({}) {detail}", person.name, person.id),
    }
}

/// "a" or "an" before a title.
fn article(title: &str) -> &'static str {
    let starts_with_vowel = title.chars().next().is_some_and(|first| "AEIOUaeiou".contains(first));
    if starts_with_vowel { "an" } else { "a" }
}

fn people(count: u32) -> String {
    if count == 1 { "1 person".to_owned() } else { format!("{count} people") }
}

/// The tracks whose levels lead people: those with an org size at some level.
fn leading_tracks(framework: &Framework) -> HashSet<&str> {
    framework
        .levels()
        .iter()
        .filter(|level| level.scope.org_size.is_some())
        .map(|level| level.track.as_str())
        .collect()
}

/// Checks every person of the chart against the framework. Findings come errors first, then
/// warnings, then infos, each in chart order.
pub fn check(chart: &OrgChart, framework: &Framework) -> Vec<Finding> {
    let leading_tracks = leading_tracks(framework);
    let leads_people = |level: &Level| leading_tracks.contains(level.track.as_str());
    let middle = chart.len() / 2;
    let check_range =
        |members: std::ops::Range<usize>| check_members(chart, framework, &leads_people, members);
    let (mut findings, upper) =
        parallel::both(chart.len(), || check_range(0..middle), || check_range(middle..chart.len()));
    findings.extend(upper);
    // Stable: within a severity, chart order.
    findings.sort_by_key(|finding| finding.severity);
    findings
}

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FindingCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl FindingCounts {
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    pub fn of(&self, severity: FindingSeverity) -> usize {
        match severity {
            FindingSeverity::Error => self.errors,
            FindingSeverity::Warning => self.warnings,
            FindingSeverity::Info => self.infos,
        }
    }

    fn add(&mut self, severity: FindingSeverity) {
        match severity {
            FindingSeverity::Error => self.errors += 1,
            FindingSeverity::Warning => self.warnings += 1,
            FindingSeverity::Info => self.infos += 1,
        }
    }
}

impl std::ops::Add for FindingCounts {
    type Output = FindingCounts;

    fn add(self, other: FindingCounts) -> FindingCounts {
        FindingCounts {
            errors: self.errors + other.errors,
            warnings: self.warnings + other.warnings,
            infos: self.infos + other.infos,
        }
    }
}

/// How many findings [`check`] would give, without keeping them: memory does not grow with
/// the org.
pub fn count_findings(chart: &OrgChart, framework: &Framework) -> FindingCounts {
    let leading_tracks = leading_tracks(framework);
    let leads_people = |level: &Level| leading_tracks.contains(level.track.as_str());
    let count_range = |members: std::ops::Range<usize>| {
        let mut counts = FindingCounts::default();
        visit_members(chart, framework, &leads_people, members, &mut |finding| {
            counts.add(finding.severity);
        });
        counts
    };
    let middle = chart.len() / 2;
    let (lower, upper) =
        parallel::both(chart.len(), || count_range(0..middle), || count_range(middle..chart.len()));
    lower + upper
}

/// The findings about one member of the chart, errors first.
pub fn findings_of(chart: &OrgChart, framework: &Framework, member: usize) -> Vec<Finding> {
    let leading_tracks = leading_tracks(framework);
    let leads_people = |level: &Level| leading_tracks.contains(level.track.as_str());
    let mut findings = check_members(chart, framework, &leads_people, member..member + 1);
    findings.sort_by_key(|finding| finding.severity);
    findings
}

/// One page of what [`check`] gives: at most `limit` findings from position `offset` of its
/// order, and the counts of all of them. Memory grows with the page, not with the org.
pub fn findings_page(
    chart: &OrgChart,
    framework: &Framework,
    offset: usize,
    limit: usize,
) -> (Vec<Finding>, FindingCounts) {
    let counts = count_findings(chart, framework);
    // Where each severity starts in the order of `check`.
    let start = |severity: FindingSeverity| match severity {
        FindingSeverity::Error => 0,
        FindingSeverity::Warning => counts.errors,
        FindingSeverity::Info => counts.errors + counts.warnings,
    };
    let end = offset.saturating_add(limit);
    let mut seen = FindingCounts::default();
    let mut page = Vec::new();
    if offset < counts.total() && limit > 0 {
        let leading_tracks = leading_tracks(framework);
        let leads_people = |level: &Level| leading_tracks.contains(level.track.as_str());
        visit_members(chart, framework, &leads_people, 0..chart.len(), &mut |finding| {
            let position = start(finding.severity) + seen.of(finding.severity);
            seen.add(finding.severity);
            if (offset..end).contains(&position) {
                page.push(finding);
            }
        });
    }
    page.sort_by_key(|finding| finding.severity);
    (page, counts)
}

/// The findings of the members at `members`, in chart order.
fn check_members(
    chart: &OrgChart,
    framework: &Framework,
    leads_people: &(dyn Fn(&Level) -> bool + Sync),
    members: std::ops::Range<usize>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    visit_members(chart, framework, leads_people, members, &mut |finding| findings.push(finding));
    findings
}

/// Hands each finding of the members at `members` to `visit`, in chart order.
fn visit_members(
    chart: &OrgChart,
    framework: &Framework,
    leads_people: &(dyn Fn(&Level) -> bool + Sync),
    members: std::ops::Range<usize>,
    visit: &mut dyn FnMut(Finding),
) {
    for member in members {
        let person = chart.member(member);
        // Someone off the ladder is in the chart, but checked against no level.
        let Some(level_id) = &person.level else { continue };
        let Some(level) = framework.level(level_id.as_str()) else {
            visit(finding(
                chart,
                member,
                Rule::UnknownLevel,
                Figure::Text(level_id.to_string()),
                Figure::Text("a level of the framework".to_owned()),
                &format!("is at level `{level_id}`, which the framework does not define"),
            ));
            continue;
        };
        let reports = chart.direct_report_count(member);
        let org_size = chart.org_size(member);
        if let Some(range) = level.scope.org_size
            && reports > 0
            && !range.contains(org_size)
        {
            visit(finding(
                chart,
                member,
                Rule::OrgSizeOutOfRange,
                Figure::Number(u64::from(org_size)),
                Figure::Text(range.to_string()),
                &format!(
                    "leads {}; {} {} leads {}",
                    people(org_size),
                    article(&level.title),
                    level.title,
                    range.describe()
                ),
            ));
        }
        if reports == 1 {
            visit(finding(
                chart,
                member,
                Rule::SingleDirectReport,
                Figure::Number(1),
                Figure::Text("2 or more".to_owned()),
                "has a single direct report",
            ));
        }
        if leads_people(level) {
            if reports == 0 {
                visit(finding(
                    chart,
                    member,
                    Rule::ManagerWithoutReports,
                    Figure::Number(0),
                    Figure::Text("1 or more".to_owned()),
                    &format!("is {} {} with no direct reports", article(&level.title), level.title),
                ));
            }
            let layers = chart.layers_below(member);
            if layers > level.rank {
                visit(finding(
                    chart,
                    member,
                    Rule::DeepLayers,
                    Figure::Number(u64::from(layers)),
                    Figure::Number(u64::from(level.rank)),
                    &format!(
                        "has {layers} management layers below; the ladder up to {} needs at most {}",
                        level.title, level.rank
                    ),
                ));
            }
        } else if reports > 0 {
            visit(finding(
                chart,
                member,
                Rule::IcWithReports,
                Figure::Number(u64::from(reports)),
                Figure::Number(0),
                &format!(
                    "has {reports} direct reports at level {}, which does not lead people",
                    level.title
                ),
            ));
        }
        if let Some(manager) = chart.manager(member)
            && let Some(manager_level) = chart
                .member(manager)
                .level
                .as_ref()
                .and_then(|level| framework.level(level.as_str()))
        {
            let (own_band, manager_band) =
                (framework.band_rank(level), framework.band_rank(manager_level));
            if manager_band < own_band {
                let manager_person = chart.member(manager);
                visit(finding(
                    chart,
                    member,
                    Rule::ManagedByLowerBand,
                    Figure::Text(manager_level.band.to_string()),
                    Figure::Text(format!("{} or above", level.band)),
                    &format!(
                        "({}, band {}) reports to {} ({}, band {})",
                        level.title,
                        level.band,
                        manager_person.name,
                        manager_level.title,
                        manager_level.band
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test fixtures fail loudly on purpose")]

    use std::sync::Arc;

    use super::*;
    use crate::org::OrgMember;
    use crate::{LevelId, TrackId};

    #[test]
    fn a_large_org_is_checked_in_two_halves_with_findings_in_one_pass_order() {
        let framework = crate::test_support::two_levels();
        // A binary tree of 60,000 people at ic1, ic2 and a level the framework lacks: errors and
        // warnings (managed from a lower band) in both halves, infos (ICs with reports).
        let chart = mixed_chart(60_000);
        let found = check(&chart, &framework);
        // No level of `two_levels` has an org size, so no level leads people.
        let mut one_pass = check_members(&chart, &framework, &|_: &Level| false, 0..chart.len());
        one_pass.sort_by_key(|finding| finding.severity);
        assert_eq!(found, one_pass);
        // Members are in number order: `p123` is at position 123.
        for rule in [Rule::UnknownLevel, Rule::ManagedByLowerBand] {
            let positions: Vec<usize> = found
                .iter()
                .filter(|finding| finding.rule == rule)
                .map(|finding| finding.person_id.as_str()[1..].parse().unwrap())
                .collect();
            assert!(positions.first() < Some(&30_000), "{rule} in the first half");
            assert!(positions.last() >= Some(&30_000), "{rule} in the second half");
        }
        assert!(found.iter().any(|finding| finding.rule == Rule::IcWithReports));
        assert_eq!(found[0].severity, FindingSeverity::Error);
    }

    /// A binary tree of `size` people: every seventh at a level the framework lacks, the
    /// rest at ic1 or ic2, so that there are findings of every severity.
    fn mixed_chart(size: usize) -> OrgChart {
        OrgChart::build(
            (0..size)
                .map(|number: usize| OrgMember {
                    id: PersonId::parse(&format!("p{number}")).unwrap(),
                    name: format!("P{number}").into(),
                    manager_id: (number > 0)
                        .then(|| PersonId::parse(&format!("p{}", (number - 1) / 2)).unwrap()),
                    track: Some(TrackId::parse("ic").unwrap()),
                    level: Some(
                        LevelId::parse(match number % 7 {
                            0 => "ic9",
                            1 | 2 => "ic1",
                            _ => "ic2",
                        })
                        .unwrap(),
                    ),
                    team: Arc::from("Core"),
                })
                .collect(),
        )
    }

    #[test]
    fn pages_of_findings_add_up_to_the_whole_check_and_its_counts() {
        let framework = crate::test_support::two_levels();
        let chart = mixed_chart(5_000);
        let whole = check(&chart, &framework);
        let counts = count_findings(&chart, &framework);
        let severity_count = |severity| whole.iter().filter(|f| f.severity == severity).count();
        assert_eq!(counts.errors, severity_count(FindingSeverity::Error));
        assert_eq!(counts.warnings, severity_count(FindingSeverity::Warning));
        assert_eq!(counts.infos, severity_count(FindingSeverity::Info));
        assert!(counts.errors > 0 && counts.warnings > 0 && counts.infos > 0, "{counts:?}");
        // Pages that straddle the severities, read in turn, give the check's order.
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let (page, page_counts) = findings_page(&chart, &framework, offset, 333);
            assert_eq!(page_counts, counts);
            assert!(page.len() <= 333);
            if page.is_empty() {
                break;
            }
            offset += page.len();
            paged.extend(page);
        }
        assert_eq!(paged, whole);
        assert_eq!(findings_page(&chart, &framework, whole.len(), 10).0, Vec::new());
        assert_eq!(findings_page(&chart, &framework, 0, 0).0, Vec::new());
        // One member's findings are theirs of the whole check, in its order.
        for member in [0, 1, 7, 4_999] {
            let id = &chart.member(member).id;
            let theirs: Vec<Finding> =
                whole.iter().filter(|finding| &finding.person_id == id).cloned().collect();
            assert_eq!(findings_of(&chart, &framework, member), theirs, "member {member}");
        }
    }
}
