//! The storage contract: one suite, run against SQLite always and against PostgreSQL when
//! `RUNGS_TEST_PG_URL` is set (CI sets it; in CI a missing URL fails instead of skipping).
//! Every test gets a fresh database.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use rungs_core::org::{Email, Person, PersonId, Status};
use rungs_core::{LevelId, TrackId};
use rungs_store::{
    Accounts, AuditEntry, AuditFilter, Change, ImportFeed, ImportSummary, NewFramework,
    PgConnectOptions, PostgresStore, Records, SqliteStore, Storage, StoreError, import_feed,
};
use sqlx::Connection;

static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
    )
}

async fn sqlite_store() -> SqliteStore {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}.db", unique_name("contract")));
    SqliteStore::open(&format!("sqlite://{}", path.display())).await.expect("open SQLite")
}

/// A fresh PostgreSQL database, dropped at the end of the test.
struct PostgresDatabase {
    admin: PgConnectOptions,
    name: String,
    store: PostgresStore,
}

impl PostgresDatabase {
    async fn create() -> Option<PostgresDatabase> {
        let Ok(url) = std::env::var("RUNGS_TEST_PG_URL") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must set RUNGS_TEST_PG_URL so the contract runs on PostgreSQL"
            );
            eprintln!("RUNGS_TEST_PG_URL is not set: skipping the PostgreSQL run");
            return None;
        };
        let admin =
            PgConnectOptions::from_str(&url).expect("RUNGS_TEST_PG_URL is a PostgreSQL URL");
        let name = unique_name("rungs_test");
        let mut connection =
            sqlx::PgConnection::connect_with(&admin).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut connection)
            .await
            .expect("create database");
        connection.close().await.expect("close");
        let store =
            PostgresStore::open_with(admin.clone().database(&name)).await.expect("open PostgreSQL");
        Some(PostgresDatabase { admin, name, store })
    }

    async fn drop_database(self) {
        self.store.close().await;
        let mut connection =
            sqlx::PgConnection::connect_with(&self.admin).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&mut connection)
            .await
            .expect("drop database");
    }
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(super::sqlite_store().await).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(database) = super::PostgresDatabase::create().await {
                        super::$name(database.store.clone()).await;
                        database.drop_database().await;
                    }
                }
            }
        )*
    };
}

contract!(
    a_new_database_is_empty,
    the_newest_framework_is_active,
    an_import_adds_people,
    a_reimport_updates_by_id_and_marks_the_missing_as_left,
    a_dry_run_reports_and_writes_nothing,
    a_failed_import_leaves_the_database_unchanged,
    a_dry_run_checks_what_the_commit_would,
    an_abandoned_import_writes_nothing,
    people_stream_in_batches_while_the_export_is_read,
    imports_larger_than_one_batch,
    a_bulk_import_with_a_missing_manager_writes_nothing,
    the_org_version_rises_with_each_import_and_nothing_else,
);

#[path = "contract/imports.rs"]
mod imports;
use imports::*;

contract!(
    an_import_and_its_audit_entry_commit_together,
    a_pending_import_waits_for_its_uploader,
    a_pending_import_is_imported_once_and_only_on_the_org_it_previewed,
    leavers_by_status_count_as_left,
    import_mappings_are_kept_by_name,
);

#[path = "contract/assessments.rs"]
mod assessments;
use assessments::*;

contract!(
    cycles_open_close_and_list,
    an_assessment_keeps_its_ratings_evidence_and_framework_version,
    a_submitted_assessment_never_changes,
    a_closed_cycle_is_read_only,
    one_assessment_per_kind_holds_in_the_database,
    a_failed_batch_writes_nothing,
    a_revision_keeps_the_assessment_it_corrects,
    agreed_ratings_are_recorded_on_the_latest_manager_assessment,
    growth_plans_keep_focus_and_actions,
    imports_record_level_changes_and_the_chain_is_walkable,
    an_archived_framework_version_never_becomes_active,
    a_person_is_read_in_one_go,
    an_acknowledgement_needs_an_agreed_outcome_and_replaces_the_last,
);

