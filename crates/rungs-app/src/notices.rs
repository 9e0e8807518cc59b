//! The notice sweep: what each open cycle owes today (the core's rules over its participants'
//! progress and its nominations), queued with the marks that say it was owed, a chunk of
//! people per transaction. What a sweep holds is a byte of flags and two of marks per person of
//! the org chart (a compact index) and one chunk of writes, never the cycle's records.

use std::sync::Arc;

use rungs_core::assess::{Cycle, CyclePlan, Participants};
use rungs_core::notify::{NoticeKind, NoticeMarks as Marks, Owed, Recipient};
use rungs_core::org::PersonId;
use rungs_store::{
    CycleProgressReads, MarkOwner, MarkSink, MarkedNotices, NewNotice, NoticeMarks, StoreError,
};

use crate::cycle_progress::ChartFlags;
use crate::{App, AppError, CurrentOrg};

/// People (or nominations) whose notices one transaction queues.
pub const SWEEP_CHUNK: usize = 500;

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepSummary {
    /// Open cycles swept.
    pub cycles: u32,
    /// Notices queued.
    pub queued: u64,
    /// Another sweep (another server) was queueing the same notices: this one left them to
    /// it, and the next sweep goes on where both stopped.
    pub raced: bool,
}

/// People's marks by chart position, as the store hands them over.
struct ChartMarks {
    org: Arc<CurrentOrg>,
    marks: Vec<u16>,
}

impl MarkSink for ChartMarks {
    fn add(&mut self, person: &str, marks: u16) {
        if let Some(position) = self.org.find(person) {
            self.marks[position] = marks;
        }
    }
}

/// One cycle's sweep: its rules for today, the chart, and the writes gathered so far.
struct CycleSweep<'a> {
    cycle: &'a Cycle,
    owed: Owed<'a>,
    org: &'a CurrentOrg,
    /// By chart position: who turned reminders off.
    without_reminders: &'a [bool],
    pending: Vec<MarkedNotices>,
    queued: u64,
}

impl CycleSweep<'_> {
    /// The notices of `owed.send` about `subject`, each to its recipient.
    fn notices(&self, owed: Marks, subject: usize, peer: Option<&PersonId>) -> Vec<NewNotice> {
        let chart = &self.org.chart;
        let subject_id = &chart.member(subject).id;
        NoticeKind::in_marks(owed.send)
            .filter_map(|kind| {
                let recipient = match kind.recipient() {
                    Recipient::Participant => subject,
                    Recipient::Manager => chart.manager(subject)?,
                    // A peer who left is asked nothing.
                    Recipient::Peer => self.org.find(peer?.as_str())?,
                };
                if kind.is_reminder() && self.without_reminders[recipient] {
                    return None;
                }
                let recipient = chart.member(recipient).id.clone();
                let due = kind.step().zip(self.owed.schedule).map(|(step, dates)| dates.due(step));
                Some(NewNotice { recipient, kind, subject: subject_id.clone(), due })
            })
            .collect()
    }

    async fn push(&mut self, app: &App, marked: MarkedNotices) -> Result<(), AppError> {
        self.queued += marked.notices.len() as u64;
        self.pending.push(marked);
        if self.pending.len() >= SWEEP_CHUNK {
            self.flush(app).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, app: &App) -> Result<(), AppError> {
        app.store.queue_notices(&self.cycle.name, &self.pending, app.now()).await?;
        self.pending.clear();
        Ok(())
    }
}

impl App {
    /// Queues what every open cycle owes today, reminders `remind_days` before due dates.
    pub async fn sweep_notices(&self, remind_days: u8) -> Result<SweepSummary, AppError> {
        let cycles = self.open_cycles_with_plans().await?;
        let org = self.current_org().await?;
        let mut without_reminders = vec![false; org.chart.len()];
        for person in self.store.without_reminders().await? {
            if let Some(position) = org.find(person.as_str()) {
                without_reminders[position] = true;
            }
        }
        let mut summary = SweepSummary::default();
        for (cycle, plan) in &cycles {
            let owed = Owed {
                schedule: plan.as_ref().map(|plan| &plan.schedule),
                today: self.today_in(plan.as_ref()),
                remind_days,
            };
            if !owed.is_open() {
                continue;
            }
            summary.cycles += 1;
            let mut sweep = CycleSweep {
                cycle,
                owed,
                org: &org,
                without_reminders: &without_reminders,
                pending: Vec::new(),
                queued: 0,
            };
            let swept = self.sweep_cycle(&mut sweep, plan.as_ref(), &org).await;
            match swept {
                Ok(()) => summary.queued += sweep.queued,
                Err(AppError::Store(StoreError::Conflict(_))) => summary.raced = true,
                Err(error) => return Err(error),
            }
        }
        Ok(summary)
    }

    async fn sweep_cycle(
        &self,
        sweep: &mut CycleSweep<'_>,
        plan: Option<&CyclePlan>,
        org: &Arc<CurrentOrg>,
    ) -> Result<(), AppError> {
        let name = &sweep.cycle.name;
        let ChartFlags { flags, .. } =
            self.store.cycle_step_flags(name, ChartFlags::new(org.clone())).await?;
        let sink = ChartMarks { org: org.clone(), marks: vec![0; org.chart.len()] };
        let ChartMarks { marks, .. } = self.store.notice_marks(name, sink).await?;
        let everyone = Participants::everyone();
        let rule = plan.map_or(&everyone, |plan| &plan.participants);
        let filter = rule.filter(&org.chart);
        for position in filter.positions() {
            let owed = sweep.owed.participant(flags[position], marks[position]);
            if owed.is_empty() {
                continue;
            }
            let notices = sweep.notices(owed, position, None);
            let marked = MarkedNotices {
                owner: MarkOwner::Participant(org.chart.member(position).id.clone()),
                before: marks[position],
                after: marks[position] | owed.set,
                notices,
            };
            sweep.push(self, marked).await?;
        }
        drop((flags, marks));
        let mut after: Option<(PersonId, PersonId)> = None;
        loop {
            let page = self
                .store
                .nominations_to_notice(
                    name,
                    after.as_ref().map(|(subject, peer)| (subject, peer)),
                    SWEEP_CHUNK as u32,
                )
                .await?;
            let Some(last) = page.last() else { break };
            after = Some((last.subject.clone(), last.peer.clone()));
            let full = page.len() == SWEEP_CHUNK;
            for nomination in page {
                // Feedback about someone who no longer takes part is not asked.
                let Some(subject) = org
                    .find(nomination.subject.as_str())
                    .filter(|&subject| filter.includes(subject))
                else {
                    continue;
                };
                let owed = if nomination.progress.approved {
                    sweep.owed.peer(nomination.progress, nomination.marks)
                } else {
                    sweep.owed.proposal(nomination.marks)
                };
                if owed.is_empty() {
                    continue;
                }
                let notices = sweep.notices(owed, subject, Some(&nomination.peer));
                let marked = MarkedNotices {
                    owner: MarkOwner::Nomination {
                        subject: nomination.subject,
                        peer: nomination.peer,
                        approved: nomination.progress.approved,
                    },
                    before: nomination.marks,
                    after: nomination.marks | owed.set,
                    notices,
                };
                sweep.push(self, marked).await?;
            }
            if !full {
                break;
            }
        }
        sweep.flush(self).await
    }
}
