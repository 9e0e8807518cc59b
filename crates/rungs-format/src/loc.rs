//! `Loc<T>`: a value from the file together with the byte span it came from.

use std::borrow::Cow;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator};

/// A deserialized value and where it stood in the file.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct Loc<T>(toml::Spanned<T>);

impl<T> Loc<T> {
    pub fn value(&self) -> &T {
        self.0.get_ref()
    }

    pub fn span(&self) -> Range<usize> {
        self.0.span()
    }
}

impl<T: JsonSchema> JsonSchema for Loc<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}
