//! Writes: every change Rungs makes to cycles, assessments, agreed ratings and growth plans,
//! planned as portable SQL and applied in one transaction per batch by either backend.
//!
//! Each guarded statement re-checks in SQL what the core already checked (a draft, an open
//! cycle), so that two writers racing cannot break the rules either.

use jiff::Timestamp;
use rungs_core::assess::{
    ActionId, ActionStatus, AssessmentId, AssessmentKind, CycleName, CyclePlan, Evidence, PlanId,
};
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, LevelId};

use crate::accounts::{AccountChange, AuditEntry};
use crate::directory::DirectoryWrite;
use crate::people::NewFramework;
use crate::sql::{Expect, Param, Statement, Value};
use crate::standings::{StandingWrite, TOUCH_STANDING};

/// A stored record, or the one an earlier change of the same batch creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Id(i64),
    /// The key produced by the change at this position of the batch.
    Change(usize),
}

impl Key {
    pub(crate) fn param(self) -> Param {
        match self {
            Key::Id(id) => Param::Value(Value::integer(id)),
            Key::Change(position) => Param::KeyOf(position),
        }
    }
}

impl From<AssessmentId> for Key {
    fn from(id: AssessmentId) -> Key {
        Key::Id(id.get())
    }
}

impl From<PlanId> for Key {
    fn from(id: PlanId) -> Key {
        Key::Id(id.get())
    }
}

/// A new assessment, always a draft.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub cycle: CycleName,
    pub subject: PersonId,
    pub assessor: PersonId,
    pub kind: AssessmentKind,
    pub current_level: LevelId,
    pub target_level: LevelId,
    /// The stored framework version it is made against.
    pub framework: Key,
    pub revision: u32,
    pub revises: Option<Key>,
    pub created_at: Timestamp,
}

