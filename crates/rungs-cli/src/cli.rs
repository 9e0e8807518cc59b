//! The command-line grammar.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod assess_args;
mod cycle_args;
mod mail_args;
mod peers_args;
pub use assess_args::{ActionStatusArg, AssessCommand, KindArg, PlanCommand};
pub use cycle_args::{CycleCommand, FilterArgs, ScheduleArgs};
pub use mail_args::MailCommand;
pub use peers_args::PeersCommand;

/// Rungs: an executable engineering career ladder.
#[derive(Debug, Parser)]
#[command(name = "rungs", version, about, propagate_version = true)]
pub struct Cli {
    /// The database: sqlite://FILE (created if missing) or postgres://USER@HOST/NAME.
    #[arg(long, global = true, env = "RUNGS_DB", default_value = rungs_store::DEFAULT_DATABASE_URL, value_name = "URL")]
    pub db: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint, show, compare, diff and export career frameworks; choose the active one.
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// Import the org chart from HR exports, explore it, and check it against the ladder.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Generate demo data.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Create, schedule, open, close and list assessment cycles (such as 2026-H2), and who
    /// takes part.
    #[command(subcommand)]
    Cycle(Box<CycleCommand>),
    /// The colleagues asked for feedback on a person in a cycle: list, nominate, approve,
    /// reject, decline.
    #[command(subcommand)]
    Peers(PeersCommand),
    /// Mail: the queue of notices and mails, and what a person wants by mail.
    #[command(subcommand)]
    Mail(MailCommand),
    /// What a person has to do: their self-assessment, the assessments, agreements and peer
    /// feedback they owe, outcomes to acknowledge, plan actions due soon.
    Tasks {
        /// The person: a name, an email or an id.
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// Write, submit, revise and agree on assessments; import and export them as JSON.
    #[command(subcommand)]
    Assess(AssessCommand),
    /// Readiness for the next level (or any level), explained expectation by expectation.
    Readiness {
        /// The person's id.
        person: String,
        /// The level to check against; the next level in the person's track by default.
        #[arg(long, value_name = "LEVEL")]
        target: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Growth plans: focus expectations from the gaps, actions, owners and due dates.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// A person's agreed ratings per dimension across cycles, and their level changes.
    History {
        /// The person's id.
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// Serve the web app and the JSON API until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Accounts: add them, set their role and password, list them.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for automation: create (shown once), list, revoke.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit log: every write, who made it, when, before and after.
    Audit {
        /// Only entries about this person.
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        /// Only entries on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// At most this many entries, newest first.
        #[arg(long, value_name = "N", default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Copy the SQLite database to FILE, consistently, while servers and commands go on using
    /// it. (PostgreSQL: use pg_dump.)
    Backup {
        /// The new file; an existing file is never overwritten.
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Replace the SQLite database with a backup, after checking it (integrity, a Rungs
    /// database, a schema this Rungs knows). Refused while `rungs serve` runs on it.
    Restore {
        /// A file written by `rungs backup`.
        file: PathBuf,
        /// Replace without asking (required when standard input is not a terminal).
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// A manager's reporting line: the weakest expectations, and who is ready or close.
    Team {
        /// The manager's id.
        manager: String,
        /// Start the list of who is ready or close after this cursor (a team view's
        /// `next_page`).
        #[arg(long)]
        after: Option<String>,
        /// How many of the ready and close to list (1 to 500).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// On an empty database, load a demo org with two cycles of assessments first, and give
    /// everyone an account with one password printed at start-up.
    #[arg(long)]
    pub demo: bool,
    /// How many people the demo org has.
    #[arg(long, value_name = "N", default_value_t = 250)]
    pub demo_people: usize,
    /// Mark session cookies `Secure` (they are anyway when a TLS proxy sends
    /// `X-Forwarded-Proto: https`).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Serve behind a reverse proxy: take the client's address (for sign-in throttling) from the
    /// last `X-Forwarded-For` entry. Only when every request comes through that proxy.
    #[arg(long)]
    pub trust_proxy: bool,
    /// The share of active people, in percent, an org import from the web or the API may mark
    /// as left without the number being confirmed.
    #[arg(long, value_name = "PERCENT", default_value_t = rungs_core::org::DEFAULT_LEAVER_SHARE, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub leaver_share: u8,
    /// Single sign-on: the OpenID Connect provider's issuer URL.
    #[arg(long, env = "RUNGS_OIDC_ISSUER", value_name = "URL", requires_all = ["oidc_client_id", "oidc_client_secret", "public_url"])]
    pub oidc_issuer: Option<String>,
    #[arg(long, env = "RUNGS_OIDC_CLIENT_ID", value_name = "ID")]
    pub oidc_client_id: Option<String>,
    /// Best given in the environment, so that it does not show in the process list.
    #[arg(long, env = "RUNGS_OIDC_CLIENT_SECRET", value_name = "SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Where browsers reach this server, such as https://rungs.example.com; the provider
    /// redirects to PUBLIC_URL/auth/oidc/callback.
    #[arg(long, env = "RUNGS_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Send notices (cycle opening, work asked, reminders, overdue steps, outcomes ready) to
    /// this SMTP server: smtp://HOST:25, smtp://USER:PASSWORD@HOST:587?tls=required
    /// (STARTTLS), smtps://USER:PASSWORD@HOST:465 (TLS). Without it notices wait in the queue
    /// (the admin page "Mail" shows it). Mails link to PUBLIC_URL when given.
    #[arg(long, env = "RUNGS_SMTP", value_name = "URL", hide_env_values = true)]
    pub smtp: Option<String>,
    /// Whom mails come from.
    #[arg(
        long,
        env = "RUNGS_MAIL_FROM",
        value_name = "MAILBOX",
        default_value = "Rungs <rungs@localhost>"
    )]
    pub mail_from: String,
    /// Days before a due date that reminders go out (0: on the day).
    #[arg(long, env = "RUNGS_REMIND_DAYS", value_name = "DAYS", default_value_t = rungs_core::notify::DEFAULT_REMIND_DAYS, value_parser = clap::value_parser!(u8).range(0..=i64::from(rungs_core::notify::MAX_REMIND_DAYS)))]
    pub remind_days: u8,
    /// Seconds between two rounds of the mailer (a sweep for notices, then sending).
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub mail_every: u64,
    /// Seconds to wait for the SMTP server before an attempt counts as failed.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub smtp_timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; its email links it to the person with that email in the org.
    Add {
        email: String,
        /// employee, hr or admin.
        #[arg(long, default_value = "employee")]
        role: String,
    },
    /// Set an account's password, read from a prompt (or the first line of standard input
    /// when it is not a terminal); never from an argument.
    SetPassword { email: String },
    /// Change an account's role.
    SetRole {
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Remove an account (someone who left, a role that ended): its sessions end at once.
    Remove { email: String },
    /// Every account.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; it is printed once and stored only as a hash.
    Create {
        /// What uses it, such as hr-sync.
        #[arg(long)]
        name: String,
        /// employee, hr, admin, or scim (a directory's token: only the SCIM endpoints).
        #[arg(long)]
        role: String,
    },
    /// Every token, revoked or not (never the secrets).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by id; it stops working at once.
    Revoke { id: i64 },
}

/// Which framework a command reads.
#[derive(Debug, Args)]
pub struct FrameworkSource {
    /// A framework file to use instead of the active framework (or the built-in ladder).
    #[arg(long = "file", short = 'f', id = "framework_file", value_name = "FILE", global = true)]
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
    /// Make a framework file the active framework of the database (its version is kept).
    Use {
        /// The framework file.
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Toml,
    Md,
    Html,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Import a full HR export (CSV or JSON): people are added or updated by id, and people
    /// missing from the export are marked as left. Any error writes nothing.
    Import {
        /// The export file: `.json` is read as JSON, anything else as CSV.
        file: PathBuf,
        /// An import mapping: a TOML file, or the name of one saved with `org mapping save`
        /// (see `org mapping suggest`).
        #[arg(long, value_name = "FILE|NAME")]
        mapping: Option<String>,
        /// Map an export column to a roster field, such as --map "Employee Number=id"; wins
        /// over the mapping's [columns].
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        mappings: Vec<String>,
        /// Check everything and report what would change, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Accept an import that marks up to N people as left, more than --leaver-share allows
        /// (the refusal says how many it would).
        #[arg(long, value_name = "N")]
        allow_leavers: Option<u64>,
        /// The share of active people, in percent, an import may mark as left without
        /// --allow-leavers.
        #[arg(long, value_name = "PERCENT", default_value_t = rungs_core::org::DEFAULT_LEAVER_SHARE, value_parser = clap::value_parser!(u8).range(0..=100))]
        leaver_share: u8,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// Import mappings: suggest one for an export, save, list, show and remove them.
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// One person: their manager chain and direct reports.
    Show {
        /// The person's id.
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The reporting tree, from the top or from one person.
    Tree {
        /// Start from this person instead of the top of the org.
        id: Option<String>,
        /// How many levels of reports to show.
        #[arg(long, value_name = "N")]
        depth: Option<u32>,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// Head counts, managers, layers, spans and the level distribution.
    Stats {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// Check spans, org sizes, layers and bands against the ladder. Exit status 1 on any error.
    Check {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// The management structure an org of N engineers needs under the ladder.
    Plan {
        /// The number of engineers (individual contributors).
        #[arg(long, value_name = "N")]
        engineers: u64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        source: FrameworkSource,
    },
}

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Write a mapping for an HR export from its headers and values, to edit and save.
    Suggest {
        /// The export file (CSV or JSON).
        file: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// Save a mapping file under a name, for `org import --mapping NAME`, the web and the API.
    Save {
        /// Lowercase letters, digits, `-` and `_`.
        name: String,
        /// The mapping (TOML).
        file: PathBuf,
    },
    /// The saved mappings.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A saved mapping's TOML.
    Show { name: String },
    /// Remove a saved mapping.
    Remove {
        name: String,
        /// Remove without asking.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write a realistic org chart CSV in the canonical columns (deterministic for a seed).
    Generate {
        /// How many people.
        #[arg(long, value_name = "N")]
        people: usize,
        /// The random seed; the same seed gives the same org.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also write two cycles of assessments of the org to this file, for `assess import`.
        #[arg(long, value_name = "FILE")]
        assessments: Option<PathBuf>,
        /// How many people the assessments cover at most.
        #[arg(long, value_name = "N", default_value_t = 500)]
        assessed: usize,
        #[command(flatten)]
        source: FrameworkSource,
    },
    /// Fill an empty database with a demo org and two cycles of assessments with evidence.
    Load {
        /// How many people.
        #[arg(long, value_name = "N", default_value_t = 250)]
        people: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// How many people the assessments cover at most.
        #[arg(long, value_name = "N", default_value_t = 500)]
        assessed: usize,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
