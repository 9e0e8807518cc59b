//! The org chart kept in memory between requests. A person's managers and reports, and how a
//! viewer stands to someone, come from it rather than from queries. It is rebuilt when the org
//! version (raised by every import, in any process) moves past the one it was built at.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use rungs_core::org::{Names, OrgChart, OrgMember, Person, PersonId};
use rungs_store::{Records, Storage};

use crate::{App, AppError};

/// The org chart at one org version.
#[derive(Debug)]
pub struct CurrentOrg {
    /// The org version read before the members were: the chart is at least this recent.
    pub version: i64,
    pub chart: OrgChart,
    /// Every position of `chart`, by the member's id: one probe per lookup, four bytes per
    /// member (the ids stay in the chart).
    by_id: HashTable<u32>,
}

fn id_hash(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl CurrentOrg {
    pub fn build(version: i64, members: Vec<OrgMember>) -> CurrentOrg {
        let chart = OrgChart::build(members);
        let members = chart.members();
        let mut by_id = HashTable::with_capacity(members.len());
        for (position, member) in members.iter().enumerate() {
            let id = member.id.as_str();
            // A repeated id (which imports refuse) keeps its first member.
            if let Entry::Vacant(vacant) = by_id.entry(
                id_hash(id),
                |&found: &u32| members[found as usize].id.as_str() == id,
                |&found: &u32| id_hash(members[found as usize].id.as_str()),
            ) {
                vacant.insert(position as u32);
            }
        }
        CurrentOrg { version, chart, by_id }
    }

    /// An active person's position in the chart.
    pub fn find(&self, id: &str) -> Option<usize> {
        let members = self.chart.members();
        self.by_id
            .find(id_hash(id), |&position| members[position as usize].id.as_str() == id)
            .map(|&position| position as usize)
    }

    /// A person's managers, nearest first, and their active direct reports by name. Someone
    /// who left is not in the chart: their managers are their last manager's chain, and they
    /// have no reports (an import refuses active people under someone who left).
    pub fn around(&self, person: &Person) -> (Vec<OrgMember>, Vec<OrgMember>) {
        let member = |position: usize| self.chart.member(position).clone();
        match self.find(person.id.as_str()) {
            Some(position) => {
                let managers = self.chart.chain(position).into_iter().map(member).collect();
                let mut reports: Vec<OrgMember> =
                    self.chart.direct_reports(position).map(member).collect();
                reports.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
                (managers, reports)
            }
            None => {
                let managers = person
                    .manager_id
                    .as_ref()
                    .and_then(|manager| self.find(manager.as_str()))
                    .map(|manager| {
                        std::iter::once(manager)
                            .chain(self.chart.chain(manager))
                            .map(member)
                            .collect()
                    })
                    .unwrap_or_default();
                (managers, Vec::new())
            }
        }
    }

    /// The names of `ids` as the chart has them; someone not in it (who left) is left out,
    /// and shown by their id.
    pub fn names<'a>(&self, ids: impl IntoIterator<Item = &'a PersonId>) -> Names {
        Names::new(ids.into_iter().filter_map(|id| {
            let position = self.find(id.as_str())?;
            Some((id.clone(), self.chart.member(position).name.to_string()))
        }))
    }

    /// Whether an active person has active direct reports.
    pub fn has_reports(&self, id: &str) -> bool {
        self.find(id).is_some_and(|position| self.chart.direct_reports(position).len() > 0)
    }

    /// An active person's managers' ids, nearest first; `None` for someone not in the chart.
    pub fn manager_ids(&self, id: &str) -> Option<Vec<PersonId>> {
        let position = self.find(id)?;
        Some(
            self.chart
                .chain(position)
                .into_iter()
                .map(|manager| self.chart.member(manager).id.clone())
                .collect(),
        )
    }
}

/// The newest chart built, shared by every clone of the app.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgCache {
    newest: Arc<Mutex<Option<Arc<CurrentOrg>>>>,
    /// Held while a chart is built, so that a burst of requests after an import builds one.
    building: Arc<tokio::sync::Mutex<()>>,
}

impl OrgCache {
    fn at_least(&self, version: i64) -> Option<Arc<CurrentOrg>> {
        let newest = self.newest.lock().unwrap_or_else(PoisonError::into_inner);
        newest.as_ref().filter(|org| org.version >= version).cloned()
    }

