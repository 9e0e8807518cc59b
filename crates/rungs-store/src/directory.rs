//! The people a directory keeps current over SCIM (`migrations/*/0012_directory_users.sql`):
//! the write of one person as the directory sent them, with its link (userName, externalId,
//! the attributes as sent), and the reads of links by id, userName, externalId and page.
//!
//! A write is an import of one person. It raises the org version only if the version is still
//! the one its checks read the chart at (so two servers cannot both pass a cycle check against
//! the same chart), records an import run (`source_name` `scim`), and writes the person as a
//! full import would, with the audit entry the caller adds, in one transaction.

use std::future::Future;

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::org::{Person, PersonId};

use crate::cells::Cells;
use crate::decode::timestamp;
use crate::people::{PERSON_COLUMNS, person_from_row};
use crate::sql::{Expect, Param, Query, Row, Statement, Value};
use crate::{Storage, StoreError};

/// The directory's side of a person: how it names them and what it last sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryLink {
    pub user_name: String,
    pub external_id: Option<String>,
    /// The attributes as the directory sent them, as JSON text.
    pub resource: String,
}

/// A person as the directory keeps them, with the person as Rungs has them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub person: Person,
    pub link: DirectoryLink,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A write of one person from the directory.
#[derive(Debug, Clone)]
pub struct DirectoryWrite {
    pub person: Person,
    /// `None` removes the link (the directory deleted the user): the person stays, as left.
    pub link: Option<DirectoryLink>,
    /// The org version the caller's checks read the chart at.
    pub org_version: i64,
    /// Whether the person is new to Rungs (not an update of someone an import made).
    pub added: bool,
    /// Someone active who leaves now: their active reports move to this manager (or none).
    pub reports_move_to: Option<Option<PersonId>>,
    /// A change of level starts the time at the new level today.
    pub today: Date,
    pub at: Timestamp,
}

/// Why a write found the org changed under it.
pub const DIRECTORY_RACE: &str =
    "the org chart changed while this change was checked; nothing was written: send it again";

const GUARD_ORG_VERSION: &str = "UPDATE org_version SET version = version + 1 WHERE version = $1";
const RECORD_RUN: &str = "INSERT INTO imports (source_name, added, updated, unchanged, left_count) \
     VALUES ('scim', $1, $2, 0, $3)";
/// The run just recorded: the org version's row lock queues writers, so it is this one's.
macro_rules! this_run {
    () => {
        "(SELECT max(pk) FROM imports)"
    };
}
const PUT_PERSON: &str = concat!(
    "INSERT INTO people (id, name, email, title, track, level, manager_id, team, status, \
       import_run, changed_run, left_run) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ",
    this_run!(),
    ", ",
    this_run!(),
    ", CASE WHEN $9 = 'left' THEN ",
    this_run!(),
    " END) \
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, \
       title = excluded.title, track = excluded.track, \
       level_since = CASE WHEN people.level = excluded.level THEN people.level_since ELSE $10 END, \
       level = excluded.level, manager_id = excluded.manager_id, team = excluded.team, \
       left_run = CASE WHEN people.status = 'active' AND excluded.status = 'left' \
                  THEN excluded.import_run ELSE people.left_run END, \
       status = excluded.status, import_run = excluded.import_run, changed_run = excluded.changed_run"
);
const MOVE_REPORTS: &str = concat!(
    "UPDATE people SET manager_id = $1, changed_run = ",
    this_run!(),
    " WHERE manager_id = $2 AND status = 'active'"
);
const PUT_LINK: &str = "INSERT INTO directory_users \
       (person_id, user_name, user_name_key, external_id, resource, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $6) \
     ON CONFLICT (person_id) DO UPDATE SET user_name = excluded.user_name, \
       user_name_key = excluded.user_name_key, external_id = excluded.external_id, \
       resource = excluded.resource, updated_at = excluded.updated_at";
const DROP_LINK: &str = "DELETE FROM directory_users WHERE person_id = $1";

/// How userNames are compared: SCIM's `userName` is not case-exact.
pub fn user_name_key(user_name: &str) -> String {
    user_name.to_lowercase()
}

