//! The ladder: both tracks side by side by band, a level, two levels compared, a growth area.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use rungs_core::{Framework, Level, LevelComparison};

use super::Layout;
use crate::auth::Acting;
use crate::error::{PageError, WebError};

/// A level as a link.
pub struct LevelLink {
    pub id: String,
    pub title: String,
}

impl LevelLink {
    fn of(level: &Level) -> LevelLink {
        LevelLink { id: level.id.to_string(), title: level.title.clone() }
    }
}

pub struct BandRow {
    pub band: String,
    pub cells: Vec<Vec<LevelLink>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "ladder.html")]
pub struct LadderPage {
    pub layout: Layout,
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    pub tracks: Vec<String>,
    pub rows: Vec<BandRow>,
    pub growth_areas: Vec<LevelLink>,
    pub scale: String,
    pub policy: String,
}

pub async fn home(Acting(state): Acting) -> Result<LadderPage, PageError> {
    let framework = state.app.current_framework().await?;
    let rows = framework
        .ladder()
        .into_iter()
        .map(|(band, cells)| BandRow {
            band: band.name.clone().unwrap_or_else(|| band.id.to_string()),
            cells: cells
                .into_iter()
                .map(|levels| levels.into_iter().map(LevelLink::of).collect())
                .collect(),
        })
        .collect();
    Ok(LadderPage {
        layout: Layout::of(&state),
        name: framework.meta().name.clone(),
        version: framework.meta().version.clone(),
        description: framework.meta().description.clone(),
        tracks: framework.tracks().iter().map(|track| track.name.clone()).collect(),
        rows,
        growth_areas: framework
            .growth_areas()
            .iter()
            .map(|area| LevelLink { id: area.id.to_string(), title: area.name.clone() })
            .collect(),
        scale: framework.rating_scale().labels.join(", "),
        policy: framework.readiness().describe(),
    })
}

pub struct DimensionSection {
    pub name: String,
    pub expectations: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "level.html")]
pub struct LevelPage {
    pub layout: Layout,
    pub title: String,
    pub id: String,
    pub track: String,
    pub summary: Option<String>,
    pub scope: Vec<(String, String)>,
    pub dimensions: Vec<DimensionSection>,
    pub previous: Option<LevelLink>,
    pub next: Option<LevelLink>,
    pub peers: Vec<LevelLink>,
}

fn level_or_404<'f>(framework: &'f Framework, id: &str) -> Result<&'f Level, WebError> {
    framework.level(id).ok_or_else(|| {
        WebError::not_found(format!(
            "there is no level `{id}`{}",
            rungs_core::suggest::did_you_mean(
                id,
                framework.levels().iter().map(|level| level.id.as_str())
            )
        ))
    })
}

