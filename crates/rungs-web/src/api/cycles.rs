//! Cycles: list, create with a schedule and participants, show, change the plan, list who
//! takes part, close; and the signed-in person's tasks.

use axum::http::StatusCode;
use rungs_app::{FilterInput, PlanInput};

use super::{ApiJson, ApiJsonOrDefault, ApiPath, ApiQuery, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody};

/// Every cycle, oldest first.
#[utoipa::path(get, path = "/api/v1/cycles", tag = "cycles",
    responses((status = 200, description = "The cycles", body = serde_json::Value)))]
pub async fn cycles(Acting(state): Acting) -> Result<Json, ApiError> {
    json(state.app.cycles().await?)
}

/// Who takes part, as a filter: the line of a person, tracks, levels, teams. Empty lists and
/// no `within` take everyone active on the ladder.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterBody {
    /// Only this person (a name, an email or an id) and everyone below them.
    #[schema(max_length = 254)]
    pub within: Option<String>,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub tracks: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub levels: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub teams: Vec<String>,
}

/// A cycle's plan, or a change to one. Dates are days (YYYY-MM-DD) in `time_zone`; on a
/// change, a date left out keeps its value; on a new cycle, it falls two weeks after
/// `opens` for self-assessments, then a week after the date before it.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    #[schema(format = Date)]
    pub opens: Option<String>,
    #[schema(format = Date)]
    pub self_due: Option<String>,
    #[schema(format = Date)]
    pub peer_due: Option<String>,
    #[schema(format = Date)]
    pub manager_due: Option<String>,
    #[schema(format = Date)]
    pub agreement_due: Option<String>,
    #[schema(format = Date)]
    pub closes: Option<String>,
    /// An IANA time zone such as `Europe/Berlin`; the newest scheduled cycle's by default,
    /// else UTC.
    #[schema(max_length = 64)]
    pub time_zone: Option<String>,
    /// Replaces the filter of who takes part.
    pub filter: Option<FilterBody>,
    /// People to add, whatever the filter says: names, emails or ids.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub add: Vec<String>,
    /// People to leave out, whatever the filter says.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub exclude: Vec<String>,
}

impl PlanBody {
    fn input(self) -> PlanInput {
        PlanInput {
            time_zone: self.time_zone,
            dates: [
                self.opens,
                self.self_due,
                self.peer_due,
                self.manager_due,
                self.agreement_due,
                self.closes,
            ],
            filter: self.filter.map(|filter| FilterInput {
                within: filter.within,
                tracks: filter.tracks,
                levels: filter.levels,
                teams: filter.teams,
            }),
            add: self.add,
            exclude: self.exclude,
        }
    }
}

/// A cycle to open: its name and, to schedule it, its plan.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCycle {
    /// Such as `2026-H2`: up to 40 letters, digits, `-`, `_` and `.`, starting with a letter
    /// or digit.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", min_length = 1, max_length = 40)]
    pub name: String,
    /// Open it while another cycle is open, on purpose; new assessments go to the newest open
    /// cycle. Without it, another open cycle refuses the request with 409.
    #[serde(default)]
    pub alongside: bool,
    /// The schedule and participants. Without it the cycle opens now, with no dates: everyone
    /// active takes part and nothing is due. With it, `opens` is needed.
    pub plan: Option<PlanBody>,
}

/// How to close a cycle.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CycleClosing {
    /// Close it with its drafts not submitted: they stay readable and never count. Without
    /// it, drafts refuse the request with 409, the first named.
    #[serde(default)]
    pub abandon_drafts: bool,
}

/// Opens a cycle, with a schedule and participants when `plan` is given.
#[utoipa::path(post, path = "/api/v1/cycles", tag = "cycles", request_body = NewCycle,
    responses((status = 201, description = "The cycle, with its plan, stage and participant count", body = serde_json::Value), (status = 409, description = "It exists, or another cycle is open and `alongside` is not set", body = ErrorBody), (status = 422, description = "Not a cycle name, a date, a time zone, or a person; dates out of order", body = ErrorBody)))]
pub async fn open_cycle(
    Acting(state): Acting,
    ApiJson(body): ApiJson<NewCycle>,
) -> Result<(StatusCode, Json), ApiError> {
    let overview = match body.plan {
        Some(plan) => state.app.create_cycle(&body.name, &plan.input(), body.alongside).await?,
        None => {
            let cycle = state.app.open_cycle(&body.name, body.alongside).await?;
            state.app.cycle_overview(cycle.name.as_str()).await?
        }
    };
    Ok((StatusCode::CREATED, json(overview)?))
}

/// A cycle: its state, plan, stage today and how many take part.
#[utoipa::path(get, path = "/api/v1/cycles/{name}", tag = "cycles",
    params(("name" = String, Path, description = "The cycle")),
    responses((status = 200, description = "The cycle", body = serde_json::Value), (status = 404, description = "No such cycle", body = ErrorBody)))]
