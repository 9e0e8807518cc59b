//! Plain-text and JSON views of frameworks for the terminal.

mod comparison;
mod diff;
mod growth_area;
mod ladder;
mod level;
mod org;

pub use comparison::comparison;
pub use diff::diff;
pub use growth_area::{growth_area, growth_area_json};
pub use ladder::{ladder, ladder_json};
pub use level::{level, level_json};
pub use org::{findings, person, plan, stats, tree};
