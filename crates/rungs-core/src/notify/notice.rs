//! The notices a cycle owes: each kind, whom it goes to, and the rule that says, from what has
//! happened (a participant's step flags, a peer's feedback) and what was already noticed (a
//! mark per kind), which are owed on a day. A notice is owed once: its mark is set in the same
//! write that queues it, so a later sweep, on this server or another, finds it done.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::assess::{Schedule, Stage, Step, StepFlags, TaskKind, long_date};

/// Days before a due date that reminders go out, unless the server is told otherwise.
pub const DEFAULT_REMIND_DAYS: u8 = 3;
/// The most days before a due date a reminder may go out.
pub const MAX_REMIND_DAYS: u8 = 30;

/// What a notice tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// To a participant: the cycle is open, and their self-assessment is asked.
    CycleOpened,
    /// To a participant's manager: their assessment of the participant is asked.
    AssessAssigned,
    SelfReminder,
    SelfOverdue,
    ManagerReminder,
    ManagerOverdue,
    AgreementReminder,
    AgreementOverdue,
    /// To a participant: their agreed outcome waits for their acknowledgement.
    OutcomeReady,
    /// To a peer: their feedback on someone is asked.
    PeerAsked,
    PeerReminder,
    PeerOverdue,
    /// To a participant's manager: peers were proposed and wait for approval.
    ApprovePeers,
}

