//! Values parsed once per read: a person's record names the same few dozen expectations,
//! cycles and people in hundreds of rows, and each is checked and allocated only the first time.

use rustc_hash::FxHashMap;

use crate::StoreError;

/// The values a read has parsed so far, by their text.
pub(crate) struct Parsed<T> {
    by_text: FxHashMap<Box<str>, T>,
    parse: fn(&str) -> Result<T, StoreError>,
}

impl<T: Clone> Parsed<T> {
    pub(crate) fn new(parse: fn(&str) -> Result<T, StoreError>) -> Parsed<T> {
        Parsed { by_text: FxHashMap::default(), parse }
    }

    /// `text` parsed: a clone of the value parsed from the same text before, or parsed now.
    pub(crate) fn get(&mut self, text: &str) -> Result<T, StoreError> {
        if let Some(value) = self.by_text.get(text) {
            return Ok(value.clone());
        }
        let value = (self.parse)(text)?;
        self.by_text.insert(text.into(), value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_text_once_and_reports_bad_text_every_time() {
        let mut parsed = Parsed::new(|text: &str| {
            text.parse::<i64>().map_err(|_| StoreError::Corrupt(format!("`{text}` is no number")))
        });
        for _ in 0..3 {
            assert_eq!(parsed.get("42").unwrap(), 42);
        }
        assert_eq!(parsed.by_text.len(), 1, "parsed once, kept once");
        assert!(
            matches!(parsed.get("x"), Err(StoreError::Corrupt(message)) if message.contains("`x`"))
        );
        assert!(parsed.get("x").is_err(), "a bad text is not remembered as good");
        assert_eq!(parsed.by_text.len(), 1);
    }
}
