//! Use cases against a real SQLite file: what a refused change leaves behind (nothing), and
//! the clock the application is given.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use std::sync::Arc;

use jiff::Timestamp;
use rungs_app::{App, AppError, NewAssessmentInput};
use rungs_core::assess::{AssessError, AssessmentKind, Unrated};
use rungs_core::org::{Email, Person, PersonId, Status};
use rungs_core::{LevelId, TrackId};
use rungs_store::{ImportFeed, SqliteStore, Storage, Store};

fn person(id: &str, manager: Option<&str>, level: &str) -> Person {
    let track = if level.starts_with("ic") { "ic" } else { "management" };
    Person {
        id: PersonId::parse(id).unwrap(),
        name: format!("Person {id}"),
        email: Email::parse(&format!("{}@example.com", id.to_lowercase())).unwrap(),
        title: String::new(),
        track: Some(TrackId::parse(track).unwrap()),
        level: Some(LevelId::parse(level).unwrap()),
        manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
        team: "Core".to_owned(),
        status: Status::Active,
        hire_date: None,
        level_since: None,
    }
}

async fn app(name: &str) -> App {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("app-{name}.db"));
    let _ = std::fs::remove_file(&path);
    let store = SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
    let people = vec![person("E1", None, "em"), person("E2", Some("E1"), "ic3")];
    store
        .import_people("org.csv", ImportFeed::of(people), false, None, Box::new(|_| {}))
        .await
        .unwrap();
    let fixed = Timestamp::from_second(1_800_000_000).unwrap();
    App::with_clock(Store::Sqlite(store), Arc::new(move || fixed))
}

fn input(subject: &str, assessor: &str, kind: AssessmentKind) -> NewAssessmentInput {
    NewAssessmentInput {
        cycle: "2026-H2".into(),
        subject: subject.into(),
        assessor: assessor.into(),
        kind,
        target: None,
    }
}

#[tokio::test]
async fn a_refused_first_assessment_stores_no_framework_either() {
    let app = app("refused-first").await;
    app.open_cycle("2026-H2", false).await.unwrap();
    let refused = app.create_assessment(input("E2", "E2", AssessmentKind::Manager)).await;
    assert!(matches!(refused, Err(AppError::Rule(AssessError::AssessingThemselves { .. }))));
    assert_eq!(app.store().active_framework().await.unwrap(), None, "nothing was written");

    let created = app.create_assessment(input("E2", "E1", AssessmentKind::Manager)).await.unwrap();
    let active =
        app.store().active_framework().await.unwrap().expect("the built-in ladder, pinned");
    assert_eq!(active.framework_id, created.framework.framework_id);
    assert_eq!(
        created.created_at,
        Timestamp::from_second(1_800_000_000).unwrap(),
        "the app's clock"
    );
    assert_eq!(app.today(), jiff::civil::date(2027, 1, 15));
}

