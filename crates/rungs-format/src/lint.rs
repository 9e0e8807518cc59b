//! The linter: every problem in a framework file at once, each with its location, and the
//! validated framework when there are no errors.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rungs_core::{
    Band, BandId, Budget, Dimension, DimensionId, Expectation, ExpectationId, Framework,
    FrameworkParts, GrowthArea, GrowthAreaId, GrowthStatement, IdError, Level, LevelId, Meta,
    RatingScale, ReadinessPolicy, Scope, ScopeRange, Track, TrackId, Transition,
};

use crate::diagnostic::Diagnostic;
use crate::doc::{FrameworkDoc, LevelDoc, ScopeDoc};
use crate::loc::Loc;
use crate::source::SourceFile;
use rungs_core::assess::PeerFeedbackPolicy;
use rungs_core::suggest::did_you_mean;

/// The outcome of linting: all diagnostics in file order, and the framework when none of them
/// is an error.
#[derive(Debug, Clone)]
pub struct Linted {
    pub framework: Option<Framework>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Default share of a dimension's expectations that must be met for `ready`.
pub const DEFAULT_REQUIRED_SHARE: f64 = 0.8;
/// Default share for `close`.
pub const DEFAULT_CLOSE_SHARE: f64 = 0.6;

/// Lints a framework file.
pub fn lint(source: &SourceFile) -> Linted {
    let doc = match toml::from_str::<FrameworkDoc>(source.text()) {
        Ok(doc) => doc,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim_end().to_owned();
            return Linted { framework: None, diagnostics: vec![Diagnostic::error(span, message)] };
        }
    };
    let mut checker = Checker { source, diagnostics: Vec::new() };
    let parts = checker.check(&doc);
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.severity));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Linted { framework: None, diagnostics };
    }
    match Framework::assemble(parts) {
        Ok(framework) => Linted { framework: Some(framework), diagnostics },
        Err(error) => {
            diagnostics.push(Diagnostic::error(0..0, error.to_string()));
            Linted { framework: None, diagnostics }
        }
    }
}

/// Collects diagnostics while turning the document into framework parts.
struct Checker<'s> {
    source: &'s SourceFile,
    diagnostics: Vec<Diagnostic>,
}

