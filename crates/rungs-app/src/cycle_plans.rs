//! Cycles with a plan: creating one with its schedule and participants, moving its dates,
//! changing who takes part, the cycle's stage today, and what its plan lets be written about
//! someone.

use jiff::civil::Date;
use rungs_core::LevelId;
use rungs_core::access::Principal;
use rungs_core::assess::{
    Cycle, CycleName, CyclePlan, Participants, Schedule, ScheduleField, Stage, Write, WriteSubject,
    ZoneName, check_open,
};
use rungs_core::org::PersonId;
use rungs_store::{Change, CyclePlans, Records};

use crate::audit::Audit;
use crate::{App, AppError, SearchScope};

/// The most participants one page of a cycle's list holds.
pub const PARTICIPANTS_PAGE: usize = 100;

/// A filter of who takes part, as typed: a person (name, email or id) whose line it is, and
/// tracks, levels and teams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterInput {
    pub within: Option<String>,
    pub tracks: Vec<String>,
    pub levels: Vec<String>,
    pub teams: Vec<String>,
}

/// A plan, or a change to one, as typed at any edge. Dates are `YYYY-MM-DD`, in the order of
/// [`ScheduleField::ALL`]; a date left out keeps its value (or, for a new plan, follows the one
/// before it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanInput {
    pub time_zone: Option<String>,
    pub dates: [Option<String>; 6],
    /// Replaces the filter when given; a new plan without one takes everyone.
    pub filter: Option<FilterInput>,
    /// People to add and to exclude one by one: names, emails or ids.
    pub add: Vec<String>,
    pub exclude: Vec<String>,
}

/// A cycle as its page and `cycle show` present it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CycleOverview {
    /// The cycle's own fields (name, state, opened and closed times) at the top level, as
    /// the cycle list gives them.
    #[serde(flatten)]
    pub cycle: Cycle,
    pub plan: Option<CyclePlan>,
    /// Today in the cycle's time zone.
    pub today: Date,
    pub stage: Option<Stage>,
    /// What the stage means, in a sentence.
    pub stage_text: String,
    /// Who takes part, in words, people named.
    pub participants_described: String,
    pub participant_count: u64,
}

/// One participant, as a list shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Participant {
    pub id: PersonId,
    pub name: String,
    pub level: Option<LevelId>,
    pub team: String,
}

/// A page of a cycle's participants, in org chart order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParticipantPage {
    pub total: u64,
    pub skip: u64,
    pub participants: Vec<Participant>,
}

fn parse_date(field: ScheduleField, text: &str) -> Result<Date, AppError> {
    text.trim().parse::<Date>().map_err(|_| {
        AppError::invalid(
            field.name(),
            format!(
                "`{}` is not a date: write it as 2027-01-11",
                rungs_core::text::excerpt(text.trim())
            ),
        )
    })
}

fn parse_dates(dates: &[Option<String>; 6]) -> Result<[Option<Date>; 6], AppError> {
    let mut parsed = [None; 6];
    for ((slot, field), text) in parsed.iter_mut().zip(ScheduleField::ALL).zip(dates) {
        if let Some(text) = text.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            *slot = Some(parse_date(field, text)?);
        }
    }
    Ok(parsed)
}

/// The framework's ids that `typed` names, ignoring case, each checked against `known`.
fn framework_ids<Id: AsRef<str> + Clone>(
    field: &str,
    what: &str,
    typed: &[String],
    known: &[&Id],
) -> Result<Vec<Id>, AppError> {
    typed
        .iter()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
        .map(|typed| {
            known
                .iter()
                .find(|id| id.as_ref().eq_ignore_ascii_case(typed))
                .map(|id| (*id).clone())
                .ok_or_else(|| {
                    AppError::invalid(
                        field,
                        format!(
                            "the framework has no {what} `{}`",
                            rungs_core::text::excerpt(typed)
                        ),
                    )
                })
        })
        .collect()
}

fn schedule_error(error: rungs_core::assess::ScheduleError) -> AppError {
    let field = error.field().map_or("time_zone", ScheduleField::name);
    AppError::invalid(field, error)
}

fn participants_error(error: rungs_core::assess::ParticipantsError) -> AppError {
    AppError::invalid("participants", error)
}

impl App {
    /// The person `typed` names in `field`, among everyone active: a name, an email or an id.
    pub async fn anyone_named(&self, field: &str, typed: &str) -> Result<PersonId, AppError> {
        self.resolve_person(&Principal::operator(), field, typed, SearchScope::Everyone).await
    }

