//! What a batch of changes gives back: the key each change that creates a row produced.

use crate::AppError;

/// The key change `position` of a batch produced.
pub(crate) fn created_key(
    keys: &[Option<i64>],
    position: usize,
    what: &str,
) -> Result<i64, AppError> {
    keys.get(position)
        .copied()
        .flatten()
        .ok_or_else(|| AppError::Conflict(format!("the {what} was not created")))
}
