//! "What to do", the page everyone lands on: the signed-in person's tasks, late ones first,
//! each linking to the page that does it, and the stage of each open cycle.

use askama::Template;
use askama_web::WebTemplate;
use rungs_core::assess::{TaskKind, long_date};

use super::{Layout, encode};
use crate::auth::Acting;
use crate::error::PageError;

/// One task as the page lists it.
pub struct TaskRow {
    pub text: String,
    /// The page that does it.
    pub link: String,
    /// What the link says: "Start", "Continue", "Open".
    pub verb: &'static str,
    /// "Due Fri 22 Jan 2027", or empty.
    pub due: String,
    pub overdue: bool,
    pub started: bool,
}

/// An open cycle and what its stage means.
pub struct CycleRow {
    pub name: String,
    pub stage: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks.html")]
pub struct TasksPage {
    pub layout: Layout,
    /// The viewer's name, when their account is someone in the org.
    pub name: Option<String>,
    pub tasks: Vec<TaskRow>,
    pub overdue: usize,
    pub cycles: Vec<CycleRow>,
    /// What the last action did, said once on arrival.
    pub notice: Option<String>,
}

/// What the last action did: `declined` names the person whose peer feedback the viewer
/// just declined. The page says it in its own words, and only when it is so.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TasksQuery {
    #[serde(default)]
    pub declined: Option<String>,
    /// A mail's link led to a task that is done (or no longer the viewer's).
    #[serde(default)]
    pub gone: Option<String>,
}

/// A task as a mail's link names it.
#[derive(Debug, serde::Deserialize)]
pub struct TaskLink {
    pub cycle: Option<String>,
    pub task: Option<String>,
    pub subject: Option<String>,
}

/// Where a mail's link leads: the page that does the task, as the task list would link it
/// now (the draft begun since the mail was sent), or the task list when it is done.
pub async fn open_task(
    Acting(state): Acting,
    axum::extract::Query(link): axum::extract::Query<TaskLink>,
) -> Result<axum::response::Response, PageError> {
    let viewer = state.signed_in()?;
    let kind = link.task.as_deref().and_then(rungs_app::parse_task_name);
    let found = match (&viewer.principal.person, kind) {
        (Some(me), Some(kind)) => {
            let list = state.app.tasks_of(me).await?;
            list.tasks.into_iter().find(|task| {
                task.kind == kind
                    && task.cycle.as_ref().map(|cycle| cycle.as_str()) == link.cycle.as_deref()
                    && Some(task.subject.as_str()) == link.subject.as_deref()
            })
        }
        _ => None,
    };
    Ok(match found {
        Some(task) => crate::respond::see_other(&link_of(&task).0),
        None => crate::respond::see_other("/?gone=task"),
    })
}

fn link_of(task: &rungs_core::assess::Task) -> (String, &'static str) {
    let person = encode(task.subject.as_str());
    match (task.kind, task.assessment) {
        (TaskKind::Acknowledgement, _) => (format!("/people/{person}#outcomes"), "Open"),
        (TaskKind::PlanAction, _) => (format!("/people/{person}#plan"), "Open"),
        (TaskKind::ApprovePeers, _) => {
            let cycle = task.cycle.as_ref().map(|cycle| format!("#peers-{cycle}"));
            (format!("/people/{person}/peers{}", cycle.unwrap_or_default()), "Review")
        }
        (TaskKind::Agreement, Some(id)) => (format!("/assessments/{id}"), "Open"),
        (_, Some(id)) if task.started => (format!("/assessments/{id}"), "Continue"),
        // A draft made by whoever asked (peer feedback) and not written in yet.
        (_, Some(id)) => (format!("/assessments/{id}"), "Start"),
        (_, None) => (format!("/people/{person}#assessments"), "Start"),
    }
}

pub async fn home(
    Acting(state): Acting,
    axum::extract::Query(query): axum::extract::Query<TasksQuery>,
) -> Result<TasksPage, PageError> {
    let layout = Layout::of(&state);
    let viewer = state.signed_in()?;
    let cycles = state.app.open_cycles_with_plans().await?;
    let cycle_rows = cycles
        .iter()
        .map(|(cycle, plan)| CycleRow {
            name: cycle.name.to_string(),
            stage: match plan {
                Some(plan) => plan.schedule.describe_stage(state.app.today_in(Some(plan))),
                None => "Open, without a schedule: nothing is due.".to_owned(),
            },
        })
        .collect();
    let Some(me) = viewer.principal.person.clone() else {
        return Ok(TasksPage {
            layout,
            name: None,
            tasks: vec![],
            overdue: 0,
            cycles: cycle_rows,
            notice: None,
        });
    };
    let list = state.app.tasks_of(&me).await?;
    let notice = match query.declined.as_deref() {
        Some(subject) => state.app.declined_by(&me, subject).await?.map(|name| {
            format!("Declined the peer feedback on {name}. The manager who asked sees your reason.")
        }),
        None if query.gone.is_some() => Some(
            "That link's task is done, or no longer asked of you. Here is what is left to do."
                .to_owned(),
        ),
        None => None,
    };
    let tasks: Vec<TaskRow> = list
        .tasks
        .iter()
        .map(|task| {
            let (link, verb) = link_of(task);
            TaskRow {
                text: task.describe(list.names.of(&task.subject)),
                link,
                verb,
                due: task.due.map(|due| format!("Due {}", long_date(due))).unwrap_or_default(),
                overdue: task.overdue,
                started: task.started,
            }
        })
        .collect();
    let names = state.app.names([&me]).await?;
    Ok(TasksPage {
        layout,
        name: Some(names.of(&me).to_owned()),
        overdue: tasks.iter().filter(|task| task.overdue).count(),
        tasks,
        cycles: cycle_rows,
        notice,
    })
}
