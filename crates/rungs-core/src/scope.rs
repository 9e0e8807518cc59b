//! Typed scope: the size of the organisation a level leads, its planning horizon, and its
//! budget responsibility.

use std::fmt;
use std::str::FromStr;

/// An inclusive range of whole numbers, unbounded above when `max` is `None`.
///
/// Written `5..=8`, `50..` (50 or more), `..=3` (up to 3) or `8` (exactly 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScopeRange {
    pub min: u32,
    pub max: Option<u32>,
}

/// Why a string is not a scope range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("`{text}` is not a range: write `5..=8`, `50..` (50 or more), `..=3` or `8`")]
    Syntax { text: String },
    #[error("`{text}` is an exclusive range: ranges are inclusive, write `{start}..={last}`")]
    Exclusive { text: String, start: u32, last: u32 },
    #[error("`{text}` is inverted: its start {min} is greater than its end {max}")]
    Inverted { text: String, min: u32, max: u32 },
}

impl FromStr for ScopeRange {
    type Err = RangeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let syntax = || RangeError::Syntax { text: text.to_owned() };
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| syntax());
        let range = if let Some((start, end)) = trimmed.split_once("..=") {
            let min = if start.trim().is_empty() { 0 } else { number(start)? };
            ScopeRange { min, max: Some(number(end)?) }
        } else if let Some((start, end)) = trimmed.split_once("..") {
            let min = if start.trim().is_empty() { 0 } else { number(start)? };
            if end.trim().is_empty() {
                ScopeRange { min, max: None }
            } else {
                let end = number(end)?;
                return Err(RangeError::Exclusive {
                    text: text.to_owned(),
                    start: min,
                    last: end.saturating_sub(1),
                });
            }
        } else {
            let exact = number(trimmed)?;
            ScopeRange { min: exact, max: Some(exact) }
        };
        match range.max {
            Some(max) if max < range.min => {
                Err(RangeError::Inverted { text: text.to_owned(), min: range.min, max })
            }
            _ => Ok(range),
        }
    }
}

impl fmt::Display for ScopeRange {
    /// The file syntax, which parses back to the same range.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(formatter, "{max}"),
            Some(max) if self.min == 0 => write!(formatter, "..={max}"),
            Some(max) => write!(formatter, "{}..={max}", self.min),
            None => write!(formatter, "{}..", self.min),
        }
    }
}

impl serde::Serialize for ScopeRange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl ScopeRange {
    pub fn contains(&self, value: u32) -> bool {
        value >= self.min && self.max.is_none_or(|max| value <= max)
    }

    /// True when `higher`, the range of the next level up, starts below this range's end (or this
    /// range is unbounded). Sharing one endpoint, as in `5..=8` then `8..=15`, is not overlap.
    pub fn overlaps_next(&self, higher: &ScopeRange) -> bool {
        match self.max {
            None => true,
            Some(max) => higher.min < max || higher.min < self.min,
        }
    }

    /// A reader's rendering: `5-8`, `50+`, `up to 3`, `8`.
    pub fn describe(&self) -> String {
        match self.max {
            Some(max) if max == self.min => max.to_string(),
            Some(max) if self.min == 0 => format!("up to {max}"),
            Some(max) => format!("{}-{max}", self.min),
            None => format!("{}+", self.min),
        }
    }

    /// A reader's rendering of a range of months, in years where it divides evenly.
    pub fn describe_months(&self) -> String {
        let in_years = |months: u32| months >= 12 && months.is_multiple_of(12);
        let years_ok = in_years(self.min) && self.max.is_none_or(in_years);
        if years_ok {
            let years = ScopeRange { min: self.min / 12, max: self.max.map(|max| max / 12) };
            let unit = if years.max == Some(1) { "year" } else { "years" };
            format!("{} {unit}", years.describe())
        } else {
            let unit = if self.max == Some(1) { "month" } else { "months" };
            format!("{} {unit}", self.describe())
        }
    }
}

/// The budget a level is responsible for, from none to the whole company's technology budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Budget {
    None,
    Team,
    MultiTeam,
    Department,
    Engineering,
    Company,
}

