//! The rules an import mapping applies to each row of an HR export before it is checked: value
//! maps for levels, tracks and statuses, id normalisation, a name composed from its parts, and
//! which rows are off the ladder and skipped (or kept, with no level). Rows are prepared one at a time; what needs the
//! whole file (managers given by email, the chain past a skipped manager, a leaver's manager
//! who is not in the file) is resolved through a [`FileIndex`] built in a first pass.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::org::person::Status;
use crate::org::roster_row::RosterRow;

/// Values of one column mapped to what the ladder calls them, matched ignoring case and the
/// spaces around them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueMap {
    by_key: HashMap<String, String>,
}

/// How a mapping's values are compared: without the spaces around them, in lower case.
pub fn mapping_key(value: &str) -> String {
    value.trim().to_lowercase()
}

use mapping_key as key;

impl ValueMap {
    /// Maps `from` to `to`; `false` when `from` was mapped already (ignoring case).
    pub fn insert(&mut self, from: &str, to: &str) -> bool {
        self.by_key.insert(key(from), to.trim().to_owned()).is_none()
    }

    pub fn get(&self, value: &str) -> Option<&str> {
        if self.by_key.is_empty() {
            return None;
        }
        self.by_key.get(&key(value)).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// How the manager column refers to managers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ManagerReference {
    /// By the manager's id.
    #[default]
    Id,
    /// By id or, where the value holds an `@`, by the manager's email.
    IdOrEmail,
}

/// Which rows are people off the ladder (a CEO, sales, HR), by their level or team as the file
/// writes them, ignoring case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffLadder {
    pub levels: HashSet<String>,
    pub teams: HashSet<String>,
    /// Keep them as members off the ladder (in the chart and in chains, never assessed or
    /// checked against a level) instead of skipping them.
    pub keep: bool,
}

impl OffLadder {
    pub fn add_level(&mut self, level: &str) -> bool {
        self.levels.insert(key(level))
    }

    pub fn add_team(&mut self, team: &str) -> bool {
        self.teams.insert(key(team))
    }

    fn holds(&self, row: &RosterRow) -> bool {
        (!self.levels.is_empty() && self.levels.contains(&key(&row.level)))
            || (!self.teams.is_empty() && self.teams.contains(&key(&row.team)))
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty() && self.teams.is_empty()
    }
}

/// The per-row rules of an import mapping. The default rules only write levels and tracks in
/// the ladder's lower case and statuses as Rungs spells them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowRules {
    pub levels: ValueMap,
    pub tracks: ValueMap,
    pub statuses: ValueMap,
    /// Leading zeros are dropped from ids and manager ids (`001045` is `1045`).
    pub strip_leading_zeros: bool,
    pub managers: ManagerReference,
    /// Rows skipped as off the ladder: their reports report to the nearest kept manager above.
    pub off_ladder: OffLadder,
    /// A leaver whose manager is not in the file keeps no manager, instead of an error.
    pub leavers_without_manager: bool,
    /// How dates such as `03/04/2019` are ordered; without it they are refused as ambiguous
    /// (unless a number over 12 settles it).
    pub date_order: Option<crate::org::dates::DateOrder>,
}

/// What becomes of a prepared row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFate {
    Kept,
    /// Off the ladder: not imported.
    Skipped,
}

/// `id` without leading zeros, keeping one digit of an all-zero id.
fn without_leading_zeros(id: &mut String) {
    let zeros = id.len() - id.trim_start_matches('0').len();
    let zeros = if zeros == id.len() { zeros.saturating_sub(1) } else { zeros };
    if zeros > 0 {
        id.drain(..zeros);
    }
}

impl RowRules {
    /// Whether preparing rows needs the whole file first ([`FileIndex`]).
    pub fn needs_index(&self) -> bool {
        self.managers == ManagerReference::IdOrEmail
            || (!self.off_ladder.is_empty() && !self.off_ladder.keep)
            || self.leavers_without_manager
    }

