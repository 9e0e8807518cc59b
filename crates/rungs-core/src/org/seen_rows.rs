//! What the roster's checks across rows keep of every row (its number, id, email, manager and
//! status), with the text of all rows in one buffer rather than in millions of small strings.

use crate::org::person::Status;
use crate::org::roster_row::RosterRow;

/// One kept row. Its id is `text[start..id_end]`, its email `text[id_end..email_end]`, its
/// manager's id `text[email_end..manager_end]`.
#[derive(Debug, Clone, Copy)]
struct KeptRow {
    row: usize,
    start: usize,
    id_end: usize,
    email_end: usize,
    manager_end: usize,
    /// The manager as the file wrote them (`text[manager_end..written_end]`), when a mapping
    /// rewrote it; empty otherwise.
    written_end: usize,
    /// `None` when the row's status is empty or not a status.
    status: Option<Status>,
}

/// The rows of a roster as the checks across rows see them, by position in the file.
#[derive(Debug, Default)]
pub(crate) struct SeenRows {
    text: String,
    rows: Vec<KeptRow>,
}

impl SeenRows {
    pub(crate) fn push(&mut self, row: &RosterRow) {
        let start = self.text.len();
        self.text.push_str(&row.id);
        let id_end = self.text.len();
        self.text.push_str(&row.email);
        let email_end = self.text.len();
        self.text.push_str(&row.manager_id);
        let manager_end = self.text.len();
        self.text.push_str(&row.manager_as_written);
        self.rows.push(KeptRow {
            row: row.row,
            start,
            id_end,
            email_end,
            manager_end,
            written_end: self.text.len(),
            status: Status::parse(&row.status),
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The row number a spreadsheet shows.
    pub(crate) fn row(&self, position: usize) -> usize {
        self.rows[position].row
    }

    pub(crate) fn id(&self, position: usize) -> &str {
        let kept = &self.rows[position];
        &self.text[kept.start..kept.id_end]
    }

    pub(crate) fn email(&self, position: usize) -> &str {
        let kept = &self.rows[position];
        &self.text[kept.id_end..kept.email_end]
    }

    /// The manager's id as written; empty when the row names none.
    pub(crate) fn manager_id(&self, position: usize) -> &str {
        let kept = &self.rows[position];
        &self.text[kept.email_end..kept.manager_end]
    }

    /// The manager as a message names them: `` `1007` ``, or what the file wrote and the id a
    /// mapping made of it: `` `jane@example.com` (id `1007`) ``.
    pub(crate) fn manager_named(&self, position: usize) -> String {
        let kept = &self.rows[position];
        let written = &self.text[kept.manager_end..kept.written_end];
        let id = self.manager_id(position);
        if written.is_empty() { format!("`{id}`") } else { format!("`{written}` (id `{id}`)") }
    }

    pub(crate) fn status(&self, position: usize) -> Option<Status> {
        self.rows[position].status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_reads_back_its_own_fields() {
        let mut seen = SeenRows::default();
        for (number, id, email, manager, status) in [
            (2, "E1", "ada@example.com", "", "left"),
            (4, "É2", "grâce@example.com", "E1", ""),
            (5, "E3", "", "É2", "Active"),
        ] {
            seen.push(&RosterRow {
                row: number,
                id: id.into(),
                email: email.into(),
                manager_id: manager.into(),
                status: status.into(),
                name: "ignored".into(),
                ..RosterRow::default()
            });
        }
        assert_eq!(seen.len(), 3);
        assert_eq!(
            (seen.row(1), seen.id(1), seen.email(1), seen.manager_id(1)),
            (4, "É2", "grâce@example.com", "E1")
        );
        assert_eq!((seen.id(2), seen.email(2), seen.manager_id(2)), ("E3", "", "É2"));
        assert_eq!(seen.manager_id(0), "");
        assert_eq!(
            [seen.status(0), seen.status(1), seen.status(2)],
            [Some(Status::Left), None, Some(Status::Active)]
        );
    }
}
