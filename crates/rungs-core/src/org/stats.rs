//! Whole-org figures: head counts, managers, layers, spans, and the level distribution.

use std::collections::{BTreeMap, HashSet};

use crate::framework::Framework;
use crate::org::chart::OrgChart;
use crate::org::person::{OFF_LADDER, level_name};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LevelCount {
    pub track: String,
    pub band: String,
    pub level: String,
    pub title: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpanStats {
    /// Mean direct reports per manager.
    pub average: f64,
    pub median: u32,
    pub max: u32,
}

/// The shape of the organisation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgStats {
    /// Active people.
    pub people: u64,
    /// People with at least one direct report.
    pub managers: u64,
    /// Depth of the deepest reporting chain, the top counting as layer 1.
    pub layers: u32,
    pub teams: u64,
    /// Active people per track.
    pub tracks: BTreeMap<String, u64>,
    /// Active people per band.
    pub bands: BTreeMap<String, u64>,
    /// Active people per level, in ladder order; levels with nobody are listed with 0.
    pub levels: Vec<LevelCount>,
    /// People without reports per person with reports.
    pub ic_to_manager_ratio: f64,
    pub span: SpanStats,
}

pub fn stats(chart: &OrgChart, framework: &Framework) -> OrgStats {
    let mut per_level: BTreeMap<&str, u64> = BTreeMap::new();
    let mut tracks: BTreeMap<String, u64> = BTreeMap::new();
    let mut bands: BTreeMap<String, u64> = BTreeMap::new();
    let mut teams: HashSet<&str> = HashSet::new();
    let mut spans = Vec::new();
    for (position, member) in chart.members().iter().enumerate() {
        *per_level.entry(level_name(member.level.as_ref())).or_default() += 1;
        let track = member.track.as_ref().map_or(OFF_LADDER.to_owned(), ToString::to_string);
        *tracks.entry(track).or_default() += 1;
        if let Some(level) = member.level.as_ref().and_then(|level| framework.level(level.as_str()))
        {
            *bands.entry(level.band.to_string()).or_default() += 1;
        }
        if !member.team.is_empty() {
            teams.insert(&member.team);
        }
        let reports = chart.direct_report_count(position);
        if reports > 0 {
            spans.push(reports);
        }
    }
    let mut levels: Vec<LevelCount> = framework
        .tracks()
        .iter()
        .flat_map(|track| framework.levels_in_track(&track.id))
        .map(|level| LevelCount {
            track: level.track.to_string(),
            band: level.band.to_string(),
            level: level.id.to_string(),
            title: level.title.clone(),
            count: per_level.get(level.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    for (level, count) in &per_level {
        if framework.level(level).is_none() {
            levels.push(LevelCount {
                track: String::new(),
                band: String::new(),
                level: (*level).to_owned(),
                title: "(not in the framework)".to_owned(),
                count: *count,
            });
        }
    }
    spans.sort_unstable();
    let managers = spans.len() as u64;
    let people = chart.len() as u64;
    let total_reports: u64 = spans.iter().map(|&span| u64::from(span)).sum();
    OrgStats {
        people,
        managers,
        layers: chart.layers(),
        teams: teams.len() as u64,
        tracks,
        bands,
        levels,
        ic_to_manager_ratio: if managers == 0 {
            0.0
        } else {
            (people - managers) as f64 / managers as f64
        },
        span: SpanStats {
            average: if managers == 0 { 0.0 } else { total_reports as f64 / managers as f64 },
            median: spans.get(spans.len() / 2).copied().unwrap_or(0),
            max: spans.last().copied().unwrap_or(0),
        },
    }
}
