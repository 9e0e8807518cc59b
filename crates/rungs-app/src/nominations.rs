//! Peer nominations: a person (or their manager, or `hr`) nominating colleagues for feedback,
//! a manager approving or rejecting what the person proposed, a peer declining with a reason,
//! and the nominations a page lists. An approved peer gets a peer draft in the same
//! transaction, which is their task.

use rungs_core::access::{Principal, Relation};
use rungs_core::assess::{
    AssessmentKind, AssessmentStatus, CycleName, Nomination, NominationError, NominationRequest,
    NominationState, Nominator, PeerFeedbackPolicy, Step, Write, check_decider, check_decision,
    check_decline, check_nomination, check_withdrawal, nominator,
};
use rungs_core::org::{PersonId, Status};
use rungs_store::{AssessmentFilter, Change, Nominations, Records};

use crate::assessments::NewAssessmentInput;
use crate::audit::Audit;
use crate::{App, AppError, SearchScope};

/// What a nomination that passed its checks does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checked {
    /// A manager names a peer the subject proposed: the proposal is approved.
    ApprovesProposal,
    /// A new nomination (or a rejected one revived), starting as `state`.
    New { state: NominationState },
}

impl Checked {
    /// Where the nomination stands once written.
    fn state(self) -> NominationState {
        match self {
            Checked::ApprovesProposal => NominationState::Approved,
            Checked::New { state } => state,
        }
    }
}

/// One nomination as a list shows it: the peer by name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NominationEntry {
    #[serde(flatten)]
    pub nomination: Nomination,
    pub peer_name: String,
    /// The state in words.
    pub state_text: &'static str,
}

/// A person's peer nominations in one cycle, and how their feedback is shown to them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeerNominations {
    pub cycle: CycleName,
    pub subject: PersonId,
    pub policy: PeerFeedbackPolicy,
    /// What the policy means for the subject, in a sentence.
    pub policy_text: String,
    pub nominations: Vec<NominationEntry>,
}

impl App {
    /// `principal` nominates the colleague typed as `peer` (a name, an email or an id) for
    /// feedback on `subject` in open cycle `cycle`. The subject's own nomination is a proposal
    /// a manager approves; a manager's or `hr`'s asks the peer at once, giving them a draft.
    /// A manager who nominates someone the subject proposed approves the proposal.
    pub async fn nominate(
        &self,
        principal: &Principal,
        relation: Relation,
        cycle: &str,
        subject: &PersonId,
        peer: &str,
    ) -> Result<Nomination, AppError> {
        let mut nominated =
            self.nominate_all(principal, relation, cycle, subject, &[peer.to_owned()]).await?;
        nominated.pop().ok_or_else(|| AppError::not_found("nomination", peer))
    }

