//! The career framework: the validated, queryable ladder every other part of Rungs reads.

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use crate::id::{BandId, DimensionId, ExpectationId, GrowthAreaId, LevelId, TrackId};
use crate::scope::Scope;

/// Who wrote the framework and which version it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Meta {
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The ordered rating labels, lowest first, and the one that counts as "meets".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RatingScale {
    pub labels: Vec<String>,
    pub meets: String,
}

impl RatingScale {
    /// The rating of an expectation the assessor had no chance to observe. It is on no scale
    /// (a scale may not use the label): it counts as not met, and scores nothing.
    pub const NOT_OBSERVED: &'static str = "not-observed";

    /// A rating in words: a label as it is, [`Self::NOT_OBSERVED`] as "not observed".
    pub fn words(rating: &str) -> &str {
        if rating == Self::NOT_OBSERVED { "not observed" } else { rating }
    }

    /// The position of a label on the scale, lowest first.
    pub fn position(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|candidate| candidate == label)
    }

    /// The label's place on the scale from 0 (the lowest label) to 1 (the highest).
    pub fn score(&self, label: &str) -> Option<f64> {
        let top = self.labels.len().saturating_sub(1).max(1) as f64;
        self.position(label).map(|position| position as f64 / top)
    }

    /// True when `label` is at or above the "meets" label.
    pub fn is_meeting(&self, label: &str) -> bool {
        match (self.position(label), self.position(&self.meets)) {
            (Some(rated), Some(meets)) => rated >= meets,
            _ => false,
        }
    }
}

/// How readiness for a level is decided.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReadinessPolicy {
    /// Share of a dimension's expectations that must be met for the verdict `ready`.
    pub required_share: f64,
    /// Share at or above which the verdict is `close`.
    pub close_share: f64,
    /// Whether a met rating only counts when evidence backs it.
    pub evidence_required: bool,
    /// Consecutive cycles in which an expectation must be met.
    pub consecutive_cycles: u32,
}

impl ReadinessPolicy {
    /// The policy in one sentence a manager can read.
    pub fn describe(&self) -> String {
        let evidence = if self.evidence_required { " with evidence" } else { "" };
        let cycles = if self.consecutive_cycles > 1 {
            format!(" in {} consecutive cycles", self.consecutive_cycles)
        } else {
            String::new()
        };
        format!(
            "A person is ready for a level when, in every dimension, at least {}% of the level's expectations are met{evidence}{cycles}; close when every dimension reaches {}%.",
            Percentage(self.required_share),
            Percentage(self.close_share)
        )
    }
}

/// A share (0 to 1) as a whole percentage, as `{:.0}` writes it: whole numbers, the usual
/// case, without the slow fixed-precision float formatter (every person's page says the
/// policy).
struct Percentage(f64);

impl std::fmt::Display for Percentage {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let percent = self.0 * 100.0;
        if percent.fract() == 0.0 && percent.abs() < 1e15 && !percent.is_sign_negative() {
            write!(formatter, "{}", percent as i64)
        } else {
            write!(formatter, "{percent:.0}")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Track {
    pub id: TrackId,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub core_responsibilities: Vec<String>,
}

/// A rung shared across tracks: levels of different tracks in one band are equivalent in
/// compensation and status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Band {
    pub id: BandId,
    pub rank: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Declares that only one track has a level in this band, on purpose.
    pub single_track: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dimension {
    pub id: DimensionId,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Expectation {
    pub id: ExpectationId,
    pub dimension: DimensionId,
    pub text: String,
    /// The expectation one level down that this one grows out of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub builds_on: Option<ExpectationId>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Level {
    pub id: LevelId,
    pub track: TrackId,
    /// Position within the track, 1 for the first level.
    pub rank: u32,
    pub band: BandId,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also_known_as: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Scope::is_empty")]
    pub scope: Scope,
    pub expectations: Vec<Expectation>,
}

impl Level {
    /// The level's expectations in one dimension, in file order.
    pub fn expectations_in<'a>(
        &'a self,
        dimension: &'a DimensionId,
    ) -> impl Iterator<Item = &'a Expectation> + 'a {
        self.expectations.iter().filter(move |expectation| &expectation.dimension == dimension)
    }

    /// `Engineering Manager (em)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.title, self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrowthStatement {
    /// The levels the statement describes: usually one, sometimes several (`VP/CTO`).
    pub levels: Vec<LevelId>,
    pub text: String,
}

/// A capability that deepens level by level, with one statement per level.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrowthArea {
    pub id: GrowthAreaId,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The track whose every level should have a statement, when the area belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub track: Option<TrackId>,
    pub statements: Vec<GrowthStatement>,
}

impl GrowthArea {
    pub fn statement_for(&self, level: &LevelId) -> Option<&GrowthStatement> {
        self.statements.iter().find(|statement| statement.levels.contains(level))
    }
}

/// What moving from one level to another means, in prose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Transition {
    pub from: Vec<LevelId>,
    pub to: LevelId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub narrative: String,
}

