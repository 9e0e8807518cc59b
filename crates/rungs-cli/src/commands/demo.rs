//! `rungs demo generate` and `rungs demo load`: a realistic org chart and assessments, as
//! files or straight into the database, for demos, tests and benchmarks.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use rungs_app::App;
use rungs_core::Framework;
use rungs_demo::DemoPerson;
use rungs_store::{Storage, Store};

use crate::Outcome;
use crate::cli::DemoCommand;
use crate::commands::org;
use crate::input;
use crate::output::print;

fn generate(framework: &Framework, people: usize, seed: u64) -> anyhow::Result<Vec<DemoPerson>> {
    let org = rungs_demo::generate(framework, people, seed);
    if org.is_empty() && people > 0 {
        bail!(
            "the framework needs a track whose levels state an org size, and a second track of individual contributors"
        );
    }
    Ok(org)
}

fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    write(&mut writer)?;
    writer.flush().with_context(|| format!("cannot write `{}`", path.display()))
}

pub async fn run(database_url: &str, command: DemoCommand) -> anyhow::Result<Outcome> {
    match command {
        DemoCommand::Generate { people, seed, out, assessments, assessed, source } => {
            let (framework, text) =
                input::framework_with_source(database_url, source.file.as_deref()).await?;
            let org = generate(&framework, people, seed)?;
            match out {
                Some(path) => {
                    write_file(&path, |writer| Ok(rungs_demo::write_csv(&org, writer)?))?;
                    eprintln!("wrote {} people to {}", org.len(), path.display());
                }
                None => {
                    let stdout = std::io::stdout().lock();
                    let mut writer = std::io::BufWriter::new(stdout);
                    rungs_demo::write_csv(&org, &mut writer)?;
                    writer.flush()?;
                }
            }
            if let Some(path) = assessments {
                let bundle = rungs_demo::assessments(&framework, &text, &org, assessed, seed);
                write_file(&path, |writer| Ok(serde_json::to_writer_pretty(writer, &bundle)?))?;
                let count: usize = bundle.cycles.iter().map(|cycle| cycle.assessments.len()).sum();
                eprintln!(
                    "wrote {count} assessments in {} cycles to {}",
                    bundle.cycles.len(),
                    path.display()
                );
            }
            Ok(Outcome::Clean)
        }
        DemoCommand::Load { people, seed, assessed } => {
            let store = input::open_store(database_url).await?;
            let (active, left) = store.head_counts().await?;
            if active + left > 0 {
                bail!("the database already has people; `demo load` fills an empty database");
            }
            let report = load(&store, people, seed, assessed).await?;
            print(&format!(
                "Loaded {} cycles with {} assessments and {} agreed ratings.",
                report.cycles, report.assessments, report.agreements
            ))?;
            Ok(Outcome::Clean)
        }
    }
}

/// Fills an empty database: the active framework (the built-in ladder when none was chosen), a
/// demo org, and two cycles of assessments.
pub async fn load(
    store: &Store,
    people: usize,
    seed: u64,
    assessed: usize,
) -> anyhow::Result<rungs_app::ImportReport> {
    let app = App::new(store.clone());
    let (key, framework) = app.pinned_framework().await?;
    let source = rungs_store::Records::framework_version(store, key)
        .await?
        .map(|stored| stored.source)
        .context("the active framework disappeared")?;
    let org = generate(&framework, people, seed)?;
    let mut csv = Vec::new();
    rungs_demo::write_csv(&org, &mut csv)?;
    let outcome =
        org::import_bytes(Some(store), &framework, "<demo org>.csv", csv, &[], false).await?;
    if outcome != Outcome::Clean {
        bail!("the demo org did not import; this is a bug in Rungs");
    }
    let bundle = rungs_demo::assessments(&framework, &source, &org, assessed, seed);
    let text = serde_json::to_string(&bundle)?;
    Ok(app.import_assessments("<demo assessments>", &text).await?)
}
