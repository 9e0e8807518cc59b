//! Growth plans: focus expectations chosen from the gaps, with actions, owners, due dates and
//! status, and progress measured against the expectations they target.

use jiff::civil::Date;

use crate::assess::{ExpectationStatus, ExpectationTrace, Readiness};
use crate::org::PersonId;
use crate::suggest::did_you_mean;
use crate::{ExpectationId, Level, LevelId, RatingScale};

/// The number a growth plan is known by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct PlanId(i64);

/// The number an action of a growth plan is known by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ActionId(i64);

numbered!(PlanId);
numbered!(ActionId);

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Planned,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(text: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// Something to do towards a focus expectation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanAction {
    pub id: ActionId,
    pub expectation: ExpectationId,
    pub text: String,
    pub owner: PersonId,
    pub due: Date,
    pub status: ActionStatus,
}

/// A person's plan towards a target level.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrowthPlan {
    pub id: PlanId,
    pub subject: PersonId,
    pub target_level: LevelId,
    pub focus: Vec<ExpectationId>,
    pub actions: Vec<PlanAction>,
}

/// Why a plan change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("`{expectation}` is not an expectation of {level}, the plan's target{suggestion}")]
    NotInTarget { expectation: String, level: String, suggestion: String },
    #[error("`{expectation}` is not a focus of plan {plan}; add it with `rungs plan focus` first")]
    NotAFocus { expectation: ExpectationId, plan: PlanId },
    #[error("an action needs a text saying what will be done")]
    EmptyAction,
    #[error("an action text is at most {max} characters; this one has {length}")]
    ActionTooLong { length: usize, max: usize },
    #[error("a plan needs at least one focus expectation, and there are no gaps to choose from")]
    NoFocus,
    #[error(transparent)]
    Text(#[from] crate::text::TextError),
}

pub const MAX_ACTION_TEXT: usize = crate::text::ACTION_TEXT.max;

/// The expectations of `target` named by `focus`, checked.
pub fn check_focus(target: &Level, focus: &[String]) -> Result<Vec<ExpectationId>, PlanError> {
    focus
        .iter()
        .map(|wanted| {
            target
                .expectations
                .iter()
                .find(|expectation| expectation.id.as_str() == wanted)
                .map(|expectation| expectation.id.clone())
                .ok_or_else(|| PlanError::NotInTarget {
                    expectation: wanted.clone(),
                    level: target.label(),
                    suggestion: did_you_mean(
                        wanted,
                        target.expectations.iter().map(|expectation| expectation.id.as_str()),
                    ),
                })
        })
        .collect()
}

/// The gaps worth focusing on, at most `limit`, weakest dimensions first: expectations agreed
/// below "meets" on `scale`, then those agreed at "meets" that are not met yet (they lack
/// evidence or another cycle, which time brings), then those not rated.
pub fn suggest_focus(
    scale: &RatingScale,
    readiness: &Readiness,
    limit: usize,
) -> Vec<ExpectationId> {
    let mut dimensions: Vec<_> = readiness.dimensions.iter().collect();
    dimensions.sort_by(|a, b| a.share.total_cmp(&b.share));
    let meets = |cycle: &crate::assess::CycleTrace| {
        cycle.rating.as_deref().is_some_and(|rating| scale.is_meeting(rating))
    };
    let rank = |trace: &ExpectationTrace| match trace.status {
        ExpectationStatus::NotMet if !trace.cycles.last().is_some_and(meets) => Some(0),
        ExpectationStatus::NotMet => Some(1),
        ExpectationStatus::NotRated => Some(2),
        ExpectationStatus::Met => None,
    };
    let mut gaps: Vec<(u8, usize, &ExpectationTrace)> = dimensions
        .iter()
        .flat_map(|dimension| dimension.expectations.iter())
        .enumerate()
        .filter_map(|(order, trace)| rank(trace).map(|rank| (rank, order, trace)))
        .collect();
    gaps.sort_by_key(|&(rank, order, _)| (rank, order));
    gaps.into_iter().take(limit).map(|(_, _, trace)| trace.expectation.clone()).collect()
}

/// Checks an action's text.
pub fn check_action_text(text: &str) -> Result<String, PlanError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PlanError::EmptyAction);
    }
    let length = text.chars().count();
    if length > MAX_ACTION_TEXT {
        return Err(PlanError::ActionTooLong { length, max: MAX_ACTION_TEXT });
    }
    crate::text::ACTION_TEXT.check(text)?;
    Ok(text.to_owned())
}

impl GrowthPlan {
    pub fn check_action_target(&self, expectation: &str) -> Result<ExpectationId, PlanError> {
        self.focus.iter().find(|focus| focus.as_str() == expectation).cloned().ok_or_else(|| {
            match ExpectationId::parse(expectation) {
                Ok(expectation) => PlanError::NotAFocus { expectation, plan: self.id },
                Err(_) => PlanError::NotInTarget {
                    expectation: expectation.to_owned(),
                    level: self.target_level.to_string(),
                    suggestion: String::new(),
                },
            }
        })
    }
}

/// Progress on one focus expectation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FocusProgress {
    pub expectation: ExpectationId,
    pub text: String,
    /// Where the expectation stands in the latest readiness.
    pub status: ExpectationStatus,
    pub actions_done: u32,
    pub actions_open: u32,
    pub actions_overdue: u32,
}

/// A plan's progress: actions done, and how many focus expectations are now met.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanProgress {
    pub focus: Vec<FocusProgress>,
    pub focus_met: u32,
    pub actions_done: u32,
    /// Actions not dropped.
    pub actions_total: u32,
}

impl PlanProgress {
    pub fn of(plan: &GrowthPlan, readiness: &Readiness, today: Date) -> PlanProgress {
        let focus: Vec<FocusProgress> = plan
            .focus
            .iter()
            .map(|expectation| {
                let trace = readiness.trace(expectation.as_str());
                let actions: Vec<&PlanAction> = plan
                    .actions
                    .iter()
                    .filter(|action| {
                        &action.expectation == expectation && action.status != ActionStatus::Dropped
                    })
                    .collect();
                let open = actions.iter().filter(|action| action.status != ActionStatus::Done);
                FocusProgress {
                    expectation: expectation.clone(),
                    text: trace.map(|trace| trace.text.clone()).unwrap_or_default(),
                    status: trace.map_or(ExpectationStatus::NotRated, |trace| trace.status),
                    actions_done: actions
                        .iter()
                        .filter(|action| action.status == ActionStatus::Done)
                        .count() as u32,
                    actions_open: open.clone().count() as u32,
                    actions_overdue: open.filter(|action| action.due < today).count() as u32,
                }
            })
            .collect();
        PlanProgress {
            focus_met: focus.iter().filter(|focus| focus.status == ExpectationStatus::Met).count()
                as u32,
            actions_done: focus.iter().map(|focus| focus.actions_done).sum(),
            actions_total: focus.iter().map(|focus| focus.actions_done + focus.actions_open).sum(),
            focus,
        }
    }
}
