//! Growing a reporting tree top-down: each manager's org is split among managers of the next
//! level down, sized inside that level's org-size range, with individual contributors at the
//! bottom and a few senior ICs reporting high.

use std::collections::HashMap;

use rungs_core::{Framework, Level};

use crate::names::{AREAS, FIRST_NAMES, LAST_NAMES, TEAM_NOUNS};

/// One generated person, in the canonical roster columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    pub id: String,
    pub name: String,
    pub email: String,
    pub manager_id: Option<String>,
    pub title: String,
    pub track: String,
    pub level: String,
    pub team: String,
}

struct Builder<'f> {
    rng: fastrand::Rng,
    /// Levels that lead people, lowest rank first, then the levels above them without an org size.
    leaders: Vec<&'f Level>,
    /// Individual-contributor levels, lowest rank first.
    individuals: Vec<&'f Level>,
    people: Vec<DemoPerson>,
    id_width: usize,
    emails: HashMap<String, u32>,
    next_area: usize,
}

impl<'f> Builder<'f> {
    fn add(&mut self, level: &Level, manager: Option<usize>, team: &str) -> usize {
        let position = self.people.len();
        let id = format!("E{:0width$}", position + 1, width = self.id_width);
        let first = FIRST_NAMES[self.rng.usize(..FIRST_NAMES.len())];
        let last = LAST_NAMES[self.rng.usize(..LAST_NAMES.len())];
        let base = format!("{}.{}", first.to_lowercase(), last.to_lowercase());
        let seen = self.emails.entry(base.clone()).or_insert(0);
        *seen += 1;
        let email = if *seen == 1 {
            format!("{base}@example.com")
        } else {
            format!("{base}{}@example.com", *seen)
        };
        self.people.push(DemoPerson {
            id,
            name: format!("{first} {last}"),
            email,
            manager_id: manager.map(|manager| self.people[manager].id.clone()),
            title: level.title.clone(),
            track: level.track.to_string(),
            level: level.id.to_string(),
            team: team.to_owned(),
        });
        position
    }

    /// An individual contributor level, weighted towards the middle of the track.
    fn individual_level(&mut self, highest_rank: u32) -> &'f Level {
        let weights = [15u32, 30, 35, 15, 5];
        let candidates: Vec<(&'f Level, u32)> = self
            .individuals
            .iter()
            .filter(|level| level.rank <= highest_rank)
            .zip(weights)
            .map(|(level, weight)| (*level, weight))
            .collect();
        let total: u32 = candidates.iter().map(|(_, weight)| weight).sum();
        let mut pick = self.rng.u32(..total.max(1));
        for (level, weight) in &candidates {
            if pick < *weight {
                return level;
            }
            pick -= weight;
        }
        candidates.first().map_or(self.individuals[0], |(level, _)| level)
    }

