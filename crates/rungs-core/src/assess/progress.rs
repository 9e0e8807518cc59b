//! A cycle's progress: which step each participant has reached (from a few flags per person,
//! kept in one byte), who is late on a step whose day has passed, and the tally HR reads:
//! how many are at each step, and the late by their manager.

use jiff::civil::Date;

use crate::assess::schedule::{Schedule, Step};
use crate::org::OrgChart;

/// What has happened for one person in a cycle, as bits of a byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepFlags(pub u8);

impl StepFlags {
    pub const SELF_STARTED: u8 = 1;
    pub const SELF_SUBMITTED: u8 = 1 << 1;
    pub const MANAGER_STARTED: u8 = 1 << 2;
    pub const MANAGER_SUBMITTED: u8 = 1 << 3;
    pub const AGREED: u8 = 1 << 4;
    pub const ACKNOWLEDGED: u8 = 1 << 5;

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    /// The furthest step reached.
    pub fn step(self) -> ProgressStep {
        if self.has(Self::ACKNOWLEDGED) {
            ProgressStep::Acknowledged
        } else if self.has(Self::AGREED) {
            ProgressStep::Agreed
        } else if self.has(Self::MANAGER_SUBMITTED) {
            ProgressStep::ManagerSubmitted
        } else if self.has(Self::SELF_SUBMITTED) {
            ProgressStep::SelfSubmitted
        } else if self.has(Self::SELF_STARTED | Self::MANAGER_STARTED) {
            ProgressStep::Started
        } else {
            ProgressStep::NotStarted
        }
    }

    /// The steps past their day on `today` that are not done for this person. Peer feedback
    /// is the peers' to give, not the participant's: it is not counted here.
    pub fn late(self, schedule: &Schedule, today: Date) -> Vec<Step> {
        let agreed = self.has(Self::AGREED);
        [
            (Step::SelfAssessment, self.has(Self::SELF_SUBMITTED) || agreed),
            (Step::ManagerAssessment, self.has(Self::MANAGER_SUBMITTED) || agreed),
            (Step::Agreement, agreed),
        ]
        .into_iter()
        .filter(|(step, done)| !done && schedule.is_overdue(*step, today))
        .map(|(step, _)| step)
        .collect()
    }
}

/// The steps a participant goes through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgressStep {
    NotStarted,
    /// A self or manager assessment is a draft.
    Started,
    SelfSubmitted,
    ManagerSubmitted,
    Agreed,
    Acknowledged,
}

impl ProgressStep {
    pub const ALL: [ProgressStep; 6] = [
        ProgressStep::NotStarted,
        ProgressStep::Started,
        ProgressStep::SelfSubmitted,
        ProgressStep::ManagerSubmitted,
        ProgressStep::Agreed,
        ProgressStep::Acknowledged,
    ];

