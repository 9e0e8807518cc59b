//! Validation of an imported roster (one row per person, as an HR export gives it) against the
//! framework, before anything is written: every problem, with its row and column.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use crate::framework::Framework;
use crate::org::dates::{DateOrder, parse_date};
use crate::org::import_changes::CHANGES_LISTED;
use crate::org::manager_hint::ManagerHints;
use crate::org::person::{Email, Person, PersonId, Status};
pub use crate::org::roster_row::{ROSTER_FIELDS, RosterField, RosterRow};
use crate::org::row_rules::{FileIndex, RowFate, RowRules};
use crate::org::seen_rows::SeenRows;
use crate::suggest::did_you_mean;
use crate::text;

/// A problem with one row (and usually one column) of a roster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RosterError {
    pub row: usize,
    pub column: Option<RosterField>,
    pub message: String,
}

impl fmt::Display for RosterError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => {
                write!(formatter, "row {}, column `{column}`: {}", self.row, self.message)
            }
            None => write!(formatter, "row {}: {}", self.row, self.message),
        }
    }
}

struct Errors(Vec<RosterError>);

impl Errors {
    fn add(&mut self, row: usize, column: RosterField, message: impl Into<String>) {
        self.0.push(RosterError { row, column: Some(column), message: message.into() });
    }
}

/// What the per-row checks found out about a row, for building its person afterwards.
struct Checked<'f> {
    level: Option<&'f crate::framework::Level>,
    track: Option<crate::TrackId>,
    status: Option<Status>,
    hire_date: Option<jiff::civil::Date>,
    level_since: Option<jiff::civil::Date>,
}

/// Checks a roster chunk by chunk, so that people can be written while the rest of the export
/// is still being read. Per-row checks run on each chunk; the checks across rows (duplicates,
/// managers, cycles) run in [`RosterValidator::finish`], which decides whether anything written
/// may be kept.
#[derive(Debug)]
pub struct RosterValidator<'f> {
    framework: &'f Framework,
    rules: RowRules,
    index: Option<&'f FileIndex>,
    /// Rows skipped as off the ladder, and the first of them by name.
    skipped: u64,
    skipped_named: Vec<String>,
    errors: Vec<RosterError>,
    /// What the cross-row checks need of each row: its number, id, email, manager and status.
    seen: SeenRows,
}

impl<'f> RosterValidator<'f> {
    pub fn new(framework: &'f Framework) -> RosterValidator<'f> {
        RosterValidator::with_rules(framework, RowRules::default(), None)
    }

    /// A validator that prepares each row by a mapping's `rules` first; `index` is the first
    /// pass over the file the rules need when [`RowRules::needs_index`] says so.
    pub fn with_rules(
        framework: &'f Framework,
        rules: RowRules,
        index: Option<&'f FileIndex>,
    ) -> RosterValidator<'f> {
        RosterValidator {
            framework,
            rules,
            index,
            skipped: 0,
            skipped_named: Vec::new(),
            errors: Vec::new(),
            seen: SeenRows::default(),
        }
    }

    /// Rows skipped as off the ladder, and the first [`CHANGES_LISTED`] of them by name.
    pub fn skipped(&self) -> (u64, &[String]) {
        (self.skipped, &self.skipped_named)
    }

    /// Prepares rows by the rules, leaving out those skipped.
    fn prepare(&mut self, mut rows: Vec<RosterRow>) -> Vec<RosterRow> {
        rows.retain_mut(|row| match self.rules.prepare(row) {
            RowFate::Skipped => {
                self.skipped += 1;
                if self.skipped_named.len() < CHANGES_LISTED {
                    self.skipped_named.push(format!(
                        "{} ({}), {}",
                        text::excerpt(&row.name),
                        text::excerpt(&row.id),
                        text::excerpt(&row.level)
                    ));
                }
                false
            }
            RowFate::Kept => {
                if let Some(index) = self.index
                    && let Err(message) = index.resolve_manager(row, &self.rules)
                {
                    // Named once, here, rather than again as a manager not in the file.
                    row.manager_id.clear();
                    self.errors.push(RosterError {
                        row: row.row,
                        column: Some(RosterField::ManagerId),
                        message,
                    });
                }
                true
            }
        });
        rows
    }

