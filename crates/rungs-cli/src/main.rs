//! The `rungs` binary: parses the command line and hands off to the libraries. Exit status 0 on
//! success, 1 when a check found problems (lint errors), 2 when the command itself could not run.

mod cli;
mod commands;
mod input;
mod output;
mod progress;
mod render;

use std::process::ExitCode;

use clap::Parser;

/// Whole-org commands allocate millions of small strings; mimalloc does that several times
/// faster than the system allocator. Built without transparent huge pages (`no_thp`): faulting
/// in 2 MB pages, with the kernel compacting memory to find them, cost a whole-org command up
/// to a second of system time, and varied from run to run; 4 KB pages cost a steady fraction.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What a command reports back besides its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything checked out.
    Clean,
    /// The command ran, and what it checked has problems.
    ProblemsFound,
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime =
        match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                output::eprint_line(&format!("error: cannot start the async runtime: {error}"));
                return ExitCode::from(2);
            }
        };
    match runtime.block_on(commands::run(cli)) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::ProblemsFound) => ExitCode::from(1),
        Err(error) => {
            if output::is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            output::eprint_line(&format!("error: {error:#}"));
            ExitCode::from(2)
        }
    }
}
