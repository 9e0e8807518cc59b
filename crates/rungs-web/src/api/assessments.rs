//! Assessments: create, rate, attach evidence, submit, revise and agree on them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use jiff::civil::Date;
use rungs_app::{EvidenceInput, NewAssessmentInput};
use rungs_core::assess::{AssessError, AssessmentId, AssessmentKind, CycleName, Unrated};
use rungs_core::org::PersonId;
use rungs_store::AssessmentFilter;

use super::{ApiJson, ApiJsonOrDefault, ApiPath, ApiQuery, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};

fn assessment_id(text: &str) -> Result<AssessmentId, ApiError> {
    AssessmentId::parse(text)
        .ok_or_else(|| ApiError(WebError::not_found(format!("there is no assessment `{text}`"))))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this cycle's; empty for every cycle.
    #[param(pattern = r"^([A-Za-z0-9][A-Za-z0-9._-]{0,39})?$")]
    pub cycle: Option<String>,
    /// Only assessments of this person; empty for everyone's.
    #[param(pattern = r"^[^\s\x00-\x1f\x7f-\x9f]{0,128}$")]
    pub subject: Option<String>,
    /// Only assessments this person writes; empty for everyone's.
    #[param(pattern = r"^[^\s\x00-\x1f\x7f-\x9f]{0,128}$")]
    pub assessor: Option<String>,
}

/// Assessments, oldest cycle first.
#[utoipa::path(get, path = "/api/v1/assessments", tag = "assessments", params(ListQuery),
    responses((status = 200, description = "The assessments", body = serde_json::Value), (status = 422, description = "A malformed filter", body = ErrorBody)))]
pub async fn list(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json, ApiError> {
    // An empty filter is no filter, as in the page's form.
    let given = |text: Option<String>| text.filter(|text| !text.trim().is_empty());
    let person = |field: &str, text: Option<String>| -> Result<Option<PersonId>, ApiError> {
        given(text)
            .map(|text| {
                PersonId::parse(&text)
                    .map_err(|error| ApiError(WebError::invalid(field, error.to_string())))
            })
            .transpose()
    };
    let filter = AssessmentFilter {
        cycle: given(query.cycle)
            .map(|name| {
                CycleName::parse(&name)
                    .map_err(|error| ApiError(WebError::invalid("cycle", error.to_string())))
            })
            .transpose()?,
        subject: person("subject", query.subject)?,
        assessor: person("assessor", query.assessor)?,
        ..AssessmentFilter::default()
    };
    let principal = state.viewer.as_deref().map(|viewer| &viewer.principal);
    // The caller's own anonymous peers: someone in hr reads their own like anyone else.
    let mine = match principal.and_then(|principal| principal.person.as_ref()) {
        Some(me) => Some((me.clone(), state.app.anonymous_peers_for(me).await?)),
        None => None,
    };
    let anonymous = |assessment: &rungs_core::assess::Assessment| {
        assessment.kind == AssessmentKind::Peer
            && mine.as_ref().is_some_and(|(me, peers)| {
                &assessment.subject == me && peers.includes(&assessment.cycle, &assessment.assessor)
            })
    };
    let visible: Vec<_> = state
        .app
        .assessments(&filter)
        .await?
        .into_iter()
        .filter(|assessment| {
            crate::auth::may_read_assessment(
                principal,
                Default::default(),
                assessment,
                anonymous(assessment),
            )
        })
        .collect();
    json(visible)
}

/// A new assessment of the person in the path.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessment {
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    pub cycle: String,
    /// `self`, `manager` or `peer`.
    #[schema(pattern = "^(self|manager|peer)$")]
    pub kind: String,
    /// For a peer assessment, the colleague asked to write it: their id, email, or a name
    /// only they have. Otherwise the caller writes it.
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]{0,200}$")]
    pub assessor: Option<String>,
    /// The level to assess against besides the current one; the next level by default.
    pub target: Option<String>,
}

/// Starts a draft assessment of a person, pinned to the active framework version. The
/// caller writes self and manager assessments themselves; a manager (or `hr`) asks a
/// colleague for a peer assessment by naming them as `assessor`.
#[utoipa::path(post, path = "/api/v1/people/{id}/assessments", tag = "assessments", request_body = NewAssessment,
    params(("id" = String, Path, description = "The subject's person id")),
    responses((status = 201, description = "The assessment", body = serde_json::Value), (status = 403, description = "The caller may not write this kind", body = ErrorBody), (status = 404, description = "No such cycle or person", body = ErrorBody), (status = 409, description = "The cycle is closed", body = ErrorBody), (status = 422, description = "Not allowed by the assessment rules", body = ErrorBody)))]
pub async fn create(
    Acting(state): Acting,
    ApiPath(subject): ApiPath<String>,
    ApiJson(body): ApiJson<NewAssessment>,
) -> Result<(StatusCode, Json), ApiError> {
    let kind = AssessmentKind::parse(&body.kind).ok_or_else(|| {
        ApiError(WebError::invalid("kind", format!("`{}` is not self, manager or peer", body.kind)))
    })?;
    let assessor =
        crate::auth::assessor_for_viewer(&state, &subject, kind, body.assessor.as_deref()).await?;
    let created = state
        .app
        .create_assessment(NewAssessmentInput {
            cycle: body.cycle,
            subject,
            assessor,
            kind,
            target: body.target,
        })
        .await?;
    Ok((StatusCode::CREATED, json(created)?))
}

