//! The peer feedback page of a person: who is nominated in each open cycle and where each
//! stands, the form that nominates a colleague, a manager's approve and reject buttons; and a
//! peer's decline of the feedback asked of them, from their draft.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rungs_app::PeerNominations;
use rungs_core::access::Relation;
use rungs_core::assess::{AssessmentKind, NominationState, PeerFeedbackPolicy};
use rungs_core::org::PersonId;

use super::confirm::{ConfirmPage, is_confirmed};
use super::{Layout, encode, see_other};
use crate::auth::Acting;
use crate::error::{PageError, WebError};
use crate::state::WebState;

/// One nominated peer, as a row of the page.
#[derive(Debug, Clone)]
pub struct PeerRow {
    pub peer: String,
    pub name: String,
    pub state: String,
    pub proposed: bool,
    /// The viewer may withdraw it: their own proposal, or as an approver a live one.
    pub withdrawable: bool,
    pub reason: Option<String>,
}

/// One open cycle's nominations.
#[derive(Debug, Clone)]
pub struct CycleNominations {
    pub cycle: String,
    pub rows: Vec<PeerRow>,
    /// Proposed and approved: how many are asked.
    pub live: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "peers.html")]
pub struct PeersPage {
    pub layout: Layout,
    pub id: String,
    pub name: String,
    pub own_page: bool,
    /// A manager in the line, `hr` or `admin`: approves, and nominates without approval.
    pub approver: bool,
    pub policy: String,
    pub cycles: Vec<CycleNominations>,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// What the nominate form held when it was refused: (cycle, peer).
    pub entered: Option<(String, String)>,
}

impl PeersPage {
    /// What the nominate form of `cycle` shows: what was typed there when it was refused.
    pub fn entered_peer(&self, cycle: &str) -> &str {
        match &self.entered {
            Some((entered_cycle, peer)) if entered_cycle == cycle => peer,
            _ => "",
        }
    }
}

/// What the last action did, as a code and the peer it was done to: the page says it in its
/// own words (a link cannot put text of its own on the page).
#[derive(Debug, Default, serde::Deserialize)]
pub struct PeersQuery {
    #[serde(default)]
    pub done: Option<String>,
    #[serde(default)]
    pub peer: Option<String>,
}

/// The notice of `done` to `peer`, when the peer is among the nominations listed.
fn done_notice(lists: &[PeerNominations], query: &PeersQuery) -> Option<String> {
    if query.done.as_deref() == Some("withdrawn") {
        return Some("Withdrew the nomination; the colleague is no longer asked.".to_owned());
    }
    let peer = query.peer.as_deref()?;
    let entry = lists
        .iter()
        .flat_map(|list| &list.nominations)
        .find(|entry| entry.nomination.peer.as_str() == peer)?;
    let name = &entry.peer_name;
    Some(match query.done.as_deref()? {
        "proposed" => format!("Proposed {name}; a manager approves before they are asked."),
        "asked" => format!("Asked {name} for peer feedback; it is on their task list."),
        "approved" => format!("Approved {name}; the peer feedback is on their task list."),
        "rejected" => format!("Did not approve {name}; they are not asked."),
        _ => return None,
    })
}

/// The address of the peers page after `done` to `peer`.
fn done_address(id: &str, done: &str, peer: &PersonId) -> String {
    format!("/people/{}/peers?done={done}&peer={}", encode(id), encode(peer.as_str()))
}

/// What the person page says, to the person themselves, of each cycle whose peer feedback is
/// held back. No count: each submission would show as it came.
pub fn withheld_notes(withheld: &[rungs_core::assess::WithheldPeers]) -> Vec<String> {
    withheld
        .iter()
        .map(|held| {
            format!(
                "Peer feedback in {} is shown once {} peers have submitted.",
                held.cycle, held.needed
            )
        })
        .collect()
}

fn subject_id(id: &str) -> Result<PersonId, WebError> {
    PersonId::parse(id).map_err(|_| WebError::not_found(format!("there is no person `{id}`")))
}

async fn relation_of(state: &WebState, subject: &PersonId) -> Result<Relation, WebError> {
    let viewer = state.signed_in()?;
    Ok(state.app.relation(&viewer.principal, subject.as_str()).await?.unwrap_or_default())
}