/// One change. A batch of them is applied whole or not at all.
#[derive(Debug, Clone)]
pub enum Change {
    /// Stores a framework version; `archived` versions (brought in by an assessment import)
    /// never become the active one. Produces the version's key.
    StoreFramework {
        framework: NewFramework,
        archived: bool,
    },
    /// Produces the cycle's key.
    OpenCycle {
        name: CycleName,
        at: Timestamp,
    },
    CloseCycle {
        name: CycleName,
        at: Timestamp,
    },
    /// Sets an open cycle's schedule and participants, replacing its plan.
    PlanCycle {
        name: CycleName,
        plan: Box<CyclePlan>,
    },
    /// Nominates `peer` for feedback on `subject` in an open cycle, starting as `state`
    /// (proposed or approved); a rejected proposal is revived. `by` as the audit log names
    /// them.
    Nominate {
        cycle: CycleName,
        subject: PersonId,
        peer: PersonId,
        state: rungs_core::assess::NominationState,
        by: String,
        at: Timestamp,
        /// Asked under anonymous peer feedback: it stays anonymous to the subject.
        anonymous: bool,
    },
    /// Approves or rejects a proposed nomination.
    DecideNomination {
        cycle: CycleName,
        subject: PersonId,
        peer: PersonId,
        approve: bool,
        by: String,
        at: Timestamp,
        /// For an approval: asked under anonymous peer feedback.
        anonymous: bool,
    },
    /// A manager (or the subject, of their proposal) withdraws a nomination not submitted: it
    /// goes, with the peer's draft.
    WithdrawNomination {
        cycle: CycleName,
        subject: PersonId,
        peer: PersonId,
    },
    /// Sets what `person` wants by mail.
    SetMailPreferences {
        person: PersonId,
        preferences: rungs_core::notify::MailPreferences,
    },
    /// The peer declines an approved nomination they have not submitted: their draft goes.
    DeclineNomination {
        cycle: CycleName,
        subject: PersonId,
        peer: PersonId,
        reason: String,
        by: String,
        at: Timestamp,
    },
    /// Produces the assessment's id.
    CreateAssessment(NewAssessment),
    Rate {
        assessment: Key,
        expectation: ExpectationId,
        rating: String,
    },
    AddEvidence {
        assessment: Key,
        expectation: ExpectationId,
        evidence: Evidence,
    },
    Submit {
        assessment: Key,
        at: Timestamp,
    },
    /// The agreed rating of an expectation, recorded on a submitted manager assessment.
    Agree {
        assessment: Key,
        expectation: ExpectationId,
        rating: String,
        /// Why it differs from the manager's rating.
        rationale: Option<String>,
        at: Timestamp,
    },
    /// The subject's acknowledgement of what was agreed for them in a cycle, replacing an
    /// earlier one. Refused when nothing is agreed for them in it.
    Acknowledge {
        subject: PersonId,
        cycle: CycleName,
        comment: Option<String>,
        at: Timestamp,
    },
    /// Keeps an uploaded org export until it is confirmed, with the org version its preview
    /// saw, and drops pending imports created before `expired_before`. The token is kept only
    /// as its hash.
    KeepPendingImport {
        token_hash: String,
        source_name: String,
        content: Vec<u8>,
        /// The import mapping the preview used, as TOML.
        mapping_source: Option<String>,
        org_version: i64,
        by: String,
        at: Timestamp,
        expired_before: Timestamp,
    },
    /// Keeps an import mapping under `name`, replacing one of that name.
    SaveImportMapping {
        name: String,
        source: String,
        by: String,
        at: Timestamp,
    },
    /// Removes the import mapping `name`; refused when there is none.
    RemoveImportMapping {
        name: String,
    },
    /// Drops a pending import `by` kept (a cancelled preview), and those that expired.
    DropPendingImport {
        token_hash: String,
        by: String,
        expired_before: Timestamp,
    },
    /// Deletes a pending import `by` kept, inside the import of its content, and those that
    /// expired. Refused when it is gone (imported already, expired) or when another import
    /// came between the preview and this one: the import that claims it raised the org
    /// version once.
    ClaimPendingImport {
        token_hash: String,
        by: String,
        expired_before: Timestamp,
    },
    /// Produces the plan's id.
    CreatePlan {
        subject: PersonId,
        target_level: LevelId,
        at: Timestamp,
    },
    AddFocus {
        plan: Key,
        expectation: ExpectationId,
    },
    /// Produces the action's id.
    AddAction {
        plan: Key,
        expectation: ExpectationId,
        text: String,
        owner: PersonId,
        due: jiff::civil::Date,
    },
    SetActionStatus {
        action: ActionId,
        status: ActionStatus,
    },
    /// Accounts, sessions, tokens and throttling.
    Account(AccountChange),
    /// A line of the audit log, written in the same transaction as what it records.
    Audit(AuditEntry),
    /// A person's standing, computed from their record: stored only if no write changed the
    /// record since it was read.
    PutStanding(StandingWrite),
    /// One person as a directory sent them (SCIM).
    Directory(DirectoryWrite),
}

pub(crate) const STORE_FRAMEWORK: &str = "INSERT INTO frameworks (framework_id, version, source, archived) \
     VALUES ($1, $2, $3, $4) RETURNING pk";
pub(crate) const OPEN_CYCLE: &str =
    "INSERT INTO cycles (name, state, opened_at) VALUES ($1, 'open', $2) RETURNING pk";
pub(crate) const CLOSE_CYCLE: &str =
    "UPDATE cycles SET state = 'closed', closed_at = $1 WHERE name = $2 AND state = 'open'";
pub(crate) const CREATE_ASSESSMENT: &str = "INSERT INTO assessments \
     (subject_id, assessor_id, kind, current_level, target_level, framework_pk, revision, revises_pk, created_at, status, cycle_pk) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', c.pk FROM cycles c WHERE c.name = $10 AND c.state = 'open' \
       AND ($8 IS NOT NULL OR NOT EXISTS (SELECT 1 FROM assessments x WHERE x.cycle_pk = c.pk \
            AND x.subject_id = $1 AND x.kind = $3 AND (x.kind <> 'peer' OR x.assessor_id = $2))) \
     RETURNING pk";