fn id_message(kind: &str, error: &IdError) -> String {
    format!("invalid {kind} id: {error}")
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(span, message));
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(span, message));
    }

    /// Parses an id, reporting a bad one; a bad id is kept as written so later checks still run.
    fn id<T>(
        &mut self,
        kind: &str,
        located: &Loc<String>,
        parse: fn(&str) -> Result<T, IdError>,
    ) -> Option<T> {
        match parse(located.value()) {
            Ok(id) => Some(id),
            Err(error) => {
                self.error(located.span(), id_message(kind, &error));
                None
            }
        }
    }

    fn not_blank(&mut self, what: &str, located: &Loc<String>) {
        if located.value().trim().is_empty() {
            self.error(located.span(), format!("{what} cannot be empty"));
        }
    }

    /// Reports ids seen twice; returns the set of ids.
    fn unique_ids<'a>(
        &mut self,
        kind: &str,
        ids: impl IntoIterator<Item = &'a Loc<String>>,
    ) -> HashSet<&'a str> {
        let mut first_seen: HashMap<&str, Range<usize>> = HashMap::new();
        for id in ids {
            if let Some(first) = first_seen.get(id.value().as_str()) {
                let (line, column) = self.source.line_column(first.start);
                let message = format!(
                    "duplicate {kind} id `{}` (first defined at line {line}, column {column})",
                    id.value()
                );
                self.error(id.span(), message);
            } else {
                first_seen.insert(id.value(), id.span());
            }
        }
        first_seen.into_keys().collect()
    }

    /// Reports a reference to an unknown id, suggesting the closest known one.
    fn reference(&mut self, kind: &str, located: &Loc<String>, known: &HashSet<&str>) -> bool {
        let wanted = located.value().as_str();
        if known.contains(wanted) {
            return true;
        }
        let mut candidates: Vec<&str> = known.iter().copied().collect();
        candidates.sort_unstable();
        let hint = did_you_mean(wanted, candidates);
        self.error(located.span(), format!("unknown {kind} `{wanted}`{hint}"));
        false
    }

    fn check(&mut self, doc: &FrameworkDoc) -> FrameworkParts {
        let meta = &doc.framework;
        if let Err(error) = TrackId::parse(meta.id.value()) {
            self.error(meta.id.span(), id_message("framework", &error));
        }
        self.not_blank("the framework name", &meta.name);
        self.not_blank("the framework version", &meta.version);
        let rating_scale = self.rating_scale(doc);
        let readiness = self.readiness(doc);
        let peer_feedback = self.peer_feedback(doc);

        let track_ids = self.unique_ids("track", doc.tracks.iter().map(|track| &track.value().id));
        let band_ids = self.unique_ids("band", doc.bands.iter().map(|band| &band.value().id));
        let dimension_ids = self
            .unique_ids("dimension", doc.dimensions.iter().map(|dimension| &dimension.value().id));
        let level_ids = self.unique_ids("level", doc.levels.iter().map(|level| &level.value().id));
        let expectation_ids = self.unique_ids(
            "expectation",
            doc.levels
                .iter()
                .flat_map(|level| &level.value().expectations)
                .flat_map(|group| &group.value().items)
                .map(|item| &item.value().id),
        );
        self.unique_ids("growth area", doc.growth_areas.iter().map(|area| &area.value().id));
        if doc.tracks.is_empty() {
            self.error(0..0, "the framework has no tracks: add at least one `[[tracks]]`");
        }
        if doc.dimensions.is_empty() {
            self.error(0..0, "the framework has no dimensions: add at least one `[[dimensions]]`");
        }

        let tracks = doc
            .tracks
            .iter()
            .filter_map(|track| {
                let track = track.value();
                self.not_blank("a track name", &track.name);
                Some(Track {
                    id: self.id("track", &track.id, TrackId::parse)?,
                    name: track.name.value().clone(),
                    description: track.description.clone(),
                    core_responsibilities: track.core_responsibilities.clone(),
                })
            })
            .collect();
        let bands = self.bands(doc);
        let dimensions = doc
            .dimensions
            .iter()
            .filter_map(|dimension| {
                let dimension = dimension.value();
                self.not_blank("a dimension name", &dimension.name);
                Some(Dimension {
                    id: self.id("dimension", &dimension.id, DimensionId::parse)?,
                    name: dimension.name.value().clone(),
                    description: dimension.description.clone(),
                })
            })
            .collect();

        let known = Known {
            tracks: &track_ids,
            bands: &band_ids,
            dimensions: &dimension_ids,
            expectations: &expectation_ids,
        };
        let levels: Vec<Level> =
            doc.levels.iter().filter_map(|level| self.level(level, &known)).collect();
        self.track_ranks(doc);
        self.scope_progression(doc);
        self.band_usage(doc);
        self.builds_on(doc);
        let growth_areas = self.growth_areas(doc, &track_ids, &level_ids);
        let transitions = self.transitions(doc, &level_ids);

        FrameworkParts {
            meta: Meta {
                id: meta.id.value().clone(),
                name: meta.name.value().clone(),
                version: meta.version.value().clone(),
                description: meta.description.clone(),
            },
            rating_scale,
            readiness,
            peer_feedback,
            tracks,
            bands,
            dimensions,
            levels,
            growth_areas,
            transitions,
        }
    }

    fn rating_scale(&mut self, doc: &FrameworkDoc) -> RatingScale {
        let scale = &doc.rating_scale;
        let labels: Vec<String> =
            scale.labels.value().iter().map(|label| label.value().clone()).collect();
        if labels.len() < 2 {
            self.error(scale.labels.span(), "the rating scale needs at least two labels");
        }
        let mut seen = HashSet::new();
        for label in scale.labels.value() {
            self.not_blank("a rating label", label);
            if !seen.insert(label.value().as_str()) {
                self.error(label.span(), format!("duplicate rating label `{}`", label.value()));
            }
            if label.value() == RatingScale::NOT_OBSERVED {
                self.error(
                    label.span(),
                    format!(
                        "`{}` is kept for expectations the assessor could not observe; name the label otherwise",
                        RatingScale::NOT_OBSERVED
                    ),
                );
            }
        }
        if !seen.contains(scale.meets.value().as_str()) {
            let hint = did_you_mean(scale.meets.value(), labels.iter().map(String::as_str));
            self.error(
                scale.meets.span(),
                format!(
                    "`meets` names `{}`, which is not one of the rating labels{hint}",
                    scale.meets.value()
                ),
            );
        }
        RatingScale { labels, meets: scale.meets.value().clone() }
    }

    fn peer_feedback(&mut self, doc: &FrameworkDoc) -> PeerFeedbackPolicy {
        let Some(peers) = doc.feedback.as_ref().and_then(|feedback| feedback.peers.as_ref()) else {
            return PeerFeedbackPolicy::default();
        };
        PeerFeedbackPolicy::parse(peers.value()).unwrap_or_else(|| {
            self.error(
                peers.span(),
                format!(
                    "`peers` is `anonymous` or `named`; found `{}`",
                    rungs_core::text::excerpt(peers.value())
                ),
            );
            PeerFeedbackPolicy::default()
        })
    }

    fn readiness(&mut self, doc: &FrameworkDoc) -> ReadinessPolicy {
        let policy = doc.readiness.as_ref();
        let share = |checker: &mut Checker<'_>,
                     field: &str,
                     located: Option<&Loc<f64>>,
                     default: f64| match located {
            Some(located) if !(0.0..=1.0).contains(located.value()) => {
                checker.error(
                    located.span(),
                    format!(
                        "`{field}` must be between 0 and 1 (a share of expectations); found {}",
                        located.value()
                    ),
                );
                default
            }
            Some(located) => *located.value(),
            None => default,
        };
        let required_located = policy.and_then(|policy| policy.required_share.as_ref());
        let required_share =
            share(self, "required_share", required_located, DEFAULT_REQUIRED_SHARE);
        let close_located = policy.and_then(|policy| policy.close_share.as_ref());
        // Unwritten, `close_share` follows a lowered `required_share` down.
        let close_share =
            share(self, "close_share", close_located, DEFAULT_CLOSE_SHARE.min(required_share));
        let valid = |located: Option<&Loc<f64>>| {
            located.is_none_or(|located| (0.0..=1.0).contains(located.value()))
        };
        if close_share > required_share
            && let Some(close) = close_located
            && valid(required_located)
            && valid(close_located)
        {
            self.error(
                close.span(),
                format!("`close_share` ({close_share}) cannot be above `required_share` ({required_share})"),
            );
        }
        let consecutive_cycles = match policy.and_then(|policy| policy.consecutive_cycles.as_ref())
        {
            Some(located) if *located.value() == 0 => {
                self.error(located.span(), "`consecutive_cycles` must be at least 1");
                1
            }
            Some(located) => *located.value(),
            None => 1,
        };
        ReadinessPolicy {
            required_share,
            close_share,
            evidence_required: policy.and_then(|policy| policy.evidence_required).unwrap_or(true),
            consecutive_cycles,
        }
    }

    fn bands(&mut self, doc: &FrameworkDoc) -> Vec<Band> {
        let mut ranks: HashMap<u32, String> = HashMap::new();
        doc.bands
            .iter()
            .filter_map(|band| {
                let band = band.value();
                let rank = *band.rank.value();
                if let Some(other) = ranks.get(&rank) {
                    let message = format!(
                        "band `{}` has rank {rank}, already used by band `{other}`",
                        band.id.value()
                    );
                    self.error(band.rank.span(), message);
                } else {
                    ranks.insert(rank, band.id.value().clone());
                }
                Some(Band {
                    id: self.id("band", &band.id, BandId::parse)?,
                    rank,
                    name: band.name.clone(),
                    single_track: band.single_track,
                })
            })
            .collect()
    }

    fn level(&mut self, located: &Loc<LevelDoc>, known: &Known<'_>) -> Option<Level> {
        let level = located.value();
        let id = self.id("level", &level.id, LevelId::parse);
        self.not_blank("a level title", &level.title);
        let track_ok = self.reference("track", &level.track, known.tracks);
        let band_ok = self.reference("band", &level.band, known.bands);
        if *level.rank.value() == 0 {
            self.error(level.rank.span(), "a level's rank starts at 1");
        }
        let scope = level.scope.as_ref().map(|scope| self.scope(scope.value())).unwrap_or_default();
        let mut expectations = Vec::new();
        let mut covered: HashSet<&str> = HashSet::new();
        for group in &level.expectations {
            let group = group.value();
            if self.reference("dimension", &group.dimension, known.dimensions) {
                covered.insert(group.dimension.value());
            }
            let dimension = DimensionId::parse(group.dimension.value()).ok();
            for item in &group.items {
                let item = item.value();
                self.not_blank("an expectation's text", &item.text);
                let expectation_id = self.id("expectation", &item.id, ExpectationId::parse);
                let builds_on = item.builds_on.as_ref().and_then(|builds_on| {
                    if known.expectations.contains(builds_on.value().as_str()) {
                        ExpectationId::parse(builds_on.value()).ok()
                    } else {
                        self.reference("expectation", builds_on, known.expectations);
                        None
                    }
                });
                if let (Some(expectation_id), Some(dimension)) = (expectation_id, dimension.clone())
                {
                    expectations.push(Expectation {
                        id: expectation_id,
                        dimension,
                        text: item.text.value().clone(),
                        builds_on,
                    });
                }
            }
        }
        let mut missing: Vec<&str> = known
            .dimensions
            .iter()
            .copied()
            .filter(|dimension| !covered.contains(dimension))
            .collect();
        missing.sort_unstable();
        for dimension in missing {
            self.error(
                level.id.span(),
                format!(
                    "level `{}` has no expectations in dimension `{dimension}`",
                    level.id.value()
                ),
            );
        }
        if !(track_ok && band_ok) {
            return None;
        }
        Some(Level {
            id: id?,
            track: TrackId::parse(level.track.value()).ok()?,
            rank: *level.rank.value(),
            band: BandId::parse(level.band.value()).ok()?,
            title: level.title.value().clone(),
            also_known_as: level.also_known_as.clone(),
            summary: level.summary.clone(),
            scope,
            expectations,
        })
    }

    fn range(&mut self, located: Option<&Loc<String>>) -> Option<ScopeRange> {
        let located = located?;
        match located.value().parse::<ScopeRange>() {
            Ok(range) => Some(range),
            Err(error) => {
                self.error(located.span(), error.to_string());
                None
            }
        }
    }

    fn scope(&mut self, scope: &ScopeDoc) -> Scope {
        let budget = scope.budget.as_ref().and_then(|located| {
            let budget = Budget::parse(located.value());
            if budget.is_none() {
                let names = Budget::ALL.map(Budget::as_str);
                let hint = did_you_mean(located.value(), names);
                self.error(
                    located.span(),
                    format!(
                        "unknown budget `{}`{hint}; expected one of: {}",
                        located.value(),
                        names.join(", ")
                    ),
                );
            }
            budget
        });
        Scope {
            org_size: self.range(scope.org_size.as_ref()),
            horizon_months: self.range(scope.horizon_months.as_ref()),
            budget,
        }
    }

    /// Levels of each track sorted by rank, as written.
    fn tracks_by_rank(doc: &FrameworkDoc) -> HashMap<&str, Vec<&LevelDoc>> {
        let mut by_track: HashMap<&str, Vec<&LevelDoc>> = HashMap::new();
        for level in &doc.levels {
            let level = level.value();
            by_track.entry(level.track.value()).or_default().push(level);
        }
        for levels in by_track.values_mut() {
            levels.sort_by_key(|level| *level.rank.value());
        }
        by_track
    }

    fn track_ranks(&mut self, doc: &FrameworkDoc) {
        let mut by_track: Vec<(&str, Vec<&LevelDoc>)> =
            Self::tracks_by_rank(doc).into_iter().collect();
        by_track.sort_by_key(|(track, _)| *track);
        for (track, levels) in by_track {
            let mut expected_rank = 1;
            for (position, level) in levels.iter().enumerate() {
                let rank = *level.rank.value();
                if position > 0 && levels[position - 1].rank.value() == level.rank.value() {
                    self.error(
                        level.rank.span(),
                        format!(
                            "levels `{}` and `{}` both have rank {rank} in track `{track}`",
                            levels[position - 1].id.value(),
                            level.id.value()
                        ),
                    );
                    continue;
                }
                if rank > expected_rank {
                    let missing = if rank - expected_rank == 1 {
                        format!("rank {expected_rank}")
                    } else {
                        format!("ranks {expected_rank} to {}", rank - 1)
                    };
                    self.error(
                        level.rank.span(),
                        format!(
                            "rank gap in track `{track}`: level `{}` has rank {rank} but no level has {missing}",
                            level.id.value()
                        ),
                    );
                }
                expected_rank = rank + 1;
            }
        }
    }

    fn scope_progression(&mut self, doc: &FrameworkDoc) {
        let band_ranks: HashMap<&str, u32> = doc
            .bands
            .iter()
            .map(|band| (band.value().id.value().as_str(), *band.value().rank.value()))
            .collect();
        let by_track = Self::tracks_by_rank(doc);
        let mut pairs: Vec<(&LevelDoc, &LevelDoc)> = by_track
            .values()
            .flat_map(|levels| levels.windows(2).map(|pair| (pair[0], pair[1])))
            .collect();
        pairs.sort_by_key(|(_, higher)| higher.id.span().start);
        for (lower, higher) in pairs {
            if lower.rank.value() == higher.rank.value() {
                continue;
            }
            let field = |level: &LevelDoc, pick: fn(&ScopeDoc) -> Option<&Loc<String>>| {
                level.scope.as_ref().and_then(|scope| pick(scope.value())).cloned()
            };
            let pickers: [(&str, RangePicker); 2] = [
                ("org_size", |scope| scope.org_size.as_ref()),
                ("horizon_months", |scope| scope.horizon_months.as_ref()),
            ];
            for (name, pick) in pickers {
                let (Some(low), Some(high)) = (field(lower, pick), field(higher, pick)) else {
                    continue;
                };
                let (Ok(low_range), Ok(high_range)) =
                    (low.value().parse::<ScopeRange>(), high.value().parse::<ScopeRange>())
                else {
                    continue;
                };
                if low_range.overlaps_next(&high_range) {
                    self.error(
                        high.span(),
                        format!(
                            "`{name}` {high_range} of level `{}` overlaps {low_range} of `{}`, the level below: ranges of consecutive levels may share an endpoint but must not overlap or go down",
                            higher.id.value(),
                            lower.id.value()
                        ),
                    );
                }
            }
            if let (Some(low_band), Some(high_band)) = (
                band_ranks.get(lower.band.value().as_str()),
                band_ranks.get(higher.band.value().as_str()),
            ) && high_band < low_band
            {
                self.error(
                    higher.band.span(),
                    format!(
                        "level `{}` (rank {}) is in band `{}`, below band `{}` of `{}` (rank {})",
                        higher.id.value(),
                        higher.rank.value(),
                        higher.band.value(),
                        lower.band.value(),
                        lower.id.value(),
                        lower.rank.value()
                    ),
                );
            }
        }
    }

    fn band_usage(&mut self, doc: &FrameworkDoc) {
        for band in &doc.bands {
            let band = band.value();
            let mut tracks: Vec<&str> = doc
                .levels
                .iter()
                .filter(|level| level.value().band.value() == band.id.value())
                .map(|level| level.value().track.value().as_str())
                .collect();
            tracks.sort_unstable();
            tracks.dedup();
            match tracks.as_slice() {
                [] => self.warning(band.id.span(), format!("band `{}` is not used by any level", band.id.value())),
                [only] if !band.single_track && doc.tracks.len() > 1 => self.warning(
                    band.id.span(),
                    format!(
                        "band `{}` is used by track `{only}` only: give it a level on another track, or set `single_track = true` if that is intended",
                        band.id.value()
                    ),
                ),
                [_, _, ..] if band.single_track => self.warning(
                    band.id.span(),
                    format!("band `{}` says `single_track = true` but is used by tracks {}", band.id.value(), tracks.join(", ")),
                ),
                _ => {}
            }
        }
    }

    fn builds_on(&mut self, doc: &FrameworkDoc) {
        let mut owner: HashMap<&str, (&LevelDoc, &str, Option<&Loc<String>>)> = HashMap::new();
        for level in &doc.levels {
            for group in &level.value().expectations {
                for item in &group.value().items {
                    let item = item.value();
                    owner.insert(
                        item.id.value(),
                        (level.value(), group.value().dimension.value(), item.builds_on.as_ref()),
                    );
                }
            }
        }
        let mut items: Vec<(&str, &Loc<String>)> = owner
            .iter()
            .filter_map(|(id, (_, _, builds_on))| builds_on.map(|builds_on| (*id, builds_on)))
            .collect();
        items.sort_by_key(|(_, builds_on)| builds_on.span().start);
        for (id, builds_on) in items {
            let Some(&(level, dimension, _)) = owner.get(id) else { continue };
            let Some(&(base_level, base_dimension, _)) = owner.get(builds_on.value().as_str())
            else {
                continue;
            };
            if base_dimension != dimension {
                self.warning(
                    builds_on.span(),
                    format!(
                        "expectation `{id}` in dimension `{dimension}` builds on `{}` in dimension `{base_dimension}`",
                        builds_on.value()
                    ),
                );
            }
            if base_level.track.value() == level.track.value()
                && base_level.rank.value() >= level.rank.value()
            {
                self.warning(
                    builds_on.span(),
                    format!(
                        "expectation `{id}` of level `{}` builds on `{}` of level `{}`, which is not below it",
                        level.id.value(),
                        builds_on.value(),
                        base_level.id.value()
                    ),
                );
            }
            let mut seen = HashSet::new();
            let mut current = builds_on.value().as_str();
            loop {
                if current == id {
                    self.error(
                        builds_on.span(),
                        format!("`builds_on` of expectation `{id}` leads round in a cycle"),
                    );
                    break;
                }
                if !seen.insert(current) {
                    break;
                }
                match owner.get(current) {
                    Some(&(_, _, Some(next))) => current = next.value(),
                    _ => break,
                }
            }
        }
    }

    fn growth_areas(
        &mut self,
        doc: &FrameworkDoc,
        track_ids: &HashSet<&str>,
        level_ids: &HashSet<&str>,
    ) -> Vec<GrowthArea> {
        let mut level_tracks: HashMap<&str, &str> = HashMap::new();
        for level in &doc.levels {
            // The first definition wins; later duplicates are reported as such.
            level_tracks.entry(level.value().id.value()).or_insert(level.value().track.value());
        }
        doc.growth_areas
            .iter()
            .filter_map(|area| {
                let area = area.value();
                self.not_blank("a growth area name", &area.name);
                let track =
                    area.track.as_ref().filter(|track| self.reference("track", track, track_ids));
                let mut described: HashSet<&str> = HashSet::new();
                let mut statements = Vec::new();
                for statement in &area.statements {
                    let statement = statement.value();
                    self.not_blank("a growth statement", &statement.text);
                    if statement.levels.is_empty() {
                        self.error(
                            statement.text.span(),
                            "a growth statement needs at least one level in `levels`",
                        );
                    }
                    let mut levels = Vec::new();
                    for level in &statement.levels {
                        if !self.reference("level", level, level_ids) {
                            continue;
                        }
                        if !described.insert(level.value()) {
                            self.error(
                                level.span(),
                                format!(
                                    "growth area `{}` has two statements for level `{}`",
                                    area.id.value(),
                                    level.value()
                                ),
                            );
                        }
                        if let Some(track) = track
                            && level_tracks.get(level.value().as_str())
                                != Some(&track.value().as_str())
                        {
                            self.warning(
                                level.span(),
                                format!(
                                    "level `{}` is not on track `{}` of growth area `{}`",
                                    level.value(),
                                    track.value(),
                                    area.id.value()
                                ),
                            );
                        }
                        levels.extend(LevelId::parse(level.value()).ok());
                    }
                    statements
                        .push(GrowthStatement { levels, text: statement.text.value().clone() });
                }
                if let Some(track) = track {
                    let mut missing: Vec<&LevelDoc> = doc
                        .levels
                        .iter()
                        .map(Loc::value)
                        .filter(|level| {
                            level.track.value() == track.value()
                                && !described.contains(level.id.value().as_str())
                        })
                        .collect();
                    missing.sort_by_key(|level| *level.rank.value());
                    for level in missing {
                        self.warning(
                            area.id.span(),
                            format!(
                                "growth area `{}` has no statement for level `{}`",
                                area.id.value(),
                                level.id.value()
                            ),
                        );
                    }
                }
                Some(GrowthArea {
                    id: self.id("growth area", &area.id, GrowthAreaId::parse)?,
                    name: area.name.value().clone(),
                    description: area.description.clone(),
                    track: track.and_then(|track| TrackId::parse(track.value()).ok()),
                    statements,
                })
            })
            .collect()
    }

    fn transitions(&mut self, doc: &FrameworkDoc, level_ids: &HashSet<&str>) -> Vec<Transition> {
        let mut seen: HashMap<(String, String), ()> = HashMap::new();
        doc.transitions
            .iter()
            .filter_map(|transition| {
                let transition = transition.value();
                self.not_blank("a transition narrative", &transition.narrative);
                let to_ok = self.reference("level", &transition.to, level_ids);
                let mut from = Vec::new();
                let from_items = transition.from.value().items();
                if from_items.is_empty() {
                    self.error(
                        transition.from.span(),
                        "a transition needs at least one level in `from`",
                    );
                }
                for item in from_items {
                    if !level_ids.contains(item) {
                        let mut candidates: Vec<&str> = level_ids.iter().copied().collect();
                        candidates.sort_unstable();
                        let hint = did_you_mean(item, candidates);
                        self.error(
                            transition.from.span(),
                            format!("transition from unknown level `{item}`{hint}"),
                        );
                        continue;
                    }
                    if item == transition.to.value() {
                        self.error(
                            transition.from.span(),
                            format!("a transition cannot lead from level `{item}` to itself"),
                        );
                        continue;
                    }
                    if seen.insert((item.to_owned(), transition.to.value().clone()), ()).is_some() {
                        self.error(
                            transition.from.span(),
                            format!(
                                "duplicate transition from `{item}` to `{}`",
                                transition.to.value()
                            ),
                        );
                    }
                    from.extend(LevelId::parse(item).ok());
                }
                if !to_ok {
                    return None;
                }
                Some(Transition {
                    from,
                    to: LevelId::parse(transition.to.value()).ok()?,
                    title: transition.title.clone(),
                    narrative: transition.narrative.value().clone(),
                })
            })
            .collect()
    }
}

/// Picks one range field out of a scope.
type RangePicker = fn(&ScopeDoc) -> Option<&Loc<String>>;

/// The ids defined in the document, for reference checks.
struct Known<'a> {
    tracks: &'a HashSet<&'a str>,
    bands: &'a HashSet<&'a str>,
    dimensions: &'a HashSet<&'a str>,
    expectations: &'a HashSet<&'a str>,
}
