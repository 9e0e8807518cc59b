//! Filling an empty instance with a demo org and two cycles of assessments: what `rungs demo
//! load` and `rungs serve --demo` do, and what the web tests start from.

use rungs_app::{App, AppError, ImportReport, OrgImport, Summary};
use rungs_core::Framework;

use crate::DemoPerson;

/// Why no demo org can be grown from a framework.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the framework needs a track whose levels state an org size, and a second track of individual contributors"
)]
pub struct NoDemoOrg;

/// A demo org of `people` people, or why the framework cannot have one.
pub fn generate_org(
    framework: &Framework,
    people: usize,
    seed: u64,
) -> Result<Vec<DemoPerson>, NoDemoOrg> {
    let org = crate::generate(framework, people, seed);
    if org.is_empty() && people > 0 { Err(NoDemoOrg) } else { Ok(org) }
}

/// What a demo load wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLoad {
    /// The name the demo org was imported under.
    pub org_name: &'static str,
    pub people: usize,
    pub summary: Summary,
    pub assessments: ImportReport,
}

/// Loads the active framework (the built-in ladder when none was chosen), a demo org of
/// `people` and two cycles of assessments of up to `assessed` of them, deterministic for `seed`.
pub async fn load(
    app: &App,
    people: usize,
    seed: u64,
    assessed: usize,
) -> Result<DemoLoad, AppError> {
    const ORG_NAME: &str = crate::DEMO_ORG_SOURCE;
    let app = &app.acting_as(crate::DEMO_ACTOR);
    let (key, framework) = app.pinned_framework().await?;
    let source = app.framework_text(key).await?;
    let org = generate_org(&framework, people, seed)
        .map_err(|error| AppError::invalid("framework", error))?;
    let mut csv = Vec::new();
    crate::write_csv(&org, &mut csv).map_err(|error| AppError::invalid("demo org", error))?;
    let options = rungs_app::ImportOptions::default();
    let (people, summary) = match app.import_org(ORG_NAME, csv, Default::default(), options).await?
    {
        OrgImport::Imported { people, summary, .. } => (people, summary),
        OrgImport::TooManyLeavers { refusal, .. } => {
            return Err(AppError::Conflict(format!(
                "{refusal}: this database holds another org; load the demo into a new one"
            )));
        }
        refused => {
            return Err(AppError::Conflict(format!(
                "the demo org did not import; this is a bug in Rungs: {refused:?}"
            )));
        }
    };
    // In parts of a thousand people: what a load holds at once does not grow with the org.
    let parts =
        crate::AssessmentParts::new(&framework, &source, &org, assessed, seed, crate::PART_SIZE);
    let assessments = app.import_bundle_parts("<demo assessments>", parts).await?;
    schedule_open_cycle(app).await?;
    propose_peers(app).await?;
    Ok(DemoLoad { org_name: ORG_NAME, people, summary, assessments })
}

/// Puts the open cycle on a schedule around today, so that the first visit shows the
/// workflow: self-assessments were due a week ago (those not submitted are late), peer
/// feedback is due in two days, manager assessments and agreements follow, a week each.
async fn schedule_open_cycle(app: &App) -> Result<(), AppError> {
    let open = app.cycles().await?;
    if !open
        .iter()
        .any(|cycle| cycle.name.as_str() == crate::assessments::OPEN_CYCLE && cycle.is_open())
    {
        return Ok(());
    }
    let today = app.today();
    let day = |offset: i64| {
        today.checked_add(jiff::Span::new().days(offset)).unwrap_or(today).to_string()
    };
    let input = rungs_app::PlanInput {
        time_zone: Some("UTC".to_owned()),
        dates: [
            Some(day(-21)),
            Some(day(-7)),
            Some(day(2)),
            Some(day(9)),
            Some(day(16)),
            Some(day(23)),
        ],
        ..rungs_app::PlanInput::default()
    };
    app.replan_cycle(crate::assessments::OPEN_CYCLE, &input).await?;
    Ok(())
}

/// The example employee proposes two colleagues for peer feedback in the open cycle, so that
/// their manager has nominations to approve on the first visit.
async fn propose_peers(app: &App) -> Result<(), AppError> {
    let org = app.current_org().await?;
    let chart = &org.chart;
    let (_, Some(manager), Some(report)) = crate::accounts::example_positions(chart) else {
        return Ok(());
    };
    let subject = chart.member(report).id.clone();
    let Ok(cycle) = app.cycle(crate::assessments::OPEN_CYCLE).await else { return Ok(()) };
    if !cycle.is_open() {
        return Ok(());
    }
    let nominated = app.peer_nominations(cycle.name.as_str(), &subject).await?;
    let colleagues: Vec<String> = chart
        .direct_reports(manager)
        .map(|position| chart.member(position).id.clone())
        .filter(|colleague| *colleague != subject)
        .filter(|colleague| {
            !nominated.nominations.iter().any(|entry| &entry.nomination.peer == colleague)
        })
        .take(2)
        .map(|colleague| colleague.to_string())
        .collect();
    if colleagues.is_empty() {
        return Ok(());
    }
    let email = app.person(subject.as_str()).await?.email.to_string();
    let principal = rungs_core::access::Principal {
        name: email,
        role: rungs_core::access::Role::Employee,
        person: Some(subject.clone()),
    };
    let themselves = rungs_core::access::Relation { is_self: true, manages: false };
    app.nominate_all(&principal, themselves, cycle.name.as_str(), &subject, &colleagues).await?;
    Ok(())
}
