//! `rungs org mapping …`: suggest a mapping for an export, save, list, show and remove saved
//! ones; and finding the mapping `org import --mapping FILE|NAME` names.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::Path;

use anyhow::Context as _;
use rungs_app::{App, parse_mapping};
use rungs_import::{Format, ImportMapping};
use rungs_store::Store;

use crate::Outcome;
use crate::cli::MappingCommand;
use crate::input;
use crate::output::{print, print_json};

/// The mapping `--mapping` names: a file when there is one at that path, else a saved mapping.
pub async fn resolve(
    store: Option<&Store>,
    mapping: Option<&str>,
) -> anyhow::Result<ImportMapping> {
    let Some(mapping) = mapping else { return Ok(ImportMapping::default()) };
    let path = Path::new(mapping);
    if path.is_file() {
        let source = read_mapping(path)?;
        return Ok(parse_mapping(&path.display().to_string(), &source)?);
    }
    let looks_like_a_file = mapping.contains(['/', '\\']) || mapping.ends_with(".toml");
    match store {
        Some(store) if !looks_like_a_file => {
            Ok(App::new(store.clone()).mapping_named(mapping).await?.0)
        }
        _ => anyhow::bail!(
            "there is no mapping file `{mapping}`{}",
            if looks_like_a_file {
                ""
            } else {
                ", and no database to find a saved mapping of that name in"
            }
        ),
    }
}

fn read_mapping(path: &Path) -> anyhow::Result<String> {
    // Its size is checked where it is read as a mapping.
    let bytes = input::read_bytes(path)?;
    String::from_utf8(bytes)
        .with_context(|| format!("{}: a mapping file is UTF-8 text", path.display()))
}

/// Asks on the terminal whether to go on; `false` unless the answer is yes.
pub(crate) fn confirmed(question: &str) -> anyhow::Result<bool> {
    let mut stderr = std::io::stderr();
    write!(stderr, "{} Type yes to go on: ", crate::output::visible(question))?;
    stderr.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

pub async fn run(database_url: &str, command: MappingCommand) -> anyhow::Result<Outcome> {
    match command {
        MappingCommand::Suggest { file, out, source } => {
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            let bytes = input::read_bytes(&file)?;
            let name = file.display().to_string();
            let format = Format::from_file_name(&name);
            let text = rungs_import::suggest_mapping(format, &bytes, &framework, &name)
                .map_err(|error| anyhow::anyhow!("{name}: {error}"))?;
            match out {
                Some(out) => {
                    std::fs::write(&out, &text)
                        .with_context(|| format!("cannot write {}", out.display()))?;
                    crate::output::eprint_line(&format!(
                        "wrote {}; check the TODO lines, then: rungs org import {name} --mapping {}",
                        out.display(),
                        out.display()
                    ));
                }
                None => print(text.trim_end())?,
            }
            Ok(Outcome::Clean)
        }
        MappingCommand::Save { name, file } => {
            let source = read_mapping(&file)?;
            let app = App::new(input::open_store(database_url).await?);
            let replaced = app.import_mappings().await?.iter().any(|saved| saved.name == name);
            app.save_import_mapping(&name, &source).await?;
            let verb = if replaced { "replaced" } else { "saved" };
            print(&format!(
                "{verb} the import mapping `{name}`; import with: rungs org import FILE --mapping {name}"
            ))?;
            Ok(Outcome::Clean)
        }
        MappingCommand::List { json } => {
            let app = App::new(input::open_store(database_url).await?);
            let saved = app.import_mappings().await?;
            if json {
                let list: Vec<serde_json::Value> = saved
                    .iter()
                    .map(|mapping| serde_json::json!({ "name": mapping.name, "saved_by": mapping.saved_by, "saved_at": mapping.saved_at }))
                    .collect();
                print_json(&serde_json::json!({ "mappings": list }))?;
            } else if saved.is_empty() {
                print(
                    "no import mapping is saved; `rungs org mapping suggest FILE` writes one, `rungs org mapping save NAME FILE` saves it",
                )?;
            } else {
                let lines: Vec<String> = saved
                    .iter()
                    .map(|mapping| {
                        format!(
                            "{}  saved by {} at {}",
                            mapping.name, mapping.saved_by, mapping.saved_at
                        )
                    })
                    .collect();
                print(&lines.join("\n"))?;
            }
            Ok(Outcome::Clean)
        }
        MappingCommand::Show { name } => {
            let app = App::new(input::open_store(database_url).await?);
            print(app.import_mapping(&name).await?.source.trim_end())?;
            Ok(Outcome::Clean)
        }
        MappingCommand::Remove { name, yes } => {
            let app = App::new(input::open_store(database_url).await?);
            app.import_mapping(&name).await?;
            if !yes {
                anyhow::ensure!(
                    std::io::stdin().is_terminal(),
                    "removing the import mapping `{name}` cannot be undone: pass --yes to confirm (standard input is not a terminal); nothing was removed"
                );
                let question = format!(
                    "Remove the import mapping `{name}`? Imports that name it will be refused."
                );
                anyhow::ensure!(confirmed(&question)?, "not confirmed; nothing was removed");
            }
            app.remove_import_mapping(&name).await?;
            print(&format!("removed the import mapping `{name}`"))?;
            Ok(Outcome::Clean)
        }
    }
}
