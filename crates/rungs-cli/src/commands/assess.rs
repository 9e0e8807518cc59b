//! `rungs cycle`, `rungs assess`, `rungs readiness`, `rungs plan`, `rungs history` and
//! `rungs team`: argument parsing and printing around the use cases of `rungs-app`.

use anyhow::{Context, bail};
use rungs_app::{AgreementRequest, App, NewAssessmentInput};
use rungs_core::assess::{
    ActionId, ActionStatus, AssessError, AssessmentId, AssessmentKind, Unrated,
};
use rungs_core::org::PersonId;
use rungs_store::AssessmentFilter;

use crate::Outcome;
use crate::cli::{ActionStatusArg, AssessCommand, KindArg, PlanCommand};
use crate::input;
use crate::output::{print, print_json};
use crate::render;

pub(crate) async fn app(database_url: &str) -> anyhow::Result<App> {
    Ok(App::new(input::open_store(database_url).await?))
}

fn assessment_id(text: &str) -> anyhow::Result<AssessmentId> {
    AssessmentId::parse(text)
        .with_context(|| format!("`{text}` is not an assessment id (a number such as 42)"))
}

fn person_filter(text: Option<String>) -> anyhow::Result<Option<PersonId>> {
    text.map(|text| PersonId::parse(&text).with_context(|| format!("`{text}` is not a person id")))
        .transpose()
}

/// `EXPECTATION=VALUE` pairs, such as ratings or `--rationale` texts; `example` is what a
/// refusal shows.
fn expectation_pairs(arguments: &[String], example: &str) -> anyhow::Result<Vec<(String, String)>> {
    arguments
        .iter()
        .map(|argument| match argument.split_once('=') {
            Some((expectation, value)) if !expectation.trim().is_empty() => {
                Ok((expectation.trim().to_owned(), value.trim().to_owned()))
            }
            _ => bail!("`{argument}` is not {example}"),
        })
        .collect()
}

/// `EXPECTATION=RATING` pairs.
fn pairs(arguments: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    expectation_pairs(arguments, "EXPECTATION=RATING, such as em.leadership.lead-small-team=meets")
}

/// `EXPECTATION=TEXT` pairs of `--rationale`.
fn rationale_pairs(arguments: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    expectation_pairs(
        arguments,
        "EXPECTATION=TEXT, such as --rationale em.leadership.lead-small-team=\"Led the on-call rework\"",
    )
}

/// Prints an assessment after a change: its headline, or the whole of it as JSON.
async fn changed(
    app: &App,
    assessment: &rungs_core::assess::Assessment,
    json: bool,
    what: &str,
) -> anyhow::Result<()> {
    if json {
        print_json(assessment)
    } else {
        let names = app.names([&assessment.subject, &assessment.assessor]).await?;
        print(&format!("{what}\n{}", render::headline(assessment, &names)))
    }
}

