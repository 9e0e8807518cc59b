//! Who takes part in a cycle: everyone active, or those a filter picks (a reporting line,
//! tracks, levels, teams), with people added and excluded one by one. People off the ladder
//! and people who left never take part: they are never assessed.

use crate::id::{LevelId, TrackId};
use crate::org::{OrgChart, PersonId};

/// The most people a cycle adds or excludes one by one; a larger group is a filter.
pub const MAX_LISTED: usize = 10_000;

/// The most tracks, levels or teams a filter names.
pub const MAX_FILTER_VALUES: usize = 200;

/// A cycle's participants as a rule, evaluated against the org chart of the moment: someone
/// hired into the line mid-cycle takes part, someone who left does not.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Participants {
    /// Only this person and everyone below them.
    pub within: Option<PersonId>,
    /// Only people on one of these tracks (any, when empty).
    pub tracks: Vec<TrackId>,
    /// Only people at one of these levels (any, when empty).
    pub levels: Vec<LevelId>,
    /// Only people in one of these teams (any, when empty).
    pub teams: Vec<String>,
    /// Taken part whatever the filter says.
    pub added: Vec<PersonId>,
    /// Never taking part, whatever the filter says.
    pub excluded: Vec<PersonId>,
}

/// Why participants cannot be set as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParticipantsError {
    #[error("a cycle adds or excludes at most {max} people one by one; use a filter for more")]
    TooManyListed { max: usize },
    #[error("a participant filter names at most {max} {what}")]
    TooManyValues { what: &'static str, max: usize },
    #[error("`{person}` is both added and excluded")]
    AddedAndExcluded { person: PersonId },
}

/// [`Participants`] made ready for one org chart: positions and sorted sets.
#[derive(Debug)]
pub struct ParticipantFilter<'a> {
    chart: &'a OrgChart,
    rule: &'a Participants,
    /// Whether each member is in the line of `within` (all, without one).
    in_line: Option<Vec<bool>>,
    added: rustc_hash::FxHashSet<&'a str>,
    excluded: rustc_hash::FxHashSet<&'a str>,
}

impl Participants {
    pub fn everyone() -> Participants {
        Participants::default()
    }

    /// No filter: everyone active on the ladder, as a cycle without participants has.
    pub fn is_everyone(&self) -> bool {
        self.within.is_none()
            && self.tracks.is_empty()
            && self.levels.is_empty()
            && self.teams.is_empty()
            && self.added.is_empty()
            && self.excluded.is_empty()
    }

    /// Checks the rule's sizes, and that no one is both added and excluded.
    pub fn check(&self) -> Result<(), ParticipantsError> {
        if self.added.len() + self.excluded.len() > MAX_LISTED {
            return Err(ParticipantsError::TooManyListed { max: MAX_LISTED });
        }
        for (what, count) in [
            ("tracks", self.tracks.len()),
            ("levels", self.levels.len()),
            ("teams", self.teams.len()),
        ] {
            if count > MAX_FILTER_VALUES {
                return Err(ParticipantsError::TooManyValues { what, max: MAX_FILTER_VALUES });
            }
        }
        if let Some(person) = self.added.iter().find(|person| self.excluded.contains(person)) {
            return Err(ParticipantsError::AddedAndExcluded { person: person.clone() });
        }
        Ok(())
    }

    /// This rule with `person` added: taken out of the excluded if they were there.
    pub fn with_added(mut self, person: PersonId) -> Participants {
        self.excluded.retain(|excluded| excluded != &person);
        if !self.added.contains(&person) {
            self.added.push(person);
        }
        self
    }

    /// This rule with `person` excluded: taken out of the added if they were there.
    pub fn with_excluded(mut self, person: PersonId) -> Participants {
        self.added.retain(|added| added != &person);
        if !self.excluded.contains(&person) {
            self.excluded.push(person);
        }
        self
    }

