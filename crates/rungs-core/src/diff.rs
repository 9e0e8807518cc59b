//! The semantic difference between two versions of a framework, keyed by stable ids, for review
//! in pull requests.

use std::collections::BTreeMap;

use crate::framework::{Framework, Level};
use crate::scope::Scope;

/// Something added or removed, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NamedItem {
    pub id: String,
    pub name: String,
}

/// One field of one thing, before and after. An empty string stands for "not set".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub subject: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// An expectation that exists only on one side.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpectationChange {
    pub id: String,
    pub level: String,
    pub dimension: String,
    pub text: String,
}

/// An expectation whose wording changed while its id stayed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextChange {
    pub id: String,
    pub old: String,
    pub new: String,
}

/// An expectation that kept its id but moved to another level or dimension.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpectationMove {
    pub id: String,
    pub from_level: String,
    pub from_dimension: String,
    pub to_level: String,
    pub to_dimension: String,
}

/// Changes to one level's own fields (title, band, rank, track, scope).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LevelChange {
    pub id: String,
    pub changes: Vec<FieldChange>,
}

/// Everything that differs between an old and a new framework.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FrameworkDiff {
    pub old_version: String,
    pub new_version: String,
    pub metadata: Vec<FieldChange>,
    pub tracks_added: Vec<NamedItem>,
    pub tracks_removed: Vec<NamedItem>,
    pub bands_added: Vec<NamedItem>,
    pub bands_removed: Vec<NamedItem>,
    pub bands_changed: Vec<FieldChange>,
    pub dimensions_added: Vec<NamedItem>,
    pub dimensions_removed: Vec<NamedItem>,
    pub dimensions_changed: Vec<FieldChange>,
    pub levels_added: Vec<NamedItem>,
    pub levels_removed: Vec<NamedItem>,
    pub levels_changed: Vec<LevelChange>,
    pub expectations_added: Vec<ExpectationChange>,
    pub expectations_removed: Vec<ExpectationChange>,
    pub expectations_reworded: Vec<TextChange>,
    pub expectations_moved: Vec<ExpectationMove>,
    pub growth_areas_added: Vec<NamedItem>,
    pub growth_areas_removed: Vec<NamedItem>,
    pub growth_statements_changed: Vec<FieldChange>,
    pub transitions_added: Vec<NamedItem>,
    pub transitions_removed: Vec<NamedItem>,
    pub transitions_changed: Vec<FieldChange>,
}

impl FrameworkDiff {
    /// True when the two frameworks mean the same thing (the version may still differ).
    pub fn is_empty(&self) -> bool {
        self.metadata.iter().all(|change| change.field == "version")
            && self.tracks_added.is_empty()
            && self.tracks_removed.is_empty()
            && self.bands_added.is_empty()
            && self.bands_removed.is_empty()
            && self.bands_changed.is_empty()
            && self.dimensions_added.is_empty()
            && self.dimensions_removed.is_empty()
            && self.dimensions_changed.is_empty()
            && self.levels_added.is_empty()
            && self.levels_removed.is_empty()
            && self.levels_changed.is_empty()
            && self.expectations_added.is_empty()
            && self.expectations_removed.is_empty()
            && self.expectations_reworded.is_empty()
            && self.expectations_moved.is_empty()
            && self.growth_areas_added.is_empty()
            && self.growth_areas_removed.is_empty()
            && self.growth_statements_changed.is_empty()
            && self.transitions_added.is_empty()
            && self.transitions_removed.is_empty()
            && self.transitions_changed.is_empty()
    }
}

fn field_change(
    changes: &mut Vec<FieldChange>,
    subject: &str,
    field: &str,
    old: String,
    new: String,
) {
    if old != new {
        changes.push(FieldChange {
            subject: subject.to_owned(),
            field: field.to_owned(),
            old,
            new,
        });
    }
}

fn option_text<T: ToString>(value: Option<T>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

/// Items keyed by id on each side: (only old, only new, both).
fn split_by_id<'a, T>(
    old: &'a [T],
    new: &'a [T],
    id: impl Fn(&T) -> String,
) -> (Vec<&'a T>, Vec<&'a T>, Vec<(&'a T, &'a T)>) {
    let new_by_id: BTreeMap<String, &T> = new.iter().map(|item| (id(item), item)).collect();
    let old_by_id: BTreeMap<String, &T> = old.iter().map(|item| (id(item), item)).collect();
    let removed = old.iter().filter(|item| !new_by_id.contains_key(&id(item))).collect();
    let added = new.iter().filter(|item| !old_by_id.contains_key(&id(item))).collect();
    let kept = old
        .iter()
        .filter_map(|item| new_by_id.get(&id(item)).map(|&new_item| (item, new_item)))
        .collect();
    (removed, added, kept)
}