    /// Applies the rules that need only the row itself, and says whether it is kept.
    pub fn prepare(&self, row: &mut RosterRow) -> RowFate {
        if row.name.is_empty() && !(row.first_name.is_empty() && row.last_name.is_empty()) {
            let given =
                if row.preferred_name.is_empty() { &row.first_name } else { &row.preferred_name };
            row.name = format!("{given} {}", row.last_name).trim().to_owned();
        }
        if let Some(status) = self.statuses.get(&row.status) {
            status.clone_into(&mut row.status);
        }
        if self.strip_leading_zeros {
            without_leading_zeros(&mut row.id);
            if !row.manager_id.contains('@') {
                let written = row.manager_id.clone();
                without_leading_zeros(&mut row.manager_id);
                if row.manager_id != written && row.manager_as_written.is_empty() {
                    row.manager_as_written = written;
                }
            }
        }
        if self.off_ladder.holds(row) {
            if !self.off_ladder.keep {
                return RowFate::Skipped;
            }
            // Kept, with no level: the value the file has is not one of the ladder's.
            row.off_ladder = true;
            row.level.clear();
            row.track.clear();
            return RowFate::Kept;
        }
        // Codes the maps leave alone are matched to the ladder in any case when checked.
        if let Some(level) = self.levels.get(&row.level) {
            level.clone_into(&mut row.level);
        }
        if let Some(track) = self.tracks.get(&row.track) {
            track.clone_into(&mut row.track);
        }
        RowFate::Kept
    }
}

/// One row a [`FileIndex`] noted: where its id, manager and email lie in the index's text.
#[derive(Debug, Clone, Copy)]
struct IndexedRow {
    id: (u32, u32),
    /// The manager a skipped row names (empty for a kept one: nobody walks past it).
    manager: (u32, u32),
    /// The email in lower case, when managers may be given by email.
    email: (u32, u32),
    skipped: bool,
    leaver: bool,
}

fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher as _;
    rustc_hash::FxBuildHasher.hash_one(text)
}

/// What resolving a row's manager needs of the whole file: which ids are kept or skipped (and
/// whom a skipped row names), and the id of each email. Built in a first pass over the file,
/// it holds the rows' text in one buffer and two tables of positions, a few dozen bytes a row
/// beyond the text, rather than a string per row.
#[derive(Debug, Default)]
pub struct FileIndex {
    text: String,
    rows: Vec<IndexedRow>,
    by_id: hashbrown::HashTable<u32>,
    by_email: hashbrown::HashTable<u32>,
}

impl FileIndex {
    fn span(&mut self, text: &str) -> (u32, u32) {
        let start = self.text.len();
        self.text.push_str(text);
        (
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(self.text.len()).unwrap_or(u32::MAX),
        )
    }

    fn text_of(&self, (start, end): (u32, u32)) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    fn row(&self, position: u32) -> &IndexedRow {
        &self.rows[position as usize]
    }

    /// Notes one prepared row.
    pub fn observe(&mut self, row: &RosterRow, fate: RowFate, rules: &RowRules) {
        if row.id.is_empty() {
            return;
        }
        let Ok(position) = u32::try_from(self.rows.len()) else { return };
        let skipped = fate == RowFate::Skipped;
        let leaver = Status::parse(&row.status) == Some(Status::Left);
        let id = self.span(&row.id);
        let manager = if skipped { self.span(&row.manager_id) } else { (id.1, id.1) };
        let by_email = rules.managers == ManagerReference::IdOrEmail && !row.email.is_empty();
        let email = if by_email { self.span(&row.email.to_lowercase()) } else { (id.1, id.1) };
        self.rows.push(IndexedRow { id, manager, email, skipped, leaver });
        let Self { text, rows, by_id, by_email: emails } = self;
        let text_at =
            |(start, end): (u32, u32)| text.get(start as usize..end as usize).unwrap_or("");
        by_id.insert_unique(text_hash(&row.id), position, |&found| {
            text_hash(text_at(rows[found as usize].id))
        });
        if by_email {
            let key = text_at(email);
            let hash = text_hash(key);
            // The first row of an email, unless it is a leaver's and this one is active (a
            // rehire's old record shares the new one's email).
            match emails.find_mut(hash, |&found| text_at(rows[found as usize].email) == key) {
                Some(found) if rows[*found as usize].leaver && !leaver => *found = position,
                Some(_) => {}
                None => {
                    emails.insert_unique(hash, position, |&found| {
                        text_hash(text_at(rows[found as usize].email))
                    });
                }
            }
        }
    }

