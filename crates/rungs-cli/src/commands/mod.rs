//! Dispatch from parsed command line to the command that runs it.

mod account;
mod assess;
mod backup;
mod cycle;
pub mod demo;
mod framework;
mod mail;
pub mod org;
mod org_mapping;
mod peers;
mod serve;

use crate::Outcome;
use crate::cli::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Framework(command) => framework::run(&cli.db, command).await,
        Command::Org(command) => org::run(&cli.db, command).await,
        Command::Demo(command) => demo::run(&cli.db, command).await,
        Command::Cycle(command) => cycle::run(&cli.db, *command).await,
        Command::Tasks { person, json } => cycle::tasks(&cli.db, &person, json).await,
        Command::Peers(command) => peers::run(&cli.db, command).await,
        Command::Mail(command) => mail::run(&cli.db, command).await,
        Command::Assess(command) => assess::assess(&cli.db, command).await,
        Command::Readiness { person, target, json } => {
            assess::readiness(&cli.db, &person, target.as_deref(), json).await
        }
        Command::Plan(command) => assess::plan(&cli.db, command).await,
        Command::History { person, json } => assess::history(&cli.db, &person, json).await,
        Command::Team { manager, after, limit, json } => {
            assess::team(&cli.db, &manager, after.as_deref(), limit, json).await
        }
        Command::Backup { file, json } => backup::backup(&cli.db, &file, json).await,
        Command::Restore { file, yes, json } => backup::restore(&cli.db, &file, yes, json).await,
        Command::Serve(args) => serve::run(&cli.db, args).await,
        Command::User(command) => account::user(&cli.db, command).await,
        Command::Token(command) => account::token(&cli.db, command).await,
        Command::Audit { person, since, limit, json } => {
            account::audit(&cli.db, person.as_deref(), since.as_deref(), limit, json).await
        }
    }
}
