//! Terminal views of assessments: one assessment, a list, and self versus manager.

use std::fmt::Write as _;

use rungs_core::Framework;
use rungs_core::assess::{Assessment, AssessmentView, Cycle, ExpectationFlag, SideBySide};
use rungs_core::org::{Names, PersonId};

use super::org::table;

fn level_title(framework: &Framework, level: &str) -> String {
    framework.level(level).map_or_else(|| level.to_owned(), |level| level.label())
}

/// A person as tables and sentences show them: `Dana Smith (E2)`, or the id alone when the
/// name is not known.
pub fn named(names: &Names, id: &PersonId) -> String {
    let name = names.of(id);
    if name == id.as_str() { name.to_owned() } else { format!("{name} ({id})") }
}

/// Who gave a rating, as [`named`], or "A peer" when they are not named.
pub fn named_author(names: &Names, author: &Option<PersonId>) -> String {
    author.as_ref().map_or_else(|| names.of_author(author).to_owned(), |id| named(names, id))
}

/// `Assessment 12 (manager, draft, revision 1) of Ada Byron (E3) by Dana Smith (E2) in 2026-H2`.
pub fn headline(assessment: &Assessment, names: &Names) -> String {
    let mut line = format!(
        "Assessment {} ({}, {}, revision {}) of {} by {} in {}",
        assessment.id,
        assessment.kind,
        assessment.status.as_str(),
        assessment.revision,
        named(names, &assessment.subject),
        named(names, &assessment.assessor),
        assessment.cycle
    );
    if let Some(revises) = assessment.revises {
        let _ = write!(line, ", correcting assessment {revises}");
    }
    if let Some(by) = assessment.superseded_by {
        let _ = write!(line, ", corrected by assessment {by}");
    }
    line
}

pub fn view(view: &AssessmentView, framework: &Framework, names: &Names) -> String {
    let assessment = &view.assessment;
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(assessment, names));
    let levels: Vec<String> =
        assessment.levels().iter().map(|level| level_title(framework, level.as_str())).collect();
    let _ = writeln!(out, "Levels: {}", levels.join(" and "));
    let _ =
        writeln!(out, "Framework: {} (current: {})", assessment.framework, view.current_framework);
    let _ = writeln!(out, "{} of {} expectations rated", view.rated, view.rows.len());
    if view.flagged > 0 {
        let _ = writeln!(
            out,
            "{} expectations changed in the framework since; they are marked `!`",
            view.flagged
        );
    }
    let mut heading = (String::new(), String::new());
    for row in &view.rows {
        if heading.0 != row.level.as_str() {
            let _ = writeln!(out, "\n{}", level_title(framework, row.level.as_str()));
            heading = (row.level.to_string(), String::new());
        }
        if heading.1 != row.dimension.as_str() {
            let _ = writeln!(out, "  {}", row.dimension_name);
            heading.1 = row.dimension.to_string();
        }
        let _ =
            writeln!(out, "    {:<12} {}", row.rating.as_deref().unwrap_or("-"), row.expectation);
        let _ = writeln!(out, "                 {}", row.text);
        match &row.flag {
            ExpectationFlag::Unchanged => {}
            ExpectationFlag::Reworded { now } => {
                let _ = writeln!(out, "               ! reworded since; now: {now}");
            }
            ExpectationFlag::Moved { now_at } => {
                let _ = writeln!(out, "               ! now an expectation of {now_at}");
            }
            ExpectationFlag::Removed => {
                let _ = writeln!(out, "               ! no longer in the framework");
            }
        }
        for evidence in &row.evidence {
            let link =
                evidence.link.as_deref().map(|link| format!(" <{link}>")).unwrap_or_default();
            let _ = writeln!(
                out,
                "                 evidence ({}): {}{link}",
                evidence.date, evidence.text
            );
        }
    }
    out
}

