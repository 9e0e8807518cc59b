//! A person: who they are, readiness, history, team view, self versus manager, growth plan.

use jiff::civil::Date;
use rungs_core::assess::{ActionId, ActionStatus, AssessError};

use super::{ApiJson, ApiPath, ApiQuery, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A name or part of one, an email, or an id. Case is ignored in names.
    pub q: String,
}

/// People the caller may open whose name holds `q`, whose email or id is `q`: at most 20,
/// best first (the id, the whole name, the start of a word, then anywhere), with how many
/// matched in all.
#[utoipa::path(get, path = "/api/v1/people", tag = "people",
    params(SearchQuery),
    responses((status = 200, description = "`people` (id, name, level, team) and `total`", body = serde_json::Value), (status = 400, description = "No `q`", body = ErrorBody)))]
pub async fn search(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json, ApiError> {
    let principal = &state.signed_in()?.principal;
    json(
        state
            .app
            .find_people(
                principal,
                &query.q,
                rungs_app::SearchScope::Visible,
                rungs_app::FOUND_LISTED,
            )
            .await?,
    )
}

/// A person, their managers (nearest first) and their direct reports.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    responses((status = 200, description = "The person", body = serde_json::Value), (status = 404, description = "No such person", body = ErrorBody), (status = 422, description = "The person's level is not in the active framework", body = ErrorBody)))]
pub async fn show(Acting(state): Acting, ApiPath(id): ApiPath<String>) -> Result<Json, ApiError> {
    let standing = state.app.standing(&id, None).await?;
    json(PersonAnswer {
        person: &standing.person,
        managers: &standing.managers,
        direct_reports: &standing.reports,
        readiness: standing.readiness.as_ref().map(|readiness| ReadinessSummary {
            target: &readiness.target,
            verdict: readiness.verdict,
            met: readiness.met,
            total: readiness.total,
        }),
    })
}

/// The answer of [`show`], serialized straight from the standing it borrows.
#[derive(serde::Serialize)]
struct PersonAnswer<'standing> {
    person: &'standing rungs_core::org::Person,
    managers: &'standing [rungs_core::org::OrgMember],
    direct_reports: &'standing [rungs_core::org::OrgMember],
    readiness: Option<ReadinessSummary<'standing>>,
}

#[derive(serde::Serialize)]
struct ReadinessSummary<'standing> {
    target: &'standing rungs_core::LevelId,
    verdict: rungs_core::assess::Verdict,
    met: u32,
    total: u32,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// The level to check against; the next level in the person's track by default.
    pub target: Option<String>,
}

/// Readiness for a level, explained expectation by expectation.
#[utoipa::path(get, path = "/api/v1/people/{id}/readiness", tag = "people",
    params(("id" = String, Path, description = "The person's id"), TargetQuery),
    responses((status = 200, description = "The person and their readiness", body = serde_json::Value), (status = 404, description = "No such person or level; or no `target` named for a person at the top of their track", body = ErrorBody), (status = 422, description = "The person's level is not in the active framework", body = ErrorBody)))]
pub async fn readiness(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TargetQuery>,
) -> Result<Json, ApiError> {
    match state.app.readiness(&id, query.target.as_deref()).await {
        Ok(readiness) => json(readiness),
        // The default target is the next level; at the top of a track there is none, as for a
        // `target` that is no level: 404, in the API's words (the core's name the CLI's flag).
        Err(rungs_app::AppError::Rule(AssessError::NoNextLevel { level })) => {
            Err(ApiError(WebError::not_found(format!(
                "`{level}` is the top of its track, so there is no next level; name a `target`"
            ))))
        }
        Err(error) => Err(error.into()),
    }
}

/// Agreed ratings per dimension across cycles, and level changes.
#[utoipa::path(get, path = "/api/v1/people/{id}/history", tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    responses((status = 200, description = "The history", body = serde_json::Value), (status = 404, description = "No such person", body = ErrorBody)))]
pub async fn history(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
) -> Result<Json, ApiError> {
    json(state.app.history(&id).await?)
}

