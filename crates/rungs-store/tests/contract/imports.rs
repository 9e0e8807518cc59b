//! The storage contract for an import's audit entry (written in the import's own transaction,
//! so that an import is kept with its entry or not at all, and refused by it), and for the
//! uploads the web keeps until their preview is confirmed.

use rungs_store::{
    Accounts, AuditEntry, AuditFilter, ImportFeed, ImportSummary, Records, Storage, StoreError,
    import_feed,
};

use super::{import, person, small_org};

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
            Some(Box::new(import_entry)),
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
            Some(Box::new(import_entry)),
            Box::new(|_| {}),
        )
        .await;
    reader.join().unwrap();
    assert!(matches!(abandoned, Err(StoreError::Abandoned)), "{abandoned:?}");
    assert_eq!(org_import_entries(&store).await, Vec::<Option<String>>::new(), "abandoned");

    let dying = {
        let (store, next) = (store.clone(), next.clone());
        tokio::spawn(async move {
            let audit: rungs_store::ImportAudit = Box::new(|_, _| panic!("the process stops here"));
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
    let refusing: rungs_store::ImportAudit = Box::new(|_, _| None);
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
            Some(Box::new(import_entry)),
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

/// A previewed upload is kept for the account that made it, until it expires or is dropped.
pub async fn a_pending_import_waits_for_its_uploader(store: impl Storage + Sync) {
    let at = |seconds: i64| jiff::Timestamp::from_second(1_800_000_000 + seconds).unwrap();
    let keep = |token: &str, seconds| rungs_store::Change::KeepPendingImport {
        token: token.to_owned(),
        source_name: "next.csv".to_owned(),
        content: "id,name\nE1,Ada\n".to_owned(),
        by: "admin@example.com".to_owned(),
        at: at(seconds),
        expired_before: at(seconds - 3600),
    };
    store.apply(&[keep("old", 0)]).await.unwrap();
    store.apply(&[keep("new", 4000)]).await.unwrap();
    let found = store.pending_import("new", "admin@example.com", at(400)).await.unwrap();
    assert_eq!(found, Some(("next.csv".to_owned(), "id,name\nE1,Ada\n".to_owned())));
    assert_eq!(store.pending_import("new", "hr@example.com", at(400)).await.unwrap(), None);
    assert_eq!(
        store.pending_import("old", "admin@example.com", at(-10)).await.unwrap(),
        None,
        "dropped as expired when the next one was kept"
    );
    assert_eq!(store.pending_import("new", "admin@example.com", at(4001)).await.unwrap(), None);
    store
        .apply(&[rungs_store::Change::DropPendingImport { token: "new".to_owned() }])
        .await
        .unwrap();
    assert_eq!(store.pending_import("new", "admin@example.com", at(400)).await.unwrap(), None);
}
