//! The storage contract for an import's audit entry (written in the import's own transaction,
//! so that an import is kept with its entry or not at all, and refused by it), and for the
//! uploads the web keeps until their preview is confirmed.

use rungs_core::org::Status;
use rungs_store::{
    Accounts, AuditEntry, AuditFilter, Change, ImportAudit, ImportFeed, ImportRecord,
    ImportSummary, PendingImport, Records, Storage, StoreError, UNCLAIMED_IMPORT, import_feed,
};

use super::{import, person, small_org};

/// An import's record with `entry` and nothing else.
fn record(entry: Option<AuditEntry>) -> Option<ImportRecord> {
    Some(ImportRecord { audit: entry?, changes: Vec::new() })
}

/// The audit entry of an import that `import_people` is given.
fn import_entry(people: u64, summary: &ImportSummary) -> Option<AuditEntry> {
    Some(AuditEntry {
        at: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
        actor: "cli".to_owned(),
        action: "org.import".to_owned(),
        target: "org import next.csv".to_owned(),
        person: None,
        before: None,
        after: Some(format!("{people} people, {} added, {} left", summary.added, summary.left)),
    })
}

pub async fn org_import_entries(store: &(impl Storage + Sync)) -> Vec<Option<String>> {
    let entries = store.audit(&AuditFilter::default()).await.unwrap();
    entries.into_iter().map(|record| record.entry.after).collect()
}

/// An import is kept with its audit entry or not at all: the entry is written inside the
/// import's own transaction, so no process can stop between the two. A dry run and an
/// abandoned import write neither, and one whose entry could not be made (here, the builder
/// panics, as a process killed at that point would stop) leaves the old org as it was.
pub async fn an_import_and_its_audit_entry_commit_together(
    store: impl Storage + Sync + Clone + Send + 'static,
) {
    import(&store, &small_org()).await;
    let mut next = small_org();
    next.pop();
    next.push(person("E6", Some("E1"), "ic4"));

    let dry = store
        .import_people(
            "next.csv",
            ImportFeed::of(next.clone()),
            true,
            Some(Box::new(|people, summary| record(import_entry(people, summary)))),
            Box::new(|_| {}),
        )
        .await
        .unwrap();
    assert_eq!((dry.added, dry.left), (1, 1));
    assert_eq!(org_import_entries(&store).await, Vec::<Option<String>>::new(), "a dry run");

    let (sender, feed) = import_feed();
    let reader = std::thread::spawn(move || {
        assert!(sender.send(vec![person("E8", Some("E1"), "ic1")]));
        sender.finish(false);
    });
    let abandoned = store
        .import_people(
            "late-error.csv",
            feed,
            false,
            Some(Box::new(|people, summary| record(import_entry(people, summary)))),
            Box::new(|_| {}),
        )
        .await;
    reader.join().unwrap();
    assert!(matches!(abandoned, Err(StoreError::Abandoned)), "{abandoned:?}");
    assert_eq!(org_import_entries(&store).await, Vec::<Option<String>>::new(), "abandoned");

    let dying = {
        let (store, next) = (store.clone(), next.clone());
        tokio::spawn(async move {
            let audit: ImportAudit = Box::new(|_, _| panic!("the process stops here"));
            store
                .import_people(
                    "next.csv",
                    ImportFeed::of(next),
                    false,
                    Some(audit),
                    Box::new(|_| {}),
                )
                .await
        })
        .await
    };
    assert!(dying.is_err() || dying.as_ref().is_ok_and(Result::is_err), "{dying:?}");
    assert_eq!(store.person("E6").await.unwrap(), None, "the import was not kept");
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
    assert_eq!(org_import_entries(&store).await, Vec::<Option<String>>::new());

    // The builder refuses the import once it knows what it would do: nothing is kept, and the
    // refusal says what the import would have done.
    let refusing: ImportAudit = Box::new(|_, _| None);
    let refused = store
        .import_people(
            "next.csv",
            ImportFeed::of(next.clone()),
            false,
            Some(refusing),
            Box::new(|_| {}),
        )
        .await;
    let Err(StoreError::ImportRefused(would)) = refused else { panic!("{refused:?}") };
    assert_eq!((would.added, would.left, would.active_before), (1, 1, 5));
    assert_eq!(store.person("E6").await.unwrap(), None, "the refused import was not kept");
    assert_eq!(store.head_counts().await.unwrap(), (5, 0));
    assert_eq!(org_import_entries(&store).await, Vec::<Option<String>>::new());

    let summary = store
        .import_people(
            "next.csv",
            ImportFeed::of(next),
            false,
            Some(Box::new(|people, summary| record(import_entry(people, summary)))),
            Box::new(|_| {}),
        )
        .await
        .unwrap();
    assert_eq!((summary.added, summary.left), (1, 1));
    assert!(store.person("E6").await.unwrap().is_some());
    assert_eq!(
        org_import_entries(&store).await,
        vec![Some("5 people, 1 added, 1 left".to_owned())],
        "the entry says what the import did"
    );
}

