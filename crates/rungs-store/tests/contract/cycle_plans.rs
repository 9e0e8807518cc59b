//! The storage contract for cycles' plans and the reads of a person's tasks: a plan reads
//! back as written and is replaced whole, only an open cycle takes one, and the task reads
//! keep the latest revision, the reports agreed on and the open actions of current plans.

use jiff::Timestamp;
use jiff::civil::date;
use rungs_core::assess::{
    ActionStatus, AssessmentKind, AssessmentStatus, CycleName, CyclePlan, Participants, Schedule,
    ZoneName,
};
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, LevelId, TrackId};
use rungs_store::{
    Change, CyclePlans, Key, NewAssessment, NewFramework, Records, Storage, StoreError, TaskReads,
};

use super::{import, small_org};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + seconds).unwrap()
}

fn cycle(name: &str) -> CycleName {
    CycleName::parse(name).unwrap()
}

fn id(text: &str) -> PersonId {
    PersonId::parse(text).unwrap()
}

fn plan(closes: i8) -> CyclePlan {
    CyclePlan {
        schedule: Schedule::from_dates(
            ZoneName::parse("Europe/Berlin").unwrap(),
            [
                Some(date(2027, 1, 11)),
                Some(date(2027, 1, 22)),
                None,
                None,
                None,
                Some(date(2027, 2, closes)),
            ],
        )
        .unwrap(),
        participants: Participants {
            within: Some(id("E2")),
            tracks: vec![TrackId::parse("ic").unwrap()],
            levels: vec![LevelId::parse("ic3").unwrap(), LevelId::parse("ic2").unwrap()],
            teams: vec!["Platform Compilers".to_owned(), "Search".to_owned()],
            added: vec![id("E5")],
            excluded: vec![id("E4")],
        },
    }
}

