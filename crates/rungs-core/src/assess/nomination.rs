//! Peer nominations: the colleagues asked for feedback on a person in a cycle. The person (or
//! a manager in their line, or `hr`) nominates; a manager approves or rejects what the person
//! proposed; an approved peer has a draft to write, or declines with a reason.

use crate::access::{Principal, Relation};
use crate::assess::CycleName;
use crate::org::PersonId;
use crate::text::{DECLINE_REASON, TextError};

/// The most peers one person may have nominated (proposed or approved) in one cycle.
pub const MAX_PEERS: usize = 10;

/// Where a nomination stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NominationState {
    /// The subject proposed the peer; a manager has yet to approve.
    Proposed,
    /// Approved (or nominated by a manager or `hr`): the peer has a draft to write.
    Approved,
    /// A manager turned the proposal down.
    Rejected,
    /// The peer declined, with a reason.
    Declined,
}

impl NominationState {
    pub const ALL: [NominationState; 4] = [
        NominationState::Proposed,
        NominationState::Approved,
        NominationState::Rejected,
        NominationState::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NominationState::Proposed => "proposed",
            NominationState::Approved => "approved",
            NominationState::Rejected => "rejected",
            NominationState::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<NominationState> {
        NominationState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Still asked for: proposed or approved. Those count towards [`MAX_PEERS`].
    pub fn is_live(self) -> bool {
        matches!(self, NominationState::Proposed | NominationState::Approved)
    }

    /// The state in words, for a list.
    pub fn describe(self) -> &'static str {
        match self {
            NominationState::Proposed => "proposed, waiting for the manager's approval",
            NominationState::Approved => "approved",
            NominationState::Rejected => "not approved",
            NominationState::Declined => "declined",
        }
    }
}

/// One colleague nominated to give feedback on one person in one cycle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Nomination {
    pub cycle: CycleName,
    pub subject: PersonId,
    pub peer: PersonId,
    pub state: NominationState,
    /// Who nominated, as the audit log names them (an email, or `token:NAME`).
    pub nominated_by: String,
    /// Who approved, rejected or declined it last, named the same way.
    pub decided_by: Option<String>,
    /// Why the peer declined.
    pub reason: Option<String>,
    /// Asked under anonymous peer feedback: it stays anonymous to the subject, whatever the
    /// framework says later.
    pub anonymous: bool,
}

/// What the nominator's standing makes of a nomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nominator {
    /// The subject proposes: a manager approves before the peer is asked.
    Subject,
    /// A manager in the subject's line, or `hr` or `admin`: the peer is asked at once.
    Approver,
}

impl Nominator {
    /// The state a nomination by this nominator starts in.
    pub fn starts_as(self) -> NominationState {
        match self {
            Nominator::Subject => NominationState::Proposed,
            Nominator::Approver => NominationState::Approved,
        }
    }
}

/// Why a nomination, a decision on one or a decline was refused. People are named by the
/// names the caller passes, not by ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NominationError {
    #[error("peers of {subject} are nominated by {subject}, their manager or hr")]
    MayNotNominate { subject: String },
    #[error("nominations for {subject} are approved by a manager in their line or hr")]
    MayNotDecide { subject: String },
    #[error("only {peer} may decline the peer feedback asked of them")]
    MayNotDecline { peer: String },
    #[error("{subject} cannot be their own peer; their view is the self-assessment")]
    OwnPeer { subject: String },
    #[error(
        "{peer} is in {subject}'s management chain, so writes their manager assessment, not peer feedback"
    )]
    ManagerAsPeer { peer: String, subject: String },
    #[error("{peer} has left the organisation")]
    PeerLeft { peer: String },
    #[error("{peer} is already nominated for {subject} in {cycle} ({state})")]
    AlreadyNominated { peer: String, subject: String, cycle: CycleName, state: &'static str },
    #[error("{peer} declined to give feedback on {subject} in {cycle}{}", .reason.as_ref().map(|reason| format!(": {reason}")).unwrap_or_default())]
    AlreadyDeclined { peer: String, subject: String, cycle: CycleName, reason: Option<String> },
    #[error(
        "{subject} already has {MAX_PEERS} peers asked or proposed in {cycle}, the most there may be"
    )]
    TooMany { subject: String, cycle: CycleName },
    #[error("{peer} is not nominated for {subject} in {cycle}")]
    NotNominated { peer: String, subject: String, cycle: CycleName },
    #[error("the nomination of {peer} is {state}, so there is nothing to {verb}")]
    NotProposed { peer: String, state: &'static str, verb: &'static str },
    #[error("{peer} already submitted their feedback on {subject}; it cannot be declined")]
    AlreadySubmitted { peer: String, subject: String },
    #[error(
        "{peer} is {subject}'s peer to withdraw only while proposed: a manager in their line or hr withdraws an approved one"
    )]
    MayNotWithdraw { peer: String, subject: String },
    #[error("say why you decline, in a sentence: the manager who asked reads it")]
    ReasonMissing,
    #[error(transparent)]
    Reason(#[from] TextError),
}