/// Everything a framework is made of, before its invariants are checked.
#[derive(Debug, Clone)]
pub struct FrameworkParts {
    pub meta: Meta,
    pub rating_scale: RatingScale,
    pub readiness: ReadinessPolicy,
    /// Whether people see who wrote the peer feedback on them.
    pub peer_feedback: crate::assess::PeerFeedbackPolicy,
    pub tracks: Vec<Track>,
    pub bands: Vec<Band>,
    pub dimensions: Vec<Dimension>,
    pub levels: Vec<Level>,
    pub growth_areas: Vec<GrowthArea>,
    pub transitions: Vec<Transition>,
}

/// An invariant that [`FrameworkParts`] break. The file linter reports these with locations
/// long before; this is the last line of defence for frameworks built any other way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssembleError {
    #[error("duplicate {kind} id `{id}`")]
    Duplicate { kind: &'static str, id: String },
    #[error("{owner} refers to unknown {kind} `{id}`")]
    Unknown { owner: String, kind: &'static str, id: String },
    #[error("the rating scale has no label `{0}` to count as meeting expectations")]
    MeetsNotOnScale(String),
    #[error("`builds_on` of expectation `{0}` leads round in a cycle")]
    BuildsOnCycle(String),
}

/// A validated career framework. Every reference inside it resolves.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Framework {
    meta: Meta,
    rating_scale: RatingScale,
    readiness: ReadinessPolicy,
    peer_feedback: crate::assess::PeerFeedbackPolicy,
    tracks: Vec<Track>,
    bands: Vec<Band>,
    dimensions: Vec<Dimension>,
    levels: Vec<Level>,
    growth_areas: Vec<GrowthArea>,
    transitions: Vec<Transition>,
    /// Fx hashing: the framework's own ids, looked up once per person in whole-org checks and
    /// many times per page.
    #[serde(skip)]
    level_index: FxHashMap<LevelId, usize>,
    #[serde(skip)]
    expectation_index: FxHashMap<ExpectationId, (usize, usize)>,
}

fn unique<'a, I>(kind: &'static str, ids: I) -> Result<HashSet<&'a str>, AssembleError>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(AssembleError::Duplicate { kind, id: id.to_owned() });
        }
    }
    Ok(seen)
}

fn known(
    known_ids: &HashSet<&str>,
    owner: impl FnOnce() -> String,
    kind: &'static str,
    id: &str,
) -> Result<(), AssembleError> {
    if known_ids.contains(id) {
        Ok(())
    } else {
        Err(AssembleError::Unknown { owner: owner(), kind, id: id.to_owned() })
    }
}

