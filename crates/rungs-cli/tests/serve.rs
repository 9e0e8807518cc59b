//! `rungs serve` as a process: it prints where it listens, logs one line per request with the
//! path and never the query, and stops on SIGTERM after writing every queued log line.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use support::serving::{Serving, get};
use support::{Test, temp_folder};

#[test]
fn requests_are_logged_by_path_and_sigterm_stops_the_server() {
    let folder = temp_folder("cli-serve-log");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    let server = Serving::start(&url, &[]);
    let address = server.address.clone();
    assert!(get(&address, "/healthz").contains("200"));
    // With no account yet, signing in sends the browser to the first-run set-up.
    let set_up = get(&address, "/sign-in?next=/setup%3Fcode%3Dsecret-code-123");
    assert!(set_up.contains("303"), "{set_up}");
    let rest = server.stop();
    let requests: Vec<&str> = rest.lines().filter(|line| line.contains("rungs::request")).collect();
    assert_eq!(requests.len(), 2, "one line per request:\n{rest}");
    assert!(requests[0].contains("method=GET") && requests[0].contains("path=/healthz"), "{rest}");
    assert!(requests[0].contains("status=200") && requests[0].contains("latency_us="), "{rest}");
    assert!(requests[1].contains("path=/sign-in status=303"), "{rest}");
    assert!(!rest.contains("secret-code-123"), "queries never reach the log:\n{rest}");
    assert!(rest.contains("shutting down"), "{rest}");
}

/// `serve --demo` fills an empty database (in a child process, `rungs demo load`, whose
/// summary shows in the server's messages) and serves what it loaded; started again on the same
/// database it loads nothing more and changes no password.
#[test]
fn serve_demo_fills_an_empty_database_once() {
    let folder = temp_folder("cli-serve-demo");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    let demo = ["--demo", "--demo-people", "40"];
    let first = Serving::start(&url, &demo);
    assert!(first.printed.contains("Loading a demo org of 40 people"), "{}", first.printed);
    assert!(first.printed.contains("cycles with"), "the loader's summary: {}", first.printed);
    assert!(get(&first.address, "/healthz").contains("200"));
    let rest = first.stop();
    assert!(rest.contains("the 42 accounts created now have the password"), "{rest}");
    let created = audit_actions(&url);
    assert_eq!(created.iter().filter(|action| *action == "account.create").count(), 42);

    let again = Serving::start(&url, &demo);
    assert!(!again.printed.contains("Loading"), "loaded twice: {}", again.printed);
    assert!(get(&again.address, "/healthz").contains("200"));
    let rest = again.stop();
    assert!(rest.contains("the password printed when the demo was loaded"), "{rest}");
    assert_eq!(audit_actions(&url), created, "the second start wrote nothing");
    std::fs::remove_dir_all(&folder).unwrap();
}

/// The audit log's actions, newest first.
fn audit_actions(url: &str) -> Vec<String> {
    let json = Test::new().db(url).args(["audit", "--json"]).stdout();
    let entries: serde_json::Value = serde_json::from_str(&json).unwrap();
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap().to_owned())
        .collect()
}

