//! Importing an org export from the admin page: the upload is previewed (every row checked,
//! what the import would do said, nothing written), and imported only when the preview is
//! confirmed; an import that marks more people as left than the leaver share allows needs its
//! number confirmed with a box.

use axum::Form;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rungs_app::{OrgImport, Summary};
use rungs_core::org::{ImportChanges, LeaverPolicy, TooManyLeavers};
use rungs_core::text::first_of;

use super::admin::{page, refused, upload};
use super::confirm::ConfirmPage;
use crate::auth::Acting;
use crate::error::{PageError, WebError};
use crate::state::WebState;

fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// What a preview found, for its page.
#[derive(Clone, Copy)]
struct Preview<'p> {
    /// The people the file holds (those a mapping skips aside).
    people: u64,
    summary: &'p Summary,
    warnings: &'p [String],
    too_many_leavers: Option<&'p TooManyLeavers>,
    changes: Option<&'p ImportChanges>,
    /// How many rows the mapping skipped, and the first of them.
    skipped: (u64, &'p [String]),
}

/// The page that says what importing `name` would do and asks to go ahead.
fn preview_page(state: &WebState, name: &str, token: &str, preview: Preview<'_>) -> ConfirmPage {
    let Preview { people, summary, warnings, too_many_leavers, changes, skipped } = preview;
    let mut consequences = vec![
        format!("{name} holds {}.", plural(people, "person", "people")),
        format!(
            "It adds {}, updates {} and leaves {} unchanged.",
            plural(summary.added, "person", "people"),
            summary.updated,
            summary.unchanged
        ),
    ];
    if summary.left > 0 {
        consequences.push(format!(
            "{} of the {} active people are not in the file, or are in it as leavers, and will be marked as left: they leave the org chart and its views, and their accounts no longer link to a person.",
            summary.left, summary.active_before
        ));
    } else {
        consequences.push("Nobody is marked as left.".to_owned());
    }
    if let Some(changes) = changes {
        let named = |list: &[String], total: u64| first_of(list.iter().cloned(), total);
        if changes.joining > 0 {
            consequences.push(format!(
                "Joining the org chart (new, or back after leaving): {}.",
                named(&changes.added, changes.joining)
            ));
        }
        if changes.level_changed > 0 {
            consequences.push(format!(
                "Level changes: {}.",
                named(&changes.level_changes, changes.level_changed)
            ));
        }
        if changes.manager_changed > 0 {
            consequences.push(format!(
                "Manager changes: {}.",
                named(&changes.manager_changes, changes.manager_changed)
            ));
        }
        if summary.left > 0 {
            consequences
                .push(format!("Marked as left: {}.", named(&changes.leaving, summary.left)));
        }
        if changes.rekeyed_count > 0 {
            consequences.push(format!(
                "Ids changed by the mapping: {} of those joining are in the chart with their id padded ({}), which the mapping's [ids] leading_zeros = \"strip\" changes. They would join as new people and their old records, with their assessments, be marked as left. To keep their ids, import with a mapping that does not strip leading zeros.",
                changes.rekeyed_count,
                named(&changes.rekeyed, changes.rekeyed_count)
            ));
        }
    }
    if skipped.0 > 0 {
        consequences.push(format!(
            "Skipped as off the ladder, by the mapping: {}.",
            first_of(skipped.1.iter().cloned(), skipped.0)
        ));
    }
    consequences.extend(warnings.iter().map(|warning| format!("Warning: {warning}")));
    let mut page = ConfirmPage::new(
        state,
        format!("Import {name}?"),
        consequences,
        "/admin/org/confirm",
        format!("Import {name}"),
        "/admin",
    )
    .field("token", token)
    .cancel_posts_to("/admin/org/cancel");
    if let Some(refusal) = too_many_leavers {
        let percent = refusal.left.saturating_mul(100).checked_div(refusal.active).unwrap_or(100);
        page.consequences.push(format!(
            "That is {percent}% of the active people, more than the {}% an import may mark as left without confirmation. A partial export (one department, a test file) would do this.",
            refusal.share
        ));
        page = page.checkbox(
            "allow_leavers",
            refusal.left.to_string(),
            format!("Yes: these {} people left; mark them as left", refusal.left),
        );
    }
    page
}

