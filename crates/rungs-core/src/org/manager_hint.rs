//! What a manager reference that matches no id in the roster may have meant: the id of a row
//! written another way (case, spaces, leading zeros, as HR systems pad them), or the email of
//! a row. Only the missing references are kept, and the roster is scanned once for them, so
//! that memory grows with the errors and not with the roster.

use rustc_hash::FxHashMap as HashMap;

use crate::org::seen_rows::SeenRows;

/// The missing manager references, each with the first row it may mean.
pub(crate) struct ManagerHints<'r> {
    rows: &'r SeenRows,
    /// By a reference written plainly: the first row whose id, written plainly, is the same.
    by_plain_id: HashMap<String, Option<usize>>,
    /// By a reference in lower case: the first row with that email.
    by_email: HashMap<String, Option<usize>>,
}

/// Writes `id` with the differences HR exports introduce removed into `into`: surrounding
/// spaces, case, and leading zeros (one digit is kept).
fn plain_into(id: &str, into: &mut String) {
    into.clear();
    let id = id.trim();
    let stripped = id.trim_start_matches('0');
    let kept = if stripped.is_empty() && !id.is_empty() { "0" } else { stripped };
    into.extend(kept.chars().flat_map(char::to_lowercase));
}

fn plain(id: &str) -> String {
    let mut plain = String::new();
    plain_into(id, &mut plain);
    plain
}

impl<'r> ManagerHints<'r> {
    /// Hints for the references `missing`, found in one scan of `rows`.
    pub(crate) fn new<'m>(
        rows: &'r SeenRows,
        missing: impl IntoIterator<Item = &'m str>,
    ) -> ManagerHints<'r> {
        let mut by_plain_id = HashMap::default();
        let mut by_email = HashMap::default();
        for manager in missing {
            by_plain_id.insert(plain(manager), None);
            by_email.insert(manager.trim().to_lowercase(), None);
        }
        let mut key = String::new();
        for position in 0..rows.len() {
            plain_into(rows.id(position), &mut key);
            if let Some(found @ None) = by_plain_id.get_mut(key.as_str()) {
                *found = Some(position);
            }
            let email = rows.email(position);
            if !email.is_empty() {
                key.clear();
                key.extend(email.chars().flat_map(char::to_lowercase));
                if let Some(found @ None) = by_email.get_mut(key.as_str()) {
                    *found = Some(position);
                }
            }
        }
        ManagerHints { rows, by_plain_id, by_email }
    }

    /// The message for a manager reference `manager` that is no row's id, one of those given
    /// to [`ManagerHints::new`]; `named` is how the message names it (`SeenRows::manager_named`).
    pub(crate) fn missing(&self, manager: &str, named: &str) -> String {
        if let Some(&Some(position)) = self.by_email.get(&manager.trim().to_lowercase()) {
            return format!(
                "manager {named} is the email of row {}, whose id is `{}`: `manager_id` takes ids, unless an import mapping says [managers] given_by = \"id-or-email\"",
                self.rows.row(position),
                self.rows.id(position)
            );
        }
        if let Some(&Some(position)) = self.by_plain_id.get(&plain(manager)) {
            return format!(
                "manager {named} is not in this file; row {} has the id `{}` (did you mean it?)",
                self.rows.row(position),
                self.rows.id(position)
            );
        }
        format!("manager {named} is not in this file")
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
        let hints = ManagerHints::new(&rows, ["1007", "e2", "Grace@Example.com", "X9"]);
        assert_eq!(
            hints.missing("1007", "`1007`"),
            "manager `1007` is not in this file; row 2 has the id `001007` (did you mean it?)"
        );
        assert_eq!(
            hints.missing("e2", "`e2`"),
            "manager `e2` is not in this file; row 3 has the id `E2` (did you mean it?)"
        );
        assert_eq!(
            hints.missing("Grace@Example.com", "`Grace@Example.com`"),
            "manager `Grace@Example.com` is the email of row 3, whose id is `E2`: `manager_id` takes ids, unless an import mapping says [managers] given_by = \"id-or-email\""
        );
        assert_eq!(hints.missing("X9", "`X9`"), "manager `X9` is not in this file");
        assert_eq!(plain("000"), "0");
    }
}
