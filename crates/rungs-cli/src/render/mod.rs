//! Plain-text and JSON views for the terminal: frameworks, the org, assessments and standing.

mod assess;
mod comparison;
mod cycle;
mod diff;
mod growth_area;
mod ladder;
mod level;
mod mail;
mod org;
mod peers;
mod standing;

pub use assess::{
    cycles, headline, list as assessment_list, named, outcomes, side_by_side,
    view as assessment_view,
};
pub use comparison::comparison;
pub use cycle::{cycle_overview, participants, progress, tasks};
pub use diff::diff;
pub use growth_area::growth_area;
pub use ladder::{ladder, ladder_json};
pub use level::level;
pub use mail::{mail_queue, mail_queue_json, mail_settings};
pub use org::{findings, person, plan, stats, tree};
pub use peers::peers;
pub use standing::{history, plan as growth_plan, readiness, team};