pub async fn show(Acting(state): Acting, ApiPath(name): ApiPath<String>) -> Result<Json, ApiError> {
    json(state.app.cycle_overview(&name).await?)
}

/// Moves a cycle's dates, replaces its filter, adds or excludes people; gives a cycle opened
/// without a plan one (then `opens` is needed). Audited with what it replaced; a body that
/// changes nothing changes nothing and writes no audit entry.
#[utoipa::path(patch, path = "/api/v1/cycles/{name}/plan", tag = "cycles",
    params(("name" = String, Path, description = "The cycle")), request_body = PlanBody,
    responses((status = 200, description = "The cycle after the change", body = serde_json::Value), (status = 404, description = "No such cycle", body = ErrorBody), (status = 409, description = "The cycle is closed", body = ErrorBody), (status = 422, description = "Not a date, a time zone, a track, a level or a person; dates out of order; no opening day for a cycle without a plan", body = ErrorBody)))]
pub async fn replan(
    Acting(state): Acting,
    ApiPath(name): ApiPath<String>,
    ApiJson(body): ApiJson<PlanBody>,
) -> Result<Json, ApiError> {
    // A body that changes nothing answers the cycle as it is (a cycle without a plan still
    // needs its opening day).
    json(state.app.replan_cycle(&name, &body.input()).await?)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParticipantsQuery {
    /// Start after this many; 100 are listed at a time.
    #[param(value_type = Option<i32>, minimum = 0, maximum = 2147483647)]
    pub skip: Option<String>,
}

/// Who takes part in a cycle, in org chart order, 100 at a time, with how many in all.
#[utoipa::path(get, path = "/api/v1/cycles/{name}/participants", tag = "cycles",
    params(("name" = String, Path, description = "The cycle"), ParticipantsQuery),
    responses((status = 200, description = "A page of participants", body = serde_json::Value), (status = 400, description = "A `skip` that is not a whole number from 0 to 2147483647", body = ErrorBody), (status = 404, description = "No such cycle", body = ErrorBody)))]
pub async fn participants(
    Acting(state): Acting,
    ApiPath(name): ApiPath<String>,
    ApiQuery(query): ApiQuery<ParticipantsQuery>,
) -> Result<Json, ApiError> {
    let skip = match query.skip.as_deref() {
        None => 0,
        Some(text) => {
            text.trim().parse::<u64>().ok().filter(|skip| *skip <= i32::MAX as u64).ok_or_else(
                || {
                    ApiError(crate::error::WebError::bad_request(
                        "skip",
                        format!(
                            "`{}` is not a whole number from 0 to {}",
                            rungs_core::text::excerpt(text),
                            i32::MAX
                        ),
                    ))
                },
            )?
        }
    };
    json(state.app.cycle_participants(&name, skip).await?)
}

/// How far a cycle's participants are: how many at each step, how many are late on a step
/// whose day has passed, and the managers with the most late reports.
#[utoipa::path(get, path = "/api/v1/cycles/{name}/progress", tag = "cycles",
    params(("name" = String, Path, description = "The cycle")),
    responses((status = 200, description = "The progress", body = serde_json::Value), (status = 404, description = "No such cycle", body = ErrorBody)))]
pub async fn progress(
    Acting(state): Acting,
    ApiPath(name): ApiPath<String>,
) -> Result<Json, ApiError> {
    json(state.app.cycle_progress(&name).await?.summary())
}

/// Closes a cycle; it becomes read-only.
#[utoipa::path(post, path = "/api/v1/cycles/{name}/close", tag = "cycles",
    params(("name" = String, Path, description = "The cycle")), request_body = Option<CycleClosing>,
    responses((status = 200, description = "The cycle", body = serde_json::Value), (status = 404, description = "No such cycle", body = ErrorBody), (status = 409, description = "Already closed, or drafts left and `abandon_drafts` not set", body = ErrorBody)))]
pub async fn close_cycle(
    Acting(state): Acting,
    ApiPath(name): ApiPath<String>,
    ApiJsonOrDefault(body): ApiJsonOrDefault<CycleClosing>,
) -> Result<Json, ApiError> {
    json(state.app.close_cycle(&name, body.abandon_drafts).await?)
}

/// What the signed-in person has to do, late first: the same list as the home page. An
/// account that is nobody in the org chart has none.
#[utoipa::path(get, path = "/api/v1/me/tasks", tag = "accounts",
    responses((status = 200, description = "The tasks", body = serde_json::Value), (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn my_tasks(Acting(state): Acting) -> Result<Json, ApiError> {
    let viewer = state.signed_in()?;
    let Some(me) = viewer.principal.person.clone() else {
        return json(serde_json::json!({ "person": null, "tasks": [] }));
    };
    let list = state.app.tasks_of(&me).await?;
    let names = state.app.names([&me]).await?;
    json(serde_json::json!({
        "person": { "id": me, "name": names.of(&me) },
        "tasks": list.entries(),
    }))
}
