//! The organisation: people, the reporting tree, and what the ladder says about its shape.

mod chart;
mod check;
mod dates;
mod directory;
mod import_changes;
mod leavers;
mod manager_hint;
mod names;
mod person;
mod plan;
mod roster;
mod roster_row;
mod row_rules;
mod search;
mod seen_rows;
mod stats;

pub use chart::{OrgChart, OrgMember};
pub use check::{
    Figure, Finding, FindingCounts, FindingSeverity, Rule, check, count_findings, findings_of,
    findings_page,
};
pub use dates::{DateOrder, duration_words, months_between, parse_date, tenure};
pub use directory::{check_placement, reports_go_to};
pub use import_changes::{CHANGES_LISTED, ChangeObserver, ImportChanges};
pub use leavers::{DEFAULT_LEAVER_SHARE, LeaverPolicy, TooManyLeavers};
pub use names::Names;
pub use person::{
    Email, OFF_LADDER, Person, PersonId, PersonIdError, Status, level_name, level_title,
};
pub use plan::{Plan, PlannedRole, plan};
pub use roster::{
    ROSTER_FIELDS, RosterError, RosterField, RosterRow, RosterValidator, check_one_row,
};
pub use row_rules::{
    FileIndex, ManagerReference, OffLadder, RowFate, RowRules, ValueMap, mapping_key,
};
pub use search::{NameMatch, PersonQuery, search_people};
pub use stats::{LevelCount, OrgStats, SpanStats, stats};
