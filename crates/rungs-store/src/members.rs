//! Building org members from rows: ids parsed once, and the few distinct tracks, levels and
//! teams shared rather than allocated per person.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use rungs_core::org::{OrgMember, PersonId};
use rungs_core::{LevelId, TrackId};

use crate::StoreError;

fn invalid(what: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {error}"))
}

/// The columns of a whole-org read of `people`, those [`Interner::member`] takes, in its order.
/// Both backends read these.
pub(crate) const WHOLE_ORG_COLUMNS: &str = "id, name, manager_id, track, level, team";

/// Shares equal tracks, levels and team names across members. Fx hashing: three lookups per
/// person of a million-person org.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    tracks: HashMap<String, TrackId>,
    levels: HashMap<String, LevelId>,
    teams: HashMap<String, Arc<str>>,
}

impl Interner {
    pub(crate) fn member(
        &mut self,
        id: &str,
        name: &str,
        manager_id: Option<&str>,
        track: &str,
        level: &str,
        team: &str,
    ) -> Result<OrgMember, StoreError> {
        Ok(OrgMember {
            id: PersonId::parse(id).map_err(|error| invalid("person id", error))?,
            name: name.into(),
            manager_id: manager_id
                .map(PersonId::parse)
                .transpose()
                .map_err(|error| invalid("manager id", error))?,
            // Empty for someone off the ladder (see `people::OFF_LADDER_STORED`).
            track: (!track.is_empty())
                .then(|| intern(&mut self.tracks, track, TrackId::parse))
                .transpose()
                .map_err(|error| invalid("track", error))?,
            level: (!level.is_empty())
                .then(|| intern(&mut self.levels, level, LevelId::parse))
                .transpose()
                .map_err(|error| invalid("level", error))?,
            team: match self.teams.get(team) {
                Some(shared) => Arc::clone(shared),
                None => {
                    let shared: Arc<str> = Arc::from(team);
                    self.teams.insert(team.to_owned(), Arc::clone(&shared));
                    shared
                }
            },
        })
    }
}

fn intern<T: Clone, E>(
    cache: &mut HashMap<String, T>,
    text: &str,
    parse: fn(&str) -> Result<T, E>,
) -> Result<T, E> {
    if let Some(found) = cache.get(text) {
        return Ok(found.clone());
    }
    let parsed = parse(text)?;
    cache.insert(text.to_owned(), parsed.clone());
    Ok(parsed)
}
