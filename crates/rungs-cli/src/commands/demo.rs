//! `rungs demo generate` and `rungs demo load`: a realistic org chart and assessments, as
//! files or straight into the database, for demos, tests and benchmarks.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use rungs_app::App;
use rungs_store::Store;

use crate::Outcome;
use crate::cli::DemoCommand;
use crate::commands::org;
use crate::input;
use crate::output::print;

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
            let org = rungs_demo::generate_org(&framework, people, seed)?;
            match out {
                Some(path) => {
                    write_file(&path, |writer| Ok(rungs_demo::write_csv(&org, writer)?))?;
                    crate::output::eprint_line(&format!(
                        "wrote {} people to {}",
                        org.len(),
                        path.display()
                    ));
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
                crate::output::eprint_line(&format!(
                    "wrote {count} assessments in {} cycles to {}",
                    bundle.cycles.len(),
                    path.display()
                ));
            }
            Ok(Outcome::Clean)
        }
        DemoCommand::Load { people, seed, assessed } => {
            let store = input::open_store(database_url).await?;
            let holds = rungs_demo::demo_database(&App::new(store.clone())).await?;
            if holds != rungs_demo::DemoDatabase::Empty {
                bail!(
                    "`demo load` fills an empty database (no people, no accounts); this one already has people or accounts"
                );
            }
            let loaded = load(&store, people, seed, assessed).await?;
            print(&org::imported_line(loaded.org_name, loaded.people, &loaded.summary))?;
            let report = loaded.assessments;
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
) -> anyhow::Result<rungs_demo::DemoLoad> {
    Ok(rungs_demo::load(&App::new(store.clone()), people, seed, assessed).await?)
}
