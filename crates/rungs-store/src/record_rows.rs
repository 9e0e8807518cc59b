//! Cycles, level changes, acknowledgements and growth plans as rows: the portable reads of them and the decoding
//! of their rows, for both backends.

use rungs_core::assess::{
    Acknowledgement, ActionId, ActionStatus, Cycle, CycleState, GrowthPlan, LevelChange,
    PlanAction, PlanId,
};

use crate::StoreError;
use crate::cells::Cells;
use crate::decode::{corrupt, cycle_name, date, expectation_id, level_id, person_id, timestamp};
use crate::sql::Row;

/// Every cycle, in no particular order: [`decode_cycles`] puts them in order of opening (by
/// `opened_at` as text, then `pk`), which spares SQLite a sort on every page.
pub(crate) const CYCLES: &str = "SELECT name, state, opened_at, closed_at, pk FROM cycles";
pub(crate) const PLANS: &str =
    "SELECT pk, subject_id, target_level FROM growth_plans WHERE subject_id = $1 ORDER BY pk";
pub(crate) const FOCUS: &str = "SELECT f.plan_pk, f.expectation_id FROM plan_focus f JOIN growth_plans p ON p.pk = f.plan_pk \
     WHERE p.subject_id = $1 ORDER BY f.plan_pk, f.position";
pub(crate) const ACTIONS: &str = "SELECT a.plan_pk, a.pk, a.expectation_id, a.text, a.owner_id, a.due_on, a.status \
     FROM plan_actions a JOIN growth_plans p ON p.pk = a.plan_pk WHERE p.subject_id = $1 ORDER BY a.plan_pk, a.due_on, a.pk";
pub(crate) const LEVEL_CHANGES: &str =
    "SELECT from_level, to_level, changed_at FROM level_changes WHERE person_id = $1 ORDER BY pk";
/// A person's acknowledgements of their cycles' outcomes, oldest first.
pub(crate) const ACKNOWLEDGEMENTS: &str = "SELECT c.name, k.subject_id, k.comment, k.acknowledged_at \
     FROM acknowledgements k JOIN cycles c ON c.pk = k.cycle_pk WHERE k.subject_id = $1 ORDER BY k.acknowledged_at";

pub(crate) fn decode_acknowledgements(rows: &[Row]) -> Result<Vec<Acknowledgement>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(Acknowledgement {
                cycle: cycle_name(&row.str(0)?)?,
                subject: person_id(&row.str(1)?)?,
                comment: row.optional_text(2)?,
                acknowledged_at: timestamp(&row.str(3)?)?,
            })
        })
        .collect()
}

/// Cycles in the order they were opened: by `opened_at` as text (byte by byte, as SQLite
/// compares it), then by key.
pub(crate) fn decode_cycles(rows: &[Row]) -> Result<Vec<Cycle>, StoreError> {
    let mut keyed = rows
        .iter()
        .map(|row| Ok(((row.str(2)?, row.integer(4)?), row)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    keyed.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    keyed
        .into_iter()
        .map(|(_, row)| {
            let state = row.text(1)?;
            Ok(Cycle {
                name: cycle_name(&row.str(0)?)?,
                state: CycleState::parse(&state).ok_or_else(|| corrupt("cycle state", &state))?,
                opened_at: timestamp(&row.str(2)?)?,
                closed_at: row.optional_text(3)?.as_deref().map(timestamp).transpose()?,
            })
        })
        .collect()
}

pub(crate) fn decode_level_changes(rows: &[Row]) -> Result<Vec<LevelChange>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(LevelChange {
                from: level_id(&row.str(0)?)?,
                to: level_id(&row.str(1)?)?,
                at: timestamp(&row.str(2)?)?,
            })
        })
        .collect()
}

/// A plan action from columns 1 to 6 of a row: key, expectation, text, owner, due date,
/// status (column 0 is the reader's own: the plan, or whose plan it is).
pub(crate) fn plan_action(row: &Row) -> Result<PlanAction, StoreError> {
    let status = row.text(6)?;
    Ok(PlanAction {
        id: ActionId::new(row.integer(1)?),
        expectation: expectation_id(&row.str(2)?)?,
        text: row.text(3)?,
        owner: person_id(&row.str(4)?)?,
        due: date(&row.str(5)?)?,
        status: ActionStatus::parse(&status).ok_or_else(|| corrupt("action status", &status))?,
    })
}

pub(crate) fn decode_plans(
    plans: &[Row],
    focus: &[Row],
    actions: &[Row],
) -> Result<Vec<GrowthPlan>, StoreError> {
    let mut result = plans
        .iter()
        .map(|row| {
            Ok(GrowthPlan {
                id: PlanId::new(row.integer(0)?),
                subject: person_id(&row.str(1)?)?,
                target_level: level_id(&row.str(2)?)?,
                focus: Vec::new(),
                actions: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    for row in focus {
        let plan = row.integer(0)?;
        if let Some(found) = result.iter_mut().find(|found| found.id.get() == plan) {
            found.focus.push(expectation_id(&row.str(1)?)?);
        }
    }
    for row in actions {
        let plan = row.integer(0)?;
        let action = plan_action(row)?;
        if let Some(found) = result.iter_mut().find(|found| found.id.get() == plan) {
            found.actions.push(action);
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Value;

    #[test]
    fn cycles_come_in_order_of_opening_then_key_whatever_order_they_are_read_in() {
        let cycle = |name: &str, opened_at: &str, pk: i64| {
            Row(vec![
                Value::text(name),
                Value::text("closed"),
                Value::text(opened_at),
                Value::Text(None),
                Value::integer(pk),
            ])
        };
        let rows = vec![
            cycle("2026-h2", "2026-07-01T00:00:00Z", 3),
            cycle("2025-h2", "2025-07-01T00:00:00Z", 4),
            cycle("2026-h1-b", "2026-01-01T00:00:00Z", 2),
            cycle("2026-h1-a", "2026-01-01T00:00:00Z", 1),
        ];
        let names: Vec<String> =
            decode_cycles(&rows).unwrap().into_iter().map(|cycle| cycle.name.to_string()).collect();
        assert_eq!(names, ["2025-h2", "2026-h1-a", "2026-h1-b", "2026-h2"]);
    }
}
