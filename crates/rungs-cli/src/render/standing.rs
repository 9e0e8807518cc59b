//! Terminal views of where people stand: readiness with its trace, history, team views and
//! growth plans.

use std::fmt::Write as _;

use rungs_core::Framework;
use rungs_core::assess::{
    ExpectationStatus, GrowthPlan, History, PlanProgress, Readiness, TeamView,
};
use rungs_core::org::{Names, Person};

use super::assess::{named, named_author};
use super::org::table;

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

pub fn readiness(
    framework: &Framework,
    person: &Person,
    readiness: &Readiness,
    names: &Names,
    today: jiff::civil::Date,
) -> String {
    let mut out = String::new();
    let current = match &person.level {
        Some(level) => {
            framework.level(level.as_str()).map_or(level.to_string(), |level| level.label())
        }
        None => rungs_core::org::OFF_LADDER.to_owned(),
    };
    let _ = writeln!(out, "{} ({}), {current}", person.name, person.id);
    if let Some(tenure) = rungs_core::org::tenure(person, today) {
        let _ = writeln!(out, "{tenure}");
    }
    let _ = writeln!(
        out,
        "Readiness for {} ({}): {} ({} of {} expectations met)",
        readiness.target_title,
        readiness.target,
        readiness.verdict.as_str().to_uppercase(),
        readiness.met,
        readiness.total
    );
    match readiness.window.as_slice() {
        [] => {
            let _ = writeln!(out, "No agreed ratings yet.");
        }
        window => {
            let names: Vec<&str> = window.iter().map(|cycle| cycle.as_str()).collect();
            let _ = writeln!(out, "Based on the agreed ratings of {}.", names.join(", "));
        }
    }
    let _ = writeln!(out, "Policy: {}", readiness.policy);
    for dimension in &readiness.dimensions {
        let _ = writeln!(
            out,
            "\n{}: {} of {} met ({}), {}",
            dimension.name,
            dimension.met,
            dimension.total,
            percent(dimension.share),
            dimension.verdict.as_str()
        );
        for trace in &dimension.expectations {
            let mark = match trace.status {
                ExpectationStatus::Met => "[met]      ",
                ExpectationStatus::NotMet => "[not met]  ",
                ExpectationStatus::NotRated => "[not rated]",
            };
            let _ = writeln!(out, "  {mark} {}", trace.expectation);
            let _ = writeln!(out, "              {}", trace.text);
            match &trace.agreed {
                Some(agreed) => {
                    let by = named(names, &agreed.agreed_by);
                    let _ = writeln!(out, "              {}, agreed by {by}", trace.reason);
                    if let Some(rationale) = &agreed.rationale {
                        let rationale = rungs_core::text::visible(rationale, false);
                        let _ = writeln!(
                            out,
                            "              why it differs from the manager's rating: {rationale}"
                        );
                    }
                }
                None => {
                    let _ = writeln!(out, "              {}", trace.reason);
                }
            }
            let several = trace.cycles.len() + trace.newer.len() > 1;
            for cycle in trace.cycles.iter().chain(&trace.newer) {
                let when = if several { format!("{} ", cycle.cycle) } else { String::new() };
                if !cycle.given.is_empty() {
                    let given: Vec<String> = cycle
                        .given
                        .iter()
                        .map(|given| {
                            format!(
                                "{} {}: {}{}",
                                given.kind,
                                named_author(names, &given.assessor),
                                given.rating.as_deref().unwrap_or("not rated"),
                                not_yet_agreed(given.not_yet_agreed)
                            )
                        })
                        .collect();
                    let _ = writeln!(out, "              {when}ratings: {}", given.join("; "));
                }
                for evidence in &cycle.evidence {
                    let link = evidence
                        .link
                        .as_deref()
                        .map(|link| format!(" <{link}>"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "              {when}evidence ({} {}, {}): {}{link}{}",
                        evidence.kind,
                        named_author(names, &evidence.by),
                        evidence.date,
                        evidence.text,
                        not_yet_agreed(evidence.not_yet_agreed)
                    );
                }
            }
            if trace.reworded_since_rated {
                let _ = writeln!(out, "              ! reworded since it was rated");
            }
        }
    }
    out
}

pub fn history(person: &Person, history: &History) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", person.name, person.id);
    if history.level_changes.is_empty() {
        let level = rungs_core::org::level_name(person.level.as_ref());
        let _ = writeln!(out, "Level: {level} (no changes recorded)");
    }
    for change in &history.level_changes {
        let _ =
            writeln!(out, "Level changed from {} to {} on {}", change.from, change.to, change.at);
    }
    if history.cycles.is_empty() {
        let _ = writeln!(out, "\nNo agreed ratings yet.");
        return out;
    }
    let mut table = table(vec!["Cycle", "Dimension", "Rated", "Met", "Score"]);
    for cycle in &history.cycles {
        for dimension in &cycle.dimensions {
            table.add_row(vec![
                cycle.cycle.to_string(),
                dimension.name.clone(),
                dimension.rated.to_string(),
                dimension.met.to_string(),
                percent(dimension.score),
            ]);
        }
    }
    let _ = write!(out, "\n{table}");
    out
}

