//! A person: level, manager chain and reports, a radar of agreed scores against the current and
//! the target level, readiness with its explanation, history as a line chart, and the growth
//! plan with its forms.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rungs_app::Standing;
use rungs_core::Framework;
use rungs_core::LevelId;
use rungs_core::assess::{ActionId, ActionStatus, ExpectationStatus, Readiness, Verdict};
use rungs_core::org::{OrgMember, Person};

use super::confirm::{ConfirmPage, is_confirmed};
use super::{Layout, encode, see_other};
use rungs_core::access::{Decision, Facts, Principal, Relation, Rule, decide};
use rungs_core::org::PersonId;

use crate::auth::Acting;
use crate::charts::{self, Series};
use crate::error::{PageError, WebError};

#[derive(Debug, Default, serde::Deserialize)]
pub struct TargetQuery {
    pub target: Option<String>,
    /// The peer assessment the viewer just asked for, which the page confirms.
    pub asked: Option<String>,
    /// The cycle whose outcome the viewer just acknowledged, which the page confirms.
    pub acknowledged: Option<String>,
}

pub struct PersonLink {
    pub id: String,
    pub name: String,
    pub level: String,
}

impl PersonLink {
    pub fn of(framework: &Framework, person: &Person) -> PersonLink {
        PersonLink::to(framework, &person.id, &person.name, person.level.as_ref())
    }

    pub fn of_member(framework: &Framework, member: &OrgMember) -> PersonLink {
        PersonLink::to(framework, &member.id, &member.name, member.level.as_ref())
    }

    fn to(framework: &Framework, id: &PersonId, name: &str, level: Option<&LevelId>) -> PersonLink {
        PersonLink {
            id: id.as_str().to_owned(),
            name: name.to_owned(),
            level: rungs_core::org::level_title(framework, level),
        }
    }
}

/// The page's view of a readiness: the readiness itself, which the template writes as it is
/// (copying its traces into rows of the page's own cost about 4% of the page's instructions),
/// and its window in words.
pub struct ReadinessView {
    pub readiness: Readiness,
    /// The cycles whose agreed ratings count, in words.
    pub window: String,
}

impl ReadinessView {
    pub fn of(readiness: Readiness) -> ReadinessView {
        let window = readiness.window.iter().map(|cycle| cycle.as_str()).collect::<Vec<_>>();
        ReadinessView { window: window.join(", "), readiness }
    }
}

impl PersonPage {
    /// What the acknowledgement form of `cycle` shows: the comment a refused form had typed.
    pub fn entered_comment_for(&self, cycle: &str) -> &str {
        match &self.entered_comment {
            Some((entered, comment)) if entered == cycle => comment,
            _ => "",
        }
    }

    /// What the new-action form of `focus` shows in `field`: what a refused form had typed
    /// there, or `default`.
    pub fn typed<'a>(&'a self, focus: &str, field: &str, default: &'a str) -> &'a str {
        match &self.entered_action {
            Some(entered) if entered.expectation == focus => match field {
                "text" => &entered.text,
                "owner" => &entered.owner,
                "due" => &entered.due,
                _ => default,
            },
            _ => default,
        }
    }
}

/// A verdict's class name: a constant word of this crate, written unescaped.
pub fn verdict_class(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Ready => "ready",
        Verdict::Close => "close",
        Verdict::NotYet => "not-yet",
        Verdict::NotAssessed => "not-assessed",
    }
}

/// A status's class name: a constant word of this crate, written unescaped.
pub fn status_class(status: &ExpectationStatus) -> &'static str {
    match status {
        ExpectationStatus::Met => "status-met",
        ExpectationStatus::NotMet => "status-not-met",
        ExpectationStatus::NotRated => "status-not-rated",
    }
}

/// A share (0 to 1) as a whole percentage.
pub fn percent(share: &f64) -> u32 {
    (share * 100.0).round() as u32
}

pub struct AssessmentLink {
    pub id: i64,
    pub label: String,
}

