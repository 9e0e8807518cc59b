//! Plain-text and JSON views of frameworks for the terminal.

mod comparison;
mod diff;
mod growth_area;
mod ladder;
mod level;

pub use comparison::comparison;
pub use diff::diff;
pub use growth_area::{growth_area, growth_area_json};
pub use ladder::{ladder, ladder_json};
pub use level::{level, level_json};

use rungs_core::Scope;

/// The scope figures of a level as short phrases: `5-8 engineers`, `3 months`, ….
pub(crate) fn scope_phrases(scope: &Scope) -> Vec<(&'static str, String)> {
    let mut phrases = Vec::new();
    if let Some(org_size) = scope.org_size {
        phrases.push(("Org size", format!("{} engineers", org_size.describe())));
    }
    if let Some(horizon) = scope.horizon_months {
        phrases.push(("Horizon", horizon.describe_months()));
    }
    if let Some(budget) = scope.budget {
        phrases.push(("Budget", budget.describe().to_owned()));
    }
    phrases
}
