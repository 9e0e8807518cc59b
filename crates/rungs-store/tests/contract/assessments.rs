//! The storage contract for cycles, assessments, agreed ratings, growth plans and history.
//! The core decides what is allowed; these tests show that storage keeps it, refuses what the
//! SQL guards refuse, and writes a failed batch not at all.

use jiff::Timestamp;
use jiff::civil::date;
use rungs_core::assess::{
    ActionId, ActionStatus, AssessmentId, AssessmentKind, AssessmentStatus, CycleName, CycleState,
    Evidence, PlanId,
};
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, LevelId};
use rungs_store::{
    AgreementFilter, AssessmentFilter, Change, Key, NewAssessment, NewFramework, Records, Storage,
    StoreError,
};

use super::{import, person, small_org};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + seconds).unwrap()
}

fn cycle(name: &str) -> CycleName {
    CycleName::parse(name).unwrap()
}

fn id(text: &str) -> PersonId {
    PersonId::parse(text).unwrap()
}

fn expectation(text: &str) -> ExpectationId {
    ExpectationId::parse(text).unwrap()
}

/// A framework, the small org, and an open cycle `2026-H2`. Returns the framework's key.
async fn prepared(store: &(impl Storage + Sync)) -> i64 {
    import(store, &small_org()).await;
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
            Change::OpenCycle { name: cycle("2026-H2"), at: at(0) },
        ])
        .await
        .unwrap();
    keys[0].unwrap()
}

fn new_assessment(framework: i64, kind: AssessmentKind, assessor: &str) -> NewAssessment {
    NewAssessment {
        cycle: cycle("2026-H2"),
        subject: id("E3"),
        assessor: id(assessor),
        kind,
        current_level: LevelId::parse("ic3").unwrap(),
        target_level: LevelId::parse("ic4").unwrap(),
        framework: Key::Id(framework),
        revision: 1,
        revises: None,
        created_at: at(10),
    }
}

async fn create(store: &(impl Storage + Sync), new: NewAssessment) -> AssessmentId {
    let keys = store.apply(&[Change::CreateAssessment(new)]).await.unwrap();
    AssessmentId::new(keys[0].unwrap())
}

fn rate(assessment: AssessmentId, which: &str, rating: &str) -> Change {
    Change::Rate {
        assessment: assessment.into(),
        expectation: expectation(which),
        rating: rating.into(),
    }
}

