//! Why an agreed rating differs from the manager's: an agreement that overrules the manager's
//! rating says why, and the reason travels with the agreed rating to the trace.

use crate::text::{RATIONALE, TextError};
use crate::{ExpectationId, RatingScale};

/// Why a rationale was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RationaleError {
    #[error(
        "{expectation} is agreed as “{agreed}” but the manager {manager}; say why in a rationale"
    )]
    Missing { expectation: ExpectationId, agreed: String, manager: String },
    #[error("there is a rationale for `{expectation}`, which this agreement does not rate")]
    NotAgreed { expectation: String },
    #[error(transparent)]
    Text(#[from] TextError),
}

/// The rationale stored with an agreed rating of `expectation`: `given` trimmed, required
/// when `agreed` differs from `manager_rating` (`None`: the manager left it unrated). A rating
/// agreed as the manager rated it stores none, whatever was given: nothing then differs, and a
/// stored reason would say it did.
pub fn check_rationale(
    expectation: &ExpectationId,
    manager_rating: Option<&str>,
    agreed: &str,
    given: Option<&str>,
) -> Result<Option<String>, RationaleError> {
    let given = given.map(str::trim).filter(|text| !text.is_empty());
    if let Some(text) = given {
        RATIONALE.check(text)?;
    }
    if manager_rating == Some(agreed) {
        return Ok(None);
    }
    if given.is_none() {
        return Err(RationaleError::Missing {
            expectation: expectation.clone(),
            agreed: RatingScale::words(agreed).to_owned(),
            manager: match manager_rating {
                Some(rating) => format!("rated it “{}”", RatingScale::words(rating)),
                None => "left it unrated".to_owned(),
            },
        });
    }
    Ok(given.map(str::to_owned))
}

/// Refuses rationales of expectations the agreement does not rate: a typo in an expectation
/// id would otherwise lose the reason silently.
pub fn check_rationales_rated<'a>(
    rationales: impl IntoIterator<Item = &'a str>,
    rated: impl Fn(&str) -> bool,
) -> Result<(), RationaleError> {
    match rationales.into_iter().find(|expectation| !rated(expectation)) {
        Some(expectation) => {
            Err(RationaleError::NotAgreed { expectation: crate::text::excerpt(expectation) })
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ExpectationId {
        ExpectationId::parse(text).unwrap()
    }

    #[test]
    fn a_rating_agreed_as_the_manager_rated_it_needs_no_rationale() {
        assert_eq!(check_rationale(&id("x"), Some("meets"), "meets", None), Ok(None));
        assert_eq!(check_rationale(&id("x"), Some("meets"), "meets", Some("  ")), Ok(None));
        assert_eq!(
            check_rationale(&id("x"), Some("meets"), "meets", Some(" no longer true ")),
            Ok(None),
            "nothing differs, so no reason is stored"
        );
    }

    #[test]
    fn an_overruled_rating_needs_a_rationale_that_is_plain_text() {
        let missing =
            check_rationale(&id("x"), Some("developing"), "meets", Some(" ")).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "x is agreed as “meets” but the manager rated it “developing”; say why in a rationale"
        );
        let unrated = check_rationale(&id("x"), None, "meets", None).unwrap_err();
        assert!(unrated.to_string().contains("but the manager left it unrated;"), "{unrated}");
        let observed = check_rationale(&id("x"), Some("not-observed"), "meets", None).unwrap_err();
        assert!(observed.to_string().contains("rated it “not observed”"), "{observed}");
        assert_eq!(
            check_rationale(&id("x"), Some("developing"), "meets", Some("Led the migration")),
            Ok(Some("Led the migration".to_owned()))
        );
        let control = check_rationale(&id("x"), None, "meets", Some("a\u{1b}b")).unwrap_err();
        assert!(control.to_string().contains("U+001B"), "{control}");
        let long = "a".repeat(RATIONALE.max + 1);
        let too_long = check_rationale(&id("x"), None, "meets", Some(&long)).unwrap_err();
        assert!(too_long.to_string().starts_with("rationale is at most"), "{too_long}");
    }

    #[test]
    fn a_rationale_of_an_expectation_not_agreed_is_refused() {
        let rated = |expectation: &str| expectation == "x";
        assert_eq!(check_rationales_rated(["x"], rated), Ok(()));
        assert_eq!(
            check_rationales_rated(["x", "y"], rated).unwrap_err().to_string(),
            "there is a rationale for `y`, which this agreement does not rate"
        );
    }
}
