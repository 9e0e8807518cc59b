//! Admin: open and close cycles, upload a framework file (lint errors shown with line numbers).
//! Uploading an org export is `org_import`'s.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rungs_app::FrameworkUse;

use super::{Layout, see_other};
use crate::auth::Acting;
use crate::error::{PageError, WebError};
use crate::state::WebState;

pub struct CycleRow {
    pub name: String,
    pub state: &'static str,
    pub open: bool,
    pub opened: String,
    pub closed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub layout: Layout,
    pub framework: String,
    pub cycles: Vec<CycleRow>,
    pub people: u64,
    pub left: u64,
    /// The outcome of the last upload: a headline and its lines.
    pub ok: Option<String>,
    pub problems: Vec<String>,
    pub problem_title: Option<String>,
    /// The new-cycle form as a refused one was typed.
    pub new_cycle: super::cycles::NewCycleForm,
    pub fields: [rungs_core::assess::ScheduleField; 6],
    /// The saved import mappings: name, who saved it, when.
    pub mappings: Vec<(String, String, String)>,
}

impl AdminPage {
    /// A cycle is open: a new one opens alongside it only on purpose.
    pub fn any_open(&self) -> bool {
        self.cycles.iter().any(|cycle| cycle.open)
    }
}

pub(super) async fn page(state: &WebState) -> Result<AdminPage, WebError> {
    let framework = state.app.current_framework().await?;
    let cycles = state.app.cycles().await?;
    let (people, left) = state.app.head_counts().await?;
    let mappings = state
        .app
        .import_mappings()
        .await?
        .into_iter()
        .map(|mapping| {
            let at = mapping.saved_at.strftime("%Y-%m-%d").to_string();
            (mapping.name, mapping.saved_by, at)
        })
        .collect();
    Ok(AdminPage {
        layout: Layout::of(state),
        framework: format!("{} {}", framework.meta().name, framework.meta().version),
        cycles: cycles
            .iter()
            .map(|cycle| CycleRow {
                name: cycle.name.to_string(),
                state: cycle.state.as_str(),
                open: cycle.is_open(),
                opened: cycle.opened_at.strftime("%Y-%m-%d").to_string(),
                closed: cycle
                    .closed_at
                    .map(|at| at.strftime("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        people,
        left,
        ok: None,
        problems: Vec::new(),
        problem_title: None,
        new_cycle: super::cycles::NewCycleForm::default(),
        fields: rungs_core::assess::ScheduleField::ALL,
        mappings,
    })
}

pub async fn show(Acting(state): Acting) -> Result<AdminPage, PageError> {
    Ok(page(&state).await?)
}

/// The admin page again, showing a refusal, with its status.
pub(super) async fn refused(
    state: &WebState,
    status: StatusCode,
    title: String,
    problems: Vec<String>,
) -> Result<Response, PageError> {
    let mut admin = page(state).await?;
    admin.problem_title = Some(title);
    admin.problems = problems;
    Ok((status, admin).into_response())
}

pub async fn open_cycle(
    Acting(state): Acting,
    Form(form): Form<super::cycles::NewCycleForm>,
) -> Result<Response, PageError> {
    match super::cycles::create(&state, &form).await {
        Ok(next) => Ok(see_other(&next)),
        Err(error) => {
            if error.status.is_server_error() {
                return Err(PageError(error));
            }
            let mut admin = page(&state).await?;
            admin.problem_title = Some("The cycle was not opened".to_owned());
            admin.problems = vec![match &error.field {
                Some(field) if field != "name" => {
                    format!("{}: {}", field.replace('_', " "), error.message)
                }
                _ => error.message.clone(),
            }];
            admin.new_cycle = form;
            Ok((error.status, admin).into_response())
        }
    }
}

/// Sent from the page that asks first.
#[derive(Debug, serde::Deserialize)]
pub struct ConfirmForm {
    pub confirmed: Option<String>,
    /// Sent by the confirmation of a close: how many drafts it said are abandoned.
    pub abandon_drafts: Option<String>,
}

pub async fn close_cycle(
    Acting(state): Acting,
    Path(name): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let cycle = state.app.cycle(&name).await?;
    // The confirmation sends the number of drafts it named: more since then asks again, so
    // that no draft is abandoned without having been shown.
    let drafts = if cycle.is_open() { Some(state.app.cycle_drafts(&name).await?) } else { None };
    let shown: Option<u64> =
        form.abandon_drafts.as_deref().and_then(|count| count.trim().parse().ok());
    let confirmed = super::confirm::is_confirmed(form.confirmed.as_deref());
    if let Some(drafts) =
        drafts.filter(|drafts| !confirmed || shown.is_some_and(|shown| shown < drafts.count))
    {
        let name = cycle.name.as_str();
        let mut consequences = match drafts.count {
            0 => {
                vec![format!("Every assessment of {name} is submitted; they all become read-only.")]
            }
            count => {
                let mut said = vec![format!(
                    "{} not submitted {} abandoned: {} stay readable to whoever could read them, and never count. Cancel to keep the cycle open until they are submitted.",
                    if count == 1 { "1 draft".to_owned() } else { format!("{count} drafts") },
                    if count == 1 { "is" } else { "are" },
                    if count == 1 { "it will" } else { "they will" }
                )];
                said.extend(
                    drafts.listed.iter().map(|(_, described)| format!("Abandoned: {described}.")),
                );
                let shown = drafts.listed.len() as u64;
                if count > shown {
                    said.push(format!("And {} more drafts.", count - shown));
                }
                said
            }
        };
        consequences.extend([
            format!(
                "Nobody can start, rate, submit, revise or agree an assessment in {name} any more."
            ),
            "Agreed ratings stay, and readiness keeps counting them.".to_owned(),
            "A closed cycle cannot be opened again.".to_owned(),
        ]);
        let label = match drafts.count {
            0 => format!("Close {name}"),
            1 => format!("Close {name} and abandon 1 draft"),
            count => format!("Close {name} and abandon {count} drafts"),
        };
        let page = super::confirm::ConfirmPage::new(
            &state,
            format!("Close cycle {name}?"),
            consequences,
            format!("/admin/cycles/{}/close", super::encode(name)),
            label,
            "/admin",
        )
        .field("abandon_drafts", drafts.count.to_string());
        return Ok(page.into_response());
    }
    state.app.close_cycle(&name, shown.is_some()).await?;
    Ok(see_other("/admin"))
}

/// The one file of a multipart upload: its name and bytes.
/// An uploaded file, its name, and the `mapping` field sent with it (empty for none).
pub(super) async fn upload(
    multipart: Multipart,
) -> Result<(String, Vec<u8>, Option<String>), WebError> {
    let upload = confirmable_upload(multipart).await?;
    Ok((upload.name, upload.bytes, upload.mapping))
}

/// A file uploaded, or sent again by the page that asked to confirm it (as the fields `name`
/// and `source`, with `confirmed=yes`).
struct Upload {
    name: String,
    bytes: Vec<u8>,
    confirmed: bool,
    mapping: Option<String>,
}

async fn confirmable_upload(mut multipart: Multipart) -> Result<Upload, WebError> {
    let refused = |error: axum::extract::multipart::MultipartError| {
        WebError::new(error.status(), "bad_request", error.body_text())
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut name = None;
    let mut source = None;
    let mut confirmed = false;
    let mut mapping = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| WebError::new(StatusCode::BAD_REQUEST, "bad_request", error.body_text()))?
    {
        match field.name() {
            Some("file") => {
                let file_name = field.file_name().unwrap_or("upload.csv").to_owned();
                let bytes = field.bytes().await.map_err(refused)?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes.to_vec()));
                }
            }
            Some("name") => name = Some(field.text().await.map_err(refused)?),
            Some("mapping") => {
                let text = field.text().await.map_err(refused)?;
                mapping = Some(text.trim().to_owned()).filter(|text| !text.is_empty());
            }
            // A browser sends a text field's line breaks as CRLF: back to the file's own.
            Some("source") => {
                source =
                    Some(field.text().await.map_err(refused)?.replace("\r\n", "\n").into_bytes());
            }
            Some("confirmed") => {
                confirmed =
                    super::confirm::is_confirmed(Some(&field.text().await.map_err(refused)?));
            }
            _ => {}
        }
    }
    match (file, source) {
        (Some((name, bytes)), _) => Ok(Upload { name, bytes, confirmed, mapping }),
        (None, Some(bytes)) if !bytes.is_empty() => Ok(Upload {
            name: name.unwrap_or_else(|| "upload".to_owned()),
            bytes,
            confirmed,
            mapping,
        }),
        _ => Err(WebError::invalid("file", "choose a file to upload")),
    }
}

pub async fn use_framework(
    Acting(state): Acting,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let Upload { name, bytes, confirmed, .. } = match confirmable_upload(multipart).await {
        Ok(upload) => upload,
        Err(error) => {
            return refused(
                &state,
                error.status,
                "The framework was not changed".to_owned(),
                vec![error.message],
            )
            .await;
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return refused(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "The framework was not changed".to_owned(),
            vec![format!("{name} is not UTF-8 text")],
        )
        .await;
    };
    if !confirmed {
        // Activating changes what every page and readiness reads: say what, and ask.
        match state.app.preview_framework(&name, &text).await? {
            rungs_app::FrameworkPreview::Invalid { diagnostics } => {
                return refused(
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "The framework has errors; the active framework is unchanged".to_owned(),
                    diagnostics,
                )
                .await;
            }
            rungs_app::FrameworkPreview::Valid {
                framework_id,
                version,
                current,
                changes,
                warnings,
            } => {
                let mut consequences = vec![match &current {
                    Some((id, active)) => format!(
                        "{framework_id} {version} replaces {id} {active} as the active framework: the ladder, every person's readiness and new assessments use it from now on."
                    ),
                    None => format!("{framework_id} {version} becomes the active framework."),
                }];
                if current.is_some() && !changes.is_empty() {
                    consequences.push(format!("Against the active one: {}.", changes.join(", ")));
                }
                consequences.push(
                    "Assessments already made keep the version they were made with; ratings of expectations that changed are flagged, not dropped.".to_owned(),
                );
                consequences
                    .extend(warnings.into_iter().map(|warning| format!("Warning: {warning}")));
                let page = super::confirm::ConfirmPage::new(
                    &state,
                    format!("Activate {framework_id} {version}?"),
                    consequences,
                    // A multipart body is not read for the token; the upload form sends it so.
                    format!("/admin/framework?csrf={}", Layout::of(&state).csrf),
                    format!("Activate {framework_id} {version}"),
                    "/admin",
                )
                .field("name", name)
                .field("source", text)
                .multipart();
                return Ok(page.into_response());
            }
        }
    }
    match state.app.use_framework(&name, &text).await? {
        FrameworkUse::Activated { framework_id, version, warnings, .. } => {
            let mut admin = page(&state).await?;
            admin.ok =
                Some(format!("{name}: {framework_id} {version} is now the active framework."));
            admin.problems = warnings;
            Ok(admin.into_response())
        }
        FrameworkUse::Invalid { diagnostics } => {
            refused(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "The framework has errors; the active framework is unchanged".to_owned(),
                diagnostics,
            )
            .await
        }
    }
}
