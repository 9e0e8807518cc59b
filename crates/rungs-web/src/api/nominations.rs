//! Peer nominations over the API: a person's nominations, nominating a colleague, a manager's
//! decision on a proposal, and a peer declining the feedback asked of them.

use rungs_core::org::PersonId;

use super::{ApiJson, ApiPath, ApiQuery, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::state::WebState;

fn person_id(id: &str) -> Result<PersonId, ApiError> {
    PersonId::parse(id)
        .map_err(|_| ApiError(WebError::not_found(format!("there is no person `{id}`"))))
}

/// The viewer, and how they stand to `subject` (the guard let them through to it).
async fn viewer_and_relation(
    state: &WebState,
    subject: &PersonId,
) -> Result<(rungs_core::access::Principal, rungs_core::access::Relation), ApiError> {
    let viewer = state.signed_in()?;
    let relation =
        state.app.relation(&viewer.principal, subject.as_str()).await?.unwrap_or_default();
    Ok((viewer.principal.clone(), relation))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NominationsQuery {
    /// One cycle, open or closed; every open cycle by default.
    pub cycle: Option<String>,
}

/// The person's peer nominations, one list per cycle: each peer by id and name, its state
/// (`proposed`, `approved`, `rejected`, `declined`), who nominated and decided, and a
/// decline's reason (not shown to the person themselves); with the framework's peer feedback
/// policy (`anonymous` or `named`).
#[utoipa::path(get, path = "/api/v1/people/{id}/nominations", tag = "assessments",
    params(("id" = String, Path, description = "The person's id"), NominationsQuery),
    responses((status = 200, description = "The nominations, one list per cycle", body = serde_json::Value), (status = 404, description = "No such person or cycle", body = ErrorBody)))]
pub async fn list(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<NominationsQuery>,
) -> Result<Json, ApiError> {
    let subject = person_id(&id)?;
    let mut lists = match query.cycle.as_deref().map(str::trim).filter(|cycle| !cycle.is_empty()) {
        Some(cycle) => vec![state.app.peer_nominations(cycle, &subject).await?],
        None => state.app.open_peer_nominations(&subject).await?,
    };
    // A decline's reason is for the manager who asked: the person sees that a peer declined.
    let viewer = state.signed_in()?;
    if viewer.principal.person.as_ref() == Some(&subject) {
        for entry in lists.iter_mut().flat_map(|list| list.nominations.iter_mut()) {
            entry.nomination.reason = None;
        }
    }
    json(lists)
}

/// A colleague to nominate.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNomination {
    /// The open cycle the feedback is for.
    pub cycle: String,
    /// The colleague: a name, an email or an id.
    pub peer: String,
}

/// Nominates a colleague for peer feedback on the person. The person's own nomination is
/// `proposed` until a manager approves it; a manager's (or `hr`'s) is `approved` at once and
/// gives the peer a draft to write, and approves the person's proposal of the same peer.
#[utoipa::path(post, path = "/api/v1/people/{id}/nominations", tag = "assessments",
    params(("id" = String, Path, description = "The person the feedback is about")), request_body = NewNomination,
    responses((status = 201, description = "The nomination", body = serde_json::Value), (status = 403, description = "Only the person, a manager in their line or hr nominates", body = ErrorBody), (status = 404, description = "No such person, peer or cycle", body = ErrorBody), (status = 409, description = "The peer is already nominated, or declined", body = ErrorBody), (status = 422, description = "The peer is the person, in their management chain, or has left; too many peers; or the cycle's stage allows no peer feedback", body = ErrorBody)))]
pub async fn nominate(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewNomination>,
) -> Result<(axum::http::StatusCode, Json), ApiError> {
    let subject = person_id(&id)?;
    let (principal, relation) = viewer_and_relation(&state, &subject).await?;
    let nomination =
        state.app.nominate(&principal, relation, &body.cycle, &subject, &body.peer).await?;
    Ok((axum::http::StatusCode::CREATED, json(nomination)?))
}

