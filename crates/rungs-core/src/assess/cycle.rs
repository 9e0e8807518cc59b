//! Assessment cycles: named periods such as `2026-H2`, opened and closed.

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;

/// Why a string is not a cycle name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleNameError {
    #[error("a cycle name cannot be empty")]
    Empty,
    #[error("a cycle name is at most {max} characters long; `{name}` has {length}")]
    TooLong { name: String, length: usize, max: usize },
    #[error(
        "`{name}` is not a valid cycle name: use letters, digits, `-`, `_` and `.`, such as `2026-H2`"
    )]
    BadCharacters { name: String },
}

/// The name of an assessment period, such as `2026-H2` or `2027-Q1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct CycleName(Arc<str>);

impl CycleName {
    pub const MAX_LENGTH: usize = 40;

    pub fn parse(text: &str) -> Result<CycleName, CycleNameError> {
        if text.is_empty() {
            return Err(CycleNameError::Empty);
        }
        let length = text.chars().count();
        if length > Self::MAX_LENGTH {
            return Err(CycleNameError::TooLong {
                name: crate::text::excerpt(text),
                length,
                max: Self::MAX_LENGTH,
            });
        }
        let starts_well = text.chars().next().is_some_and(|first| first.is_ascii_alphanumeric());
        let all_allowed =
            text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !(starts_well && all_allowed) {
            return Err(CycleNameError::BadCharacters { name: crate::text::excerpt(text) });
        }
        Ok(CycleName(Arc::from(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CycleName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// Whether a cycle still takes assessments. A closed cycle is read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CycleState {
    Open,
    Closed,
}

impl CycleState {
    pub fn as_str(self) -> &'static str {
        match self {
            CycleState::Open => "open",
            CycleState::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<CycleState> {
        match text {
            "open" => Some(CycleState::Open),
            "closed" => Some(CycleState::Closed),
            _ => None,
        }
    }
}

/// An assessment period. Cycles are ordered by when they were opened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cycle {
    pub name: CycleName,
    pub state: CycleState,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

impl Cycle {
    pub fn is_open(&self) -> bool {
        self.state == CycleState::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_period_names() {
        assert!(CycleName::parse("2026-H2").is_ok());
        assert!(CycleName::parse("2027.Q1").is_ok());
        assert_eq!(CycleName::parse(""), Err(CycleNameError::Empty));
        assert!(matches!(CycleName::parse("2026 H2"), Err(CycleNameError::BadCharacters { .. })));
        assert!(matches!(CycleName::parse("-H2"), Err(CycleNameError::BadCharacters { .. })));
        assert!(matches!(CycleName::parse(&"9".repeat(41)), Err(CycleNameError::TooLong { .. })));
    }
}
