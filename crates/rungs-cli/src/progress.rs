//! Progress bars for long commands: drawn on standard error when it is a terminal, and not at
//! all otherwise (scripts and CI see clean output).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting to `length` units, labelled `message`; hidden when stderr is not a terminal.
pub fn bar(length: u64, message: &'static str, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let template = format!("{{msg:>10}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{eta}} left)");
    let style =
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(length).with_style(style.progress_chars("=> ")).with_message(message)
}
