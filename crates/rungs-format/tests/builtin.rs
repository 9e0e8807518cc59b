//! The built-in framework: lints clean and carries every statement of the specification.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use rungs_format::{BUILTIN_NAME, BUILTIN_SOURCE, SourceFile, lint};

#[test]
fn builtin_lints_without_errors_or_warnings() {
    let source = SourceFile::new(BUILTIN_NAME, BUILTIN_SOURCE);
    let linted = lint(&source);
    let rendered: Vec<String> =
        linted.diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect();
    assert_eq!(rendered, Vec::<String>::new());
    assert!(linted.framework.is_some());
}
