//! Assessments as a JSON file: export cycles to back them up or move them to another instance,
//! and import such a file, checked whole before anything is written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::assess::{
    Assessment, AssessmentId, AssessmentKind, AssessmentStatus, CycleName, CycleState, Evidence,
    FrameworkVersion, check_authorship, check_label,
};
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, Framework, LevelId};
use rungs_format::SourceFile;
use rungs_store::{
    AgreementFilter, AssessmentFilter, Change, Key, NewAssessment, NewFramework, Records, Storage,
};
use serde::{Deserialize, Serialize};

use crate::{App, AppError};

/// The `format` field of every assessment file.
pub const FORMAT: &str = "rungs-assessments";
/// The version of the file layout this Rungs writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A file of assessment cycles: what `rungs assess export` writes and `rungs assess import`
/// reads. Ids of assessments are the exporting instance's; the importing one assigns its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub version: u32,
    /// Every framework version an assessment of the file is pinned to, with its source.
    pub frameworks: Vec<BundleFramework>,
    pub cycles: Vec<BundleCycle>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleFramework {
    pub framework_id: String,
    pub version: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleCycle {
    pub name: String,
    pub state: String,
    pub opened_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    #[serde(default)]
    pub assessments: Vec<BundleAssessment>,
    #[serde(default)]
    pub agreements: Vec<BundleAgreement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    pub framework_id: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAssessment {
    pub id: i64,
    pub subject: String,
    pub assessor: String,
    pub kind: String,
    pub current_level: String,
    pub target_level: String,
    pub framework: FrameworkRef,
    pub status: String,
    pub revision: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<i64>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    #[serde(default)]
    pub ratings: Vec<BundleRating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRating {
    pub expectation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<BundleEvidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEvidence {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAgreement {
    pub subject: String,
    pub expectation: String,
    pub rating: String,
    /// The `id` of the manager assessment (in this file) it was agreed on.
    pub assessment: i64,
    pub agreed_at: String,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub frameworks: usize,
    pub cycles: usize,
    pub assessments: usize,
    pub ratings: usize,
    pub evidence: usize,
    pub agreements: usize,
}

impl std::ops::AddAssign for ImportReport {
    fn add_assign(&mut self, part: ImportReport) {
        self.frameworks += part.frameworks;
        self.cycles += part.cycles;
        self.assessments += part.assessments;
        self.ratings += part.ratings;
        self.evidence += part.evidence;
        self.agreements += part.agreements;
    }
}

impl Bundle {
    pub fn new() -> Bundle {
        Bundle {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            frameworks: Vec::new(),
            cycles: Vec::new(),
        }
    }
}

impl Default for Bundle {
    fn default() -> Bundle {
        Bundle::new()
    }
}

fn bundle_assessment(assessment: &Assessment) -> BundleAssessment {
    BundleAssessment {
        id: assessment.id.get(),
        subject: assessment.subject.to_string(),
        assessor: assessment.assessor.to_string(),
        kind: assessment.kind.as_str().to_owned(),
        current_level: assessment.current_level.to_string(),
        target_level: assessment.target_level.to_string(),
        framework: FrameworkRef {
            framework_id: assessment.framework.framework_id.clone(),
            version: assessment.framework.version.clone(),
        },
        status: assessment.status.as_str().to_owned(),
        revision: assessment.revision,
        revises: assessment.revises.map(AssessmentId::get),
        created_at: assessment.created_at.to_string(),
        submitted_at: assessment.submitted_at.map(|at| at.to_string()),
        ratings: assessment
            .entries
            .iter()
            .map(|entry| BundleRating {
                expectation: entry.expectation.to_string(),
                rating: entry.rating.clone(),
                evidence: entry
                    .evidence
                    .iter()
                    .map(|evidence| BundleEvidence {
                        text: evidence.text.clone(),
                        link: evidence.link.clone(),
                        date: evidence.date.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Problems found in a file, each with the path of the value it is about.
#[derive(Debug, Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, path: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{path}: {message}"));
    }

    /// Parses `text` with `parse`, or records why not.
    fn parse<T, E: std::fmt::Display>(&mut self, path: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(path, error);
                None
            }
        }
    }
}

/// A time, to the second: stored times never carry more precision than people read.
fn timestamp(text: &str) -> Result<Timestamp, String> {
    Timestamp::from_str(text)
        .ok()
        .and_then(|at| Timestamp::from_second(at.as_second()).ok())
        .ok_or_else(|| format!("`{text}` is not a time such as 2026-11-27T14:00:00Z"))
}

fn date(text: &str) -> Result<Date, String> {
    Date::from_str(text).map_err(|_| format!("`{text}` is not a date such as 2026-11-27"))
}

/// Where the framework of an assessment comes from: already stored, or stored by the import.
#[derive(Debug, Clone)]
struct KnownFramework {
    key: Key,
    framework: Arc<Framework>,
}

impl App {
    /// Every cycle (or one), with all assessments, revisions, evidence and agreed ratings.
    pub async fn export_assessments(&self, cycle: Option<&str>) -> Result<Bundle, AppError> {
        let cycles = match cycle {
            Some(name) => vec![self.cycle(name).await?],
            None => self.cycles().await?,
        };
        let mut bundle = Bundle::new();
        let mut framework_keys = Vec::new();
        for cycle in cycles {
            let filter =
                AssessmentFilter { cycle: Some(cycle.name.clone()), ..AssessmentFilter::default() };
            let assessments = self.store.assessments(&filter).await?;
            for stored in &assessments {
                if !framework_keys.contains(&stored.framework_pk) {
                    framework_keys.push(stored.framework_pk);
                }
            }
            let agreements = self
                .store
                .agreements(&AgreementFilter {
                    subject: None,
                    cycle: Some(cycle.name.clone()),
                    subjects: Vec::new(),
                })
                .await?;
            bundle.cycles.push(BundleCycle {
                name: cycle.name.to_string(),
                state: cycle.state.as_str().to_owned(),
                opened_at: cycle.opened_at.to_string(),
                closed_at: cycle.closed_at.map(|at| at.to_string()),
                assessments: assessments
                    .iter()
                    .map(|stored| bundle_assessment(&stored.assessment))
                    .collect(),
                agreements: agreements
                    .iter()
                    .map(|agreement| BundleAgreement {
                        subject: agreement.subject.to_string(),
                        expectation: agreement.expectation.to_string(),
                        rating: agreement.rating.clone(),
                        assessment: agreement.assessment.get(),
                        agreed_at: agreement.agreed_at.to_string(),
                    })
                    .collect(),
            });
        }
        for key in framework_keys {
            if let Some(stored) = self.store.framework_version(key).await? {
                bundle.frameworks.push(BundleFramework {
                    framework_id: stored.framework_id,
                    version: stored.version,
                    source: stored.source,
                });
            }
        }
        Ok(bundle)
    }

    /// Imports a file written by [`App::export_assessments`]. Every problem is reported, with
    /// the path of the value it is about, and nothing is written unless there are none.
    pub async fn import_assessments(
        &self,
        source_name: &str,
        text: &str,
    ) -> Result<ImportReport, AppError> {
        let fail = |problems: Vec<String>| AppError::Bundle {
            source_name: source_name.to_owned(),
            problems,
        };
        let bundle: Bundle = serde_json::from_str(text).map_err(|error| {
            fail(vec![format!(
                "{source_name}:{}:{}: {}",
                error.line(),
                error.column(),
                strip_position(&error.to_string())
            )])
        })?;
        self.import_bundle(source_name, &bundle).await
    }

    /// Imports assessments already read: every problem is reported, with the path of the value
    /// it is about, and nothing is written unless there are none.
    pub async fn import_bundle(
        &self,
        source_name: &str,
        bundle: &Bundle,
    ) -> Result<ImportReport, AppError> {
        let (changes, report) = self.plan_bundle(source_name, bundle, &HashSet::new()).await?;
        let audit = crate::audit::Audit::new("assessments.import", "assessment file")
            .after(serde_json::json!(report));
        self.write(changes, audit).await?;
        Ok(report)
    }

    /// Imports assessments too many to hold at once, one part after another: each part is
    /// checked and written whole, in its own transaction with its own audit entry. A cycle an
    /// earlier part opened takes more assessments in later parts, and is closed by the part
    /// that says it is closed. A part with a problem stops the import, and the parts before it
    /// stay written: this is for generated data (the demo's); a file is imported whole, with
    /// [`App::import_bundle`]. An assessment's revisions and agreements are in its part.
    pub async fn import_bundle_parts(
        &self,
        source_name: &str,
        parts: impl IntoIterator<Item = Bundle>,
    ) -> Result<ImportReport, AppError> {
        let mut opened: HashSet<String> = HashSet::new();
        let mut total = ImportReport::default();
        for part in parts {
            let (changes, report) = self.plan_bundle(source_name, &part, &opened).await?;
            let audit = crate::audit::Audit::new("assessments.import", "assessment file")
                .after(serde_json::json!(report));
            self.write(changes, audit).await?;
            opened.extend(part.cycles.iter().map(|cycle| cycle.name.clone()));
            total += report;
        }
        Ok(total)
    }

    /// The changes that import `bundle`, or every problem it has. The cycles of `opened` were
    /// opened by earlier parts of the same import: the bundle adds to them.
    async fn plan_bundle(
        &self,
        source_name: &str,
        bundle: &Bundle,
        opened: &HashSet<String>,
    ) -> Result<(Vec<Change>, ImportReport), AppError> {
        let fail = |problems: Vec<String>| AppError::Bundle {
            source_name: source_name.to_owned(),
            problems,
        };
        let mut problems = Problems::default();
        if bundle.format != FORMAT || bundle.version != FORMAT_VERSION {
            problems.add(
                "format",
                format!(
                    "this file is `{}` version {}; Rungs reads `{FORMAT}` version {FORMAT_VERSION}",
                    bundle.format, bundle.version
                ),
            );
            return Err(fail(problems.0));
        }
        let mut changes = Vec::new();
        let frameworks = self.bundle_frameworks(bundle, &mut problems, &mut changes).await?;
        let existing: HashSet<String> =
            self.cycles().await?.into_iter().map(|cycle| cycle.name.to_string()).collect();
        let mut people: HashMap<String, bool> = HashMap::new();
        for cycle in &bundle.cycles {
            for assessment in &cycle.assessments {
                for id in [&assessment.subject, &assessment.assessor] {
                    if !people.contains_key(id.as_str()) {
                        let known = self.store.person(id).await?.is_some();
                        people.insert(id.clone(), known);
                    }
                }
            }
        }
        let mut report = ImportReport { frameworks: changes.len(), ..ImportReport::default() };
        let mut seen_cycles = HashSet::new();
        let mut seen_ids = HashSet::new();
        for (cycle_index, cycle) in bundle.cycles.iter().enumerate() {
            let path = format!("cycles[{cycle_index}]");
            let Some(name) = problems.parse(&format!("{path}.name"), CycleName::parse(&cycle.name))
            else {
                continue;
            };
            let continued = opened.contains(name.as_str());
            if existing.contains(name.as_str()) && !continued {
                problems
                    .add(&format!("{path}.name"), format!("cycle `{name}` already exists here"));
            }
            if !seen_cycles.insert(name.clone()) {
                problems
                    .add(&format!("{path}.name"), format!("cycle `{name}` is in the file twice"));
            }
            let state = CycleState::parse(&cycle.state);
            if state.is_none() {
                problems.add(
                    &format!("{path}.state"),
                    format!("`{}` is not `open` or `closed`", cycle.state),
                );
            }
            let opened_at =
                problems.parse(&format!("{path}.opened_at"), timestamp(&cycle.opened_at));
            let closed_at = match (&cycle.closed_at, state) {
                (Some(text), Some(CycleState::Closed)) => {
                    problems.parse(&format!("{path}.closed_at"), timestamp(text))
                }
                (None, Some(CycleState::Closed)) => {
                    problems.add(
                        &format!("{path}.closed_at"),
                        "a closed cycle needs the time it was closed",
                    );
                    None
                }
                _ => None,
            };
            if let Some(at) = opened_at
                && !continued
            {
                changes.push(Change::OpenCycle { name: name.clone(), at });
                report.cycles += 1;
            }
            let mut created: BTreeMap<i64, (usize, Assessment)> = BTreeMap::new();
            // Ids grow with time: an assessment comes after the one it revises, and agreements
            // are recorded before a later revision supersedes their assessment.
            let mut order: Vec<(usize, &BundleAssessment)> =
                cycle.assessments.iter().enumerate().collect();
            order.sort_by_key(|(_, assessment)| assessment.id);
            // The agreements of each assessment, found once: a scan per assessment would make
            // a file of a whole org's cycle quadratic.
            let mut agreements_of: HashMap<i64, Vec<(usize, &BundleAgreement)>> = HashMap::new();
            for (agreement_index, agreement) in cycle.agreements.iter().enumerate() {
                agreements_of
                    .entry(agreement.assessment)
                    .or_default()
                    .push((agreement_index, agreement));
            }
            for (index, assessment) in order {
                let path = format!("{path}.assessments[{index}]");
                if !seen_ids.insert(assessment.id) {
                    problems.add(
                        &format!("{path}.id"),
                        format!("assessment id {} is in the file twice", assessment.id),
                    );
                    continue;
                }
                let Some(checked) = check_assessment(
                    &path,
                    &name,
                    assessment,
                    &frameworks,
                    &people,
                    &created,
                    &mut problems,
                ) else {
                    continue;
                };
                let (framework, parsed) = checked;
                let create_at = changes.len();
                changes.push(Change::CreateAssessment(NewAssessment {
                    cycle: name.clone(),
                    subject: parsed.subject.clone(),
                    assessor: parsed.assessor.clone(),
                    kind: parsed.kind,
                    current_level: parsed.current_level.clone(),
                    target_level: parsed.target_level.clone(),
                    framework: framework.key,
                    revision: parsed.revision,
                    revises: parsed
                        .revises
                        .and_then(|revised| created.get(&revised.get()))
                        .map(|(position, _)| Key::Change(*position)),
                    created_at: parsed.created_at,
                }));
                report.assessments += 1;
                let key = Key::Change(create_at);
                for (rating_index, rating) in assessment.ratings.iter().enumerate() {
                    let path = format!("{path}.ratings[{rating_index}]");
                    let Some(expectation) = problems.parse(
                        &format!("{path}.expectation"),
                        parsed.expectation_in_scope(&framework.framework, &rating.expectation),
                    ) else {
                        continue;
                    };
                    if let Some(label) = &rating.rating
                        && problems
                            .parse(
                                &format!("{path}.rating"),
                                check_label(&framework.framework, label),
                            )
                            .is_some()
                    {
                        changes.push(Change::Rate {
                            assessment: key,
                            expectation: expectation.clone(),
                            rating: label.clone(),
                        });
                        report.ratings += 1;
                    }
                    for (evidence_index, evidence) in rating.evidence.iter().enumerate() {
                        let path = format!("{path}.evidence[{evidence_index}]");
                        let Some(day) =
                            problems.parse(&format!("{path}.date"), date(&evidence.date))
                        else {
                            continue;
                        };
                        if let Some(evidence) = problems.parse(
                            &path,
                            Evidence::new(&evidence.text, evidence.link.as_deref(), day),
                        ) {
                            changes.push(Change::AddEvidence {
                                assessment: key,
                                expectation: expectation.clone(),
                                evidence,
                            });
                            report.evidence += 1;
                        }
                    }
                }
                if let Some(at) = parsed.submitted_at {
                    changes.push(Change::Submit { assessment: key, at });
                }
                for &(agreement_index, agreement) in
                    agreements_of.get(&assessment.id).map(Vec::as_slice).unwrap_or_default()
                {
                    let path = format!("cycles[{cycle_index}].agreements[{agreement_index}]");
                    if let Some(change) =
                        check_agreement(&path, agreement, &parsed, &framework, key, &mut problems)
                    {
                        changes.push(change);
                        report.agreements += 1;
                    }
                }
                if let Some(revised) = parsed.revises
                    && let Some((_, earlier)) = created.get_mut(&revised.get())
                {
                    earlier.superseded_by = Some(parsed.id);
                }
                created.insert(assessment.id, (create_at, parsed));
            }
            let in_cycle: HashSet<i64> =
                cycle.assessments.iter().map(|assessment| assessment.id).collect();
            for (agreement_index, agreement) in cycle.agreements.iter().enumerate() {
                if !created.contains_key(&agreement.assessment)
                    && !in_cycle.contains(&agreement.assessment)
                {
                    problems.add(
                        &format!("cycles[{cycle_index}].agreements[{agreement_index}].assessment"),
                        format!(
                            "there is no assessment {} in this cycle of the file",
                            agreement.assessment
                        ),
                    );
                }
            }
            if let (Some(CycleState::Closed), Some(at)) = (state, closed_at) {
                changes.push(Change::CloseCycle { name, at });
            }
        }
        if !problems.0.is_empty() {
            return Err(fail(problems.0));
        }
        Ok((changes, report))
    }

    /// The frameworks assessments of the file may be pinned to: those stored here, and those
    /// the file brings (stored, archived, by the import).
    async fn bundle_frameworks(
        &self,
        bundle: &Bundle,
        problems: &mut Problems,
        changes: &mut Vec<Change>,
    ) -> Result<HashMap<FrameworkRef, KnownFramework>, AppError> {
        let mut known = HashMap::new();
        for (index, bundled) in bundle.frameworks.iter().enumerate() {
            let path = format!("frameworks[{index}]");
            let reference = FrameworkRef {
                framework_id: bundled.framework_id.clone(),
                version: bundled.version.clone(),
            };
            if let Some(stored) =
                self.store.framework_by_version(&bundled.framework_id, &bundled.version).await?
            {
                if stored.source != bundled.source {
                    problems.add(
                        &path,
                        format!(
                            "framework {} version {} is stored here with a different text; give the file's version a new version number",
                            bundled.framework_id, bundled.version
                        ),
                    );
                    continue;
                }
                let framework = self.framework_at(stored.pk).await?;
                known.insert(reference, KnownFramework { key: Key::Id(stored.pk), framework });
                continue;
            }
            let source = SourceFile::new(format!("{path}.source"), bundled.source.clone());
            match rungs_format::load(&source) {
                Ok(loaded) => {
                    if loaded.framework.meta().id != bundled.framework_id
                        || loaded.framework.meta().version != bundled.version
                    {
                        problems.add(
                            &path,
                            "the source's framework id and version differ from the entry's",
                        );
                        continue;
                    }
                    known.insert(
                        reference,
                        KnownFramework {
                            key: Key::Change(changes.len()),
                            framework: Arc::new(loaded.framework),
                        },
                    );
                    changes.push(Change::StoreFramework {
                        framework: NewFramework {
                            framework_id: bundled.framework_id.clone(),
                            version: bundled.version.clone(),
                            source: bundled.source.clone(),
                        },
                        archived: true,
                    });
                }
                Err(diagnostics) => {
                    for diagnostic in diagnostics {
                        problems.add(&path, diagnostic.render(&source));
                    }
                }
            }
        }
        // Versions the file does not carry may be stored here already.
        for cycle in &bundle.cycles {
            for assessment in &cycle.assessments {
                let reference = &assessment.framework;
                if known.contains_key(reference) {
                    continue;
                }
                if let Some(stored) = self
                    .store
                    .framework_by_version(&reference.framework_id, &reference.version)
                    .await?
                {
                    let framework = self.framework_at(stored.pk).await?;
                    known.insert(
                        reference.clone(),
                        KnownFramework { key: Key::Id(stored.pk), framework },
                    );
                }
            }
        }
        Ok(known)
    }
}

/// Checks one assessment of the file; returns its framework and the assessment as it will be.
fn check_assessment(
    path: &str,
    cycle: &CycleName,
    assessment: &BundleAssessment,
    frameworks: &HashMap<FrameworkRef, KnownFramework>,
    people: &HashMap<String, bool>,
    created: &BTreeMap<i64, (usize, Assessment)>,
    problems: &mut Problems,
) -> Option<(KnownFramework, Assessment)> {
    let before = problems.0.len();
    let person = |field: &str, id: &str, problems: &mut Problems| -> Option<PersonId> {
        let parsed = problems.parse(&format!("{path}.{field}"), PersonId::parse(id))?;
        if !people.get(id).copied().unwrap_or(false) {
            problems.add(&format!("{path}.{field}"), format!("there is no person `{id}` here"));
        }
        Some(parsed)
    };
    let subject = person("subject", &assessment.subject, problems);
    let assessor = person("assessor", &assessment.assessor, problems);
    let kind = AssessmentKind::parse(&assessment.kind);
    if kind.is_none() {
        problems.add(
            &format!("{path}.kind"),
            format!("`{}` is not `self`, `manager` or `peer`", assessment.kind),
        );
    }
    let status = AssessmentStatus::parse(&assessment.status);
    if status.is_none() {
        problems.add(
            &format!("{path}.status"),
            format!("`{}` is not `draft` or `submitted`", assessment.status),
        );
    }
    let framework = frameworks.get(&assessment.framework).cloned();
    if framework.is_none() {
        problems.add(
            &format!("{path}.framework"),
            format!(
                "framework {} version {} is neither stored here nor in the file",
                assessment.framework.framework_id, assessment.framework.version
            ),
        );
    }
    let level = |field: &str, id: &str, problems: &mut Problems| -> Option<LevelId> {
        let framework = framework.as_ref()?;
        match framework.framework.level(id) {
            Some(level) => Some(level.id.clone()),
            None => {
                problems.add(
                    &format!("{path}.{field}"),
                    format!("there is no level `{id}` in that framework version"),
                );
                None
            }
        }
    };
    let current_level = level("current_level", &assessment.current_level, problems);
    let target_level = level("target_level", &assessment.target_level, problems);
    let created_at =
        problems.parse(&format!("{path}.created_at"), timestamp(&assessment.created_at));
    let submitted_at = match (&assessment.submitted_at, status) {
        (Some(text), Some(AssessmentStatus::Submitted)) => {
            problems.parse(&format!("{path}.submitted_at"), timestamp(text))
        }
        (None, Some(AssessmentStatus::Submitted)) => {
            problems.add(
                &format!("{path}.submitted_at"),
                "a submitted assessment needs the time it was submitted",
            );
            None
        }
        (Some(_), Some(AssessmentStatus::Draft)) => {
            problems.add(&format!("{path}.submitted_at"), "a draft has not been submitted");
            None
        }
        _ => None,
    };
    if let (Some(kind), Some(subject), Some(assessor)) = (kind, &subject, &assessor) {
        // Who managed whom back then is not known here; the rest of the rule applies.
        if let Err(refused) = check_authorship(kind, subject, assessor, None) {
            problems.add(&format!("{path}.assessor"), refused);
        }
    }
    if status == Some(AssessmentStatus::Submitted)
        && assessment.ratings.iter().all(|rating| rating.rating.is_none())
    {
        problems.add(
            &format!("{path}.ratings"),
            "a submitted assessment rates at least one expectation",
        );
    }
    let expected_revision = match assessment.revises {
        None => Some(1),
        Some(revised) => {
            created.get(&revised).and_then(|(_, earlier)| earlier.revision.checked_add(1))
        }
    };
    if expected_revision.is_some_and(|expected| expected != assessment.revision) {
        problems.add(
            &format!("{path}.revision"),
            format!(
                "revision {} should be {}: 1 for a first version, one more than the assessment it corrects",
                assessment.revision,
                expected_revision.unwrap_or(1)
            ),
        );
    }
    let revises = match assessment.revises {
        None => None,
        Some(revised) => match created.get(&revised) {
            Some((_, earlier)) if earlier.status != AssessmentStatus::Submitted => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("assessment {revised} is a draft; only a submitted assessment is corrected by a revision"),
                );
                None
            }
            Some((_, earlier)) if earlier.superseded_by.is_some() => {
                problems.add(
                    &format!("{path}.revises"),
                    format!(
                        "assessment {revised} is already corrected by another revision in the file"
                    ),
                );
                None
            }
            Some((_, earlier))
                if Some(&earlier.subject) == subject.as_ref()
                    && Some(earlier.kind) == kind
                    && Some(&earlier.assessor) == assessor.as_ref() =>
            {
                Some(AssessmentId::new(revised))
            }
            Some(_) => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("assessment {revised} has another subject, assessor or kind"),
                );
                None
            }
            None => {
                problems.add(
                    &format!("{path}.revises"),
                    format!("there is no earlier assessment {revised} in this cycle of the file"),
                );
                None
            }
        },
    };
    if problems.0.len() > before {
        return None;
    }
    let (framework, subject, assessor, kind, status, current_level, target_level, created_at) = (
        framework?,
        subject?,
        assessor?,
        kind?,
        status?,
        current_level?,
        target_level?,
        created_at?,
    );
    let parsed = Assessment {
        id: AssessmentId::new(assessment.id),
        cycle: cycle.clone(),
        subject,
        assessor,
        kind,
        current_level,
        target_level,
        framework: FrameworkVersion {
            framework_id: framework.framework.meta().id.clone(),
            version: framework.framework.meta().version.clone(),
        },
        status,
        revision: assessment.revision,
        revises,
        superseded_by: None,
        created_at,
        submitted_at,
        entries: Vec::new(),
    };
    Some((framework, parsed))
}

fn check_agreement(
    path: &str,
    agreement: &BundleAgreement,
    assessment: &Assessment,
    framework: &KnownFramework,
    key: Key,
    problems: &mut Problems,
) -> Option<Change> {
    if assessment.kind != AssessmentKind::Manager
        || assessment.status != AssessmentStatus::Submitted
    {
        problems.add(
            &format!("{path}.assessment"),
            format!("assessment {} is not a submitted manager assessment", assessment.id),
        );
        return None;
    }
    if agreement.subject != assessment.subject.as_str() {
        problems.add(
            &format!("{path}.subject"),
            format!("assessment {} is of `{}`", assessment.id, assessment.subject),
        );
        return None;
    }
    let expectation: ExpectationId = problems.parse(
        &format!("{path}.expectation"),
        assessment.expectation_in_scope(&framework.framework, &agreement.expectation),
    )?;
    problems
        .parse(&format!("{path}.rating"), check_label(&framework.framework, &agreement.rating))?;
    let at = problems.parse(&format!("{path}.agreed_at"), timestamp(&agreement.agreed_at))?;
    Some(Change::Agree { assessment: key, expectation, rating: agreement.rating.clone(), at })
}

/// serde_json's message without its trailing " at line L column C", which the caller puts in
/// front instead.
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |position| &message[..position])
}
