//! `rungs cycle` and `rungs tasks`: cycles with their schedule and participants, and what a
//! person has to do in them.

use crate::Outcome;
use crate::cli::{CycleCommand, FilterArgs, ScheduleArgs};
use crate::output::{print, print_json};
use crate::render;
use rungs_app::{App, FilterInput, PlanInput};

/// How many people of the org chart one piece of a CSV covers.
const PROGRESS_CHUNK: usize = 1_000;

fn plan_input(schedule: ScheduleArgs, filter: FilterArgs, everyone: bool) -> PlanInput {
    let FilterArgs { within, tracks, levels, teams, add, exclude } = filter;
    let filtered =
        within.is_some() || !tracks.is_empty() || !levels.is_empty() || !teams.is_empty();
    PlanInput {
        time_zone: schedule.time_zone,
        dates: [
            schedule.opens,
            schedule.self_due,
            schedule.peer_due,
            schedule.manager_due,
            schedule.agreement_due,
            schedule.closes,
        ],
        filter: (filtered || everyone).then_some(FilterInput { within, tracks, levels, teams }),
        add,
        exclude,
    }
}

async fn show(app: &App, name: &str, json: bool, verb: Option<&str>) -> anyhow::Result<Outcome> {
    let overview = app.cycle_overview(name).await?;
    if json {
        print_json(&overview)?;
    } else {
        let mut text =
            verb.map(|verb| format!("{verb} cycle {}.\n", overview.cycle.name)).unwrap_or_default();
        text.push_str(&render::cycle_overview(&overview));
        print(&text)?;
    }
    Ok(Outcome::Clean)
}

pub async fn run(database_url: &str, command: CycleCommand) -> anyhow::Result<Outcome> {
    let app = super::assess::app(database_url).await?;
    let (cycle, json, verb) = match command {
        CycleCommand::Create { name, schedule, filter, alongside, json } => {
            let input = plan_input(schedule, filter, false);
            let created = app.create_cycle(&name, &input, alongside).await?;
            return show(&app, created.cycle.name.as_str(), json, Some("Created")).await;
        }
        CycleCommand::Plan { name, schedule, filter, everyone, json } => {
            let input = plan_input(schedule, filter, everyone);
            app.replan_cycle(&name, &input).await?;
            return show(&app, &name, json, Some("Planned")).await;
        }
        CycleCommand::Show { name, json } => return show(&app, &name, json, None).await,
        CycleCommand::Participants { name, skip, json } => {
            let page = app.cycle_participants(&name, skip).await?;
            if json {
                print_json(&page)?;
            } else {
                let framework = app.current_framework().await?;
                print(&render::participants(&name, &page, &framework))?;
            }
            return Ok(Outcome::Clean);
        }
        CycleCommand::Progress { name, csv, json } => {
            let report = app.cycle_progress(&name).await?;
            if csv {
                let mut out = std::io::stdout().lock();
                let positions = report.positions();
                for start in positions.clone().step_by(PROGRESS_CHUNK) {
                    let end = (start + PROGRESS_CHUNK).min(positions.end);
                    let chunk = report.csv_chunk(start..end.max(start));
                    if let Err(error) = std::io::Write::write_all(&mut out, &chunk) {
                        if error.kind() == std::io::ErrorKind::BrokenPipe {
                            return Ok(Outcome::Clean);
                        }
                        return Err(error.into());
                    }
                }
                if positions.is_empty() {
                    std::io::Write::write_all(&mut out, &report.csv_chunk(0..0))?;
                }
            } else if json {
                print_json(&report.summary())?;
            } else {
                print(&render::progress(&report.summary()))?;
            }
            return Ok(Outcome::Clean);
        }
        CycleCommand::Open { name, alongside, json } => {
            (app.open_cycle(&name, alongside).await?, json, "Opened")
        }
        CycleCommand::Close { name, abandon_drafts, json } => {
            let closed = app.close_cycle(&name, abandon_drafts).await.map_err(|error| {
                match error {
                    rungs_app::AppError::Cycle(
                        rungs_core::assess::CycleError::OpenDrafts { .. },
                    ) => anyhow::anyhow!(
                        "{error}\n`rungs cycle close {name} --abandon-drafts` closes it with them abandoned"
                    ),
                    error => error.into(),
                }
            })?;
            (closed, json, "Closed")
        }
        CycleCommand::List { json } => {
            let cycles = app.cycles().await?;
            if json {
                print_json(&cycles)?;
            } else {
                print(&render::cycles(&cycles))?;
            }
            return Ok(Outcome::Clean);
        }
    };
    if json {
        print_json(&cycle)?;
    } else {
        print(&format!("{verb} cycle {}.", cycle.name))?;
    }
    Ok(Outcome::Clean)
}

/// `rungs tasks PERSON`.
pub async fn tasks(database_url: &str, person: &str, json: bool) -> anyhow::Result<Outcome> {
    let app = super::assess::app(database_url).await?;
    let id = app.anyone_named("person", person).await?;
    let list = app.tasks_of(&id).await?;
    if json {
        print_json(&list.entries())?;
    } else {
        let names = app.names([&id]).await?;
        print(&render::tasks(names.of(&id), &list))?;
    }
    Ok(Outcome::Clean)
}