/// Refusals of a file that cannot be imported, on the admin page.
async fn not_importable(
    state: &WebState,
    name: &str,
    outcome: OrgImport,
) -> Result<Response, PageError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let nothing = "Nothing was imported".to_owned();
    match outcome {
        OrgImport::Invalid { errors, .. } => {
            let count = errors.len();
            let lines = errors.iter().map(|error| format!("{name}: {error}")).collect();
            refused(state, status, format!("{count} error(s); nothing was imported"), lines).await
        }
        OrgImport::Unreadable { message, .. } => {
            refused(state, status, nothing, vec![format!("{name}: {message}")]).await
        }
        OrgImport::Empty { .. } => {
            let message = format!(
                "{name}: the file has no people, only a header; importing it would mark everyone as left"
            );
            refused(state, status, nothing, vec![message]).await
        }
        OrgImport::Imported { .. } | OrgImport::TooManyLeavers { .. } => {
            Err(PageError(WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "an import was not refused",
            )))
        }
    }
}

/// The upload: checked as a dry run, then the preview page (or the refusal, with every error).
pub async fn preview(Acting(state): Acting, multipart: Multipart) -> Result<Response, PageError> {
    let (name, bytes, mapping) = match upload(multipart).await {
        Ok(file) => file,
        Err(error) => {
            let problems = vec![error.message];
            return refused(&state, error.status, "Nothing was imported".to_owned(), problems)
                .await;
        }
    };
    let policy = LeaverPolicy { share: state.leaver_share, allowed: None };
    let preview = match state.app.preview_org_import(&name, bytes, mapping.as_deref(), policy).await
    {
        Ok(preview) => preview,
        Err(rungs_app::AppError::Invalid { field, message }) if field == "mapping" => {
            let lines = message.lines().map(str::to_owned).collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refused(&state, status, "Nothing was imported".to_owned(), lines).await;
        }
        Err(error @ rungs_app::AppError::NotFound { what: "import mapping", .. }) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let lines = vec![error.to_string()];
            return refused(&state, status, "Nothing was imported".to_owned(), lines).await;
        }
        Err(error) => return Err(error.into()),
    };
    match (preview.outcome, preview.token) {
        (
            OrgImport::Imported {
                people,
                summary,
                warnings,
                too_many_leavers,
                changes,
                skipped,
                skipped_named,
                ..
            },
            Some(token),
        ) => {
            let preview = Preview {
                people: people as u64,
                summary: &summary,
                warnings: &warnings,
                too_many_leavers: too_many_leavers.as_ref(),
                changes: changes.as_ref(),
                skipped: (skipped, &skipped_named),
            };
            let page = preview_page(&state, &name, &token, preview);
            Ok(page.into_response())
        }
        (outcome, _) => not_importable(&state, &name, outcome).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ConfirmForm {
    pub token: String,
    /// The number of leavers the box confirmed.
    #[serde(default)]
    pub allow_leavers: Option<String>,
}

/// The preview confirmed: the kept upload imported.
pub async fn confirm(
    Acting(state): Acting,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let allowed = match form.allow_leavers.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<u64>().map_err(|_| {
            WebError::invalid("allow_leavers", format!("`{text}` is not a number of people"))
        })?),
    };
    let policy = LeaverPolicy { share: state.leaver_share, allowed };
    let (name, outcome) = state.app.confirm_org_import(&form.token, policy).await?;
    match outcome {
        OrgImport::Imported { people, summary, warnings, .. } => {
            let mut admin = page(&state).await?;
            admin.ok = Some(format!(
                "{name}: imported {people} people: {} added, {} updated, {} unchanged, {} left.",
                summary.added, summary.updated, summary.unchanged, summary.left
            ));
            admin.problems =
                warnings.into_iter().map(|warning| format!("warning: {warning}")).collect();
            Ok(admin.into_response())
        }
        OrgImport::TooManyLeavers { refusal, people, summary, warnings } => {
            let page = preview_page(
                &state,
                &name,
                &form.token,
                Preview {
                    people: people as u64,
                    summary: &summary,
                    warnings: &warnings,
                    too_many_leavers: Some(&refusal),
                    changes: None,
                    skipped: (0, &[]),
                },
            )
            .error(format!("{refusal}. Tick the box if these {} people did leave.", refusal.left));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        outcome => not_importable(&state, &name, outcome).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct CancelForm {
    pub token: String,
}

/// The preview cancelled: the kept upload dropped, and the admin page says so.
pub async fn cancel(
    Acting(state): Acting,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    state.app.cancel_org_import(&form.token).await?;
    let mut admin = page(&state).await?;
    admin.ok = Some("The import was cancelled; nothing was imported.".to_owned());
    Ok(admin.into_response())
}