    /// Checks rows on their own and returns their people, moving the rows' text into them. Once
    /// any error has been found it returns no more people: nothing will be kept.
    pub fn check_chunk(&mut self, rows: Vec<RosterRow>) -> Vec<Person> {
        let rows = self.prepare(rows);
        let mut errors = Errors(std::mem::take(&mut self.errors));
        let checked = check_rows(&rows, self.framework, self.rules.date_order, &mut errors);
        self.errors = errors.0;
        for row in &rows {
            self.seen.push(row);
        }
        if !self.errors.is_empty() {
            return Vec::new();
        }
        match build_people(rows, checked) {
            Ok(people) => people,
            Err(error) => {
                self.errors.push(error);
                Vec::new()
            }
        }
    }

    /// How many rows were checked.
    pub fn rows(&self) -> usize {
        self.seen.len()
    }

    /// Runs the checks across rows; every error of the roster, ordered by row, or none.
    pub fn finish(self) -> Result<(), Vec<RosterError>> {
        let mut errors = Errors(self.errors);
        {
            let position_of_id = duplicates(&self.seen, &mut errors);
            manager_checks(&self.seen, &position_of_id, &mut errors);
        }
        if errors.0.is_empty() {
            Ok(())
        } else {
            let mut errors = errors.0;
            errors.sort_by_key(|error| (error.row, error.column));
            Err(errors)
        }
    }
}

/// One row on its own, as a directory sync sends a person: prepared by `rules` and checked as
/// a roster row is, without the checks across rows (the caller checks the person against the
/// org). `Ok(None)` when the rules put the row off the ladder.
pub fn check_one_row(
    framework: &Framework,
    rules: &RowRules,
    mut row: RosterRow,
) -> Result<Option<Person>, Vec<RosterError>> {
    if rules.prepare(&mut row) == RowFate::Skipped {
        return Ok(None);
    }
    let mut errors = Errors(Vec::new());
    let rows = vec![row];
    let checked = check_rows(&rows, framework, rules.date_order, &mut errors);
    if !errors.0.is_empty() {
        return Err(errors.0);
    }
    let mut people = build_people(rows, checked).map_err(|error| vec![error])?;
    Ok(people.pop())
}

/// People from rows that passed their checks.
fn build_people(
    rows: Vec<RosterRow>,
    checked: Vec<Checked<'_>>,
) -> Result<Vec<Person>, RosterError> {
    let mut people = Vec::with_capacity(rows.len());
    for (row, checked) in rows.into_iter().zip(checked) {
        let number = row.row;
        let internal = || RosterError {
            row: number,
            column: None,
            message: "could not be read back".to_owned(),
        };
        let Some(status) = checked.status else { return Err(internal()) };
        // On the ladder, a level and its track; off it (kept so by a mapping), neither.
        let placed = match (checked.level, checked.track) {
            (Some(level), Some(track)) => Some((level, track)),
            _ if row.off_ladder => None,
            _ => return Err(internal()),
        };
        let manager_id = if row.manager_id.is_empty() {
            None
        } else {
            Some(PersonId::parse_owned(row.manager_id).map_err(|_| internal())?)
        };
        people.push(Person {
            id: PersonId::parse_owned(row.id).map_err(|_| internal())?,
            name: row.name,
            email: Email::parse_owned(row.email).ok_or_else(internal)?,
            title: match &placed {
                Some((level, _)) if row.title.is_empty() => level.title.clone(),
                _ => row.title,
            },
            track: placed.as_ref().map(|(_, track)| track.clone()),
            level: placed.map(|(level, _)| level.id.clone()),
            manager_id,
            team: row.team,
            status,
            hire_date: checked.hire_date,
            level_since: checked.level_since,
        });
    }
    Ok(people)
}