/// How `principal` stands as a nominator of peers for a person they stand to as `relation`.
pub fn nominator(
    principal: &Principal,
    relation: Relation,
    subject_name: &str,
) -> Result<Nominator, NominationError> {
    // Themselves first: someone in hr proposes their own peers like anyone else.
    if relation.is_self {
        Ok(Nominator::Subject)
    } else if relation.manages || principal.role.sees_everyone() {
        Ok(Nominator::Approver)
    } else {
        Err(NominationError::MayNotNominate { subject: subject_name.to_owned() })
    }
}

/// Checks that `principal` may approve or reject nominations for a person they stand to as
/// `relation`: a manager in the line, `hr` or `admin`. The subject may not approve their own,
/// whatever their role.
pub fn check_decider(
    principal: &Principal,
    relation: Relation,
    subject_name: &str,
) -> Result<(), NominationError> {
    if !relation.is_self && (relation.manages || principal.role.sees_everyone()) {
        Ok(())
    } else {
        Err(NominationError::MayNotDecide { subject: subject_name.to_owned() })
    }
}

/// The people a nomination is about, and what is already nominated for the subject.
#[derive(Debug, Clone, Copy)]
pub struct NominationRequest<'a> {
    pub cycle: &'a CycleName,
    pub subject: &'a PersonId,
    pub subject_name: &'a str,
    pub subject_managers: &'a [PersonId],
    pub peer: &'a PersonId,
    pub peer_name: &'a str,
    pub peer_left: bool,
    /// The subject's nominations in the cycle, every state.
    pub existing: &'a [Nomination],
    /// The subject is the one nominating: a decline's reason is for the manager, not them.
    pub by_subject: bool,
}

/// Checks a new nomination: a colleague who is not the subject nor their manager, still in
/// the organisation, not already asked or declined, within [`MAX_PEERS`]. A rejected
/// proposal may be proposed again.
pub fn check_nomination(request: NominationRequest<'_>) -> Result<(), NominationError> {
    let subject = || request.subject_name.to_owned();
    let peer = || request.peer_name.to_owned();
    if request.peer == request.subject {
        return Err(NominationError::OwnPeer { subject: subject() });
    }
    if request.subject_managers.contains(request.peer) {
        return Err(NominationError::ManagerAsPeer { peer: peer(), subject: subject() });
    }
    if request.peer_left {
        return Err(NominationError::PeerLeft { peer: peer() });
    }
    if let Some(found) = request.existing.iter().find(|nomination| &nomination.peer == request.peer)
    {
        match found.state {
            NominationState::Rejected => {}
            NominationState::Declined => {
                return Err(NominationError::AlreadyDeclined {
                    peer: peer(),
                    subject: subject(),
                    cycle: request.cycle.clone(),
                    reason: found.reason.clone().filter(|_| !request.by_subject),
                });
            }
            state => {
                return Err(NominationError::AlreadyNominated {
                    peer: peer(),
                    subject: subject(),
                    cycle: request.cycle.clone(),
                    state: state.describe(),
                });
            }
        }
    }
    let live = request.existing.iter().filter(|nomination| nomination.state.is_live()).count();
    if live >= MAX_PEERS {
        return Err(NominationError::TooMany { subject: subject(), cycle: request.cycle.clone() });
    }
    Ok(())
}

/// Checks a decision on `nomination`: only a proposal is approved or rejected.
pub fn check_decision(
    nomination: &Nomination,
    peer_name: &str,
    approve: bool,
) -> Result<(), NominationError> {
    if nomination.state == NominationState::Proposed {
        Ok(())
    } else {
        Err(NominationError::NotProposed {
            peer: peer_name.to_owned(),
            state: nomination.state.as_str(),
            verb: if approve { "approve" } else { "reject" },
        })
    }
}

