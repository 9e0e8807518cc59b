//! The team view over a reporting line of thousands, read from stored standings a chunk at a
//! time, gives the answer computed from every member's whole record, on both backends: at
//! first (every standing out of date), once stored, on every page of candidates, for a
//! manager in the middle, through the API, and after a write changes one member's record.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use rungs_app::{App, WEAKEST_LISTED};
use std::collections::HashMap;

use rungs_core::assess::{AssessmentRecord, CandidateCursor, CandidatePage, TeamMember, TeamView};
use rungs_core::org::{Person, PersonId};
use support::{Backend, spawn_with, store_on};

/// Everyone in the demo org is assessed in two cycles.
const PEOPLE: usize = 2_500;

/// Every active person's whole record, read one person at a time: the slow way, which the
/// stored standings must agree with.
struct Records {
    people: Vec<Person>,
    records: Vec<AssessmentRecord>,
}

impl Records {
    async fn read(app: &App) -> Records {
        let org = app.current_org().await.unwrap();
        let mut people = Vec::new();
        let mut records = Vec::new();
        for member in org.chart.members() {
            people.push(app.person(member.id.as_str()).await.unwrap());
            records.push(app.record(&member.id).await.unwrap());
        }
        Records { people, records }
    }

    /// Reads one person's record again, after a write changed it.
    async fn reread(&mut self, app: &App, person: &PersonId) {
        let index = self.people.iter().position(|known| &known.id == person).unwrap();
        self.records[index] = app.record(person).await.unwrap();
    }

    /// The team view of `manager` computed from these records.
    async fn team_view(&self, app: &App, manager: &str, page: CandidatePage) -> TeamView {
        let org = app.current_org().await.unwrap();
        let framework = app.current_framework().await.unwrap();
        let position = org.find(manager).unwrap();
        let index: HashMap<&PersonId, usize> =
            self.people.iter().enumerate().map(|(index, person)| (&person.id, index)).collect();
        let members: Vec<TeamMember<'_>> = org
            .chart
            .line_below(position)
            .map(|member| {
                let index = index[&org.chart.member(member).id];
                TeamMember { person: &self.people[index], record: &self.records[index] }
            })
            .collect();
        let manager = org.chart.member(position).id.clone();
        TeamView::build(&framework, &manager, &members, WEAKEST_LISTED, page)
    }
}

fn page_after(view: &TeamView, size: usize) -> CandidatePage {
    let after = view.next_page.as_deref().map(|cursor| CandidateCursor::parse(cursor).unwrap());
    CandidatePage { after, size }
}

