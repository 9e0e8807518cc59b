//! `rungs backup` and `rungs restore` through the real binary on real SQLite files: a backup
//! taken while a server runs and another process keeps writing restores every write
//! acknowledged before it began, and a restore refuses what it cannot trust (a damaged file,
//! a SQLite file that is not Rungs', a newer schema, a running server, no confirmation), each
//! with its message, replacing nothing.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use support::serving::Serving;
use support::{Test, temp_folder};

const ORG: &str = "id,name,email,manager_id,title,track,level,team
E1,Ada Lovelace,ada@example.com,,,management,director,Platform
E2,Grace Hopper,grace@example.com,E1,,management,em,Platform Compilers
E3,Alan Turing,alan@example.com,E2,,ic,ic3,Platform Compilers
";

/// A folder with a database holding the small org and one cycle.
struct Instance {
    folder: PathBuf,
    database: PathBuf,
    url: String,
}

impl Instance {
    fn new(name: &str) -> Instance {
        let folder = temp_folder(name);
        let database = folder.join("rungs.db");
        let url = format!("sqlite://{}", database.display());
        let instance = Instance { folder, database, url };
        let org = instance.path("org.csv");
        std::fs::write(&org, ORG).unwrap();
        instance.rungs().args(["org", "import", &org.display().to_string()]).stdout();
        instance.rungs().args(["cycle", "open", "2026-H1"]).stdout();
        instance
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.join(name)
    }

    fn rungs(&self) -> Test {
        Test::new().db(&self.url)
    }

    fn cycles(&self) -> Vec<String> {
        let listed: Value =
            serde_json::from_str(&self.rungs().args(["cycle", "list", "--json"]).stdout()).unwrap();
        listed
            .as_array()
            .unwrap()
            .iter()
            .map(|cycle| cycle["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn audit(&self) -> Vec<Value> {
        let entries: Value =
            serde_json::from_str(&self.rungs().args(["audit", "--json"]).stdout()).unwrap();
        entries.as_array().unwrap().clone()
    }

    /// Runs `rungs restore FILE --yes`, which must be refused; returns what it printed.
    fn refused_restore(&self, file: &Path) -> String {
        let run =
            self.rungs().args(["restore", &file.display().to_string(), "--yes"]).run().status(2);
        assert_eq!(run.stdout, "");
        run.stderr
    }
}

fn integrity(file: &Path) -> String {
    let connection = rusqlite::Connection::open(file).unwrap();
    connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap()
}

/// Cycles written one after another by `rungs cycle open` while the test runs, each written
/// down once the command has exited 0 (acknowledged); those begun after `backed_up` was set
/// are written down apart.
#[derive(Default)]
struct Writes {
    acknowledged: Mutex<Vec<String>>,
    begun_after_backup: Mutex<Vec<String>>,
    backed_up: AtomicBool,
    stop: AtomicBool,
}

fn keep_writing(url: String, writes: Arc<Writes>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut next = 0;
        while !writes.stop.load(Ordering::SeqCst) {
            let name = format!("load-{next}");
            next += 1;
            let after_backup = writes.backed_up.load(Ordering::SeqCst);
            let run = Test::new().db(&url).args(["cycle", "open", &name, "--alongside"]).run();
            assert_eq!(run.status, 0, "a write under load failed: {}", run.stderr);
            if after_backup {
                writes.begun_after_backup.lock().unwrap().push(name.clone());
            }
            writes.acknowledged.lock().unwrap().push(name);
        }
    })
}

fn acknowledged(writes: &Writes) -> Vec<String> {
    writes.acknowledged.lock().unwrap().clone()
}

