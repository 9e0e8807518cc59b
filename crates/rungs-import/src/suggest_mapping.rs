//! A first import mapping for an HR export, guessed from its headers and values: which column
//! feeds which field, level and status codes translated where the ladder makes it clear, ids
//! padded with zeros, managers given by email. What cannot be guessed is written as comments
//! to fill in, so that the first import is not a wall of errors.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rungs_core::Framework;
use rungs_core::org::{DateOrder, ROSTER_FIELDS, RosterField, Status, mapping_key, parse_date};

use crate::columns::normalize;
use crate::{Format, ReadError};

/// Other names HR systems give each field's column (compared as [`normalize`] does).
const SYNONYMS: &[(RosterField, &[&str])] = &[
    (
        RosterField::Id,
        &[
            "employeeid",
            "employeenumber",
            "employeeno",
            "empid",
            "workerid",
            "personid",
            "staffid",
            "employee#",
            "employeecode",
        ],
    ),
    (
        RosterField::Name,
        &["fullname", "displayname", "employeename", "preferredfullname", "legalname"],
    ),
    (RosterField::FirstName, &["firstname", "givenname", "legalfirstname"]),
    (RosterField::LastName, &["lastname", "surname", "familyname", "legallastname"]),
    (RosterField::PreferredName, &["preferredname", "nickname", "preferredfirstname"]),
    (
        RosterField::Email,
        &["workemail", "emailaddress", "businessemail", "workemailaddress", "mail", "companyemail"],
    ),
    (
        RosterField::ManagerId,
        &[
            "supervisorid",
            "manager",
            "supervisor",
            "reportsto",
            "manageremployeeid",
            "supervisoremail",
            "manageremail",
            "reportstoid",
            "managernumber",
            "supervisornumber",
            "supervisoremployeenumber",
            "manageremployeenumber",
        ],
    ),
    (RosterField::Title, &["jobtitle", "position", "positiontitle", "businesstitle"]),
    (RosterField::Track, &["careertrack", "ladder"]),
    (RosterField::Level, &["joblevel", "grade", "jobgrade", "band", "careerlevel", "levelcode"]),
    (RosterField::Team, &["department", "dept", "teamname", "departmentname"]),
    (RosterField::Status, &["employmentstatus", "employeestatus", "workerstatus", "statuscode"]),
    (
        RosterField::HireDate,
        &[
            "hiredate",
            "startdate",
            "dateofhire",
            "originalhiredate",
            "employmentstartdate",
            "joindate",
            "datejoined",
        ],
    ),
    (
        RosterField::LevelSince,
        &[
            "levelstartdate",
            "levelsince",
            "dateinlevel",
            "joblevelsince",
            "leveldate",
            "joblevelstartdate",
            "jobleveldate",
        ],
    ),
];

/// Statuses HR systems write, with what they are in Rungs.
const STATUS_WORDS: &[(&str, Status)] = &[
    ("terminated", Status::Left),
    ("inactive", Status::Left),
    ("former", Status::Left),
    ("separated", Status::Left),
    ("resigned", Status::Left),
    ("retired", Status::Left),
    ("deceased", Status::Left),
    ("withdrawn", Status::Left),
    ("leave of absence", Status::Active),
    ("on leave", Status::Active),
    ("loa", Status::Active),
    ("parental leave", Status::Active),
    ("medical leave", Status::Active),
    ("sabbatical", Status::Active),
    ("suspended", Status::Active),
    ("furloughed", Status::Active),
    ("full-time", Status::Active),
    ("part-time", Status::Active),
    ("employed", Status::Active),
];

/// At most this many distinct values of a column are considered.
const VALUES_KEPT: usize = 200;

/// A table: headers, then records of the same width as far as they go.
struct Table {
    headers: Vec<String>,
    records: Vec<Vec<String>>,
}

