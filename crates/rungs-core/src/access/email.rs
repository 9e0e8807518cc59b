//! An account's email address: trimmed, lower-cased, and shaped like an address.

use std::fmt;

/// An email address as accounts are keyed: compared without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an email address is required")]
    Empty,
    #[error("`{0}` is not an email address such as ada@example.com")]
    Malformed(String),
}

impl Email {
    pub const MAX_LENGTH: usize = 254;

    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        let malformed = || EmailError::Malformed(trimmed.to_owned());
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(malformed)?;
        let well_formed = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && trimmed.len() <= Email::MAX_LENGTH
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(malformed());
        }
        Ok(Email(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}
