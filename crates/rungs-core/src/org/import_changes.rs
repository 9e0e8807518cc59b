//! What an import would change, named: the people it adds, whose level or manager it changes,
//! and who would be marked as left, the first few of each with counts, for the preview that is
//! confirmed before anything is written. Observed row by row against the current org chart,
//! in memory bounded by the chart (one flag per member) and the lists' length.

use crate::org::{OrgChart, Person, Status, level_name};

/// How many people each list names.
pub const CHANGES_LISTED: usize = 20;

/// What an import would change, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportChanges {
    /// Active people the chart does not hold: new, or back after leaving (the chart holds
    /// active people only). "Pat Partial (P1), ic4".
    pub added: Vec<String>,
    pub joining: u64,
    /// "Alan Turing (E3): ic3 → ic4".
    pub level_changes: Vec<String>,
    pub level_changed: u64,
    /// "Alan Turing (E3): Grace Hopper (E2) → Ada Lovelace (E1)".
    pub manager_changes: Vec<String>,
    pub manager_changed: u64,
    /// Active people the file does not hold, or holds with the status `left`: they would be
    /// marked as left.
    pub leaving: Vec<String>,
    /// People who join under an id that the chart holds with leading zeros (`000123` there,
    /// `123` here), when the mapping strips them: the same people, re-keyed, whose old records
    /// would be marked as left. "`000123` is `123` in this file".
    pub rekeyed: Vec<String>,
    pub rekeyed_count: u64,
}

/// Compares an import's people with the chart as they arrive.
#[derive(Debug)]
pub struct ChangeObserver<'c> {
    chart: &'c OrgChart,
    /// By chart position: the file holds this member.
    seen: Vec<bool>,
    changes: ImportChanges,
    /// The mapping strips leading zeros from ids: a joining id may be a padded one re-keyed.
    strips_ids: bool,
    /// A padded id being tried, kept between people.
    padded: String,
}

/// How many leading zeros a re-keyed id is looked for with.
const PADDING_TRIED: usize = 12;

fn push(list: &mut Vec<String>, line: impl FnOnce() -> String) {
    if list.len() < CHANGES_LISTED {
        list.push(line());
    }
}

impl<'c> ChangeObserver<'c> {
    pub fn new(chart: &'c OrgChart) -> ChangeObserver<'c> {
        ChangeObserver {
            chart,
            seen: vec![false; chart.len()],
            changes: ImportChanges::default(),
            strips_ids: false,
            padded: String::new(),
        }
    }

    /// For a mapping that strips leading zeros: joining people whose id the chart holds padded
    /// are named as re-keyed.
    pub fn noting_stripped_ids(self, strips_ids: bool) -> ChangeObserver<'c> {
        ChangeObserver { strips_ids, ..self }
    }

    /// The chart's id that is `id` with leading zeros, if there is one.
    fn padded_in_chart(&mut self, id: &str, find: &dyn Fn(&str) -> Option<usize>) -> Option<usize> {
        for zeros in 1..=PADDING_TRIED {
            self.padded.clear();
            self.padded.extend(std::iter::repeat_n('0', zeros));
            self.padded.push_str(id);
            if let Some(position) = find(&self.padded) {
                return Some(position);
            }
        }
        None
    }

    /// One person of the file; `find` gives an id's position in the chart.
    pub fn observe(&mut self, person: &Person, find: &dyn Fn(&str) -> Option<usize>) {
        let named = |name: &str, id: &str| format!("{name} ({id})");
        let leaves = person.status == Status::Left;
        let Some(position) = find(person.id.as_str()) else {
            // A leaver the chart does not hold left before, or joins as a leaver: no change.
            if !leaves {
                if self.strips_ids
                    && let Some(old) = self.padded_in_chart(person.id.as_str(), find)
                {
                    self.changes.rekeyed_count += 1;
                    let old = self.chart.member(old).id.to_string();
                    push(&mut self.changes.rekeyed, || {
                        format!("`{old}` is `{}` in this file", person.id)
                    });
                }
                self.changes.joining += 1;
                push(&mut self.changes.added, || {
                    format!(
                        "{}, {}",
                        named(&person.name, person.id.as_str()),
                        level_name(person.level.as_ref())
                    )
                });
            }
            return;
        };
        if let Some(seen) = self.seen.get_mut(position) {
            *seen = true;
        }
        let member = self.chart.member(position);
        if leaves {
            push(&mut self.changes.leaving, || named(&member.name, member.id.as_str()));
            return;
        }
        if member.level != person.level {
            self.changes.level_changed += 1;
            push(&mut self.changes.level_changes, || {
                format!(
                    "{}: {} → {}",
                    named(&person.name, person.id.as_str()),
                    level_name(member.level.as_ref()),
                    level_name(person.level.as_ref())
                )
            });
        }
        if member.manager_id != person.manager_id {
            self.changes.manager_changed += 1;
            let manager = |id: Option<&crate::org::PersonId>| match id {
                None => "nobody".to_owned(),
                Some(id) => match find(id.as_str()) {
                    Some(position) => named(&self.chart.member(position).name, id.as_str()),
                    None => id.to_string(),
                },
            };
            let line = format!(
                "{}: {} → {}",
                named(&person.name, person.id.as_str()),
                manager(member.manager_id.as_ref()),
                manager(person.manager_id.as_ref())
            );
            push(&mut self.changes.manager_changes, || line);
        }
    }

