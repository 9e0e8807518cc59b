//! Assessments against the framework: cycles, ratings with evidence, agreed ratings, and what
//! they add up to: readiness, growth plans, history and team views. Like the rest of the core,
//! nothing here reads a clock or a database: callers pass in what happened and when.

/// A positive number that names a stored record, such as assessment `42`.
macro_rules! numbered {
    ($name:ident) => {
        impl $name {
            pub fn new(value: i64) -> $name {
                $name(value)
            }

            /// Parses a positive number such as `7`.
            pub fn parse(text: &str) -> Option<$name> {
                text.trim().parse::<i64>().ok().filter(|value| *value > 0).map($name)
            }

            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "{}", self.0)
            }
        }
    };
}

mod acknowledgement;
mod assessment;
mod bundle;
mod bundle_rules;
mod cycle;
mod cycle_plan;
mod growth;
mod history;
mod nomination;
mod participants;
mod peer_feedback;
mod progress;
mod rationale;
mod readiness;
mod record;
mod replacing;
mod schedule;
mod side_by_side;
mod standing;
mod tasks;
mod team;
mod view;

pub use acknowledgement::{
    AcknowledgeError, Acknowledgement, CycleOutcome, check_comment, cycle_outcomes,
};
pub use assessment::{
    AssessError, Assessment, AssessmentId, AssessmentKind, AssessmentStatus, Evidence,
    EvidenceError, ExpectationRating, FrameworkVersion, NewAssessmentRequest, Unrated,
    check_authorship, check_label, check_new_assessment, check_one_per_kind, default_target,
    version_of,
};
pub use bundle::{
    Bundle, BundleAgreement, BundleAssessment, BundleCycle, BundleEvidence, BundleFramework,
    BundleRating, FORMAT, FORMAT_VERSION, FrameworkRef,
};
pub use bundle_rules::{
    AssessmentContext, FileRating, Problems, check_file_agreement, check_file_assessment,
    check_file_rating, file_date, file_timestamp,
};
pub use cycle::{
    Cycle, CycleError, CycleName, CycleNameError, CycleState, check_close, check_open,
};
pub use cycle_plan::{CyclePlan, PlanRefusal, WriteSubject};
pub use growth::{
    ActionId, ActionStatus, FocusProgress, GrowthPlan, MAX_ACTION_TEXT, PlanAction, PlanError,
    PlanId, PlanProgress, check_action_text, check_focus, suggest_focus,
};
pub use history::{CycleHistory, DimensionScore, History, LevelChange, LevelScore, level_scores};
pub use nomination::{
    MAX_PEERS, Nomination, NominationError, NominationRequest, NominationState, Nominator,
    check_decider, check_decision, check_decline, check_decline_reason, check_nomination,
    check_withdrawal, nominator,
};
pub use participants::{
    MAX_FILTER_VALUES, MAX_LISTED, ParticipantFilter, Participants, ParticipantsError,
};
pub use peer_feedback::{
    AnonymousPeers, MIN_ANONYMOUS_PEERS, PeerFeedbackPolicy, WithheldPeers, conceal_peers,
    withheld_peer_cycles,
};
pub use progress::{CycleProgress, LateUnder, ProgressStep, StepFlags, tally_progress};
pub use rationale::{RationaleError, check_rationale, check_rationales_rated};
pub use readiness::{
    AgreedTrace, CycleTrace, DimensionReadiness, EvidenceTrace, ExpectationStatus,
    ExpectationTrace, GivenTrace, Readiness, Verdict,
};
pub use record::{AgreedRating, AssessmentRecord, GivenRating};
pub use replacing::{AgreedChange, ReplacingAgreed, agreed_changes, check_replacing};
pub use schedule::{
    Schedule, ScheduleError, ScheduleField, Stage, StageError, Step, Write, ZoneName, long_date,
};
pub use side_by_side::{SideBySide, SideBySideRow};
pub use standing::{DimensionCount, PersonStanding};
pub use tasks::{
    ACTIONS_DUE_WITHIN_DAYS, OpenCycle, OwnAssessment, Task, TaskFacts, TaskKind, tasks,
};
pub use team::{
    Candidate, CandidateCursor, CandidatePage, LineMember, LineTally, TeamMember, TeamView,
    WeakExpectation,
};
pub use view::{AssessmentView, AssessmentViewRow, ExpectationFlag};
#[cfg(test)]
mod tests;