impl DirectoryWrite {
    pub(crate) fn statements(&self) -> Vec<Statement> {
        let text = |value: &str| Param::Value(Value::text(value));
        let optional = |value: Option<&str>| Param::Value(Value::optional_text(value));
        let person = &self.person;
        let left = i64::from(self.reports_move_to.is_some());
        let mut statements = vec![
            Statement {
                sql: GUARD_ORG_VERSION,
                params: vec![Param::Value(Value::integer(self.org_version))],
                expect: Expect::OneRow(DIRECTORY_RACE.to_owned()),
            },
            Statement {
                sql: RECORD_RUN,
                params: vec![
                    Param::Value(Value::integer(i64::from(self.added))),
                    Param::Value(Value::integer(i64::from(!self.added))),
                    Param::Value(Value::integer(left)),
                ],
                expect: Expect::Count,
            },
            Statement {
                sql: PUT_PERSON,
                params: vec![
                    text(person.id.as_str()),
                    text(&person.name),
                    text(person.email.as_str()),
                    text(&person.title),
                    text(crate::people::stored_track(person)),
                    text(crate::people::stored_level(person)),
                    optional(person.manager_id.as_ref().map(PersonId::as_str)),
                    text(&person.team),
                    text(person.status.as_str()),
                    text(&self.today.to_string()),
                ],
                expect: Expect::OneRow(format!("`{}` was not written", person.id)),
            },
        ];
        if let Some(to) = &self.reports_move_to {
            statements.push(Statement {
                sql: MOVE_REPORTS,
                params: vec![optional(to.as_ref().map(PersonId::as_str)), text(person.id.as_str())],
                expect: Expect::Count,
            });
        }
        statements.push(match &self.link {
            Some(link) => Statement {
                sql: PUT_LINK,
                params: vec![
                    text(person.id.as_str()),
                    text(&link.user_name),
                    text(&user_name_key(&link.user_name)),
                    optional(link.external_id.as_deref()),
                    text(&link.resource),
                    text(&self.at.to_string()),
                ],
                expect: Expect::OneRow(format!("the link of `{}` was not written", person.id)),
            },
            None => Statement {
                sql: DROP_LINK,
                params: vec![text(person.id.as_str())],
                expect: Expect::Count,
            },
        });
        statements
    }
}

/// The columns of a directory user: the person's, then the link's.
fn user_columns() -> String {
    let person: Vec<String> =
        PERSON_COLUMNS.split(", ").map(|column| format!("p.{column}")).collect();
    format!(
        "SELECT {}, d.user_name, d.external_id, d.resource, d.created_at, d.updated_at \
         FROM directory_users d JOIN people p ON p.id = d.person_id",
        person.join(", ")
    )
}

const PERSON_COLUMN_COUNT: usize = 11;

fn user_from_row(row: &Row) -> Result<DirectoryUser, StoreError> {
    let at = PERSON_COLUMN_COUNT;
    Ok(DirectoryUser {
        person: person_from_row(row)?,
        link: DirectoryLink {
            user_name: row.text(at)?,
            external_id: row.optional_text(at + 1)?,
            resource: row.text(at + 2)?,
        },
        created_at: timestamp(&row.text(at + 3)?)?,
        updated_at: timestamp(&row.text(at + 4)?)?,
    })
}

/// Which directory users a list asks for: SCIM's `eq` filters on `userName` and `externalId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryFilter {
    All,
    UserName(String),
    ExternalId(String),
}

/// A page of directory users, by person id, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPage {
    pub total: u64,
    pub users: Vec<DirectoryUser>,
}

/// The reads of directory users, for every store.
pub trait DirectoryReads: Storage + Sync {
    /// The directory user who is the person `id`.
    fn directory_user(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<DirectoryUser>, StoreError>> + Send {
        let query =
            Query::new(format!("{} WHERE d.person_id = $1", user_columns()), vec![Value::text(id)]);
        async move { self.fetch(query).await?.first().map(user_from_row).transpose() }
    }

    /// Up to `count` directory users from the `skip`th (in order of person id) that match
    /// `filter`, with the number of all that do.
    fn directory_users(
        &self,
        filter: &DirectoryFilter,
        skip: u64,
        count: u64,
    ) -> impl Future<Output = Result<DirectoryPage, StoreError>> + Send {
        let (condition, params) = match filter {
            DirectoryFilter::All => ("", Vec::new()),
            DirectoryFilter::UserName(name) => {
                (" WHERE d.user_name_key = $1", vec![Value::text(user_name_key(name))])
            }
            DirectoryFilter::ExternalId(id) => (" WHERE d.external_id = $1", vec![Value::text(id)]),
        };
        let next = params.len() + 1;
        let limit = |value: u64| Value::integer(i64::try_from(value).unwrap_or(i64::MAX));
        let mut page_params = params.clone();
        page_params.extend([limit(count), limit(skip)]);
        let queries = vec![
            Query::new(format!("SELECT count(*) FROM directory_users d{condition}"), params),
            Query::new(
                format!(
                    "{}{condition} ORDER BY d.person_id LIMIT ${next} OFFSET ${}",
                    user_columns(),
                    next + 1
                ),
                page_params,
            ),
        ];
        async move {
            let mut results = self.fetch_many(queries).await?.into_iter();
            let total = results
                .next()
                .and_then(|rows| rows.first().map(|row| row.integer(0)))
                .transpose()?
                .unwrap_or(0);
            let users = results
                .next()
                .unwrap_or_default()
                .iter()
                .map(user_from_row)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DirectoryPage { total: u64::try_from(total).unwrap_or(0), users })
        }
    }
}

impl<S: Storage + Sync> DirectoryReads for S {}

#[cfg(test)]
pub(crate) const ALL: &[&str] =
    &[GUARD_ORG_VERSION, RECORD_RUN, PUT_PERSON, MOVE_REPORTS, PUT_LINK, DROP_LINK];
