//! Assessments: the form (every expectation of the current and target level, a rating and
//! evidence each, save as draft or submit), the read-only view with later framework changes
//! flagged, agreeing on a manager assessment, and self versus manager side by side.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rungs_app::{EvidenceInput, NewAssessmentInput};
use rungs_core::RatingScale;
use rungs_core::assess::{
    AssessmentId, AssessmentKind, AssessmentStatus, ExpectationFlag, Unrated,
};

use super::{Layout, encode, see_other};
use crate::auth::Acting;
use crate::error::{PageError, WebError};
use crate::state::WebState;

fn assessment_id(text: &str) -> Result<AssessmentId, WebError> {
    AssessmentId::parse(text)
        .ok_or_else(|| WebError::not_found(format!("there is no assessment `{text}`")))
}

pub struct EvidenceView {
    pub text: String,
    pub link: Option<String>,
    pub date: String,
}

pub struct RowView {
    pub id: String,
    pub text: String,
    pub rating: String,
    /// What the agreement select shows: what was typed into it, else the rating agreed
    /// before, else the manager's rating.
    pub agreeing: String,
    /// The rating agreed before in this cycle, if any.
    pub agreed: Option<String>,
    /// What the rationale field shows: what was typed into it, else the rationale agreed
    /// before.
    pub rationale: String,
    /// Why the rating agreed before differs from the manager's, if it does.
    pub agreed_rationale: Option<String>,
    /// The manager's own rating, which an agreed rating that differs from needs a reason.
    pub manager_rating: String,
    pub flag: Option<String>,
    pub evidence: Vec<EvidenceView>,
    pub new_evidence: String,
    pub new_link: String,
    pub new_date: String,
}

pub struct SectionView {
    pub heading: String,
    pub rows: Vec<RowView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "assessment.html")]
pub struct AssessmentPage {
    pub layout: Layout,
    pub id: i64,
    pub headline: String,
    pub subject: String,
    pub subject_name: String,
    pub cycle: String,
    pub framework: String,
    pub editable: bool,
    pub agreeable: bool,
    pub flagged: u32,
    pub rated: u32,
    pub total: usize,
    pub sections: Vec<SectionView>,
    pub scale: Vec<String>,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// The agreement would change ratings agreed before: the form offers to replace them.
    pub confirm_replace: bool,
    /// The viewer may start a correction of this submitted assessment.
    pub revisable: bool,
    /// The draft was saved and the viewer asked to submit it: the page asks to confirm, and
    /// says what is not rated.
    pub confirm_submit: Option<String>,
    /// With `confirm_submit`: the texts of the expectations left unrated, which confirming
    /// marks not observed.
    pub unrated: Vec<String>,
    /// The viewer is the peer asked for this feedback, not yet submitted: they may decline.
    pub declinable: bool,
    /// The reason to decline as typed, when declining was refused.
    pub decline_reason: String,
    /// The viewer may open the subject's page (a peer may not): the page links to it.
    pub subject_link: bool,
}

/// The assessment page after a refused decline, with the reason as it was typed.
pub async fn page_with_decline_reason(
    state: &WebState,
    id: AssessmentId,
    error: String,
    reason: &str,
) -> Result<AssessmentPage, WebError> {
    let entered = HashMap::from([("decline-reason".to_owned(), reason.to_owned())]);
    page(state, id, Some(error), &entered, None).await
}

