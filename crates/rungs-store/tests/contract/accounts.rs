//! The storage contract for accounts, sessions, API tokens, sign-in throttling and the audit
//! log: what is written reads back the same on both backends, duplicates are refused with a
//! message, and the audit log refuses to change.

use jiff::Timestamp;
use rungs_core::access::Role;
use rungs_core::org::{Email, PersonId};
use rungs_store::{
    AccountChange, Accounts, AuditEntry, AuditFilter, Change, Records, Storage, StoreError,
};

use super::{import, small_org};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + seconds).unwrap()
}

fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

fn account(change: AccountChange) -> Change {
    Change::Account(change)
}

pub async fn accounts_link_to_people_by_email(store: impl Storage + Sync) {
    import(&store, &small_org()).await;
    let keys = store
        .apply(&[account(AccountChange::CreateAccount {
            email: email("e2@example.com"),
            role: Role::Employee,
            password_hash: Some("$argon2id$hash".to_owned()),
            at: at(0),
        })])
        .await
        .unwrap();
    assert!(keys[0].is_some(), "the account's key");
    let stored = store.account(&email("E2@Example.com")).await.unwrap().unwrap();
    assert_eq!(stored.person, Some(PersonId::parse("E2").unwrap()));
    assert_eq!(
        (stored.role, stored.password_hash.as_deref()),
        (Role::Employee, Some("$argon2id$hash"))
    );
    let twice = store
        .apply(&[account(AccountChange::CreateAccount {
            email: email("e2@example.com"),
            role: Role::Hr,
            password_hash: None,
            at: at(1),
        })])
        .await;
    assert!(
        matches!(&twice, Err(StoreError::Conflict(message)) if message == "an account with this email already exists"),
        "{twice:?}"
    );
    let first = store
        .apply(&[account(AccountChange::CreateFirstAccount {
            email: email("root@example.com"),
            password_hash: "$argon2id$root".to_owned(),
            at: at(2),
        })])
        .await;
    assert!(matches!(first, Err(StoreError::Conflict(_))), "the first account exists already");
    store
        .apply(&[account(AccountChange::SetRole {
            email: email("e2@example.com"),
            role: Role::Admin,
        })])
        .await
        .unwrap();
    let demo = store
        .apply(&[account(AccountChange::CreateAccountsForPeople {
            password_hash: "$argon2id$demo".to_owned(),
            at: at(3),
            actor: "demo".to_owned(),
        })])
        .await
        .unwrap();
    assert_eq!(demo[0], Some(4), "everyone active who had no account");
    assert_eq!(store.account_count().await.unwrap(), 5);
    let kept = store.account(&email("e2@example.com")).await.unwrap().unwrap();
    assert_eq!(
        (kept.role, kept.password_hash.as_deref()),
        (Role::Admin, Some("$argon2id$hash")),
        "an existing account keeps its role and its password"
    );
    let made = store.account(&email("e3@example.com")).await.unwrap().unwrap();
    assert_eq!(made.password_hash.as_deref(), Some("$argon2id$demo"));
    assert!(store.account(&email("nobody@example.com")).await.unwrap().is_none());
    // Each account created has its own audit entry, in the same transaction.
    let created = store.audit(&AuditFilter::default()).await.unwrap();
    let created: Vec<_> = created
        .iter()
        .filter(|record| record.entry.action == "account.create" && record.entry.actor == "demo")
        .map(|record| (record.entry.target.as_str(), record.entry.after.as_deref()))
        .collect();
    assert_eq!(created.len(), 4, "{created:?}");
    assert!(created.contains(&(
        "account e3@example.com",
        Some(r#"{"email":"e3@example.com","role":"employee"}"#)
    )));
    assert!(!created.iter().any(|(target, _)| *target == "account e2@example.com"));

    // An import that changes E2's email unlinks the account; one that gives it back relinks it.
    let mut moved = small_org();
    moved[1].email = email("grace@example.com");
    import(&store, &moved).await;
    assert_eq!(store.account(&email("e2@example.com")).await.unwrap().unwrap().person, None);
    assert_eq!(
        store.account(&email("e3@example.com")).await.unwrap().unwrap().person,
        Some(PersonId::parse("E3").unwrap())
    );
    import(&store, &small_org()).await;
    assert_eq!(
        store.account(&email("e2@example.com")).await.unwrap().unwrap().person,
        Some(PersonId::parse("E2").unwrap())
    );
}

pub async fn sessions_and_tokens_are_found_by_their_hash(store: impl Storage + Sync) {
    store
        .apply(&[account(AccountChange::CreateAccount {
            email: email("ada@example.com"),
            role: Role::Hr,
            password_hash: None,
            at: at(0),
        })])
        .await
        .unwrap();
    let session = |hash: &str, expires| {
        account(AccountChange::CreateSession {
            token_hash: hash.to_owned(),
            email: email("ada@example.com"),
            csrf_token: format!("csrf-{hash}"),
            at: at(0),
            expires_at: at(expires),
        })
    };
    store.apply(&[session("one", 100), session("two", 10), session("three", 100)]).await.unwrap();
    let found = store.session("one").await.unwrap().unwrap();
    assert_eq!(
        (found.account.role, found.csrf_token.as_str(), found.expires_at),
        (Role::Hr, "csrf-one", at(100))
    );
    assert!(store.session("four").await.unwrap().is_none());
    let expired =
        store.apply(&[account(AccountChange::EndExpiredSessions { now: at(50) })]).await.unwrap();
    assert_eq!(expired[0], Some(1));
    let others = store
        .apply(&[account(AccountChange::EndOtherSessions {
            email: email("ada@example.com"),
            keep_token_hash: "one".to_owned(),
        })])
        .await
        .unwrap();
    assert_eq!(others[0], Some(1));
    assert!(store.session("three").await.unwrap().is_none());
    store
        .apply(&[account(AccountChange::EndSession { token_hash: "one".to_owned() })])
        .await
        .unwrap();
    assert!(store.session("one").await.unwrap().is_none());

    let id = create_hr_sync_token(&store).await;
    assert_eq!(store.token("hashed").await.unwrap().unwrap().revoked_at, None);
    store.apply(&[account(AccountChange::RevokeToken { id, at: at(6) })]).await.unwrap();
    assert_eq!(store.token("hashed").await.unwrap().unwrap().revoked_at, Some(at(6)));
    let again = store.apply(&[account(AccountChange::RevokeToken { id, at: at(7) })]).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "revoked once");
    assert_eq!(store.tokens().await.unwrap().len(), 1);
}

