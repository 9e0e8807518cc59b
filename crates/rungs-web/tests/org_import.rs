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
    post_export(app, query, PARTIAL).await
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

/// The demo org as an HR export, with the last `leavers` people who manage nobody given the
/// status `left`.
fn demo_export(leavers: usize) -> String {
    let people = rungs_demo::generate(rungs_format::builtin(), support::PEOPLE, 42);
    let managers: Vec<String> =
        people.iter().filter_map(|p| p.manager_id.as_ref().map(ToString::to_string)).collect();
    let leaving: Vec<String> = people
        .iter()
        .rev()
        .map(|p| p.id.to_string())
        .filter(|id| !managers.contains(id))
        .take(leavers)
        .collect();
    let mut csv = "id,name,email,manager_id,title,track,level,team,status\n".to_owned();
    for p in &people {
        let status = if leaving.contains(&p.id.to_string()) { "left" } else { "active" };
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{status}\n",
            p.id,
            p.name,
            p.email,
            p.manager_id.clone().unwrap_or_default(),
            p.title,
            p.track,
            p.level,
            p.team
        ));
    }
    csv
}

async fn post_export(app: &support::TestApp, query: &str, csv: &str) -> (u16, Value) {
    let path = format!("/api/v1/org/import{query}");
    app.send_text(reqwest::Method::POST, &path, "text/csv", csv).await
}

/// Rows that say `left` make leavers as surely as rows left out: 8 of 60 (13%) are refused
/// without their number, and then counted as left, not as updated.
#[tokio::test]
async fn leavers_marked_by_status_meet_the_leaver_guard() {
    let app = spawn_app("org-import-status-leavers").await;
    let csv = demo_export(8);
    let (status, refused) = post_export(&app, "", &csv).await;
    assert_eq!(status, 409, "{refused}");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("this import would mark 8 of the 60 active people as left"),
        "{message}"
    );
    assert_eq!(app.get_json("/api/v1/org/stats").await.1["people"], 60, "nothing was written");
    let (status, imported) = post_export(&app, "?allow_leavers=8", &csv).await;
    assert_eq!(status, 200, "{imported}");
    assert_eq!(imported["summary"]["left"], 8, "{imported}");
    assert_eq!(imported["summary"]["updated"], 0, "{imported}");
    assert_eq!(app.get_json("/api/v1/org/stats").await.1["people"], 52);
}

/// The token of the preview page `html`.
fn token_of(html: &str) -> String {
    html.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

async fn preview(app: &support::TestApp, csv: &str) -> String {
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("next.csv");
    let response = app
        .client
        .post(app.url(&format!("/admin/org?csrf={}", app.csrf)))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// A preview can be cancelled, which drops the kept upload; and a preview that another import
/// overtook is refused, since it no longer says what the import would do.
#[tokio::test]
async fn a_preview_is_cancelled_or_goes_stale_and_then_imports_nothing() {
    let app = spawn_app("org-import-cancel").await;
    let csv = demo_export(1);
    let html = preview(&app, &csv).await;
    assert!(html.contains("formaction=\"/admin/org/cancel\""), "Cancel posts the form: {html}");
    let token = token_of(&html);
    let cancelled = app.post_form("/admin/org/cancel", &[("token", &token)]).await;
    assert_eq!(cancelled.status(), 200);
    assert!(
        cancelled.text().await.unwrap().contains("The import was cancelled; nothing was imported.")
    );
    let confirmed =
        app.post_form("/admin/org/confirm", &[("token", &token), ("confirmed", "yes")]).await;
    assert_eq!(confirmed.status(), 409);
    assert!(confirmed.text().await.unwrap().contains("cancelled, or expired"));

    let token = token_of(&preview(&app, &csv).await);
    let (status, _) = post_export(&app, "", &demo_export(0)).await;
    assert_eq!(status, 200, "another import comes first");
    let stale =
        app.post_form("/admin/org/confirm", &[("token", &token), ("confirmed", "yes")]).await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("the org was imported again after this preview of next.csv"), "{html}");
    assert_eq!(app.get_json("/api/v1/org/stats").await.1["people"], 60, "nobody left");
}
