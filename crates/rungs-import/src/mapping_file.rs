//! Import mappings: a TOML file that says how an HR export's columns and values become a
//! roster (headers, level, track and status codes, id padding, names in parts, managers by
//! email, people off the ladder). Every error names the mapping file's line. The format is
//! documented in docs/org.md.

use std::collections::BTreeMap;
use std::fmt;

use rungs_core::Framework;
use rungs_core::org::{DateOrder, ManagerReference, ROSTER_FIELDS, RowRules, Status, mapping_key};
use rungs_core::suggest::did_you_mean;
use toml::Spanned;

use crate::columns::{ColumnMap, normalize};

/// A problem in a mapping file, at a line when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingFileError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for MappingFileError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(formatter, "line {line}: {}", self.message),
            None => formatter.write_str(&self.message),
        }
    }
}

/// Mapping files larger than this are refused: a mapping is a page of text.
pub const MAX_MAPPING_BYTES: usize = 256 * 1024;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingDoc {
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    ids: IdsDoc,
    #[serde(default)]
    managers: ManagersDoc,
    #[serde(default)]
    levels: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    tracks: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    statuses: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    off_ladder: OffLadderDoc,
    #[serde(default)]
    leavers: LeaversDoc,
    #[serde(default)]
    dates: DatesDoc,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesDoc {
    order: Option<Spanned<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IdsDoc {
    leading_zeros: Option<Spanned<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManagersDoc {
    given_by: Option<Spanned<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OffLadderDoc {
    #[serde(default)]
    levels: Vec<Spanned<String>>,
    #[serde(default)]
    teams: Vec<Spanned<String>>,
    people: Option<Spanned<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaversDoc {
    missing_manager: Option<Spanned<String>>,
}

/// Which ladder ids a value map's targets must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetKind {
    Level,
    Track,
}

/// A parsed mapping: the header map and the row rules, with where each level and track target
/// was written, so that they can be checked against the framework an import uses.
#[derive(Debug, Clone, Default)]
pub struct ImportMapping {
    /// Where the mapping came from (`bamboo.toml`, `mapping bamboo`), for its messages.
    pub origin: String,
    pub columns: ColumnMap,
    pub rules: RowRules,
    targets: Vec<(TargetKind, String, usize)>,
}

/// A table's entries in the order the file writes them.
fn in_file_order(
    table: &BTreeMap<Spanned<String>, Spanned<String>>,
) -> Vec<(&Spanned<String>, &Spanned<String>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// The line of byte `offset` in `source`, from 1.
fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())].iter().filter(|&&byte| byte == b'\n').count() + 1
}

struct Parser<'s> {
    source: &'s str,
    errors: Vec<MappingFileError>,
}

impl Parser<'_> {
    fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        line_of(self.source, spanned.span().start)
    }

    fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let line = self.line(at);
        self.errors.push(MappingFileError { line: Some(line), message: message.into() });
    }

    /// One of `choices` (with what each means), or an error naming them.
    fn choice<T: Copy>(
        &mut self,
        value: Option<&Spanned<String>>,
        key: &str,
        choices: &[(&str, T)],
        default: T,
    ) -> T {
        let Some(value) = value else { return default };
        match choices.iter().find(|(name, _)| *name == value.get_ref().as_str()) {
            Some((_, chosen)) => *chosen,
            None => {
                let names: Vec<String> =
                    choices.iter().map(|(name, _)| format!("`{name}`")).collect();
                self.error(
                    value,
                    format!("`{key}` is `{}`; it takes {}", value.get_ref(), names.join(" or ")),
                );
                default
            }
        }
    }
}

