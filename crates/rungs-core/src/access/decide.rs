//! The access decision: one rule per route, the facts the edge gathered, and the answer.
//!
//! Deny by default: a principal sees a person's data only as that person, as someone in their
//! management chain, or with a role that sees everyone. A denial of data the principal may not
//! see is [`Decision::Hidden`] (answered like a missing record, so ids cannot be probed); a
//! refused change to something they may see is [`Decision::Forbidden`].

use crate::assess::AssessmentKind;
use crate::org::PersonId;

use super::{Principal, Relation, Role};

/// What a route asks of the principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not: health checks, static files, signing in.
    Public,
    /// Any signed-in principal: the ladder, their own account.
    SignedIn,
    /// A person's data (page, readiness, history, plan, team, assessments of them): that
    /// person, their managers, `hr` and `admin`.
    Person,
    /// Reading an assessment: its author; once submitted, also its subject (unless it is
    /// anonymous peer feedback) and the subject's managers; `hr` and `admin` too, except for
    /// self-assessment drafts, which only their author ever sees.
    ReadAssessment,
    /// Changing an assessment (ratings, evidence, submit, revise): its author, who must be
    /// able to read it.
    WriteAssessment,
    /// Recording agreed ratings on a manager assessment: its author or a manager of its
    /// subject.
    AgreeAssessment,
    /// Acknowledging the outcome agreed for a person: that person only. Those who may see the
    /// person (their managers, `hr`, `admin`) are refused; everyone else finds nothing.
    AcknowledgeOutcome,
    /// The whole org (tree, stats, checks, lists of assessments) and cycles: `hr`, `admin`.
    Org,
    /// Accounts, tokens, frameworks, imports, the audit log: `admin` only.
    Admin,
    /// The SCIM endpoints a directory keeps the org chart current through: `scim` tokens only.
    Directory,
}

/// What the edge found out about the record a route names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facts {
    /// The route names no record.
    None,
    /// The route names a person (or a plan action of theirs) that does not exist.
    Missing,
    Person(Relation),
    Assessment(AssessmentFacts),
}

/// How the principal stands to an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessmentFacts {
    pub kind: AssessmentKind,
    pub draft: bool,
    /// The principal wrote it.
    pub author: bool,
    /// How the principal stands to its subject.
    pub subject: Relation,
    /// A peer assessment under anonymous peer feedback: its subject sees its ratings on their
    /// own page, without its author, and may not open it.
    pub anonymous_peer: bool,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Nobody is signed in and the route needs someone: sign in first.
    SignIn,
    /// Answered as "not found".
    Hidden,
    /// The principal may see the record but not change it.
    Forbidden,
}

/// Decides whether `principal` (`None`: anonymous) may use a route with `rule` on a record
/// described by `facts`.
pub fn decide(principal: Option<&Principal>, rule: Rule, facts: Facts) -> Decision {
    if rule == Rule::Public {
        return Decision::Allow;
    }
    let Some(principal) = principal else {
        return Decision::SignIn;
    };
    // A directory's token reaches the SCIM endpoints and nothing else; nobody else reaches
    // them. Either way, what it may not use looks absent.
    if (principal.role == Role::Scim) != (rule == Rule::Directory) {
        return Decision::Hidden;
    }
    let everyone = principal.role.sees_everyone();
    let allow_if = |allowed: bool| if allowed { Decision::Allow } else { Decision::Hidden };
    match rule {
        Rule::Public | Rule::SignedIn | Rule::Directory => Decision::Allow,
        Rule::Org => allow_if(everyone),
        Rule::Admin => allow_if(principal.role == Role::Admin),
        Rule::Person => match facts {
            Facts::Person(relation) => allow_if(everyone || relation.is_self || relation.manages),
            // `hr` and `admin` learn nothing from a missing id; the handler says it is missing.
            Facts::Missing | Facts::None | Facts::Assessment(_) => allow_if(everyone),
        },
        Rule::AcknowledgeOutcome => match facts {
            Facts::Person(relation) if relation.is_self => Decision::Allow,
            Facts::Person(relation) if everyone || relation.manages => Decision::Forbidden,
            Facts::Person(_) => Decision::Hidden,
            Facts::Missing | Facts::None | Facts::Assessment(_) => allow_if(everyone),
        },
        Rule::ReadAssessment | Rule::WriteAssessment | Rule::AgreeAssessment => {
            let Facts::Assessment(assessment) = facts else {
                return allow_if(everyone);
            };
            if !may_read(principal, assessment) {
                return Decision::Hidden;
            }
            let may_change = match rule {
                Rule::WriteAssessment => assessment.author,
                Rule::AgreeAssessment => {
                    assessment.kind == AssessmentKind::Manager
                        && (assessment.author || assessment.subject.manages)
                }
                _ => true,
            };
            if may_change { Decision::Allow } else { Decision::Forbidden }
        }
    }
}

fn may_read(principal: &Principal, assessment: AssessmentFacts) -> bool {
    if assessment.author {
        return true;
    }
    // Anonymous peer feedback is not its subject's to open, draft or not, whatever their role.
    if assessment.subject.is_self && assessment.anonymous_peer {
        return false;
    }
    if assessment.draft {
        return assessment.kind != AssessmentKind::SelfReview && principal.role.sees_everyone();
    }
    principal.role.sees_everyone() || assessment.subject.is_self || assessment.subject.manages
}

/// Who writes a new assessment of `kind` of `subject` that `principal` creates: the
/// principal themselves for `self` and `manager`; for `peer`, the colleague the subject's
/// manager (or `hr`, `admin`) asks. The message says why not.
pub fn assessor_for(
    principal: &Principal,
    kind: AssessmentKind,
    subject: &PersonId,
    relation: Relation,
    requested: Option<&PersonId>,
) -> Result<PersonId, String> {
    let me = principal.person.as_ref();
    match kind {
        AssessmentKind::SelfReview => match me {
            Some(me) if relation.is_self => Ok(me.clone()),
            _ => Err(format!("only {subject} writes their self-assessment")),
        },
        AssessmentKind::Manager => match me {
            Some(me) if relation.manages => Ok(me.clone()),
            _ => Err(format!(
                "only a manager in {subject}'s reporting line writes their manager assessment"
            )),
        },
        AssessmentKind::Peer => {
            if !(relation.manages || principal.role.sees_everyone()) {
                return Err(format!(
                    "peer assessments of {subject} are asked for by their manager or hr"
                ));
            }
            requested
                .cloned()
                .ok_or_else(|| "name the colleague who writes the peer assessment".to_owned())
        }
    }
}
