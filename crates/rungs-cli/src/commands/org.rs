//! `rungs org …`: import, show, tree, stats, check, plan (mappings are in `org_mapping`).

use std::path::Path;

use anyhow::bail;
use rungs_app::{ImportOptions, OrgImport, Summary};
use rungs_core::Framework;
use rungs_core::org::{FindingSeverity, LeaverPolicy, OrgChart, RosterError, check, plan, stats};
use rungs_store::{Storage, Store};

use rungs_import::{ColumnMap, ImportMapping};

use crate::Outcome;
use crate::cli::OrgCommand;
use crate::commands::org_mapping;
use crate::input;
use crate::output::{print, print_json};
use crate::progress;
use crate::render;

pub async fn run(database_url: &str, command: OrgCommand) -> anyhow::Result<Outcome> {
    match command {
        OrgCommand::Import {
            file,
            mapping,
            mappings,
            dry_run,
            allow_leavers,
            leaver_share,
            source,
        } => {
            let options = ImportOptions {
                dry_run,
                leavers: LeaverPolicy { share: leaver_share, allowed: allow_leavers },
                claim: None,
            };
            let arguments = ColumnMap::parse(mappings.iter().map(String::as_str))?;
            if dry_run && !Store::exists(database_url) {
                // A dry run writes nothing, not even a new database: everyone would be added.
                let framework = input::framework(database_url, source.file.as_deref()).await?;
                let mapping = org_mapping::resolve(None, mapping.as_deref()).await?;
                let mapping = mapping.with_arguments(&arguments);
                return import(None, &framework, &file, mapping, options).await;
            }
            let store = input::open_store(database_url).await?;
            let framework = input::framework_of(&store, source.file.as_deref()).await?;
            let mapping = org_mapping::resolve(Some(&store), mapping.as_deref()).await?;
            let mapping = mapping.with_arguments(&arguments);
            import(Some(&store), &framework, &file, mapping, options).await
        }
        OrgCommand::Mapping(command) => org_mapping::run(database_url, command).await,
        OrgCommand::Show { id, json } => {
            let store = input::open_store(database_url).await?;
            let Some(person) = store.person(&id).await? else {
                bail!(unknown_person(&store, &id).await?)
            };
            let mut managers = Vec::new();
            let mut next = person.manager_id.clone();
            while let Some(manager_id) = next {
                if managers.len() > 64 {
                    break;
                }
                let Some(manager) = store.person(manager_id.as_str()).await? else { break };
                next = manager.manager_id.clone();
                managers.push(manager);
            }
            let reports = store.direct_reports(&id).await?;
            let framework = input::framework_of(&store, None).await?;
            if json {
                print_json(
                    &serde_json::json!({ "person": person, "managers": managers, "direct_reports": reports }),
                )?;
            } else {
                print(&render::person(&framework, &person, &managers, &reports))?;
            }
            Ok(Outcome::Clean)
        }
        OrgCommand::Tree { id, depth, source } => {
            let store = input::open_store(database_url).await?;
            let framework = input::framework_of(&store, source.file.as_deref()).await?;
            let chart = OrgChart::build(store.org_members().await?);
            let start = match id {
                Some(id) => match chart.find(&id) {
                    Some(member) => Some(member),
                    None => bail!(unknown_person(&store, &id).await?),
                },
                None => None,
            };
            print(&render::tree(&chart, &framework, start, depth))?;
            Ok(Outcome::Clean)
        }
        OrgCommand::Stats { json, source } => {
            let store = input::open_store(database_url).await?;
            let framework = input::framework_of(&store, source.file.as_deref()).await?;
            let chart = OrgChart::build(store.org_members().await?);
            let stats = stats(&chart, &framework);
            if json {
                print_json(&stats)?
            } else {
                print(&render::stats(&stats))?
            }
            Ok(Outcome::Clean)
        }
        OrgCommand::Check { json, source } => {
            let store = input::open_store(database_url).await?;
            let framework = input::framework_of(&store, source.file.as_deref()).await?;
            let timings = Timings::new();
            let members = store.org_members().await?;
            timings.mark("load");
            let chart = OrgChart::build(members);
            timings.mark("build");
            let findings = check(&chart, &framework);
            timings.mark("check");
            if json {
                print_json(&serde_json::json!({ "findings": findings }))?;
            } else {
                print(&render::findings(&findings, chart.len()))?;
            }
            let errors = findings.iter().any(|finding| finding.severity == FindingSeverity::Error);
            Ok(if errors { Outcome::ProblemsFound } else { Outcome::Clean })
        }
        OrgCommand::Plan { engineers, json, source } => {
            // Pure arithmetic on the ladder: look at the database's framework, never create one.
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            let plan = plan(&framework, engineers);
            if json {
                print_json(&plan)?
            } else {
                print(&render::plan(&plan))?
            }
            Ok(Outcome::Clean)
        }
    }
}

