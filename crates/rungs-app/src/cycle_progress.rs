//! A cycle's progress for HR: the step each participant has reached, how many are at each,
//! the late by their manager, and the participants as CSV, written a chunk at a time. What a
//! report holds is a byte and a flag per person of the org chart (a compact index), never
//! their records.

use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;
use rungs_core::assess::{
    CycleProgress, Participants, ProgressStep, Schedule, Step, StepFlags, tally_progress,
};
use rungs_core::org::PersonId;
use rungs_store::{CycleProgressReads, StepSink};

use crate::{App, AppError, CurrentOrg, CycleOverview};

/// The managers with late reports a report names; the rest are counted.
pub const LATE_MANAGERS_LISTED: usize = 20;

/// People's flags by chart position, as the store hands them over.
pub(crate) struct ChartFlags {
    org: Arc<CurrentOrg>,
    pub(crate) flags: Vec<StepFlags>,
}

impl ChartFlags {
    /// No flags yet, for everyone in `org`'s chart.
    pub(crate) fn new(org: Arc<CurrentOrg>) -> ChartFlags {
        let flags = vec![StepFlags::default(); org.chart.len()];
        ChartFlags { org, flags }
    }
}

impl StepSink for ChartFlags {
    fn add(&mut self, subject: &str, flags: u8) {
        if let Some(position) = self.org.find(subject) {
            self.flags[position].0 |= flags;
        }
    }
}

/// A manager with late reports, named.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LateManager {
    pub id: PersonId,
    pub name: String,
    pub late: u32,
}

/// How many participants are at one step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepCount {
    pub step: ProgressStep,
    pub label: &'static str,
    pub people: u64,
}

/// A cycle's progress as the API, `cycle progress --json` and the page give it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProgressSummary {
    pub cycle: rungs_core::assess::CycleName,
    /// The stage today, in a sentence.
    pub stage: String,
    pub participants: u64,
    pub steps: Vec<StepCount>,
    /// Participants late on a step whose day has passed.
    pub late: u64,
    /// Managers with late direct reports, the most first ([`LATE_MANAGERS_LISTED`] of
    /// them), and how many there are.
    pub late_by_manager: Vec<LateManager>,
    pub managers_with_late: u64,
}

/// A cycle's progress, with what its CSV is written from.
#[derive(Debug)]
pub struct ProgressReport {
    pub overview: CycleOverview,
    pub progress: CycleProgress,
    pub late_managers: Vec<LateManager>,
    org: Arc<CurrentOrg>,
    flags: Vec<StepFlags>,
    taking_part: Vec<bool>,
    schedule: Option<Schedule>,
    today: Date,
}

/// A cell as a spreadsheet reads it as text: one that would start a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The header of the participants' CSV.
pub const PROGRESS_CSV_HEADER: [&str; 7] =
    ["name", "id", "level", "team", "manager", "step", "late"];

impl ProgressReport {
    pub fn summary(&self) -> ProgressSummary {
        ProgressSummary {
            cycle: self.overview.cycle.name.clone(),
            stage: self.overview.stage_text.clone(),
            participants: self.progress.participants,
            steps: ProgressStep::ALL
                .into_iter()
                .map(|step| StepCount { step, label: step.label(), people: self.progress.at(step) })
                .collect(),
            late: self.progress.late,
            late_by_manager: self.late_managers.clone(),
            managers_with_late: self.progress.managers_with_late,
        }
    }

    /// The chart positions a CSV is written over, a chunk at a time.
    pub fn positions(&self) -> Range<usize> {
        0..self.org.chart.len()
    }

    /// The CSV rows of the participants at chart positions `range` (the header first when
    /// `range` starts at 0): name, id, level, team, manager, step, late steps.
    pub fn csv_chunk(&self, range: Range<usize>) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        let chart = &self.org.chart;
        let mut rows = Vec::new();
        if range.start == 0 {
            rows.push(PROGRESS_CSV_HEADER.iter().map(|cell| (*cell).to_owned()).collect());
        }
        for position in range.filter(|&position| self.taking_part.get(position) == Some(&true)) {
            let member = chart.member(position);
            let flags = self.flags[position];
            let late: Vec<&str> = self
                .schedule
                .as_ref()
                .map(|schedule| flags.late(schedule, self.today))
                .unwrap_or_default()
                .into_iter()
                .map(Step::plural)
                .collect();
            let manager =
                chart.manager(position).map(|manager| chart.member(manager).name.to_string());
            rows.push(vec![
                member.name.to_string(),
                member.id.to_string(),
                member.level.as_ref().map(|level| level.to_string()).unwrap_or_default(),
                member.team.to_string(),
                manager.unwrap_or_default(),
                flags.step().label().to_owned(),
                late.join("; "),
            ]);
        }
        for row in rows {
            // Writing to memory cannot fail.
            let _ = writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()));
        }
        writer.into_inner().unwrap_or_default()
    }

    /// The step of the participant at `position`, and the steps they are late on.
    pub fn step_of(&self, position: usize) -> Option<(ProgressStep, Vec<Step>)> {
        if self.taking_part.get(position) != Some(&true) {
            return None;
        }
        let flags = self.flags[position];
        let late = self
            .schedule
            .as_ref()
            .map(|schedule| flags.late(schedule, self.today))
            .unwrap_or_default();
        Some((flags.step(), late))
    }
}

