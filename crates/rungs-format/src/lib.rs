//! The Rungs framework file: TOML with precise locations, the linter that reports every problem
//! at once, the JSON Schema for editors, the exports (JSON, TOML, Markdown, HTML), and the
//! built-in default ladder.
//!
//! Nothing here touches the file system: callers hand in a file name and its text.

mod builtin;
mod diagnostic;
mod doc;
pub mod export;
mod lint;
mod loc;
mod schema;
mod source;

pub use builtin::{BUILTIN_NAME, BUILTIN_SOURCE, builtin};
pub use diagnostic::{Diagnostic, Severity};
pub use lint::{Linted, lint};
pub use rungs_core::suggest::closest;
pub use schema::json_schema;
pub use source::SourceFile;

use rungs_core::Framework;

/// A framework loaded from a file, with the warnings its linting produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub framework: Framework,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and validates a framework file. On any error, returns every diagnostic (errors and
/// warnings, in file order) and no framework.
pub fn load(source: &SourceFile) -> Result<Loaded, Vec<Diagnostic>> {
    let Linted { framework, diagnostics } = lint(source);
    match framework {
        Some(framework) => Ok(Loaded { framework, warnings: diagnostics }),
        None => Err(diagnostics),
    }
}