pub fn team(manager: &Person, team: &TeamView) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Reporting line of {} ({}): {} people, {} with agreed ratings",
        manager.name, manager.id, team.members, team.assessed
    );
    if team.weakest.is_empty() {
        let _ = writeln!(out, "\nNo expectation is rated below meets.");
    } else {
        let _ = writeln!(out, "\nWeakest expectations (share rated below meets):");
        let mut table = table(vec!["Expectation", "Id", "Level", "Below meets", "Rated", "Score"]);
        for weak in &team.weakest {
            table.add_row(vec![
                weak.text.clone(),
                weak.expectation.to_string(),
                weak.level.to_string(),
                weak.below_meets.to_string(),
                weak.rated.to_string(),
                percent(weak.score),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }
    if team.ready + team.close == 0 {
        let _ = writeln!(out, "\nNobody is ready or close for their next level yet.");
    } else {
        let _ =
            writeln!(out, "\n{} ready and {} close for their next level:", team.ready, team.close);
        for candidate in &team.candidates {
            let _ = writeln!(
                out,
                "  {:<8} {} ({}), {} -> {} ({} of {} met)",
                candidate.verdict.as_str(),
                candidate.name,
                candidate.person,
                candidate.level,
                candidate.target,
                candidate.met,
                candidate.total
            );
        }
        if let Some(next) = &team.next_page {
            let _ = writeln!(out, "  … more: add --after '{next}'");
        }
    }
    out
}

pub fn plan(person: &Person, plan: &GrowthPlan, progress: &PlanProgress) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Growth plan {} of {} ({}) towards {}: {} of {} focus expectations met, {} of {} actions done",
        plan.id,
        person.name,
        person.id,
        plan.target_level,
        progress.focus_met,
        progress.focus.len(),
        progress.actions_done,
        progress.actions_total
    );
    for focus in &progress.focus {
        let _ = writeln!(out, "\n[{}] {}", focus.status.as_str(), focus.expectation);
        let _ = writeln!(out, "  {}", focus.text);
        if focus.actions_overdue > 0 {
            let _ = writeln!(out, "  {} overdue", focus.actions_overdue);
        }
        for action in plan.actions.iter().filter(|action| action.expectation == focus.expectation) {
            let _ = writeln!(
                out,
                "  - #{} {} (owner {}, due {}, {})",
                action.id,
                action.text,
                action.owner,
                action.due,
                action.status.as_str()
            );
        }
    }
    out
}

/// The mark of a rating or evidence the manager has not agreed on yet.
fn not_yet_agreed(late: bool) -> &'static str {
    if late { " (new, not yet agreed)" } else { "" }
}
