//! Writing to the terminal: standard output, where a closed pipe (`rungs … | head`) is not an
//! error, and messages on standard error. Everything goes through [`visible`], so that stored
//! text (names, titles, evidence, messages that quote a file) cannot act on the terminal.

use std::io::Write;

/// `text` with its control characters made visible (tab and line feed kept): the one
/// sanitizer every line the CLI prints goes through. The only escape sequences the CLI writes
/// are its own progress bars', on a terminal's standard error.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    rungs_core::text::visible(text, true)
}

/// Writes a message line to standard error.
pub fn eprint_line(text: &str) {
    eprintln!("{}", visible(text));
}

/// Writes `text` to standard output.
/// A reader that went away (`rungs org check | head`) is not an error: the command's outcome,
/// and so its exit status, stays what the work found.
pub fn print(text: &str) -> anyhow::Result<()> {
    let text = visible(text);
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| if text.ends_with('\n') { Ok(()) } else { stdout.write_all(b"\n") })
        .and_then(|()| stdout.flush());
    match written {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Writes a value as pretty JSON to standard output.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    print(&serde_json::to_string_pretty(value)?)
}

pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
