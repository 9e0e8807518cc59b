//! A cycle's schedule: the day it opens, the days its steps are due and the day it closes, in
//! the company's time zone; the stage those dates put it in on a given day, and what may be
//! written then.
//!
//! A due date is the last day of its step: a step is overdue from the day after. Every step
//! may be written from the day the cycle opens to the day it closes, late ones included; before
//! it opens nothing is, and after it closes only acknowledgements are.

use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::assess::assessment::AssessmentKind;

/// The steps of a cycle that fall due, in the order they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    SelfAssessment,
    PeerFeedback,
    ManagerAssessment,
    Agreement,
}

impl Step {
    pub const ALL: [Step; 4] =
        [Step::SelfAssessment, Step::PeerFeedback, Step::ManagerAssessment, Step::Agreement];

    /// The step an assessment of `kind` is.
    pub fn of(kind: AssessmentKind) -> Step {
        match kind {
            AssessmentKind::SelfReview => Step::SelfAssessment,
            AssessmentKind::Peer => Step::PeerFeedback,
            AssessmentKind::Manager => Step::ManagerAssessment,
        }
    }

    /// In a sentence: "self-assessments".
    pub fn plural(self) -> &'static str {
        match self {
            Step::SelfAssessment => "self-assessments",
            Step::PeerFeedback => "peer feedback",
            Step::ManagerAssessment => "manager assessments",
            Step::Agreement => "agreements",
        }
    }
}

/// The dates of a schedule, as fields that forms and flags name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleField {
    Opens,
    SelfDue,
    PeerDue,
    ManagerDue,
    AgreementDue,
    Closes,
}

impl ScheduleField {
    pub const ALL: [ScheduleField; 6] = [
        ScheduleField::Opens,
        ScheduleField::SelfDue,
        ScheduleField::PeerDue,
        ScheduleField::ManagerDue,
        ScheduleField::AgreementDue,
        ScheduleField::Closes,
    ];

    /// The field's name in forms, JSON and (with dashes) CLI flags: `self_due`.
    pub fn name(self) -> &'static str {
        match self {
            ScheduleField::Opens => "opens",
            ScheduleField::SelfDue => "self_due",
            ScheduleField::PeerDue => "peer_due",
            ScheduleField::ManagerDue => "manager_due",
            ScheduleField::AgreementDue => "agreement_due",
            ScheduleField::Closes => "closes",
        }
    }

    /// In words: "self-assessments due".
    pub fn label(self) -> &'static str {
        match self {
            ScheduleField::Opens => "opens",
            ScheduleField::SelfDue => "self-assessments due",
            ScheduleField::PeerDue => "peer feedback due",
            ScheduleField::ManagerDue => "manager assessments due",
            ScheduleField::AgreementDue => "agreements due",
            ScheduleField::Closes => "closes",
        }
    }

    /// Days after the field before it that a schedule given only some dates leaves: two weeks
    /// for self-assessments, then a week for each step and for acknowledgements.
    fn default_gap_days(self) -> i32 {
        match self {
            ScheduleField::Opens => 0,
            ScheduleField::SelfDue => 14,
            _ => 7,
        }
    }
}

/// Why a schedule cannot be made as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error(
        "{} ({later_date}) is before {} ({earlier_date}); the dates go opens, self-assessments, peer feedback, manager assessments, agreements, closes",
        later.label(), earlier.label()
    )]
    OutOfOrder {
        earlier: ScheduleField,
        earlier_date: Date,
        later: ScheduleField,
        later_date: Date,
    },
    #[error("`{zone}` is not a time zone: write an IANA name such as Europe/Berlin or UTC")]
    UnknownTimeZone { zone: String },
    #[error("a schedule needs the day the cycle opens")]
    NoOpening,
    #[error("{} falls outside the calendar", field.label())]
    OutOfRange { field: ScheduleField },
}

impl ScheduleError {
    /// The field a form marks: the later of two dates out of order.
    pub fn field(&self) -> Option<ScheduleField> {
        match self {
            ScheduleError::OutOfOrder { later, .. } => Some(*later),
            ScheduleError::NoOpening => Some(ScheduleField::Opens),
            ScheduleError::OutOfRange { field } => Some(*field),
            ScheduleError::UnknownTimeZone { .. } => None,
        }
    }
}

/// An IANA time zone name that the bundled time zone database knows, such as `Europe/Berlin`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ZoneName(String);

impl ZoneName {
    pub fn utc() -> ZoneName {
        ZoneName("UTC".to_owned())
    }

