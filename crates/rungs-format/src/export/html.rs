//! The framework as a standalone HTML document (inline styles, no scripts) a company can publish.

use askama::Template;
use rungs_core::{Framework, Level};

struct BandRow<'a> {
    band: String,
    /// Per track: (anchor, title) of each level in the band.
    cells: Vec<Vec<(String, &'a str)>>,
}

struct DimensionBlock<'a> {
    name: &'a str,
    expectations: Vec<&'a rungs_core::Expectation>,
}

struct LevelSection<'a> {
    level: &'a Level,
    anchor: String,
    facts: String,
    scope: Vec<(&'static str, String)>,
    dimensions: Vec<DimensionBlock<'a>>,
}

struct TrackSection<'a> {
    track: &'a rungs_core::Track,
    levels: Vec<LevelSection<'a>>,
}

struct GrowthRow<'a> {
    titles: String,
    text: &'a str,
}

struct GrowthSection<'a> {
    area: &'a rungs_core::GrowthArea,
    rows: Vec<GrowthRow<'a>>,
}

struct TransitionSection<'a> {
    title: String,
    narrative: &'a str,
}

#[derive(Template)]
#[template(path = "ladder.html")]
struct LadderDocument<'a> {
    framework: &'a Framework,
    /// The framework description, one entry per paragraph.
    description: Vec<&'a str>,
    track_names: Vec<&'a str>,
    rows: Vec<BandRow<'a>>,
    rating_labels: String,
    readiness: String,
    tracks: Vec<TrackSection<'a>>,
    growth_areas: Vec<GrowthSection<'a>>,
    transitions: Vec<TransitionSection<'a>>,
}

fn anchor(level: &Level) -> String {
    format!("level-{}", level.id.as_str().replace('.', "-"))
}

fn level_section<'a>(framework: &'a Framework, level: &'a Level) -> LevelSection<'a> {
    let band =
        framework.band(level.band.as_str()).and_then(|band| band.name.clone()).unwrap_or_default();
    let peers: Vec<&str> = framework.peers(level).iter().map(|peer| peer.title.as_str()).collect();
    let mut facts = format!("Level {}, band {} {band}", level.id, level.band).trim_end().to_owned();
    if !peers.is_empty() {
        facts.push_str(&format!("; equivalent to {}", peers.join(", ")));
    }
    let scope = level.scope.facts();
    let dimensions = framework
        .dimensions()
        .iter()
        .map(|dimension| DimensionBlock {
            name: &dimension.name,
            expectations: level.expectations_in(&dimension.id).collect(),
        })
        .collect();
    LevelSection { level, anchor: anchor(level), facts, scope, dimensions }
}

pub fn to_html(framework: &Framework) -> String {
    let document = LadderDocument {
        framework,
        description: framework
            .meta()
            .description
            .as_deref()
            .map(|text| text.split("\n\n").map(str::trim).filter(|part| !part.is_empty()).collect())
            .unwrap_or_default(),
        track_names: framework.tracks().iter().map(|track| track.name.as_str()).collect(),
        rows: framework
            .ladder()
            .into_iter()
            .map(|(band, cells)| BandRow {
                band: match &band.name {
                    Some(name) => format!("{} ({name})", band.id),
                    None => band.id.to_string(),
                },
                cells: cells
                    .into_iter()
                    .map(|levels| {
                        levels
                            .into_iter()
                            .map(|level| (anchor(level), level.title.as_str()))
                            .collect()
                    })
                    .collect(),
            })
            .collect(),
        rating_labels: framework.rating_scale().labels.join(", "),
        readiness: framework.readiness().describe(),
        tracks: framework
            .tracks()
            .iter()
            .map(|track| TrackSection {
                track,
                levels: framework
                    .levels_in_track(&track.id)
                    .into_iter()
                    .map(|level| level_section(framework, level))
                    .collect(),
            })
            .collect(),
        growth_areas: framework
            .growth_areas()
            .iter()
            .map(|area| GrowthSection {
                area,
                rows: area
                    .statements
                    .iter()
                    .map(|statement| GrowthRow {
                        titles: framework.titles_of(&statement.levels),
                        text: &statement.text,
                    })
                    .collect(),
            })
            .collect(),
        transitions: framework
            .transitions()
            .iter()
            .map(|transition| {
                let from: Vec<&str> = transition.from.iter().map(|id| id.as_str()).collect();
                TransitionSection {
                    title: transition
                        .title
                        .clone()
                        .unwrap_or_else(|| format!("{} to {}", from.join(", "), transition.to)),
                    narrative: &transition.narrative,
                }
            })
            .collect(),
    };
    document.render().unwrap_or_else(|error| format!("<!-- rendering failed: {error} -->"))
}
