//! The org chart: importing an HR export (checked whole while it is written, kept only when
//! every row is valid), and the whole-org views computed in memory.

use std::sync::Arc;

use rungs_core::Framework;
use rungs_core::org::{
    ChangeObserver, FileIndex, Finding, FindingCounts, ImportChanges, LeaverPolicy, OrgStats,
    RosterError, RosterRow, RosterValidator, TooManyLeavers, count_findings, findings_of,
    findings_page, stats,
};
use rungs_import::{Format, ImportMapping, ReadError};
use rungs_store::{
    Change, FeedSender, ImportAudit, ImportRecord, ImportSummary, Storage, import_feed,
};

use crate::audit::Audit;
use crate::{App, AppError, CurrentOrg};

/// Rows checked per batch handed to the writer.
const CHUNK: usize = 8_192;

/// Reports how many bytes of the export were read so far.
pub type ReadProgress = Box<dyn FnMut(u64) + Send>;

/// What an org import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum OrgImport {
    /// Every row was valid: written, or, in a dry run, what would be written. A dry run says
    /// too whether the import would be refused for its leavers (`too_many_leavers`).
    Imported {
        people: usize,
        summary: Summary,
        warnings: Vec<String>,
        dry_run: bool,
        /// Rows the mapping skipped as off the ladder, and the first of them by name.
        skipped: u64,
        skipped_named: Vec<String>,
        too_many_leavers: Option<TooManyLeavers>,
        /// A dry run's changes by name: who is added, whose level or manager changes, who
        /// would be marked as left.
        #[serde(skip_serializing_if = "Option::is_none")]
        changes: Option<ImportChanges>,
    },
    /// Every row was valid, but the import would mark more people as left than the leaver
    /// policy allows without a confirmation of their number; nothing was written.
    TooManyLeavers {
        refusal: TooManyLeavers,
        /// The people the file holds.
        people: usize,
        summary: Summary,
        warnings: Vec<String>,
    },
    /// The file is not a readable export (a missing column, a broken header).
    Unreadable { message: String, warnings: Vec<String> },
    /// Rows have errors; nothing was written.
    Invalid { errors: Vec<RosterError>, warnings: Vec<String> },
    /// A header and no people; importing it would mark everyone as left.
    Empty { warnings: Vec<String> },
}

/// Added, updated, unchanged and left, and how many were active before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub left: u64,
    pub active_before: u64,
}

impl From<ImportSummary> for Summary {
    fn from(summary: ImportSummary) -> Summary {
        Summary {
            added: summary.added,
            updated: summary.updated,
            unchanged: summary.unchanged,
            left: summary.left,
            active_before: summary.active_before,
        }
    }
}

/// How an import runs: for real or as a dry run, and how many leavers it may make.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub leavers: LeaverPolicy,
    /// The pending upload (by its token's hash) that this import confirms: claimed in the
    /// import's own transaction, so that it is imported once, and only onto the org it
    /// previewed.
    pub claim: Option<String>,
}

/// What reading and checking an export found.
enum Checked {
    Clean {
        warnings: Vec<String>,
        people: usize,
        skipped: (u64, Vec<String>),
        changes: Option<ImportChanges>,
    },
    Unreadable(ReadError),
    Invalid {
        warnings: Vec<String>,
        errors: Vec<RosterError>,
    },
    Empty {
        warnings: Vec<String>,
    },
}

/// Checks rows in chunks and forwards each chunk's people to the writer while the file is
/// still being read.
struct Forwarder<'f> {
    validator: RosterValidator<'f>,
    chunk: Vec<RosterRow>,
    sender: Option<FeedSender>,
    /// In a preview: the current org, and what the file changes in it.
    observer: Option<(&'f CurrentOrg, ChangeObserver<'f>)>,
}

impl Forwarder<'_> {
    fn push(&mut self, row: RosterRow) {
        self.chunk.push(row);
        if self.chunk.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let people = self.validator.check_chunk(std::mem::take(&mut self.chunk));
        if let Some((org, observer)) = &mut self.observer {
            for person in &people {
                observer.observe(person, &|id| org.find(id));
            }
        }
        if !people.is_empty()
            && let Some(sender) = &self.sender
            && !sender.send(people)
        {
            // The writer stopped; keep checking so that every error is still reported.
            self.sender = None;
        }
    }
}