impl Budget {
    pub const ALL: [Budget; 6] = [
        Budget::None,
        Budget::Team,
        Budget::MultiTeam,
        Budget::Department,
        Budget::Engineering,
        Budget::Company,
    ];

    /// The spelling used in framework files.
    pub fn as_str(self) -> &'static str {
        match self {
            Budget::None => "none",
            Budget::Team => "team",
            Budget::MultiTeam => "multi-team",
            Budget::Department => "department",
            Budget::Engineering => "engineering",
            Budget::Company => "company",
        }
    }

    pub fn parse(text: &str) -> Option<Budget> {
        Budget::ALL.into_iter().find(|budget| budget.as_str() == text)
    }

    /// A reader's rendering.
    pub fn describe(self) -> &'static str {
        match self {
            Budget::None => "no budget",
            Budget::Team => "the team's resources",
            Budget::MultiTeam => "resources across several teams",
            Budget::Department => "a department's budget and headcount",
            Budget::Engineering => "the whole engineering budget",
            Budget::Company => "company-level technology investment",
        }
    }
}

/// What a level is responsible for, in numbers. Every part is optional: a framework states what
/// it means to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Scope {
    /// How many engineers the level leads, everyone below them included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_size: Option<ScopeRange>,
    /// How far ahead the level plans, in months.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_months: Option<ScopeRange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
}

impl Scope {
    /// The stated figures as (label, reader's phrase) pairs, in a fixed order.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let mut facts = Vec::new();
        if let Some(org_size) = self.org_size {
            facts.push(("Organization led", format!("{} engineers", org_size.describe())));
        }
        if let Some(horizon) = self.horizon_months {
            facts.push(("Planning horizon", horizon.describe_months()));
        }
        if let Some(budget) = self.budget {
            facts.push(("Budget", budget.describe().to_owned()));
        }
        facts
    }

    pub fn is_empty(&self) -> bool {
        self.org_size.is_none() && self.horizon_months.is_none() && self.budget.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> ScopeRange {
        text.parse().expect("valid range")
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(range("5..=8"), ScopeRange { min: 5, max: Some(8) });
        assert_eq!(range("50.."), ScopeRange { min: 50, max: None });
        assert_eq!(range("..=3"), ScopeRange { min: 0, max: Some(3) });
        assert_eq!(range("8"), ScopeRange { min: 8, max: Some(8) });
        assert_eq!(range(" 5 ..= 8 "), ScopeRange { min: 5, max: Some(8) });
    }

    #[test]
    fn display_round_trips() {
        for text in ["5..=8", "50..", "..=3", "8"] {
            assert_eq!(range(text).to_string(), text);
        }
    }

    #[test]
    fn rejects_bad_ranges_with_a_hint() {
        assert_eq!(
            "5..8".parse::<ScopeRange>().unwrap_err().to_string(),
            "`5..8` is an exclusive range: ranges are inclusive, write `5..=7`"
        );
        assert_eq!(
            "8..=5".parse::<ScopeRange>().unwrap_err().to_string(),
            "`8..=5` is inverted: its start 8 is greater than its end 5"
        );
        assert!(matches!("five".parse::<ScopeRange>(), Err(RangeError::Syntax { .. })));
    }

    #[test]
    fn shared_endpoints_do_not_overlap() {
        assert!(!range("5..=8").overlaps_next(&range("8..=15")));
        assert!(range("5..=8").overlaps_next(&range("7..=15")));
        assert!(range("50..").overlaps_next(&range("60..")));
        assert!(range("5..=8").overlaps_next(&range("2..=3")));
    }

    #[test]
    fn describes_for_readers() {
        assert_eq!(range("50..").describe(), "50+");
        assert_eq!(range("12..=24").describe_months(), "1-2 years");
        assert_eq!(range("60..").describe_months(), "5+ years");
        assert_eq!(range("6..=12").describe_months(), "6-12 months");
        assert_eq!(range("3").describe_months(), "3 months");
    }
}