/// The checks each row passes or fails on its own.
fn check_rows<'f>(
    rows: &[RosterRow],
    framework: &'f Framework,
    date_order: Option<DateOrder>,
    errors: &mut Errors,
) -> Vec<Checked<'f>> {
    let level_ids: Vec<&str> = framework.levels().iter().map(|level| level.id.as_str()).collect();
    let track_ids: Vec<&str> = framework.tracks().iter().map(|track| track.id.as_str()).collect();
    let mut checked = Vec::with_capacity(rows.len());
    for row in rows {
        let number = row.row;
        for (field, name) in ROSTER_FIELDS {
            let needed = field.is_required() && !(row.off_ladder && field == RosterField::Level);
            if needed && row.field(field).is_empty() {
                errors.add(number, field, format!("`{name}` is required but empty"));
            }
        }
        if !row.id.is_empty()
            && let Err(error) = PersonId::check(&row.id)
        {
            errors.add(
                number,
                RosterField::Id,
                format!("`{}` is not a valid id: {error}", text::excerpt(&row.id)),
            );
        }
        for (field, rule) in [
            (RosterField::Name, &text::PERSON_NAME),
            (RosterField::Title, &text::TITLE),
            (RosterField::Team, &text::TEAM),
        ] {
            if let Err(error) = rule.check(row.field(field)) {
                errors.add(number, field, error.to_string());
            }
        }
        if !row.email.is_empty() && !Email::is_well_formed(&row.email) {
            errors.add(
                number,
                RosterField::Email,
                format!("`{}` is not an email address", text::excerpt(&row.email)),
            );
        }
        let level = if row.level.is_empty() || row.off_ladder {
            None
        } else {
            // The ladder's ids are lower case: `IC3` is `ic3`.
            let level =
                framework.level(&row.level).or_else(|| framework.level(&row.level.to_lowercase()));
            if level.is_none() {
                let hint = did_you_mean(&row.level, level_ids.iter().copied());
                errors.add(
                    number,
                    RosterField::Level,
                    format!("unknown level `{}`{hint}", text::excerpt(&row.level)),
                );
            }
            level
        };
        let track = if row.off_ladder {
            None
        } else if row.track.is_empty() {
            level.map(|level| level.track.clone())
        } else if let Some(track) =
            framework.track(&row.track).or_else(|| framework.track(&row.track.to_lowercase()))
        {
            if let Some(level) = level
                && level.track != track.id
            {
                errors.add(
                    number,
                    RosterField::Level,
                    format!(
                        "level `{}` is on track `{}`, not on track `{}`",
                        level.id, level.track, track.id
                    ),
                );
            }
            Some(track.id.clone())
        } else {
            let hint = did_you_mean(&row.track, track_ids.iter().copied());
            errors.add(
                number,
                RosterField::Track,
                format!("unknown track `{}`{hint}", text::excerpt(&row.track)),
            );
            None
        };
        let status = if row.status.is_empty() {
            Some(Status::Active)
        } else {
            let status = Status::parse(&row.status);
            if status.is_none() {
                errors.add(
                    number,
                    RosterField::Status,
                    format!(
                        "unknown status `{}`: use `active` or `left`",
                        text::excerpt(&row.status)
                    ),
                );
            }
            status
        };
        if !row.manager_id.is_empty() {
            if row.manager_id == row.id {
                errors.add(
                    number,
                    RosterField::ManagerId,
                    format!("`{}` cannot be their own manager", row.id),
                );
            } else if let Err(error) = PersonId::check(&row.manager_id) {
                errors.add(
                    number,
                    RosterField::ManagerId,
                    format!("`{}` is not a valid id: {error}", text::excerpt(&row.manager_id)),
                );
            }
        }
        let mut date_of = |field: RosterField, text: &str| {
            if text.is_empty() {
                return None;
            }
            parse_date(text, date_order).map_err(|message| errors.add(number, field, message)).ok()
        };
        let hire_date = date_of(RosterField::HireDate, &row.hire_date);
        let level_since = date_of(RosterField::LevelSince, &row.level_since);
        if let (Some(hired), Some(since)) = (hire_date, level_since)
            && since < hired
        {
            errors.add(
                number,
                RosterField::LevelSince,
                format!("the start at the level, {since}, is before the hire date, {hired}"),
            );
        }
        checked.push(Checked { level, track, status, hire_date, level_since });
    }
    checked
}

