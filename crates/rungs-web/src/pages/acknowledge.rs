//! The person's acknowledgement of the outcome agreed for them, from their own page.

use axum::Form;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::person::{TargetQuery, show};
use super::{encode, see_other};
use crate::auth::Acting;
use crate::error::{PageError, WebError};

#[derive(Debug, serde::Deserialize)]
pub struct AcknowledgeForm {
    pub cycle: String,
    #[serde(default)]
    pub comment: String,
}

pub async fn acknowledge(
    Acting(state): Acting,
    Path(id): Path<String>,
    Form(form): Form<AcknowledgeForm>,
) -> Result<Response, PageError> {
    let acknowledged = async {
        let person = rungs_core::org::PersonId::parse(&id)
            .map_err(|_| WebError::not_found(format!("there is no person `{id}`")))?;
        state.app.acknowledge(&person, &form.cycle, Some(&form.comment)).await?;
        Ok::<(), WebError>(())
    }
    .await;
    match acknowledged {
        Ok(()) => Ok(see_other(&format!(
            "/people/{}?acknowledged={}#outcomes",
            encode(&id),
            encode(&form.cycle)
        ))),
        // A refused acknowledgement comes back on the page with the comment as it was typed.
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let query = TargetQuery::default();
            let mut page = show(Acting(state.clone()), Path(id), Query(query)).await?;
            page.error = Some(error.refusal("Nothing was recorded."));
            page.entered_comment = Some((form.cycle, form.comment));
            Ok((error.status, page).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}
