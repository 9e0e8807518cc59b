//! The subject's acknowledgement of the outcome agreed for them in a cycle: that they have
//! seen it, with an optional comment. It is not consent: an outcome stands whether or not it
//! is acknowledged, and an agreement changed afterwards shows that the acknowledgement was of
//! an earlier outcome.

use jiff::Timestamp;

use crate::assess::{AgreedRating, CycleName};
use crate::org::PersonId;
use crate::text::{ACKNOWLEDGEMENT_COMMENT, TextError};

/// A subject's acknowledgement of a cycle's agreed outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Acknowledgement {
    pub cycle: CycleName,
    pub subject: PersonId,
    pub comment: Option<String>,
    pub acknowledged_at: Timestamp,
}

/// Why an acknowledgement was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcknowledgeError {
    #[error(
        "nothing has been agreed for {subject} in cycle `{cycle}` yet; there is no outcome to acknowledge"
    )]
    NothingAgreed { subject: String, cycle: CycleName },
    #[error(transparent)]
    Text(#[from] TextError),
}

/// The comment stored with an acknowledgement: trimmed, nothing when blank.
pub fn check_comment(given: Option<&str>) -> Result<Option<String>, AcknowledgeError> {
    let given = given.map(str::trim).filter(|text| !text.is_empty());
    if let Some(text) = given {
        ACKNOWLEDGEMENT_COMMENT.check(text)?;
    }
    Ok(given.map(str::to_owned))
}

/// The outcome agreed for a person in one cycle, and whether they acknowledged it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CycleOutcome {
    pub cycle: CycleName,
    /// How many expectations have an agreed rating.
    pub agreed: usize,
    /// Who agreed the latest of them.
    pub agreed_by: PersonId,
    /// When the latest was agreed.
    pub last_agreed_at: Timestamp,
    pub acknowledgement: Option<Acknowledgement>,
    /// The acknowledgement came before the latest agreement: it was of an earlier outcome.
    pub changed_since_acknowledged: bool,
}

impl CycleOutcome {
    /// Whether the subject acknowledged the outcome as it now stands.
    pub fn acknowledged(&self) -> bool {
        self.acknowledgement.is_some() && !self.changed_since_acknowledged
    }
}

/// The outcome of every cycle with agreed ratings, in the order of `agreed` (the record's,
/// oldest cycle first), each with its acknowledgement among `acknowledgements`.
pub fn cycle_outcomes(
    agreed: &[AgreedRating],
    acknowledgements: &[Acknowledgement],
) -> Vec<CycleOutcome> {
    let mut outcomes: Vec<CycleOutcome> = Vec::new();
    for rating in agreed {
        match outcomes.iter_mut().find(|outcome| outcome.cycle == rating.cycle) {
            Some(outcome) => {
                outcome.agreed += 1;
                if rating.agreed_at > outcome.last_agreed_at {
                    outcome.last_agreed_at = rating.agreed_at;
                    outcome.agreed_by = rating.agreed_by.clone();
                }
            }
            None => outcomes.push(CycleOutcome {
                cycle: rating.cycle.clone(),
                agreed: 1,
                agreed_by: rating.agreed_by.clone(),
                last_agreed_at: rating.agreed_at,
                acknowledgement: None,
                changed_since_acknowledged: false,
            }),
        }
    }
    for outcome in &mut outcomes {
        outcome.acknowledgement =
            acknowledgements.iter().find(|ack| ack.cycle == outcome.cycle).cloned();
        outcome.changed_since_acknowledged = outcome
            .acknowledgement
            .as_ref()
            .is_some_and(|ack| ack.acknowledged_at < outcome.last_agreed_at);
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DimensionId, ExpectationId, LevelId};

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).unwrap()
    }

    fn agreed(cycle: &str, expectation: &str, seconds: i64) -> AgreedRating {
        AgreedRating {
            cycle: CycleName::parse(cycle).unwrap(),
            expectation: ExpectationId::parse(expectation).unwrap(),
            rating: "meets".into(),
            agreed_by: PersonId::parse("m").unwrap(),
            level: LevelId::parse("l").unwrap(),
            dimension: DimensionId::parse("d").unwrap(),
            text_when_rated: "text".into(),
            agreed_at: at(seconds),
            rationale: None,
        }
    }

    fn acknowledged(cycle: &str, seconds: i64) -> Acknowledgement {
        Acknowledgement {
            cycle: CycleName::parse(cycle).unwrap(),
            subject: PersonId::parse("s").unwrap(),
            comment: Some("Thanks".into()),
            acknowledged_at: at(seconds),
        }
    }

    #[test]
    fn each_cycle_with_agreed_ratings_has_an_outcome_and_its_acknowledgement() {
        let ratings =
            [agreed("2026-H1", "x", 10), agreed("2026-H1", "y", 20), agreed("2026-H2", "x", 30)];
        let outcomes = cycle_outcomes(&ratings, &[acknowledged("2026-H1", 25)]);
        assert_eq!(outcomes.len(), 2);
        assert_eq!((outcomes[0].agreed, outcomes[0].last_agreed_at), (2, at(20)));
        assert!(outcomes[0].acknowledged());
        assert_eq!(
            outcomes[0].acknowledgement.as_ref().unwrap().comment.as_deref(),
            Some("Thanks")
        );
        assert!(!outcomes[1].acknowledged());
        assert!(outcomes[1].acknowledgement.is_none());
    }

    #[test]
    fn an_agreement_changed_after_the_acknowledgement_is_not_acknowledged() {
        let ratings = [agreed("2026-H1", "x", 10), agreed("2026-H1", "y", 40)];
        let outcome = &cycle_outcomes(&ratings, &[acknowledged("2026-H1", 25)])[0];
        assert!(outcome.changed_since_acknowledged);
        assert!(!outcome.acknowledged());
    }

    #[test]
    fn a_comment_is_trimmed_plain_text_within_its_limit() {
        assert_eq!(check_comment(Some("  ")), Ok(None));
        assert_eq!(check_comment(Some(" Fair. ")), Ok(Some("Fair.".into())));
        assert!(check_comment(Some("a\u{7}")).unwrap_err().to_string().contains("U+0007"));
        let long = "a".repeat(ACKNOWLEDGEMENT_COMMENT.max + 1);
        assert!(
            check_comment(Some(&long)).unwrap_err().to_string().starts_with("comment is at most")
        );
    }
}
