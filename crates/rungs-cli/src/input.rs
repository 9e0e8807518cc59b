//! Reading framework files, with errors that name the file and suggest the one meant.

use std::path::Path;

use anyhow::{Context, bail};
use rungs_core::{Framework, Level};
use rungs_format::{Loaded, SourceFile, closest};

/// Reads a file, suggesting a near name in the same folder when it does not exist.
pub fn read_source(path: &Path) -> anyhow::Result<SourceFile> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(SourceFile::new(path.display().to_string(), text)),
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
    let source = read_source(path)?;
    match rungs_format::load(&source) {
        Ok(Loaded { framework, warnings }) => {
            for warning in warnings {
                eprintln!("{}", warning.render(&source));
            }
            Ok(framework)
        }
        Err(diagnostics) => {
            let rendered: Vec<String> =
                diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect();
            bail!("`{}` is not a valid framework:\n{}", path.display(), rendered.join("\n"))
        }
    }
}

/// The framework a command works on: `--file` when given, the built-in ladder otherwise.
pub fn framework(file: Option<&Path>) -> anyhow::Result<Framework> {
    match file {
        Some(path) => load_file(path),
        None => Ok(rungs_format::builtin().clone()),
    }
}

/// A level by id, or an error naming it and suggesting the closest valid id.
pub fn level<'f>(framework: &'f Framework, id: &str) -> anyhow::Result<&'f Level> {
    if let Some(level) = framework.level(id) {
        return Ok(level);
    }
    let ids = framework.levels().iter().map(|level| level.id.as_str());
    let hint =
        closest(id, ids).map(|name| format!(" (did you mean `{name}`?)")).unwrap_or_default();
    let all: Vec<&str> = framework.levels().iter().map(|level| level.id.as_str()).collect();
    bail!("unknown level `{id}`{hint}; levels are: {}", all.join(", "))
}