    pub fn parse(text: &str) -> Result<ZoneName, ScheduleError> {
        let text = text.trim();
        match TimeZone::get(text) {
            Ok(_) if !text.is_empty() => Ok(ZoneName(text.to_owned())),
            _ => Err(ScheduleError::UnknownTimeZone { zone: crate::text::excerpt(text) }),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The zone itself. A name that parsed is always in the bundled database.
    pub fn zone(&self) -> TimeZone {
        TimeZone::get(&self.0).unwrap_or(TimeZone::UTC)
    }
}

impl fmt::Display for ZoneName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A cycle's dates, in order, in one time zone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Schedule {
    pub time_zone: ZoneName,
    pub opens: Date,
    pub self_due: Date,
    pub peer_due: Date,
    pub manager_due: Date,
    pub agreement_due: Date,
    pub closes: Date,
}

/// Where a cycle is on a day, by its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "stage", content = "step")]
pub enum Stage {
    /// Before the day it opens: nothing may be written yet.
    NotOpen,
    /// Up to the due date of this step, the first not yet past.
    Due(Step),
    /// Every step's date is past; outcomes are acknowledged until the cycle closes.
    Acknowledgements,
    /// After the day it closes: only acknowledgements may be written.
    Ended,
}

/// What someone may write in a cycle: one of its steps, or an acknowledgement of an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Step(Step),
    Acknowledgement,
}

/// Why a cycle's dates refuse a write today.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("cycle `{cycle}` opens on {opens} ({zone}); nothing can be written in it before then")]
    NotOpen { cycle: String, opens: Date, zone: ZoneName },
    #[error(
        "cycle `{cycle}` closed on {closes} ({zone}); only acknowledgements can be written now, unless an admin moves its close date"
    )]
    Ended { cycle: String, closes: Date, zone: ZoneName },
}

impl Schedule {
    /// A schedule from the dates given: `opens` is needed; a date left out falls the default
    /// gap after the one before it (two weeks for self-assessments, a week for the rest).
    pub fn from_dates(
        time_zone: ZoneName,
        dates: [Option<Date>; 6],
    ) -> Result<Schedule, ScheduleError> {
        let mut filled: [Date; 6] = [Date::default(); 6];
        let mut previous: Option<Date> = None;
        for (slot, (field, given)) in ScheduleField::ALL.iter().zip(dates).enumerate() {
            let date = match (given, previous) {
                (Some(date), _) => date,
                (None, None) => return Err(ScheduleError::NoOpening),
                (None, Some(previous)) => previous
                    .checked_add(field.default_gap_days().days())
                    .map_err(|_| ScheduleError::OutOfRange { field: *field })?,
            };
            filled[slot] = date;
            previous = Some(date);
        }
        let [opens, self_due, peer_due, manager_due, agreement_due, closes] = filled;
        let schedule =
            Schedule { time_zone, opens, self_due, peer_due, manager_due, agreement_due, closes };
        schedule.check_order()?;
        Ok(schedule)
    }

    /// This schedule with some dates moved; the others stay as they are.
    pub fn moved(&self, dates: [Option<Date>; 6]) -> Result<Schedule, ScheduleError> {
        let mut moved = self.clone();
        for (field, date) in ScheduleField::ALL.into_iter().zip(dates) {
            if let Some(date) = date {
                *moved.date_mut(field) = date;
            }
        }
        moved.check_order()?;
        Ok(moved)
    }

    fn check_order(&self) -> Result<(), ScheduleError> {
        for pair in ScheduleField::ALL.windows(2) {
            let (earlier, later) = (pair[0], pair[1]);
            let (earlier_date, later_date) = (self.date(earlier), self.date(later));
            if later_date < earlier_date {
                return Err(ScheduleError::OutOfOrder { earlier, earlier_date, later, later_date });
            }
        }
        Ok(())
    }

    pub fn date(&self, field: ScheduleField) -> Date {
        match field {
            ScheduleField::Opens => self.opens,
            ScheduleField::SelfDue => self.self_due,
            ScheduleField::PeerDue => self.peer_due,
            ScheduleField::ManagerDue => self.manager_due,
            ScheduleField::AgreementDue => self.agreement_due,
            ScheduleField::Closes => self.closes,
        }
    }

    fn date_mut(&mut self, field: ScheduleField) -> &mut Date {
        match field {
            ScheduleField::Opens => &mut self.opens,
            ScheduleField::SelfDue => &mut self.self_due,
            ScheduleField::PeerDue => &mut self.peer_due,
            ScheduleField::ManagerDue => &mut self.manager_due,
            ScheduleField::AgreementDue => &mut self.agreement_due,
            ScheduleField::Closes => &mut self.closes,
        }
    }

