//! A person's tasks: what they have to do in the open cycles (their self-assessment, the
//! manager assessments and agreements they owe, the peer feedback asked of them, the peer
//! nominations of their reports to approve), the outcomes
//! they have to acknowledge, and their growth-plan actions due soon; each with its due date and
//! whether it is late. A task is gone once it is done.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::assess::acknowledgement::CycleOutcome;
use crate::assess::assessment::{AssessmentId, AssessmentKind, AssessmentStatus};
use crate::assess::cycle::{Cycle, CycleName};
use crate::assess::cycle_plan::CyclePlan;
use crate::assess::growth::{ActionId, ActionStatus, PlanAction};
use crate::assess::schedule::{Stage, Step};
use crate::org::PersonId;

/// Plan actions due within this many days are tasks; later ones are not yet.
pub const ACTIONS_DUE_WITHIN_DAYS: i32 = 14;

/// What a task asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskKind {
    SelfAssessment,
    PeerFeedback,
    ApprovePeers,
    ManagerAssessment,
    Agreement,
    Acknowledgement,
    PlanAction,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    pub kind: TaskKind,
    /// The cycle it belongs to; none for a plan action.
    pub cycle: Option<CycleName>,
    /// Whom it is about: the person assessed, or whose plan or outcome it is.
    pub subject: PersonId,
    /// Its last day; none in a cycle without a schedule.
    pub due: Option<Date>,
    pub overdue: bool,
    /// A draft is saved: the task is under way.
    pub started: bool,
    /// The draft to go on with, when there is one.
    pub assessment: Option<AssessmentId>,
    /// The plan action, and its text.
    pub action: Option<(ActionId, String)>,
}

impl Task {
    /// The task in a sentence, `subject_name` the name of whom it is about: "Assess Ada
    /// Lovelace in 2027-H1".
    pub fn describe(&self, subject_name: &str) -> String {
        let cycle = self.cycle.as_ref().map(|cycle| format!(" in {cycle}")).unwrap_or_default();
        match self.kind {
            TaskKind::SelfAssessment => format!("Write your self-assessment{cycle}"),
            TaskKind::PeerFeedback => format!("Give peer feedback on {subject_name}{cycle}"),
            TaskKind::ApprovePeers => {
                format!("Approve the peers {subject_name} nominated{cycle}")
            }
            TaskKind::ManagerAssessment => format!("Assess {subject_name}{cycle}"),
            TaskKind::Agreement => format!("Record the agreed ratings of {subject_name}{cycle}"),
            TaskKind::Acknowledgement => {
                format!("Acknowledge your outcome{}", cycle.replacen(" in ", " of ", 1))
            }
            TaskKind::PlanAction => match &self.action {
                Some((_, text)) => format!("Growth plan of {subject_name}: {text}"),
                None => format!("Growth plan of {subject_name}"),
            },
        }
    }
}

/// An assessment the person writes: the latest revision of each they have in an open cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnAssessment {
    pub cycle: CycleName,
    pub kind: AssessmentKind,
    pub subject: PersonId,
    pub id: AssessmentId,
    pub status: AssessmentStatus,
    /// Something is rated in it: peer feedback's draft, made by whoever asked, is not started
    /// until its author rates in it.
    pub written: bool,
}

/// What the tasks of one open cycle are computed from.
#[derive(Debug, Clone)]
pub struct OpenCycle<'a> {
    pub cycle: &'a Cycle,
    pub plan: Option<&'a CyclePlan>,
    /// Today in the cycle's time zone (UTC without a schedule).
    pub today: Date,
    /// The person takes part: they owe a self-assessment.
    pub takes_part: bool,
    /// Their direct reports who take part: the manager assessments and agreements they owe.
    pub reports: Vec<PersonId>,
    /// The reports whose agreed ratings are recorded in this cycle.
    pub agreed: Vec<PersonId>,
    /// The person's own ratings are agreed in this cycle: their steps are settled.
    pub own_agreed: bool,
    /// Their direct reports with peer nominations waiting for their approval.
    pub proposed: Vec<PersonId>,
}

