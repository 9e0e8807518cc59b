//! PostgreSQL, for deployments that outgrow one machine: pooled connections, bulk writes with
//! `UNNEST`.

use std::str::FromStr;
use std::time::Duration;

use futures_util::TryStreamExt;
use rungs_core::org::{Email, OrgMember, Person};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::cells::{BatchDecoder, decode_results};
use crate::error::StoreError;
use crate::feed::{FeedItem, ImportFeed};
use crate::import_record::ImportAudit;
use crate::members::{Interner, WHOLE_ORG_COLUMNS};
use crate::people::{ACTIVE_PEOPLE, ImportSummary, NewFramework, StoredFramework};
use crate::sql::{Expect, Query, Row, Statement, Value, constraint_message, resolve};
use crate::storage::{Progress, Storage};

/// People per INSERT statement; each column travels as one array parameter.
const BATCH: usize = 10_000;

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

/// The upsert of one batch: parameters 1-9 are the column arrays, 10 the import run.
const UPSERT: &str = "INSERT INTO people (id, name, email, title, track, level, manager_id, team, status, hire_date, level_since, import_run, changed_run) \
     SELECT id, name, email, title, track, level, manager_id, team, status, hire_date, level_since, $10, $10 \
     FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $11::text[], $12::text[]) \
       AS batch (id, name, email, title, track, level, manager_id, team, status, hire_date, level_since) \
     ON CONFLICT (id) DO UPDATE SET \
       changed_run = CASE WHEN (people.name, people.email, people.title, people.track, people.level, \
                                people.manager_id, people.team, people.status, people.hire_date, people.level_since) \
                            IS DISTINCT FROM (excluded.name, excluded.email, excluded.title, excluded.track, excluded.level, \
                                              excluded.manager_id, excluded.team, excluded.status, excluded.hire_date, \
                                              excluded.level_since) \
                     THEN excluded.changed_run ELSE people.changed_run END, \
               left_run = CASE WHEN people.status = 'active' AND excluded.status = 'left' \
                          THEN excluded.import_run ELSE people.left_run END, \
       name = excluded.name, email = excluded.email, title = excluded.title, track = excluded.track, \
       level = excluded.level, manager_id = excluded.manager_id, team = excluded.team, \
       status = excluded.status, hire_date = excluded.hire_date, level_since = excluded.level_since, \
       import_run = excluded.import_run";

impl PostgresStore {
    /// Every active person.
    async fn whole_org(&self) -> Result<Vec<OrgMember>, StoreError> {
        let sql =
            format!("SELECT {WHOLE_ORG_COLUMNS} FROM people WHERE status = 'active' ORDER BY pk");
        let mut members = Vec::new();
        let mut interner = Interner::default();
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            let text = |index: usize| sqlx::Row::try_get::<&str, _>(&row, index);
            members.push(interner.member(
                text(0)?,
                text(1)?,
                sqlx::Row::try_get::<Option<&str>, _>(&row, 2)?,
                text(3)?,
                text(4)?,
                text(5)?,
            )?);
        }
        Ok(members)
    }

    /// Connects a pool to the database named by `url` and runs the migrations.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let options =
            PgConnectOptions::from_str(url).map_err(|error| StoreError::connect(url, error))?;
        Self::open_with(options).await.map_err(|error| match error {
            StoreError::Database(source) => StoreError::connect(url, source),
            other => other,
        })
    }

    /// Connects with explicit options (tests use this to pick a fresh database).
    pub async fn open_with(options: PgConnectOptions) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PostgresStore { pool })
    }

    /// Closes the pool, so that the database can be dropped.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

fn bind_all<'q>(mut query: PgQuery<'q>, values: &[Value]) -> PgQuery<'q> {
    for value in values {
        query = match value {
            Value::Integer(number) => query.bind(*number),
            Value::Text(text) => query.bind(text.clone()),
            Value::Bytes(bytes) => query.bind(bytes.clone()),
        };
    }
    query
}

fn value_of(row: &sqlx::postgres::PgRow, index: usize) -> Result<Value, StoreError> {
    use sqlx::{Row as _, TypeInfo as _, ValueRef as _};
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        return Ok(Value::Text(None));
    }
    let type_name = raw.type_info().name().to_owned();
    match type_name.as_str() {
        "INT8" => Ok(Value::Integer(Some(row.try_get::<i64, _>(index)?))),
        "INT4" => Ok(Value::Integer(Some(i64::from(row.try_get::<i32, _>(index)?)))),
        "TEXT" | "VARCHAR" | "NAME" => Ok(Value::Text(Some(row.try_get::<String, _>(index)?))),
        "BYTEA" => Ok(Value::Bytes(Some(row.try_get::<Vec<u8>, _>(index)?))),
        other => {
            Err(StoreError::Corrupt(format!("a column of type {other}, which Rungs never reads")))
        }
    }
}