    /// The last day of `step`.
    pub fn due(&self, step: Step) -> Date {
        match step {
            Step::SelfAssessment => self.self_due,
            Step::PeerFeedback => self.peer_due,
            Step::ManagerAssessment => self.manager_due,
            Step::Agreement => self.agreement_due,
        }
    }

    /// The day it is at `now` in the schedule's time zone.
    pub fn today(&self, now: Timestamp) -> Date {
        now.to_zoned(self.time_zone.zone()).date()
    }

    pub fn stage(&self, today: Date) -> Stage {
        if today < self.opens {
            return Stage::NotOpen;
        }
        if today > self.closes {
            return Stage::Ended;
        }
        Step::ALL
            .into_iter()
            .find(|step| today <= self.due(*step))
            .map_or(Stage::Acknowledgements, Stage::Due)
    }

    /// Whether `step` is late on `today`: its due date is past.
    pub fn is_overdue(&self, step: Step, today: Date) -> bool {
        today > self.due(step)
    }

    /// Whether cycle `cycle`'s dates let `write` happen on `today`.
    pub fn check_write(&self, cycle: &str, write: Write, today: Date) -> Result<(), StageError> {
        match (self.stage(today), write) {
            (Stage::NotOpen, _) => Err(StageError::NotOpen {
                cycle: cycle.to_owned(),
                opens: self.opens,
                zone: self.time_zone.clone(),
            }),
            (Stage::Ended, Write::Step(_)) => Err(StageError::Ended {
                cycle: cycle.to_owned(),
                closes: self.closes,
                zone: self.time_zone.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// What the stage of `today` means, in a sentence: what is due and what may be written.
    pub fn describe_stage(&self, today: Date) -> String {
        match self.stage(today) {
            Stage::NotOpen => {
                format!("Opens on {}. Nothing can be written before then.", long_date(self.opens))
            }
            Stage::Due(step) => {
                let late: Vec<&str> = Step::ALL
                    .into_iter()
                    .filter(|earlier| *earlier < step)
                    .map(Step::plural)
                    .collect();
                let verb = if step == Step::PeerFeedback { "is" } else { "are" };
                let mut sentence = format!(
                    "{} {verb} due by {}.",
                    capitalised(step.plural()),
                    long_date(self.due(step))
                );
                if !late.is_empty() {
                    sentence.push_str(&format!(" Late {} are still taken.", and_list(&late)));
                }
                let ahead: Vec<&str> =
                    Step::ALL.into_iter().filter(|later| *later > step).map(Step::plural).collect();
                if !ahead.is_empty() {
                    sentence.push_str(&format!(" {} may start.", capitalised(&and_list(&ahead))));
                }
                sentence
            }
            Stage::Acknowledgements => format!(
                "Every step was due; outcomes are acknowledged until {}. Late steps are still taken.",
                long_date(self.closes)
            ),
            Stage::Ended => format!(
                "Ended on {}. Only acknowledgements can be written; an admin closes the cycle or moves its close date.",
                long_date(self.closes)
            ),
        }
    }
}

impl Stage {
    /// A short name for tables: "self-assessments due".
    pub fn title(self) -> String {
        match self {
            Stage::NotOpen => "not open yet".to_owned(),
            Stage::Due(step) => format!("{} due", step.plural()),
            Stage::Acknowledgements => "acknowledgements".to_owned(),
            Stage::Ended => "ended".to_owned(),
        }
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// A date as people read it: "Tue 20 Jan 2027".
pub fn long_date(date: Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn schedule() -> Schedule {
        Schedule::from_dates(
            ZoneName::parse("Europe/Berlin").unwrap(),
            [
                Some(day("2027-01-11")),
                Some(day("2027-01-22")),
                Some(day("2027-01-29")),
                Some(day("2027-02-05")),
                Some(day("2027-02-12")),
                Some(day("2027-02-19")),
            ],
        )
        .unwrap()
    }

    #[test]
    fn dates_left_out_follow_the_ones_before() {
        let only_opening = Schedule::from_dates(
            ZoneName::utc(),
            [Some(day("2027-01-11")), None, None, None, None, None],
        )
        .unwrap();
        assert_eq!(only_opening.self_due, day("2027-01-25"));
        assert_eq!(only_opening.peer_due, day("2027-02-01"));
        assert_eq!(only_opening.closes, day("2027-02-22"));
        assert_eq!(Schedule::from_dates(ZoneName::utc(), [None; 6]), Err(ScheduleError::NoOpening));
    }

    #[test]
    fn dates_out_of_order_are_refused_naming_both() {
        let error = Schedule::from_dates(
            ZoneName::utc(),
            [Some(day("2027-01-11")), Some(day("2027-01-05")), None, None, None, None],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "self-assessments due (2027-01-05) is before opens (2027-01-11); the dates go opens, self-assessments, peer feedback, manager assessments, agreements, closes"
        );
        assert_eq!(error.field(), Some(ScheduleField::SelfDue));
        let moved = schedule().moved([None, None, None, None, None, Some(day("2027-02-01"))]);
        assert!(matches!(
            moved,
            Err(ScheduleError::OutOfOrder { later: ScheduleField::Closes, .. })
        ));
        assert_eq!(
            schedule()
                .moved([None, Some(day("2027-01-25")), None, None, None, None])
                .unwrap()
                .self_due,
            day("2027-01-25")
        );
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert!(ZoneName::parse("America/New_York").is_ok());
        assert_eq!(
            ZoneName::parse("Mars/Olympus").unwrap_err().to_string(),
            "`Mars/Olympus` is not a time zone: write an IANA name such as Europe/Berlin or UTC"
        );
        assert!(ZoneName::parse("").is_err());
    }

    #[test]
    fn stages_follow_the_dates() {
        let schedule = schedule();
        assert_eq!(schedule.stage(day("2027-01-10")), Stage::NotOpen);
        assert_eq!(schedule.stage(day("2027-01-11")), Stage::Due(Step::SelfAssessment));
        assert_eq!(schedule.stage(day("2027-01-22")), Stage::Due(Step::SelfAssessment));
        assert_eq!(schedule.stage(day("2027-01-23")), Stage::Due(Step::PeerFeedback));
        assert_eq!(schedule.stage(day("2027-02-12")), Stage::Due(Step::Agreement));
        assert_eq!(schedule.stage(day("2027-02-13")), Stage::Acknowledgements);
        assert_eq!(schedule.stage(day("2027-02-19")), Stage::Acknowledgements);
        assert_eq!(schedule.stage(day("2027-02-20")), Stage::Ended);
        assert!(!schedule.is_overdue(Step::SelfAssessment, day("2027-01-22")));
        assert!(schedule.is_overdue(Step::SelfAssessment, day("2027-01-23")));
    }

    #[test]
    fn the_day_is_the_company_s_day() {
        let schedule = schedule();
        // 23:30 UTC on the 10th is half past midnight on the 11th in Berlin: the cycle is open.
        let late_evening: Timestamp = "2027-01-10T23:30:00Z".parse().unwrap();
        assert_eq!(schedule.today(late_evening), day("2027-01-11"));
        assert!(
            schedule
                .check_write(
                    "2027-H1",
                    Write::Step(Step::SelfAssessment),
                    schedule.today(late_evening)
                )
                .is_ok()
        );
    }

    #[test]
    fn nothing_is_written_before_it_opens_and_only_acknowledgements_after_it_closes() {
        let schedule = schedule();
        let self_assessment = Write::Step(Step::SelfAssessment);
        assert_eq!(
            schedule
                .check_write("2027-H1", self_assessment, day("2027-01-04"))
                .unwrap_err()
                .to_string(),
            "cycle `2027-H1` opens on 2027-01-11 (Europe/Berlin); nothing can be written in it before then"
        );
        // Late but open: taken.
        assert!(schedule.check_write("2027-H1", self_assessment, day("2027-02-15")).is_ok());
        assert!(matches!(
            schedule.check_write("2027-H1", Write::Step(Step::Agreement), day("2027-02-20")),
            Err(StageError::Ended { .. })
        ));
        assert!(schedule.check_write("2027-H1", Write::Acknowledgement, day("2027-03-20")).is_ok());
    }

    #[test]
    fn each_stage_says_what_may_be_written() {
        let schedule = schedule();
        assert_eq!(
            schedule.describe_stage(day("2027-01-12")),
            "Self-assessments are due by Fri 22 Jan 2027. Peer feedback, manager assessments and agreements may start."
        );
        assert_eq!(
            schedule.describe_stage(day("2027-02-01")),
            "Manager assessments are due by Fri 5 Feb 2027. Late self-assessments and peer feedback are still taken. Agreements may start."
        );
        assert!(
            schedule.describe_stage(day("2027-03-01")).starts_with("Ended on Fri 19 Feb 2027.")
        );
    }
}