/// The guard shared by writes to a draft: it exists, is a draft, and its cycle is open.
macro_rules! draft_guard {
    ($assessment:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk \
             WHERE a.pk = ",
            $assessment,
            " AND a.status = 'draft' AND c.state = 'open')"
        )
    };
}
pub(crate) const RATE: &str = concat!(
    "INSERT INTO ratings (assessment_pk, expectation_id, rating) SELECT $1, $2, $3 WHERE ",
    draft_guard!("$1"),
    " ON CONFLICT (assessment_pk, expectation_id) DO UPDATE SET rating = excluded.rating"
);
pub(crate) const ADD_EVIDENCE: &str = concat!(
    "INSERT INTO evidence (assessment_pk, expectation_id, text, link, observed_on) \
     SELECT $1, $2, $3, $4, $5 WHERE ",
    draft_guard!("$1")
);
pub(crate) const SUBMIT: &str = concat!(
    "UPDATE assessments SET status = 'submitted', submitted_at = $1 WHERE pk = $2 AND ",
    draft_guard!("$2")
);
pub(crate) const AGREE: &str = "INSERT INTO agreements (cycle_pk, subject_id, expectation_id, rating, assessment_pk, agreed_at, rationale) \
     SELECT a.cycle_pk, a.subject_id, $1, $2, a.pk, $3, $4 FROM assessments a JOIN cycles c ON c.pk = a.cycle_pk \
     WHERE a.pk = $5 AND a.kind = 'manager' AND a.status = 'submitted' AND c.state = 'open' \
       AND NOT EXISTS (SELECT 1 FROM assessments r WHERE r.revises_pk = a.pk) \
     ON CONFLICT (subject_id, cycle_pk, expectation_id) DO UPDATE SET \
       rating = excluded.rating, assessment_pk = excluded.assessment_pk, agreed_at = excluded.agreed_at, \
       rationale = excluded.rationale";
pub(crate) const ACKNOWLEDGE: &str = "INSERT INTO acknowledgements (subject_id, cycle_pk, comment, acknowledged_at) \
     SELECT $1, c.pk, $2, $3 FROM cycles c WHERE c.name = $4 \
       AND EXISTS (SELECT 1 FROM agreements g WHERE g.subject_id = $1 AND g.cycle_pk = c.pk) \
     ON CONFLICT (subject_id, cycle_pk) DO UPDATE SET \
       comment = excluded.comment, acknowledged_at = excluded.acknowledged_at";