async fn the_team_view_from_standings_is_the_one_from_records(backend: Backend) {
    let Some(store) = store_on(backend, "team-view").await else { return };
    let app = App::new(store);
    rungs_demo::load(&app, PEOPLE, 7, PEOPLE).await.unwrap();
    rungs_demo::accounts(&app, support::PASSWORD).await.unwrap();
    let org = app.current_org().await.unwrap();
    let top = org.chart.roots().next().unwrap();
    let top = org.chart.member(top).id.to_string();

    // Every standing is out of date after the load: the first view computes them all.
    let first = app.team(&top, CandidatePage::first()).await.unwrap();
    let mut records = Records::read(&app).await;
    let expected = records.team_view(&app, &top, CandidatePage::first()).await;
    assert_eq!(first, expected);
    assert_eq!(first.members as usize, PEOPLE - 1, "the whole line below the top");
    assert!(first.assessed > 2_000, "nearly everyone is assessed: {}", first.assessed);
    assert!(first.ready + first.close > 100, "{} ready, {} close", first.ready, first.close);
    assert!(!first.weakest.is_empty());
    // Now read from the stored standings.
    assert_eq!(app.team(&top, CandidatePage::first()).await.unwrap(), expected);

    // Every page of candidates, 100 at a time: together, each candidate once, in order.
    let mut page = CandidatePage { after: None, size: 100 };
    let mut listed = Vec::new();
    loop {
        let view = app.team(&top, page.clone()).await.unwrap();
        assert_eq!(view, records.team_view(&app, &top, page.clone()).await);
        listed.extend(view.candidates.iter().map(|candidate| candidate.person.clone()));
        if view.next_page.is_none() {
            break;
        }
        page = page_after(&view, 100);
    }
    assert_eq!(listed.len() as u32, first.ready + first.close);
    let mut unique = listed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "no candidate on two pages");

    // A manager in the middle of the org.
    let middle = org
        .chart
        .members()
        .iter()
        .enumerate()
        .map(|(position, member)| (org.chart.org_size(position), member))
        .filter(|(size, _)| (50..500).contains(size))
        .map(|(_, member)| member.id.to_string())
        .next()
        .unwrap();
    let view = app.team(&middle, CandidatePage::first()).await.unwrap();
    assert_eq!(view, records.team_view(&app, &middle, CandidatePage::first()).await);

    // A new cycle in which one member who is not yet ready is assessed as meeting everything,
    // with evidence, and agreed: their standing is out of date, and the view says so.
    let candidates_before = app.team(&top, CandidatePage::first()).await.unwrap();
    for cycle in app.cycles().await.unwrap() {
        if cycle.is_open() {
            app.close_cycle(cycle.name.as_str(), true).await.unwrap();
        }
    }
    app.open_cycle("2027-H1", false).await.unwrap();
    let framework = app.current_framework().await.unwrap();
    let subject = org
        .chart
        .members()
        .iter()
        .find(|member| {
            member.manager_id.is_some()
                && member
                    .level
                    .as_ref()
                    .and_then(|level| framework.level(level.as_str()))
                    .and_then(|level| framework.next_level(level))
                    .is_some()
                && !listed.contains(&member.id)
        })
        .unwrap()
        .clone();
    let assessment = app
        .create_assessment(rungs_app::NewAssessmentInput {
            cycle: "2027-H1".into(),
            subject: subject.id.to_string(),
            assessor: subject.manager_id.as_ref().unwrap().to_string(),
            kind: rungs_core::assess::AssessmentKind::Manager,
            target: None,
        })
        .await
        .unwrap();
    let target = framework.level(assessment.target_level.as_str()).unwrap();
    let meets = framework.rating_scale().meets.clone();
    let ratings: Vec<(String, String)> =
        target.expectations.iter().map(|e| (e.id.to_string(), meets.clone())).collect();
    app.rate(assessment.id, &ratings).await.unwrap();
    for expectation in &target.expectations {
        app.add_evidence(assessment.id, expectation.id.as_str(), "Shipped it", None, None)
            .await
            .unwrap();
    }
    app.submit(assessment.id, rungs_core::assess::Unrated::NotObserved).await.unwrap();
    app.agree(assessment.id, &rungs_app::AgreementRequest::default()).await.unwrap();
    records.reread(&app, &subject.id).await;
    let after = app.team(&top, CandidatePage::first()).await.unwrap();
    assert_eq!(after, records.team_view(&app, &top, CandidatePage::first()).await);
    assert_eq!(after.ready, candidates_before.ready + 1, "{} is ready now", subject.name);

    // The API answers the same, over a real socket.
    let server = spawn_with(app.clone()).await;
    let (status, json) = server.get_json(&format!("/api/v1/people/{top}/team?limit=40")).await;
    assert_eq!(status, 200, "{json}");
    let expected_json = serde_json::to_value(
        records.team_view(&app, &top, CandidatePage { after: None, size: 40 }).await,
    )
    .unwrap();
    assert_eq!(json, expected_json);
    let (status, json) =
        server.get_json(&format!("/api/v1/people/{top}/team?after=nonsense")).await;
    assert_eq!(status, 400, "{json}");
    assert_eq!(json["error"]["field"], "after", "{json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_view_from_standings_matches_records_on_sqlite() {
    the_team_view_from_standings_is_the_one_from_records(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_view_from_standings_matches_records_on_postgres() {
    the_team_view_from_standings_is_the_one_from_records(Backend::Postgres).await;
}