    /// The changes, with the first members the file did not hold.
    pub fn finish(mut self) -> ImportChanges {
        for (position, seen) in self.seen.iter().enumerate() {
            if self.changes.leaving.len() >= CHANGES_LISTED {
                break;
            }
            if !seen {
                let member = self.chart.member(position);
                self.changes.leaving.push(format!("{} ({})", member.name, member.id));
            }
        }
        self.changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{OrgMember, PersonId};

    fn member(id: &str, name: &str, manager: Option<&str>, level: &str) -> OrgMember {
        OrgMember {
            id: PersonId::parse(id).unwrap(),
            name: name.into(),
            manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
            track: Some(crate::TrackId::parse("ic").unwrap()),
            level: Some(crate::LevelId::parse(level).unwrap()),
            team: "T".into(),
        }
    }

    fn person(member: &OrgMember) -> Person {
        Person {
            id: member.id.clone(),
            name: member.name.to_string(),
            email: crate::org::Email::parse(&format!(
                "{}@example.com",
                member.id.as_str().to_lowercase()
            ))
            .unwrap(),
            title: String::new(),
            track: member.track.clone(),
            level: member.level.clone(),
            manager_id: member.manager_id.clone(),
            team: member.team.to_string(),
            status: Status::Active,
            hire_date: None,
            level_since: None,
        }
    }

    #[test]
    fn additions_level_and_manager_changes_and_leavers_are_named() {
        let chart = OrgChart::build(vec![
            member("E1", "Ada", None, "ic5"),
            member("E2", "Grace", Some("E1"), "ic4"),
            member("E3", "Alan", Some("E2"), "ic3"),
            member("E4", "Edsger", Some("E2"), "ic2"),
        ]);
        let find = |id: &str| chart.find(id);
        let mut observer = ChangeObserver::new(&chart);
        let of = |id: &str| person(chart.member(chart.find(id).unwrap()));
        let mut alan = of("E3");
        alan.level = Some(crate::LevelId::parse("ic4").unwrap());
        alan.manager_id = Some(PersonId::parse("E1").unwrap());
        for person in [of("E1"), of("E2"), alan] {
            observer.observe(&person, &find);
        }
        observer.observe(&person(&member("E9", "Barbara", Some("E1"), "ic3")), &find);
        let mut gone = person(&member("E8", "Long Gone", Some("E1"), "ic3"));
        gone.status = Status::Left;
        observer.observe(&gone, &find);
        let changes = observer.finish();
        assert_eq!(
            (changes.added.as_slice(), changes.joining),
            (&["Barbara (E9), ic3".to_owned()][..], 1)
        );
        assert_eq!(changes.level_changes, ["Alan (E3): ic3 → ic4"]);
        assert_eq!(changes.manager_changes, ["Alan (E3): Grace (E2) → Ada (E1)"]);
        assert_eq!((changes.level_changed, changes.manager_changed), (1, 1));
        assert_eq!(changes.leaving, ["Edsger (E4)"]);
    }

    #[test]
    fn ids_a_mapping_stripped_of_their_zeros_are_named_as_the_same_people_re_keyed() {
        let chart = OrgChart::build(vec![
            member("000001", "Ada", None, "ic5"),
            member("000002", "Grace", Some("000001"), "ic4"),
        ]);
        let find = |id: &str| chart.find(id);
        let stripped =
            |id: &str, manager: Option<&str>| person(&member(id, "Same", manager, "ic4"));
        let mut observer = ChangeObserver::new(&chart).noting_stripped_ids(true);
        observer.observe(&stripped("1", None), &find);
        observer.observe(&stripped("2", Some("1")), &find);
        observer.observe(&stripped("7", Some("1")), &find);
        let changes = observer.finish();
        assert_eq!(
            changes.rekeyed,
            ["`000001` is `1` in this file", "`000002` is `2` in this file"]
        );
        assert_eq!((changes.rekeyed_count, changes.joining), (2, 3));
        // Without the rule, nobody is taken for re-keyed.
        let mut plain = ChangeObserver::new(&chart);
        plain.observe(&stripped("1", None), &find);
        assert_eq!(plain.finish().rekeyed_count, 0);
    }

    #[test]
    fn a_row_that_says_left_names_its_person_as_leaving_and_nothing_else() {
        let chart = OrgChart::build(vec![
            member("E1", "Ada", None, "ic5"),
            member("E2", "Grace", Some("E1"), "ic4"),
        ]);
        let find = |id: &str| chart.find(id);
        let mut observer = ChangeObserver::new(&chart);
        let mut grace = person(chart.member(1));
        grace.status = Status::Left;
        grace.level = Some(crate::LevelId::parse("ic5").unwrap());
        observer.observe(&person(chart.member(0)), &find);
        observer.observe(&grace, &find);
        let changes = observer.finish();
        assert_eq!(changes.leaving, ["Grace (E2)"], "listed once");
        assert_eq!((changes.level_changed, changes.joining), (0, 0));
    }
}
