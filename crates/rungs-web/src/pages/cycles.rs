//! A cycle's admin page: its stage, its dates and who takes part, with the forms that move
//! the dates, change the filter and add or exclude people; and the plan form shared with the
//! new-cycle form of the admin page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use rungs_app::{CycleOverview, FilterInput, ParticipantPage, PlanInput};
use rungs_core::assess::{ScheduleField, long_date};

use super::{Layout, encode, see_other};
use crate::auth::Acting;
use crate::error::{PageError, WebError};
use crate::state::WebState;

/// The plan's fields as a form sends them, and as a refused form shows them again.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub self_due: String,
    #[serde(default)]
    pub peer_due: String,
    #[serde(default)]
    pub manager_due: String,
    #[serde(default)]
    pub agreement_due: String,
    #[serde(default)]
    pub closes: String,
    #[serde(default)]
    pub time_zone: String,
    /// Whose line takes part: a name, an email or an id; empty for everyone.
    #[serde(default)]
    pub within: String,
    /// Comma-separated.
    #[serde(default)]
    pub tracks: String,
    #[serde(default)]
    pub levels: String,
    #[serde(default)]
    pub teams: String,
}

fn listed(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|value| !value.is_empty()).map(str::to_owned).collect()
}

impl PlanForm {
    /// The date the form holds for `field`.
    pub fn date(&self, field: &ScheduleField) -> &str {
        match field {
            ScheduleField::Opens => &self.opens,
            ScheduleField::SelfDue => &self.self_due,
            ScheduleField::PeerDue => &self.peer_due,
            ScheduleField::ManagerDue => &self.manager_due,
            ScheduleField::AgreementDue => &self.agreement_due,
            ScheduleField::Closes => &self.closes,
        }
    }

    pub fn input(&self) -> PlanInput {
        let some = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        PlanInput {
            time_zone: some(&self.time_zone),
            dates: ScheduleField::ALL.map(|field| some(self.date(&field))),
            filter: Some(FilterInput {
                within: some(&self.within),
                tracks: listed(&self.tracks),
                levels: listed(&self.levels),
                teams: listed(&self.teams),
            }),
            add: vec![],
            exclude: vec![],
        }
    }