    /// In words, for tables: "self-assessment submitted".
    pub fn label(self) -> &'static str {
        match self {
            ProgressStep::NotStarted => "not started",
            ProgressStep::Started => "started",
            ProgressStep::SelfSubmitted => "self-assessment submitted",
            ProgressStep::ManagerSubmitted => "manager assessment submitted",
            ProgressStep::Agreed => "ratings agreed",
            ProgressStep::Acknowledged => "outcome acknowledged",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How many participants are late, under one manager.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LateUnder {
    /// The manager's position in the chart.
    pub manager: usize,
    pub late: u32,
}

/// A cycle's progress over its participants.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct CycleProgress {
    pub participants: u64,
    /// How many are at each step, in the order of [`ProgressStep::ALL`].
    pub at_step: [u64; 6],
    /// How many are late on at least one step.
    pub late: u64,
    /// Managers with late participants among their direct reports, the most late first, then
    /// in chart order; how many such managers there are in all.
    pub late_by_manager: Vec<LateUnder>,
    pub managers_with_late: u64,
}

impl CycleProgress {
    pub fn at(&self, step: ProgressStep) -> u64 {
        self.at_step[step.index()]
    }
}

/// Tallies the participants at `positions` of `chart`, whose flags are `flags` by chart
/// position, on `today` (nobody is late without a schedule). Lists the first `listed`
/// managers by late reports. Memory: one count per chart position while tallying (a compact
/// index), then `listed` entries.
pub fn tally_progress(
    chart: &OrgChart,
    positions: impl Iterator<Item = usize>,
    flags: &[StepFlags],
    schedule: Option<&Schedule>,
    today: Date,
    listed: usize,
) -> CycleProgress {
    let mut progress = CycleProgress::default();
    let mut late_under = vec![0u32; chart.len()];
    for position in positions {
        let flag = flags.get(position).copied().unwrap_or_default();
        progress.participants += 1;
        progress.at_step[flag.step().index()] += 1;
        let late = schedule.is_some_and(|schedule| !flag.late(schedule, today).is_empty());
        if late {
            progress.late += 1;
            if let Some(manager) = chart.manager(position) {
                late_under[manager] += 1;
            }
        }
    }
    let mut managers: Vec<LateUnder> = late_under
        .iter()
        .enumerate()
        .filter(|(_, late)| **late > 0)
        .map(|(manager, late)| LateUnder { manager, late: *late })
        .collect();
    progress.managers_with_late = managers.len() as u64;
    managers.sort_by(|a, b| b.late.cmp(&a.late).then(a.manager.cmp(&b.manager)));
    managers.truncate(listed);
    progress.late_by_manager = managers;
    progress
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::assess::participants::Participants;
    use crate::assess::schedule::ZoneName;
    use crate::id::{LevelId, TrackId};
    use crate::org::{OrgMember, PersonId};

    fn member(id: &str, manager: Option<&str>) -> OrgMember {
        OrgMember {
            id: PersonId::parse(id).unwrap(),
            name: id.into(),
            manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
            track: Some(TrackId::parse("ic").unwrap()),
            level: Some(LevelId::parse("ic3").unwrap()),
            team: Arc::from("Team"),
        }
    }

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn the_furthest_step_and_the_late_ones() {
        let schedule = Schedule::from_dates(
            ZoneName::utc(),
            [Some(day("2027-01-11")), Some(day("2027-01-22")), None, None, None, None],
        )
        .unwrap();
        let nothing = StepFlags::default();
        assert_eq!(nothing.step(), ProgressStep::NotStarted);
        assert!(nothing.late(&schedule, day("2027-01-22")).is_empty());
        assert_eq!(nothing.late(&schedule, day("2027-01-23")), [Step::SelfAssessment]);
        let submitted = StepFlags(StepFlags::SELF_STARTED | StepFlags::SELF_SUBMITTED);
        assert_eq!(submitted.step(), ProgressStep::SelfSubmitted);
        assert!(submitted.late(&schedule, day("2027-01-23")).is_empty());
        assert_eq!(
            submitted.late(&schedule, day("2027-03-01")),
            [Step::ManagerAssessment, Step::Agreement]
        );
        // Agreed ratings settle every step, whatever was submitted.
        let agreed = StepFlags(StepFlags::AGREED);
        assert_eq!(agreed.step(), ProgressStep::Agreed);
        assert!(agreed.late(&schedule, day("2027-03-01")).is_empty());
        assert_eq!(StepFlags(StepFlags::MANAGER_STARTED).step(), ProgressStep::Started);
    }

    #[test]
    fn the_tally_counts_steps_and_the_late_by_manager() {
        let chart = OrgChart::build(vec![
            member("m", None),
            member("a", Some("m")),
            member("b", Some("m")),
            member("c", Some("a")),
        ]);
        let schedule = Schedule::from_dates(
            ZoneName::utc(),
            [Some(day("2027-01-11")), Some(day("2027-01-22")), None, None, None, None],
        )
        .unwrap();
        let flags = [
            StepFlags(StepFlags::SELF_SUBMITTED),
            StepFlags::default(),
            StepFlags(StepFlags::SELF_STARTED),
            StepFlags::default(),
        ];
        let rule = Participants::everyone();
        let progress = tally_progress(
            &chart,
            rule.filter(&chart).positions(),
            &flags,
            Some(&schedule),
            day("2027-01-25"),
            10,
        );
        assert_eq!(progress.participants, 4);
        assert_eq!(progress.at(ProgressStep::NotStarted), 2);
        assert_eq!(progress.at(ProgressStep::Started), 1);
        assert_eq!(progress.at(ProgressStep::SelfSubmitted), 1);
        assert_eq!(progress.late, 3);
        assert_eq!(
            progress.late_by_manager,
            [LateUnder { manager: 0, late: 2 }, LateUnder { manager: 1, late: 1 }]
        );
        assert_eq!(progress.managers_with_late, 2);
        let unscheduled = tally_progress(
            &chart,
            rule.filter(&chart).positions(),
            &flags,
            None,
            day("2027-01-25"),
            10,
        );
        assert_eq!(unscheduled.late, 0);
    }
}
