//! The embedded default: a SQLite file in WAL mode with foreign keys on.

use std::str::FromStr;
use std::time::Duration;

use futures_util::TryStreamExt;
use rungs_core::org::{OrgMember, Person};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::StoreError;
use crate::people::{
    ImportSummary, NewFramework, PERSON_COLUMNS, PersonColumns, StoredFramework, member,
};
use crate::store::{Progress, Storage};

/// People per INSERT statement: 9 parameters each stays under SQLite's 32,766 limit.
const BATCH: usize = 2_000;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

type PersonRow = (String, String, String, String, String, String, Option<String>, String, String);

fn person_from(row: PersonRow) -> Result<Person, StoreError> {
    let (id, name, email, title, track, level, manager_id, team, status) = row;
    PersonColumns { id, name, email, title, track, level, manager_id, team, status }.into_person()
}

/// The upsert for `rows` people of import run `run` (an integer the database generated).
fn upsert_sql(rows: usize, run: i64) -> String {
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, RUN, RUN)"; rows]
        .join(", ")
        .replace("RUN", &run.to_string());
    format!(
        "INSERT INTO people (id, name, email, title, track, level, manager_id, team, status, import_run, changed_run) \
         VALUES {values} \
         ON CONFLICT (id) DO UPDATE SET \
           changed_run = CASE WHEN (people.name, people.email, people.title, people.track, people.level, \
                                    people.manager_id, people.team, people.status) \
                                IS NOT (excluded.name, excluded.email, excluded.title, excluded.track, excluded.level, \
                                        excluded.manager_id, excluded.team, excluded.status) \
                         THEN excluded.changed_run ELSE people.changed_run END, \
           name = excluded.name, email = excluded.email, title = excluded.title, track = excluded.track, \
           level = excluded.level, manager_id = excluded.manager_id, team = excluded.team, \
           status = excluded.status, import_run = excluded.import_run"
    )
}

impl SqliteStore {
    /// Opens (creating if needed) the SQLite file named by `url` and runs the migrations.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|error| StoreError::connect(url, error))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|error| StoreError::connect(url, error))?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// The journal mode in force, for tests that check WAL is on.
    pub async fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&self.pool).await?)
    }
}

impl Storage for SqliteStore {
    async fn activate_framework(&self, framework: &NewFramework) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO frameworks (framework_id, version, source) VALUES (?, ?, ?)")
            .bind(&framework.framework_id)
            .bind(&framework.version)
            .bind(&framework.source)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn active_framework(&self) -> Result<Option<StoredFramework>, StoreError> {
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT framework_id, version, source, activated_at FROM frameworks ORDER BY pk DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(framework_id, version, source, activated_at)| StoredFramework {
            framework_id,
            version,
            source,
            activated_at,
        }))
    }

    async fn import_people(
        &self,
        source_name: &str,
        people: &[Person],
        dry_run: bool,
        progress: Progress<'_>,
    ) -> Result<ImportSummary, StoreError> {
        let mut transaction = self.pool.begin().await?;
        let run: i64 =
            sqlx::query_scalar("INSERT INTO imports (source_name) VALUES (?) RETURNING pk")
                .bind(source_name)
                .fetch_one(&mut *transaction)
                .await?;
        let before: i64 =
            sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&mut *transaction).await?;
        let full_batch_sql = upsert_sql(BATCH, run);
        let mut written = 0;
        for chunk in people.chunks(BATCH) {
            let partial_sql;
            let sql = if chunk.len() == BATCH {
                &full_batch_sql
            } else {
                partial_sql = upsert_sql(chunk.len(), run);
                &partial_sql
            };
            let mut query = sqlx::query(sql);
            for person in chunk {
                query = query
                    .bind(person.id.as_str())
                    .bind(person.name.as_str())
                    .bind(person.email.as_str())
                    .bind(person.title.as_str())
                    .bind(person.track.as_str())
                    .bind(person.level.as_str())
                    .bind(person.manager_id.as_ref().map(|manager| manager.as_str()))
                    .bind(person.team.as_str())
                    .bind(person.status.as_str());
            }
            query.execute(&mut *transaction).await?;
            written += chunk.len() as u64;
            progress(written);
        }
        let left = sqlx::query("UPDATE people SET status = 'left', changed_run = ?1 WHERE import_run <> ?1 AND status = 'active'")
            .bind(run)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        let after: i64 =
            sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&mut *transaction).await?;
        let changed: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM people WHERE changed_run = ?1 AND import_run = ?1",
        )
        .bind(run)
        .fetch_one(&mut *transaction)
        .await?;
        let added = u64::try_from(after - before).unwrap_or(0);
        let updated = u64::try_from(changed).unwrap_or(0).saturating_sub(added);
        let summary = ImportSummary {
            added,
            updated,
            unchanged: (people.len() as u64).saturating_sub(added + updated),
            left,
        };
        if dry_run {
            transaction.rollback().await?;
        } else {
            sqlx::query("UPDATE imports SET added = ?, updated = ?, unchanged = ?, left_count = ? WHERE pk = ?")
                .bind(summary.added as i64)
                .bind(summary.updated as i64)
                .bind(summary.unchanged as i64)
                .bind(summary.left as i64)
                .bind(run)
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;
        }
        Ok(summary)
    }

    async fn person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        let row: Option<PersonRow> =
            sqlx::query_as(&format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(person_from).transpose()
    }

    async fn direct_reports(&self, id: &str) -> Result<Vec<Person>, StoreError> {
        let rows: Vec<PersonRow> = sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE manager_id = ? AND status = 'active' ORDER BY name, id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(person_from).collect()
    }

    async fn org_members(&self) -> Result<Vec<OrgMember>, StoreError> {
        let mut members = Vec::new();
        let mut rows = sqlx::query_as::<_, (String, String, Option<String>, String, String, String)>(
            "SELECT id, name, manager_id, track, level, team FROM people WHERE status = 'active' ORDER BY pk",
        )
        .fetch(&self.pool);
        while let Some((id, name, manager_id, track, level, team)) = rows.try_next().await? {
            members.push(member(id, name, manager_id, track, level, team)?);
        }
        Ok(members)
    }

    async fn head_counts(&self) -> Result<(u64, u64), StoreError> {
        let (active, left): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'left') FROM people",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(active).unwrap_or(0), u64::try_from(left).unwrap_or(0)))
    }
}