    /// The form filled with a cycle's plan, people named.
    fn of(overview: &CycleOverview, within_name: Option<String>) -> PlanForm {
        let Some(plan) = &overview.plan else { return PlanForm::default() };
        let schedule = &plan.schedule;
        let participants = &plan.participants;
        let day = |field: ScheduleField| schedule.date(field).to_string();
        PlanForm {
            opens: day(ScheduleField::Opens),
            self_due: day(ScheduleField::SelfDue),
            peer_due: day(ScheduleField::PeerDue),
            manager_due: day(ScheduleField::ManagerDue),
            agreement_due: day(ScheduleField::AgreementDue),
            closes: day(ScheduleField::Closes),
            time_zone: schedule.time_zone.to_string(),
            within: within_name.unwrap_or_default(),
            tracks: participants
                .tracks
                .iter()
                .map(|track| track.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            levels: participants
                .levels
                .iter()
                .map(|level| level.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            teams: participants.teams.join(", "),
        }
    }
}

/// One participant as the list shows them.
pub struct ParticipantRow {
    pub id: String,
    pub name: String,
    pub level: String,
    pub team: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cycle.html")]
pub struct CyclePage {
    pub layout: Layout,
    pub name: String,
    pub open: bool,
    pub stage: String,
    /// (label, day) of each date, when the cycle has a schedule.
    pub dates: Vec<(&'static str, String)>,
    pub time_zone: String,
    pub participants_described: String,
    pub participant_count: u64,
    pub participants: Vec<ParticipantRow>,
    /// Where the next page of participants starts, when there is one.
    pub next_skip: Option<u64>,
    pub previous_skip: Option<u64>,
    pub shown_from: u64,
    pub shown_to: u64,
    pub added: Vec<(String, String)>,
    pub excluded: Vec<(String, String)>,
    pub form: PlanForm,
    /// The person typed into the add/exclude form, kept when it was refused.
    pub person_typed: String,
    pub fields: [ScheduleField; 6],
    pub notice: Option<String>,
    pub error: Option<String>,
    pub error_field: Option<String>,
    pub progress: rungs_app::ProgressSummary,
}

impl CyclePage {
    /// Whether the refusal shown is about `field`.
    pub fn is_error_field(&self, field: &str) -> bool {
        self.error_field.as_deref() == Some(field)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct CycleQuery {
    /// Where the list of participants starts; anything but a number starts at the top.
    pub skip: Option<String>,
    pub notice: Option<String>,
}

async fn page(state: &WebState, name: &str, skip: u64) -> Result<CyclePage, WebError> {
    let report = state.app.cycle_progress(name).await?;
    let progress = report.summary();
    let overview = report.overview;
    let ParticipantPage { total, participants, .. } =
        state.app.cycle_participants(name, skip).await?;
    let framework = state.app.current_framework().await?;
    let rule = overview.plan.as_ref().map(|plan| &plan.participants);
    let named_ids: Vec<&rungs_core::org::PersonId> = rule
        .map(|rule| rule.within.iter().chain(&rule.added).chain(&rule.excluded).collect())
        .unwrap_or_default();
    let names = state.app.names(named_ids.iter().copied()).await?;
    let named = |ids: &[rungs_core::org::PersonId]| {
        ids.iter().map(|id| (id.to_string(), names.of(id).to_owned())).collect()
    };
    // The form names the line's person by email, which names one person whatever their name
    // is shared with; someone who left is named by id, as the rule keeps them.
    let within_name = match rule.and_then(|rule| rule.within.as_ref()) {
        Some(id) => Some(match state.app.person(id.as_str()).await {
            Ok(person) if person.status == rungs_core::org::Status::Active => {
                person.email.to_string()
            }
            _ => id.to_string(),
        }),
        None => None,
    };
    let shown_to = skip + participants.len() as u64;
    Ok(CyclePage {
        layout: Layout::of(state),
        name: overview.cycle.name.to_string(),
        open: overview.cycle.is_open(),
        stage: overview.stage_text.clone(),
        dates: overview
            .plan
            .as_ref()
            .map(|plan| {
                ScheduleField::ALL
                    .iter()
                    .map(|field| (field.label(), long_date(plan.schedule.date(*field))))
                    .collect()
            })
            .unwrap_or_default(),
        time_zone: overview
            .plan
            .as_ref()
            .map(|plan| plan.schedule.time_zone.to_string())
            .unwrap_or_default(),
        participants_described: overview.participants_described.clone(),
        participant_count: total,
        participants: participants
            .into_iter()
            .map(|participant| ParticipantRow {
                id: participant.id.to_string(),
                name: participant.name,
                level: rungs_core::org::level_title(&framework, participant.level.as_ref()),
                team: participant.team,
            })
            .collect(),
        next_skip: (shown_to < total).then_some(shown_to),
        previous_skip: (skip > 0).then(|| skip.saturating_sub(rungs_app::PARTICIPANTS_PAGE as u64)),
        shown_from: if total == 0 { 0 } else { skip + 1 },
        shown_to,
        added: rule.map(|rule| named(&rule.added)).unwrap_or_default(),
        excluded: rule.map(|rule| named(&rule.excluded)).unwrap_or_default(),
        form: PlanForm::of(&overview, within_name),
        person_typed: String::new(),
        fields: ScheduleField::ALL,
        notice: None,
        error: None,
        error_field: None,
        progress,
    })
}

pub async fn show(
    Acting(state): Acting,
    Path(name): Path<String>,
    Query(query): Query<CycleQuery>,
) -> Result<CyclePage, PageError> {
    let skip = query.skip.as_deref().and_then(|text| text.trim().parse().ok()).unwrap_or(0);
    let mut cycle = page(&state, &name, skip).await?;
    cycle.notice = match query.notice.as_deref() {
        Some("planned") => Some("The plan is saved; the change is in the audit log.".to_owned()),
        Some("created") => Some(
            "The cycle is open. Its participants see their tasks from the day it opens.".to_owned(),
        ),
        _ => None,
    };
    Ok(cycle)
}

/// The page again with a refusal, what was typed kept.
async fn refused(
    state: &WebState,
    name: &str,
    error: WebError,
    keep: impl FnOnce(&mut CyclePage),
) -> Result<Response, PageError> {
    if error.status.is_server_error() {
        return Err(PageError(error));
    }
    let mut cycle = page(state, name, 0).await?;
    keep(&mut cycle);
    cycle.error_field = error.field.clone();
    cycle.error = Some(error.message);
    Ok((error.status, cycle).into_response())
}

pub async fn replan(
    Acting(state): Acting,
    Path(name): Path<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    match state.app.replan_cycle(&name, &form.input()).await {
        Ok(_) => Ok(see_other(&format!("/admin/cycles/{}?notice=planned", encode(&name)))),
        Err(error) => refused(&state, &name, error.into(), |cycle| cycle.form = form).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct PersonForm {
    /// A name, an email or an id.
    pub person: String,
    /// `add` or `exclude`.
    pub change: String,
}

pub async fn change_participant(
    Acting(state): Acting,
    Path(name): Path<String>,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    let typed = vec![form.person.clone()];
    let input = match form.change.as_str() {
        "add" => PlanInput { add: typed, ..PlanInput::default() },
        "exclude" => PlanInput { exclude: typed, ..PlanInput::default() },
        _ => {
            let error =
                WebError::invalid("change", "choose whether to add or to exclude the person");
            return refused(&state, &name, error, |cycle| cycle.person_typed = form.person).await;
        }
    };
    match state.app.replan_cycle(&name, &input).await {
        Ok(_) => Ok(see_other(&format!("/admin/cycles/{}?notice=planned", encode(&name)))),
        Err(error) => {
            let error = WebError::from(error);
            // The person field of this form, whichever list it was for.
            let error = WebError { field: Some("person".to_owned()), ..error };
            refused(&state, &name, error, |cycle| cycle.person_typed = form.person).await
        }
    }
}

/// The new-cycle form of the admin page: with an opening day, a cycle with a plan; without,
/// one open at once with no schedule.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewCycleForm {
    pub name: String,
    /// `yes`: open it while another cycle is open, on purpose.
    pub alongside: Option<String>,
    #[serde(flatten)]
    pub plan: PlanForm,
}

pub async fn create(state: &WebState, form: &NewCycleForm) -> Result<String, WebError> {
    let alongside = form.alongside.as_deref() == Some("yes");
    let name = form.name.trim();
    if form.plan.opens.trim().is_empty() {
        let plan = &form.plan;
        let planned = [
            &plan.self_due,
            &plan.peer_due,
            &plan.manager_due,
            &plan.agreement_due,
            &plan.closes,
            &plan.time_zone,
            &plan.within,
            &plan.tracks,
            &plan.levels,
            &plan.teams,
        ];
        if planned.iter().any(|field| !field.trim().is_empty()) {
            return Err(WebError::invalid(
                "opens",
                "give the day the cycle opens: the dates and who takes part need one (leave them all empty to open it now, for everyone, with no dates)",
            ));
        }
        state.app.open_cycle(name, alongside).await?;
        return Ok("/admin".to_owned());
    }
    state.app.create_cycle(name, &form.plan.input(), alongside).await?;
    Ok(format!("/admin/cycles/{}?notice=created", encode(name)))
}

/// How many people of the org chart one piece of the CSV covers.
const CSV_CHUNK: usize = 1_000;

/// Every participant's step and late steps as CSV, written a thousand people of the chart at
/// a time as the response goes out.
pub async fn progress_csv(
    Acting(state): Acting,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let report = std::sync::Arc::new(state.app.cycle_progress(&name).await?);
    let end = report.positions().end;
    let file = format!("{}-progress.csv", report.overview.cycle.name);
    let chunks = (0..end.div_ceil(CSV_CHUNK).max(1)).map(move |chunk| {
        let start = chunk * CSV_CHUNK;
        let bytes = report.csv_chunk(start..(start + CSV_CHUNK).min(end).max(start));
        Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(bytes))
    });
    let body = axum::body::Body::from_stream(futures_util::stream::iter(chunks));
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response())
}