    /// Nominates each of `peers` as [`App::nominate`] does, all in one transaction with one
    /// audit entry: one refused (or named twice) nominates nobody.
    pub async fn nominate_all(
        &self,
        principal: &Principal,
        relation: Relation,
        cycle: &str,
        subject: &PersonId,
        peers: &[String],
    ) -> Result<Vec<Nomination>, AppError> {
        let cycle = self.cycle(cycle).await?;
        let mut existing = self.store.nominations_in(&cycle.name, subject).await?;
        let mut checked: Vec<(PersonId, Checked)> = Vec::with_capacity(peers.len());
        for typed in peers {
            let peer = self.resolve_person(principal, "peer", typed, SearchScope::Everyone).await?;
            if checked.iter().any(|(already, _)| *already == peer) {
                let name = self.person(peer.as_str()).await?.name;
                return Err(AppError::invalid(
                    "peer",
                    format!("{name} is named twice; nobody was nominated"),
                ));
            }
            let found =
                self.check_nominee(principal, relation, &cycle, subject, &peer, &existing).await?;
            // Counted as asked for the checks of the peers after it.
            existing.retain(|nomination| nomination.peer != peer);
            existing.push(Nomination {
                cycle: cycle.name.clone(),
                subject: subject.clone(),
                peer: peer.clone(),
                state: found.state(),
                nominated_by: self.actor().to_owned(),
                decided_by: None,
                reason: None,
                anonymous: true,
            });
            checked.push((peer, found));
        }
        let anonymous = self.asks_anonymously().await?;
        let mut changes = Vec::new();
        for (peer, found) in &checked {
            changes.push(self.nomination_change(*found, &cycle.name, subject, peer, anonymous));
            if found.state() == NominationState::Approved {
                self.push_peer_draft(&cycle.name, subject, peer, &mut changes).await?;
            }
        }
        let subject_name = self.person(subject.as_str()).await?.name;
        let names = self.names(checked.iter().map(|(peer, _)| peer)).await?;
        let listed: Vec<&str> = checked.iter().map(|(peer, _)| names.of(peer)).collect();
        let only_approves = checked.iter().all(|(_, found)| *found == Checked::ApprovesProposal);
        let action = if only_approves { "nomination.approve" } else { "nomination.create" };
        let audit = Audit::new(
            action,
            format!("{} {} of {subject_name} in {}", if listed.len() == 1 { "peer" } else { "peers" }, listed.join(", "), cycle.name),
        )
        .person(subject)
        .after(serde_json::json!({
            "cycle": cycle.name.as_str(),
            "peers": checked
                .iter()
                .map(|(peer, found)| serde_json::json!({"peer": peer.as_str(), "state": found.state().as_str()}))
                .collect::<Vec<_>>(),
        }));
        self.write(changes, audit).await?;
        let now = self.store.nominations_in(&cycle.name, subject).await?;
        Ok(checked
            .iter()
            .filter_map(|(peer, _)| now.iter().find(|nomination| &nomination.peer == peer).cloned())
            .collect())
    }

    /// What nominating `peer` would do, or why it is refused.
    async fn check_nominee(
        &self,
        principal: &Principal,
        relation: Relation,
        cycle: &rungs_core::assess::Cycle,
        subject: &PersonId,
        peer: &PersonId,
        existing: &[Nomination],
    ) -> Result<Checked, AppError> {
        let subject_person = self.person(subject.as_str()).await?;
        let nominator = nominator(principal, relation, &subject_person.name)?;
        let proposed = existing
            .iter()
            .any(|found| &found.peer == peer && found.state == NominationState::Proposed);
        if proposed && nominator == Nominator::Approver {
            return Ok(Checked::ApprovesProposal);
        }
        let peer_person = self.person(peer.as_str()).await?;
        let managers = self.store.manager_chain(subject).await?;
        check_nomination(NominationRequest {
            cycle: &cycle.name,
            subject,
            subject_name: &subject_person.name,
            subject_managers: &managers,
            peer,
            peer_name: &peer_person.name,
            peer_left: peer_person.status == Status::Left,
            existing,
            by_subject: nominator == Nominator::Subject,
        })?;
        self.check_plan_write(cycle, Write::Step(Step::PeerFeedback), subject).await?;
        Ok(Checked::New { state: nominator.starts_as() })
    }

    /// A manager in `subject`'s line (or `hr`) approves or rejects the peer the subject
    /// proposed. An approved peer gets their draft in the same transaction.
    pub async fn decide_nomination(
        &self,
        principal: &Principal,
        relation: Relation,
        cycle: &str,
        subject: &PersonId,
        peer: &str,
        approve: bool,
    ) -> Result<Nomination, AppError> {
        let subject_person = self.person(subject.as_str()).await?;
        check_decider(principal, relation, &subject_person.name)?;
        let cycle = self.cycle(cycle).await?;
        let existing = self.store.nominations_in(&cycle.name, subject).await?;
        let nomination = self.nominated(&existing, &cycle.name, &subject_person.name, peer).await?;
        let peer_name = self.person(nomination.peer.as_str()).await?.name;
        check_decision(nomination, &peer_name, approve)?;
        let peer = nomination.peer.clone();
        // The draft an approval gives checks the cycle's stage itself.
        let mut changes = vec![Change::DecideNomination {
            cycle: cycle.name.clone(),
            subject: subject.clone(),
            peer: peer.clone(),
            approve,
            by: self.actor().to_owned(),
            at: self.now(),
            anonymous: self.asks_anonymously().await?,
        }];
        if approve {
            self.push_peer_draft(&cycle.name, subject, &peer, &mut changes).await?;
        }
        let action = if approve { "nomination.approve" } else { "nomination.reject" };
        let audit = Audit::new(
            action,
            format!("peer {peer_name} of {} in {}", subject_person.name, cycle.name),
        )
        .person(subject)
        .before(serde_json::json!({ "state": NominationState::Proposed.as_str() }))
        .after(serde_json::json!({
            "cycle": cycle.name.as_str(),
            "peer": peer.as_str(),
            "state": if approve { "approved" } else { "rejected" },
        }));
        self.write(changes, audit).await?;
        self.nomination(&cycle.name, subject, &peer).await
    }

