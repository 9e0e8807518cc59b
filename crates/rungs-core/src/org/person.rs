//! A person in the org chart, with parsed ids and emails.

use std::fmt;

use compact_str::CompactString;

/// Why a string is not a person id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonIdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("an id is at most {max} characters long; this one has {length}")]
    TooLong { length: usize, max: usize },
    #[error("an id cannot contain spaces or control characters")]
    BadCharacters,
}

/// An HR system's id for a person, such as `E01234`: kept exactly as the export spells it.
/// Ids of up to 24 bytes (nearly all of them) live inline, not on the heap: a whole-org read
/// holds two per person, a million people at a time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct PersonId(CompactString);

impl PersonId {
    pub const MAX_LENGTH: usize = 128;

    pub fn parse(text: &str) -> Result<PersonId, PersonIdError> {
        Self::check(text)?;
        Ok(PersonId(CompactString::new(text)))
    }

    /// Like [`Self::parse`], reusing the string's allocation when the id is too long to live
    /// inline.
    pub fn parse_owned(text: String) -> Result<PersonId, PersonIdError> {
        Self::check(&text)?;
        Ok(PersonId(CompactString::from(text)))
    }

    /// Checks `text` as an id without keeping it.
    pub fn check(text: &str) -> Result<(), PersonIdError> {
        if text.is_empty() {
            return Err(PersonIdError::Empty);
        }
        if text.is_ascii() {
            // The usual id, checked byte by byte: whole-org reads check a million of them.
            if text.len() > Self::MAX_LENGTH {
                return Err(PersonIdError::TooLong { length: text.len(), max: Self::MAX_LENGTH });
            }
            if text.bytes().any(|byte| byte.is_ascii_whitespace() || byte.is_ascii_control()) {
                return Err(PersonIdError::BadCharacters);
            }
            return Ok(());
        }
        let length = text.chars().count();
        if length > Self::MAX_LENGTH {
            return Err(PersonIdError::TooLong { length, max: Self::MAX_LENGTH });
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PersonIdError::BadCharacters);
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for PersonId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// An email address, lower-cased so that comparisons ignore case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Accepts an address as people type and HR exports carry it: `local@domain.tld`, checked
    /// by a maintained parser (`email_address`), with no display name, no quoted local part,
    /// no domain literal, no control character and at most 254 characters.
    pub fn parse(text: &str) -> Option<Email> {
        Self::is_well_formed(text).then(|| Email(text.to_lowercase()))
    }

    /// Like [`Self::parse`], lower-casing in place.
    pub fn parse_owned(mut text: String) -> Option<Email> {
        if !Self::is_well_formed(&text) {
            return None;
        }
        if text.is_ascii() {
            text.make_ascii_lowercase();
            Some(Email(text))
        } else {
            Some(Email(text.to_lowercase()))
        }
    }

    /// Whether `text` would parse.
    pub fn is_well_formed(text: &str) -> bool {
        let options = email_address::Options::default()
            .with_required_tld()
            .without_domain_literal()
            .without_display_text();
        Self::looks_like_one(text)
            && crate::text::EMAIL.check(text).is_ok()
            && !text.contains('"')
            && email_address::EmailAddress::parse_with_options(text, options).is_ok()
    }

    /// The looser check that addresses already stored were written under: `local@domain` with
    /// no spaces or control characters. Reads of stored data use it, so that an address stored
    /// before the stricter rule still reads back.
    fn looks_like_one(text: &str) -> bool {
        let Some((local, domain)) = text.split_once('@') else {
            return false;
        };
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    }

    /// An address read back from the database, under the looser rule it may have been stored
    /// with (see [`Self::looks_like_one`]).
    pub fn from_stored(text: &str) -> Option<Email> {
        Self::looks_like_one(text).then(|| Email(text.to_lowercase()))
    }

    /// Whether a stored address reads back (see [`Self::from_stored`]), without allocating.
    pub fn is_stored_form(text: &str) -> bool {
        Self::looks_like_one(text)
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

/// Whether a person is still in the organisation. HR exports are the source of truth: people
/// missing from a full export are marked as left, never deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Left,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Left => "left",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        if text.eq_ignore_ascii_case("active") {
            Some(Status::Active)
        } else if text.eq_ignore_ascii_case("left") {
            Some(Status::Left)
        } else {
            None
        }
    }
}

/// How a person off the ladder is shown where a level would be.
pub const OFF_LADDER: &str = "off the ladder";

/// A level as shown, or [`OFF_LADDER`] for someone who has none.
pub fn level_name(level: Option<&crate::LevelId>) -> &str {
    level.map_or(OFF_LADDER, crate::LevelId::as_str)
}

/// A level as a page shows it: its title in `framework`, its id when the framework does not
/// have it, or "Off the ladder".
pub fn level_title(framework: &crate::Framework, level: Option<&crate::LevelId>) -> String {
    match level {
        Some(level) => framework
            .level(level.as_str())
            .map_or_else(|| level.to_string(), |found| found.title.clone()),
        None => "Off the ladder".to_owned(),
    }
}

/// One person: who they are, where they sit on the ladder, and whom they report to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub email: Email,
    pub title: String,
    /// Their track and level; both `None` for someone an import mapping keeps off the
    /// ladder (a CEO, sales): in the org chart and in chains, never assessed or checked
    /// against a level.
    pub track: Option<crate::TrackId>,
    pub level: Option<crate::LevelId>,
    pub manager_id: Option<PersonId>,
    pub team: String,
    pub status: Status,
    /// When they joined, as the HR export says.
    pub hire_date: Option<jiff::civil::Date>,
    /// When they reached their current level, as the HR export says.
    pub level_since: Option<jiff::civil::Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_ids_keep_hr_spelling() {
        assert_eq!(PersonId::parse("E-00123").unwrap().as_str(), "E-00123");
        assert_eq!(PersonId::parse(""), Err(PersonIdError::Empty));
        assert_eq!(PersonId::parse("E 1"), Err(PersonIdError::BadCharacters));
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(Email::parse("Ada@Example.com").unwrap().as_str(), "ada@example.com");
        for bad in ["ada", "ada@", "@example.com", "ada@example", "a da@example.com", "a@b@c.com"] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }
}