/// Portable rows from PostgreSQL rows.
fn rows_of(rows: &[sqlx::postgres::PgRow]) -> Result<Vec<Row>, StoreError> {
    use sqlx::Row as _;
    rows.iter()
        .map(|row| {
            (0..row.len()).map(|index| value_of(row, index)).collect::<Result<Vec<_>, _>>().map(Row)
        })
        .collect()
}

/// Maps a broken constraint Rungs knows to its message.
fn refusal(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(database) = &error
        && let Some(known) = database.constraint().and_then(constraint_message)
    {
        return StoreError::Conflict(known.to_owned());
    }
    StoreError::Database(error)
}

impl Storage for PostgresStore {
    async fn activate_framework(&self, framework: &NewFramework) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO frameworks (framework_id, version, source) VALUES ($1, $2, $3)")
            .bind(&framework.framework_id)
            .bind(&framework.version)
            .bind(&framework.source)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn active_framework(&self) -> Result<Option<StoredFramework>, StoreError> {
        let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT framework_id, version, source, activated_at, pk FROM frameworks WHERE archived = 0 ORDER BY pk DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(framework_id, version, source, activated_at, pk)| StoredFramework {
            pk,
            framework_id,
            version,
            source,
            activated_at,
        }))
    }

    async fn import_people(
        &self,
        source_name: &str,
        mut people: ImportFeed,
        dry_run: bool,
        audit: Option<ImportAudit>,
        mut progress: Progress,
    ) -> Result<ImportSummary, StoreError> {
        let mut transaction = self.pool.begin().await?;
        let run: i64 =
            sqlx::query_scalar("INSERT INTO imports (source_name) VALUES ($1) RETURNING pk")
                .bind(source_name)
                .fetch_one(&mut *transaction)
                .await?;
        sqlx::query(crate::reads::RAISE_ORG_VERSION).execute(&mut *transaction).await?;
        let before: i64 =
            sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&mut *transaction).await?;
        let active_before: i64 =
            sqlx::query_scalar(ACTIVE_PEOPLE).fetch_one(&mut *transaction).await?;
        let mut written = 0;
        loop {
            let batch = match people.next().await {
                Some(FeedItem::People(batch)) => batch,
                Some(FeedItem::AllSent) => continue,
                Some(FeedItem::End { commit: true }) => break,
                // Dropping the transaction rolls everything back.
                Some(FeedItem::End { commit: false }) | None => return Err(StoreError::Abandoned),
            };
            for chunk in batch.chunks(BATCH) {
                let column =
                    |pick: fn(&Person) -> &str| chunk.iter().map(pick).collect::<Vec<&str>>();
                let dates = |pick: fn(&Person) -> Option<jiff::civil::Date>| {
                    chunk
                        .iter()
                        .map(|person| pick(person).map(|date| date.to_string()))
                        .collect::<Vec<Option<String>>>()
                };
                let managers: Vec<Option<&str>> = chunk
                    .iter()
                    .map(|person| person.manager_id.as_ref().map(|manager| manager.as_str()))
                    .collect();
                sqlx::query(UPSERT)
                    .bind(column(|person| person.id.as_str()))
                    .bind(column(|person| person.name.as_str()))
                    .bind(column(|person| person.email.as_str()))
                    .bind(column(|person| person.title.as_str()))
                    .bind(column(crate::people::stored_track))
                    .bind(column(crate::people::stored_level))
                    .bind(managers)
                    .bind(column(|person| person.team.as_str()))
                    .bind(column(|person| person.status.as_str()))
                    .bind(run)
                    .bind(dates(|person| person.hire_date))
                    .bind(dates(|person| person.level_since))
                    .execute(&mut *transaction)
                    .await?;
                written += chunk.len() as u64;
                progress(written);
            }
        }
        let left = sqlx::query("UPDATE people SET status = 'left', changed_run = $1, left_run = $1 WHERE import_run <> $1 AND status = 'active'")
            .bind(run)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        let after: i64 =
            sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&mut *transaction).await?;
        let (changed, left_by_status): (i64, i64) = sqlx::query_as(crate::people::COUNT_CHANGED)
            .bind(run)
            .fetch_one(&mut *transaction)
            .await?;
        let added = u64::try_from(after - before).unwrap_or(0);
        let left_by_status = u64::try_from(left_by_status).unwrap_or(0);
        let updated = u64::try_from(changed).unwrap_or(0).saturating_sub(added + left_by_status);
        let summary = ImportSummary {
            added,
            updated,
            unchanged: written.saturating_sub(added + updated + left_by_status),
            left: left + left_by_status,
            active_before: u64::try_from(active_before).unwrap_or(0),
        };
        if dry_run {
            // Deferred constraints are checked at commit, which a dry run never reaches.
            sqlx::query("SET CONSTRAINTS ALL IMMEDIATE")
                .execute(&mut *transaction)
                .await
                .map_err(refusal)?;
            transaction.rollback().await?;
        } else {
            for sql in crate::accounts::RELINK_ACCOUNTS {
                sqlx::query(sql).execute(&mut *transaction).await?;
            }
            sqlx::query("UPDATE imports SET added = $1, updated = $2, unchanged = $3, left_count = $4 WHERE pk = $5")
                .bind(summary.added as i64)
                .bind(summary.updated as i64)
                .bind(summary.unchanged as i64)
                .bind(summary.left as i64)
                .bind(run)
                .execute(&mut *transaction)
                .await?;
            if let Some(audit) = audit {
                // Dropping the transaction rolls the refused import back.
                let Some(record) = audit(written, &summary) else {
                    return Err(StoreError::ImportRefused(summary));
                };
                run_in(&mut transaction, &record.statements()).await?;
            }
            // Deferred constraints (a manager who is nobody) are checked here.
            transaction.commit().await.map_err(refusal)?;
        }
        Ok(summary)
    }

    async fn person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        crate::reads::person(self, id).await
    }

    async fn people_with_email(&self, email: &Email) -> Result<Vec<Person>, StoreError> {
        crate::reads::people_with_email(self, email).await
    }

    async fn direct_reports(&self, id: &str) -> Result<Vec<Person>, StoreError> {
        crate::reads::direct_reports(self, id).await
    }

    async fn org_members(&self) -> Result<Vec<OrgMember>, StoreError> {
        self.whole_org().await
    }

    async fn head_counts(&self) -> Result<(u64, u64), StoreError> {
        let (active, left): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'left') FROM people",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(active).unwrap_or(0), u64::try_from(left).unwrap_or(0)))
    }

    async fn fetch(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        let rows = bind_all(sqlx::query(&query.sql), &query.params).fetch_all(&self.pool).await?;
        rows_of(&rows)
    }

    /// Read every time: PostgreSQL has no change marker (`LISTEN`/`NOTIFY` could be one).
    async fn fetch_remembered(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        self.fetch(query).await
    }

    async fn fetch_many(&self, queries: Vec<Query>) -> Result<Vec<Vec<Row>>, StoreError> {
        // One repeatable-read transaction: every read sees the same database.
        let mut transaction = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *transaction)
            .await?;
        let mut results = Vec::with_capacity(queries.len());
        for query in &queries {
            if !query.wanted(&results) {
                results.push(Vec::new());
                continue;
            }
            let rows = bind_all(sqlx::query(&query.sql), &query.params)
                .fetch_all(&mut *transaction)
                .await?;
            results.push(rows_of(&rows)?);
        }
        transaction.commit().await?;
        Ok(results)
    }

    async fn fetch_decoded<D: BatchDecoder>(
        &self,
        queries: Vec<Query>,
        decoder: D,
    ) -> Result<D::Output, StoreError> {
        // sqlx reads each result whole; its rows are decoded as portable rows.
        decode_results(decoder, &self.fetch_many(queries).await?)
    }

    #[allow(private_interfaces)]
    async fn run(&self, changes: Vec<Vec<Statement>>) -> Result<Vec<Option<i64>>, StoreError> {
        // Serializable, so that the guards' reads hold until the commit: a rating cannot slip
        // in after a concurrent submit. A transaction that lost a race is run again.
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.run_once(&changes).await {
                Err(StoreError::Database(sqlx::Error::Database(error)))
                    if attempts < 5
                        && matches!(error.code().as_deref(), Some("40001" | "40P01")) =>
                {
                    continue;
                }
                other => return other,
            }
        }
    }
}