/// The weakest expectations across a manager's reporting line, how many are ready or close,
/// and one page of them (follow `next_page` with `after` for the next).
#[utoipa::path(get, path = "/api/v1/people/{id}/team", tag = "people",
    params(("id" = String, Path, description = "The manager's id"), TeamQuery),
    responses((status = 200, description = "The team view", body = serde_json::Value), (status = 400, description = "An `after` that is no page of this list, or a `limit` outside 1 to 500", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody)))]
pub async fn team(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TeamQuery>,
) -> Result<Json, ApiError> {
    // Both are query parameters: a malformed one is a bad request, as for any parameter.
    let bad_request = |error| match error {
        rungs_app::AppError::Invalid { field, message } => {
            ApiError(WebError::bad_request(&field, message))
        }
        other => ApiError::from(other),
    };
    let limit = match query.limit.as_deref() {
        None => None,
        Some(text) => Some(text.trim().parse::<usize>().map_err(|_| {
            bad_request(rungs_app::AppError::invalid(
                "limit",
                format!(
                    "`{}` is not a whole number from 1 to {}",
                    rungs_core::text::excerpt(text),
                    rungs_core::assess::CandidatePage::MAX_SIZE
                ),
            ))
        })?),
    };
    let page = rungs_app::candidate_page(query.after.as_deref(), limit).map_err(bad_request)?;
    json(state.app.team(&id, page).await?)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    /// Where the page of candidates starts: the `next_page` of the page before.
    #[param(max_length = 400, pattern = r"^((ready|close)~[^~]*~[\s\S]*)?$")]
    pub after: Option<String>,
    /// How many candidates a page lists (50 unless given).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CycleQuery {
    /// The cycle, such as `2026-H2`.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    pub cycle: String,
}

/// The latest submitted self and manager assessments of a cycle, side by side.
#[utoipa::path(get, path = "/api/v1/people/{id}/compare", tag = "people",
    params(("id" = String, Path, description = "The person's id"), CycleQuery),
    responses((status = 200, description = "Rows with both ratings, differences marked", body = serde_json::Value), (status = 404, description = "No such person, cycle or assessment", body = ErrorBody)))]
pub async fn side_by_side(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<CycleQuery>,
) -> Result<Json, ApiError> {
    json(state.app.side_by_side(&query.cycle, &id).await?)
}

/// A person's current growth plan and its progress.
#[utoipa::path(get, path = "/api/v1/people/{id}/plan", tag = "plans",
    params(("id" = String, Path, description = "The person's id")),
    responses((status = 200, description = "The plan and its progress", body = serde_json::Value), (status = 404, description = "No such person, or no plan", body = ErrorBody)))]
pub async fn plan(Acting(state): Acting, ApiPath(id): ApiPath<String>) -> Result<Json, ApiError> {
    match state.app.plan(&id).await? {
        Some((plan, progress)) => json(serde_json::json!({ "plan": plan, "progress": progress })),
        None => Err(ApiError(WebError::not_found(format!("`{id}` has no growth plan")))),
    }
}

/// A new growth plan.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    /// The level the plan works towards; the next level by default.
    pub target: Option<String>,
    /// Focus expectations of the target level; the largest gaps when empty.
    #[serde(default)]
    pub focus: Vec<String>,
    /// How many gaps to focus on when `focus` is empty (default 3).
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub gaps: Option<serde_json::Number>,
}

/// The largest `gaps` a plan takes.
const MAX_GAPS: u64 = 100;

/// A JSON number that is whole and not negative: `39`, or `39.0`, which JSON Schema counts as an
/// integer too.
fn whole(number: &serde_json::Number) -> Option<u64> {
    number.as_u64().or_else(|| {
        let float = number.as_f64()?;
        // Below 2^53 every whole float converts exactly; nothing above it is a valid `gaps`.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "in range")]
        (float.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&float))
            .then_some(float as u64)
    })
}