    fn keep(&self, org: &Arc<CurrentOrg>) {
        let mut newest = self.newest.lock().unwrap_or_else(PoisonError::into_inner);
        if newest.as_ref().is_none_or(|kept| kept.version < org.version) {
            *newest = Some(Arc::clone(org));
        }
    }
}

impl App {
    /// The org chart at `version` or newer, built from the store when the kept one is older.
    pub async fn org_at(&self, version: i64) -> Result<Arc<CurrentOrg>, AppError> {
        if let Some(org) = self.orgs.at_least(version) {
            return Ok(org);
        }
        let _building = self.orgs.building.lock().await;
        if let Some(org) = self.orgs.at_least(version) {
            return Ok(org);
        }
        // The version first: an import committed between the reads leaves a chart newer than
        // its version says, which the next read of the version replaces.
        let read_version = self.store.org_version().await?;
        let members = self.store.org_members().await?;
        let org = Arc::new(CurrentOrg::build(read_version, members));
        self.orgs.keep(&org);
        Ok(org)
    }

    /// The names of `ids` in the org as it is now; someone who left is shown by their id.
    pub async fn names<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a PersonId>,
    ) -> Result<Names, AppError> {
        Ok(self.current_org().await?.names(ids))
    }

    /// The whole org as it is now (or as of the version this request read), in memory.
    pub async fn current_org(&self) -> Result<Arc<CurrentOrg>, AppError> {
        let version = match self.org_version_read {
            Some(version) => version,
            None => self.store.org_version().await?,
        };
        self.org_at(version).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use rungs_core::org::{Email, Status};
    use rungs_core::{LevelId, TrackId};

    use super::*;

    fn member(id: &str, name: &str, manager: Option<&str>) -> OrgMember {
        OrgMember {
            id: PersonId::parse(id).unwrap(),
            name: name.into(),
            manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
            track: Some(TrackId::parse("management").unwrap()),
            level: Some(LevelId::parse("em").unwrap()),
            team: Arc::from("Core"),
        }
    }

    fn person(id: &str, manager: &str) -> Person {
        Person {
            id: PersonId::parse(id).unwrap(),
            name: id.to_owned(),
            email: Email::parse(&format!("{}@example.com", id.to_lowercase())).unwrap(),
            title: String::new(),
            track: Some(TrackId::parse("management").unwrap()),
            level: Some(LevelId::parse("em").unwrap()),
            manager_id: Some(PersonId::parse(manager).unwrap()),
            team: "Core".to_owned(),
            status: Status::Active,
            hire_date: None,
            level_since: None,
        }
    }

    fn ids(members: &[OrgMember]) -> Vec<&str> {
        members.iter().map(|member| member.id.as_str()).collect()
    }

    #[test]
    fn managers_come_nearest_first_and_reports_by_name() {
        let org = CurrentOrg::build(
            7,
            vec![
                member("E9", "Zoe", Some("E2")),
                member("E1", "Ada", None),
                member("E2", "Bo", Some("E1")),
                member("E3", "Cy", Some("E2")),
                member("E4", "Al", Some("E3")),
            ],
        );
        assert_eq!(
            org.find("E3").map(|position| org.chart.member(position).name.as_str()),
            Some("Cy")
        );
        assert_eq!(org.find("E5"), None);
        let mut person = person("E3", "E2");
        let (managers, reports) = org.around(&person);
        assert_eq!((ids(&managers), ids(&reports)), (vec!["E2", "E1"], vec!["E4"]));
        let (_, reports) = org.around(&self::person("E2", "E1"));
        assert_eq!(ids(&reports), ["E3", "E9"], "by name: Cy before Zoe");
        // Someone who left is not in the chart: their last manager's chain, and no reports.
        person.id = PersonId::parse("E8").unwrap();
        person.status = Status::Left;
        let (managers, reports) = org.around(&person);
        assert_eq!((ids(&managers), ids(&reports)), (vec!["E2", "E1"], vec![]));
        assert_eq!(
            org.manager_ids("E4").unwrap(),
            ["E3", "E2", "E1"].map(|id| PersonId::parse(id).unwrap())
        );
        assert_eq!(org.manager_ids("E8"), None);
    }
}