/// Everything a person's tasks are computed from.
#[derive(Debug)]
pub struct TaskFacts<'a> {
    pub person: &'a PersonId,
    pub cycles: Vec<OpenCycle<'a>>,
    /// The latest revision of each assessment the person writes in the open cycles.
    pub own: &'a [OwnAssessment],
    /// The person's own outcomes, every cycle.
    pub outcomes: &'a [CycleOutcome],
    /// The actions of the person's current plan, and the actions they own in others'.
    pub actions: &'a [(PersonId, PlanAction)],
    /// Today, for plan actions (the company's day: the newest schedule's time zone).
    pub today: Date,
}

/// The person's tasks: late ones first, then by due date (undated last), then by kind.
pub fn tasks(facts: &TaskFacts<'_>) -> Vec<Task> {
    let mut tasks = Vec::new();
    for open in &facts.cycles {
        cycle_tasks(facts, open, &mut tasks);
    }
    for outcome in facts.outcomes.iter().filter(|outcome| !outcome.acknowledged()) {
        tasks.push(Task {
            kind: TaskKind::Acknowledgement,
            cycle: Some(outcome.cycle.clone()),
            subject: facts.person.clone(),
            due: None,
            overdue: false,
            started: false,
            assessment: None,
            action: None,
        });
    }
    let horizon = facts.today.checked_add(ACTIONS_DUE_WITHIN_DAYS.days()).unwrap_or(Date::MAX);
    for (subject, action) in facts.actions {
        let open = matches!(action.status, ActionStatus::Planned | ActionStatus::InProgress);
        if open && action.due <= horizon {
            tasks.push(Task {
                kind: TaskKind::PlanAction,
                cycle: None,
                subject: subject.clone(),
                due: Some(action.due),
                overdue: action.due < facts.today,
                started: action.status == ActionStatus::InProgress,
                assessment: None,
                action: Some((action.id, action.text.clone())),
            });
        }
    }
    tasks.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.due, b.due) {
                (Some(a), Some(b)) => a.cmp(&b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.kind.cmp(&b.kind))
    });
    tasks
}

