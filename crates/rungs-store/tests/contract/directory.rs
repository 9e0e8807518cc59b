//! The storage contract for people a directory keeps (SCIM): a write is kept with its link
//! only at the org version its checks read, raises that version once, moves the reports of
//! someone who leaves, and is found by id, userName (ignoring case), externalId and page.

use rungs_core::org::{PersonId, Status};
use rungs_store::{
    Change, DIRECTORY_RACE, DirectoryFilter, DirectoryLink, DirectoryReads, DirectoryWrite,
    Records, Storage, StoreError,
};

use super::{import, person, small_org};

fn link(user_name: &str) -> DirectoryLink {
    DirectoryLink {
        user_name: user_name.to_owned(),
        external_id: Some(format!("ext-{user_name}")),
        resource: r#"{"displayName":"From the directory"}"#.to_owned(),
    }
}

fn write(person: rungs_core::org::Person, link: Option<DirectoryLink>, org_version: i64) -> Change {
    Change::Directory(DirectoryWrite {
        added: false,
        reports_move_to: None,
        person,
        link,
        org_version,
        today: jiff::civil::date(2026, 12, 7),
        at: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
    })
}

pub async fn a_directory_write_is_kept_only_at_the_version_it_was_checked_at(
    store: impl Storage + Sync,
) {
    import(&store, &small_org()).await;
    let version = store.org_version().await.unwrap();
    let new = person("E9", Some("E2"), "ic3");
    let stale =
        store.apply(&[write(new.clone(), Some(link("Nine@Example.com")), version - 1)]).await;
    assert!(
        matches!(stale, Err(StoreError::Conflict(ref message)) if message == DIRECTORY_RACE),
        "{stale:?}"
    );
    assert!(store.person("E9").await.unwrap().is_none(), "a refused write keeps nothing");
    assert_eq!(store.org_version().await.unwrap(), version);

    let mut created = write(new, Some(link("Nine@Example.com")), version);
    if let Change::Directory(write) = &mut created {
        write.added = true;
    }
    store.apply(&[created]).await.unwrap();
    assert_eq!(store.org_version().await.unwrap(), version + 1);
    let user = store.directory_user("E9").await.unwrap().unwrap();
    assert_eq!(user.person.manager_id.unwrap().as_str(), "E2");
    assert_eq!(user.link, link("Nine@Example.com"));
    let by_name = DirectoryFilter::UserName("nine@EXAMPLE.com".to_owned());
    let page = store.directory_users(&by_name, 0, 10).await.unwrap();
    assert_eq!((page.total, page.users.len()), (1, 1));
    let by_external = DirectoryFilter::ExternalId("ext-Nine@Example.com".to_owned());
    assert_eq!(store.directory_users(&by_external, 0, 10).await.unwrap().total, 1);
    // A second link with the same userName, in any case, breaks the database's rule.
    let clash = write(person("E5", Some("E1"), "ic5"), Some(link("NINE@example.com")), version + 1);
    assert!(store.apply(&[clash]).await.is_err());
    assert!(store.directory_user("E5").await.unwrap().is_none());
}

pub async fn a_directory_leaver_moves_their_reports_and_an_unlink_keeps_the_person(
    store: impl Storage + Sync,
) {
    import(&store, &small_org()).await;
    let version = store.org_version().await.unwrap();
    let mut manager = person("E2", Some("E1"), "em");
    store.apply(&[write(manager.clone(), Some(link("two@example.com")), version)]).await.unwrap();
    manager.status = Status::Left;
    let leaves = Change::Directory(DirectoryWrite {
        added: false,
        reports_move_to: Some(Some(PersonId::parse("E1").unwrap())),
        person: manager.clone(),
        link: None,
        org_version: version + 1,
        today: jiff::civil::date(2026, 12, 7),
        at: jiff::Timestamp::from_second(1_800_000_100).unwrap(),
    });
    store.apply(&[leaves]).await.unwrap();
    assert_eq!(store.person("E2").await.unwrap().unwrap().status, Status::Left);
    for report in ["E3", "E4"] {
        let moved = store.person(report).await.unwrap().unwrap();
        assert_eq!(moved.manager_id.unwrap().as_str(), "E1", "{report}");
    }
    assert!(store.directory_user("E2").await.unwrap().is_none(), "no longer a directory user");
    assert_eq!(store.directory_users(&DirectoryFilter::All, 0, 10).await.unwrap().total, 0);
    // A page is bounded and ordered by id.
    let version = store.org_version().await.unwrap();
    let mut changes = Vec::new();
    for (offset, id) in ["E3", "E4", "E5"].into_iter().enumerate() {
        let level = if id == "E5" { "ic5" } else { "ic3" };
        changes.push(write(person(id, Some("E1"), level), Some(link(id)), version + offset as i64));
    }
    for change in changes {
        store.apply(&[change]).await.unwrap();
    }
    let page = store.directory_users(&DirectoryFilter::All, 1, 1).await.unwrap();
    assert_eq!(page.total, 3);
    let ids: Vec<&str> = page.users.iter().map(|user| user.person.id.as_str()).collect();
    assert_eq!(ids, ["E4"]);
}