/// Starts a growth plan.
#[utoipa::path(post, path = "/api/v1/people/{id}/plan", tag = "plans",
    params(("id" = String, Path, description = "The person's id")), request_body = NewPlan,
    responses((status = 201, description = "The plan", body = serde_json::Value), (status = 422, description = "Invalid focus", body = ErrorBody)))]
pub async fn create_plan(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewPlan>,
) -> Result<(axum::http::StatusCode, Json), ApiError> {
    // Read as any JSON number, so that one out of range (or not whole) is refused by name
    // rather than as a body that does not parse.
    let gaps = match &body.gaps {
        None => 3,
        Some(number) => whole(number)
            .filter(|gaps| (1..=MAX_GAPS).contains(gaps))
            .and_then(|gaps| usize::try_from(gaps).ok())
            .ok_or_else(|| {
                ApiError(WebError::invalid(
                    "gaps",
                    format!("gaps is a whole number from 1 to {MAX_GAPS}"),
                ))
            })?,
    };
    let plan = state.app.create_plan(&id, body.target.as_deref(), &body.focus, gaps).await?;
    Ok((axum::http::StatusCode::CREATED, json(plan)?))
}

/// Focus expectations to add.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFocus {
    pub expectations: Vec<String>,
}

/// Adds focus expectations to a person's current plan.
#[utoipa::path(post, path = "/api/v1/people/{id}/plan/focus", tag = "plans",
    params(("id" = String, Path, description = "The person's id")), request_body = NewFocus,
    responses((status = 200, description = "The plan", body = serde_json::Value), (status = 422, description = "Not an expectation of the target", body = ErrorBody)))]
pub async fn add_focus(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewFocus>,
) -> Result<Json, ApiError> {
    json(state.app.add_focus(&id, &body.expectations).await?)
}

/// An action towards a focus expectation.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    pub expectation: String,
    pub text: String,
    /// The person who does it: their id, email, or a name only they have.
    pub owner: String,
    /// YYYY-MM-DD.
    #[schema(value_type = String, format = Date)]
    pub due: Date,
}

/// Adds an action to a person's current plan.
#[utoipa::path(post, path = "/api/v1/people/{id}/plan/actions", tag = "plans",
    params(("id" = String, Path, description = "The person's id")), request_body = NewAction,
    responses((status = 201, description = "The action", body = serde_json::Value), (status = 422, description = "Invalid action", body = ErrorBody)))]
pub async fn add_action(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewAction>,
) -> Result<(axum::http::StatusCode, Json), ApiError> {
    let owner = crate::auth::visible_person(&state, "owner", &body.owner).await?;
    let action = state.app.add_action(&id, &body.expectation, &body.text, &owner, body.due).await?;
    Ok((axum::http::StatusCode::CREATED, json(action)?))
}

/// A new status for an action.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStatus {
    /// `planned`, `in-progress`, `done` or `dropped`.
    #[schema(pattern = "^(planned|in-progress|done|dropped)$")]
    pub status: String,
}

/// Moves a growth-plan action to a new status.
#[utoipa::path(post, path = "/api/v1/actions/{id}/status", tag = "plans",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The action's id")), request_body = NewStatus,
    responses((status = 200, description = "Done", body = serde_json::Value), (status = 404, description = "No such action", body = ErrorBody), (status = 422, description = "Unknown status", body = ErrorBody)))]
pub async fn action_status(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewStatus>,
) -> Result<Json, ApiError> {
    let action = ActionId::parse(&id)
        .ok_or_else(|| ApiError(WebError::not_found(format!("there is no action `{id}`"))))?;
    let status = ActionStatus::parse(&body.status).ok_or_else(|| {
        ApiError(WebError::invalid(
            "status",
            format!("`{}` is not planned, in-progress, done or dropped", body.status),
        ))
    })?;
    state.app.set_action_status(action, status).await?;
    json(serde_json::json!({ "action": action, "status": status }))
}
