//! Rungs use cases: everything the CLI (and the web app) can do to cycles, assessments,
//! readiness, growth plans and history. Each operation reads what it needs through the store,
//! asks the core whether the change is allowed, and writes it as one batch: the CLI and the
//! web app are thin edges over this crate and never write to the store themselves.

mod access;
mod accounts;
mod agreements;
mod app;
mod assessments;
mod audit;
mod batch_keys;
mod bundle;
mod current_org;
mod cycle_plans;
mod cycle_progress;
mod cycles;
mod directory;
mod error;
mod exchange;
mod frameworks;
mod import_mappings;
mod mails;
mod nominations;
mod notices;
mod org;
mod pending_import;
mod pending_window;
mod people_search;
mod plans;
mod restore;
mod secrets;
mod standing;
mod standings;
mod tasks;
mod team;

pub use access::Target;
pub use accounts::{
    MAX_FAILURES, NewSession, NewToken, SESSION_LIFETIME, SessionPrincipal, SignInRefusal,
    THROTTLE_WINDOW, TOKEN_PREFIX,
};
pub use agreements::AgreementRequest;
pub use app::{App, Clock};
pub use assessments::{EvidenceInput, NewAssessmentInput};
pub use audit::{Audit, audit_json};
pub use current_org::CurrentOrg;
pub use cycle_plans::{
    CycleOverview, FilterInput, PARTICIPANTS_PAGE, Participant, ParticipantPage, PlanInput,
};
pub use cycle_progress::{
    LATE_MANAGERS_LISTED, LateManager, PROGRESS_CSV_HEADER, ProgressReport, ProgressSummary,
    ReportStep, StepCount,
};
pub use cycles::{CycleDrafts, DRAFTS_LISTED};
pub use directory::{DIRECTORY_MAPPING, DIRECTORY_PAGE_MAX, DirectoryEntry};
pub use error::AppError;
pub use exchange::{
    Bundle, BundleAgreement, BundleAssessment, BundleCycle, BundleEvidence, BundleFramework,
    BundleRating, FORMAT, FORMAT_VERSION, FrameworkRef, ImportReport,
};
pub use frameworks::{FrameworkPreview, FrameworkUse};
pub use import_mappings::parse_mapping;
pub use mails::{
    DIGEST_EVERY, Failure, MAILS_PER_ROUND, MailLinks, MailQueueView, NOTICES_PER_MAIL,
    QUEUE_LISTED, UNREACHABLE_RETRY, parse_task_name, task_name,
};
pub use nominations::{NominationEntry, PeerNominations};
pub use notices::{SWEEP_CHUNK, SweepSummary};
pub use org::{ImportOptions, OrgDesign, OrgImport, ReadProgress, Summary, import_org};
pub use pending_import::OrgPreview;
pub use pending_window::PENDING_FOR;
pub use people_search::{FOUND_LISTED, FoundPerson, PeopleFound, SearchScope};
pub use restore::{replaced_json, restore_audit, summary_json};
pub use secrets::{MIN_PASSWORD_LENGTH, check_new_password, random_password};
pub use standing::{PersonReadiness, Standing};
pub use tasks::{TaskEntry, TaskList, TaskSubject};
pub use team::{WEAKEST_LISTED, candidate_page};
