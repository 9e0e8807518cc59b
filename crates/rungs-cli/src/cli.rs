//! The command-line grammar.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Rungs: an executable engineering career ladder.
#[derive(Debug, Parser)]
#[command(name = "rungs", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint, show, compare, diff and export career frameworks.
    #[command(subcommand)]
    Framework(FrameworkCommand),
}

/// Which framework a command reads.
#[derive(Debug, Args)]
pub struct FrameworkSource {
    /// A framework file to use instead of the built-in ladder.
    #[arg(long, short = 'f', value_name = "FILE", global = true)]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// Check a framework file and report every problem as FILE:LINE:COL: error: message.
    Lint {
        /// The framework file to check.
        file: PathBuf,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the ladder (tracks side by side by band), or one level in full.
    Show {
        /// A level id, such as `em` or `ic4`.
        level: Option<String>,
        #[command(flatten)]
        source: FrameworkSource,
        #[arg(long)]
        json: bool,
    },
    /// What level B adds, drops and changes relative to level A.
    Compare {
        /// The level you are at, such as `em`.
        from: String,
        /// The level you look at, such as `sem`.
        to: String,
        #[command(flatten)]
        source: FrameworkSource,
        #[arg(long)]
        json: bool,
    },
    /// One growth area across all levels.
    GrowthArea {
        /// The growth area's id or name, such as `people-development` or "People Development".
        name: String,
        #[command(flatten)]
        source: FrameworkSource,
        #[arg(long)]
        json: bool,
    },
    /// The semantic difference between two versions of a framework file.
    Diff {
        /// The old framework file.
        old: PathBuf,
        /// The new framework file.
        new: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Export the whole framework.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// Print the JSON Schema of the framework file format, for editors.
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Toml,
    Md,
    Html,
}
