//! A person's tasks ("What to do"): read from their open cycles, their own assessments and
//! plans, computed by the core's rules, with the names the list shows.

use jiff::civil::Date;
use rungs_core::assess::{
    Cycle, CycleName, CyclePlan, OpenCycle, Participants, Task, TaskFacts, TaskKind, tasks,
};
use rungs_core::org::{Names, PersonId};
use rungs_store::TaskReads;

use crate::{App, AppError};

/// A person's tasks, late first, with the names of whom they are about and the open cycles
/// they come from.
#[derive(Debug, Clone)]
pub struct TaskList {
    pub tasks: Vec<Task>,
    pub names: Names,
    pub cycles: Vec<(Cycle, Option<CyclePlan>)>,
}

/// Whom a task is about, as lists show them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskSubject {
    pub id: PersonId,
    pub name: String,
}

/// A task as the API and `rungs tasks --json` give it: with its sentence and names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskEntry {
    pub kind: TaskKind,
    /// The task in a sentence: "Assess Ada Lovelace in 2027-H1".
    pub text: String,
    pub cycle: Option<CycleName>,
    pub subject: TaskSubject,
    /// Its last day (YYYY-MM-DD, in the cycle's time zone).
    pub due: Option<Date>,
    pub overdue: bool,
    /// A draft is saved.
    pub started: bool,
    /// The draft assessment to go on with.
    pub assessment: Option<i64>,
    /// The growth-plan action.
    pub action: Option<i64>,
}

impl TaskList {
    pub fn entries(&self) -> Vec<TaskEntry> {
        self.tasks
            .iter()
            .map(|task| {
                let name = self.names.of(&task.subject);
                TaskEntry {
                    kind: task.kind,
                    text: task.describe(name),
                    cycle: task.cycle.clone(),
                    subject: TaskSubject { id: task.subject.clone(), name: name.to_owned() },
                    due: task.due,
                    overdue: task.overdue,
                    started: task.started,
                    assessment: task.assessment.map(|id| id.get()),
                    action: task.action.as_ref().map(|(id, _)| id.get()),
                }
            })
            .collect()
    }
}

impl App {
    /// What `person` has to do now.
    pub async fn tasks_of(&self, person: &PersonId) -> Result<TaskList, AppError> {
        let cycles = self.open_cycles_with_plans().await?;
        let org = self.current_org().await?;
        let chart = &org.chart;
        let records = self.store.task_records(person).await?;
        let position = org.find(person.as_str());
        // Someone who left has no outcome to acknowledge here.
        let outcomes = if position.is_some() { self.outcomes(person).await? } else { Vec::new() };
        let everyone = Participants::everyone();
        let open: Vec<OpenCycle<'_>> = cycles
            .iter()
            .map(|(cycle, plan)| {
                let rule = plan.as_ref().map_or(&everyone, |plan| &plan.participants);
                let reports = position
                    .map(|me| {
                        chart
                            .direct_reports(me)
                            .filter(|&report| rule.includes(chart, report))
                            .map(|report| chart.member(report).id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                OpenCycle {
                    cycle,
                    plan: plan.as_ref(),
                    today: self.today_in(plan.as_ref()),
                    takes_part: position.is_some_and(|me| rule.includes(chart, me)),
                    reports,
                    agreed: records
                        .agreed
                        .iter()
                        .filter(|(name, _)| name == &cycle.name)
                        .map(|(_, report)| report.clone())
                        .collect(),
                    own_agreed: records.own_agreed.contains(&cycle.name),
                    proposed: records
                        .proposed
                        .iter()
                        .filter(|(name, _)| name == &cycle.name)
                        .map(|(_, report)| report.clone())
                        .collect(),
                }
            })
            .collect();
        // The company's day, for plan actions: the newest schedule's time zone.
        let newest_plan = cycles.iter().rev().find_map(|(_, plan)| plan.as_ref());
        let facts = TaskFacts {
            person,
            cycles: open,
            own: &records.own,
            outcomes: &outcomes,
            actions: &records.actions,
            today: self.today_in(newest_plan),
        };
        let mut tasks = tasks(&facts);
        // Peer feedback about someone who no longer takes part (or left) cannot be written:
        // it is not asked. A plan action in someone else's plan is a task of its owner only
        // when the owner manages them, and so may open the plan.
        tasks.retain(|task| match task.kind {
            TaskKind::PeerFeedback | TaskKind::ApprovePeers => {
                let rule = cycles
                    .iter()
                    .find(|(cycle, _)| Some(&cycle.name) == task.cycle.as_ref())
                    .and_then(|(_, plan)| plan.as_ref())
                    .map_or(&everyone, |plan| &plan.participants);
                org.find(task.subject.as_str()).is_some_and(|subject| rule.includes(chart, subject))
            }
            TaskKind::PlanAction if &task.subject != person => org
                .find(task.subject.as_str())
                .zip(position)
                .is_some_and(|(subject, me)| chart.chain(subject).contains(&me)),
            _ => true,
        });
        let names = org.names(tasks.iter().map(|task| &task.subject));
        Ok(TaskList { tasks, names, cycles })
    }
}
