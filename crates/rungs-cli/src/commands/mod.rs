//! Dispatch from parsed command line to the command that runs it.

mod demo;
mod framework;
mod org;

use crate::Outcome;
use crate::cli::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Framework(command) => framework::run(&cli.db, command).await,
        Command::Org(command) => org::run(&cli.db, command).await,
        Command::Demo(command) => demo::run(&cli.db, command).await,
    }
}
