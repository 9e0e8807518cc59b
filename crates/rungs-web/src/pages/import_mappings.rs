//! Import mappings on the admin page: saving a mapping file under a name (checked against the
//! ladder first, every error with its line), and removing one after asking.

use axum::Form;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::admin::{page, refused, upload};
use super::confirm::{ConfirmPage, is_confirmed};
use crate::auth::Acting;
use crate::error::PageError;
use crate::state::WebState;

const NOT_SAVED: &str = "The mapping was not saved";

/// Refuses on the admin page with each line of `message` as a problem.
async fn not_saved(state: &WebState, message: &str) -> Result<Response, PageError> {
    let lines = message.lines().map(str::to_owned).collect();
    refused(state, StatusCode::UNPROCESSABLE_ENTITY, NOT_SAVED.to_owned(), lines).await
}

/// A mapping file uploaded with the name to save it under (the form's `mapping` field).
pub async fn save(Acting(state): Acting, multipart: Multipart) -> Result<Response, PageError> {
    let (file, bytes, name) = match upload(multipart).await {
        Ok(upload) => upload,
        Err(error) => return not_saved(&state, &error.message).await,
    };
    let Some(name) = name else {
        return not_saved(&state, "name: give the mapping a name, such as bamboo").await;
    };
    let Ok(source) = String::from_utf8(bytes) else {
        return not_saved(&state, &format!("{file} is not UTF-8 text")).await;
    };
    match state.app.save_import_mapping(&name, &source).await {
        Ok(()) => {
            let mut admin = page(&state).await?;
            admin.ok = Some(format!(
                "Saved the import mapping {name} from {file}; choose it when you import the org."
            ));
            Ok(admin.into_response())
        }
        Err(rungs_app::AppError::Invalid { message, .. }) => not_saved(&state, &message).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct RemoveForm {
    pub name: String,
    #[serde(default)]
    pub confirmed: Option<String>,
}

/// Removes a saved mapping, once the confirmation page was answered.
pub async fn remove(
    Acting(state): Acting,
    Form(form): Form<RemoveForm>,
) -> Result<Response, PageError> {
    let name = form.name.trim();
    state.app.import_mapping(name).await?;
    if !is_confirmed(form.confirmed.as_deref()) {
        let page = ConfirmPage::new(
            &state,
            format!("Remove the import mapping {name}?"),
            vec![
                format!("Imports that name {name} are refused until a mapping of that name is saved again."),
                "People already imported with it stay as they are.".to_owned(),
            ],
            "/admin/mappings/remove",
            format!("Remove {name}"),
            "/admin",
        )
        .field("name", name);
        return Ok(page.into_response());
    }
    state.app.remove_import_mapping(name).await?;
    let mut admin = page(&state).await?;
    admin.ok = Some(format!("Removed the import mapping {name}."));
    Ok(admin.into_response())
}
