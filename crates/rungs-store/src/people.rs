//! Rows shared by both backends, and turning database rows back into domain values.

use rungs_core::org::{Email, Person, PersonId, Status};
use rungs_core::{LevelId, TrackId};

use crate::StoreError;
use crate::cells::Cells;
use crate::sql::Row;

/// A framework to make active.
#[derive(Debug, Clone)]
pub struct NewFramework {
    pub framework_id: String,
    pub version: String,
    /// The framework file's text, kept so that the exact version can be reloaded.
    pub source: String,
}

/// A framework as stored, with when it became active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFramework {
    /// The stored version's key, which assessments pin.
    pub pk: i64,
    pub framework_id: String,
    pub version: String,
    pub source: String,
    pub activated_at: String,
}

/// How many people are active: what an import's leavers are a share of.
pub(crate) const ACTIVE_PEOPLE: &str = "SELECT count(*) FROM people WHERE status = 'active'";
/// The people import run `$1` changed among those in its file, and how many of them it made
/// leavers by their status (`left_run`: see migration 0009).
pub(crate) const COUNT_CHANGED: &str = "SELECT count(*), count(CASE WHEN left_run = $1 THEN 1 END) \
     FROM people WHERE changed_run = $1 AND import_run = $1";

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub left: u64,
    /// The active people before the import: what `left` is a share of.
    pub active_before: u64,
}

/// The text columns of a person row, in the order the queries select them:
/// id, name, email, title, track, level, manager_id, team, status.
pub(crate) struct PersonColumns {
    pub id: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub track: String,
    pub level: String,
    pub manager_id: Option<String>,
    pub team: String,
    pub status: String,
    pub hire_date: Option<String>,
    pub level_since: Option<String>,
}

/// Sorts people by name, then id, the same way on every backend (databases collate text
/// differently).
pub(crate) fn sort_by_name(people: &mut [Person]) {
    people.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
}

/// The track and level stored for someone off the ladder: none.
pub(crate) const OFF_LADDER_STORED: &str = "";

/// A person's track as stored.
pub(crate) fn stored_track(person: &Person) -> &str {
    person.track.as_ref().map_or(OFF_LADDER_STORED, TrackId::as_str)
}

/// A person's level as stored.
pub(crate) fn stored_level(person: &Person) -> &str {
    person.level.as_ref().map_or(OFF_LADDER_STORED, LevelId::as_str)
}

pub(crate) const PERSON_COLUMNS: &str =
    "id, name, email, title, track, level, manager_id, team, status, hire_date, level_since";

fn stored_date(what: &str, text: Option<&str>) -> Result<Option<jiff::civil::Date>, StoreError> {
    text.filter(|text| !text.is_empty())
        .map(|text| text.parse().map_err(|_| corrupt(what, text)))
        .transpose()
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} `{value}`"))
}

impl PersonColumns {
    pub fn into_person(self) -> Result<Person, StoreError> {
        Ok(Person {
            id: PersonId::parse(&self.id).map_err(|_| corrupt("person id", &self.id))?,
            name: self.name,
            email: Email::from_stored(&self.email).ok_or_else(|| corrupt("email", &self.email))?,
            title: self.title,
            track: match self.track.as_str() {
                OFF_LADDER_STORED => None,
                track => Some(TrackId::parse(track).map_err(|_| corrupt("track", track))?),
            },
            level: match self.level.as_str() {
                OFF_LADDER_STORED => None,
                level => Some(LevelId::parse(level).map_err(|_| corrupt("level", level))?),
            },
            manager_id: match self.manager_id {
                Some(manager) => {
                    Some(PersonId::parse(&manager).map_err(|_| corrupt("manager id", &manager))?)
                }
                None => None,
            },
            team: self.team,
            status: Status::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            hire_date: stored_date("hire date", self.hire_date.as_deref())?,
            level_since: stored_date("level start", self.level_since.as_deref())?,
        })
    }
}

pub(crate) fn person_from_row(row: &Row) -> Result<Person, StoreError> {
    PersonColumns {
        id: row.text(0)?,
        name: row.text(1)?,
        email: row.text(2)?,
        title: row.text(3)?,
        track: row.text(4)?,
        level: row.text(5)?,
        manager_id: row.optional_text(6)?,
        team: row.text(7)?,
        status: row.text(8)?,
        hire_date: row.optional_text(9)?,
        level_since: row.optional_text(10)?,
    }
    .into_person()
}
