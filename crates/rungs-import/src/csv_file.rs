//! CSV as HR systems export it: UTF-8 with or without BOM, CRLF or LF, quoted fields with
//! commas, quotes and newlines, blanks around values trimmed.

use rungs_core::org::{RosterError, RosterRow};

use crate::columns::{ColumnMap, resolve};
use crate::{ReadError, Roster};

use crate::BOM;

/// An export's bytes without the byte order mark some tools write first.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// A reader of an export as HR systems write it (see [`without_bom`] for its bytes): rows of
/// any length, blanks around values trimmed.
pub(crate) fn export_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes)
}

/// Reads a CSV export. `progress` is called now and then with the bytes read so far.
pub fn read_csv(
    bytes: &[u8],
    map: &ColumnMap,
    progress: &mut dyn FnMut(u64),
) -> Result<Roster, ReadError> {
    let mut rows = Vec::new();
    let warnings = read_csv_each(bytes, map, progress, &mut |row| rows.push(row))?;
    Ok(Roster { rows, warnings })
}

/// Reads a CSV export row by row, handing each readable row to `on_row` as soon as it is read.
/// Returns the warnings, or every unreadable row once the whole file has been read.
pub fn read_csv_each(
    bytes: &[u8],
    map: &ColumnMap,
    progress: &mut dyn FnMut(u64),
    on_row: &mut dyn FnMut(RosterRow),
) -> Result<Vec<String>, ReadError> {
    // Positions below are in these bytes: the reader's, without the mark.
    let bytes = without_bom(bytes);
    let mut reader = export_reader(bytes);
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(headers) if !headers.is_empty() && headers.iter().any(|header| !header.is_empty()) => {
            headers.iter().map(|header| String::from_utf8_lossy(header).into_owned()).collect()
        }
        Ok(_) => {
            return Err(ReadError::Structure(
                "the file is empty: expected a header row".to_owned(),
            ));
        }
        Err(error) => {
            return Err(ReadError::Structure(format!("cannot read the header row: {error}")));
        }
    };
    let columns = resolve(&headers, map).map_err(ReadError::Structure)?;
    let mut errors = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Spreadsheet row numbers: one per record (a quoted line break does not start a row) and
    // one per blank line, which the CSV reader skips silently.
    let mut row_number = 1;
    loop {
        let next_line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                row_number += 1;
                errors.push(RosterError {
                    row: row_number,
                    column: None,
                    message: format!("unreadable: {error}"),
                });
                continue;
            }
        }
        // The reader's line count covers blank lines before the record, line breaks inside its
        // quoted fields, and its own line end (absent only at the very end of the file).
        let consumed = reader.position().line().saturating_sub(next_line);
        let quoted_breaks = record.as_slice().iter().filter(|&&byte| byte == b'\n').count() as u64;
        let at_unterminated_end =
            reader.position().byte() == bytes.len() as u64 && !bytes.ends_with(b"\n");
        let own_line_end = u64::from(!at_unterminated_end);
        let blank_lines = consumed.saturating_sub(quoted_breaks + own_line_end);
        row_number += 1 + blank_lines as usize;
        if row_number % 16_384 == 0 {
            progress(record.position().map_or(0, csv::Position::byte));
        }
        if record.len() != headers.len() {
            errors.push(RosterError {
                row: row_number,
                column: None,
                message: format!(
                    "has {} fields, but the header has {}",
                    record.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let mut row = RosterRow { row: row_number, ..RosterRow::default() };
        for (value, field) in record.iter().zip(&columns.fields) {
            let Some(field) = field else { continue };
            match std::str::from_utf8(value) {
                Ok(text) => text.clone_into(row.field_mut(*field)),
                Err(_) => errors.push(RosterError {
                    row: row_number,
                    column: Some(*field),
                    message: "is not valid UTF-8: save the export as UTF-8".to_owned(),
                }),
            }
        }
        on_row(row);
    }
    progress(bytes.len() as u64);
    if errors.is_empty() { Ok(columns.warnings) } else { Err(ReadError::Rows(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Result<Roster, ReadError> {
        read_csv(text, &ColumnMap::default(), &mut |_| {})
    }

    #[test]
    fn reads_what_hr_systems_export() {
        let text = b"\xEF\xBB\xBFID,Name,Email,Manager ID,Title,Track,Level,Team,Cost Center\r\n\
            E1, Ada Lovelace ,ada@example.com,,\"VP, Engineering\",management,vp,Core,100\r\n\
            E2,\"Grace \"\"Amazing\"\" Hopper\",grace@example.com,E1,\"Engineering\nManager\",management,em,Core,100\r\n";
        let roster = read(text).unwrap();
        assert_eq!(roster.rows.len(), 2);
        assert_eq!(roster.rows[0].name, "Ada Lovelace");
        assert_eq!(roster.rows[0].title, "VP, Engineering");
        assert_eq!(roster.rows[1].name, "Grace \"Amazing\" Hopper");
        assert_eq!(roster.rows[1].title, "Engineering\nManager");
        assert_eq!(roster.rows[1].row, 3);
        assert_eq!(roster.warnings, ["ignoring 1 column(s) Rungs does not use: `Cost Center`"]);
    }

    #[test]
    fn blank_lines_count_as_rows_and_quoted_line_breaks_do_not() {
        let text = b"id,name,email,level\nE1,\"Ada\nLovelace\",a@b.co,vp\n\n\nE2,Grace,g@b.co,em\n\nE3,Ken,k@b.co,em";
        let rows = read(text).unwrap().rows;
        assert_eq!(rows.iter().map(|row| row.row).collect::<Vec<_>>(), [2, 5, 7]);
        let crlf = b"id,name,email,level\r\nE1,Ada,a@b.co,vp\r\n\r\nE2,Grace,g@b.co,em\r\n";
        assert_eq!(read(crlf).unwrap().rows.iter().map(|row| row.row).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn missing_required_columns_are_named() {
        let error = read(b"id,name,mail\nE1,Ada,a@b.co\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "no column for `email`, `level`; the columns are `id`, `name`, `mail`. Map a column to email in an import mapping's [columns] (or with --map \"Header=email\" on the command line)"
        );
    }

    #[test]
    fn short_rows_and_bad_bytes_are_reported_by_row() {
        let ReadError::Rows(errors) =
            read(b"id,name,email,level\nE1,Ada\nE2,Gr\xFFce,g@b.co,em\n").unwrap_err()
        else {
            panic!("expected row errors");
        };
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "row 2: has 2 fields, but the header has 4",
                "row 3, column `name`: is not valid UTF-8: save the export as UTF-8"
            ]
        );
    }
}