fn cycle_tasks(facts: &TaskFacts<'_>, open: &OpenCycle<'_>, tasks: &mut Vec<Task>) {
    // Nothing is written before a cycle opens, and no step after it closes.
    if let Some(plan) = open.plan
        && matches!(plan.schedule.stage(open.today), Stage::NotOpen | Stage::Ended)
    {
        return;
    }
    let name = &open.cycle.name;
    // Looked up once per report: a manager of hundreds writes hundreds of assessments.
    let by_subject: rustc_hash::FxHashMap<(AssessmentKind, &str), &OwnAssessment> = facts
        .own
        .iter()
        .filter(|assessment| &assessment.cycle == name)
        .map(|assessment| ((assessment.kind, assessment.subject.as_str()), assessment))
        .collect();
    let agreed: rustc_hash::FxHashSet<&str> = open.agreed.iter().map(PersonId::as_str).collect();
    let own = |kind: AssessmentKind, subject: &PersonId| {
        by_subject.get(&(kind, subject.as_str())).copied()
    };
    let due = |step: Step| open.plan.map(|plan| plan.schedule.due(step));
    let overdue =
        |step: Step| open.plan.is_some_and(|plan| plan.schedule.is_overdue(step, open.today));
    let mut push =
        |kind: TaskKind, step: Step, subject: &PersonId, draft: Option<(AssessmentId, bool)>| {
            tasks.push(Task {
                kind,
                cycle: Some(name.clone()),
                subject: subject.clone(),
                due: due(step),
                overdue: overdue(step),
                // An agreement is recorded on the submitted assessment: nothing of it is a
                // draft. Peer feedback's draft is made by whoever asked: started once its
                // author rates in it.
                started: match kind {
                    TaskKind::Agreement => false,
                    TaskKind::PeerFeedback => draft.is_some_and(|(_, written)| written),
                    _ => draft.is_some(),
                },
                assessment: draft.map(|(id, _)| id),
                action: None,
            });
        };
    let draft_of = |assessment: Option<&OwnAssessment>| {
        assessment
            .filter(|own| own.status == AssessmentStatus::Draft)
            .map(|own| (own.id, own.written))
    };
    let submitted = |assessment: Option<&OwnAssessment>| {
        assessment.is_some_and(|own| own.status == AssessmentStatus::Submitted)
    };
    // Agreed ratings settle a person's steps, whatever was submitted before them.
    if open.takes_part && !open.own_agreed {
        let mine = own(AssessmentKind::SelfReview, facts.person);
        if !submitted(mine) {
            push(TaskKind::SelfAssessment, Step::SelfAssessment, facts.person, draft_of(mine));
        }
    }
    for report in open.reports.iter().filter(|report| !agreed.contains(report.as_str())) {
        let assessment = own(AssessmentKind::Manager, report);
        if !submitted(assessment) {
            push(
                TaskKind::ManagerAssessment,
                Step::ManagerAssessment,
                report,
                draft_of(assessment),
            );
        } else {
            let submitted = assessment.map(|own| (own.id, false));
            push(TaskKind::Agreement, Step::Agreement, report, submitted);
        }
    }
    for asked in facts.own.iter().filter(|own| {
        &own.cycle == name
            && own.kind == AssessmentKind::Peer
            && own.status == AssessmentStatus::Draft
    }) {
        push(
            TaskKind::PeerFeedback,
            Step::PeerFeedback,
            &asked.subject,
            Some((asked.id, asked.written)),
        );
    }
    for report in open.proposed.iter().filter(|report| !agreed.contains(report.as_str())) {
        push(TaskKind::ApprovePeers, Step::PeerFeedback, report, None);
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::assess::cycle::CycleState;
    use crate::assess::participants::Participants;
    use crate::assess::schedule::{Schedule, ZoneName};
    use crate::id::ExpectationId;

    fn id(text: &str) -> PersonId {
        PersonId::parse(text).unwrap()
    }

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn cycle() -> Cycle {
        Cycle {
            name: CycleName::parse("2027-H1").unwrap(),
            state: CycleState::Open,
            opened_at: Timestamp::UNIX_EPOCH,
            closed_at: None,
        }
    }

    fn plan() -> CyclePlan {
        CyclePlan {
            schedule: Schedule::from_dates(
                ZoneName::utc(),
                [
                    Some(day("2027-01-11")),
                    Some(day("2027-01-22")),
                    Some(day("2027-01-29")),
                    Some(day("2027-02-05")),
                    Some(day("2027-02-12")),
                    Some(day("2027-02-19")),
                ],
            )
            .unwrap(),
            participants: Participants::everyone(),
        }
    }

    fn own(
        kind: AssessmentKind,
        subject: &str,
        number: i64,
        status: AssessmentStatus,
    ) -> OwnAssessment {
        OwnAssessment {
            cycle: CycleName::parse("2027-H1").unwrap(),
            kind,
            subject: id(subject),
            id: AssessmentId::new(number),
            status,
            written: true,
        }
    }

    fn kinds(tasks: &[Task]) -> Vec<(TaskKind, String, bool)> {
        tasks.iter().map(|task| (task.kind, task.subject.to_string(), task.overdue)).collect()
    }

    #[test]
    fn a_manager_owes_assessments_then_agreements_and_a_task_goes_once_done() {
        let (cycle, plan) = (cycle(), plan());
        let me = id("em1");
        let owned = [
            own(AssessmentKind::SelfReview, "em1", 1, AssessmentStatus::Submitted),
            own(AssessmentKind::Manager, "ic1", 2, AssessmentStatus::Submitted),
            own(AssessmentKind::Manager, "ic2", 3, AssessmentStatus::Draft),
            own(AssessmentKind::Peer, "ic9", 4, AssessmentStatus::Draft),
            OwnAssessment {
                written: false,
                ..own(AssessmentKind::Peer, "ic8", 5, AssessmentStatus::Draft)
            },
        ];
        let facts = TaskFacts {
            person: &me,
            cycles: vec![OpenCycle {
                cycle: &cycle,
                plan: Some(&plan),
                today: day("2027-01-25"),
                takes_part: true,
                reports: vec![id("ic1"), id("ic2"), id("ic3"), id("ic4")],
                agreed: vec![id("ic4")],
                own_agreed: false,
                // ic4's ratings are agreed: their peers are no longer worth approving.
                proposed: vec![id("ic3"), id("ic4")],
            }],
            own: &owned,
            outcomes: &[],
            actions: &[],
            today: day("2027-01-25"),
        };
        let tasks = tasks(&facts);
        assert_eq!(
            kinds(&tasks),
            [
                (TaskKind::PeerFeedback, "ic9".to_owned(), false),
                (TaskKind::PeerFeedback, "ic8".to_owned(), false),
                (TaskKind::ApprovePeers, "ic3".to_owned(), false),
                (TaskKind::ManagerAssessment, "ic2".to_owned(), false),
                (TaskKind::ManagerAssessment, "ic3".to_owned(), false),
                (TaskKind::Agreement, "ic1".to_owned(), false),
            ]
        );
        let draft = tasks.iter().find(|task| task.subject == id("ic2")).unwrap();
        assert!(draft.started);
        assert_eq!(draft.assessment, Some(AssessmentId::new(3)));
        assert_eq!(draft.due, Some(day("2027-02-05")));
        let agreement = tasks.iter().find(|task| task.kind == TaskKind::Agreement).unwrap();
        assert!(!agreement.started, "the submitted assessment is no draft");
        assert_eq!(agreement.assessment, Some(AssessmentId::new(2)));
        // A peer draft created by whoever asked is not started until its author rates in it.
        let asked = tasks.iter().find(|task| task.subject == id("ic8")).unwrap();
        assert!(!asked.started);
        let approve = tasks.iter().find(|task| task.kind == TaskKind::ApprovePeers).unwrap();
        assert_eq!(approve.describe("Ic Three"), "Approve the peers Ic Three nominated in 2027-H1");
        assert_eq!(approve.due, Some(plan.schedule.peer_due));
    }

    #[test]
    fn late_tasks_come_first_and_nothing_is_due_before_the_cycle_opens() {
        let (cycle, plan) = (cycle(), plan());
        let me = id("ic1");
        let open_on = |today: &str| TaskFacts {
            person: &me,
            cycles: vec![OpenCycle {
                cycle: &cycle,
                plan: Some(&plan),
                today: day(today),
                takes_part: true,
                reports: vec![],
                agreed: vec![],
                own_agreed: false,
                proposed: vec![],
            }],
            own: &[],
            outcomes: &[],
            actions: &[],
            today: day(today),
        };
        assert!(tasks(&open_on("2027-01-05")).is_empty());
        assert_eq!(
            kinds(&tasks(&open_on("2027-01-12"))),
            [(TaskKind::SelfAssessment, "ic1".to_owned(), false)]
        );
        assert_eq!(
            kinds(&tasks(&open_on("2027-01-23"))),
            [(TaskKind::SelfAssessment, "ic1".to_owned(), true)]
        );
        assert!(tasks(&open_on("2027-02-20")).is_empty());
    }

    #[test]
    fn plan_actions_due_soon_and_outcomes_to_acknowledge() {
        let me = id("ic1");
        let action = |number: i64, due: &str, status: ActionStatus| {
            (
                me.clone(),
                PlanAction {
                    id: ActionId::new(number),
                    expectation: ExpectationId::parse("ic.delivery.1").unwrap(),
                    text: format!("action {number}"),
                    owner: me.clone(),
                    due: day(due),
                    status,
                },
            )
        };
        let actions = [
            action(1, "2027-01-20", ActionStatus::Planned),
            action(2, "2027-03-20", ActionStatus::Planned),
            action(3, "2027-01-01", ActionStatus::InProgress),
            action(4, "2027-01-01", ActionStatus::Done),
        ];
        let outcome = CycleOutcome {
            cycle: CycleName::parse("2026-H2").unwrap(),
            agreed: 12,
            agreed_by: id("em1"),
            last_agreed_at: Timestamp::UNIX_EPOCH,
            acknowledgement: None,
            changed_since_acknowledged: false,
        };
        let facts = TaskFacts {
            person: &me,
            cycles: vec![],
            own: &[],
            outcomes: std::slice::from_ref(&outcome),
            actions: &actions,
            today: day("2027-01-12"),
        };
        let tasks = tasks(&facts);
        assert_eq!(
            kinds(&tasks),
            [
                (TaskKind::PlanAction, "ic1".to_owned(), true),
                (TaskKind::PlanAction, "ic1".to_owned(), false),
                (TaskKind::Acknowledgement, "ic1".to_owned(), false),
            ]
        );
        assert_eq!(tasks[0].action.as_ref().map(|(id, _)| *id), Some(ActionId::new(3)));
    }
}
