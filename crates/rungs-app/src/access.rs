//! The facts an access decision needs: how a principal stands to the person, assessment or
//! plan action a request names, read from the org chart and the assessment.

use rungs_core::access::{AssessmentFacts, Facts, Principal, Relation};
use rungs_core::assess::{ActionId, AssessmentId, AssessmentStatus};
use rungs_core::org::PersonId;
use rungs_store::{Records, Storage};

use crate::{App, AppError};

/// What a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Nothing,
    Person(&'a str),
    /// The person as the one who acts on their own record: whether the principal is them
    /// matters even to `hr` and `admin`.
    Themselves(&'a str),
    Assessment(&'a str),
    Action(&'a str),
}

impl App {
    /// How `principal` stands to the person `id`; `None` when there is no such person.
    pub async fn relation(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<Option<Relation>, AppError> {
        let Ok(person) = PersonId::parse(id) else { return Ok(None) };
        if principal.person.is_none() {
            // Nothing to relate: existence is all an `hr` or `admin` principal needs.
            return Ok(self.store.person(person.as_str()).await?.map(|_| Relation::default()));
        }
        let managers = match self.current_org().await?.manager_ids(person.as_str()) {
            Some(managers) => Some(managers),
            // Not in the chart: someone who left, or nobody.
            None => self.store.chain_of(&person).await?,
        };
        Ok(managers.map(|managers| Relation::of(principal, &person, &managers)))
    }

    /// The facts about `target` for `principal`'s access decision.
    pub async fn facts(
        &self,
        principal: &Principal,
        target: Target<'_>,
    ) -> Result<Facts, AppError> {
        let person_facts =
            |relation: Option<Relation>| relation.map_or(Facts::Missing, Facts::Person);
        // `hr` and `admin` may see every person: nothing to read to decide that.
        if principal.role.sees_everyone() && matches!(target, Target::Person(_) | Target::Action(_))
        {
            return Ok(Facts::None);
        }
        match target {
            Target::Nothing => Ok(Facts::None),
            Target::Person(id) | Target::Themselves(id) => {
                Ok(person_facts(self.relation(principal, id).await?))
            }
            Target::Action(id) => {
                let Some(action) = id.parse::<i64>().ok().map(ActionId::new) else {
                    return Ok(Facts::Missing);
                };
                match self.store.action_subject(action).await? {
                    Some(subject) => {
                        Ok(person_facts(self.relation(principal, subject.as_str()).await?))
                    }
                    None => Ok(Facts::Missing),
                }
            }
            Target::Assessment(id) => {
                let Some(id) = AssessmentId::parse(id) else { return Ok(Facts::Missing) };
                let Some(stored) = self.store.assessment(id).await? else {
                    return Ok(Facts::Missing);
                };
                let assessment = stored.assessment;
                let subject = self
                    .relation(principal, assessment.subject.as_str())
                    .await?
                    .unwrap_or_default();
                Ok(Facts::Assessment(AssessmentFacts {
                    kind: assessment.kind,
                    draft: assessment.status == AssessmentStatus::Draft,
                    author: principal.person.as_ref() == Some(&assessment.assessor),
                    subject,
                    anonymous_peer: self.anonymous_peer(&assessment).await?,
                }))
            }
        }
    }
}

impl App {
    /// Whether `assessment` is peer feedback its subject may not open: the active framework
    /// keeps peer feedback anonymous, or its peer was asked while it did.
    pub async fn anonymous_peer(
        &self,
        assessment: &rungs_core::assess::Assessment,
    ) -> Result<bool, AppError> {
        if assessment.kind != rungs_core::assess::AssessmentKind::Peer {
            return Ok(false);
        }
        let framework = self.current_framework().await?;
        let anonymous = self.anonymous_peers_of(&assessment.subject, &framework).await?;
        Ok(anonymous.includes(&assessment.cycle, &assessment.assessor))
    }

    /// Whose peer feedback `subject` sees without names under the active framework.
    pub async fn anonymous_peers_for(
        &self,
        subject: &PersonId,
    ) -> Result<rungs_core::assess::AnonymousPeers, AppError> {
        let framework = self.current_framework().await?;
        self.anonymous_peers_of(subject, &framework).await
    }
}
