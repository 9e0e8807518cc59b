//! The framework file as written: serde types that mirror the TOML, with spans on every value
//! the linter may need to point at. Their doc comments become the JSON Schema's descriptions.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::loc::Loc;

/// A Rungs career framework: tracks, bands, dimensions, levels with expectations, growth areas
/// and transitions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Rungs framework")]
pub struct FrameworkDoc {
    pub framework: MetaDoc,
    pub rating_scale: RatingScaleDoc,
    #[serde(default)]
    pub readiness: Option<ReadinessDoc>,
    #[serde(default)]
    pub feedback: Option<FeedbackDoc>,
    #[serde(default)]
    pub tracks: Vec<Loc<TrackDoc>>,
    #[serde(default)]
    pub bands: Vec<Loc<BandDoc>>,
    #[serde(default)]
    pub dimensions: Vec<Loc<DimensionDoc>>,
    #[serde(default)]
    pub levels: Vec<Loc<LevelDoc>>,
    #[serde(default)]
    pub growth_areas: Vec<Loc<GrowthAreaDoc>>,
    #[serde(default)]
    pub transitions: Vec<Loc<TransitionDoc>>,
}

/// Who publishes the framework and which version this file is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetaDoc {
    /// A stable id for the framework, such as `acme-engineering`.
    pub id: Loc<String>,
    /// The framework's display name.
    pub name: Loc<String>,
    /// The version of this file, such as `2026.2`; assessments record it.
    pub version: Loc<String>,
    /// What the framework is for; shown at the top of exported documents.
    #[serde(default)]
    pub description: Option<String>,
}

/// The ordered rating labels, lowest first, and the label that counts as meeting an expectation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingScaleDoc {
    /// Labels from lowest to highest, such as `["not-yet", "developing", "meets", "exceeds"]`.
    pub labels: Loc<Vec<Loc<String>>>,
    /// The label at and above which an expectation counts as met.
    pub meets: Loc<String>,
}

/// How readiness for the next level is decided.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessDoc {
    /// Share (0 to 1) of each dimension's expectations that must be met for `ready`. Default 0.8.
    #[serde(default)]
    pub required_share: Option<Loc<f64>>,
    /// Share (0 to 1) at or above which the verdict is `close`. Default 0.6.
    #[serde(default)]
    pub close_share: Option<Loc<f64>>,
    /// Whether a met rating counts only with evidence attached. Default true.
    #[serde(default)]
    pub evidence_required: Option<bool>,
    /// Consecutive cycles in which an expectation must be met. Default 1.
    #[serde(default)]
    pub consecutive_cycles: Option<Loc<u32>>,
}

/// How the feedback asked of colleagues is shown to the person it is about.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackDoc {
    /// `anonymous` (the default): a person sees their peers' feedback without names, once 3
    /// peers have submitted. `named`: they see who wrote each. Managers and hr always see names.
    #[serde(default)]
    pub peers: Option<Loc<String>>,
}

/// A career track, such as `management` or `ic`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackDoc {
    pub id: Loc<String>,
    pub name: Loc<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// What everyone on the track does, whatever their level.
    #[serde(default)]
    pub core_responsibilities: Vec<String>,
}

/// A rung shared across tracks: levels in the same band are equivalent in pay and status.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDoc {
    pub id: Loc<String>,
    /// Higher rank is more senior.
    pub rank: Loc<u32>,
    #[serde(default)]
    pub name: Option<String>,
    /// Set when only one track has a level in this band on purpose (silences the warning).
    #[serde(default)]
    pub single_track: bool,
}

/// An axis every level is assessed on, such as `leadership`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionDoc {
    pub id: Loc<String>,
    pub name: Loc<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A level of a track.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDoc {
    pub id: Loc<String>,
    /// The id of the track the level belongs to.
    pub track: Loc<String>,
    /// Position within the track: 1, 2, 3… without gaps.
    pub rank: Loc<u32>,
    /// The id of the band shared with equivalent levels of other tracks.
    pub band: Loc<String>,
    pub title: Loc<String>,
    #[serde(default)]
    pub also_known_as: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub scope: Option<Loc<ScopeDoc>>,
    /// Expectations, grouped by dimension.
    #[serde(default)]
    pub expectations: Vec<Loc<ExpectationGroupDoc>>,
}

/// Scope in numbers. Ranges are inclusive: `5..=8`, `50..` (50 or more), `..=3`, `8`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeDoc {
    /// Engineers in the organisation the level leads, everyone below included.
    #[serde(default)]
    pub org_size: Option<Loc<String>>,
    /// Planning horizon in months.
    #[serde(default)]
    pub horizon_months: Option<Loc<String>>,
    /// One of `none`, `team`, `multi-team`, `department`, `engineering`, `company`.
    #[serde(default)]
    pub budget: Option<Loc<String>>,
}

/// The expectations of one level in one dimension.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectationGroupDoc {
    /// The id of the dimension.
    pub dimension: Loc<String>,
    pub items: Vec<Loc<ExpectationDoc>>,
}

/// One expectation: a behaviour a manager can find evidence for.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectationDoc {
    /// A stable id, unique in the framework; assessments reference it, so never reuse one.
    pub id: Loc<String>,
    pub text: Loc<String>,
    /// The id of the expectation one level down that this one grows out of.
    #[serde(default)]
    pub builds_on: Option<Loc<String>>,
}

/// A capability that deepens level by level.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrowthAreaDoc {
    pub id: Loc<String>,
    pub name: Loc<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The track whose every level should have a statement.
    #[serde(default)]
    pub track: Option<Loc<String>>,
    pub statements: Vec<Loc<GrowthStatementDoc>>,
}

/// What a growth area looks like at one or more levels.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrowthStatementDoc {
    /// The level ids this statement describes (several when they share it, as `VP/CTO` does).
    pub levels: Vec<Loc<String>>,
    pub text: Loc<String>,
}

/// What moving between levels means.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionDoc {
    /// The level id, or list of level ids, the move starts from.
    pub from: Loc<OneOrMany>,
    /// The level id the move leads to.
    pub to: Loc<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub narrative: Loc<String>,
}

/// A single string or a list of strings.
#[derive(Debug, Clone, JsonSchema)]
#[schemars(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(item) => vec![item.as_str()],
            OneOrMany::Many(items) => items.iter().map(String::as_str).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a level id or a list of level ids")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(value.to_owned()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
