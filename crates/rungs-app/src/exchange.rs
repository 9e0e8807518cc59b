//! Assessments as a JSON file: export cycles to back them up or move them to another instance,
//! and import such a file, checked whole before anything is written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rungs_core::Framework;
use rungs_core::assess::{
    Assessment, AssessmentContext, CycleName, CycleState, Problems, check_file_agreement,
    check_file_assessment, check_file_rating, file_timestamp,
};
use rungs_format::SourceFile;
use rungs_store::{
    AgreementFilter, AssessmentFilter, Change, Key, NewAssessment, NewFramework, Records, Storage,
};

pub use crate::bundle::{
    Bundle, BundleAgreement, BundleAssessment, BundleCycle, BundleEvidence, BundleFramework,
    BundleRating, FORMAT, FORMAT_VERSION, FrameworkRef, ImportReport,
};
use crate::{App, AppError};

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
                    .map(|stored| BundleAssessment::from(&stored.assessment))
                    .collect(),
                agreements: agreements
                    .iter()
                    .map(|agreement| BundleAgreement {
                        subject: agreement.subject.to_string(),
                        expectation: agreement.expectation.to_string(),
                        rating: agreement.rating.clone(),
                        assessment: agreement.assessment.get(),
                        agreed_at: agreement.agreed_at.to_string(),
                        rationale: agreement.rationale.clone(),
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
            return Err(fail(problems.into_messages()));
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
                problems.parse(&format!("{path}.opened_at"), file_timestamp(&cycle.opened_at));
            let closed_at = match (&cycle.closed_at, state) {
                (Some(text), Some(CycleState::Closed)) => {
                    problems.parse(&format!("{path}.closed_at"), file_timestamp(text))
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
                let known = frameworks.get(&assessment.framework);
                let context = AssessmentContext {
                    framework: known.map(|known| &*known.framework),
                    is_person: &|id| people.get(id).copied().unwrap_or(false),
                    earlier: &|id| created.get(&id).map(|(_, earlier)| earlier),
                };
                let (Some(parsed), Some(framework)) = (
                    check_file_assessment(&path, &name, assessment, &context, &mut problems),
                    known,
                ) else {
                    continue;
                };
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
                    let Some(checked) = check_file_rating(
                        &path,
                        rating,
                        &parsed,
                        &framework.framework,
                        &mut problems,
                    ) else {
                        continue;
                    };
                    if let Some(rating) = checked.rating {
                        changes.push(Change::Rate {
                            assessment: key,
                            expectation: checked.expectation.clone(),
                            rating,
                        });
                        report.ratings += 1;
                    }
                    for evidence in checked.evidence {
                        changes.push(Change::AddEvidence {
                            assessment: key,
                            expectation: checked.expectation.clone(),
                            evidence,
                        });
                        report.evidence += 1;
                    }
                }
                if let Some(at) = parsed.submitted_at {
                    changes.push(Change::Submit { assessment: key, at });
                }
                for &(agreement_index, agreement) in
                    agreements_of.get(&assessment.id).map(Vec::as_slice).unwrap_or_default()
                {
                    let path = format!("cycles[{cycle_index}].agreements[{agreement_index}]");
                    if let Some((expectation, at, rationale)) = check_file_agreement(
                        &path,
                        agreement,
                        &parsed,
                        &framework.framework,
                        &mut problems,
                    ) {
                        changes.push(Change::Agree {
                            assessment: key,
                            expectation,
                            rating: agreement.rating.clone(),
                            rationale,
                            at,
                        });
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
        if !problems.is_empty() {
            return Err(fail(problems.into_messages()));
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

/// serde_json's message without its trailing " at line L column C", which the caller puts in
/// front instead.
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |position| &message[..position])
}