fn scope_changes(changes: &mut Vec<FieldChange>, subject: &str, old: &Scope, new: &Scope) {
    field_change(
        changes,
        subject,
        "scope.org_size",
        option_text(old.org_size),
        option_text(new.org_size),
    );
    field_change(
        changes,
        subject,
        "scope.horizon_months",
        option_text(old.horizon_months),
        option_text(new.horizon_months),
    );
    field_change(
        changes,
        subject,
        "scope.budget",
        option_text(old.budget.map(|budget| budget.as_str())),
        option_text(new.budget.map(|budget| budget.as_str())),
    );
}

fn level_changes(old: &Level, new: &Level) -> Vec<FieldChange> {
    let subject = format!("level {}", old.id);
    let mut changes = Vec::new();
    field_change(&mut changes, &subject, "title", old.title.clone(), new.title.clone());
    field_change(&mut changes, &subject, "track", old.track.to_string(), new.track.to_string());
    field_change(&mut changes, &subject, "rank", old.rank.to_string(), new.rank.to_string());
    field_change(&mut changes, &subject, "band", old.band.to_string(), new.band.to_string());
    field_change(
        &mut changes,
        &subject,
        "also_known_as",
        option_text(old.also_known_as.as_ref()),
        option_text(new.also_known_as.as_ref()),
    );
    field_change(
        &mut changes,
        &subject,
        "summary",
        option_text(old.summary.as_ref()),
        option_text(new.summary.as_ref()),
    );
    scope_changes(&mut changes, &subject, &old.scope, &new.scope);
    changes
}

/// Every expectation of a framework with the level that holds it.
fn expectations(framework: &Framework) -> Vec<(&Level, &crate::framework::Expectation)> {
    framework
        .levels()
        .iter()
        .flat_map(|level| level.expectations.iter().map(move |expectation| (level, expectation)))
        .collect()
}

fn transition_key(transition: &crate::framework::Transition) -> String {
    let from: Vec<&str> = transition.from.iter().map(|level| level.as_str()).collect();
    format!("{} -> {}", from.join("|"), transition.to)
}

