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

/// Why a cycle cannot be opened or closed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleError {
    #[error("cycle `{name}` already exists")]
    Exists { name: CycleName },
    #[error(
        "cycle `{open}` is still open; close it first, or open `{name}` alongside it on purpose, and new assessments go to `{name}`"
    )]
    AnotherOpen { name: CycleName, open: CycleName },
    #[error("cycle `{name}` is already closed")]
    Closed { name: CycleName },
    #[error(
        "cycle `{name}` has {} not submitted: {listed}; have them submitted, or close it with them abandoned (they stay readable and never count)",
        if *count == 1 { "1 draft".to_owned() } else { format!("{count} drafts") }
    )]
    OpenDrafts { name: CycleName, count: u64, listed: String },
}

/// Checks that a cycle `name` can be opened next to `cycles`: a new name, and no other cycle
/// open unless `alongside` says the admin means it. The newest open cycle is the one new
/// assessments go to.
pub fn check_open(cycles: &[Cycle], name: &CycleName, alongside: bool) -> Result<(), CycleError> {
    if cycles.iter().any(|cycle| &cycle.name == name) {
        return Err(CycleError::Exists { name: name.clone() });
    }
    match cycles.iter().rev().find(|cycle| cycle.is_open()) {
        Some(open) if !alongside => {
            Err(CycleError::AnotherOpen { name: name.clone(), open: open.name.clone() })
        }
        _ => Ok(()),
    }
}

/// Checks that `cycle` can be closed with `drafts` not submitted, the first of them described
/// in `described`: refused while any is left, unless `abandon` says to leave them.
pub fn check_close(
    cycle: &Cycle,
    drafts: u64,
    described: &[String],
    abandon: bool,
) -> Result<(), CycleError> {
    if !cycle.is_open() {
        return Err(CycleError::Closed { name: cycle.name.clone() });
    }
    if drafts == 0 || abandon {
        return Ok(());
    }
    Err(CycleError::OpenDrafts {
        name: cycle.name.clone(),
        count: drafts,
        listed: crate::text::first_of(described.iter().take(3).cloned(), drafts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(name: &str, state: CycleState) -> Cycle {
        Cycle {
            name: CycleName::parse(name).unwrap(),
            state,
            opened_at: Timestamp::UNIX_EPOCH,
            closed_at: None,
        }
    }

    #[test]
    fn one_cycle_is_open_at_a_time_unless_meant() {
        let cycles = [cycle("2026-H1", CycleState::Closed), cycle("2026-H2", CycleState::Open)];
        let next = CycleName::parse("2027-H1").unwrap();
        assert_eq!(
            check_open(&cycles, &next, false).unwrap_err().to_string(),
            "cycle `2026-H2` is still open; close it first, or open `2027-H1` alongside it on purpose, and new assessments go to `2027-H1`"
        );
        assert!(check_open(&cycles, &next, true).is_ok());
        assert!(check_open(&cycles[..1], &next, false).is_ok());
        assert!(matches!(
            check_open(&cycles, &CycleName::parse("2026-H1").unwrap(), true),
            Err(CycleError::Exists { .. })
        ));
    }

    #[test]
    fn closing_names_the_drafts_left_unless_they_are_abandoned() {
        let open = cycle("2026-H2", CycleState::Open);
        let drafts: Vec<String> = (1..=5).map(|n| format!("draft {n}")).collect();
        assert_eq!(
            check_close(&open, 5, &drafts, false).unwrap_err().to_string(),
            "cycle `2026-H2` has 5 drafts not submitted: draft 1, draft 2, draft 3, and 2 more; have them submitted, or close it with them abandoned (they stay readable and never count)"
        );
        assert!(check_close(&open, 5, &drafts, true).is_ok());
        assert!(check_close(&open, 0, &[], false).is_ok());
        assert!(
            check_close(&open, 40, &drafts, false).unwrap_err().to_string().contains("and 37 more")
        );
        assert!(matches!(
            check_close(&cycle("2026-H1", CycleState::Closed), 0, &[], true),
            Err(CycleError::Closed { .. })
        ));
    }

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