/// A manager's decision on a peer the person proposed.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominationDecision {
    pub cycle: String,
    /// The proposed colleague: a name, an email or an id.
    pub peer: String,
    /// `true` approves (the peer gets a draft to write), `false` rejects.
    pub approve: bool,
}

/// Approves or rejects a peer the person proposed: for a manager in their line, or `hr`.
#[utoipa::path(post, path = "/api/v1/people/{id}/nominations/decision", tag = "assessments",
    params(("id" = String, Path, description = "The person the feedback is about")), request_body = NominationDecision,
    responses((status = 200, description = "The nomination as decided", body = serde_json::Value), (status = 403, description = "Only a manager in the person's line or hr decides", body = ErrorBody), (status = 404, description = "No such person, peer or cycle", body = ErrorBody), (status = 409, description = "The nomination is not a proposal", body = ErrorBody), (status = 422, description = "The peer is not nominated, or the cycle's stage allows no peer feedback", body = ErrorBody)))]
pub async fn decide(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NominationDecision>,
) -> Result<Json, ApiError> {
    let subject = person_id(&id)?;
    let (principal, relation) = viewer_and_relation(&state, &subject).await?;
    json(
        state
            .app
            .decide_nomination(
                &principal,
                relation,
                &body.cycle,
                &subject,
                &body.peer,
                body.approve,
            )
            .await?,
    )
}

/// A nomination to withdraw.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub cycle: String,
    /// The nominated colleague: a name, an email or an id.
    pub peer: String,
}

/// Withdraws a nomination: the person their own proposal; a manager in their line or `hr` a
/// proposal or an approved nomination not yet submitted, whose draft (with anything written
/// in it) is removed. The colleague may be nominated again.
#[utoipa::path(post, path = "/api/v1/people/{id}/nominations/withdrawal", tag = "assessments",
    params(("id" = String, Path, description = "The person the feedback is about")), request_body = Withdrawal,
    responses((status = 200, description = "The nomination as it was", body = serde_json::Value), (status = 403, description = "The person may withdraw only their own proposal", body = ErrorBody), (status = 404, description = "No such person, peer or cycle", body = ErrorBody), (status = 409, description = "Already submitted, declined or not approved", body = ErrorBody), (status = 422, description = "The peer is not nominated", body = ErrorBody)))]
pub async fn withdraw(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Withdrawal>,
) -> Result<Json, ApiError> {
    let subject = person_id(&id)?;
    let (principal, relation) = viewer_and_relation(&state, &subject).await?;
    json(
        state
            .app
            .withdraw_nomination(&principal, relation, &body.cycle, &subject, &body.peer)
            .await?,
    )
}

/// Why a peer declines.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    /// Plain text, 1 to 500 characters; the manager who asked reads it.
    pub reason: String,
}

/// The peer, author of the peer draft `{id}`, declines to give the feedback: the nomination
/// becomes `declined` with the reason, and the draft (with anything written in it) is removed.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/decline", tag = "assessments",
    params(("id" = i64, Path, minimum = 1, maximum = 9223372036854775807_i64, description = "The peer draft's id")), request_body = Decline,
    responses((status = 200, description = "The declined nomination", body = serde_json::Value), (status = 409, description = "Already submitted, or not an approved nomination", body = ErrorBody), (status = 422, description = "Not a peer draft, or a missing, too long or control-character reason", body = ErrorBody)))]
pub async fn decline(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Decline>,
) -> Result<Json, ApiError> {
    let viewer = state.signed_in()?;
    let assessment_id = rungs_core::assess::AssessmentId::parse(&id)
        .ok_or_else(|| ApiError(WebError::not_found(format!("there is no assessment `{id}`"))))?;
    let assessment = state.app.stored_assessment(assessment_id).await?.assessment;
    if assessment.kind != rungs_core::assess::AssessmentKind::Peer {
        return Err(ApiError(WebError::invalid(
            "id",
            format!(
                "assessment {id} is a {} assessment; only peer feedback is declined",
                assessment.kind
            ),
        )));
    }
    json(
        state
            .app
            .decline_nomination(
                &viewer.principal,
                assessment.cycle.as_str(),
                &assessment.subject,
                &body.reason,
            )
            .await?,
    )
}
