//! Dispatch from parsed command line to the command that runs it.

mod framework;

use crate::Outcome;
use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Framework(command) => framework::run(command),
    }
}