    /// The row with `id` that is kept (`skipped` false) or skipped.
    fn find(&self, id: &str, skipped: bool) -> Option<&IndexedRow> {
        self.by_id
            .find(text_hash(id), |&found| {
                let row = self.row(found);
                row.skipped == skipped && self.text_of(row.id) == id
            })
            .map(|&found| self.row(found))
    }

    /// A manager reference as an id: an email becomes its row's id when managers may be given
    /// by email; anything else is as written.
    fn as_id<'a>(&'a self, reference: &'a str, rules: &RowRules) -> &'a str {
        if rules.managers == ManagerReference::IdOrEmail && reference.contains('@') {
            let key = reference.trim().to_lowercase();
            if let Some(&found) = self
                .by_email
                .find(text_hash(&key), |&found| self.text_of(self.row(found).email) == key)
            {
                return self.text_of(self.row(found).id);
            }
        }
        reference
    }

    /// Rewrites a kept row's manager: an email to an id, a skipped manager to the nearest kept
    /// one above (or none), and a leaver's manager who is not in the file to none when the
    /// rules accept that. Refuses a chain of skipped people that loops, naming it.
    pub fn resolve_manager(&self, row: &mut RosterRow, rules: &RowRules) -> Result<(), String> {
        if row.manager_id.is_empty() {
            return Ok(());
        }
        let mut manager = self.as_id(&row.manager_id, rules);
        // The skipped people walked past: a chain is as long as the management above it.
        let mut walked: Vec<&str> = Vec::new();
        while self.find(manager, false).is_none()
            && let Some(skipped) = self.find(manager, true)
        {
            if walked.contains(&manager) {
                walked.push(manager);
                return Err(format!(
                    "`{}` is off the ladder, and the people above them report in a loop: {}",
                    walked[0],
                    walked.join(" -> ")
                ));
            }
            walked.push(manager);
            manager = self.as_id(self.text_of(skipped.manager), rules);
        }
        let leaver = Status::parse(&row.status) == Some(Status::Left);
        let resolved =
            if leaver && rules.leavers_without_manager && self.find(manager, false).is_none() {
                String::new()
            } else {
                manager.to_owned()
            };
        // An email made an id: messages about this manager name what the file wrote too. (A
        // walk past skipped people names someone else, whom the id alone names.)
        if walked.is_empty() && resolved != row.manager_id && row.manager_as_written.is_empty() {
            row.manager_as_written = std::mem::take(&mut row.manager_id);
        }
        row.manager_id = resolved;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, manager: &str, level: &str) -> RosterRow {
        RosterRow {
            row: 2,
            id: id.into(),
            email: format!("{}@example.com", id.to_lowercase()),
            manager_id: manager.into(),
            level: level.into(),
            ..RosterRow::default()
        }
    }

    #[test]
    fn values_ids_and_names_are_prepared_row_by_row() {
        let mut rules = RowRules { strip_leading_zeros: true, ..RowRules::default() };
        assert!(rules.levels.insert("M1", "em"));
        assert!(!rules.levels.insert(" m1 ", "em"), "keys ignore case and spaces");
        rules.statuses.insert("Terminated", "left");
        rules.statuses.insert("Leave of Absence", "active");
        let mut ada = RosterRow {
            first_name: "Augusta".into(),
            preferred_name: "Ada".into(),
            last_name: "Lovelace".into(),
            status: "Leave of absence".into(),
            ..row("001045", "000", "m1")
        };
        assert_eq!(rules.prepare(&mut ada), RowFate::Kept);
        assert_eq!(
            (ada.id.as_str(), ada.manager_id.as_str(), ada.level.as_str()),
            ("1045", "0", "em")
        );
        assert_eq!((ada.name.as_str(), ada.status.as_str()), ("Ada Lovelace", "active"));
        assert!(!RowRules::default().needs_index());
    }