impl ImportMapping {
    /// Reads a mapping file. Every problem is reported, each with its line.
    pub fn parse(source: &str) -> Result<ImportMapping, Vec<MappingFileError>> {
        if source.len() > MAX_MAPPING_BYTES {
            return Err(vec![MappingFileError {
                line: None,
                message: format!("a mapping file may have at most {MAX_MAPPING_BYTES} bytes"),
            }]);
        }
        let doc: MappingDoc = toml::from_str(source).map_err(|error| {
            vec![MappingFileError {
                line: error.span().map(|span| line_of(source, span.start)),
                message: error.message().trim_end().to_owned(),
            }]
        })?;
        let mut parser = Parser { source, errors: Vec::new() };
        let mut mapping = ImportMapping::default();
        let field_names = ROSTER_FIELDS.map(|(_, name)| name);
        let mut headers_seen: BTreeMap<String, usize> = BTreeMap::new();
        for (field, header) in in_file_order(&doc.columns) {
            let found = ROSTER_FIELDS.iter().find(|(_, name)| *name == field.get_ref().as_str());
            let Some((found, _)) = found else {
                let hint = did_you_mean(field.get_ref(), field_names);
                parser.error(
                    field,
                    format!(
                        "`{}` is not a roster field{hint}; fields are: {}",
                        field.get_ref(),
                        field_names.join(", ")
                    ),
                );
                continue;
            };
            let header_text = header.get_ref().trim();
            if header_text.is_empty() {
                parser.error(header, format!("the column for `{}` is empty", field.get_ref()));
                continue;
            }
            let line = parser.line(header);
            if let Some(first) = headers_seen.insert(normalize(header_text), line) {
                parser.error(
                    header,
                    format!("the column `{header_text}` is mapped already, on line {first}"),
                );
                continue;
            }
            mapping.columns.insert(header_text, *found);
        }
        mapping.rules.strip_leading_zeros = parser.choice(
            doc.ids.leading_zeros.as_ref(),
            "leading_zeros",
            &[("keep", false), ("strip", true)],
            false,
        );
        mapping.rules.managers = parser.choice(
            doc.managers.given_by.as_ref(),
            "given_by",
            &[("id", ManagerReference::Id), ("id-or-email", ManagerReference::IdOrEmail)],
            ManagerReference::Id,
        );
        mapping.rules.leavers_without_manager = parser.choice(
            doc.leavers.missing_manager.as_ref(),
            "missing_manager",
            &[("error", false), ("none", true)],
            false,
        );
        mapping.rules.off_ladder.keep = parser.choice(
            doc.off_ladder.people.as_ref(),
            "people",
            &[("skip", false), ("keep", true)],
            false,
        );
        mapping.rules.date_order = parser.choice(
            doc.dates.order.as_ref(),
            "order",
            &[
                ("month-first", Some(DateOrder::MonthFirst)),
                ("day-first", Some(DateOrder::DayFirst)),
            ],
            None,
        );
        for (from, to) in in_file_order(&doc.levels) {
            if !mapping.rules.levels.insert(from.get_ref(), to.get_ref()) {
                parser.error(from, format!("the level `{}` is mapped twice", from.get_ref()));
            }
            let line = parser.line(to);
            mapping.targets.push((TargetKind::Level, to.get_ref().trim().to_owned(), line));
        }
        for (from, to) in in_file_order(&doc.tracks) {
            if !mapping.rules.tracks.insert(from.get_ref(), to.get_ref()) {
                parser.error(from, format!("the track `{}` is mapped twice", from.get_ref()));
            }
            let line = parser.line(to);
            mapping.targets.push((TargetKind::Track, to.get_ref().trim().to_owned(), line));
        }
        for (from, to) in in_file_order(&doc.statuses) {
            if Status::parse(to.get_ref().trim()).is_none() {
                parser.error(
                    to,
                    format!(
                        "the status `{}` maps to `{}`; statuses are `active` and `left`",
                        from.get_ref(),
                        to.get_ref()
                    ),
                );
            } else if !mapping.rules.statuses.insert(from.get_ref(), &to.get_ref().to_lowercase()) {
                parser.error(from, format!("the status `{}` is mapped twice", from.get_ref()));
            }
        }
        for level in &doc.off_ladder.levels {
            if !mapping.rules.off_ladder.add_level(level.get_ref()) {
                parser.error(level, format!("the level `{}` is listed twice", level.get_ref()));
            }
            if doc
                .levels
                .keys()
                .any(|from| mapping_key(from.get_ref()) == mapping_key(level.get_ref()))
            {
                parser.error(
                    level,
                    format!("the level `{}` is both mapped and off the ladder", level.get_ref()),
                );
            }
        }
        for team in &doc.off_ladder.teams {
            if !mapping.rules.off_ladder.add_team(team.get_ref()) {
                parser.error(team, format!("the team `{}` is listed twice", team.get_ref()));
            }
        }
        if parser.errors.is_empty() {
            Ok(mapping)
        } else {
            let mut errors = parser.errors;
            errors.sort_by_key(|error| error.line);
            Err(errors)
        }
    }