/// Duplicate ids and emails (emails compared ignoring case). Returns each id's first position.
fn duplicates<'r>(rows: &'r SeenRows, errors: &mut Errors) -> HashMap<&'r str, usize> {
    let mut position_of_id: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    // The first row of each email, by position: an active one replaces a leaver's.
    let mut first_of_email: HashMap<std::borrow::Cow<'_, str>, usize> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    for position in 0..rows.len() {
        let (id, email, number) = (rows.id(position), rows.email(position), rows.row(position));
        if !id.is_empty() {
            if let Some(&first) = position_of_id.get(id) {
                errors.add(
                    number,
                    RosterField::Id,
                    format!("duplicate id `{id}`, also on row {}", rows.row(first)),
                );
            } else {
                position_of_id.insert(id, position);
            }
        }
        if !email.is_empty() {
            let key = if email.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(email.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(email)
            };
            // A leaver may share an email with someone active: a rehire's old record.
            let leaver = |position: usize| rows.status(position) == Some(Status::Left);
            match first_of_email.get(&key).copied() {
                Some(first) if !leaver(first) && !leaver(position) => errors.add(
                    number,
                    RosterField::Email,
                    format!("duplicate email `{email}`, also on row {}", rows.row(first)),
                ),
                Some(first) if leaver(first) && !leaver(position) => {
                    first_of_email.insert(key, position);
                }
                Some(_) => {}
                None => {
                    first_of_email.insert(key, position);
                }
            }
        }
    }
    position_of_id
}

/// How many people of a reporting cycle its message names.
const CYCLE_NAMED: usize = 8;