/// The rows of one cycle. A decline's reason is for the manager who asked: the person
/// themselves sees that a peer declined, not why.
fn rows(list: &PeerNominations, own_page: bool, approver: bool) -> CycleNominations {
    CycleNominations {
        cycle: list.cycle.to_string(),
        live: list.nominations.iter().filter(|entry| entry.nomination.state.is_live()).count(),
        rows: list
            .nominations
            .iter()
            .map(|entry| PeerRow {
                peer: entry.nomination.peer.to_string(),
                name: entry.peer_name.clone(),
                state: entry.state_text.to_owned(),
                proposed: entry.nomination.state == NominationState::Proposed,
                withdrawable: match entry.nomination.state {
                    NominationState::Proposed => own_page || approver,
                    NominationState::Approved => approver,
                    NominationState::Rejected | NominationState::Declined => false,
                },
                reason: entry.nomination.reason.clone().filter(|_| !own_page),
            })
            .collect(),
    }
}

async fn page(
    state: &WebState,
    id: &str,
    error: Option<String>,
    done: &PeersQuery,
    entered: Option<(String, String)>,
) -> Result<PeersPage, WebError> {
    let subject = subject_id(id)?;
    let person = state.app.person(subject.as_str()).await?;
    let relation = relation_of(state, &subject).await?;
    let viewer = state.signed_in()?;
    let approver = relation.manages || viewer.principal.role.sees_everyone();
    let lists = state.app.open_peer_nominations(&subject).await?;
    let policy = state.app.current_framework().await?.peer_feedback();
    let policy = if relation.is_self {
        policy.describe()
    } else {
        match policy {
            PeerFeedbackPolicy::Anonymous => format!(
                "Peer feedback is anonymous to {}: they see it without names, once {} peers have submitted. You see who wrote what.",
                person.name,
                rungs_core::assess::MIN_ANONYMOUS_PEERS
            ),
            PeerFeedbackPolicy::Named => {
                format!("Peer feedback is named: {} sees who wrote each.", person.name)
            }
        }
    };
    Ok(PeersPage {
        layout: Layout::of(state),
        id: subject.to_string(),
        name: person.name,
        own_page: relation.is_self,
        approver,
        policy,
        cycles: lists.iter().map(|list| rows(list, relation.is_self, approver)).collect(),
        error,
        notice: done_notice(&lists, done),
        entered,
    })
}

pub async fn show(
    Acting(state): Acting,
    Path(id): Path<String>,
    Query(query): Query<PeersQuery>,
) -> Result<PeersPage, PageError> {
    Ok(page(&state, &id, None, &query, None).await?)
}

#[derive(Debug, serde::Deserialize)]
pub struct NominateForm {
    pub cycle: String,
    #[serde(default)]
    pub peer: String,
}

