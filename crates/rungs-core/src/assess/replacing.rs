//! Agreed ratings that an agreement would change: an agreement never overwrites an agreed
//! rating silently.

use crate::ExpectationId;

/// An agreed rating that a new agreement would change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgreedChange {
    pub expectation: ExpectationId,
    pub from: String,
    pub to: String,
}

/// The agreed ratings among `agreeing` (expectation and new rating) that differ from what
/// `agreed_before` says was agreed in the same cycle. A rating agreed again unchanged, or
/// agreed for the first time, is no change.
pub fn agreed_changes<'a>(
    agreeing: impl IntoIterator<Item = (&'a ExpectationId, &'a str)>,
    agreed_before: impl Fn(&ExpectationId) -> Option<&'a str>,
) -> Vec<AgreedChange> {
    agreeing
        .into_iter()
        .filter_map(|(expectation, rating)| {
            let before = agreed_before(expectation)?;
            (before != rating).then(|| AgreedChange {
                expectation: expectation.clone(),
                from: before.to_owned(),
                to: rating.to_owned(),
            })
        })
        .collect()
}

/// Refuses `changes` unless the caller asked to replace agreed ratings.
pub fn check_replacing(changes: &[AgreedChange], replace: bool) -> Result<(), ReplacingAgreed> {
    if changes.is_empty() || replace {
        Ok(())
    } else {
        Err(ReplacingAgreed { changes: changes.to_vec() })
    }
}

/// An agreement that would change agreed ratings without being asked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplacingAgreed {
    pub changes: Vec<AgreedChange>,
}

impl std::fmt::Display for ReplacingAgreed {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.changes.len();
        let listed: Vec<String> = self
            .changes
            .iter()
            .map(|change| {
                format!("{} from “{}” to “{}”", change.expectation, change.from, change.to)
            })
            .collect();
        write!(
            formatter,
            "this would change {count} agreed {}: {}; nothing was changed",
            if count == 1 { "rating" } else { "ratings" },
            listed.join(", "),
        )
    }
}

impl std::error::Error for ReplacingAgreed {}

impl ReplacingAgreed {
    /// "it" or "them": what the edges ask to replace.
    pub fn pronoun(&self) -> &'static str {
        if self.changes.len() == 1 { "it" } else { "them" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ratings_agreed_differently_before_are_changes() {
        let id = |text: &str| ExpectationId::parse(text).unwrap();
        let (x, y, z) = (id("x"), id("y"), id("z"));
        let before = |expectation: &ExpectationId| match expectation.as_str() {
            "x" => Some("meets"),
            "y" => Some("developing"),
            _ => None,
        };
        let changes =
            agreed_changes([(&x, "developing"), (&y, "developing"), (&z, "meets")], before);
        assert_eq!(
            changes,
            [AgreedChange { expectation: x, from: "meets".into(), to: "developing".into() }]
        );
        let refused = check_replacing(&changes, false).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "this would change 1 agreed rating: x from “meets” to “developing”; nothing was changed"
        );
        assert!(check_replacing(&changes, true).is_ok());
        assert!(check_replacing(&[], false).is_ok());
    }
}
