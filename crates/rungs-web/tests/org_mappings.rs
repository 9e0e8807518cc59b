//! Import mappings from the API and the admin page: saved by name (refused with the mapping's
//! line when wrong), listed, read and removed; and used by an org import from either edge,
//! the web one previewing what the mapping skips before anything is written.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::Value;
use support::{TestApp, spawn_app};

const MAPPING: &str = "[columns]\nid = \"Employee Number\"\nname = \"Full Name\"\nemail = \"Work Email\"\nmanager_id = \"Supervisor ID\"\nlevel = \"Job Level\"\nteam = \"Department\"\nhire_date = \"Start Date\"\nlevel_since = \"In Level Since\"\n\n[levels]\nDIR = \"director\"\n\n[off_ladder]\nlevels = [\"CEO\"]\n";

/// The demo org as its HR system would export it: its own headers, level codes in capitals
/// (`director` as `DIR`), and a CEO above the top, who is not on the ladder.
fn export() -> String {
    let people = rungs_demo::generate(rungs_format::builtin(), support::PEOPLE, 42);
    let mut csv = "Employee Number,Full Name,Work Email,Supervisor ID,Job Level,Department,Start Date,In Level Since\n".to_owned();
    csv.push_str("X1,Pat Chief,pat@example.com,,CEO,Exec,,\n");
    for p in &people {
        let level = if p.level.as_str() == "director" {
            "DIR".to_owned()
        } else {
            p.level.as_str().to_uppercase()
        };
        let manager = p.manager_id.as_ref().map_or("X1".to_owned(), ToString::to_string);
        csv.push_str(&format!(
            "{},{},{},{manager},{level},{},4 Mar 2019,2025-10-01\n",
            p.id, p.name, p.email, p.team
        ));
    }
    csv
}

async fn put_mapping(app: &TestApp, name: &str, body: &str) -> (u16, Value) {
    let path = format!("/api/v1/org/mappings/{name}");
    app.send_text(reqwest::Method::PUT, &path, "application/toml", body).await
}

async fn import(app: &TestApp, query: &str) -> (u16, Value) {
    let path = format!("/api/v1/org/import{query}");
    app.send_text(reqwest::Method::POST, &path, "text/csv", &export()).await
}

#[tokio::test]
async fn the_api_keeps_mappings_by_name_and_imports_with_them() {
    let app = spawn_app("api-mappings").await;
    let (status, bad) =
        put_mapping(&app, "bamboo", "[columns]\nid = \"No\"\nlevle = \"Grade\"\n").await;
    assert_eq!((status, bad["error"]["field"].as_str()), (422, Some("mapping")), "{bad}");
    let message = bad["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "mapping bamboo line 3: `levle` is not a roster field (did you mean `level`?)"
        ),
        "{message}"
    );
    let (status, bad) = put_mapping(&app, "bamboo", "[levels]\nM1 = \"emm\"\n").await;
    assert_eq!(status, 422, "{bad}");
    assert!(
        bad["error"]["message"].as_str().unwrap().starts_with(
            "mapping bamboo line 2: `emm` is not a level of the ladder (did you mean `em`?)"
        ),
        "{bad}"
    );
    let (status, empty) = put_mapping(&app, "bamboo", " \n").await;
    assert_eq!((status, empty["error"]["field"].as_str()), (422, Some("mapping")), "{empty}");
    let (status, bad) = put_mapping(&app, "Bamboo HR", MAPPING).await;
    assert_eq!((status, bad["error"]["field"].as_str()), (422, Some("name")), "{bad}");
    assert_eq!(
        app.get_json("/api/v1/org/mappings").await.1["mappings"],
        serde_json::json!([]),
        "nothing was saved"
    );

    let (status, saved) = put_mapping(&app, "bamboo", MAPPING).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["name"], "bamboo");
    let (_, listed) = app.get_json("/api/v1/org/mappings").await;
    assert_eq!(listed["mappings"][0]["name"], "bamboo");
    let (_, shown) = app.get_json("/api/v1/org/mappings/bamboo").await;
    assert_eq!(shown["source"], MAPPING);

    let (status, unmapped) = import(&app, "?dry_run=true").await;
    assert_eq!(status, 422, "{unmapped}");
    let (status, unknown) = import(&app, "?dry_run=true&mapping=bambo").await;
    assert_eq!((status, unknown["error"]["field"].as_str()), (422, Some("mapping")), "{unknown}");
    assert!(
        unknown["error"]["message"].as_str().unwrap().contains("(did you mean `bamboo`?)"),
        "{unknown}"
    );
    let (status, dry) = import(&app, "?dry_run=true&mapping=bamboo").await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["skipped"], 1, "{dry}");
    assert_eq!(dry["skipped_named"][0], "Pat Chief (X1), CEO");
    assert_eq!(
        dry["summary"]["updated"],
        support::PEOPLE,
        "the same org, exported another way, with hire dates: {dry}"
    );

    let response = app
        .client
        .delete(app.url("/api/v1/org/mappings/bamboo"))
        .header("x-csrf-token", &app.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.get("/api/v1/org/mappings/bamboo").await.status(), 404);
}