pub fn list(assessments: &[Assessment], names: &Names) -> String {
    if assessments.is_empty() {
        return "No assessments.".to_owned();
    }
    let mut table = table(vec![
        "Id", "Cycle", "Subject", "Assessor", "Kind", "Status", "Revision", "Target", "Rated",
    ]);
    for assessment in assessments {
        let rated = assessment.entries.iter().filter(|entry| entry.rating.is_some()).count();
        let mut revision = assessment.revision.to_string();
        if let Some(by) = assessment.superseded_by {
            let _ = write!(revision, " (corrected by {by})");
        }
        table.add_row(vec![
            assessment.id.to_string(),
            assessment.cycle.to_string(),
            named(names, &assessment.subject),
            named(names, &assessment.assessor),
            assessment.kind.to_string(),
            assessment.status.as_str().to_owned(),
            revision,
            assessment.target_level.to_string(),
            rated.to_string(),
        ]);
    }
    table.to_string()
}

pub fn side_by_side(comparison: &SideBySide, person: &str, cycle: &str) -> String {
    // `person` is the person as the table names them (see [`named`]).

    let mut out = String::new();
    let name = |id: Option<rungs_core::assess::AssessmentId>| {
        id.map_or_else(|| "none submitted".to_owned(), |id| format!("assessment {id}"))
    };
    let _ = writeln!(
        out,
        "{person} in {cycle}: self ({}) and manager ({}); {} differences, marked *",
        name(comparison.self_assessment),
        name(comparison.manager_assessment),
        comparison.differences
    );
    let mut table = table(vec!["", "Expectation", "Id", "Self", "Manager", "Agreed"]);
    for row in &comparison.rows {
        table.add_row(vec![
            if row.differs { "*" } else { "" }.to_owned(),
            row.text.clone(),
            row.expectation.to_string(),
            row.self_rating.clone().unwrap_or_else(|| "-".to_owned()),
            row.manager_rating.clone().unwrap_or_else(|| "-".to_owned()),
            row.agreed.clone().unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    let _ = write!(out, "{table}");
    out
}

pub fn cycles(cycles: &[Cycle]) -> String {
    if cycles.is_empty() {
        return "No cycles yet; open one with `rungs cycle open NAME`.".to_owned();
    }
    let mut table = table(vec!["Cycle", "State", "Opened", "Closed"]);
    for cycle in cycles {
        table.add_row(vec![
            cycle.name.to_string(),
            cycle.state.as_str().to_owned(),
            cycle.opened_at.to_string(),
            cycle.closed_at.map(|at| at.to_string()).unwrap_or_default(),
        ]);
    }
    table.to_string()
}

/// Each cycle's agreed outcome for `person`, and whether they acknowledged it.
pub fn outcomes(
    person: &rungs_core::org::Person,
    outcomes: &[rungs_core::assess::CycleOutcome],
    names: &Names,
) -> String {
    if outcomes.is_empty() {
        return format!(
            "Nothing has been agreed for {} ({}) yet; a manager agrees with `rungs assess agree`.",
            person.name, person.id
        );
    }
    let mut table = table(vec!["Cycle", "Agreed", "By", "Last agreed", "Acknowledged", "Comment"]);
    for outcome in outcomes {
        let acknowledged = match &outcome.acknowledgement {
            None => "not yet".to_owned(),
            Some(ack) if outcome.changed_since_acknowledged => {
                format!("{} (the agreement changed since)", ack.acknowledged_at)
            }
            Some(ack) => ack.acknowledged_at.to_string(),
        };
        let comment = outcome
            .acknowledgement
            .as_ref()
            .and_then(|ack| ack.comment.as_deref())
            .map(|comment| rungs_core::text::visible(comment, false).into_owned())
            .unwrap_or_default();
        table.add_row(vec![
            outcome.cycle.to_string(),
            format!("{} ratings", outcome.agreed),
            named(names, &outcome.agreed_by),
            outcome.last_agreed_at.to_string(),
            acknowledged,
            comment,
        ]);
    }
    format!("Outcomes agreed for {} ({})\n{table}", person.name, person.id)
}