/// A previewed upload is kept for the account that made it, as bytes, until it expires, is
/// dropped, or is claimed by the import of it.
pub async fn a_pending_import_waits_for_its_uploader(store: impl Storage + Sync) {
    let at = |seconds: i64| jiff::Timestamp::from_second(1_800_000_000 + seconds).unwrap();
    // A NUL byte and bytes that are not UTF-8 come back as they went in.
    let content = b"id,name\nE1,Ada\0\xff\n".to_vec();
    let keep = |token: &str, seconds| Change::KeepPendingImport {
        token_hash: token.to_owned(),
        source_name: "next.csv".to_owned(),
        content: content.clone(),
        mapping_source: Some("[levels]\nM1 = \"em\"\n".to_owned()),
        org_version: 7,
        by: "admin@example.com".to_owned(),
        at: at(seconds),
        expired_before: at(seconds - 3600),
    };
    store.apply(&[keep("old", 0)]).await.unwrap();
    store.apply(&[keep("new", 4000)]).await.unwrap();
    let found = store.pending_import("new", "admin@example.com", at(400)).await.unwrap();
    assert_eq!(
        found,
        Some(PendingImport {
            source_name: "next.csv".to_owned(),
            content: content.clone(),
            org_version: 7,
            mapping_source: Some("[levels]\nM1 = \"em\"\n".to_owned()),
        })
    );
    assert_eq!(store.pending_import("new", "hr@example.com", at(400)).await.unwrap(), None);
    assert_eq!(
        store.pending_import("old", "admin@example.com", at(-10)).await.unwrap(),
        None,
        "dropped as expired when the next one was kept"
    );
    assert_eq!(store.pending_import("new", "admin@example.com", at(4001)).await.unwrap(), None);
    let drop = |by: &str| Change::DropPendingImport {
        token_hash: "new".to_owned(),
        by: by.to_owned(),
        expired_before: at(0),
    };
    let refused = store.apply(&[drop("hr@example.com")]).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    assert!(
        store.pending_import("new", "admin@example.com", at(400)).await.unwrap().is_some(),
        "only its uploader drops it"
    );
    store.apply(&[drop("admin@example.com")]).await.unwrap();
    assert_eq!(store.pending_import("new", "admin@example.com", at(400)).await.unwrap(), None);
}

/// The record an import claiming pending upload `token` writes.
fn claiming(token: &'static str) -> ImportAudit {
    Box::new(move |people, summary| {
        Some(ImportRecord {
            audit: import_entry(people, summary)?,
            changes: vec![Change::ClaimPendingImport {
                token_hash: token.to_owned(),
                by: "admin@example.com".to_owned(),
                expired_before: jiff::Timestamp::from_second(1_700_000_000).unwrap(),
            }],
        })
    })
}

/// A confirmation claims its pending upload inside the import's transaction: a second
/// confirmation of the same preview, or one after another import, writes nothing.
pub async fn a_pending_import_is_imported_once_and_only_on_the_org_it_previewed(
    store: impl Storage + Sync,
) {
    import(&store, &small_org()).await;
    let version = store.org_version().await.unwrap();
    let keep = |token: &str, org_version| Change::KeepPendingImport {
        token_hash: token.to_owned(),
        source_name: "next.csv".to_owned(),
        content: b"id\n".to_vec(),
        mapping_source: None,
        org_version,
        by: "admin@example.com".to_owned(),
        at: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
        expired_before: jiff::Timestamp::from_second(1_700_000_000).unwrap(),
    };
    store.apply(&[keep("current", version), keep("stale", version - 1)]).await.unwrap();
    let mut next = small_org();
    next.push(person("E6", Some("E1"), "ic4"));
    let run = |token| {
        store.import_people(
            "next.csv",
            ImportFeed::of(next.clone()),
            false,
            Some(claiming(token)),
            Box::new(|_| {}),
        )
    };

    let stale = run("stale").await;
    assert!(
        matches!(&stale, Err(StoreError::Conflict(message)) if message == UNCLAIMED_IMPORT),
        "{stale:?}"
    );
    assert_eq!(store.person("E6").await.unwrap(), None, "refused after another import");
    assert_eq!(store.org_version().await.unwrap(), version, "and rolled back whole");

    let first = run("current").await.unwrap();
    assert_eq!(first.added, 1);
    let again = run("current").await;
    assert!(matches!(&again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(org_import_entries(&store).await.len(), 1, "imported once");
}

/// A row whose status is `left` makes an active person a leaver as surely as leaving them out
/// of the file: the summary counts both as left, and neither as updated.
pub async fn leavers_by_status_count_as_left(store: impl Storage + Sync) {
    import(&store, &small_org()).await;
    let mut next = small_org();
    next[3].status = Status::Left;
    next.pop();
    let summary = import(&store, &next).await;
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged, summary.left, summary.active_before),
        (0, 0, 3, 2, 5)
    );
    // Once a leaver, the same row again changes nothing.
    let again = import(&store, &next).await;
    assert_eq!((again.updated, again.unchanged, again.left), (0, 4, 0));
}

/// Import mappings are kept by name: saving again replaces, the listing leaves the sources
/// out, and removing one that is not there is refused.
pub async fn import_mappings_are_kept_by_name(store: impl Storage + Sync) {
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let save = |source: &str| Change::SaveImportMapping {
        name: "bamboo".to_owned(),
        source: source.to_owned(),
        by: "admin@example.com".to_owned(),
        at,
    };
    assert_eq!(store.import_mapping("bamboo").await.unwrap(), None);
    store.apply(&[save("[levels]\nM1 = \"em\"\n")]).await.unwrap();
    store.apply(&[save("[levels]\nM1 = \"sem\"\n")]).await.unwrap();
    let kept = store.import_mapping("bamboo").await.unwrap().unwrap();
    assert_eq!((kept.source.as_str(), kept.saved_at), ("[levels]\nM1 = \"sem\"\n", at));
    let listed = store.import_mappings().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].name.as_str(), listed[0].source.as_str()), ("bamboo", ""));
    let remove = || Change::RemoveImportMapping { name: "bamboo".to_owned() };
    store.apply(&[remove()]).await.unwrap();
    let again = store.apply(&[remove()]).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert!(store.import_mappings().await.unwrap().is_empty());
}