fn conflict(result: Result<Vec<Option<i64>>, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

pub async fn cycles_open_close_and_list(store: impl Storage + Sync) {
    prepared(&store).await;
    store.apply(&[Change::OpenCycle { name: cycle("2027-H1"), at: at(100) }]).await.unwrap();
    let duplicate = store.apply(&[Change::OpenCycle { name: cycle("2026-H2"), at: at(200) }]).await;
    assert_eq!(conflict(duplicate), "a cycle with this name already exists");
    store.apply(&[Change::CloseCycle { name: cycle("2026-H2"), at: at(300) }]).await.unwrap();
    let again = store.apply(&[Change::CloseCycle { name: cycle("2026-H2"), at: at(400) }]).await;
    assert_eq!(conflict(again), "cycle `2026-H2` is not open");
    let cycles = store.cycles().await.unwrap();
    let listed: Vec<(&str, CycleState)> =
        cycles.iter().map(|cycle| (cycle.name.as_str(), cycle.state)).collect();
    assert_eq!(listed, [("2026-H2", CycleState::Closed), ("2027-H1", CycleState::Open)]);
    assert_eq!(cycles[0].opened_at, at(0));
    assert_eq!(cycles[0].closed_at, Some(at(300)));
}

pub async fn an_assessment_keeps_its_ratings_evidence_and_framework_version(
    store: impl Storage + Sync,
) {
    let framework = prepared(&store).await;
    let assessment = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    let evidence = Evidence::new(
        "Led the storage migration",
        Some("https://wiki.example.com/migration"),
        date(2026, 9, 14),
    )
    .unwrap();
    store
        .apply(&[
            rate(assessment, "ic4.craft.design", "developing"),
            rate(assessment, "ic4.craft.design", "meets"),
            rate(assessment, "ic3.craft.code", "exceeds"),
            Change::AddEvidence {
                assessment: assessment.into(),
                expectation: expectation("ic4.craft.design"),
                evidence: evidence.clone(),
            },
        ])
        .await
        .unwrap();
    let stored = store.assessment(assessment).await.unwrap().expect("stored");
    assert_eq!(stored.framework_pk, framework);
    let read = stored.assessment;
    assert_eq!(read.framework.framework_id, "acme");
    assert_eq!(read.framework.version, "1");
    assert_eq!((read.subject.as_str(), read.assessor.as_str()), ("E3", "E2"));
    assert_eq!(read.kind, AssessmentKind::Manager);
    assert_eq!(read.status, AssessmentStatus::Draft);
    assert_eq!(read.created_at, at(10));
    assert_eq!(read.rating_of("ic4.craft.design"), Some("meets"));
    assert_eq!(read.rating_of("ic3.craft.code"), Some("exceeds"));
    assert_eq!(read.entry("ic4.craft.design").unwrap().evidence, vec![evidence]);
    assert_eq!(store.assessment(AssessmentId::new(999)).await.unwrap(), None);
}

pub async fn a_submitted_assessment_never_changes(store: impl Storage + Sync) {
    let framework = prepared(&store).await;
    let assessment = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    store.apply(&[rate(assessment, "ic4.craft.design", "meets")]).await.unwrap();
    store.apply(&[Change::Submit { assessment: assessment.into(), at: at(20) }]).await.unwrap();
    let message = format!("assessment {assessment} is not a draft in an open cycle");
    assert_eq!(
        conflict(store.apply(&[rate(assessment, "ic4.craft.design", "exceeds")]).await),
        message
    );
    let evidence = Change::AddEvidence {
        assessment: assessment.into(),
        expectation: expectation("ic4.craft.design"),
        evidence: Evidence::new("late", None, date(2026, 10, 1)).unwrap(),
    };
    assert_eq!(conflict(store.apply(&[evidence]).await), message);
    let resubmit = Change::Submit { assessment: assessment.into(), at: at(30) };
    assert_eq!(conflict(store.apply(&[resubmit]).await), message);
    let read = store.assessment(assessment).await.unwrap().unwrap().assessment;
    assert_eq!(read.status, AssessmentStatus::Submitted);
    assert_eq!(read.submitted_at, Some(at(20)));
    assert_eq!(read.rating_of("ic4.craft.design"), Some("meets"));
    assert!(read.entry("ic4.craft.design").unwrap().evidence.is_empty());
}

/// The guard behind "one assessment per kind": the database refuses a second self or manager
/// assessment of a subject in a cycle, and a second peer assessment by the same assessor, even
/// from writers racing past the use case's check; another peer and a revision are accepted.
pub async fn one_assessment_per_kind_holds_in_the_database(store: impl Storage + Sync) {
    let framework = prepared(&store).await;
    let manager = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    create(&store, new_assessment(framework, AssessmentKind::Peer, "E4")).await;
    let again = Change::CreateAssessment(new_assessment(framework, AssessmentKind::Manager, "E1"));
    assert_eq!(
        conflict(store.apply(&[again]).await),
        "cycle `2026-H2` is not open, or `E3` already has a manager assessment in it"
    );
    let same_peer = Change::CreateAssessment(new_assessment(framework, AssessmentKind::Peer, "E4"));
    assert_eq!(
        conflict(store.apply(&[same_peer]).await),
        "cycle `2026-H2` is not open, or `E3` already has a peer assessment in it by `E4`"
    );
    create(&store, new_assessment(framework, AssessmentKind::Peer, "E5")).await;
    store.apply(&[Change::Submit { assessment: manager.into(), at: at(20) }]).await.unwrap();
    let revision = NewAssessment {
        revision: 2,
        revises: Some(Key::Id(manager.get())),
        ..new_assessment(framework, AssessmentKind::Manager, "E2")
    };
    create(&store, revision).await;
    assert_eq!(store.assessments(&AssessmentFilter::default()).await.unwrap().len(), 4);
}

pub async fn a_closed_cycle_is_read_only(store: impl Storage + Sync) {
    let framework = prepared(&store).await;
    let assessment =
        create(&store, new_assessment(framework, AssessmentKind::SelfReview, "E3")).await;
    let submitted = create(&store, new_assessment(framework, AssessmentKind::Peer, "E5")).await;
    store
        .apply(&[
            rate(submitted, "ic4.craft.design", "meets"),
            Change::Submit { assessment: submitted.into(), at: at(40) },
        ])
        .await
        .unwrap();
    // What closing asks about: the drafts, counted, and a few of them read without ratings.
    let (count, drafts) = store.cycle_drafts(&cycle("2026-H2"), 10).await.unwrap();
    assert_eq!(count, 1);
    assert_eq!(
        drafts,
        [rungs_store::DraftHead {
            id: assessment,
            kind: AssessmentKind::SelfReview,
            subject: PersonId::parse("E3").unwrap(),
            assessor: PersonId::parse("E3").unwrap(),
        }]
    );
    assert_eq!(store.cycle_drafts(&cycle("2026-H2"), 0).await.unwrap(), (1, vec![]));
    assert_eq!(store.cycle_drafts(&cycle("2099-H1"), 10).await.unwrap(), (0, vec![]));
    store.apply(&[Change::CloseCycle { name: cycle("2026-H2"), at: at(50) }]).await.unwrap();
    assert_eq!(
        conflict(store.apply(&[rate(assessment, "ic4.craft.design", "meets")]).await),
        format!("assessment {assessment} is not a draft in an open cycle")
    );
    let new = Change::CreateAssessment(new_assessment(framework, AssessmentKind::Peer, "E4"));
    assert_eq!(
        conflict(store.apply(&[new]).await),
        "cycle `2026-H2` is not open, or `E3` already has a peer assessment in it by `E4`"
    );
    assert_eq!(store.assessments(&AssessmentFilter::default()).await.unwrap().len(), 2);
}

pub async fn a_failed_batch_writes_nothing(store: impl Storage + Sync) {
    let framework = prepared(&store).await;
    let assessment =
        create(&store, new_assessment(framework, AssessmentKind::SelfReview, "E3")).await;
    let batch = [
        Change::CreateAssessment(new_assessment(framework, AssessmentKind::Peer, "E4")),
        rate(assessment, "ic4.craft.design", "meets"),
        Change::OpenCycle { name: cycle("2027-H1"), at: at(60) },
        rate(AssessmentId::new(999), "ic4.craft.design", "meets"),
    ];
    assert_eq!(
        conflict(store.apply(&batch).await),
        "assessment 999 is not a draft in an open cycle"
    );
    let all = store.assessments(&AssessmentFilter::default()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].assessment.entries.is_empty());
    assert_eq!(store.cycles().await.unwrap().len(), 1);
}