pub async fn assess(database_url: &str, command: AssessCommand) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    match command {
        AssessCommand::Create { cycle, subject, assessor, kind, target, json } => {
            let kind = match kind {
                KindArg::SelfReview => AssessmentKind::SelfReview,
                KindArg::Manager => AssessmentKind::Manager,
                KindArg::Peer => AssessmentKind::Peer,
            };
            let created = app
                .create_assessment(NewAssessmentInput { cycle, subject, assessor, kind, target })
                .await?;
            if json {
                print_json(&created)?;
            } else {
                let names = app.names([&created.subject]).await?;
                print(&format!(
                    "Created assessment {} of {} against {} and {}.",
                    created.id,
                    render::named(&names, &created.subject),
                    created.current_level,
                    created.target_level
                ))?;
            }
        }
        AssessCommand::Rate { id, ratings, json } => {
            let ratings = pairs(&ratings)?;
            let rated = app.rate(assessment_id(&id)?, &ratings).await?;
            changed(&app, &rated, json, &format!("Saved {} ratings.", ratings.len())).await?;
        }
        AssessCommand::Evidence { id, expectation, text, link, date, json } => {
            let updated = app
                .add_evidence(assessment_id(&id)?, &expectation, &text, link.as_deref(), date)
                .await?;
            changed(&app, &updated, json, &format!("Attached evidence to {expectation}.")).await?;
        }
        AssessCommand::Submit { id, unrated_not_observed, json } => {
            let id = assessment_id(&id)?;
            let unrated = if unrated_not_observed { Unrated::NotObserved } else { Unrated::Refuse };
            let marked = if unrated_not_observed { app.unrated(id).await?.len() } else { 0 };
            let submitted = app.submit(id, unrated).await.map_err(|error| match error {
                rungs_app::AppError::Rule(AssessError::Unrated { .. }) => anyhow::anyhow!(
                    "{error}\n`rungs assess submit {id} --unrated-not-observed` marks them not observed and submits"
                ),
                error => error.into(),
            })?;
            let said = match marked {
                0 => "Submitted; this assessment can no longer change.".to_owned(),
                1 => "Marked 1 unrated expectation not observed. Submitted; this assessment can no longer change.".to_owned(),
                count => format!("Marked {count} unrated expectations not observed. Submitted; this assessment can no longer change."),
            };
            changed(&app, &submitted, json, &said).await?;
        }
        AssessCommand::Revise { id, json } => {
            let revision = app.revise(assessment_id(&id)?).await?;
            changed(
                &app,
                &revision,
                json,
                &format!("Started revision {} as a draft.", revision.id),
            )
            .await?;
        }
        AssessCommand::Agree { id, ratings, rationales, replace, json } => {
            let request = AgreementRequest {
                ratings: pairs(&ratings)?,
                rationales: rationale_pairs(&rationales)?,
                replace,
            };
            let agreed = match app.agree(assessment_id(&id)?, &request).await {
                Err(rungs_app::AppError::Rule(AssessError::ReplacingAgreed(refusal))) => {
                    bail!("{refusal}. Pass --replace to change {}", refusal.pronoun())
                }
                agreed => agreed?,
            };
            if json {
                print_json(&serde_json::json!({ "agreed": agreed }))?;
            } else {
                print(&format!("Recorded {agreed} agreed ratings."))?;
            }
        }
        AssessCommand::Acknowledge { person, cycle, comment, json } => {
            let subject = app.person(&person).await?;
            let acknowledgement = app.acknowledge(&subject.id, &cycle, comment.as_deref()).await?;
            if json {
                print_json(&acknowledgement)?;
            } else {
                print(&format!(
                    "Recorded that {} ({}) acknowledged the outcome of {}.",
                    subject.name, subject.id, acknowledgement.cycle
                ))?;
            }
        }
        AssessCommand::Outcomes { person, json } => {
            let subject = app.person(&person).await?;
            let outcomes = app.outcomes(&subject.id).await?;
            if json {
                print_json(&outcomes)?;
            } else {
                let names = app.names(outcomes.iter().map(|outcome| &outcome.agreed_by)).await?;
                print(&render::outcomes(&subject, &outcomes, &names))?;
            }
        }
        AssessCommand::Show { id, json } => {
            let view = app.assessment_view(assessment_id(&id)?).await?;
            if json {
                print_json(&view)?;
            } else {
                let framework = app.current_framework().await?;
                let names =
                    app.names([&view.assessment.subject, &view.assessment.assessor]).await?;
                print(&render::assessment_view(&view, &framework, &names))?;
            }
        }
        AssessCommand::List { cycle, subject, assessor, json } => {
            let cycle = match cycle {
                Some(name) => Some(app.cycle(&name).await?.name),
                None => None,
            };
            let filter = AssessmentFilter {
                cycle,
                subject: person_filter(subject)?,
                assessor: person_filter(assessor)?,
                ..AssessmentFilter::default()
            };
            let assessments = app.assessments(&filter).await?;
            if json {
                print_json(&assessments)?;
            } else {
                let names = app
                    .names(assessments.iter().flat_map(|one| [&one.subject, &one.assessor]))
                    .await?;
                print(&render::assessment_list(&assessments, &names))?;
            }
        }
        AssessCommand::Compare { person, cycle, json } => {
            let comparison = app.side_by_side(&cycle, &person).await?;
            if json {
                print_json(&comparison)?;
            } else {
                let subject = app.person(&person).await?;
                let names = rungs_core::org::Names::new([(subject.id.clone(), subject.name)]);
                let named = render::named(&names, &subject.id);
                print(&render::side_by_side(&comparison, &named, &cycle))?;
            }
        }
        AssessCommand::Export { cycle, out } => {
            let bundle = app.export_assessments(cycle.as_deref()).await?;
            let text = serde_json::to_string_pretty(&bundle)?;
            match out {
                Some(path) => std::fs::write(&path, text + "\n")
                    .with_context(|| format!("cannot write `{}`", path.display()))?,
                None => print(&text)?,
            }
        }
        AssessCommand::Import { file, json } => {
            let text = String::from_utf8(input::read_bytes(&file)?)
                .with_context(|| format!("`{}` is not UTF-8 text", file.display()))?;
            let report = app.import_assessments(&file.display().to_string(), &text).await?;
            if json {
                print_json(&report)?;
            } else {
                print(&format!(
                    "Imported {} cycles, {} assessments, {} ratings, {} pieces of evidence and {} agreed ratings ({} framework versions added).",
                    report.cycles,
                    report.assessments,
                    report.ratings,
                    report.evidence,
                    report.agreements,
                    report.frameworks
                ))?;
            }
        }
    }
    Ok(Outcome::Clean)
}