/// Creates the `hr-sync` token (hash `hashed`) and returns its id.
async fn create_hr_sync_token(store: &(impl Storage + Sync)) -> i64 {
    let keys = store
        .apply(&[account(AccountChange::CreateToken {
            name: "hr-sync".to_owned(),
            token_hash: "hashed".to_owned(),
            role: Role::Hr,
            at: at(5),
        })])
        .await
        .unwrap();
    keys[0].unwrap()
}

pub async fn failed_sign_ins_count_within_a_window(store: impl Storage + Sync) {
    let fail = |seconds: i64| {
        account(AccountChange::RecordSignInFailure {
            key: "account:ada@example.com".to_owned(),
            at: at(seconds),
            window_start: at(seconds - 900),
        })
    };
    store.apply(&[fail(0), fail(10), fail(20)]).await.unwrap();
    let counted = store.sign_in_failures("account:ada@example.com").await.unwrap().unwrap();
    assert_eq!((counted.count, counted.first_at), (3, at(0)));
    store.apply(&[fail(1000)]).await.unwrap();
    let restarted = store.sign_in_failures("account:ada@example.com").await.unwrap().unwrap();
    assert_eq!((restarted.count, restarted.first_at), (1, at(1000)), "an old count starts again");
    store
        .apply(&[account(AccountChange::ClearSignInFailures {
            key: "account:ada@example.com".to_owned(),
        })])
        .await
        .unwrap();
    assert!(store.sign_in_failures("account:ada@example.com").await.unwrap().is_none());
}

