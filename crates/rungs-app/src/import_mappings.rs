//! Import mappings kept by name, so that the CLI (`--mapping NAME`), the web upload and the API
//! (`?mapping=NAME`) import an HR export the same way; and reading a mapping's TOML with its
//! errors named by line.

use rungs_import::ImportMapping;
use rungs_store::{Change, Records, StoredMapping};

use crate::audit::Audit;
use crate::{App, AppError};

/// How long a mapping's name may be.
const MAPPING_NAME_MAX: usize = 64;

/// Reads the mapping `source`; `origin` (a file name, or `mapping bamboo`) begins each error
/// line, which names the mapping's line.
pub fn parse_mapping(origin: &str, source: &str) -> Result<ImportMapping, AppError> {
    let mut mapping = ImportMapping::parse(source).map_err(|errors| refused(origin, &errors))?;
    origin.clone_into(&mut mapping.origin);
    Ok(mapping)
}

/// Checks a mapping's name: lowercase letters, digits, `-` and `_`, like the ladder's ids.
fn check_mapping_name(name: &str) -> Result<(), AppError> {
    let fine = !name.is_empty()
        && name.len() <= MAPPING_NAME_MAX
        && name.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_'
        });
    if fine {
        Ok(())
    } else {
        Err(AppError::invalid(
            "name",
            format!(
                "`{}` is not a mapping name: use up to {MAPPING_NAME_MAX} lowercase letters, digits, `-` and `_`",
                rungs_core::text::excerpt(name)
            ),
        ))
    }
}

impl App {
    /// Saves `source` as the mapping `name`, replacing one of that name, once it reads and fits
    /// the current framework.
    pub async fn save_import_mapping(&self, name: &str, source: &str) -> Result<(), AppError> {
        check_mapping_name(name)?;
        if source.trim().is_empty() {
            return Err(AppError::invalid(
                "mapping",
                "the mapping is empty: send its TOML (docs/org.md describes the format)",
            ));
        }
        let mapping = parse_mapping(&format!("mapping {name}"), source)?;
        let framework = self.current_framework().await?;
        check_against(&mapping, &framework)?;
        let audit = Audit::new("org.mapping.save", format!("import mapping {name}"))
            .after(serde_json::json!({ "name": name, "bytes": source.len() }));
        self.write(
            vec![Change::SaveImportMapping {
                name: name.to_owned(),
                source: source.to_owned(),
                by: self.actor().to_owned(),
                at: self.now(),
            }],
            audit,
        )
        .await?;
        Ok(())
    }

    /// Removes the mapping `name`.
    pub async fn remove_import_mapping(&self, name: &str) -> Result<(), AppError> {
        self.import_mapping(name).await?;
        let audit = Audit::new("org.mapping.remove", format!("import mapping {name}"));
        self.write(vec![Change::RemoveImportMapping { name: name.to_owned() }], audit).await?;
        Ok(())
    }

    /// The mapping saved as `name`, with its source.
    pub async fn import_mapping(&self, name: &str) -> Result<StoredMapping, AppError> {
        match self.store.import_mapping(name).await? {
            Some(mapping) => Ok(mapping),
            None => {
                let saved = self.store.import_mappings().await?;
                let names = saved.iter().map(|mapping| mapping.name.as_str());
                let suggestion = match saved.len() {
                    0 => "; none is saved: `rungs org mapping save NAME FILE` saves one".to_owned(),
                    _ => format!(
                        "{}; saved ones are: {}",
                        rungs_core::suggest::did_you_mean(name, names.clone()),
                        names.collect::<Vec<_>>().join(", ")
                    ),
                };
                Err(AppError::NotFound { what: "import mapping", id: name.to_owned(), suggestion })
            }
        }
    }

    /// Every saved mapping, by name, without their sources.
    pub async fn import_mappings(&self) -> Result<Vec<StoredMapping>, AppError> {
        Ok(self.store.import_mappings().await?)
    }

    /// The saved mapping `name`, read: its source too, for a preview to keep.
    pub async fn mapping_named(&self, name: &str) -> Result<(ImportMapping, String), AppError> {
        let stored = self.import_mapping(name).await?;
        let mapping = parse_mapping(&format!("mapping {name}"), &stored.source)?;
        Ok((mapping, stored.source))
    }
}

/// The mapping's levels and tracks are the framework's, or the errors name their lines.
pub(crate) fn check_against(
    mapping: &ImportMapping,
    framework: &rungs_core::Framework,
) -> Result<(), AppError> {
    let origin = if mapping.origin.is_empty() { "mapping" } else { mapping.origin.as_str() };
    mapping.check(framework).map_err(|errors| refused(origin, &errors))
}

/// A mapping's errors, a line each, each after where the mapping came from.
fn refused(origin: &str, errors: &[rungs_import::MappingFileError]) -> AppError {
    let lines: Vec<String> = errors.iter().map(|error| format!("{origin} {error}")).collect();
    AppError::invalid("mapping", lines.join("\n"))
}
