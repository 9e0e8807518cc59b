//! Dispatch from parsed command line to the command that runs it.

mod assess;
pub mod demo;
mod framework;
pub mod org;
mod serve;

use crate::Outcome;
use crate::cli::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Framework(command) => framework::run(&cli.db, command).await,
        Command::Org(command) => org::run(&cli.db, command).await,
        Command::Demo(command) => demo::run(&cli.db, command).await,
        Command::Cycle(command) => assess::cycle(&cli.db, command).await,
        Command::Assess(command) => assess::assess(&cli.db, command).await,
        Command::Readiness { person, target, json } => {
            assess::readiness(&cli.db, &person, target.as_deref(), json).await
        }
        Command::Plan(command) => assess::plan(&cli.db, command).await,
        Command::History { person, json } => assess::history(&cli.db, &person, json).await,
        Command::Team { manager, json } => assess::team(&cli.db, &manager, json).await,
        Command::Serve { addr, demo, demo_people } => {
            serve::run(&cli.db, &addr, demo, demo_people).await
        }
    }
}
