//! Comparing two levels: what the second adds, drops and changes relative to the first, per
//! dimension, with the scope change and the transition narrative.

use crate::framework::{Dimension, Expectation, Framework, Level, Transition};
use crate::scope::{Budget, ScopeRange};

/// The same behaviour at both levels: `from` at the first level, `to` at the second.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExpectationPair<'f> {
    pub from: &'f Expectation,
    pub to: &'f Expectation,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DimensionComparison<'f> {
    pub dimension: &'f Dimension,
    /// Expectations of the second level with no counterpart at the first.
    pub added: Vec<&'f Expectation>,
    /// Expectations of the first level with no counterpart at the second.
    pub dropped: Vec<&'f Expectation>,
    /// Expectations present at both levels, reworded for the second.
    pub changed: Vec<ExpectationPair<'f>>,
}

/// One scope figure at both levels; `None` where a level does not state it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScopeComparison {
    pub org_size: (Option<ScopeRange>, Option<ScopeRange>),
    pub horizon_months: (Option<ScopeRange>, Option<ScopeRange>),
    pub budget: (Option<Budget>, Option<Budget>),
}

/// The answer to "what changes between level A and level B?".
#[derive(Debug, Clone, serde::Serialize)]
pub struct LevelComparison<'f> {
    pub from: &'f Level,
    pub to: &'f Level,
    /// Band rank of `to` minus band rank of `from`: positive for a promotion.
    pub band_step: i64,
    pub same_track: bool,
    pub dimensions: Vec<DimensionComparison<'f>>,
    pub scope: ScopeComparison,
    /// The framework's narrative for this move, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition: Option<&'f Transition>,
}

impl Framework {
    /// Compares two levels of this framework. Expectations are paired by lineage: two
    /// expectations are the same behaviour when their `builds_on` chains share a root.
    pub fn compare<'f>(&'f self, from: &'f Level, to: &'f Level) -> LevelComparison<'f> {
        let dimensions = self
            .dimensions()
            .iter()
            .map(|dimension| {
                let root = |expectation: &Expectation| self.lineage_root(&expectation.id).cloned();
                let from_items: Vec<&Expectation> = from.expectations_in(&dimension.id).collect();
                let to_items: Vec<&Expectation> = to.expectations_in(&dimension.id).collect();
                let mut changed = Vec::new();
                let mut added = Vec::new();
                for &to_item in &to_items {
                    let counterpart =
                        from_items.iter().find(|&&from_item| root(from_item) == root(to_item));
                    match counterpart {
                        Some(&from_item) => {
                            changed.push(ExpectationPair { from: from_item, to: to_item })
                        }
                        None => added.push(to_item),
                    }
                }
                let dropped = from_items
                    .into_iter()
                    .filter(|&from_item| {
                        !changed
                            .iter()
                            .any(|pair: &ExpectationPair<'_>| pair.from.id == from_item.id)
                    })
                    .collect();
                DimensionComparison { dimension, added, dropped, changed }
            })
            .collect();
        let band_step = i64::from(self.band_rank(to)) - i64::from(self.band_rank(from));
        LevelComparison {
            from,
            to,
            band_step,
            same_track: from.track == to.track,
            dimensions,
            scope: ScopeComparison {
                org_size: (from.scope.org_size, to.scope.org_size),
                horizon_months: (from.scope.horizon_months, to.scope.horizon_months),
                budget: (from.scope.budget, to.scope.budget),
            },
            transition: self.transition(&from.id, &to.id),
        }
    }
}