pub async fn a_cycle_plan_reads_back_as_written_and_is_replaced_whole(store: impl Storage + Sync) {
    import(&store, &small_org()).await;
    store
        .apply(&[
            Change::OpenCycle { name: cycle("2027-H1"), at: at(0) },
            Change::PlanCycle { name: cycle("2027-H1"), plan: Box::new(plan(19)) },
        ])
        .await
        .unwrap();
    assert_eq!(store.cycle_plan(&cycle("2027-H1")).await.unwrap(), Some(plan(19)));

    let everyone = CyclePlan { participants: Participants::everyone(), ..plan(26) };
    store
        .apply(&[Change::PlanCycle { name: cycle("2027-H1"), plan: Box::new(everyone.clone()) }])
        .await
        .unwrap();
    assert_eq!(store.cycle_plan(&cycle("2027-H1")).await.unwrap(), Some(everyone.clone()));

    // A closed cycle, or one that does not exist, takes no plan; nothing changes.
    store.apply(&[Change::CloseCycle { name: cycle("2027-H1"), at: at(10) }]).await.unwrap();
    for name in ["2027-H1", "2099-H1"] {
        let refused =
            store.apply(&[Change::PlanCycle { name: cycle(name), plan: Box::new(plan(19)) }]).await;
        match refused {
            Err(StoreError::Conflict(message)) => {
                assert_eq!(message, format!("cycle `{name}` is not open"));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
    assert_eq!(store.cycle_plan(&cycle("2027-H1")).await.unwrap(), Some(everyone));
    assert!(store.cycle_plan(&cycle("2099-H1")).await.unwrap().is_none());
    assert!(store.open_cycle_plans().await.unwrap().is_empty(), "only open cycles' plans");
}

pub async fn a_person_s_task_records_are_their_own_latest_and_current(store: impl Storage + Sync) {
    import(&store, &small_org()).await;
    let keys = store
        .apply(&[
            Change::StoreFramework {
                framework: NewFramework {
                    framework_id: "acme".into(),
                    version: "1".into(),
                    source: "# v1\n".into(),
                },
                archived: false,
            },
            Change::OpenCycle { name: cycle("2026-H1"), at: at(0) },
            Change::OpenCycle { name: cycle("2027-H1"), at: at(1) },
        ])
        .await
        .unwrap();
    let framework = keys[0].unwrap();
    let new = |cycle_name: &str, subject: &str, kind| NewAssessment {
        cycle: cycle(cycle_name),
        subject: id(subject),
        assessor: id("E2"),
        kind,
        current_level: LevelId::parse("ic3").unwrap(),
        target_level: LevelId::parse("ic4").unwrap(),
        framework: Key::Id(framework),
        revision: 1,
        revises: None,
        created_at: at(10),
    };
    let expectation = ExpectationId::parse("ic3.craft.tests").unwrap();
    let keys = store
        .apply(&[
            Change::CreateAssessment(new("2026-H1", "E3", AssessmentKind::Manager)),
            Change::Submit { assessment: Key::Change(0), at: at(20) },
            Change::Agree {
                assessment: Key::Change(0),
                expectation: expectation.clone(),
                rating: "meets".into(),
                rationale: None,
                at: at(30),
            },
            Change::CreateAssessment(new("2027-H1", "E3", AssessmentKind::Manager)),
            Change::Submit { assessment: Key::Change(3), at: at(40) },
            Change::CreateAssessment(NewAssessment {
                revision: 2,
                revises: Some(Key::Change(3)),
                ..new("2027-H1", "E3", AssessmentKind::Manager)
            }),
            Change::CreateAssessment(new("2027-H1", "E4", AssessmentKind::Manager)),
        ])
        .await
        .unwrap();
    let (revision, other) = (keys[5].unwrap(), keys[6].unwrap());
    store.apply(&[Change::CloseCycle { name: cycle("2026-H1"), at: at(50) }]).await.unwrap();

    let records = store.task_records(&id("E2")).await.unwrap();
    // Only the open cycle's, and of E3 only the correction, which is the latest revision.
    let mut own: Vec<(String, i64, AssessmentStatus)> =
        records.own.iter().map(|own| (own.subject.to_string(), own.id.get(), own.status)).collect();
    own.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        own,
        [
            ("E3".to_owned(), revision, AssessmentStatus::Draft),
            ("E4".to_owned(), other, AssessmentStatus::Draft),
        ]
    );
    // What was agreed in a closed cycle does not count.
    assert!(records.agreed.is_empty());

    // A plan replaced by a newer one has no open actions; the new one's open ones count, as do
    // those E2 owns in someone else's plan.
    let plan_with_action = |subject: &str, owner: &str, text: &str| {
        vec![
            Change::CreatePlan {
                subject: id(subject),
                target_level: LevelId::parse("ic4").unwrap(),
                at: at(60),
            },
            Change::AddFocus { plan: Key::Change(0), expectation: expectation.clone() },
            Change::AddAction {
                plan: Key::Change(0),
                expectation: expectation.clone(),
                text: text.into(),
                owner: id(owner),
                due: date(2027, 1, 15),
            },
        ]
    };
    store.apply(&plan_with_action("E2", "E2", "old plan")).await.unwrap();
    store.apply(&plan_with_action("E2", "E2", "current plan")).await.unwrap();
    let done = store.apply(&plan_with_action("E3", "E2", "coach E3")).await.unwrap();
    store.apply(&plan_with_action("E4", "E4", "not E2's")).await.unwrap();
    let records = store.task_records(&id("E2")).await.unwrap();
    let mut actions: Vec<(String, String)> = records
        .actions
        .iter()
        .map(|(subject, action)| (subject.to_string(), action.text.clone()))
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        [("E2".to_owned(), "current plan".to_owned()), ("E3".to_owned(), "coach E3".to_owned()),]
    );
    let action = rungs_core::assess::ActionId::new(done[2].unwrap());
    store.apply(&[Change::SetActionStatus { action, status: ActionStatus::Done }]).await.unwrap();
    assert_eq!(store.task_records(&id("E2")).await.unwrap().actions.len(), 1);
}
