//! Reading framework files, with errors that name the file and suggest the one meant.

use std::path::Path;

use anyhow::{Context, bail};
use rungs_core::suggest::did_you_mean;
use rungs_core::{Framework, Level};
use rungs_format::{Loaded, SourceFile, closest};
use rungs_store::{Storage, Store};

/// Reads a text file, suggesting a near name in the same folder when it does not exist.
pub fn read_source(path: &Path) -> anyhow::Result<SourceFile> {
    let bytes = read_bytes(path)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path.display().to_string(), text)),
        Err(error) => bail!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            error.utf8_error().valid_up_to()
        ),
    }
}

/// Reads a file's bytes, suggesting a near name in the same folder when it does not exist.
pub fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let folder = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let wanted = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let names: Vec<String> = std::fs::read_dir(folder)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|entry| entry.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let hint = closest(&wanted, names.iter().map(String::as_str))
                .map(|name| format!(" (did you mean `{}`?)", folder.join(name).display()))
                .unwrap_or_default();
            bail!("cannot read `{}`: no such file{hint}", path.display())
        }
        Err(error) => Err(error).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

/// Loads a framework file; on lint errors, fails with every diagnostic rendered.
pub fn load_file(path: &Path) -> anyhow::Result<Framework> {
    load_source(&read_source(path)?)
}

/// Loads a framework file already read; warnings go to standard error.
fn load_source(source: &SourceFile) -> anyhow::Result<Framework> {
    match rungs_format::load(source) {
        Ok(Loaded { framework, warnings }) => {
            for warning in warnings {
                crate::output::eprint_line(&warning.render(source));
            }
            Ok(framework)
        }
        Err(diagnostics) => {
            let rendered: Vec<String> =
                diagnostics.iter().map(|diagnostic| diagnostic.render(source)).collect();
            bail!("`{}` is not a valid framework:\n{}", source.name(), rendered.join("\n"))
        }
    }
}

/// The framework stored as active in the database, when there is one.
pub async fn active_framework(store: &Store) -> anyhow::Result<Option<Framework>> {
    Ok(active_with_source(store).await?.map(|(framework, _)| framework))
}

/// The active framework and its file's text, when there is one.
async fn active_with_source(store: &Store) -> anyhow::Result<Option<(Framework, String)>> {
    let Some(stored) = store.active_framework().await? else {
        return Ok(None);
    };
    let name = format!("<active framework {} {}>", stored.framework_id, stored.version);
    let source = SourceFile::new(name.clone(), stored.source);
    match rungs_format::load(&source) {
        Ok(loaded) => Ok(Some((loaded.framework, source.text().to_owned()))),
        Err(diagnostics) => {
            let rendered: Vec<String> =
                diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect();
            bail!("the {name} stored in the database no longer loads:\n{}", rendered.join("\n"))
        }
    }
}

/// The framework of an open database: `--file` when given, else the active framework, else
/// the built-in ladder.
pub async fn framework_of(store: &Store, file: Option<&Path>) -> anyhow::Result<Framework> {
    if let Some(path) = file {
        return load_file(path);
    }
    Ok(active_framework(store).await?.unwrap_or_else(|| rungs_format::builtin().clone()))
}

/// The framework a framework command works on: `--file` when given, else the active framework
/// of the database if the database already exists (it is never created just to look), else
/// the built-in ladder.
pub async fn framework(database_url: &str, file: Option<&Path>) -> anyhow::Result<Framework> {
    Ok(framework_with_source(database_url, file).await?.0)
}

/// Like [`framework`], with the framework file's text, which demo assessments carry along.
pub async fn framework_with_source(
    database_url: &str,
    file: Option<&Path>,
) -> anyhow::Result<(Framework, String)> {
    if let Some(path) = file {
        let source = read_source(path)?;
        return Ok((load_source(&source)?, source.text().to_owned()));
    }
    if Store::exists(database_url) {
        let store = open_store(database_url).await?;
        if let Some(found) = active_with_source(&store).await? {
            return Ok(found);
        }
    }
    Ok((rungs_format::builtin().clone(), rungs_format::BUILTIN_SOURCE.to_owned()))
}

/// Opens the database, creating a SQLite file if needed.
pub async fn open_store(database_url: &str) -> anyhow::Result<Store> {
    Ok(Store::open(database_url).await?)
}

/// A level by id, or an error naming it and suggesting the closest valid id.
pub fn level<'f>(framework: &'f Framework, id: &str) -> anyhow::Result<&'f Level> {
    if let Some(level) = framework.level(id) {
        return Ok(level);
    }
    let all: Vec<&str> = framework.levels().iter().map(|level| level.id.as_str()).collect();
    let hint = did_you_mean(id, all.iter().copied());
    bail!("unknown level `{id}`{hint}; levels are: {}", all.join(", "))
}