/// Checks the withdrawal of `nomination` by `nominator`: the subject withdraws their own
/// proposal; a manager or `hr` withdraws a proposal or an approved nomination whose feedback
/// is not submitted (its draft goes with it).
pub fn check_withdrawal(
    nomination: &Nomination,
    nominator: Nominator,
    names: (&str, &str),
    submitted: bool,
) -> Result<(), NominationError> {
    let (peer_name, subject_name) = names;
    match (nomination.state, nominator) {
        (NominationState::Proposed, _) => Ok(()),
        (NominationState::Approved, Nominator::Approver) if submitted => {
            Err(NominationError::AlreadySubmitted {
                peer: peer_name.to_owned(),
                subject: subject_name.to_owned(),
            })
        }
        (NominationState::Approved, Nominator::Approver) => Ok(()),
        (NominationState::Approved, Nominator::Subject) => Err(NominationError::MayNotWithdraw {
            peer: peer_name.to_owned(),
            subject: subject_name.to_owned(),
        }),
        (state, _) => Err(NominationError::NotProposed {
            peer: peer_name.to_owned(),
            state: state.as_str(),
            verb: "withdraw",
        }),
    }
}

/// Checks a peer's decline of `nomination` and gives the reason as kept: trimmed, required,
/// plain text of at most [`DECLINE_REASON`]'s length. `submitted` is whether their feedback
/// is already submitted.
pub fn check_decline(
    nomination: &Nomination,
    peer_name: &str,
    subject_name: &str,
    submitted: bool,
    reason: &str,
) -> Result<String, NominationError> {
    if nomination.state != NominationState::Approved {
        return Err(NominationError::NotProposed {
            peer: peer_name.to_owned(),
            state: nomination.state.as_str(),
            verb: "decline",
        });
    }
    if submitted {
        return Err(NominationError::AlreadySubmitted {
            peer: peer_name.to_owned(),
            subject: subject_name.to_owned(),
        });
    }
    check_decline_reason(reason)
}