    /// The most senior IC level at or below the given band rank.
    fn senior_individual(&self, framework: &Framework, band_rank: u32) -> Option<&'f Level> {
        self.individuals.iter().rev().find(|level| framework.band_rank(level) < band_rank).copied()
    }

    fn new_area(&mut self) -> String {
        let area = AREAS[self.next_area % AREAS.len()];
        let round = self.next_area / AREAS.len();
        self.next_area += 1;
        if round == 0 { area.to_owned() } else { format!("{area} {}", round + 1) }
    }

    /// Adds a manager at `leaders[tier]` with `size - 1` people below, and grows their org.
    /// `area` is the product area the manager works in; executives have none.
    fn grow(
        &mut self,
        framework: &Framework,
        tier: usize,
        size: usize,
        manager: Option<usize>,
        area: Option<&str>,
    ) {
        let level = self.leaders[tier];
        let executive = tier + 2 >= self.leaders.len() && tier > 0;
        let area = match area {
            _ if executive => None,
            Some(area) => Some(area.to_owned()),
            None => Some(self.new_area()),
        };
        let team = if tier == 0 {
            let noun = TEAM_NOUNS[self.rng.usize(..TEAM_NOUNS.len())];
            format!("{} {noun}", area.as_deref().unwrap_or("Engineering"))
        } else {
            area.clone().unwrap_or_else(|| "Engineering Leadership".to_owned())
        };
        let me = self.add(level, manager, &team);
        let mut remaining = size.saturating_sub(1);
        if tier == 0 {
            for _ in 0..remaining {
                let individual = self.individual_level(4);
                self.add(individual, Some(me), &team);
            }
            return;
        }
        // Senior individual contributors report high: one per manager from the third tier up.
        if tier >= 2
            && remaining > 0
            && let Some(senior) = self.senior_individual(framework, framework.band_rank(level))
        {
            self.add(senior, Some(me), &team);
            remaining -= 1;
        }
        if remaining == 0 {
            return;
        }
        // The most senior level below whose smallest org fits in what is left.
        let mut child_tier = tier - 1;
        while child_tier > 0 && self.min_subtree(child_tier) > remaining {
            child_tier -= 1;
        }
        let children = match self.leaders[child_tier].scope.org_size.and_then(|range| range.max) {
            Some(max) => remaining.div_ceil(max as usize + 1),
            None => (remaining / self.typical_subtree(child_tier)).max(1),
        };
        let base = remaining / children;
        let mut extra = remaining % children;
        for _ in 0..children {
            let child_size = base + usize::from(extra > 0);
            extra = extra.saturating_sub(1);
            self.grow(framework, child_tier, child_size, Some(me), area.as_deref());
        }
    }

    fn min_subtree(&self, tier: usize) -> usize {
        self.leaders[tier].scope.org_size.map_or(1, |range| range.min as usize + 1)
    }

    fn typical_subtree(&self, tier: usize) -> usize {
        match self.leaders[tier].scope.org_size {
            Some(range) => match range.max {
                Some(max) => (range.min + max) as usize / 2 + 1,
                None => range.min as usize * 6 + 1,
            },
            None => 1,
        }
    }

    /// A few problems for `org check` to find: an overloaded manager, a manager of one, and a
    /// senior engineer reporting to a lower band.
    fn plant_problems(&mut self, framework: &Framework) {
        let lowest = self.leaders[0].id.to_string();
        let managers: Vec<usize> =
            (0..self.people.len()).filter(|&person| self.people[person].level == lowest).collect();
        if managers.len() < 3 {
            return;
        }
        let (overloaded, donor, single) = (managers[0], managers[1], managers[2]);
        let reports_of = |people: &[DemoPerson], manager: usize| -> Vec<usize> {
            let id = &people[manager].id;
            (0..people.len())
                .filter(|&person| people[person].manager_id.as_ref() == Some(id))
                .collect()
        };
        let overloaded_id = self.people[overloaded].id.clone();
        for moved in reports_of(&self.people, donor).into_iter().take(4) {
            self.people[moved].manager_id = Some(overloaded_id.clone());
        }
        let mut singles = reports_of(&self.people, single);
        for extra in singles.split_off(1) {
            self.people[extra].manager_id = Some(overloaded_id.clone());
        }
        let band = framework.band_rank(self.leaders[0]);
        if let Some(senior) =
            self.individuals.iter().find(|level| framework.band_rank(level) > band).copied()
            && let Some(&engineer) = reports_of(&self.people, overloaded).first()
        {
            self.people[engineer].level = senior.id.to_string();
            self.people[engineer].title = senior.title.clone();
        }
    }
}

/// Generates a demo org of `people` people (at least 1) for the framework, deterministic for
/// `seed`. Managers come before their reports, so the output imports in one pass.
pub fn generate(framework: &Framework, people: usize, seed: u64) -> Vec<DemoPerson> {
    let leading_track = framework
        .levels()
        .iter()
        .find(|level| level.scope.org_size.is_some())
        .map(|level| level.track.clone());
    let Some(leading_track) = leading_track else {
        return Vec::new();
    };
    let leaders = framework.levels_in_track(&leading_track);
    let individuals: Vec<&Level> = framework
        .tracks()
        .iter()
        .find(|track| track.id != leading_track)
        .map(|track| framework.levels_in_track(&track.id))
        .unwrap_or_default();
    if individuals.is_empty() || people == 0 {
        return Vec::new();
    }
    let mut builder = Builder {
        rng: fastrand::Rng::with_seed(seed),
        leaders,
        individuals,
        people: Vec::with_capacity(people),
        id_width: people.to_string().len().max(5),
        emails: HashMap::new(),
        next_area: 0,
    };
    let top = builder.leaders.len() - 1;
    builder.grow(framework, top, people, None, None);
    builder.plant_problems(framework);
    builder.people
}
