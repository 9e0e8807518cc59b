//! `rungs framework …`: lint, show, compare, growth-area, diff, export, schema.

use anyhow::bail;
use rungs_app::{App, FrameworkUse};
use rungs_core::FrameworkDiff;
use rungs_format::{SourceFile, export};

use crate::Outcome;
use crate::cli::{ExportFormat, FrameworkCommand};
use crate::input;
use crate::output::{print, print_json};
use crate::render;

pub async fn run(database_url: &str, command: FrameworkCommand) -> anyhow::Result<Outcome> {
    match command {
        FrameworkCommand::Lint { file, json } => {
            let source = input::read_source(&file)?;
            lint(&source, json)
        }
        FrameworkCommand::Show { level, source, json } => {
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            match (level, json) {
                (None, false) => print(&render::ladder(&framework))?,
                (None, true) => print_json(&render::ladder_json(&framework))?,
                (Some(id), false) => {
                    print(&render::level(&framework, input::level(&framework, &id)?))?
                }
                (Some(id), true) => {
                    print_json(&export::level_view(&framework, input::level(&framework, &id)?))?
                }
            }
            Ok(Outcome::Clean)
        }
        FrameworkCommand::Compare { from, to, source, json } => {
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            let comparison =
                framework.compare(input::level(&framework, &from)?, input::level(&framework, &to)?);
            if json {
                print_json(&comparison)?;
            } else {
                print(&render::comparison(&framework, &comparison))?;
            }
            Ok(Outcome::Clean)
        }
        FrameworkCommand::GrowthArea { name, source, json } => {
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            let Some(area) = framework.growth_area(&name) else {
                let names = framework
                    .growth_areas()
                    .iter()
                    .flat_map(|area| [area.id.as_str(), area.name.as_str()]);
                let hint = rungs_core::suggest::did_you_mean(&name, names);
                let all: Vec<&str> =
                    framework.growth_areas().iter().map(|area| area.id.as_str()).collect();
                bail!("unknown growth area `{name}`{hint}; growth areas are: {}", all.join(", "));
            };
            if json {
                print_json(&export::growth_area_view(&framework, area))?;
            } else {
                print(&render::growth_area(&framework, area))?;
            }
            Ok(Outcome::Clean)
        }
        FrameworkCommand::Diff { old, new, json } => {
            let old_framework = input::load_file(&old)?;
            let new_framework = input::load_file(&new)?;
            let diff = FrameworkDiff::between(&old_framework, &new_framework);
            if json {
                print_json(&diff)?;
            } else {
                print(&render::diff(&diff))?;
            }
            Ok(Outcome::Clean)
        }
        FrameworkCommand::Export { format, source } => {
            let framework = input::framework(database_url, source.file.as_deref()).await?;
            let document = match format {
                ExportFormat::Json => export::to_json(&framework),
                ExportFormat::Toml => export::to_toml(&framework),
                ExportFormat::Md => export::to_markdown(&framework),
                ExportFormat::Html => export::to_html(&framework),
            };
            print(&document)?;
            Ok(Outcome::Clean)
        }
        FrameworkCommand::Use { file } => {
            let source = input::read_source(&file)?;
            if let Err(diagnostics) = rungs_format::load(&source) {
                {
                    let mut report: Vec<String> =
                        diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect();
                    report.push(format!(
                        "{}: not activated; the active framework is unchanged",
                        source.name()
                    ));
                    print(&report.join("\n"))?;
                    return Ok(Outcome::ProblemsFound);
                }
            }
            // Checked above so that an invalid file never creates a database; stored through the
            // use case, which checks it again.
            let app = App::new(input::open_store(database_url).await?);
            match app.use_framework(source.name(), source.text()).await? {
                FrameworkUse::Activated { framework_id, name, version, warnings } => {
                    for warning in warnings {
                        crate::output::eprint_line(&warning.to_string());
                    }
                    print(&format!("Active framework: {name} {version} ({framework_id})"))?;
                    Ok(Outcome::Clean)
                }
                FrameworkUse::Invalid { diagnostics } => {
                    print(&diagnostics.join("\n"))?;
                    Ok(Outcome::ProblemsFound)
                }
            }
        }
        FrameworkCommand::Schema => {
            print(&rungs_format::json_schema())?;
            Ok(Outcome::Clean)
        }
    }
}

/// Prints every diagnostic; problems found when any is an error.
fn lint(source: &SourceFile, json: bool) -> anyhow::Result<Outcome> {
    let linted = rungs_format::lint(source);
    let errors = linted.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
    let warnings = linted.diagnostics.len() - errors;
    if json {
        let diagnostics: Vec<serde_json::Value> =
            linted.diagnostics.iter().map(|diagnostic| diagnostic.to_json(source)).collect();
        print_json(
            &serde_json::json!({ "file": source.name(), "errors": errors, "warnings": warnings, "diagnostics": diagnostics }),
        )?;
    } else {
        let mut report: Vec<String> =
            linted.diagnostics.iter().map(|diagnostic| diagnostic.render(source)).collect();
        report.push(format!("{}: {errors} error(s), {warnings} warning(s)", source.name()));
        print(&report.join("\n"))?;
    }
    Ok(if errors > 0 { Outcome::ProblemsFound } else { Outcome::Clean })
}