pub struct PlanView {
    pub target: String,
    pub focus_met: u32,
    pub actions_done: u32,
    pub actions_total: u32,
    pub focus: Vec<FocusView>,
}

pub struct FocusView {
    pub id: String,
    pub text: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub actions: Vec<ActionView>,
}

pub struct ActionView {
    pub id: i64,
    pub text: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "person.html")]
pub struct PersonPage {
    pub layout: Layout,
    /// The kinds of assessment the viewer may start here: value and label.
    pub kinds: Vec<(&'static str, &'static str)>,
    pub person: PersonLink,
    pub email: String,
    pub team: String,
    pub title: String,
    /// How long at the level and since joining, when the HR export says: empty otherwise.
    pub tenure: String,
    /// Nearest first, each with whether the viewer may open their page: a manager the viewer
    /// may not open is named without a link, not linked to a page that is not there for them.
    pub managers: Vec<(PersonLink, bool)>,
    pub reports: Vec<PersonLink>,
    pub readiness: Option<ReadinessView>,
    pub radar: String,
    pub history: Option<String>,
    pub level_changes: Vec<String>,
    pub plan: Option<PlanView>,
    pub assessments: Vec<AssessmentLink>,
    pub open_cycle: Option<String>,
    pub cycles: Vec<String>,
    /// The options of both level pickers: every level of the active framework, the target
    /// selected.
    pub level_options: String,
    pub target: String,
    pub today: String,
    /// The names of who gave the ratings and evidence the trace shows, and who agreed.
    pub names: rungs_core::org::Names,
    /// On the viewer's own page: the assessments of others asked of them and not yet
    /// submitted.
    pub asked_of_you: Vec<AssessmentLink>,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// The plans the current one replaced, newest first, in a sentence each.
    pub earlier_plans: Vec<String>,
    /// A refused new action, typed back into its focus expectation's form.
    pub entered_action: Option<ActionForm>,
    /// Each cycle's agreed outcome, newest first.
    pub outcomes: Vec<super::outcome_view::OutcomeView>,
    /// The viewer is the person: they may acknowledge their outcomes.
    pub own_page: bool,
    /// Why peer feedback of a cycle is not shown yet, for the person themselves.
    pub withheld_peers: Vec<String>,
    /// A refused acknowledgement: its cycle and the comment as typed.
    pub entered_comment: Option<(String, String)>,
    /// An import mapping keeps the person off the ladder: no readiness, plan or assessments.
    pub off_ladder: bool,
}

