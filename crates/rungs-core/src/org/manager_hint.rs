//! What a manager reference that matches no id in the roster may have meant: the id of a row
//! written another way (case, spaces, leading zeros, as HR systems pad them), or the email of
//! a row. The maps are built once, and only when some manager is missing.

use rustc_hash::FxHashMap as HashMap;

use crate::org::seen_rows::SeenRows;

/// Rows by their id written plainly and by email, for the hints.
pub(crate) struct ManagerHints<'r> {
    rows: &'r SeenRows,
    by_plain_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
}

/// An id with the differences HR exports introduce removed: surrounding spaces, case, and
/// leading zeros (one digit is kept).
fn plain(id: &str) -> String {
    let id = id.trim().to_lowercase();
    let stripped = id.trim_start_matches('0');
    if stripped.is_empty() && !id.is_empty() { "0".to_owned() } else { stripped.to_owned() }
}

impl<'r> ManagerHints<'r> {
    pub(crate) fn new(rows: &'r SeenRows) -> ManagerHints<'r> {
        let mut by_plain_id = HashMap::default();
        let mut by_email = HashMap::default();
        for position in 0..rows.len() {
            by_plain_id.entry(plain(rows.id(position))).or_insert(position);
            let email = rows.email(position);
            if !email.is_empty() {
                by_email.entry(email.to_lowercase()).or_insert(position);
            }
        }
        ManagerHints { rows, by_plain_id, by_email }
    }

    /// The message for a manager reference `manager` that is no row's id.
    pub(crate) fn missing(&self, manager: &str) -> String {
        if let Some(&position) = self.by_email.get(&manager.trim().to_lowercase()) {
            return format!(
                "manager `{manager}` is the email of row {}, whose id is `{}`: `manager_id` takes ids",
                self.rows.row(position),
                self.rows.id(position)
            );
        }
        if let Some(&position) = self.by_plain_id.get(&plain(manager)) {
            return format!(
                "manager `{manager}` is not in this file; row {} has the id `{}` (did you mean it?)",
                self.rows.row(position),
                self.rows.id(position)
            );
        }
        format!("manager `{manager}` is not in this file")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::roster_row::RosterRow;

    fn rows() -> SeenRows {
        let mut seen = SeenRows::default();
        for (row, id, email) in [(2, "001007", "ada@example.com"), (3, "E2", "grace@example.com")] {
            seen.push(&RosterRow {
                row,
                id: id.into(),
                email: email.into(),
                ..RosterRow::default()
            });
        }
        seen
    }

    #[test]
    fn a_missing_manager_is_matched_to_the_row_it_may_mean() {
        let rows = rows();
        let hints = ManagerHints::new(&rows);
        assert_eq!(
            hints.missing("1007"),
            "manager `1007` is not in this file; row 2 has the id `001007` (did you mean it?)"
        );
        assert_eq!(
            hints.missing("e2"),
            "manager `e2` is not in this file; row 3 has the id `E2` (did you mean it?)"
        );
        assert_eq!(
            hints.missing("Grace@Example.com"),
            "manager `Grace@Example.com` is the email of row 3, whose id is `E2`: `manager_id` takes ids"
        );
        assert_eq!(hints.missing("X9"), "manager `X9` is not in this file");
        assert_eq!(plain("000"), "0");
    }
}
