//! `rungs demo generate`: a realistic org chart CSV for demos, tests and benchmarks.

use std::io::Write;

use anyhow::Context;

use crate::Outcome;
use crate::cli::DemoCommand;
use crate::input;

pub async fn run(database_url: &str, command: DemoCommand) -> anyhow::Result<Outcome> {
    match command {
        DemoCommand::Generate { people, seed, out, source } => {
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            let org = rungs_demo::generate(&framework, people, seed);
            if org.is_empty() && people > 0 {
                anyhow::bail!(
                    "the framework needs a track whose levels state an org size, and a second track of individual contributors"
                );
            }
            match out {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create `{}`", path.display()))?;
                    let mut writer = std::io::BufWriter::new(file);
                    rungs_demo::write_csv(&org, &mut writer)?;
                    writer.flush()?;
                    eprintln!("wrote {} people to {}", org.len(), path.display());
                }
                None => {
                    let stdout = std::io::stdout().lock();
                    let mut writer = std::io::BufWriter::new(stdout);
                    rungs_demo::write_csv(&org, &mut writer)?;
                    writer.flush()?;
                }
            }
            Ok(Outcome::Clean)
        }
    }
}
