//! Reads org charts from HR exports, CSV or JSON, into roster rows that carry the row number a
//! spreadsheet would show. Checking the rows against the framework is the core's job
//! (`rungs_core::org::RosterValidator`); this crate only reads.

mod columns;
mod csv_file;
mod json_file;
mod mapping_file;
mod suggest_mapping;

pub use columns::{ColumnMap, MappingError};
pub use csv_file::read_csv;
pub use json_file::read_json;
pub use mapping_file::{ImportMapping, MAX_MAPPING_BYTES, MappingFileError};
pub use suggest_mapping::suggest_mapping;

use rungs_core::org::{RosterError, RosterRow};

/// The UTF-8 byte order mark some tools write at the start of a file.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What reading an export produced.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub rows: Vec<RosterRow>,
    /// Things worth telling the user that do not stop the import (ignored columns).
    pub warnings: Vec<String>,
}

/// Why an export could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file as a whole is unusable: no header, missing required columns, not a JSON array.
    #[error("{0}")]
    Structure(String),
    /// Individual rows are unreadable (wrong field count, invalid UTF-8, wrong JSON types).
    #[error("{} unreadable row(s)", .0.len())]
    Rows(Vec<RosterError>),
}

/// The export formats Rungs reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// Guesses from the file name: `.json` is JSON, anything else CSV.
    pub fn from_file_name(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".json") { Format::Json } else { Format::Csv }
    }
}

/// Reads an export row by row, handing each readable row to `on_row` (CSV as it is read; JSON
/// once parsed). Returns the warnings, or what made the file unreadable.
pub fn read_each(
    format: Format,
    bytes: &[u8],
    map: &ColumnMap,
    progress: &mut dyn FnMut(u64),
    on_row: &mut dyn FnMut(RosterRow),
) -> Result<Vec<String>, ReadError> {
    match format {
        Format::Csv => csv_file::read_csv_each(bytes, map, progress, on_row),
        Format::Json => {
            let roster = read_json(bytes, map)?;
            roster.rows.into_iter().for_each(on_row);
            progress(bytes.len() as u64);
            Ok(roster.warnings)
        }
    }
}
