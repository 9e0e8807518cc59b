//! The rules every stored text obeys, whatever edge it comes from: a maximum length in
//! characters, and no control characters (C0 but tab and line breaks where a text may span
//! lines, DEL, C1), which a terminal would act on (a title change, a line erase, a clipboard
//! write) instead of showing. docs/org.md and docs/assessments.md list the limits.

use std::fmt;

/// What a field may hold: its name as users know it, its length, and whether it may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// The field, as forms and messages name it (`name`, `evidence text`).
    pub field: &'static str,
    /// Characters at most.
    pub max: usize,
    /// Whether tabs and line breaks are allowed.
    pub multiline: bool,
}

/// A person's name.
pub const PERSON_NAME: TextRule = TextRule { field: "name", max: 200, multiline: false };
/// A person's job title.
pub const TITLE: TextRule = TextRule { field: "title", max: 200, multiline: false };
/// A team's name.
pub const TEAM: TextRule = TextRule { field: "team", max: 200, multiline: false };
/// An email address (RFC 5321's limit).
pub const EMAIL: TextRule = TextRule { field: "email", max: 254, multiline: false };
/// What backs a rating.
pub const EVIDENCE_TEXT: TextRule = TextRule { field: "evidence text", max: 4000, multiline: true };
/// Where to read more about a piece of evidence.
pub const LINK: TextRule = TextRule { field: "link", max: 2000, multiline: false };
/// Why an agreed rating differs from the manager's rating.
pub const RATIONALE: TextRule = TextRule { field: "rationale", max: 2000, multiline: true };
/// What a person says when they acknowledge the outcome agreed for them.
pub const ACKNOWLEDGEMENT_COMMENT: TextRule =
    TextRule { field: "comment", max: 2000, multiline: true };
/// Why a peer declines to give feedback.
pub const DECLINE_REASON: TextRule = TextRule { field: "reason", max: 500, multiline: true };
/// A growth-plan action.
pub const ACTION_TEXT: TextRule = TextRule { field: "action", max: 1000, multiline: false };
/// The file name an import is recorded under.
pub const SOURCE_NAME: TextRule = TextRule { field: "file name", max: 255, multiline: false };
/// An API token's name.
pub const TOKEN_NAME: TextRule = TextRule { field: "name", max: 100, multiline: false };
/// How a directory (SCIM) names a person: their `userName`.
pub const USER_NAME: TextRule = TextRule { field: "userName", max: 254, multiline: false };
/// A directory's own id of a person: their `externalId`.
pub const EXTERNAL_ID: TextRule = TextRule { field: "externalId", max: 254, multiline: false };

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field} is at most {max} characters; this one has {length}")]
    TooLong { field: &'static str, length: usize, max: usize },
    #[error(
        "{field} contains the control character {code} at character {position}; {field} is plain text"
    )]
    ControlCharacter { field: &'static str, code: CodePoint, position: usize },
}

/// A character shown as `U+001B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePoint(pub char);

impl fmt::Display for CodePoint {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "U+{:04X}", u32::from(self.0))
    }
}

impl TextRule {
    /// Checks `text` against the rule: its length, then its characters.
    pub fn check(&self, text: &str) -> Result<(), TextError> {
        // Bytes bound characters: most texts never need counting.
        if text.len() > self.max {
            let length = text.chars().count();
            if length > self.max {
                return Err(TextError::TooLong { field: self.field, length, max: self.max });
            }
        }
        match first_control(text, self.multiline) {
            Some((position, character)) => Err(TextError::ControlCharacter {
                field: self.field,
                code: CodePoint(character),
                position: position + 1,
            }),
            None => Ok(()),
        }
    }
}

/// Whether `character` is refused: C0 (with tab, line feed and carriage return allowed in
/// texts that span lines, since browsers send line breaks as CR LF), DEL and C1.
pub fn is_refused(character: char, multiline: bool) -> bool {
    match character {
        '\t' | '\n' | '\r' => !multiline,
        character => character.is_control(),
    }
}

/// The first refused character and its position in characters (from 0).
fn first_control(text: &str, multiline: bool) -> Option<(usize, char)> {
    // Most texts are plain printable ASCII: one pass over the bytes tells.
    if text.bytes().all(|byte| (0x20..0x7f).contains(&byte)) {
        return None;
    }
    text.chars().enumerate().find(|&(_, character)| is_refused(character, multiline))
}