pub async fn nominate(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<NominateForm>,
) -> Result<Response, PageError> {
    let nominated = async {
        let subject = subject_id(&id)?;
        let relation = relation_of(&state, &subject).await?;
        let viewer = state.signed_in()?;
        if form.peer.trim().is_empty() {
            return Err(WebError::invalid("peer", "name the colleague: a name or an email"));
        }
        let nomination = state
            .app
            .nominate(&viewer.principal, relation, &form.cycle, &subject, &form.peer)
            .await?;
        let done = match nomination.state {
            NominationState::Proposed => "proposed",
            _ => "asked",
        };
        Ok::<String, WebError>(done_address(&id, done, &nomination.peer))
    }
    .await;
    match nominated {
        Ok(address) => Ok(see_other(&address)),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let refusal = error.refusal("Nobody was nominated.");
            let entered = Some((form.cycle, form.peer));
            let page = page(&state, &id, Some(refusal), &PeersQuery::default(), entered).await?;
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DecisionForm {
    pub cycle: String,
    pub peer: String,
    /// `approve` or `reject`.
    pub decision: String,
}

pub async fn decide(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let decided = async {
        let subject = subject_id(&id)?;
        let relation = relation_of(&state, &subject).await?;
        let viewer = state.signed_in()?;
        let approve = match form.decision.as_str() {
            "approve" => true,
            "reject" => false,
            other => {
                return Err(WebError::invalid(
                    "decision",
                    format!("`{}` is not approve or reject", rungs_core::text::excerpt(other)),
                ));
            }
        };
        let nomination = state
            .app
            .decide_nomination(
                &viewer.principal,
                relation,
                &form.cycle,
                &subject,
                &form.peer,
                approve,
            )
            .await?;
        let done = if approve { "approved" } else { "rejected" };
        Ok::<String, WebError>(done_address(&id, done, &nomination.peer))
    }
    .await;
    match decided {
        Ok(address) => Ok(see_other(&address)),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let refusal = Some(error.refusal("Nothing was changed."));
            let page = page(&state, &id, refusal, &PeersQuery::default(), None).await?;
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct WithdrawForm {
    pub cycle: String,
    pub peer: String,
    #[serde(default)]
    pub confirmed: Option<String>,
}

/// Withdraws a nomination: the page first says what will happen.
pub async fn withdraw(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, PageError> {
    let withdrawn = async {
        let subject = subject_id(&id)?;
        let relation = relation_of(&state, &subject).await?;
        let viewer = state.signed_in()?;
        if !is_confirmed(form.confirmed.as_deref()) {
            let list = state.app.peer_nominations(&form.cycle, &subject).await?;
            let entry = list
                .nominations
                .iter()
                .find(|entry| entry.nomination.peer.as_str() == form.peer)
                .ok_or_else(|| WebError::invalid("peer", "that colleague is not nominated"))?;
            let person = state.app.person(subject.as_str()).await?.name;
            let mut consequences =
                vec![format!("{} is no longer asked for feedback on {person} in {}.", entry.peer_name, form.cycle)];
            if entry.nomination.state == NominationState::Approved {
                consequences.push(
                    "Their draft, and any ratings and evidence in it, are removed; the task leaves their list."
                        .to_owned(),
                );
            }
            consequences.push("They may be nominated again later.".to_owned());
            let confirm = ConfirmPage::new(
                &state,
                format!("Withdraw the nomination of {}?", entry.peer_name),
                consequences,
                format!("/people/{}/peers/withdraw", encode(&id)),
                "Withdraw",
                format!("/people/{}/peers", encode(&id)),
            )
            .field("cycle", form.cycle.clone())
            .field("peer", form.peer.clone());
            return Ok(Some(confirm));
        }
        state
            .app
            .withdraw_nomination(&viewer.principal, relation, &form.cycle, &subject, &form.peer)
            .await?;
        Ok::<Option<ConfirmPage>, WebError>(None)
    }
    .await;
    match withdrawn {
        Ok(Some(confirm)) => Ok(confirm.into_response()),
        Ok(None) => Ok(see_other(&format!("/people/{}/peers?done=withdrawn", encode(&id)))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let refusal = Some(error.refusal("Nothing was withdrawn."));
            let page = page(&state, &id, refusal, &PeersQuery::default(), None).await?;
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub confirmed: Option<String>,
}

/// A peer declines the feedback asked of them: the page first says what will happen.
pub async fn decline(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, PageError> {
    let assessment_id = rungs_core::assess::AssessmentId::parse(&id)
        .ok_or_else(|| WebError::not_found(format!("there is no assessment `{id}`")))?;
    let assessment = state.app.stored_assessment(assessment_id).await?.assessment;
    let subject_name = state.app.person(assessment.subject.as_str()).await?.name;
    let declined = async {
        if assessment.kind != AssessmentKind::Peer {
            return Err(WebError::invalid(
                "reason",
                "only peer feedback is declined; a self or manager assessment is written",
            ));
        }
        let viewer = state.signed_in()?;
        if !is_confirmed(form.confirmed.as_deref()) {
            // Checked before asking: a missing or refused reason comes back on the draft.
            rungs_core::assess::check_decline_reason(&form.reason)
                .map_err(|error| WebError::invalid("reason", error.to_string()))?;
            return Ok(None);
        }
        state
            .app
            .decline_nomination(
                &viewer.principal,
                assessment.cycle.as_str(),
                &assessment.subject,
                &form.reason,
            )
            .await?;
        Ok::<Option<()>, WebError>(Some(()))
    }
    .await;
    match declined {
        Ok(Some(())) => {
            Ok(see_other(&format!("/?declined={}", encode(assessment.subject.as_str()))))
        }
        Ok(None) => {
            let confirm = ConfirmPage::new(
                &state,
                format!("Decline the peer feedback on {subject_name}?"),
                vec![
                    "Your draft, and any ratings and evidence in it, are removed.".to_owned(),
                    format!(
                        "Your reason goes to {subject_name}'s manager, who asked for the feedback: “{}”",
                        form.reason.trim()
                    ),
                    "This cannot be undone: you will not be asked again in this cycle.".to_owned(),
                ],
                format!("/assessments/{id}/decline"),
                "Decline",
                format!("/assessments/{id}"),
            )
            .field("reason", form.reason.clone());
            Ok(confirm.into_response())
        }
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let page = super::assessment::page_with_decline_reason(
                &state,
                assessment_id,
                error.refusal("Nothing was declined."),
                &form.reason,
            )
            .await?;
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}
