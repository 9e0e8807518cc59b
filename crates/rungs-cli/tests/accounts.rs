//! `rungs user`, `rungs token` and `rungs audit` through the real binary, on SQLite and (when
//! `RUNGS_TEST_PG_URL` is set) PostgreSQL: passwords come from standard input, never from an
//! argument; every refusal shows its message and writes nothing; every change is audited.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::Value;
use support::{Test, postgres_database, temp_folder};

const ORG: &str = "id,name,email,manager_id,title,track,level,team
E1,Ada Lovelace,Ada@Example.com,,,management,director,Platform
E2,Grace Hopper,grace@example.com,E1,,management,em,Platform
";

fn json(url: &str, arguments: &[&str]) -> Value {
    let mut all: Vec<&str> = arguments.to_vec();
    all.push("--json");
    serde_json::from_str(&Test::new().db(url).args(all).stdout()).unwrap()
}

fn refused(url: &str, arguments: &[&str], stdin: &str) -> String {
    let run = Test::new().db(url).args(arguments.iter().copied()).stdin(stdin).run().status(2);
    run.stderr
}

fn accounts_tokens_and_audit(url: &str, folder: &std::path::Path) {
    let org = folder.join("org.csv");
    std::fs::write(&org, ORG).unwrap();
    Test::new().db(url).args(["org", "import", &org.display().to_string()]).stdout();

    let added =
        Test::new().db(url).args(["user", "add", "ADA@example.com", "--role", "admin"]).stdout();
    assert!(added.starts_with("Added ada@example.com as admin, linked to person E1."), "{added}");
    let stranger =
        Test::new().db(url).args(["user", "add", "hr@example.com", "--role", "hr"]).stdout();
    assert!(stranger.contains("not linked to anyone in the org"), "{stranger}");
    assert!(
        refused(url, &["user", "add", "ada@example.com"], "")
            .contains("an account with this email already exists")
    );
    assert!(
        refused(url, &["user", "add", "ada"], "")
            .contains("email: `ada` is not an email address such as ada@example.com")
    );
    assert!(
        refused(url, &["user", "add", "x@example.com", "--role", "boss"], "")
            .contains("`boss` is not a role; use employee, hr, admin or (for a token) scim")
    );
    assert!(
        refused(url, &["user", "set-password", "ada@example.com"], "short\n")
            .contains("password: a password needs at least 10 characters")
    );
    assert!(
        refused(url, &["user", "set-password", "nobody@example.com"], "long enough password\n")
            .contains("there is no account `nobody@example.com`")
    );
    let set = Test::new()
        .db(url)
        .args(["user", "set-password", "ada@example.com"])
        .stdin("long enough password\n")
        .stdout();
    assert_eq!(set.trim(), "Set the password of ada@example.com.");
    Test::new().db(url).args(["user", "set-role", "hr@example.com", "--role", "employee"]).stdout();
    let users = json(url, &["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 2, "the refusals wrote nothing");
    assert_eq!(users[0]["email"], "ada@example.com");
    assert_eq!(
        (users[0]["person"].as_str(), users[0]["password"].as_bool()),
        (Some("E1"), Some(true))
    );
    assert_eq!(
        (users[1]["role"].as_str(), users[1]["password"].as_bool()),
        (Some("employee"), Some(false))
    );

    let created = Test::new()
        .db(url)
        .args(["token", "create", "--name", "hr-sync", "--role", "hr"])
        .run()
        .status(0);
    let secret = created.stdout.trim().to_owned();
    assert!(secret.starts_with("rungs_") && secret.len() == 70, "{secret}");
    assert!(created.stderr.contains("It is shown only now"));
    let tokens = json(url, &["token", "list"]);
    assert_eq!(
        (tokens[0]["name"].as_str(), tokens[0]["revoked_at"].as_str()),
        (Some("hr-sync"), None)
    );
    assert!(!tokens.to_string().contains(&secret), "the secret is never shown again");
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    assert!(
        Test::new().db(url).args(["token", "revoke", &id]).stdout().contains("no longer works")
    );
    assert!(
        refused(url, &["token", "revoke", &id], "")
            .contains(&format!("there is no token {id} that is not already revoked"))
    );
    assert!(json(url, &["token", "list"])[0]["revoked_at"].is_string());

    Test::new().db(url).args(["user", "add", "gone@example.com"]).stdout();
    let removed = Test::new().db(url).args(["user", "remove", "gone@example.com"]).stdout();
    assert!(removed.starts_with("Removed gone@example.com; its sessions ended."), "{removed}");
    assert!(
        refused(url, &["user", "remove", "gone@example.com"], "")
            .contains("there is no account `gone@example.com`")
    );

    let entries = json(url, &["audit"]);
    let actions: Vec<&str> =
        entries.as_array().unwrap().iter().map(|entry| entry["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "account.remove",
            "account.create",
            "token.revoke",
            "token.create",
            "account.role",
            "account.password",
            "account.create",
            "account.create",
            "org.import"
        ]
    );
    assert!(entries.as_array().unwrap().iter().all(|entry| entry["actor"] == "cli"));
    assert_eq!(entries[4]["before"]["role"], "hr");
    assert!(!entries.to_string().contains("long enough password"), "no password in the log");
    let text =
        Test::new().db(url).args(["audit", "--since", "2000-01-01", "--limit", "1"]).stdout();
    assert!(text.contains("cli  account.remove  account gone@example.com"), "{text}");
    assert!(
        refused(url, &["audit", "--since", "last week"], "")
            .contains("--since `last week` is not a date such as 2026-09-14")
    );
    assert_eq!(json(url, &["audit", "--person", "E1"]).as_array().unwrap().len(), 0);
}

#[test]
fn accounts_tokens_and_the_audit_log_on_sqlite() {
    let folder = temp_folder("cli-accounts");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    accounts_tokens_and_audit(&url, &folder);
}

#[test]
fn accounts_tokens_and_the_audit_log_on_postgres() {
    let Some(url) = postgres_database("accounts") else { return };
    accounts_tokens_and_audit(&url, &temp_folder("cli-accounts-pg"));
}

#[test]
fn the_demo_never_takes_over_a_real_orgs_database() {
    let folder = temp_folder("cli-demo-refused");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    let org = folder.join("org.csv");
    std::fs::write(&org, ORG).unwrap();
    Test::new().db(&url).args(["org", "import", &org.display().to_string()]).stdout();
    Test::new().db(&url).args(["user", "add", "ada@example.com", "--role", "admin"]).stdout();
    let refused = refused(&url, &["serve", "--demo", "--addr", "127.0.0.1:0"], "");
    assert!(
        refused.contains(
            "--demo gives the accounts it creates one printed password, so it needs an empty database"
        ),
        "{refused}"
    );
    let users = json(&url, &["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 1, "no demo accounts were made");
}