    /// The peer `principal` is declines the feedback on `subject` asked of them in `cycle`,
    /// saying why. Their draft, and what they wrote in it, goes; a submitted one cannot be
    /// declined.
    pub async fn decline_nomination(
        &self,
        principal: &Principal,
        cycle: &str,
        subject: &PersonId,
        reason: &str,
    ) -> Result<Nomination, AppError> {
        let subject_person = self.person(subject.as_str()).await?;
        let cycle = self.cycle(cycle).await?;
        let existing = self.store.nominations_in(&cycle.name, subject).await?;
        let mine = principal
            .person
            .as_ref()
            .and_then(|me| existing.iter().find(|nomination| &nomination.peer == me));
        let Some(nomination) = mine else {
            let peer = principal
                .person
                .as_ref()
                .map_or_else(|| principal.name.clone(), |me| me.to_string());
            return Err(NominationError::MayNotDecline { peer }.into());
        };
        let peer_person = self.person(nomination.peer.as_str()).await?;
        let submitted =
            self.submitted_peer_feedback(&cycle.name, subject, &nomination.peer).await?;
        let reason =
            check_decline(nomination, &peer_person.name, &subject_person.name, submitted, reason)?;
        let peer = nomination.peer.clone();
        let changes = vec![Change::DeclineNomination {
            cycle: cycle.name.clone(),
            subject: subject.clone(),
            peer: peer.clone(),
            reason: reason.clone(),
            by: self.actor().to_owned(),
            at: self.now(),
        }];
        let audit = Audit::new(
            "nomination.decline",
            format!("peer {} of {} in {}", peer_person.name, subject_person.name, cycle.name),
        )
        .person(subject)
        .before(serde_json::json!({ "state": NominationState::Approved.as_str() }))
        .after(serde_json::json!({
            "cycle": cycle.name.as_str(),
            "peer": peer.as_str(),
            "state": "declined",
            "reason": reason,
        }));
        self.write(changes, audit).await?;
        self.nomination(&cycle.name, subject, &peer).await
    }