#[path = "contract/cycle_plans.rs"]
mod cycle_plans;
use cycle_plans::*;

contract!(
    a_cycle_plan_reads_back_as_written_and_is_replaced_whole,
    a_person_s_task_records_are_their_own_latest_and_current,
);

#[path = "contract/nominations.rs"]
mod nominations;
use nominations::*;

contract!(nominations_are_proposed_decided_and_declined,);

#[path = "contract/mail.rs"]
mod mail;
use mail::*;

contract!(
    notices_are_queued_once_with_their_marks,
    a_persons_notices_go_into_one_mail_sent_once,
    a_digest_waits_a_day_after_the_last_mail,
);

#[path = "contract/accounts.rs"]
mod accounts;
use accounts::*;

contract!(
    accounts_link_to_people_by_email,
    sessions_and_tokens_are_found_by_their_hash,
    failed_sign_ins_count_within_a_window,
    the_audit_log_reads_back_newest_first,
);

#[path = "contract/directory.rs"]
mod directory;
use directory::*;

contract!(
    a_directory_write_is_kept_only_at_the_version_it_was_checked_at,
    a_directory_leaver_moves_their_reports_and_an_unlink_keeps_the_person,
);

#[tokio::test]
async fn sessions_and_tokens_changed_elsewhere_count_at_once_on_sqlite() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}.db", unique_name("elsewhere")));
    let url = format!("sqlite://{}", path.display());
    let here = SqliteStore::open(&url).await.unwrap();
    let elsewhere = SqliteStore::open(&url).await.unwrap();
    sessions_and_tokens_changed_elsewhere_count_at_once(here, elsewhere).await;
}

#[tokio::test]
async fn sessions_and_tokens_changed_elsewhere_count_at_once_on_postgres() {
    let Some(database) = PostgresDatabase::create().await else { return };
    let elsewhere =
        PostgresStore::open_with(database.admin.clone().database(&database.name)).await.unwrap();
    sessions_and_tokens_changed_elsewhere_count_at_once(database.store.clone(), elsewhere.clone())
        .await;
    elsewhere.close().await;
    database.drop_database().await;
}

/// The application can only append to the audit log: the database refuses updates and
/// deletes, whoever asks.
#[tokio::test]
async fn the_audit_log_is_append_only_on_sqlite() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}.db", unique_name("audit")));
    let store = SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
    store.apply(&[audit_entry()]).await.unwrap();
    let connection = rusqlite::Connection::open(&path).unwrap();
    for statement in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
        let refused = connection.execute(statement, []).unwrap_err().to_string();
        assert!(refused.contains("the audit log is append-only"), "{statement}: {refused}");
    }
    assert_eq!(store.audit(&AuditFilter::default()).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_audit_log_is_append_only_on_postgres() {
    let Some(database) = PostgresDatabase::create().await else { return };
    database.store.apply(&[audit_entry()]).await.unwrap();
    let mut connection =
        sqlx::PgConnection::connect_with(&database.admin.clone().database(&database.name))
            .await
            .unwrap();
    for statement in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
        let refused =
            sqlx::query(statement).execute(&mut connection).await.unwrap_err().to_string();
        assert!(refused.contains("the audit log is append-only"), "{statement}: {refused}");
    }
    connection.close().await.unwrap();
    assert_eq!(database.store.audit(&AuditFilter::default()).await.unwrap().len(), 1);
    database.drop_database().await;
}

