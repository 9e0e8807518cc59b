//! The grammar of `rungs cycle`: cycles with their schedule and participants.

use clap::{Args, Subcommand};

/// A cycle's dates (YYYY-MM-DD, in the cycle's time zone). A new cycle needs --opens; a date
/// left out falls two weeks after the opening for self-assessments, then a week after the date
/// before it.
#[derive(Debug, Args, Default)]
pub struct ScheduleArgs {
    /// The first day anything may be written.
    #[arg(long, value_name = "DATE")]
    pub opens: Option<String>,
    /// The last day of self-assessments.
    #[arg(long, value_name = "DATE")]
    pub self_due: Option<String>,
    /// The last day of peer feedback.
    #[arg(long, value_name = "DATE")]
    pub peer_due: Option<String>,
    /// The last day of manager assessments.
    #[arg(long, value_name = "DATE")]
    pub manager_due: Option<String>,
    /// The last day of agreements.
    #[arg(long, value_name = "DATE")]
    pub agreement_due: Option<String>,
    /// The last day; then only acknowledgements are taken.
    #[arg(long, value_name = "DATE")]
    pub closes: Option<String>,
    /// An IANA time zone, such as Europe/Berlin: the company's days. The newest scheduled
    /// cycle's by default, else UTC.
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
}

/// Who takes part: everyone active on the ladder, or those in a line, on tracks, at levels or
/// in teams (each flag may repeat), with people added or excluded by name, email or id.
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only this person and everyone below them.
    #[arg(long, value_name = "PERSON")]
    pub within: Option<String>,
    /// Only people on this track.
    #[arg(long = "track", value_name = "TRACK")]
    pub tracks: Vec<String>,
    /// Only people at this level.
    #[arg(long = "level", value_name = "LEVEL")]
    pub levels: Vec<String>,
    /// Only people in this team.
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// Take this person part, whatever the filter says.
    #[arg(long = "add", value_name = "PERSON")]
    pub add: Vec<String>,
    /// Leave this person out, whatever the filter says.
    #[arg(long = "exclude", value_name = "PERSON")]
    pub exclude: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CycleCommand {
    /// Create a cycle with a schedule and participants, such as
    /// `rungs cycle create 2027-H1 --opens 2027-01-11 --self-due 2027-01-22 --within "Ada Lovelace"`.
    Create {
        /// The cycle's name, such as 2027-H1.
        name: String,
        #[command(flatten)]
        schedule: ScheduleArgs,
        #[command(flatten)]
        filter: FilterArgs,
        /// Create it while another cycle is open, on purpose; new assessments go to the newest.
        #[arg(long)]
        alongside: bool,
        #[arg(long)]
        json: bool,
    },
    /// Move a cycle's dates or change who takes part; the change is audited. Filter flags
    /// replace the filter; --add and --exclude change it person by person.
    Plan {
        name: String,
        #[command(flatten)]
        schedule: ScheduleArgs,
        #[command(flatten)]
        filter: FilterArgs,
        /// Drop the filter: everyone active takes part (with the people added and excluded).
        #[arg(long, conflicts_with_all = ["within", "tracks", "levels", "teams"])]
        everyone: bool,
        #[arg(long)]
        json: bool,
    },
    /// A cycle's schedule, stage today and participants.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// The people taking part in a cycle, 100 at a time.
    Participants {
        name: String,
        /// Start after this many.
        #[arg(long, default_value_t = 0)]
        skip: u64,
        #[arg(long)]
        json: bool,
    },
    /// How far a cycle's participants are: how many at each step, the late by manager; or
    /// every participant's step as CSV.
    Progress {
        name: String,
        /// Every participant's step and late steps, as CSV, instead of the summary.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        #[arg(long)]
        json: bool,
    },
    /// Open a new cycle without a schedule: everyone takes part, nothing is due. Refused
    /// while another is open, unless --alongside.
    Open {
        /// The cycle's name, such as 2026-H2.
        name: String,
        /// Open it while another cycle is open, on purpose; new assessments go to the newest.
        #[arg(long)]
        alongside: bool,
        #[arg(long)]
        json: bool,
    },
    /// Close a cycle; it becomes read-only. Refused while drafts are left, unless
    /// --abandon-drafts.
    Close {
        name: String,
        /// Close it with its drafts not submitted: they stay readable and never count.
        #[arg(long)]
        abandon_drafts: bool,
        #[arg(long)]
        json: bool,
    },
    /// Every cycle, oldest first.
    List {
        #[arg(long)]
        json: bool,
    },
}