    /// Whether the member at `position` of `chart` takes part: one walk up their chain, for
    /// asking about one person ([`Participants::filter`] asks about many).
    pub fn includes(&self, chart: &OrgChart, position: usize) -> bool {
        let in_line = || {
            let Some(root) = &self.within else { return true };
            &chart.member(position).id == root
                || chart
                    .chain(position)
                    .into_iter()
                    .any(|manager| &chart.member(manager).id == root)
        };
        match self.listed(chart, position) {
            Some(listed) => listed,
            None => in_line() && self.matches_member(chart, position),
        }
    }

    /// Whether the member is added (true) or excluded (false) by name, or neither (None);
    /// off the ladder is never.
    fn listed(&self, chart: &OrgChart, position: usize) -> Option<bool> {
        let member = chart.member(position);
        if member.level.is_none() || self.excluded.contains(&member.id) {
            return Some(false);
        }
        self.added.contains(&member.id).then_some(true)
    }

    /// Whether the member's track, level and team pass the filter.
    fn matches_member(&self, chart: &OrgChart, position: usize) -> bool {
        let member = chart.member(position);
        (self.tracks.is_empty()
            || member.track.as_ref().is_some_and(|track| self.tracks.contains(track)))
            && (self.levels.is_empty()
                || member.level.as_ref().is_some_and(|level| self.levels.contains(level)))
            && (self.teams.is_empty()
                || self.teams.iter().any(|team| team.eq_ignore_ascii_case(&member.team)))
    }

    /// The rule ready to ask about many members of `chart`. Walks the line of `within` once.
    pub fn filter<'a>(&'a self, chart: &'a OrgChart) -> ParticipantFilter<'a> {
        let in_line = self.within.as_ref().map(|root| {
            let mut in_line = vec![false; chart.len()];
            if let Some(root) = chart.members().iter().position(|member| &member.id == root) {
                in_line[root] = true;
                for below in chart.line_below(root) {
                    in_line[below] = true;
                }
            }
            in_line
        });
        ParticipantFilter {
            chart,
            rule: self,
            in_line,
            added: self.added.iter().map(PersonId::as_str).collect(),
            excluded: self.excluded.iter().map(PersonId::as_str).collect(),
        }
    }

    /// The filter in words, names given by `name_of`: "everyone active", or "the line of Ada
    /// Lovelace, on track ic, at levels ic3 and ic4; 2 added, 1 excluded".
    pub fn describe(&self, name_of: impl Fn(&PersonId) -> String) -> String {
        if self.is_everyone() {
            return "everyone active on the ladder".to_owned();
        }
        let mut parts = Vec::new();
        if let Some(root) = &self.within {
            parts.push(format!("the line of {}", name_of(root)));
        }
        let listed = |label: &str, values: Vec<&str>| match values.len() {
            1 => format!("{label} {}", values[0]),
            _ => format!("{label}s {}", values.join(", ")),
        };
        if !self.tracks.is_empty() {
            parts.push(listed("track", self.tracks.iter().map(|track| track.as_str()).collect()));
        }
        if !self.levels.is_empty() {
            parts.push(listed("level", self.levels.iter().map(|level| level.as_str()).collect()));
        }
        if !self.teams.is_empty() {
            parts.push(listed("team", self.teams.iter().map(String::as_str).collect()));
        }
        let mut described = if parts.is_empty() {
            "everyone active on the ladder".to_owned()
        } else {
            format!("everyone active in {}", parts.join(", "))
        };
        let mut listed = Vec::new();
        if !self.added.is_empty() {
            listed.push(format!("{} added", self.added.len()));
        }
        if !self.excluded.is_empty() {
            listed.push(format!("{} excluded", self.excluded.len()));
        }
        if !listed.is_empty() {
            described.push_str(&format!("; {}", listed.join(", ")));
        }
        described
    }
}

