//! Small frameworks for the core's unit tests: one `ic` track, bands `b1` and `b2`, one `craft`
//! dimension.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly on purpose")]

use crate::{
    Band, BandId, Dimension, DimensionId, Expectation, Level, LevelId, Meta, RatingScale,
    ReadinessPolicy, Scope, Track, TrackId,
};
use crate::{Framework, FrameworkParts};

/// A level of the `ic` track whose title is its id in capitals.
pub(crate) fn level(id: &str, rank: u32, band: &str, expectations: Vec<Expectation>) -> Level {
    Level {
        id: LevelId::parse(id).unwrap(),
        track: TrackId::parse("ic").unwrap(),
        rank,
        band: BandId::parse(band).unwrap(),
        title: id.to_uppercase(),
        also_known_as: None,
        summary: None,
        scope: Scope::default(),
        expectations,
    }
}

/// The parts of a framework with these levels. Bands are listed out of rank order on purpose.
pub(crate) fn parts(levels: Vec<Level>) -> FrameworkParts {
    FrameworkParts {
        meta: Meta { id: "t".into(), name: "T".into(), version: "1".into(), description: None },
        rating_scale: RatingScale { labels: vec!["no".into(), "yes".into()], meets: "yes".into() },
        readiness: ReadinessPolicy {
            required_share: 0.8,
            close_share: 0.6,
            evidence_required: true,
            consecutive_cycles: 1,
        },
        peer_feedback: crate::assess::PeerFeedbackPolicy::default(),
        tracks: vec![Track {
            id: TrackId::parse("ic").unwrap(),
            name: "IC".into(),
            description: None,
            core_responsibilities: vec![],
        }],
        bands: [("b2", 2), ("b1", 1)]
            .into_iter()
            .map(|(id, rank)| Band {
                id: BandId::parse(id).unwrap(),
                rank,
                name: None,
                single_track: true,
            })
            .collect(),
        dimensions: vec![Dimension {
            id: DimensionId::parse("craft").unwrap(),
            name: "Craft".into(),
            description: None,
        }],
        levels,
        growth_areas: vec![],
        transitions: vec![],
    }
}

/// `ic1` (band `b1`) and `ic2` (band `b2`), without expectations.
pub(crate) fn two_levels() -> Framework {
    Framework::assemble(parts(vec![level("ic1", 1, "b1", vec![]), level("ic2", 2, "b2", vec![])]))
        .unwrap()
}