pub async fn the_audit_log_reads_back_newest_first(store: impl Storage + Sync) {
    let entry = |seconds: i64, person: Option<&str>, action: &str| {
        Change::Audit(AuditEntry {
            at: at(seconds),
            actor: "ada@example.com".to_owned(),
            action: action.to_owned(),
            target: "assessment 1".to_owned(),
            person: person.map(|id| PersonId::parse(id).unwrap()),
            before: Some(r#"{"rating":null}"#.to_owned()),
            after: Some(r#"{"rating":"meets"}"#.to_owned()),
        })
    };
    store
        .apply(&[
            entry(0, Some("E2"), "assessment.rate"),
            entry(100, None, "cycle.open"),
            entry(200, Some("E2"), "assessment.submit"),
        ])
        .await
        .unwrap();
    let all = store.audit(&AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = all.iter().map(|record| record.entry.action.as_str()).collect();
    assert_eq!(actions, ["assessment.submit", "cycle.open", "assessment.rate"]);
    assert_eq!(all[2].entry.before.as_deref(), Some(r#"{"rating":null}"#));
    let about = AuditFilter {
        person: Some(PersonId::parse("E2").unwrap()),
        since: Some(at(50)),
        limit: None,
    };
    let narrowed = store.audit(&about).await.unwrap();
    assert_eq!(narrowed.len(), 1);
    assert_eq!(narrowed[0].entry.action, "assessment.submit");
    let limited =
        store.audit(&AuditFilter { limit: Some(2), ..AuditFilter::default() }).await.unwrap();
    assert_eq!(limited.len(), 2);
}

/// Two handles on one database, as a server and the CLI would be: what one writes about
/// sessions, accounts and tokens, the other sees at its next read, although it answers
/// repeated session and token reads from memory (SQLite) where it can.
pub async fn sessions_and_tokens_changed_elsewhere_count_at_once(
    here: impl Storage + Sync,
    elsewhere: impl Storage + Sync,
) {
    elsewhere
        .apply(&[
            account(AccountChange::CreateAccount {
                email: email("ada@example.com"),
                role: Role::Hr,
                password_hash: None,
                at: at(0),
            }),
            account(AccountChange::CreateSession {
                token_hash: "one".to_owned(),
                email: email("ada@example.com"),
                csrf_token: "csrf-one".to_owned(),
                at: at(0),
                expires_at: at(100),
            }),
        ])
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(here.session("one").await.unwrap().unwrap().account.role, Role::Hr);
    }
    assert!(here.session("two").await.unwrap().is_none());

    elsewhere
        .apply(&[account(AccountChange::SetRole {
            email: email("ada@example.com"),
            role: Role::Employee,
        })])
        .await
        .unwrap();
    assert_eq!(
        here.session("one").await.unwrap().unwrap().account.role,
        Role::Employee,
        "a role taken away counts at once"
    );
    elsewhere
        .apply(&[account(AccountChange::CreateSession {
            token_hash: "two".to_owned(),
            email: email("ada@example.com"),
            csrf_token: "csrf-two".to_owned(),
            at: at(1),
            expires_at: at(100),
        })])
        .await
        .unwrap();
    assert!(here.session("two").await.unwrap().is_some(), "a session not found before is now");
    elsewhere
        .apply(&[account(AccountChange::EndSession { token_hash: "one".to_owned() })])
        .await
        .unwrap();
    assert!(here.session("one").await.unwrap().is_none(), "a sign-out counts at once");

    let id = create_hr_sync_token(&elsewhere).await;
    for _ in 0..3 {
        assert_eq!(here.token("hashed").await.unwrap().unwrap().revoked_at, None);
    }
    elsewhere.apply(&[account(AccountChange::RevokeToken { id, at: at(6) })]).await.unwrap();
    assert_eq!(
        here.token("hashed").await.unwrap().unwrap().revoked_at,
        Some(at(6)),
        "a revoked token counts at once"
    );
}