/// Reads and checks the export on a blocking thread, feeding the writer as it goes, and tells
/// the writer at the end whether to keep what it wrote.
fn read_and_check<'f>(
    bytes: &[u8],
    format: Format,
    mapping: &ImportMapping,
    framework: &'f Framework,
    org: Option<&'f CurrentOrg>,
    sender: Option<FeedSender>,
    progress: &mut ReadProgress,
) -> Checked {
    let map = &mapping.columns;
    let rules = &mapping.rules;
    // What the rules need of the whole file (managers by email, chains past skipped people),
    // from a first pass; a file that cannot be read is reported by the second.
    let index = rules.needs_index().then(|| {
        let mut index = FileIndex::default();
        let _unread = rungs_import::read_each(format, bytes, map, &mut |_| {}, &mut |mut row| {
            let fate = rules.prepare(&mut row);
            index.observe(&row, fate, rules);
        });
        index
    });
    let mut forwarder = Forwarder {
        validator: RosterValidator::with_rules(framework, rules.clone(), index.as_ref()),
        chunk: Vec::with_capacity(CHUNK),
        sender,
        observer: org.map(|org| {
            let observer =
                ChangeObserver::new(&org.chart).noting_stripped_ids(rules.strip_leading_zeros);
            (org, observer)
        }),
    };
    let read = rungs_import::read_each(
        format,
        bytes,
        map,
        &mut |position| progress(position),
        &mut |row| forwarder.push(row),
    );
    forwarder.flush();
    let Forwarder { validator, sender, observer, .. } = forwarder;
    let changes = observer.map(|(_, observer)| observer.finish());
    if let Some(sender) = &sender {
        sender.all_sent();
    }
    let rows = validator.rows();
    let (skipped, skipped_named) = validator.skipped();
    let skipped = (skipped, skipped_named.to_vec());
    let checked = match read {
        Err(error) => Checked::Unreadable(error),
        Ok(_) if rows == 0 && skipped.0 > 0 => Checked::Unreadable(ReadError::Structure(format!(
            "the mapping skips every row as off the ladder ({}); nothing is left to import",
            rungs_core::text::first_of(skipped.1.iter().cloned(), skipped.0)
        ))),
        Ok(warnings) if rows == 0 => Checked::Empty { warnings },
        Ok(warnings) => match validator.finish() {
            Ok(()) => Checked::Clean { warnings, people: rows, skipped, changes },
            Err(errors) => Checked::Invalid { warnings, errors },
        },
    };
    if let Some(sender) = sender {
        sender.finish(matches!(checked, Checked::Clean { .. }));
    }
    checked
}

/// Imports an HR export already in memory into `app`'s store (or, with no app, only checks it).
/// `name` is the file name: the format goes by its extension. Writing overlaps reading: the
/// writer inserts each checked chunk inside one transaction, and the reader decides at the
/// end whether it is kept. A kept import's `org.import` audit entry is written in that same
/// transaction.
pub async fn import_org(
    app: Option<&App>,
    framework: &Framework,
    name: &str,
    bytes: Vec<u8>,
    mapping: ImportMapping,
    options: ImportOptions,
    mut progress: ReadProgress,
) -> Result<OrgImport, AppError> {
    let ImportOptions { dry_run, leavers, claim } = options;
    rungs_core::text::SOURCE_NAME
        .check(name)
        .map_err(|error| AppError::invalid("file name", error))?;
    crate::import_mappings::check_against(&mapping, framework)?;
    let format = Format::from_file_name(name);
    let (sender, feed) = match app {
        Some(_) => {
            let (sender, feed) = import_feed();
            (Some(sender), Some(feed))
        }
        None => (None, None),
    };
    // A preview names what changes against the org as it is; a real import needs no names.
    let org = match app {
        Some(app) if dry_run => Some(app.current_org().await?),
        _ => None,
    };
    let reader = {
        let framework = framework.clone();
        tokio::task::spawn_blocking(move || {
            read_and_check(
                &bytes,
                format,
                &mapping,
                &framework,
                org.as_deref(),
                sender,
                &mut progress,
            )
        })
    };
    let written = match (app, feed) {
        (Some(app), Some(feed)) => {
            let audit = import_audit(app, name, leavers, claim);
            Some(app.store.import_people(name, feed, dry_run, Some(audit), Box::new(|_| {})).await)
        }
        _ => None,
    };
    let checked =
        reader.await.map_err(|error| AppError::Conflict(format!("the import stopped: {error}")))?;
    Ok(match checked {
        Checked::Clean { people, warnings, skipped: (skipped, skipped_named), changes } => {
            let summary = match written {
                Some(Err(rungs_store::StoreError::ImportRefused(summary))) => {
                    let summary = Summary::from(summary);
                    match leavers.check(summary.left, summary.active_before) {
                        Err(refusal) => {
                            return Ok(OrgImport::TooManyLeavers {
                                refusal,
                                people,
                                summary,
                                warnings,
                            });
                        }
                        Ok(()) => {
                            return Err(AppError::Conflict(
                                "the import was refused before it was kept; nothing was written"
                                    .to_owned(),
                            ));
                        }
                    }
                }
                Some(result) => result?,
                None => ImportSummary { added: people as u64, ..ImportSummary::default() },
            };
            let too_many_leavers = leavers.check(summary.left, summary.active_before).err();
            OrgImport::Imported {
                people,
                summary: summary.into(),
                warnings,
                dry_run,
                skipped,
                skipped_named,
                too_many_leavers,
                changes,
            }
        }
        Checked::Unreadable(ReadError::Structure(message)) => {
            OrgImport::Unreadable { message, warnings: Vec::new() }
        }
        Checked::Unreadable(ReadError::Rows(errors)) => {
            OrgImport::Invalid { errors, warnings: Vec::new() }
        }
        Checked::Invalid { warnings, errors } => OrgImport::Invalid { errors, warnings },
        Checked::Empty { warnings } => OrgImport::Empty { warnings },
    })
}

