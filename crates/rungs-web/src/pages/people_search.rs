//! The header search: people by name, email or id. One match opens their page; more are
//! listed, best first; none says what to try.

use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use rungs_app::{FOUND_LISTED, SearchScope};

use super::{Layout, encode, render_html, see_other};
use crate::auth::Acting;
use crate::error::PageError;

#[derive(Debug, serde::Deserialize)]
pub struct FindQuery {
    /// What was typed in the search box.
    pub q: Option<String>,
    /// The box's name before it took names and emails; old links and bookmarks keep working.
    pub id: Option<String>,
}

/// One person in the results, named and told apart by level and team.
pub struct FoundRow {
    pub id: String,
    pub name: String,
    pub level: String,
    pub team: String,
}

#[derive(Template)]
#[template(path = "people.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub typed: String,
    pub people: Vec<FoundRow>,
    pub total: usize,
}

/// The search: to the one person it finds; with several or none, a page of results; with
/// nothing typed, to the org for those who may see it, else to the viewer's own page.
pub async fn find(
    Acting(state): Acting,
    Query(query): Query<FindQuery>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&state);
    let typed = query.q.or(query.id).unwrap_or_default().trim().to_owned();
    if typed.is_empty() {
        return Ok(match (layout.sees_org, layout.me) {
            (true, _) => see_other("/org"),
            (false, Some(me)) => see_other(&format!("/people/{}", encode(&me))),
            (false, None) => see_other("/"),
        });
    }
    let principal = &state.signed_in()?.principal;
    let found =
        state.app.find_people(principal, &typed, SearchScope::Visible, FOUND_LISTED).await?;
    let decisive = found
        .people
        .first()
        .filter(|best| found.total == 1 || best.how == rungs_core::org::NameMatch::Id);
    if let Some(person) = decisive {
        return Ok(see_other(&format!("/people/{}", encode(person.id.as_str()))));
    }
    let framework = state.app.current_framework().await?;
    let people = found
        .people
        .into_iter()
        .map(|person| FoundRow {
            level: rungs_core::org::level_title(&framework, person.level.as_ref()),
            id: person.id.to_string(),
            name: person.name,
            team: person.team,
        })
        .collect();
    let page = ResultsPage { layout, typed, people, total: found.total };
    Ok(render_html(&page, 4096).into_response())
}