/// A direct report's step in a cycle, as the team dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportStep {
    pub id: PersonId,
    pub name: String,
    pub step: ProgressStep,
    /// The steps whose day has passed and are not done.
    pub late: Vec<Step>,
}

/// Flags of a few people, by id, as the store hands them over.
#[derive(Default)]
struct FewFlags(Vec<(String, StepFlags)>);

impl StepSink for FewFlags {
    fn add(&mut self, subject: &str, flags: u8) {
        match self.0.iter_mut().find(|(id, _)| id == subject) {
            Some((_, found)) => found.0 |= flags,
            None => self.0.push((subject.to_owned(), StepFlags(flags))),
        }
    }
}

impl App {
    /// Each open cycle with a schedule, with the step of each of `manager`'s direct reports who
    /// take part in it: read for those reports only.
    pub async fn report_steps(
        &self,
        manager: &PersonId,
    ) -> Result<Vec<(rungs_core::assess::CycleName, Vec<ReportStep>)>, AppError> {
        let org = self.current_org().await?;
        let Some(me) = org.find(manager.as_str()) else { return Ok(Vec::new()) };
        let mut cycles = Vec::new();
        for (cycle, plan) in self.open_cycles_with_plans().await? {
            let Some(plan) = plan else { continue };
            let reports: Vec<usize> = org
                .chart
                .direct_reports(me)
                .filter(|&report| plan.participants.includes(&org.chart, report))
                .collect();
            if reports.is_empty() {
                continue;
            }
            let FewFlags(flags) = self
                .store
                .cycle_step_flags_under(&cycle.name, manager, FewFlags::default())
                .await?;
            let today = plan.schedule.today(self.now());
            let steps = reports
                .into_iter()
                .map(|report| {
                    let member = org.chart.member(report);
                    let flag = flags
                        .iter()
                        .find(|(id, _)| id == member.id.as_str())
                        .map(|(_, flag)| *flag)
                        .unwrap_or_default();
                    ReportStep {
                        id: member.id.clone(),
                        name: member.name.to_string(),
                        step: flag.step(),
                        late: flag.late(&plan.schedule, today),
                    }
                })
                .collect();
            cycles.push((cycle.name, steps));
        }
        Ok(cycles)
    }

    /// Cycle `name`'s progress over its participants.
    pub async fn cycle_progress(&self, name: &str) -> Result<ProgressReport, AppError> {
        let overview = self.cycle_overview(name).await?;
        let org = self.current_org().await?;
        let sink = ChartFlags::new(org.clone());
        let ChartFlags { flags, .. } =
            self.store.cycle_step_flags(&overview.cycle.name, sink).await?;
        let plan = overview.plan.as_ref();
        let everyone = Participants::everyone();
        let rule = plan.map_or(&everyone, |plan| &plan.participants);
        let filter = rule.filter(&org.chart);
        // A closed cycle is over: it counts the people with a record in it, as the chart has
        // them now, and nobody is late any more. An open one counts who takes part today.
        let open = overview.cycle.is_open();
        let schedule = plan.filter(|_| open).map(|plan| plan.schedule.clone());
        let today = overview.today;
        let mut taking_part = vec![false; org.chart.len()];
        for position in filter.positions() {
            taking_part[position] = open || flags[position] != StepFlags::default();
        }
        let progress = tally_progress(
            &org.chart,
            (0..org.chart.len()).filter(|&position| taking_part[position]),
            &flags,
            schedule.as_ref(),
            today,
            LATE_MANAGERS_LISTED,
        );
        let late_managers = progress
            .late_by_manager
            .iter()
            .map(|late| {
                let member = org.chart.member(late.manager);
                LateManager {
                    id: member.id.clone(),
                    name: member.name.to_string(),
                    late: late.late,
                }
            })
            .collect();
        Ok(ProgressReport {
            overview,
            progress,
            late_managers,
            org,
            flags,
            taking_part,
            schedule,
            today,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn cells_that_would_start_a_formula_are_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("-2"), "'-2");
        assert_eq!(spreadsheet_safe("@sum"), "'@sum");
        assert_eq!(spreadsheet_safe("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
