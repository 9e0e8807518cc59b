//! Standings as stored (`migrations/*/0006_standings.sql`): each person's
//! `rungs_core::assess::PersonStanding` and the count of writes that changed their record;
//! the statements that write them and the decoding of a row. `line_reads` reads them.

use rungs_core::assess::{CycleName, DimensionCount, PersonStanding, Verdict};
use rungs_core::org::PersonId;
use rungs_core::{DimensionId, LevelId};

use crate::StoreError;
use crate::cells::Cells;
use crate::decode::{corrupt, person_id};
use crate::sql::{Expect, Param, Row, Statement, Value};

/// Raises the change count of the subject of an assessment.
pub(crate) const TOUCH_STANDING: &str = "INSERT INTO standings (person_id, changes) \
     SELECT subject_id, 1 FROM assessments WHERE pk = $1 \
     ON CONFLICT (person_id) DO UPDATE SET changes = standings.changes + 1";
/// Stores computed facts, unless a write raised the count since they were read.
pub(crate) const PUT_STANDING: &str = "UPDATE standings SET computed_from = $1, rules = $2, \
     framework_pk = $3, level = $4, target = $5, verdict = $6, met = $7, total = $8, \
     dimensions = $9, latest_cycle_pk = (SELECT pk FROM cycles WHERE name = $10) \
     WHERE person_id = $11 AND changes = $1";

/// Every statement text, for the test that checks the placeholder invariant.
#[cfg(test)]
pub(crate) const ALL: &[&str] = &[TOUCH_STANDING, PUT_STANDING];

/// Facts computed for a person at one change count, to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingWrite {
    pub person: PersonId,
    /// The change count read with the record the facts were computed from.
    pub from_changes: i64,
    /// The framework version they were computed against.
    pub framework_pk: i64,
    pub standing: PersonStanding,
}

impl StandingWrite {
    pub(crate) fn statements(&self) -> Vec<Statement> {
        let text = |value: &str| Param::Value(Value::text(value));
        let integer = |value: i64| Param::Value(Value::integer(value));
        let standing = &self.standing;
        vec![Statement {
            sql: PUT_STANDING,
            params: vec![
                integer(self.from_changes),
                integer(i64::from(PersonStanding::RULES)),
                integer(self.framework_pk),
                text(standing.level.as_str()),
                Param::Value(Value::optional_text(standing.target.as_ref().map(|t| t.as_str()))),
                Param::Value(Value::optional_text(standing.verdict.map(verdict_text))),
                integer(i64::from(standing.met)),
                integer(i64::from(standing.total)),
                text(&dimensions_text(&standing.dimensions)),
                Param::Value(Value::optional_text(
                    standing.latest_cycle.as_ref().map(|cycle| cycle.as_str()),
                )),
                text(self.person.as_str()),
            ],
            // None when a write raced it: the facts stay out of date, and are computed again.
            expect: Expect::Count,
        }]
    }
}

fn verdict_text(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ready => "ready",
        Verdict::Close => "close",
        Verdict::NotYet => "not-yet",
        Verdict::NotAssessed => "not-assessed",
    }
}

fn dimensions_text(dimensions: &[DimensionCount]) -> String {
    let counts: Vec<String> = dimensions
        .iter()
        .map(|count| format!("{}={}/{}", count.dimension, count.met, count.total))
        .collect();
    counts.join(" ")
}

fn parse_dimensions(text: &str) -> Result<Vec<DimensionCount>, StoreError> {
    text.split_whitespace()
        .map(|part| {
            let parsed = part.split_once('=').and_then(|(dimension, counts)| {
                let (met, total) = counts.split_once('/')?;
                Some(DimensionCount {
                    dimension: DimensionId::parse(dimension).ok()?,
                    met: met.parse().ok()?,
                    total: total.parse().ok()?,
                })
            });
            parsed.ok_or_else(|| corrupt("standing dimensions", text))
        })
        .collect()
}

/// A person's stored standing: their change count, and the facts when any were computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStanding {
    pub person: PersonId,
    pub changes: i64,
    pub computed: Option<ComputedStanding>,
}

/// Facts as stored, with what they were computed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedStanding {
    pub from_changes: i64,
    pub rules: i64,
    pub framework_pk: i64,
    pub standing: PersonStanding,
}

impl StoredStanding {
    /// The facts, if they still hold for someone at `level` under framework `framework_pk`.
    pub fn current(&self, framework_pk: i64, level: &LevelId) -> Option<&PersonStanding> {
        let computed = self.computed.as_ref()?;
        (computed.from_changes == self.changes
            && computed.rules == i64::from(PersonStanding::RULES)
            && computed.framework_pk == framework_pk
            && &computed.standing.level == level)
            .then_some(&computed.standing)
    }
}

pub(crate) const STANDING_COLUMNS: &str = "s.person_id, s.changes, s.computed_from, s.rules, s.framework_pk, \
     s.level, s.target, s.verdict, s.met, s.total, s.dimensions, \
     (SELECT c.name FROM cycles c WHERE c.pk = s.latest_cycle_pk)";

pub(crate) fn decode_standing(row: &Row) -> Result<StoredStanding, StoreError> {
    let person = person_id(&row.str(0)?)?;
    let changes = row.integer(1)?;
    let computed = match row.optional_integer(2)? {
        None => None,
        Some(from_changes) => {
            let level = row.str(5)?;
            let verdict = row.optional_text(7)?;
            let standing = PersonStanding {
                level: LevelId::parse(&level).map_err(|_| corrupt("level", &level))?,
                target: row
                    .optional_text(6)?
                    .map(|target| LevelId::parse(&target).map_err(|_| corrupt("level", &target)))
                    .transpose()?,
                verdict: match verdict.as_deref() {
                    None => None,
                    Some("ready") => Some(Verdict::Ready),
                    Some("close") => Some(Verdict::Close),
                    Some("not-yet") => Some(Verdict::NotYet),
                    Some("not-assessed") => Some(Verdict::NotAssessed),
                    Some(other) => return Err(corrupt("verdict", other)),
                },
                met: u32::try_from(row.integer(8)?).unwrap_or(0),
                total: u32::try_from(row.integer(9)?).unwrap_or(0),
                dimensions: parse_dimensions(&row.str(10)?)?,
                latest_cycle: row
                    .optional_text(11)?
                    .map(|cycle| CycleName::parse(&cycle).map_err(|_| corrupt("cycle", &cycle)))
                    .transpose()?,
            };
            Some(ComputedStanding {
                from_changes,
                rules: row.optional_integer(3)?.unwrap_or(0),
                framework_pk: row.optional_integer(4)?.unwrap_or(0),
                standing,
            })
        }
    };
    Ok(StoredStanding { person, changes, computed })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    #[test]
    fn dimension_counts_read_back_as_written() {
        let counts = vec![
            DimensionCount { dimension: DimensionId::parse("craft").unwrap(), met: 3, total: 5 },
            DimensionCount { dimension: DimensionId::parse("people").unwrap(), met: 0, total: 4 },
        ];
        let text = dimensions_text(&counts);
        assert_eq!(text, "craft=3/5 people=0/4");
        assert_eq!(parse_dimensions(&text).unwrap(), counts);
        assert_eq!(parse_dimensions("").unwrap(), []);
        assert!(parse_dimensions("craft=3").is_err());
    }
}
