//! The access decision, case by case.

use crate::assess::AssessmentKind;
use crate::org::PersonId;

use super::*;

fn principal(role: Role, person: Option<&str>) -> Principal {
    Principal {
        name: "someone".to_owned(),
        role,
        person: person.map(|id| PersonId::parse(id).expect("a valid id")),
    }
}

const NOBODY: Relation = Relation { is_self: false, manages: false };
const SELF: Relation = Relation { is_self: true, manages: false };
const MANAGER: Relation = Relation { is_self: false, manages: true };

fn assessment(kind: AssessmentKind, draft: bool, author: bool, subject: Relation) -> Facts {
    Facts::Assessment(AssessmentFacts { kind, draft, author, subject, anonymous_peer: false })
}

#[test]
fn anonymous_peer_feedback_is_not_for_its_subject_to_open() {
    let anonymous = |subject| {
        Facts::Assessment(AssessmentFacts {
            kind: AssessmentKind::Peer,
            draft: false,
            author: false,
            subject,
            anonymous_peer: true,
        })
    };
    let employee = principal(Role::Employee, Some("e1"));
    assert_eq!(decide(Some(&employee), Rule::ReadAssessment, anonymous(SELF)), Decision::Hidden);
    assert_eq!(decide(Some(&employee), Rule::ReadAssessment, anonymous(MANAGER)), Decision::Allow);
    let hr = principal(Role::Hr, None);
    assert_eq!(decide(Some(&hr), Rule::ReadAssessment, anonymous(NOBODY)), Decision::Allow);
    let hr_subject = principal(Role::Hr, Some("h1"));
    assert_eq!(decide(Some(&hr_subject), Rule::ReadAssessment, anonymous(SELF)), Decision::Hidden);
    let named = assessment(AssessmentKind::Peer, false, false, SELF);
    assert_eq!(decide(Some(&employee), Rule::ReadAssessment, named), Decision::Allow);
}

#[test]
fn anonymous_needs_to_sign_in_for_everything_but_public_routes() {
    assert_eq!(decide(None, Rule::Public, Facts::None), Decision::Allow);
    for rule in [Rule::SignedIn, Rule::Person, Rule::Org, Rule::Admin, Rule::ReadAssessment] {
        assert_eq!(decide(None, rule, Facts::None), Decision::SignIn, "{rule:?}");
    }
}

#[test]
fn a_person_is_seen_by_themselves_their_managers_hr_and_admin_only() {
    let employee = principal(Role::Employee, Some("E1"));
    let person = |relation| decide(Some(&employee), Rule::Person, Facts::Person(relation));
    assert_eq!(person(SELF), Decision::Allow);
    assert_eq!(person(MANAGER), Decision::Allow);
    assert_eq!(person(NOBODY), Decision::Hidden);
    assert_eq!(decide(Some(&employee), Rule::Person, Facts::Missing), Decision::Hidden);
    let hr = principal(Role::Hr, None);
    assert_eq!(decide(Some(&hr), Rule::Person, Facts::Person(NOBODY)), Decision::Allow);
}

#[test]
fn org_is_for_hr_and_admin_and_admin_routes_for_admin() {
    for (role, org, admin) in [
        (Role::Employee, Decision::Hidden, Decision::Hidden),
        (Role::Hr, Decision::Allow, Decision::Hidden),
        (Role::Admin, Decision::Allow, Decision::Allow),
    ] {
        let who = principal(role, None);
        assert_eq!(decide(Some(&who), Rule::Org, Facts::None), org, "{role}");
        assert_eq!(decide(Some(&who), Rule::Admin, Facts::None), admin, "{role}");
    }
}

#[test]
fn a_directory_token_reaches_the_scim_endpoints_and_nothing_else() {
    let directory = principal(Role::Scim, None);
    assert_eq!(decide(Some(&directory), Rule::Directory, Facts::None), Decision::Allow);
    assert_eq!(decide(Some(&directory), Rule::Public, Facts::None), Decision::Allow);
    for rule in [Rule::SignedIn, Rule::Person, Rule::Org, Rule::Admin, Rule::ReadAssessment] {
        assert_eq!(decide(Some(&directory), rule, Facts::None), Decision::Hidden, "{rule:?}");
    }
    for role in Role::OF_ACCOUNTS {
        let who = principal(role, Some("E1"));
        assert_eq!(decide(Some(&who), Rule::Directory, Facts::None), Decision::Hidden, "{role}");
    }
    assert_eq!(decide(None, Rule::Directory, Facts::None), Decision::SignIn);
}