/// `text` with every control character made visible, for a terminal: C0 and DEL as the
/// Unicode control pictures (`␛` for ESC), C1 as `\u{9b}`; tab and line feed are kept when
/// `multiline`. Stored text goes through this before a CLI prints it, so that data written
/// by older versions or other tools cannot act on the terminal.
pub fn visible(text: &str, multiline: bool) -> std::borrow::Cow<'_, str> {
    let keep = |character: char| multiline && matches!(character, '\t' | '\n');
    if !text.chars().any(|character| character.is_control() && !keep(character)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            character if keep(character) || !character.is_control() => shown.push(character),
            '\u{7f}' => shown.push('\u{2421}'),
            character if u32::from(character) < 0x20 => {
                shown.push(char::from_u32(0x2400 + u32::from(character)).unwrap_or('\u{fffd}'));
            }
            character => shown.push_str(&format!("\\u{{{:x}}}", u32::from(character))),
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// The first of `shown` items of `total`, joined with commas, and "and N more" for the
/// rest: how a refusal names what it is about without listing thousands.
pub fn first_of(shown: impl IntoIterator<Item = String>, total: u64) -> String {
    let mut listed: Vec<String> = shown.into_iter().collect();
    let named = listed.len() as u64;
    if total > named {
        listed.push(format!("and {} more", total - named));
    }
    listed.join(", ")
}

/// Characters of an input that a message quotes at most.
const EXCERPT: usize = 60;

/// `text` as a message quotes it: control characters made visible, and cut to its first 60
/// characters (with `…`), so that a refusal of a 5 MB value is not itself 5 MB.
pub fn excerpt(text: &str) -> String {
    let shown = visible(text, false);
    match shown.char_indices().nth(EXCERPT) {
        Some((end, _)) => format!("{}…", &shown[..end]),
        None => shown.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        let rule = TextRule { field: "name", max: 3, multiline: false };
        assert_eq!(rule.check("Zoë"), Ok(()));
        assert_eq!(
            rule.check("Zoëy").unwrap_err().to_string(),
            "name is at most 3 characters; this one has 4"
        );
    }

    #[test]
    fn control_characters_are_refused_with_their_position() {
        let error = PERSON_NAME.check("Ada\u{1b}]0;owned\u{7}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "name contains the control character U+001B at character 4; name is plain text"
        );
        assert!(PERSON_NAME.check("a\u{0}").is_err(), "NUL");
        assert!(PERSON_NAME.check("a\u{7f}").is_err(), "DEL");
        assert!(PERSON_NAME.check("a\u{9b}2K").is_err(), "C1 CSI");
        assert!(PERSON_NAME.check("a\tb").is_err(), "a tab in a one-line field");
        assert!(PERSON_NAME.check("a\nb").is_err(), "a line break in a one-line field");
        assert_eq!(EVIDENCE_TEXT.check("line one\r\n\tline two\n"), Ok(()));
        assert!(EVIDENCE_TEXT.check("bell\u{7}").is_err());
        assert_eq!(PERSON_NAME.check("Zoë Ńowak-Łęcka 李"), Ok(()));
    }

    #[test]
    fn excerpts_are_short_and_visible() {
        assert_eq!(excerpt("E\u{1b}1"), "E\u{241b}1");
        assert_eq!(excerpt(&"x".repeat(5_000_000)), format!("{}…", "x".repeat(60)));
        assert_eq!(excerpt(&"é".repeat(60)), "é".repeat(60));
    }

    #[test]
    fn visible_shows_control_characters_as_pictures() {
        assert_eq!(visible("plain", false), "plain");
        assert_eq!(visible("a\u{1b}]52;c;x\u{7}", false), "a\u{241b}]52;c;x\u{2407}");
        assert_eq!(visible("a\u{9b}2K\u{7f}", false), "a\\u{9b}2K\u{2421}");
        assert_eq!(visible("one\ntwo\tthree", true), "one\ntwo\tthree");
        assert_eq!(visible("one\ntwo", false), "one\u{240a}two");
        assert_eq!(visible("crlf\r\n", true), "crlf\u{240d}\n");
    }
}