    #[test]
    fn managers_resolve_by_email_past_skipped_people_and_leavers_may_lose_theirs() {
        let mut rules = RowRules {
            managers: ManagerReference::IdOrEmail,
            leavers_without_manager: true,
            ..RowRules::default()
        };
        rules.off_ladder.add_level("CEO");
        rules.off_ladder.add_team("Sales");
        let mut ceo = row("C1", "", "ceo");
        let mut cto = row("T1", "c1@example.com", "cto");
        let mut seller = RosterRow { team: "sales".into(), ..row("S1", "T1", "ic3") };
        let mut engineer = row("E1", "S1", "ic3");
        let mut leaver = RosterRow { status: "left".into(), ..row("L1", "GONE", "ic3") };
        let mut index = FileIndex::default();
        for row in [&mut ceo, &mut cto, &mut seller, &mut engineer, &mut leaver] {
            let fate = rules.prepare(row);
            index.observe(row, fate, &rules);
        }
        assert!(rules.needs_index());
        assert_eq!(rules.prepare(&mut row("C1", "", "CEO")), RowFate::Skipped);
        index.resolve_manager(&mut cto, &rules).unwrap();
        assert_eq!(cto.manager_id, "", "the CEO is skipped and named nobody");
        index.resolve_manager(&mut engineer, &rules).unwrap();
        assert_eq!(engineer.manager_id, "T1", "past the skipped seller");
        index.resolve_manager(&mut leaver, &rules).unwrap();
        assert_eq!(leaver.manager_id, "", "a leaver's missing manager is dropped");
        let mut by_email = row("E2", "T1@Example.com", "ic3");
        index.resolve_manager(&mut by_email, &rules).unwrap();
        assert_eq!(by_email.manager_id, "T1");
    }

    #[test]
    fn kept_rows_off_the_ladder_lose_their_level_and_keep_their_place() {
        let mut rules = RowRules::default();
        rules.off_ladder.add_level("CEO");
        rules.off_ladder.keep = true;
        assert!(!rules.needs_index(), "nobody is skipped, so no chain is rerouted");
        let mut ceo = row("C1", "", "ceo");
        assert_eq!(rules.prepare(&mut ceo), RowFate::Kept);
        assert!(ceo.off_ladder);
        assert_eq!((ceo.level.as_str(), ceo.track.as_str()), ("", ""));
        let mut cto = row("T1", "C1", "cto");
        assert_eq!(rules.prepare(&mut cto), RowFate::Kept);
        assert!(!cto.off_ladder);
        assert_eq!(cto.manager_id, "C1", "the CTO still reports to the CEO");
    }

    #[test]
    fn an_email_shared_with_a_rehire_names_the_active_person_and_skipped_loops_are_named() {
        let mut rules = RowRules { managers: ManagerReference::IdOrEmail, ..RowRules::default() };
        rules.off_ladder.add_level("ceo");
        let mut old = RosterRow { status: "left".into(), ..row("OLD", "", "ic3") };
        old.email = "ken@example.com".into();
        let mut new = row("NEW", "", "ic4");
        new.email = "ken@example.com".into();
        let mut index = FileIndex::default();
        for row in [&mut old, &mut new, &mut row("A", "B", "ceo"), &mut row("B", "A", "ceo")] {
            let fate = rules.prepare(row);
            index.observe(row, fate, &rules);
        }
        let mut report = row("R1", "ken@example.com", "ic2");
        index.resolve_manager(&mut report, &rules).unwrap();
        assert_eq!(report.manager_id, "NEW");
        let mut under_loop = row("R2", "A", "ic2");
        assert_eq!(
            index.resolve_manager(&mut under_loop, &rules).unwrap_err(),
            "`A` is off the ladder, and the people above them report in a loop: A -> B -> A"
        );
    }
}