#[test]
fn nobody_but_its_author_sees_a_self_assessment_draft() {
    let draft = |author, subject| assessment(AssessmentKind::SelfReview, true, author, subject);
    let admin = principal(Role::Admin, Some("A"));
    let manager = principal(Role::Employee, Some("M"));
    let subject = principal(Role::Employee, Some("E1"));
    assert_eq!(decide(Some(&subject), Rule::ReadAssessment, draft(true, SELF)), Decision::Allow);
    assert_eq!(
        decide(Some(&manager), Rule::ReadAssessment, draft(false, MANAGER)),
        Decision::Hidden
    );
    assert_eq!(decide(Some(&admin), Rule::ReadAssessment, draft(false, NOBODY)), Decision::Hidden);
    let submitted = assessment(AssessmentKind::SelfReview, false, false, MANAGER);
    assert_eq!(decide(Some(&manager), Rule::ReadAssessment, submitted), Decision::Allow);
    assert_eq!(decide(Some(&manager), Rule::WriteAssessment, submitted), Decision::Forbidden);
}

#[test]
fn a_peer_sees_only_what_they_wrote() {
    let peer = principal(Role::Employee, Some("P"));
    let theirs = assessment(AssessmentKind::Peer, false, true, NOBODY);
    let others = assessment(AssessmentKind::Manager, false, false, NOBODY);
    assert_eq!(decide(Some(&peer), Rule::ReadAssessment, theirs), Decision::Allow);
    assert_eq!(decide(Some(&peer), Rule::WriteAssessment, theirs), Decision::Allow);
    assert_eq!(decide(Some(&peer), Rule::ReadAssessment, others), Decision::Hidden);
    assert_eq!(decide(Some(&peer), Rule::Person, Facts::Person(NOBODY)), Decision::Hidden);
}

#[test]
fn manager_drafts_are_seen_by_hr_but_not_by_their_subject() {
    let draft = assessment(AssessmentKind::Manager, true, false, SELF);
    let subject = principal(Role::Employee, Some("E1"));
    assert_eq!(decide(Some(&subject), Rule::ReadAssessment, draft), Decision::Hidden);
    let hr = principal(Role::Hr, None);
    let draft = assessment(AssessmentKind::Manager, true, false, NOBODY);
    assert_eq!(decide(Some(&hr), Rule::ReadAssessment, draft), Decision::Allow);
    assert_eq!(decide(Some(&hr), Rule::WriteAssessment, draft), Decision::Forbidden);
}

#[test]
fn agreeing_takes_a_manager_assessment_and_a_manager() {
    let manager = principal(Role::Employee, Some("M"));
    let submitted = assessment(AssessmentKind::Manager, false, false, MANAGER);
    assert_eq!(decide(Some(&manager), Rule::AgreeAssessment, submitted), Decision::Allow);
    let subject = principal(Role::Employee, Some("E1"));
    let own_view = assessment(AssessmentKind::Manager, false, false, SELF);
    assert_eq!(decide(Some(&subject), Rule::AgreeAssessment, own_view), Decision::Forbidden);
    let self_review = assessment(AssessmentKind::SelfReview, false, false, MANAGER);
    assert_eq!(decide(Some(&manager), Rule::AgreeAssessment, self_review), Decision::Forbidden);
}

#[test]
fn only_the_subject_acknowledges_their_outcome() {
    let subject = principal(Role::Employee, Some("E1"));
    let rule = Rule::AcknowledgeOutcome;
    assert_eq!(decide(Some(&subject), rule, Facts::Person(SELF)), Decision::Allow);
    let manager = principal(Role::Employee, Some("M"));
    assert_eq!(decide(Some(&manager), rule, Facts::Person(MANAGER)), Decision::Forbidden);
    let hr = principal(Role::Hr, None);
    assert_eq!(decide(Some(&hr), rule, Facts::Person(NOBODY)), Decision::Forbidden);
    let stranger = principal(Role::Employee, Some("E2"));
    assert_eq!(decide(Some(&stranger), rule, Facts::Person(NOBODY)), Decision::Hidden);
    assert_eq!(decide(Some(&stranger), rule, Facts::Missing), Decision::Hidden);
    assert_eq!(decide(None, rule, Facts::Person(SELF)), Decision::SignIn);
}

#[test]
fn assessors_are_the_principal_except_for_peer_requests() {
    let subject = PersonId::parse("E1").expect("a valid id");
    let peer = PersonId::parse("P").expect("a valid id");
    let me = principal(Role::Employee, Some("E1"));
    assert_eq!(
        assessor_for(&me, AssessmentKind::SelfReview, &subject, SELF, None),
        Ok(subject.clone())
    );
    assert!(assessor_for(&me, AssessmentKind::Manager, &subject, SELF, None).is_err());
    assert_eq!(
        assessor_for(&me, AssessmentKind::Peer, &subject, SELF, Some(&peer)),
        Err("peer assessments of E1 are asked for by their manager or hr".to_owned())
    );
    let manager = principal(Role::Employee, Some("M"));
    assert_eq!(
        assessor_for(&manager, AssessmentKind::Peer, &subject, MANAGER, Some(&peer)),
        Ok(peer.clone())
    );
    assert_eq!(
        assessor_for(&manager, AssessmentKind::Manager, &subject, MANAGER, None),
        Ok(PersonId::parse("M").expect("a valid id"))
    );
    assert_eq!(
        assessor_for(&manager, AssessmentKind::SelfReview, &subject, MANAGER, None),
        Err("only E1 writes their self-assessment".to_owned())
    );
}
