//! The built-in default framework: the engineering-management ladder of the specification plus
//! an individual-contributor track, compiled into the binary.

use std::sync::LazyLock;

use rungs_core::Framework;

use crate::source::SourceFile;

/// The name diagnostics use for the built-in framework.
pub const BUILTIN_NAME: &str = "<built-in>";

/// The built-in framework file, as shipped.
pub const BUILTIN_SOURCE: &str = include_str!("../ladders/default.toml");

static BUILTIN: LazyLock<Framework> = LazyLock::new(|| {
    let source = SourceFile::new(BUILTIN_NAME, BUILTIN_SOURCE);
    match crate::load(&source) {
        Ok(loaded) => loaded.framework,
        Err(diagnostics) => {
            let rendered: Vec<String> =
                diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect();
            panic!(
                "the built-in framework is invalid; this is a bug in Rungs:\n{}",
                rendered.join("\n")
            )
        }
    }
});

/// The built-in default framework. Its file is linted by the test suite, so loading it cannot
/// fail in a released binary.
pub fn builtin() -> &'static Framework {
    &BUILTIN
}