/// Waits until at least `count` writes are acknowledged; no time limit but the writer's own
/// failure, which fails the test.
fn wait_for_writes(writes: &Writes, count: usize, writer: &std::thread::JoinHandle<()>) {
    while acknowledged(writes).len() < count {
        assert!(!writer.is_finished(), "the writer stopped");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_backup_under_write_load_restores_every_write_acknowledged_before_it() {
    let instance = Instance::new("cli-backup-under-load");
    let server = Serving::start(&instance.url, &[]);
    let writes = Arc::new(Writes::default());
    let writer = keep_writing(instance.url.clone(), Arc::clone(&writes));
    wait_for_writes(&writes, 3, &writer);

    let before_backup = acknowledged(&writes);
    let backup = instance.path("backup.db");
    let backed_up = instance.rungs().args(["backup", &backup.display().to_string()]).stdout();
    writes.backed_up.store(true, Ordering::SeqCst);
    assert!(
        backed_up.starts_with(&format!(
            "Backed up `{}` to `{}` (",
            instance.database.display(),
            backup.display()
        )),
        "{backed_up}"
    );
    let written_so_far = acknowledged(&writes).len();
    wait_for_writes(&writes, written_so_far + 2, &writer);
    writes.stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    assert_eq!(integrity(&backup), "ok");

    // While the server runs, a restore is refused and replaces nothing.
    let cycles_before = instance.cycles();
    let refused = instance.refused_restore(&backup);
    assert_eq!(
        refused,
        format!(
            "error: a server has `{}` open (rungs serve, process {}, on http://{}/); stop it before restoring; nothing was replaced\n",
            instance.database.display(),
            server.process.id(),
            server.address
        )
    );
    assert_eq!(instance.cycles(), cycles_before);
    server.stop();

    let restored =
        instance.rungs().args(["restore", &backup.display().to_string(), "--yes"]).stdout();
    assert!(
        restored.starts_with(&format!(
            "Restored `{}` into `{}`: 3 people, ",
            backup.display(),
            instance.database.display()
        )),
        "{restored}"
    );
    assert!(restored.contains(". It replaced a database of 3 people, "), "{restored}");
    assert_eq!(integrity(&instance.database), "ok");
    let cycles = instance.cycles();
    for name in &before_backup {
        assert!(cycles.contains(name), "{name}, acknowledged before the backup, is missing");
    }
    for name in writes.begun_after_backup.lock().unwrap().iter() {
        assert!(!cycles.contains(name), "{name}, begun after the backup, is there");
    }
    let latest = &instance.audit()[0];
    assert_eq!(latest["action"], "database.restore");
    assert_eq!(latest["actor"], "cli");
    assert_eq!(latest["after"]["file"], backup.display().to_string());
    assert_eq!(latest["before"]["cycles"], cycles_before.len());
    // And a server serves what was restored.
    let server = Serving::start(&instance.url, &[]);
    server.stop();
    std::fs::remove_dir_all(&instance.folder).unwrap();
}

/// A copy of `from` at `to`, changed by `change` through SQLite.
fn altered_copy(from: &Path, to: &Path, change: &str) {
    std::fs::copy(from, to).unwrap();
    let connection = rusqlite::Connection::open(to).unwrap();
    connection.execute_batch(change).unwrap();
}

#[test]
fn a_restore_refuses_what_it_cannot_trust_and_replaces_nothing() {
    let instance = Instance::new("cli-restore-refusals");
    let good = instance.path("good.db");
    instance.rungs().args(["backup", &good.display().to_string()]).stdout();
    instance.rungs().args(["cycle", "open", "2026-H2", "--alongside"]).stdout();
    let cycles = instance.cycles();
    let audit = instance.audit().len();

    // Not SQLite at all.
    let text = instance.path("notes.txt");
    std::fs::write(&text, "these are not the rows you are looking for\n".repeat(100)).unwrap();
    // Damaged: a page in the middle of the file overwritten.
    let damaged = instance.path("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    let page = 4096 * 3;
    bytes[page..page + 4096].fill(0x5a);
    std::fs::write(&damaged, &bytes).unwrap();
    // SQLite, but not Rungs'.
    let other = instance.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    // A schema from a newer Rungs.
    let newer = instance.path("newer.db");
    altered_copy(&good, &newer, "PRAGMA user_version = 99");
    let missing = instance.path("missing.db");

    let show = |path: &Path| path.display().to_string();
    let database = show(&instance.database);
    let expected = [
        (
            &text,
            format!("error: `{}` is not a SQLite database; nothing was replaced\n", show(&text)),
        ),
        (
            &damaged,
            format!(
                "error: `{}` is damaged: SQLite's integrity check found Tree 4 page 4: btreeInitPage() returns error code 11; nothing was replaced\n",
                show(&damaged)
            ),
        ),
        (
            &other,
            format!(
                "error: `{}` is a SQLite database, but not a Rungs database; nothing was replaced\n",
                show(&other)
            ),
        ),
        (
            &newer,
            format!(
                "error: `{}` has schema version 99, newer than this Rungs knows (16); restore it with a newer Rungs; nothing was replaced\n",
                show(&newer)
            ),
        ),
        (
            &missing,
            format!(
                "error: cannot read `{}`: No such file or directory (os error 2); nothing was replaced\n",
                show(&missing)
            ),
        ),
        (
            &instance.database,
            format!("error: `{database}` is the database itself; restore from a copy of it\n"),
        ),
    ];
    for (file, message) in expected {
        let before = std::fs::read(file).ok();
        assert_eq!(instance.refused_restore(file), message);
        assert_eq!(std::fs::read(file).ok(), before, "the file given is left as it was");
        assert_eq!(instance.cycles(), cycles, "nothing was replaced");
        assert_eq!(instance.audit().len(), audit, "nothing was written");
        assert!(!instance.path("rungs.db-rungs-restore").exists(), "no copy is left behind");
    }

    // Without a terminal to ask on, only --yes confirms.
    let run = instance.rungs().args(["restore", &show(&good)]).run().status(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: a restore replaces `{database}`: pass --yes to confirm (standard input is not a terminal); nothing was replaced\n"
        )
    );
    assert_eq!(instance.cycles(), cycles);
    std::fs::remove_dir_all(&instance.folder).unwrap();
}

/// A backup of an older schema is brought up to date as it is restored.
#[test]
fn a_restored_older_schema_is_migrated() {
    let instance = Instance::new("cli-restore-older");
    let good = instance.path("good.db");
    instance.rungs().args(["backup", &good.display().to_string()]).stdout();
    let older = instance.path("older.db");
    // Version 4: before migration 5 added the org version.
    altered_copy(
        &good,
        &older,
        "DROP TABLE mail_preferences; DROP TABLE notices; DROP TABLE mails; DROP TABLE notice_marks; DROP TABLE peer_nominations; DROP TABLE cycle_plans; DROP INDEX plan_actions_owner; DROP TABLE directory_users; DROP TABLE import_mappings; DROP TABLE pending_imports; ALTER TABLE people DROP COLUMN left_run; \
         ALTER TABLE people DROP COLUMN hire_date; ALTER TABLE people DROP COLUMN level_since; DROP TABLE acknowledgements; ALTER TABLE agreements DROP COLUMN rationale; \
         DROP TABLE standings; DROP TABLE org_version; PRAGMA user_version = 4;",
    );
    let restored: Value = serde_json::from_str(
        &instance
            .rungs()
            .args(["restore", &older.display().to_string(), "--yes", "--json"])
            .stdout(),
    )
    .unwrap();
    assert_eq!(restored["file_schema_version"], 4);
    assert_eq!(restored["restored"]["schema_version"], 16);
    assert_eq!(restored["restored"]["people"], 3);
    assert_eq!(integrity(&instance.database), "ok");
    // The migrated database takes imports again, which raise the org version migration 5 added.
    let org = instance.path("org.csv").display().to_string();
    instance.rungs().args(["org", "import", &org]).stdout();
    std::fs::remove_dir_all(&instance.folder).unwrap();
}

#[test]
fn postgresql_is_backed_up_with_pg_dump() {
    let url = "postgres://rungs@127.0.0.1:1/rungs";
    let runs = [
        ("backup", Test::new().db(url).args(["backup", "rungs.dump"]).run().status(2)),
        ("restore", Test::new().db(url).args(["restore", "rungs.dump", "--yes"]).run().status(2)),
    ];
    for (command, run) in runs {
        assert_eq!(
            run.stderr,
            format!(
                "error: `rungs {command}` copies SQLite databases; a PostgreSQL database is backed up with pg_dump and restored with pg_restore (for example `pg_dump --format=custom --file rungs.dump DATABASE_URL`, then `pg_restore --clean --dbname DATABASE_URL rungs.dump`)\n"
            )
        );
    }
}

#[test]
fn a_backup_never_overwrites_a_file_nor_copies_a_missing_database() {
    let instance = Instance::new("cli-backup-refusals");
    let existing = instance.path("org.csv");
    let run = instance.rungs().args(["backup", &existing.display().to_string()]).run().status(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: `{}` already exists; a backup never overwrites a file: choose a new name\n",
            existing.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), ORG);
    let nowhere = instance.path("nowhere.db");
    let run = Test::new()
        .db(&format!("sqlite://{}", nowhere.display()))
        .args(["backup", &instance.path("b.db").display().to_string()])
        .run()
        .status(2);
    assert_eq!(
        run.stderr,
        format!("error: there is no database at `{}`: nothing to back up\n", nowhere.display())
    );
    assert!(!nowhere.exists(), "no database is created to be backed up");
    std::fs::remove_dir_all(&instance.folder).unwrap();
}

/// A database SQLite cannot open is not replaced in place (a process may still have it open):
/// the restore says to move it away, and restores into the empty place once it is.
#[test]
fn a_database_that_cannot_be_opened_is_moved_away_first() {
    let instance = Instance::new("cli-restore-over-garbage");
    let good = instance.path("good.db");
    instance.rungs().args(["backup", &good.display().to_string()]).stdout();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(instance.path(&format!("rungs.db{suffix}")));
    }
    let garbage = "not a database any more\n".repeat(200);
    std::fs::write(&instance.database, &garbage).unwrap();
    let refused = instance.refused_restore(&good);
    assert_eq!(
        refused,
        format!(
            "error: cannot open `{}` to restore into it (file is not a database); move it away and restore again; nothing was replaced\n",
            instance.database.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&instance.database).unwrap(), garbage);
    std::fs::rename(&instance.database, instance.path("broken.db")).unwrap();
    instance.rungs().args(["restore", &good.display().to_string(), "--yes"]).stdout();
    assert_eq!(instance.cycles(), ["2026-H1"]);
    std::fs::remove_dir_all(&instance.folder).unwrap();
}
