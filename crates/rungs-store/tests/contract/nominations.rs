//! The storage contract for peer nominations: a proposal waits, an approval or a direct peer
//! assessment stands as approved, a rejected proposal may come again, a decline keeps its
//! reason and removes the peer's draft with what was written in it, a submitted one cannot be
//! declined; and the proposals of a manager's reports are among their task records.

use jiff::Timestamp;
use rungs_core::assess::{AssessmentKind, CycleName, NominationState};
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, LevelId};
use rungs_store::{
    AssessmentFilter, Change, Key, NewAssessment, NewFramework, Nominations, Records, Storage,
    StoreError, TaskReads,
};

use super::{import, small_org};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + seconds).unwrap()
}

fn cycle() -> CycleName {
    CycleName::parse("2027-H1").unwrap()
}

fn id(text: &str) -> PersonId {
    PersonId::parse(text).unwrap()
}

fn nominate(peer: &str, state: NominationState) -> Change {
    Change::Nominate {
        cycle: cycle(),
        subject: id("E3"),
        peer: id(peer),
        state,
        by: "e3@example.com".into(),
        at: at(1),
        anonymous: true,
    }
}

fn peer_draft(framework: i64, peer: &str) -> Change {
    Change::CreateAssessment(NewAssessment {
        cycle: cycle(),
        subject: id("E3"),
        assessor: id(peer),
        kind: AssessmentKind::Peer,
        current_level: LevelId::parse("ic3").unwrap(),
        target_level: LevelId::parse("ic4").unwrap(),
        framework: Key::Id(framework),
        revision: 1,
        revises: None,
        created_at: at(2),
    })
}

fn states(found: &[rungs_core::assess::Nomination]) -> Vec<(String, NominationState)> {
    found.iter().map(|nomination| (nomination.peer.to_string(), nomination.state)).collect()
}

pub async fn nominations_are_proposed_decided_and_declined(store: impl Storage + Sync) {
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
            Change::OpenCycle { name: cycle(), at: at(0) },
        ])
        .await
        .unwrap();
    let framework = keys[0].unwrap();

    // E3 proposes E4 and E5; their manager E2 sees the proposal among their task records.
    store
        .apply(&[
            nominate("E4", NominationState::Proposed),
            nominate("E5", NominationState::Proposed),
        ])
        .await
        .unwrap();
    let records = store.task_records(&id("E2")).await.unwrap();
    assert_eq!(records.proposed, [(cycle(), id("E3"))]);
    // A second nomination of the same peer is refused, and so is the batch around it.
    let refused = store
        .apply(&[
            nominate("E1", NominationState::Proposed),
            nominate("E4", NominationState::Approved),
        ])
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Conflict(message) if message.contains("already nominated")),
        "{refused}"
    );
    assert_eq!(store.nominations_in(&cycle(), &id("E3")).await.unwrap().len(), 2);

    // E4 is approved with their draft; E5 is rejected, then proposed again.
    let decide = |peer: &str, approve| Change::DecideNomination {
        cycle: cycle(),
        subject: id("E3"),
        peer: id(peer),
        approve,
        by: "e2@example.com".into(),
        at: at(3),
        // Approved while peer feedback is named: the approval says so.
        anonymous: !approve,
    };
    let keys = store.apply(&[decide("E4", true), peer_draft(framework, "E4")]).await.unwrap();
    let draft = keys[1].unwrap();
    store.apply(&[decide("E5", false)]).await.unwrap();
    let refused = store.apply(&[decide("E5", true)]).await.unwrap_err();
    assert!(matches!(refused, StoreError::Conflict(_)), "only a proposal is decided");
    store.apply(&[nominate("E5", NominationState::Proposed)]).await.unwrap();
    let found = store.nominations_in(&cycle(), &id("E3")).await.unwrap();
    assert_eq!(
        states(&found),
        [
            ("E4".to_owned(), NominationState::Approved),
            ("E5".to_owned(), NominationState::Proposed)
        ]
    );
    assert_eq!(found[0].decided_by.as_deref(), Some("e2@example.com"));
    assert!(!found[0].anonymous, "asked under named feedback");
    assert!(found[1].anonymous);
    assert_eq!(store.anonymous_peers_of(&id("E3")).await.unwrap(), [(cycle(), id("E5"))]);
    assert!(store.task_records(&id("E2")).await.unwrap().proposed.len() == 1);

    // A peer assessment asked for without a nomination stands on an approved one.
    store.apply(&[peer_draft(framework, "E1")]).await.unwrap();
    let found = store.open_nominations_of(&id("E3")).await.unwrap();
    assert!(states(&found).contains(&("E1".to_owned(), NominationState::Approved)));
    assert_eq!(store.nominations_asked_of(&id("E1")).await.unwrap().len(), 1);

    // E4 declines: the reason is kept, the draft and its ratings and evidence go.
    let expectation = ExpectationId::parse("ic3.craft.tests").unwrap();
    store
        .apply(&[
            Change::Rate {
                assessment: Key::Id(draft),
                expectation: expectation.clone(),
                rating: "meets".into(),
            },
            Change::AddEvidence {
                assessment: Key::Id(draft),
                expectation,
                evidence: rungs_core::assess::Evidence::new(
                    "Paired on the parser",
                    None,
                    jiff::civil::date(2027, 1, 12),
                )
                .unwrap(),
            },
        ])
        .await
        .unwrap();
    let decline = |peer: &str| Change::DeclineNomination {
        cycle: cycle(),
        subject: id("E3"),
        peer: id(peer),
        reason: "On leave until February".into(),
        by: "e4@example.com".into(),
        at: at(4),
    };
    store.apply(&[decline("E4")]).await.unwrap();
    let found = store.nominations_in(&cycle(), &id("E3")).await.unwrap();
    let declined = found.iter().find(|nomination| nomination.peer == id("E4")).unwrap();
    assert_eq!(declined.state, NominationState::Declined);
    assert_eq!(declined.reason.as_deref(), Some("On leave until February"));
    let left = store
        .assessments(&AssessmentFilter { assessor: Some(id("E4")), ..AssessmentFilter::default() })
        .await
        .unwrap();
    assert!(left.is_empty(), "the declined draft is gone");
    // Declining twice, or a proposal, is refused.
    assert!(matches!(store.apply(&[decline("E4")]).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.apply(&[decline("E5")]).await, Err(StoreError::Conflict(_))));

    // Submitted feedback cannot be declined: E1's stays.
    let e1 = store
        .assessments(&AssessmentFilter { assessor: Some(id("E1")), ..AssessmentFilter::default() })
        .await
        .unwrap();
    let e1 = Key::Id(e1[0].assessment.id.get());
    store.apply(&[Change::Submit { assessment: e1, at: at(5) }]).await.unwrap();
    assert!(matches!(store.apply(&[decline("E1")]).await, Err(StoreError::Conflict(_))));

    // A closed cycle takes no nominations, and is not among the open ones.
    store.apply(&[Change::CloseCycle { name: cycle(), at: at(6) }]).await.unwrap();
    let closed = store.apply(&[nominate("E2", NominationState::Proposed)]).await;
    assert!(matches!(closed, Err(StoreError::Conflict(_))), "{closed:?}");
    assert!(store.open_nominations_of(&id("E3")).await.unwrap().is_empty());
    assert_eq!(store.nominations_in(&cycle(), &id("E3")).await.unwrap().len(), 3);
}
