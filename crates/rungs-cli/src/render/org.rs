//! Terminal views of the org: a person, the tree, stats, check findings, and a plan.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets};
use rungs_core::Framework;
use rungs_core::org::{Finding, OrgChart, OrgStats, Person, Plan};

pub(super) fn table(header: Vec<&str>) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(header);
    table
}

fn level_title(framework: &Framework, level: Option<&rungs_core::LevelId>) -> String {
    let Some(level) = level else { return rungs_core::org::OFF_LADDER.to_owned() };
    framework
        .level(level.as_str())
        .map_or_else(|| format!("{level} (not in the framework)"), |level| level.label())
}

/// A heading and one line per person, or the line for nobody.
fn people_list(
    out: &mut String,
    framework: &Framework,
    heading: &str,
    nobody: &str,
    people: &[Person],
) {
    if people.is_empty() {
        let _ = writeln!(out, "\n{nobody}");
        return;
    }
    let _ = writeln!(out, "\n{heading}");
    for person in people {
        let _ = writeln!(
            out,
            "  {} ({}), {}",
            person.name,
            person.id,
            level_title(framework, person.level.as_ref())
        );
    }
}

pub fn person(
    framework: &Framework,
    person: &Person,
    managers: &[Person],
    reports: &[Person],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", person.name, person.id);
    let _ = writeln!(out, "  {}", person.title);
    let _ = writeln!(out, "  Level: {}", level_title(framework, person.level.as_ref()));
    let _ = writeln!(out, "  Email: {}", person.email);
    if !person.team.is_empty() {
        let _ = writeln!(out, "  Team: {}", person.team);
    }
    let _ = writeln!(out, "  Status: {}", person.status.as_str());
    people_list(
        &mut out,
        framework,
        "Managers, nearest first:",
        "Managers: none (top of the org)",
        managers,
    );
    let heading = format!("Direct reports ({}):", reports.len());
    people_list(&mut out, framework, &heading, "Direct reports: none", reports);
    out
}

pub fn tree(
    chart: &OrgChart,
    framework: &Framework,
    start: Option<usize>,
    depth: Option<u32>,
) -> String {
    let mut out = String::new();
    let starts: Vec<usize> = match start {
        Some(member) => vec![member],
        None => chart.roots().collect(),
    };
    // Depth-first with an explicit stack: (member, prefix for its children, its own line prefix, depth).
    let mut stack: Vec<(usize, String, String, u32)> =
        starts.into_iter().rev().map(|member| (member, String::new(), String::new(), 1)).collect();
    while let Some((member, child_prefix, line_prefix, level_depth)) = stack.pop() {
        let person = chart.member(member);
        let level = match &person.level {
            Some(level) => framework
                .level(level.as_str())
                .map_or_else(|| level.to_string(), |level| level.title.clone()),
            None => rungs_core::org::OFF_LADDER.to_owned(),
        };
        let reports = chart.direct_report_count(member);
        let figures = if reports > 0 {
            format!(" [span {reports}, org {}]", chart.org_size(member))
        } else {
            String::new()
        };
        let _ = writeln!(out, "{line_prefix}{} ({}), {level}{figures}", person.name, person.id);
        if depth.is_some_and(|limit| level_depth >= limit) {
            if reports > 0 {
                let _ = writeln!(out, "{child_prefix}└─ … {} more below", chart.org_size(member));
            }
            continue;
        }
        let mut children: Vec<usize> = chart.direct_reports(member).collect();
        children.sort_by(|left, right| chart.member(*left).name.cmp(&chart.member(*right).name));
        let last = children.len().saturating_sub(1);
        for (index, child) in children.into_iter().enumerate().rev() {
            let (branch, continuation) =
                if index == last { ("└─ ", "   ") } else { ("├─ ", "│  ") };
            stack.push((
                child,
                format!("{child_prefix}{continuation}"),
                format!("{child_prefix}{branch}"),
                level_depth + 1,
            ));
        }
    }
    if out.is_empty() {
        out.push_str("The org is empty: import an HR export with `rungs org import FILE`.\n");
    }
    out
}

pub fn stats(stats: &OrgStats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "People: {}", stats.people);
    let _ = writeln!(out, "Managers: {}", stats.managers);
    let _ = writeln!(out, "Layers: {}", stats.layers);
    let _ = writeln!(out, "Teams: {}", stats.teams);
    let _ = writeln!(out, "Individual contributors per manager: {:.1}", stats.ic_to_manager_ratio);
    let _ = writeln!(
        out,
        "Span of control: average {:.1}, median {}, max {}",
        stats.span.average, stats.span.median, stats.span.max
    );
    let mut levels = table(vec!["Track", "Band", "Level", "People"]);
    for level in &stats.levels {
        levels.add_row(vec![
            level.track.clone(),
            level.band.clone(),
            format!("{} ({})", level.title, level.level),
            level.count.to_string(),
        ]);
    }
    let _ = writeln!(out, "\n{levels}");
    out
}

pub fn findings(findings: &[Finding], people: usize) -> String {
    let count = |severity: &str| {
        findings.iter().filter(|finding| finding.severity.to_string() == severity).count()
    };
    let summary = format!(
        "{people} people checked: {} error(s), {} warning(s), {} info",
        count("error"),
        count("warning"),
        count("info")
    );
    if findings.is_empty() {
        return format!("{summary}\nThe org matches the ladder.\n");
    }
    let mut rows = table(vec!["Severity", "Rule", "Observed", "Expected", "Finding"]);
    for finding in findings {
        rows.add_row(vec![
            finding.severity.to_string(),
            finding.rule.to_string(),
            finding.observed.to_string(),
            finding.expected.to_string(),
            finding.message.clone(),
        ]);
    }
    format!("{rows}\n{summary}\n")
}

pub fn plan(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "An org of {} engineers needs:", plan.engineers);
    let mut rows = table(vec!["Level", "People", "Why"]);
    for role in &plan.roles {
        rows.add_row(vec![
            format!("{} ({})", role.title, role.level),
            role.count.to_string(),
            role.reasoning.clone(),
        ]);
    }
    let _ = writeln!(out, "{rows}");
    let _ = writeln!(
        out,
        "{} managers in all, {:.1} engineers per manager; {} people with the engineers.",
        plan.managers,
        plan.engineers_per_manager,
        plan.engineers + plan.managers
    );
    out
}