pub async fn a_revision_keeps_the_assessment_it_corrects(store: impl Storage + Sync) {
    let framework = prepared(&store).await;
    let first = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    store
        .apply(&[
            rate(first, "ic4.craft.design", "developing"),
            Change::Submit { assessment: first.into(), at: at(20) },
        ])
        .await
        .unwrap();
    let revision = NewAssessment {
        revision: 2,
        revises: Some(first.into()),
        ..new_assessment(framework, AssessmentKind::Manager, "E2")
    };
    let keys = store
        .apply(&[
            Change::CreateAssessment(revision.clone()),
            Change::Rate {
                assessment: Key::Change(0),
                expectation: expectation("ic4.craft.design"),
                rating: "meets".into(),
            },
            Change::Submit { assessment: Key::Change(0), at: at(40) },
        ])
        .await
        .unwrap();
    let second = AssessmentId::new(keys[0].unwrap());
    let old = store.assessment(first).await.unwrap().unwrap().assessment;
    assert_eq!(old.superseded_by, Some(second));
    assert_eq!(old.rating_of("ic4.craft.design"), Some("developing"));
    let new = store.assessment(second).await.unwrap().unwrap().assessment;
    assert_eq!((new.revision, new.revises), (2, Some(first)));
    assert_eq!(
        conflict(store.apply(&[Change::CreateAssessment(revision)]).await),
        "this assessment was already revised"
    );
    let latest = store
        .assessments(&AssessmentFilter { latest_submitted: true, ..AssessmentFilter::default() })
        .await
        .unwrap();
    assert_eq!(latest.iter().map(|stored| stored.assessment.id).collect::<Vec<_>>(), [second]);
}