fn plan_view(standing: &Standing, today: jiff::civil::Date) -> Option<PlanView> {
    let (plan, progress) = standing.plan.as_ref()?;
    Some(PlanView {
        target: plan.target_level.as_str().to_owned(),
        focus_met: progress.focus_met,
        actions_done: progress.actions_done,
        actions_total: progress.actions_total,
        focus: progress
            .focus
            .iter()
            .map(|focus| FocusView {
                id: focus.expectation.as_str().to_owned(),
                text: focus.text.clone(),
                status: focus.status.as_str(),
                status_class: status_class(&focus.status),
                actions: plan
                    .actions
                    .iter()
                    .filter(|action| action.expectation == focus.expectation)
                    .map(|action| ActionView {
                        id: action.id.get(),
                        text: action.text.clone(),
                        owner: action.owner.as_str().to_owned(),
                        due: action.due.to_string(),
                        status: action.status.as_str(),
                        overdue: action.due < today
                            && !matches!(action.status, ActionStatus::Done | ActionStatus::Dropped),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The kinds of assessment `principal` may start for someone they stand to as `relation`.
fn kinds_for(principal: &Principal, relation: Relation) -> Vec<(&'static str, &'static str)> {
    let mut kinds = Vec::new();
    if relation.is_self {
        kinds.push(("self", "Self"));
    }
    if relation.manages && principal.person.is_some() {
        kinds.push(("manager", "Manager"));
    }
    if relation.manages || principal.role.sees_everyone() {
        kinds.push(("peer", "Peer (asked of a colleague)"));
    }
    kinds
}

pub async fn show(
    Acting(state): Acting,
    Path(id): Path<String>,
    Query(query): Query<TargetQuery>,
) -> Result<PersonPage, PageError> {
    let target = query.target.as_deref().filter(|target| !target.is_empty());
    let mut standing = state.app.standing(&id, target).await?;
    // Held apart from the standing, whose readiness the view takes below.
    let active_framework = std::sync::Arc::clone(&standing.framework);
    let framework = &*active_framework;
    let today = state.app.today();
    let scale = framework.rating_scale();
    let meets = scale.score(&scale.meets).unwrap_or(0.5);
    let axes: Vec<String> =
        standing.current_scores.iter().map(|score| score.name.clone()).collect();
    let current_title = rungs_core::org::level_title(framework, standing.person.level.as_ref());
    let mut series = vec![Series {
        name: format!("{current_title} (current)"),
        values: standing.current_scores.iter().map(|score| score.score).collect(),
    }];
    if let Some(readiness) = &standing.readiness {
        series.push(Series {
            name: format!("{} (target)", readiness.target_title),
            values: standing.target_scores.iter().map(|score| score.score).collect(),
        });
    }
    let radar = charts::radar(
        "Agreed scores per dimension against the current and the target level",
        &axes,
        &series,
        meets,
    );
    let history = (!standing.history.cycles.is_empty()).then(|| {
        let cycles: Vec<String> =
            standing.history.cycles.iter().map(|cycle| cycle.cycle.as_str().to_owned()).collect();
        let lines: Vec<Series> = framework
            .dimensions()
            .iter()
            .map(|dimension| Series {
                name: dimension.name.clone(),
                values: standing
                    .history
                    .cycles
                    .iter()
                    .map(|cycle| {
                        cycle
                            .dimensions
                            .iter()
                            .find(|score| score.dimension == dimension.id)
                            .map(|score| score.score)
                    })
                    .collect(),
            })
            .collect();
        charts::lines("Agreed scores per dimension across cycles", &cycles, &lines)
    });
    let cycles = standing.cycles.iter().map(|cycle| cycle.name.as_str().to_owned()).collect();
    let principal = state.viewer.as_deref().map(|viewer| &viewer.principal);
    let manager_ids: Vec<PersonId> =
        standing.managers.iter().map(|manager| manager.id.clone()).collect();
    let relation = principal
        .map(|principal| Relation::of(principal, &standing.person.id, &manager_ids))
        .unwrap_or_default();
    let kinds = principal.map(|principal| kinds_for(principal, relation)).unwrap_or_default();
    let target = standing
        .readiness
        .as_ref()
        .map(|readiness| readiness.target.as_str().to_owned())
        .unwrap_or_default();
    let readiness = standing.readiness.take().map(ReadinessView::of);
    let asked_of_you =
        if relation.is_self { asked_of(&state, &standing.person.id).await? } else { Vec::new() };
    // Only an acknowledgement that is there is confirmed: the query is anyone's to write.
    let acknowledged_notice = query
        .acknowledged
        .as_deref()
        .and_then(|cycle| {
            standing.outcomes.iter().find(|outcome| {
                relation.is_self && outcome.cycle.as_str() == cycle && outcome.acknowledged()
            })
        })
        .map(|outcome| format!("Recorded that you acknowledged the outcome of {}.", outcome.cycle));
    let notice = query
        .asked
        .as_deref()
        .and_then(rungs_core::assess::AssessmentId::parse)
        .and_then(|asked| standing.assessments.iter().find(|assessment| assessment.id == asked))
        .map(|asked| {
            format!(
                "Asked {} to write a peer assessment in {}. It waits on their own page until they submit it.",
                standing.names.of(&asked.assessor),
                asked.cycle
            )
        })
        .or(acknowledged_notice);
    let outcomes = super::outcome_view::outcome_views(
        &standing.outcomes,
        &standing.names,
        &standing.person.name,
    );
    let page = PersonPage {
        outcomes,
        own_page: relation.is_self,
        withheld_peers: super::peers::withheld_notes(&standing.withheld_peers),
        entered_comment: None,
        off_ladder: standing.person.level.is_none(),
        kinds,
        layout: Layout::of(&state),
        person: PersonLink::of(framework, &standing.person),
        email: standing.person.email.as_str().to_owned(),
        team: standing.person.team.clone(),
        title: standing.person.title.clone(),
        tenure: rungs_core::org::tenure(&standing.person, today).unwrap_or_default(),
        managers: standing
            .managers
            .iter()
            .enumerate()
            .map(|(nearest, manager)| {
                // Each manager's own managers are the ones above them in the same chain.
                let above = &manager_ids[nearest + 1..];
                let may_open = principal.is_some_and(|principal| {
                    let relation = Relation::of(principal, &manager.id, above);
                    decide(Some(principal), Rule::Person, Facts::Person(relation))
                        == Decision::Allow
                });
                (PersonLink::of_member(framework, manager), may_open)
            })
            .collect(),
        reports: standing
            .reports
            .iter()
            .map(|report| PersonLink::of_member(framework, report))
            .collect(),
        readiness,
        radar,
        history,
        level_changes: standing
            .history
            .level_changes
            .iter()
            .map(|change| {
                format!("{} → {} on {}", change.from, change.to, change.at.strftime("%Y-%m-%d"))
            })
            .collect(),
        plan: plan_view(&standing, today),
        assessments: standing
            .assessments
            .iter()
            .filter(|assessment| {
                // Those asked anonymously under named feedback are already left out for the
                // person themselves.
                let anonymous = assessment.kind == rungs_core::assess::AssessmentKind::Peer
                    && framework.peer_feedback()
                        == rungs_core::assess::PeerFeedbackPolicy::Anonymous;
                crate::auth::may_read_assessment(principal, relation, assessment, anonymous)
            })
            .map(|assessment| AssessmentLink {
                id: assessment.id.get(),
                label: format!(
                    "{}: {} by {}, {}{}",
                    assessment.cycle,
                    assessment.kind,
                    standing.names.of(&assessment.assessor),
                    match assessment.status {
                        rungs_core::assess::AssessmentStatus::Draft
                            if standing.cycles.iter().any(|cycle| {
                                cycle.name == assessment.cycle && !cycle.is_open()
                            }) =>
                        {
                            "abandoned"
                        }
                        status => status.as_str(),
                    },
                    if assessment.superseded_by.is_some() { " (corrected)" } else { "" }
                ),
            })
            .collect(),
        open_cycle: standing.open_cycle.as_ref().map(|cycle| cycle.name.as_str().to_owned()),
        cycles,
        level_options: super::level_options::level_options(&active_framework, &target),
        target,
        today: today.to_string(),
        names: std::mem::take(&mut standing.names),
        asked_of_you,
        notice,
        error: None,
        earlier_plans: standing
            .earlier_plans
            .iter()
            .rev()
            .map(|plan| {
                let done = plan
                    .actions
                    .iter()
                    .filter(|action| action.status == ActionStatus::Done)
                    .count();
                format!(
                    "Towards {}: {} focus expectations, {done} of {} actions done",
                    framework
                        .level(plan.target_level.as_str())
                        .map_or_else(|| plan.target_level.to_string(), |level| level.title.clone()),
                    plan.focus.len(),
                    plan.actions.len()
                )
            })
            .collect(),
        entered_action: None,
    };
    Ok(page)
}

/// The drafts of others' assessments that `person` was asked to write.
async fn asked_of(
    state: &crate::state::WebState,
    person: &PersonId,
) -> Result<Vec<AssessmentLink>, WebError> {
    let filter =
        rungs_store::AssessmentFilter { assessor: Some(person.clone()), ..Default::default() };
    let drafts: Vec<rungs_core::assess::Assessment> = state
        .app
        .assessments(&filter)
        .await?
        .into_iter()
        .filter(|assessment| {
            assessment.status == rungs_core::assess::AssessmentStatus::Draft
                && assessment.subject != *person
        })
        .collect();
    let names = state.app.names(drafts.iter().map(|assessment| &assessment.subject)).await?;
    Ok(drafts
        .iter()
        .map(|assessment| AssessmentLink {
            id: assessment.id.get(),
            label: format!(
                "{} assessment of {} in {} (draft)",
                assessment.kind.title(),
                names.of(&assessment.subject),
                assessment.cycle
            ),
        })
        .collect())
}

/// Room for a person's page: most are 15 to 30 KB (a manager's lists their reports).
const PERSON_PAGE_BYTES: usize = 32 * 1024;

impl IntoResponse for PersonPage {
    fn into_response(self) -> Response {
        super::render_html(&self, PERSON_PAGE_BYTES)
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct PlanForm {
    pub target: Option<String>,
    #[serde(default)]
    pub gaps: Option<String>,
    /// Sent from the page that asks before a new plan replaces the current one.
    pub confirmed: Option<String>,
}

pub async fn create_plan(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    let gaps = match form.gaps.as_deref().map(str::trim).filter(|gaps| !gaps.is_empty()) {
        None => 3,
        Some(text) => {
            text.parse::<usize>().ok().filter(|gaps| (1..=25).contains(gaps)).ok_or_else(|| {
                WebError::invalid("gaps", format!("`{text}` is not a number from 1 to 25"))
            })?
        }
    };
    let target = form.target.as_deref().filter(|target| !target.is_empty());
    if !is_confirmed(form.confirmed.as_deref())
        && let Some((current, progress)) = state.app.plan(&id).await?
    {
        let name = state.app.person(&id).await?.name;
        let back = format!("/people/{}#plan", encode(&id));
        let page = ConfirmPage::new(
            &state,
            format!("Start a new growth plan for {name}?"),
            vec![
                format!(
                    "{name} already has a plan towards {}: {} of {} focus expectations met, {} of {} actions done.",
                    current.target_level,
                    progress.focus_met,
                    current.focus.len(),
                    progress.actions_done,
                    progress.actions_total
                ),
                format!("The new plan focuses on the {gaps} largest gaps and becomes the current one."),
                "The current plan is kept, with its actions, as an earlier plan on the page.".to_owned(),
            ],
            format!("/people/{}/plan", encode(&id)),
            "Start the new plan",
            back,
        )
        .field("target", target.unwrap_or_default())
        .field("gaps", gaps.to_string());
        return Ok(page.into_response());
    }
    state.app.create_plan(&id, target, &[], gaps).await?;
    Ok(see_other(&format!("/people/{}#plan", encode(&id))))
}

#[derive(Debug, serde::Deserialize)]
pub struct ActionForm {
    pub expectation: String,
    pub text: String,
    pub owner: String,
    pub due: String,
}

pub async fn add_action(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    let added = async {
        let due: jiff::civil::Date = form.due.trim().parse().map_err(|_| {
            WebError::invalid("due", format!("`{}` is not a date such as 2026-12-31", form.due))
        })?;
        let owner = crate::auth::visible_person(&state, "owner", &form.owner).await?;
        state.app.add_action(&id, &form.expectation, &form.text, &owner, due).await?;
        Ok::<(), WebError>(())
    }
    .await;
    match added {
        Ok(()) => Ok(see_other(&format!("/people/{}#plan", encode(&id)))),
        // A refused action comes back on the person's page as it was typed.
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let query = TargetQuery::default();
            let mut page = show(Acting(state.clone()), Path(id), Query(query)).await?;
            page.error = Some(error.refusal("Nothing was added."));
            page.entered_action = Some(form);
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct StatusForm {
    pub status: String,
    pub person: String,
}

pub async fn action_status(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    let action = ActionId::parse(&id)
        .ok_or_else(|| WebError::not_found(format!("there is no action `{id}`")))?;
    let status = ActionStatus::parse(&form.status).ok_or_else(|| {
        WebError::invalid(
            "status",
            format!("`{}` is not planned, in-progress, done or dropped", form.status),
        )
    })?;
    state.app.set_action_status(action, status).await?;
    Ok(see_other(&format!("/people/{}#plan", encode(&form.person))))
}