/// Phase timings on standard error when `RUNGS_TIMINGS` is set, for benchmarks.
struct Timings {
    enabled: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timings {
    fn new() -> Timings {
        Timings {
            enabled: std::env::var_os("RUNGS_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    fn mark(&self, phase: &str) {
        let now = std::time::Instant::now();
        if self.enabled {
            crate::output::eprint_line(&format!(
                "timing: {phase} {:.3} s",
                (now - self.last.get()).as_secs_f64()
            ));
        }
        self.last.set(now);
    }
}

async fn unknown_person(store: &Store, id: &str) -> anyhow::Result<String> {
    let members = store.org_members().await?;
    let hint =
        rungs_core::suggest::did_you_mean(id, members.iter().map(|member| member.id.as_str()));
    Ok(format!("no person with id `{id}`{hint}"))
}

/// Prints row errors as `FILE: row N, column `x`: message`, then a line saying nothing was written.
fn warn(name: &str, warnings: &[String]) {
    for warning in warnings {
        crate::output::eprint_line(&format!("{name}: warning: {warning}"));
    }
}

fn report_row_errors(name: &str, errors: &[RosterError]) -> anyhow::Result<Outcome> {
    let mut report: Vec<String> = errors.iter().map(|error| format!("{name}: {error}")).collect();
    report.push(format!("{name}: {} error(s); nothing was imported", errors.len()));
    print(&report.join("\n"))?;
    Ok(Outcome::ProblemsFound)
}

async fn import(
    store: Option<&Store>,
    framework: &Framework,
    file: &Path,
    mapping: ImportMapping,
    options: ImportOptions,
) -> anyhow::Result<Outcome> {
    let bytes = input::read_bytes(file)?;
    import_bytes(store, framework, &file.display().to_string(), bytes, mapping, options).await
}

/// Imports an export already in memory; `name` is the file name errors and the format go by.
pub async fn import_bytes(
    store: Option<&Store>,
    framework: &Framework,
    name: &str,
    bytes: Vec<u8>,
    mapping: ImportMapping,
    options: ImportOptions,
) -> anyhow::Result<Outcome> {
    let dry_run = options.dry_run;
    let timings = Timings::new();
    let reading = progress::bar(bytes.len() as u64, "importing", "bytes");
    let progress = {
        let reading = reading.clone();
        Box::new(move |position| reading.set_position(position))
    };
    let app = store.map(|store| rungs_app::App::new(store.clone()));
    let outcome =
        rungs_app::import_org(app.as_ref(), framework, name, bytes, mapping, options, progress)
            .await;
    reading.finish_and_clear();
    timings.mark("import");
    let outcome = outcome?;
    let (people, summary, too_many_leavers, named_changes) = match outcome {
        OrgImport::Imported {
            people,
            summary,
            warnings,
            too_many_leavers,
            changes,
            skipped,
            skipped_named,
            ..
        } => {
            warn(name, &warnings);
            if skipped > 0 {
                let named = rungs_core::text::first_of(
                    skipped_named
                        .iter()
                        .map(|line| rungs_core::text::visible(line, false).into_owned()),
                    skipped,
                );
                print(&format!("{name}: skipped as off the ladder: {named}"))?;
            }
            (people, summary, too_many_leavers, changes)
        }
        OrgImport::TooManyLeavers { refusal, warnings, .. } => {
            warn(name, &warnings);
            print(&format!(
                "{name}: error: {refusal}\n{name}: --dry-run names them; if they did leave, import it with --allow-leavers {}",
                refusal.left
            ))?;
            return Ok(Outcome::ProblemsFound);
        }
        OrgImport::Unreadable { message, warnings } => {
            warn(name, &warnings);
            print(&format!("{name}: error: {message}\n{name}: nothing was imported"))?;
            return Ok(Outcome::ProblemsFound);
        }
        OrgImport::Invalid { errors, warnings } => {
            warn(name, &warnings);
            return report_row_errors(name, &errors);
        }
        OrgImport::Empty { warnings } => {
            warn(name, &warnings);
            // A truncated export must not end the org: importing nobody would mark everyone as left.
            print(&format!(
                "{name}: error: the file has no people, only a header; importing it would mark everyone as left\n{name}: nothing was imported"
            ))?;
            return Ok(Outcome::ProblemsFound);
        }
    };
    if dry_run {
        print(&format!(
            "{name}: dry run, nothing was written; the import would make: {}",
            changes(&summary)
        ))?;
        if let Some(changes) = named_changes {
            let named = |list: &[String], total: u64| {
                rungs_core::text::first_of(
                    list.iter().map(|line| rungs_core::text::visible(line, false).into_owned()),
                    total,
                )
            };
            for (what, list, total) in [
                ("joining (new, or back after leaving)", &changes.added, changes.joining),
                ("level changes", &changes.level_changes, changes.level_changed),
                ("manager changes", &changes.manager_changes, changes.manager_changed),
                ("marked as left", &changes.leaving, summary.left),
            ] {
                if total > 0 {
                    print(&format!("{name}: {what}: {}", named(list, total)))?;
                }
            }
            if changes.rekeyed_count > 0 {
                print(&format!(
                    "{name}: {} {REKEYED}: {}",
                    changes.rekeyed_count,
                    named(&changes.rekeyed, changes.rekeyed_count)
                ))?;
            }
        }
        if let Some(refusal) = too_many_leavers {
            print(&format!(
                "{name}: the import would be refused: {} of the {} active people would be marked as left, more than {}%; --allow-leavers {} accepts it",
                refusal.left, refusal.active, refusal.share, refusal.left
            ))?;
        }
    } else {
        print(&imported_line(name, people, &summary))?;
    }
    Ok(Outcome::Clean)
}

/// What re-keyed people (see `ImportChanges::rekeyed`) mean, after their number.
const REKEYED: &str = "of those joining are in the chart with their id padded, which the mapping's [ids] leading_zeros = \"strip\" changes: they would join as new people and their old records be marked as left (import without stripping to keep their ids)";

/// `N added, N updated, N unchanged, N left`.
fn changes(summary: &Summary) -> String {
    format!(
        "{} added, {} updated, {} unchanged, {} left",
        summary.added, summary.updated, summary.unchanged, summary.left
    )
}

/// `FILE: imported N people: N added, N updated, N unchanged, N left`.
pub fn imported_line(name: &str, people: usize, summary: &Summary) -> String {
    format!("{name}: imported {people} people: {}", changes(summary))
}