pub(crate) const DROP_EXPIRED_IMPORTS: &str = "DELETE FROM pending_imports WHERE created_at < $1";
pub(crate) const KEEP_PENDING_IMPORT: &str = "INSERT INTO pending_imports (token_hash, source_name, content, org_version, created_by, created_at, mapping_source) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const SAVE_IMPORT_MAPPING: &str = "INSERT INTO import_mappings (name, source, saved_by, saved_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET \
       source = excluded.source, saved_by = excluded.saved_by, saved_at = excluded.saved_at";
pub(crate) const REMOVE_IMPORT_MAPPING: &str = "DELETE FROM import_mappings WHERE name = $1";
pub(crate) const DROP_PENDING_IMPORT: &str =
    "DELETE FROM pending_imports WHERE token_hash = $1 AND created_by = $2";
pub(crate) const CLAIM_PENDING_IMPORT: &str = "DELETE FROM pending_imports \
     WHERE token_hash = $1 AND created_by = $2 AND org_version + 1 = (SELECT version FROM org_version)";
/// Why a confirmation found nothing to claim.
pub const UNCLAIMED_IMPORT: &str = "this preview was imported already, expired, or another import came after it; nothing was written: upload the file again";
pub(crate) const CREATE_PLAN: &str = "INSERT INTO growth_plans (subject_id, target_level, created_at) VALUES ($1, $2, $3) RETURNING pk";
pub(crate) const ADD_FOCUS: &str = "INSERT INTO plan_focus (plan_pk, expectation_id, position) \
     SELECT $1, $2, (SELECT count(*) FROM plan_focus WHERE plan_pk = $1)";
pub(crate) const ADD_ACTION: &str = "INSERT INTO plan_actions (plan_pk, expectation_id, text, owner_id, due_on, status) \
     VALUES ($1, $2, $3, $4, $5, 'planned') RETURNING pk";
pub(crate) const SET_ACTION_STATUS: &str = "UPDATE plan_actions SET status = $1 WHERE pk = $2";

/// Every statement text, for the test that checks the placeholder invariant.
#[cfg(test)]
pub(crate) const ALL: &[&str] = &[
    STORE_FRAMEWORK,
    OPEN_CYCLE,
    CLOSE_CYCLE,
    CREATE_ASSESSMENT,
    RATE,
    ADD_EVIDENCE,
    SUBMIT,
    AGREE,
    ACKNOWLEDGE,
    DROP_EXPIRED_IMPORTS,
    KEEP_PENDING_IMPORT,
    DROP_PENDING_IMPORT,
    CLAIM_PENDING_IMPORT,
    SAVE_IMPORT_MAPPING,
    REMOVE_IMPORT_MAPPING,
    CREATE_PLAN,
    ADD_FOCUS,
    ADD_ACTION,
    SET_ACTION_STATUS,
];

fn text(value: impl Into<String>) -> Param {
    Param::Value(Value::text(value))
}

fn timestamp(at: Timestamp) -> Param {
    text(at.to_string())
}

fn statement(sql: &'static str, params: Vec<Param>, expect: Expect) -> Statement {
    Statement { sql, params, expect }
}

fn key_name(key: Key) -> String {
    match key {
        Key::Id(id) => format!("assessment {id}"),
        Key::Change(_) => "the new assessment".to_owned(),
    }
}

impl Change {
    pub(crate) fn statements(&self) -> Vec<Statement> {
        match self {
            Change::StoreFramework { framework, archived } => vec![statement(
                STORE_FRAMEWORK,
                vec![
                    text(&framework.framework_id),
                    text(&framework.version),
                    text(&framework.source),
                    Param::Value(Value::integer(i64::from(*archived))),
                ],
                Expect::Key("the framework was not stored".to_owned()),
            )],
            Change::OpenCycle { name, at } => vec![statement(
                OPEN_CYCLE,
                vec![text(name.as_str()), timestamp(*at)],
                Expect::Key(format!("cycle `{name}` was not opened")),
            )],
            Change::CloseCycle { name, at } => vec![statement(
                CLOSE_CYCLE,
                vec![timestamp(*at), text(name.as_str())],
                Expect::OneRow(format!("cycle `{name}` is not open")),
            )],
            Change::PlanCycle { name, plan } => {
                vec![crate::cycle_plans::plan_statement(name, plan)]
            }
            Change::Nominate { cycle, subject, peer, state, by, at, anonymous } => {
                vec![crate::nominations::nominate_statement(
                    cycle, subject, peer, *state, by, *at, *anonymous,
                )]
            }
            Change::DecideNomination { cycle, subject, peer, approve, by, at, anonymous } => {
                vec![crate::nominations::decide_statement(
                    cycle, subject, peer, *approve, by, *at, *anonymous,
                )]
            }
            Change::WithdrawNomination { cycle, subject, peer } => {
                crate::nominations::withdraw_statements(cycle, subject, peer)
            }
            Change::DeclineNomination { cycle, subject, peer, reason, by, at } => {
                crate::nominations::decline_statements(cycle, subject, peer, reason, by, *at)
            }
            Change::SetMailPreferences { person, preferences } => {
                vec![crate::mail_queue::set_preferences_statement(person, *preferences)]
            }
            Change::CreateAssessment(new) => {
                // Every peer assessment stands on an approved nomination (one the batch made
                // already stays): first, since the last statement's key is the change's.
                let nomination = (new.kind == AssessmentKind::Peer && new.revises.is_none())
                    .then(|| crate::nominations::nomination_of_statement(new));
                nomination.into_iter().chain([statement(
                CREATE_ASSESSMENT,
                vec![
                    text(new.subject.as_str()),
                    text(new.assessor.as_str()),
                    text(new.kind.as_str()),
                    text(new.current_level.as_str()),
                    text(new.target_level.as_str()),
                    new.framework.param(),
                    Param::Value(Value::integer(i64::from(new.revision))),
                    new.revises.map_or(Param::Value(Value::Integer(None)), Key::param),
                    timestamp(new.created_at),
                    text(new.cycle.as_str()),
                ],
                Expect::Key(if new.revises.is_some() {
                    format!("cycle `{}` is not open", new.cycle)
                } else {
                    format!(
                        "cycle `{}` is not open, or `{}` already has a {} assessment in it{}",
                        new.cycle,
                        new.subject,
                        new.kind.as_str(),
                        if new.kind == AssessmentKind::Peer {
                            format!(" by `{}`", new.assessor)
                        } else {
                            String::new()
                        }
                    )
                }),
            )]).collect()
            }
            Change::Rate { assessment, expectation, rating } => vec![statement(
                RATE,
                vec![assessment.param(), text(expectation.as_str()), text(rating)],
                Expect::OneRow(not_a_draft(*assessment)),
            )],
            Change::AddEvidence { assessment, expectation, evidence } => vec![statement(
                ADD_EVIDENCE,
                vec![
                    assessment.param(),
                    text(expectation.as_str()),
                    text(&evidence.text),
                    Param::Value(Value::optional_text(evidence.link.clone())),
                    text(evidence.date.to_string()),
                ],
                Expect::OneRow(not_a_draft(*assessment)),
            )],
            Change::Submit { assessment, at } => vec![statement(
                SUBMIT,
                vec![timestamp(*at), assessment.param()],
                Expect::OneRow(not_a_draft(*assessment)),
            )],
            Change::Agree { assessment, expectation, rating, rationale, at } => vec![statement(
                AGREE,
                vec![
                    text(expectation.as_str()),
                    text(rating),
                    timestamp(*at),
                    Param::Value(Value::optional_text(rationale.clone())),
                    assessment.param(),
                ],
                Expect::OneRow(format!(
                    "{} is not the latest submitted manager assessment of an open cycle",
                    key_name(*assessment)
                )),
            )],
            Change::Acknowledge { subject, cycle, comment, at } => vec![statement(
                ACKNOWLEDGE,
                vec![
                    text(subject.as_str()),
                    Param::Value(Value::optional_text(comment.clone())),
                    timestamp(*at),
                    text(cycle.as_str()),
                ],
                Expect::OneRow(format!(
                    "nothing has been agreed for `{subject}` in cycle `{cycle}`; there is no outcome to acknowledge"
                )),
            )],
            Change::KeepPendingImport {
                token_hash,
                source_name,
                content,
                mapping_source,
                org_version,
                by,
                at,
                expired_before,
            } => {
                vec![
                    statement(
                        DROP_EXPIRED_IMPORTS,
                        vec![timestamp(*expired_before)],
                        Expect::Count,
                    ),
                    statement(
                        KEEP_PENDING_IMPORT,
                        vec![
                            text(token_hash.as_str()),
                            text(source_name.as_str()),
                            Param::Value(Value::bytes(content.as_slice())),
                            Param::Value(Value::integer(*org_version)),
                            text(by.as_str()),
                            timestamp(*at),
                            Param::Value(Value::optional_text(mapping_source.as_deref())),
                        ],
                        Expect::OneRow("the upload was not kept".to_owned()),
                    ),
                ]
            }
            Change::SaveImportMapping { name, source, by, at } => vec![statement(
                SAVE_IMPORT_MAPPING,
                vec![text(name.as_str()), text(source.as_str()), text(by.as_str()), timestamp(*at)],
                Expect::Count,
            )],
            Change::RemoveImportMapping { name } => vec![statement(
                REMOVE_IMPORT_MAPPING,
                vec![text(name.as_str())],
                Expect::OneRow(format!("there is no import mapping named `{name}`")),
            )],
            Change::DropPendingImport { token_hash, by, expired_before } => vec![
                statement(DROP_EXPIRED_IMPORTS, vec![timestamp(*expired_before)], Expect::Count),
                statement(
                    DROP_PENDING_IMPORT,
                    vec![text(token_hash.as_str()), text(by.as_str())],
                    Expect::OneRow(
                        "there is no such preview to cancel: it was imported already, cancelled, or expired".to_owned(),
                    ),
                ),
            ],
            Change::ClaimPendingImport { token_hash, by, expired_before } => vec![
                // Claimed first: an expired preview is gone before it could be claimed.
                statement(DROP_EXPIRED_IMPORTS, vec![timestamp(*expired_before)], Expect::Count),
                statement(
                    CLAIM_PENDING_IMPORT,
                    vec![text(token_hash.as_str()), text(by.as_str())],
                    Expect::OneRow(UNCLAIMED_IMPORT.to_owned()),
                ),
            ],
            Change::CreatePlan { subject, target_level, at } => vec![statement(
                CREATE_PLAN,
                vec![text(subject.as_str()), text(target_level.as_str()), timestamp(*at)],
                Expect::Key("the plan was not stored".to_owned()),
            )],
            Change::AddFocus { plan, expectation } => vec![statement(
                ADD_FOCUS,
                vec![plan.param(), text(expectation.as_str())],
                Expect::OneRow("the focus was not stored".to_owned()),
            )],
            Change::AddAction { plan, expectation, text: action, owner, due } => vec![statement(
                ADD_ACTION,
                vec![
                    plan.param(),
                    text(expectation.as_str()),
                    text(action),
                    text(owner.as_str()),
                    text(due.to_string()),
                ],
                Expect::Key("the action was not stored".to_owned()),
            )],
            Change::SetActionStatus { action, status } => vec![statement(
                SET_ACTION_STATUS,
                vec![text(status.as_str()), Param::Value(Value::integer(action.get()))],
                Expect::OneRow(format!("there is no action {action}")),
            )],
            Change::Account(change) => change.statements(),
            Change::Audit(entry) => entry.statements(),
            Change::PutStanding(write) => write.statements(),
            Change::Directory(write) => write.statements(),
        }
    }
}

fn not_a_draft(assessment: Key) -> String {
    format!("{} is not a draft in an open cycle", key_name(assessment))
}

/// One statement per assessment that a batch submits or agrees on, raising its subject's
/// change count in the batch's own transaction: no write that changes what readiness reads
/// can leave a standing looking current.
pub(crate) fn touches(changes: &[Change]) -> Vec<Vec<Statement>> {
    // In the batch's order, each once: a batch of a whole import names 200,000.
    let mut seen = rustc_hash::FxHashSet::default();
    let mut touched: Vec<Key> = Vec::new();
    for change in changes {
        let assessment = match change {
            Change::Submit { assessment, .. } | Change::Agree { assessment, .. } => *assessment,
            _ => continue,
        };
        if seen.insert(assessment) {
            touched.push(assessment);
        }
    }
    touched
        .into_iter()
        .map(|assessment| {
            vec![Statement {
                sql: TOUCH_STANDING,
                params: vec![assessment.param()],
                expect: Expect::Count,
            }]
        })
        .collect()
}