/// Whom a notice goes to, from the participant it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Participant,
    Manager,
    Peer,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 13] = [
        NoticeKind::CycleOpened,
        NoticeKind::AssessAssigned,
        NoticeKind::SelfReminder,
        NoticeKind::SelfOverdue,
        NoticeKind::ManagerReminder,
        NoticeKind::ManagerOverdue,
        NoticeKind::AgreementReminder,
        NoticeKind::AgreementOverdue,
        NoticeKind::OutcomeReady,
        NoticeKind::PeerAsked,
        NoticeKind::PeerReminder,
        NoticeKind::PeerOverdue,
        NoticeKind::ApprovePeers,
    ];

    /// Its mark: one bit of the marks kept per participant (or per nomination).
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The kinds whose bits are set in `marks`.
    pub fn in_marks(marks: u16) -> impl Iterator<Item = NoticeKind> {
        NoticeKind::ALL.into_iter().filter(move |kind| marks & kind.bit() != 0)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::CycleOpened => "cycle-opened",
            NoticeKind::AssessAssigned => "assess-assigned",
            NoticeKind::SelfReminder => "self-reminder",
            NoticeKind::SelfOverdue => "self-overdue",
            NoticeKind::ManagerReminder => "manager-reminder",
            NoticeKind::ManagerOverdue => "manager-overdue",
            NoticeKind::AgreementReminder => "agreement-reminder",
            NoticeKind::AgreementOverdue => "agreement-overdue",
            NoticeKind::OutcomeReady => "outcome-ready",
            NoticeKind::PeerAsked => "peer-asked",
            NoticeKind::PeerReminder => "peer-reminder",
            NoticeKind::PeerOverdue => "peer-overdue",
            NoticeKind::ApprovePeers => "approve-peers",
        }
    }

    pub fn parse(text: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// A reminder of work already asked (before its day, or late): what a person may opt out
    /// of. Work newly asked and outcomes ready always reach them.
    pub fn is_reminder(self) -> bool {
        matches!(
            self,
            NoticeKind::SelfReminder
                | NoticeKind::SelfOverdue
                | NoticeKind::ManagerReminder
                | NoticeKind::ManagerOverdue
                | NoticeKind::AgreementReminder
                | NoticeKind::AgreementOverdue
                | NoticeKind::PeerReminder
                | NoticeKind::PeerOverdue
        )
    }

    pub fn recipient(self) -> Recipient {
        match self {
            NoticeKind::CycleOpened
            | NoticeKind::SelfReminder
            | NoticeKind::SelfOverdue
            | NoticeKind::OutcomeReady => Recipient::Participant,
            NoticeKind::AssessAssigned
            | NoticeKind::ManagerReminder
            | NoticeKind::ManagerOverdue
            | NoticeKind::AgreementReminder
            | NoticeKind::AgreementOverdue
            | NoticeKind::ApprovePeers => Recipient::Manager,
            NoticeKind::PeerAsked | NoticeKind::PeerReminder | NoticeKind::PeerOverdue => {
                Recipient::Peer
            }
        }
    }

    /// The task the notice is about, whose page its link opens.
    pub fn task(self) -> TaskKind {
        match self {
            NoticeKind::CycleOpened | NoticeKind::SelfReminder | NoticeKind::SelfOverdue => {
                TaskKind::SelfAssessment
            }
            NoticeKind::AssessAssigned
            | NoticeKind::ManagerReminder
            | NoticeKind::ManagerOverdue => TaskKind::ManagerAssessment,
            NoticeKind::AgreementReminder | NoticeKind::AgreementOverdue => TaskKind::Agreement,
            NoticeKind::OutcomeReady => TaskKind::Acknowledgement,
            NoticeKind::PeerAsked | NoticeKind::PeerReminder | NoticeKind::PeerOverdue => {
                TaskKind::PeerFeedback
            }
            NoticeKind::ApprovePeers => TaskKind::ApprovePeers,
        }
    }

    /// The step whose due date the notice gives, when it gives one.
    pub fn step(self) -> Option<Step> {
        match self.task() {
            TaskKind::SelfAssessment => Some(Step::SelfAssessment),
            TaskKind::ManagerAssessment => Some(Step::ManagerAssessment),
            TaskKind::Agreement => Some(Step::Agreement),
            TaskKind::PeerFeedback | TaskKind::ApprovePeers => Some(Step::PeerFeedback),
            TaskKind::Acknowledgement | TaskKind::PlanAction => None,
        }
    }

    /// The notice in a sentence, `subject` the name of whom it is about: "Assess Ada Lovelace
    /// in 2027-H1 by Fri 12 Feb 2027."
    pub fn line(self, subject: &str, cycle: &str, due: Option<Date>) -> String {
        let by = due.map(|due| format!(" by {}", long_date(due))).unwrap_or_default();
        let on = due.map(|due| format!(" on {}", long_date(due))).unwrap_or_default();
        match self {
            NoticeKind::CycleOpened => {
                format!("Review cycle {cycle} is open: write your self-assessment{by}.")
            }
            NoticeKind::AssessAssigned => format!("Assess {subject} in {cycle}{by}."),
            NoticeKind::SelfReminder => {
                format!("Reminder: your self-assessment in {cycle} is due{on}.")
            }
            NoticeKind::SelfOverdue => {
                format!("Your self-assessment in {cycle} was due{on} and is not submitted yet.")
            }
            NoticeKind::ManagerReminder => {
                format!("Reminder: your assessment of {subject} in {cycle} is due{on}.")
            }
            NoticeKind::ManagerOverdue => format!(
                "Your assessment of {subject} in {cycle} was due{on} and is not submitted yet."
            ),
            NoticeKind::AgreementReminder => {
                format!("Reminder: record the agreed ratings of {subject} in {cycle}{by}.")
            }
            NoticeKind::AgreementOverdue => format!(
                "The agreed ratings of {subject} in {cycle} were due{on} and are not recorded yet."
            ),
            NoticeKind::OutcomeReady => {
                format!("Your outcome of {cycle} is ready: read it and acknowledge it.")
            }
            NoticeKind::PeerAsked => {
                format!("Your feedback on {subject} is asked in {cycle}{by}.")
            }
            NoticeKind::PeerReminder => {
                format!("Reminder: your feedback on {subject} in {cycle} is due{on}.")
            }
            NoticeKind::PeerOverdue => format!(
                "Your feedback on {subject} in {cycle} was due{on} and is not submitted yet."
            ),
            NoticeKind::ApprovePeers => {
                format!("Approve the peers proposed to give feedback on {subject} in {cycle}{by}.")
            }
        }
    }

    /// A mail's subject when it carries this one notice only.
    pub fn subject_line(self, subject: &str, cycle: &str) -> String {
        match self {
            NoticeKind::CycleOpened => format!("Review cycle {cycle} is open"),
            NoticeKind::AssessAssigned => format!("Assess {subject} in {cycle}"),
            NoticeKind::SelfReminder => format!("Reminder: your self-assessment in {cycle}"),
            NoticeKind::SelfOverdue => format!("Overdue: your self-assessment in {cycle}"),
            NoticeKind::ManagerReminder => format!("Reminder: assess {subject} in {cycle}"),
            NoticeKind::ManagerOverdue => format!("Overdue: your assessment of {subject}"),
            NoticeKind::AgreementReminder => format!("Reminder: agreed ratings of {subject}"),
            NoticeKind::AgreementOverdue => format!("Overdue: agreed ratings of {subject}"),
            NoticeKind::OutcomeReady => format!("Your outcome of {cycle} is ready"),
            NoticeKind::PeerAsked => format!("Your feedback on {subject} is asked"),
            NoticeKind::PeerReminder => format!("Reminder: feedback on {subject}"),
            NoticeKind::PeerOverdue => format!("Overdue: feedback on {subject}"),
            NoticeKind::ApprovePeers => format!("Approve peers for {subject}"),
        }
    }
}

