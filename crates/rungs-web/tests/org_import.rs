//! Org imports that would mark most of the org as left, through the API: a dry run says so,
//! a real import is refused with 409 and writes nothing, and `allow_leavers` with the number
//! accepts it.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::Value;
use support::spawn_app;

const PARTIAL: &str = "id,name,email,manager_id,title,track,level,team\n\
    P1,Pat Partial,pat@example.com,,CTO,management,cto,Exec\n";

async fn post_csv(app: &support::TestApp, query: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/org/import{query}")))
        .header("x-csrf-token", &app.csrf)
        .header("content-type", "text/csv")
        .body(PARTIAL)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_partial_export_does_not_end_the_org_unless_its_leavers_are_confirmed() {
    let app = spawn_app("org-import-leavers").await;
    let (_, before) = app.get_json("/api/v1/org/stats").await;
    let active = before["people"].as_u64().unwrap();

    let (status, dry) = post_csv(&app, "?dry_run=true").await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["summary"]["left"], active, "{dry}");
    assert_eq!(dry["too_many_leavers"]["left"], active, "the dry run says it would be refused");
    assert_eq!(dry["too_many_leavers"]["share"], 10);

    let (status, refused) = post_csv(&app, "").await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["error"]["field"], "allow_leavers");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "this import would mark {active} of the {active} active people as left (100%"
        )),
        "{message}"
    );
    assert!(message.ends_with(&format!("send allow_leavers={active} to import it")), "{message}");
    assert_eq!(app.get_json("/api/v1/org/stats").await.1, before, "nothing was written");

    let (status, short) = post_csv(&app, "?allow_leavers=3").await;
    assert_eq!(status, 409, "{short}");
    assert!(short["error"]["message"].as_str().unwrap().contains("; 3 were confirmed;"));
    let (status, bad) = post_csv(&app, "?allow_leavers=many").await;
    assert_eq!((status, bad["error"]["field"].as_str()), (400, Some("allow_leavers")), "{bad}");

    let (status, imported) = post_csv(&app, &format!("?allow_leavers={active}")).await;
    assert_eq!(status, 200, "{imported}");
    assert_eq!(imported["summary"]["left"], active);
    assert_eq!(app.get_json("/api/v1/org/stats").await.1["people"], 1);
}