/// Dangling managers (with what they may have meant), managers who left, and reporting cycles
/// (named on each of their rows).
fn manager_checks(rows: &SeenRows, position_of_id: &HashMap<&str, usize>, errors: &mut Errors) {
    // The manager of each row as a position in `rows`, where it resolves.
    let manager_position: Vec<Option<usize>> = (0..rows.len())
        .map(|position| {
            let manager_id = rows.manager_id(position);
            if manager_id.is_empty() || manager_id == rows.id(position) {
                return None;
            }
            position_of_id.get(manager_id).copied()
        })
        .collect();
    let checked = |position: usize| {
        let manager_id = rows.manager_id(position);
        // Own-manager and malformed ids were reported by the row checks already.
        !(manager_id.is_empty()
            || manager_id == rows.id(position)
            || PersonId::check(manager_id).is_err())
    };
    // Built only when some manager is missing, as most rosters have none, for those managers.
    let missing = manager_position
        .iter()
        .enumerate()
        .filter(|&(position, manager)| manager.is_none() && checked(position))
        .map(|(position, _)| rows.manager_id(position));
    let mut missing = missing.peekable();
    let hints = missing.peek().is_some().then(|| ManagerHints::new(rows, missing));
    for (position, manager) in manager_position.iter().enumerate() {
        if !checked(position) {
            continue;
        }
        let manager_id = rows.manager_id(position);
        match *manager {
            None => {
                let message = match &hints {
                    Some(hints) => hints.missing(manager_id, &rows.manager_named(position)),
                    None => format!("manager {} is not in this file", rows.manager_named(position)),
                };
                errors.add(rows.row(position), RosterField::ManagerId, message);
            }
            Some(manager) => {
                let manager_left = rows.status(manager) == Some(Status::Left);
                let report_active =
                    rows.status(position).is_none_or(|status| status == Status::Active);
                if manager_left && report_active {
                    errors.add(
                        rows.row(position),
                        RosterField::ManagerId,
                        format!(
                            "manager {} has left (row {})",
                            rows.manager_named(position),
                            rows.row(manager)
                        ),
                    );
                }
            }
        }
    }
    // Each row points at most at one manager, so following pointers either ends or loops.
    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; rows.len()];
    let mut path = Vec::new();
    for start in 0..rows.len() {
        if state[start] == 2 {
            continue;
        }
        path.clear();
        let mut current = Some(start);
        while let Some(position) = current {
            match state[position] {
                0 => {
                    state[position] = 1;
                    path.push(position);
                    current = manager_position[position];
                }
                1 => {
                    let cycle_start =
                        path.iter().position(|&member| member == position).unwrap_or(0);
                    let cycle = &path[cycle_start..];
                    let first = cycle
                        .iter()
                        .copied()
                        .min_by_key(|&member| rows.row(member))
                        .unwrap_or(position);
                    let first_index = cycle.iter().position(|&member| member == first).unwrap_or(0);
                    let mut names: Vec<&str> = cycle[first_index..]
                        .iter()
                        .chain(&cycle[..first_index])
                        .take(CYCLE_NAMED)
                        .map(|&member| rows.id(member))
                        .collect();
                    if cycle.len() > CYCLE_NAMED {
                        names.push("…");
                    }
                    names.push(rows.id(first));
                    // On every row of the cycle: any of them may be the one to fix. A long
                    // cycle is spelt out once, on its first row, so that the messages stay
                    // as long as the cycle and not its square.
                    let message = format!("reporting cycle: {}", names.join(" -> "));
                    let first_row = rows.row(first);
                    for &member in cycle {
                        let message = if cycle.len() <= CYCLE_NAMED || member == first {
                            message.clone()
                        } else {
                            format!(
                                "in the reporting cycle of {} people reported on row {first_row}",
                                cycle.len()
                            )
                        };
                        errors.add(rows.row(member), RosterField::ManagerId, message);
                    }
                    break;
                }
                _ => break,
            }
        }
        for &position in &path {
            state[position] = 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framework() -> Framework {
        crate::test_support::two_levels()
    }

    fn row(number: usize, id: &str, manager: &str, level: &str) -> RosterRow {
        RosterRow {
            row: number,
            id: id.into(),
            name: format!("Person {id}"),
            email: format!("{}@example.com", id.to_lowercase()),
            manager_id: manager.into(),
            level: level.into(),
            ..RosterRow::default()
        }
    }

    #[test]
    fn messages_name_a_manager_as_the_file_wrote_them_and_the_id_it_became() {
        use crate::org::row_rules::ManagerReference;
        let framework = framework();
        let rules = RowRules {
            strip_leading_zeros: true,
            managers: ManagerReference::IdOrEmail,
            ..RowRules::default()
        };
        let rows = vec![
            RosterRow { status: "left".into(), ..row(2, "0007", "", "ic2") },
            row(3, "0008", "0007@example.com", "ic1"),
            row(4, "0009", "000099", "ic1"),
            row(5, "0010", "0008", "ic1"),
        ];
        let mut index = FileIndex::default();
        for mut row in rows.clone() {
            let fate = rules.prepare(&mut row);
            index.observe(&row, fate, &rules);
        }
        let mut validator = RosterValidator::with_rules(&framework, rules, Some(&index));
        validator.check_chunk(rows);
        let errors: Vec<String> =
            validator.finish().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "row 3, column `manager_id`: manager `0007@example.com` (id `7`) has left (row 2)",
                "row 4, column `manager_id`: manager `000099` (id `99`) is not in this file",
            ]
        );
    }

    #[test]
    fn chunks_yield_people_until_the_first_error_and_finish_judges_across_chunks() {
        let framework = framework();
        let mut validator = RosterValidator::new(&framework);
        let first = validator.check_chunk(vec![row(2, "A", "", "ic2"), row(3, "B", "C", "ic1")]);
        assert_eq!(first.len(), 2, "clean rows become people at once");
        assert_eq!(first[0].title, "IC2", "an empty title takes the level's");
        let second = validator.check_chunk(vec![row(4, "C", "B", "ic1"), row(5, "D", "A", "ic9")]);
        assert!(second.is_empty(), "after an error nothing more is handed out");
        let third = validator.check_chunk(vec![row(6, "E", "A", "ic1")]);
        assert!(third.is_empty());
        assert_eq!(validator.rows(), 5);
        let errors: Vec<String> =
            validator.finish().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "row 3, column `manager_id`: reporting cycle: B -> C -> B",
                "row 4, column `manager_id`: reporting cycle: B -> C -> B",
                "row 5, column `level`: unknown level `ic9` (did you mean `ic1`?)",
            ]
        );
    }

    #[test]
    fn a_long_cycle_is_spelt_out_once_and_pointed_at_from_its_other_rows() {
        let framework = framework();
        let mut validator = RosterValidator::new(&framework);
        let ids: Vec<String> = (0..10).map(|n| format!("P{n}")).collect();
        let rows = (0..10).map(|n| row(n + 2, &ids[n], &ids[(n + 1) % 10], "ic1")).collect();
        validator.check_chunk(rows);
        let errors: Vec<String> =
            validator.finish().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 10);
        assert_eq!(
            errors[0],
            "row 2, column `manager_id`: reporting cycle: P0 -> P1 -> P2 -> P3 -> P4 -> P5 -> P6 -> P7 -> … -> P0"
        );
        assert_eq!(
            errors[9],
            "row 11, column `manager_id`: in the reporting cycle of 10 people reported on row 2"
        );
    }

    #[test]
    fn codes_match_the_ladder_in_any_case_and_a_rehire_may_share_a_leavers_email() {
        let framework = framework();
        let mut validator = RosterValidator::new(&framework);
        let mut old = row(2, "OLD", "", "IC2");
        old.status = "Left".into();
        old.email = "ken@example.com".into();
        let mut new = row(3, "NEW", "", "IC2");
        new.email = "Ken@example.com".into();
        let mut twin = row(4, "TWIN", "", "ic1");
        twin.email = "ken@example.com".into();
        let people = validator.check_chunk(vec![old, new]);
        assert_eq!(people.len(), 2, "{:?}", validator.errors);
        assert_eq!(
            people[1].level.as_ref().unwrap().as_str(),
            "ic2",
            "stored as the ladder writes it"
        );
        validator.check_chunk(vec![twin]);
        let errors: Vec<String> =
            validator.finish().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            ["row 4, column `email`: duplicate email `ken@example.com`, also on row 3"],
            "two active people may not share one"
        );
    }

    #[test]
    fn hire_dates_and_level_starts_are_read_in_several_ways_and_checked() {
        let framework = framework();
        let mut validator = RosterValidator::new(&framework);
        let mut ada = row(2, "A", "", "ic2");
        ada.hire_date = "4 Mar 2019".into();
        ada.level_since = "2021-06-01".into();
        let people = validator.check_chunk(vec![ada]);
        assert_eq!(people[0].hire_date.map(|date| date.to_string()).as_deref(), Some("2019-03-04"));
        assert_eq!(
            people[0].level_since.map(|date| date.to_string()).as_deref(),
            Some("2021-06-01")
        );
        let mut early = row(3, "B", "", "ic2");
        early.hire_date = "2020-01-01".into();
        early.level_since = "2019-01-01".into();
        let mut vague = row(4, "C", "", "ic2");
        vague.hire_date = "03/04/2019".into();
        validator.check_chunk(vec![early, vague]);
        let errors: Vec<String> =
            validator.finish().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "row 3, column `level_since`: the start at the level, 2019-01-01, is before the hire date, 2020-01-01",
                "row 4, column `hire_date`: `03/04/2019` could be day first or month first: say which in the import mapping's [dates] order",
            ]
        );
    }

    #[test]
    fn a_clean_roster_finishes_clean() {
        let framework = framework();
        let mut validator = RosterValidator::new(&framework);
        let people = validator.check_chunk(vec![row(2, "A", "", "ic2"), row(3, "B", "A", "ic1")]);
        assert_eq!(people[1].manager_id.as_ref().map(PersonId::as_str), Some("A"));
        assert_eq!(validator.finish(), Ok(()));
    }
}
