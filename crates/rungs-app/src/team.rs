//! A manager's team view over their whole reporting line, read from stored standings a chunk
//! at a time: memory is bounded by the chunk, the framework and the page of candidates, never
//! by the size of the line.

use rustc_hash::FxHashMap;

use rungs_core::LevelId;
use rungs_core::assess::{
    AssessmentRecord, CandidateCursor, CandidatePage, LineMember, LineTally, PersonStanding,
    TeamView,
};
use rungs_core::org::PersonId;
use rungs_store::{Records, STANDINGS_CHUNK, Standings};

use crate::current_org::CurrentOrg;
use crate::{App, AppError};

/// How many of the weakest expectations a team view lists.
pub const WEAKEST_LISTED: usize = 10;

/// The page of candidates that `after` (a cursor from a team view's `next_page`) and `limit`
/// (1 to `CandidatePage::MAX_SIZE`) ask for: the first page of the default size when neither
/// is given.
pub fn candidate_page(
    after: Option<&str>,
    limit: Option<usize>,
) -> Result<CandidatePage, AppError> {
    let after = match after.filter(|after| !after.is_empty()) {
        None => None,
        Some(text) if text.chars().count() > CandidateCursor::MAX_LENGTH => {
            return Err(AppError::invalid(
                "after",
                format!("a page's start is at most {} characters", CandidateCursor::MAX_LENGTH),
            ));
        }
        Some(text) => Some(CandidateCursor::parse(text).ok_or_else(|| {
            AppError::invalid(
                "after",
                format!(
                    "`{}` is not a page of this list; follow the list's next-page link",
                    rungs_core::text::excerpt(text)
                ),
            )
        })?),
    };
    let size = match limit {
        None => CandidatePage::DEFAULT_SIZE,
        Some(size) if (1..=CandidatePage::MAX_SIZE).contains(&size) => size,
        Some(size) => {
            return Err(AppError::invalid(
                "limit",
                format!("a page lists 1 to {} people, not {size}", CandidatePage::MAX_SIZE),
            ));
        }
    };
    Ok(CandidatePage { after, size })
}

impl App {
    /// The weakest expectations across a manager's reporting line, and one page of who is
    /// ready or close for their next level.
    pub async fn team(&self, manager: &str, page: CandidatePage) -> Result<TeamView, AppError> {
        let manager = self.person(manager).await?;
        let org = self.current_org().await?;
        let (framework_key, framework) = self.standings_framework().await?;
        let cycles: Vec<_> =
            self.store.cycles().await?.into_iter().map(|cycle| cycle.name).collect();
        let mut line = Line {
            org: &org,
            framework_key,
            framework: &framework,
            cycles: &cycles,
            tally: LineTally::new(&framework, page),
            unassessed: FxHashMap::default(),
        };
        if let Some(position) = org.find(manager.id.as_str()) {
            let mut chunk = Vec::with_capacity(STANDINGS_CHUNK);
            for member in org.chart.line_below(position) {
                chunk.push(member);
                if chunk.len() == STANDINGS_CHUNK {
                    line.add(self, &chunk).await?;
                    chunk.clear();
                }
            }
            line.add(self, &chunk).await?;
        }
        Ok(line.tally.finish(&manager.id, WEAKEST_LISTED))
    }
}

/// A line being added up.
struct Line<'a> {
    org: &'a CurrentOrg,
    framework_key: i64,
    framework: &'a rungs_core::Framework,
    cycles: &'a [rungs_core::assess::CycleName],
    tally: LineTally<'a>,
    /// The standing of someone with no record, by level: the same for everyone at a level.
    unassessed: FxHashMap<LevelId, PersonStanding>,
}

impl Line<'_> {
    /// Adds the members at these chart positions.
    async fn add(&mut self, app: &App, positions: &[usize]) -> Result<(), AppError> {
        if positions.is_empty() {
            return Ok(());
        }
        let chart = &self.org.chart;
        let ids: Vec<PersonId> =
            positions.iter().map(|&position| chart.member(position).id.clone()).collect();
        let chunk = app.store.line_chunk(&ids).await?;
        let standings: FxHashMap<&PersonId, _> =
            chunk.standings.iter().map(|stored| (&stored.person, stored)).collect();
        let mut latest: FxHashMap<&PersonId, Vec<(&str, &str)>> = FxHashMap::default();
        for agreed in &chunk.latest {
            latest
                .entry(&agreed.subject)
                .or_default()
                .push((agreed.expectation.as_str(), agreed.rating.as_str()));
        }
        let mut stale = Vec::new();
        for &position in positions {
            let member = chart.member(position);
            // Someone off the ladder is in the line but adds nothing to its figures.
            let Some(level) = &member.level else { continue };
            let line_member = LineMember { id: &member.id, name: &member.name, level };
            match standings.get(&member.id) {
                Some(stored) => match stored.current(self.framework_key, level) {
                    Some(standing) => {
                        let agreed = latest.get(&member.id).map(Vec::as_slice).unwrap_or_default();
                        self.tally.add(line_member, standing, agreed.iter().copied());
                    }
                    None => stale.push(member.id.clone()),
                },
                None => {
                    let framework = self.framework;
                    let standing = self.unassessed.entry(level.clone()).or_insert_with(|| {
                        PersonStanding::of(framework, level, &AssessmentRecord::default())
                    });
                    self.tally.add(line_member, standing, std::iter::empty());
                }
            }
        }
        if stale.is_empty() {
            return Ok(());
        }
        let computed = app
            .compute_standings(self.org, self.framework_key, self.framework, self.cycles, &stale)
            .await?;
        for computed in &computed {
            let Some(position) = self.org.find(computed.person.as_str()) else { continue };
            let member = chart.member(position);
            let Some(level) = &member.level else { continue };
            self.tally.add(
                LineMember { id: &member.id, name: &member.name, level },
                &computed.standing,
                computed
                    .latest
                    .iter()
                    .map(|(expectation, rating)| (expectation.as_str(), rating.as_str())),
            );
        }
        Ok(())
    }
}
