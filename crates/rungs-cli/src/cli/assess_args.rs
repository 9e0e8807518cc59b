//! The grammar of `rungs assess` and `rungs plan`: assessments, agreements and growth plans.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

/// The kind of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    #[value(name = "self")]
    SelfReview,
    Manager,
    Peer,
}

#[derive(Debug, Subcommand)]
pub enum AssessCommand {
    /// Start a draft assessment of a person in an open cycle; prints its id.
    Create {
        #[arg(long)]
        cycle: String,
        /// The person assessed.
        #[arg(long)]
        subject: String,
        /// The person writing the assessment.
        #[arg(long)]
        assessor: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        /// The level to assess against besides the current one; the next level by default.
        #[arg(long, value_name = "LEVEL")]
        target: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rate expectations of a draft: EXPECTATION=RATING, as many as you like, all or none.
    Rate {
        id: String,
        #[arg(value_name = "EXPECTATION=RATING", required = true)]
        ratings: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Attach evidence to an expectation of a draft.
    Evidence {
        id: String,
        expectation: String,
        /// What happened.
        text: String,
        /// Where to read more (https://...).
        #[arg(long)]
        link: Option<String>,
        /// When it happened (YYYY-MM-DD); today by default.
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        #[arg(long)]
        json: bool,
    },
    /// Submit a draft. A submitted assessment never changes. Every expectation must be rated
    /// first, or marked not observed (`EXPECTATION=not-observed`, or all that are left with
    /// --unrated-not-observed).
    Submit {
        id: String,
        /// Mark every expectation left unrated "not observed", which readiness counts as not met.
        #[arg(long)]
        unrated_not_observed: bool,
        #[arg(long)]
        json: bool,
    },
    /// Start a correction of a submitted assessment: a new draft revision; the old one is kept.
    Revise {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Record agreed (final) ratings on a submitted manager assessment: EXPECTATION=RATING, or
    /// none to agree with all of the manager's ratings.
    Agree {
        id: String,
        #[arg(value_name = "EXPECTATION=RATING")]
        ratings: Vec<String>,
        /// Why a rating is agreed differently from the manager's rating (repeat for each such
        /// rating); required for each of them.
        #[arg(long = "rationale", value_name = "EXPECTATION=TEXT")]
        rationales: Vec<String>,
        /// Change ratings already agreed in the cycle (without it, such a change is refused).
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record that a person acknowledged the outcome agreed for them in a cycle (they have seen
    /// it; it is not consent). Acknowledging again replaces the earlier acknowledgement.
    Acknowledge {
        /// The person whose outcome it is.
        person: String,
        #[arg(long)]
        cycle: String,
        /// What they said, if anything.
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The outcome agreed for a person in each cycle, and whether they acknowledged it.
    Outcomes {
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// One assessment by level and dimension, with expectations changed since flagged.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Assessments, oldest cycle first.
    List {
        #[arg(long)]
        cycle: Option<String>,
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        assessor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A person's self and manager assessments of a cycle side by side, differences marked.
    Compare {
        /// The person assessed.
        person: String,
        #[arg(long)]
        cycle: String,
        #[arg(long)]
        json: bool,
    },
    /// Write cycles with every assessment, revision, piece of evidence and agreed rating as JSON.
    Export {
        /// Only this cycle.
        #[arg(long)]
        cycle: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import a file written by `assess export`. Any problem writes nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// The status of a growth-plan action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionStatusArg {
    Planned,
    InProgress,
    Done,
    Dropped,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Start a growth plan towards a level, focused on chosen expectations or on the gaps.
    Create {
        person: String,
        /// The level the plan works towards; the next level by default.
        #[arg(long, value_name = "LEVEL")]
        target: Option<String>,
        /// A focus expectation of the target level (repeat for more). Without any, the plan
        /// focuses on the largest gaps readiness shows.
        #[arg(long, value_name = "EXPECTATION")]
        focus: Vec<String>,
        /// How many gaps to focus on when no --focus is given.
        #[arg(long, default_value_t = 3, value_name = "N")]
        gaps: usize,
        #[arg(long)]
        json: bool,
    },
    /// A person's current plan, with progress against the expectations it targets.
    Show {
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// Add an action towards a focus expectation of a person's current plan.
    Action {
        person: String,
        #[arg(long)]
        expectation: String,
        /// What will be done.
        #[arg(long)]
        text: String,
        /// Who does it.
        #[arg(long)]
        owner: String,
        /// By when (YYYY-MM-DD).
        #[arg(long)]
        due: jiff::civil::Date,
        #[arg(long)]
        json: bool,
    },
    /// Add focus expectations of the target level to a person's current plan.
    Focus {
        person: String,
        #[arg(value_name = "EXPECTATION", required = true)]
        expectations: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move an action to a new status.
    Status {
        /// The action's id.
        action: String,
        #[arg(value_enum)]
        status: ActionStatusArg,
        #[arg(long)]
        json: bool,
    },
}