impl FrameworkDiff {
    /// The difference from `old` to `new`, matched by id throughout.
    pub fn between(old: &Framework, new: &Framework) -> FrameworkDiff {
        let mut diff = FrameworkDiff {
            old_version: old.meta().version.clone(),
            new_version: new.meta().version.clone(),
            ..FrameworkDiff::default()
        };
        let (old_meta, new_meta) = (old.meta(), new.meta());
        let metadata = &mut diff.metadata;
        field_change(metadata, "framework", "id", old_meta.id.clone(), new_meta.id.clone());
        field_change(metadata, "framework", "name", old_meta.name.clone(), new_meta.name.clone());
        field_change(
            metadata,
            "framework",
            "version",
            old_meta.version.clone(),
            new_meta.version.clone(),
        );
        field_change(
            metadata,
            "framework",
            "description",
            option_text(old_meta.description.as_ref()),
            option_text(new_meta.description.as_ref()),
        );
        field_change(
            metadata,
            "rating_scale",
            "labels",
            old.rating_scale().labels.join(", "),
            new.rating_scale().labels.join(", "),
        );
        field_change(
            metadata,
            "rating_scale",
            "meets",
            old.rating_scale().meets.clone(),
            new.rating_scale().meets.clone(),
        );
        let (old_policy, new_policy) = (old.readiness(), new.readiness());
        field_change(
            metadata,
            "readiness",
            "required_share",
            old_policy.required_share.to_string(),
            new_policy.required_share.to_string(),
        );
        field_change(
            metadata,
            "readiness",
            "close_share",
            old_policy.close_share.to_string(),
            new_policy.close_share.to_string(),
        );
        field_change(
            metadata,
            "readiness",
            "evidence_required",
            old_policy.evidence_required.to_string(),
            new_policy.evidence_required.to_string(),
        );
        field_change(
            metadata,
            "readiness",
            "consecutive_cycles",
            old_policy.consecutive_cycles.to_string(),
            new_policy.consecutive_cycles.to_string(),
        );
        field_change(
            metadata,
            "feedback",
            "peers",
            old.peer_feedback().as_str().to_owned(),
            new.peer_feedback().as_str().to_owned(),
        );

        let named =
            |id: &dyn ToString, name: &str| NamedItem { id: id.to_string(), name: name.to_owned() };
        let (removed, added, _) =
            split_by_id(old.tracks(), new.tracks(), |track| track.id.to_string());
        diff.tracks_removed = removed.iter().map(|track| named(&track.id, &track.name)).collect();
        diff.tracks_added = added.iter().map(|track| named(&track.id, &track.name)).collect();
        let (removed, added, kept) =
            split_by_id(old.dimensions(), new.dimensions(), |dimension| dimension.id.to_string());
        diff.dimensions_removed = removed.iter().map(|item| named(&item.id, &item.name)).collect();
        diff.dimensions_added = added.iter().map(|item| named(&item.id, &item.name)).collect();
        for (old_dimension, new_dimension) in kept {
            let subject = format!("dimension {}", old_dimension.id);
            let changes = &mut diff.dimensions_changed;
            field_change(
                changes,
                &subject,
                "name",
                old_dimension.name.clone(),
                new_dimension.name.clone(),
            );
            field_change(
                changes,
                &subject,
                "description",
                option_text(old_dimension.description.as_ref()),
                option_text(new_dimension.description.as_ref()),
            );
        }
        let band_name = |band: &&crate::framework::Band| {
            named(&band.id, band.name.as_deref().unwrap_or_default())
        };
        let (removed, added, kept) =
            split_by_id(old.bands(), new.bands(), |band| band.id.to_string());
        diff.bands_removed = removed.iter().map(band_name).collect();
        diff.bands_added = added.iter().map(band_name).collect();
        for (old_band, new_band) in kept {
            let subject = format!("band {}", old_band.id);
            let changes = &mut diff.bands_changed;
            field_change(
                changes,
                &subject,
                "rank",
                old_band.rank.to_string(),
                new_band.rank.to_string(),
            );
            field_change(
                changes,
                &subject,
                "name",
                option_text(old_band.name.as_ref()),
                option_text(new_band.name.as_ref()),
            );
            field_change(
                changes,
                &subject,
                "single_track",
                old_band.single_track.to_string(),
                new_band.single_track.to_string(),
            );
        }

        let (removed, added, kept) =
            split_by_id(old.levels(), new.levels(), |level| level.id.to_string());
        diff.levels_removed = removed.iter().map(|level| named(&level.id, &level.title)).collect();
        diff.levels_added = added.iter().map(|level| named(&level.id, &level.title)).collect();
        diff.levels_changed = kept
            .into_iter()
            .map(|(old_level, new_level)| LevelChange {
                id: old_level.id.to_string(),
                changes: level_changes(old_level, new_level),
            })
            .filter(|change| !change.changes.is_empty())
            .collect();

        let (old_expectations, new_expectations) = (expectations(old), expectations(new));
        let (removed, added, kept) =
            split_by_id(&old_expectations, &new_expectations, |(_, expectation)| {
                expectation.id.to_string()
            });
        let one_sided =
            |(level, expectation): &(&Level, &crate::framework::Expectation)| ExpectationChange {
                id: expectation.id.to_string(),
                level: level.id.to_string(),
                dimension: expectation.dimension.to_string(),
                text: expectation.text.clone(),
            };
        diff.expectations_removed = removed.into_iter().map(one_sided).collect();
        diff.expectations_added = added.into_iter().map(one_sided).collect();
        for ((old_level, old_expectation), (new_level, new_expectation)) in kept {
            if old_expectation.text != new_expectation.text {
                diff.expectations_reworded.push(TextChange {
                    id: old_expectation.id.to_string(),
                    old: old_expectation.text.clone(),
                    new: new_expectation.text.clone(),
                });
            }
            if old_level.id != new_level.id
                || old_expectation.dimension != new_expectation.dimension
            {
                diff.expectations_moved.push(ExpectationMove {
                    id: old_expectation.id.to_string(),
                    from_level: old_level.id.to_string(),
                    from_dimension: old_expectation.dimension.to_string(),
                    to_level: new_level.id.to_string(),
                    to_dimension: new_expectation.dimension.to_string(),
                });
            }
        }

        let (removed, added, kept) =
            split_by_id(old.growth_areas(), new.growth_areas(), |area| area.id.to_string());
        diff.growth_areas_removed =
            removed.iter().map(|area| named(&area.id, &area.name)).collect();
        diff.growth_areas_added = added.iter().map(|area| named(&area.id, &area.name)).collect();
        for (old_area, new_area) in kept {
            let subject = format!("growth area {}", old_area.id);
            let levels: std::collections::BTreeSet<_> = old_area
                .statements
                .iter()
                .chain(&new_area.statements)
                .flat_map(|statement| statement.levels.iter())
                .collect();
            for level in levels {
                let text = |area: &crate::framework::GrowthArea| {
                    area.statement_for(level)
                        .map(|statement| statement.text.clone())
                        .unwrap_or_default()
                };
                field_change(
                    &mut diff.growth_statements_changed,
                    &subject,
                    level.as_str(),
                    text(old_area),
                    text(new_area),
                );
            }
        }

        let (removed, added, kept) =
            split_by_id(old.transitions(), new.transitions(), transition_key);
        let transition_item = |transition: &&crate::framework::Transition| NamedItem {
            id: transition_key(transition),
            name: transition.title.clone().unwrap_or_default(),
        };
        diff.transitions_removed = removed.iter().map(transition_item).collect();
        diff.transitions_added = added.iter().map(transition_item).collect();
        for (old_transition, new_transition) in kept {
            let subject = format!("transition {}", transition_key(old_transition));
            field_change(
                &mut diff.transitions_changed,
                &subject,
                "title",
                option_text(old_transition.title.as_ref()),
                option_text(new_transition.title.as_ref()),
            );
            field_change(
                &mut diff.transitions_changed,
                &subject,
                "narrative",
                old_transition.narrative.clone(),
                new_transition.narrative.clone(),
            );
        }
        diff
    }
}
