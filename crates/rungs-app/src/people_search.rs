//! Finding people by a name, an email or an id: the header search, and every field that names
//! a person. Names and ids are matched in the org chart in memory; an email is read from the
//! store. Only people the searcher may name are found.

use rungs_core::access::Principal;
use rungs_core::org::{Email, NameMatch, PersonId, PersonQuery, search_people};

use rungs_store::Storage;

use crate::{App, AppError, CurrentOrg};

/// Whom a search may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchScope {
    /// The people whose pages the searcher may open: everyone for HR and admins, else
    /// themselves and the people below them.
    Visible,
    /// Any active person: a colleague asked for a peer assessment is named by the manager,
    /// who may not open their page.
    Everyone,
}

/// One person found, with what tells them apart from others of the same name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FoundPerson {
    pub id: PersonId,
    pub name: String,
    /// `None` for someone off the ladder.
    pub level: Option<rungs_core::LevelId>,
    pub team: String,
    #[serde(skip)]
    pub how: NameMatch,
}

/// The best matches, and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeopleFound {
    pub people: Vec<FoundPerson>,
    pub total: usize,
}

/// The most people a search lists.
pub const FOUND_LISTED: usize = 20;

impl App {
    /// The people `principal` may find in `scope` whose id is `typed`, whose email is
    /// `typed`, or whose name holds it; the best `limit` of them, best first.
    pub async fn find_people(
        &self,
        principal: &Principal,
        typed: &str,
        scope: SearchScope,
        limit: usize,
    ) -> Result<PeopleFound, AppError> {
        let Some(query) = PersonQuery::new(typed) else {
            return Ok(PeopleFound { people: vec![], total: 0 });
        };
        let org = self.current_org().await?;
        let chart = &org.chart;
        let me = principal.person.as_ref().and_then(|me| org.find(me.as_str()));
        let everyone = scope == SearchScope::Everyone || principal.role.sees_everyone();
        let found = |position: usize, how: NameMatch| {
            let member = chart.member(position);
            FoundPerson {
                id: member.id.clone(),
                name: member.name.to_string(),
                level: member.level.clone(),
                team: member.team.to_string(),
                how,
            }
        };
        if query.as_str().contains('@') {
            let Some(email) = Email::parse(query.as_str()) else {
                return Ok(PeopleFound { people: vec![], total: 0 });
            };
            let people: Vec<FoundPerson> = self
                .store
                .people_with_email(&email)
                .await?
                .iter()
                .filter_map(|person| org.find(person.id.as_str()))
                .filter(|&position| everyone || may_open(&org, me, position))
                .take(limit)
                .map(|position| found(position, NameMatch::Id))
                .collect();
            let total = people.len();
            return Ok(PeopleFound { people, total });
        }
        let (best, total) = match (everyone, me) {
            (true, _) => search_people(chart, 0..chart.len(), &query, limit),
            (false, Some(me)) => {
                search_people(chart, std::iter::once(me).chain(chart.line_below(me)), &query, limit)
            }
            (false, None) => (vec![], 0),
        };
        let people = best.into_iter().map(|(position, how)| found(position, how)).collect();
        Ok(PeopleFound { people, total })
    }

    /// The one person `typed` names for the input `field`: their id, their email, their whole
    /// name, or the only name that holds it. Anything else is refused, naming who matched so
    /// that the user can say which.
    pub async fn resolve_person(
        &self,
        principal: &Principal,
        field: &str,
        typed: &str,
        scope: SearchScope,
    ) -> Result<PersonId, AppError> {
        const LISTED: usize = 5;
        let found = self.find_people(principal, typed, scope, LISTED).await?;
        let best = found.people.first();
        let second = found.people.get(1).map(|second| second.how);
        // An id (or email) names one person; so does a whole name nobody else has.
        let decisive = |best: &FoundPerson| match best.how {
            NameMatch::Id => true,
            NameMatch::Whole => second != Some(NameMatch::Whole),
            NameMatch::WordStart | NameMatch::Within => found.total == 1,
        };
        match best {
            Some(best) if decisive(best) => Ok(best.id.clone()),
            Some(_) => {
                let mut named = Vec::with_capacity(found.people.len());
                for person in &found.people {
                    let email = self.store.person(person.id.as_str()).await?.map(|p| p.email);
                    named.push(match email {
                        Some(email) => format!("{} ({email})", person.name),
                        None => person.name.clone(),
                    });
                }
                Err(AppError::invalid(
                    field,
                    format!(
                        "“{}” matches {} people: {}; type the email of the one you mean",
                        rungs_core::text::excerpt(typed.trim()),
                        found.total,
                        rungs_core::text::first_of(named, found.total as u64)
                    ),
                ))
            }
            None => Err(AppError::invalid(
                field,
                format!(
                    "there is no person “{}” you can name here; type a name, an email or an id",
                    rungs_core::text::excerpt(typed.trim())
                ),
            )),
        }
    }
}

/// Whether the person at `me` may open the page of the one at `position`: their own, or
/// someone below them.
fn may_open(org: &CurrentOrg, me: Option<usize>, position: usize) -> bool {
    me.is_some_and(|me| me == position || org.chart.chain(position).contains(&me))
}