/// The assessment page; `entered` (form values) override what is stored, so that a refused
/// form comes back as the user filled it in.
async fn page(
    state: &WebState,
    id: AssessmentId,
    error: Option<String>,
    entered: &HashMap<String, String>,
    notice: Option<String>,
) -> Result<AssessmentPage, WebError> {
    let view = state.app.assessment_view(id).await?;
    let assessment = &view.assessment;
    let cycle = state.app.cycle(assessment.cycle.as_str()).await?;
    let framework = state.app.current_framework().await?;
    let editable = assessment.status == AssessmentStatus::Draft && cycle.is_open();
    let names = state.app.current_org().await?.names([&assessment.subject, &assessment.assessor]);
    let agreeable = assessment.check_agreeable(&cycle).is_ok();
    let agreed = if agreeable { state.app.agreed_in_cycle(assessment).await? } else { Vec::new() };
    let viewer = state.viewer.as_deref().and_then(|viewer| viewer.principal.person.as_ref());
    let revisable = viewer == Some(&assessment.assessor)
        && assessment.superseded_by.is_none()
        && assessment.check_revise(&cycle).is_ok();
    let declinable = editable
        && assessment.kind == AssessmentKind::Peer
        && viewer == Some(&assessment.assessor)
        && assessment.revises.is_none();
    let subject_link = match state.viewer.as_deref() {
        Some(signed_in) => {
            let facts = state
                .app
                .facts(&signed_in.principal, rungs_app::Target::Person(assessment.subject.as_str()))
                .await?;
            rungs_core::access::decide(
                Some(&signed_in.principal),
                rungs_core::access::Rule::Person,
                facts,
            ) == rungs_core::access::Decision::Allow
        }
        None => false,
    };
    let mut sections: Vec<SectionView> = Vec::new();
    for row in &view.rows {
        let level_title = framework
            .level(row.level.as_str())
            .map_or(row.level.to_string(), |level| level.title.clone());
        let heading = format!("{level_title}: {}", row.dimension_name);
        if sections.last().is_none_or(|section| section.heading != heading) {
            sections.push(SectionView { heading, rows: Vec::new() });
        }
        let key = |prefix: &str| entered.get(&format!("{prefix}:{}", row.expectation)).cloned();
        let flag = match &row.flag {
            ExpectationFlag::Unchanged => None,
            ExpectationFlag::Reworded { now } => Some(format!("Reworded since; now: {now}")),
            ExpectationFlag::Moved { now_at } => Some(format!("Now an expectation of {now_at}")),
            ExpectationFlag::Removed => Some("No longer in the framework".to_owned()),
        };
        if let Some(section) = sections.last_mut() {
            let agreement = agreed.iter().find(|agreed| agreed.expectation == row.expectation);
            let agreed = agreement.map(|agreed| agreed.rating.clone());
            let agreed_rationale = agreement.and_then(|agreed| agreed.rationale.clone());
            let manager_rating = row.rating.clone().unwrap_or_default();
            section.rows.push(RowView {
                id: row.expectation.to_string(),
                text: row.text.clone(),
                agreeing: key("agree")
                    .or_else(|| agreed.clone())
                    .unwrap_or_else(|| manager_rating.clone()),
                agreed,
                // The reason agreed before is shown beside the field, not put in it: a field
                // left empty keeps it while the rating stays (see `App::agree`).
                rationale: key("rationale").unwrap_or_default(),
                agreed_rationale,
                manager_rating: manager_rating.clone(),
                rating: key("rating").unwrap_or(manager_rating),
                flag,
                evidence: row
                    .evidence
                    .iter()
                    .map(|evidence| EvidenceView {
                        text: evidence.text.clone(),
                        link: evidence.link.clone(),
                        date: evidence.date.to_string(),
                    })
                    .collect(),
                new_evidence: key("evidence").unwrap_or_default(),
                new_link: key("link").unwrap_or_default(),
                new_date: key("date").unwrap_or_default(),
            });
        }
    }
    Ok(AssessmentPage {
        layout: Layout::of(state),
        id: assessment.id.get(),
        headline: format!(
            "{} assessment of {} by {} in {}",
            assessment.kind.title(),
            names.of(&assessment.subject),
            names.of(&assessment.assessor),
            assessment.cycle
        ),
        subject: assessment.subject.to_string(),
        subject_name: names.of(&assessment.subject).to_owned(),
        cycle: assessment.cycle.to_string(),
        framework: format!("{} (current: {})", assessment.framework, view.current_framework),
        editable,
        agreeable,
        flagged: view.flagged,
        rated: view.rated,
        total: view.rows.len(),
        sections,
        scale: framework
            .rating_scale()
            .labels
            .iter()
            .cloned()
            .chain([RatingScale::NOT_OBSERVED.to_owned()])
            .collect(),
        error,
        confirm_replace: false,
        revisable,
        confirm_submit: None,
        unrated: Vec::new(),
        declinable,
        decline_reason: entered.get("decline-reason").cloned().unwrap_or_default(),
        subject_link,
        notice: notice.or_else(|| match (assessment.status, assessment.superseded_by) {
            (_, Some(by)) => {
                Some(format!("Corrected by assessment {by}; this revision is kept as it was."))
            }
            (AssessmentStatus::Submitted, None) => Some(format!(
                "Submitted{}; it can no longer change.",
                assessment
                    .submitted_at
                    .map(|at| format!(" on {}", at.strftime("%Y-%m-%d")))
                    .unwrap_or_default()
            )),
            (AssessmentStatus::Draft, None) if !cycle.is_open() => {
                Some(
                    "Abandoned: the cycle closed before this draft was submitted. It stays readable, and never counts."
                        .to_owned(),
                )
            }
            _ => None,
        }),
    })
}

pub async fn show(
    Acting(state): Acting,
    Path(id): Path<String>,
) -> Result<AssessmentPage, PageError> {
    Ok(page(&state, assessment_id(&id)?, None, &HashMap::new(), None).await?)
}

