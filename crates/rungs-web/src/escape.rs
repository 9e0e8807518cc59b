//! HTML escaping for every template (configured in `askama.toml`) and the SVG charts: the same
//! output as askama's own escaper, with a fast path for text that needs none.

use std::fmt::{self, Write};

/// Escapes `"`, `&`, `'`, `<` and `>` as askama does (`&#34;`, `&#38;`, `&#39;`, `&#60;`,
/// `&#62;`). Most text (names, ids, the ladder's sentences) has none of them: it is checked in
/// one pass that the compiler turns into vector compares, and written whole.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlEscaper;

fn entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'"' => Some("&#34;"),
        b'&' => Some("&#38;"),
        b'\'' => Some("&#39;"),
        b'<' => Some("&#60;"),
        b'>' => Some("&#62;"),
        _ => None,
    }
}

/// Whether any byte of `text` needs escaping; no early exit, so that it vectorizes.
fn needs_escaping(text: &str) -> bool {
    text.bytes()
        .fold(false, |found, byte| found | matches!(byte, b'"' | b'&' | b'\'' | b'<' | b'>'))
}

/// Writes `text` to `dest`, escaped.
pub fn write_escaped(mut dest: impl Write, text: &str) -> fmt::Result {
    if !needs_escaping(text) {
        return dest.write_str(text);
    }
    let mut written = 0;
    for (index, byte) in text.bytes().enumerate() {
        if let Some(entity) = entity(byte) {
            dest.write_str(&text[written..index])?;
            dest.write_str(entity)?;
            written = index + 1;
        }
    }
    dest.write_str(&text[written..])
}

/// Appends `text` to `out`, escaped.
pub fn push_escaped(out: &mut String, text: &str) {
    // Writing to a `String` cannot fail.
    let _ = write_escaped(out, text);
}

impl askama::filters::Escaper for HtmlEscaper {
    fn write_escaped_str<W: Write>(&self, dest: W, text: &str) -> fmt::Result {
        write_escaped(dest, text)
    }

    fn write_escaped_char<W: Write>(&self, mut dest: W, character: char) -> fmt::Result {
        match u8::try_from(character).ok().and_then(entity) {
            Some(entity) => dest.write_str(entity),
            None => dest.write_char(character),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn askama_escaped(text: &str) -> String {
        let mut out = String::new();
        askama::filters::Escaper::write_escaped_str(&askama::filters::Html, &mut out, text)
            .unwrap();
        out
    }

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    #[test]
    fn escapes_exactly_as_askama_does() {
        for text in [
            "",
            "plain text",
            "Team & Project Scope",
            "the level's expectations",
            r#"<script>alert("x")</script>"#,
            "&&<<>>''\"\"",
            "ünïcödé ✓ & <b>",
            "a long sentence with nothing to escape, longer than one vector of bytes, twice over",
        ] {
            assert_eq!(escaped(text), askama_escaped(text), "{text}");
        }
    }

    #[test]
    fn escapes_single_characters_as_askama_does() {
        for character in ['"', '&', '\'', '<', '>', 'a', 'é', '✓'] {
            let mut ours = String::new();
            askama::filters::Escaper::write_escaped_char(&HtmlEscaper, &mut ours, character)
                .unwrap();
            let mut theirs = String::new();
            askama::filters::Escaper::write_escaped_char(
                &askama::filters::Html,
                &mut theirs,
                character,
            )
            .unwrap();
            assert_eq!(ours, theirs, "{character}");
        }
    }
}
