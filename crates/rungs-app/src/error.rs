//! What can go wrong in a use case, typed so that each edge can pick its status code or exit
//! code: a missing record, a refused change, invalid input, a conflict, or storage failing.

use rungs_core::assess::{AssessError, PlanError};
use rungs_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A named record does not exist.
    #[error("there is no {what} `{id}`{suggestion}")]
    NotFound { what: &'static str, id: String, suggestion: String },
    /// The core's rules refuse the change.
    #[error(transparent)]
    Rule(#[from] AssessError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A peer nomination, a decision on one or a decline is refused.
    #[error(transparent)]
    Nomination(#[from] rungs_core::assess::NominationError),
    /// A cycle cannot be opened or closed as asked: another is open, drafts are left.
    #[error(transparent)]
    Cycle(#[from] rungs_core::assess::CycleError),
    /// A field of the input is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// What is stored does not allow the change (a duplicate, a record that moved on).
    #[error("{0}")]
    Conflict(String),
    /// A file to import has problems; every one is listed.
    #[error("{} is not a valid assessment file:\n{}", .source_name, .problems.join("\n"))]
    Bundle { source_name: String, problems: Vec<String> },
    #[error("the stored framework {0} no longer loads; activate a valid framework")]
    Framework(String),
    /// Signing in was refused: wrong credentials, or too many failures.
    #[error("{0}")]
    SignIn(crate::accounts::SignInRefusal),
    /// The system could not produce or check a secret.
    #[error("{0}")]
    Secret(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::Conflict(message) => AppError::Conflict(message),
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> AppError {
        AppError::NotFound { what, id: id.into(), suggestion: String::new() }
    }

    /// Input that is wrong, naming the field.
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> AppError {
        AppError::Invalid { field: field.into(), message: message.to_string() }
    }
}