/// A person's page takes an active person from the org chart in memory; an import through
/// another handle on the same database (the CLI, say) shows on the next read all the same.
#[tokio::test]
async fn a_person_read_from_the_chart_is_as_the_last_import_left_them() {
    let app = app("chart-person").await;
    let first = app.standing("E2", None).await.unwrap();
    assert_eq!((first.person.email.as_str(), first.person.title.as_str()), ("e2@example.com", ""));
    // Read again, now that the chart is kept: the same person.
    assert_eq!(app.standing("E2", None).await.unwrap().person, first.person);

    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("app-chart-person.db");
    let other = SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
    let mut renamed = person("E2", Some("E1"), "ic3");
    renamed.email = Email::parse("bo@example.com").unwrap();
    renamed.title = "Staff Engineer".to_owned();
    let people = vec![person("E1", None, "em"), renamed.clone(), person("E3", Some("E1"), "ic2")];
    other
        .import_people("next.csv", ImportFeed::of(people), false, None, Box::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(app.standing("E2", None).await.unwrap().person, renamed);
    assert_eq!(app.standing("E2", None).await.unwrap().person, renamed, "from the new chart");
    assert_eq!(app.standing("E3", None).await.unwrap().person.id.as_str(), "E3");

    let people = vec![person("E1", None, "em"), person("E3", Some("E1"), "ic2")];
    other
        .import_people("last.csv", ImportFeed::of(people), false, None, Box::new(|_| {}))
        .await
        .unwrap();
    let left = app.standing("E2", None).await.unwrap().person;
    assert_eq!((left.status, left.title.as_str()), (Status::Left, "Staff Engineer"));
}

/// The audit log records a change the same whatever edge made it: the CLI's commands (rate,
/// evidence, submit, agree, one write each) and the form and the API (one `save_draft` that
/// rates, adds evidence and submits) write the same entries, with the same before and after;
/// an agreement records the rating agreed before it.
#[tokio::test]
async fn every_kind_of_change_is_audited_alike_from_every_edge() {
    let app = app("audit-alike").await;
    let people = vec![
        person("E1", None, "em"),
        person("E2", Some("E1"), "ic3"),
        person("E3", Some("E1"), "ic3"),
    ];
    app.store()
        .import_people("org.csv", ImportFeed::of(people), false, None, Box::new(|_| {}))
        .await
        .unwrap();
    app.open_cycle("2026-H2", false).await.unwrap();
    let by_command =
        app.create_assessment(input("E2", "E1", AssessmentKind::Manager)).await.unwrap();
    let by_form = app.create_assessment(input("E3", "E1", AssessmentKind::Manager)).await.unwrap();
    let framework = app.current_framework().await.unwrap();
    let expectation =
        framework.level(by_command.target_level.as_str()).unwrap().expectations[0].id.to_string();
    let date = jiff::civil::date(2026, 11, 20);
    let link = "https://wiki.example.com/review";
    let rated = [(expectation.clone(), "meets".to_owned())];
    let raised = [(expectation.clone(), "exceeds".to_owned())];
    let agree = |ratings: &[(String, String)], replace: bool| rungs_app::AgreementRequest {
        ratings: ratings.to_vec(),
        rationales: if ratings == raised {
            vec![(expectation.clone(), "Led the incident review for two teams".to_owned())]
        } else {
            Vec::new()
        },
        replace,
    };

    app.rate(by_command.id, &rated).await.unwrap();
    app.add_evidence(by_command.id, &expectation, "Ran the review", Some(link), Some(date))
        .await
        .unwrap();
    app.submit(by_command.id, Unrated::NotObserved).await.unwrap();
    app.agree(by_command.id, &agree(&rated, false)).await.unwrap();
    let refused = app.agree(by_command.id, &agree(&raised, false)).await.unwrap_err();
    assert!(
        refused.to_string().contains("this would change 1 agreed rating"),
        "a change of an agreed rating is refused unless asked for: {refused}"
    );
    app.agree(by_command.id, &agree(&raised, true)).await.unwrap();

    let evidence = rungs_app::EvidenceInput {
        expectation: expectation.clone(),
        text: "Ran the review".to_owned(),
        link: Some(link.to_owned()),
        date: Some(date),
    };
    app.save_draft(by_form.id, &rated, &[evidence], Some(Unrated::NotObserved)).await.unwrap();
    app.agree(by_form.id, &agree(&rated, false)).await.unwrap();
    app.agree(by_form.id, &agree(&raised, true)).await.unwrap();

    let entries = app.audit(&rungs_store::AuditFilter::default()).await.unwrap();
    let of = |id: rungs_core::assess::AssessmentId| {
        let target = format!("assessment {id}");
        let mut entries: Vec<_> = entries
            .iter()
            .filter(|record| record.entry.target == target)
            .map(|record| {
                let entry = &record.entry;
                (entry.action.clone(), entry.before.clone(), entry.after.clone())
            })
            .collect();
        entries.reverse();
        entries
    };
    let command = of(by_command.id);
    assert_eq!(command, of(by_form.id), "the same entries from the command and the form");
    let actions: Vec<&str> = command.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "assessment.rate",
            "assessment.evidence",
            "assessment.rate",
            "assessment.submit",
            "assessment.agree",
            "assessment.agree"
        ]
    );
    let json = |text: &Option<String>| -> serde_json::Value {
        serde_json::from_str(text.as_deref().unwrap_or("null")).unwrap()
    };
    assert_eq!(
        json(&command[1].2),
        serde_json::json!({
            "expectation": expectation,
            "text": "Ran the review",
            "link": link,
            "date": "2026-11-20",
        }),
        "evidence has its expectation, text, link and date"
    );
    let marked = json(&command[2].2);
    let marked = marked.as_object().unwrap();
    assert!(
        !marked.is_empty() && marked.values().all(|rating| rating == "not-observed"),
        "what was left unrated is marked not observed on submission: {marked:?}"
    );
    assert!(!marked.contains_key(&expectation), "the rated one keeps its rating");
    assert_eq!(command[4].1, Some(format!(r#"{{"{expectation}":null}}"#)), "nothing agreed yet");
    assert_eq!(
        (command[5].1.clone(), command[5].2.clone()),
        (
            Some(format!(r#"{{"{expectation}":"meets"}}"#)),
            Some(format!(
                r#"{{"{expectation}":"exceeds","rationales":{{"{expectation}":"Led the incident review for two teams"}}}}"#
            ))
        ),
        "a second agreement records the first as its before, and why it differs"
    );
}