pub async fn agreed_ratings_are_recorded_on_the_latest_manager_assessment(
    store: impl Storage + Sync,
) {
    let framework = prepared(&store).await;
    let own = create(&store, new_assessment(framework, AssessmentKind::SelfReview, "E3")).await;
    let manager = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    let agree = |assessment: AssessmentId, rating: &str, seconds| Change::Agree {
        assessment: assessment.into(),
        expectation: expectation("ic4.craft.design"),
        rating: rating.into(),
        rationale: (rating != "developing").then(|| "Led the design review".to_owned()),
        at: at(seconds),
    };
    let refused = format!(
        "assessment {manager} is not the latest submitted manager assessment of an open cycle"
    );
    assert_eq!(conflict(store.apply(&[agree(manager, "meets", 1)]).await), refused);
    store
        .apply(&[
            rate(own, "ic4.craft.design", "exceeds"),
            Change::Submit { assessment: own.into(), at: at(20) },
            rate(manager, "ic4.craft.design", "developing"),
            Change::Submit { assessment: manager.into(), at: at(30) },
        ])
        .await
        .unwrap();
    assert!(
        store.apply(&[agree(own, "meets", 2)]).await.is_err(),
        "a self assessment records no agreement"
    );
    store.apply(&[agree(manager, "developing", 40)]).await.unwrap();
    store.apply(&[agree(manager, "meets", 50)]).await.unwrap();
    let agreed = store
        .agreements(&AgreementFilter { subject: Some(id("E3")), cycle: None, subjects: Vec::new() })
        .await
        .unwrap();
    assert_eq!(agreed.len(), 1);
    assert_eq!(agreed[0].rating, "meets");
    assert_eq!(agreed[0].agreed_by.as_str(), "E2");
    assert_eq!((agreed[0].assessment, agreed[0].framework_pk), (manager, framework));
    assert_eq!(agreed[0].agreed_at, at(50));
    assert_eq!(agreed[0].rationale.as_deref(), Some("Led the design review"));
    let other_cycle =
        AgreementFilter { subject: None, cycle: Some(cycle("2027-H1")), subjects: Vec::new() };
    assert!(store.agreements(&other_cycle).await.unwrap().is_empty());
}

pub async fn growth_plans_keep_focus_and_actions(store: impl Storage + Sync) {
    prepared(&store).await;
    let keys = store
        .apply(&[
            Change::CreatePlan {
                subject: id("E3"),
                target_level: LevelId::parse("ic4").unwrap(),
                at: at(0),
            },
            Change::AddFocus { plan: Key::Change(0), expectation: expectation("ic4.craft.design") },
            Change::AddFocus { plan: Key::Change(0), expectation: expectation("ic4.impact.scope") },
            Change::AddAction {
                plan: Key::Change(0),
                expectation: expectation("ic4.craft.design"),
                text: "Write the design doc for the importer".into(),
                owner: id("E3"),
                due: date(2026, 12, 15),
            },
        ])
        .await
        .unwrap();
    let plan = PlanId::new(keys[0].unwrap());
    let action = ActionId::new(keys[3].unwrap());
    let focus_again =
        Change::AddFocus { plan: plan.into(), expectation: expectation("ic4.craft.design") };
    assert_eq!(
        conflict(store.apply(&[focus_again]).await),
        "this expectation is already a focus of the plan"
    );
    let not_a_focus = Change::AddAction {
        plan: plan.into(),
        expectation: expectation("ic4.people.mentor"),
        text: "Mentor".into(),
        owner: id("E2"),
        due: date(2026, 12, 1),
    };
    assert!(store.apply(&[not_a_focus]).await.is_err(), "an action targets a focus expectation");
    store.apply(&[Change::SetActionStatus { action, status: ActionStatus::Done }]).await.unwrap();
    let missing =
        Change::SetActionStatus { action: ActionId::new(999), status: ActionStatus::Done };
    assert_eq!(conflict(store.apply(&[missing]).await), "there is no action 999");
    let plans = store.growth_plans(&id("E3")).await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].focus, [expectation("ic4.craft.design"), expectation("ic4.impact.scope")]);
    assert_eq!(plans[0].actions.len(), 1);
    assert_eq!(plans[0].actions[0].status, ActionStatus::Done);
    assert_eq!(plans[0].actions[0].due, date(2026, 12, 15));
    assert_eq!(store.action_subject(action).await.unwrap(), Some(id("E3")));
    assert!(store.growth_plans(&id("E4")).await.unwrap().is_empty());
}