impl PostgresStore {
    async fn run_once(&self, changes: &[Vec<Statement>]) -> Result<Vec<Option<i64>>, StoreError> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
            .execute(&mut *transaction)
            .await?;
        let keys = run_in(&mut transaction, changes).await?;
        transaction.commit().await?;
        Ok(keys)
    }
}

/// Runs each change's statements inside the transaction open on `connection`, which the caller commits.
async fn run_in(
    connection: &mut sqlx::PgConnection,
    changes: &[Vec<Statement>],
) -> Result<Vec<Option<i64>>, StoreError> {
    let mut keys = Vec::with_capacity(changes.len());
    for statements in changes {
        let mut key = None;
        for statement in statements {
            let values = statement
                .params
                .iter()
                .map(|param| resolve(param, &keys))
                .collect::<Result<Vec<_>, _>>()?;
            let query = bind_all(sqlx::query(statement.sql), &values);
            match &statement.expect {
                Expect::OneRow(message) => {
                    let written =
                        query.execute(&mut *connection).await.map_err(refusal)?.rows_affected();
                    if written != 1 {
                        return Err(StoreError::Conflict(message.clone()));
                    }
                }
                Expect::Key(message) => {
                    use sqlx::Row as _;
                    let row = query.fetch_optional(&mut *connection).await.map_err(refusal)?;
                    let row = row.ok_or_else(|| StoreError::Conflict(message.clone()))?;
                    key = Some(row.try_get::<i64, _>(0)?);
                }
                Expect::Count => {
                    let written =
                        query.execute(&mut *connection).await.map_err(refusal)?.rows_affected();
                    key = Some(i64::try_from(written).unwrap_or(i64::MAX));
                }
            }
        }
        keys.push(key);
    }
    Ok(keys)
}
