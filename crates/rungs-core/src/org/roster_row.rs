//! One person's row of an imported roster as read, and the roster's columns.

use std::fmt;

/// A column of the roster, by its canonical name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterField {
    Id,
    Name,
    Email,
    ManagerId,
    Title,
    Track,
    Level,
    Team,
    Status,
    /// Parts a name is composed of when the export has no whole name.
    FirstName,
    LastName,
    PreferredName,
    /// When the person joined.
    HireDate,
    /// When the person reached their current level.
    LevelSince,
}

/// Every field with its canonical column name, in canonical column order.
pub const ROSTER_FIELDS: [(RosterField, &str); 14] = [
    (RosterField::Id, "id"),
    (RosterField::Name, "name"),
    (RosterField::Email, "email"),
    (RosterField::ManagerId, "manager_id"),
    (RosterField::Title, "title"),
    (RosterField::Track, "track"),
    (RosterField::Level, "level"),
    (RosterField::Team, "team"),
    (RosterField::Status, "status"),
    (RosterField::FirstName, "first_name"),
    (RosterField::LastName, "last_name"),
    (RosterField::PreferredName, "preferred_name"),
    (RosterField::HireDate, "hire_date"),
    (RosterField::LevelSince, "level_since"),
];

impl RosterField {
    pub fn name(self) -> &'static str {
        ROSTER_FIELDS.iter().find(|(field, _)| *field == self).map_or("", |(_, name)| name)
    }

    /// Fields every row must fill (`name` may be composed of its parts instead).
    pub fn is_required(self) -> bool {
        matches!(
            self,
            RosterField::Id | RosterField::Name | RosterField::Email | RosterField::Level
        )
    }
}

impl fmt::Display for RosterField {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// One person as read from an export, trimmed, not yet checked. `row` is the number a
/// spreadsheet shows: the header is row 1, the first person row 2.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterRow {
    pub row: usize,
    pub id: String,
    pub name: String,
    pub email: String,
    pub manager_id: String,
    pub title: String,
    pub track: String,
    pub level: String,
    pub team: String,
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: String,
    pub hire_date: String,
    pub level_since: String,
    /// An import mapping keeps this row as someone off the ladder: it needs no level.
    pub off_ladder: bool,
    /// The manager as the file wrote them, when a mapping's rules made `manager_id` of it (an
    /// email resolved to an id, leading zeros stripped); empty otherwise. Messages name both.
    pub manager_as_written: String,
}

impl RosterRow {
    pub fn field(&self, field: RosterField) -> &str {
        match field {
            RosterField::Id => &self.id,
            RosterField::Name => &self.name,
            RosterField::Email => &self.email,
            RosterField::ManagerId => &self.manager_id,
            RosterField::Title => &self.title,
            RosterField::Track => &self.track,
            RosterField::Level => &self.level,
            RosterField::Team => &self.team,
            RosterField::Status => &self.status,
            RosterField::FirstName => &self.first_name,
            RosterField::LastName => &self.last_name,
            RosterField::PreferredName => &self.preferred_name,
            RosterField::HireDate => &self.hire_date,
            RosterField::LevelSince => &self.level_since,
        }
    }

    pub fn field_mut(&mut self, field: RosterField) -> &mut String {
        match field {
            RosterField::Id => &mut self.id,
            RosterField::Name => &mut self.name,
            RosterField::Email => &mut self.email,
            RosterField::ManagerId => &mut self.manager_id,
            RosterField::Title => &mut self.title,
            RosterField::Track => &mut self.track,
            RosterField::Level => &mut self.level,
            RosterField::Team => &mut self.team,
            RosterField::Status => &mut self.status,
            RosterField::FirstName => &mut self.first_name,
            RosterField::LastName => &mut self.last_name,
            RosterField::PreferredName => &mut self.preferred_name,
            RosterField::HireDate => &mut self.hire_date,
            RosterField::LevelSince => &mut self.level_since,
        }
    }
}