pub async fn level(Acting(state): Acting, Path(id): Path<String>) -> Result<LevelPage, PageError> {
    let framework = state.app.current_framework().await?;
    let level = level_or_404(&framework, &id)?;
    let dimensions = framework
        .dimensions()
        .iter()
        .map(|dimension| DimensionSection {
            name: dimension.name.clone(),
            expectations: level
                .expectations_in(&dimension.id)
                .map(|expectation| (expectation.id.to_string(), expectation.text.clone()))
                .collect(),
        })
        .filter(|section| !section.expectations.is_empty())
        .collect();
    let track = framework
        .track(level.track.as_str())
        .map_or(level.track.to_string(), |track| track.name.clone());
    Ok(LevelPage {
        layout: Layout::of(&state),
        title: level.title.clone(),
        id: level.id.to_string(),
        track,
        summary: level.summary.clone(),
        scope: level
            .scope
            .facts()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
        dimensions,
        previous: framework.previous_level(level).map(LevelLink::of),
        next: framework.next_level(level).map(LevelLink::of),
        peers: framework.peers(level).into_iter().map(LevelLink::of).collect(),
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct CompareQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

pub struct ComparedDimension {
    pub name: String,
    pub added: Vec<String>,
    pub dropped: Vec<String>,
    pub changed: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub levels: Vec<LevelLink>,
    pub from: String,
    pub to: String,
    pub from_title: String,
    pub to_title: String,
    pub summary: Option<String>,
    pub scope: Vec<(String, String, String)>,
    pub dimensions: Vec<ComparedDimension>,
    pub transition: Option<(String, String)>,
}

fn compared(comparison: &LevelComparison<'_>) -> Vec<ComparedDimension> {
    comparison
        .dimensions
        .iter()
        .map(|dimension| ComparedDimension {
            name: dimension.dimension.name.clone(),
            added: dimension.added.iter().map(|expectation| expectation.text.clone()).collect(),
            dropped: dimension.dropped.iter().map(|expectation| expectation.text.clone()).collect(),
            changed: dimension
                .changed
                .iter()
                .map(|pair| (pair.from.text.clone(), pair.to.text.clone()))
                .collect(),
        })
        .collect()
}

pub async fn compare(
    Acting(state): Acting,
    Query(query): Query<CompareQuery>,
) -> Result<ComparePage, PageError> {
    let framework = state.app.current_framework().await?;
    let first = framework.levels().first().map(|level| level.id.to_string()).unwrap_or_default();
    let from_id = query.from.unwrap_or(first);
    let from = level_or_404(&framework, &from_id)?;
    let to = match query.to {
        Some(to) => level_or_404(&framework, &to)?,
        None => framework.next_level(from).unwrap_or(from),
    };
    let comparison = framework.compare(from, to);
    let describe = |range: Option<rungs_core::ScopeRange>| {
        range.map_or("–".to_owned(), |range| range.describe())
    };
    let months = |range: Option<rungs_core::ScopeRange>| {
        range.map_or("–".to_owned(), |range| range.describe_months())
    };
    let budget = |budget: Option<rungs_core::Budget>| {
        budget.map_or("–", |budget| budget.describe()).to_owned()
    };
    let scope = vec![
        (
            "Org size".to_owned(),
            describe(comparison.scope.org_size.0),
            describe(comparison.scope.org_size.1),
        ),
        (
            "Planning horizon".to_owned(),
            months(comparison.scope.horizon_months.0),
            months(comparison.scope.horizon_months.1),
        ),
        ("Budget".to_owned(), budget(comparison.scope.budget.0), budget(comparison.scope.budget.1)),
    ];
    let summary = match comparison.band_step {
        0 if !comparison.same_track => Some("A move across tracks in the same band.".to_owned()),
        0 => None,
        step => {
            let bands = step.unsigned_abs();
            let noun = if bands == 1 { "band" } else { "bands" };
            Some(format!("{bands} {noun} {}.", if step > 0 { "up" } else { "down" }))
        }
    };
    Ok(ComparePage {
        layout: Layout::of(&state),
        levels: framework.levels().iter().map(LevelLink::of).collect(),
        from: from.id.to_string(),
        to: to.id.to_string(),
        from_title: from.label(),
        to_title: to.label(),
        summary,
        scope,
        dimensions: compared(&comparison),
        transition: comparison.transition.map(|transition| {
            (
                transition.title.clone().unwrap_or_else(|| "Transition".to_owned()),
                transition.narrative.clone(),
            )
        }),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "growth_area.html")]
pub struct GrowthAreaPage {
    pub layout: Layout,
    pub name: String,
    pub description: Option<String>,
    pub statements: Vec<(String, String)>,
}

pub async fn growth_area(
    Acting(state): Acting,
    Path(id): Path<String>,
) -> Result<GrowthAreaPage, PageError> {
    let framework = state.app.current_framework().await?;
    let area = framework.growth_area(&id).ok_or_else(|| {
        WebError::not_found(format!(
            "there is no growth area `{id}`{}",
            rungs_core::suggest::did_you_mean(
                &id,
                framework.growth_areas().iter().map(|area| area.id.as_str())
            )
        ))
    })?;
    Ok(GrowthAreaPage {
        layout: Layout::of(&state),
        name: area.name.clone(),
        description: area.description.clone(),
        statements: area
            .statements
            .iter()
            .map(|statement| (framework.titles_of(&statement.levels), statement.text.clone()))
            .collect(),
    })
}