fn audit_entry() -> Change {
    Change::Audit(AuditEntry {
        at: jiff::Timestamp::from_second(1_790_000_000).unwrap(),
        actor: "cli".to_owned(),
        action: "cycle.open".to_owned(),
        target: "cycle 2026-H2".to_owned(),
        person: None,
        before: None,
        after: Some(r#"{"state":"open"}"#.to_owned()),
    })
}

fn person(id: &str, manager: Option<&str>, level: &str) -> Person {
    let track = if level.starts_with("ic") { "ic" } else { "management" };
    Person {
        id: PersonId::parse(id).unwrap(),
        name: format!("Person {id}"),
        email: Email::parse(&format!("{}@example.com", id.to_lowercase())).unwrap(),
        title: String::new(),
        track: Some(TrackId::parse(track).unwrap()),
        level: Some(LevelId::parse(level).unwrap()),
        manager_id: manager.map(|manager| PersonId::parse(manager).unwrap()),
        team: "Core".to_owned(),
        status: Status::Active,
        hire_date: None,
        level_since: None,
    }
}

fn small_org() -> Vec<Person> {
    vec![
        person("E1", None, "director"),
        person("E2", Some("E1"), "em"),
        person("E3", Some("E2"), "ic3"),
        person("E4", Some("E2"), "ic2"),
        person("E5", Some("E1"), "ic5"),
    ]
}

async fn import(store: &impl Storage, people: &[Person]) -> ImportSummary {
    store
        .import_people("test.csv", ImportFeed::of(people.to_vec()), false, None, Box::new(|_| {}))
        .await
        .expect("import")
}

async fn a_new_database_is_empty(store: impl Storage) {
    assert_eq!(store.head_counts().await.unwrap(), (0, 0));
    assert_eq!(store.active_framework().await.unwrap(), None);
    assert!(store.org_members().await.unwrap().is_empty());
    assert_eq!(store.person("E1").await.unwrap(), None);
}

async fn the_newest_framework_is_active(store: impl Storage) {
    for version in ["1", "2"] {
        let framework = NewFramework {
            framework_id: "acme".into(),
            version: version.into(),
            source: format!("# version {version}\n"),
        };
        store.activate_framework(&framework).await.unwrap();
    }
    let active = store.active_framework().await.unwrap().expect("a framework");
    assert_eq!((active.framework_id.as_str(), active.version.as_str()), ("acme", "2"));
    assert_eq!(active.source, "# version 2\n");
    assert_eq!(active.activated_at.len(), "2026-11-27T12:00:00Z".len());
}

async fn an_import_adds_people(store: impl Storage) {
    let summary = import(&store, &small_org()).await;
    assert_eq!(
        summary,
        ImportSummary { added: 5, updated: 0, unchanged: 0, left: 0, active_before: 0 }
    );
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
    assert_eq!(store.person("E3").await.unwrap(), Some(small_org()[2].clone()));
    let reports: Vec<String> =
        store.direct_reports("E2").await.unwrap().into_iter().map(|p| p.id.to_string()).collect();
    assert_eq!(reports, ["E3", "E4"]);
    let members = store.org_members().await.unwrap();
    assert_eq!(members.len(), 5);
    assert_eq!(members[1].manager_id.as_ref().map(PersonId::as_str), Some("E1"));
}

async fn a_reimport_updates_by_id_and_marks_the_missing_as_left(store: impl Storage + Sync) {
    import(&store, &small_org()).await;
    let mut next = small_org();
    next.retain(|person| person.id.as_str() != "E4");
    next[2].level = Some(LevelId::parse("ic4").unwrap());
    next[1].title = "Head of Platform".to_owned();
    next.push(person("E6", Some("E2"), "ic1"));
    let summary = import(&store, &next).await;
    assert_eq!(
        summary,
        ImportSummary { added: 1, updated: 2, unchanged: 2, left: 1, active_before: 5 }
    );
    let left = store.person("E4").await.unwrap().expect("kept, not deleted");
    assert_eq!(left.status, Status::Left);
    // Found by email while active; someone who left is not.
    let with_email =
        |id: &str| Email::parse(&format!("{}@example.com", id.to_lowercase())).unwrap();
    let found = store.people_with_email(&with_email("E3")).await.unwrap();
    assert_eq!(found.iter().map(|person| person.id.as_str()).collect::<Vec<_>>(), ["E3"]);
    assert!(store.people_with_email(&with_email("E4")).await.unwrap().is_empty());
    assert!(store.people_with_email(&with_email("E99")).await.unwrap().is_empty());
    assert_eq!(store.head_counts().await.unwrap(), (5, 1));
    assert_eq!(store.person("E3").await.unwrap().unwrap().level.unwrap().as_str(), "ic4");
    assert!(store.org_members().await.unwrap().iter().all(|member| member.id.as_str() != "E4"));
    // Every active person's email and title, as imported; nobody who left.
    let members = store.org_members().await.unwrap();
    assert_eq!(members.len(), 5);
    for member in &members {
        let person = next.iter().find(|person| person.id == member.id).unwrap();
        let stored = store.person(member.id.as_str()).await.unwrap().unwrap();
        assert_eq!((&stored.email, &stored.title), (&person.email, &person.title));
    }
    // The same export again changes nothing.
    assert_eq!(
        import(&store, &next).await,
        ImportSummary { added: 0, updated: 0, unchanged: 5, left: 0, active_before: 5 }
    );
    // Someone who left and comes back is updated, not added.
    let mut back = next.clone();
    back.push(person("E4", Some("E2"), "ic2"));
    assert_eq!(
        import(&store, &back).await,
        ImportSummary { added: 0, updated: 1, unchanged: 5, left: 0, active_before: 5 }
    );
    assert_eq!(store.person("E4").await.unwrap().unwrap().status, Status::Active);
}

async fn a_dry_run_reports_and_writes_nothing(store: impl Storage) {
    import(&store, &small_org()).await;
    let mut next = small_org();
    next.pop();
    next.push(person("E9", Some("E1"), "em"));
    let summary = store
        .import_people("next.csv", ImportFeed::of(next), true, None, Box::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary { added: 1, updated: 0, unchanged: 4, left: 1, active_before: 5 }
    );
    assert_eq!(store.person("E9").await.unwrap(), None);
    assert_eq!(store.person("E5").await.unwrap().unwrap().status, Status::Active);
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
}

async fn a_failed_import_leaves_the_database_unchanged(store: impl Storage) {
    import(&store, &small_org()).await;
    // The importer validates first; the database's own constraints are the second line.
    let mut broken = small_org();
    broken[3].level = Some(LevelId::parse("ic4").unwrap());
    broken.push(person("E7", Some("NOBODY"), "ic1"));
    let error = store
        .import_people("broken.csv", ImportFeed::of(broken), false, None, Box::new(|_| {}))
        .await;
    assert!(error.is_err(), "a dangling manager must be refused by the database");
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
    assert_eq!(store.person("E4").await.unwrap().unwrap().level.unwrap().as_str(), "ic2");
    assert_eq!(store.person("E7").await.unwrap(), None);
}

async fn a_dry_run_checks_what_the_commit_would(store: impl Storage) {
    import(&store, &small_org()).await;
    let mut broken = small_org();
    broken.push(person("E7", Some("NOBODY"), "ic1"));
    let dry_run = store
        .import_people("broken.csv", ImportFeed::of(broken), true, None, Box::new(|_| {}))
        .await;
    assert!(dry_run.is_err(), "a dry run must refuse what the real import would refuse");
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
}

async fn an_abandoned_import_writes_nothing(store: impl Storage) {
    import(&store, &small_org()).await;
    let (sender, feed) = import_feed();
    let reader = std::thread::spawn(move || {
        assert!(sender.send(vec![person("E8", Some("E1"), "ic1")]));
        // The reader found an error late in the file: nothing may be kept.
        sender.finish(false);
    });
    let result = store.import_people("late-error.csv", feed, false, None, Box::new(|_| {})).await;
    reader.join().unwrap();
    assert!(matches!(result, Err(StoreError::Abandoned)), "{result:?}");
    assert_eq!(store.person("E8").await.unwrap(), None);
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
}

/// Servers keep the org chart in memory and rebuild it when the version moves: a committed
/// import must move it, and nothing that leaves the people as they were may.
async fn the_org_version_rises_with_each_import_and_nothing_else(store: impl Storage + Sync) {
    let first = store.org_version().await.unwrap();
    import(&store, &small_org()).await;
    let imported = store.org_version().await.unwrap();
    assert!(imported > first, "{imported} after an import, {first} before");
    let mut next = small_org();
    next.push(person("E9", Some("E1"), "em"));
    store
        .import_people("next.csv", ImportFeed::of(next), true, None, Box::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(store.org_version().await.unwrap(), imported, "a dry run writes nothing");
    let mut broken = small_org();
    broken.push(person("E7", Some("NOBODY"), "ic1"));
    let refused = store
        .import_people("broken.csv", ImportFeed::of(broken), false, None, Box::new(|_| {}))
        .await;
    assert!(refused.is_err());
    assert_eq!(store.org_version().await.unwrap(), imported, "a failed import writes nothing");
    store
        .activate_framework(&NewFramework {
            framework_id: "acme".into(),
            version: "1".into(),
            source: "# acme\n".into(),
        })
        .await
        .unwrap();
    store.apply(&[audit_entry()]).await.unwrap();
    assert_eq!(store.org_version().await.unwrap(), imported, "other writes leave it alone");
    import(&store, &small_org()).await;
    assert!(store.org_version().await.unwrap() > imported, "every import raises it");
}

async fn people_stream_in_batches_while_the_export_is_read(store: impl Storage) {
    let (sender, feed) = import_feed();
    let reader = std::thread::spawn(move || {
        let org = small_org();
        for person in org {
            assert!(sender.send(vec![person]));
        }
        sender.finish(true);
    });
    let summary =
        store.import_people("stream.csv", feed, false, None, Box::new(|_| {})).await.unwrap();
    reader.join().unwrap();
    assert_eq!(
        summary,
        ImportSummary { added: 5, updated: 0, unchanged: 0, left: 0, active_before: 0 }
    );
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
}

async fn imports_larger_than_one_batch(store: impl Storage + Sync) {
    let mut people = vec![person("M0", None, "vp")];
    people.extend((1..=10_500).map(|number| person(&format!("P{number}"), Some("M0"), "ic2")));
    let reported = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&reported);
    let progress = Box::new(move |written| sink.lock().unwrap().push(written));
    let summary = store
        .import_people("big.csv", ImportFeed::of(people.clone()), false, None, progress)
        .await
        .unwrap();
    assert_eq!(summary.added, 10_501);
    assert_eq!(reported.lock().unwrap().last(), Some(&10_501));
    assert_eq!(store.org_members().await.unwrap().len(), 10_501);
    // Read in two halves on SQLite: every member once, in the order imported.
    let members = store.org_members().await.unwrap();
    assert!(members.iter().map(|member| &member.id).eq(people.iter().map(|person| &person.id)));
    // People are written many to a statement, and the rest one by one: both read back whole.
    for id in ["M0", "P1", "P64", "P10500"] {
        let stored = store.person(id).await.unwrap().expect("written");
        let sent = people.iter().find(|sent| sent.id.as_str() == id).unwrap();
        assert_eq!(&stored, sent, "{id} reads back as it was sent");
    }

    // Again, with one promotion, one move and one person gone: the large update path.
    let mut next = people.clone();
    next[1].level = Some(LevelId::parse("ic3").unwrap());
    next[2].manager_id = Some(PersonId::parse("P1").unwrap());
    next.pop();
    let summary = store
        .import_people("big.csv", ImportFeed::of(next), false, None, Box::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary { added: 0, updated: 2, unchanged: 10_498, left: 1, active_before: 10_501 }
    );
    assert_eq!(store.person("P1").await.unwrap().unwrap().level.unwrap().as_str(), "ic3");
    assert_eq!(
        store.person("P2").await.unwrap().unwrap().manager_id.map(|manager| manager.to_string()),
        Some("P1".to_owned())
    );
    assert_eq!(store.person("P10500").await.unwrap().unwrap().status, Status::Left);
}

/// A first import, and a large one, take the bulk path: foreign keys are checked in one pass
/// at the end instead of row by row, and must still refuse a manager nobody is.
async fn a_bulk_import_with_a_missing_manager_writes_nothing(store: impl Storage) {
    let mut people = vec![person("M0", None, "vp")];
    people.extend((1..=200).map(|number| person(&format!("P{number}"), Some("M0"), "ic2")));
    people[150].manager_id = Some(PersonId::parse("NOBODY").unwrap());
    let first = store
        .import_people("first.csv", ImportFeed::of(people), false, None, Box::new(|_| {}))
        .await;
    let message = first.expect_err("a missing manager is refused").to_string();
    assert!(message.contains("manager"), "{message}");
    assert_eq!(store.head_counts().await.unwrap(), (0, 0), "nothing was written");

    let mut large = vec![person("M0", None, "vp")];
    large.extend((1..=10_001).map(|number| person(&format!("P{number}"), Some("M0"), "ic2")));
    import(&store, &large).await;
    large[7].manager_id = Some(PersonId::parse("NOBODY").unwrap());
    large[8].level = Some(LevelId::parse("ic3").unwrap());
    let again = store
        .import_people("again.csv", ImportFeed::of(large), false, None, Box::new(|_| {}))
        .await;
    assert!(again.is_err(), "a missing manager is refused in a large re-import too");
    assert_eq!(store.head_counts().await.unwrap(), (10_002, 0));
    assert_eq!(store.person("P7").await.unwrap().unwrap().manager_id.unwrap().as_str(), "M0");
    assert_eq!(store.person("P8").await.unwrap().unwrap().level.unwrap().as_str(), "ic2");
}

/// Processes that open one new file at once (a server and commands started together) each
/// create it, turn on WAL and run the migrations; every one succeeds, and each migration runs
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_stores_open_one_new_sqlite_file_at_once() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}.db", unique_name("open-at-once")));
    let url = format!("sqlite://{}", path.display());
    let opening: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { SqliteStore::open(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for opened in opening {
        stores.push(opened.await.unwrap().expect("every store opens"));
    }
    import(&stores[0], &small_org()).await;
    for store in &stores {
        assert_eq!(store.head_counts().await.unwrap(), (5, 0));
        assert_eq!(store.journal_mode().await.unwrap(), "wal");
    }
}

/// A first import into an empty file writes straight into it when it is the file's one
/// connection; with another process's connection open it stays in WAL, and succeeds all the
/// same (leaving WAL answered "database is locked" then).
#[tokio::test]
async fn a_first_import_succeeds_while_another_process_has_the_file_open() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}.db", unique_name("first-import-shared")));
    let url = format!("sqlite://{}", path.display());
    let server = SqliteStore::open(&url).await.unwrap();
    let command = SqliteStore::open(&url).await.unwrap();
    // The server has read: its connection stays open.
    assert_eq!(server.head_counts().await.unwrap(), (0, 0));
    import(&command, &small_org()).await;
    assert_eq!(server.head_counts().await.unwrap(), (5, 0));
    assert_eq!(command.journal_mode().await.unwrap(), "wal");
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_in_a_file() {
    let store = sqlite_store().await;
    assert_eq!(store.journal_mode().await.unwrap(), "wal");
    // A first import writes straight into the file, and goes back to WAL whatever happens.
    let (sender, feed) = import_feed();
    let reader = std::thread::spawn(move || {
        assert!(sender.send(small_org()));
        sender.finish(false);
    });
    let abandoned = store.import_people("first.csv", feed, false, None, Box::new(|_| {})).await;
    reader.join().unwrap();
    assert!(matches!(abandoned, Err(StoreError::Abandoned)));
    assert_eq!(store.journal_mode().await.unwrap(), "wal");
    assert_eq!(store.head_counts().await.unwrap(), (0, 0));
    import(&store, &small_org()).await;
    assert_eq!(store.journal_mode().await.unwrap(), "wal");
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
}