impl Framework {
    /// Checks the invariants the queries rely on (unique ids, resolvable references) and builds
    /// the indexes. Bands are kept in rank order.
    pub fn assemble(parts: FrameworkParts) -> Result<Framework, AssembleError> {
        let FrameworkParts {
            meta,
            rating_scale,
            readiness,
            peer_feedback,
            tracks,
            mut bands,
            dimensions,
            levels,
            growth_areas,
            transitions,
        } = parts;
        if rating_scale.position(&rating_scale.meets).is_none() {
            return Err(AssembleError::MeetsNotOnScale(rating_scale.meets));
        }
        let track_ids = unique("track", tracks.iter().map(|track| track.id.as_str()))?;
        let band_ids = unique("band", bands.iter().map(|band| band.id.as_str()))?;
        let dimension_ids =
            unique("dimension", dimensions.iter().map(|dimension| dimension.id.as_str()))?;
        let level_ids = unique("level", levels.iter().map(|level| level.id.as_str()))?;
        let expectation_ids = unique(
            "expectation",
            levels.iter().flat_map(|level| &level.expectations).map(|exp| exp.id.as_str()),
        )?;
        unique("growth area", growth_areas.iter().map(|area| area.id.as_str()))?;
        for level in &levels {
            let owner = || format!("level `{}`", level.id);
            known(&track_ids, owner, "track", level.track.as_str())?;
            known(&band_ids, owner, "band", level.band.as_str())?;
            for expectation in &level.expectations {
                let owner = || format!("expectation `{}`", expectation.id);
                known(&dimension_ids, owner, "dimension", expectation.dimension.as_str())?;
                if let Some(builds_on) = &expectation.builds_on {
                    known(&expectation_ids, owner, "expectation", builds_on.as_str())?;
                }
            }
        }
        for area in &growth_areas {
            let owner = || format!("growth area `{}`", area.id);
            if let Some(track) = &area.track {
                known(&track_ids, owner, "track", track.as_str())?;
            }
            for level in area.statements.iter().flat_map(|statement| &statement.levels) {
                known(&level_ids, owner, "level", level.as_str())?;
            }
        }
        for transition in &transitions {
            let owner = || format!("transition to `{}`", transition.to);
            known(&level_ids, owner, "level", transition.to.as_str())?;
            for from in &transition.from {
                known(&level_ids, owner, "level", from.as_str())?;
            }
        }
        bands.sort_by_key(|band| band.rank);
        let level_index =
            levels.iter().enumerate().map(|(index, level)| (level.id.clone(), index)).collect();
        let expectation_index = levels
            .iter()
            .enumerate()
            .flat_map(|(level_position, level)| {
                level.expectations.iter().enumerate().map(move |(position, expectation)| {
                    (expectation.id.clone(), (level_position, position))
                })
            })
            .collect();
        let framework = Framework {
            meta,
            rating_scale,
            readiness,
            peer_feedback,
            tracks,
            bands,
            dimensions,
            levels,
            growth_areas,
            transitions,
            level_index,
            expectation_index,
        };
        for expectation in framework.levels.iter().flat_map(|level| &level.expectations) {
            if framework.lineage(&expectation.id).is_none() {
                return Err(AssembleError::BuildsOnCycle(expectation.id.to_string()));
            }
        }
        Ok(framework)
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    pub fn rating_scale(&self) -> &RatingScale {
        &self.rating_scale
    }

    pub fn readiness(&self) -> &ReadinessPolicy {
        &self.readiness
    }

    /// Whether people see who wrote the peer feedback on them.
    pub fn peer_feedback(&self) -> crate::assess::PeerFeedbackPolicy {
        self.peer_feedback
    }

    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// Bands, lowest rank first.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    pub fn growth_areas(&self) -> &[GrowthArea] {
        &self.growth_areas
    }

    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|track| track.id.as_str() == id)
    }

    pub fn band(&self, id: &str) -> Option<&Band> {
        self.bands.iter().find(|band| band.id.as_str() == id)
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|dimension| dimension.id.as_str() == id)
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.level_index.get(id).map(|&index| &self.levels[index])
    }

    /// An expectation and the level that holds it.
    pub fn expectation(&self, id: &str) -> Option<(&Level, &Expectation)> {
        self.expectation_index.get(id).map(|&(level_position, position)| {
            let level = &self.levels[level_position];
            (level, &level.expectations[position])
        })
    }

    /// A growth area by id or by name, ignoring case.
    pub fn growth_area(&self, id_or_name: &str) -> Option<&GrowthArea> {
        self.growth_areas.iter().find(|area| {
            area.id.as_str() == id_or_name || area.name.eq_ignore_ascii_case(id_or_name)
        })
    }

    /// The levels of one track, lowest rank first.
    pub fn levels_in_track(&self, track: &TrackId) -> Vec<&Level> {
        let mut levels: Vec<&Level> =
            self.levels.iter().filter(|level| &level.track == track).collect();
        levels.sort_by_key(|level| level.rank);
        levels
    }

    /// The next level up in the same track.
    pub fn next_level(&self, level: &Level) -> Option<&Level> {
        self.levels_in_track(&level.track).into_iter().find(|other| other.rank > level.rank)
    }

    /// The level below in the same track.
    pub fn previous_level(&self, level: &Level) -> Option<&Level> {
        self.levels_in_track(&level.track).into_iter().rev().find(|other| other.rank < level.rank)
    }

    /// Levels of other tracks in the same band: the dual-ladder equivalents.
    pub fn peers(&self, level: &Level) -> Vec<&Level> {
        self.levels
            .iter()
            .filter(|other| other.band == level.band && other.track != level.track)
            .collect()
    }

    /// The rank of a level's band, for comparing seniority across tracks.
    pub fn band_rank(&self, level: &Level) -> u32 {
        self.band(level.band.as_str()).map_or(0, |band| band.rank)
    }

    /// The ladder as rows: for each band, highest first, the levels of each track in it.
    pub fn ladder(&self) -> Vec<(&Band, Vec<Vec<&Level>>)> {
        self.bands
            .iter()
            .rev()
            .map(|band| {
                let per_track = self
                    .tracks
                    .iter()
                    .map(|track| {
                        self.levels_in_track(&track.id)
                            .into_iter()
                            .filter(|level| level.band == band.id)
                            .collect()
                    })
                    .collect();
                (band, per_track)
            })
            .collect()
    }

    /// Level titles for ids, joined as a reader expects them (`VP of Engineering / CTO`); an
    /// unknown id stands for itself.
    pub fn titles_of(&self, ids: &[LevelId]) -> String {
        let titles: Vec<&str> = ids
            .iter()
            .map(|id| self.level(id.as_str()).map_or(id.as_str(), |level| level.title.as_str()))
            .collect();
        titles.join(" / ")
    }

    /// The transition narrative for moving from `from` to `to`, when the framework has one.
    pub fn transition(&self, from: &LevelId, to: &LevelId) -> Option<&Transition> {
        self.transitions
            .iter()
            .find(|transition| &transition.to == to && transition.from.contains(from))
    }

    /// The chain of expectations that `id` builds on, itself first, oldest root last. `None`
    /// when the id is unknown or the chain loops.
    pub fn lineage(&self, id: &ExpectationId) -> Option<Vec<&Expectation>> {
        let mut chain = Vec::new();
        let mut seen = HashSet::new();
        let mut current = self.expectation(id.as_str())?.1;
        loop {
            if !seen.insert(&current.id) {
                return None;
            }
            chain.push(current);
            match &current.builds_on {
                Some(parent) => current = self.expectation(parent.as_str())?.1,
                None => return Some(chain),
            }
        }
    }

    /// The id at the root of an expectation's `builds_on` chain: expectations with the same root
    /// are the same behaviour at different levels.
    pub fn lineage_root(&self, id: &ExpectationId) -> Option<&ExpectationId> {
        self.lineage(id).and_then(|chain| chain.last().map(|expectation| &expectation.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{level, parts};

    fn expectation(id: &str, builds_on: Option<&str>) -> Expectation {
        Expectation {
            id: ExpectationId::parse(id).unwrap(),
            dimension: DimensionId::parse("craft").unwrap(),
            text: format!("does {id}"),
            builds_on: builds_on.map(|base| ExpectationId::parse(base).unwrap()),
        }
    }

    /// The policy's percentages read as `{:.0}` writes them, whole or not.
    #[test]
    fn percentages_read_as_the_float_formatter_writes_them() {
        for share in [0.0, -0.0, 0.6, 0.8, 1.0, 0.625, 0.675, 0.3333, 0.07, 2.5] {
            assert_eq!(Percentage(share).to_string(), format!("{:.0}", share * 100.0), "{share}");
        }
    }

    #[test]
    fn assembles_and_answers_queries() {
        let framework = Framework::assemble(parts(vec![
            level(
                "ic2",
                2,
                "b2",
                vec![expectation("ic2.a", Some("ic1.a")), expectation("ic2.new", None)],
            ),
            level("ic1", 1, "b1", vec![expectation("ic1.a", None), expectation("ic1.old", None)]),
        ]))
        .unwrap();
        assert_eq!(framework.bands()[0].id.as_str(), "b1", "bands are kept in rank order");
        let (ic1, ic2) = (framework.level("ic1").unwrap(), framework.level("ic2").unwrap());
        assert_eq!(framework.next_level(ic1).map(|level| level.id.as_str()), Some("ic2"));
        assert_eq!(framework.previous_level(ic2).map(|level| level.id.as_str()), Some("ic1"));
        let comparison = framework.compare(ic1, ic2);
        let craft = &comparison.dimensions[0];
        assert_eq!(craft.changed.len(), 1);
        assert_eq!(craft.changed[0].from.id.as_str(), "ic1.a");
        assert_eq!(craft.changed[0].to.id.as_str(), "ic2.a");
        assert_eq!(
            craft.added.iter().map(|item| item.id.as_str()).collect::<Vec<_>>(),
            ["ic2.new"]
        );
        assert_eq!(
            craft.dropped.iter().map(|item| item.id.as_str()).collect::<Vec<_>>(),
            ["ic1.old"]
        );
        assert_eq!(comparison.band_step, 1);
    }

    #[test]
    fn refuses_broken_parts() {
        let duplicate = parts(vec![level("ic1", 1, "b1", vec![]), level("ic1", 2, "b2", vec![])]);
        assert_eq!(
            Framework::assemble(duplicate).unwrap_err(),
            AssembleError::Duplicate { kind: "level", id: "ic1".into() }
        );
        let unknown_band = parts(vec![level("ic1", 1, "b9", vec![])]);
        assert_eq!(
            Framework::assemble(unknown_band).unwrap_err().to_string(),
            "level `ic1` refers to unknown band `b9`"
        );
        let cycle = parts(vec![level(
            "ic1",
            1,
            "b1",
            vec![expectation("ic1.a", Some("ic1.b")), expectation("ic1.b", Some("ic1.a"))],
        )]);
        assert_eq!(
            Framework::assemble(cycle).unwrap_err(),
            AssembleError::BuildsOnCycle("ic1.a".into())
        );
    }
}