    /// The cycle `named`, or without a name the one open cycle: what the command line's
    /// `--cycle` defaults to.
    pub async fn cycle_or_the_open_one(&self, named: Option<&str>) -> Result<CycleName, AppError> {
        if let Some(name) = named.map(str::trim).filter(|name| !name.is_empty()) {
            return Ok(self.cycle(name).await?.name);
        }
        let open: Vec<CycleName> = Records::cycles(&self.store)
            .await?
            .into_iter()
            .filter(|cycle| cycle.is_open())
            .map(|cycle| cycle.name)
            .collect();
        match open.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(AppError::invalid(
                "cycle",
                "no cycle is open; open one with `rungs cycle create`",
            )),
            several => Err(AppError::invalid(
                "cycle",
                format!(
                    "{} cycles are open ({}); name one with --cycle",
                    several.len(),
                    several.iter().map(CycleName::as_str).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// `principal` withdraws the nomination of the peer typed as `peer`: the subject their
    /// own proposal, a manager in the line or `hr` a proposal or an approved nomination not
    /// yet submitted, whose draft (and anything written in it) goes in the same transaction.
    /// The peer may be nominated again.
    pub async fn withdraw_nomination(
        &self,
        principal: &Principal,
        relation: Relation,
        cycle: &str,
        subject: &PersonId,
        peer: &str,
    ) -> Result<Nomination, AppError> {
        let subject_person = self.person(subject.as_str()).await?;
        let nominator = nominator(principal, relation, &subject_person.name)?;
        let cycle = self.cycle(cycle).await?;
        let existing = self.store.nominations_in(&cycle.name, subject).await?;
        let nomination =
            self.nominated(&existing, &cycle.name, &subject_person.name, peer).await?.clone();
        let peer_name = self.person(nomination.peer.as_str()).await?.name;
        let submitted =
            self.submitted_peer_feedback(&cycle.name, subject, &nomination.peer).await?;
        check_withdrawal(&nomination, nominator, (&peer_name, &subject_person.name), submitted)?;
        let changes = vec![Change::WithdrawNomination {
            cycle: cycle.name.clone(),
            subject: subject.clone(),
            peer: nomination.peer.clone(),
        }];
        let audit = Audit::new(
            "nomination.withdraw",
            format!("peer {peer_name} of {} in {}", subject_person.name, cycle.name),
        )
        .person(subject)
        .before(serde_json::json!({
            "cycle": cycle.name.as_str(),
            "peer": nomination.peer.as_str(),
            "state": nomination.state.as_str(),
        }));
        self.write(changes, audit).await?;
        Ok(nomination)
    }

    /// Whether `peer` submitted feedback on `subject` in `cycle`.
    async fn submitted_peer_feedback(
        &self,
        cycle: &CycleName,
        subject: &PersonId,
        peer: &PersonId,
    ) -> Result<bool, AppError> {
        let written = self
            .store
            .assessments(&AssessmentFilter {
                cycle: Some(cycle.clone()),
                subject: Some(subject.clone()),
                assessor: Some(peer.clone()),
                ..AssessmentFilter::default()
            })
            .await?;
        Ok(written.iter().any(|stored| {
            stored.assessment.kind == AssessmentKind::Peer
                && stored.assessment.status == AssessmentStatus::Submitted
        }))
    }

    /// The name of `subject` (an id) when `peer` declined feedback on them in an open cycle:
    /// what the peer's home page confirms after a decline.
    pub async fn declined_by(
        &self,
        peer: &PersonId,
        subject: &str,
    ) -> Result<Option<String>, AppError> {
        let asked = self.store.nominations_asked_of(peer).await?;
        let declined = asked.iter().find(|nomination| {
            nomination.subject.as_str() == subject && nomination.state == NominationState::Declined
        });
        match declined {
            Some(nomination) => Ok(Some(self.person(nomination.subject.as_str()).await?.name)),
            None => Ok(None),
        }
    }

    /// `subject`'s nominations in cycle `cycle`, peers named.
    pub async fn peer_nominations(
        &self,
        cycle: &str,
        subject: &PersonId,
    ) -> Result<PeerNominations, AppError> {
        let cycle = self.cycle(cycle).await?;
        let found = self.store.nominations_in(&cycle.name, subject).await?;
        self.peer_list(cycle.name, subject, found).await
    }

    /// `subject`'s nominations in each open cycle, peers named: one list per open cycle, empty
    /// when nobody is nominated yet.
    pub async fn open_peer_nominations(
        &self,
        subject: &PersonId,
    ) -> Result<Vec<PeerNominations>, AppError> {
        let mut found = self.store.open_nominations_of(subject).await?;
        let open: Vec<CycleName> = Records::cycles(&self.store)
            .await?
            .into_iter()
            .filter(|cycle| cycle.is_open())
            .map(|cycle| cycle.name)
            .collect();
        let mut lists = Vec::with_capacity(open.len());
        for cycle in open {
            let (these, rest): (Vec<_>, Vec<_>) =
                found.into_iter().partition(|nomination| nomination.cycle == cycle);
            found = rest;
            lists.push(self.peer_list(cycle, subject, these).await?);
        }
        Ok(lists)
    }

    async fn peer_list(
        &self,
        cycle: CycleName,
        subject: &PersonId,
        nominations: Vec<Nomination>,
    ) -> Result<PeerNominations, AppError> {
        let org = self.current_org().await?;
        let names = org.names(nominations.iter().map(|nomination| &nomination.peer));
        let policy = self.current_framework().await?.peer_feedback();
        Ok(PeerNominations {
            cycle,
            subject: subject.clone(),
            policy,
            policy_text: policy.describe(),
            nominations: nominations
                .into_iter()
                .map(|nomination| NominationEntry {
                    peer_name: names.of(&nomination.peer).to_owned(),
                    state_text: nomination.state.describe(),
                    nomination,
                })
                .collect(),
        })
    }

    /// The nomination of the peer typed as `peer` (name, email or id) among `existing`.
    async fn nominated<'n>(
        &self,
        existing: &'n [Nomination],
        cycle: &CycleName,
        subject_name: &str,
        peer: &str,
    ) -> Result<&'n Nomination, AppError> {
        let peer = self.anyone_named("peer", peer).await?;
        match existing.iter().find(|nomination| nomination.peer == peer) {
            Some(nomination) => Ok(nomination),
            None => Err(NominationError::NotNominated {
                peer: self.person(peer.as_str()).await?.name,
                subject: subject_name.to_owned(),
                cycle: cycle.clone(),
            }
            .into()),
        }
    }

    async fn nomination(
        &self,
        cycle: &CycleName,
        subject: &PersonId,
        peer: &PersonId,
    ) -> Result<Nomination, AppError> {
        self.store
            .nominations_in(cycle, subject)
            .await?
            .into_iter()
            .find(|nomination| &nomination.peer == peer)
            .ok_or_else(|| AppError::not_found("nomination", format!("{peer} for {subject}")))
    }

    /// The nomination change a peer assessment asked for directly (by a manager or `hr`,
    /// through `create_assessment`) stands on: a proposal of the same peer is approved, a new
    /// one is approved at once. Refused as a nomination by an admin would be.
    pub(crate) async fn asked_peer_nomination(
        &self,
        cycle: &rungs_core::assess::Cycle,
        subject: &PersonId,
        peer: &PersonId,
    ) -> Result<Change, AppError> {
        let existing = self.store.nominations_in(&cycle.name, subject).await?;
        let found = self
            .check_nominee(
                &Principal::operator(),
                Relation::default(),
                cycle,
                subject,
                peer,
                &existing,
            )
            .await?;
        let anonymous = self.asks_anonymously().await?;
        Ok(self.nomination_change(found, &cycle.name, subject, peer, anonymous))
    }

    /// The change that writes a checked nomination of `peer`.
    fn nomination_change(
        &self,
        found: Checked,
        cycle: &CycleName,
        subject: &PersonId,
        peer: &PersonId,
        anonymous: bool,
    ) -> Change {
        let (cycle, subject, peer) = (cycle.clone(), subject.clone(), peer.clone());
        let (by, at) = (self.actor().to_owned(), self.now());
        match found {
            Checked::ApprovesProposal => {
                Change::DecideNomination { cycle, subject, peer, approve: true, by, at, anonymous }
            }
            Checked::New { state } => {
                Change::Nominate { cycle, subject, peer, state, by, at, anonymous }
            }
        }
    }

    /// Whether a peer asked now is asked under anonymous peer feedback.
    async fn asks_anonymously(&self) -> Result<bool, AppError> {
        Ok(self.current_framework().await?.peer_feedback() == PeerFeedbackPolicy::Anonymous)
    }

    /// Pushes the peer draft an approved nomination gives the peer.
    async fn push_peer_draft(
        &self,
        cycle: &CycleName,
        subject: &PersonId,
        peer: &PersonId,
        changes: &mut Vec<Change>,
    ) -> Result<(), AppError> {
        let input = NewAssessmentInput {
            cycle: cycle.to_string(),
            subject: subject.to_string(),
            assessor: peer.to_string(),
            kind: AssessmentKind::Peer,
            target: None,
        };
        self.new_assessment_changes(&input, changes).await.map(|_| ())
    }
}
