//! The domain core of Rungs: a career framework (tracks, bands, levels, expectations, growth
//! areas, transitions) and the questions asked of it (compare two levels, diff two versions).
//!
//! This crate does no I/O, knows no file format, and cannot fail because of its environment.
//! Frameworks are built from [`FrameworkParts`] by [`Framework::assemble`], which checks the
//! invariants every query relies on; user-facing validation with file locations lives in
//! `rungs-format`.

pub mod access;
pub mod assess;
mod compare;
mod diff;
mod framework;
mod id;
pub mod notify;
pub mod org;
mod parallel;
mod scope;
pub mod suggest;
#[cfg(test)]
mod test_support;
pub mod text;

pub use compare::{DimensionComparison, ExpectationPair, LevelComparison, ScopeComparison};
pub use diff::{
    ExpectationChange, ExpectationMove, FieldChange, FrameworkDiff, LevelChange, NamedItem,
    TextChange,
};
pub use framework::{
    AssembleError, Band, Dimension, Expectation, Framework, FrameworkParts, GrowthArea,
    GrowthStatement, Level, Meta, RatingScale, ReadinessPolicy, Track, Transition,
};
pub use id::{BandId, DimensionId, ExpectationId, GrowthAreaId, IdError, LevelId, TrackId};
pub use scope::{Budget, RangeError, Scope, ScopeRange};