    async fn filter_of(&self, input: &FilterInput) -> Result<Participants, AppError> {
        let within = match input.within.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(typed) => Some(self.anyone_named("within", typed).await?),
            None => None,
        };
        let framework = self.current_framework().await?;
        let tracks = framework_ids(
            "tracks",
            "track",
            &input.tracks,
            &framework.tracks().iter().map(|track| &track.id).collect::<Vec<_>>(),
        )?;
        let levels = framework_ids(
            "levels",
            "level",
            &input.levels,
            &framework.levels().iter().map(|level| &level.id).collect::<Vec<_>>(),
        )?;
        let mut teams = Vec::new();
        for typed in input.teams.iter().map(|text| text.trim()).filter(|text| !text.is_empty()) {
            rungs_core::text::TEAM
                .check(typed)
                .map_err(|error| AppError::invalid("teams", error))?;
            teams.push(typed.to_owned());
        }
        Ok(Participants { within, tracks, levels, teams, added: vec![], excluded: vec![] })
    }

    /// `rule` with `input`'s filter, additions and exclusions applied.
    async fn participants_after(
        &self,
        rule: Participants,
        input: &PlanInput,
    ) -> Result<Participants, AppError> {
        let mut rule = match &input.filter {
            Some(filter) => Participants {
                added: rule.added,
                excluded: rule.excluded,
                ..self.filter_of(filter).await?
            },
            None => rule,
        };
        for typed in input.add.iter().map(|text| text.trim()).filter(|text| !text.is_empty()) {
            rule = rule.with_added(self.anyone_named("add", typed).await?);
        }
        for typed in input.exclude.iter().map(|text| text.trim()).filter(|text| !text.is_empty()) {
            rule = rule.with_excluded(self.anyone_named("exclude", typed).await?);
        }
        rule.check().map_err(participants_error)?;
        Ok(rule)
    }

    /// The time zone typed, or else the newest plan's, or else UTC.
    async fn zone_for(&self, typed: Option<&str>) -> Result<ZoneName, AppError> {
        if let Some(typed) = typed.map(str::trim).filter(|text| !text.is_empty()) {
            return ZoneName::parse(typed).map_err(schedule_error);
        }
        Ok(self.store.newest_plan_zone().await?.unwrap_or_else(ZoneName::utc))
    }

    /// Opens cycle `name` with a schedule and participants, in one write with its audit
    /// entry. Another open cycle refuses it unless `alongside`.
    pub async fn create_cycle(
        &self,
        name: &str,
        input: &PlanInput,
        alongside: bool,
    ) -> Result<CycleOverview, AppError> {
        let name = CycleName::parse(name).map_err(|error| AppError::invalid("name", error))?;
        check_open(&self.store.cycles().await?, &name, alongside)?;
        let zone = self.zone_for(input.time_zone.as_deref()).await?;
        let schedule =
            Schedule::from_dates(zone, parse_dates(&input.dates)?).map_err(schedule_error)?;
        let participants = self.participants_after(Participants::everyone(), input).await?;
        let plan = CyclePlan { schedule, participants };
        let audit = Audit::new("cycle.open", format!("cycle {name}"))
            .after(serde_json::json!({ "state": "open", "alongside": alongside, "plan": plan }));
        let changes = vec![
            Change::OpenCycle { name: name.clone(), at: self.now() },
            Change::PlanCycle { name: name.clone(), plan: Box::new(plan) },
        ];
        self.write(changes, audit).await?;
        self.cycle_overview(name.as_str()).await
    }

    /// Moves dates of cycle `name`, changes who takes part, or gives a cycle opened without a
    /// plan one (then its opening day is needed). The change and what it replaced are audited.
    pub async fn replan_cycle(
        &self,
        name: &str,
        input: &PlanInput,
    ) -> Result<CycleOverview, AppError> {
        let cycle = self.cycle(name).await?;
        if !cycle.is_open() {
            return Err(AppError::Conflict(format!(
                "cycle `{}` is closed; its plan no longer changes",
                cycle.name
            )));
        }
        let before = self.cycle_plan(&cycle.name).await?;
        let dates = parse_dates(&input.dates)?;
        let schedule = match &before {
            Some(plan) => {
                let moved = plan.schedule.moved(dates).map_err(schedule_error)?;
                match input.time_zone.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
                    Some(typed) => Schedule {
                        time_zone: ZoneName::parse(typed).map_err(schedule_error)?,
                        ..moved
                    },
                    None => moved,
                }
            }
            None => {
                let zone = self.zone_for(input.time_zone.as_deref()).await?;
                Schedule::from_dates(zone, dates).map_err(schedule_error)?
            }
        };
        let rule =
            before.as_ref().map_or_else(Participants::everyone, |plan| plan.participants.clone());
        let participants = self.participants_after(rule, input).await?;
        let plan = CyclePlan { schedule, participants };
        if before.as_ref() == Some(&plan) {
            return self.cycle_overview(name).await;
        }
        let audit = Audit::new("cycle.plan", format!("cycle {}", cycle.name))
            .before(serde_json::json!({ "plan": before }))
            .after(serde_json::json!({ "plan": plan }));
        self.write(
            vec![Change::PlanCycle { name: cycle.name.clone(), plan: Box::new(plan) }],
            audit,
        )
        .await?;
        self.cycle_overview(name).await
    }

    /// Cycle `name`'s plan, when it has one.
    pub async fn cycle_plan(&self, name: &CycleName) -> Result<Option<CyclePlan>, AppError> {
        Ok(self.store.cycle_plan(name).await?)
    }

    /// Every open cycle with its plan, oldest first.
    pub async fn open_cycles_with_plans(
        &self,
    ) -> Result<Vec<(Cycle, Option<CyclePlan>)>, AppError> {
        let mut plans = self.store.open_cycle_plans().await?;
        Ok(self
            .store
            .cycles()
            .await?
            .into_iter()
            .filter(Cycle::is_open)
            .map(|cycle| {
                let plan = plans
                    .iter()
                    .position(|(name, _)| name == &cycle.name)
                    .map(|found| plans.swap_remove(found).1);
                (cycle, plan)
            })
            .collect())
    }

    /// Today in `plan`'s time zone, or UTC without one.
    pub fn today_in(&self, plan: Option<&CyclePlan>) -> Date {
        plan.map_or_else(|| self.today(), |plan| plan.schedule.today(self.now()))
    }

    /// Cycle `name` with its plan, stage and participants counted.
    pub async fn cycle_overview(&self, name: &str) -> Result<CycleOverview, AppError> {
        let cycle = self.cycle(name).await?;
        let plan = self.cycle_plan(&cycle.name).await?;
        let today = self.today_in(plan.as_ref());
        let org = self.current_org().await?;
        let chart = &org.chart;
        let rule =
            plan.as_ref().map_or_else(Participants::everyone, |plan| plan.participants.clone());
        let participant_count = rule.filter(chart).positions().count() as u64;
        let names = org.names(rule.within.iter());
        let participants_described = rule.describe(|id| names.of(id).to_owned());
        let (stage, stage_text) = match (&plan, cycle.is_open()) {
            (_, false) => (None, "Closed: read-only.".to_owned()),
            (Some(plan), true) => {
                (Some(plan.schedule.stage(today)), plan.schedule.describe_stage(today))
            }
            (None, true) => (
                None,
                "Open, without a schedule: nothing is due. Give it dates to send people tasks."
                    .to_owned(),
            ),
        };
        Ok(CycleOverview {
            cycle,
            plan,
            today,
            stage,
            stage_text,
            participants_described,
            participant_count,
        })
    }

    /// Up to [`PARTICIPANTS_PAGE`] participants of cycle `name` from the `skip`th, and how
    /// many there are.
    pub async fn cycle_participants(
        &self,
        name: &str,
        skip: u64,
    ) -> Result<ParticipantPage, AppError> {
        let cycle = self.cycle(name).await?;
        let plan = self.cycle_plan(&cycle.name).await?;
        let org = self.current_org().await?;
        let chart = &org.chart;
        let rule = plan.map_or_else(Participants::everyone, |plan| plan.participants);
        let filter = rule.filter(chart);
        let mut total = 0u64;
        let mut participants = Vec::new();
        for position in filter.positions() {
            if total >= skip && participants.len() < PARTICIPANTS_PAGE {
                let member = chart.member(position);
                participants.push(Participant {
                    id: member.id.clone(),
                    name: member.name.to_string(),
                    level: member.level.clone(),
                    team: member.team.to_string(),
                });
            }
            total += 1;
        }
        Ok(ParticipantPage { total, skip, participants })
    }

    /// Whether cycle `cycle`'s plan lets `write` about `subject` happen now: a cycle without a
    /// plan lets everything.
    pub(crate) async fn check_plan_write(
        &self,
        cycle: &Cycle,
        write: Write,
        subject: &PersonId,
    ) -> Result<(), AppError> {
        let Some(plan) = self.cycle_plan(&cycle.name).await? else { return Ok(()) };
        let org = self.current_org().await?;
        let position = org.find(subject.as_str());
        let name = position.map_or_else(
            || subject.to_string(),
            |position| org.chart.member(position).name.to_string(),
        );
        plan.check_write(
            cycle.name.as_str(),
            write,
            plan.schedule.today(self.now()),
            &org.chart,
            WriteSubject { position, id: subject, name: &name },
        )
        .map_err(|refusal| AppError::Conflict(refusal.to_string()))
    }
}
