//! Who may see and change what: account roles, the signed-in principal, and the one decision
//! every page and API endpoint goes through. Pure: the edge gathers the facts (how the
//! principal relates to the person or assessment a route names) and asks [`decide`].

mod decide;
mod principal;
mod role;
#[cfg(test)]
mod tests;

pub use decide::{AssessmentFacts, Decision, Facts, Rule, assessor_for, decide};
pub use principal::{Principal, Relation};
pub use role::Role;
