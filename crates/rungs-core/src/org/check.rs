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

/// Checks every person of the chart against the framework. Findings come errors first, then
/// warnings, then infos, each in chart order.
pub fn check(chart: &OrgChart, framework: &Framework) -> Vec<Finding> {
    let leading_tracks: HashSet<&str> = framework
        .levels()
        .iter()
        .filter(|level| level.scope.org_size.is_some())
        .map(|level| level.track.as_str())
        .collect();
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

/// The findings of the members at `members`, in chart order.
fn check_members(
    chart: &OrgChart,
    framework: &Framework,
    leads_people: &(dyn Fn(&Level) -> bool + Sync),
    members: std::ops::Range<usize>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for member in members {
        let person = chart.member(member);
        let Some(level) = framework.level(person.level.as_str()) else {
            findings.push(finding(
                chart,
                member,
                Rule::UnknownLevel,
                Figure::Text(person.level.to_string()),
                Figure::Text("a level of the framework".to_owned()),
                &format!("is at level `{}`, which the framework does not define", person.level),
            ));
            continue;
        };
        let reports = chart.direct_report_count(member);
        let org_size = chart.org_size(member);
        if let Some(range) = level.scope.org_size
            && reports > 0
            && !range.contains(org_size)
        {
            findings.push(finding(
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
            findings.push(finding(
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
                findings.push(finding(
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
                findings.push(finding(
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
            findings.push(finding(
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
            && let Some(manager_level) = framework.level(chart.member(manager).level.as_str())
        {
            let (own_band, manager_band) =
                (framework.band_rank(level), framework.band_rank(manager_level));
            if manager_band < own_band {
                let manager_person = chart.member(manager);
                findings.push(finding(
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
    findings
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
        let members = (0..60_000)
            .map(|number: usize| OrgMember {
                id: PersonId::parse(&format!("p{number}")).unwrap(),
                name: format!("P{number}").into(),
                manager_id: (number > 0)
                    .then(|| PersonId::parse(&format!("p{}", (number - 1) / 2)).unwrap()),
                track: TrackId::parse("ic").unwrap(),
                level: LevelId::parse(match number % 7 {
                    0 => "ic9",
                    1 | 2 => "ic1",
                    _ => "ic2",
                })
                .unwrap(),
                team: Arc::from("Core"),
            })
            .collect();
        let chart = OrgChart::build(members);
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
}
