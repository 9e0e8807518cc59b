//! The rules on what a request may hold, over a real socket on a fresh SQLite database per
//! test: text limits and control characters at the API, the forms and an upload; peers who are
//! not managers; and person fields that name only people the caller may see.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::{Value, json};
use support::spawn_app;

/// Text limits and control characters at the API and the forms: evidence, an account's email,
/// a token's name and an uploaded org each name the field (or the row and column) that is
/// wrong, and nothing is written.
#[tokio::test]
async fn control_characters_and_over_long_texts_are_refused_at_the_api_and_the_forms() {
    let app = spawn_app("text-rules").await;
    let (person, manager) = app.assessed_person().await;
    let boss = app.as_person(&manager).await;
    let (_, created) = boss
        .post_json(
            &format!("/api/v1/people/{person}/assessments"),
            &json!({"cycle": "2026-H2", "kind": "manager"}),
        )
        .await;
    let created = if created["id"].is_i64() {
        created
    } else {
        assert_eq!(
            app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await.0,
            201
        );
        boss.post_json(
            &format!("/api/v1/people/{person}/assessments"),
            &json!({"cycle": "2027-H1", "kind": "manager"}),
        )
        .await
        .1
    };
    let id = created["id"].as_i64().unwrap();
    let framework = app.app.current_framework().await.unwrap();
    let expectation =
        framework.level(created["target_level"].as_str().unwrap()).unwrap().expectations[0]
            .id
            .to_string();
    let before = app.app.audit(&rungs_store::AuditFilter::default()).await.unwrap().len();
    let (status, body) = boss
        .post_json(
            &format!("/api/v1/assessments/{id}/evidence"),
            &json!({"expectation": expectation, "text": "Ran it\u{1b}]0;owned\u{7}"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], format!("evidence.{expectation}"));
    assert_eq!(
        body["error"]["message"],
        "evidence text contains the control character U+001B at character 7; evidence text is plain text"
    );
    let (status, body) = boss
        .post_json(
            &format!("/api/v1/assessments/{id}/evidence"),
            &json!({"expectation": expectation, "text": "x".repeat(4001)}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (422, Some("evidence text is at most 4000 characters; this one has 4001"))
    );

    let refused = app
        .post_form(
            "/admin/accounts",
            &[
                ("email", "\">\u{2039}x\u{2026}>\"@example.com"),
                ("role", "hr"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("is not an email address such as ada@example.com"), "{page}");
    let refused =
        app.post_form("/admin/tokens", &[("name", "bot\u{0}"), ("role", "employee")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("name contains the control character U+0000"));

    let csv = format!("id,name,email,level\nE1,{},a@example.com,director\n", "N".repeat(201));
    let upload = app
        .client
        .post(app.url("/api/v1/org/import"))
        .header("x-csrf-token", &app.csrf)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 422);
    let body: Value = upload.json().await.unwrap();
    assert_eq!(
        body["error"]["message"],
        "row 2, column `name`: name is at most 200 characters; this one has 201\nnothing was imported"
    );
    let after = app.app.audit(&rungs_store::AuditFilter::default()).await.unwrap().len();
    assert_eq!(after, before, "nothing was written");
}

/// The subject's managers write the manager assessment, never a peer one; and a growth-plan
/// action's owner must be someone the caller may see, with one answer for someone unknown and
/// someone hidden, so that ids cannot be probed.
#[tokio::test]
async fn peers_are_not_managers_and_owners_are_people_the_caller_may_see() {
    let app = spawn_app("peer-and-owner-rules").await;
    // Three levels of a chain: the top of the org, a manager below it, and their report.
    let (_, top) = app.get_json("/api/v1/people/E00001").await;
    let grand = top["person"]["id"].as_str().unwrap().to_owned();
    let manager = top["direct_reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|report| report["track"] == "management")
        .and_then(|report| report["id"].as_str())
        .unwrap_or_else(|| panic!("{top}"))
        .to_owned();
    let (_, below) = app.get_json(&format!("/api/v1/people/{manager}")).await;
    let person =
        below["direct_reports"][0]["id"].as_str().unwrap_or_else(|| panic!("{below}")).to_owned();
    assert_eq!(
        app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await.0,
        201
    );
    for assessor in [&manager, &grand] {
        let (status, body) = app
            .post_json(
                &format!("/api/v1/people/{person}/assessments"),
                &json!({"cycle": "2027-H1", "kind": "peer", "assessor": assessor}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["error"]["message"],
            format!(
                "`{assessor}` is in `{person}`'s management chain, so writes their manager assessment, not a peer one"
            )
        );
    }

    let managing = app.as_person(&manager).await;
    let (status, _) =
        managing.post_json(&format!("/api/v1/people/{person}/plan"), &json!({})).await;
    assert_eq!(status, 201);
    let (_, plan) = managing.get_json(&format!("/api/v1/people/{person}/plan")).await;
    let expectation = plan["plan"]["focus"][0]
        .as_str()
        .or_else(|| plan["focus"][0].as_str())
        .unwrap_or_else(|| panic!("a focus: {plan}"))
        .to_owned();
    let action = |owner: &str| json!({"expectation": expectation, "text": "Pair on a design", "owner": owner, "due": "2027-04-01"});
    let path = format!("/api/v1/people/{person}/plan/actions");
    let (hidden_status, hidden) = managing.post_json(&path, &action(&grand)).await;
    let (unknown_status, unknown) = managing.post_json(&path, &action("NOBODY")).await;
    assert_eq!(hidden_status, 422, "{hidden}");
    assert_eq!(hidden["error"]["field"], "owner");
    assert_eq!(
        hidden["error"]["message"],
        format!("there is no person “{grand}” you can name here; type a name, an email or an id")
    );
    assert_eq!(unknown_status, hidden_status, "the same status");
    assert_eq!(
        unknown["error"]["message"].as_str().unwrap().replace("NOBODY", &grand),
        hidden["error"]["message"].as_str().unwrap(),
        "the same words"
    );
    assert_eq!(managing.post_json(&path, &action(&person)).await.0, 201, "their report");
    assert_eq!(managing.post_json(&path, &action(&manager)).await.0, 201, "themselves");

    let form = managing
        .post_form(
            &format!("/people/{person}/plan/actions"),
            &[
                ("expectation", &expectation),
                ("text", "Pair"),
                ("owner", &grand),
                ("due", "2027-04-01"),
            ],
        )
        .await;
    assert_eq!(form.status(), 422);
    assert!(form.text().await.unwrap().contains(&format!(
        "there is no person “{grand}” you can name here; type a name, an email or an id"
    )));
}

/// One self and one manager assessment per subject and cycle, one peer assessment per
/// assessor: a second one through the API is refused with the existing one named (409), and
/// the page's "start" opens the existing one instead of making another.
#[tokio::test]
async fn a_second_assessment_of_a_kind_opens_or_names_the_first() {
    let app = spawn_app("one-per-kind").await;
    let (person, manager) = app.assessed_person().await;
    assert_eq!(
        app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await.0,
        201
    );
    let boss = app.as_person(&manager).await;
    let path = format!("/api/v1/people/{person}/assessments");
    let body = json!({"cycle": "2027-H1", "kind": "manager"});
    let (status, first) = boss.post_json(&path, &body).await;
    assert_eq!(status, 201, "{first}");
    let first = first["id"].as_i64().unwrap();
    let (status, second) = boss.post_json(&path, &body).await;
    assert_eq!((status, second["error"]["code"].as_str()), (409, Some("conflict")), "{second}");
    assert_eq!(
        second["error"]["message"],
        format!(
            "`{person}` already has a manager assessment in 2027-H1: assessment {first}; open it, or correct it with a revision once it is submitted"
        )
    );
    let started = boss
        .post_form(
            &format!("/people/{person}/assessments"),
            &[("cycle", "2027-H1"), ("kind", "manager")],
        )
        .await;
    assert_eq!(started.status(), 303);
    assert_eq!(started.headers()["location"], format!("/assessments/{first}"), "opens the first");
    let (_, listed) =
        app.get_json(&format!("/api/v1/assessments?cycle=2027-H1&subject={person}")).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "still one: {listed}");
}