/// Checks a reason to decline, and gives it as kept: trimmed, required, plain text of at most
/// [`DECLINE_REASON`]'s length.
pub fn check_decline_reason(reason: &str) -> Result<String, NominationError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(NominationError::ReasonMissing);
    }
    DECLINE_REASON.check(reason)?;
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;
    use crate::access::Role;

    fn id(text: &str) -> PersonId {
        PersonId::parse(text).unwrap()
    }

    fn nomination(peer: &str, state: NominationState) -> Nomination {
        Nomination {
            cycle: CycleName::parse("2027-H1").unwrap(),
            subject: id("ada"),
            peer: id(peer),
            state,
            nominated_by: "ada@example.com".into(),
            decided_by: None,
            reason: (state == NominationState::Declined).then(|| "On leave".to_owned()),
            anonymous: true,
        }
    }

    fn request<'a>(
        cycle: &'a CycleName,
        subject: &'a PersonId,
        managers: &'a [PersonId],
        peer: &'a PersonId,
        existing: &'a [Nomination],
    ) -> NominationRequest<'a> {
        NominationRequest {
            cycle,
            subject,
            subject_name: "Ada Lovelace",
            subject_managers: managers,
            peer,
            peer_name: "Grace Hopper",
            peer_left: false,
            existing,
            by_subject: false,
        }
    }

    #[test]
    fn the_subject_proposes_and_a_manager_or_hr_approves_at_once() {
        let person = |role, person: &str| Principal {
            name: format!("{person}@example.com"),
            role,
            person: Some(id(person)),
        };
        let me = Relation { is_self: true, manages: false };
        let boss = Relation { is_self: false, manages: true };
        let stranger = Relation::default();
        assert_eq!(nominator(&person(Role::Employee, "ada"), me, "Ada"), Ok(Nominator::Subject));
        assert_eq!(nominator(&person(Role::Employee, "bob"), boss, "Ada"), Ok(Nominator::Approver));
        assert_eq!(nominator(&person(Role::Hr, "hr"), stranger, "Ada"), Ok(Nominator::Approver));
        assert_eq!(
            nominator(&person(Role::Employee, "eve"), stranger, "Ada").unwrap_err().to_string(),
            "peers of Ada are nominated by Ada, their manager or hr"
        );
        assert!(check_decider(&person(Role::Employee, "ada"), me, "Ada").is_err());
        // Someone in hr is the subject of their own nominations like anyone else.
        assert_eq!(nominator(&person(Role::Hr, "ada"), me, "Ada"), Ok(Nominator::Subject));
        assert!(check_decider(&person(Role::Hr, "ada"), me, "Ada").is_err());
        assert!(check_decider(&person(Role::Employee, "bob"), boss, "Ada").is_ok());
        assert_eq!(Nominator::Subject.starts_as(), NominationState::Proposed);
        assert_eq!(Nominator::Approver.starts_as(), NominationState::Approved);
    }

    #[test]
    fn a_nomination_names_a_colleague_once_within_the_limit() {
        let cycle = CycleName::parse("2027-H1").unwrap();
        let (ada, bob, grace) = (id("ada"), id("bob"), id("grace"));
        let managers = [bob.clone()];
        let fine = request(&cycle, &ada, &managers, &grace, &[]);
        assert_eq!(check_nomination(fine), Ok(()));
        let own = request(&cycle, &ada, &managers, &ada, &[]);
        assert!(check_nomination(own).unwrap_err().to_string().contains("own peer"));
        let boss = request(&cycle, &ada, &managers, &bob, &[]);
        assert!(check_nomination(boss).unwrap_err().to_string().contains("management chain"));
        let left = NominationRequest { peer_left: true, ..fine };
        assert_eq!(
            check_nomination(left).unwrap_err().to_string(),
            "Grace Hopper has left the organisation"
        );

        let approved = [nomination("grace", NominationState::Approved)];
        let again = request(&cycle, &ada, &managers, &grace, &approved);
        assert_eq!(
            check_nomination(again).unwrap_err().to_string(),
            "Grace Hopper is already nominated for Ada Lovelace in 2027-H1 (approved)"
        );
        let declined = [nomination("grace", NominationState::Declined)];
        let after_decline = request(&cycle, &ada, &managers, &grace, &declined);
        assert!(check_nomination(after_decline).unwrap_err().to_string().ends_with(": On leave"));
        let asked_by_the_subject = NominationRequest { by_subject: true, ..after_decline };
        assert_eq!(
            check_nomination(asked_by_the_subject).unwrap_err().to_string(),
            "Grace Hopper declined to give feedback on Ada Lovelace in 2027-H1"
        );
        let rejected = [nomination("grace", NominationState::Rejected)];
        assert_eq!(check_nomination(request(&cycle, &ada, &managers, &grace, &rejected)), Ok(()));

        let full: Vec<Nomination> = (0..MAX_PEERS)
            .map(|n| nomination(&format!("p{n}"), NominationState::Proposed))
            .chain([nomination("x", NominationState::Rejected)])
            .collect();
        let too_many = request(&cycle, &ada, &managers, &grace, &full);
        assert!(
            check_nomination(too_many).unwrap_err().to_string().contains("already has 10 peers")
        );
    }

    #[test]
    fn the_subject_withdraws_a_proposal_and_a_manager_an_unsubmitted_approval() {
        let proposed = nomination("grace", NominationState::Proposed);
        let approved = nomination("grace", NominationState::Approved);
        let declined = nomination("grace", NominationState::Declined);
        let names = ("Grace", "Ada");
        assert_eq!(check_withdrawal(&proposed, Nominator::Subject, names, false), Ok(()));
        assert_eq!(check_withdrawal(&approved, Nominator::Approver, names, false), Ok(()));
        assert!(
            check_withdrawal(&approved, Nominator::Subject, names, false)
                .unwrap_err()
                .to_string()
                .contains("withdraw only while proposed")
        );
        assert!(
            check_withdrawal(&approved, Nominator::Approver, names, true)
                .unwrap_err()
                .to_string()
                .contains("already submitted")
        );
        assert_eq!(
            check_withdrawal(&declined, Nominator::Approver, names, false).unwrap_err().to_string(),
            "the nomination of Grace is declined, so there is nothing to withdraw"
        );
    }

    #[test]
    fn only_proposals_are_decided_and_only_approved_unsubmitted_ones_declined() {
        let proposed = nomination("grace", NominationState::Proposed);
        let approved = nomination("grace", NominationState::Approved);
        assert_eq!(check_decision(&proposed, "Grace", true), Ok(()));
        assert_eq!(
            check_decision(&approved, "Grace", false).unwrap_err().to_string(),
            "the nomination of Grace is approved, so there is nothing to reject"
        );
        assert_eq!(
            check_decline(&approved, "Grace", "Ada", false, "  On leave. "),
            Ok("On leave.".into())
        );
        assert_eq!(
            check_decline(&approved, "Grace", "Ada", false, " ").unwrap_err(),
            NominationError::ReasonMissing
        );
        assert!(
            check_decline(&approved, "Grace", "Ada", true, "x")
                .unwrap_err()
                .to_string()
                .contains("already submitted")
        );
        assert!(check_decline(&proposed, "Grace", "Ada", false, "x").is_err());
        let control = check_decline(&approved, "Grace", "Ada", false, "a\u{1b}b").unwrap_err();
        assert!(control.to_string().contains("U+001B"), "{control}");
        let long = "a".repeat(DECLINE_REASON.max + 1);
        assert!(
            check_decline(&approved, "Grace", "Ada", false, &long)
                .unwrap_err()
                .to_string()
                .starts_with("reason is at most 500")
        );
    }
}
