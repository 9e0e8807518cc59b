//! One problem found in a framework file, located by byte span and rendered as
//! `FILE:LINE:COL: error: message`.

use std::fmt;
use std::ops::Range;

use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Range<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, span, message: message.into() }
    }

    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, span, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `FILE:LINE:COL: error: message`.
    pub fn render(&self, source: &SourceFile) -> String {
        let (line, column) = source.line_column(self.span.start);
        format!("{}:{line}:{column}: {}: {}", source.name(), self.severity, self.message)
    }

    /// The diagnostic as data, for `--json` output.
    pub fn to_json(&self, source: &SourceFile) -> serde_json::Value {
        let (line, column) = source.line_column(self.span.start);
        serde_json::json!({
            "file": source.name(),
            "line": line,
            "column": column,
            "severity": self.severity,
            "message": self.message,
        })
    }
}