impl ParticipantFilter<'_> {
    /// Whether the member at `position` of the chart takes part.
    pub fn includes(&self, position: usize) -> bool {
        let member = self.chart.member(position);
        if member.level.is_none() || self.excluded.contains(member.id.as_str()) {
            return false;
        }
        if self.added.contains(member.id.as_str()) {
            return true;
        }
        self.in_line.as_ref().is_none_or(|in_line| in_line[position])
            && self.rule.matches_member(self.chart, position)
    }

    /// The positions of everyone taking part, in chart order.
    pub fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.chart.len()).filter(|&position| self.includes(position))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::org::OrgMember;

    fn member(id: &str, manager: Option<&str>, level: Option<&str>, team: &str) -> OrgMember {
        OrgMember {
            id: PersonId::parse(id).unwrap(),
            name: id.into(),
            manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
            track: level.map(|level| {
                TrackId::parse(if level.starts_with("ic") { "ic" } else { "em" }).unwrap()
            }),
            level: level.map(|level| LevelId::parse(level).unwrap()),
            team: Arc::from(team),
        }
    }

    fn chart() -> OrgChart {
        OrgChart::build(vec![
            member("cto", None, Some("dir"), "Leadership"),
            member("em1", Some("cto"), Some("em"), "Payments"),
            member("ic1", Some("em1"), Some("ic3"), "Payments"),
            member("ic2", Some("em1"), Some("ic4"), "Payments"),
            member("em2", Some("cto"), Some("em"), "Search"),
            member("ic3", Some("em2"), Some("ic3"), "Search"),
            member("ceo-office", Some("cto"), None, "Office"),
        ])
    }

    fn ids(chart: &OrgChart, rule: &Participants) -> Vec<String> {
        let filter = rule.filter(chart);
        let many: Vec<String> =
            filter.positions().map(|position| chart.member(position).id.to_string()).collect();
        let one_by_one: Vec<String> = (0..chart.len())
            .filter(|&position| rule.includes(chart, position))
            .map(|position| chart.member(position).id.to_string())
            .collect();
        assert_eq!(many, one_by_one);
        many
    }

    fn id(text: &str) -> PersonId {
        PersonId::parse(text).unwrap()
    }

    #[test]
    fn everyone_on_the_ladder_without_a_filter() {
        let chart = chart();
        assert_eq!(
            ids(&chart, &Participants::everyone()),
            ["cto", "em1", "ic1", "ic2", "em2", "ic3"]
        );
    }

    #[test]
    fn a_line_a_level_and_a_team_narrow_it() {
        let chart = chart();
        let line = Participants { within: Some(id("em1")), ..Participants::default() };
        assert_eq!(ids(&chart, &line), ["em1", "ic1", "ic2"]);
        let level = Participants {
            levels: vec![LevelId::parse("ic3").unwrap()],
            ..Participants::default()
        };
        assert_eq!(ids(&chart, &level), ["ic1", "ic3"]);
        let team = Participants { teams: vec!["search".to_owned()], ..Participants::default() };
        assert_eq!(ids(&chart, &team), ["em2", "ic3"]);
        let both = Participants { within: Some(id("em1")), ..level };
        assert_eq!(ids(&chart, &both), ["ic1"]);
    }

    #[test]
    fn additions_and_exclusions_win_over_the_filter_but_never_bring_in_the_off_ladder() {
        let chart = chart();
        let rule = Participants { within: Some(id("em1")), ..Participants::default() }
            .with_added(id("ic3"))
            .with_added(id("ceo-office"))
            .with_excluded(id("ic2"));
        assert_eq!(ids(&chart, &rule), ["em1", "ic1", "ic3"]);
        // Excluding someone added moves them, rather than leaving them in both lists.
        let moved = rule.with_excluded(id("ic3"));
        assert!(moved.check().is_ok());
        assert_eq!(ids(&chart, &moved), ["em1", "ic1"]);
        let both = Participants {
            added: vec![id("ic1")],
            excluded: vec![id("ic1")],
            ..Participants::default()
        };
        assert_eq!(both.check().unwrap_err().to_string(), "`ic1` is both added and excluded");
    }

    #[test]
    fn the_rule_in_words() {
        let name = |person: &PersonId| format!("Name of {person}");
        assert_eq!(Participants::everyone().describe(name), "everyone active on the ladder");
        let rule = Participants {
            within: Some(id("em1")),
            levels: vec![LevelId::parse("ic3").unwrap(), LevelId::parse("ic4").unwrap()],
            ..Participants::default()
        }
        .with_excluded(id("ic2"));
        assert_eq!(
            rule.describe(name),
            "everyone active in the line of Name of em1, levels ic3, ic4; 1 excluded"
        );
    }
}