pub async fn imports_record_level_changes_and_the_chain_is_walkable(store: impl Storage + Sync) {
    import(&store, &small_org()).await;
    let mut promoted = small_org();
    promoted[2].level = Some(LevelId::parse("ic4").unwrap());
    promoted.push(person("E6", Some("E3"), "ic1"));
    import(&store, &promoted).await;
    let changes = store.level_changes(&id("E3")).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].from.as_str(), changes[0].to.as_str()), ("ic3", "ic4"));
    assert!(store.level_changes(&id("E4")).await.unwrap().is_empty());
    let chain = store.manager_chain(&id("E6")).await.unwrap();
    assert_eq!(chain, [id("E3"), id("E2"), id("E1")]);
    let line: Vec<String> =
        store.reporting_line(&id("E2")).await.unwrap().iter().map(|p| p.id.to_string()).collect();
    assert_eq!(line, ["E3", "E4", "E6"]);
}

pub async fn an_archived_framework_version_never_becomes_active(store: impl Storage + Sync) {
    let active = prepared(&store).await;
    store
        .apply(&[Change::StoreFramework {
            framework: NewFramework {
                framework_id: "acme".into(),
                version: "0.9".into(),
                source: "# old\n".into(),
            },
            archived: true,
        }])
        .await
        .unwrap();
    assert_eq!(store.active_framework().await.unwrap().unwrap().pk, active);
    let old = store.framework_by_version("acme", "0.9").await.unwrap().expect("kept");
    assert_eq!(old.source, "# old\n");
    assert_eq!(store.framework_version(old.pk).await.unwrap().unwrap().version, "0.9");
    assert_eq!(store.framework_by_version("acme", "2").await.unwrap(), None);
}

