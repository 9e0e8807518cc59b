//! Cycles' plans (`migrations/*/0013_cycle_plans.sql`): the write of a cycle's schedule and
//! participants, and their reads, for both backends. Lists are stored one value per line: ids
//! hold no whitespace, and team names no control characters.

use std::future::Future;

use rungs_core::assess::{CycleName, CyclePlan, Participants, Schedule, ZoneName};
use rungs_core::org::PersonId;
use rungs_core::{LevelId, TrackId};

use crate::cells::Cells;
use crate::decode::{corrupt, cycle_name, date, person_id};
use crate::sql::{Expect, Param, Query, Row, Statement, Value};
use crate::{Storage, StoreError};

/// Sets the plan of an open cycle, replacing the one it had.
pub(crate) const PLAN_CYCLE: &str = "INSERT INTO cycle_plans \
     (cycle_pk, time_zone, opens_on, self_due, peer_due, manager_due, agreement_due, closes_on, within_id, tracks, levels, teams, added, excluded) \
     SELECT c.pk, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM cycles c WHERE c.name = $14 AND c.state = 'open' \
     ON CONFLICT (cycle_pk) DO UPDATE SET time_zone = excluded.time_zone, opens_on = excluded.opens_on, \
     self_due = excluded.self_due, peer_due = excluded.peer_due, manager_due = excluded.manager_due, \
     agreement_due = excluded.agreement_due, closes_on = excluded.closes_on, within_id = excluded.within_id, \
     tracks = excluded.tracks, levels = excluded.levels, teams = excluded.teams, added = excluded.added, \
     excluded = excluded.excluded";

/// A read of plans with the columns `plan_from_row` decodes, narrowed by `$where`.
macro_rules! plans_where {
    ($where:literal) => {
        concat!(
            "SELECT c.name, p.time_zone, p.opens_on, p.self_due, p.peer_due, p.manager_due, ",
            "p.agreement_due, p.closes_on, p.within_id, p.tracks, p.levels, p.teams, p.added, ",
            "p.excluded FROM cycle_plans p JOIN cycles c ON c.pk = p.cycle_pk WHERE ",
            $where
        )
    };
}

/// The plan of one cycle, by name.
const CYCLE_PLAN: &str = plans_where!("c.name = $1");

/// The plans of the open cycles only: what tasks and writes read.
const OPEN_CYCLE_PLANS: &str = plans_where!("c.state = 'open'");

/// The time zone of the newest cycle with a plan.
const NEWEST_ZONE: &str = "SELECT p.time_zone FROM cycle_plans p JOIN cycles c ON c.pk = p.cycle_pk \
     ORDER BY c.opened_at DESC, c.pk DESC LIMIT 1";

#[cfg(test)]
pub(crate) const ALL: &[&str] = &[PLAN_CYCLE, CYCLE_PLAN, OPEN_CYCLE_PLANS, NEWEST_ZONE];

fn lines<'a>(values: impl IntoIterator<Item = &'a str>) -> Param {
    Param::Value(Value::text(values.into_iter().collect::<Vec<_>>().join("\n")))
}

/// The statement that sets cycle `name`'s plan; refused when the cycle is not open.
pub(crate) fn plan_statement(name: &CycleName, plan: &CyclePlan) -> Statement {
    let schedule = &plan.schedule;
    let participants = &plan.participants;
    let day = |date: jiff::civil::Date| Param::Value(Value::text(date.to_string()));
    Statement {
        sql: PLAN_CYCLE,
        params: vec![
            Param::Value(Value::text(schedule.time_zone.as_str())),
            day(schedule.opens),
            day(schedule.self_due),
            day(schedule.peer_due),
            day(schedule.manager_due),
            day(schedule.agreement_due),
            day(schedule.closes),
            Param::Value(Value::optional_text(participants.within.as_ref().map(PersonId::as_str))),
            lines(participants.tracks.iter().map(TrackId::as_str)),
            lines(participants.levels.iter().map(LevelId::as_str)),
            lines(participants.teams.iter().map(String::as_str)),
            lines(participants.added.iter().map(PersonId::as_str)),
            lines(participants.excluded.iter().map(PersonId::as_str)),
            Param::Value(Value::text(name.as_str())),
        ],
        expect: Expect::OneRow(format!("cycle `{name}` is not open")),
    }
}

fn split<T>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    text.split('\n').filter(|value| !value.is_empty()).map(parse).collect()
}

fn plan_from_row(row: &Row) -> Result<(CycleName, CyclePlan), StoreError> {
    let zone = row.str(1)?;
    let time_zone = ZoneName::parse(&zone).map_err(|_| corrupt("time zone", &zone))?;
    let day = |index: usize| -> Result<jiff::civil::Date, StoreError> { date(&row.str(index)?) };
    let schedule = Schedule {
        time_zone,
        opens: day(2)?,
        self_due: day(3)?,
        peer_due: day(4)?,
        manager_due: day(5)?,
        agreement_due: day(6)?,
        closes: day(7)?,
    };
    let track = |text: &str| TrackId::parse(text).map_err(|_| corrupt("track", text));
    let level = |text: &str| LevelId::parse(text).map_err(|_| corrupt("level", text));
    let participants = Participants {
        within: row.optional_text(8)?.as_deref().map(person_id).transpose()?,
        tracks: split(&row.str(9)?, track)?,
        levels: split(&row.str(10)?, level)?,
        teams: split(&row.str(11)?, |team| Ok(team.to_owned()))?,
        added: split(&row.str(12)?, person_id)?,
        excluded: split(&row.str(13)?, person_id)?,
    };
    Ok((cycle_name(&row.str(0)?)?, CyclePlan { schedule, participants }))
}

/// The reads of cycles' plans, for every store.
pub trait CyclePlans: Storage + Sync {
    /// The plan of cycle `name`, when it has one.
    fn cycle_plan(
        &self,
        name: &CycleName,
    ) -> impl Future<Output = Result<Option<CyclePlan>, StoreError>> + Send {
        let query = Query::new(CYCLE_PLAN, vec![Value::text(name.as_str())]);
        async move {
            let rows = self.fetch(query).await?;
            rows.first().map(plan_from_row).transpose().map(|plan| plan.map(|(_, plan)| plan))
        }
    }

    /// The plans of the open cycles, by cycle name.
    fn open_cycle_plans(
        &self,
    ) -> impl Future<Output = Result<Vec<(CycleName, CyclePlan)>, StoreError>> + Send {
        async move {
            let rows = self.fetch(Query::new(OPEN_CYCLE_PLANS, vec![])).await?;
            rows.iter().map(plan_from_row).collect()
        }
    }

    /// The time zone of the newest cycle with a plan, when there is one.
    fn newest_plan_zone(
        &self,
    ) -> impl Future<Output = Result<Option<ZoneName>, StoreError>> + Send {
        async move {
            let rows = self.fetch(Query::new(NEWEST_ZONE, vec![])).await?;
            let Some(row) = rows.first() else { return Ok(None) };
            let zone = row.str(0)?;
            ZoneName::parse(&zone).map(Some).map_err(|_| corrupt("time zone", &zone))
        }
    }
}

impl<S: Storage + Sync> CyclePlans for S {}
