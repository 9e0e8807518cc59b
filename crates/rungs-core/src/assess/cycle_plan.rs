//! A cycle's plan: its schedule and its participants, and what they let someone write in it.
//! A cycle opened without one (`cycle open`) has none: everyone active takes part, nothing is
//! due and nothing is refused by date.

use jiff::civil::Date;

use crate::assess::participants::Participants;
use crate::assess::schedule::{Schedule, StageError, Write};
use crate::org::{OrgChart, PersonId};

/// A cycle's schedule and participants.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CyclePlan {
    pub schedule: Schedule,
    pub participants: Participants,
}

/// Whom a write is about, as the org chart has them.
#[derive(Debug, Clone, Copy)]
pub struct WriteSubject<'a> {
    /// Their position in the chart: None for someone who left.
    pub position: Option<usize>,
    pub id: &'a PersonId,
    pub name: &'a str,
}

/// Why a cycle's plan refuses a write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanRefusal {
    #[error(transparent)]
    Stage(#[from] StageError),
    #[error(
        "{name} does not take part in cycle `{cycle}`; an admin can add them on the cycle's page"
    )]
    NotParticipating { cycle: String, person: PersonId, name: String },
}

impl CyclePlan {
    /// Whether `write` about `subject` (the person assessed, or whose outcome it is) may happen
    /// in cycle `cycle` on `today`. Someone who left does not take part. Acknowledgements are of outcomes already agreed: only
    /// the date rules apply to them.
    pub fn check_write(
        &self,
        cycle: &str,
        write: Write,
        today: Date,
        chart: &OrgChart,
        subject: WriteSubject<'_>,
    ) -> Result<(), PlanRefusal> {
        self.schedule.check_write(cycle, write, today)?;
        if write == Write::Acknowledgement {
            return Ok(());
        }
        let takes_part =
            subject.position.is_some_and(|position| self.participants.includes(chart, position));
        if !takes_part {
            return Err(PlanRefusal::NotParticipating {
                cycle: cycle.to_owned(),
                person: subject.id.clone(),
                name: subject.name.to_owned(),
            });
        }
        Ok(())
    }
}