#[tokio::test]
async fn the_admin_page_saves_a_mapping_and_previews_an_upload_with_it() {
    let app = spawn_app("web-mappings").await;
    let post = |path: &str, parts: Vec<(&'static str, &'static str, Vec<u8>)>| {
        let mut form = reqwest::multipart::Form::new();
        for (field, file_name, bytes) in parts {
            form = if file_name.is_empty() {
                form.text(field, String::from_utf8(bytes).unwrap())
            } else {
                form.part(field, reqwest::multipart::Part::bytes(bytes).file_name(file_name))
            };
        }
        app.client.post(app.url(&format!("{path}?csrf={}", app.csrf))).multipart(form).send()
    };
    let refused = post(
        "/admin/mappings",
        vec![
            ("mapping", "", b"bamboo".to_vec()),
            ("file", "bamboo.toml", b"[levels]\nM1 = \"emm\"\n".to_vec()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("The mapping was not saved"), "{html}");
    assert!(html.contains("mapping bamboo line 2: `emm` is not a level of the ladder"), "{html}");

    let saved = post(
        "/admin/mappings",
        vec![
            ("mapping", "", b"bamboo".to_vec()),
            ("file", "bamboo.toml", MAPPING.as_bytes().to_vec()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(saved.status(), 200);
    let html = saved.text().await.unwrap();
    assert!(html.contains("Saved the import mapping bamboo from bamboo.toml"), "{html}");
    assert!(
        html.contains("<option value=\"bamboo\">bamboo</option>"),
        "the upload form offers it: {html}"
    );

    let unknown = post(
        "/admin/org",
        vec![("mapping", "", b"nope".to_vec()), ("file", "hr.csv", export().into_bytes())],
    )
    .await
    .unwrap();
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("there is no import mapping `nope`"));

    let preview = post(
        "/admin/org",
        vec![("mapping", "", b"bamboo".to_vec()), ("file", "hr.csv", export().into_bytes())],
    )
    .await
    .unwrap();
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(
        html.contains("Skipped as off the ladder, by the mapping: Pat Chief (X1), CEO."),
        "{html}"
    );
    assert!(html.contains("Nobody is marked as left."), "{html}");
    let token =
        html.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let imported =
        app.post_form("/admin/org/confirm", &[("token", &token), ("confirmed", "yes")]).await;
    assert_eq!(imported.status(), 200);
    let html = imported.text().await.unwrap();
    let expected = format!("hr.csv: imported {0} people: 0 added, {0} updated", support::PEOPLE);
    assert!(html.contains(&expected), "the dates are new to everyone: {html}");
    // The person page says how long each person has been at their level.
    let someone = &rungs_demo::generate(rungs_format::builtin(), support::PEOPLE, 42)[5];
    let page = app.get(&format!("/people/{}", someone.id)).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"tenure\">At "), "{page}");
    assert!(page.contains(", since 2025-10-01; joined 2019-03-04."), "{page}");

    let asked = app.post_form("/admin/mappings/remove", &[("name", "bamboo")]).await;
    assert_eq!(asked.status(), 200);
    let html = asked.text().await.unwrap();
    assert!(html.contains("Remove the import mapping bamboo?"), "it asks first: {html}");
    assert_eq!(app.get_json("/api/v1/org/mappings").await.1["mappings"][0]["name"], "bamboo");
    let removed =
        app.post_form("/admin/mappings/remove", &[("name", "bamboo"), ("confirmed", "yes")]).await;
    assert!(removed.text().await.unwrap().contains("Removed the import mapping bamboo."));
    assert_eq!(app.get_json("/api/v1/org/mappings").await.1["mappings"], serde_json::json!([]));
}

#[tokio::test]
async fn a_member_kept_off_the_ladder_has_pages_but_no_level_readiness_or_assessments() {
    let app = spawn_app("api-mappings-keep").await;
    let keep = format!("{MAPPING}people = \"keep\"\n");
    assert_eq!(put_mapping(&app, "keep", &keep).await.0, 200);
    let (status, imported) = import(&app, "?mapping=keep").await;
    assert_eq!(status, 200, "{imported}");
    assert_eq!(imported["summary"]["added"], 1, "the CEO is added: {imported}");

    let (status, ceo) = app.get_json("/api/v1/people/X1").await;
    assert_eq!(status, 200, "{ceo}");
    assert_eq!((&ceo["person"]["level"], &ceo["person"]["track"]), (&Value::Null, &Value::Null));
    // The top of the demo org now reports to the CEO, whose page shows their line.
    let top = rungs_demo::generate(rungs_format::builtin(), support::PEOPLE, 42)
        .into_iter()
        .find(|person| person.manager_id.is_none())
        .unwrap();
    let (_, below) = app.get_json(&format!("/api/v1/people/{}", top.id)).await;
    assert_eq!(below["managers"][0]["id"], "X1", "{below}");
    let page = app.get("/people/X1").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Off the ladder"), "the page says so");
    assert!(html.contains(&format!("/people/{}", top.id)), "and lists their reports");
    assert_eq!(app.get("/team/X1").await.status(), 200);
    assert_eq!(app.get("/org").await.status(), 200);

    let (status, readiness) = app.get_json("/api/v1/people/X1/readiness").await;
    assert_eq!(status, 422, "{readiness}");
    assert!(readiness["error"]["message"].as_str().unwrap().contains("is off the ladder"));
    // hr asks a colleague for a peer assessment of the CEO: refused, as nobody assesses them.
    let peer = rungs_demo::generate(rungs_format::builtin(), support::PEOPLE, 42)
        .into_iter()
        .find(|person| person.manager_id.as_ref() == Some(&top.id))
        .unwrap();
    let request =
        serde_json::json!({ "kind": "peer", "cycle": "2026-H2", "assessor": peer.id.as_str() });
    let (status, refused) = app.post_json("/api/v1/people/X1/assessments", &request).await;
    assert_eq!(status, 422, "{refused}");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("`X1` is off the ladder") && message.contains("nobody assesses them"),
        "{message}"
    );
    let (_, check) = app.get_json("/api/v1/org/check").await;
    let about_ceo = check["findings"].as_array().map_or(0, |findings| {
        findings.iter().filter(|finding| finding["person_id"] == "X1").count()
    });
    assert_eq!(about_ceo, 0, "not checked against a level: {check}");
}

#[tokio::test]
async fn the_api_preview_names_ids_a_mapping_re_keys() {
    let app = spawn_app("api-mappings-rekeyed").await;
    // The demo org's ids (`E00001`) have no leading zeros; an org imported with padded ids has.
    let padded = "id,name,email,manager_id,level\n000001,Ada,ada@example.com,,cto\n000002,Grace,grace@example.com,000001,vp\n";
    let path = "/api/v1/org/import?allow_leavers=1000";
    let (status, imported) = app.send_text(reqwest::Method::POST, path, "text/csv", padded).await;
    assert_eq!(status, 200, "{imported}");
    assert_eq!(put_mapping(&app, "strip", "[ids]\nleading_zeros = \"strip\"\n").await.0, 200);
    let path = "/api/v1/org/import?dry_run=true&mapping=strip";
    let (status, dry) = app.send_text(reqwest::Method::POST, path, "text/csv", padded).await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["changes"]["rekeyed_count"], 2, "{dry}");
    assert_eq!(dry["changes"]["rekeyed"][0], "`000001` is `1` in this file");
}