pub async fn a_person_is_read_in_one_go(store: impl Storage + Sync) {
    let framework = prepared(&store).await;
    let assessment = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    store
        .apply(&[
            rate(assessment, "ic4.craft.design", "meets"),
            rate(assessment, "ic3.craft.code", "exceeds"),
            Change::AddEvidence {
                assessment: assessment.into(),
                expectation: expectation("ic4.craft.design"),
                evidence: Evidence::new("Led the migration", None, date(2026, 9, 14)).unwrap(),
            },
            Change::Submit { assessment: assessment.into(), at: at(20) },
            Change::Agree {
                assessment: assessment.into(),
                expectation: expectation("ic4.craft.design"),
                rating: "meets".into(),
                rationale: None,
                at: at(30),
            },
            Change::Acknowledge {
                subject: id("E3"),
                cycle: cycle("2026-H2"),
                comment: Some("Thanks".into()),
                at: at(35),
            },
            Change::CreatePlan {
                subject: id("E3"),
                target_level: LevelId::parse("ic4").unwrap(),
                at: at(40),
            },
            Change::AddFocus { plan: Key::Change(6), expectation: expectation("ic4.craft.design") },
        ])
        .await
        .unwrap();
    // An import that promotes E3 records a level change.
    let mut promoted = small_org();
    assert_eq!(promoted[2].id, id("E3"));
    promoted[2].level = Some(LevelId::parse("ic4").unwrap());
    import(&store, &promoted).await;
    let read = store.person_records(&id("E3")).await.unwrap().expect("E3 exists");
    assert_eq!(read.person.id, id("E3"));
    assert_eq!(read.records.level_changes.len(), 1);
    let records = read.records.clone();
    assert_eq!(records.org_version, store.org_version().await.unwrap());
    assert_eq!(records.cycles.len(), 1);
    assert_eq!(records.agreements.len(), 1);
    assert_eq!(records.assessments.len(), 1);
    assert_eq!(records.assessments[0].assessment.rating_of("ic4.craft.design"), Some("meets"));
    assert_eq!(records.plans.len(), 1);
    assert_eq!(records.plans[0].focus.len(), 1);
    assert_eq!(records.active_framework_key, Some(framework));
    // SQLite decodes this read row by row where it lies, PostgreSQL from whole rows: either
    // way it is what the typed reads give, one by one.
    let subject = Some(id("E3"));
    let assessments = AssessmentFilter { subject: subject.clone(), ..AssessmentFilter::default() };
    assert_eq!(records.assessments, store.assessments(&assessments).await.unwrap());
    assert_eq!(records.assessments[0].assessment.entries.len(), 2);
    assert_eq!(records.assessments[0].assessment.entries[1].evidence.len(), 1);
    let agreements = AgreementFilter { subject, cycle: None, subjects: Vec::new() };
    assert_eq!(records.agreements, store.agreements(&agreements).await.unwrap());
    assert_eq!(records.cycles, store.cycles().await.unwrap());
    assert_eq!(records.plans, store.growth_plans(&id("E3")).await.unwrap());
    assert_eq!(records.level_changes, store.level_changes(&id("E3")).await.unwrap());
    assert_eq!(records.acknowledgements, store.acknowledgements(&id("E3")).await.unwrap());
    assert_eq!(records.acknowledgements.len(), 1);
    assert_eq!(Some(read.person), store.person("E3").await.unwrap());

    let quiet = store.person_records(&id("E2")).await.unwrap().expect("E2 exists").records;
    assert!(quiet.agreements.is_empty() && quiet.assessments.is_empty() && quiet.plans.is_empty());
    assert!(quiet.acknowledgements.is_empty());
    assert_eq!(store.person_records(&id("NOBODY")).await.unwrap(), None);
}

pub async fn an_acknowledgement_needs_an_agreed_outcome_and_replaces_the_last(
    store: impl Storage + Sync,
) {
    let framework = prepared(&store).await;
    let manager = create(&store, new_assessment(framework, AssessmentKind::Manager, "E2")).await;
    let acknowledge = |comment: Option<&str>, seconds| Change::Acknowledge {
        subject: id("E3"),
        cycle: cycle("2026-H2"),
        comment: comment.map(str::to_owned),
        at: at(seconds),
    };
    assert_eq!(
        conflict(store.apply(&[acknowledge(None, 1)]).await),
        "nothing has been agreed for `E3` in cycle `2026-H2`; there is no outcome to acknowledge"
    );
    assert!(store.acknowledgements(&id("E3")).await.unwrap().is_empty(), "nothing was written");
    store
        .apply(&[
            rate(manager, "ic4.craft.design", "meets"),
            Change::Submit { assessment: manager.into(), at: at(10) },
            Change::Agree {
                assessment: manager.into(),
                expectation: expectation("ic4.craft.design"),
                rating: "meets".into(),
                rationale: None,
                at: at(20),
            },
        ])
        .await
        .unwrap();
    store.apply(&[acknowledge(Some("Seen"), 30)]).await.unwrap();
    store.apply(&[acknowledge(None, 40)]).await.unwrap();
    let acknowledged = store.acknowledgements(&id("E3")).await.unwrap();
    assert_eq!(acknowledged.len(), 1, "acknowledging again replaces: {acknowledged:?}");
    assert_eq!(
        (acknowledged[0].cycle.as_str(), acknowledged[0].comment.as_deref()),
        ("2026-H2", None)
    );
    assert_eq!(acknowledged[0].acknowledged_at, at(40));
    assert!(store.acknowledgements(&id("E2")).await.unwrap().is_empty());
}
