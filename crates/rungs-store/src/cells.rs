//! A row as a decoder reads it ([`Cells`]), and decoders that take a batch's rows one at a time
//! as the backend steps through them ([`BatchDecoder`]).
//!
//! A decoder written against [`Cells`] runs the same on both backends: PostgreSQL hands it
//! portable [`Row`]s, SQLite its own rows, borrowed, so that a page's hundreds of rows are not
//! copied cell by cell into `Row`s before they are decoded (on a person page with a record, that
//! copy was a fifth of the server's time).

use std::borrow::Cow;

use crate::StoreError;
use crate::sql::{Row, Value, empty, not_a_number};

/// The columns of one row, by index. Text is borrowed where the backend allows.
pub trait Cells {
    fn column_count(&self) -> usize;

    /// A column's value, copied.
    fn value(&self, index: usize) -> Result<Value, StoreError>;

    /// A column's text, borrowed where the backend allows. A number is written out as text.
    fn optional_str(&self, index: usize) -> Result<Option<Cow<'_, str>>, StoreError>;

    fn optional_integer(&self, index: usize) -> Result<Option<i64>, StoreError>;

    fn str(&self, index: usize) -> Result<Cow<'_, str>, StoreError> {
        self.optional_str(index)?.ok_or_else(|| empty(index))
    }

    fn text(&self, index: usize) -> Result<String, StoreError> {
        Ok(self.str(index)?.into_owned())
    }

    fn optional_text(&self, index: usize) -> Result<Option<String>, StoreError> {
        Ok(self.optional_str(index)?.map(Cow::into_owned))
    }

    fn integer(&self, index: usize) -> Result<i64, StoreError> {
        self.optional_integer(index)?.ok_or_else(|| empty(index))
    }
}

impl Cells for Row {
    fn column_count(&self) -> usize {
        self.0.len()
    }

    fn value(&self, index: usize) -> Result<Value, StoreError> {
        Row::value(self, index).cloned()
    }

    fn optional_str(&self, index: usize) -> Result<Option<Cow<'_, str>>, StoreError> {
        Ok(match Row::value(self, index)? {
            Value::Text(text) => text.as_deref().map(Cow::Borrowed),
            Value::Integer(number) => number.map(|number| Cow::Owned(number.to_string())),
            Value::Bytes(bytes) => bytes.as_deref().map(String::from_utf8_lossy),
        })
    }

    fn optional_integer(&self, index: usize) -> Result<Option<i64>, StoreError> {
        match Row::value(self, index)? {
            Value::Integer(number) => Ok(*number),
            Value::Text(None) => Ok(None),
            other => Err(not_a_number(index, other)),
        }
    }
}

impl Row {
    /// A copy of `cells` as a portable row: for the few rows a decoder keeps whole.
    pub(crate) fn of(cells: &(impl Cells + ?Sized)) -> Result<Row, StoreError> {
        (0..cells.column_count()).map(|index| cells.value(index)).collect::<Result<_, _>>().map(Row)
    }
}

/// Decodes the reads of a batch as their rows arrive: every row of the first read, then every
/// row of the second, and so on. A read that the batch skips ([`crate::sql::Query::only_if`])
/// gives no rows.
pub trait BatchDecoder: Send + 'static {
    type Output: Send + 'static;

    fn row(&mut self, read: usize, row: &dyn Cells) -> Result<(), StoreError>;

    fn finish(self) -> Result<Self::Output, StoreError>;
}

/// Feeds whole results, read by read, to `decoder`: for backends that read each result whole.
pub(crate) fn decode_results<D: BatchDecoder>(
    mut decoder: D,
    results: &[Vec<Row>],
) -> Result<D::Output, StoreError> {
    for (read, rows) in results.iter().enumerate() {
        for row in rows {
            decoder.row(read, row)?;
        }
    }
    decoder.finish()
}

/// The decoder that keeps every row whole, as portable rows: what `Storage::fetch_many` answers.
pub(crate) struct WholeRows(Vec<Vec<Row>>);

impl WholeRows {
    /// For a batch of `reads` reads; a skipped read keeps no rows.
    pub(crate) fn of(reads: usize) -> WholeRows {
        WholeRows(vec![Vec::new(); reads])
    }
}

impl BatchDecoder for WholeRows {
    type Output = Vec<Vec<Row>>;

    fn row(&mut self, read: usize, row: &dyn Cells) -> Result<(), StoreError> {
        self.0
            .get_mut(read)
            .ok_or_else(|| StoreError::Task(format!("read {read} is not in the batch")))?
            .push(Row::of(row)?);
        Ok(())
    }

    fn finish(self) -> Result<Vec<Vec<Row>>, StoreError> {
        Ok(self.0)
    }
}
