//! Identifier newtypes: a parsed id is always a valid id, so nothing downstream re-checks it.
//! They share their text (`Arc<str>`): a million people at twelve levels clone level ids a
//! million times, and a clone is then a counter increment, not an allocation.

use std::fmt;
use std::sync::Arc;

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("an id is at most {max} characters long; `{id}` has {length}")]
    TooLong { id: String, length: usize, max: usize },
    #[error(
        "`{id}` is not a valid id: use lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit"
    )]
    BadCharacters { id: String },
}

/// The longest id accepted, in characters.
pub const MAX_ID_LENGTH: usize = 96;

/// What each byte may be in an id: [`STARTS`] for lowercase letters and digits, which may
/// also start one, [`FOLLOWS`] for `-`, `_` and `.`, which may not.
static ID_BYTES: [u8; 256] = {
    let mut table = [NOT_IN_IDS; 256];
    let mut byte = 0;
    while byte < 256 {
        let character = byte as u8;
        if character.is_ascii_lowercase() || character.is_ascii_digit() {
            table[byte] = STARTS;
        } else if matches!(character, b'-' | b'_' | b'.') {
            table[byte] = FOLLOWS;
        }
        byte += 1;
    }
    table
};
const NOT_IN_IDS: u8 = 0;
const STARTS: u8 = 1;
const FOLLOWS: u8 = 2;

/// Checks an id's grammar: lowercase letters, digits, `-`, `_` and `.`. It has none of the
/// characters HTML escapes (`"`, `&`, `'`, `<`, `>`): pages write ids unescaped.
fn check_id(text: &str) -> Result<(), IdError> {
    // Every allowed character is ASCII, so a well-formed id is checked byte by byte, and its
    // length in bytes is its length in characters. Stores read ids back by the thousand.
    let bytes = text.as_bytes();
    if bytes.len() <= MAX_ID_LENGTH
        && bytes.first().is_some_and(|&first| ID_BYTES[usize::from(first)] == STARTS)
        && bytes.iter().all(|&byte| ID_BYTES[usize::from(byte)] != NOT_IN_IDS)
    {
        return Ok(());
    }
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    let length = text.chars().count();
    if length > MAX_ID_LENGTH {
        return Err(IdError::TooLong { id: text.to_owned(), length, max: MAX_ID_LENGTH });
    }
    Err(IdError::BadCharacters { id: text.to_owned() })
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl $name {
            /// Parses an id, rejecting empty, over-long and badly spelled ones.
            pub fn parse(text: &str) -> Result<Self, IdError> {
                check_id(text)?;
                Ok(Self(Arc::from(text)))
            }

            /// Like [`Self::parse`], for an owned string.
            pub fn parse_owned(text: String) -> Result<Self, IdError> {
                check_id(&text)?;
                Ok(Self(Arc::from(text)))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// The id of a track, such as `management` or `ic`.
    TrackId
);
id_type!(
    /// The id of a band: the rung shared across tracks that makes the dual ladder equivalent.
    BandId
);
id_type!(
    /// The id of a dimension, such as `leadership`.
    DimensionId
);
id_type!(
    /// The id of a level, such as `em` or `ic4`.
    LevelId
);
id_type!(
    /// The stable id of an expectation. Assessments reference it for years, so it never depends
    /// on the expectation's position in the file.
    ExpectationId
);
id_type!(
    /// The id of a growth area, such as `people-development`.
    GrowthAreaId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dotted_lowercase_ids() {
        assert!(ExpectationId::parse("em.leadership.lead-small-team").is_ok());
        assert!(LevelId::parse("ic4").is_ok());
    }

    /// Pages write ids unescaped (see `check_id`): no id may hold what HTML escapes.
    #[test]
    fn no_id_holds_a_character_html_escapes() {
        for escaped in ['"', '&', '\'', '<', '>'] {
            for text in [format!("a{escaped}"), format!("{escaped}a"), format!("a.{escaped}.b")] {
                assert!(ExpectationId::parse(&text).is_err(), "{text}");
                assert!(LevelId::parse(&text).is_err(), "{text}");
            }
        }
    }

    #[test]
    fn rejects_bad_ids() {
        assert_eq!(LevelId::parse(""), Err(IdError::Empty));
        assert!(matches!(LevelId::parse("Senior EM"), Err(IdError::BadCharacters { .. })));
        assert!(matches!(LevelId::parse("-em"), Err(IdError::BadCharacters { .. })));
        let long = "a".repeat(MAX_ID_LENGTH + 1);
        assert!(matches!(LevelId::parse(&long), Err(IdError::TooLong { .. })));
        assert!(LevelId::parse(&"a".repeat(MAX_ID_LENGTH)).is_ok());
        // Length is counted in characters, not bytes: 60 two-byte letters are not too long,
        // only badly spelled; 97 of them are too long.
        assert!(matches!(LevelId::parse(&"é".repeat(60)), Err(IdError::BadCharacters { .. })));
        assert_eq!(
            LevelId::parse(&"é".repeat(MAX_ID_LENGTH + 1)),
            Err(IdError::TooLong {
                id: "é".repeat(MAX_ID_LENGTH + 1),
                length: MAX_ID_LENGTH + 1,
                max: MAX_ID_LENGTH
            })
        );
        assert!(matches!(LevelId::parse("ok-but-é"), Err(IdError::BadCharacters { .. })));
    }
}