/// A database that served the demo and then got an org of its own is never served as the demo
/// again: `--demo` refuses, says why, and changes nothing (no password of the real accounts is
/// replaced, no account is created).
#[test]
fn serve_demo_refuses_a_database_with_an_org_of_its_own() {
    let folder = temp_folder("cli-serve-demo-real");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    let demo = ["--demo", "--demo-people", "30"];
    Serving::start(&url, &demo).stop();
    let real = folder.join("real.csv");
    std::fs::write(
        &real,
        "id,name,email,manager_id,title,track,level,team\n\
         C1,Cleo Chief,ceo@example.com,,CTO,management,cto,Exec\n\
         C2,Dan Dev,dan@example.com,C1,Engineer,ic,ic3,Core\n",
    )
    .unwrap();
    Test::new()
        .db(&url)
        .args(["org", "import", "--allow-leavers", "30", real.to_str().unwrap()])
        .stdout();
    Test::new().db(&url).args(["user", "add", "ceo@example.com", "--role", "admin"]).stdout();
    Test::new()
        .db(&url)
        .args(["user", "set-password", "ceo@example.com"])
        .stdin("the CEO's own password 123\n")
        .stdout();
    let before = audit_actions(&url);

    let refused = Test::new()
        .db(&url)
        .args(["serve", "--addr", "127.0.0.1:0", "--demo", "--demo-people", "30"])
        .run()
        .status(2);
    assert!(
        refused.stderr.contains(&format!(
            "--demo gives the accounts it creates one printed password, so it needs an empty database or one that `serve --demo` filled; {url} holds an org of 2 people imported from `{}`, so nothing was changed",
            real.display()
        )),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains("Rungs is serving"), "{}", refused.stderr);
    assert_eq!(audit_actions(&url), before, "nothing was written");
    std::fs::remove_dir_all(&folder).unwrap();
}

/// The demo's own import is told by who made it, not by its file name: a real org imported
/// from a file that happens to be named like the demo's is not the demo.
#[test]
fn serve_demo_refuses_an_org_imported_under_the_demo_file_name() {
    let folder = temp_folder("cli-serve-demo-named");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    Serving::start(&url, &["--demo", "--demo-people", "30"]).stop();
    std::fs::write(
        folder.join("<demo org>.csv"),
        "id,name,email,manager_id,title,track,level,team\n\
         C1,Cleo Chief,ceo@example.com,,CTO,management,cto,Exec\n",
    )
    .unwrap();
    Test::new()
        .db(&url)
        .current_dir(&folder)
        .args(["org", "import", "--allow-leavers", "30", "<demo org>.csv"])
        .stdout();
    let refused = Test::new()
        .db(&url)
        .args(["serve", "--addr", "127.0.0.1:0", "--demo", "--demo-people", "30"])
        .run()
        .status(2);
    assert!(
        refused.stderr.contains(
            "holds an org of 1 people imported from `<demo org>.csv`, so nothing was changed"
        ),
        "{}",
        refused.stderr
    );
    // `demo load` fills only an empty database: not one with accounts.
    let other = folder.join("accounts.db");
    let other = format!("sqlite://{}", other.display());
    Test::new().db(&other).args(["user", "add", "ada@example.com", "--role", "admin"]).stdout();
    let load = Test::new().db(&other).args(["demo", "load", "--people", "20"]).run().status(2);
    assert!(
        load.stderr.contains("`demo load` fills an empty database (no people, no accounts)"),
        "{}",
        load.stderr
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

/// A database with accounts but no org is not empty: `--demo` refuses it too.
#[test]
fn serve_demo_refuses_a_database_with_accounts_and_no_org() {
    let folder = temp_folder("cli-serve-demo-accounts");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    Test::new().db(&url).args(["user", "add", "ada@example.com", "--role", "admin"]).stdout();
    let before = audit_actions(&url);
    let refused =
        Test::new().db(&url).args(["serve", "--addr", "127.0.0.1:0", "--demo"]).run().status(2);
    assert!(
        refused.stderr.contains("holds accounts but no org, so nothing was changed"),
        "{}",
        refused.stderr
    );
    assert_eq!(audit_actions(&url), before, "nothing was written");
    std::fs::remove_dir_all(&folder).unwrap();
}

/// A SIGTERM sent the moment the server says where it serves finds its handler: the server
/// always ends cleanly, never by the signal's default action.
#[test]
fn sigterm_right_after_start_stops_the_server_cleanly() {
    let folder = temp_folder("cli-serve-early-sigterm");
    let url = format!("sqlite://{}", folder.join("rungs.db").display());
    for _ in 0..5 {
        let rest = Serving::start(&url, &[]).stop();
        assert!(rest.contains("shutting down"), "{rest}");
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