    /// Checks that the levels and tracks the mapping translates to are the framework's.
    pub fn check(&self, framework: &Framework) -> Result<(), Vec<MappingFileError>> {
        let levels = framework.levels().iter().map(|level| level.id.as_str());
        let tracks = framework.tracks().iter().map(|track| track.id.as_str());
        let errors: Vec<MappingFileError> = self
            .targets
            .iter()
            .filter_map(|(kind, target, line)| {
                let (what, known, ids): (_, bool, Vec<&str>) = match kind {
                    TargetKind::Level => {
                        ("level", framework.level(target).is_some(), levels.clone().collect())
                    }
                    TargetKind::Track => {
                        ("track", framework.track(target).is_some(), tracks.clone().collect())
                    }
                };
                (!known).then(|| MappingFileError {
                    line: Some(*line),
                    message: format!(
                        "`{target}` is not a {what} of the ladder{}; {what}s are: {}",
                        did_you_mean(target, ids.iter().copied()),
                        ids.join(", ")
                    ),
                })
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The mapping with `--map "Header=field"` arguments added; they win over the file's.
    pub fn with_arguments(mut self, arguments: &ColumnMap) -> ImportMapping {
        self.columns = arguments.clone().then(self.columns);
        self
    }
}

#[cfg(test)]
mod tests {
    use rungs_core::org::RosterField;

    use super::*;

    const BAMBOO: &str = r#"# BambooHR
[columns]
id = "Employee Number"
email = "Work Email"
manager_id = "Supervisor ID"
level = "Job Level"
team = "Department"
status = "Employment Status"
first_name = "First Name"
last_name = "Last Name"
preferred_name = "Preferred Name"

[ids]
leading_zeros = "strip"

[managers]
given_by = "id-or-email"

[levels]
M1 = "em"
IC3 = "ic3"

[statuses]
Terminated = "left"
"Leave of Absence" = "active"

[off_ladder]
levels = ["CEO"]
teams = ["Sales", "HR"]

[leavers]
missing_manager = "none"
"#;

    #[test]
    fn a_full_mapping_reads_into_columns_and_rules() {
        let mapping = ImportMapping::parse(BAMBOO).unwrap();
        assert_eq!(mapping.columns.field_for("Employee Number"), Some(RosterField::Id));
        assert_eq!(mapping.columns.field_for("preferred name"), Some(RosterField::PreferredName));
        assert!(mapping.rules.strip_leading_zeros);
        assert!(mapping.rules.leavers_without_manager);
        assert_eq!(mapping.rules.managers, ManagerReference::IdOrEmail);
        assert_eq!(mapping.rules.levels.get("m1"), Some("em"));
        assert_eq!(mapping.rules.statuses.get("TERMINATED"), Some("left"));
        assert!(mapping.rules.off_ladder.teams.contains("hr"));
        let framework = rungs_format::builtin();
        assert_eq!(mapping.check(framework), Ok(()));
        let wrong = BAMBOO.replace("IC3 = \"ic3\"", "IC3 = \"ic3\"\nM2 = \"senior-em\"");
        let errors = ImportMapping::parse(&wrong).unwrap().check(framework).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(22), "{errors:?}");
        assert!(
            errors[0]
                .message
                .starts_with("`senior-em` is not a level of the ladder; levels are: em, sem,"),
            "{errors:?}"
        );
    }

    #[test]
    fn every_problem_names_its_line() {
        let source = "[columns]\nid = \"No\"\nlevle = \"Grade\"\nemail = \"no\"\n\n[ids]\nleading_zeros = \"trim\"\n\n[statuses]\nGone = \"quit\"\n[levels]\nM1 = \"em\"\nm1 = \"sem\"\n";
        let errors: Vec<String> =
            ImportMapping::parse(source).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "line 3: `levle` is not a roster field (did you mean `level`?); fields are: id, name, email, manager_id, title, track, level, team, status, first_name, last_name, preferred_name, hire_date, level_since",
                "line 4: the column `no` is mapped already, on line 2",
                "line 7: `leading_zeros` is `trim`; it takes `keep` or `strip`",
                "line 10: the status `Gone` maps to `quit`; statuses are `active` and `left`",
                "line 13: the level `m1` is mapped twice",
            ]
        );
        let syntax = ImportMapping::parse("[columns]\nid = \n").unwrap_err();
        assert_eq!(syntax[0].line, Some(2), "{syntax:?}");
        let unknown = ImportMapping::parse("[column]\nid = \"x\"\n").unwrap_err();
        assert_eq!(unknown[0].line, Some(1), "{unknown:?}");
        assert!(unknown[0].message.contains("unknown field `column`"), "{unknown:?}");
    }
}