fn read_table(format: Format, bytes: &[u8]) -> Result<Table, ReadError> {
    match format {
        Format::Csv => {
            let mut reader = crate::csv_file::export_reader(crate::csv_file::without_bom(bytes));
            let headers: Vec<String> = reader
                .byte_headers()
                .map_err(|error| {
                    ReadError::Structure(format!("cannot read the header row: {error}"))
                })?
                .iter()
                .map(|header| String::from_utf8_lossy(header).into_owned())
                .collect();
            let mut records = Vec::new();
            for record in reader.byte_records().flatten() {
                records.push(
                    record
                        .iter()
                        .map(|value| String::from_utf8_lossy(value).into_owned())
                        .collect(),
                );
            }
            Ok(Table { headers, records })
        }
        Format::Json => {
            let (items, headers) = crate::json_file::items_and_keys(bytes)?;
            let records = items
                .iter()
                .filter_map(|item| item.as_object())
                .map(|object| {
                    headers
                        .iter()
                        .map(|header| match object.get(header) {
                            Some(serde_json::Value::String(text)) => text.trim().to_owned(),
                            Some(serde_json::Value::Null) | None => String::new(),
                            Some(other) => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            Ok(Table { headers, records })
        }
    }
}

/// A TOML string (or key) for `text`.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// Which column each field reads: its canonical name first, then a synonym.
fn guess_columns(headers: &[String]) -> BTreeMap<RosterField, usize> {
    let mut found = BTreeMap::new();
    for (field, name) in ROSTER_FIELDS {
        if let Some(position) =
            headers.iter().position(|header| normalize(header) == normalize(name))
        {
            found.insert(field, position);
        }
    }
    for (field, synonyms) in SYNONYMS {
        if found.contains_key(field) {
            continue;
        }
        let taken: Vec<usize> = found.values().copied().collect();
        let position = headers.iter().enumerate().position(|(position, header)| {
            !taken.contains(&position) && synonyms.contains(&normalize(header).as_str())
        });
        if let Some(position) = position {
            found.insert(*field, position);
        }
    }
    found
}

/// A column's distinct values, in first-seen order, at most [`VALUES_KEPT`].
fn distinct(table: &Table, column: usize) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for record in &table.records {
        let Some(value) = record.get(column) else { continue };
        if !value.is_empty() && !values.iter().any(|seen| mapping_key(seen) == mapping_key(value)) {
            values.push(value.clone());
            if values.len() >= VALUES_KEPT {
                break;
            }
        }
    }
    values
}

/// The letters and the number of a code such as `M2` or `IC-3`.
fn letters_and_number(code: &str) -> Option<(String, usize)> {
    let letters: String = code.chars().take_while(char::is_ascii_alphabetic).collect();
    let rest = code[letters.len()..].trim_start_matches(['-', '_', ' ']);
    let number = rest.parse::<usize>().ok()?;
    (!letters.is_empty()).then(|| (letters.to_lowercase(), number))
}

/// The ladder level a code means: the level itself in any case, or the N-th level of the
/// track whose id starts with the code's letters (`M2` is management's second level).
fn guess_level<'f>(framework: &'f Framework, code: &str) -> Option<(&'f str, bool)> {
    if let Some(level) = framework.level(&code.to_lowercase()) {
        return Some((level.id.as_str(), true));
    }
    let (letters, number) = letters_and_number(code)?;
    let track = framework.tracks().iter().find(|track| track.id.as_str().starts_with(&letters))?;
    let levels = framework.levels_in_track(&track.id);
    let level = levels.get(number.checked_sub(1)?)?;
    Some((level.id.as_str(), false))
}

fn guess_status(value: &str) -> Option<Status> {
    if let Some(status) = Status::parse(value) {
        return Some(status);
    }
    let lower = value.to_lowercase();
    STATUS_WORDS.iter().find(|(word, _)| *word == lower).map(|(_, status)| *status)
}

/// A mapping for the export, as TOML with comments.
pub fn suggest_mapping(
    format: Format,
    bytes: &[u8],
    framework: &Framework,
    file_name: &str,
) -> Result<String, ReadError> {
    let table = read_table(format, bytes)?;
    if table.headers.iter().all(String::is_empty) {
        return Err(ReadError::Structure("the file is empty: expected a header row".to_owned()));
    }
    let mut columns = guess_columns(&table.headers);
    if columns.contains_key(&RosterField::Name) {
        // A whole name wins over its parts.
        for part in [RosterField::FirstName, RosterField::LastName, RosterField::PreferredName] {
            columns.remove(&part);
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Import mapping for {file_name}, suggested by `rungs org mapping suggest`."
    );
    let _ = writeln!(
        out,
        "# Check it, fill in what is marked TODO, then import with --mapping, or save it:"
    );
    let _ = writeln!(out, "#   rungs org mapping save NAME FILE");
    let _ = writeln!(out, "# The format is described in docs/org.md.\n");
    let _ = writeln!(out, "[columns]");
    for (field, position) in &columns {
        let _ = writeln!(out, "{} = {}", field.name(), quoted(&table.headers[*position]));
    }
    let has_name =
        columns.contains_key(&RosterField::Name) || columns.contains_key(&RosterField::LastName);
    for field in [RosterField::Id, RosterField::Email, RosterField::Level] {
        if !columns.contains_key(&field) {
            let _ = writeln!(out, "# TODO: {} = \"the column that holds it\"", field.name());
        }
    }
    if !has_name {
        let _ = writeln!(
            out,
            "# TODO: name = \"the column that holds it\" (or first_name and last_name)"
        );
    }
    let used: Vec<usize> = columns.values().copied().collect();
    let unused: Vec<String> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(position, header)| !used.contains(position) && !header.is_empty())
        .map(|(_, header)| quoted(header))
        .collect();
    if !unused.is_empty() {
        let _ = writeln!(out, "# Not used: {}", unused.join(", "));
    }

    let column_values = |field| columns.get(&field).map(|&column| distinct(&table, column));
    let ids = column_values(RosterField::Id).unwrap_or_default();
    let managers = column_values(RosterField::ManagerId).unwrap_or_default();
    let padded = ids.iter().chain(&managers).any(|id| id.len() > 1 && id.starts_with('0'));
    if padded {
        let _ = writeln!(
            out,
            "\n[ids]\n# Some ids have leading zeros: `001045` and `1045` are one person."
        );
        let _ = writeln!(out, "leading_zeros = \"strip\"");
    }
    if managers.iter().any(|manager| manager.contains('@')) {
        let _ = writeln!(out, "\n[managers]\n# Some managers are given by their email.");
        let _ = writeln!(out, "given_by = \"id-or-email\"");
    }

    let level_ids: Vec<&str> = framework.levels().iter().map(|level| level.id.as_str()).collect();
    let mut off_ladder = Vec::new();
    if let Some(levels) = column_values(RosterField::Level) {
        let mut lines = Vec::new();
        for code in &levels {
            match guess_level(framework, code) {
                Some((level, true)) if level == code.as_str() => {}
                Some((level, true)) => lines.push(format!("{} = {}", quoted(code), quoted(level))),
                Some((level, false)) => {
                    lines.push(format!(
                        "{} = {}  # guessed: check it",
                        quoted(code),
                        quoted(level)
                    ));
                }
                None => off_ladder.push(code.clone()),
            }
        }
        if !lines.is_empty() || !off_ladder.is_empty() {
            let _ = writeln!(out, "\n[levels]\n# The ladder's levels: {}", level_ids.join(", "));
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
            for code in &off_ladder {
                let _ = writeln!(
                    out,
                    "# TODO: {} = \"\"  (or list it in [off_ladder] below)",
                    quoted(code)
                );
            }
        }
    }
    if let Some(tracks) = column_values(RosterField::Track) {
        let lines: Vec<String> = tracks
            .iter()
            .filter(|track| framework.track(track).is_none())
            .map(|track| match framework.track(&track.to_lowercase()) {
                Some(found) => format!("{} = {}", quoted(track), quoted(found.id.as_str())),
                None => format!("# TODO: {} = \"\"", quoted(track)),
            })
            .collect();
        if !lines.is_empty() {
            let track_ids: Vec<&str> =
                framework.tracks().iter().map(|track| track.id.as_str()).collect();
            let _ = writeln!(out, "\n[tracks]\n# The ladder's tracks: {}", track_ids.join(", "));
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    let mut leavers = false;
    if let Some(statuses) = column_values(RosterField::Status) {
        let mut lines = Vec::new();
        for value in &statuses {
            match guess_status(value) {
                Some(status) => {
                    leavers |= status == Status::Left;
                    if !value.eq_ignore_ascii_case(status.as_str()) {
                        lines.push(format!("{} = {}", quoted(value), quoted(status.as_str())));
                    }
                }
                None => lines.push(format!("# TODO: {} = \"active\" or \"left\"", quoted(value))),
            }
        }
        if !lines.is_empty() {
            let _ = writeln!(out, "\n[statuses]");
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    let _ = writeln!(
        out,
        "\n[off_ladder]\n# People who are not on the ladder are skipped; their reports report to the nearest kept manager."
    );
    let listed: Vec<String> = off_ladder.iter().map(|code| quoted(code)).collect();
    if listed.is_empty() {
        let _ = writeln!(out, "# levels = [\"CEO\"]");
    } else {
        // Left for a person to decide: skipping an engineer whose code was not guessed would
        // drop them from the org.
        let _ = writeln!(out, "# TODO: which of the codes not mapped above are off the ladder:");
        let _ = writeln!(out, "# levels = [{}]", listed.join(", "));
    }
    match column_values(RosterField::Team) {
        Some(teams) if !teams.is_empty() => {
            let shown: Vec<String> = teams.iter().take(40).map(|team| quoted(team)).collect();
            let _ = writeln!(out, "# teams = [] (some of: {})", shown.join(", "));
        }
        _ => {}
    }
    let dates: Vec<String> = [RosterField::HireDate, RosterField::LevelSince]
        .into_iter()
        .filter_map(column_values)
        .flatten()
        .collect();
    let reads = |order| dates.iter().all(|date| parse_date(date, order).is_ok());
    let open = dates.iter().any(|date| parse_date(date, None).is_err());
    if open {
        let order = match (reads(Some(DateOrder::MonthFirst)), reads(Some(DateOrder::DayFirst))) {
            (true, false) => Some("month-first"),
            (false, true) => Some("day-first"),
            _ => None,
        };
        let _ = writeln!(
            out,
            "\n[dates]\n# Some dates, such as 03/04/2019, could be day first or month first."
        );
        match order {
            Some(order) => {
                let _ = writeln!(
                    out,
                    "order = \"{order}\"  # guessed from the dates that read one way only: check it"
                );
            }
            None => {
                let _ = writeln!(out, "# TODO: order = \"month-first\" or \"day-first\"");
            }
        }
    }
    if leavers {
        let _ = writeln!(
            out,
            "\n[leavers]\n# The export keeps people who left; their managers may be gone from it."
        );
        let _ = writeln!(out, "missing_manager = \"none\"");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImportMapping;

    #[test]
    fn a_bamboo_style_export_gets_a_mapping_that_reads_and_fits_the_ladder() {
        let csv = "Employee Number,First Name,Last Name,Preferred Name,Work Email,Supervisor ID,Job Level,Department,Employment Status,Hire Date\n\
            001001,Pat,Chief,,pat@example.com,,CEO,Exec,Active\n\
            001002,Ada,Lovelace,,ada@example.com,001001,E1,Engineering,Active\n\
            001003,Grace,Hopper,,grace@example.com,ada@example.com,M2,Engineering,Leave of Absence\n\
            001004,Alan,Turing,Al,alan@example.com,1003,IC3,Engineering,Terminated\n\
            001005,Sam,Seller,,sam@example.com,1001,S1,Sales,Active\n";
        let framework = rungs_format::builtin();
        let text = suggest_mapping(Format::Csv, csv.as_bytes(), framework, "bamboo.csv").unwrap();
        assert!(text.contains("id = \"Employee Number\""), "{text}");
        assert!(text.contains("manager_id = \"Supervisor ID\""), "{text}");
        assert!(text.contains("first_name = \"First Name\""), "{text}");
        assert!(text.contains("leading_zeros = \"strip\""), "{text}");
        assert!(text.contains("given_by = \"id-or-email\""), "{text}");
        assert!(text.contains("\"M2\" = \"sem\"  # guessed: check it"), "{text}");
        assert!(text.contains("\"IC3\" = \"ic3\""), "{text}");
        assert!(text.contains("\"Terminated\" = \"left\""), "{text}");
        assert!(text.contains("\"Leave of Absence\" = \"active\""), "{text}");
        assert!(text.contains("# levels = [\"CEO\", \"E1\", \"S1\"]"), "{text}");
        assert!(text.contains("missing_manager = \"none\""), "{text}");
        assert!(text.contains("hire_date = \"Hire Date\""), "{text}");
        assert!(!text.contains("# Not used"), "{text}");
        let mapping = ImportMapping::parse(&text).unwrap();
        assert_eq!(mapping.check(framework), Ok(()));
    }
}