/// What a filled-in assessment form asks for.
struct DraftForm {
    ratings: Vec<(String, String)>,
    evidence: Vec<EvidenceInput>,
    /// Submit too, doing with what is left unrated what the confirmation said.
    submit: Option<Unrated>,
}

/// The form's fields: `rating:EXP`, `evidence:EXP`, `link:EXP`, `date:EXP`, and `action`.
fn parse_form(fields: &[(String, String)]) -> Result<DraftForm, WebError> {
    let mut ratings = Vec::new();
    let mut evidence: Vec<EvidenceInput> = Vec::new();
    let value = |name: &str| {
        fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.trim().to_owned())
    };
    for (key, field) in fields {
        let field = field.trim();
        if let Some(expectation) = key.strip_prefix("rating:") {
            if !field.is_empty() {
                ratings.push((expectation.to_owned(), field.to_owned()));
            }
        } else if let Some(expectation) = key.strip_prefix("evidence:")
            && !field.is_empty()
        {
            let date = match value(&format!("date:{expectation}")).filter(|date| !date.is_empty()) {
                Some(text) => Some(text.parse().map_err(|_| {
                    WebError::invalid(
                        &format!("date:{expectation}"),
                        format!("`{text}` is not a date such as 2026-09-14"),
                    )
                })?),
                None => None,
            };
            evidence.push(EvidenceInput {
                expectation: expectation.to_owned(),
                text: field.to_owned(),
                link: value(&format!("link:{expectation}")).filter(|link| !link.is_empty()),
                date,
            });
        }
    }
    // "submit" only saves and asks to confirm (see `save`); "confirm-submit" submits.
    let submit = (value("action").as_deref() == Some("confirm-submit")).then(|| {
        match value("unrated").as_deref() {
            Some(RatingScale::NOT_OBSERVED) => Unrated::NotObserved,
            _ => Unrated::Refuse,
        }
    });
    Ok(DraftForm { ratings, evidence, submit })
}

/// The form's Submit button was pressed, not yet confirmed.
fn asks_to_submit(fields: &[(String, String)]) -> bool {
    fields.iter().any(|(key, value)| key == "action" && value.trim() == "submit")
}

/// Starts a correction of a submitted assessment and opens it.
pub async fn revise(Acting(state): Acting, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = assessment_id(&id)?;
    match state.app.revise(id).await {
        Ok(revision) => Ok(see_other(&format!("/assessments/{}", revision.id))),
        Err(error) => {
            let error = WebError::from(error);
            if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND {
                let page = page(
                    &state,
                    id,
                    Some(error.refusal("Nothing was changed.")),
                    &HashMap::new(),
                    None,
                )
                .await?;
                Ok((error.status, page).into_response())
            } else {
                Err(PageError(error))
            }
        }
    }
}

