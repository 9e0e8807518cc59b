//! Portable SQL: statements both backends run exactly as written, and the values they bind
//! and return. Each backend runs them through `Storage::fetch` and `Storage::run`.
//!
//! Invariant: placeholders are `$1`, `$2`, ... numbered in order of first appearance. PostgreSQL
//! reads them by number; SQLite treats `$N` as a named parameter and numbers named parameters
//! in order of first appearance, so the same text binds the same way on both.

use std::borrow::Cow;

use crate::StoreError;

/// A value bound to, or read from, a statement. Nulls carry their type so that PostgreSQL can
/// type the parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Integer(Option<i64>),
    Text(Option<String>),
    /// Bytes kept as they came: an upload waiting for its confirmation.
    Bytes(Option<Vec<u8>>),
}

impl Value {
    pub(crate) fn text(text: impl Into<String>) -> Value {
        Value::Text(Some(text.into()))
    }

    pub(crate) fn integer(value: i64) -> Value {
        Value::Integer(Some(value))
    }

    pub(crate) fn bytes(bytes: impl Into<Vec<u8>>) -> Value {
        Value::Bytes(Some(bytes.into()))
    }

    pub(crate) fn optional_text(text: Option<impl Into<String>>) -> Value {
        Value::Text(text.map(Into::into))
    }
}

/// A statement parameter: a value, or the key a previous change of the same batch produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Value(Value),
    KeyOf(usize),
}

impl From<Value> for Param {
    fn from(value: Value) -> Param {
        Param::Value(value)
    }
}

/// What a written statement must do for its change to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expect {
    /// Exactly one row, or the batch fails with this message: the guard in the statement's
    /// `WHERE` said no (a submitted assessment, a closed cycle, an unknown id).
    OneRow(String),
    /// `RETURNING pk` of the one row written: the change's key.
    Key(String),
    /// Any number of rows; the change's key is how many.
    Count,
}

/// One statement of a planned change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    pub sql: &'static str,
    pub params: Vec<Param>,
    pub expect: Expect,
}

/// A read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Query {
    pub(crate) sql: Cow<'static, str>,
    pub(crate) params: Vec<Value>,
    /// In a batch of reads: run only when column `.1` of the first row of read `.0` is not 0.
    /// A cheap existence check can so spare the reads that would find nothing.
    pub(crate) only_if: Option<(usize, usize)>,
}

impl Query {
    pub(crate) fn new(sql: impl Into<Cow<'static, str>>, params: Vec<Value>) -> Query {
        Query { sql: sql.into(), params, only_if: None }
    }

    /// This read, run only when the given column of an earlier read of the batch is not 0.
    pub(crate) fn only_if(self, read: usize, column: usize) -> Query {
        Query { only_if: Some((read, column)), ..self }
    }

    /// Whether to run this read, given the results of the batch so far.
    pub(crate) fn wanted(&self, earlier: &[Vec<Row>]) -> bool {
        self.wanted_after(|read| earlier.get(read).and_then(|rows| rows.first()))
    }

    /// Whether to run this read, given the first row of each earlier read of the batch.
    pub(crate) fn wanted_after<'a>(&self, first_row_of: impl Fn(usize) -> Option<&'a Row>) -> bool {
        match self.only_if {
            None => true,
            Some((read, column)) => first_row_of(read)
                .and_then(|row| row.0.get(column))
                .is_some_and(|value| *value != Value::Integer(Some(0))),
        }
    }

    /// Whether a later read of `queries` depends on the first row of read `read`.
    pub(crate) fn is_consulted(queries: &[Query], read: usize) -> bool {
        queries.iter().any(|query| query.only_if.is_some_and(|(earlier, _)| earlier == read))
    }
}

/// A row read back, column by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub(crate) Vec<Value>);

impl Row {
    /// A column's value.
    pub(crate) fn value(&self, index: usize) -> Result<&Value, StoreError> {
        self.0.get(index).ok_or_else(|| StoreError::Corrupt(format!("a row has no column {index}")))
    }
}

/// A column that must have a value has none.
pub(crate) fn empty(index: usize) -> StoreError {
    StoreError::Corrupt(format!("column {index} is empty"))
}

/// A column that must be a number holds `found`.
pub(crate) fn not_a_number(index: usize, found: &dyn std::fmt::Debug) -> StoreError {
    StoreError::Corrupt(format!("column {index} is not a number: {found:?}"))
}

/// Resolves a parameter against the keys produced so far.
pub(crate) fn resolve(param: &Param, keys: &[Option<i64>]) -> Result<Value, StoreError> {
    match param {
        Param::Value(value) => Ok(value.clone()),
        Param::KeyOf(change) => keys
            .get(*change)
            .copied()
            .flatten()
            .map(Value::integer)
            .ok_or_else(|| StoreError::Task(format!("change {change} produced no key"))),
    }
}

/// The message for a constraint a write broke, by constraint name (PostgreSQL) or by the
/// columns SQLite names.
pub(crate) fn constraint_message(detail: &str) -> Option<&'static str> {
    const KNOWN: &[(&[&str], &str)] = &[
        (&["cycles_name_unique", "cycles.name"], "a cycle with this name already exists"),
        (&["accounts_email_unique", "accounts.email"], "an account with this email already exists"),
        (
            &["assessments_revises_unique", "assessments.revises_pk"],
            "this assessment was already revised",
        ),
        (
            &["plan_focus_pk", "plan_focus.plan_pk"],
            "this expectation is already a focus of the plan",
        ),
        (&["people_manager_fk"], "a person names a manager who is not in the database"),
    ];
    KNOWN
        .iter()
        .find(|(names, _)| names.iter().any(|name| detail.contains(name)))
        .map(|(_, message)| *message)
}

/// `count` numbered placeholders after the first `before`: `$3, $4, $5`.
pub(crate) fn placeholders(before: usize, count: usize) -> String {
    (before + 1..=before + count).map(|number| format!("${number}")).collect::<Vec<_>>().join(", ")
}
