//! Matching export headers to roster fields: canonical names ignoring case, spaces and
//! underscores, plus explicit `--map "Source Header=field"` mappings.

use rungs_core::org::{ROSTER_FIELDS, RosterField};
use rungs_core::suggest::did_you_mean;

/// Why a `--map` argument is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("`{0}` is not a mapping: write \"Source Header=field\"")]
    Syntax(String),
    #[error("`{field}` is not a roster field{hint}; fields are: {fields}")]
    UnknownField { field: String, hint: String, fields: String },
}

/// Header names compared ignoring case, spaces, underscores and hyphens.
pub(crate) fn normalize(header: &str) -> String {
    header.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).flat_map(char::to_lowercase).collect()
}

/// Explicit header-to-field mappings given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    mappings: Vec<(String, RosterField)>,
}

impl ColumnMap {
    /// Parses `Source Header=field` arguments.
    pub fn parse<'a>(
        arguments: impl IntoIterator<Item = &'a str>,
    ) -> Result<ColumnMap, MappingError> {
        let mut mappings = Vec::new();
        for argument in arguments {
            let Some((header, field)) = argument.rsplit_once('=') else {
                return Err(MappingError::Syntax(argument.to_owned()));
            };
            let (header, field) = (header.trim(), field.trim());
            if header.is_empty() || field.is_empty() {
                return Err(MappingError::Syntax(argument.to_owned()));
            }
            let found = ROSTER_FIELDS.iter().find(|(_, name)| normalize(name) == normalize(field));
            let Some((found, _)) = found else {
                let names = ROSTER_FIELDS.map(|(_, name)| name);
                return Err(MappingError::UnknownField {
                    field: field.to_owned(),
                    hint: did_you_mean(field, names),
                    fields: names.join(", "),
                });
            };
            mappings.push((normalize(header), *found));
        }
        Ok(ColumnMap { mappings })
    }

    /// Maps `header` to `field`.
    pub fn insert(&mut self, header: &str, field: RosterField) {
        self.mappings.push((normalize(header), field));
    }

    /// These mappings, then `later`'s for headers these do not map.
    pub fn then(mut self, later: ColumnMap) -> ColumnMap {
        self.mappings.extend(later.mappings);
        self
    }

    /// The field a header feeds: an explicit mapping first, then the canonical name.
    pub(crate) fn field_for(&self, header: &str) -> Option<RosterField> {
        let normalized = normalize(header);
        self.mappings
            .iter()
            .find(|(source, _)| *source == normalized)
            .map(|(_, field)| *field)
            .or_else(|| {
                // A field mapped to another header is not fed by its canonical one too: an
                // export with `Job Title` mapped to `title` may keep a `Title` of its own.
                ROSTER_FIELDS
                    .iter()
                    .find(|(_, name)| normalize(name) == normalized)
                    .map(|(field, _)| *field)
                    .filter(|field| !self.mappings.iter().any(|(_, mapped)| mapped == field))
            })
    }
}

/// Which field each column feeds, with problems reported for the header as a whole.
#[derive(Debug)]
pub(crate) struct Columns {
    pub(crate) fields: Vec<Option<RosterField>>,
    pub(crate) warnings: Vec<String>,
}

pub(crate) fn resolve(headers: &[String], map: &ColumnMap) -> Result<Columns, String> {
    let mut fields = Vec::with_capacity(headers.len());
    let mut ignored = Vec::new();
    for header in headers {
        let field = map.field_for(header);
        if let Some(field) = field
            && fields.contains(&Some(field))
        {
            return Err(format!("two columns feed `{field}`; the second is `{header}`"));
        }
        if field.is_none() {
            ignored.push(format!("`{header}`"));
        }
        fields.push(field);
    }
    // A name may be composed of its parts instead.
    let composed = fields.contains(&Some(RosterField::FirstName))
        || fields.contains(&Some(RosterField::LastName));
    let missing: Vec<&str> = ROSTER_FIELDS
        .iter()
        .filter(|(field, _)| field.is_required() && !fields.contains(&Some(*field)))
        .filter(|(field, _)| !(*field == RosterField::Name && composed))
        .map(|(_, name)| *name)
        .collect();
    if !missing.is_empty() {
        let present: Vec<String> = headers.iter().map(|header| format!("`{header}`")).collect();
        return Err(format!(
            "no column for {}; the columns are {}. Map a column to {} in an import mapping's [columns] (or with --map \"Header={}\" on the command line)",
            missing.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "),
            present.join(", "),
            missing[0],
            missing[0]
        ));
    }
    let mut warnings = Vec::new();
    if !ignored.is_empty() {
        warnings.push(format!(
            "ignoring {} column(s) Rungs does not use: {}",
            ignored.len(),
            ignored.join(", ")
        ));
    }
    Ok(Columns { fields, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_headers_match_ignoring_case_spaces_and_underscores() {
        let map = ColumnMap::default();
        assert_eq!(map.field_for("Manager ID"), Some(RosterField::ManagerId));
        assert_eq!(map.field_for("manager_id"), Some(RosterField::ManagerId));
        assert_eq!(map.field_for("EMAIL"), Some(RosterField::Email));
        assert_eq!(map.field_for("Department"), None);
    }

    #[test]
    fn explicit_mappings_win() {
        let map = ColumnMap::parse(["Employee Number=id", "Job Level=level"]).unwrap();
        assert_eq!(map.field_for("employee number"), Some(RosterField::Id));
        assert_eq!(map.field_for("Job Level"), Some(RosterField::Level));
    }

    #[test]
    fn bad_mappings_are_explained() {
        assert_eq!(
            ColumnMap::parse(["Employee Number"]).unwrap_err().to_string(),
            "`Employee Number` is not a mapping: write \"Source Header=field\""
        );
        assert_eq!(
            ColumnMap::parse(["Grade=levle"]).unwrap_err().to_string(),
            "`levle` is not a roster field (did you mean `level`?); fields are: id, name, email, manager_id, title, track, level, team, status, first_name, last_name, preferred_name, hire_date, level_since"
        );
    }
}