pub async fn save(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = assessment_id(&id)?;
    let saved = match parse_form(&fields) {
        Ok(form) => state
            .app
            .save_draft(id, &form.ratings, &form.evidence, form.submit)
            .await
            .map_err(WebError::from),
        Err(error) => Err(error),
    };
    match saved {
        Ok(_) if asks_to_submit(&fields) => {
            // Saved as a draft: submitting cannot be undone, so the page asks first.
            let mut page = page(&state, id, None, &HashMap::new(), None).await?;
            let unrated = state.app.unrated(id).await?;
            page.confirm_submit = Some(format!(
                "Your ratings are saved as a draft. Submit now? {} of {} expectations are rated{}. A submitted assessment can no longer change; a correction is a new revision.",
                page.total - unrated.len(),
                page.total,
                match unrated.len() {
                    0 => String::new(),
                    1 => "; submitting marks the 1 left unrated “not observed”, which readiness counts as not met".to_owned(),
                    count => format!("; submitting marks the {count} left unrated “not observed”, which readiness counts as not met"),
                }
            ));
            page.unrated = unrated.into_iter().map(|expectation| expectation.text).collect();
            page.notice = None;
            Ok(page.into_response())
        }
        Ok(_) => Ok(see_other(&format!("/assessments/{id}"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let entered: HashMap<String, String> = fields.into_iter().collect();
            let page =
                page(&state, id, Some(error.refusal("Nothing was saved.")), &entered, None).await?;
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}

pub async fn agree(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = assessment_id(&id)?;
    let ratings: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(key, value)| {
            Some((key.strip_prefix("agree:")?.to_owned(), value.trim().to_owned()))
        })
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let rationales: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(key, value)| {
            Some((key.strip_prefix("rationale:")?.to_owned(), value.clone()))
        })
        .filter(|(expectation, value)| {
            !value.trim().is_empty() && ratings.iter().any(|(rated, _)| rated == expectation)
        })
        .collect();
    let replace = fields.iter().any(|(key, value)| key == "replace" && value == "yes");
    let request_replace = replace;
    let request = rungs_app::AgreementRequest { ratings, rationales, replace };
    match state.app.agree(id, &request).await {
        Ok(count) => Ok(page(
            &state,
            id,
            None,
            &HashMap::new(),
            Some(format!("Recorded {count} agreed ratings.")),
        )
        .await?
        .into_response()),
        Err(error) => {
            let replacing = matches!(
                &error,
                rungs_app::AppError::Rule(rungs_core::assess::AssessError::ReplacingAgreed(_))
            );
            let error = WebError::from(error);
            if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND {
                let entered: HashMap<String, String> = fields.into_iter().collect();
                let message = if replacing {
                    format!(
                        "{}. To change them, press “Replace the agreed ratings”.",
                        error.message
                    )
                } else {
                    format!("{}. Nothing was saved.", error.message)
                };
                let mut page = page(&state, id, Some(message), &entered, None).await?;
                // A replace already asked for stays asked for when something else is refused.
                page.confirm_replace = replacing || request_replace;
                Ok((error.status, page).into_response())
            } else {
                Err(PageError(error))
            }
        }
    }
}

/// The viewer's person id, or nothing.
fn viewer_person(state: &WebState) -> &str {
    state
        .viewer
        .as_deref()
        .and_then(|viewer| viewer.principal.person.as_ref())
        .map_or("", |person| person.as_str())
}

#[derive(Debug, serde::Deserialize)]
pub struct CreateForm {
    pub cycle: String,
    pub kind: String,
    /// For a peer assessment: the colleague asked to write it.
    pub assessor: Option<String>,
    pub target: Option<String>,
}

pub async fn create(
    Acting(state): Acting,
    Path(subject): Path<String>,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    let kind = AssessmentKind::parse(&form.kind).ok_or_else(|| {
        WebError::invalid("kind", format!("`{}` is not self, manager or peer", form.kind))
    })?;
    let assessor =
        crate::auth::assessor_for_viewer(&state, &subject, kind, form.assessor.as_deref()).await?;
    let created = state
        .app
        .create_assessment(NewAssessmentInput {
            cycle: form.cycle,
            subject,
            assessor: assessor.clone(),
            kind,
            target: form.target.filter(|target| !target.is_empty()),
        })
        .await;
    match created {
        // A peer's draft is theirs to write, and the one who asked may not open it: they
        // land on the person's page, which says who was asked.
        Ok(created) if created.assessor.as_str() != viewer_person(&state) => {
            Ok(see_other(&format!(
                "/people/{}?asked={}#assessments",
                encode(created.subject.as_str()),
                created.id
            )))
        }
        Ok(created) => Ok(see_other(&format!("/assessments/{}", created.id))),
        // Starting one that exists opens it, when it is the viewer's own to write.
        Err(rungs_app::AppError::Rule(rungs_core::assess::AssessError::AlreadyAssessed {
            assessor: existing_assessor,
            existing,
            ..
        })) if existing_assessor.as_str() == assessor => {
            Ok(see_other(&format!("/assessments/{existing}")))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct CycleQuery {
    pub cycle: String,
}

pub struct CompareRow {
    pub id: String,
    pub text: String,
    pub own: String,
    pub manager: String,
    pub agreed: String,
    pub differs: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "side_by_side.html")]
pub struct SideBySidePage {
    pub layout: Layout,
    pub person: String,
    pub person_name: String,
    pub cycle: String,
    pub own: Option<i64>,
    pub manager: Option<i64>,
    pub differences: u32,
    pub rows: Vec<CompareRow>,
}

pub async fn side_by_side(
    Acting(state): Acting,
    Path(id): Path<String>,
    Query(query): Query<CycleQuery>,
) -> Result<SideBySidePage, PageError> {
    let comparison = state.app.side_by_side(&query.cycle, &id).await?;
    let person_name = state.app.person(&id).await?.name;
    let dash = |value: &Option<String>| {
        value
            .as_deref()
            .map_or_else(|| "–".to_owned(), |rating| RatingScale::words(rating).to_owned())
    };
    Ok(SideBySidePage {
        layout: Layout::of(&state),
        person: encode(&id),
        person_name,
        cycle: query.cycle,
        own: comparison.self_assessment.map(AssessmentId::get),
        manager: comparison.manager_assessment.map(AssessmentId::get),
        differences: comparison.differences,
        rows: comparison
            .rows
            .iter()
            .map(|row| CompareRow {
                id: row.expectation.to_string(),
                text: row.text.clone(),
                own: dash(&row.self_rating),
                manager: dash(&row.manager_rating),
                agreed: dash(&row.agreed),
                differs: row.differs,
            })
            .collect(),
    })
}