/// What a sweep does for one participant (or nomination): the marks to set, and of those, the
/// notices to queue. A mark set without its notice is one that no longer needs telling: a
/// reminder a late notice (or the opening's own due date) makes redundant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeMarks {
    pub set: u16,
    pub send: u16,
}

impl NoticeMarks {
    pub fn is_empty(self) -> bool {
        self.set == 0
    }

    fn send(&mut self, kind: NoticeKind) {
        self.set |= kind.bit();
        self.send |= kind.bit();
    }

    fn settle(&mut self, kind: NoticeKind) {
        self.set |= kind.bit();
    }
}

/// A peer's part in one nomination, as a sweep reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerProgress {
    /// The nomination is approved: the peer is asked.
    pub approved: bool,
    /// Their feedback is submitted.
    pub submitted: bool,
}

/// What one open cycle owes on one day.
#[derive(Debug, Clone, Copy)]
pub struct Owed<'a> {
    /// The cycle's dates; none for a cycle opened without a plan, which owes no reminders.
    pub schedule: Option<&'a Schedule>,
    /// Today in the cycle's time zone.
    pub today: Date,
    /// Days before a due date that its reminder goes out (0: on the day itself).
    pub remind_days: u8,
}

impl Owed<'_> {
    /// Whether anything is owed today: a cycle is quiet before it opens and after it closes.
    pub fn is_open(&self) -> bool {
        self.schedule.is_none_or(|schedule| {
            !matches!(schedule.stage(self.today), Stage::NotOpen | Stage::Ended)
        })
    }

    /// The reminder or late notice `step` owes, unless `done` or already marked; `quiet`
    /// settles a reminder unsent.
    fn step_notice(
        &self,
        step: Step,
        done: bool,
        (reminder, late): (NoticeKind, NoticeKind),
        marks: u16,
        quiet: bool,
        owed: &mut NoticeMarks,
    ) {
        let Some(schedule) = self.schedule else { return };
        if done {
            return;
        }
        let due = schedule.due(step);
        if schedule.is_overdue(step, self.today) {
            if marks & late.bit() == 0 {
                // A late notice says all a reminder would.
                owed.settle(reminder);
                owed.send(late);
            }
        } else if self.today >= due.checked_sub(i32::from(self.remind_days).days()).unwrap_or(due)
            && marks & reminder.bit() == 0
        {
            if quiet { owed.settle(reminder) } else { owed.send(reminder) }
        }
    }

    /// What a participant's progress (`flags`) owes, `marks` the notices already owed them.
    /// The opening's notices name the due dates: the reminders they make redundant that day
    /// are settled unsent (a step already late is still told late).
    pub fn participant(&self, flags: StepFlags, marks: u16) -> NoticeMarks {
        let mut owed = NoticeMarks::default();
        if !self.is_open() {
            return owed;
        }
        let agreed = flags.has(StepFlags::AGREED);
        let self_done = agreed || flags.has(StepFlags::SELF_SUBMITTED);
        let manager_done = agreed || flags.has(StepFlags::MANAGER_SUBMITTED);
        let opening = marks & NoticeKind::CycleOpened.bit() == 0;
        if opening {
            if self_done {
                owed.settle(NoticeKind::CycleOpened)
            } else {
                owed.send(NoticeKind::CycleOpened)
            }
            if manager_done {
                owed.settle(NoticeKind::AssessAssigned)
            } else {
                owed.send(NoticeKind::AssessAssigned)
            }
        }
        let steps = [
            (Step::SelfAssessment, self_done, (NoticeKind::SelfReminder, NoticeKind::SelfOverdue)),
            (
                Step::ManagerAssessment,
                manager_done,
                (NoticeKind::ManagerReminder, NoticeKind::ManagerOverdue),
            ),
            (
                Step::Agreement,
                agreed,
                (NoticeKind::AgreementReminder, NoticeKind::AgreementOverdue),
            ),
        ];
        for (step, done, kinds) in steps {
            // The opening names the self and manager due dates, not the agreement's.
            let quiet = opening && step != Step::Agreement;
            self.step_notice(step, done, kinds, marks, quiet, &mut owed);
        }
        if agreed
            && !flags.has(StepFlags::ACKNOWLEDGED)
            && marks & NoticeKind::OutcomeReady.bit() == 0
        {
            owed.send(NoticeKind::OutcomeReady);
        }
        owed
    }

    /// What one nomination owes its peer, `marks` the notices already owed on it.
    pub fn peer(&self, progress: PeerProgress, marks: u16) -> NoticeMarks {
        let mut owed = NoticeMarks::default();
        if !self.is_open() || !progress.approved {
            return owed;
        }
        let asking = marks & NoticeKind::PeerAsked.bit() == 0;
        if asking {
            if progress.submitted {
                owed.settle(NoticeKind::PeerAsked)
            } else {
                owed.send(NoticeKind::PeerAsked)
            }
        }
        self.step_notice(
            Step::PeerFeedback,
            progress.submitted,
            (NoticeKind::PeerReminder, NoticeKind::PeerOverdue),
            marks,
            asking,
            &mut owed,
        );
        owed
    }

    /// What a proposed nomination owes the manager who approves it.
    pub fn proposal(&self, marks: u16) -> NoticeMarks {
        let mut owed = NoticeMarks::default();
        if self.is_open() && marks & NoticeKind::ApprovePeers.bit() == 0 {
            owed.send(NoticeKind::ApprovePeers);
        }
        owed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::ZoneName;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn schedule() -> Schedule {
        // Opens 1 Feb; self due 14 Feb; peers 21 Feb; manager 28 Feb; agreement 7 Mar; closes 14 Mar.
        let dates =
            ["2027-02-01", "2027-02-14", "2027-02-21", "2027-02-28", "2027-03-07", "2027-03-14"];
        Schedule::from_dates(ZoneName::utc(), dates.map(|date| Some(day(date)))).unwrap()
    }

    fn owed<'a>(schedule: &'a Schedule, today: &str) -> Owed<'a> {
        Owed { schedule: Some(schedule), today: day(today), remind_days: 3 }
    }

    fn kinds(bits: u16) -> Vec<NoticeKind> {
        NoticeKind::in_marks(bits).collect()
    }

    #[test]
    fn kinds_round_trip_and_have_distinct_bits() {
        let mut bits = 0;
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(bits & kind.bit(), 0);
            bits |= kind.bit();
        }
        assert_eq!(NoticeKind::parse("nonsense"), None);
    }

    #[test]
    fn nothing_is_owed_before_a_cycle_opens_or_after_it_closes() {
        let schedule = schedule();
        for today in ["2027-01-31", "2027-03-15"] {
            let owed = owed(&schedule, today);
            assert!(owed.participant(StepFlags::default(), 0).is_empty());
            assert!(owed.peer(PeerProgress { approved: true, submitted: false }, 0).is_empty());
            assert!(owed.proposal(0).is_empty());
        }
    }

    #[test]
    fn the_opening_asks_the_participant_and_their_manager_once() {
        let schedule = schedule();
        let first = owed(&schedule, "2027-02-01").participant(StepFlags::default(), 0);
        assert_eq!(kinds(first.send), [NoticeKind::CycleOpened, NoticeKind::AssessAssigned]);
        let again = owed(&schedule, "2027-02-02").participant(StepFlags::default(), first.set);
        assert!(again.is_empty(), "{again:?}");
    }

    #[test]
    fn reminders_go_the_set_days_before_and_late_notices_after_the_due_date() {
        let schedule = schedule();
        let opened = owed(&schedule, "2027-02-01").participant(StepFlags::default(), 0).set;
        assert!(owed(&schedule, "2027-02-10").participant(StepFlags::default(), opened).is_empty());
        let reminder = owed(&schedule, "2027-02-11").participant(StepFlags::default(), opened);
        assert_eq!(kinds(reminder.send), [NoticeKind::SelfReminder]);
        let marks = opened | reminder.set;
        assert!(owed(&schedule, "2027-02-14").participant(StepFlags::default(), marks).is_empty());
        let late = owed(&schedule, "2027-02-15").participant(StepFlags::default(), marks);
        assert_eq!(kinds(late.send), [NoticeKind::SelfOverdue]);
        assert!(
            owed(&schedule, "2027-02-16")
                .participant(StepFlags::default(), marks | late.set)
                .is_empty()
        );
    }

    #[test]
    fn a_late_notice_settles_the_reminder_it_makes_redundant() {
        let schedule = schedule();
        let opened = owed(&schedule, "2027-02-01").participant(StepFlags::default(), 0).set;
        let late = owed(&schedule, "2027-02-20").participant(StepFlags::default(), opened);
        assert_eq!(kinds(late.send), [NoticeKind::SelfOverdue]);
        assert_ne!(late.set & NoticeKind::SelfReminder.bit(), 0);
    }

    #[test]
    fn a_cycle_first_swept_late_tells_of_the_opening_and_of_what_is_late() {
        let schedule = schedule();
        let first = owed(&schedule, "2027-02-20").participant(StepFlags::default(), 0);
        assert_eq!(
            kinds(first.send),
            [NoticeKind::CycleOpened, NoticeKind::AssessAssigned, NoticeKind::SelfOverdue]
        );
        assert_ne!(first.set & NoticeKind::SelfReminder.bit(), 0, "the reminder is settled");
        // On the opening day of a cycle whose first step is near, no reminder as well.
        let near = owed(&schedule, "2027-02-12").participant(StepFlags::default(), 0);
        assert_eq!(kinds(near.send), [NoticeKind::CycleOpened, NoticeKind::AssessAssigned]);
        assert_ne!(near.set & NoticeKind::SelfReminder.bit(), 0);
    }

    #[test]
    fn work_done_owes_nothing() {
        let schedule = schedule();
        let submitted = StepFlags(StepFlags::SELF_STARTED | StepFlags::SELF_SUBMITTED);
        let owed = owed(&schedule, "2027-02-20");
        let first = owed.participant(submitted, 0);
        assert_eq!(kinds(first.send), [NoticeKind::AssessAssigned]);
        let agreed = StepFlags(StepFlags::AGREED);
        let marks = NoticeKind::CycleOpened.bit() | NoticeKind::AssessAssigned.bit();
        assert_eq!(kinds(owed.participant(agreed, marks).send), [NoticeKind::OutcomeReady]);
        let acknowledged = StepFlags(StepFlags::AGREED | StepFlags::ACKNOWLEDGED);
        assert!(owed.participant(acknowledged, marks).is_empty());
    }

    #[test]
    fn manager_and_agreement_steps_have_their_own_dates() {
        let schedule = schedule();
        let marks = NoticeKind::CycleOpened.bit()
            | NoticeKind::AssessAssigned.bit()
            | NoticeKind::SelfReminder.bit()
            | NoticeKind::SelfOverdue.bit();
        let submitted = StepFlags(StepFlags::SELF_SUBMITTED);
        let manager = owed(&schedule, "2027-02-25").participant(submitted, marks);
        assert_eq!(kinds(manager.send), [NoticeKind::ManagerReminder]);
        let agreement = owed(&schedule, "2027-03-08").participant(
            StepFlags(StepFlags::MANAGER_SUBMITTED | StepFlags::SELF_SUBMITTED),
            marks,
        );
        assert_eq!(kinds(agreement.send), [NoticeKind::AgreementOverdue]);
    }

    #[test]
    fn a_cycle_without_dates_owes_no_reminders() {
        let owed = Owed { schedule: None, today: day("2027-02-20"), remind_days: 3 };
        let first = owed.participant(StepFlags::default(), 0);
        assert_eq!(kinds(first.send), [NoticeKind::CycleOpened, NoticeKind::AssessAssigned]);
        assert!(owed.participant(StepFlags::default(), first.set).is_empty());
    }

    #[test]
    fn peers_are_asked_once_approved_then_reminded() {
        let schedule = schedule();
        let asked = PeerProgress { approved: true, submitted: false };
        assert!(
            owed(&schedule, "2027-02-05")
                .peer(PeerProgress { approved: false, submitted: false }, 0)
                .is_empty()
        );
        let first = owed(&schedule, "2027-02-05").peer(asked, 0);
        assert_eq!(kinds(first.send), [NoticeKind::PeerAsked]);
        let reminder = owed(&schedule, "2027-02-19").peer(asked, first.set);
        assert_eq!(kinds(reminder.send), [NoticeKind::PeerReminder]);
        let done = PeerProgress { approved: true, submitted: true };
        assert!(owed(&schedule, "2027-02-25").peer(done, first.set).is_empty());
        assert_eq!(owed(&schedule, "2027-02-05").proposal(0).send, NoticeKind::ApprovePeers.bit());
    }

    #[test]
    fn reminder_days_of_zero_remind_on_the_day() {
        let schedule = schedule();
        let owed = Owed { schedule: Some(&schedule), today: day("2027-02-13"), remind_days: 0 };
        let marks = NoticeKind::CycleOpened.bit() | NoticeKind::AssessAssigned.bit();
        assert!(owed.participant(StepFlags::default(), marks).is_empty());
        let on_the_day = Owed { today: day("2027-02-14"), ..owed };
        assert_eq!(
            kinds(on_the_day.participant(StepFlags::default(), marks).send),
            [NoticeKind::SelfReminder]
        );
    }

    #[test]
    fn only_reminders_may_be_opted_out_of() {
        assert!(NoticeKind::SelfOverdue.is_reminder());
        assert!(!NoticeKind::CycleOpened.is_reminder());
        assert!(!NoticeKind::PeerAsked.is_reminder());
        assert!(!NoticeKind::OutcomeReady.is_reminder());
    }

    #[test]
    fn lines_name_the_subject_cycle_and_date() {
        let line =
            NoticeKind::AssessAssigned.line("Ada Lovelace", "2027-H1", Some(day("2027-02-28")));
        assert_eq!(line, "Assess Ada Lovelace in 2027-H1 by Sun 28 Feb 2027.");
    }
}