/// An assessment by level and dimension, with expectations changed since flagged.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The assessment's id")),
    responses((status = 200, description = "The assessment", body = serde_json::Value), (status = 404, description = "No such assessment", body = ErrorBody)))]
pub async fn show(Acting(state): Acting, ApiPath(id): ApiPath<String>) -> Result<Json, ApiError> {
    json(state.app.assessment_view(assessment_id(&id)?).await?)
}

/// Ratings by expectation id, such as `{"ratings": {"em.leadership.lead-small-team": "meets"}}`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ratings {
    pub ratings: BTreeMap<String, String>,
}

/// Rates expectations of a draft, all or none.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/ratings", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The assessment's id")), request_body = Ratings,
    responses((status = 200, description = "The assessment", body = serde_json::Value), (status = 409, description = "Submitted, or the cycle is closed", body = ErrorBody), (status = 422, description = "An expectation or label that is not allowed", body = ErrorBody)))]
pub async fn rate(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Ratings>,
) -> Result<Json, ApiError> {
    let ratings: Vec<(String, String)> = body.ratings.into_iter().collect();
    json(state.app.rate(assessment_id(&id)?, &ratings).await?)
}

/// Evidence for an expectation.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvidence {
    pub expectation: String,
    pub text: String,
    pub link: Option<String>,
    /// YYYY-MM-DD; today by default.
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
}

/// Attaches evidence to an expectation of a draft.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/evidence", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The assessment's id")), request_body = NewEvidence,
    responses((status = 200, description = "The assessment", body = serde_json::Value), (status = 409, description = "Submitted, or the cycle is closed", body = ErrorBody), (status = 422, description = "Invalid evidence", body = ErrorBody)))]
pub async fn evidence(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewEvidence>,
) -> Result<Json, ApiError> {
    let input = EvidenceInput {
        expectation: body.expectation,
        text: body.text,
        link: body.link,
        date: body.date,
    };
    json(state.app.save_draft(assessment_id(&id)?, &[], &[input], None).await?)
}

/// What a submission does with expectations left unrated.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// `"not-observed"` marks every expectation left unrated not observed (readiness counts
    /// it as not met); without it, a submission that leaves any unrated is refused with 422
    /// and names them.
    pub unrated: Option<String>,
}

/// Submits a draft; it can no longer change.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/submit", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The assessment's id")), request_body = Option<Submission>,
    responses((status = 200, description = "The assessment", body = serde_json::Value), (status = 409, description = "Already submitted, or the cycle is closed", body = ErrorBody), (status = 422, description = "Nothing rated; expectations left unrated without `unrated`; or an `unrated` other than `not-observed`", body = ErrorBody)))]
pub async fn submit(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJsonOrDefault(body): ApiJsonOrDefault<Submission>,
) -> Result<Json, ApiError> {
    let unrated = match body.unrated.as_deref() {
        None => Unrated::Refuse,
        Some(rungs_core::RatingScale::NOT_OBSERVED) => Unrated::NotObserved,
        Some(other) => {
            return Err(ApiError(WebError::invalid(
                "unrated",
                format!(
                    "`{other}` is not what to do with unrated expectations; the one choice is \"not-observed\""
                ),
            )));
        }
    };
    json(state.app.submit(assessment_id(&id)?, unrated).await?)
}

/// Starts a correction of a submitted assessment: a new draft revision; the old one is kept.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/revise", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The assessment's id")),
    responses((status = 201, description = "The new revision", body = serde_json::Value), (status = 409, description = "Already revised, or the cycle is closed", body = ErrorBody), (status = 422, description = "Still a draft", body = ErrorBody)))]
pub async fn revise(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json), ApiError> {
    Ok((StatusCode::CREATED, json(state.app.revise(assessment_id(&id)?).await?)?))
}

/// Agreed ratings by expectation id; empty to agree with every rating of the manager.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    #[serde(default)]
    pub ratings: BTreeMap<String, String>,
    /// Why a rating is agreed differently from the manager's, by expectation id: required
    /// for each such rating (422 names the first without one).
    #[serde(default)]
    pub rationales: BTreeMap<String, String>,
    /// Change ratings already agreed in the cycle; without it, such an agreement is refused
    /// with 409 and lists what it would change.
    #[serde(default)]
    pub replace: bool,
}

/// Records agreed ratings on a submitted manager assessment.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/agree", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The assessment's id")), request_body = Agreement,
    responses((status = 200, description = "How many were recorded", body = serde_json::Value), (status = 409, description = "Revised, the cycle is closed, or it would change agreed ratings without `replace`", body = ErrorBody), (status = 422, description = "Not a manager assessment; ratings not on the scale or not in the assessment; a rating agreed differently from the manager's without a rationale, or a rationale of an expectation the agreement does not rate", body = ErrorBody)))]
pub async fn agree(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Agreement>,
) -> Result<Json, ApiError> {
    let request = rungs_app::AgreementRequest {
        ratings: body.ratings.into_iter().collect(),
        rationales: body.rationales.into_iter().collect(),
        replace: body.replace,
    };
    let agreed = match state.app.agree(assessment_id(&id)?, &request).await {
        Err(rungs_app::AppError::Rule(AssessError::ReplacingAgreed(refusal))) => {
            return Err(ApiError(WebError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{refusal}. Send \"replace\": true to change {}", refusal.pronoun()),
            )));
        }
        agreed => agreed?,
    };
    json(serde_json::json!({ "agreed": agreed }))
}