/// How an `org.import` audit entry's target begins; the file's name follows.
const IMPORT_TARGET: &str = "org import ";

/// The `org.import` audit entry of an import of `name`, and the claim of the pending upload it
/// confirms, once the store knows what it did; nothing, so no import, when it makes more
/// leavers than `leavers` allows.
fn import_audit(
    app: &App,
    name: &str,
    leavers: LeaverPolicy,
    claim: Option<String>,
) -> ImportAudit {
    let (at, actor) = (app.now(), app.actor().to_owned());
    let target = format!("{IMPORT_TARGET}{name}");
    Box::new(move |people, summary| {
        let summary = Summary::from(*summary);
        leavers.check(summary.left, summary.active_before).ok()?;
        let changes = claim
            .map(|token_hash| Change::ClaimPendingImport {
                token_hash,
                by: actor.clone(),
                expired_before: crate::pending_window::expired_before(at),
            })
            .into_iter()
            .collect();
        let audit = Audit::new("org.import", target)
            .after(serde_json::json!({ "people": people, "summary": summary }))
            .entry(at, &actor);
        Some(ImportRecord { audit, changes })
    })
}

impl App {
    /// Imports an HR export into this instance's store, checked against the current framework.
    pub async fn import_org(
        &self,
        name: &str,
        bytes: Vec<u8>,
        mapping: ImportMapping,
        options: ImportOptions,
    ) -> Result<OrgImport, AppError> {
        let framework = self.current_framework().await?;
        import_org(Some(self), &framework, name, bytes, mapping, options, Box::new(|_| {})).await
    }

    /// Who imported the current org, and from which file: the latest `org.import` audit
    /// entry's actor and the file its target names; `None` before the first import.
    pub async fn latest_org_import(&self) -> Result<Option<(String, String)>, AppError> {
        let latest = rungs_store::Accounts::latest_audited(&self.store, "org.import").await?;
        Ok(latest.map(|(actor, target)| {
            let source = target.strip_prefix(IMPORT_TARGET).unwrap_or(&target).to_owned();
            (actor, source)
        }))
    }

    /// Active and left head counts.
    pub async fn head_counts(&self) -> Result<(u64, u64), AppError> {
        Ok(self.store.head_counts().await?)
    }

    /// The org as the org page shows it: the chart, the framework it is checked against, how
    /// many findings of each severity there are and the figures of the whole org. The findings
    /// themselves are read a person or a page at a time ([`OrgDesign::findings_of`],
    /// [`App::org_findings`]), so that memory does not grow with the org.
    pub async fn org_design(&self) -> Result<OrgDesign, AppError> {
        let framework = self.current_framework().await?;
        let org = self.current_org().await?;
        let counts = count_findings(&org.chart, &framework);
        let figures = stats(&org.chart, &framework);
        Ok(OrgDesign { org, framework, counts, figures })
    }

    /// The figures of the whole org.
    pub async fn org_stats(&self) -> Result<OrgStats, AppError> {
        let framework = self.current_framework().await?;
        let org = self.current_org().await?;
        Ok(stats(&org.chart, &framework))
    }

    /// At most `limit` org-design findings from position `offset` of `org check`'s order
    /// (errors first), and how many there are of each severity.
    pub async fn org_findings(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Finding>, FindingCounts), AppError> {
        let framework = self.current_framework().await?;
        let org = self.current_org().await?;
        Ok(findings_page(&org.chart, &framework, offset, limit))
    }
}

/// The org and its design figures: see [`App::org_design`].
#[derive(Debug, Clone)]
pub struct OrgDesign {
    pub org: Arc<CurrentOrg>,
    pub framework: Arc<Framework>,
    pub counts: FindingCounts,
    pub figures: OrgStats,
}

impl OrgDesign {
    /// The findings about the chart member at `position`, errors first.
    pub fn findings_of(&self, position: usize) -> Vec<Finding> {
        findings_of(&self.org.chart, &self.framework, position)
    }
}
