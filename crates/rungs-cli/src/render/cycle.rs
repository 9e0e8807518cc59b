//! Terminal views of cycles: a cycle's schedule, stage and participants, and a person's tasks.

use std::fmt::Write as _;

use rungs_app::{CycleOverview, PARTICIPANTS_PAGE, ParticipantPage, ProgressSummary, TaskList};
use rungs_core::Framework;
use rungs_core::assess::{ScheduleField, long_date};

use super::org::table;

pub fn cycle_overview(overview: &CycleOverview) -> String {
    let mut out = String::new();
    let cycle = &overview.cycle;
    let _ = writeln!(out, "Cycle {} ({})", cycle.name, cycle.state.as_str());
    let _ = writeln!(out, "{}", overview.stage_text);
    if let Some(plan) = &overview.plan {
        let mut dates = table(vec!["Date", "Day"]);
        for field in ScheduleField::ALL {
            dates.add_row(vec![field.label().to_owned(), long_date(plan.schedule.date(field))]);
        }
        let _ = writeln!(out, "Dates in {}:\n{dates}", plan.schedule.time_zone);
    }
    let _ = write!(
        out,
        "Participants: {} ({} {})",
        overview.participants_described,
        overview.participant_count,
        if overview.participant_count == 1 { "person" } else { "people" }
    );
    out
}

pub fn participants(cycle: &str, page: &ParticipantPage, framework: &Framework) -> String {
    if page.total == 0 {
        return format!(
            "Nobody takes part in cycle {cycle}; add people with `rungs cycle plan {cycle} --add NAME`."
        );
    }
    let mut listed = table(vec!["Name", "Id", "Level", "Team"]);
    for participant in &page.participants {
        listed.add_row(vec![
            participant.name.clone(),
            participant.id.to_string(),
            rungs_core::org::level_title(framework, participant.level.as_ref()),
            participant.team.clone(),
        ]);
    }
    let shown_to = page.skip + page.participants.len() as u64;
    let mut out = format!("{listed}\n{}-{shown_to} of {}", page.skip + 1, page.total);
    if shown_to < page.total {
        let _ = write!(out, "; the next {PARTICIPANTS_PAGE}: --skip {shown_to}");
    }
    out
}

pub fn tasks(person_name: &str, list: &TaskList) -> String {
    if list.tasks.is_empty() {
        return format!("{person_name} has nothing to do right now.");
    }
    let mut listed = table(vec!["Task", "Due", ""]);
    for task in &list.tasks {
        let due = task.due.map(long_date).unwrap_or_default();
        let state = if task.overdue {
            "overdue"
        } else if task.started {
            "started"
        } else {
            ""
        };
        listed.add_row(vec![task.describe(list.names.of(&task.subject)), due, state.to_owned()]);
    }
    format!("What {person_name} has to do:\n{listed}")
}

pub fn progress(summary: &ProgressSummary) -> String {
    let mut out = format!("Cycle {}: {}\n", summary.cycle, summary.stage);
    let mut steps = table(vec!["Step", "People"]);
    for step in &summary.steps {
        steps.add_row(vec![step.label.to_owned(), step.people.to_string()]);
    }
    let _ = writeln!(out, "{steps}");
    let _ = write!(out, "{} taking part, {} late", summary.participants, summary.late);
    if summary.late_by_manager.is_empty() {
        return out;
    }
    let mut managers = table(vec!["Manager", "Late reports"]);
    for manager in &summary.late_by_manager {
        managers
            .add_row(vec![format!("{} ({})", manager.name, manager.id), manager.late.to_string()]);
    }
    let _ = write!(out, "\nLate by manager:\n{managers}");
    if summary.managers_with_late > summary.late_by_manager.len() as u64 {
        let _ = write!(
            out,
            "\nand {} more managers; `--csv` lists every participant",
            summary.managers_with_late - summary.late_by_manager.len() as u64
        );
    }
    out
}