pub async fn readiness(
    database_url: &str,
    person: &str,
    target: Option<&str>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    let standing = app.readiness(person, target).await?;
    if json {
        print_json(&standing)?;
    } else {
        let framework = app.current_framework().await?;
        let traces = standing.readiness.traces();
        let names = app
            .names(traces.flat_map(|trace| {
                let agreed = trace.agreed.iter().map(|agreed| &agreed.agreed_by);
                let cycles = trace.cycles.iter().chain(&trace.newer);
                let given = cycles.flat_map(|cycle| {
                    cycle.given.iter().filter_map(|given| given.assessor.as_ref())
                });
                agreed.chain(given)
            }))
            .await?;
        let today = app.today();
        print(&render::readiness(
            &framework,
            &standing.person,
            &standing.readiness,
            &names,
            today,
        ))?;
    }
    Ok(Outcome::Clean)
}

pub async fn history(database_url: &str, person: &str, json: bool) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    let history = app.history(person).await?;
    if json {
        print_json(&history)?;
    } else {
        print(&render::history(&app.person(person).await?, &history))?;
    }
    Ok(Outcome::Clean)
}

pub async fn team(
    database_url: &str,
    manager: &str,
    after: Option<&str>,
    limit: usize,
    json: bool,
) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    let page = rungs_app::candidate_page(after, Some(limit))?;
    let team = app.team(manager, page).await?;
    if json {
        print_json(&team)?;
    } else {
        print(&render::team(&app.person(manager).await?, &team))?;
    }
    Ok(Outcome::Clean)
}

async fn show_plan(app: &App, person: &str, json: bool) -> anyhow::Result<()> {
    let Some((plan, progress)) = app.plan(person).await? else {
        bail!("`{person}` has no growth plan; start one with `rungs plan create {person}`");
    };
    if json {
        print_json(&serde_json::json!({ "plan": plan, "progress": progress }))
    } else {
        print(&render::growth_plan(&app.person(person).await?, &plan, &progress))
    }
}

pub async fn plan(database_url: &str, command: PlanCommand) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    match command {
        PlanCommand::Create { person, target, focus, gaps, json } => {
            app.create_plan(&person, target.as_deref(), &focus, gaps).await?;
            show_plan(&app, &person, json).await?;
        }
        PlanCommand::Show { person, json } => show_plan(&app, &person, json).await?,
        PlanCommand::Action { person, expectation, text, owner, due, json } => {
            let action = app.add_action(&person, &expectation, &text, &owner, due).await?;
            if json {
                print_json(&action)?;
            } else {
                print(&format!("Added action #{} towards {}.", action.id, action.expectation))?;
            }
        }
        PlanCommand::Focus { person, expectations, json } => {
            app.add_focus(&person, &expectations).await?;
            show_plan(&app, &person, json).await?;
        }
        PlanCommand::Status { action, status, json } => {
            let id = ActionId::parse(&action)
                .with_context(|| format!("`{action}` is not an action id (a number such as 7)"))?;
            let status = match status {
                ActionStatusArg::Planned => ActionStatus::Planned,
                ActionStatusArg::InProgress => ActionStatus::InProgress,
                ActionStatusArg::Done => ActionStatus::Done,
                ActionStatusArg::Dropped => ActionStatus::Dropped,
            };
            app.set_action_status(id, status).await?;
            if json {
                print_json(&serde_json::json!({ "action": id, "status": status }))?;
            } else {
                print(&format!("Action #{id} is now {}.", status.as_str()))?;
            }
        }
    }
    Ok(Outcome::Clean)
}
